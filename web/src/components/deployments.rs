//! A service's `deployments[]` as ECS reports them (id, task definition, PRIMARY / ACTIVE /
//! INACTIVE, rolloutState and its reason), its progress over time (`deployment_chart`) and its
//! live tasks per revision.

use crate::components::deployment_chart::DeploymentChart;
use crate::state::WorldHandle;
use flotilla_core::compact::SortedMap;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeploymentsProps {
    pub world: WorldHandle,
    pub service: ServiceId,
}

#[derive(Default)]
struct Counts {
    running: u32,
    pending: u32,
    healthy: u32,
}

#[function_component(Deployments)]
pub fn deployments(props: &DeploymentsProps) -> Html {
    let world = props.world.world();
    let Some(service) = world.services().get(props.service.0 as usize) else {
        return html! {};
    };
    let mut per_revision: SortedMap<String, Counts> = SortedMap::new();
    for task in world
        .tasks()
        .iter()
        .filter(|t| t.service == Some(service.id) && t.state != TaskState::Stopped)
    {
        let counts = per_revision.or_default(task.task_definition.to_string());
        if task.state == TaskState::Running {
            counts.running += 1;
        } else {
            counts.pending += 1;
        }
        if task.counted_healthy {
            counts.healthy += 1;
        }
    }
    html! {
        <section class="deployments" data-testid="deployments" aria-label="Deployments">
            <h3>{ "Deployments" }</h3>
            <table class="rounds">
                <thead><tr><th>{ "Task definition" }</th><th>{ "Status" }</th><th>{ "Rollout state" }</th></tr></thead>
                <tbody>
                    { for service.deployments.iter().rev().map(|d| html! {
                        <>
                            <tr data-testid="deployment" data-status={d.status.as_str()} data-rollout={d.rollout_state.as_str()}>
                                <td>{ d.task_definition.to_string() }</td>
                                <td>{ d.status.as_str() }</td>
                                <td>{ d.rollout_state.as_str() }</td>
                            </tr>
                            <tr class="reason"><td colspan="3" class="hint" data-testid="deployment-reason">
                                // Every row starts with the deployment id, then ECS's reason
                                // as ECS words it (some reasons name the id, some do not).
                                <code data-testid="deployment-id">{ &d.id }</code>{ ": " }{ &d.rollout_state_reason }
                            </td></tr>
                        </>
                    }) }
                </tbody>
            </table>
            <DeploymentChart world={props.world.clone()} service={props.service} />
            <h4>{ "Tasks per revision" }</h4>
            <ul data-testid="tasks-per-revision">
                { for per_revision.iter().map(|(revision, c)| html! {
                    <li data-testid="revision-tasks" data-revision={revision.clone()}>
                        { format!("{revision}: {} running, {} starting or stopping, {} counted healthy", c.running, c.pending, c.healthy) }
                    </li>
                }) }
                if per_revision.is_empty() { <li class="hint">{ "no live tasks" }</li> }
            </ul>
        </section>
    }
}
