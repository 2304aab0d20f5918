//! The run budget (issue 13 item 14; PRODUCT.md "Memory"): what one run may hold, so that a
//! valid scenario cannot exhaust a browser tab's memory. A world keeps every event it recorded
//! and every task it launched (stopped ones too: the log, "Why here?" and exports read them), so
//! those two counts are what a run holds; a crash-looping revision over a long horizon grows both
//! without end (50 services of 1,000 tasks crashing every 10 minutes held 6.3 GB natively after
//! 11 simulated hours). Every run loop checks the budget before it pops a wake-up, and once it is
//! used up the run stops with "run bound hit" naming the bound. It is a property of the world's
//! state, not of a call, so a replay (a rewind, a seek, a long jump's later shares) stops at the
//! same wake-up, and going back to an earlier moment runs again.
//!
//! The figures sit above the product's own budgets and well below what exhausts memory. Measured
//! natively (`flotilla run`, release, peak RSS): C1M through the world — 10 services of 100,000
//! tasks onto 5,000 instances — holds 4,005,060 events and 1,000,000 tasks in 1.1 GB; the e2e
//! churn jump (10,000 tasks replaced every 30 minutes, 6 hours) holds 921,280 events and 120,000
//! tasks in 225 MB. A run holds 180-230 bytes per event kept, its tasks included (counted by
//! the test binary's allocator over generated crash loops, `tests/src/bounds.rs`, which holds
//! it under 256), so a run stops by 4,500,000 events (0.8-1.0 GB held, 1.15 GB at the asserted
//! ceiling) or 1,250,000 tasks, one wake-up's work past the bound at most. Native RSS runs higher than what is held (C1M: 1.1 GB), wasm lower (pointers
//! are half as wide).
//! The third bound, wake-ups per call (`RUN_WAKEUPS_MAX`), keeps one call from running forever
//! on a scenario that schedules without recording.

use super::{World, RUN_WAKEUPS_MAX};

/// Events a run keeps in its history.
pub const EVENTS_KEPT_MAX: usize = 4_500_000;
/// Tasks a run keeps (every task it launched, STOPPED ones included).
pub const TASKS_KEPT_MAX: usize = 1_250_000;

/// The budget a world runs with: `EVENTS_KEPT_MAX` and `TASKS_KEPT_MAX` unless a test asks
/// for less (`World::with_run_budget`, so the behaviour at the bound is tested without running
/// millions of events in a debug build). Not part of a snapshot: a world restored from one
/// runs with the real budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunBudget {
    pub events_kept_max: usize,
    pub tasks_kept_max: usize,
}

impl Default for RunBudget {
    fn default() -> RunBudget {
        RunBudget {
            events_kept_max: EVENTS_KEPT_MAX,
            tasks_kept_max: TASKS_KEPT_MAX,
        }
    }
}

/// Which bound stopped a run ("run bound hit").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunBound {
    /// The history holds `max` events (`EVENTS_KEPT_MAX`).
    EventsKept { max: usize },
    /// `max` tasks were launched (`TASKS_KEPT_MAX`).
    TasksKept { max: usize },
    /// One call popped `RUN_WAKEUPS_MAX` wake-ups (call again to go on).
    WakeupsPerCall,
}

impl RunBound {
    /// The bound's name and figure, for messages: "4500000 events kept".
    pub fn describe(self) -> String {
        match self {
            RunBound::EventsKept { max } => format!("{max} events kept"),
            RunBound::TasksKept { max } => format!("{max} tasks launched"),
            RunBound::WakeupsPerCall => format!("{RUN_WAKEUPS_MAX} wake-ups in one run"),
        }
    }

    /// Why the bound is there and what to do.
    pub fn advice(self) -> &'static str {
        match self {
            RunBound::EventsKept { .. } | RunBound::TasksKept { .. } => {
                "the most a run may hold so that it fits in a browser tab's memory; shorten the run, or the crash loop or churn that fills it"
            }
            RunBound::WakeupsPerCall => "the most one run may process at once; run on from here",
        }
    }

    /// "run bound hit: <bound> (<advice>)", for stderr.
    pub fn message(self) -> String {
        format!("run bound hit: {} ({})", self.describe(), self.advice())
    }
}

impl std::fmt::Display for RunBound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl super::Checkpoint {
    /// This checkpoint with a smaller budget (`World::with_run_budget`).
    #[doc(hidden)]
    pub fn with_run_budget(self, budget: RunBudget) -> super::Checkpoint {
        super::Checkpoint(self.0.with_run_budget(budget))
    }
}

impl World {
    /// The part of the run budget this world has used up, if any: no run loop pops another
    /// wake-up until the world is put back to an earlier moment.
    pub fn run_bound(&self) -> Option<RunBound> {
        let RunBudget {
            events_kept_max,
            tasks_kept_max,
        } = self.budget;
        if self.history.len() >= events_kept_max {
            Some(RunBound::EventsKept {
                max: events_kept_max,
            })
        } else if self.tasks.len() >= tasks_kept_max {
            Some(RunBound::TasksKept {
                max: tasks_kept_max,
            })
        } else {
            None
        }
    }

    /// This world with a smaller budget than the real one (tests of what happens at the bound).
    #[doc(hidden)]
    pub fn with_run_budget(mut self, budget: RunBudget) -> World {
        self.budget = budget;
        self
    }
}
