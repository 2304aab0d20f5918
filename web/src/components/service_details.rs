//! One service: desired / running / pending, its placement configuration, a Scale form
//! (UpdateService desiredCount), where its next task would go and why (the placement explainer),
//! what would let it be placed when it cannot be, its deployments, the alarms they watch, the
//! deploy actions with their plan preview, and its service events in ECS's wording.

use crate::components::alarms::Alarms;
use crate::components::deploy_panel::DeployPanel;
use crate::components::deployments::Deployments;
use crate::components::placement_explainer::PlacementExplainer;
use crate::components::services::task_counts;
use crate::components::suggestions::Suggestions;
use crate::intents::Intents;
use crate::persist::Notice;
use crate::state::WorldHandle;
use flotilla_core::action::UpdateService;
use flotilla_core::service::ServiceId;
use flotilla_core::{Action, EventKind};
use web_sys::HtmlInputElement;
use yew::prelude::*;

const EVENTS_MAX: usize = 30;

#[derive(Properties, PartialEq)]
pub struct ServiceDetailsProps {
    pub world: WorldHandle,
    pub service: ServiceId,
    pub intents: Intents,
}

#[function_component(ServiceDetails)]
pub fn service_details(props: &ServiceDetailsProps) -> Html {
    let desired_input = use_node_ref();
    let world = props.world.world();
    let Some(service) = world.services().get(props.service.0 as usize) else {
        return html! { <p class="hint">{ "This service is not in the scenario any more." }</p> };
    };
    let (running, pending) = task_counts(&world, service.id);
    let name = service.name.clone();
    let on_scale = {
        let input = desired_input.clone();
        let (on_apply, on_notify) = (
            props.intents.on_apply.clone(),
            props.intents.on_notify.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let max = flotilla_core::scenario::DESIRED_COUNT_MAX;
            match text.trim().parse::<u32>().ok().filter(|count| *count <= max) {
                Some(count) => on_apply.emit(Action::UpdateService(UpdateService {
                    service: name.clone(),
                    desired_count: Some(count),
                    ..UpdateService::default()
                })),
                None => on_notify.emit(
                    Notice::error(
                        format!("Desired count \u{201c}{text}\u{201d}: give a whole number of tasks from 0 to {max}."),
                        "",
                    )
                    .about("desired count"),
                ),
            }
        })
    };
    let decision = world.explain_next_placement(service.id);
    let cannot_place = decision.chosen.is_none();
    let labels = crate::components::placement_explainer::instance_labels(&world);
    let events: Vec<_> = world
        .events()
        .iter()
        .rev()
        .filter(|e| match &e.kind {
            EventKind::ServiceMessage { service: s, .. }
            | EventKind::ServiceCreated { service: s, .. }
            | EventKind::DesiredCountChanged { service: s, .. } => *s == service.id,
            _ => false,
        })
        .take(EVENTS_MAX)
        .collect();
    let describe_all = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", then ")
        }
    };
    html! {
        <div class="service-details" data-testid="service-details">
            <h2>{ format!("Service {}", service.name) }<span class="hint">{ service.task_definition.to_string() }</span></h2>
            <dl class="facts counts">
                <dt>{ "Desired" }</dt><dd data-testid="service-desired">{ service.desired_count }</dd>
                <dt>{ "Running" }</dt><dd data-testid="service-running">{ running }</dd>
                <dt>{ "Pending" }</dt><dd data-testid="service-pending">{ pending }</dd>
                <dt>{ "Strategies" }</dt><dd>{ describe_all(service.strategies.iter().map(|s| s.describe()).collect()) }</dd>
                <dt>{ "Constraints" }</dt><dd>{ describe_all(service.constraints.iter().map(|c| c.describe()).collect()) }</dd>
            </dl>
            <form class="actions-menu" onsubmit={on_scale} aria-label="Scale the service">
                <label>{ "Desired count " }
                    <input ref={desired_input} data-testid="desired-count" type="number" min="0" step="1"
                        value={service.desired_count.to_string()} size="5" />
                </label>
                <button data-testid="scale" type="submit" class="primary" title="UpdateService with a new desiredCount">{ "Scale" }</button>
            </form>
            <Deployments world={props.world.clone()} service={props.service} />
            <Alarms world={props.world.clone()} service={props.service} on_apply={props.intents.on_apply.clone()} />
            <DeployPanel world={props.world.clone()} service={props.service} on_apply={props.intents.on_apply.clone()} on_apply_all={props.intents.on_apply_all.clone()} />
            <PlacementExplainer {decision} {labels} title="Where the next task would go" />
            if cannot_place {
                <Suggestions world={props.world.clone()} service={props.service} on_amend={props.intents.on_amend.clone()} />
            }
            <h3>{ "Service events" }</h3>
            <ol class="mini-log" data-testid="service-events">
                { for events.iter().map(|e| html! { <li><time>{ e.at.to_string() }</time>{ " " }{ world.describe(e) }</li> }) }
            </ol>
        </div>
    }
}
