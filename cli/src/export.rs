//! `flotilla export`: writes the core's exports (`flotilla_core::export`) to stdout or to a
//! directory. All content decisions live in the core; this file only picks names and writes.

use crate::{load, usage_error};
use flotilla_core::export::{self, Format, MANIFEST_FILE_NAME};
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut format = None;
    let mut out = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => match rest.next() {
                Some(value) => format = Some(value.clone()),
                None => return usage_error("--format needs a value, e.g. --format ecs-json"),
            },
            "--out" => match rest.next() {
                Some(value) => out = Some(value.clone()),
                None => return usage_error("--out needs a directory"),
            },
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return usage_error(&format!("unexpected argument {extra}")),
        }
    }
    let Some(file) = file else {
        return usage_error("export needs a scenario file");
    };
    let Some(format) = format else {
        return usage_error(
            "export needs --format ecs-json|cloudformation-yaml|cloudformation-json|scenario",
        );
    };
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
        other => {
            return usage_error(&format!(
                "unknown format \"{other}\"; expected ecs-json, cloudformation-yaml, cloudformation-json or scenario"
            ))
        }
    };
    let Some(out) = out else {
        print!("{stdout}");
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
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}
