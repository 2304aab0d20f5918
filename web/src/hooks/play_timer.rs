//! The only wall clock in the app: while playing, each tick asks for `TICK_MS` of real time to
//! be turned into simulated time. Dropping the interval (on pause or unmount) cancels it.

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Wall-clock period of the play timer.
pub const TICK_MS: u32 = 100;

#[hook]
pub fn use_play_timer(playing: bool, on_advance: Callback<u32>) {
    use_effect_with(playing, move |playing| {
        let interval = playing.then(|| Interval::new(TICK_MS, move || on_advance.emit(TICK_MS)));
        move || drop(interval)
    });
}
