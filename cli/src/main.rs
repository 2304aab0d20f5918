//! `flotilla`: the headless runner. Runs a scenario and prints its event trace, or validates
//! scenario files and prints every error with its JSON path. Thin glue over flotilla-core; all
//! behaviour lives in the core so the CLI, the app and the tests agree.
//!
//! Exit codes: 0 success; 1 invalid scenario; 2 usage error; 3 a file could not be read;
//! 4 the run hit the wake-up bound before finishing.

use flotilla_core::builtin;
use flotilla_core::time::{format_duration, parse_duration};
use flotilla_core::{parse_scenario, trace_hash, Scenario, SimTime, World};
use std::process::ExitCode;

mod export;
mod import;

const USAGE: &str = "\
usage:
  flotilla run <scenario.json | builtin:NAME> [--until <duration>] [--hash]
      Runs the scenario and prints its event trace, one line per event.
      --until 10m   stop at this simulated time (default: run until nothing is left to happen)
      --hash        print only the trace's fingerprint (FNV-1a, hex)
  flotilla validate <scenario.json | builtin:NAME>...
      Checks scenario files; prints every error as `file: path: message`.
  flotilla list
      Lists the built-in scenarios.
  flotilla export <scenario.json | builtin:NAME> --format FORMAT [--out DIR]
      Exports the scenario. FORMAT is ecs-json, cloudformation-yaml, cloudformation-json or
      scenario. Without --out, prints to stdout (ecs-json as one bundle); with --out, writes
      DIR/flotilla-export.json and one file per request (ecs-json) or DIR/<name>.<ext>.
  flotilla import <document.json>... [--into <scenario.json | builtin:NAME>] [--name NAME]
                  [--allow-unsupported]
      Reads task definitions (RegisterTaskDefinition input or describe-task-definition output),
      services (CreateService input or describe-services output), describe-container-instances
      output, or an ecs-json export into a scenario (a new one, or the --into one) and prints
      it. Every dropped member is listed with its path on stderr; members the sandbox does not
      model fail the import unless --allow-unsupported.

exit codes: 0 ok, 1 invalid scenario, 2 usage error, 3 unreadable file, 4 run bound reached";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("export") => export::run(&args[1..]),
        Some("import") => import::run(&args[1..]),
        Some("list") => {
            for scenario in builtin::BUILTIN_SCENARIOS {
                let name = parse_scenario(scenario.json)
                    .map(|s| s.name)
                    .unwrap_or_default();
                println!("builtin:{}\t{}", scenario.id, name);
            }
            ExitCode::SUCCESS
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error("expected a command: run, validate, list, export or import"),
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut until = None;
    let mut hash_only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--until" => match rest.next().map(|text| parse_duration(text)) {
                Some(Ok(ms)) => until = Some(SimTime(ms)),
                Some(Err(message)) => return usage_error(&format!("--until: {message}")),
                None => return usage_error("--until needs a duration, e.g. --until 10m"),
            },
            "--hash" => hash_only = true,
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return usage_error(&format!("unexpected argument {extra}")),
        }
    }
    let Some(file) = file else {
        return usage_error("run needs a scenario file");
    };
    let scenario = match load(&file) {
        Ok(scenario) => scenario,
        Err(code) => return code,
    };
    let mut world = match World::new(&scenario) {
        Ok(world) => world,
        Err(errors) => {
            for error in errors {
                eprintln!("{file}: {error}");
            }
            return ExitCode::from(1);
        }
    };
    let report = match until {
        Some(until) => world.run_until(until),
        None => world.run_until_idle(),
    };
    let trace = world.trace();
    if hash_only {
        println!("{:016x}", trace_hash(&trace));
    } else {
        print!("{trace}");
    }
    if report.bounded {
        eprintln!(
            "{file}: stopped at {} after {} wake-ups, the limit for one run",
            world.now(),
            report.wakeups
        );
        return ExitCode::from(4);
    }
    if let Some(until) = until {
        eprintln!(
            "{file}: ran to {} ({})",
            until,
            format_duration(until.as_ms())
        );
    }
    ExitCode::SUCCESS
}

fn validate(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("validate needs at least one scenario file");
    }
    let mut worst = ExitCode::SUCCESS;
    for file in files {
        match load(file) {
            Ok(scenario) => println!("{file}: ok ({})", scenario.name),
            Err(code) => worst = code,
        }
    }
    worst
}

/// Reads and validates a scenario file, printing every error with its path.
pub(crate) fn load(file: &str) -> Result<Scenario, ExitCode> {
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

pub(crate) fn usage_error(message: &str) -> ExitCode {
    eprintln!("flotilla: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
