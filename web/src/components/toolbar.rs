//! The top bar: scenario name, the simulated clock, Step, Play/Pause, speed and Reset.

use crate::state::SPEEDS;
use flotilla_core::SimTime;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub scenario_name: String,
    pub now: SimTime,
    pub playing: bool,
    pub speed: u32,
    pub on_step: Callback<()>,
    pub on_toggle_play: Callback<()>,
    pub on_speed: Callback<u32>,
    pub on_reset: Callback<()>,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_toggle_play = props.on_toggle_play.reform(|_: MouseEvent| ());
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .and_then(|select| select.value().parse().ok())
            .unwrap_or(crate::state::DEFAULT_SPEED)
    });
    html! {
        <header class="toolbar">
            <div class="brand">
                <span class="product">{ "Flotilla" }</span>
                <span class="scenario-name" title="Scenario">{ &props.scenario_name }</span>
            </div>
            <div class="controls">
                <span class="clock" data-testid="clock" aria-label="Simulated time" title="Simulated time (hh:mm:ss.ms)">
                    { props.now.to_string() }
                </span>
                <button data-testid="step" onclick={on_step} disabled={props.playing} title="Run to the next event">
                    { "Step" }
                </button>
                <button data-testid="play" class="primary" onclick={on_toggle_play}>
                    { if props.playing { "Pause" } else { "Play" } }
                </button>
                <label class="speed">
                    { "Speed " }
                    <select aria-label="Playback speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|&speed| html! {
                            <option value={speed.to_string()} selected={speed == props.speed}>{ format!("{speed}×") }</option>
                        }) }
                    </select>
                </label>
                <button data-testid="reset" onclick={on_reset} title="Back to the start of the scenario">{ "Reset" }</button>
            </div>
        </header>
    }
}
