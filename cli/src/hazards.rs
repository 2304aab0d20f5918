//! `flotilla hazards`: every interval in which traffic reached something that could not serve
//! it, from the run of the scenario to its duration: the interval, the cause in one sentence
//! and the requests affected. Usable in a CI pipeline: exit 0 none, 1 at least one, 2 bad
//! input (usage, an invalid or unreadable scenario), 4 the run hit a bound.

use crate::args::{self, Arg, Args};
use crate::load::load_world;
use crate::usage_error;
use flotilla_core::SimTime;
use std::process::ExitCode;

pub fn main(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut parsed = Args::new(args);
    loop {
        match parsed.next() {
            Ok(None) => break,
            Ok(Some(Arg::Value(path))) if file.is_none() => file = Some(args::text(path)),
            Ok(Some(Arg::Value(extra))) => {
                return usage_error(&args::unexpected(&args::text(extra)))
            }
            Ok(Some(option)) => return usage_error(&args::unknown_option(&option)),
            Err(message) => return usage_error(&message),
        }
    }
    let Some(file) = file else {
        return usage_error("hazards needs a scenario file");
    };
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        // Bad input, whatever load said (invalid 1, unreadable 3): this command's code is 2.
        Err(_) => return ExitCode::from(2),
    };
    let report = world.run_until(scenario.horizon());
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&file, &world, bound));
        return ExitCode::from(4);
    }
    let Some(traffic) = world.traffic() else {
        outln!("{file}: no hazards (the scenario has no traffic)");
        return ExitCode::SUCCESS;
    };
    let hazards: Vec<_> = traffic.state().hazards.all().copied().collect();
    if hazards.is_empty() {
        outln!("{file}: no hazards");
        return ExitCode::SUCCESS;
    }
    for hazard in &hazards {
        let open = if traffic.state().hazards.open().iter().any(|h| h == hazard) {
            " (still open at the end of the run)"
        } else {
            ""
        };
        outln!(
            "{} to {}{open}: {}; {} requests affected",
            SimTime(hazard.start_s * 1_000),
            SimTime((hazard.end_s + 1) * 1_000),
            world.hazard_sentence(&hazard.cause),
            hazard.requests
        );
    }
    outln!("{file}: {} hazards", hazards.len());
    ExitCode::from(1)
}
