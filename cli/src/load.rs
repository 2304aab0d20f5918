//! Reading scenarios for the subcommands: a file path or `builtin:NAME` to a validated
//! [`Scenario`] (and its [`World`]), printing every problem with its file and JSON path on stderr
//! and returning the exit code (1 invalid scenario, 3 unreadable file) for `main` to return.

use flotilla_core::builtin;
use flotilla_core::world::RunBudget;
use flotilla_core::{parse_scenario, RunBound, Scenario, World};
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

/// Reads a scenario file and builds its world, printing every error with its path. The world
/// runs with the run budget, lowered by `FLOTILLA_EVENTS_KEPT_MAX` when that is set.
pub fn load_world(file: &str) -> Result<(Scenario, World), ExitCode> {
    let scenario = load(file)?;
    let budget = run_budget()?;
    match World::new(&scenario) {
        Ok(world) => Ok((scenario, world.with_run_budget(budget))),
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

/// The environment variable that lowers the run's bound of events kept (a CI check that wants
/// a run to stay small; the tests use it to reach the bound quickly).
pub const EVENTS_KEPT_MAX_VAR: &str = "FLOTILLA_EVENTS_KEPT_MAX";

/// The run budget: the core's, with the events kept lowered by [`EVENTS_KEPT_MAX_VAR`]. A value
/// that is not a whole number from 1 to the core's bound is a usage error (exit 2).
pub fn run_budget() -> Result<RunBudget, ExitCode> {
    let mut budget = RunBudget::default();
    let Some(value) = std::env::var_os(EVENTS_KEPT_MAX_VAR) else {
        return Ok(budget);
    };
    let max = budget.events_kept_max;
    match value
        .to_str()
        .and_then(|text| text.trim().parse::<usize>().ok())
    {
        Some(events) if (1..=max).contains(&events) => {
            budget.events_kept_max = events;
            Ok(budget)
        }
        _ => {
            eprintln!(
                "flotilla: {EVENTS_KEPT_MAX_VAR}: expected a whole number from 1 to {max}, found {:?}",
                value.to_string_lossy().chars().take(40).collect::<String>()
            );
            Err(ExitCode::from(2))
        }
    }
}

/// A run stopped early, for stderr: where it stopped and the bound it hit ("run bound hit: 5000000
/// events kept (...)"), so the user knows which budget and can shorten the run.
pub fn bound_hit(file: &str, world: &World, bound: RunBound) -> String {
    format!("{file}: stopped at {}: {}", world.now(), bound.message())
}

/// `name` read as a lesson or game day (`what`, e.g. "lesson"): a file when the name has a `/`
/// or ends in `.json`, else the built-in of that id among `builtins` (id, JSON text), then
/// `parse`; an unknown name (with the ids there are) and every problem with its path are
/// printed on stderr after the name.
pub fn builtin_or_file<T, P: std::fmt::Display>(
    name: &str,
    what: &str,
    builtins: &[(&str, &str)],
    parse: impl FnOnce(&str) -> Result<T, Vec<P>>,
) -> Result<T, ()> {
    let text = if name.contains('/') || name.ends_with(".json") {
        read_text(name).map_err(|_| ())?
    } else {
        match builtins.iter().find(|(id, _)| *id == name) {
            Some((_, json)) => json.to_string(),
            None => {
                let ids: Vec<&str> = builtins.iter().map(|(id, _)| *id).collect();
                eprintln!(
                    "{name}: no built-in {what} of that name; {what}s: {}",
                    ids.join(", ")
                );
                return Err(());
            }
        }
    };
    parse(&text).map_err(|problems| {
        for problem in &problems {
            eprintln!("{name}: {problem}");
        }
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
