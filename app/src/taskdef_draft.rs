//! The task-definition editor's draft: one revision's members as the user typed them (task-level
//! cpu/memory, network mode, containers with port mappings and health check) plus the
//! revision's sandbox behaviour; and its conversions to scenario edits. Task definitions are
//! immutable in ECS, so the definition is saved as a NEW revision (`family:N+1`); the behaviour
//! is the sandbox's own and can also be set in place. Every error is keyed by the core's path
//! suffix (`containerDefinitions[0].memoryReservation`, `behaviour.crashAfter`) so the form shows
//! it under the field it belongs to.

use flotilla_core::action::RegisterTaskDefinition;
use flotilla_core::behaviour::TrafficSpec;
use flotilla_core::compact::{SortedMap, SortedSet};
use flotilla_core::scenario::{validate, BehaviourSpec, RevisionBehaviour};
use flotilla_core::taskdef::{
    ContainerDefinition, HealthCheck, NetworkMode, PortMapping, TaskDefinition,
};
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};

/// Where an error goes when it belongs to no field of the form.
pub const GENERAL: &str = "general";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskDefDraft {
    /// The revision the draft started from (`order:1`); empty for a new family.
    pub base: String,
    pub family: String,
    /// `bridge`, `host`, `awsvpc`, `none`; empty: not set (ECS's default, bridge on EC2).
    pub network_mode: String,
    /// Task-level CPU units or vCPUs as the API takes them (`512`, `1 vCPU`); empty: not set.
    pub cpu: String,
    /// Task-level memory (`1024`, `2 GB`); empty: not set.
    pub memory: String,
    pub containers: Vec<ContainerDraft>,
    pub behaviour: BehaviourDraft,
    /// Point the services that use this family at the new revision when saving.
    pub update_services: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerDraft {
    /// The container's name in the base revision (empty for an added container), so members
    /// the form does not show (stopTimeout, GPUs, port names) are carried over after a rename.
    pub origin: String,
    pub name: String,
    pub image: String,
    pub cpu: String,
    pub memory: String,
    pub memory_reservation: String,
    pub essential: bool,
    pub ports: Vec<PortDraft>,
    pub health: HealthDraft,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortDraft {
    pub container_port: String,
    /// Empty: not set (dynamic in bridge mode, the container port otherwise).
    pub host_port: String,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// A container health check; an empty command means none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HealthDraft {
    /// `CMD-SHELL curl -f http://localhost/ || exit 1` or `CMD /bin/check --quick`.
    pub command: String,
    pub interval: String,
    pub timeout: String,
    pub retries: String,
    pub start_period: String,
}

/// A revision's `revisionBehaviour` entry as typed; empty members keep the sandbox defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BehaviourDraft {
    pub start_time: String,
    pub stop_time: String,
    pub crash_rate_percent: String,
    pub health_check_failure_percent: String,
    pub crash_after: String,
    /// The traffic members (5xx share, latency, CPU per request): no field edits them yet, so
    /// they are carried through unchanged.
    pub traffic: TrafficSpec,
}

/// A problem with one field: `field` is the core's path suffix within the task definition, or
/// `behaviour.<member>`, or [`GENERAL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftError {
    pub field: String,
    pub message: String,
}

/// What the form would do when saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub scenario: Scenario,
    /// `family:N` of the revision that was registered or whose behaviour was set.
    pub revision: String,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> DraftError {
    DraftError {
        field: field.into(),
        message: message.into(),
    }
}

/// Empty → `None`; otherwise a whole number or an error naming the field and what was typed.
fn optional_number<T: std::str::FromStr>(
    text: &str,
    field: &str,
    what: &str,
    errors: &mut Vec<DraftError>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<T>() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.push(error(
                field,
                format!("must be {what}, found \u{201c}{text}\u{201d}"),
            ));
            None
        }
    }
}

fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn number_text(value: Option<u32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `["CMD-SHELL", "curl …"]` → `CMD-SHELL curl …`; `["CMD", "a", "b"]` → `CMD a b`.
fn command_text(command: &[String]) -> String {
    command.join(" ")
}

/// The inverse of [`command_text`]: CMD-SHELL keeps the rest as one shell string; CMD splits
/// it on whitespace into the executable and its arguments. Anything else is kept as one
/// element so that the core's check reports it.
fn command_parts(text: &str) -> Vec<String> {
    let text = text.trim();
    let (head, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    match head {
        "CMD-SHELL" => vec![head.to_string(), rest.trim().to_string()],
        "CMD" => std::iter::once(head.to_string())
            .chain(rest.split_whitespace().map(str::to_string))
            .collect(),
        _ => vec![text.to_string()],
    }
}

pub fn network_mode_name(mode: NetworkMode) -> &'static str {
    match mode {
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::None => "none",
    }
}

/// `family:revision` for every task definition of the scenario, numbered as the registry will.
pub fn revisions(scenario: &Scenario) -> Vec<(String, &TaskDefinition)> {
    let mut counts: SortedMap<&str, u32> = SortedMap::new();
    scenario
        .task_definitions
        .iter()
        .map(|definition| {
            let count = counts.or_default(definition.family.as_str());
            *count += 1;
            (format!("{}:{count}", definition.family), definition)
        })
        .collect()
}

/// The revision the next registration of `family` gets.
pub fn next_revision(scenario: &Scenario, family: &str) -> String {
    let latest = scenario
        .task_definitions
        .iter()
        .filter(|d| d.family == family)
        .count();
    format!("{family}:{}", latest + 1)
}

/// The timeline's label of a RegisterTaskDefinition: the family, then what the new revision
/// changes besides images (`RegisterTaskDefinition user (memory 7 GB, exits 20s after RUNNING)`).
pub fn describe_register(register: &RegisterTaskDefinition) -> String {
    let mut parts = Vec::new();
    if let Some(cpu) = &register.cpu {
        parts.push(format!("cpu {cpu}"));
    }
    if let Some(memory) = &register.memory {
        parts.push(format!("memory {memory}"));
    }
    if let Some(behaviour) = register.behaviour.as_deref().map(describe_behaviour) {
        parts.extend((!behaviour.is_empty()).then_some(behaviour));
    }
    if parts.is_empty() {
        format!("RegisterTaskDefinition {}", register.family)
    } else {
        format!(
            "RegisterTaskDefinition {} ({})",
            register.family,
            parts.join(", ")
        )
    }
}

/// A behaviour in a few words for the timeline: `exits 20s after RUNNING, 50 % fail to start`.
pub fn describe_behaviour(spec: &BehaviourSpec) -> String {
    let mut parts = Vec::new();
    if let Some(after) = &spec.crash_after {
        parts.push(format!("exits {after} after RUNNING"));
    }
    if let Some(percent) = spec.crash_rate_percent {
        parts.push(format!("{percent} % fail to start"));
    }
    if let Some(percent) = spec.health_check_failure_percent {
        parts.push(format!("{percent} % fail health checks"));
    }
    if let Some(start) = &spec.start_time {
        parts.push(format!("starts in {start}"));
    }
    if let Some(stop) = &spec.stop_time {
        parts.push(format!("stops in {stop}"));
    }
    parts.join(", ")
}

impl BehaviourDraft {
    pub fn from_spec(spec: &BehaviourSpec) -> BehaviourDraft {
        BehaviourDraft {
            start_time: spec.start_time.clone().unwrap_or_default(),
            stop_time: spec.stop_time.clone().unwrap_or_default(),
            crash_rate_percent: number_text(spec.crash_rate_percent),
            health_check_failure_percent: number_text(spec.health_check_failure_percent),
            crash_after: spec.crash_after.clone().unwrap_or_default(),
            traffic: TrafficSpec {
                error_rate_percent: spec.error_rate_percent,
                latency_ms: spec.latency_ms,
                cpu_per_request_ms: spec.cpu_per_request_ms,
            },
        }
    }

    /// The spec with every member checked by the core; errors are keyed `behaviour.<member>`.
    pub fn to_spec(&self) -> Result<BehaviourSpec, Vec<DraftError>> {
        let mut errors = Vec::new();
        let percent = "a whole number from 0 to 100";
        let spec = BehaviourSpec {
            start_time: optional_text(&self.start_time),
            stop_time: optional_text(&self.stop_time),
            crash_rate_percent: optional_number(
                &self.crash_rate_percent,
                "behaviour.crashRatePercent",
                percent,
                &mut errors,
            ),
            health_check_failure_percent: optional_number(
                &self.health_check_failure_percent,
                "behaviour.healthCheckFailurePercent",
                percent,
                &mut errors,
            ),
            crash_after: optional_text(&self.crash_after),
            error_rate_percent: self.traffic.error_rate_percent,
            latency_ms: self.traffic.latency_ms,
            cpu_per_request_ms: self.traffic.cpu_per_request_ms,
        };
        errors.extend(
            spec.problems()
                .into_iter()
                .map(|(field, message)| error(format!("behaviour.{field}"), message)),
        );
        if errors.is_empty() {
            Ok(spec)
        } else {
            Err(errors)
        }
    }
}

impl ContainerDraft {
    /// A new container with the smallest values a user usually starts from.
    pub fn new(index: usize) -> ContainerDraft {
        ContainerDraft {
            name: format!("container-{}", index + 1),
            image: "public.ecr.aws/nginx/nginx:latest".into(),
            cpu: "256".into(),
            memory: "512".into(),
            essential: index == 0,
            ..ContainerDraft::default()
        }
    }

    fn from_definition(container: &ContainerDefinition) -> ContainerDraft {
        let health = container
            .health_check
            .as_ref()
            .map(|check| HealthDraft {
                command: command_text(&check.command),
                interval: number_text(check.interval),
                timeout: number_text(check.timeout),
                retries: number_text(check.retries),
                start_period: number_text(check.start_period),
            })
            .unwrap_or_default();
        ContainerDraft {
            origin: container.name.clone(),
            name: container.name.clone(),
            image: container.image.clone(),
            cpu: number_text(container.cpu),
            memory: number_text(container.memory),
            memory_reservation: number_text(container.memory_reservation),
            essential: container.essential.unwrap_or(true),
            ports: container
                .port_mappings
                .iter()
                .map(|p| PortDraft {
                    container_port: p.container_port.to_string(),
                    host_port: p.host_port.map(|h| h.to_string()).unwrap_or_default(),
                    protocol: p.protocol.clone().unwrap_or_else(|| "tcp".into()),
                })
                .collect(),
            health,
        }
    }
}

impl TaskDefDraft {
    /// The draft of revision `reference` (`order:1`) of the scenario, with its behaviour.
    pub fn from_revision(scenario: &Scenario, reference: &str) -> Option<TaskDefDraft> {
        let definition = revisions(scenario)
            .into_iter()
            .find(|(r, _)| r == reference)?
            .1;
        let behaviour = scenario
            .revision_behaviour
            .iter()
            .rev()
            .find(|b| b.task_definition == reference)
            .map(|b| BehaviourDraft::from_spec(&b.spec()))
            .unwrap_or_default();
        Some(TaskDefDraft {
            base: reference.to_string(),
            family: definition.family.clone(),
            network_mode: definition
                .network_mode
                .map(|m| network_mode_name(m).to_string())
                .unwrap_or_default(),
            cpu: definition.cpu.clone().unwrap_or_default(),
            memory: definition.memory.clone().unwrap_or_default(),
            containers: definition
                .container_definitions
                .iter()
                .map(ContainerDraft::from_definition)
                .collect(),
            behaviour,
            update_services: true,
        })
    }

    /// A new family with one container.
    pub fn new_family() -> TaskDefDraft {
        TaskDefDraft {
            family: String::new(),
            network_mode: "bridge".into(),
            containers: vec![ContainerDraft::new(0)],
            update_services: true,
            ..TaskDefDraft::default()
        }
    }

    /// The draft's task definition: members the form does not show are carried over from the
    /// base revision; values that are not numbers are errors for their field.
    pub fn to_definition(&self, scenario: &Scenario) -> (TaskDefinition, Vec<DraftError>) {
        let base = revisions(scenario)
            .into_iter()
            .find(|(r, _)| *r == self.base)
            .map(|(_, d)| d.clone());
        let mut errors = Vec::new();
        let network_mode = match self.network_mode.trim() {
            "" => None,
            "bridge" => Some(NetworkMode::Bridge),
            "host" => Some(NetworkMode::Host),
            "awsvpc" => Some(NetworkMode::Awsvpc),
            "none" => Some(NetworkMode::None),
            other => {
                errors.push(error(
                    "networkMode",
                    format!("\u{201c}{other}\u{201d} is not bridge, host, awsvpc or none"),
                ));
                None
            }
        };
        let containers = self
            .containers
            .iter()
            .enumerate()
            .map(|(index, draft)| {
                let origin = base.as_ref().and_then(|b| {
                    b.container_definitions
                        .iter()
                        .find(|c| !draft.origin.is_empty() && c.name == draft.origin)
                });
                container_from(draft, index, origin, &mut errors)
            })
            .collect();
        let definition = TaskDefinition {
            family: self.family.trim().to_string(),
            network_mode,
            cpu: optional_text(&self.cpu),
            memory: optional_text(&self.memory),
            container_definitions: containers,
            ..base.unwrap_or(TaskDefinition {
                family: String::new(),
                network_mode: None,
                requires_compatibilities: Vec::new(),
                cpu: None,
                memory: None,
                container_definitions: Vec::new(),
                placement_constraints: Vec::new(),
                requires_attributes: Vec::new(),
            })
        };
        (definition, errors)
    }

    /// The scenario with the draft registered as the family's next revision (with its
    /// behaviour), and the family's services moved to it when `update_services` is set.
    pub fn register_in(&self, scenario: &Scenario) -> Result<Saved, Vec<DraftError>> {
        let (definition, mut errors) = self.to_definition(scenario);
        let behaviour = self.behaviour.to_spec().err().unwrap_or_default();
        errors.extend(behaviour);
        let revision = next_revision(scenario, definition.family.trim());
        let mut edited = scenario.clone();
        let index = edited.task_definitions.len();
        let family = definition.family.clone();
        edited.task_definitions.push(definition);
        let behaviour_index = self.push_behaviour(&mut edited, &revision);
        if self.update_services {
            for service in edited.services.iter_mut() {
                if service.task_definition.split(':').next() == Some(family.as_str()) {
                    service.task_definition = revision.clone();
                }
            }
        }
        checked(edited, revision, errors, |path| {
            if let Some(rest) = path.strip_prefix(&format!("taskDefinitions[{index}].")) {
                return rest.to_string();
            }
            behaviour_field(path, behaviour_index)
        })
    }

    /// The scenario with only the base revision's behaviour replaced (the sandbox's own
    /// setting, not part of the ECS task definition, so no new revision is needed).
    pub fn set_behaviour_in(&self, scenario: &Scenario) -> Result<Saved, Vec<DraftError>> {
        if self.base.is_empty() {
            return Err(vec![error(
                GENERAL,
                "a new family has no revision yet; register it first",
            )]);
        }
        let errors = self.behaviour.to_spec().err().unwrap_or_default();
        let mut edited = scenario.clone();
        edited
            .revision_behaviour
            .retain(|b| b.task_definition != self.base);
        let behaviour_index = self.push_behaviour(&mut edited, &self.base);
        checked(edited, self.base.clone(), errors, |path| {
            behaviour_field(path, behaviour_index)
        })
    }

    /// Appends the behaviour entry for `revision` unless every member is empty (the defaults);
    /// returns its index. Unparseable numbers were reported by `to_spec` and are left out.
    fn push_behaviour(&self, scenario: &mut Scenario, revision: &str) -> Option<usize> {
        let b = &self.behaviour;
        let spec = BehaviourSpec {
            start_time: optional_text(&b.start_time),
            stop_time: optional_text(&b.stop_time),
            crash_rate_percent: b.crash_rate_percent.trim().parse().ok(),
            health_check_failure_percent: b.health_check_failure_percent.trim().parse().ok(),
            crash_after: optional_text(&b.crash_after),
            error_rate_percent: b.traffic.error_rate_percent,
            latency_ms: b.traffic.latency_ms,
            cpu_per_request_ms: b.traffic.cpu_per_request_ms,
        };
        if spec == BehaviourSpec::default() {
            return None;
        }
        scenario
            .revision_behaviour
            .push(RevisionBehaviour::from_spec(revision.to_string(), spec));
        Some(scenario.revision_behaviour.len() - 1)
    }
}

fn container_from(
    draft: &ContainerDraft,
    index: usize,
    origin: Option<&ContainerDefinition>,
    errors: &mut Vec<DraftError>,
) -> ContainerDefinition {
    let at = |field: &str| format!("containerDefinitions[{index}].{field}");
    let mib = "a whole number of MiB";
    let ports = draft
        .ports
        .iter()
        .enumerate()
        .map(|(p, port)| {
            let at_port = |field: &str| at(&format!("portMappings[{p}].{field}"));
            let container_port = match port.container_port.trim().parse::<u16>() {
                Ok(value) => value,
                Err(_) => {
                    errors.push(error(
                        at_port("containerPort"),
                        format!(
                            "must be a port number from 1 to 65535, found \u{201c}{}\u{201d}",
                            port.container_port.trim()
                        ),
                    ));
                    // A placeholder the core would also reject; the error above says why.
                    0
                }
            };
            let host_port = optional_number(
                &port.host_port,
                &at_port("hostPort"),
                "a port number from 0 to 65535 (0 or empty: dynamic)",
                errors,
            );
            let kept = origin.and_then(|o| o.port_mappings.get(p));
            PortMapping {
                container_port,
                host_port,
                protocol: optional_text(&port.protocol),
                name: kept.and_then(|k| k.name.clone()),
                app_protocol: kept.and_then(|k| k.app_protocol.clone()),
            }
        })
        .collect();
    let health = &draft.health;
    // Any health-check field typed makes a health check, so the core checks every member: a
    // value typed without a command is an error to see, never silently dropped.
    let typed = [
        &health.command,
        &health.interval,
        &health.timeout,
        &health.retries,
        &health.start_period,
    ];
    if health.command.trim().is_empty() && typed.iter().any(|t| !t.trim().is_empty()) {
        errors.push(error(
            at("healthCheck.command"),
            "a health check needs a command; for none, clear interval, timeout, retries and start period too",
        ));
    }
    let health_check = typed.iter().any(|t| !t.trim().is_empty()).then(|| {
        let seconds = "a whole number of seconds";
        HealthCheck {
            command: command_parts(&health.command),
            interval: optional_number(
                &health.interval,
                &at("healthCheck.interval"),
                seconds,
                errors,
            ),
            timeout: optional_number(&health.timeout, &at("healthCheck.timeout"), seconds, errors),
            retries: optional_number(
                &health.retries,
                &at("healthCheck.retries"),
                "a whole number of retries",
                errors,
            ),
            start_period: optional_number(
                &health.start_period,
                &at("healthCheck.startPeriod"),
                seconds,
                errors,
            ),
        }
    });
    ContainerDefinition {
        name: draft.name.trim().to_string(),
        image: draft.image.trim().to_string(),
        // Keep an unset `essential` unset when it still means what the user sees (true).
        essential: match origin {
            Some(o) if o.essential.unwrap_or(true) == draft.essential => o.essential,
            _ => Some(draft.essential),
        },
        cpu: optional_number(
            &draft.cpu,
            &at("cpu"),
            "a whole number of CPU units",
            errors,
        ),
        memory: optional_number(&draft.memory, &at("memory"), mib, errors),
        memory_reservation: optional_number(
            &draft.memory_reservation,
            &at("memoryReservation"),
            mib,
            errors,
        ),
        port_mappings: ports,
        health_check,
        stop_timeout: origin.and_then(|o| o.stop_timeout),
        resource_requirements: origin
            .map(|o| o.resource_requirements.clone())
            .unwrap_or_default(),
    }
}

fn behaviour_field(path: &str, behaviour_index: Option<usize>) -> String {
    behaviour_index
        .and_then(|i| path.strip_prefix(&format!("revisionBehaviour[{i}].")))
        .map(|member| format!("behaviour.{member}"))
        .unwrap_or_else(|| GENERAL.to_string())
}

/// Runs the core's validation over the edited scenario. Each error goes to the field
/// `field_of(path)` names; a field that already has the form's own error (a number that did
/// not parse) keeps only that one, since the core saw the field as missing.
fn checked(
    edited: Scenario,
    revision: String,
    mut errors: Vec<DraftError>,
    field_of: impl Fn(&str) -> String,
) -> Result<Saved, Vec<DraftError>> {
    let own: SortedSet<String> = errors.iter().map(|e| e.field.clone()).collect();
    for e in validate(&edited) {
        let field = field_of(&e.path);
        if own.contains(&field) {
            continue;
        }
        let message = if field == GENERAL {
            e.to_string()
        } else {
            e.message
        };
        errors.push(DraftError { field, message });
    }
    if errors.is_empty() {
        Ok(Saved {
            scenario: edited,
            revision,
        })
    } else {
        Err(errors)
    }
}
