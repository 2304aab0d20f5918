//! Data-driven traces: every corpus scenario runs to its horizon (`duration`) and its trace
//! must equal `tests/corpus/expected/<name>.trace` (`expect_file!`; regenerate with
//! `UPDATE_EXPECT=1`).

use flotilla_tests::{corpus, repo_root, run_to_trace};

#[test]
fn every_corpus_scenario_matches_its_expected_trace() {
    let corpus = corpus();
    assert!(!corpus.is_empty(), "the corpus is empty");
    for (name, path) in corpus {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let trace = run_to_trace(&text);
        let expected = repo_root().join(format!("tests/corpus/expected/{name}.trace"));
        expect_test::expect_file![expected].assert_eq(&trace);
    }
}

/// The wasm test (web/tests/browser.rs) compares the same traces in Chromium; it can only see
/// files it names, so every corpus scenario must be named there.
#[test]
fn browser_test_names_every_corpus_scenario() {
    let browser_test = std::fs::read_to_string(repo_root().join("web/tests/browser.rs"))
        .expect("web/tests/browser.rs");
    for (name, _) in corpus() {
        assert!(
            browser_test.contains(&format!("\"{name}\"")),
            "web/tests/browser.rs does not run corpus scenario {name}; add it to CORPUS there"
        );
    }
}

/// A corpus run stops at the scenario's `duration`, so each file names one rather than relying
/// on the default (an hour after the last timeline entry).
#[test]
fn every_corpus_scenario_names_its_duration() {
    for (name, path) in corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let scenario = flotilla_core::parse_scenario(&text).expect("corpus scenario is valid");
        assert!(
            scenario.duration.is_some(),
            "{name} has no \"duration\"; add one that covers its story"
        );
    }
}
