//! The timeline: a scrubber from the start to the scenario's horizon (its `duration`, else its
//! last scripted moment) or the furthest moment reached, if later, with the run's actions and the
//! scenario's scripted timeline events as markers (the scripted ones labelled), and the 503 hazards so far as red spans. Dragging back rewinds exactly (checkpoints plus replay); actions after the cursor
//! are shown as undone until the next input discards them or scrubbing forward redoes them.

use crate::state::{describe_action, WorldHandle};
use flotilla_core::time::parse_duration;
use flotilla_core::{Scenario, SimTime};
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
    // At least a minute wide, so the first seconds do not span the whole strip; as wide as the
    // scenario asks, so dragging to its end gets there.
    let head = run
        .head()
        .max(horizon(&run.scenario))
        .max(SimTime::from_secs(60));
    let mut scripted: Vec<(SimTime, String)> = run
        .scenario
        .timeline
        .iter()
        .filter_map(|entry| {
            let at = SimTime(parse_duration(&entry.at).ok()?);
            Some((at, describe_action(&entry.action)))
        })
        .collect();
    flotilla_core::compact::sort_by_key(&mut scripted, |(at, _)| *at);
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
                    { for scripted.iter().enumerate().map(|(index, (at, label))| {
                        // Each label takes the room up to the next scripted marker.
                        let room = scripted.get(index + 1).map_or(100.0, |next| percent(next.0)) - percent(*at);
                        html! { <>
                            <span class="marker scripted" data-testid="scripted-marker"
                                data-label={format!("{at} {label}")} style={format!("left:{:.2}%", percent(*at))}></span>
                            <span class="scripted-label" style={format!("left:{:.2}%;max-width:{room:.2}%", percent(*at))}>{ label }</span>
                        </> }
                    }) }
                    { for hazard_spans(run.world()).into_iter().map(|(start, end)| html! {
                        <span class="marker hazard" data-testid="hazard-marker"
                            style={format!("left:{:.2}%;width:{:.2}%", percent(start), percent(end) - percent(start))}></span>
                    }) }
                    { for actions.iter().map(|a| html! {
                        <span class={classes!("marker", a.ahead.then_some("ahead"))}
                            style={format!("left:{:.2}%", percent(a.at))}></span>
                    }) }
                </div>
            </div>
            <ol class="actions" data-testid="actions" aria-label="Actions in this run">
                if actions.is_empty() {
                    <li class="hint" title="Scale a service, stop a task, terminate an instance\u{2026}">{ "Your actions appear here." }</li>
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

/// The 503 hazards so far (traffic's detector) as (start, end) moments, drawn on the strip.
fn hazard_spans(world: &flotilla_core::World) -> Vec<(SimTime, SimTime)> {
    world.traffic().map_or_else(Vec::new, |traffic| {
        traffic
            .state()
            .hazards
            .all()
            .map(|h| (SimTime(h.start_s * 1000), SimTime((h.end_s + 1) * 1000)))
            .collect()
    })
}

/// Where the scenario's run ends: its `duration`, else its last scripted moment.
fn horizon(scenario: &Scenario) -> SimTime {
    let duration = scenario
        .duration
        .as_deref()
        .and_then(|d| parse_duration(d).ok());
    let last = scenario
        .timeline
        .iter()
        .filter_map(|entry| parse_duration(&entry.at).ok())
        .max();
    SimTime(duration.or(last).unwrap_or(0))
}
