//! The live event log, newest first, filtered by service, container instance and kind
//! (`EventKind::kind_name`). Each entry: the simulated time and the event in ECS's wording;
//! decisions of the scheduler and placement engine (`EventKind::is_decision`) are marked.
//! The words of the entries shown are kept between renders (`Worded`), and each entry is a
//! component of plain props, so a step words and renders the one new event, not all 300.

use crate::components::filter_select::{FilterField, FilterSelect};
use crate::state::{EventFilter, WorldHandle};
use flotilla_app::numbers::thousands;
use flotilla_core::event::EventCategory;
use flotilla_core::{Event as SimEvent, SimTime};
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
    let words = use_mut_ref(Vec::<Worded>::new);
    let shown = word(&mut words.borrow_mut(), &shown, |event| {
        world.describe(event)
    });
    let filtered = *filter != EventFilter::default();
    let on_clear = props
        .on_filter
        .reform(|_: MouseEvent| EventFilter::default());
    html! {
        <section class="panel event-log" aria-label="Event log">
            <h2>{ "Events" }<span class="hint" data-testid="event-count">{
                if filtered { format!("{} shown of {}", thousands(shown.len() as u64), thousands(world.events().len() as u64)) } else { format!("{} so far", thousands(world.events().len() as u64)) }
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
                { for words.borrow().iter().zip(shown).map(|(worded, text)| {
                    let kind = worded.event.kind.kind_name();
                    let decision = worded.event.kind.is_decision();
                    html! { <Entry key={worded.index} at={worded.event.at} {kind} {decision} {text} /> }
                }) }
            </ol>
        </section>
    }
}

/// An entry shown, by its index in the trace, with the event it was worded from.
struct Worded {
    index: usize,
    event: SimEvent,
    text: AttrValue,
}

/// Words `shown` (index in the trace, event; newest first) into `kept`, reusing the words of
/// an entry kept from the last render when the trace still holds the same event at its index
/// (a rewind that took another path does not); returns the texts in `shown`'s order.
fn word(
    kept: &mut Vec<Worded>,
    shown: &[(usize, &SimEvent)],
    describe: impl Fn(&SimEvent) -> String,
) -> Vec<AttrValue> {
    // Both newest first (indices falling): one walk along the old entries.
    let old = std::mem::take(kept);
    let mut old = old.into_iter().peekable();
    for &(index, event) in shown {
        while old.next_if(|w| w.index > index).is_some() {}
        let reused = old
            .next_if(|w| w.index == index)
            .filter(|w| w.event == *event);
        kept.push(reused.unwrap_or_else(|| Worded {
            index,
            event: event.clone(),
            text: AttrValue::from(describe(event)),
        }));
    }
    kept.iter().map(|w| w.text.clone()).collect()
}

#[derive(Properties, PartialEq)]
struct EntryProps {
    at: SimTime,
    kind: &'static str,
    decision: bool,
    text: AttrValue,
}

/// One entry; a long text (clamped by the stylesheet) also carries it in full as a title.
#[function_component(Entry)]
fn entry(props: &EntryProps) -> Html {
    let title = (props.text.len() > 200).then(|| props.text.clone());
    html! {
        <li data-testid="event" data-kind={props.kind} class={classes!("event", format!("event-{}", props.kind), props.decision.then_some("decision"))}
            title={props.decision.then_some("A decision of the scheduler or placement engine (Next decision stops here)")}>
            <time>{ props.at.to_string() }</time>
            <span class="text" {title}>{ props.text.clone() }</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::cluster::{InstanceId, InstanceStatus};
    use flotilla_core::EventKind;
    use std::cell::Cell;

    fn event(ms: u64, instance: u32) -> SimEvent {
        SimEvent {
            at: SimTime(ms),
            kind: EventKind::InstanceStatusChanged {
                instance: InstanceId(instance),
                status: InstanceStatus::Draining,
            },
        }
    }

    #[test]
    fn a_step_words_only_the_new_event_and_a_changed_one_is_worded_again() {
        let calls = Cell::new(0);
        let describe = |e: &SimEvent| {
            calls.set(calls.get() + 1);
            format!("{} {:?}", e.at, e.kind)
        };
        let (a, b, c, other) = (event(1, 0), event(2, 1), event(3, 2), event(3, 7));
        let mut kept = Vec::new();
        let first = word(&mut kept, &[(1, &b), (0, &a)], describe);
        assert_eq!(calls.get(), 2);
        // A step: one new event on top; the two kept keep their words.
        let second = word(&mut kept, &[(2, &c), (1, &b), (0, &a)], describe);
        assert_eq!(calls.get(), 3);
        assert_eq!(second[1..], first[..]);
        // A rewind that took another path: index 2 holds another event, worded afresh.
        let third = word(&mut kept, &[(2, &other), (1, &b), (0, &a)], describe);
        assert_eq!(calls.get(), 4);
        assert_eq!(third[0].as_str(), describe(&other));
        // A filter that skips entries: those left keep their words.
        calls.set(0);
        let fourth = word(&mut kept, &[(2, &other), (0, &a)], describe);
        assert_eq!((calls.get(), fourth[1].clone()), (0, first[1].clone()));
    }
}
