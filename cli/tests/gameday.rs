//! `flotilla gameday` end to end: the built-in game day against its own starting policy
//! scores 15 / 100, below its pass score (exit 1), with every loss and its moment; the better
//! policy in `fixtures/gameday/` scores 80 and passes (exit 0), the same output every time; a
//! policy that changes what the game day does not allow, a malformed game day file and an
//! unknown name print each problem with its JSON path (exit 2); a run at its bound is exit 4.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn better_policy() -> String {
    repository()
        .join("cli/tests/fixtures/gameday/better-policy.json")
        .to_string_lossy()
        .into_owned()
}

/// Runs `flotilla gameday ARGS` (with `events_kept_max` lowering the run bound): exit code,
/// stdout, stderr.
fn gameday(args: &[&str], events_kept_max: Option<&str>) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flotilla"));
    command.arg("gameday").args(args);
    if let Some(max) = events_kept_max {
        command.env("FLOTILLA_EVENTS_KEPT_MAX", max);
    }
    let output = command.output().expect("the flotilla binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A JSON file, edited, written to a temporary file named after `name`.
fn edited(path: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(path).expect("a file of the repository");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut value);
    let file = std::env::temp_dir().join(format!(
        "flotilla-gameday-{name}-{}.json",
        std::process::id()
    ));
    std::fs::write(&file, value.to_string()).expect("a temporary file");
    file
}

#[test]
fn the_starting_policy_is_scored_below_the_pass_score() {
    let (code, stdout, stderr) = gameday(&[], None);
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.starts_with("release-day: A release, a drained instance, a bad build and a lost zone (on builtin:rolling-minimal-cost, seed 20171017, runs until 15:00)\n"), "{stdout}");
    for line in [
        "  policy: the game day's own (builtin:rolling-minimal-cost)\n",
        "    2:20  The busiest instance is drained mid-release: drainInstance i-0e220a8397b1dcdaf\n",
        "    10:00  The zone with the most web tasks fails: failAvailabilityZone us-east-1a\n",
        "  score: 15 / 100 (availability −67, failed launches −11, cost −7); not passed (pass score 60)\n",
        "    6:00–15:00  −56  availability: up to 2 of 3 required healthy tasks of web missing, until the end (after “Bad build web 1.2.0: it crashes on start”)\n",
        "    0:00–15:00  −7  cost: 4 m5.large instances ran 0.83 instance-hours at 8 points an hour, 2 of them terminated during the run\n",
    ] {
        assert!(stdout.contains(line), "{line}\nin\n{stdout}");
    }
    assert_eq!(stderr, "");
}

#[test]
fn a_better_policy_passes_and_scores_the_same_every_time() {
    let policy = better_policy();
    let (code, stdout, stderr) = gameday(&["release-day", "--policy", &policy], None);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains(&format!("  policy: {policy}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  score: 80 / 100 (availability −1, failed launches −8, cost −11); passed (pass score 60)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    10:00–10:03  −1  availability: 1 of 3 required healthy tasks of web missing (after “The zone with the most web tasks fails”)\n"),
        "{stdout}"
    );
    let (_, again, _) = gameday(&["release-day", "--policy", &policy], None);
    assert_eq!(stdout, again);
    // The game day by its file works as by its name.
    let file = repository().join("core/gamedays/release-day.json");
    let (code, by_file, _) = gameday(&[file.to_str().expect("UTF-8"), "--policy", &policy], None);
    assert_eq!(code, Some(0));
    assert_eq!(
        by_file.lines().skip(1).collect::<Vec<_>>(),
        stdout.lines().skip(1).collect::<Vec<_>>()
    );
}

#[test]
fn a_policy_that_changes_what_it_may_not_is_bad_input_with_paths() {
    let policy = edited(
        &repository().join("cli/tests/fixtures/gameday/better-policy.json"),
        "too-big",
        |v| {
            v["services"][0]["desiredCount"] = serde_json::json!(8);
            v["fleet"][0]["count"] = serde_json::json!(9);
        },
    );
    let policy = policy.to_str().expect("UTF-8");
    let (code, stdout, stderr) = gameday(&["release-day", "--policy", policy], None);
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(
        stderr,
        format!(
            "{policy}: fleet: 13 instances; the game day allows at most 9\n\
             {policy}: services[0].desiredCount: the game day does not let you change this (it is 4)\n"
        )
    );
    assert!(!stdout.contains("score:"), "{stdout}");
    let (code, _, stderr) = gameday(
        &["release-day", "--policy", "/nonexistent/policy.json"],
        None,
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("/nonexistent/policy.json: cannot read:"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_game_day_or_an_unknown_name_is_bad_input_with_paths() {
    let file = edited(
        &repository().join("core/gamedays/release-day.json"),
        "malformed",
        |v| {
            v["campaign"][0]["actions"][1]["updateService"]["service"] = serde_json::json!("wbe");
            v["scoring"]["required"][0]["healthyTasks"] = serde_json::json!(0);
        },
    );
    let name = file.to_str().expect("UTF-8");
    let (code, stdout, stderr) = gameday(&[name], None);
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(
        stderr,
        format!(
            "{name}: campaign[0].actions[1].updateService.service: no service named \"wbe\" in services\n\
             {name}: scoring.required[0].healthyTasks: must be from 1 to web's desiredCount of 4\n"
        )
    );
    let (code, _, stderr) = gameday(&["nope"], None);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "nope: no built-in game day of that name; game days: release-day\n"
    );
    let (code, _, stderr) = gameday(&["--policy", "x.json"], None);
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("flotilla: --policy needs the game day it is for"),
        "{stderr}"
    );
}

#[test]
fn a_run_at_its_bound_is_exit_4() {
    let (code, stdout, stderr) = gameday(&["release-day"], Some("100"));
    assert_eq!(code, Some(4), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.starts_with("release-day: the run stopped at "),
        "{stderr}"
    );
    assert!(stderr.contains("run bound hit"), "{stderr}");
    assert!(!stdout.contains("score:"), "{stdout}");
}
