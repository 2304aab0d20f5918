//! Batch jobs: RunTask (task definition, count up to 10, group, an optional strategy) and
//! StartTask on chosen container instances, then each call's result as ECS returns it — the
//! tasks started and `failures[]` with their reasons (RESOURCE:MEMORY...).

use crate::persist::Notice;
use crate::state::{Selection, WorldHandle};
use flotilla_core::action::{RunTask, StartTask, RUN_TASK_COUNT_MAX, START_TASK_INSTANCES_MAX};
use flotilla_core::cluster::InstanceStatus;
use flotilla_core::compact::SortedSet;
use flotilla_core::service::PlacementStrategySpec;
use flotilla_core::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const BATCHES_SHOWN: usize = 10;
const STRATEGIES: [(&str, &str, &str); 4] = [
    ("", "", "none (the default, random)"),
    (
        "spread",
        "attribute:ecs.availability-zone",
        "spread across Availability Zones",
    ),
    ("binpack", "memory", "binpack on memory"),
    ("spread", "instanceId", "spread across instances"),
];

#[derive(Properties, PartialEq)]
pub struct JobsProps {
    pub world: WorldHandle,
    pub on_apply: Callback<Action>,
    pub on_notify: Callback<Notice>,
    pub on_select: Callback<Selection>,
}

#[function_component(Jobs)]
pub fn jobs(props: &JobsProps) -> Html {
    let (definition, count, group, strategy) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let chosen = use_state(SortedSet::<String>::new);
    let world = props.world.world();
    let families: SortedSet<String> = world
        .task_definitions()
        .iter()
        .map(|(r, _)| r.family.to_string())
        .collect();
    let value = |node: &NodeRef| {
        node.cast::<HtmlInputElement>()
            .map(|i| i.value())
            .or_else(|| node.cast::<HtmlSelectElement>().map(|s| s.value()))
            .unwrap_or_default()
    };
    let on_run = {
        let (definition, count, group, strategy) = (
            definition.clone(),
            count.clone(),
            group.clone(),
            strategy.clone(),
        );
        let (on_apply, on_notify) = (props.on_apply.clone(), props.on_notify.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let text = value(&count);
            let group = value(&group).trim().to_string();
            let strategy = value(&strategy)
                .parse::<usize>()
                .ok()
                .and_then(|i| STRATEGIES.get(i))
                .filter(|s| !s.0.is_empty());
            match text.trim().parse::<u32>() {
                Ok(count) => on_apply.emit(Action::RunTask(RunTask {
                    task_definition: value(&definition),
                    count: Some(count),
                    group: (!group.is_empty()).then_some(group),
                    placement_constraints: Vec::new(),
                    placement_strategy: strategy
                        .map(|s| {
                            vec![PlacementStrategySpec {
                                kind: s.0.into(),
                                field: Some(s.1.into()),
                            }]
                        })
                        .unwrap_or_default(),
                    started_by: None,
                    network_configuration: None,
                })),
                Err(_) => on_notify.emit(
                    Notice::error(
                        format!("Count \u{201c}{text}\u{201d}: give a whole number of tasks from 1 to {}.", flotilla_core::action::RUN_TASK_COUNT_MAX),
                        "",
                    )
                    .about("task count"),
                ),
            }
        })
    };
    let on_start = {
        let (definition, chosen, group) = (definition.clone(), chosen.clone(), group.clone());
        props.on_apply.reform(move |_: MouseEvent| {
            let group = value(&group).trim().to_string();
            Action::StartTask(StartTask {
                task_definition: value(&definition),
                container_instances: chosen.iter().cloned().collect(),
                group: (!group.is_empty()).then_some(group),
                started_by: None,
                network_configuration: None,
            })
        })
    };
    let toggle = |id: String| {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| {
            let mut next = (*chosen).clone();
            if !next.remove(&id) {
                next.insert(id.clone());
            }
            chosen.set(next);
        })
    };
    let task_label = |id: flotilla_core::task::TaskId| {
        let task = world.tasks().get(id.0 as usize);
        let instance = task
            .and_then(|t| world.instances().get(t.instance.0 as usize))
            .map(|i| i.ec2_instance_id.clone())
            .unwrap_or_default();
        format!(
            "{} on {instance}",
            task.map(|t| t.task_definition.to_string())
                .unwrap_or_default()
        )
    };
    html! {
        <section class="panel jobs" data-testid="jobs" aria-label="Batch jobs">
            <h2>{ "Batch jobs" }<span class="hint">{ "RunTask and StartTask, outside any service" }</span></h2>
            <form class="form" onsubmit={on_run} aria-label="RunTask">
                <label>{ "Task definition" }
                    <select ref={definition} data-testid="job-definition">{ for families.iter().map(|f| html! { <option value={f.clone()}>{ f }</option> }) }</select>
                </label>
                <label>{ format!("Count (1 to {RUN_TASK_COUNT_MAX})") }<input ref={count} data-testid="job-count" type="number" min="1" max={RUN_TASK_COUNT_MAX.to_string()} value="1" /></label>
                <label>{ "Group (optional)" }<input ref={group} data-testid="job-group" placeholder="family:<family>" /></label>
                <label>{ "Placement strategy" }
                    <select ref={strategy} data-testid="job-strategy">{ for STRATEGIES.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()}>{ s.2 }</option> }) }</select>
                </label>
                <button data-testid="run-task" type="submit" class="primary">{ "Run task" }</button>
            </form>
            <fieldset class="start-task">
                <legend>{ format!("StartTask on chosen instances (up to {START_TASK_INSTANCES_MAX})") }</legend>
                { for world.instances().iter().filter(|i| i.status != InstanceStatus::Inactive).map(|i| html! {
                    <label class="check"><input type="checkbox" data-testid="start-on" checked={chosen.contains(&i.ec2_instance_id)} onchange={toggle(i.ec2_instance_id.clone())} />
                        { format!(" {} ({})", i.ec2_instance_id, i.availability_zone) }</label>
                }) }
                <button data-testid="start-task" disabled={chosen.is_empty()} onclick={on_start}>{ "Start task on chosen" }</button>
            </fieldset>
            <h3>{ "Results" }</h3>
            <ol class="batches" data-testid="batches">
                { for world.batches().iter().rev().take(BATCHES_SHOWN).map(|batch| html! {
                    <li data-testid="batch">
                        <p><time>{ batch.at.to_string() }</time>{ format!(" {} — {} started, {} failed", batch.label, batch.started.len(), batch.failures.len()) }</p>
                        <ul>
                            { for batch.started.iter().map(|id| {
                                let id = *id;
                                let on_select = props.on_select.reform(move |_: MouseEvent| Selection::Task(id));
                                html! {
                                    <li data-testid="batch-started" data-task={id.to_string()}>
                                        <button class="link" onclick={on_select} title="Details, and why it was placed there">{ id.to_string() }</button>
                                        { " " }{ task_label(id) }
                                    </li>
                                }
                            }) }
                            { for batch.failures.iter().map(|f| html! { <li data-testid="batch-failure" class="failed"><span class="badge">{ &f.reason }</span>{ " " }<code>{ &f.arn }</code></li> }) }
                        </ul>
                    </li>
                }) }
                if world.batches().is_empty() { <li class="hint">{ "No RunTask or StartTask yet." }</li> }
            </ol>
        </section>
    }
}
