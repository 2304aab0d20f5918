//! The live event log, newest first: the simulated time, the kind, and the trace line.

use crate::state::WorldHandle;
use yew::prelude::*;

/// Entries rendered at once; older ones stay in the world's trace.
const SHOWN_MAX: usize = 300;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub world: WorldHandle,
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let world = props.world.world.borrow();
    let events = world.events();
    html! {
        <section class="panel event-log" aria-label="Event log">
            <h2>{ "Events" }<span class="hint">{ format!("{} so far", events.len()) }</span></h2>
            <ol data-testid="event-log" reversed=true>
                { for events.iter().rev().take(SHOWN_MAX).map(|event| html! {
                    <li data-testid="event" class={classes!("event", format!("event-{}", event.kind.kind_name()))}>
                        <time>{ event.at.to_string() }</time>
                        <span class="text">{ world.describe(event) }</span>
                    </li>
                }) }
            </ol>
        </section>
    }
}
