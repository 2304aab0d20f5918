//! `flotilla check` end to end: every page of the documentation site (www/docs/) holds all of
//! its embeds' assertions — the docs build's test, run by `make test` — and its prose quotes
//! each of them; a page whose embed claims what its scenario does not show fails with the
//! page position, the moment and the evidence (exit 1); embeds that cannot be checked are
//! each reported with their place (exit 2).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `flotilla check` on the files: exit code, stdout, stderr.
fn check(files: &[PathBuf]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_flotilla"))
        .arg("check")
        .args(files)
        .output()
        .expect("the flotilla binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn docs_pages() -> Vec<PathBuf> {
    let directory = repository().join("www/docs");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&directory)
        .expect("www/docs exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_docs_page_holds_what_its_embeds_claim() {
    let pages = docs_pages();
    assert!(pages.len() >= 8, "the index and seven chapters: {pages:?}");
    let (code, stdout, stderr) = check(&pages);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stdout.contains("broken at"), "{stdout}");
    assert!(
        stdout.ends_with(" held, 0 broken, 0 input problems\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("no assertions"),
        "every embed states something: {stdout}"
    );
    assert!(
        !stdout.contains("no <flotilla-sandbox>"),
        "every page has an embed: {stdout}"
    );
    for page in &pages {
        let name = page.display().to_string();
        assert!(
            stdout
                .lines()
                .any(|line| line.starts_with(&name) && line.contains("held")),
            "{name} was checked: {stdout}"
        );
    }
}

/// The text of a page says what its embed checks: each assertion of a `src` scenario appears
/// in the page, so the prose and the checks cannot drift apart.
#[test]
fn every_docs_page_quotes_the_assertions_of_its_scenarios() {
    for page in docs_pages() {
        let html = std::fs::read_to_string(&page).unwrap();
        for src in html.split("<flotilla-sandbox src=\"").skip(1) {
            let src = &src[..src.find('"').unwrap()];
            let path = page.parent().unwrap().join(src);
            let scenario: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for assertion in scenario["assertions"].as_array().unwrap() {
                let sentence = assertion
                    .as_str()
                    .or_else(|| assertion["assert"].as_str())
                    .unwrap();
                assert!(
                    html.contains(&format!("<code>{sentence}</code>")),
                    "{} does not quote the assertion \"{sentence}\" of {src}",
                    page.display()
                );
            }
        }
    }
}

#[test]
fn a_page_whose_embed_claims_too_much_fails_with_the_moment_and_the_evidence() {
    let page = repository().join("cli/tests/fixtures/check/broken.html");
    let (code, stdout, stderr) = check(std::slice::from_ref(&page));
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let place = format!("{}:5:1 embed #1", page.display());
    let broken: Vec<&str> = stdout.lines().filter(|l| l.contains("broken at")).collect();
    assert_eq!(broken.len(), 1, "{stdout}");
    assert!(broken[0].starts_with(&place), "{}", broken[0]);
    assert!(
        broken[0].ends_with(
            "broken at 2:00: \"capacity kept (false: min 50 % lets it halve)\": \
             at 2:00 web had 2 healthy tasks (needs ≥ 3)"
        ),
        "{}",
        broken[0]
    );
    assert!(stdout.contains("1 of 2 assertions held"), "{stdout}");
}

#[test]
fn embeds_that_cannot_be_checked_are_each_reported_with_their_place() {
    let page = repository().join("cli/tests/fixtures/check/bad.html");
    let (code, stdout, stderr) = check(std::slice::from_ref(&page));
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let page = page.display().to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(
        lines[0],
        format!("{page}:4:1 embed #1: seed=\"soon\" is not a whole number")
    );
    assert!(
        lines[1].starts_with(&format!(
            "{page}:5:1 embed #2: src=\"missing.json\": cannot read"
        )),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        format!(
            "{page}:6:1 embed #3: has neither a src nor an inline <script type=\"application/json\">"
        )
    );
    // Once the embeds themselves are right, a bad sentence is reported with its path and column.
    let scenario = repository().join("cli/tests/fixtures/check/typo.json");
    let (code, _, stderr) = check(std::slice::from_ref(&scenario));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "typo.json: assertions[0]: no service or task-definition family named \"wbe\"; \
             services: web; families: web at column 37"
        ),
        "{stderr}"
    );
}
