//! `flotilla check`: runs scenarios headless and checks their assertions, so a docs build
//! fails when an embed stops showing what its text says. Each argument is a scenario file
//! (or `builtin:NAME`) or an HTML page; a page's every `<flotilla-sandbox>` is checked with its
//! `src` (relative to the page) or inline JSON, its `seed` and its `until`. A run goes to
//! `until`, else to the later of the scenario's horizon and the last moment an assertion needs.
//!
//! Exit codes (this subcommand's own, as a CI step wants them): 0 every assertion held; 1 an
//! assertion broke or its moment was never reached (printed with the moment and the
//! evidence, and the page position of the embed); 2 bad input — usage, an unreadable file, an
//! invalid scenario or embed — with the file, the position and the JSON path.

use crate::args;
use crate::page;
use crate::usage_error;
use flotilla_core::assertions::{self, clock_text, Status};
use flotilla_core::scenario::{compile, parse_scenario};
use flotilla_core::time::parse_duration;
use flotilla_core::{builtin, SimTime, World};
use std::path::Path;
use std::process::ExitCode;

pub fn main(args: &[String]) -> ExitCode {
    let files = match parse(args) {
        Ok(files) => files,
        Err(message) => return usage_error(&message),
    };
    let mut outcome = Outcome::default();
    for file in &files {
        check_file(file, &mut outcome);
    }
    outln!(
        "{} assertion{} held, {} broken, {} input problem{}",
        outcome.held,
        plural(outcome.held),
        outcome.broken,
        outcome.bad_input,
        plural(outcome.bad_input)
    );
    if outcome.bad_input > 0 {
        ExitCode::from(2)
    } else if outcome.broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(args: &[String]) -> Result<Vec<String>, String> {
    let files = args::positionals(args)?;
    if files.is_empty() {
        return Err("check needs at least one scenario file or HTML page".to_string());
    }
    Ok(files)
}

/// Counts over every file checked.
#[derive(Default)]
struct Outcome {
    held: u32,
    broken: u32,
    bad_input: u32,
}

/// One run to check: where it comes from (for messages), its scenario text and the embed's
/// attributes.
struct Target {
    place: String,
    text: String,
    seed: Option<u64>,
    until: Option<SimTime>,
}

fn check_file(file: &str, outcome: &mut Outcome) {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        let targets = match page_targets(file) {
            Ok(targets) => targets,
            Err(messages) => {
                for message in messages {
                    eprintln!("{message}");
                    outcome.bad_input += 1;
                }
                return;
            }
        };
        if targets.is_empty() {
            outln!("{file}: no <flotilla-sandbox> embeds");
        }
        for target in targets {
            check_target(target, outcome);
        }
        return;
    }
    let text = match file.strip_prefix("builtin:") {
        Some(id) => match builtin::find(id) {
            Some(scenario) => scenario.json.to_string(),
            None => {
                eprintln!(
                    "{file}: no built-in scenario named \"{id}\"; `flotilla list` shows them"
                );
                outcome.bad_input += 1;
                return;
            }
        },
        None => match crate::load::read_text(file) {
            Ok(text) => text,
            Err(_) => {
                outcome.bad_input += 1;
                return;
            }
        },
    };
    check_target(
        Target {
            place: file.to_string(),
            text,
            seed: None,
            until: None,
        },
        outcome,
    );
}

/// Every embed of a page as a target, or every problem with the page's embeds.
fn page_targets(file: &str) -> Result<Vec<Target>, Vec<String>> {
    let html = crate::load::read_text(file).map_err(|_| Vec::new())?;
    let embeds = page::embeds(&html).map_err(|message| vec![format!("{file}:{message}")])?;
    let directory = Path::new(file).parent().unwrap_or(Path::new(""));
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for (index, embed) in embeds.iter().enumerate() {
        let place = format!(
            "{file}:{}:{} embed #{}",
            embed.line,
            embed.column,
            index + 1
        );
        match embed_target(embed, directory, &place) {
            Ok(target) => targets.push(target),
            Err(message) => problems.push(format!("{place}: {message}")),
        }
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

fn embed_target(embed: &page::Embed, directory: &Path, place: &str) -> Result<Target, String> {
    let seed = embed
        .attribute("seed")
        .map(|seed| {
            seed.trim()
                .parse::<u64>()
                .map_err(|_| format!("seed=\"{seed}\" is not a whole number"))
        })
        .transpose()?;
    let until = embed
        .attribute("until")
        .map(|until| {
            parse_duration(until)
                .map(SimTime)
                .map_err(|message| format!("until=\"{until}\": {message}"))
        })
        .transpose()?;
    let (place, text) = match (embed.attribute("src"), &embed.inline_json) {
        (Some(_), Some(_)) => {
            return Err("has both a src and an inline scenario; keep one".to_string())
        }
        (None, None) => {
            return Err(
                "has neither a src nor an inline <script type=\"application/json\">".to_string(),
            )
        }
        (None, Some(json)) => (format!("{place} (inline)"), json.clone()),
        (Some(src), None) => {
            if src.contains("://") || src.starts_with('/') || src.starts_with("data:") {
                return Err(format!(
                    "src=\"{src}\": only a path relative to the page can be checked"
                ));
            }
            let path = directory.join(src);
            let shown = path.display().to_string();
            let text = std::fs::read(&path)
                .map_err(|error| format!("src=\"{src}\": cannot read {shown}: {error}"))?;
            let text = String::from_utf8(text)
                .map_err(|_| format!("src=\"{src}\": {shown} is not UTF-8 text"))?;
            (format!("{place} ({shown})"), text)
        }
    };
    Ok(Target {
        place,
        text,
        seed,
        until,
    })
}

/// Runs one scenario and reports its assertions.
fn check_target(target: Target, outcome: &mut Outcome) {
    let Target {
        place,
        text,
        seed,
        until,
    } = target;
    let mut scenario = match parse_scenario(&text) {
        Ok(scenario) => scenario,
        Err(problems) => {
            for problem in problems {
                eprintln!("{place}: {problem}");
                outcome.bad_input += 1;
            }
            return;
        }
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let compiled = match compile(&scenario) {
        Ok(compiled) => compiled,
        Err(problems) => {
            for problem in problems {
                eprintln!("{place}: {problem}");
                outcome.bad_input += 1;
            }
            return;
        }
    };
    if compiled.assertions.is_empty() {
        outln!("{place}: no assertions");
        return;
    }
    let end = until.unwrap_or_else(|| {
        compiled
            .horizon
            .max(assertions::needs_until(&compiled.assertions).unwrap_or(SimTime::ZERO))
    });
    let mut world = World::from_compiled(&compiled);
    let report = world.run_until(end);
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&place, &world, bound));
        outcome.bad_input += 1;
        return;
    }
    let verdicts = assertions::evaluate(&compiled.assertions, &world);
    let mut held = 0;
    for verdict in &verdicts {
        match &verdict.status {
            Status::Held | Status::Holding => held += 1,
            Status::Broken { at, evidence } => {
                outln!(
                    "{place}: broken at {}: \"{}\": {evidence}",
                    clock_text(*at),
                    verdict.label
                );
                outcome.broken += 1;
            }
            Status::NotReached { needs } => {
                outln!(
                    "{place}: not reached: \"{}\" needs the run to reach {}; it stops at {}",
                    verdict.label,
                    clock_text(*needs),
                    clock_text(end)
                );
                outcome.broken += 1;
            }
            Status::Waiting => {
                outln!(
                    "{place}: undecided at {}: \"{}\"",
                    clock_text(end),
                    verdict.label
                );
                outcome.broken += 1;
            }
        }
    }
    outcome.held += held;
    outln!(
        "{place}: {held} of {} assertion{} held (seed {}, run to {})",
        verdicts.len(),
        plural(verdicts.len() as u32),
        scenario.seed,
        clock_text(end)
    );
}

fn plural(count: u32) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn takes_files_and_no_options() {
        assert_eq!(
            parse(&strings(&["a.json", "docs/b.html"])).unwrap(),
            vec!["a.json", "docs/b.html"]
        );
        assert_eq!(
            parse(&[]).unwrap_err(),
            "check needs at least one scenario file or HTML page"
        );
        assert_eq!(
            parse(&strings(&["a.json", "--fast"])).unwrap_err(),
            "unknown option --fast"
        );
    }
}
