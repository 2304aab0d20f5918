//! Long jumps without freezing the page, all on the page's own thread. A seek that only runs the
//! clock forward from one saved state (`Run::seek_start`) first runs for at most
//! `FIRST_SHARE_MS` of wall time, in slices of a few wake-ups; most jumps end there. If it is
//! not done it becomes a `Jump`: `jump_slices::RunningJump` runs the rest in shares of
//! `SHARE_MS`, giving the browser back its thread between two shares (input, rendering, the
//! progress bar), and hands the world reached to the reducer; `Run::finish_seek` then puts it
//! exactly where `Run::seek` would have. Cancel (or any input that replaces the jump) drops it
//! and leaves the run as it was.
//!
//! Why not a Web Worker (as before): the world would cross threads as bytes, and the snapshot
//! reader and writer were a seventh of the app's download (~30 KiB gzip), a second compile of
//! the app in the worker, and a decode of the whole world on the page at the end of every jump.
//! Shares on the page cost the jump a few per cent of its speed and nothing else.

use flotilla_core::{SimTime, SliceEnd, World};
use std::cell::RefCell;

/// Wall time the first share of a seek may take before it becomes a jump with a progress bar.
pub const FIRST_SHARE_MS: f64 = 40.0;
/// Wall time of each later share: short enough that a click, and the frame that shows its
/// answer, each wait at most about this long behind a share (at 30 ms, a tab click during a
/// jump on 10,000 tasks took ~130 ms to show, against ~70 ms with the old worker), and long
/// enough that yielding (a message, the progress bar's render) costs the jump a few per cent.
pub const SHARE_MS: f64 = 12.0;
/// Wall time a slice between two looks at the clock aims at: its wake-ups double while slices
/// are shorter and halve while they are longer than twice this. One wake-up can be a service
/// reconcile that launches 1,000 tasks (~16 ms in wasm), so a fixed count overshoots a share's
/// budget in a burst (4 such wake-ups made a share of 200 ms on a busy machine), while one
/// wake-up per look reads the clock a million times in a jump of hours.
const SLICE_MS: f64 = 1.0;
const SLICE_WAKEUPS_MAX: u64 = 4_096;

/// A seek that outlasted its first share, run on in later shares. The run is unchanged until it
/// is done.
#[derive(Debug)]
pub struct Jump {
    /// Tells this jump's messages from a cancelled one's.
    pub id: u64,
    /// The clock when the user asked (the progress bar starts here).
    pub from: SimTime,
    pub target: SimTime,
    /// Where the first share got to, and the wake-ups it popped (the bound counts them).
    pub reached: SimTime,
    pub events: u64,
    pub popped: u64,
    /// The world at `reached`, taken by the `RunningJump` that runs the rest.
    pub world: RefCell<Option<World>>,
}

/// Jumps are told apart by id (the world in one is not compared).
impl PartialEq for Jump {
    fn eq(&self, other: &Jump) -> bool {
        self.id == other.id
    }
}

/// How the last long jump ended: shown as data attributes so tests can compare a jump with the
/// same moment reached another way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JumpResult {
    pub at: SimTime,
    pub events: u64,
    /// `World::digest` of the world reached.
    pub digest: u64,
    /// The bound the run hit, when it stopped short of the target ("run bound hit").
    pub bound: Option<flotilla_core::RunBound>,
}

/// What one share of a jump did.
pub enum Share {
    /// `world` reached the target, or stopped at a run bound (`World::run_bound`).
    Reached,
    /// Out of time: `world` paused (perhaps inside a moment) after `popped` wake-ups in all.
    Unfinished { popped: u64 },
}

/// Runs `world` towards `target` until it gets there or `budget_ms` of wall time has passed;
/// `popped`: wake-ups the jump's earlier shares popped (the run's bound counts across them).
pub fn run_share(world: &mut World, target: SimTime, budget_ms: f64, mut popped: u64) -> Share {
    let clock = WallClock::new();
    let started = clock.now();
    let (mut slice_wakeups, mut slice_started) = (1, started);
    loop {
        // Inside moments too: the first moments of a big fleet launch thousands of tasks each.
        let report = world.run_until_partly(target, slice_wakeups, popped);
        popped += report.wakeups;
        if report.end != SliceEnd::Paused {
            // Reached, or a run bound ended the jump where it stopped; the reducer says so.
            return Share::Reached;
        }
        let now = clock.now();
        if now - started >= budget_ms {
            return Share::Unfinished { popped };
        }
        let took = now - slice_started;
        slice_wakeups = if took < SLICE_MS {
            (slice_wakeups * 2).min(SLICE_WAKEUPS_MAX)
        } else if took > 2.0 * SLICE_MS {
            (slice_wakeups / 2).max(1)
        } else {
            slice_wakeups
        };
        slice_started = now;
    }
}

/// When a jump keeps the world it passed as a checkpoint of the run (a waypoint), so that a
/// later rewind into the stretch it ran replays a few thousand events, not all of them. The
/// spacing doubles after every `WAYPOINTS_PER_SPACING`, so a jump of hours keeps a few, not
/// thousands: each is a clone of the world's state (the event log is shared).
#[derive(Debug)]
pub struct Waypoints {
    events_at_last: u64,
    taken: u32,
    first_spacing: u64,
}

/// Events between the first waypoints of a jump.
const WAYPOINT_EVENTS: u64 = 5_000;
const WAYPOINTS_PER_SPACING: u32 = 4;
const WAYPOINTS_MAX: u32 = 8;

impl Waypoints {
    pub fn new(events_at_start: u64) -> Waypoints {
        Waypoints::every(events_at_start, WAYPOINT_EVENTS)
    }

    /// Waypoints every `first_spacing` events at first (tests use a small spacing).
    pub fn every(events_at_start: u64, first_spacing: u64) -> Waypoints {
        Waypoints {
            events_at_last: events_at_start,
            taken: 0,
            first_spacing,
        }
    }

    /// Whether to keep `world` as a waypoint now (and count it if so): only between two
    /// moments, where a run can be checkpointed, and once enough events have happened.
    pub fn take(&mut self, world: &World) -> bool {
        let spacing = self.first_spacing << (self.taken / WAYPOINTS_PER_SPACING).min(16);
        let events = world.events().len() as u64;
        if self.taken >= WAYPOINTS_MAX
            || events.saturating_sub(self.events_at_last) < spacing
            || !world.is_between_moments()
        {
            return false;
        }
        self.events_at_last = events;
        self.taken += 1;
        true
    }
}

/// Milliseconds of wall time (`performance.now`), the `Performance` object looked up once per
/// share. The shares' budget is, besides the play timer, the only place the app reads a wall
/// clock; simulated time never depends on it, only how a jump is split into shares. Without a
/// `Performance` (no window: a test runner) the clock stands still at 0, so a share of budget
/// 0 runs one slice and any other runs to the end.
struct WallClock(Option<web_sys::Performance>);

impl WallClock {
    fn new() -> WallClock {
        WallClock(web_sys::window().and_then(|window| window.performance()))
    }

    fn now(&self) -> f64 {
        self.0.as_ref().map_or(0.0, |performance| performance.now())
    }
}
