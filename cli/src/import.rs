//! `flotilla import`: reads AWS documents (task definitions, describe-services and
//! describe-container-instances output, Flotilla's ECS bundle) into a scenario with
//! `flotilla_core::import`, prints the scenario on stdout and every note on stderr.

use crate::args::{self, Arg, Args};
use crate::load::{load, read_text};
use crate::usage_error;
use flotilla_core::export;
use flotilla_core::import::{self, NoteKind};
use std::process::ExitCode;

#[derive(Debug, PartialEq)]
struct ImportArgs {
    files: Vec<String>,
    into: Option<String>,
    name: Option<String>,
    allow_unsupported: bool,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<ImportArgs, String> {
    let mut files = Vec::new();
    let mut into = None;
    let mut name = None;
    let mut allow_unsupported = false;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("into") => into = Some(args.value("--into needs a scenario file")?),
            Arg::Long("name") => name = Some(args.value("--name needs a scenario name")?),
            Arg::Long("allow-unsupported") => allow_unsupported = true,
            Arg::Value(path) => files.push(args::text(path)),
            option => return Err(args::unknown_option(&option)),
        }
    }
    if files.is_empty() {
        return Err("import needs at least one JSON document".to_string());
    }
    Ok(ImportArgs {
        files,
        into,
        name,
        allow_unsupported,
    })
}

fn execute(args: ImportArgs) -> ExitCode {
    let ImportArgs {
        files,
        into,
        name,
        allow_unsupported,
    } = args;
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
        match read_text(file) {
            Ok(text) => texts.push(text),
            Err(code) => return code,
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
    out!("{}", export::scenario_file(&outcome.scenario));
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn reads_documents_and_options() {
        let args = [
            "a.json",
            "--into",
            "builtin:x",
            "b.json",
            "--allow-unsupported",
        ];
        assert_eq!(
            parse(&strings(&args)).unwrap(),
            ImportArgs {
                files: strings(&["a.json", "b.json"]),
                into: Some("builtin:x".to_string()),
                name: None,
                allow_unsupported: true
            }
        );
    }

    #[test]
    fn reports_usage_problems_in_words() {
        let error = |args: &[&str]| parse(&strings(args)).unwrap_err();
        assert_eq!(
            error(&["--allow-unsupported"]),
            "import needs at least one JSON document"
        );
        assert_eq!(error(&["a.json", "--name"]), "--name needs a scenario name");
        assert_eq!(error(&["a.json", "--merge"]), "unknown option --merge");
    }
}
