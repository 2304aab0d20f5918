//! The closed set of things that happen in a run. Every event has a time and carries data —
//! ids, states, the action applied, the closest rejection — never pre-formatted English: the
//! one wording site is `world/trace.rs` (one stable line per event, worded from the world's
//! names). Events are grouped into `EventCategory`s for filters, and name the service and the
//! container instance they are about (`EventKind::subjects`). UI, CLI and tests read events;
//! none of them reaches into the world's internals.

use crate::action::{Action, AlarmState, Failure};
use crate::cluster::{InstanceId, InstanceStatus};
use crate::deploy::{DeploymentStatus, RolloutState};
use crate::health::TaskHealth;
use crate::placement::Rejection;
use crate::service::ServiceId;
use crate::task::{StopCode, Task, TaskId, TaskState};
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
    /// `task_definition` is the revision the service was created with: the trace words the
    /// event from it, never from the service's revision now.
    ServiceCreated {
        service: ServiceId,
        task_definition: TaskDefinitionRef,
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
        deployment_id: Box<str>,
        /// Boxed, like the payloads below: every event is as large as the largest kind, and
        /// the log holds several events per task (bytes per task, issue 13).
        task_definition: Box<TaskDefinitionRef>,
        status: DeploymentStatus,
        rollout_state: RolloutState,
        reason: Box<str>,
    },
    AlarmStateChanged {
        alarm: String,
        state: AlarmState,
    },
    /// A service event, worded as ECS words it (`(service name) has reached a steady state.`).
    ServiceMessage {
        service: ServiceId,
        event: ServiceEvent,
    },
    /// RunTask/StartTask: the call, the tasks started and `failures[]` (container instance
    /// ARN, reason).
    BatchLaunched {
        call: Box<BatchCall>,
        /// Shared with the call's `BatchRecord`.
        started: std::sync::Arc<[TaskId]>,
        /// Shared with the call's `BatchRecord`.
        failures: std::sync::Arc<[Failure]>,
    },
    /// A user or timeline action took effect. `task_definition` is the revision an
    /// updateService's `taskDefinition` resolved to.
    ActionApplied {
        #[serde(with = "crate::world::snapshot::json_text")]
        action: Box<Action>,
        task_definition: Option<TaskDefinitionRef>,
    },
    /// A timeline action could not be applied (e.g. its task had already stopped).
    ActionRejected {
        #[serde(with = "crate::world::snapshot::json_text")]
        action: Box<Action>,
        reason: String,
    },
    /// Load balancer targets and Cloud Map instances (§5).
    #[cfg(feature = "discovery")]
    Discovery(DiscoveryEvent),
    /// Synthetic traffic: hazard intervals and per-minute totals (`world/traffic.rs`).
    #[cfg(feature = "discovery")]
    Traffic(TrafficEvent),
}

/// What a service event reports (ecs-semantics §1.8, §3.4, §3.7, §3.8, §4.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceEvent {
    /// One scheduler round started these tasks.
    TasksStarted { tasks: Vec<TaskId> },
    /// One scheduler round stopped these tasks.
    TasksStopped { tasks: Vec<TaskId> },
    /// No container instance met all of a task's requirements: the closest match and why it
    /// was rejected, or `None` when the cluster had no candidate at all.
    UnableToPlace {
        closest: Option<Box<(InstanceId, Rejection)>>,
    },
    /// The service runs its desired count, all of the primary deployment, all healthy.
    SteadyState,
    /// The deployment configuration lets the scheduler neither stop nor start a task.
    DeploymentBlocked,
    /// An UNHEALTHY task acted upon (replaced) after its grace period.
    FailedHealthChecks { task: TaskId },
    /// Task starts are throttled after repeated failures to start (restart back-off).
    StartsThrottled,
    /// The load balancer marked the task's target unhealthy after the grace period: the
    /// scheduler replaces it (§5.1 event wording).
    #[cfg(feature = "discovery")]
    UnhealthyInTargetGroup {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
    },
}

/// A RunTask or StartTask call as its batch event records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCall {
    pub kind: BatchKind,
    pub task_definition: TaskDefinitionRef,
    pub group: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BatchKind {
    RunTask {
        count: u32,
    },
    /// The container instances named, as given (EC2 instance ids).
    StartTask {
        container_instances: Vec<String>,
    },
}

/// The groups the event log filters by; every `EventKind` is in exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventCategory {
    ServiceEvent,
    Service,
    Task,
    Instance,
    TaskDefinition,
    Deployment,
    Alarm,
    Batch,
    Action,
    Discovery,
}

impl EventCategory {
    /// Every category, in the order filters offer them.
    pub const ALL: [EventCategory; 10] = [
        EventCategory::ServiceEvent,
        EventCategory::Service,
        EventCategory::Task,
        EventCategory::Instance,
        EventCategory::TaskDefinition,
        EventCategory::Deployment,
        EventCategory::Alarm,
        EventCategory::Batch,
        EventCategory::Action,
        EventCategory::Discovery,
    ];

    /// The short name filters use (`EventKind::kind_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventCategory::ServiceEvent => "service-event",
            EventCategory::Service => "service",
            EventCategory::Task => "task",
            EventCategory::Instance => "instance",
            EventCategory::TaskDefinition => "task-definition",
            EventCategory::Deployment => "deployment",
            EventCategory::Alarm => "alarm",
            EventCategory::Batch => "batch",
            EventCategory::Action => "action",
            EventCategory::Discovery => "discovery",
        }
    }
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
            #[cfg(feature = "discovery")]
            EventKind::Discovery(_) | EventKind::Traffic(_) => false,
        }
    }

    /// The group the event log files it under.
    pub fn category(&self) -> EventCategory {
        match self {
            EventKind::InstanceRegistered { .. } | EventKind::InstanceStatusChanged { .. } => {
                EventCategory::Instance
            }
            EventKind::TaskDefinitionRegistered { .. } => EventCategory::TaskDefinition,
            EventKind::ServiceCreated { .. } | EventKind::DesiredCountChanged { .. } => {
                EventCategory::Service
            }
            EventKind::TaskPlaced { .. }
            | EventKind::TaskStateChanged { .. }
            | EventKind::TaskStopRequested { .. }
            | EventKind::TaskHealthChanged { .. }
            | EventKind::TaskCountsHealthy { .. } => EventCategory::Task,
            EventKind::DeploymentChanged { .. } => EventCategory::Deployment,
            EventKind::AlarmStateChanged { .. } => EventCategory::Alarm,
            EventKind::ServiceMessage { .. } => EventCategory::ServiceEvent,
            EventKind::BatchLaunched { .. } => EventCategory::Batch,
            EventKind::ActionApplied { .. } | EventKind::ActionRejected { .. } => {
                EventCategory::Action
            }
            // Traffic is filed with discovery: the requests of its targets and records.
            #[cfg(feature = "discovery")]
            EventKind::Discovery(_) | EventKind::Traffic(_) => EventCategory::Discovery,
        }
    }

    /// Short kind name for filters in the UI and CLI (`EventCategory::as_str`).
    pub fn kind_name(&self) -> &'static str {
        self.category().as_str()
    }

    /// The service and the container instance the event is about, when it is about one; an
    /// event about a task is about the task's service and instance (`tasks` indexed by
    /// `TaskId`, as `World::tasks`).
    pub fn subjects(&self, tasks: &[Task]) -> Subjects {
        let of_task = |id: &TaskId| {
            tasks
                .get(id.0 as usize)
                .map_or(Subjects::default(), |t| Subjects {
                    service: t.service,
                    instance: Some(t.instance),
                })
        };
        match self {
            EventKind::InstanceRegistered { instance }
            | EventKind::InstanceStatusChanged { instance, .. } => Subjects {
                service: None,
                instance: Some(*instance),
            },
            EventKind::ServiceCreated { service, .. }
            | EventKind::DesiredCountChanged { service, .. }
            | EventKind::DeploymentChanged { service, .. }
            | EventKind::ServiceMessage { service, .. } => Subjects {
                service: Some(*service),
                instance: None,
            },
            EventKind::TaskPlaced { task, instance, .. } => Subjects {
                service: tasks.get(task.0 as usize).and_then(|t| t.service),
                instance: Some(*instance),
            },
            EventKind::TaskStateChanged { task, .. }
            | EventKind::TaskStopRequested { task, .. }
            | EventKind::TaskHealthChanged { task, .. }
            | EventKind::TaskCountsHealthy { task } => of_task(task),
            #[cfg(feature = "discovery")]
            EventKind::Discovery(event) => of_task(&event.task()),
            #[cfg(feature = "discovery")]
            EventKind::Traffic(_) => Subjects {
                service: None,
                instance: None,
            },
            EventKind::TaskDefinitionRegistered { .. }
            | EventKind::AlarmStateChanged { .. }
            | EventKind::BatchLaunched { .. }
            | EventKind::ActionApplied { .. }
            | EventKind::ActionRejected { .. } => Subjects::default(),
        }
    }
}

/// What an event is about (`EventKind::subjects`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Subjects {
    pub service: Option<ServiceId>,
    pub instance: Option<InstanceId>,
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

    fn run_task_call() -> BatchCall {
        BatchCall {
            kind: BatchKind::RunTask { count: 1 },
            task_definition: TaskDefinitionRef {
                family: "web".into(),
                revision: 1,
            },
            group: "family:web".into(),
        }
    }

    /// One event of every kind; the match makes adding a kind without adding it here an error.
    fn one_of_each() -> Vec<EventKind> {
        let task = TaskId(0);
        let service = ServiceId(0);
        let instance = InstanceId(0);
        let all = vec![
            EventKind::InstanceRegistered { instance },
            EventKind::InstanceStatusChanged {
                instance,
                status: InstanceStatus::Active,
            },
            EventKind::TaskDefinitionRegistered {
                task_definition: run_task_call().task_definition,
            },
            EventKind::ServiceCreated {
                service,
                task_definition: run_task_call().task_definition,
                desired_count: 1,
            },
            EventKind::DesiredCountChanged {
                service,
                from: 1,
                to: 2,
            },
            EventKind::TaskPlaced {
                task,
                instance,
                state: TaskState::Pending,
            },
            EventKind::TaskStateChanged {
                task,
                from: TaskState::Pending,
                to: TaskState::Running,
            },
            stop(StopCode::UserInitiated),
            EventKind::TaskHealthChanged {
                task,
                health: TaskHealth::Healthy,
            },
            EventKind::TaskCountsHealthy { task },
            EventKind::DeploymentChanged {
                service,
                deployment_id: "ecs-svc/1".into(),
                task_definition: Box::new(run_task_call().task_definition),
                status: DeploymentStatus::Primary,
                rollout_state: RolloutState::InProgress,
                reason: "".into(),
            },
            EventKind::AlarmStateChanged {
                alarm: "errors".into(),
                state: AlarmState::Alarm,
            },
            EventKind::ServiceMessage {
                service,
                event: ServiceEvent::SteadyState,
            },
            EventKind::BatchLaunched {
                call: Box::new(run_task_call()),
                started: vec![task].into(),
                failures: std::sync::Arc::new([]),
            },
            EventKind::ActionApplied {
                action: Box::new(Action::StopTask { task: "t0".into() }),
                task_definition: None,
            },
            EventKind::ActionRejected {
                action: Box::new(Action::StopTask { task: "t0".into() }),
                reason: "gone".into(),
            },
            #[cfg(feature = "discovery")]
            EventKind::Discovery(DiscoveryEvent::TaskCountsHealthy { task }),
        ];
        for kind in &all {
            match kind {
                EventKind::InstanceRegistered { .. }
                | EventKind::InstanceStatusChanged { .. }
                | EventKind::TaskDefinitionRegistered { .. }
                | EventKind::ServiceCreated { .. }
                | EventKind::DesiredCountChanged { .. }
                | EventKind::TaskPlaced { .. }
                | EventKind::TaskStateChanged { .. }
                | EventKind::TaskStopRequested { .. }
                | EventKind::TaskHealthChanged { .. }
                | EventKind::TaskCountsHealthy { .. }
                | EventKind::DeploymentChanged { .. }
                | EventKind::AlarmStateChanged { .. }
                | EventKind::ServiceMessage { .. }
                | EventKind::BatchLaunched { .. }
                | EventKind::ActionApplied { .. }
                | EventKind::ActionRejected { .. } => {}
                #[cfg(feature = "discovery")]
                EventKind::Discovery(_) | EventKind::Traffic(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_kind_is_in_a_category_the_filters_offer_and_every_category_is_used() {
        let kinds = one_of_each();
        for kind in &kinds {
            assert!(
                EventCategory::ALL.contains(&kind.category()),
                "{kind:?} is in no category of EventCategory::ALL"
            );
        }
        for category in EventCategory::ALL {
            // A build without `discovery` files nothing under it.
            if cfg!(not(feature = "discovery")) && category == EventCategory::Discovery {
                continue;
            }
            assert!(
                kinds.iter().any(|k| k.category() == category),
                "no event is in {category:?}"
            );
        }
        let names: Vec<&str> = EventCategory::ALL.iter().map(|c| c.as_str()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "category names must differ");
    }

    #[test]
    fn subjects_of_a_task_event_are_the_task_service_and_instance() {
        let tasks = [Task {
            id: TaskId(0),
            task_definition: run_task_call().task_definition,
            service: Some(ServiceId(3)),
            group: "service:web".into(),
            instance: InstanceId(5),
            state: TaskState::Running,
            desired_running: true,
            cpu_units: 0,
            memory_mib: 0,
            static_host_ports: Box::new([]),
            gpus: 0,
            eni: false,
            started_by: None,
            stop_code: None,
            fails_to_start: false,
            fails_health_checks: false,
            deployment: 0,
            placed_at: SimTime::ZERO,
            placed_event: 0,
            running_at: None,
            health: TaskHealth::Unknown,
            counted_healthy: false,
            unhealthy: false,
        }];
        let expected = Subjects {
            service: Some(ServiceId(3)),
            instance: Some(InstanceId(5)),
        };
        assert_eq!(stop(StopCode::UserInitiated).subjects(&tasks), expected);
        assert_eq!(
            EventKind::AlarmStateChanged {
                alarm: "a".into(),
                state: AlarmState::Ok
            }
            .subjects(&tasks),
            Subjects::default()
        );
        // A task the list does not hold (a world from before it) is about nothing.
        assert_eq!(
            stop(StopCode::UserInitiated).subjects(&[]),
            Subjects::default()
        );
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
            event: ServiceEvent::SteadyState,
        };
        let batch = EventKind::BatchLaunched {
            call: Box::new(run_task_call()),
            started: std::sync::Arc::new([]),
            failures: std::sync::Arc::new([]),
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
                action: Box::new(Action::StopTask { task: "t0".into() }),
                task_definition: None,
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

/// What synthetic traffic did, as data: the trace words it in `world/trace.rs`.
#[cfg(feature = "discovery")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrafficEvent {
    /// A hazard interval opened this second: `requests` failed in it so far.
    HazardOpened {
        cause: crate::traffic::hazards::HazardCause,
        requests: u64,
    },
    /// A hazard interval closed (its last second was the one before).
    HazardClosed {
        hazard: crate::traffic::hazards::Hazard,
    },
    /// A weighted Route 53 record's weight changed (`changeResourceRecordWeight`): record set
    /// and answer as the traffic plan numbers them (names that never change), both weights.
    WeightChanged {
        record_set: u32,
        answer: u32,
        from: u8,
        to: u8,
    },
    /// A simulated minute's requests over every route, by outcome.
    Minute {
        minute: u32,
        requests: u64,
        count_2xx: u64,
        target_5xx: u64,
        elb_5xx: u64,
        dns_failures: u64,
    },
}

/// What happened in the service-discovery model (ecs-semantics §5), as data: the trace words
/// it in `world/trace.rs` from what is recorded here (addresses and times included), never
/// from the state at rendering time.
#[cfg(feature = "discovery")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscoveryEvent {
    /// A task's target was registered (ACTIVATING, §3.3) and starts in `initial`.
    TargetRegistered {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
        address: crate::discovery::TargetAddress,
    },
    /// The target became healthy: `first` for a new target's first passing check, else
    /// `HealthyThresholdCount` consecutive passes after being unhealthy.
    TargetHealthy {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
        first: bool,
    },
    /// `UnhealthyThresholdCount` consecutive checks failed (ELB's reason code
    /// `Target.FailedHealthChecks`).
    TargetUnhealthy {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
        failed_checks: u32,
    },
    /// Deregistration began (DEACTIVATING): the target drains until `until`.
    TargetDraining {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
        until: SimTime,
    },
    /// The target is gone from its target group.
    TargetDeregistered {
        task: TaskId,
        target_group: crate::discovery::TargetGroupId,
    },
    /// The task counts as healthy for the scheduler because every target of it is healthy,
    /// and with container checks its container too (the §3.4 table's load-balancer rows):
    /// recorded at whichever of them came last.
    TaskCountsHealthy { task: TaskId },
    /// A RUNNING task registered in its Cloud Map service.
    InstanceRegistered {
        task: TaskId,
        service: crate::discovery::CloudMapServiceId,
        address: crate::discovery::TargetAddress,
    },
    /// The task left its Cloud Map service (it is stopping).
    InstanceDeregistered {
        task: TaskId,
        service: crate::discovery::CloudMapServiceId,
    },
}

#[cfg(feature = "discovery")]
impl DiscoveryEvent {
    /// The task the event is about.
    pub fn task(&self) -> TaskId {
        match self {
            DiscoveryEvent::TargetRegistered { task, .. }
            | DiscoveryEvent::TargetHealthy { task, .. }
            | DiscoveryEvent::TargetUnhealthy { task, .. }
            | DiscoveryEvent::TargetDraining { task, .. }
            | DiscoveryEvent::TargetDeregistered { task, .. }
            | DiscoveryEvent::TaskCountsHealthy { task }
            | DiscoveryEvent::InstanceRegistered { task, .. }
            | DiscoveryEvent::InstanceDeregistered { task, .. } => *task,
        }
    }
}
