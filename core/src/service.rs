//! Services: the `CreateService` request shape (camelCase, ecs-semantics §8.3) as scenario files
//! and exports carry it, and the service's runtime record in the world.

use crate::action::NetworkConfiguration;
use crate::deploy::{Deployment, DeploymentStatus, RolloutState};
use crate::placement::{Constraint, Strategy};
use crate::task::TaskId;
use crate::taskdef::TaskDefinitionRef;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceId(pub u32);

/// `CreateService` input: the members the sandbox models so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceDefinition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    pub service_name: String,
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_strategy: Option<SchedulingStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_configuration: Option<DeploymentConfiguration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraintSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategySpec>,
    /// awsvpc only: the subnets the service's tasks get their ENI in, which limits them to
    /// those subnets' Availability Zones (§1.1 `LOCATION`). Absent: every zone of the fleet
    /// (the exports then name one subnet per fleet zone, as ECS requires the member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<u32>,
    /// Target groups the service's tasks register in (§5.1; `scenario/bindings.rs`).
    #[cfg(feature = "discovery")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<crate::scenario::ServiceLoadBalancer>,
    /// The Cloud Map service its tasks register in (§5.3; `scenario/bindings.rs`).
    #[cfg(feature = "discovery")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_registries: Vec<crate::scenario::ServiceRegistry>,
}

/// `awsvpcConfiguration.subnets` holds 1 to 16 subnets (`API:AwsVpcConfiguration`).
pub const SUBNETS_MAX: usize = 16;

impl ServiceDefinition {
    /// Checks of `networkConfiguration` against the task definition's network mode:
    /// `(path suffix, message)`, ECS's wording where it has one.
    pub fn network_configuration_check(&self, awsvpc: bool) -> Vec<(String, String)> {
        let Some(network) = &self.network_configuration else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        if !awsvpc {
            problems.push((
                "networkConfiguration".into(),
                "Network Configuration is not valid for the given networkMode of this task definition (only awsvpc takes one)".into(),
            ));
        }
        let subnets = &network.awsvpc_configuration.subnets;
        if subnets.is_empty() || subnets.len() > SUBNETS_MAX {
            problems.push((
                "networkConfiguration.awsvpcConfiguration.subnets".into(),
                format!(
                    "{} subnets; name 1 to {SUBNETS_MAX} (subnet-us-east-1a lies in us-east-1a)",
                    subnets.len()
                ),
            ));
        }
        for (index, subnet) in subnets.iter().enumerate() {
            if subnet.trim().is_empty() {
                problems.push((
                    format!("networkConfiguration.awsvpcConfiguration.subnets[{index}]"),
                    "must not be empty".into(),
                ));
            }
        }
        problems
    }

    /// The Availability Zones the service's tasks may run in; empty: any.
    pub fn subnet_zones(&self) -> Vec<String> {
        self.network_configuration
            .as_ref()
            .map(NetworkConfiguration::subnet_zones)
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LaunchType {
    Ec2,
    Fargate,
    External,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchedulingStrategy {
    Replica,
    Daemon,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_healthy_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_circuit_breaker: Option<DeploymentCircuitBreaker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<DeploymentAlarms>,
    /// Bake time after a rolling deployment reaches steady state while alarms are monitored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake_time_in_minutes: Option<u32>,
}

impl DeploymentConfiguration {
    /// UpdateService semantics: members given in `update` replace the current ones.
    pub fn merged_with(&self, update: &DeploymentConfiguration) -> DeploymentConfiguration {
        DeploymentConfiguration {
            minimum_healthy_percent: update
                .minimum_healthy_percent
                .or(self.minimum_healthy_percent),
            maximum_percent: update.maximum_percent.or(self.maximum_percent),
            deployment_circuit_breaker: update
                .deployment_circuit_breaker
                .clone()
                .or_else(|| self.deployment_circuit_breaker.clone()),
            alarms: update.alarms.clone().or_else(|| self.alarms.clone()),
            bake_time_in_minutes: update.bake_time_in_minutes.or(self.bake_time_in_minutes),
        }
    }
}

/// `API:DeploymentCircuitBreaker` (§4.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentCircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
    /// Default true: a task that becomes healthy resets the failure count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_on_healthy_task: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_configuration: Option<ThresholdConfiguration>,
}

/// `API:ThresholdConfiguration`: default BOUNDED_PERCENT 50.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ThresholdConfiguration {
    #[serde(rename = "type")]
    pub kind: ThresholdType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ThresholdType {
    Count,
    BoundedPercent,
    UnboundedPercent,
}

/// `API:DeploymentAlarms` (§4.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentAlarms {
    pub alarm_names: Vec<String>,
    pub enable: bool,
    pub rollback: bool,
}

/// `PlacementConstraint` as the API spells it: `{"type": "memberOf", "expression": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacementConstraintSpec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// `PlacementStrategy` as the API spells it: `{"type": "spread", "field": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacementStrategySpec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// minimumHealthyPercent when the deployment configuration omits it (§4.2, API/CLI/SDK).
pub fn default_minimum_healthy_percent(strategy: SchedulingStrategy) -> u32 {
    match strategy {
        SchedulingStrategy::Replica => 100,
        SchedulingStrategy::Daemon => 0,
    }
}

/// maximumPercent when the deployment configuration omits it (§4.2).
pub fn default_maximum_percent(strategy: SchedulingStrategy) -> u32 {
    match strategy {
        SchedulingStrategy::Replica => 200,
        SchedulingStrategy::Daemon => 100,
    }
}

/// A service as the world runs it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    #[serde(with = "crate::world::snapshot::json_text")]
    pub definition: ServiceDefinition,
    pub task_definition: TaskDefinitionRef,
    pub desired_count: u32,
    /// Service constraints followed by the task definition's, already parsed (§1.4).
    pub constraints: Vec<Constraint>,
    /// Explicit strategies, or the service default when the definition names none (§1.2).
    pub strategies: Vec<Strategy>,
    /// True after "has reached a steady state" until the next change.
    pub steady: bool,
    pub scheduling_strategy: SchedulingStrategy,
    /// The deployment configuration as given (defaults applied by the accessors below).
    #[serde(with = "crate::world::snapshot::json_text")]
    pub deployment_configuration: DeploymentConfiguration,
    pub health_check_grace_period_ms: u64,
    /// `deployments[]`, oldest first; exactly one is PRIMARY, the last one.
    pub deployments: Vec<Deployment>,
    /// The world's bookkeeping for this service's tasks and wake-ups.
    pub runtime: ServiceRuntime,
}

/// What the world keeps per service beyond the API's view, in one record (instead of a
/// vector per member indexed by service): a new per-service concern adds a member here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRuntime {
    /// Tasks of the service that are not yet STOPPED, in launch order.
    pub live_tasks: Vec<TaskId>,
    /// How many of `live_tasks` still have desiredStatus RUNNING (the maximumPercent check at
    /// every launch reads it instead of counting).
    pub wanting_to_run: u32,
    /// A reconcile wake-up is queued and has not run yet (so it is queued once).
    pub reconcile_queued: bool,
    /// The restart back-off wake-up already queued (§3.7), so it is queued once.
    pub throttle_wakeup: Option<SimTime>,
    /// Tasks in a row that stopped before reaching RUNNING (§3.7).
    pub start_failures: u32,
    /// No launches before this moment (restart back-off, §3.7).
    pub throttled_until: Option<SimTime>,
    /// The deadlock message was logged for the current configuration (§4.2).
    pub deadlock_reported: bool,
    /// The last placement-failure event as worded, so a repeat is not logged again until the
    /// cause is resolved or 6 hours pass (ECS suppresses duplicates, §1.8).
    pub last_placement_failure: Option<String>,
    /// When `last_placement_failure` was last logged.
    #[serde(default)]
    pub last_placement_failure_at: Option<SimTime>,
}

impl Service {
    pub fn is_daemon(&self) -> bool {
        self.scheduling_strategy == SchedulingStrategy::Daemon
    }

    /// §4.2 defaults: REPLICA 100 %, DAEMON 0 % (API/CLI/SDK).
    pub fn minimum_healthy_percent(&self) -> u32 {
        self.deployment_configuration
            .minimum_healthy_percent
            .unwrap_or(default_minimum_healthy_percent(self.scheduling_strategy))
    }

    /// §4.2 defaults: REPLICA 200 %, DAEMON 100 %.
    pub fn maximum_percent(&self) -> u32 {
        self.deployment_configuration
            .maximum_percent
            .unwrap_or(default_maximum_percent(self.scheduling_strategy))
    }

    pub fn primary(&self) -> &Deployment {
        self.deployments
            .last()
            .expect("a service always has a primary deployment")
    }

    pub fn primary_index(&self) -> u32 {
        self.deployments.len() as u32 - 1
    }

    /// The deployment ECS rolls back to: the newest one that completed (§4.4).
    pub fn last_completed(&self) -> Option<&Deployment> {
        self.deployments
            .iter()
            .rev()
            .find(|d| d.rollout_state == RolloutState::Completed)
    }

    pub fn deployment_status_counts(&self) -> (u32, u32) {
        let primaries = self
            .deployments
            .iter()
            .filter(|d| d.status == DeploymentStatus::Primary)
            .count() as u32;
        (primaries, self.deployments.len() as u32)
    }

    /// `service:<name>`: the task group of every task of the service (§1.5).
    pub fn group(&self) -> String {
        format!("service:{}", self.name)
    }
}
