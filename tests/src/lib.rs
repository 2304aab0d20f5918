//! Shared helpers for Flotilla's integration tests: where the scenario corpus lives, running a
//! scenario to its trace, and comparing text against expected files (`UPDATE_EXPECT=1` rewrites
//! them instead of failing).

use flotilla_core::{parse_scenario, World};
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

/// Runs a scenario until nothing is left to happen and returns its trace.
pub fn run_to_trace(text: &str) -> String {
    let scenario =
        parse_scenario(text).unwrap_or_else(|errors| panic!("invalid scenario: {errors:?}"));
    let mut world = World::new(&scenario)
        .unwrap_or_else(|errors| panic!("world rejected scenario: {errors:?}"));
    let report = world.run_until_idle();
    assert!(!report.bounded, "run hit the wake-up bound");
    world.trace()
}

/// Compares `actual` with the file; with `UPDATE_EXPECT=1` writes it instead.
pub fn assert_matches_file(actual: &str, path: &Path) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the run, first at line {}:\n  expected: {}\n  actual:   {}\n(rerun with UPDATE_EXPECT=1 to accept the new output)",
            path.display(),
            first_difference + 1,
            expected.lines().nth(first_difference).unwrap_or("<end of file>"),
            actual.lines().nth(first_difference).unwrap_or("<end of output>"),
        );
    }
}
