//! The task-definition editor's draft (native): a revision read
//! into the form and saved gives the family's next revision with the same members (including
//! the ones the form does not show), its services moved and its behaviour; errors are keyed by
//! the core's path, one per field; a behaviour set in place registers nothing.

use flotilla_app::taskdef_draft::{PortDraft, TaskDefDraft, GENERAL};
use flotilla_core::parse_scenario;
use flotilla_core::Scenario;

fn scenario() -> Scenario {
    parse_scenario(
        r#"{"version": 1, "name": "drafts", "seed": 1,
        "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}],
        "taskDefinitions": [
          {"family": "web", "networkMode": "bridge", "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1a"}],
           "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 256, "memory": 1024, "memoryReservation": 512, "stopTimeout": 60,
             "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp", "name": "http"}],
             "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"], "interval": 10, "retries": 2}}]}
        ],
        "revisionBehaviour": [{"taskDefinition": "web:1", "startTime": "20s"}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2}]}"#,
    )
    .expect("valid test scenario")
}

#[test]
fn an_unchanged_revision_saves_as_the_next_one_with_every_member_kept() {
    let scenario = scenario();
    let draft = TaskDefDraft::from_revision(&scenario, "web:1").expect("web:1 exists");
    let saved = draft.register_in(&scenario).expect("no errors");
    assert_eq!(saved.revision, "web:2");
    assert_eq!(saved.scenario.task_definitions.len(), 2);
    assert_eq!(
        saved.scenario.task_definitions[1], scenario.task_definitions[0],
        "placement constraints, stopTimeout and the port name are carried over"
    );
    assert_eq!(saved.scenario.services[0].task_definition, "web:2");
    let behaviour = saved.scenario.revision_behaviour.last().unwrap();
    assert_eq!(behaviour.task_definition, "web:2");
    assert_eq!(behaviour.start_time.as_deref(), Some("20s"));
    let reread = TaskDefDraft::from_revision(&saved.scenario, "web:2").unwrap();
    assert_eq!(
        TaskDefDraft {
            base: "web:1".into(),
            ..reread
        },
        draft
    );

    let mut keep_services = draft.clone();
    keep_services.update_services = false;
    let saved = keep_services.register_in(&scenario).unwrap();
    assert_eq!(saved.scenario.services[0].task_definition, "web:1");
}

#[test]
fn errors_are_keyed_by_the_field_and_a_bad_number_is_reported_once() {
    // The form's own errors come first (numbers, then the behaviour), then the core's.
    let scenario = scenario();
    let mut draft = TaskDefDraft::from_revision(&scenario, "web:1").unwrap();
    draft.containers[0].memory = "abc".into();
    draft.containers[0].memory_reservation = String::new();
    draft.containers[0].ports.push(PortDraft {
        container_port: "99999".into(),
        host_port: String::new(),
        protocol: "tcp".into(),
    });
    draft.containers[0].health.timeout = "90".into();
    draft.behaviour.crash_rate_percent = "101".into();
    draft.cpu = "lots".into();
    let errors = draft.register_in(&scenario).expect_err("bad values");
    let keyed: Vec<(String, String)> = errors.into_iter().map(|e| (e.field, e.message)).collect();
    assert_eq!(
        keyed,
        vec![
            (
                "containerDefinitions[0].portMappings[1].containerPort".to_string(),
                "must be a port number from 1 to 65535, found \u{201c}99999\u{201d}".to_string()
            ),
            (
                "containerDefinitions[0].memory".to_string(),
                "must be a whole number of MiB, found \u{201c}abc\u{201d}".to_string()
            ),
            (
                "behaviour.crashRatePercent".to_string(),
                "must be a whole number from 0 to 100, found 101".to_string()
            ),
            (
                "cpu".to_string(),
                "cpu \"lots\" is not a number of CPU units (\"512\") or vCPUs (\"1 vCPU\")"
                    .to_string()
            ),
            (
                "containerDefinitions[0].healthCheck.timeout".to_string(),
                "must be a whole number from 2 to 60 seconds, found 90".to_string()
            ),
        ]
    );
}

#[test]
fn health_check_commands_read_as_typed() {
    let scenario = scenario();
    let mut draft = TaskDefDraft::from_revision(&scenario, "web:1").unwrap();
    assert_eq!(
        draft.containers[0].health.command,
        "CMD-SHELL curl -f http://localhost:8080/ || exit 1"
    );
    draft.containers[0].health.command = "CMD /bin/check --quick".into();
    let saved = draft.register_in(&scenario).unwrap();
    let check = saved.scenario.task_definitions[1].container_definitions[0]
        .health_check
        .clone()
        .unwrap();
    assert_eq!(check.command, ["CMD", "/bin/check", "--quick"]);
    draft.containers[0].health.command = "curl localhost".into();
    let errors = draft.register_in(&scenario).unwrap_err();
    assert_eq!(
        errors[0].field,
        "containerDefinitions[0].healthCheck.command"
    );
    // A command cleared while other members stay typed is an error, never a silent drop of
    // (say) an interval of 1 s the core would refuse.
    draft.containers[0].health.command = String::new();
    draft.containers[0].health.interval = "1".into();
    let errors = draft.register_in(&scenario).unwrap_err();
    let keyed: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert!(keyed.contains(&(
        "containerDefinitions[0].healthCheck.command",
        "a health check needs a command; for none, clear interval, timeout, retries and start period too"
    )));
    assert!(keyed.contains(&(
        "containerDefinitions[0].healthCheck.interval",
        "must be a whole number from 5 to 300 seconds, found 1"
    )));
    let health = &mut draft.containers[0].health;
    for member in [
        &mut health.interval,
        &mut health.timeout,
        &mut health.retries,
        &mut health.start_period,
    ] {
        member.clear();
    }
    let saved = draft.register_in(&scenario).unwrap();
    assert_eq!(
        saved.scenario.task_definitions[1].container_definitions[0].health_check, None,
        "an empty health check (every member cleared) means none"
    );
}

#[test]
fn a_behaviour_set_in_place_registers_no_revision_and_a_new_family_starts_at_one() {
    let scenario = scenario();
    let mut draft = TaskDefDraft::from_revision(&scenario, "web:1").unwrap();
    draft.behaviour.crash_after = "30s".into();
    let saved = draft.set_behaviour_in(&scenario).unwrap();
    assert_eq!(saved.revision, "web:1");
    assert_eq!(saved.scenario.task_definitions, scenario.task_definitions);
    assert_eq!(
        saved.scenario.revision_behaviour.len(),
        1,
        "replaced, not added"
    );
    assert_eq!(
        saved.scenario.revision_behaviour[0].crash_after.as_deref(),
        Some("30s")
    );

    let mut fresh = TaskDefDraft::new_family();
    assert_eq!(
        fresh.set_behaviour_in(&scenario).unwrap_err()[0].field,
        GENERAL
    );
    fresh.family = "worker".into();
    let saved = fresh.register_in(&scenario).unwrap();
    assert_eq!(saved.revision, "worker:1");
    assert!(
        saved.scenario.revision_behaviour.len() == 1,
        "no behaviour entry when all defaults"
    );
}
