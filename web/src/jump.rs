//! Long jumps without freezing the page. A seek that only runs the clock forward from one saved
//! state (`Run::seek_start`) first runs on the page for at most `PAGE_BUDGET_MS` of wall time,
//! in slices of a few hundred wake-ups; most jumps end there. If it is not done, the world
//! so far goes to a Web Worker as a snapshot (`www/worker.js`, `worker.rs`), which runs the rest
//! and sends the world back; `Run::finish_seek` then puts it exactly where `Run::seek` would
//! have. The worker lives as long as `components::jump_progress` shows the jump, so Cancel (or
//! any input that replaces the jump) terminates it and leaves the run as it was.

use flotilla_core::{SimTime, SliceEnd, World};

/// Wall time a jump may take on the page before the worker takes over. The page stays
/// responsive for 40 ms plus the clone and the snapshot; a click waits at most that long.
pub const PAGE_BUDGET_MS: f64 = 40.0;
/// Wake-ups between two looks at the wall clock. Few: one wake-up can be a service reconcile
/// that launches 1,000 tasks (~16 ms in wasm), so 200 of them overshot the budget fourfold.
const SLICE_WAKEUPS: u64 = 4;

/// A jump handed to the worker. The run is unchanged until it comes back.
#[derive(Debug, PartialEq)]
pub struct Jump {
    /// Tells this jump's messages from a cancelled one's.
    pub id: u64,
    /// The clock when the user asked (the progress bar starts here).
    pub from: SimTime,
    pub target: SimTime,
    /// Where the page's slice got to, and the wake-ups it popped (the bound counts them).
    pub reached: SimTime,
    pub events: u64,
    pub popped: u64,
    /// The world at `reached`, for the worker.
    pub snapshot: Vec<u8>,
}

/// How the last long jump ended: shown as data attributes so tests can compare a jump through
/// the worker with the same jump on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JumpResult {
    pub at: SimTime,
    pub events: u64,
    /// `snapshot_fingerprint` of the world reached.
    pub fingerprint: u64,
    /// "worker", or "page" when no worker could be started.
    pub ran_in: &'static str,
    /// Wall time the page spent taking the result in (decoding the worker's snapshot).
    pub take_in_ms: u32,
    /// The bound the run hit, when it stopped short of the target ("run bound hit").
    pub bound: Option<flotilla_core::RunBound>,
}

/// What the page's share of a jump did.
pub enum PageRun {
    /// `world` reached the target, or stopped at a run bound (`World::run_bound`).
    Reached,
    /// Out of time: `world` paused (perhaps inside a moment) after `popped` wake-ups.
    Unfinished { popped: u64 },
}

/// Runs `world` towards `target` until it gets there or `budget_ms` of wall time has passed.
pub fn run_on_page(world: &mut World, target: SimTime, budget_ms: f64) -> PageRun {
    let started = wall_ms();
    let mut popped = 0;
    loop {
        // Inside moments too: the first moments of a big fleet launch thousands of tasks each.
        let report = world.run_until_partly(target, SLICE_WAKEUPS, popped);
        popped += report.wakeups;
        match report.end {
            // A run bound ends the jump where it stopped; the reducer says so.
            SliceEnd::Reached | SliceEnd::Bounded(_) => return PageRun::Reached,
            SliceEnd::Paused if wall_ms() - started >= budget_ms => {
                return PageRun::Unfinished { popped }
            }
            SliceEnd::Paused => {}
        }
    }
}

/// Finishes a jump on the page when no worker could take it (it may pause the page), from the
/// world the page had paused at.
pub fn run_rest_on_page(jump: &Jump) -> Result<World, String> {
    let mut world = World::from_snapshot(&jump.snapshot).map_err(|error| error.to_string())?;
    let mut popped = jump.popped;
    loop {
        let report = world.run_until_sliced(jump.target, u64::MAX, popped);
        popped += report.wakeups;
        if report.end != SliceEnd::Paused {
            return Ok(world);
        }
    }
}

/// Milliseconds of wall time (`performance.now`). The page's slice budget is, besides the play
/// timer, the only place the app reads a wall clock; simulated time never depends on it, only
/// how a jump is split between page and worker.
pub fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
