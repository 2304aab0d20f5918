//! The timeline: a scrubber from the start to the furthest moment reached, with the run's actions
//! as markers. Dragging back rewinds exactly (checkpoints plus replay); actions after the cursor
//! are shown as undone until the next input discards them or scrubbing forward redoes them.

use crate::state::{describe_action, WorldHandle};
use flotilla_core::SimTime;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineStripProps {
    pub world: WorldHandle,
    pub on_seek: Callback<SimTime>,
}

#[function_component(TimelineStrip)]
pub fn timeline_strip(props: &TimelineStripProps) -> Html {
    let run = props.world.run();
    let now = run.world().now();
    // At least a minute wide, so the first seconds do not span the whole strip.
    let head = run.head().max(SimTime::from_secs(60));
    let actions = run.actions();
    let on_seek = props.on_seek.reform(|event: InputEvent| {
        let value = event
            .target_dyn_into::<HtmlInputElement>()
            .and_then(|input| input.value().parse::<f64>().ok())
            .unwrap_or(0.0);
        SimTime(value.max(0.0) as u64)
    });
    let percent = |at: SimTime| (at.as_ms() as f64 / head.as_ms() as f64 * 100.0).min(100.0);
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="scrubber">
                <input type="range" data-testid="scrubber" aria-label="Timeline position"
                    aria-valuetext={now.to_string()}
                    min="0" max={head.as_ms().to_string()} step="100"
                    value={now.as_ms().to_string()} oninput={on_seek} />
                <div class="markers" aria-hidden="true">
                    { for actions.iter().map(|a| html! {
                        <span class={classes!("marker", a.ahead.then_some("ahead"))}
                            style={format!("left:{:.2}%", percent(a.at))}></span>
                    }) }
                </div>
            </div>
            <ol class="actions" data-testid="actions" aria-label="Actions in this run">
                if actions.is_empty() {
                    <li class="hint">{ "Your actions (scale, stop a task, terminate an instance) appear here." }</li>
                }
                { for actions.iter().map(|a| {
                    let at = a.at;
                    let on_click = props.on_seek.reform(move |_: MouseEvent| at);
                    html! {
                        <li data-testid="action" data-ahead={a.ahead.to_string()}
                            class={classes!("action", a.ahead.then_some("ahead"))}>
                            <button onclick={on_click} title={if a.ahead { "Undone by rewinding; click to redo up to here" } else { "Go to this moment" }}>
                                <time>{ at.to_string() }</time>{ " " }{ describe_action(&a.action) }
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
