//! One task: lifecycle state, desired status, where it runs, its revision and reservation,
//! its recent events, the actions that apply (StopTask), and on request why it was placed
//! where it is (the placement decision replayed with its full explanation, `Run::explain_task`).

use crate::components::placement_explainer::PlacementExplainer;
use crate::state::{Selection, WorldHandle};
use flotilla_core::cluster::InstanceId;
use flotilla_core::placement::PlacementDecision;
use flotilla_core::task::{TaskId, TaskState};
use flotilla_core::{Action, EventKind};
use yew::prelude::*;

/// Recent events of the task shown.
const EVENTS_MAX: usize = 12;

#[derive(Properties, PartialEq)]
pub struct TaskDetailsProps {
    pub world: WorldHandle,
    pub task: TaskId,
    pub on_apply: Callback<Action>,
    pub on_select: Callback<Selection>,
}

#[function_component(TaskDetails)]
pub fn task_details(props: &TaskDetailsProps) -> Html {
    // The explanation shown, for which task on which instance: it stays while the run moves on
    // (a past decision does not change) and hides for another task or a rewind that re-placed it.
    let explained = use_state(|| None::<(TaskId, InstanceId, Option<PlacementDecision>)>);
    let world = props.world.world();
    let Some(task) = world.tasks().get(props.task.0 as usize) else {
        return html! {
            <p class="hint">{ format!("Task {} does not exist at this moment: the run is rewound to before it was launched.", props.task) }</p>
        };
    };
    let id = task.id;
    let instance = world.instance(task.instance);
    let owner = task.service.map_or(task.group.to_string(), |s| {
        format!("service {}", world.service(s).name)
    });
    let stoppable = task.desired_running && task.state != TaskState::Stopped;
    let on_stop = props
        .on_apply
        .reform(move |_: MouseEvent| Action::StopTask {
            task: id.to_string(),
        });
    let instance_id = instance.id;
    let on_instance = props
        .on_select
        .reform(move |_: MouseEvent| Selection::Instance(instance_id));
    let daemon = task.service.is_some_and(|s| world.service(s).is_daemon());
    let on_explain = {
        let (explained, handle) = (explained.clone(), props.world.clone());
        Callback::from(move |_: MouseEvent| {
            let decision = handle.run().explain_task(id);
            explained.set(Some((id, instance_id, decision)));
        })
    };
    let explanation = explained
        .as_ref()
        .filter(|(task, on, _)| *task == id && *on == instance_id)
        .map(|(_, _, decision)| decision.clone());
    let labels = crate::components::placement_explainer::instance_labels(&world);
    let events: Vec<_> = world
        .events()
        .iter()
        .rev()
        .filter(|e| match &e.kind {
            EventKind::TaskPlaced { task, .. }
            | EventKind::TaskStateChanged { task, .. }
            | EventKind::TaskStopRequested { task, .. } => *task == id,
            _ => false,
        })
        .take(EVENTS_MAX)
        .collect();
    html! {
        <div class="task-details" data-testid="task-details">
            <h2>{ format!("Task {id}") }<span class="hint">{ owner }</span></h2>
            <dl class="facts">
                <dt>{ "Last status" }</dt><dd data-testid="task-state">{ task.state.as_str() }</dd>
                <dt>{ "Desired status" }</dt><dd>{ if task.desired_running { "RUNNING" } else { "STOPPED" } }</dd>
                <dt>{ "Container instance" }</dt>
                <dd><button class="link" data-testid="task-instance" onclick={on_instance}>{ &instance.ec2_instance_id }</button>
                    { format!(" ({}, {})", instance.instance_type.name, instance.availability_zone) }</dd>
                <dt>{ "Task definition" }</dt><dd data-testid="task-revision">{ task.task_definition.to_string() }</dd>
                <dt>{ "Reserved" }</dt><dd>{ format!("{} CPU units, {} MiB", task.cpu_units, task.memory_mib) }</dd>
                if let Some(code) = task.stop_code {
                    <dt>{ "Stop code" }</dt><dd>{ code.as_str() }</dd>
                }
            </dl>
            <div class="actions-menu" role="group" aria-label="Task actions">
                <button data-testid="stop-task" class="danger" disabled={!stoppable} onclick={on_stop}
                    title="StopTask: desired status becomes STOPPED; a service starts a replacement">
                    { "Stop task" }
                </button>
                if !daemon {
                    <button data-testid="explain-task" onclick={on_explain}
                        title="Replays the run up to this task's placement and shows each stage of the decision">
                        { "Why here?" }
                    </button>
                }
            </div>
            if daemon {
                <p class="hint">{ "A DAEMON service runs one task on every instance that meets its constraints; the placement engine does not choose among instances." }</p>
            }
            { match explanation {
                Some(Some(decision)) => html! {
                    <PlacementExplainer {decision} {labels} placed=true title={format!("Why {id} went to {}", instance.ec2_instance_id)} />
                },
                Some(None) => html! { <p class="hint" data-testid="explain-task-none">{ "This task's placement could not be replayed from the saved moments." }</p> },
                None => html! {},
            } }
            <h3>{ "Events" }</h3>
            <ol class="mini-log">
                { for events.iter().map(|e| html! { <li><time>{ e.at.to_string() }</time>{ " " }{ world.describe(e) }</li> }) }
            </ol>
        </div>
    }
}
