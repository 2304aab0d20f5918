//! When the next task of a service cannot be placed: the smallest verified changes that would
//! let it be placed (`World::counterfactuals_for_service`). "Add an instance" applies with one
//! click — a fleet entry like the instance it names; the run is replayed on the changed scenario
//! up to the moment shown, so the user's actions are kept (Undo takes the change back); the
//! others are shown as advice.

use crate::state::WorldHandle;
use flotilla_core::counterfactual::Change;
use flotilla_core::scenario::FleetEntry;
use flotilla_core::service::ServiceId;
use flotilla_core::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SuggestionsProps {
    pub world: WorldHandle,
    pub service: ServiceId,
    pub on_amend: Callback<Scenario>,
}

#[function_component(Suggestions)]
pub fn suggestions(props: &SuggestionsProps) -> Html {
    let world = props.world.world();
    let suggestions = world.counterfactuals_for_service(props.service);
    if suggestions.is_empty() {
        return html! {};
    }
    let scenario = props.world.run().scenario.clone();
    let placed = world
        .tasks()
        .iter()
        .filter(|t| {
            t.service == Some(props.service)
                && t.desired_running
                && t.state != flotilla_core::task::TaskState::Stopped
        })
        .count() as u32;
    let waiting = world
        .service(props.service)
        .desired_count
        .saturating_sub(placed);
    html! {
        <section class="suggestions" data-testid="suggestions" aria-label="What would let it be placed">
            <h4>{ "What would let it be placed (each one verified)" }</h4>
            <p class="hint" data-testid="suggestions-hint">
                { "Each change is verified to place the next task" }
                if waiting > 1 { { format!("; {waiting} tasks of this service are waiting, so more may be needed") } }
                { ". \u{201c}Add it\u{201d} adds the instance to the fleet and replays your run on it up to now (Undo takes it back); the other changes are advice." }
            </p>
            <ul>
                { for suggestions.iter().map(|suggestion| {
                    let apply = match &suggestion.change {
                        Change::AddInstance { instance_type, availability_zone, like, custom_attributes } => {
                            // Launched like `like`: a copy of its fleet entry (AMI, agent), one instance.
                            let index = world.instances().iter().position(|i| i.ec2_instance_id == *like);
                            let mut entry = index
                                .and_then(|index| fleet_entry_of(&scenario.fleet, index))
                                .cloned()
                                .unwrap_or(FleetEntry {
                                    instance_type: String::new(),
                                    availability_zone: String::new(),
                                    count: 1,
                                    ami_id: None,
                                    attributes: Default::default(),
                                    awsvpc_trunking: None,
                                    agent_connected: None,
                                });
                            entry.instance_type = instance_type.to_string();
                            entry.availability_zone = availability_zone.clone();
                            entry.count = 1;
                            entry.attributes = custom_attributes.clone();
                            let mut edited = (*scenario).clone();
                            edited.fleet.push(entry);
                            Some(props.on_amend.reform(move |_: MouseEvent| edited.clone()))
                        }
                        _ => None,
                    };
                    html! {
                        <li data-testid="suggestion">
                            <span>{ suggestion.describe() }</span>
                            if let Some(onclick) = apply {
                                <button class="small primary" data-testid="apply-suggestion" {onclick}
                                    title="Adds this instance to the fleet and replays your run on it up to now">{ "Add it" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The fleet entry that registered the `index`-th container instance (entries in order).
fn fleet_entry_of(fleet: &[FleetEntry], index: usize) -> Option<&FleetEntry> {
    let mut first = 0;
    for entry in fleet {
        first += entry.count as usize;
        if index < first {
            return Some(entry);
        }
    }
    None
}
