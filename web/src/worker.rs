//! The Web Worker's side of a long jump (`www/worker.js` drives it): a world decoded from a
//! snapshot, run towards the target in slices so the worker can post progress between them,
//! and encoded again when it gets there. The page's side is `jump`.

use flotilla_core::{SimTime, SliceEnd, World};
use wasm_bindgen::prelude::*;

/// One jump in the worker. JS calls `slice` until it returns true, then `snapshot`.
#[wasm_bindgen]
pub struct WorkerJump {
    world: World,
    target: SimTime,
    /// Wake-ups popped by this jump so far, the page's slice included (the run's bound counts
    /// across slices).
    popped: u64,
    /// Events in the world when the last waypoint was taken (or the jump began), and how many
    /// waypoints were taken.
    events_at_waypoint: u64,
    waypoints: u32,
    /// Events between the first waypoints (`WAYPOINT_EVENTS`).
    first_spacing: u64,
}

/// Events between the first waypoints of a jump; the spacing doubles after every
/// `WAYPOINTS_PER_SPACING`, so a jump of hours sends a few dozen, not thousands (each is a whole
/// world, and a world holds its whole event log).
const WAYPOINT_EVENTS: u64 = 5_000;
const WAYPOINTS_PER_SPACING: u32 = 4;
/// The page decodes and keeps each waypoint on its own thread, and that costs time in
/// proportion to the event log (~5 ms at 40,000 events): past this many events, or this many
/// waypoints, a jump sends none, so taking them in never makes a long task on the page.
const WAYPOINT_EVENTS_MAX: u64 = 120_000;
const WAYPOINTS_MAX: u32 = 8;

#[wasm_bindgen]
impl WorkerJump {
    /// `snapshot`: `World::to_snapshot` bytes; `target_ms`: simulated ms to run to;
    /// `popped`: wake-ups the page already popped for this jump.
    #[wasm_bindgen(constructor)]
    pub fn new(snapshot: &[u8], target_ms: f64, popped: f64) -> Result<WorkerJump, JsError> {
        let world = World::from_snapshot(snapshot)
            .map_err(|error| JsError::new(&format!("jump snapshot: {error}")))?;
        Ok(WorkerJump {
            events_at_waypoint: world.events().len() as u64,
            waypoints: 0,
            first_spacing: WAYPOINT_EVENTS,
            world,
            target: SimTime(ms_from_js("targetMs", target_ms)?),
            popped: ms_from_js("popped", popped)?,
        })
    }

    /// Runs at most about `wakeups` wake-ups (to the end of that moment); true once the target
    /// is reached or the run's wake-up bound stopped it.
    pub fn slice(&mut self, wakeups: u32) -> bool {
        let report = self
            .world
            .run_until_sliced(self.target, u64::from(wakeups), self.popped);
        self.popped += report.wakeups;
        report.end != SliceEnd::Paused
    }

    /// After a `slice` that returned false (the world is between two moments, where a run can
    /// be checkpointed): the world as snapshot bytes when enough events have happened since the
    /// last waypoint. The page keeps waypoints as checkpoints of its run, so a later rewind into
    /// the stretch this jump ran replays a few thousand events, not all of them.
    #[wasm_bindgen(js_name = takeWaypoint)]
    pub fn take_waypoint(&mut self) -> Option<Vec<u8>> {
        let spacing = self.first_spacing << (self.waypoints / WAYPOINTS_PER_SPACING).min(16);
        let events = self.world.events().len() as u64;
        if self.waypoints >= WAYPOINTS_MAX
            || events > WAYPOINT_EVENTS_MAX
            || events.saturating_sub(self.events_at_waypoint) < spacing
        {
            return None;
        }
        self.events_at_waypoint = events;
        self.waypoints += 1;
        Some(self.world.to_snapshot())
    }

    /// Simulated time reached, in ms.
    #[wasm_bindgen(js_name = reachedMs)]
    pub fn reached_ms(&self) -> f64 {
        self.world.now().as_ms() as f64
    }

    /// Events in the run so far (the whole trace, not just this jump's).
    pub fn events(&self) -> f64 {
        self.world.events().len() as f64
    }

    /// The world as it is, as `World::to_snapshot` bytes (a `Uint8Array` in JS).
    pub fn snapshot(&self) -> Vec<u8> {
        self.world.to_snapshot()
    }
}

impl WorkerJump {
    /// Waypoints every `events` events from the start (tests use a small spacing).
    pub fn waypoint_every(mut self, events: u64) -> WorkerJump {
        self.first_spacing = events.max(1);
        self
    }
}

/// A non-negative whole number from JS, or an error naming the argument.
fn ms_from_js(name: &str, value: f64) -> Result<u64, JsError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 2f64.powi(53) {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "{name}: expected a whole number of at least 0, found {value}"
        )))
    }
}
