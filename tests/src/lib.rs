//! Shared helpers for Flotilla's integration tests: where the scenario corpus lives, running a
//! scenario to its horizon (its trace, or with the invariants checked after every event);
//! comparing traces with expected files is `corpus.rs`'s `expect_file!`.

use flotilla_core::{parse_scenario, SimTime, SliceEnd, World};
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository root")
        .to_path_buf()
}

/// Every scenario the corpus tests run: the built-ins and `tests/corpus/*.json`, sorted.
pub fn corpus() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for dir in [
        repo_root().join("core/scenarios"),
        repo_root().join("tests/corpus"),
    ] {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let name = path
                    .file_stem()
                    .expect("file name")
                    .to_string_lossy()
                    .into_owned();
                files.push((name, path));
            }
        }
    }
    files.sort();
    files
}

/// Runs a scenario to its horizon (`duration`) and returns its trace.
pub fn run_to_trace(text: &str) -> String {
    let scenario =
        parse_scenario(text).unwrap_or_else(|errors| panic!("invalid scenario: {errors:?}"));
    let mut world = World::new(&scenario)
        .unwrap_or_else(|errors| panic!("world rejected scenario: {errors:?}"));
    let report = world.run_until(scenario.horizon());
    assert_eq!(report.bound, None, "run bound hit");
    world.trace()
}

/// Runs `world` to `until` one wake-up at a time, exactly as `run_until(until)` would, and
/// checks `World::check_invariants` at the start and after every wake-up that recorded events.
/// A broken invariant panics with `context` (say, the scenario and seed) and the event after
/// which it broke. Returns the number of wake-ups.
pub fn run_with_invariants(world: &mut World, until: SimTime, context: &str) -> u64 {
    check_invariants(world, context);
    let mut wakeups = 0;
    loop {
        let report = world.run_until_partly(until, 1, wakeups);
        wakeups += report.wakeups;
        if report.events > 0 {
            check_invariants(world, context);
        }
        match report.end {
            SliceEnd::Reached => return wakeups,
            SliceEnd::Paused => {}
            SliceEnd::Bounded(bound) => panic!("{context}: at {}: {bound}", world.now()),
        }
    }
}

fn check_invariants(world: &World, context: &str) {
    if let Err(broken) = world.check_invariants() {
        match world.events().last() {
            Some(last) => panic!("{context}, after `{}`: {broken}", world.trace_line(last)),
            None => panic!("{context}, at start: {broken}"),
        }
    }
}
