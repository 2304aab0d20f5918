//! One container instance: id, type, status, CPU and memory bars, and its tasks as chips
//! coloured by service and styled by lifecycle state.

use crate::components::service_colour;
use crate::state::WorldHandle;
use flotilla_core::cluster::{InstanceId, InstanceStatus};
use flotilla_core::task::TaskId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InstanceCardProps {
    pub world: WorldHandle,
    pub instance: InstanceId,
    pub tasks: Vec<TaskId>,
}

#[function_component(InstanceCard)]
pub fn instance_card(props: &InstanceCardProps) -> Html {
    let world = props.world.world.borrow();
    let instance = world.instance(props.instance);
    let cpu_used = instance.registered_cpu_units - instance.remaining_cpu_units;
    let memory_used = instance.registered_memory_mib - instance.remaining_memory_mib;
    let status_class = match instance.status {
        InstanceStatus::Active => "active",
        InstanceStatus::Draining => "draining",
        InstanceStatus::Inactive => "inactive",
    };
    html! {
        <article class={classes!("instance", status_class)} data-testid="instance" data-instance={instance.ec2_instance_id.clone()}>
            <header>
                <span class="instance-id" title={instance.ec2_instance_id.clone()}>{ &instance.ec2_instance_id }</span>
                <span class="instance-type">{ instance.instance_type.name }</span>
                if instance.status != InstanceStatus::Active {
                    <span class="badge">{ instance.status.as_str() }</span>
                }
            </header>
            { bar("CPU", cpu_used, instance.registered_cpu_units, "units") }
            { bar("Memory", memory_used, instance.registered_memory_mib, "MiB") }
            <ul class="tasks" aria-label="Tasks">
                { for props.tasks.iter().map(|&id| {
                    let task = world.task(id);
                    let service = task.service.map(|s| world.service(s));
                    let colour = service_colour(task.service.map_or(u32::MAX, |s| s.0));
                    let state = task.state.as_str();
                    let name = service.map_or(task.group.clone(), |s| s.name.clone());
                    html! {
                        <li class={classes!("task", state.to_ascii_lowercase())}
                            data-testid="task" data-service={name.clone()} data-state={state}
                            style={format!("--service-colour:{colour}")}
                            title={format!("{id} · {} · {} · {state}", name, task.task_definition)}>
                            { id.to_string() }
                        </li>
                    }
                }) }
            </ul>
        </article>
    }
}

fn bar(label: &str, used: u32, total: u32, unit: &str) -> Html {
    let percent = if total == 0 {
        0
    } else {
        u64::from(used) * 100 / u64::from(total)
    };
    html! {
        <div class="bar" title={format!("{label}: {used} of {total} {unit} reserved")}>
            <span class="bar-label">{ label }</span>
            <span class="bar-track"><span class="bar-fill" style={format!("width:{percent}%")}></span></span>
            <span class="bar-value">{ format!("{percent}%") }</span>
        </div>
    }
}
