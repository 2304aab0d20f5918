//! `flotilla traffic` and `flotilla hazards` end to end on the traffic corpus scenarios:
//! per-route and per-target-group figures for a minute (a weight change shows both target
//! groups serving while client caches expire), and hazards with their causes and the exit
//! codes a CI pipeline relies on (0 none, 1 some, 2 bad input, 4 run bound hit).

use std::process::Command;

fn flotilla(args: &[&str], events_kept_max: Option<&str>) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flotilla"));
    command
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .args(args)
        .env_remove("FLOTILLA_EVENTS_KEPT_MAX");
    if let Some(value) = events_kept_max {
        command.env("FLOTILLA_EVENTS_KEPT_MAX", value);
    }
    let output = command.output().expect("the flotilla binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The figures of a row whose first column is `name`.
fn row<'a>(out: &'a str, name: &str) -> Vec<&'a str> {
    out.lines()
        .find(|line| line.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row {name} in:\n{out}"))
        .split_whitespace()
        .collect()
}

#[test]
fn traffic_shows_both_target_groups_serving_while_caches_expire_after_a_weight_change() {
    let file = "tests/corpus/traffic-weight-change.json";
    // Before the change (minute 1–2) everything goes to blue.
    let (code, out, err) = flotilla(&["traffic", file, "--at", "2m"], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("traffic from 00:01:00.000 to 00:02:00.000"),
        "{out}"
    );
    assert_eq!(row(&out, "green")[1], "0", "{out}");
    let blue: u32 = row(&out, "blue")[1].parse().expect("a count");
    assert!(blue > 2_500, "{out}");
    // The minute after the change: clients move as their 60 s caches expire, so both serve.
    let (_, out, _) = flotilla(&["traffic", file, "--at", "3m"], None);
    let blue: u32 = row(&out, "blue")[1].parse().expect("a count");
    let green: u32 = row(&out, "green")[1].parse().expect("a count");
    assert!(blue > 1_000 && green > 1_000, "{out}");
    // Two minutes later only the long-caching clients still reach blue.
    let (_, out, _) = flotilla(&["traffic", file, "--at", "4m"], None);
    let blue: u32 = row(&out, "blue")[1].parse().expect("a count");
    let green: u32 = row(&out, "green")[1].parse().expect("a count");
    assert!(blue < 300 && green > 2_500, "{out}");
    // The per-route row and the minutes table.
    assert_eq!(row(&out, "clients").len(), 7, "{out}");
    assert!(out.contains("\n00:02:00.000 "), "{out}");
}

#[test]
fn hazards_lists_the_drain_cut_with_its_cause_and_exits_1() {
    let (code, out, err) = flotilla(
        &["hazards", "tests/corpus/traffic-deregistration-delay.json"],
        None,
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("00:01:05.000 to 00:01:06.000: target of task t0 in report finished draining with requests still in flight (deregistration delay shorter than those requests);"),
        "{out}"
    );
    let (code, out, _) = flotilla(
        &["hazards", "tests/corpus/traffic-weight-change.json"],
        None,
    );
    assert_eq!(code, Some(1));
    assert!(
        out.contains("(still open at the end of the run): clients still resolve api.example.com to blue after a weight change"),
        "{out}"
    );
}

#[test]
fn hazards_exit_codes_none_bad_input_and_run_bound() {
    let (code, out, _) = flotilla(&["hazards", "tests/corpus/az-loss.json"], None);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("no hazards"), "{out}");
    let (code, _, err) = flotilla(&["hazards", "tests/corpus/no-such-file.json"], None);
    assert_eq!(code, Some(2), "{err}");
    let (code, _, err) = flotilla(&["hazards"], None);
    assert_eq!(code, Some(2), "{err}");
    let (code, _, err) = flotilla(
        &["hazards", "tests/corpus/traffic-weight-change.json"],
        Some("20"),
    );
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("run bound hit"), "{err}");
}
