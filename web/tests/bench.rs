//! The placement benchmark in wasm under headless Chromium: the same workload as the native
//! `flotilla-bench` binary (placements/s on the index alone at 100, 1,000 and 5,000 instances
//! for the C1M list, the service default and `random`; C1M; and the headline figures: every
//! world workload — the service default `[spread AZ, spread instanceId]`, RunTask's `random`
//! (10,000 calls of 10, the calls alone timed, as natively), binpack and the others — through
//! `World` at 5,000 instances). Gated at compile time so ordinary browser test runs stay fast:
//! build with `FLOTILLA_BENCH=1` (`FLOTILLA_BENCH=1 cargo test -p flotilla-web --target
//! wasm32-unknown-unknown --release --test bench`); results are printed to the test output.
//! `FLOTILLA_BENCH_WORLD_ONLY=1` at build time too runs only the world workloads.

use flotilla_bench::{
    cluster, index_strategies, place_tasks, step_calls_timed, step_until_placed, world_scenario,
    WORLD_WORKLOADS,
};
use flotilla_core::{parse_scenario, World};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A clock in seconds from `performance.now()`, the finest the page has (Chromium rounds it to
/// 100 us without cross-origin isolation, `Date.now()` to 1 ms). RunTask's calls are timed one
/// by one, each window a few microseconds: a window reads one tick or none, with the chance of
/// a tick its true length over the tick's, so the sum over 10,000 calls is the calls' time give
/// or take a few milliseconds. The `Performance` object is looked up once, so a read is one
/// call into JS.
fn performance_clock() -> impl Fn() -> f64 {
    let performance = web_sys::window()
        .and_then(|window| window.performance())
        .expect("the benchmark runs on a page with performance.now()");
    move || performance.now() / 1000.0
}

/// RunTask's calls: 10,000 of 10 tasks, as natively (with 1,000 the run lasted tens of
/// milliseconds and its figure moved by a quarter between runs).
const RUN_TASK_CALLS: u32 = 10_000;

#[wasm_bindgen_test]
fn placement_benchmark() {
    if option_env!("FLOTILLA_BENCH").is_none() {
        return;
    }
    if option_env!("FLOTILLA_BENCH_WORLD_ONLY").is_none() {
        index_benchmark();
    }
    world_benchmark();
}

/// Placements/s on the index alone for each of `index_strategies` at 100, 1,000 and 5,000
/// instances, and C1M.
fn index_benchmark() {
    let c1m_strategies = index_strategies().remove(0).1;
    // V8 first runs wasm from its baseline compiler and tiers hot functions up to the
    // optimising one while they run; one untimed pass first so the figures are steady-state.
    place_tasks(&mut cluster(1_000), 200_000, 16, 16, &c1m_strategies);
    // Best of several runs, as natively: the machine is shared.
    for (label, strategies) in index_strategies() {
        for instances in [100, 1_000, 5_000] {
            let mut best = f64::MAX;
            let mut placed = 0;
            for _ in 0..5 {
                let mut fleet = cluster(instances);
                let started = now_ms();
                placed = place_tasks(&mut fleet, 200_000, 16, 16, &strategies).len();
                best = best.min((now_ms() - started) / 1000.0);
            }
            console_log!(
                "wasm index {label} at {instances} instances: {:.0} placements/s ({placed} in {best:.3} s, best of 5)",
                placed as f64 / best
            );
        }
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let mut fleet = cluster(5_000);
        let started = now_ms();
        let table = place_tasks(&mut fleet, 1_000_000, 256, 512, &c1m_strategies);
        best = best.min((now_ms() - started) / 1000.0);
        assert_eq!(table.len(), 1_000_000);
    }
    console_log!(
        "wasm C1M: 1000000 tasks onto 5000 instances in {best:.3} s ({:.0} placements/s, best of 3)",
        1_000_000.0 / best
    );
}

/// The headline figures: every world workload (the service default, RunTask's default and the
/// others) at 5,000 instances, best of 3. A service workload places everything in one
/// scheduler round, timed whole; RunTask's figure times its calls only (`step_calls_timed`,
/// the native benchmark's helper), not the lifecycle wake-ups of earlier tasks between them.
fn world_benchmark() {
    for (label, service_tasks, run_task_calls, strategies) in WORLD_WORKLOADS {
        let service_tasks = if *service_tasks { 100_000 } else { 0 };
        let run_task_calls = if *run_task_calls { RUN_TASK_CALLS } else { 0 };
        let text = world_scenario(5_000, service_tasks, run_task_calls, strategies, true);
        let scenario = parse_scenario(&text).expect("the benchmark scenario is valid");
        let wanted = service_tasks + run_task_calls * 10;
        let (mut best, mut best_whole) = (f64::MAX, f64::MAX);
        let (mut placed, mut clock_read) = (0, 0.0);
        for _ in 0..3 {
            let mut world = World::new(&scenario).expect("the benchmark world builds");
            let seconds;
            (placed, seconds) = if run_task_calls > 0 {
                let (placed, seconds, per_read) =
                    step_calls_timed(&mut world, run_task_calls, performance_clock());
                clock_read = per_read;
                (placed, seconds)
            } else {
                let started = now_ms();
                let placed = step_until_placed(&mut world, wanted);
                (placed, (now_ms() - started) / 1000.0)
            };
            best = best.min(seconds);
            if run_task_calls > 0 {
                // The whole run, lifecycle wake-ups included, on a fresh world (as natively):
                // a check on the calls' sum of clock ticks, and the figure printed before.
                let mut world = World::new(&scenario).expect("the benchmark world builds");
                let started = now_ms();
                step_until_placed(&mut world, wanted);
                best_whole = best_whole.min((now_ms() - started) / 1000.0);
            }
        }
        let window = if run_task_calls > 0 {
            format!(
                ", calls only, less {:.2} us per clock read; whole run with lifecycle wake-ups {:.0} placements/s",
                clock_read * 1e6,
                f64::from(placed) / best_whole
            )
        } else {
            String::new()
        };
        console_log!(
            "wasm world {label} at 5001 instances: {:.0} placements/s ({placed} in {best:.3} s, best of 3{window})",
            f64::from(placed) / best
        );
    }
}

/// The traffic benchmark in wasm: the native `traffic-world` workload (`flotilla_bench::
/// traffic_world`: 10,000 services, 30,000 tasks, one simulated hour at 1 s traffic resolution
/// through the World; budget under 10 s native, wasm within 1.5× of it), the same phases timed
/// as `cargo run --release -p flotilla-bench --bin traffic-world` prints them. One run: the
/// hour is long enough for V8 to tier the tick up within its first minutes.
#[wasm_bindgen_test]
fn traffic_world_benchmark() {
    if option_env!("FLOTILLA_BENCH").is_none() {
        return;
    }
    use flotilla_bench::traffic_world::{run, world, SERVICES, TASKS_PER_SERVICE};
    use flotilla_core::SimTime;
    let started = now_ms();
    let mut world = world(SERVICES);
    let built = (now_ms() - started) / 1000.0;
    let started = now_ms();
    let early = run(&mut world, SimTime::from_secs(120));
    let warm = (now_ms() - started) / 1000.0;
    let started = now_ms();
    let late = run(&mut world, SimTime::from_secs(3_600));
    let steady = (now_ms() - started) / 1000.0;
    console_log!(
        "wasm traffic-world: {SERVICES} services, {} tasks, 1 h at 1 s: build {built:.2} s, 0 to 2 min {warm:.2} s ({early} events), 2 min to 1 h {steady:.2} s ({late} events), hour total {:.2} s (budget: within 1.5x of native)",
        SERVICES * TASKS_PER_SERVICE,
        warm + steady
    );
}
