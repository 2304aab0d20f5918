//! The `flotilla` binary end to end (native): `explain --task` and `--run-task` explain through
//! the core's session, for a RunTask task, a service task and a DAEMON task; bad ids and
//! conflicting options are errors with their exit codes.

use std::process::{Command, Output};

fn flotilla(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flotilla"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("the flotilla binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn explain_task_names_where_a_run_task_task_went_and_why() {
    let text = stdout(&flotilla(&[
        "explain",
        "builtin:batch-jobs",
        "--task",
        "t13",
    ]));
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert!(
        header.starts_with("task t13 (group transcode, video:1) placed at 00:03:00.000 on i-"),
        "{header}"
    );
    let instance = header.split(" on ").nth(1).expect("the instance");
    assert!(
        text.contains(&format!("chosen: {instance}")),
        "the replayed decision chose {instance}:\n{text}"
    );
    assert!(text.contains("strategy binpack(memory)"), "{text}");
}

#[test]
fn explain_task_explains_a_service_task_and_says_why_not_a_daemon_task() {
    let text = stdout(&flotilla(&[
        "explain",
        "builtin:microservices",
        "--task",
        "3",
        "--at",
        "2m",
    ]));
    assert!(text.starts_with("task t3 (service "), "{text}");
    assert!(text.contains("container instances considered"), "{text}");

    let text = stdout(&flotilla(&[
        "explain",
        "tests/corpus/daemon-drain.json",
        "--task",
        "t0",
    ]));
    assert!(
        text.contains("not chosen by the placement engine"),
        "{text}"
    );
}

#[test]
fn explain_run_task_replays_each_started_task_then_the_first_failure() {
    let text = stdout(&flotilla(&[
        "explain",
        "builtin:batch-jobs",
        "--run-task",
        "2",
    ]));
    assert!(text.starts_with("runTask video:1 count=10 group=transcode at 00:03:00.000\n"));
    for n in 1..=8 {
        assert!(
            text.contains(&format!("task {n} of 8 started, t{}:", 12 + n)),
            "{text}"
        );
    }
    // Each started task names its choice: alone, or a random draw among tied instances.
    let choices =
        text.matches("chosen: i-").count() + text.matches("chosen at random among: i-").count();
    assert_eq!(choices, 8, "{text}");
    assert!(text.contains("failures:\n"), "{text}");
    assert!(text.contains("first task not placed"), "{text}");
    assert!(text.contains("no container instance met all of the task's requirements"));
    assert!(
        text.contains("counterfactuals (smallest verified changes"),
        "{text}"
    );

    let text = stdout(&flotilla(&[
        "explain",
        "builtin:batch-jobs",
        "--run-task",
        "1",
    ]));
    assert!(text.starts_with("startTask backup:1 on "), "{text}");
    assert_eq!(text.matches("chosen: i-").count(), 2, "{text}");
}

#[test]
fn explain_refuses_unknown_tasks_bad_ids_and_two_questions_at_once() {
    let missing = flotilla(&["explain", "builtin:microservices", "--task", "t999"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no task t999 by "));
    let bad = flotilla(&["explain", "builtin:microservices", "--task", "x1"]);
    assert_eq!(bad.status.code(), Some(2));
    let both = flotilla(&[
        "explain",
        "builtin:microservices",
        "--task",
        "t1",
        "--service",
        "web",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("exactly one of"));
}
