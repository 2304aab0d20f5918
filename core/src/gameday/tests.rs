//! Game days: the built-in one scores the policies the docs quote (snapshots of every loss);
//! the same policy always gets the same score, tape and trace; a better policy scores higher
//! than a poor one and every campaign moment costs the starting policy points; the tape
//! rebuilds the run the app shows; targets hit the busiest instance and zone; a policy that
//! changes what it may not is refused with the path; malformed and huge files give
//! path-precise problems and never panic.

use super::*;
use crate::scenario::Scenario;
use crate::session::Session;
use expect_test::{expect, Expect};
use serde_json::{json, Value};

fn release_day() -> GameDay {
    parse_gameday(find_builtin("release-day").expect("built-in").json)
        .unwrap_or_else(|problems| panic!("{problems:?}"))
}

fn builtin_value() -> Value {
    serde_json::from_str(find_builtin("release-day").expect("built-in").json).expect("JSON")
}

/// The game day's stage with `edit` applied to its JSON: a learner's policy.
fn policy(edit: impl FnOnce(&mut Value)) -> Scenario {
    let mut value = serde_json::to_value(&release_day().stage).expect("a scenario serialises");
    edit(&mut value);
    crate::scenario::from_value(value).unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// Minimum 100 %, maximum 200 %, the circuit breaker with rollback, two m5.large in each of
/// three zones: the docs' "better" policy.
fn better(value: &mut Value) {
    value["services"][0]["deploymentConfiguration"] = json!({
        "minimumHealthyPercent": 100, "maximumPercent": 200,
        "deploymentCircuitBreaker": {"enable": true, "rollback": true}
    });
    value["fleet"] = json!([
        {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
        {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2},
        {"instanceType": "m5.large", "availabilityZone": "us-east-1c", "count": 2}
    ]);
}

/// Minimum 0 %, binpack on memory, four m5.large in one zone: the docs' "poor" policy.
fn poor(value: &mut Value) {
    value["services"][0]["deploymentConfiguration"] =
        json!({"minimumHealthyPercent": 0, "maximumPercent": 100});
    value["services"][0]["placementStrategy"] = json!([{"type": "binpack", "field": "memory"}]);
    value["fleet"] =
        json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 4}]);
}

/// The score of `policy` on `gameday`: the total, then one line per loss.
fn score_text(gameday: &GameDay, policy: &Scenario) -> String {
    let played = play(gameday, policy).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(played.bound, None);
    let score = &played.score;
    let mut text = format!(
        "{} / {} (lost {:?}), passed {:?}\n",
        score.total,
        score.out_of,
        score.lost_by_kind(),
        score.passed()
    );
    for loss in &score.losses {
        text.push_str(&loss.line());
        text.push('\n');
    }
    text
}

fn check_score(policy: &Scenario, expected: Expect) {
    expected.assert_eq(&score_text(&release_day(), policy));
}

/// The problems of a game day text, one per line (`path: message`).
fn check(text: &str, expected: Expect) {
    let problems = match parse_gameday(text) {
        Ok(_) => "ok".to_string(),
        Err(problems) => lines(&problems),
    };
    expected.assert_eq(&problems);
}

/// The built-in game day with `edit` applied to its JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let mut value = builtin_value();
    edit(&mut value);
    value.to_string()
}

fn lines(problems: &[crate::problem::Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_starting_policy_loses_to_every_campaign_moment() {
    check_score(
        &release_day().stage,
        expect![[r#"
            15 / 100 (lost [67, 11, 7]), passed Some(false)
            2:00–4:42  −11  availability: 1 of 3 required healthy tasks of web missing (after “Release web 1.1.0”)
            2:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is already using a port required by your task.” (after “Release web 1.1.0”)
            2:20  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “The busiest instance is drained mid-release”)
            6:00–15:00  −56  availability: up to 2 of 3 required healthy tasks of web missing, until the end (after “Bad build web 1.2.0: it crashes on start”)
            6:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “Bad build web 1.2.0: it crashes on start”)
            6:13–8:23  −5  failed launches: 5 tasks of web failed to start (TaskFailedToStart) (after “Bad build web 1.2.0: it crashes on start”)
            10:23  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-006c45d188009454f is already using a port required by your task.” (after “The zone with the most web tasks fails”)
            10:33–14:43  −2  failed launches: 2 tasks of web failed to start (TaskFailedToStart) (after “The zone with the most web tasks fails”)
            0:00–15:00  −7  cost: 4 m5.large instances ran 0.83 instance-hours at 8 points an hour, 2 of them terminated during the run
        "#]],
    );
}

#[test]
fn a_better_policy_scores_higher_than_a_poor_one() {
    check_score(
        &policy(better),
        expect![[r#"
            80 / 100 (lost [1, 8, 11]), passed Some(true)
            2:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is already using a port required by your task.” (after “Release web 1.1.0”)
            2:20  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “The busiest instance is drained mid-release”)
            6:00–6:30  −2  failed launches: a task of web could not be placed (2 times) — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “Bad build web 1.2.0: it crashes on start”)
            6:10–6:30  −3  failed launches: 3 tasks of web failed to start (TaskFailedToStart) (after “Bad build web 1.2.0: it crashes on start”)
            10:00–10:03  −1  availability: 1 of 3 required healthy tasks of web missing (after “The zone with the most web tasks fails”)
            10:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “The zone with the most web tasks fails”)
            0:00–15:00  −11  cost: 6 m5.large instances ran 1.33 instance-hours at 8 points an hour, 2 of them terminated during the run
        "#]],
    );
    check_score(
        &policy(poor),
        expect![[r#"
            0 / 100 (lost [119, 10, 6]), passed Some(false)
            2:00–2:54  −11  availability: up to 3 of 3 required healthy tasks of web missing (after “Release web 1.1.0”)
            2:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is already using a port required by your task.” (after “Release web 1.1.0”)
            2:20  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “The busiest instance is drained mid-release”)
            6:00–15:00  −108  availability: up to 3 of 3 required healthy tasks of web missing, until the end (after “Bad build web 1.2.0: it crashes on start”)
            6:00  −1  failed launches: a task of web could not be placed — “The closest matching container-instance i-0e220a8397b1dcdaf is DRAINING.” (after “Bad build web 1.2.0: it crashes on start”)
            6:13–6:53  −6  failed launches: 6 tasks of web failed to start (TaskFailedToStart) (after “Bad build web 1.2.0: it crashes on start”)
            10:53  −1  failed launches: a task of web could not be placed — “No Container Instances were found in your cluster.” (after “The zone with the most web tasks fails”)
            0:00–15:00  −6  cost: 4 m5.large instances ran 0.66 instance-hours at 8 points an hour, 4 of them terminated during the run
        "#]],
    );
    let gameday = release_day();
    let total = |p: &Scenario| play(&gameday, p).expect("plays").score.total;
    let (better, start, poor) = (
        total(&policy(better)),
        total(&gameday.stage),
        total(&policy(poor)),
    );
    assert!(better > start && start > poor, "{better} {start} {poor}");
    // The same policy on t3.medium instances (one web task fits, host port 80 allows no more
    // on an m5.large either) costs half as much an hour.
    let cheaper = total(&policy(|v| {
        self::better(v);
        for entry in v["fleet"].as_array_mut().expect("a fleet") {
            entry["instanceType"] = json!("t3.medium");
        }
    }));
    assert_eq!((better, cheaper), (80, 85));
}

#[test]
fn every_campaign_moment_costs_the_starting_policy_points() {
    let gameday = release_day();
    let full = play(&gameday, &gameday.stage).expect("plays").score;
    for (index, moment) in gameday.campaign.iter().enumerate() {
        let mut without = gameday.clone();
        without.campaign.remove(index);
        let score = play(&without, &gameday.stage).expect("plays").score;
        assert!(
            score.total > full.total,
            "without “{}”: {} (with it {})",
            moment.name,
            score.total,
            full.total
        );
        let after = format!("(after \u{201c}{}\u{201d})", moment.name);
        assert!(
            full.losses.iter().any(|loss| loss.cause.ends_with(&after)),
            "no loss after “{}”",
            moment.name
        );
    }
    // Without any campaign only the instance-hours cost points.
    let mut quiet = gameday.clone();
    quiet.campaign.clear();
    let score = play(&quiet, &gameday.stage).expect("plays").score;
    assert_eq!(score.lost_by_kind(), [0, 0, score.total.abs_diff(100)]);
}

#[test]
fn the_same_policy_always_gets_the_same_score_and_the_tape_rebuilds_the_run() {
    let gameday = release_day();
    for edit in [better as fn(&mut Value), poor, |_: &mut Value| {}] {
        let policy = policy(edit);
        let first = play(&gameday, &policy).expect("plays");
        let second = play(&gameday, &policy).expect("plays");
        assert_eq!(first.score, second.score);
        assert_eq!(first.tape(), second.tape());
        assert_eq!(first.happened, second.happened);
        let trace = first.session.world().trace();
        assert_eq!(trace, second.session.world().trace());
        // What the app does: a session of the scenario that ran, the tape replayed.
        let mut replayed = Session::new(first.scenario.clone()).expect("compiles");
        for op in first.tape() {
            replayed.exec(&op).expect("the tape replays");
        }
        assert_eq!(replayed.world().trace(), trace);
        assert_eq!(replayed.world().now(), gameday.run_until);
        assert_eq!(score(&gameday, replayed.world()), first.score);
    }
}

#[test]
fn targets_hit_the_busiest_instance_and_zone() {
    let gameday = release_day();
    // One web task per instance (host port 80): the first instance in the fleet's order
    // wins the tie; with every task in us-east-1b, that zone is lost.
    let played = play(&gameday, &policy(better)).expect("plays");
    let labels: Vec<Vec<String>> = played
        .happened
        .iter()
        .map(|moment| {
            moment
                .iter()
                .map(|a| a.as_ref().map_or_else(Clone::clone, |a| a.label()))
                .collect()
        })
        .collect();
    expect![[r#"
        [
            [
                "registerTaskDefinition web",
                "updateService web",
            ],
            [
                "drainInstance i-0e220a8397b1dcdaf",
            ],
            [
                "registerTaskDefinition web",
                "updateService web",
            ],
            [
                "failAvailabilityZone us-east-1b",
            ],
        ]
    "#]]
    .assert_debug_eq(&labels);
    let one_zone = policy(|v| {
        v["fleet"] = json!([
            {"instanceType": "t3.medium", "availabilityZone": "us-east-1c", "count": 1},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 4}
        ])
    });
    let played = play(&gameday, &one_zone).expect("plays");
    let zone = &played.happened[3][0];
    assert_eq!(
        zone.as_ref().map(|a| a.label()),
        Ok("failAvailabilityZone us-east-1b".to_string())
    );
    // A drain with nothing left to drain is refused and said so; the run goes on.
    let world = played.session.world();
    let drain = CampaignAction {
        action: crate::action::Action::DrainInstance {
            instance: TARGET_PLACEHOLDER.into(),
        },
        target: Some(Target {
            most_tasks_of: "web".into(),
        }),
    };
    assert_eq!(
        resolve(world, &drain),
        Err("no ACTIVE container instance is left to drain".to_string())
    );
    // The first instance (the t3.medium in us-east-1c) was the one drained: a tie goes to the
    // first in the fleet's order.
    assert_eq!(
        played.happened[1][0].as_ref().map(|a| a.label()),
        Ok(format!(
            "drainInstance {}",
            world.instances()[0].ec2_instance_id
        ))
    );
}

#[test]
fn a_policy_may_change_only_what_the_game_day_allows() {
    let gameday = release_day();
    let refused = |edit: fn(&mut Value)| match check_policy(&gameday, &policy(edit)) {
        Ok(_) => "ok".to_string(),
        Err(problems) => lines(&problems),
    };
    expect!["ok"].assert_eq(&refused(better));
    expect!["ok"].assert_eq(&refused(|v| {
        v["name"] = json!("My policy");
        v["assertions"] = json!(["never fewer than 3 healthy tasks of web"]);
        v["services"][0]["placementStrategy"] =
            json!([{"type": "spread", "field": "attribute:ecs.availability-zone"}]);
    }));
    expect![[r#"
        services[0].desiredCount: the game day does not let you change this (it is 4)
        services[0].healthCheckGracePeriodSeconds: the game day does not let you set this"#]]
    .assert_eq(&refused(|v| {
        v["services"][0]["desiredCount"] = json!(8);
        v["services"][0]["healthCheckGracePeriodSeconds"] = json!(30);
    }));
    expect![[r#"
        fleet[0].instanceType: "m5.xlarge" is not one the game day allows: m5.large, t3.medium
        fleet[1].availabilityZone: "us-east-1d" is not one the game day allows: us-east-1a, us-east-1b, us-east-1c
        fleet: 10 instances; the game day allows at most 9"#]]
    .assert_eq(&refused(|v| {
        v["fleet"] = json!([
            {"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a", "count": 5},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1d", "count": 5}
        ]);
    }));
    expect![[r#"
        timeline: the campaign is the game day's timeline; remove the policy's 1 timeline entry
        seed: the game day does not let you change this (it is 20171017)
        taskDefinitions[0].containerDefinitions[0].cpu: the game day does not let you change this (it is 1024)"#]]
    .assert_eq(&refused(|v| {
        v["timeline"] = json!([{"at": "1m", "action": {"stopTask": {"task": "t0"}}}]);
        v["seed"] = json!(7);
        v["taskDefinitions"][0]["containerDefinitions"][0]["cpu"] = json!(512);
    }));
    let problems = play(
        &gameday,
        &policy(|v| v["services"][0]["desiredCount"] = json!(2)),
    )
    .err()
    .expect("refused");
    assert_eq!(problems[0].path, "services[0].desiredCount");
}

#[test]
fn malformed_game_days_say_where_and_what() {
    check(
        "",
        expect![[r#"game day file is empty; expected a JSON object with "version": 1"#]],
    );
    check("[1]", expect!["expected a JSON object, found an array"]);
    check(
        "{\"version\": 2}",
        expect!["version: 2 is not supported; this Flotilla reads game days of version 1"],
    );
    check(
        &edited(|v| {
            v.as_object_mut().expect("an object").remove("briefing");
            v["colour"] = json!("red");
            v["policy"]["services"] = json!(["web", 3]);
            v["policy"]["fleet"]["instancesMax"] = json!(-1);
            v["campaign"][2] = json!("later");
            v["campaign"][0]["actions"][0] = json!({"reboot": {}});
            v["scoring"]["pointsPerInstanceHour"]["m5.large"] = json!("eight");
        }),
        expect![[r#"
            colour: unknown field; expected one of version, title, briefing, scenario, policy, campaign, runUntil, scoring
            briefing: missing required field
            policy.services[1]: expected a string, found the number 3
            policy.fleet.instancesMax: expected a whole number from 0 to 4294967295, found the number -1
            campaign[0].actions[0]: unknown name "reboot"; expected one of "createService", "updateService", "registerTaskDefinition", "stopTask", "terminateInstance", "runTask", "startTask", "drainInstance", "activateInstance", "failAvailabilityZone", "setAlarmState", "changeResourceRecordWeight"
            campaign[2]: expected an object, found the string "later"
            scoring.pointsPerInstanceHour.m5.large: expected a whole number from 0 to 4294967295, found the string "eight""#]],
    );
    check(
        &edited(|v| v["campaign"][1]["colour"] = json!("red")),
        expect!["campaign[1].colour: unknown field; expected one of at, name, actions"],
    );
    check(
        &edited(|v| v["campaign"][0]["actions"][1]["updateService"]["service"] = json!("wbe")),
        expect![[
            r#"campaign[0].actions[1].updateService.service: no service named "wbe" in services"#
        ]],
    );
    check(
        &edited(|v| {
            v["campaign"][1]["actions"][0]["drainInstance"]["instance"] =
                json!({"mostTasksOf": "api"});
            v["campaign"][3]["actions"][0]["failAvailabilityZone"]["availabilityZone"] =
                json!({"busiest": "web"});
        }),
        expect![[r#"
            campaign[3].actions[0].failAvailabilityZone.availabilityZone.busiest: unknown field; expected mostTasksOf
            campaign[3].actions[0].failAvailabilityZone.availabilityZone.mostTasksOf: missing required field"#]],
    );
    check(
        &edited(|v| {
            v["campaign"][1]["actions"][0]["drainInstance"]["instance"] =
                json!({"mostTasksOf": "api"});
        }),
        expect![[
            r#"campaign[1].actions[0].drainInstance.instance.mostTasksOf: no service named "api"; services: web"#
        ]],
    );
    check(
        &edited(|v| {
            v["campaign"][2]["at"] = json!("1m");
            v["campaign"][3]["at"] = json!("20m");
            v["runUntil"] = json!("2d");
        }),
        expect![[r#"
            runUntil: 2d is longer than a game day may run (1d)
            campaign[2].at: 1m is before the previous moment's 2m20s; list the campaign in time order"#]],
    );
    check(
        &edited(|v| v["campaign"][3]["at"] = json!("15m")),
        expect!["campaign[3].at: 15m is not before the run ends at 15m"],
    );
    check(
        &edited(|v| {
            v["policy"]["services"] = json!(["api"]);
            v["policy"]["fleet"]["instanceTypes"] = json!(["m9.huge", "c5.large"]);
            v["policy"]["fleet"]["instancesMax"] = json!(0);
        }),
        expect![[r#"
            policy.services[0]: no service named "api"; services: web
            policy.fleet.instanceTypes[0]: unknown instance type "m9.huge"
            policy.fleet.instanceTypes[1]: "c5.large" has no price in scoring.pointsPerInstanceHour
            policy.fleet.instancesMax: must be from 1 to 1000"#]],
    );
    check(
        &edited(|v| v["policy"]["fleet"]["availabilityZones"] = json!(["us-east-1a"])),
        expect![[
            r#"scenario.fleet[1].availabilityZone: "us-east-1b" is not one the game day allows: us-east-1a"#
        ]],
    );
    check(
        &edited(|v| {
            v["scoring"]["required"] = json!([{"service": "web", "healthyTasks": 5}, {"service": "api", "healthyTasks": 1}]);
            v["scoring"]["from"] = json!("soon");
            v["scoring"]["passScore"] = json!(101);
            v["scoring"]["pointsPerInstanceHour"]["m9.huge"] = json!(1);
        }),
        expect![[r#"
            scoring.passScore: is more than the 100 points a run can score
            scoring.required[0].healthyTasks: must be from 1 to web's desiredCount of 4
            scoring.required[1].service: no service named "api"; services: web
            scoring.from: expected a number at position 1 of duration "soon"
            scoring.pointsPerInstanceHour.m9.huge: unknown instance type"#]],
    );
    check(
        &edited(|v| v["scenario"] = json!("builtin:nope")),
        expect![[
            r#"scenario: no built-in scenario named "nope"; built-ins: microservices, placement, batch-jobs, rolling-minimal-cost, rolling-fast, blue-green-dns, cicd, discovery-at-scale"#
        ]],
    );
    check(
        &edited(|v| v["scoring"]["points"] = json!("lots")),
        expect![[
            r#"scoring.points: expected a whole number from 0 to 4294967295, found the string "lots""#
        ]],
    );
}

#[test]
fn huge_and_many_things_are_refused_without_a_panic() {
    let huge = "x".repeat(1_000_000);
    check(
        &edited(|v| v["briefing"] = json!(huge)),
        expect!["briefing: 1000000 characters; the limit is 600"],
    );
    check(
        &edited(|v| v["campaign"][0]["name"] = json!("  ")),
        expect!["campaign[0].name: must not be empty"],
    );
    check(
        &edited(|v| {
            let entry = v["campaign"][0].clone();
            v["campaign"] = Value::Array(vec![entry; CAMPAIGN_MAX + 1]);
        }),
        expect!["campaign: 21 entries; the limit is 20"],
    );
    check(
        &edited(|v| {
            let action = v["campaign"][0]["actions"][0].clone();
            v["campaign"][0]["actions"] = Value::Array(vec![action; ENTRY_ACTIONS_MAX + 1]);
        }),
        expect!["campaign[0].actions: 11 actions; the limit is 10"],
    );
    let big = format!(
        "{{\"version\": 1, \"title\": \"{}\"}}",
        "y".repeat(GAMEDAY_BYTES_MAX)
    );
    check(
        &big,
        expect!["game day is 5242907 bytes; the limit is 5242880 bytes (5 MiB)"],
    );
    // Every prefix of a game day is a problem or a game day: never a panic.
    let text = find_builtin("release-day").expect("built-in").json;
    for end in (0..text.len()).step_by(61) {
        if text.is_char_boundary(end) {
            let _ = parse_gameday(&text[..end]);
        }
    }
}
