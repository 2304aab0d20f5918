//! The one integration-test binary (matklad, "How to Test"): corpus traces, determinism and
//! checkpoints, invariants over a seed sweep, malformed input, and the core's boundaries.

mod boundaries;
mod bounds;
mod compile;
mod corpus;
mod create_service;
mod decisions;
mod determinism;
mod discovery;
mod export;
mod export_discovery;
mod import_discovery;
mod malformed;
mod placement;
mod progress;
mod scheduler;
mod snapshot;
mod taskdefs;

/// Peak memory of a piece of work, for the bounds the malformed-input tests assert: a global
/// allocator that counts the bytes each thread holds and the most it held. Counting per thread
/// keeps the other tests of this binary, running in parallel, out of the measure. A global
/// allocator is `unsafe` by its trait; this is the workspace's one exception to `unsafe_code`,
/// in a test binary, forwarding every call to `System` unchanged.
#[allow(unsafe_code)]
pub mod memory {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    struct Counting;

    thread_local! {
        /// Bytes this thread allocated and has not freed (frees of others' memory subtract).
        static HELD: Cell<isize> = const { Cell::new(0) };
        /// The most `HELD` reached since the last [`peak_bytes`] began.
        static PEAK: Cell<isize> = const { Cell::new(0) };
        /// Allocations this thread made (a measure of work that no clock makes flaky).
        static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    }

    fn add(bytes: isize) {
        // `try_with`: allocations during thread teardown are not counted.
        let _ = HELD.try_with(|held| {
            let now = held.get() + bytes;
            held.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    // SAFETY: every call forwards to `System` unchanged; the counting touches only `Cell`s.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            add(layout.size() as isize);
            let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
            // SAFETY: the caller's contract is `System`'s.
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            add(-(layout.size() as isize));
            // SAFETY: the caller's contract is `System`'s.
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            add(new_size as isize - layout.size() as isize);
            // SAFETY: the caller's contract is `System`'s.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    /// What a piece of work cost: the most bytes it held at once beyond what the thread held
    /// before, and how many allocations it made.
    #[derive(Debug)]
    pub struct Usage {
        pub peak_bytes: usize,
        pub allocations: usize,
    }

    /// Runs `work` and returns its result and its [`Usage`].
    pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Usage) {
        let before = HELD.with(Cell::get);
        let allocations_before = ALLOCATIONS.with(Cell::get);
        PEAK.with(|peak| peak.set(before));
        let result = work();
        let peak = PEAK.with(Cell::get);
        let usage = Usage {
            peak_bytes: usize::try_from(peak - before).unwrap_or(0),
            allocations: ALLOCATIONS.with(Cell::get) - allocations_before,
        };
        (result, usage)
    }
}
