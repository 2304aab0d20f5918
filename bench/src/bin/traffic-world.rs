//! `cargo run --release -p flotilla-bench --bin traffic-world`: one simulated hour at 1 s
//! traffic resolution through the World (`flotilla_bench::traffic_world`: 10,000 services,
//! 30,000 tasks, 2,500 target groups and entry points; budget under 10 s native). Prints the
//! wall time of building the world, of the first 2 minutes (placement, registration, health)
//! and of the remaining 58 minutes (steady traffic), and the traffic sub-state's bytes per task
//! (targets, per-target counters and scratch, and the per-minute history the hour appended).

// The benchmark measures wall time; the clock ban (clippy.toml) is for the core.
#![allow(clippy::disallowed_types)]

use flotilla_bench::traffic_world::{run, world, SERVICES, TASKS_PER_SERVICE};
use flotilla_core::traffic::counters::{GroupMinute, RouteMinute};
use flotilla_core::SimTime;
use std::time::Instant;

fn main() {
    let start = Instant::now();
    let mut world = world(SERVICES);
    let built = start.elapsed();
    let start = Instant::now();
    let early = run(&mut world, SimTime::from_secs(120));
    let warm = start.elapsed();
    let start = Instant::now();
    let late = run(&mut world, SimTime::from_secs(3_600));
    let steady = start.elapsed();
    let traffic = world.traffic().expect("the bench has traffic");
    let tasks = u64::from(SERVICES * TASKS_PER_SERVICE);
    let counters = &traffic.state().counters;
    let history = counters.group_records().len() * std::mem::size_of::<GroupMinute>()
        + counters.route_records().len() * std::mem::size_of::<RouteMinute>();
    println!("traffic-world: {SERVICES} services, {tasks} tasks, 1 h at 1 s");
    println!("  build world        {:>8.2} s", built.as_secs_f64());
    println!(
        "  0 to 2 min         {:>8.2} s ({early} events)",
        warm.as_secs_f64()
    );
    println!(
        "  2 min to 1 h       {:>8.2} s ({late} events)",
        steady.as_secs_f64()
    );
    println!(
        "  hour total         {:>8.2} s (budget 10 s)",
        (warm + steady).as_secs_f64()
    );
    println!(
        "  traffic bytes/task {:>8} (targets, per-target state and scratch; budget 500)",
        traffic.heap_bytes() as u64 / tasks
    );
    println!(
        "  counters history   {:>8} bytes/task for the hour",
        history as u64 / tasks
    );
}
