//! One container instance: type, Availability Zone, status, agent, resources (CPU, memory, host
//! ports, ENIs, GPUs), attributes, its tasks, and the actions that apply to it (drain or
//! activate it, terminate the EC2 instance).

use crate::state::{Selection, WorldHandle};
use flotilla_core::cluster::{InstanceId, InstanceStatus, DEFAULT_RESERVED_PORTS};
use flotilla_core::task::TaskState;
use flotilla_core::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InstanceDetailsProps {
    pub world: WorldHandle,
    pub instance: InstanceId,
    pub on_apply: Callback<Action>,
    pub on_select: Callback<Selection>,
}

#[function_component(InstanceDetails)]
pub fn instance_details(props: &InstanceDetailsProps) -> Html {
    let world = props.world.world();
    let Some(instance) = world.instances().get(props.instance.0 as usize) else {
        return html! { <p class="hint">{ "This container instance is not in the scenario any more." }</p> };
    };
    let ec2_id = instance.ec2_instance_id.clone();
    let on_terminate = props
        .on_apply
        .reform(move |_: MouseEvent| Action::TerminateInstance {
            instance: ec2_id.clone(),
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
        props.on_apply.reform(move |_: MouseEvent| {
            let instance = instance.clone();
            if draining {
                Action::ActivateInstance { instance }
            } else {
                Action::DrainInstance { instance }
            }
        })
    };
    let task_ports: Vec<String> = instance
        .reserved_ports
        .iter()
        .filter(|p| !DEFAULT_RESERVED_PORTS.contains(p))
        .map(u16::to_string)
        .collect();
    let tasks: Vec<_> = world
        .tasks()
        .iter()
        .filter(|t| t.instance == instance.id && t.state != TaskState::Stopped)
        .collect();
    html! {
        <div class="instance-details" data-testid="instance-details">
            <h2>{ &instance.ec2_instance_id }<span class="hint">{ format!("{} in {}", instance.instance_type.name, instance.availability_zone) }</span></h2>
            <dl class="facts">
                <dt>{ "Status" }</dt><dd data-testid="instance-status">{ instance.status.as_str() }</dd>
                <dt>{ "Running tasks" }</dt><dd>{ instance.running_tasks_count }</dd>
                <dt>{ "CPU units" }</dt><dd>{ format!("{} of {} remaining", instance.remaining_cpu_units, instance.registered_cpu_units) }</dd>
                <dt>{ "Memory" }</dt><dd>{ format!("{} of {} MiB remaining", instance.remaining_memory_mib, instance.registered_memory_mib) }</dd>
                <dt>{ "Host ports" }</dt><dd data-testid="instance-ports" title="At most 100 host ports may be reserved on an instance">
                    { format!("{} of 100 reserved: the agent's {}", instance.reserved_ports.len(), DEFAULT_RESERVED_PORTS.map(|p| p.to_string()).join(", ")) }
                    if !task_ports.is_empty() { { format!("; tasks' {}", task_ports.join(", ")) } }
                </dd>
                <dt>{ "awsvpc ENIs" }</dt><dd>{ format!("{} of {} task ENIs attached", instance.eni_tasks, instance.eni_task_limit) }</dd>
                if instance.registered_gpus > 0 {
                    <dt>{ "GPUs" }</dt><dd>{ format!("{} of {} remaining", instance.remaining_gpus, instance.registered_gpus) }</dd>
                }
                <dt>{ "Agent" }</dt><dd>{ if instance.agent_connected { format!("connected ({})", instance.agent_version) } else { "disconnected: no tasks are placed here".to_string() } }</dd>
            </dl>
            <h3>{ format!("Tasks ({})", tasks.len()) }</h3>
            if tasks.is_empty() {
                <p class="hint">{ "No tasks on this instance." }</p>
            } else {
                <ul class="instance-tasks" data-testid="instance-tasks">
                    { for tasks.iter().map(|task| {
                        let id = task.id;
                        let service = task.service.and_then(|s| world.services().get(s.0 as usize)).map_or(task.group.to_string(), |s| s.name.clone());
                        html! {
                            <li key={id.0}>
                                <button class="link" onclick={props.on_select.reform(move |_: MouseEvent| Selection::Task(id))}>{ id.to_string() }</button>
                                { format!(" {service} · {} · {}", task.task_definition, task.state.as_str()) }
                            </li>
                        }
                    }) }
                </ul>
            }
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
