//! `cargo run --release -p flotilla-bench --bin deployments [-- --iterations N]`: times the
//! deployment-engine workload (`flotilla_bench::deployments`: 50 services, one simulated hour of
//! rolling deployments at 1 s resolution; budget 200 ms native) and prints the minimum and median
//! over N runs (default 5). No counting allocator here, so the figures match the former
//! `flotilla bench deployments`. Exit codes: 0 ok, 1 invalid workload, 2 usage error.

// The benchmark measures wall time; the clock ban (clippy.toml) is for the core.
#![allow(clippy::disallowed_types)]

use flotilla_bench::deployments;
use flotilla_core::{parse_scenario, World};
use std::process::ExitCode;

const USAGE: &str = "usage: deployments [--iterations N]";

fn main() -> ExitCode {
    let iterations = match parse_iterations(std::env::args().skip(1)) {
        Ok(iterations) => iterations,
        Err(message) => {
            eprintln!("deployments: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let scenario = match parse_scenario(&deployments::scenario()) {
        Ok(scenario) => scenario,
        Err(errors) => {
            for error in errors {
                eprintln!("bench scenario: {error}");
            }
            return ExitCode::from(1);
        }
    };
    let mut times_ms = Vec::new();
    let mut summary = String::new();
    for _ in 0..iterations {
        let Ok(mut world) = World::new(&scenario) else {
            return ExitCode::from(1);
        };
        let started = std::time::Instant::now();
        deployments::run_hour(&mut world);
        times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        summary = deployments::summary(&world);
    }
    times_ms.sort_by(f64::total_cmp);
    println!(
        "bench deployments: 50 services x 4 tasks, 1 h simulated at 1 s resolution, 300 rolling deployments: {summary}"
    );
    println!(
        "time per run: min {:.1} ms, median {:.1} ms over {iterations} runs (budget 200 ms)",
        times_ms[0],
        times_ms[times_ms.len() / 2]
    );
    ExitCode::SUCCESS
}

/// `--iterations N` (N > 0); 5 without it.
fn parse_iterations(args: impl IntoIterator<Item = String>) -> Result<u32, String> {
    flotilla_bench::parse_iterations(args, 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<u32, String> {
        parse_iterations(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn iterations_default_to_five_and_must_be_positive() {
        assert_eq!(parse(&[]), Ok(5));
        assert_eq!(parse(&["--iterations", "12"]), Ok(12));
        assert!(parse(&["--iterations", "0"]).is_err());
        assert!(parse(&["--iterations"]).is_err());
        assert!(parse(&["extra"]).is_err());
    }
}
