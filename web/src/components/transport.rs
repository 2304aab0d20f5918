//! Time controls: the simulated clock, step back, Step, Next decision, Play/Pause, speed, jump to
//! a time and Reset. Shortcuts (space, →, Shift+→, ←) are handled by `app` and named in the
//! buttons' titles. A time that does not parse is said inline under the field (not as a page
//! notice), replaced by the next attempt.

use crate::instance::use_instance;
use crate::intents::TimeIntents;
use crate::state::{DEFAULT_SPEED, SPEEDS};
use flotilla_core::time::parse_duration;
use flotilla_core::SimTime;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub now: SimTime,
    pub playing: bool,
    pub speed: u32,
    /// A long jump is running (`jump_progress` shows it): the controls that would change the
    /// run wait for it or for Cancel.
    #[prop_or_default]
    pub busy: bool,
    pub time: TimeIntents,
}

#[function_component(Transport)]
pub fn transport(props: &TransportProps) -> Html {
    let jump = use_node_ref();
    // The last attempt's error, if it was not a time.
    let jump_error = use_state(|| None::<String>);
    let error_id = use_instance().dom_id("jump-error");
    let time = &props.time;
    let on_step = time.on_step.reform(|_: MouseEvent| ());
    let on_next_decision = time.on_next_decision.reform(|_: MouseEvent| ());
    let on_step_back = time.on_step_back.reform(|_: MouseEvent| ());
    let on_toggle_play = time.on_toggle_play.reform(|_: MouseEvent| ());
    let on_reset = time.on_reset.reform(|_: MouseEvent| ());
    let on_speed = time.on_speed.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .and_then(|select| select.value().parse().ok())
            .unwrap_or(DEFAULT_SPEED)
    });
    let on_jump = {
        let jump = jump.clone();
        let jump_error = jump_error.clone();
        let on_seek = time.on_seek.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = jump
                .cast::<HtmlInputElement>()
                .map(|input| input.value())
                .unwrap_or_default();
            match parse_time(&text) {
                Ok(at) => {
                    jump_error.set(None);
                    on_seek.emit(at);
                }
                Err(error) => jump_error.set(Some(not_a_time(&text, &error))),
            }
        })
    };
    html! {
        <div class="transport" role="toolbar" aria-label="Time controls">
            <span class="clock" data-testid="clock" aria-label="Simulated time" title="Simulated time (hh:mm:ss.ms)">
                { props.now.to_string() }
            </span>
            <button data-testid="step-back" onclick={on_step_back} aria-label="Step back" disabled={props.busy}
                title="Back to the previous moment (←)">{ "◀ Back" }</button>
            <button data-testid="step" onclick={on_step} disabled={props.playing || props.busy}
                title="Run to the next event (→)">{ "Step" }</button>
            <button data-testid="next-decision" onclick={on_next_decision} disabled={props.busy}
                title="Run to the next decision of the scheduler or placement engine: a task placed or not placeable, a task chosen to stop, a deployment change, a steady state (Shift+→)">
                { "Next decision" }</button>
            <button data-testid="play" class="primary" onclick={on_toggle_play} disabled={props.busy}
                title="Play or pause (space)">
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <label class="speed">
                { "Speed " }
                <select data-testid="speed" aria-label="Playback speed" onchange={on_speed}>
                    { for SPEEDS.iter().map(|&speed| html! {
                        <option value={speed.to_string()} selected={speed == props.speed}>{ format!("{speed}×") }</option>
                    }) }
                </select>
            </label>
            <form class="jump" onsubmit={on_jump}>
                <input ref={jump} data-testid="jump-input" aria-label="Jump to time" placeholder="e.g. 2m30s"
                    size="9" aria-invalid={jump_error.is_some().then_some("true")}
                    aria-describedby={jump_error.is_some().then_some(error_id.clone())} />
                <button data-testid="jump" type="submit" disabled={props.busy} title="Go to this simulated time, forward or back">{ "Go" }</button>
            </form>
            <button data-testid="reset" onclick={on_reset} disabled={props.busy} title="Back to the start (your actions stay on the timeline until you act again)">{ "Reset" }</button>
            // On a line of its own under the controls (not over the page), until the next attempt.
            if let Some(error) = &*jump_error {
                <p class="jump-error" id={error_id} role="alert" data-testid="jump-error">{ error }</p>
            }
        </div>
    }
}

/// The inline message for text that is not a time: what was typed, what is wrong, what works.
pub fn not_a_time(text: &str, error: &str) -> String {
    let text = text.trim();
    let why = if text.is_empty() {
        "type a time".to_string()
    } else if text.starts_with('-') {
        "a time cannot be negative".to_string()
    } else {
        error.to_string()
    };
    if text.is_empty() {
        format!("No time given: {why} such as 2m30s or 0:02:30")
    } else {
        format!("\u{201c}{text}\u{201d} is not a time ({why}): use 2m30s or 0:02:30")
    }
}

/// A time as the clock shows it (`0:02:30`, `00:02:30.500`) or as a duration (`2m30s`).
pub fn parse_time(text: &str) -> Result<SimTime, String> {
    let text = text.trim();
    if text.contains(':') {
        let (clock, millis) = text.split_once('.').unwrap_or((text, "0"));
        let mut ms: u64 = 0;
        for part in clock.split(':') {
            let n: u64 = part
                .parse()
                .map_err(|_| format!("expected hh:mm:ss, found \u{201c}{part}\u{201d}"))?;
            ms = ms.saturating_mul(60).saturating_add(n.saturating_mul(1000));
        }
        let millis: u64 = format!("{millis:0<3}")
            .get(..3)
            .and_then(|m| m.parse().ok())
            .ok_or("expected milliseconds after the dot")?;
        return Ok(SimTime(ms.saturating_add(millis)));
    }
    parse_duration(text).map(SimTime)
}
