//! The details panel: what is selected (a task, a container instance or a service), with the
//! actions that apply to it. Each kind has its own component; this one only chooses.

use crate::components::{
    instance_details::InstanceDetails, service_details::ServiceDetails, task_details::TaskDetails,
};
use crate::intents::Intents;
use crate::state::{Selection, WorldHandle};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub world: WorldHandle,
    pub selection: Option<Selection>,
    pub intents: Intents,
}

#[function_component(Details)]
pub fn details(props: &DetailsProps) -> Html {
    let world = props.world.clone();
    let intents = props.intents.clone();
    let (on_apply, on_select) = (intents.on_apply.clone(), intents.on_select.clone());
    html! {
        <section class="panel details" data-testid="details" aria-label="Details">
            { match props.selection {
                None => html! {
                    <p class="hint">{ "Click a task chip, a container instance id or a service name to see its details and what you can do with it." }</p>
                },
                Some(Selection::Task(task)) => html! { <TaskDetails {world} {task} {on_apply} {on_select} /> },
                Some(Selection::Instance(instance)) => html! { <InstanceDetails {world} {instance} {on_apply} {on_select} /> },
                Some(Selection::Service(service)) => html! { <ServiceDetails {world} {service} {intents} /> },
            } }
        </section>
    }
}
