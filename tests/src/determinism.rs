//! Same scenario and seed → same trace; checkpoints replay identically; invariants hold after
//! every event across a sweep of seeds (the failing seed is printed), for the default scenario
//! and for every deployment and failure scenario of the corpus. Every run goes to the
//! scenario's horizon (`duration`), never "until the queue is empty".

use flotilla_core::builtin::default_scenario;
use flotilla_core::{parse_scenario, trace_hash, SimTime, World};
use flotilla_tests::run_with_invariants;

fn default_world(seed: u64) -> World {
    let mut scenario = parse_scenario(default_scenario().json).expect("default scenario is valid");
    scenario.seed = seed;
    World::new(&scenario).expect("default scenario builds a world")
}

/// Where runs of the default scenario stop.
fn horizon() -> SimTime {
    parse_scenario(default_scenario().json)
        .expect("default scenario is valid")
        .horizon()
}

#[test]
fn same_seed_gives_the_same_trace_hash() {
    let run = |seed| {
        let mut world = default_world(seed);
        world.run_until(horizon());
        trace_hash(&world.trace())
    };
    assert_eq!(run(7), run(7));
    assert_ne!(
        run(7),
        run(8),
        "different seeds should differ somewhere (tie-breaks are random)"
    );
}

#[test]
fn restoring_a_checkpoint_and_replaying_gives_the_identical_trace() {
    let mut reference = default_world(11);
    reference.run_until(horizon());
    let expected = reference.trace();

    let mut world = default_world(11);
    let mut checkpoints = Vec::new();
    while world.next_wakeup_at().is_some_and(|at| at <= horizon()) {
        world.run_until_partly(horizon(), 1, 0);
        if world.events().len().is_multiple_of(7) {
            checkpoints.push(world.checkpoint());
        }
    }
    world.run_until(horizon());
    assert_eq!(
        world.trace(),
        expected,
        "one wake-up at a time must equal running to the horizon"
    );
    assert!(checkpoints.len() > 3);
    for checkpoint in &checkpoints {
        world.restore(checkpoint);
        assert_eq!(world.now(), checkpoint.at());
        world.run_until(horizon());
        assert_eq!(
            world.trace(),
            expected,
            "replay from {} diverged",
            checkpoint.at()
        );
    }
}

#[test]
fn run_until_stops_the_clock_at_the_target() {
    let mut world = default_world(3);
    world.run_until(SimTime::from_secs(90));
    assert_eq!(world.now(), SimTime::from_secs(90));
    assert!(world
        .events()
        .iter()
        .all(|e| e.at <= SimTime::from_secs(90)));
    assert!(world
        .next_wakeup_at()
        .is_some_and(|t| t > SimTime::from_secs(90)));
}

fn seeds_to_sweep() -> u64 {
    std::env::var("FLOTILLA_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

#[test]
fn invariants_hold_after_every_event_for_many_seeds() {
    for seed in 0..seeds_to_sweep() {
        let mut world = default_world(seed);
        run_with_invariants(&mut world, horizon(), &format!("seed {seed}"));
        // Settled by the horizon: every service runs its desired count.
        for service in world.services() {
            let live = world
                .tasks()
                .iter()
                .filter(|t| {
                    t.service == Some(service.id)
                        && t.state == flotilla_core::task::TaskState::Running
                })
                .count() as u32;
            assert_eq!(
                live,
                service.desired_count,
                "seed {seed}: service {} did not settle by {}",
                service.name,
                horizon()
            );
        }
    }
}

/// The scheduler's invariants (no task placed on a DRAINING or gone instance, never more tasks
/// than maximumPercent allows, minimum healthy honoured unless reported, one lifecycle state per
/// task, no over-commit) after every event of every corpus scenario, over the seed sweep.
#[test]
fn scheduler_invariants_hold_in_every_corpus_scenario_for_many_seeds() {
    let seeds = seeds_to_sweep();
    for (name, path) in flotilla_tests::corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file");
        let template = parse_scenario(&text).expect("corpus scenario is valid");
        for seed in 0..seeds {
            let mut scenario = template.clone();
            scenario.seed = seed;
            let mut world = World::new(&scenario).expect("corpus scenario builds a world");
            run_with_invariants(
                &mut world,
                scenario.horizon(),
                &format!("{name}, seed {seed}"),
            );
        }
    }
}
