//! Compile once: every built-in and corpus scenario compiles, and the compiled model holds
//! exactly what `World::new` builds from the file today (instances, revisions, services with
//! their parsed placement, the timeline), so the world can take the model instead of parsing
//! again. Also: a bad `duration` is a problem with its path; `validate` is compile's problems.

use flotilla_core::behaviour::{Behaviour, RevisionBehaviour};
use flotilla_core::scenario::{compile, validate, CompiledScenario};
use flotilla_core::taskdef::TaskDefinitionRef;
use flotilla_core::{parse_scenario, Scenario, SimTime, World};

fn compiled(name: &str, scenario: &Scenario) -> CompiledScenario {
    compile(scenario).unwrap_or_else(|problems| panic!("{name} does not compile: {problems:?}"))
}

#[test]
fn every_builtin_and_corpus_scenario_compiles_to_what_the_world_builds() {
    for (name, path) in flotilla_tests::corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let scenario = parse_scenario(&text).expect("corpus scenario is valid");
        let model = compiled(&name, &scenario);
        let world = World::new(&scenario).expect("corpus scenario builds a world");

        assert_eq!(model.name, scenario.name, "{name}");
        assert_eq!(model.seed, scenario.seed, "{name}");
        assert_eq!(model.horizon, scenario.horizon(), "{name}");

        let instances: Vec<(&str, &str, bool, Option<&str>)> = model
            .fleet
            .iter()
            .flat_map(|entry| {
                let one = (
                    entry.instance_type.name,
                    entry.availability_zone.as_str(),
                    entry.agent_connected,
                    Some(entry.ami_id.as_str()),
                );
                std::iter::repeat_n(one, entry.count as usize)
            })
            .collect();
        let registered: Vec<(&str, &str, bool, Option<&str>)> = world
            .instances()
            .iter()
            .map(|i| {
                (
                    i.instance_type.name,
                    i.availability_zone.as_str(),
                    i.agent_connected,
                    i.attributes.get("ecs.ami-id").map(String::as_str),
                )
            })
            .collect();
        assert_eq!(instances, registered, "{name}: fleet");

        let mut revisions: Vec<_> = model.task_definitions.clone();
        revisions.sort_by(|a, b| a.0.cmp(&b.0));
        let registry: Vec<_> = world
            .task_definitions()
            .iter()
            .map(|(reference, definition)| (reference, definition.clone()))
            .collect();
        assert_eq!(revisions, registry, "{name}: task definitions");

        assert_eq!(model.services.len(), world.services().len(), "{name}");
        for (compiled, service) in model.services.iter().zip(world.services()) {
            let what = format!("{name}: service {}", service.name);
            assert_eq!(compiled.definition, service.definition, "{what}");
            assert_eq!(compiled.task_definition, service.task_definition, "{what}");
            assert_eq!(compiled.desired_count, service.desired_count, "{what}");
            assert_eq!(compiled.constraints, service.constraints, "{what}");
            assert_eq!(compiled.strategies, service.strategies, "{what}");
            assert_eq!(
                compiled.scheduling_strategy, service.scheduling_strategy,
                "{what}"
            );
            assert_eq!(
                compiled.deployment_configuration, service.deployment_configuration,
                "{what}"
            );
            assert_eq!(
                compiled.health_check_grace_period_ms, service.health_check_grace_period_ms,
                "{what}"
            );
        }

        assert_eq!(model.timeline.len(), scenario.timeline.len(), "{name}");
        for (scheduled, entry) in model.timeline.iter().zip(&scenario.timeline) {
            assert_eq!(scheduled.action, entry.action, "{name}");
            assert_eq!(
                Ok(scheduled.at.as_ms()),
                flotilla_core::time::parse_duration(&entry.at),
                "{name}"
            );
        }
        for (index, entry) in scenario.revision_behaviour.iter().enumerate() {
            let resolved = world
                .task_definitions()
                .resolve(&entry.task_definition)
                .expect("behaviour names a revision");
            assert!(
                model.behaviours.contains_key(&resolved),
                "{name}: revisionBehaviour[{index}] is not in the model"
            );
        }
    }
}

#[test]
fn the_model_keeps_parsed_behaviours_in_milliseconds() {
    let mut scenario =
        parse_scenario(flotilla_core::builtin::default_scenario().json).expect("valid");
    let family = scenario.task_definitions[0].family.clone();
    scenario.revision_behaviour = vec![RevisionBehaviour {
        task_definition: format!("{family}:1"),
        start_time: Some("1m30s".into()),
        stop_time: None,
        crash_rate_percent: Some(5),
        health_check_failure_percent: None,
        crash_after: Some("45s".into()),
        error_rate_percent: None,
        latency_ms: None,
        cpu_per_request_ms: None,
    }];
    let model = compiled("behaviour", &scenario);
    let reference = TaskDefinitionRef {
        family: family.into(),
        revision: 1,
    };
    assert_eq!(
        model.behaviours.get(&reference),
        Some(&Behaviour {
            start_ms: 90_000,
            crash_rate_percent: 5,
            crash_after_ms: Some(45_000),
            ..Behaviour::default()
        })
    );
    assert_eq!(model.behaviours.len(), 1);
}

fn with_duration(duration: &str) -> Scenario {
    let mut scenario =
        parse_scenario(flotilla_core::builtin::default_scenario().json).expect("valid");
    scenario.duration = Some(duration.to_string());
    scenario
}

#[test]
fn duration_is_the_horizon_and_a_bad_one_is_a_problem_with_its_path() {
    let scenario = with_duration("25m");
    assert_eq!(
        compiled("25m", &scenario).horizon,
        SimTime::from_secs(25 * 60)
    );
    for (duration, message) in [
        (
            "0s",
            "duration: must be longer than 0s: it is how long a run of the scenario lasts",
        ),
        ("31d", "duration: \"31d\" is longer than the limit of 30d"),
        (
            "10",
            "duration: missing unit after 10 in duration \"10\"; use ms, s, m, h or d",
        ),
    ] {
        let problems: Vec<String> = validate(&with_duration(duration))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(problems, [message], "duration {duration}");
    }
}

#[test]
fn without_duration_a_run_lasts_an_hour_after_the_last_timeline_entry() {
    let mut scenario =
        parse_scenario(flotilla_core::builtin::default_scenario().json).expect("valid");
    scenario.duration = None;
    let last_ms = scenario
        .timeline
        .iter()
        .map(|entry| flotilla_core::time::parse_duration(&entry.at).expect("valid"))
        .max()
        .expect("the default scenario has a timeline");
    assert_eq!(
        compiled("no duration", &scenario).horizon,
        SimTime(last_ms + 3_600_000)
    );
    scenario.timeline.clear();
    assert_eq!(
        compiled("no timeline", &scenario).horizon,
        SimTime(3_600_000)
    );
}

#[test]
fn a_duration_of_the_wrong_type_is_named_by_its_path() {
    let mut value: serde_json::Value =
        serde_json::from_str(flotilla_core::builtin::default_scenario().json).expect("JSON");
    value["duration"] = serde_json::json!(600);
    let problems: Vec<String> = parse_scenario(&value.to_string())
        .expect_err("a number is not a duration")
        .iter()
        .map(ToString::to_string)
        .collect();
    expect_test::expect![[r#"["duration: expected a string, found the number 600"]"#]]
        .assert_eq(&format!("{problems:?}"));
}
