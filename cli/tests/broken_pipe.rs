//! Every `flotilla` command stops quietly when the reader of its output has gone away
//! (`flotilla run x.json | head -1`): the binary is spawned with a stdout pipe whose read end is
//! already closed, so its first write fails with a broken pipe, and it must exit with its own
//! status (0 here) and print no panic or backtrace.

use std::process::{Command, Stdio};

fn run_with_closed_stdout(args: &[&str]) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_flotilla"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("the flotilla binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "flotilla {args:?} with a closed stdout: status {:?}, stderr: {stderr}",
        output.status
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "flotilla {args:?} with a closed stdout printed: {stderr}"
    );
}

#[test]
fn every_command_exits_quietly_when_its_output_pipe_closes() {
    let commands: [&[&str]; 11] = [
        &["run", "builtin:rolling-fast"],
        &["run", "builtin:rolling-fast", "--hash"],
        &["validate", "builtin:rolling-fast"],
        &["explain", "builtin:batch-jobs", "--task", "t13"],
        &["explain", "builtin:batch-jobs", "--run-task", "0"],
        &["plan", "builtin:rolling-fast", "--service", "web"],
        &["list"],
        &["export", "builtin:rolling-fast", "--format", "ecs-json"],
        &[
            "import",
            "tests/export/aws/describe-task-definition.json",
            "--allow-unsupported",
        ],
        &["explain", "builtin:rolling-fast", "--service", "web"],
        &["help"],
    ];
    for args in commands {
        run_with_closed_stdout(args);
    }
}
