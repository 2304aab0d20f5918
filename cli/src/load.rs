//! Reading scenarios for the subcommands: a file path or `builtin:NAME` to a validated
//! [`Scenario`] (and its [`World`]), printing every problem with its file and JSON path on stderr
//! and returning the exit code (1 invalid scenario, 3 unreadable file) for `main` to return.

use flotilla_core::builtin;
use flotilla_core::{parse_scenario, Scenario, World};
use std::process::ExitCode;

/// Reads a scenario file and builds its world, printing every error with its path.
pub fn load_world(file: &str) -> Result<(Scenario, World), ExitCode> {
    let scenario = load(file)?;
    match World::new(&scenario) {
        Ok(world) => Ok((scenario, world)),
        Err(errors) => {
            for error in errors {
                eprintln!("{file}: {error}");
            }
            Err(ExitCode::from(1))
        }
    }
}

/// Reads and validates a scenario file, printing every error with its path.
pub fn load(file: &str) -> Result<Scenario, ExitCode> {
    let text = match file.strip_prefix("builtin:") {
        Some(id) => match builtin::find(id) {
            Some(scenario) => scenario.json.to_string(),
            None => {
                eprintln!(
                    "{file}: no built-in scenario named \"{id}\"; `flotilla list` shows them"
                );
                return Err(ExitCode::from(1));
            }
        },
        None => match std::fs::read(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!(
                        "{file}: not UTF-8 text (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    );
                    return Err(ExitCode::from(1));
                }
            },
            Err(error) => {
                eprintln!("{file}: cannot read: {error}");
                return Err(ExitCode::from(3));
            }
        },
    };
    parse_scenario(&text).map_err(|errors| {
        for error in &errors {
            eprintln!("{file}: {error}");
        }
        eprintln!(
            "{file}: {} error{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(1)
    })
}
