//! Bounded work (issue 13 item 14): a valid scenario cannot exhaust a browser tab's memory.
//! A revision that crash-loops over the longest horizon stops with "run bound hit" in every
//! run loop — `run_until`, its slices, `step`, "next decision" — and in the session's inputs,
//! seeks and "Why here?", with the world's history and task records held to their budget; a
//! scenario that asks for more tasks than a tab can run is refused at compile with the limit
//! named.

use flotilla_core::scenario::TOTAL_DESIRED_TASKS_MAX;
use flotilla_core::session::Session;
use flotilla_core::task::TaskId;
use flotilla_core::world::{HISTORY_EVENTS_MAX, TASKS_MAX};
use flotilla_core::{parse_scenario, DecisionStop, Scenario, SimTime, SliceEnd, World};

/// 50 tasks that crash a second after RUNNING, for 30 days: ~10 launches a second, forever.
fn crash_loop() -> Scenario {
    parse_scenario(
        r#"{
  "version": 1, "name": "crash loop", "seed": 1, "duration": "30d",
  "fleet": [{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a", "count": 4}],
  "taskDefinitions": [{"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "example.com/web:1", "cpu": 128, "memory": 128}]}],
  "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 50}],
  "revisionBehaviour": [{"taskDefinition": "web:1", "startTime": "1s", "crashAfter": "1s"}]
}"#,
    )
    .expect("the crash-loop scenario is valid")
}

/// What a bounded world may hold: its budget plus what the last wake-up recorded.
fn assert_within_budget(world: &World) {
    assert!(world.run_bound().is_some(), "the budget was reached");
    assert!(
        world.events().len() < HISTORY_EVENTS_MAX + 1_000,
        "{} events retained",
        world.events().len()
    );
    assert!(
        world.tasks().len() < TASKS_MAX + 1_000,
        "{} tasks retained",
        world.tasks().len()
    );
}

#[test]
fn a_crash_loop_over_thirty_days_stops_with_run_bound_hit() {
    let scenario = crash_loop();
    let mut world = World::new(&scenario).expect("the world builds");
    let report = world.run_until(scenario.horizon());
    assert!(report.bounded, "the run stops bounded");
    assert!(
        world.now() < scenario.horizon(),
        "a bounded run does not claim the horizon"
    );
    assert_within_budget(&world);
    let bound = world.run_bound().expect("a budget is used up");
    assert!(
        bound.message().contains("browser tab"),
        "{}",
        bound.message()
    );
    // Every loop stops at once from here, and none moves the world.
    let (events, now) = (world.events().len(), world.now());
    assert!(world.run_until(scenario.horizon()).bounded);
    assert!(world.step().is_empty());
    assert_eq!(world.step_to_next_decision().stop, DecisionStop::Bounded);
    assert_eq!(
        world.run_until_sliced(scenario.horizon(), 1_000, 0).end,
        SliceEnd::Bounded
    );
    assert_eq!((world.events().len(), world.now()), (events, now));
}

#[test]
fn the_session_stops_bounded_and_replays_to_the_same_moment() {
    let scenario = crash_loop();
    let mut session = Session::new(scenario.clone()).expect("the session starts");
    let report = session.run_until(scenario.horizon());
    assert!(report.bounded, "the session's run stops bounded");
    assert!(session.run_bound().is_some());
    assert_within_budget(session.world());
    let (events, now) = (session.world().events().len(), session.world().now());
    assert_eq!(session.step_to_next_decision().stop, DecisionStop::Bounded);
    // A seek back and forward again replays the tape to the same bounded moment.
    session.seek(SimTime::from_secs(60));
    assert!(session.run_bound().is_none());
    session.seek(scenario.horizon());
    assert_eq!(
        (session.world().events().len(), session.world().now()),
        (events, now)
    );
    // "Why here?" on the last task replays within the same budget.
    let last = TaskId(session.world().tasks().len() as u32 - 1);
    assert!(session.explain_task(last).is_some());
}

/// A scenario with `services` (desired counts) of one small task definition, and `timeline`.
fn scenario_text(desired_counts: &[u32], timeline: &str) -> String {
    let services: Vec<String> = desired_counts
        .iter()
        .enumerate()
        .map(|(i, count)| {
            format!(
                r#"{{"serviceName": "s{i}", "taskDefinition": "web:1", "desiredCount": {count}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"version": 1, "name": "work", "seed": 1, "duration": "1h",
  "fleet": [{{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a"}}],
  "taskDefinitions": [{{"family": "web", "containerDefinitions": [{{"name": "web", "image": "web", "cpu": 128, "memory": 128}}]}}],
  "services": [{}], "timeline": [{timeline}]}}"#,
        services.join(",")
    )
}

fn problems(text: &str) -> Vec<String> {
    match parse_scenario(text) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_scenario_asking_for_more_tasks_than_a_tab_can_run_is_refused_with_the_limit() {
    // Issue 13: 100 services of 100,000 tasks, an 8 KB file, took over 60 s to reach 1 s.
    assert_eq!(
        problems(&scenario_text(&[100_000; 100], "")),
        [format!(
            "services: the services ask for 10000000 tasks in all (each service at its largest desiredCount, timeline included); the sandbox limit is {TOTAL_DESIRED_TASKS_MAX} tasks across services, so that a run fits in a browser tab"
        )]
    );
    // A timeline updateService counts at its largest: 60,000 + 50,000 is over.
    let update =
        r#"{"at": "1m", "action": {"updateService": {"service": "s1", "desiredCount": 50000}}}"#;
    let over = problems(&scenario_text(&[60_000, 1], update));
    assert_eq!(over.len(), 1, "{over:?}");
    assert!(over[0].contains("110000 tasks in all"), "{over:?}");
    // At the limit it compiles.
    let at_limit = scenario_text(&[60_000, 40_000], "");
    assert_eq!(problems(&at_limit), Vec::<String>::new());
    // The same limit holds for an updateService applied to the running world.
    let scenario = parse_scenario(&at_limit).expect("valid at the limit");
    let mut world = World::new(&scenario).expect("the world builds");
    let action =
        serde_json::from_str(r#"{"updateService": {"service": "s1", "desiredCount": 40001}}"#)
            .expect("an action");
    let error = world.apply(&action).expect_err("over the limit");
    assert!(
        error.to_string().contains("100001 tasks across services"),
        "{error}"
    );
}
