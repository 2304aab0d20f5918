//! "Next decision" (`World::step_to_next_decision`): it is exactly a run of steps that ends at
//! the first wake-up recording a decision, it never skips one, and its bounds (nothing left,
//! the one-hour horizon) stop it where the UI says.

use flotilla_core::builtin::{default_scenario, find};
use flotilla_core::world::DECISION_HORIZON_MS;
use flotilla_core::{parse_scenario, DecisionStop, SimTime, World};

fn world(json: &str) -> World {
    let scenario = parse_scenario(json).expect("valid scenario");
    World::new(&scenario).expect("world builds")
}

#[test]
fn next_decision_from_the_start_lands_on_the_first_placement() {
    let mut world = world(default_scenario().json);
    let before = world.events().len();
    let report = world.step_to_next_decision();
    assert_eq!(report.stop, DecisionStop::Decision);
    let new = world.events().range(before..);
    assert_eq!(report.events as usize, new.len());
    let first_decision = new
        .iter()
        .position(|e| e.kind.is_decision())
        .expect("a decision was recorded");
    assert!(
        matches!(
            new[first_decision].kind,
            flotilla_core::EventKind::TaskPlaced { .. }
        ),
        "the first decision of the default scenario is a placement: {:?}",
        new[first_decision]
    );
    assert_eq!(world.now(), new.last().expect("events").at);
}

#[test]
fn next_decision_equals_stepping_until_a_decision() {
    let json = find("rolling-fast").expect("built-in").json;
    let mut by_decision = world(json);
    let mut by_steps = world(json);
    for round in 0..400 {
        let report = by_decision.step_to_next_decision();
        if report.stop != DecisionStop::Decision {
            assert_eq!(report.stop, DecisionStop::Idle, "round {round}");
            assert!(
                by_steps.step().is_empty(),
                "stepping found more at round {round}"
            );
            break;
        }
        // The same wake-ups by single steps: stop at the first step that decided something.
        loop {
            let decided = by_steps.step().iter().any(|e| e.kind.is_decision());
            if decided {
                break;
            }
        }
        assert_eq!(by_decision.now(), by_steps.now(), "round {round}");
        assert_eq!(by_decision.trace(), by_steps.trace(), "round {round}");
        by_decision
            .check_invariants()
            .unwrap_or_else(|broken| panic!("round {round}: {broken}"));
    }
    let mut idle = world(json);
    idle.run_until_idle();
    assert_eq!(
        by_decision.trace(),
        idle.trace(),
        "decisions ran the whole run"
    );
}

#[test]
fn nothing_left_to_happen_leaves_the_clock_where_it_is() {
    let mut world = world(
        r#"{"version": 1, "name": "empty", "seed": 1,
            "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}]}"#,
    );
    world.run_until_idle();
    let now = world.now();
    let report = world.step_to_next_decision();
    assert_eq!(report.stop, DecisionStop::Idle);
    assert_eq!((report.wakeups, report.events), (0, 0));
    assert_eq!(world.now(), now);
}

#[test]
fn a_decision_beyond_the_horizon_moves_the_clock_an_hour_at_a_time() {
    // Steady after a minute; the next decision is the scale-out at 2 h 30 m.
    let mut world = world(
        r#"{"version": 1, "name": "late", "seed": 1,
            "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}],
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web:1", "cpu": 256, "memory": 256}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 1}],
            "timeline": [{"at": "2h30m", "action": {"updateService": {"service": "web", "desiredCount": 2}}}]}"#,
    );
    world.run_until(SimTime(10 * 60 * 1000));
    let start = world.now();
    let report = world.step_to_next_decision();
    assert_eq!(report.stop, DecisionStop::Horizon);
    assert_eq!(world.now(), start.plus_ms(DECISION_HORIZON_MS));
    assert_eq!(
        world.step_to_next_decision().stop,
        DecisionStop::Horizon,
        "1 h 10 m → 2 h 10 m"
    );
    let report = world.step_to_next_decision();
    assert_eq!(
        report.stop,
        DecisionStop::Decision,
        "the scale-out at 2 h 30 m"
    );
    assert!(world.now() >= SimTime(150 * 60 * 1000));
    assert!(
        world.trace().contains("has started 1 tasks"),
        "{}",
        world.trace()
    );
}
