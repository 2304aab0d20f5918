//! One container instance: id, type, status, CPU and memory bars, host ports, ENIs and GPUs in
//! use, and its tasks as chips coloured by service, shaded by revision (tasks of a revision
//! other than the service's current one are darker) and styled by lifecycle state, with a dot
//! for its load-balancer target's state (healthy, initial, unhealthy, draining). The id and each
//! chip open details.
//! Props are plain data so that an unchanged card is not re-rendered.

use crate::state::Selection;
use flotilla_core::cluster::{InstanceId, InstanceStatus};
use flotilla_core::discovery::TargetHealthState;
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
    /// Host ports reserved (the agent's defaults plus static ports of tasks), of the 100 an
    /// instance may reserve (§2.3).
    pub ports: u32,
    /// awsvpc tasks attached, of the instance's ENI task limit (§2.4).
    pub enis: (u32, u32),
    /// (used, registered) GPUs; (0, 0) on instances without GPUs.
    pub gpus: (u32, u32),
    /// One chip per task, or (with `summary`) only the selected task's.
    pub tasks: Vec<TaskChip>,
    /// The tasks as counts, when the fleet is too large for a chip each.
    pub summary: Option<TaskSummary>,
    pub selected: bool,
}

/// An instance's tasks counted by lifecycle state and by service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSummary {
    /// Indexed by `TaskState as usize`.
    pub states: [u32; 8],
    /// (service index, tasks) for the services with tasks here, by service index;
    /// `NO_SERVICE` counts tasks of no service (RunTask, StartTask). Only the services present:
    /// an entry per service of the scenario was 10,000 counters a card at 10,000 services.
    pub services: Vec<(u32, u32)>,
}

/// The service index `TaskSummary::services` counts tasks of no service under (sorts last).
pub const NO_SERVICE: u32 = u32::MAX;

impl TaskSummary {
    pub fn add(&mut self, state: TaskState, service: Option<u32>) {
        self.states[state as usize] += 1;
        let key = service.unwrap_or(NO_SERVICE);
        // Tasks come in launch order, which mostly follows service order: usually a push.
        match self.services.binary_search_by_key(&key, |&(s, _)| s) {
            Ok(at) => self.services[at].1 += 1,
            Err(at) => self.services.insert(at, (key, 1)),
        }
    }

    fn total(&self) -> u32 {
        self.states.iter().sum()
    }
}

const STATES: [TaskState; 8] = [
    TaskState::Provisioning,
    TaskState::Pending,
    TaskState::Activating,
    TaskState::Running,
    TaskState::Deactivating,
    TaskState::Stopping,
    TaskState::Deprovisioning,
    TaskState::Stopped,
];

#[derive(Clone, Debug, PartialEq)]
pub struct TaskChip {
    pub id: TaskId,
    pub service: Rc<str>,
    pub colour: &'static str,
    pub state: TaskState,
    pub revision: String,
    /// Not the service's current task definition (an older or rolled-back revision).
    pub other_revision: bool,
    /// Its load-balancer target's state, if it is registered in a target group.
    pub target: Option<TargetHealthState>,
    pub selected: bool,
}

#[derive(Properties, PartialEq)]
pub struct InstanceCardProps {
    pub view: InstanceView,
    pub on_select: Callback<Selection>,
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
        .on_select
        .reform(move |_: MouseEvent| Selection::Instance(id));
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
            { usage_line(view) }
            if let Some(summary) = &view.summary {
                { summary_line(summary) }
            }
            if view.summary.is_none() || !view.tasks.is_empty() {
                <ul class="tasks" aria-label="Tasks">
                    { for view.tasks.iter().map(|chip| {
                        let id = chip.id;
                        let state = chip.state.as_str();
                        let target = chip.target.map(TargetHealthState::as_str);
                        let target_words = target.map(|t| format!(", target {t}")).unwrap_or_default();
                        let on_select = props
                            .on_select
                            .reform(move |_: MouseEvent| Selection::Task(id));
                        html! {
                            <li key={id.0}>
                                <button class={classes!("task", state.to_ascii_lowercase(), chip.other_revision.then_some("other-revision"), chip.selected.then_some("selected"), target.map(|t| format!("target-{t}")))}
                                    data-testid="task" data-task={id.to_string()} data-service={chip.service.to_string()} data-state={state}
                                    data-revision={chip.revision.clone()} data-target={target}
                                    style={format!("--service-colour:{}", chip.colour)} onclick={on_select}
                                    aria-pressed={chip.selected.to_string()}
                                    aria-label={format!("Task {id}, {}, {state}{target_words}", chip.service)}
                                    title={format!("{id} · {} · {}{} · {state}{target_words}", chip.service, chip.revision,
                                        if chip.other_revision { " (not the service's current revision)" } else { "" })}>
                                    { id.to_string() }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
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

/// "Ports 7/100 · ENIs 1/2 · GPUs 0/1": the resources that are not bars, with the host ports in
/// use spelled out in the title.
fn usage_line(view: &InstanceView) -> Html {
    let mut text = format!("Ports {}/{PORTS_MAX}", view.ports);
    if view.enis.1 > 0 {
        text.push_str(&format!(" · ENIs {}/{}", view.enis.0, view.enis.1));
    }
    if view.gpus.1 > 0 {
        text.push_str(&format!(" · GPUs {}/{}", view.gpus.0, view.gpus.1));
    }
    html! {
        <div class="usage" data-testid="instance-usage"
            title="Host ports reserved (the agent's defaults and static host ports of tasks) of the 100 allowed; awsvpc tasks attached of the ENI limit; GPUs pinned to tasks">
            { text }
        </div>
    }
}

/// At most this many host ports may be reserved on a container instance (§2.3).
const PORTS_MAX: u32 = 100;

/// "12 tasks · 9 running · 3 pending" over a bar of service colours.
fn summary_line(summary: &TaskSummary) -> Html {
    let total = summary.total();
    let mut text = format!("{total} task{}", if total == 1 { "" } else { "s" });
    for state in STATES {
        let count = summary.states[state as usize];
        if count > 0 {
            text.push_str(&format!(
                " · {count} {}",
                state.as_str().to_ascii_lowercase()
            ));
        }
    }
    let mut stops = Vec::new();
    let mut from = 0;
    for &(service, count) in &summary.services {
        // `service_colour(u32::MAX)` is the slate of tasks of no service (NO_SERVICE).
        let colour = super::service_colour(service);
        let to = from + count;
        stops.push(format!(
            "{colour} {}% {}%",
            from * 100 / total.max(1),
            to * 100 / total.max(1)
        ));
        from = to;
    }
    let style = if stops.is_empty() {
        String::new()
    } else {
        format!("background:linear-gradient(to right,{})", stops.join(","))
    };
    html! {
        <div class="task-summary" data-testid="task-summary" title="Tasks on this instance by state; the bar shows their services">
            <span class="summary-bar" {style}></span>
            <span class="summary-text">{ text }</span>
        </div>
    }
}
