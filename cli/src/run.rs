//! `flotilla run`: runs a scenario and prints its event trace (or only the trace's hash), to
//! `--until` or to the scenario's horizon (its `duration`); exit code 4 when the run hits a run bound.

use crate::args::{self, Arg, Args};
use crate::load::load_world;
use crate::usage_error;
use flotilla_core::time::format_duration;
use flotilla_core::{trace_hash, SimTime};
use std::process::ExitCode;

#[derive(Debug, PartialEq)]
struct RunArgs {
    file: String,
    until: Option<SimTime>,
    hash_only: bool,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<RunArgs, String> {
    let mut file = None;
    let mut until = None;
    let mut hash_only = false;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("until") => {
                until = Some(args.time("--until", "--until needs a duration, e.g. --until 10m")?)
            }
            Arg::Long("hash") => hash_only = true,
            Arg::Value(path) if file.is_none() => file = Some(args::text(path)),
            Arg::Value(extra) => return Err(args::unexpected(&args::text(extra))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    let file = file.ok_or("run needs a scenario file")?;
    Ok(RunArgs {
        file,
        until,
        hash_only,
    })
}

fn execute(args: RunArgs) -> ExitCode {
    let RunArgs {
        file,
        until,
        hash_only,
    } = args;
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let report = world.run_until(until.unwrap_or_else(|| scenario.horizon()));
    let trace = world.trace();
    if hash_only {
        outln!("{:016x}", trace_hash(&trace));
    } else {
        out!("{trace}");
    }
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&file, &world, bound));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn reads_a_file_and_its_options_in_any_order() {
        let parsed = parse(&strings(&["--hash", "a.json", "--until", "10m"])).unwrap();
        assert_eq!(
            parsed,
            RunArgs {
                file: "a.json".to_string(),
                until: Some(SimTime(600_000)),
                hash_only: true
            }
        );
        let parsed = parse(&strings(&["a.json", "--until=90s"])).unwrap();
        assert_eq!(parsed.until, Some(SimTime(90_000)));
    }

    #[test]
    fn reports_usage_problems_in_words() {
        let error = |args: &[&str]| parse(&strings(args)).unwrap_err();
        assert_eq!(error(&[]), "run needs a scenario file");
        assert_eq!(
            error(&["a.json", "--until"]),
            "--until needs a duration, e.g. --until 10m"
        );
        assert!(error(&["a.json", "--until", "soon"]).starts_with("--until: "));
        assert_eq!(error(&["a.json", "--fast"]), "unknown option --fast");
        assert_eq!(error(&["a.json", "b.json"]), "unexpected argument b.json");
    }
}
