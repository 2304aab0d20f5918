//! The `flotilla` binary's messages about bad input files, end to end: `import` and `validate`
//! word a file that is not UTF-8 text alike, with the same exit code.

use std::process::Command;

#[test]
fn import_and_validate_word_a_non_utf8_file_alike() {
    let file = std::env::temp_dir().join(format!("flotilla-not-utf8-{}.json", std::process::id()));
    std::fs::write(&file, b"{\"family\": \"\xff\"}").expect("a temporary file");
    let path = file.to_string_lossy().into_owned();
    let run = |command: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_flotilla"))
            .args([command, path.as_str()])
            .output()
            .expect("the flotilla binary runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let validate = run("validate");
    let import = run("import");
    std::fs::remove_file(&file).ok();
    let expected = format!("{path}: not UTF-8 text (invalid byte at offset 12)\n");
    assert_eq!(validate, (Some(1), expected.clone()));
    assert_eq!(import, (Some(1), expected));
}
