//! The live event log, newest first, filtered by service, container instance and kind
//! (`EventKind::kind_name`). Each entry: the simulated time and the event in ECS's wording;
//! decisions of the scheduler and placement engine (`EventKind::is_decision`) are marked.

use crate::components::filter_select::{FilterField, FilterSelect};
use crate::state::{EventFilter, WorldHandle};
use flotilla_core::event::EventCategory;
use flotilla_core::Event as SimEvent;
use yew::prelude::*;

/// Entries rendered at once; older ones stay in the world's trace.
const SHOWN_MAX: usize = 300;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub world: WorldHandle,
    pub filter: EventFilter,
    pub on_filter: Callback<EventFilter>,
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let world = props.world.world();
    let filter = &props.filter;
    let service_id = filter.service.as_ref().and_then(|name| {
        world
            .services()
            .iter()
            .find(|s| &s.name == name)
            .map(|s| s.id)
    });
    let instance_id = filter.instance.as_ref().and_then(|name| {
        world
            .instances()
            .iter()
            .find(|i| &i.ec2_instance_id == name)
            .map(|i| i.id)
    });
    let matches = |event: &&SimEvent| {
        let subjects = event.kind.subjects(world.tasks());
        (filter.service.is_none() || (service_id.is_some() && subjects.service == service_id))
            && (filter.instance.is_none()
                || (instance_id.is_some() && subjects.instance == instance_id))
            && filter
                .kind
                .as_deref()
                .is_none_or(|kind| event.kind.kind_name() == kind)
    };
    // With its index in the trace as the key, a step inserts one entry instead of rewriting all.
    let shown: Vec<(usize, &SimEvent)> = world
        .events()
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, event)| matches(event))
        .take(SHOWN_MAX)
        .collect();
    let filtered = *filter != EventFilter::default();
    let on_clear = props
        .on_filter
        .reform(|_: MouseEvent| EventFilter::default());
    html! {
        <section class="panel event-log" aria-label="Event log">
            <h2>{ "Events" }<span class="hint" data-testid="event-count">{
                if filtered { format!("{} shown of {}", shown.len(), world.events().len()) } else { format!("{} so far", world.events().len()) }
            }</span></h2>
            <div class="filters">
                <FilterSelect label="services" testid="filter-service" field={FilterField::Service} filter={filter.clone()} on_filter={props.on_filter.clone()}
                    options={world.services().iter().map(|s| s.name.clone()).collect::<Vec<_>>()} />
                <FilterSelect label="instances" testid="filter-instance" field={FilterField::Instance} filter={filter.clone()} on_filter={props.on_filter.clone()}
                    options={world.instances().iter().map(|i| i.ec2_instance_id.clone()).collect::<Vec<_>>()} />
                <FilterSelect label="kinds" testid="filter-kind" field={FilterField::Kind} filter={filter.clone()} on_filter={props.on_filter.clone()}
                    options={EventCategory::ALL.iter().map(|c| c.as_str().to_string()).collect::<Vec<_>>()} />
                if filtered {
                    <button class="small" data-testid="filter-clear" onclick={on_clear}>{ "Clear" }</button>
                }
            </div>
            <ol data-testid="event-log" reversed=true tabindex="0" aria-label="Events, newest first">
                { for shown.iter().map(|(index, event)| html! {
                    <li key={*index} data-testid="event" data-kind={event.kind.kind_name()} class={classes!("event", format!("event-{}", event.kind.kind_name()), event.kind.is_decision().then_some("decision"))}
                        title={event.kind.is_decision().then_some("A decision of the scheduler or placement engine (Next decision stops here)")}>
                        <time>{ event.at.to_string() }</time>
                        { text_with_title(world.describe(event)) }
                    </li>
                }) }
            </ol>
        </section>
    }
}

/// The event's text; a long one (clamped by the stylesheet) also carries it in full as a title.
fn text_with_title(text: String) -> Html {
    let title = (text.len() > 200).then(|| text.clone());
    html! { <span class="text" {title}>{ text }</span> }
}
