//! `flotilla traffic`: what the synthetic traffic did in one simulated minute. The scenario
//! runs to `--at` (default: its duration); the minute shown is the last one that ended by
//! then. Per route (entry points, then calls) and per target group: requests, the rate, 2xx,
//! 5xx from targets, 502/503 from load balancers, unresolved requests, latency percentiles and
//! host counts; then the last minutes' totals. Read from `World::traffic()`'s counters.

use crate::args::{self, Arg, Args};
use crate::load::load_world;
use crate::usage_error;
use flotilla_core::SimTime;
use std::process::ExitCode;

/// How many minutes the closing table lists.
const MINUTES_LISTED_MAX: u32 = 10;

#[derive(Debug, PartialEq)]
struct TrafficArgs {
    file: String,
    at: Option<SimTime>,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<TrafficArgs, String> {
    let mut file = None;
    let mut at = None;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("at") => at = Some(args.time("--at", "--at needs a duration, e.g. --at 5m")?),
            Arg::Value(path) if file.is_none() => file = Some(args::text(path)),
            Arg::Value(extra) => return Err(args::unexpected(&args::text(extra))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    let Some(file) = file else {
        return Err("traffic needs a scenario file".to_string());
    };
    Ok(TrafficArgs { file, at })
}

fn execute(TrafficArgs { file, at }: TrafficArgs) -> ExitCode {
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let at = at.unwrap_or_else(|| scenario.horizon());
    let report = world.run_until(at);
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&file, &world, bound));
        return ExitCode::from(4);
    }
    let Some(traffic) = world.traffic() else {
        outln!("{file}: the scenario has no traffic");
        return ExitCode::SUCCESS;
    };
    let ended = (at.as_ms() / 60_000) as u32;
    if ended == 0 {
        outln!("{file}: no minute of traffic has ended by {at}");
        return ExitCode::SUCCESS;
    }
    let minute = ended - 1;
    let counters = &traffic.state().counters;
    let plan = traffic.plan();
    outln!(
        "traffic from {} to {}",
        SimTime(u64::from(minute) * 60_000),
        SimTime(u64::from(ended) * 60_000)
    );
    outln!();
    outln!(
        "{:<32} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "route",
        "requests",
        "per s",
        "2xx",
        "5xx",
        "502/503",
        "unresolved"
    );
    for record in counters.routes_in_minute(minute).iter() {
        let name = plan
            .routes
            .get(record.route as usize)
            .map_or("?", |r| r.name.as_str());
        outln!(
            "{:<32} {:>9} {:>9.1} {:>9} {:>9} {:>9} {:>10}",
            name,
            record.requests,
            f64::from(record.requests) / 60.0,
            record.count_2xx,
            record.target_5xx,
            record.elb_5xx,
            record.dns_failures
        );
    }
    outln!();
    outln!(
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>8} {:>10}",
        "target group",
        "requests",
        "per s",
        "2xx",
        "5xx",
        "502/503",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "healthy",
        "unhealthy"
    );
    let groups = &world.discovery().config().target_groups;
    for record in counters.groups_in_minute(minute).iter() {
        let name = groups
            .get(record.group as usize)
            .map_or("?", |g| g.name.as_str());
        outln!(
            "{:<24} {:>9} {:>9.1} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7} {:>8} {:>10}",
            name,
            record.requests,
            f64::from(record.requests) / 60.0,
            record.count_2xx,
            record.target_5xx,
            record.elb_5xx,
            record.p50_us / 1_000,
            record.p90_us / 1_000,
            record.p99_us / 1_000,
            record.healthy_hosts,
            record.unhealthy_hosts
        );
    }
    outln!();
    outln!(
        "{:<12} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "minute",
        "requests",
        "2xx",
        "5xx",
        "502/503",
        "unresolved"
    );
    let first = ended.saturating_sub(MINUTES_LISTED_MAX);
    for listed in first..ended {
        let (mut requests, mut ok, mut target, mut elb, mut dns) = (0u64, 0u64, 0u64, 0u64, 0u64);
        for record in counters.routes_in_minute(listed).iter() {
            requests += u64::from(record.requests);
            ok += u64::from(record.count_2xx);
            target += u64::from(record.target_5xx);
            elb += u64::from(record.elb_5xx);
            dns += u64::from(record.dns_failures);
        }
        outln!(
            "{:<12} {:>9} {:>9} {:>9} {:>9} {:>10}",
            SimTime(u64::from(listed) * 60_000).to_string(),
            requests,
            ok,
            target,
            elb,
            dns
        );
    }
    ExitCode::SUCCESS
}
