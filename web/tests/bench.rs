//! The placement benchmark in wasm under headless Chromium: the same workload as the native
//! `flotilla-bench` binary (placements/s at 100, 1,000 and 5,000 instances; C1M). Gated at
//! compile time so ordinary browser test runs stay fast: build with `FLOTILLA_BENCH=1`
//! (`FLOTILLA_BENCH=1 cargo test -p flotilla-web --target wasm32-unknown-unknown --release
//! --test bench`); results are printed to the test output.

use flotilla_bench::{cluster, place_tasks};
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
    for instances in [100, 1_000, 5_000] {
        let mut fleet = cluster(instances);
        let started = now_ms();
        let placed = place_tasks(&mut fleet, 200_000, 16, 16).len();
        let seconds = (now_ms() - started) / 1000.0;
        console_log!(
            "wasm placements/s at {instances} instances: {:.0} ({placed} in {seconds:.3} s)",
            placed as f64 / seconds
        );
    }
    let mut fleet = cluster(5_000);
    let started = now_ms();
    let table = place_tasks(&mut fleet, 1_000_000, 256, 512);
    let seconds = (now_ms() - started) / 1000.0;
    console_log!(
        "wasm C1M: {} tasks onto 5000 instances in {seconds:.3} s ({:.0} placements/s)",
        table.len(),
        table.len() as f64 / seconds
    );
    assert_eq!(table.len(), 1_000_000);
}
