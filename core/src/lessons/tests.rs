//! Lessons: every built-in passes through "show me" (a core change that breaks one fails the
//! build); a check that no longer holds names its step and the evidence; malformed files give
//! path-precise problems and never panic; runs are deterministic; the tape to a step rebuilds
//! the runner's world exactly.

use super::*;
#[cfg(feature = "discovery")]
use crate::session::Session;
use expect_test::{expect, Expect};
use serde_json::{json, Value};

fn builtin_value(id: &str) -> Value {
    serde_json::from_str(find_builtin(id).expect("a built-in lesson").json).expect("JSON")
}

fn lesson_of(value: &Value) -> Result<Lesson, Vec<Problem>> {
    parse_lesson(&value.to_string())
}

/// The problems of a lesson text, one per line (`path: message`).
fn check(text: &str, expected: Expect) {
    let problems = match parse_lesson(text) {
        Ok(_) => "ok".to_string(),
        Err(problems) => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    expected.assert_eq(&problems);
}

/// A built-in lesson with `edit` applied to its JSON.
fn edited(id: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut value = builtin_value(id);
    edit(&mut value);
    value.to_string()
}

#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn every_builtin_lesson_holds_through_show_me() {
    assert_eq!(BUILTIN_LESSONS.len(), 7);
    for builtin in BUILTIN_LESSONS {
        let lesson = parse_lesson(builtin.json)
            .unwrap_or_else(|problems| panic!("{}: {problems:?}", builtin.id));
        assert!(
            (3..=6).contains(&lesson.steps.len()),
            "{}: {} steps",
            builtin.id,
            lesson.steps.len()
        );
        let outcomes = run_lesson(&lesson);
        assert_eq!(outcomes.len(), lesson.steps.len(), "{}", builtin.id);
        for outcome in &outcomes {
            assert!(
                outcome.held(),
                "{} step {}: {outcome:?}",
                builtin.id,
                outcome.step + 1
            );
            assert_eq!(outcome.reached, lesson.steps[outcome.step].run_until);
        }
        for step in &lesson.steps {
            assert!(
                !step.references.is_empty(),
                "{}: every step cites",
                builtin.id
            );
        }
    }
}

#[test]
fn a_check_that_no_longer_holds_fails_with_its_step_and_evidence() {
    // Deploy with minimum 25 %: ECS may then stop three tasks of four at once.
    let text = edited("rolling-minimal-cost", |value| {
        value["steps"][1]["showMe"][1]["updateService"]["deploymentConfiguration"]
            ["minimumHealthyPercent"] = json!(25);
    });
    let lesson = parse_lesson(&text).expect("valid");
    let outcomes = run_lesson(&lesson);
    assert_eq!(outcomes.len(), 4);
    let broken: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.held())
        .map(|o| format!("step {}: {} {:?}", o.step + 1, o.check, o.status))
        .collect();
    expect![[r#"
        [
            "step 3: never fewer than 2 healthy tasks of web Broken { at: SimTime(120000), evidence: \"at 2:00 web had 1 healthy task (needs ≥ 2)\" }",
        ]
    "#]]
    .assert_debug_eq(&broken);
}

#[test]
fn a_refused_action_stops_the_run_at_its_step() {
    let text = edited("batch-jobs", |value| {
        value["steps"][4]["showMe"][0]["stopTask"]["task"] = json!("t999");
    });
    let lesson = parse_lesson(&text).expect("a task id is decided when the action applies");
    let outcomes = run_lesson(&lesson);
    let last = outcomes.last().expect("outcomes");
    assert_eq!(last.step, 4);
    assert!(
        matches!(&last.status, StepStatus::ActionRejected { action: 0, message } if message.contains("t999")),
        "{last:?}"
    );
}

#[test]
fn malformed_lessons_say_where_and_what() {
    check(
        "",
        expect![[r#"lesson file is empty; expected a JSON object with "version": 1"#]],
    );
    check("[1]", expect!["expected a JSON object, found an array"]);
    check(
        "{\"version\": 2}",
        expect!["version: 2 is not supported; this Flotilla reads lessons of version 1"],
    );
    check(
        &edited("rolling-fast", |v| v["steps"][1]["runUntil"] = json!(5)),
        expect![[r#"steps[1].runUntil: expected a string, found the number 5"#]],
    );
    check(
        &edited("rolling-fast", |v| v["steps"][2]["colour"] = json!("red")),
        expect![[
            r#"steps[2].colour: unknown field; expected one of instruction, watch, showMe, runUntil, check, hint, explanation, references"#
        ]],
    );
    check(
        &edited("rolling-fast", |v| {
            v["steps"][2]["check"] = json!("never fewer than 4 healthy tasks of wbe")
        }),
        expect![[
            r#"steps[2].check: no service or task-definition family named "wbe"; services: web; families: web at column 37"#
        ]],
    );
    check(
        &edited("rolling-fast", |v| {
            v["steps"][1]["showMe"][1]["updateService"]["service"] = json!("api")
        }),
        expect![[
            r#"steps[1].showMe[1].updateService.service: no service named "api" in services"#
        ]],
    );
    check(
        &edited("rolling-fast", |v| v["steps"][3]["runUntil"] = json!("2h")),
        expect!["steps[3].runUntil: 2h is past the scenario's horizon of 10m"],
    );
    check(
        &edited("rolling-fast", |v| v["steps"][2]["runUntil"] = json!("1m")),
        expect![
            "steps[2].runUntil: 1m is not after the step's start at 2m10s; a step runs forward"
        ],
    );
    check(
        &edited("rolling-fast", |v| {
            v["steps"][3]["check"] = json!("the deployment of web completes before 9m")
        }),
        expect!["steps[3].check: needs the run to reach 9m; the step runs until 4m"],
    );
    check(
        &edited(
            "rolling-fast",
            |v| v["steps"][0]["watch"] = json!([{"service": "api"}, {"instance": "i-0"}, {"instanceIndex": 8}, {"availabilityZone": "eu-west-1a"}, "nothing"]),
        ),
        expect![[
            r#"steps[0].watch[4]: unknown name "nothing"; expected one of "service", "deploymentChart", "placementExplainer", "instance", "instanceIndex", "availabilityZone", "jobs", "eventLog", "slider""#
        ]],
    );
    check(
        &edited(
            "rolling-fast",
            |v| v["steps"][0]["watch"] = json!([{"service": "api"}, {"instance": "i-0"}, {"instanceIndex": 8}, {"availabilityZone": "eu-west-1a"}]),
        ),
        expect![[r#"
            steps[0].watch[0].service: no service named "api"; services: web
            steps[0].watch[1].instance: no container instance with EC2 instance id "i-0" in the fleet
            steps[0].watch[2].instanceIndex: 8 is past the fleet's last instance; the fleet has 8 (0 is the first)
            steps[0].watch[3].availabilityZone: no Availability Zone "eu-west-1a" in the fleet; zones: us-east-1a, us-east-1b"#]],
    );
    check(
        &edited("rolling-fast", |v| v["scenario"] = json!("builtin:nope")),
        expect![[
            r#"scenario: no built-in scenario named "nope"; built-ins: microservices, placement, batch-jobs, rolling-minimal-cost, rolling-fast, blue-green-dns, cicd, discovery-at-scale"#
        ]],
    );
    check(
        &edited(
            "rolling-fast",
            |v| v["scenario"] = json!({"version": 1, "name": "x", "seed": 1, "fleet": [{"instanceType": "m9.huge", "availabilityZone": "us-east-1a"}]}),
        ),
        expect![[r#"scenario.fleet[0].instanceType: unknown instance type "m9.huge""#]],
    );
}

#[test]
fn huge_and_many_things_are_refused_without_a_panic() {
    let huge = "x".repeat(1_000_000);
    check(
        &edited("cicd", |v| v["steps"][0]["explanation"] = json!(huge)),
        expect!["steps[0].explanation: 1000000 characters; the limit is 1500"],
    );
    check(
        &edited("cicd", |v| v["steps"][0]["check"] = json!(huge)),
        expect![
            "steps[0].check: the sentence is 1000000 characters; the limit is 500 at column 501"
        ],
    );
    check(
        &edited("cicd", |v| {
            let step = v["steps"][0].clone();
            v["steps"] = Value::Array(vec![step; STEPS_MAX + 1]);
        }),
        expect!["steps: 21 steps; the limit is 20"],
    );
    check(
        &edited("cicd", |v| v["steps"] = json!([])),
        expect!["steps: a lesson needs at least one step"],
    );
    check(
        &edited("cicd", |v| v["title"] = json!("  ")),
        expect!["title: must not be empty"],
    );
    let big = format!(
        "{{\"version\": 1, \"title\": \"{}\"}}",
        "y".repeat(LESSON_BYTES_MAX)
    );
    check(
        &big,
        expect!["lesson is 5242907 bytes; the limit is 5242880 bytes (5 MiB)"],
    );
    // Every prefix of a lesson is a problem or a lesson: never a panic.
    let text = find_builtin("unplaceable").expect("built-in").json;
    for end in (0..text.len()).step_by(97) {
        if text.is_char_boundary(end) {
            let _ = parse_lesson(&text[..end]);
        }
    }
}

#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn runs_are_deterministic_and_the_tape_rebuilds_each_step() {
    for builtin in BUILTIN_LESSONS {
        let lesson = parse_lesson(builtin.json).expect("valid");
        assert_eq!(run_lesson(&lesson), run_lesson(&lesson), "{}", builtin.id);
        for index in 0..lesson.steps.len() {
            let by_runner = session_at_step(&lesson, index).expect("reaches the step");
            let mut replayed: Session = start_session(&lesson);
            for op in tape_to_step(&lesson, index) {
                replayed.exec(&op).expect("the tape replays");
            }
            assert_eq!(
                replayed.world().trace(),
                by_runner.world().trace(),
                "{} step {index}",
                builtin.id
            );
            assert_eq!(replayed.world().now(), lesson.steps[index].starts_at);
        }
    }
}

#[test]
fn a_learners_own_run_is_judged_by_the_same_check() {
    let lesson = parse_lesson(find_builtin("rolling-fast").expect("built-in").json).expect("ok");
    let mut session = session_at_step(&lesson, 1).expect("step 2");
    // The learner deploys with maximum 100 %: no room to start the new tasks first.
    let mut action = lesson.steps[1].show_me[1].clone();
    if let crate::action::Action::UpdateService(update) = &mut action {
        let config = update
            .deployment_configuration
            .as_mut()
            .expect("configured");
        config.maximum_percent = Some(100);
        config.minimum_healthy_percent = Some(50);
    }
    session
        .apply(lesson.steps[1].show_me[0].clone())
        .expect("register");
    session.apply(action).expect("update");
    session.run_until(lesson.steps[1].run_until);
    assert!(matches!(
        judge_step(&lesson, 1, session.world()),
        StepStatus::Broken { .. }
    ));
    let value = builtin_value("rolling-fast");
    assert!(lesson_of(&value).is_ok());
}
