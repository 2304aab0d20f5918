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
}

#[wasm_bindgen]
impl WorkerJump {
    /// `snapshot`: `World::to_snapshot` bytes; `target_ms`: simulated ms to run to;
    /// `popped`: wake-ups the page already popped for this jump.
    #[wasm_bindgen(constructor)]
    pub fn new(snapshot: &[u8], target_ms: f64, popped: f64) -> Result<WorkerJump, JsError> {
        let world = World::from_snapshot(snapshot)
            .map_err(|error| JsError::new(&format!("jump snapshot: {error}")))?;
        Ok(WorkerJump {
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
