//! The placement benchmark in wasm under headless Chromium: the same workload as the native
//! `flotilla-bench` binary (placements/s at 100, 1,000 and 5,000 instances; C1M; service and
//! RunTask placements through `World` at 5,000 instances). Gated at
//! compile time so ordinary browser test runs stay fast: build with `FLOTILLA_BENCH=1`
//! (`FLOTILLA_BENCH=1 cargo test -p flotilla-web --target wasm32-unknown-unknown --release
//! --test bench`); results are printed to the test output.

use flotilla_bench::{cluster, place_tasks, step_until_placed, world_scenario};
use flotilla_core::{parse_scenario, World};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
fn placement_benchmark() {
    if option_env!("FLOTILLA_BENCH").is_none() {
        return;
    }
    // V8 first runs wasm from its baseline compiler and tiers hot functions up to the
    // optimising one while they run; one untimed pass first so the figures are steady-state.
    place_tasks(&mut cluster(1_000), 200_000, 16, 16);
    // Best of several runs, as natively: the machine is shared.
    for instances in [100, 1_000, 5_000] {
        let mut best = f64::MAX;
        let mut placed = 0;
        for _ in 0..5 {
            let mut fleet = cluster(instances);
            let started = now_ms();
            placed = place_tasks(&mut fleet, 200_000, 16, 16).len();
            best = best.min((now_ms() - started) / 1000.0);
        }
        console_log!(
            "wasm placements/s at {instances} instances: {:.0} ({placed} in {best:.3} s, best of 5)",
            placed as f64 / best
        );
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let mut fleet = cluster(5_000);
        let started = now_ms();
        let table = place_tasks(&mut fleet, 1_000_000, 256, 512);
        best = best.min((now_ms() - started) / 1000.0);
        assert_eq!(table.len(), 1_000_000);
    }
    console_log!(
        "wasm C1M: 1000000 tasks onto 5000 instances in {best:.3} s ({:.0} placements/s, best of 3)",
        1_000_000.0 / best
    );
    for (label, service_tasks, run_task_calls, strategies) in [
        ("service [spread AZ, spread instanceId]", 100_000, 0, "[]"),
        (
            "service [spread AZ, binpack memory]",
            100_000,
            0,
            r#"[{"type":"spread","field":"attribute:ecs.availability-zone"},{"type":"binpack","field":"memory"}]"#,
        ),
        ("RunTask x10 [random]", 0, 1_000, "[]"),
    ] {
        let text = world_scenario(5_000, service_tasks, run_task_calls, strategies, true);
        let scenario = parse_scenario(&text).expect("the benchmark scenario is valid");
        let mut world = World::new(&scenario).expect("the benchmark world builds");
        let started = now_ms();
        let placed = step_until_placed(&mut world, service_tasks + run_task_calls * 10);
        let seconds = (now_ms() - started) / 1000.0;
        console_log!(
            "wasm world {label} at 5001 instances: {:.0} placements/s ({placed} in {seconds:.3} s)",
            placed as f64 / seconds
        );
    }
}
