//! Scenario files, version 1: the contract between the UI, the CLI, tests and embeds.
//! Task definitions and services keep the ECS API shapes; the fleet, per-revision behaviour,
//! the timeline and the seed are the sandbox's own. Loading never panics: every problem becomes
//! a [`ScenarioError`] with the JSON path and a plain message, and as many as can be found are
//! reported at once (each list element is checked on its own).

use crate::action::Action;
use crate::catalogue;
use crate::placement::{Constraint, Strategy, CONSTRAINTS_MAX, STRATEGIES_MAX};
use crate::service::{
    DeploymentConfiguration, LaunchType, SchedulingStrategy, ServiceDefinition, ThresholdType,
};
use crate::taskdef::{valid_name, TaskDefinition};
use crate::time::parse_duration;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const SCENARIO_VERSION: u32 = 1;
/// Hard limits so that a hostile file cannot freeze a tab (PRODUCT.md, reliability rules).
pub const SCENARIO_BYTES_MAX: usize = 4 * 1024 * 1024;
pub const INSTANCES_MAX: u32 = 10_000;
pub const SERVICES_MAX: usize = 10_000;
pub const DESIRED_COUNT_MAX: u32 = 100_000;

/// A problem in a scenario file: where (`services[2].deploymentConfiguration.maximumPercnt`)
/// and what (`unknown field`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A validated scenario, ready for `World::new`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub seed: u64,
    pub fleet: Vec<FleetEntry>,
    #[serde(default)]
    pub task_definitions: Vec<TaskDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revision_behaviour: Vec<RevisionBehaviour>,
    #[serde(default)]
    pub services: Vec<ServiceDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
}

/// `count` container instances of one type in one Availability Zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FleetEntry {
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_id: Option<String>,
    /// Custom attributes (`stack: prod`), set at registration (§1.7).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// The account opted in to `awsvpcTrunking` before these instances launched (§2.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awsvpc_trunking: Option<bool>,
    /// `false` registers the instances with a disconnected agent (§1.1 `AGENT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_connected: Option<bool>,
}

fn one() -> u32 {
    1
}

/// How tasks of one revision behave in the sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisionBehaviour {
    /// `family:revision`.
    pub task_definition: String,
    /// Time from PENDING to ACTIVATING (image pull, container start). Default 10s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Time the containers take to exit after SIGTERM. Default 2s, capped by stopTimeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_time: Option<String>,
    /// Chance (0–100) that a task of this revision fails to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_rate_percent: Option<u32>,
    /// Chance (0–100) that a task of this revision fails its container health checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_failure_percent: Option<u32>,
    /// The essential container exits this long after RUNNING (a crash loop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_after: Option<String>,
}

impl RevisionBehaviour {
    pub fn spec(&self) -> BehaviourSpec {
        BehaviourSpec {
            start_time: self.start_time.clone(),
            stop_time: self.stop_time.clone(),
            crash_rate_percent: self.crash_rate_percent,
            health_check_failure_percent: self.health_check_failure_percent,
            crash_after: self.crash_after.clone(),
        }
    }
}

/// A revision's behaviour without the revision it belongs to (carried by
/// `registerTaskDefinition` actions). Same fields and meaning as [`RevisionBehaviour`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BehaviourSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_rate_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_failure_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_after: Option<String>,
}

impl BehaviourSpec {
    /// `(field, message)` for every invalid member.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        for (field, value) in [
            ("startTime", &self.start_time),
            ("stopTime", &self.stop_time),
            ("crashAfter", &self.crash_after),
        ] {
            if let Some(Err(message)) = value.as_deref().map(parse_duration) {
                problems.push((field, message));
            }
        }
        for (field, value) in [
            ("crashRatePercent", self.crash_rate_percent),
            (
                "healthCheckFailurePercent",
                self.health_check_failure_percent,
            ),
        ] {
            if let Some(percent) = value.filter(|p| *p > 100) {
                problems.push((
                    field,
                    format!("must be a whole number from 0 to 100, found {percent}"),
                ));
            }
        }
        problems
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimelineEntry {
    /// When, from the start of the run (`"2m"`).
    pub at: String,
    pub action: Action,
}

pub const DEFAULT_START_TIME_MS: u64 = 10_000;
pub const DEFAULT_STOP_TIME_MS: u64 = 2_000;

/// Parses and validates a scenario file.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<ScenarioError>> {
    let error = |path: &str, message: String| {
        vec![ScenarioError {
            path: path.into(),
            message,
        }]
    };
    if text.len() > SCENARIO_BYTES_MAX {
        return Err(error(
            "",
            format!(
                "scenario is {} bytes; the limit is {SCENARIO_BYTES_MAX} bytes (4 MiB)",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(error(
            "",
            "scenario file is empty; expected a JSON object with \"version\": 1".into(),
        ));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        error(
            "",
            format!(
                "not valid JSON at line {} column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e)
            ),
        )
    })?;
    from_value(value)
}

/// Validates an already-parsed JSON value (the JS API hands these over).
pub fn from_value(value: Value) -> Result<Scenario, Vec<ScenarioError>> {
    let error = |path: &str, message: String| {
        vec![ScenarioError {
            path: path.into(),
            message,
        }]
    };
    let Value::Object(mut object) = value else {
        return Err(error(
            "",
            format!("expected a JSON object, found {}", json_kind(&value)),
        ));
    };
    match object.get("version") {
        None => {
            return Err(error(
                "version",
                "missing; this Flotilla reads \"version\": 1".into(),
            ))
        }
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(SCENARIO_VERSION)) => {}
        Some(other) => {
            return Err(error(
                "version",
                format!("{other} is not supported; this Flotilla reads version 1"),
            ))
        }
    }

    // Check each list element separately so one typo does not hide the next.
    let mut errors = Vec::new();
    let mut sections: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for key in [
        "fleet",
        "taskDefinitions",
        "revisionBehaviour",
        "services",
        "timeline",
    ] {
        match object.remove(key) {
            None => {}
            Some(Value::Array(items)) => {
                sections.insert(key, items);
            }
            Some(other) => errors.push(ScenarioError {
                path: key.into(),
                message: format!("expected an array, found {}", json_kind(&other)),
            }),
        }
    }
    let header: Option<Header> = typed(Value::Object(object), "", &mut errors);
    let mut list = |key: &str| sections.remove(key).unwrap_or_default();
    let fleet: Vec<FleetEntry> = typed_list(list("fleet"), "fleet", &mut errors);
    let task_definitions: Vec<TaskDefinition> =
        typed_list(list("taskDefinitions"), "taskDefinitions", &mut errors);
    let revision_behaviour: Vec<RevisionBehaviour> =
        typed_list(list("revisionBehaviour"), "revisionBehaviour", &mut errors);
    let services: Vec<ServiceDefinition> = typed_list(list("services"), "services", &mut errors);
    let timeline: Vec<TimelineEntry> = typed_list(list("timeline"), "timeline", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(header) = header else {
        return Err(errors);
    };
    let scenario = Scenario {
        version: header.version,
        name: header.name,
        description: header.description,
        seed: header.seed,
        fleet,
        task_definitions,
        revision_behaviour,
        services,
        timeline,
    };
    let errors = validate(&scenario);
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(errors)
    }
}

impl Scenario {
    /// The scenario file text, pretty-printed. Parsing it gives back an equal scenario.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Rules beyond the JSON shape: references resolve, names are unique, limits hold.
pub fn validate(scenario: &Scenario) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    let mut push = |path: String, message: String| errors.push(ScenarioError { path, message });
    if scenario.name.trim().is_empty() {
        push("name".into(), "must not be empty".into());
    }

    let mut total_instances: u64 = 0;
    for (index, entry) in scenario.fleet.iter().enumerate() {
        if catalogue::lookup(&entry.instance_type).is_none() {
            let suggestions = catalogue::suggestions(&entry.instance_type);
            let hint = if suggestions.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", suggestions.join(", "))
            };
            push(
                format!("fleet[{index}].instanceType"),
                format!("unknown instance type \"{}\"{hint}", entry.instance_type),
            );
        }
        if !valid_availability_zone(&entry.availability_zone) {
            push(
                format!("fleet[{index}].availabilityZone"),
                format!(
                    "\"{}\" is not an Availability Zone name such as us-east-1a",
                    entry.availability_zone
                ),
            );
        }
        if entry.count == 0 {
            push(format!("fleet[{index}].count"), "must be at least 1".into());
        }
        if let Some(ami) = entry.ami_id.as_deref().filter(|ami| !valid_ami_id(ami)) {
            push(
                format!("fleet[{index}].amiId"),
                format!(
                    "\"{ami}\" is not an AMI ID: expected ami- and 8 or 17 lowercase hex digits"
                ),
            );
        }
        total_instances += u64::from(entry.count);
        for (name, value) in &entry.attributes {
            if let Err(message) = check_custom_attribute(name, value) {
                push(format!("fleet[{index}].attributes.{name}"), message);
            }
        }
    }
    if total_instances > u64::from(INSTANCES_MAX) {
        push(
            "fleet".into(),
            format!("{total_instances} instances; the limit is {INSTANCES_MAX}"),
        );
    }

    // Revisions as the registry will number them, to check references.
    let mut revisions: BTreeMap<&str, u32> = BTreeMap::new();
    for (index, definition) in scenario.task_definitions.iter().enumerate() {
        for (suffix, message) in definition.validate() {
            push(format!("taskDefinitions[{index}].{suffix}"), message);
        }
        for (c, constraint) in definition.placement_constraints.iter().enumerate() {
            if let Err(message) =
                Constraint::from_api(&constraint.kind, constraint.expression.as_deref())
            {
                push(
                    format!("taskDefinitions[{index}].placementConstraints[{c}]"),
                    message,
                );
            }
        }
        *revisions.entry(definition.family.as_str()).or_default() += 1;
    }
    let resolves = |text: &str| -> Result<(), String> {
        let (family, revision) = match text.rsplit_once(':') {
            Some((family, revision)) => (
                family,
                Some(
                    revision
                        .parse::<u32>()
                        .map_err(|_| format!("revision \"{revision}\" is not a number"))?,
                ),
            ),
            None => (text, None),
        };
        match (revisions.get(family), revision) {
            (None, _) => Err(format!(
                "no task definition with family \"{family}\" in taskDefinitions"
            )),
            (Some(&latest), Some(r)) if r == 0 || r > latest => Err(format!(
                "{family}:{r} does not exist; {family} has revisions 1-{latest}"
            )),
            _ => Ok(()),
        }
    };

    for (index, behaviour) in scenario.revision_behaviour.iter().enumerate() {
        let at = |field: &str| format!("revisionBehaviour[{index}].{field}");
        if !behaviour.task_definition.contains(':') {
            push(
                at("taskDefinition"),
                "name one revision as family:revision, e.g. \"web:2\"".into(),
            );
        } else if let Err(message) = resolves(&behaviour.task_definition) {
            push(at("taskDefinition"), message);
        }
        for (field, message) in behaviour.spec().problems() {
            push(at(field), message);
        }
    }

    if scenario.services.len() > SERVICES_MAX {
        push(
            "services".into(),
            format!(
                "{} services; the limit is {SERVICES_MAX}",
                scenario.services.len()
            ),
        );
    }
    let mut service_names = BTreeSet::new();
    for (index, service) in scenario.services.iter().enumerate() {
        let at = |field: &str| format!("services[{index}].{field}");
        if !valid_name(&service.service_name) {
            push(
                at("serviceName"),
                "must be 1-255 letters, digits, hyphens or underscores".into(),
            );
        } else if !service_names.insert(service.service_name.as_str()) {
            push(
                at("serviceName"),
                format!(
                    "a service named \"{}\" already exists",
                    service.service_name
                ),
            );
        }
        if let Err(message) = resolves(&service.task_definition) {
            push(at("taskDefinition"), message);
        }
        let daemon = service.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        match service.desired_count {
            None if !daemon => push(at("desiredCount"), "required for REPLICA services".into()),
            Some(count) if count > DESIRED_COUNT_MAX => push(
                at("desiredCount"),
                format!("{count} is above the sandbox limit of {DESIRED_COUNT_MAX}"),
            ),
            _ => {}
        }
        if daemon && service.launch_type == Some(LaunchType::Fargate) {
            push(
                at("schedulingStrategy"),
                "DAEMON services cannot use the FARGATE launch type".into(),
            );
        }
        let definition_constraints = scenario
            .task_definitions
            .iter()
            .rev()
            .find(|d| service.task_definition.split(':').next() == Some(d.family.as_str()))
            .map_or(0, |d| d.placement_constraints.len());
        if service.placement_constraints.len() + definition_constraints > CONSTRAINTS_MAX {
            push(
                at("placementConstraints"),
                format!(
                    "{} constraints counting the task definition's; the limit is {CONSTRAINTS_MAX}",
                    service.placement_constraints.len() + definition_constraints
                ),
            );
        }
        for (c, constraint) in service.placement_constraints.iter().enumerate() {
            if let Err(message) =
                Constraint::from_api(&constraint.kind, constraint.expression.as_deref())
            {
                push(
                    format!("services[{index}].placementConstraints[{c}]"),
                    message,
                );
            }
        }
        if service.placement_strategy.len() > STRATEGIES_MAX {
            push(
                at("placementStrategy"),
                format!(
                    "{} strategies; the limit is {STRATEGIES_MAX}",
                    service.placement_strategy.len()
                ),
            );
        }
        for (s, strategy) in service.placement_strategy.iter().enumerate() {
            if let Err(message) = Strategy::from_api(&strategy.kind, strategy.field.as_deref()) {
                push(format!("services[{index}].placementStrategy[{s}]"), message);
            }
        }
        if let Some(config) = &service.deployment_configuration {
            for (field, message) in deployment_configuration_problems(config, daemon) {
                push(at(&format!("deploymentConfiguration.{field}")), message);
            }
        }
    }

    let families: BTreeSet<&str> = scenario
        .task_definitions
        .iter()
        .map(|d| d.family.as_str())
        .collect();
    for (index, entry) in scenario.timeline.iter().enumerate() {
        let at = |field: &str| format!("timeline[{index}].action.{field}");
        if let Err(message) = parse_duration(&entry.at) {
            push(format!("timeline[{index}].at"), message);
        }
        match &entry.action {
            Action::UpdateService(update) => {
                if !service_names.contains(update.service.as_str()) {
                    push(
                        at("updateService.service"),
                        format!("no service named \"{}\" in services", update.service),
                    );
                }
                if let Some(text) = &update.task_definition {
                    let family = text.rsplit_once(':').map_or(text.as_str(), |(f, _)| f);
                    if !families.contains(family) {
                        push(
                            at("updateService.taskDefinition"),
                            format!(
                                "no task definition with family \"{family}\" in taskDefinitions"
                            ),
                        );
                    }
                }
                if let Some(config) = &update.deployment_configuration {
                    let daemon = scenario.services.iter().any(|s| {
                        s.service_name == update.service
                            && s.scheduling_strategy == Some(SchedulingStrategy::Daemon)
                    });
                    for (field, message) in deployment_configuration_problems(config, daemon) {
                        push(
                            at(&format!("updateService.deploymentConfiguration.{field}")),
                            message,
                        );
                    }
                }
            }
            Action::RegisterTaskDefinition(register) => {
                if !families.contains(register.family.as_str()) {
                    push(
                        at("registerTaskDefinition.family"),
                        format!(
                            "no task definition with family \"{}\" in taskDefinitions to copy",
                            register.family
                        ),
                    );
                }
                for (field, message) in register.problems() {
                    push(at(&format!("registerTaskDefinition.{field}")), message);
                }
            }
            Action::SetAlarmState { alarm_name, .. } if alarm_name.trim().is_empty() => {
                push(at("setAlarmState.alarmName"), "must not be empty".into());
            }
            _ => {}
        }
        let definition_constraints = |text: &str| {
            let family = text.split(':').next().unwrap_or(text);
            scenario
                .task_definitions
                .iter()
                .rev()
                .find(|d| d.family == family)
                .map_or(0, |d| d.placement_constraints.len())
        };
        match &entry.action {
            Action::RunTask(run) => {
                let at = |field: &str| format!("timeline[{index}].action.runTask.{field}");
                if let Err(message) = resolves(&run.task_definition) {
                    push(at("taskDefinition"), message);
                }
                for (field, message) in run.check(definition_constraints(&run.task_definition)) {
                    push(at(&field), message);
                }
            }
            Action::StartTask(start) => {
                let at = |field: &str| format!("timeline[{index}].action.startTask.{field}");
                if let Err(message) = resolves(&start.task_definition) {
                    push(at("taskDefinition"), message);
                }
                for (field, message) in start.check() {
                    push(at(&field), message);
                }
            }
            _ => {}
        }
    }
    errors
}

/// Rules of `API:DeploymentConfiguration` the sandbox checks: `(field, message)` pairs.
pub fn deployment_configuration_problems(
    config: &DeploymentConfiguration,
    daemon: bool,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut push = |field: &str, message: String| problems.push((field.to_string(), message));
    if let Some(min) = config.minimum_healthy_percent.filter(|min| *min > 100) {
        push(
            "minimumHealthyPercent",
            format!("must be a whole number from 0 to 100, found {min}"),
        );
    }
    match config.maximum_percent {
        Some(max) if daemon && max != 100 => push(
            "maximumPercent",
            format!("DAEMON services require 100, found {max}"),
        ),
        Some(max) if !(100..=PERCENT_MAX).contains(&max) => push(
            "maximumPercent",
            format!("must be a whole number from 100 to {PERCENT_MAX}, found {max}"),
        ),
        _ => {}
    }
    if let Some(breaker) = &config.deployment_circuit_breaker {
        if let Some(threshold) = &breaker.threshold_configuration {
            match (threshold.kind, threshold.value) {
                (ThresholdType::Count, Some(0)) => push(
                    "deploymentCircuitBreaker.thresholdConfiguration.value",
                    "a COUNT threshold must be at least 1".into(),
                ),
                (_, Some(value)) if value > PERCENT_MAX => push(
                    "deploymentCircuitBreaker.thresholdConfiguration.value",
                    format!("must be at most {PERCENT_MAX}"),
                ),
                _ => {}
            }
        }
    }
    if let Some(alarms) = &config.alarms {
        if alarms.alarm_names.is_empty() {
            push("alarms.alarmNames", "name at least one alarm".into());
        }
        for (i, name) in alarms.alarm_names.iter().enumerate() {
            if name.trim().is_empty() || name.len() > 255 {
                push(
                    &format!("alarms.alarmNames[{i}]"),
                    "must be 1-255 characters".into(),
                );
            }
        }
    }
    if let Some(minutes) = config.bake_time_in_minutes.filter(|m| *m > 1440) {
        push(
            "bakeTimeInMinutes",
            format!("must be a whole number from 0 to 1440, found {minutes}"),
        );
    }
    problems
}

/// Largest percent value the sandbox accepts (keeps bound arithmetic small).
pub const PERCENT_MAX: u32 = 10_000;

/// Top-level scalars, deserialised apart from the lists.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Header {
    version: u32,
    name: String,
    #[serde(default)]
    description: String,
    seed: u64,
}

fn typed<T: DeserializeOwned>(
    value: Value,
    prefix: &str,
    errors: &mut Vec<ScenarioError>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            let inner = error.path().to_string();
            let (path, message) = describe_serde_error(prefix, &inner, &error.inner().to_string());
            errors.push(ScenarioError { path, message });
            None
        }
    }
}

fn typed_list<T: DeserializeOwned>(
    items: Vec<Value>,
    key: &str,
    errors: &mut Vec<ScenarioError>,
) -> Vec<T> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| typed(item, &format!("{key}[{index}]"), errors))
        .collect()
}

/// Turns serde's message into `path: message`, moving an unknown field's name into the path
/// (`deploymentConfiguration.maximumPercnt: unknown field; expected one of ...`).
fn describe_serde_error(prefix: &str, inner_path: &str, message: &str) -> (String, String) {
    let join = |a: &str, b: &str| match (a.is_empty(), b.is_empty() || b == ".") {
        (true, _) => b.trim_start_matches('.').to_string(),
        (false, true) => a.to_string(),
        (false, false) if b.starts_with('[') => format!("{a}{b}"),
        (false, false) => format!("{a}.{b}"),
    };
    let base = join(prefix, inner_path);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let expected = expected.trim_start_matches(", ").replace('`', "");
            let path = join(&base, field);
            // serde's path already ends with the unknown key in some shapes; don't repeat it.
            let path = if base.ends_with(field) {
                base.clone()
            } else {
                path
            };
            return (path, format!("unknown field; {expected}"));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return (join(&base, field), "missing required field".into());
        }
    }
    (base, message.replace('`', "\""))
}

fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `us-east-1a`: region letters, a digit, and a zone letter.
fn valid_availability_zone(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts.last().is_some_and(|last| {
            let bytes = last.as_bytes();
            bytes.len() >= 2
                && bytes[..bytes.len() - 1].iter().all(u8::is_ascii_digit)
                && bytes[bytes.len() - 1].is_ascii_lowercase()
        })
}

/// EC2's AMI ID format: `ami-` and 8 or 17 lowercase hex digits (what CloudFormation checks).
fn valid_ami_id(ami: &str) -> bool {
    ami.strip_prefix("ami-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Custom attribute rules (§1.7): name 1–128 of `[A-Za-z0-9-_/.]`; value 1–128 of letters,
/// digits, `- _ . @ / \ :` and space, no leading or trailing whitespace.
fn check_custom_attribute(name: &str, value: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 128
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b))
    {
        return Err(
            "attribute names are 1-128 letters, digits, hyphens, underscores, slashes or periods"
                .into(),
        );
    }
    if name.starts_with("ecs.") {
        return Err("names starting with ecs. are reserved for built-in attributes".into());
    }
    if value.len() > 128
        || value.trim() != value
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@/\\: ".contains(&b))
    {
        return Err(format!(
            "value \"{value}\" must be up to 128 letters, digits, spaces or - _ . @ / \\ : without leading or trailing spaces"
        ));
    }
    Ok(())
}
