//! `cargo run --release -p flotilla-bench`: native placement benchmarks. Prints placements/s
//! at 100, 1,000 and 5,000 instances and the C1M run (1,000,000 tasks onto 5,000 instances)
//! with wall time and heap bytes per task, measured by a counting global allocator.

// The benchmark measures wall time; the clock ban (clippy.toml) is for the core.
#![allow(clippy::disallowed_types)]

use flotilla_bench::{cluster, place_tasks};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let placements: u32 = std::env::var("FLOTILLA_BENCH_PLACEMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    for instances in [100, 1_000, 5_000] {
        let mut fleet = cluster(instances);
        let started = Instant::now();
        let placed = place_tasks(&mut fleet, placements, 16, 16).len();
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "placements/s at {instances:>5} instances: {:>10.0}  ({placed} placements in {seconds:.3} s)",
            placed as f64 / seconds
        );
    }
    let mut fleet = cluster(5_000);
    let before = LIVE_BYTES.load(Ordering::Relaxed);
    let started = Instant::now();
    let table = place_tasks(&mut fleet, 1_000_000, 256, 512);
    let seconds = started.elapsed().as_secs_f64();
    let after = LIVE_BYTES.load(Ordering::Relaxed);
    println!(
        "C1M: {} tasks onto 5000 instances in {seconds:.3} s ({:.0} placements/s), {:.1} bytes per task",
        table.len(),
        table.len() as f64 / seconds,
        (after.saturating_sub(before)) as f64 / table.len() as f64
    );
}
