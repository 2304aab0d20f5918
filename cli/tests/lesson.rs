//! `flotilla lesson` end to end: every built-in lesson holds through "show me" (exit 0, a ✓
//! per step with its explanation); a lesson whose check no longer holds prints ✗ with the
//! step, the moment, the evidence and the hint (exit 1); a malformed lesson file prints each
//! problem with its JSON path (exit 2), as does an unknown name; a run at its bound is exit 4.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `flotilla lesson ARGS` (with `events_kept_max` lowering the run bound): exit code,
/// stdout, stderr.
fn lesson(args: &[&str], events_kept_max: Option<&str>) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flotilla"));
    command.arg("lesson").args(args);
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

/// A built-in lesson file, edited, written to a temporary file named after `name`.
fn edited_lesson(id: &str, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(repository().join(format!("core/lessons/{id}.json")))
        .expect("a built-in lesson file");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut value);
    let file = std::env::temp_dir().join(format!(
        "flotilla-lesson-{name}-{}.json",
        std::process::id()
    ));
    std::fs::write(&file, value.to_string()).expect("a temporary file");
    file
}

#[test]
fn every_builtin_lesson_holds_through_show_me() {
    let (code, stdout, stderr) = lesson(&[], None);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stdout.contains('✗'), "{stdout}");
    for id in [
        "rolling-minimal-cost",
        "rolling-fast",
        "placement",
        "batch-jobs",
        "cicd",
        "draining-az-loss",
        "unplaceable",
    ] {
        assert!(
            stdout.contains(&format!("\n{id}: ")) || stdout.starts_with(&format!("{id}: ")),
            "{id}"
        );
    }
    assert!(
        stdout.ends_with(" steps held, 0 broken, 0 input problems, 0 runs at a bound\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "     ✓ the deployment of order started at 6m fails before 12m (held at 12:00)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("     show me at 6:00: registerTaskDefinition order, updateService order\n"),
        "{stdout}"
    );
    assert!(stdout.contains("     see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html\n"), "{stdout}");
}

#[test]
fn a_broken_check_prints_the_step_the_moment_the_evidence_and_the_hint() {
    let file = edited_lesson("rolling-minimal-cost", "broken", |value| {
        value["steps"][1]["showMe"][1]["updateService"]["deploymentConfiguration"]
            ["minimumHealthyPercent"] = serde_json::json!(25);
    });
    let (code, stdout, stderr) = lesson(&[file.to_str().expect("UTF-8 path")], None);
    std::fs::remove_file(&file).ok();
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains("     ✗ never fewer than 2 healthy tasks of web: broken at 2:00: at 2:00 web had 1 healthy task (needs ≥ 2)\n     hint: If fewer than 2 tasks were healthy"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("3 steps held, 1 broken, 0 input problems, 0 runs at a bound\n"),
        "{stdout}"
    );
}

#[test]
fn bad_input_is_reported_with_paths() {
    let file = edited_lesson("placement", "malformed", |value| {
        value["steps"][0]["check"] = serde_json::json!("no task of apj placed in us-east-1a");
        value["steps"][2]["showMe"][0]["runTask"]["count"] = serde_json::json!("four");
        value["steps"][3]["runUntil"] = serde_json::json!("1h");
    });
    let path = file.to_str().expect("UTF-8 path").to_string();
    let (code, stdout, stderr) = lesson(&[&path, "no-such-lesson"], None);
    std::fs::remove_file(&file).ok();
    assert_eq!(code, Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "{path}: steps[2].showMe[0].runTask.count: expected a whole number"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "no-such-lesson: no built-in lesson of that name; lessons: rolling-minimal-cost, "
        ),
        "{stderr}"
    );
    assert!(
        stdout.ends_with("0 steps held, 0 broken, 2 input problems, 0 runs at a bound\n"),
        "{stdout}"
    );

    // Once the shape is right, the meaning is checked: each problem with its path.
    let file = edited_lesson("placement", "meaning", |value| {
        value["steps"][0]["check"] = serde_json::json!("no task of apj placed in us-east-1a");
        value["steps"][3]["runUntil"] = serde_json::json!("1h");
    });
    let path = file.to_str().expect("UTF-8 path").to_string();
    let (code, _, stderr) = lesson(&[&path], None);
    std::fs::remove_file(&file).ok();
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{path}: steps[3].runUntil: 1h is past the scenario's horizon of 10m\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{path}: steps[0].check: no service or task-definition family named \"apj\""
        )),
        "{stderr}"
    );
    assert!(stderr.contains(" at column "), "{stderr}");
}

#[test]
fn a_run_at_its_bound_is_exit_4() {
    let (code, stdout, stderr) = lesson(&["cicd"], Some("50"));
    assert_eq!(code, Some(4), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains("cicd: step 2 stopped at 3:02: "),
        "{stderr}"
    );
    assert!(stderr.contains("run bound hit"), "{stderr}");
    assert!(stdout.contains("  3 later steps not run\n"), "{stdout}");
}
