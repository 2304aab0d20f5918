//! Task definitions in the ECS API shape (`RegisterTaskDefinition`, camelCase, ecs-semantics §8),
//! the registry that numbers revisions per family, and the resource requirements placement reads.
//! Unknown fields are rejected by serde so a typo never silently changes behaviour.

use crate::problem::Problem;
use serde::{Deserialize, Serialize};

/// `RegisterTaskDefinition` input: the subset of members the sandbox models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskDefinition {
    pub family: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<NetworkMode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// Task-level CPU units as a string (`"512"` or `"1 vCPU"`), as the API takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Task-level memory in MiB as a string (`"1024"` or `"1 GB"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement_constraints: Vec<TaskDefinitionPlacementConstraint>,
    /// Attributes an instance must have (`API:TaskDefinition.requiresAttributes`); missing ⇒
    /// `ATTRIBUTE` (§1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_attributes: Vec<RequiredAttribute>,
}

/// `{"name": "ecs.capability.task-eni"}` or with a value that must match exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequiredAttribute {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `{"type": "GPU", "value": "1"}` on a container (§2.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerResourceRequirement {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    Bridge,
    Host,
    Awsvpc,
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerDefinition {
    pub name: String,
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<u32>,
    /// Hard limit in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<u32>,
    /// Soft limit in MiB; what placement charges when set (§2.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<u32>,
    /// GPUs pinned to the container (§2.1); only type `GPU` is modelled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_requirements: Vec<ContainerResourceRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortMapping {
    pub container_port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u32>,
}

/// `API:HealthCheck` ranges in seconds (ecs-semantics §3.4): interval 5–300, timeout 2–60,
/// retries 1–10, startPeriod 0–300.
const HEALTH_CHECK_RANGES: [(&str, u32, u32, &str); 4] = [
    ("interval", 5, 300, " seconds"),
    ("timeout", 2, 60, " seconds"),
    ("retries", 1, 10, ""),
    ("startPeriod", 0, 300, " seconds"),
];

impl HealthCheck {
    /// Every member outside what the API accepts, its path relative to the health check.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let shape_ok = matches!(
            self.command.first().map(String::as_str),
            Some("CMD" | "CMD-SHELL")
        ) && self.command.len() >= 2
            && self.command[1..].iter().any(|part| !part.trim().is_empty());
        if !shape_ok {
            problems.push(Problem::new(
                "command",
                "must be [\"CMD-SHELL\", \"<shell command>\"] or [\"CMD\", \"<executable>\", ...]",
            ));
        }
        let values = [self.interval, self.timeout, self.retries, self.start_period];
        for ((field, low, high, unit), value) in HEALTH_CHECK_RANGES.into_iter().zip(values) {
            if let Some(value) = value.filter(|v| !(low..=high).contains(v)) {
                problems.push(Problem::new(
                    field,
                    format!("must be a whole number from {low} to {high}{unit}, found {value}"),
                ));
            }
        }
        problems
    }
}

/// Launch types the sandbox does not model: refused where a scenario asks for them (a task
/// definition's `requiresCompatibilities`, a service's `launchType`) rather than accepted and
/// ignored; import drops them with a note (`import.rs`). Fargate's own rules (§2.5: CPU/memory
/// pairs, awsvpc, no container instances) are therefore not enforced.
pub const NOT_MODELLED_LAUNCH_TYPES: [&str; 2] = ["FARGATE", "EXTERNAL"];

/// Why a launch type cannot be used here, said the same way for task definitions and services.
pub fn launch_type_not_modelled(launch_type: &str) -> String {
    format!(
        "{launch_type} is not modelled: the sandbox runs tasks on EC2 container instances only; use EC2 (or leave it out)"
    )
}

/// A `requiresCompatibilities` entry the sandbox cannot honour.
fn compatibility_problem(compatibility: &str) -> Option<String> {
    match compatibility {
        "EC2" => None,
        known if NOT_MODELLED_LAUNCH_TYPES.contains(&known) => {
            Some(launch_type_not_modelled(known))
        }
        other => Some(format!(
            "unknown compatibility {}; expected EC2 (FARGATE and EXTERNAL are not modelled)",
            crate::json_input::cut(other)
        )),
    }
}

/// Task definitions accept only `memberOf` (§1.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskDefinitionPlacementConstraint {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// `family:revision`, the way ECS names one registration. The family is one shared string,
/// not a copy per holder: every task keeps its revision's reference, and a launch clones it
/// (a count, not an allocation; issue 13). Stored, compared and printed as the string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaskDefinitionRef {
    pub family: std::sync::Arc<str>,
    pub revision: u32,
}

impl std::fmt::Display for TaskDefinitionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.family, self.revision)
    }
}

/// What one task of a revision takes from a container instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRequirements {
    pub cpu_units: u32,
    pub memory_mib: u32,
    /// Host ports the task must hold exclusively (bridge static ports, host mode ports).
    pub static_host_ports: Vec<u16>,
    pub network_mode: Option<NetworkMode>,
    /// Sum of the containers' `GPU` resource requirements (§2.1).
    pub gpus: u32,
    /// `requiresAttributes`: name and, when given, the exact value.
    pub required_attributes: Vec<(String, Option<String>)>,
}

impl ResourceRequirements {
    /// awsvpc tasks take one ENI of the instance each (§2.4).
    pub fn needs_eni(&self) -> bool {
        self.network_mode == Some(NetworkMode::Awsvpc)
    }
}

impl TaskDefinition {
    pub fn network_mode_or_default(&self) -> NetworkMode {
        self.network_mode.unwrap_or(NetworkMode::Bridge)
    }

    /// Assumption (ecs-semantics §10 item 8, §2.2): a task-level value, when set, is what
    /// placement charges; otherwise the sum over containers (memoryReservation, else memory).
    /// Values were checked by [`TaskDefinition::validate`], so parsing cannot fail here.
    pub fn requirements(&self) -> ResourceRequirements {
        let container_cpu: u32 = self
            .container_definitions
            .iter()
            .filter_map(|c| c.cpu)
            .sum();
        let container_memory: u32 = self
            .container_definitions
            .iter()
            .filter_map(|c| c.memory_reservation.or(c.memory))
            .sum();
        let cpu_units = self
            .cpu
            .as_deref()
            .and_then(|text| parse_cpu_units(text).ok())
            .unwrap_or(container_cpu);
        let memory_mib = self
            .memory
            .as_deref()
            .and_then(|text| parse_memory_mib(text).ok())
            .unwrap_or(container_memory);
        let mode = self.network_mode_or_default();
        let mut static_host_ports: Vec<u16> = self
            .container_definitions
            .iter()
            .flat_map(|c| c.port_mappings.iter())
            .filter_map(|p| match mode {
                NetworkMode::Bridge => p.host_port.filter(|&port| port != 0),
                NetworkMode::Host => Some(p.host_port.unwrap_or(p.container_port)),
                NetworkMode::Awsvpc | NetworkMode::None => None,
            })
            .collect();
        crate::compact::sort(&mut static_host_ports);
        static_host_ports.dedup();
        let gpus = self
            .container_definitions
            .iter()
            .flat_map(|c| c.resource_requirements.iter())
            .filter(|r| r.kind == "GPU")
            .filter_map(|r| r.value.parse::<u32>().ok())
            .sum();
        let mut required_attributes: Vec<(String, Option<String>)> = self
            .requires_attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        if mode == NetworkMode::Awsvpc {
            // awsvpc needs the task-ENI capability on the instance (§1.1, DG:task-networking-awsvpc).
            required_attributes.push(("ecs.capability.task-eni".into(), None));
        }
        ResourceRequirements {
            cpu_units,
            memory_mib,
            static_host_ports,
            network_mode: Some(mode),
            gpus,
            required_attributes,
        }
    }

    /// [`TaskDefinition::problems`] as `(path, message)` pairs, for callers that take pairs.
    pub fn validate(&self) -> Vec<(String, String)> {
        self.problems()
            .into_iter()
            .map(Problem::into_pair)
            .collect()
    }

    /// Rules the API enforces at registration, paths relative to the definition (the scenario
    /// compiler places them under where the definition sits in the file).
    pub fn problems(&self) -> Vec<Problem> {
        let mut errors: Vec<(String, String)> = Vec::new();
        if !valid_name(&self.family) {
            errors.push((
                "family".into(),
                "must be 1-255 letters, digits, hyphens or underscores".into(),
            ));
        }
        for (index, compatibility) in self.requires_compatibilities.iter().enumerate() {
            if let Some(message) = compatibility_problem(compatibility) {
                errors.push((format!("requiresCompatibilities[{index}]"), message));
            }
        }
        if self.container_definitions.is_empty() {
            errors.push((
                "containerDefinitions".into(),
                "a task definition needs at least one container".into(),
            ));
        }
        if let Some(cpu) = &self.cpu {
            if let Err(message) = parse_cpu_units(cpu) {
                errors.push(("cpu".into(), message));
            }
        }
        if let Some(memory) = &self.memory {
            if let Err(message) = parse_memory_mib(memory) {
                errors.push(("memory".into(), message));
            }
        }
        let task_memory = self
            .memory
            .as_deref()
            .and_then(|text| parse_memory_mib(text).ok());
        let mode = self.network_mode_or_default();
        let mut names = crate::compact::SortedSet::new();
        for (index, container) in self.container_definitions.iter().enumerate() {
            let at = |field: &str| format!("containerDefinitions[{index}].{field}");
            if !valid_name(&container.name) {
                errors.push((
                    at("name"),
                    "must be 1-255 letters, digits, hyphens or underscores".into(),
                ));
            } else if !names.insert(container.name.as_str()) {
                errors.push((
                    at("name"),
                    format!("duplicate container name \"{}\"", container.name),
                ));
            }
            if container.image.trim().is_empty() {
                // ECS's own ClientException wording.
                errors.push((
                    at("image"),
                    "Container.image should not be null or empty.".into(),
                ));
            }
            if let (Some(hard), Some(task)) = (container.memory, task_memory) {
                if hard > task {
                    // ECS's ClientException wording, with the two numbers.
                    errors.push((
                        at("memory"),
                        format!(
                            "The 'memory' setting for container '{}' is greater than for the task ({hard} MiB > {task} MiB).",
                            container.name
                        ),
                    ));
                }
            }
            if self.memory.is_none()
                && container.memory.unwrap_or(0) == 0
                && container.memory_reservation.unwrap_or(0) == 0
            {
                errors.push((
                    at("memory"),
                    "on EC2 a container needs memory or memoryReservation when the task sets no memory".into(),
                ));
            }
            if let (Some(hard), Some(soft)) = (container.memory, container.memory_reservation) {
                if soft >= hard {
                    errors.push((
                        at("memoryReservation"),
                        format!("must be lower than memory ({soft} >= {hard})"),
                    ));
                }
            }
            for (r, requirement) in container.resource_requirements.iter().enumerate() {
                let at_requirement = |field: &str| {
                    format!("containerDefinitions[{index}].resourceRequirements[{r}].{field}")
                };
                match requirement.kind.as_str() {
                    "GPU" => {
                        if !requirement.value.parse::<u32>().is_ok_and(|n| n >= 1) {
                            errors.push((
                                at_requirement("value"),
                                format!(
                                    "GPU value \"{}\" must be a whole number of GPUs, at least 1",
                                    requirement.value
                                ),
                            ));
                        }
                    }
                    "InferenceAccelerator" => errors.push((
                        at_requirement("type"),
                        "InferenceAccelerator is not modelled by Flotilla".into(),
                    )),
                    other => errors.push((
                        at_requirement("type"),
                        format!("unknown resource requirement type \"{other}\"; expected GPU"),
                    )),
                }
            }
            if let Some(check) = &container.health_check {
                for problem in check.problems() {
                    let problem = problem.under(&at("healthCheck"));
                    errors.push((problem.path, problem.message));
                }
            }
            for (port_index, port) in container.port_mappings.iter().enumerate() {
                let at_port = |field: &str| {
                    format!("containerDefinitions[{index}].portMappings[{port_index}].{field}")
                };
                if port.container_port == 0 {
                    errors.push((
                        at_port("containerPort"),
                        "must be a port number from 1 to 65535, found 0".into(),
                    ));
                }
                match mode {
                    NetworkMode::None => errors.push((
                        at_port("containerPort"),
                        "networkMode none allows no port mappings".into(),
                    )),
                    NetworkMode::Host | NetworkMode::Awsvpc => {
                        if let Some(host) = port.host_port {
                            if host != port.container_port && host != 0 {
                                errors.push((
                                    at_port("hostPort"),
                                    format!("in {} mode hostPort must be omitted or equal containerPort", mode_name(mode)),
                                ));
                            }
                        }
                    }
                    NetworkMode::Bridge => {}
                }
            }
        }
        if let Some(task) = task_memory {
            let reserved: u64 = self
                .container_definitions
                .iter()
                .filter_map(|c| c.memory_reservation)
                .map(u64::from)
                .sum();
            if reserved > u64::from(task) {
                // ECS's ClientException wording, with the two numbers.
                errors.push((
                    "memory".into(),
                    format!(
                        "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory' ({reserved} MiB > {task} MiB)."
                    ),
                ));
            }
        }
        if !self.container_definitions.is_empty()
            && !self
                .container_definitions
                .iter()
                .any(|c| c.essential.unwrap_or(true))
        {
            errors.push((
                "containerDefinitions".into(),
                "at least one container must be essential".into(),
            ));
        }
        for (index, constraint) in self.placement_constraints.iter().enumerate() {
            if constraint.kind != "memberOf" {
                errors.push((
                    format!("placementConstraints[{index}].type"),
                    format!(
                        "task definitions accept only memberOf constraints, found \"{}\"",
                        constraint.kind
                    ),
                ));
            }
        }
        errors
            .into_iter()
            .map(|(path, message)| Problem::new(path, message))
            .collect()
    }
}

fn mode_name(mode: NetworkMode) -> &'static str {
    match mode {
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::None => "none",
    }
}

/// ECS names: 1-255 letters, digits, hyphens and underscores.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `"512"` → 512; `"1 vCPU"`/`"0.25 vcpu"` → units (1024 per vCPU). Range 128–196608 (§2.2).
pub fn parse_cpu_units(text: &str) -> Result<u32, String> {
    let lower = text.trim().to_ascii_lowercase();
    let units = if let Some(vcpus) = lower.strip_suffix("vcpu") {
        parse_scaled(vcpus.trim(), 1024)
    } else {
        lower.parse::<u32>().ok()
    }
    .ok_or_else(|| {
        format!("cpu \"{text}\" is not a number of CPU units (\"512\") or vCPUs (\"1 vCPU\")")
    })?;
    if !(128..=196_608).contains(&units) {
        return Err(format!(
            "cpu {units} units is outside the supported range 128-196608"
        ));
    }
    Ok(units)
}

/// `"1024"` → 1024 MiB; `"1 GB"`/`"0.5gb"` → MiB.
pub fn parse_memory_mib(text: &str) -> Result<u32, String> {
    let lower = text.trim().to_ascii_lowercase();
    let mib = if let Some(gb) = lower.strip_suffix("gb") {
        parse_scaled(gb.trim(), 1024)
    } else {
        lower
            .strip_suffix("mib")
            .or(lower.strip_suffix("mb"))
            .unwrap_or(&lower)
            .trim()
            .parse::<u32>()
            .ok()
    }
    .ok_or_else(|| {
        format!("memory \"{text}\" is not a number of MiB (\"1024\") or GB (\"1 GB\")")
    })?;
    if mib == 0 {
        return Err("memory must be greater than 0".into());
    }
    Ok(mib)
}

/// Decimal `whole[.fraction]` times `scale`, exact to three fraction digits, without floats.
fn parse_scaled(text: &str, scale: u32) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 3
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction_thousandths: u64 = format!("{fraction:0<3}").parse().ok()?;
    let thousandths = whole.checked_mul(1000)?.checked_add(fraction_thousandths)?;
    u32::try_from(thousandths.checked_mul(u64::from(scale))? / 1000).ok()
}

/// Registered task definitions: revision numbers per family, first registration = 1 (§8.2).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TaskDefinitionRegistry {
    #[serde(with = "crate::world::snapshot::json_text")]
    revisions: crate::compact::SortedMap<String, Vec<TaskDefinition>>,
}

impl TaskDefinitionRegistry {
    pub fn register(&mut self, definition: TaskDefinition) -> TaskDefinitionRef {
        let family = definition.family.clone();
        let revisions = self.revisions.or_default(family.clone());
        revisions.push(definition);
        TaskDefinitionRef {
            family: family.into(),
            revision: revisions.len() as u32,
        }
    }

    pub fn get(&self, reference: &TaskDefinitionRef) -> Option<&TaskDefinition> {
        let index = reference.revision.checked_sub(1)? as usize;
        self.revisions.get(&*reference.family)?.get(index)
    }

    /// `family` (latest revision) or `family:revision`, as services and RunTask accept it.
    pub fn resolve(&self, text: &str) -> Result<TaskDefinitionRef, String> {
        let (family, revision) = match text.rsplit_once(':') {
            Some((family, revision)) => {
                let revision: u32 = revision
                    .parse()
                    .map_err(|_| format!("\"{text}\": revision \"{revision}\" is not a number"))?;
                (family, Some(revision))
            }
            None => (text, None),
        };
        let Some(revisions) = self.revisions.get(family) else {
            let known: Vec<&str> = self.revisions.keys().map(String::as_str).collect();
            return Err(format!(
                "unknown task definition family \"{family}\"; registered: {}",
                known.join(", ")
            ));
        };
        let latest = revisions.len() as u32;
        match revision {
            None => Ok(TaskDefinitionRef {
                family: family.into(),
                revision: latest,
            }),
            Some(r) if (1..=latest).contains(&r) => Ok(TaskDefinitionRef {
                family: family.into(),
                revision: r,
            }),
            Some(r) => Err(format!(
                "task definition {family}:{r} does not exist; {family} has revisions 1-{latest}"
            )),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (TaskDefinitionRef, &TaskDefinition)> {
        self.revisions.iter().flat_map(|(family, revisions)| {
            revisions
                .iter()
                .enumerate()
                .map(move |(index, definition)| {
                    (
                        TaskDefinitionRef {
                            family: family.as_str().into(),
                            revision: index as u32 + 1,
                        },
                        definition,
                    )
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_strings_follow_the_api() {
        assert_eq!(parse_cpu_units("512"), Ok(512));
        assert_eq!(parse_cpu_units("1 vCPU"), Ok(1024));
        assert_eq!(parse_cpu_units("0.25 vcpu"), Ok(256));
        assert!(parse_cpu_units("64").unwrap_err().contains("128-196608"));
        assert!(parse_cpu_units("lots").is_err());
        assert_eq!(parse_memory_mib("1024"), Ok(1024));
        assert_eq!(parse_memory_mib("2 GB"), Ok(2048));
        assert_eq!(parse_memory_mib("0.5GB"), Ok(512));
        assert!(parse_memory_mib("0").is_err());
    }

    #[test]
    fn memory_reservation_is_what_placement_charges() {
        let definition: TaskDefinition = serde_json::from_str(
            r#"{"family":"web","containerDefinitions":[
                {"name":"app","image":"nginx","cpu":256,"memory":512,"memoryReservation":256,
                 "portMappings":[{"containerPort":80,"hostPort":8080},{"containerPort":81,"hostPort":0}]},
                {"name":"sidecar","image":"envoy","cpu":128,"memory":128}]}"#,
        )
        .unwrap();
        let requirements = definition.requirements();
        assert_eq!(requirements.cpu_units, 384);
        assert_eq!(requirements.memory_mib, 384);
        assert_eq!(requirements.static_host_ports, vec![8080]);
    }

    #[test]
    fn revisions_count_up_per_family() {
        let mut registry = TaskDefinitionRegistry::default();
        let definition = |family: &str| TaskDefinition {
            family: family.into(),
            network_mode: None,
            requires_compatibilities: vec![],
            cpu: None,
            memory: Some("512".into()),
            container_definitions: vec![],
            placement_constraints: vec![],
            requires_attributes: vec![],
        };
        assert_eq!(registry.register(definition("web")).to_string(), "web:1");
        assert_eq!(registry.register(definition("web")).to_string(), "web:2");
        assert_eq!(registry.register(definition("api")).to_string(), "api:1");
        assert_eq!(registry.resolve("web").unwrap().to_string(), "web:2");
        assert_eq!(registry.resolve("web:1").unwrap().to_string(), "web:1");
        assert!(registry
            .resolve("web:3")
            .unwrap_err()
            .contains("revisions 1-2"));
        assert!(registry
            .resolve("nope")
            .unwrap_err()
            .contains("unknown task definition family"));
    }
}
