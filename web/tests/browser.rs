//! Browser tests (wasm-bindgen-test in headless Chromium): the core gives the same traces in
//! wasm as natively. Every corpus scenario is run here and compared with the expected trace
//! files the native corpus test checks, so native and wasm agree line for line; and a long jump
//! in the page's shares (`jump::run_share`, `jump::Waypoints`) lands where the session's seek
//! does. The
//! session's own rewind tests are native (`core/src/session/tests.rs`), as are the link codec
//! and edit history (`app/tests/`).

use flotilla_core::{parse_scenario, trace_hash, World};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// (name, scenario, expected trace). The native test `browser_test_names_every_corpus_scenario`
/// fails if a corpus scenario is missing here.
const CORPUS: &[(&str, &str, &str)] = &[
    (
        "microservices",
        include_str!("../../core/scenarios/microservices.json"),
        include_str!("../../tests/corpus/expected/microservices.trace"),
    ),
    (
        "microservices-embed",
        include_str!("../../tests/corpus/microservices-embed.json"),
        include_str!("../../tests/corpus/expected/microservices-embed.trace"),
    ),
    (
        "placement",
        include_str!("../../core/scenarios/placement.json"),
        include_str!("../../tests/corpus/expected/placement.trace"),
    ),
    (
        "batch-jobs",
        include_str!("../../core/scenarios/batch-jobs.json"),
        include_str!("../../tests/corpus/expected/batch-jobs.trace"),
    ),
    (
        "standalone-instance-loss",
        include_str!("../../tests/corpus/standalone-instance-loss.json"),
        include_str!("../../tests/corpus/expected/standalone-instance-loss.trace"),
    ),
    (
        "unable-to-place-dedup",
        include_str!("../../tests/corpus/unable-to-place-dedup.json"),
        include_str!("../../tests/corpus/expected/unable-to-place-dedup.trace"),
    ),
    (
        "placement-s1_3-scale-in",
        include_str!("../../tests/corpus/placement-s1_3-scale-in.json"),
        include_str!("../../tests/corpus/expected/placement-s1_3-scale-in.trace"),
    ),
    (
        "placement-s1_3-strategies",
        include_str!("../../tests/corpus/placement-s1_3-strategies.json"),
        include_str!("../../tests/corpus/expected/placement-s1_3-strategies.trace"),
    ),
    (
        "placement-s1_4-constraints",
        include_str!("../../tests/corpus/placement-s1_4-constraints.json"),
        include_str!("../../tests/corpus/expected/placement-s1_4-constraints.trace"),
    ),
    (
        "placement-s1_5-batch",
        include_str!("../../tests/corpus/placement-s1_5-batch.json"),
        include_str!("../../tests/corpus/expected/placement-s1_5-batch.trace"),
    ),
    (
        "placement-s2_1-cpu-memory-gpu",
        include_str!("../../tests/corpus/placement-s2_1-cpu-memory-gpu.json"),
        include_str!("../../tests/corpus/expected/placement-s2_1-cpu-memory-gpu.trace"),
    ),
    (
        "placement-s2_3-ports",
        include_str!("../../tests/corpus/placement-s2_3-ports.json"),
        include_str!("../../tests/corpus/expected/placement-s2_3-ports.trace"),
    ),
    (
        "placement-s2_4-eni",
        include_str!("../../tests/corpus/placement-s2_4-eni.json"),
        include_str!("../../tests/corpus/expected/placement-s2_4-eni.trace"),
    ),
    (
        "rolling-minimal-cost",
        include_str!("../../core/scenarios/rolling-minimal-cost.json"),
        include_str!("../../tests/corpus/expected/rolling-minimal-cost.trace"),
    ),
    (
        "rolling-fast",
        include_str!("../../core/scenarios/rolling-fast.json"),
        include_str!("../../tests/corpus/expected/rolling-fast.trace"),
    ),
    (
        "cicd",
        include_str!("../../core/scenarios/cicd.json"),
        include_str!("../../tests/corpus/expected/cicd.trace"),
    ),
    (
        "daemon-drain",
        include_str!("../../tests/corpus/daemon-drain.json"),
        include_str!("../../tests/corpus/expected/daemon-drain.trace"),
    ),
    (
        "az-loss",
        include_str!("../../tests/corpus/az-loss.json"),
        include_str!("../../tests/corpus/expected/az-loss.trace"),
    ),
    (
        "deployment-deadlock",
        include_str!("../../tests/corpus/deployment-deadlock.json"),
        include_str!("../../tests/corpus/expected/deployment-deadlock.trace"),
    ),
    (
        "unhealthy-replacement",
        include_str!("../../tests/corpus/unhealthy-replacement.json"),
        include_str!("../../tests/corpus/expected/unhealthy-replacement.trace"),
    ),
    (
        "alarm-rollback",
        include_str!("../../tests/corpus/alarm-rollback.json"),
        include_str!("../../tests/corpus/expected/alarm-rollback.trace"),
    ),
    (
        "restart-backoff",
        include_str!("../../tests/corpus/restart-backoff.json"),
        include_str!("../../tests/corpus/expected/restart-backoff.trace"),
    ),
    (
        "discovery-registration-timing",
        include_str!("../../tests/corpus/discovery-registration-timing.json"),
        include_str!("../../tests/corpus/expected/discovery-registration-timing.trace"),
    ),
    (
        "discovery-deregistration-delay",
        include_str!("../../tests/corpus/discovery-deregistration-delay.json"),
        include_str!("../../tests/corpus/expected/discovery-deregistration-delay.trace"),
    ),
    (
        "discovery-fail-open",
        include_str!("../../tests/corpus/discovery-fail-open.json"),
        include_str!("../../tests/corpus/expected/discovery-fail-open.trace"),
    ),
    (
        "discovery-elb-unhealthy-replacement",
        include_str!("../../tests/corpus/discovery-elb-unhealthy-replacement.json"),
        include_str!("../../tests/corpus/expected/discovery-elb-unhealthy-replacement.trace"),
    ),
    (
        "traffic-deregistration-delay",
        include_str!("../../tests/corpus/traffic-deregistration-delay.json"),
        include_str!("../../tests/corpus/expected/traffic-deregistration-delay.trace"),
    ),
    (
        "blue-green-dns",
        include_str!("../../core/scenarios/blue-green-dns.json"),
        include_str!("../../tests/corpus/expected/blue-green-dns.trace"),
    ),
    (
        "discovery-create-service",
        include_str!("../../tests/corpus/discovery-create-service.json"),
        include_str!("../../tests/corpus/expected/discovery-create-service.trace"),
    ),
    (
        "traffic-weight-change",
        include_str!("../../tests/corpus/traffic-weight-change.json"),
        include_str!("../../tests/corpus/expected/traffic-weight-change.trace"),
    ),
    (
        "traffic-fail-open",
        include_str!("../../tests/corpus/traffic-fail-open.json"),
        include_str!("../../tests/corpus/expected/traffic-fail-open.trace"),
    ),
    (
        "discovery-multivalue-limit",
        include_str!("../../tests/corpus/discovery-multivalue-limit.json"),
        include_str!("../../tests/corpus/expected/discovery-multivalue-limit.trace"),
    ),
];

#[wasm_bindgen_test]
fn corpus_traces_match_native() {
    for (name, text, expected) in CORPUS {
        let scenario = parse_scenario(text).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        let mut world = World::new(&scenario).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        // To the horizon, as the native corpus runs: a scenario with traffic is never idle.
        let report = world.run_until(scenario.horizon());
        assert_eq!(report.bound, None, "{name}: run bound hit");
        let trace = world.trace();
        assert_eq!(
            trace_hash(&trace),
            trace_hash(expected),
            "{name}: wasm trace differs from the native expected trace"
        );
        assert_eq!(&trace, expected);
    }
}

#[wasm_bindgen_test]
fn malformed_scenarios_are_errors_not_panics_in_wasm() {
    for text in [
        "",
        "[",
        "{\"version\": 1}",
        "{\"version\": 1, \"name\": \"x\", \"seed\": -1, \"fleet\": []}",
    ] {
        assert!(parse_scenario(text).is_err(), "accepted {text:?}");
    }
}

/// Rewinding restores a checkpoint and replays the tape: going back and forth never changes
/// the run, and a fresh run fed the saved tape reaches the identical world.
#[wasm_bindgen_test]
fn jumps_in_shares_equal_seek_and_snapshots_are_exact() {
    use flotilla_core::SimTime;
    use flotilla_web::jump::{run_share, Share, Waypoints};
    use flotilla_web::run::Run;

    for (name, text, expected) in CORPUS {
        let scenario = parse_scenario(text).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        let mut world = World::new(&scenario).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        world.run_until(SimTime::from_secs(45));
        let mut restored = World::from_snapshot(&world.to_snapshot())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        restored.run_until(scenario.horizon());
        assert_eq!(
            &restored.trace(),
            expected,
            "{name}: snapshot at 45 s diverged"
        );
        let bytes = world.to_snapshot();
        assert!(World::from_snapshot(&bytes[..bytes.len() / 2]).is_err());
    }

    let scenario = parse_scenario(include_str!("../../core/scenarios/microservices.json"))
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let target = SimTime::from_secs(600);
    let mut direct = Run::new(scenario.clone()).unwrap_or_else(|e| panic!("{e}"));
    direct.seek(target);

    let mut handed_over = Run::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    let mut world = handed_over
        .seek_start(target)
        .expect("a forward seek from the start needs no replay");
    // The first share pauses after one wake-up (inside a moment if need be); the later shares,
    // of no wall time at all (one slice each, pausing inside moments too), do the rest.
    let slice = world.run_until_partly(target, 1, 0);
    assert_eq!(slice.end, flotilla_core::SliceEnd::Paused);
    let mut popped = slice.wakeups;
    // Waypoints taken on the way become checkpoints of the run (as the page keeps them while
    // the jump runs).
    let mut waypoints = Waypoints::every(world.events().len() as u64, 4);
    let (mut taken, mut shares) = (0, 0);
    while let Share::Unfinished { popped: so_far } = run_share(&mut world, target, 0.0, popped) {
        popped = so_far;
        shares += 1;
        if waypoints.take(&world) {
            handed_over.add_waypoint(world.clone());
            taken += 1;
        }
    }
    assert!(shares >= 20, "only {shares} shares");
    assert!(taken >= 5, "only {taken} waypoints");
    let fingerprints = (world.digest(), direct.world().digest());
    assert_eq!(
        fingerprints.0, fingerprints.1,
        "the digest of the world reached"
    );
    handed_over.finish_seek(world, target);
    assert_eq!(handed_over.world().trace(), direct.world().trace());
    assert_eq!(
        handed_over.world().to_snapshot(),
        direct.world().to_snapshot()
    );
    // Rewinds land on the same worlds whether they start from a waypoint or not.
    for secs in [50, 130, 45, 260, 410, 590, 20] {
        direct.seek(SimTime::from_secs(secs));
        handed_over.seek(SimTime::from_secs(secs));
        assert_eq!(
            handed_over.world().to_snapshot(),
            direct.world().to_snapshot(),
            "rewound to {secs} s"
        );
    }
    direct.seek(target);
    handed_over.seek(target);

    for run in [&mut direct, &mut handed_over] {
        run.step_back();
        run.seek(SimTime::from_secs(200));
        run.step();
        run.seek(SimTime::from_secs(700));
    }
    assert_eq!(handed_over.world().trace(), direct.world().trace());
    assert_eq!(handed_over.tape_to_cursor(), direct.tape_to_cursor());
}
