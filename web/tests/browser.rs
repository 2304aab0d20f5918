//! Browser tests (wasm-bindgen-test in headless Chromium): the core gives the same traces in
//! wasm as natively. Every corpus scenario is run here and compared with the expected trace
//! files the native corpus test checks, so native and wasm agree line for line.

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
];

#[wasm_bindgen_test]
fn corpus_traces_match_native() {
    for (name, text, expected) in CORPUS {
        let scenario = parse_scenario(text).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        let mut world = World::new(&scenario).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        let report = world.run_until_idle();
        assert!(!report.bounded, "{name}: run hit the wake-up bound");
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
