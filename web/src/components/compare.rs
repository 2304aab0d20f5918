//! Branch and compare: fork the run at any moment, change this run (scale, stop, edit the
//! scenario...), and compare the two side by side at the same simulated time — per service
//! desired / running / pending, the fleet, and the number of events.

use crate::components::services::task_counts;
use crate::state::{SandboxAction, WorldHandle};
use flotilla_core::cluster::InstanceStatus;
use flotilla_core::World;
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub world: WorldHandle,
    pub branch: Option<WorldHandle>,
    pub on_dispatch: Callback<SandboxAction>,
}

/// One compared figure: (label, in the branch, in this run).
type Row = (String, Option<u32>, Option<u32>);

#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let on_branch = props
        .on_dispatch
        .reform(|_: MouseEvent| SandboxAction::Branch);
    let Some(branch) = &props.branch else {
        return html! {
            <section class="panel compare" data-testid="compare" aria-label="Compare">
                <h2>{ "Compare" }</h2>
                <p class="hint">{ "Fork the run at this moment, then change this run (scale, stop a task, edit the scenario) and compare the two side by side at the same simulated time." }</p>
                <button data-testid="branch" class="primary" onclick={on_branch}>{ "Branch here" }</button>
            </section>
        };
    };
    let on_drop = props
        .on_dispatch
        .reform(|_: MouseEvent| SandboxAction::DropBranch);
    let this = props.world.world();
    let other = branch.world();
    let (a, b) = (figures(&other), figures(&this));
    let mut rows: BTreeMap<String, (Option<u32>, Option<u32>)> = BTreeMap::new();
    for (label, value) in a {
        rows.entry(label).or_default().0 = Some(value);
    }
    for (label, value) in b {
        rows.entry(label).or_default().1 = Some(value);
    }
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(label, (a, b))| (label, a, b))
        .collect();
    let cell = |value: Option<u32>| value.map_or_else(|| "—".to_string(), |v| v.to_string());
    html! {
        <section class="panel compare" data-testid="compare" aria-label="Compare">
            <h2>{ "Compare" }<span class="hint">{ format!("both at {}", this.now()) }</span></h2>
            <table>
                <thead><tr><th>{ "" }</th><th class="num">{ "Branch" }</th><th class="num">{ "This run" }</th></tr></thead>
                <tbody>
                    { for rows.iter().map(|(label, a, b)| html! {
                        <tr data-testid="compare-row" data-label={label.clone()} class={classes!((a != b).then_some("differs"))}>
                            <td>{ label }</td>
                            <td class="num" data-testid="compare-branch">{ cell(*a) }</td>
                            <td class="num" data-testid="compare-this">{ cell(*b) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="actions-menu">
                <button data-testid="branch" onclick={on_branch} title="Replace the branch with this run as it is now">{ "Branch again here" }</button>
                <button data-testid="drop-branch" onclick={on_drop}>{ "Drop the branch" }</button>
            </div>
        </section>
    }
}

/// The figures compared, labelled; a service's rows are named after it.
fn figures(world: &World) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for service in world.services() {
        let (running, pending) = task_counts(world, service.id);
        out.push((format!("{} desired", service.name), service.desired_count));
        out.push((format!("{} running", service.name), running));
        out.push((format!("{} pending", service.name), pending));
    }
    let active = world
        .instances()
        .iter()
        .filter(|i| i.status == InstanceStatus::Active)
        .count();
    out.push(("container instances active".into(), active as u32));
    out.push(("events so far".into(), world.events().len() as u32));
    out
}
