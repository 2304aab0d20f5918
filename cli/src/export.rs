//! `flotilla export`: writes the core's exports (`flotilla_core::export`) to stdout or to a
//! directory. All content decisions live in the core; this file only picks names and writes.

use crate::args::{self, Arg, Args};
use crate::load::load;
use crate::usage_error;
use flotilla_core::export::{self, Format, MANIFEST_FILE_NAME};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, PartialEq)]
struct ExportArgs {
    file: String,
    format: String,
    out: Option<String>,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<ExportArgs, String> {
    let mut file = None;
    let mut format = None;
    let mut out = None;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("format") => {
                format = Some(args.value("--format needs a value, e.g. --format ecs-json")?)
            }
            Arg::Long("out") => out = Some(args.value("--out needs a directory")?),
            Arg::Value(path) if file.is_none() => file = Some(args::text(path)),
            Arg::Value(extra) => return Err(args::unexpected(&args::text(extra))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    let file = file.ok_or("export needs a scenario file")?;
    let format = format
        .ok_or("export needs --format ecs-json|cloudformation-yaml|cloudformation-json|scenario|scenario-card")?;
    Ok(ExportArgs { file, format, out })
}

fn execute(args: ExportArgs) -> ExitCode {
    let ExportArgs { file, format, out } = args;
    let scenario = match load(&file) {
        Ok(scenario) => scenario,
        Err(code) => return code,
    };
    let stem = export::file_stem(&scenario);
    // (file name, text) pairs to write, or one text for stdout.
    let (files, stdout): (Vec<(String, String)>, String) = match format.as_str() {
        "ecs-json" => {
            let ecs = export::ecs_json(&scenario);
            let mut files = vec![(MANIFEST_FILE_NAME.to_string(), ecs.manifest.clone())];
            files.extend(
                ecs.documents
                    .iter()
                    .map(|d| (d.file_name.clone(), d.json.clone())),
            );
            (files, ecs.bundle())
        }
        "cloudformation-yaml" => {
            let text = export::cloudformation(&scenario, Format::Yaml);
            (vec![(format!("{stem}.cloudformation.yaml"), text.clone())], text)
        }
        "cloudformation-json" => {
            let text = export::cloudformation(&scenario, Format::Json);
            (vec![(format!("{stem}.cloudformation.json"), text.clone())], text)
        }
        "scenario" => {
            let text = export::scenario_file(&scenario);
            (vec![(format!("{stem}.scenario.json"), text.clone())], text)
        }
        "scenario-card" => {
            let text = export::scenario_card(&scenario);
            (vec![(format!("{stem}.card.html"), text.clone())], text)
        }
        other => {
            return usage_error(&format!(
                "unknown format \"{other}\"; expected ecs-json, cloudformation-yaml, cloudformation-json, scenario or scenario-card"
            ))
        }
    };
    let Some(out) = out else {
        out!("{stdout}");
        return ExitCode::SUCCESS;
    };
    let dir = Path::new(&out);
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("{out}: cannot create directory: {error}");
        return ExitCode::from(3);
    }
    for (name, text) in &files {
        let path = dir.join(name);
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("{}: cannot write: {error}", path.display());
            return ExitCode::from(3);
        }
        outln!("{}", path.display());
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn reads_a_format_and_a_directory() {
        let parsed = parse(&strings(&[
            "a.json", "--format", "scenario", "--out", "dir",
        ]))
        .unwrap();
        assert_eq!(
            parsed,
            ExportArgs {
                file: "a.json".to_string(),
                format: "scenario".to_string(),
                out: Some("dir".to_string())
            }
        );
    }

    #[test]
    fn reports_usage_problems_in_words() {
        let error = |args: &[&str]| parse(&strings(args)).unwrap_err();
        assert_eq!(
            error(&["--format", "scenario"]),
            "export needs a scenario file"
        );
        assert!(error(&["a.json"]).starts_with("export needs --format "));
        assert_eq!(error(&["a.json", "--out"]), "--out needs a directory");
    }
}
