//! `flotilla import`: reads AWS documents (task definitions, describe-services and
//! describe-container-instances output, Flotilla's ECS bundle) into a scenario with
//! `flotilla_core::import`, prints the scenario on stdout and every note on stderr.

use crate::{load, usage_error};
use flotilla_core::export;
use flotilla_core::import::{self, NoteKind};
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let mut files = Vec::new();
    let mut into = None;
    let mut name = None;
    let mut allow_unsupported = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--into" => match rest.next() {
                Some(value) => into = Some(value.clone()),
                None => return usage_error("--into needs a scenario file"),
            },
            "--name" => match rest.next() {
                Some(value) => name = Some(value.clone()),
                None => return usage_error("--name needs a scenario name"),
            },
            "--allow-unsupported" => allow_unsupported = true,
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path => files.push(path.to_string()),
        }
    }
    if files.is_empty() {
        return usage_error("import needs at least one JSON document");
    }
    let mut base = match &into {
        Some(file) => match load(file) {
            Ok(scenario) => scenario,
            Err(code) => return code,
        },
        None => import::empty_scenario("Imported from AWS"),
    };
    if let Some(name) = name {
        base.name = name;
    }
    let mut texts = Vec::new();
    for file in &files {
        match std::fs::read_to_string(file) {
            Ok(text) => texts.push(text),
            Err(error) => {
                eprintln!("{file}: cannot read: {error}");
                return ExitCode::from(3);
            }
        }
    }
    let documents: Vec<(&str, &str)> = files
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    let outcome = match import::import(&base, &documents) {
        Ok(outcome) => outcome,
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            return ExitCode::from(1);
        }
    };
    for note in &outcome.notes {
        eprintln!("{note}");
    }
    let unsupported = outcome.unsupported().count();
    if unsupported > 0 && !allow_unsupported {
        eprintln!(
            "{unsupported} unsupported member{} would be dropped; rerun with --allow-unsupported to import without them",
            if unsupported == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    if outcome
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Unsupported)
    {
        eprintln!("imported without {unsupported} unsupported member(s)");
    }
    print!("{}", export::scenario_file(&outcome.scenario));
    ExitCode::SUCCESS
}
