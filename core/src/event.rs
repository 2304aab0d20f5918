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
    /// True when the event is something the scheduler or the placement engine decided, as
    /// opposed to time passing, a lifecycle step, a health verdict or a user's input: a task
    /// placed (`TaskPlaced`, RunTask/StartTask's `BatchLaunched` with its `failures[]`), a task
    /// chosen to stop (`TaskStopRequested` by `ServiceSchedulerInitiated`), a deployment or
    /// circuit-breaker state change (`DeploymentChanged`), and every service event
    /// (`ServiceMessage`: started/stopped tasks, unable to place a task, reached a steady
    /// state, deployment blocked by its configuration, failed health checks acted upon,
    /// start attempts throttled) — those are the scheduler's own reports. "Next decision"
    /// stops at the first one.
    pub fn is_decision(&self) -> bool {
        match self {
            EventKind::TaskPlaced { .. }
            | EventKind::BatchLaunched { .. }
            | EventKind::DeploymentChanged { .. }
            | EventKind::ServiceMessage { .. } => true,
            EventKind::TaskStopRequested { stop_code, .. } => {
                *stop_code == StopCode::ServiceSchedulerInitiated
            }
            EventKind::InstanceRegistered { .. }
            | EventKind::InstanceStatusChanged { .. }
            | EventKind::TaskDefinitionRegistered { .. }
            | EventKind::ServiceCreated { .. }
            | EventKind::DesiredCountChanged { .. }
            | EventKind::TaskStateChanged { .. }
            | EventKind::TaskHealthChanged { .. }
            | EventKind::TaskCountsHealthy { .. }
            | EventKind::AlarmStateChanged { .. }
            | EventKind::ActionApplied { .. }
            | EventKind::ActionRejected { .. } => false,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(stop_code: StopCode) -> EventKind {
        EventKind::TaskStopRequested {
            task: TaskId(0),
            stop_code,
            reason: String::new(),
        }
    }

    #[test]
    fn scheduler_and_placement_outcomes_are_decisions() {
        let placed = EventKind::TaskPlaced {
            task: TaskId(0),
            instance: InstanceId(0),
            state: TaskState::Pending,
        };
        let message = EventKind::ServiceMessage {
            service: ServiceId(0),
            message: "(service web) has reached a steady state.".into(),
        };
        let batch = EventKind::BatchLaunched {
            description: "runTask".into(),
            started: vec![],
            failures: vec![],
        };
        for kind in [
            placed,
            message,
            batch,
            stop(StopCode::ServiceSchedulerInitiated),
        ] {
            assert!(kind.is_decision(), "{kind:?} should be a decision");
        }
    }

    #[test]
    fn lifecycle_health_and_user_input_are_not_decisions() {
        let not = [
            EventKind::TaskStateChanged {
                task: TaskId(0),
                from: TaskState::Pending,
                to: TaskState::Running,
            },
            EventKind::TaskCountsHealthy { task: TaskId(0) },
            EventKind::TaskHealthChanged {
                task: TaskId(0),
                health: TaskHealth::Unhealthy,
            },
            EventKind::DesiredCountChanged {
                service: ServiceId(0),
                from: 1,
                to: 2,
            },
            EventKind::ActionApplied {
                description: "stopTask t0".into(),
            },
            EventKind::InstanceStatusChanged {
                instance: InstanceId(0),
                status: InstanceStatus::Draining,
            },
            // Stops the user, a crash or a terminated instance caused are not the scheduler's.
            stop(StopCode::UserInitiated),
            stop(StopCode::EssentialContainerExited),
            stop(StopCode::TaskFailedToStart),
            stop(StopCode::TerminationNotice),
        ];
        for kind in not {
            assert!(!kind.is_decision(), "{kind:?} should not be a decision");
        }
    }
}
