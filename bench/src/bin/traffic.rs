//! `cargo run --release -p flotilla-bench --bin traffic [-- --iterations N]`: times the pure
//! traffic tick (`flotilla_bench::traffic`: 10,000 routes, 30,000 targets, 3,600 one-second
//! ticks; budget 10 s native for the whole discovery-and-traffic hour) and prints the minimum
//! and median over N runs (default 3), the totals, and the bytes `TrafficState` holds per
//! target (its per-id vectors, and the per-minute history the hour appended).

// The benchmark measures wall time; the clock ban (clippy.toml) is for the core.
#![allow(clippy::disallowed_types)]

use flotilla_bench::traffic::{run_hour, snapshot, ROUTES, TARGETS_PER_GROUP, TICKS};
use flotilla_core::traffic::counters::{GroupMinute, RouteMinute};
use flotilla_core::traffic::TrafficState;
use std::process::ExitCode;

const USAGE: &str = "usage: traffic [--iterations N]";

fn main() -> ExitCode {
    let iterations = match parse_iterations(std::env::args().skip(1)) {
        Ok(iterations) => iterations,
        Err(message) => {
            eprintln!("traffic: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let snapshot = snapshot();
    let targets = (ROUTES * TARGETS_PER_GROUP) as usize;
    let mut times_ms = Vec::new();
    let mut last = None;
    for _ in 0..iterations {
        let mut state = TrafficState::default();
        let started = std::time::Instant::now();
        let total = run_hour(&snapshot, &mut state);
        times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some((total, state));
    }
    let Some((total, state)) = last else {
        return ExitCode::from(2);
    };
    times_ms.sort_by(f64::total_cmp);
    let history_bytes = state.counters.group_records().len() * size_of::<GroupMinute>()
        + state.counters.route_records().len() * size_of::<RouteMinute>();
    println!(
        "bench traffic: {ROUTES} routes, {targets} targets, {TICKS} ticks of 1 s: {} requests, {} 2xx, {} target 5xx, {} ELB 5xx, {} DNS failures, {} hazards",
        total.requests,
        total.count_2xx,
        total.target_5xx,
        total.elb_5xx,
        total.dns_failures,
        state.hazards.all().count()
    );
    println!(
        "time per hour: min {:.0} ms, median {:.0} ms over {iterations} runs ({:.0} ns per target per tick; budget 10 s)",
        times_ms[0],
        times_ms[times_ms.len() / 2],
        times_ms[0] * 1e6 / (targets as f64 * TICKS as f64)
    );
    println!(
        "memory: TrafficState per-id vectors {} bytes per target; per-minute history after 1 h {} bytes per target ({} group and {} route records)",
        state.heap_bytes() / targets,
        history_bytes / targets,
        state.counters.group_records().len(),
        state.counters.route_records().len()
    );
    ExitCode::SUCCESS
}

/// `--iterations N` (N > 0); 3 without it.
fn parse_iterations(args: impl IntoIterator<Item = String>) -> Result<u32, String> {
    flotilla_bench::parse_iterations(args, 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterations_default_to_three_and_must_be_positive() {
        let parse = |args: &[&str]| parse_iterations(args.iter().map(|arg| arg.to_string()));
        assert_eq!(parse(&[]), Ok(3));
        assert_eq!(parse(&["--iterations", "2"]), Ok(2));
        assert!(parse(&["--iterations", "0"]).is_err());
        assert!(parse(&["extra"]).is_err());
    }
}
