//! One container instance: type, Availability Zone, status, resources, attributes, and the
//! actions that apply to it (drain or activate it, terminate the EC2 instance).

use crate::state::{SandboxAction, WorldHandle};
use flotilla_core::cluster::{InstanceId, InstanceStatus};
use flotilla_core::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InstanceDetailsProps {
    pub world: WorldHandle,
    pub instance: InstanceId,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(InstanceDetails)]
pub fn instance_details(props: &InstanceDetailsProps) -> Html {
    let world = props.world.world();
    let Some(instance) = world.instances().get(props.instance.0 as usize) else {
        return html! { <p class="hint">{ "This container instance is not in the scenario any more." }</p> };
    };
    let ec2_id = instance.ec2_instance_id.clone();
    let on_terminate = props.on_dispatch.reform(move |_: MouseEvent| {
        SandboxAction::Apply(Action::TerminateInstance {
            instance: ec2_id.clone(),
        })
    });
    let live = instance.status != InstanceStatus::Inactive;
    let draining = instance.status == InstanceStatus::Draining;
    let (verb, title) = if draining {
        (
            "Activate",
            "ActivateInstance: set the status back to ACTIVE so tasks can be placed here again",
        )
    } else {
        ("Drain", "DrainInstance: set the status to DRAINING; service tasks move elsewhere, no new tasks are placed here")
    };
    let on_drain = {
        let instance = instance.ec2_instance_id.clone();
        props.on_dispatch.reform(move |_: MouseEvent| {
            let instance = instance.clone();
            SandboxAction::Apply(if draining {
                Action::ActivateInstance { instance }
            } else {
                Action::DrainInstance { instance }
            })
        })
    };
    html! {
        <div class="instance-details" data-testid="instance-details">
            <h2>{ &instance.ec2_instance_id }<span class="hint">{ format!("{} in {}", instance.instance_type.name, instance.availability_zone) }</span></h2>
            <dl class="facts">
                <dt>{ "Status" }</dt><dd data-testid="instance-status">{ instance.status.as_str() }</dd>
                <dt>{ "Running tasks" }</dt><dd>{ instance.running_tasks_count }</dd>
                <dt>{ "CPU units" }</dt><dd>{ format!("{} of {} remaining", instance.remaining_cpu_units, instance.registered_cpu_units) }</dd>
                <dt>{ "Memory" }</dt><dd>{ format!("{} of {} MiB remaining", instance.remaining_memory_mib, instance.registered_memory_mib) }</dd>
            </dl>
            <h3>{ "Attributes" }</h3>
            <dl class="facts attributes">
                { for instance.attributes.iter().map(|(name, value)| html! {
                    <><dt>{ name }</dt><dd>{ if value.is_empty() { "(set)" } else { value.as_str() } }</dd></>
                }) }
            </dl>
            <div class="actions-menu" role="group" aria-label="Container instance actions">
                <button data-testid="drain-instance" disabled={!live} onclick={on_drain} {title}>{ verb }</button>
                <button data-testid="terminate-instance" class="danger" disabled={!live} onclick={on_terminate}
                    title="Terminate the EC2 instance: its tasks stop and services place replacements elsewhere">
                    { "Terminate instance" }
                </button>
            </div>
        </div>
    }
}
