//! "Run bound hit" end to end: `run`, `explain` (a service, a task) and `plan` on a crash loop
//! over 30 days stop at the run's bound of events kept, say which bound and where, and exit 4
//! (lowered with `FLOTILLA_EVENTS_KEPT_MAX` so the test reaches it in a debug build); a value
//! of that variable that is not a whole number in range is a usage error; the usage text names
//! the real figure.

use std::process::Command;

/// Five services of 20 tasks whose containers exit a minute after RUNNING, for 30 days.
fn crash_loop() -> String {
    let families = 0..5;
    serde_json::json!({
        "version": 1, "name": "crash loop", "seed": 7, "duration": "30d",
        "fleet": [{"instanceType": "m5.4xlarge", "availabilityZone": "us-east-1a", "count": 10}],
        "taskDefinitions": families.clone().map(|i| serde_json::json!({"family": format!("s{i}"), "containerDefinitions": [{"name": "app", "image": "x", "cpu": 16, "memory": 64}]})).collect::<Vec<_>>(),
        "services": families.clone().map(|i| serde_json::json!({"serviceName": format!("s{i}"), "taskDefinition": format!("s{i}:1"), "desiredCount": 20})).collect::<Vec<_>>(),
        "revisionBehaviour": families.map(|i| serde_json::json!({"taskDefinition": format!("s{i}:1"), "crashAfter": "1m"})).collect::<Vec<_>>(),
    })
    .to_string()
}

fn flotilla(args: &[&str], events_kept_max: Option<&str>) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flotilla"));
    command.args(args).env_remove("FLOTILLA_EVENTS_KEPT_MAX");
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

#[test]
fn run_explain_and_plan_stop_at_the_run_bound_with_exit_4_and_say_which() {
    let file =
        std::env::temp_dir().join(format!("flotilla-crash-loop-{}.json", std::process::id()));
    std::fs::write(&file, crash_loop()).expect("a temporary file");
    let path = file.to_string_lossy().into_owned();
    let expected = format!("{path}: stopped at 00:29:35.000: run bound hit: 20000 events kept (the most a run may hold so that it fits in a browser tab's memory; shorten the run, or the crash loop or churn that fills it)\n");
    let commands: [&[&str]; 5] = [
        &["run", &path, "--hash"],
        &["explain", &path, "--service", "s0", "--at", "400d"],
        &["explain", &path, "--task", "t3"],
        &["explain", &path, "--run-task", "0", "--at", "40d"],
        &[
            "plan",
            &path,
            "--service",
            "s0",
            "--task-definition",
            "s0:1",
            "--at",
            "400d",
        ],
    ];
    let outcomes: Vec<_> = commands
        .iter()
        .map(|args| flotilla(args, Some("20000")))
        .collect();
    let bad = flotilla(&["run", &path], Some("lots"));
    let full = flotilla(&["run", &path, "--until", "5m", "--hash"], None);
    std::fs::remove_file(&file).ok();
    for (args, (code, _, stderr)) in commands.iter().zip(&outcomes) {
        assert_eq!((code, stderr), (&Some(4), &expected), "{args:?}");
    }
    assert_eq!(bad.0, Some(2));
    assert_eq!(bad.2, "flotilla: FLOTILLA_EVENTS_KEPT_MAX: expected a whole number from 1 to 4500000, found \"lots\"\n");
    // Without the variable the real budget applies: 5 minutes are far from it.
    assert_eq!(full.0, Some(0), "{}", full.2);
}

#[test]
fn the_usage_names_the_real_bound() {
    let (code, _, stderr) = flotilla(&[], None);
    assert_eq!(code, Some(2));
    let figure = flotilla_core::world::EVENTS_KEPT_MAX.to_string();
    assert!(
        stderr.contains(&format!("lowers the run's bound of events kept ({figure})")),
        "{stderr}"
    );
}
