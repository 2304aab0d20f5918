//! Actions: the only way users, scenario timelines and the UI change a running world
//! (`World::apply`). Each names its target the way the user sees it (service name, EC2
//! instance id, task id) so the same action reads the same in a file, the UI and the CLI.

use crate::service::DeploymentConfiguration;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// `UpdateService`: the members the sandbox models so far.
    UpdateService(UpdateService),
    /// `RegisterTaskDefinition` of a new revision made from the family's latest one with new
    /// container images: what a CI pipeline does after a merge.
    RegisterTaskDefinition(RegisterTaskDefinition),
    /// `StopTask` on one task, by id (`t7`).
    StopTask { task: String },
    /// Terminate the EC2 instance behind a container instance, by EC2 instance id (§3.6).
    TerminateInstance { instance: String },
    /// `UpdateContainerInstancesState` to DRAINING (§3.5).
    DrainInstance { instance: String },
    /// `UpdateContainerInstancesState` back to ACTIVE.
    ActivateInstance { instance: String },
    /// Every instance of one Availability Zone is terminated at once.
    FailAvailabilityZone {
        #[serde(rename = "availabilityZone")]
        availability_zone: String,
    },
    /// Drives a CloudWatch alarm that deployments may watch (§4.5).
    SetAlarmState {
        #[serde(rename = "alarmName")]
        alarm_name: String,
        state: AlarmState,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlarmState {
    Ok,
    Alarm,
}

impl AlarmState {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
        }
    }
}

/// `UpdateService` (§4.1). `taskDefinition` and `forceNewDeployment` start a deployment;
/// `desiredCount`, `deploymentConfiguration` and `healthCheckGracePeriodSeconds` do not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateService {
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    /// `family` (latest revision) or `family:revision`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_new_deployment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<u32>,
}

/// A new revision of `family`: a copy of its latest revision with the named containers'
/// images replaced, and optionally its own sandbox behaviour (otherwise it inherits the
/// behaviour of the revision it was copied from).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterTaskDefinition {
    pub family: String,
    /// Container name → new image (`example.com/web:1.1.0`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub images: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<crate::scenario::BehaviourSpec>,
}

/// Why an action could not be applied. The world is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionError(pub String);

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ActionError {}
