//! Reading scenarios for the subcommands: a file path or `builtin:NAME` to a validated
//! [`Scenario`] (and its [`World`]), printing every problem with its file and JSON path on stderr
//! and returning the exit code (1 invalid scenario, 3 unreadable file) for `main` to return.

use flotilla_core::builtin;
use flotilla_core::{parse_scenario, Scenario, World};
use std::process::ExitCode;

/// The message for a `--service` the scenario does not have: the services it does have, at most
/// [`SERVICES_LISTED_MAX`] of them and how many more, or that it has none.
pub fn no_service(name: &str, names: &[&str]) -> String {
    let listed = match names.len() {
        0 => return format!("no service named \"{name}\": the scenario has no services"),
        count if count <= SERVICES_LISTED_MAX => names.join(", "),
        count => format!(
            "{} and {} more",
            names[..SERVICES_LISTED_MAX].join(", "),
            count - SERVICES_LISTED_MAX
        ),
    };
    format!("no service named \"{name}\"; services: {listed}")
}

/// How many service names [`no_service`] lists.
pub const SERVICES_LISTED_MAX: usize = 10;

/// The text of a file, as every subcommand reads one: a file that cannot be read is exit 3, one
/// that is not UTF-8 text is invalid input (exit 1), both said with the file name.
pub fn read_text(file: &str) -> Result<String, ExitCode> {
    match std::fs::read(file) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|error| {
            eprintln!(
                "{file}: not UTF-8 text (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            );
            ExitCode::from(1)
        }),
        Err(error) => {
            eprintln!("{file}: cannot read: {error}");
            Err(ExitCode::from(3))
        }
    }
}

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
        None => read_text(file)?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_service_lists_a_bounded_number_of_the_others() {
        assert_eq!(
            no_service("x", &[]),
            "no service named \"x\": the scenario has no services"
        );
        assert_eq!(
            no_service("x", &["web", "api"]),
            "no service named \"x\"; services: web, api"
        );
        let names: Vec<String> = (0..5000).map(|n| format!("s{n}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            no_service("x", &names),
            "no service named \"x\"; services: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 4990 more"
        );
    }
}
