//! What `handle.state()` returns and the views draw: a plain-data picture of the world at the
//! cursor (clock, services with their counts and deployments, instances with their live tasks),
//! built from the core's read-only views. Numbers are `u32`/`u64` (never `usize`), so every value
//! is exact in JavaScript. Pure: tested natively.

use flotilla_core::cluster::InstanceStatus;
use flotilla_core::task::TaskState;
use flotilla_core::World;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    pub scenario: String,
    pub seed: u64,
    pub now_ms: u64,
    /// `0:01:30.000`, as the app's clock reads.
    pub now: String,
    pub until_ms: u64,
    pub at_end: bool,
    /// Events recorded so far.
    pub events: u64,
    /// Why the run stopped early (an embed bound), if it did.
    pub stopped: Option<String>,
    pub services: Vec<ServiceState>,
    pub instances: Vec<InstanceState>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceState {
    pub name: String,
    pub desired_count: u32,
    pub running: u32,
    pub pending: u32,
    pub task_definition: String,
    pub deployments: Vec<DeploymentState>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentState {
    pub id: String,
    pub status: &'static str,
    pub rollout_state: &'static str,
    pub task_definition: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceState {
    pub id: String,
    pub instance_type: &'static str,
    pub availability_zone: String,
    pub status: &'static str,
    pub tasks: Vec<TaskView>,
}

/// A task that is not STOPPED.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    pub id: String,
    /// The service's name, or the task's group for a standalone task.
    pub service: String,
    pub task_definition: String,
    pub state: &'static str,
}

pub fn state_of(world: &World, seed: u64, until_ms: u64, stopped: Option<String>) -> State {
    let mut instances: Vec<InstanceState> = world
        .instances()
        .iter()
        .map(|instance| InstanceState {
            id: instance.ec2_instance_id.clone(),
            instance_type: instance.instance_type.name,
            availability_zone: instance.availability_zone.clone(),
            status: instance.status.as_str(),
            tasks: Vec::new(),
        })
        .collect();
    let mut running = vec![0u32; world.services().len()];
    let mut pending = vec![0u32; world.services().len()];
    for task in world
        .tasks()
        .iter()
        .filter(|t| t.state != TaskState::Stopped)
    {
        let service = task.service.map(|id| id.0 as usize);
        if let Some(index) = service {
            match task.state {
                TaskState::Running => running[index] += 1,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating => {
                    pending[index] += 1
                }
                _ => {}
            }
        }
        if let Some(instance) = instances.get_mut(task.instance.0 as usize) {
            instance.tasks.push(TaskView {
                id: task.id.to_string(),
                service: match service {
                    Some(index) => world.services()[index].name.clone(),
                    None => task.group.to_string(),
                },
                task_definition: task.task_definition.to_string(),
                state: task.state.as_str(),
            });
        }
    }
    let services = world
        .services()
        .iter()
        .enumerate()
        .map(|(index, service)| ServiceState {
            name: service.name.clone(),
            desired_count: service.desired_count,
            running: running[index],
            pending: pending[index],
            task_definition: service.task_definition.to_string(),
            deployments: service
                .deployments
                .iter()
                .map(|d| DeploymentState {
                    id: d.id.clone(),
                    status: d.status.as_str(),
                    rollout_state: d.rollout_state.as_str(),
                    task_definition: d.task_definition.to_string(),
                })
                .collect(),
        })
        .collect();
    State {
        scenario: world.scenario_name().to_string(),
        seed,
        now_ms: world.now().as_ms(),
        now: world.now().to_string(),
        until_ms,
        at_end: world.now().as_ms() >= until_ms || stopped.is_some(),
        events: world.events().len() as u64,
        stopped,
        services,
        instances,
    }
}

/// True for an instance that can still be drained or terminated.
pub fn instance_active(status: &str) -> bool {
    status == InstanceStatus::Active.as_str()
}
