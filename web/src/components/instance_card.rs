//! One container instance: id, type, status, CPU and memory bars, and its tasks as chips
//! coloured by service and styled by lifecycle state. The id and each chip open details.

use crate::components::service_colour;
use crate::state::{SandboxAction, Selection, WorldHandle};
use flotilla_core::cluster::{InstanceId, InstanceStatus};
use flotilla_core::task::TaskId;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InstanceCardProps {
    pub world: WorldHandle,
    pub instance: InstanceId,
    pub tasks: Vec<TaskId>,
    pub selection: Option<Selection>,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(InstanceCard)]
pub fn instance_card(props: &InstanceCardProps) -> Html {
    let world = props.world.world();
    let instance = world.instance(props.instance);
    let cpu_used = instance.registered_cpu_units - instance.remaining_cpu_units;
    let memory_used = instance.registered_memory_mib - instance.remaining_memory_mib;
    let status_class = match instance.status {
        InstanceStatus::Active => "active",
        InstanceStatus::Draining => "draining",
        InstanceStatus::Inactive => "inactive",
    };
    let id = props.instance;
    let on_select = props
        .on_dispatch
        .reform(move |_: MouseEvent| SandboxAction::Select(Some(Selection::Instance(id))));
    let selected = props.selection == Some(Selection::Instance(id));
    html! {
        <article class={classes!("instance", status_class, selected.then_some("selected"))}
            data-testid="instance" data-instance={instance.ec2_instance_id.clone()}>
            <header>
                <button class="link instance-id" onclick={on_select} aria-pressed={selected.to_string()}
                    title={format!("{}: details and actions", instance.ec2_instance_id)}>
                    { &instance.ec2_instance_id }
                </button>
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
                    let selected = props.selection == Some(Selection::Task(id));
                    let on_select = props
                        .on_dispatch
                        .reform(move |_: MouseEvent| SandboxAction::Select(Some(Selection::Task(id))));
                    html! {
                        <li>
                            <button class={classes!("task", state.to_ascii_lowercase(), selected.then_some("selected"))}
                                data-testid="task" data-task={id.to_string()} data-service={name.clone()} data-state={state}
                                style={format!("--service-colour:{colour}")} onclick={on_select}
                                aria-pressed={selected.to_string()}
                                aria-label={format!("Task {id}, {name}, {state}")}
                                title={format!("{id} · {} · {} · {state}", name, task.task_definition)}>
                                { id.to_string() }
                            </button>
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
