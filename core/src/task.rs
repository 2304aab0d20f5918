//! Tasks and their lifecycle states (ecs-semantics §3.3). A task is in exactly one state; the
//! world moves it forward, placement only reads where tasks are.

use crate::cluster::InstanceId;
use crate::health::TaskHealth;
use crate::service::ServiceId;
use crate::taskdef::TaskDefinitionRef;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaskId(pub u32);

impl std::fmt::Display for TaskId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "t{}", self.0)
    }
}

/// `lastStatus` progression, in order (§3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaskState {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Provisioning => "PROVISIONING",
            TaskState::Pending => "PENDING",
            TaskState::Activating => "ACTIVATING",
            TaskState::Running => "RUNNING",
            TaskState::Deactivating => "DEACTIVATING",
            TaskState::Stopping => "STOPPING",
            TaskState::Deprovisioning => "DEPROVISIONING",
            TaskState::Stopped => "STOPPED",
        }
    }
}

/// `API:TaskStopCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    TerminationNotice,
}

impl TaskState {
    /// PROVISIONING, PENDING or ACTIVATING: on the way to RUNNING.
    pub fn is_starting(self) -> bool {
        self < TaskState::Running
    }
}

impl StopCode {
    pub fn as_str(self) -> &'static str {
        match self {
            StopCode::TaskFailedToStart => "TaskFailedToStart",
            StopCode::EssentialContainerExited => "EssentialContainerExited",
            StopCode::UserInitiated => "UserInitiated",
            StopCode::ServiceSchedulerInitiated => "ServiceSchedulerInitiated",
            StopCode::TerminationNotice => "TerminationNotice",
        }
    }
}

/// A task's group (`service:web`, `family:batch`, a RunTask group), one string shared by the
/// tasks of a call or a scheduler round instead of a copy per task: no allocation per launch,
/// 16 bytes in the task table (issue 13). Stored, compared and printed as the string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupName(Arc<str>);

impl GroupName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for GroupName {
    fn from(name: &str) -> GroupName {
        GroupName(name.into())
    }
}

impl std::ops::Deref for GroupName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for GroupName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for GroupName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for GroupName {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<String> for GroupName {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub task_definition: TaskDefinitionRef,
    pub service: Option<ServiceId>,
    /// `service:<name>` for service tasks, `family:<family>` or a RunTask group otherwise (§1.5).
    pub group: GroupName,
    pub instance: InstanceId,
    pub state: TaskState,
    /// False once the scheduler or a user asked the task to stop (`desiredStatus` STOPPED).
    pub desired_running: bool,
    pub cpu_units: u32,
    pub memory_mib: u32,
    /// Boxed slices here and below, not `Vec`/`String`: no spare capacity field in the task
    /// table, which holds every task of a run (bytes per task, issue 13).
    pub static_host_ports: Box<[u16]>,
    /// GPUs pinned to the task and whether it holds an awsvpc ENI (§2.1, §2.4).
    pub gpus: u32,
    pub eni: bool,
    /// RunTask/StartTask `startedBy`; `None` for service tasks.
    pub started_by: Option<Box<str>>,
    pub stop_code: Option<StopCode>,
    /// Decided at launch from the revision's crash rate: the task will stop before RUNNING.
    pub fails_to_start: bool,
    /// Decided at launch from the revision's behaviour: its health checks will fail.
    pub fails_health_checks: bool,
    /// Index of the service deployment that started it (`startedBy`, §3.3).
    pub deployment: u32,
    pub placed_at: SimTime,
    /// Position in the event log of its placement (orders it against instance state changes).
    pub placed_event: u64,
    /// When it reached RUNNING.
    pub running_at: Option<SimTime>,
    /// Container health status (§3.4); UNKNOWN without health checks.
    pub health: TaskHealth,
    /// Counts as healthy for the scheduler (§3.4 table).
    pub counted_healthy: bool,
    /// Found unhealthy after the grace period: to be replaced (§3.4).
    pub unhealthy: bool,
}

impl Task {
    /// What the task holds, for counterfactuals ("stop which tasks").
    pub fn hold(&self) -> crate::counterfactual::TaskHold {
        crate::counterfactual::TaskHold {
            task: self.id.to_string(),
            instance: self.instance,
            group: self.group.to_string(),
            cpu_units: self.cpu_units,
            memory_mib: self.memory_mib,
            gpus: self.gpus,
            eni: self.eni,
            static_host_ports: self.static_host_ports.to_vec(),
        }
    }

    /// What the task holds on its instance, for `ContainerInstance::release`.
    pub fn held(&self) -> crate::cluster::Held<'_> {
        crate::cluster::Held {
            cpu_units: self.cpu_units,
            memory_mib: self.memory_mib,
            gpus: self.gpus,
            eni: self.eni,
            static_host_ports: &self.static_host_ports,
            group: &self.group,
        }
    }
}
