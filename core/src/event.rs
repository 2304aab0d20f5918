//! The closed set of things that happen in a run. Every event has a time; the trace is the
//! events in order, one stable line each (formatted by the world, which knows the names).
//! UI, CLI and tests read events; none of them reaches into the world's internals.

use crate::action::AlarmState;
use crate::cluster::{InstanceId, InstanceStatus};
use crate::deploy::{DeploymentStatus, RolloutState};
use crate::health::TaskHealth;
use crate::service::ServiceId;
use crate::task::{StopCode, TaskId, TaskState};
use crate::taskdef::TaskDefinitionRef;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: SimTime,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    InstanceRegistered {
        instance: InstanceId,
    },
    InstanceStatusChanged {
        instance: InstanceId,
        status: InstanceStatus,
    },
    TaskDefinitionRegistered {
        task_definition: TaskDefinitionRef,
    },
    ServiceCreated {
        service: ServiceId,
        desired_count: u32,
    },
    DesiredCountChanged {
        service: ServiceId,
        from: u32,
        to: u32,
    },
    /// The scheduler launched a task on an instance; it starts in `state`.
    TaskPlaced {
        task: TaskId,
        instance: InstanceId,
        state: TaskState,
    },
    TaskStateChanged {
        task: TaskId,
        from: TaskState,
        to: TaskState,
    },
    /// desiredStatus became STOPPED.
    TaskStopRequested {
        task: TaskId,
        stop_code: StopCode,
        reason: String,
    },
    /// Container health checks reached a verdict (§3.4).
    TaskHealthChanged {
        task: TaskId,
        health: TaskHealth,
    },
    /// The task counts as healthy for the scheduler: 40 s after RUNNING without health checks.
    TaskCountsHealthy {
        task: TaskId,
    },
    /// A deployment was created or changed status or rollout state (§4.3).
    DeploymentChanged {
        service: ServiceId,
        deployment_id: String,
        task_definition: TaskDefinitionRef,
        status: DeploymentStatus,
        rollout_state: RolloutState,
        reason: String,
    },
    AlarmStateChanged {
        alarm: String,
        state: AlarmState,
    },
    /// A service event in ECS's own wording (`(service name) has reached a steady state.`).
    ServiceMessage {
        service: ServiceId,
        message: String,
    },
    /// RunTask/StartTask: the tasks started and `failures[]` (container instance ARN, reason).
    BatchLaunched {
        description: String,
        started: Vec<TaskId>,
        failures: Vec<crate::action::Failure>,
    },
    /// A user or timeline action took effect.
    ActionApplied {
        description: String,
    },
    /// A timeline action could not be applied (e.g. its task had already stopped).
    ActionRejected {
        description: String,
        reason: String,
    },
}

impl EventKind {
    /// Short kind name for filters in the UI and CLI.
    pub fn kind_name(&self) -> &'static str {
        match self {
            EventKind::InstanceRegistered { .. } | EventKind::InstanceStatusChanged { .. } => {
                "instance"
            }
            EventKind::TaskDefinitionRegistered { .. } => "task-definition",
            EventKind::ServiceCreated { .. } | EventKind::DesiredCountChanged { .. } => "service",
            EventKind::TaskPlaced { .. }
            | EventKind::TaskStateChanged { .. }
            | EventKind::TaskStopRequested { .. }
            | EventKind::TaskHealthChanged { .. }
            | EventKind::TaskCountsHealthy { .. } => "task",
            EventKind::DeploymentChanged { .. } => "deployment",
            EventKind::AlarmStateChanged { .. } => "alarm",
            EventKind::ServiceMessage { .. } => "service-event",
            EventKind::BatchLaunched { .. } => "batch",
            EventKind::ActionApplied { .. } | EventKind::ActionRejected { .. } => "action",
        }
    }
}
