//! Actions: the only way users, scenario timelines and the UI change a running world
//! (`World::apply`). Each names its target the way the user sees it (service name, EC2
//! instance id, task id) so the same action reads the same in a file, the UI and the CLI.

use crate::behaviour::BehaviourSpec;
use crate::compact::SortedMap;
use crate::placement::{Constraint, Strategy, CONSTRAINTS_MAX, STRATEGIES_MAX};
use crate::service::{DeploymentConfiguration, ServiceDefinition};
use crate::service::{PlacementConstraintSpec, PlacementStrategySpec};
use serde::{Deserialize, Serialize};

/// `RunTask` `count` is at most 10 per call (§1.3 limits).
pub const RUN_TASK_COUNT_MAX: u32 = 10;
/// `StartTask` takes at most 10 container instances (§1.3 limits).
pub const START_TASK_INSTANCES_MAX: usize = 10;
/// Task group names are at most 255 characters (§1.5).
pub const GROUP_CHARS_MAX: usize = 255;
/// What a numbered `createService` puts in `serviceName` where each service's number goes.
pub const SERVICE_NUMBER_PLACEHOLDER: &str = "{n}";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// `CreateService` during the run: one service, or a numbered batch of them (see
    /// [`CreateService`]).
    CreateService(Box<CreateService>),
    /// `UpdateService`: the members the sandbox models so far.
    UpdateService(UpdateService),
    /// `RegisterTaskDefinition` of a new revision made from the family's latest one with new
    /// container images: what a CI pipeline does after a merge.
    RegisterTaskDefinition(RegisterTaskDefinition),
    /// `StopTask` on one task, by id (`t7`).
    StopTask { task: String },
    /// Terminate the EC2 instance behind a container instance, by EC2 instance id (§3.6).
    TerminateInstance { instance: String },
    /// `RunTask`: standalone tasks placed by the placement engine (default strategy random).
    RunTask(RunTask),
    /// `StartTask`: standalone tasks on the named container instances, one each.
    StartTask(StartTask),
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
    /// Route 53 `ChangeResourceRecordSets` UPSERT of one weighted record's `Weight` (0–255),
    /// by the record's name and `SetIdentifier`: clients follow as their cached answers
    /// expire (TTL).
    ChangeResourceRecordWeight(ChangeRecordWeight),
}

/// `changeResourceRecordWeight`: which weighted record, and its new weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeRecordWeight {
    pub name: String,
    pub set_identifier: String,
    pub weight: u32,
}

impl Action {
    /// The action's operation and target, as the event log and the timeline name it
    /// (`updateService web`, `stopTask t7`): the one place actions are labelled.
    pub fn label(&self) -> String {
        match self {
            Action::CreateService(create) => match create.count {
                None => format!("createService {}", create.service.service_name),
                Some(count) => format!(
                    "createService {} ({count} service{})",
                    create.numbered_names_text(),
                    if count == 1 { "" } else { "s" }
                ),
            },
            Action::UpdateService(update) => format!("updateService {}", update.service),
            Action::RegisterTaskDefinition(register) => {
                format!("registerTaskDefinition {}", register.family)
            }
            Action::StopTask { task } => format!("stopTask {task}"),
            Action::TerminateInstance { instance } => format!("terminateInstance {instance}"),
            Action::RunTask(run) => format!("runTask {}", run.task_definition),
            Action::StartTask(start) => format!("startTask {}", start.task_definition),
            Action::DrainInstance { instance } => format!("drainInstance {instance}"),
            Action::ActivateInstance { instance } => format!("activateInstance {instance}"),
            Action::FailAvailabilityZone { availability_zone } => {
                format!("failAvailabilityZone {availability_zone}")
            }
            Action::SetAlarmState { alarm_name, state } => {
                format!("setAlarmState {alarm_name} {}", state.as_str())
            }
            Action::ChangeResourceRecordWeight(change) => format!(
                "changeResourceRecordWeight {} {} {}",
                change.name, change.set_identifier, change.weight
            ),
        }
    }
}

/// `createService`: the `CreateService` request a scenario's `services[]` entry is (`service`),
/// applied during the run, and optionally a numbered batch of such requests.
///
/// Choice (ASSUMPTIONS.md): to grow a cluster to thousands of services without a file of
/// thousands of entries, one action may stand for `count` CreateService requests that differ
/// only in the name: `service.serviceName` then holds `{n}` once, replaced by `firstNumber`
/// (default 1), `firstNumber + 1`, … in turn (`api-{n}` with `firstNumber` 11 and `count` 3
/// makes `api-11`, `api-12`, `api-13`). Each service made is an ordinary service, as if
/// created alone; the exports write one CreateService request per service. Without `count`,
/// `serviceName` is the name as written and the action is exactly one CreateService.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateService {
    /// The CreateService request (the shape of a scenario's `services[]` entry).
    pub service: ServiceDefinition,
    /// Sandbox-only: how many numbered services this request stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Sandbox-only: the number the first of them gets (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_number: Option<u32>,
}

impl CreateService {
    /// How many services the action creates.
    pub fn service_count(&self) -> u32 {
        self.count.unwrap_or(1)
    }

    /// The name of the `k`-th service it creates (from 0).
    pub fn name_of(&self, k: u32) -> String {
        let name = &self.service.service_name;
        match self.count {
            None => name.clone(),
            Some(_) => {
                let number = u64::from(self.first_number.unwrap_or(1)) + u64::from(k);
                name.replacen(SERVICE_NUMBER_PLACEHOLDER, &number.to_string(), 1)
            }
        }
    }

    /// The `k`-th CreateService request it stands for: the template with its own name.
    pub fn request_of(&self, k: u32) -> ServiceDefinition {
        let mut request = self.service.clone();
        request.service_name = self.name_of(k);
        request
    }

    /// `api-11 … api-13`: the first and last names of a numbered batch.
    pub fn numbered_names_text(&self) -> String {
        match self.service_count() {
            0 | 1 => self.name_of(0),
            n => format!("{} … {}", self.name_of(0), self.name_of(n - 1)),
        }
    }

    /// Checks of the batch members (`count`, `firstNumber`, the `{n}` in the name):
    /// `(path suffix, message)`. The request itself is checked as a service is.
    pub fn batch_problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let placeholders = self
            .service
            .service_name
            .matches(SERVICE_NUMBER_PLACEHOLDER)
            .count();
        match self.count {
            None => {
                if self.first_number.is_some() {
                    problems.push((
                        "firstNumber".into(),
                        "numbers a batch: give count too".into(),
                    ));
                }
                if placeholders > 0 {
                    problems.push((
                        "service.serviceName".into(),
                        format!("{SERVICE_NUMBER_PLACEHOLDER} numbers the services of a batch: give count too"),
                    ));
                }
            }
            Some(count) => {
                if count == 0 {
                    problems.push(("count".into(), "must be at least 1".into()));
                } else if count as usize > crate::scenario::SERVICES_MAX {
                    problems.push((
                        "count".into(),
                        format!(
                            "{count} services; the limit is {}",
                            crate::scenario::SERVICES_MAX
                        ),
                    ));
                }
                if placeholders != 1 {
                    problems.push((
                        "service.serviceName".into(),
                        format!(
                            "a numbered batch puts {SERVICE_NUMBER_PLACEHOLDER} once in serviceName, where each service's number goes (api-{SERVICE_NUMBER_PLACEHOLDER})"
                        ),
                    ));
                }
            }
        }
        problems
    }
}

/// ECS's answer to a CreateService naming a service that exists (ACTIVE or DRAINING, §3.8),
/// with the name: `Creation of service was not idempotent.`
pub fn duplicate_service_message(name: &str) -> String {
    format!("Creation of service was not idempotent. A service named \"{name}\" exists already.")
}

/// `RunTask` input: the members the sandbox models (§1.2–1.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunTask {
    /// `family` or `family:revision`.
    pub task_definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Task group; default `family:<family>` (§1.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<PlacementConstraintSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_strategy: Vec<PlacementStrategySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
}

/// `StartTask` input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartTask {
    pub task_definition: String,
    /// EC2 instance ids of the container instances (the sandbox names instances by them).
    pub container_instances: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_configuration: Option<NetworkConfiguration>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfiguration {
    pub awsvpc_configuration: AwsvpcConfiguration,
}

/// Assumption (ecs-semantics §1.1 LOCATION): the sandbox has no VPC model; a subnet is named
/// after its Availability Zone, `subnet-us-east-1a` lies in `us-east-1a`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsvpcConfiguration {
    pub subnets: Vec<String>,
}

impl NetworkConfiguration {
    /// The Availability Zones of the subnets (see [`AwsvpcConfiguration`]).
    pub fn subnet_zones(&self) -> Vec<String> {
        self.awsvpc_configuration
            .subnets
            .iter()
            .map(|s| s.strip_prefix("subnet-").unwrap_or(s).to_string())
            .collect()
    }
}

/// A RunTask/StartTask `failures[]` entry (`API:Failure`): the container instance ARN and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub arn: String,
    pub reason: String,
}

/// Parsed run-time constraints and strategies.
pub type ParsedPlacement = (Vec<Constraint>, Vec<Strategy>);

/// Run-time constraints and strategies, parsed and checked against the API limits. The task
/// definition's own memberOf constraints count toward the 10 (§1.3). Errors are
/// `(path suffix, message)`.
pub fn parse_placement(
    constraints: &[PlacementConstraintSpec],
    strategies: &[PlacementStrategySpec],
    definition_constraints: usize,
) -> Result<ParsedPlacement, Vec<(String, String)>> {
    let mut errors = Vec::new();
    if constraints.len() + definition_constraints > CONSTRAINTS_MAX {
        errors.push((
            "placementConstraints".to_string(),
            format!(
                "{} constraints counting the task definition's; the limit is {CONSTRAINTS_MAX}",
                constraints.len() + definition_constraints
            ),
        ));
    }
    if strategies.len() > STRATEGIES_MAX {
        errors.push((
            "placementStrategy".to_string(),
            format!(
                "{} strategies; the limit is {STRATEGIES_MAX}",
                strategies.len()
            ),
        ));
    }
    let mut parsed_constraints = Vec::new();
    for (index, spec) in constraints.iter().enumerate() {
        match Constraint::from_api(&spec.kind, spec.expression.as_deref()) {
            Ok(constraint) => parsed_constraints.push(constraint),
            Err(message) => errors.push((format!("placementConstraints[{index}]"), message)),
        }
    }
    let mut parsed_strategies = Vec::new();
    for (index, spec) in strategies.iter().enumerate() {
        match Strategy::from_api(&spec.kind, spec.field.as_deref()) {
            Ok(strategy) => parsed_strategies.push(strategy),
            Err(message) => errors.push((format!("placementStrategy[{index}]"), message)),
        }
    }
    if errors.is_empty() {
        Ok((parsed_constraints, parsed_strategies))
    } else {
        Err(errors)
    }
}

impl RunTask {
    /// Checks that need no cluster: count, group, constraints, strategies.
    pub fn check(&self, definition_constraints: usize) -> Vec<(String, String)> {
        let mut errors = self.count_and_group_problems();
        if let Err(more) = parse_placement(
            &self.placement_constraints,
            &self.placement_strategy,
            definition_constraints,
        ) {
            errors.extend(more);
        }
        errors
    }

    /// The checks of `check` before the placement's: count, then group.
    pub fn count_and_group_problems(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        match self.count {
            Some(0) => errors.push(("count".into(), "must be at least 1".into())),
            Some(n) if n > RUN_TASK_COUNT_MAX => errors.push((
                "count".into(),
                format!("{n} tasks; RunTask starts at most {RUN_TASK_COUNT_MAX} per call"),
            )),
            _ => {}
        }
        if let Some(message) = self.group.as_deref().and_then(group_error) {
            errors.push(("group".into(), message));
        }
        errors
    }
}

impl StartTask {
    pub fn check(&self) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        match self.container_instances.len() {
            0 => errors.push((
                "containerInstances".into(),
                "name at least one container instance".into(),
            )),
            n if n > START_TASK_INSTANCES_MAX => errors.push((
                "containerInstances".into(),
                format!(
                    "{n} container instances; StartTask takes at most {START_TASK_INSTANCES_MAX}"
                ),
            )),
            _ => {}
        }
        if let Some(message) = self.group.as_deref().and_then(group_error) {
            errors.push(("group".into(), message));
        }
        errors
    }
}

fn group_error(group: &str) -> Option<String> {
    (group.is_empty() || group.chars().count() > GROUP_CHARS_MAX)
        .then(|| format!("a task group name is 1-{GROUP_CHARS_MAX} characters"))
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
/// images replaced, task-level `cpu`/`memory` set when given (the API takes the whole
/// definition; these are the members a deploy usually changes), and optionally its own
/// sandbox behaviour (otherwise it inherits the behaviour of the revision it was copied from).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterTaskDefinition {
    pub family: String,
    /// Container name → new image (`example.com/web:1.1.0`).
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub images: SortedMap<String, String>,
    /// Task-level CPU units or vCPUs (`"512"`, `"1 vCPU"`), as in the task definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task-level memory (`"2048"`, `"2 GB"`), as in the task definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<Box<BehaviourSpec>>,
}

impl RegisterTaskDefinition {
    /// Checks that need no registry: `(path suffix, message)` for cpu, memory and behaviour.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if let Some(Err(message)) = self.cpu.as_deref().map(crate::taskdef::parse_cpu_units) {
            problems.push(("cpu".to_string(), message));
        }
        if let Some(Err(message)) = self.memory.as_deref().map(crate::taskdef::parse_memory_mib) {
            problems.push(("memory".to_string(), message));
        }
        if let Some(behaviour) = &self.behaviour {
            problems.extend(
                behaviour
                    .problems()
                    .into_iter()
                    .map(|(field, message)| (format!("behaviour.{field}"), message)),
            );
        }
        problems
    }
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
