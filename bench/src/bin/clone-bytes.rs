//! Heap bytes of one `World` clone (what a session checkpoint or a jump's waypoint holds
//! beyond the shared history), counted by a global allocator: the traffic world at 100, 1,000
//! and 10,000 services after 2 minutes, and a fleet of 1,000 and 5,000 instances with 10 tasks
//! each. `Checkpoint::bytes_estimate`'s per-service, per-task and per-instance figures come
//! from here: `cargo run --release -p flotilla-bench --bin clone-bytes`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
/// Counts live heap bytes.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
/// Heap bytes one clone of `world` allocates (the clone is dropped again).
fn clone_bytes(world: &flotilla_core::World) -> isize {
    let before = LIVE.load(Ordering::Relaxed);
    let clone = world.clone();
    let bytes = LIVE.load(Ordering::Relaxed) - before;
    drop(clone);
    bytes
}

fn main() {
    for services in [100u32, 1000, 10000] {
        let mut world = flotilla_bench::traffic_world::world(services);
        flotilla_bench::traffic_world::run(&mut world, flotilla_core::SimTime::from_secs(120));
        let bytes = clone_bytes(&world);
        println!(
            "{services} services, {} tasks, {} instances: clone {bytes} bytes = {} per service",
            world.tasks().len(),
            world.instances().len(),
            bytes / services as isize
        );
    }
    for (instances, tasks) in [(1000u32, 10000u32), (5000, 50000)] {
        let text = flotilla_bench::world_scenario(instances, tasks, 0, "[]", false);
        let scenario = flotilla_core::parse_scenario(&text).expect("scenario");
        let mut world = flotilla_core::World::new(&scenario).expect("world");
        world.run_until(flotilla_core::SimTime::from_secs(120));
        println!(
            "{instances} instances, {} tasks: clone {} bytes",
            world.tasks().len(),
            clone_bytes(&world)
        );
    }
}
