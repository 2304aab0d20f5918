//! Registering revisions from a timeline or the UI: `registerTaskDefinition` with task-level
//! cpu/memory (the new revision charges them at placement) and with its own behaviour; bad
//! values are errors with their path, never a silently ignored member.

use flotilla_core::{parse_scenario, Action, SimTime, World};
use flotilla_tests::errors_of;
use serde_json::{json, Value};

/// Six m5.large (7985 MiB registered each) running `web` (512 MiB) on three of them.
fn scenario(timeline: Value) -> String {
    json!({
        "version": 1, "name": "taskdefs", "seed": 7,
        "fleet": [
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 3},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 3}
        ],
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 256, "memory": 512}]}
        ],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 3}],
        "timeline": timeline
    })
    .to_string()
}

#[test]
fn bad_task_level_cpu_and_memory_in_a_timeline_are_named_with_their_path() {
    let text = scenario(json!([
        {"at": "1m", "action": {"registerTaskDefinition": {"family": "web", "cpu": "64", "memory": "lots"}}}
    ]));
    expect_test::expect![[r#"
        timeline[0].action.registerTaskDefinition.cpu: cpu 64 units is outside the supported range 128-196608
        timeline[0].action.registerTaskDefinition.memory: memory "lots" is not a number of MiB ("1024") or GB ("1 GB")"#]]
    .assert_eq(&errors_of(&text));
    let text = scenario(json!([
        {"at": "1m", "action": {"registerTaskDefinition": {"family": "web", "memroy": "1024"}}}
    ]));
    expect_test::expect!["timeline[0].action.registerTaskDefinition.memroy: unknown field; expected one of family, images, cpu, memory, behaviour"]
        .assert_eq(&errors_of(&text));
}

#[test]
fn a_revision_registered_with_more_memory_is_charged_it_and_fewer_tasks_fit() {
    let text = scenario(json!([
        {"at": "1m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}, "memory": "7 GB"}}},
        {"at": "1m", "action": {"updateService": {"service": "web", "taskDefinition": "web:2", "desiredCount": 7}}}
    ]));
    let scenario = parse_scenario(&text).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(SimTime::from_secs(600));
    world.check_invariants().expect("invariants hold");
    let trace = world.trace();
    assert!(
        trace.contains("action registerTaskDefinition web web=web:2 memory=7 GB"),
        "the action names what it changed:\n{trace}"
    );
    // 7168 MiB per task: one per instance (beside a 512 MiB web:1 task at most), so six of
    // the seven desired web:2 tasks run.
    let running = world
        .tasks()
        .iter()
        .filter(|t| {
            t.state == flotilla_core::task::TaskState::Running
                && t.task_definition.to_string() == "web:2"
        })
        .count();
    assert_eq!(running, 6, "{trace}");
    assert!(
        trace.contains("has insufficient memory available"),
        "the seventh task cannot be placed:\n{trace}"
    );
    let web2 = world
        .task_definitions()
        .resolve("web:2")
        .expect("registered");
    assert_eq!(
        world
            .task_definitions()
            .get(&web2)
            .unwrap()
            .memory
            .as_deref(),
        Some("7 GB")
    );
}

#[test]
fn a_bad_register_action_from_the_ui_is_refused_and_changes_nothing() {
    let scenario = parse_scenario(&scenario(json!([]))).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(SimTime::from_secs(60));
    let events = world.events().len();
    let action: Action = serde_json::from_value(
        json!({"registerTaskDefinition": {"family": "web", "cpu": "1 vCPU", "memory": "0"}}),
    )
    .expect("the shape is right");
    let error = world.apply(&action).expect_err("memory 0 is refused");
    expect_test::expect!["memory: memory must be greater than 0"].assert_eq(&error.to_string());
    assert_eq!(world.events().len(), events, "nothing was recorded");
}
