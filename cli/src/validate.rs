//! `flotilla validate`: checks scenario files and prints every error as `file: path: message`.
//! It takes no options: every argument is a file, as before the argument parser existed.

use crate::load::load;
use crate::usage_error;
use std::process::ExitCode;

pub fn main(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("validate needs at least one scenario file");
    }
    let mut worst = ExitCode::SUCCESS;
    for file in files {
        match load(file) {
            Ok(scenario) => outln!("{file}: ok ({})", scenario.name),
            Err(code) => worst = code,
        }
    }
    worst
}
