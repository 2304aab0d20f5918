//! Architectural boundaries that the house style writes as absences: flotilla-core (and the app
//! model, flotilla-app) depends on no browser crate and does no I/O, reads no clock and uses no
//! hash containers; the app's initial download leaves export and import to the exchange module
//! and link compression to the browser.

use flotilla_tests::repo_root;
use std::collections::BTreeSet;

const BROWSER_CRATES: [&str; 7] = [
    "wasm-bindgen",
    "js-sys",
    "web-sys",
    "gloo",
    "yew",
    "serde-wasm-bindgen",
    "wasm-bindgen-test",
];

/// Every file under `dirs` (relative to the repository), module directories included.
fn source_files(dirs: &[&str]) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut dirs: Vec<_> = dirs.iter().map(|dir| repo_root().join(dir)).collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Fails when the code (not the comments) of a file under app/src or web/src names one of
/// `forbidden`; with `skip_tests`, a file's `#[cfg(test)]` part and what follows are not read.
fn app_code_never_names(forbidden: &[&str], skip_tests: bool) {
    code_never_names(&["app/src", "web/src"], forbidden, skip_tests);
}

/// [`app_code_never_names`] over the files under `dirs`.
fn code_never_names(dirs: &[&str], forbidden: &[&str], skip_tests: bool) {
    let files = source_files(dirs);
    assert!(files.len() > 20, "the walk found {dirs:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file");
        let code_part = if skip_tests {
            text.split("#[cfg(test)]").next().unwrap_or_default()
        } else {
            &text
        };
        for line in code_part.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "{} uses {word}: {line}",
                    path.display()
                );
            }
        }
    }
}

/// Walks Cargo.lock from flotilla-core and flotilla-app (the app model, tested natively)
/// through their dependencies.
#[test]
fn core_depends_on_no_browser_crate() {
    let lock =
        std::fs::read_to_string(repo_root().join("Cargo.lock")).expect("Cargo.lock is committed");
    let mut packages: Vec<(String, Vec<String>)> = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let name = block
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_string())
            .expect("every package has a name");
        let mut dependencies = Vec::new();
        if let Some(start) = block.find("dependencies = [") {
            for line in block[start..].lines().skip(1) {
                if line.starts_with(']') {
                    break;
                }
                let dependency = line.trim().trim_matches(|c| c == '"' || c == ',');
                dependencies.push(dependency.split(' ').next().unwrap_or_default().to_string());
            }
        }
        packages.push((name, dependencies));
    }
    let mut seen = BTreeSet::new();
    let mut stack = vec!["flotilla-core".to_string(), "flotilla-app".to_string()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        assert!(
            !BROWSER_CRATES.contains(&name.as_str()),
            "flotilla-core or flotilla-app depends on browser crate {name}"
        );
        for (package, dependencies) in &packages {
            if *package == name {
                stack.extend(dependencies.iter().cloned());
            }
        }
    }
    assert!(
        seen.contains("serde_json"),
        "the lock walk found core's dependencies"
    );
}

#[test]
fn core_source_does_no_io_and_reads_no_clock() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::io::stdin",
        "println!",
        "eprintln!",
        "Instant",
        "SystemTime",
        "thread_rng",
        "HashMap",
        "HashSet",
        "SmallRng",
        "StdRng",
    ];
    // Walk core/src and its module directories (export/, ...), not just the top level, and the
    // app model (app/src), which holds to the same absences.
    let files = source_files(&["core/src", "app/src"]);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file");
        assert!(
            text.starts_with("//!"),
            "{} must start with a //! module doc",
            path.display()
        );
        for word in forbidden {
            assert!(!text.contains(word), "{} uses {word}", path.display());
        }
    }
}

/// The app's initial download leaves export and import out: they live in the exchange module
/// (flotilla-exchange), which the app loads on first use. Of `flotilla_core::export` the app
/// keeps only the scenario file and its file name, which are plain serialisation.
#[test]
fn web_leaves_export_and_import_to_the_exchange_module() {
    let allowed = "use flotilla_core::export::{file_stem, scenario_file};";
    let forbidden = [
        "flotilla_core::import",
        "ecs_json(",
        "cloudformation(",
        "scenario_card(",
    ];
    let files = source_files(&["web/src"]);
    assert!(files.len() > 10, "the walk found web/src");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file");
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            assert!(
                !code.contains("flotilla_core::export") || line.trim() == allowed,
                "{} uses the core's export writers: {line}",
                path.display()
            );
            for word in forbidden {
                assert!(!code.contains(word), "{} uses {word}", path.display());
            }
        }
    }
}

/// The app carries no DEFLATE compressor: the browser compresses links
/// (`CompressionStream('deflate-raw')`, flotilla-web's `share.rs`), and flotilla-app only
/// inflates them. The app's tests compress with `miniz_oxide` (app/tests/).
#[test]
fn the_app_compresses_no_link_itself() {
    app_code_never_names(&["miniz_oxide::deflate", "deflate::compress"], false);
}

/// The app carries no DEFLATE inflater either: the browser inflates links
/// (`DecompressionStream('deflate-raw')`, flotilla-web's `share::browser_inflate`), so the
/// browser code never calls flotilla-app's `miniz_oxide` readers, which native callers use.
#[test]
fn the_app_inflates_no_link_itself() {
    let native_readers = [
        "unpack(",
        "decode_fragment(",
        "parse_lesson_link(",
        "share::inflate(",
        "miniz_oxide",
    ];
    code_never_names(&["web/src"], &native_readers, false);
}

/// The app carries the default scenario's text only: the other built-ins are fetched
/// (`dist/scenarios/<id>.json`) when the Library, a lesson or a game day names one, so the app's
/// code never refers to the list that holds every text (or to what reads it). Its tests may.
#[test]
fn the_app_carries_only_the_default_scenario_text() {
    let forbidden = [
        "BUILTIN_SCENARIOS",
        "builtin::find",
        "default_scenario()",
        "json_of",
        "lessons::parse_lesson(",
        "gameday::parse_gameday(",
        "check_lesson(",
        "check_gameday(",
    ];
    // A file's test module may use the compiled-in texts.
    app_code_never_names(&forbidden, true);
}
