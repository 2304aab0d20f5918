//! `cargo run --release -p flotilla-bench`: native placement benchmarks. Prints placements/s
//! at 100, 1,000 and 5,000 instances — on the index alone for each of `index_strategies`, and
//! through `World` for each of `WORLD_WORKLOADS` (the service default, RunTask's `random`,
//! binpack and the others) with live heap bytes per task, measured by a counting global
//! allocator — and the C1M run (1,000,000 tasks onto 5,000 instances), world snapshot size and
//! encode/decode time at 1,000 instances / 10,000 tasks, and the bytes held by checkpoints taken
//! every 1,000 events of a long run. Placement rates are per second of the benchmark thread's
//! CPU time (`thread_cpu_seconds`), so a loaded machine does not halve them; snapshot times are
//! wall time. World figures are the median of `FLOTILLA_BENCH_WORLD_REPEATS` runs (3), RunTask's
//! of `FLOTILLA_BENCH_RUN_TASK_CALLS` calls (10,000). RunTask's headline figure times its calls
//! only, not the lifecycle wake-ups of earlier tasks that run between them (a service
//! workload's window holds none either); until 2026-12 it timed the whole run, which the same
//! line still prints as "whole run with lifecycle wake-ups" (`world_benchmark`). `FLOTILLA_BENCH_WORLD_ONLY=1` runs only
//! the world workloads, `FLOTILLA_BENCH_WORLD_FILTER` / `FLOTILLA_BENCH_INSTANCES` narrow them.

// The benchmark measures time; the clock ban (clippy.toml) is for the core.
#![allow(clippy::disallowed_types)]

use flotilla_bench::{
    cluster, index_strategies, place_tasks, step_calls_timed, step_until_placed, world_scenario,
    WORLD_WORKLOADS,
};
use flotilla_core::{parse_scenario, World};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

// One of the two unsafe blocks in the workspace (with `thread_cpu_seconds`): a global allocator
// must be `unsafe impl`.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    // The system allocator's own `realloc` (grown in place, or remapped when large), as every
    // native build without this counter has: the trait's default allocates anew, copies and
    // frees, so each growth of the task table copied it whole into freshly faulted pages — a
    // cost of the benchmark, not of the core (a third of RunTask's time at 5,000 instances).
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const REPEATS: u32 = 5;

/// CPU time this thread has run, in seconds: on a shared machine a core is not always ours, so
/// the figures divide by the time spent working, not by the wall time spent waiting too.
#[cfg(unix)]
#[allow(unsafe_code)]
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID exists on Linux and
    // macOS. On failure `now` stays zero and the figures read as infinite, visibly wrong.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

#[cfg(not(unix))]
fn thread_cpu_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Times `work` in CPU seconds of this thread.
fn cpu_timed<R>(work: impl FnOnce() -> R) -> (R, f64) {
    let started = thread_cpu_seconds();
    let result = work();
    (result, thread_cpu_seconds() - started)
}

const C1M_REPEATS: u32 = 3;

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Places tasks through `World` (reconcile or RunTask, task records, events, index updates)
/// `repeats` times, each on a fresh world, and prints the median placements/s (with the
/// slowest and fastest run) and live bytes per task (everything the world allocated for them).
///
/// What is timed: a service workload places all its tasks in one scheduler round at 0 s, so
/// its window holds placements only. A RunTask workload's calls come one per second, and
/// between them run the lifecycle wake-ups of the tasks earlier calls launched (PENDING →
/// ACTIVATING → RUNNING, 15-20% of the run at 5,000 instances). Its headline figure times the
/// calls alone (`step_calls_timed`: each call's wake-up, with its placements, launches and
/// records, less the measured cost of reading the clock, printed), like the service workloads; the figure this benchmark printed before, the whole
/// run with the lifecycle wake-ups in it (`step_until_placed`), follows on the same line as
/// "whole run", each run on a fresh world of its own.
fn world_benchmark(
    label: &str,
    instances: u32,
    service_tasks: u32,
    run_task_calls: u32,
    strategies: &str,
    repeats: u32,
) {
    let text = world_scenario(instances, service_tasks, run_task_calls, strategies, true);
    let scenario = parse_scenario(&text).expect("the benchmark scenario is valid");
    let wanted = service_tasks + run_task_calls * 10;
    let mut rates = Vec::new();
    let mut whole_rates = Vec::new();
    let (mut placed, mut seconds, mut bytes, mut world_bytes, mut fleet) = (0, 0.0, 0, 0, 0);
    let mut clock_read = 0.0;
    for _ in 0..repeats.max(1) {
        let before = LIVE_BYTES.load(Ordering::Relaxed);
        let mut world = World::new(&scenario).expect("the benchmark world builds");
        let built = LIVE_BYTES.load(Ordering::Relaxed);
        let (placed_now, seconds_now) = if run_task_calls > 0 {
            let (placed, seconds, per_read) =
                step_calls_timed(&mut world, run_task_calls, thread_cpu_seconds);
            clock_read = per_read;
            (placed, seconds)
        } else {
            cpu_timed(|| step_until_placed(&mut world, wanted))
        };
        let after = LIVE_BYTES.load(Ordering::Relaxed);
        rates.push(f64::from(placed_now) / seconds_now);
        (placed, seconds) = (placed_now, seconds_now);
        bytes = after.saturating_sub(built);
        world_bytes = built.saturating_sub(before);
        fleet = world.instances().len();
        drop(world);
        if run_task_calls > 0 {
            let mut world = World::new(&scenario).expect("the benchmark world builds");
            let (placed_whole, whole) = cpu_timed(|| step_until_placed(&mut world, wanted));
            whole_rates.push(f64::from(placed_whole) / whole);
        }
    }
    let median = |rates: &mut Vec<f64>| {
        rates.sort_by(f64::total_cmp);
        format!(
            "{:>9.0} placements/s (median of {}: {:.0}..{:.0}",
            rates[rates.len() / 2],
            rates.len(),
            rates[0],
            rates[rates.len() - 1]
        )
    };
    let window = if run_task_calls > 0 {
        format!(
            " calls only, less {:.2} us per clock read",
            clock_read * 1e6
        )
    } else {
        String::new()
    };
    let whole = if whole_rates.is_empty() {
        String::new()
    } else {
        format!(
            "; whole run with lifecycle wake-ups {})",
            median(&mut whole_rates).trim_start()
        )
    };
    println!(
        "world {label} at {fleet:>5} instances: {}; {placed} in {seconds:.3} s){window}{whole}, {:.0} bytes per task (world itself {:.1} MiB)",
        median(&mut rates),
        bytes as f64 / f64::from(placed.max(1)),
        world_bytes as f64 / 1_048_576.0,
    );
}

/// World snapshots (tests and tools; the web app no longer sends worlds as bytes): bytes, and the
/// best of several encodes and decodes, at 1,000 instances and 10,000 running tasks.
fn snapshot_benchmark() {
    let text = world_scenario(1_000, 10_000, 0, "[]", false);
    let scenario = parse_scenario(&text).expect("the benchmark scenario is valid");
    let mut world = World::new(&scenario).expect("the benchmark world builds");
    world.run_until(flotilla_core::SimTime::from_secs(120));
    let (mut encode, mut decode) = (f64::MAX, f64::MAX);
    let mut bytes = Vec::new();
    for _ in 0..REPEATS {
        let started = Instant::now();
        bytes = world.to_snapshot();
        encode = encode.min(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let restored = World::from_snapshot(&bytes).expect("a fresh snapshot decodes");
        decode = decode.min(started.elapsed().as_secs_f64());
        assert_eq!(restored.events().len(), world.events().len());
    }
    println!(
        "snapshot at {} instances / {} tasks / {} events: {} bytes, encode {:.1} ms, decode {:.1} ms (best of {REPEATS})",
        world.instances().len(),
        world.tasks().len(),
        world.events().len(),
        bytes.len(),
        encode * 1e3,
        decode * 1e3,
    );
}

/// Checkpoints along a long run (one every 1,000 events, as a session or a long jump's waypoints
/// take them): live bytes the checkpoints hold beyond the live world, state and history together.
fn checkpoint_benchmark() {
    let text = world_scenario(100, 20_000, 0, "[]", false);
    let scenario = parse_scenario(&text).expect("the benchmark scenario is valid");
    let mut world = World::new(&scenario).expect("the benchmark world builds");
    let mut checkpoints = Vec::new();
    let mut next = 1_000;
    while !world.step().is_empty() {
        if world.events().len() >= next {
            checkpoints.push(world.checkpoint());
            next += 1_000;
        }
    }
    let with_checkpoints = LIVE_BYTES.load(Ordering::Relaxed);
    let count = checkpoints.len();
    drop(checkpoints);
    let held = with_checkpoints.saturating_sub(LIVE_BYTES.load(Ordering::Relaxed));
    println!(
        "checkpoints every 1,000 of {} events: {count} checkpoints hold {:.1} MiB ({:.0} KiB each)",
        world.events().len(),
        held as f64 / 1_048_576.0,
        held as f64 / 1024.0 / count.max(1) as f64,
    );
}

fn main() {
    println!(
        "size_of Task = {} bytes, Event = {} bytes",
        std::mem::size_of::<flotilla_core::task::Task>(),
        std::mem::size_of::<flotilla_core::Event>()
    );
    let world_only = std::env::var("FLOTILLA_BENCH_WORLD_ONLY").is_ok();
    if !world_only {
        checkpoint_benchmark();
        if std::env::var("FLOTILLA_BENCH_CHECKPOINTS_ONLY").is_ok() {
            return;
        }
        snapshot_benchmark();
        if std::env::var("FLOTILLA_BENCH_SNAPSHOT_ONLY").is_ok() {
            return;
        }
    }
    let world_tasks = env_u32("FLOTILLA_BENCH_WORLD_TASKS", 100_000);
    // 10,000 calls (100,000 tasks, as many as the service workloads place): with 1,000 the
    // figure moved by a quarter between runs. At 102 instances only 2,184 calls fit; the
    // rest fail whole on a full cluster, which the run then measures too.
    let run_task_calls = env_u32("FLOTILLA_BENCH_RUN_TASK_CALLS", 10_000);
    let world_repeats = env_u32("FLOTILLA_BENCH_WORLD_REPEATS", 3);
    // FLOTILLA_BENCH_WORLD_FILTER=text runs only the workloads whose label contains it, and
    // FLOTILLA_BENCH_INSTANCES=n only that fleet size (for profiling one workload).
    let filter = std::env::var("FLOTILLA_BENCH_WORLD_FILTER").unwrap_or_default();
    let sizes: Vec<u32> = match std::env::var("FLOTILLA_BENCH_INSTANCES") {
        Ok(n) => vec![n.parse().expect("FLOTILLA_BENCH_INSTANCES is a number")],
        Err(_) => vec![100, 1_000, 5_000],
    };
    for instances in sizes {
        for (label, service_tasks, calls, strategies) in WORLD_WORKLOADS
            .iter()
            .filter(|(label, ..)| label.contains(filter.as_str()))
        {
            world_benchmark(
                label,
                instances,
                if *service_tasks { world_tasks } else { 0 },
                if *calls { run_task_calls } else { 0 },
                strategies,
                world_repeats,
            );
        }
    }
    if std::env::var("FLOTILLA_BENCH_WORLD_ONLY").is_ok() {
        return;
    }
    let placements: u32 = std::env::var("FLOTILLA_BENCH_PLACEMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let c1m_strategies = index_strategies().remove(0).1;
    // The same untimed pass as the wasm benchmark (which needs it for V8's tier-up).
    place_tasks(&mut cluster(1_000), placements, 16, 16, &c1m_strategies);
    // Best of several runs: the machine is shared, so the fastest run is the least disturbed.
    for (label, strategies) in index_strategies() {
        for instances in [100, 1_000, 5_000] {
            let mut best = f64::MAX;
            let mut placed = 0;
            for _ in 0..REPEATS {
                let mut fleet = cluster(instances);
                let (table, seconds) =
                    cpu_timed(|| place_tasks(&mut fleet, placements, 16, 16, &strategies));
                placed = table.len();
                best = best.min(seconds);
            }
            println!(
                "index {label} at {instances:>5} instances: {:>10.0} placements/s ({placed} placements in {best:.3} s, best of {REPEATS})",
                placed as f64 / best
            );
        }
    }
    let mut best = f64::MAX;
    let mut bytes_per_task = 0.0;
    let mut placed = 0;
    for _ in 0..C1M_REPEATS {
        let mut fleet = cluster(5_000);
        let before = LIVE_BYTES.load(Ordering::Relaxed);
        let (table, seconds) =
            cpu_timed(|| place_tasks(&mut fleet, 1_000_000, 256, 512, &c1m_strategies));
        best = best.min(seconds);
        let after = LIVE_BYTES.load(Ordering::Relaxed);
        placed = table.len();
        bytes_per_task = after.saturating_sub(before) as f64 / placed as f64;
    }
    println!(
        "C1M: {placed} tasks onto 5000 instances in {best:.3} s ({:.0} placements/s, best of {C1M_REPEATS}), {bytes_per_task:.1} bytes per task",
        placed as f64 / best,
    );
}
