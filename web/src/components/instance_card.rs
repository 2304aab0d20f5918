//! One container instance: id, type, status, CPU and memory bars, and its tasks as chips
//! coloured by service and styled by lifecycle state. The id and each chip open details.
//! Props are plain data so that an unchanged card is not re-rendered.

use crate::state::{SandboxAction, Selection};
use flotilla_core::cluster::{InstanceId, InstanceStatus};
use flotilla_core::task::{TaskId, TaskState};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceView {
    pub id: InstanceId,
    pub ec2_instance_id: Rc<str>,
    pub instance_type: &'static str,
    pub status: InstanceStatus,
    /// (used, registered) CPU units.
    pub cpu: (u32, u32),
    /// (used, registered) MiB.
    pub memory: (u32, u32),
    pub tasks: Vec<TaskChip>,
    pub selected: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskChip {
    pub id: TaskId,
    pub service: Rc<str>,
    pub colour: &'static str,
    pub state: TaskState,
    pub revision: String,
    pub selected: bool,
}

#[derive(Properties, PartialEq)]
pub struct InstanceCardProps {
    pub view: InstanceView,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(InstanceCard)]
pub fn instance_card(props: &InstanceCardProps) -> Html {
    let view = &props.view;
    let status_class = match view.status {
        InstanceStatus::Active => "active",
        InstanceStatus::Draining => "draining",
        InstanceStatus::Inactive => "inactive",
    };
    let id = view.id;
    let on_select = props
        .on_dispatch
        .reform(move |_: MouseEvent| SandboxAction::Select(Some(Selection::Instance(id))));
    html! {
        <article class={classes!("instance", status_class, view.selected.then_some("selected"))}
            data-testid="instance" data-instance={view.ec2_instance_id.to_string()}>
            <header>
                <button class="link instance-id" onclick={on_select} aria-pressed={view.selected.to_string()}
                    title={format!("{}: details and actions", view.ec2_instance_id)}>
                    { &*view.ec2_instance_id }
                </button>
                <span class="instance-type">{ view.instance_type }</span>
                if view.status != InstanceStatus::Active {
                    <span class="badge">{ view.status.as_str() }</span>
                }
            </header>
            { bar("CPU", view.cpu, "units") }
            { bar("Memory", view.memory, "MiB") }
            <ul class="tasks" aria-label="Tasks">
                { for view.tasks.iter().map(|chip| {
                    let id = chip.id;
                    let state = chip.state.as_str();
                    let on_select = props
                        .on_dispatch
                        .reform(move |_: MouseEvent| SandboxAction::Select(Some(Selection::Task(id))));
                    html! {
                        <li key={id.0}>
                            <button class={classes!("task", state.to_ascii_lowercase(), chip.selected.then_some("selected"))}
                                data-testid="task" data-task={id.to_string()} data-service={chip.service.to_string()} data-state={state}
                                style={format!("--service-colour:{}", chip.colour)} onclick={on_select}
                                aria-pressed={chip.selected.to_string()}
                                aria-label={format!("Task {id}, {}, {state}", chip.service)}
                                title={format!("{id} · {} · {} · {state}", chip.service, chip.revision)}>
                                { id.to_string() }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </article>
    }
}

fn bar(label: &str, (used, total): (u32, u32), unit: &str) -> Html {
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
