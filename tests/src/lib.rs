//! Shared helpers for Flotilla's integration tests: where the scenario corpus lives, running a
//! scenario to its horizon (its trace, or with the invariants checked after every event), the
//! problems of one that must be rejected (`errors_of`);
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
    corpus_with_scale()
        .into_iter()
        .filter(|(name, _)| !SCALE_SCENARIOS.contains(&name.as_str()))
        .collect()
}

/// Built-ins too large for a pinned trace and for the per-event sweeps over every corpus
/// scenario (10,000 services: about 90,000 events): `create_service.rs` pins each by a
/// [`trace_summary`] in `tests/corpus/expected/<name>.summary` instead.
pub const SCALE_SCENARIOS: [&str; 1] = ["discovery-at-scale"];

/// A run's summary, for scenarios too large to pin whole: the trace's fingerprint and length,
/// events per category, and every action, desired-count change and traffic line (each minute's
/// totals and any hazard) as the trace words them.
pub fn trace_summary(world: &World) -> String {
    let trace = world.trace();
    let mut out = format!(
        "trace {:016x}, {} lines, {} bytes\n",
        flotilla_core::world::trace_hash(&trace),
        trace.lines().count(),
        trace.len()
    );
    let mut categories: std::collections::BTreeMap<String, u64> = Default::default();
    for event in world.events().iter() {
        *categories
            .entry(format!("{:?}", event.kind.category()))
            .or_default() += 1;
    }
    for (category, count) in categories {
        out.push_str(&format!("{category}: {count} events\n"));
    }
    for event in world.events().iter() {
        use flotilla_core::event::EventKind;
        if matches!(
            event.kind,
            EventKind::ActionApplied { .. }
                | EventKind::ActionRejected { .. }
                | EventKind::DesiredCountChanged { .. }
                | EventKind::Traffic(_)
        ) {
            out.push_str(&world.trace_line(event));
            out.push('\n');
        }
    }
    out
}

/// Every corpus scenario, the scale built-ins included.
pub fn corpus_with_scale() -> Vec<(String, PathBuf)> {
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
/// `path: message` lines for a scenario that must be rejected (panics, quoting its start, if
/// it was accepted).
pub fn errors_of(text: &str) -> String {
    match parse_scenario(text) {
        Ok(_) => panic!("scenario was accepted:\n{}", &text[..text.len().min(300)]),
        Err(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

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
