//! Bounded work (issue 13 item 14): a valid scenario that would grow without end — a revision
//! that crash-loops over a long horizon — stops every run loop with "run bound hit" naming the
//! bound, holds memory in proportion to the bound (counted by the test binary's allocator), and
//! replays to the same moment; what a scenario asks for in all (desired tasks across services,
//! DAEMON services on the fleet) is limited with the figure in the error; Fargate is refused as
//! not modelled rather than accepted and ignored. The behaviour at the bound is tested with a
//! small budget (`World::with_run_budget`): reaching the real one takes millions of events.

use flotilla_core::session::Session;
use flotilla_core::world::{RunBudget, EVENTS_KEPT_MAX, TASKS_KEPT_MAX};
use flotilla_core::{parse_scenario, DecisionStop, RunBound, SimTime, SliceEnd, World};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// `services` services of `tasks` tasks on 30 instances whose containers exit `crash_after`
/// after RUNNING (the service replaces them: a crash loop), for `duration`.
fn crash_loop(services: u32, tasks: u32, crash_after: &str, duration: &str) -> String {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let fleet: Vec<_> = zones
        .iter()
        .map(|zone| serde_json::json!({"instanceType": "m5.4xlarge", "availabilityZone": zone, "count": 10}))
        .collect();
    let families = 0..services;
    serde_json::json!({
        "version": 1, "name": "crash loop", "seed": 7, "duration": duration, "fleet": fleet,
        "taskDefinitions": families.clone().map(|i| serde_json::json!({"family": format!("s{i}"), "containerDefinitions": [{"name": "app", "image": "x", "cpu": 16, "memory": 64}]})).collect::<Vec<_>>(),
        "services": families.clone().map(|i| serde_json::json!({"serviceName": format!("s{i}"), "taskDefinition": format!("s{i}:1"), "desiredCount": tasks})).collect::<Vec<_>>(),
        "revisionBehaviour": families.map(|i| serde_json::json!({"taskDefinition": format!("s{i}:1"), "crashAfter": crash_after})).collect::<Vec<_>>(),
    })
    .to_string()
}

fn events_budget(events_kept_max: usize) -> RunBudget {
    RunBudget {
        events_kept_max,
        ..RunBudget::default()
    }
}

fn world_of(text: &str, budget: RunBudget) -> World {
    let scenario = parse_scenario(text).expect("the crash loop is a valid scenario");
    World::new(&scenario)
        .expect("builds")
        .with_run_budget(budget)
}

#[test]
fn a_crash_loop_over_30_days_stops_at_its_bound_in_every_run_loop() {
    let text = crash_loop(5, 20, "1m", "30d");
    let bound = RunBound::EventsKept { max: 20_000 };
    let mut world = world_of(&text, events_budget(20_000));
    let report = world.run_until(SimTime(30 * DAY_MS));
    assert_eq!(report.bound, Some(bound));
    let (stopped_at, events) = (world.now(), world.events().len());
    assert!(stopped_at < SimTime(DAY_MS), "stopped at {stopped_at}");
    // One wake-up's work past the bound at most: here a few replacements.
    assert!((20_000..20_500).contains(&events), "{events} events");
    assert_eq!(world.run_bound(), Some(bound));
    expect_test::expect!["run bound hit: 20000 events kept (the most a run may hold so that it fits in a browser tab's memory; shorten the run, or the crash loop or churn that fills it)"]
        .assert_eq(&bound.message());
    // Every other loop stops before its first wake-up, and the clock stays where it was.
    assert_eq!(world.step().len(), 0);
    assert_eq!(
        world.step_to_next_decision().stop,
        DecisionStop::RunBound(bound)
    );
    let slice = world.run_until_sliced(SimTime(30 * DAY_MS), 100, 0);
    assert_eq!((slice.end, slice.wakeups), (SliceEnd::Bounded(bound), 0));
    let partly = world.run_until_partly(SimTime(30 * DAY_MS), 100, 0);
    assert_eq!(partly.end, SliceEnd::Bounded(bound));
    assert_eq!(world.run_until_idle().bound, Some(bound));
    assert_eq!((world.now(), world.events().len()), (stopped_at, events));

    // The same run in slices (the app's jumps) stops at the same wake-up.
    let mut sliced = world_of(&text, events_budget(20_000));
    let mut popped = 0;
    let end = loop {
        let report = sliced.run_until_sliced(SimTime(30 * DAY_MS), 500, popped);
        popped += report.wakeups;
        if report.end != SliceEnd::Paused {
            break report.end;
        }
    };
    assert_eq!(end, SliceEnd::Bounded(bound));
    assert_eq!(sliced.trace(), world.trace());
}

#[test]
fn the_tasks_launched_are_bounded_too() {
    let budget = RunBudget {
        tasks_kept_max: 1_000,
        ..RunBudget::default()
    };
    let mut world = world_of(&crash_loop(5, 20, "1m", "30d"), budget);
    let report = world.run_until(SimTime(30 * DAY_MS));
    assert_eq!(report.bound, Some(RunBound::TasksKept { max: 1_000 }));
    assert!((1_000..1_100).contains(&world.tasks().len()));
    // The real bounds sit above the product's budgets: C1M (1,000,000 tasks, ~4,000,000 events
    // through the world) and the e2e churn jump (120,000 tasks, 921,280 events).
    const { assert!(TASKS_KEPT_MAX > 1_000_000 && EVENTS_KEPT_MAX > 4_005_060) };
}

/// Heavy but valid runs: crash loops of every shape the limits allow, from a tiny
/// deterministic generator (services, tasks, how fast they crash, how many fail to start).
fn heavy_runs() -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    (0..6)
        .map(|_| {
            let services = 1 + next(12) as u32;
            let tasks = 1 + next(60) as u32;
            let crash_after = ["30s", "1m", "5m", "30m"][next(4) as usize];
            let mut value: serde_json::Value =
                serde_json::from_str(&crash_loop(services, tasks, crash_after, "30d"))
                    .expect("JSON");
            if next(2) == 0 {
                for behaviour in value["revisionBehaviour"].as_array_mut().expect("list") {
                    behaviour["crashRatePercent"] = serde_json::json!(next(101));
                }
            }
            value.to_string()
        })
        .collect()
}

#[test]
fn memory_held_grows_with_the_events_kept_not_with_the_horizon() {
    // Measured: 180-230 bytes per event kept, its share of the tasks included. At the real bound
    // the ceiling is 1.15 GB, well below the 3 GB+ the unbounded runs reached; PRODUCT.md's
    // 1 GiB is met by what runs hold (about 0.8-1.0 GB) but not by this ceiling.
    const BYTES_PER_EVENT_MAX: usize = 256;
    const { assert!(BYTES_PER_EVENT_MAX * EVENTS_KEPT_MAX <= 1_152_000_000) };
    const EVENTS: usize = 40_000;
    for text in heavy_runs() {
        let (world, usage) = crate::memory::measure(|| {
            let mut world = world_of(&text, events_budget(EVENTS));
            let report = world.run_until(SimTime(30 * DAY_MS));
            assert!(report.bound.is_some(), "a 30-day crash loop hits the bound");
            world
        });
        let events = world.events().len();
        assert!(
            usage.peak_bytes < BYTES_PER_EVENT_MAX * events,
            "{} bytes for {events} events ({} per event) running {}",
            usage.peak_bytes,
            usage.peak_bytes / events,
            &text[..200]
        );
    }
}

#[test]
fn a_session_stops_at_the_bound_and_a_seek_replays_to_the_same_moment() {
    let scenario = parse_scenario(&crash_loop(5, 20, "1m", "30d")).expect("valid");
    let mut session = Session::new(scenario)
        .expect("builds")
        .with_run_budget(events_budget(20_000));
    let report = session.run_until(SimTime(400 * DAY_MS));
    let bound = RunBound::EventsKept { max: 20_000 };
    assert_eq!(report.bound, Some(bound));
    assert_eq!(session.run_bound(), Some(bound));
    let (stopped_at, trace) = (session.world().now(), session.world().trace());
    // Back before the bound the run goes on again; forward again it stops at the same moment.
    session.seek(SimTime(60_000));
    assert_eq!(session.run_bound(), None);
    session.step();
    assert_eq!(session.run_bound(), None);
    session.seek(SimTime(30 * DAY_MS));
    assert_eq!(session.run_bound(), Some(bound));
    assert_eq!(session.world().now(), stopped_at);
    assert!(session.head() <= SimTime(30 * DAY_MS));
    // The step given at 1:00 cut the future off; the replay reaches the same trace anyway
    // (a step is a run of wake-ups in order).
    assert_eq!(session.world().trace(), trace);
    // A seek started elsewhere (the app's page or worker) and finished at the bound leaves the
    // session's clock where the world stopped, so later inputs keep the tape in time order.
    session.seek(SimTime(60_000));
    let mut world = session
        .seek_start(SimTime(30 * DAY_MS))
        .expect("a forward seek");
    world.run_until(SimTime(30 * DAY_MS));
    session.finish_seek(world, SimTime(30 * DAY_MS));
    assert_eq!(session.world().now(), stopped_at);
    assert_eq!(
        session.tape_to_cursor().last(),
        Some(&flotilla_core::session::Op::RunUntil {
            at_ms: stopped_at.as_ms()
        })
    );
}

/// `path: message` of the first problem, or "accepted".
fn first_problem(text: &str) -> String {
    match parse_scenario(text) {
        Ok(_) => "accepted".into(),
        Err(errors) => errors[0].to_string(),
    }
}

#[test]
fn the_tasks_a_scenario_asks_for_in_all_are_limited_with_the_figure_in_the_error() {
    let many = |services: u32, tasks: u32| {
        let mut value: serde_json::Value =
            serde_json::from_str(&crash_loop(services, tasks, "1m", "1h")).expect("JSON");
        value
            .as_object_mut()
            .expect("object")
            .remove("revisionBehaviour");
        value
    };
    // 100 services of 100,000 tasks: each under its own limit, 10,000,000 in all.
    expect_test::expect!["services: the services ask for 10000000 tasks in all (each service at its largest desiredCount, timeline included); the limit is 1000000 tasks across services, the most a run in a browser tab is built for"]
        .assert_eq(&first_problem(&many(100, 100_000).to_string()));
    // C1M itself is accepted.
    assert_eq!(first_problem(&many(10, 100_000).to_string()), "accepted");
    // A timeline scale-up counts at its largest, and a DAEMON service one task per instance.
    let mut scaled = many(10, 100_000);
    scaled["services"][0]["desiredCount"] = serde_json::json!(10);
    scaled["timeline"] = serde_json::json!([{"at": "1m", "action": {"updateService": {"service": "s0", "desiredCount": 100_000}}}]);
    assert_eq!(first_problem(&scaled.to_string()), "accepted");
    (scaled["taskDefinitions"].as_array_mut().expect("list")).push(serde_json::json!(
        {"family": "d", "containerDefinitions": [{"name": "app", "image": "x", "memory": 16}]}
    ));
    (scaled["services"].as_array_mut().expect("list")).push(serde_json::json!(
        {"serviceName": "d", "taskDefinition": "d:1", "schedulingStrategy": "DAEMON"}
    ));
    expect_test::expect!["services: the services ask for 1000030 tasks in all (1000000 for REPLICA services at their largest desiredCount, timeline included, and 30 for 1 DAEMON service on 30 instances); the limit is 1000000 tasks across services, the most a run in a browser tab is built for"]
        .assert_eq(&first_problem(&scaled.to_string()));

    // A scale-up applied to the running world is held to the same total.
    let mut text = many(12, 90_000);
    text["services"][0]["desiredCount"] = serde_json::json!(1);
    text["services"][1]["desiredCount"] = serde_json::json!(1);
    text["fleet"] = serde_json::json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 1}]);
    let scenario = parse_scenario(&text.to_string()).expect("900,002 tasks in all");
    let mut world = World::new(&scenario).expect("builds");
    let scale = |count: u32| {
        serde_json::from_value::<flotilla_core::Action>(
            serde_json::json!({"updateService": {"service": "s0", "desiredCount": count}}),
        )
        .expect("an action")
    };
    expect_test::expect![
        "desiredCount 100000 would make 1000001 tasks across services; the limit is 1000000"
    ]
    .assert_eq(&world.apply(&scale(100_000)).expect_err("over").0);
    world.apply(&scale(99_999)).expect("at the limit");
}

#[test]
fn fargate_is_refused_as_not_modelled_with_its_path() {
    let base: serde_json::Value =
        serde_json::from_str(flotilla_core::builtin::default_scenario().json).expect("JSON");
    let mut fargate = base.clone();
    fargate["taskDefinitions"][0]["requiresCompatibilities"] = serde_json::json!(["FARGATE"]);
    fargate["taskDefinitions"][0]["cpu"] = serde_json::json!("256");
    fargate["taskDefinitions"][0]["memory"] = serde_json::json!("4096");
    expect_test::expect!["taskDefinitions[0].requiresCompatibilities[0]: FARGATE is not modelled: the sandbox runs tasks on EC2 container instances only; use EC2 (or leave it out)"]
        .assert_eq(&first_problem(&fargate.to_string()));
    let mut launch = base.clone();
    launch["services"][0]["launchType"] = serde_json::json!("FARGATE");
    expect_test::expect!["services[0].launchType: FARGATE is not modelled: the sandbox runs tasks on EC2 container instances only; use EC2 (or leave it out)"]
        .assert_eq(&first_problem(&launch.to_string()));
    let mut unknown = base.clone();
    unknown["taskDefinitions"][0]["requiresCompatibilities"] = serde_json::json!(["EC2", "EC3"]);
    expect_test::expect![[r#"taskDefinitions[0].requiresCompatibilities[1]: unknown compatibility "EC3"; expected EC2 (FARGATE and EXTERNAL are not modelled)"#]]
        .assert_eq(&first_problem(&unknown.to_string()));
    let mut ec2 = base;
    ec2["taskDefinitions"][0]["requiresCompatibilities"] = serde_json::json!(["EC2"]);
    ec2["services"][0]["launchType"] = serde_json::json!("EC2");
    assert_eq!(first_problem(&ec2.to_string()), "accepted");
}

#[test]
fn import_keeps_a_fargate_document_for_ec2_and_says_so() {
    let documents = [
        (
            "td.json",
            r#"{"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
                "containerDefinitions": [{"name": "app", "image": "x", "essential": true}]}"#,
        ),
        (
            "svc.json",
            r#"{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2, "launchType": "FARGATE",
                "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-us-east-1a"]}}}"#,
        ),
    ];
    let mut into = flotilla_core::import::empty_scenario("imported");
    into.fleet = serde_json::from_value(
        serde_json::json!([{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]),
    )
    .expect("fleet");
    let outcome = flotilla_core::import::import(&into, &documents).expect("imports");
    let notes: Vec<String> = outcome.notes.iter().map(|n| n.to_string()).collect();
    expect_test::expect![[r#"
        [
            "td.json: requiresCompatibilities: UNSUPPORTED, dropped: FARGATE is not modelled: the sandbox runs tasks on EC2 container instances only; use EC2 (or leave it out); the task definition is imported for EC2, where its task-level cpu and memory are charged on a container instance",
            "svc.json: launchType: UNSUPPORTED, dropped: FARGATE is not modelled: the sandbox runs tasks on EC2 container instances only; use EC2 (or leave it out); the service is imported with the EC2 launch type",
        ]
    "#]]
    .assert_debug_eq(&notes);
    let definition = &outcome.scenario.task_definitions[0];
    assert!(definition.requires_compatibilities.is_empty());
    assert_eq!(definition.cpu.as_deref(), Some("256"));
    assert_eq!(outcome.scenario.services[0].launch_type, None);
    // What import prints, validate accepts.
    let text = serde_json::to_string(&outcome.scenario).expect("serialises");
    assert_eq!(first_problem(&text), "accepted");
}
