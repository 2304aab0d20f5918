//! A service's `loadBalancers[]` and `serviceRegistries[]` in ECS's API shape
//! (`API:LoadBalancer`, `API:ServiceRegistry`) and their checks against the service's task
//! definition and the scenario's target groups and Cloud Map services (ecs-semantics §5.1,
//! §5.3), with ECS's wording where it has one.
//!
//! Choice: `targetGroupArn` must be an ARN (`arn:aws:elasticloadbalancing:<region>:<account>:
//! targetgroup/<name>/<id>`) whose name part names one of the scenario's `targetGroups`; a bare
//! name is rejected with the ARN to write, so what the sandbox accepts is what CreateService
//! takes. `registryArn` (`arn:aws:servicediscovery:<region>:<account>:service/<name>`) names a
//! Cloud Map service by its name: the sandbox has no `srv-` ids (ASSUMPTIONS.md).

use super::discovery::{CloudMapSpec, TargetGroupSpec};
use crate::compact::SortedSet;
use crate::discovery::{
    CloudMapServiceId, DiscoveryConfig, DnsRecordType, LoadBalancerBinding, RegistryBinding,
    TargetGroupId, TargetType,
};
use crate::json_input::cut;
use crate::problem::Problem;
use crate::taskdef::{NetworkMode, TaskDefinition};
use serde::{Deserialize, Serialize};

/// ECS quota: target groups per service.
pub const SERVICE_LOAD_BALANCERS_MAX: usize = 5;

/// `loadBalancers[]` of CreateService.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceLoadBalancer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    /// Classic Load Balancers: part of the API shape, not modelled (a problem names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    pub container_name: String,
    pub container_port: u32,
}

/// `serviceRegistries[]` of CreateService.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceRegistry {
    pub registry_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_port: Option<u32>,
}

/// The ARN a target group named `name` is written as in examples and messages.
pub fn example_target_group_arn(name: &str) -> String {
    format!(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/{name}/0123456789abcdef"
    )
}

/// The name part of a target group ARN, or why it is not one.
pub fn target_group_name_of(arn: &str) -> Result<&str, String> {
    let hint = || {
        format!(
            "{} is not a target group ARN; write {}",
            cut(arn),
            example_target_group_arn(if arn.contains(':') { "name" } else { arn })
        )
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6
        || parts[0] != "arn"
        || !parts[1].starts_with("aws")
        || parts[2] != "elasticloadbalancing"
    {
        return Err(hint());
    }
    let resource: Vec<&str> = parts[5].split('/').collect();
    match resource.as_slice() {
        ["targetgroup", name, id] if !name.is_empty() && !id.is_empty() => Ok(name),
        _ => Err(hint()),
    }
}

/// The service name part of a Cloud Map service ARN, or why it is not one.
pub fn registry_name_of(arn: &str) -> Result<&str, String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[2] == "servicediscovery" {
        if let Some(name) = parts[5]
            .strip_prefix("service/")
            .filter(|n| !n.is_empty() && !n.contains('/'))
        {
            return Ok(name);
        }
    }
    Err(format!(
        "{} is not a Cloud Map service ARN; write arn:aws:servicediscovery:us-east-1:123456789012:service/<name of a cloudMap service>",
        cut(arn)
    ))
}

/// What the binding checks read of the scenario: target groups and Cloud Map services by id
/// (their positions), from the file's members or from the world's compiled configuration
/// (a timeline `createService`), which agree.
pub(crate) struct BindingContext<'a> {
    /// Name and target type of each target group.
    pub target_groups: Vec<(&'a str, TargetType)>,
    /// Name and DNS record types (A, SRV) of each Cloud Map service, namespaces in order.
    pub cloud_map_services: Vec<(&'a str, bool, bool)>,
}

impl<'a> BindingContext<'a> {
    /// From the scenario file's `targetGroups` and `cloudMap`.
    pub fn of_file(target_groups: &'a [TargetGroupSpec], cloud_map: &'a CloudMapSpec) -> Self {
        let has = |records: &[super::DnsRecordSpec], kind| records.iter().any(|r| r.kind == kind);
        BindingContext {
            target_groups: (target_groups.iter())
                .map(|g| (g.name.as_str(), g.target_type.unwrap_or_default()))
                .collect(),
            cloud_map_services: (cloud_map.namespaces.iter())
                .flat_map(|n| n.services.iter())
                .map(|s| {
                    let records = s.dns_records.as_slice();
                    (
                        s.name.as_str(),
                        has(records, DnsRecordType::A),
                        has(records, DnsRecordType::Srv),
                    )
                })
                .collect(),
        }
    }

    /// From a compiled configuration (the world's).
    pub fn of_config(config: &'a DiscoveryConfig) -> Self {
        let has = |records: &[(DnsRecordType, u32)], kind| records.iter().any(|r| r.0 == kind);
        BindingContext {
            target_groups: (config.target_groups.iter())
                .map(|g| (g.name.as_str(), g.target_type))
                .collect(),
            cloud_map_services: (config.cloud_map_services.iter())
                .map(|s| {
                    let records = s.dns_records.as_slice();
                    (
                        s.name.as_str(),
                        has(records, DnsRecordType::A),
                        has(records, DnsRecordType::Srv),
                    )
                })
                .collect(),
        }
    }
}

/// Checks a service's `loadBalancers[]` (paths from `at`, the service's path) against its
/// revision `definition`; the resolved bindings when all hold.
pub(crate) fn load_balancer_bindings(
    at: &str,
    entries: &[ServiceLoadBalancer],
    definition: &TaskDefinition,
    context: &BindingContext<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<LoadBalancerBinding> {
    let mut bindings = Vec::new();
    if entries.len() > SERVICE_LOAD_BALANCERS_MAX {
        problems.push(Problem::new(
            format!("{at}.loadBalancers"),
            format!("{} load balancers; a service takes at most {SERVICE_LOAD_BALANCERS_MAX} target groups", entries.len()),
        ));
    }
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    let mut seen = SortedSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("{at}.loadBalancers[{index}]");
        let mut push = |field: &str, message: String| {
            problems.push(Problem::new(format!("{at}.{field}"), message))
        };
        if entry.load_balancer_name.is_some() {
            push(
                "loadBalancerName",
                "Classic Load Balancers are not modelled; name an ALB or NLB target group with targetGroupArn".into(),
            );
            continue;
        }
        let Some(arn) = &entry.target_group_arn else {
            push("targetGroupArn", "missing required field".into());
            continue;
        };
        let group = match target_group_name_of(arn) {
            Err(message) => {
                push("targetGroupArn", message);
                None
            }
            Ok(name) => match context.target_groups.iter().position(|g| g.0 == name) {
                None => {
                    push(
                        "targetGroupArn",
                        format!("no target group named {} in targetGroups", cut(name)),
                    );
                    None
                }
                Some(position) => Some((
                    TargetGroupId(position as u32),
                    context.target_groups[position].1,
                )),
            },
        };
        if mode == NetworkMode::None {
            push(
                "targetGroupArn",
                "The none network mode does not support load balancers".into(),
            );
            continue;
        }
        if let Some((_, target_type)) = group {
            let wants = if mode == NetworkMode::Awsvpc {
                TargetType::Ip
            } else {
                TargetType::Instance
            };
            if target_type != wants {
                push(
                    "targetGroupArn",
                    format!(
                        "The provided target group {arn} has target type {}, which is incompatible with the {} network mode specified in the task definition.",
                        target_type.as_str(),
                        network_mode_name(mode)
                    ),
                );
            }
        }
        let port = container_port_problem(definition, &entry.container_name, entry.container_port);
        if let Err(message) = &port {
            let field = if message.contains("does not exist") {
                "containerName"
            } else {
                "containerPort"
            };
            push(field, message.clone());
        }
        if let (Some((id, _)), Ok(port)) = (group, port) {
            if !seen.insert((id, entry.container_name.clone(), port)) {
                push(
                    "targetGroupArn",
                    "this target group, container and port are already named for the service"
                        .into(),
                );
            } else {
                bindings.push(LoadBalancerBinding {
                    target_group: id,
                    container_name: entry.container_name.clone(),
                    container_port: port,
                });
            }
        }
    }
    bindings
}

/// Checks a service's `serviceRegistries[]` against its revision (§5.3 network-mode rules).
pub(crate) fn registry_bindings(
    at: &str,
    entries: &[ServiceRegistry],
    definition: &TaskDefinition,
    context: &BindingContext<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<RegistryBinding> {
    let mut bindings = Vec::new();
    if entries.len() > 1 {
        problems.push(Problem::new(
            format!("{at}.serviceRegistries"),
            format!("{} service registries; a service takes one", entries.len()),
        ));
    }
    let mode = definition.network_mode.unwrap_or(NetworkMode::Bridge);
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("{at}.serviceRegistries[{index}]");
        let before = problems.len();
        let mut push = |field: &str, message: String| {
            problems.push(Problem::new(
                if field.is_empty() {
                    at.clone()
                } else {
                    format!("{at}.{field}")
                },
                message,
            ))
        };
        let service = match registry_name_of(&entry.registry_arn) {
            Err(message) => {
                push("registryArn", message);
                None
            }
            Ok(name) => {
                let found = (context.cloud_map_services.iter())
                    .enumerate()
                    .find(|(_, s)| s.0 == name);
                if found.is_none() {
                    push(
                        "registryArn",
                        format!("no Cloud Map service named {} in cloudMap", cut(name)),
                    );
                }
                found
            }
        };
        if mode == NetworkMode::None {
            push(
                "registryArn",
                "The none network mode is not supported with service discovery".into(),
            );
            continue;
        }
        let container = match (&entry.container_name, entry.container_port) {
            (Some(name), Some(port)) => match container_port_problem(definition, name, port) {
                Ok(port) => Some((name.clone(), port)),
                Err(message) => {
                    let field = if message.contains("does not exist") {
                        "containerName"
                    } else {
                        "containerPort"
                    };
                    push(field, message);
                    None
                }
            },
            (Some(_), None) => {
                push(
                    "containerPort",
                    "containerName and containerPort go together".into(),
                );
                None
            }
            (None, Some(_)) => {
                push(
                    "containerName",
                    "containerName and containerPort go together".into(),
                );
                None
            }
            (None, None) => None,
        };
        let named_container = entry.container_name.is_some() || entry.container_port.is_some();
        if let Some(port) = entry.port.filter(|p| !(1..=65_535).contains(p)) {
            push("port", format!("must be from 1 to 65535, found {port}"));
        }
        if let Some((_, &(service_name, a, srv))) = service {
            match mode {
                NetworkMode::Bridge | NetworkMode::Host => {
                    if a {
                        push(
                            "registryArn",
                            format!(
                                "Cloud Map service {} has an A record, which the {} network mode does not support; use SRV records",
                                service_name,
                                network_mode_name(mode)
                            ),
                        );
                    }
                    if !named_container {
                        push(
                            "",
                            format!(
                                "When specifying 'bridge' or 'host' for networkMode, values for containerName and containerPort must be specified from the task definition ({} mode)",
                                network_mode_name(mode)
                            ),
                        );
                    }
                    if entry.port.is_some() {
                        push(
                            "port",
                            "port is for awsvpc tasks; give containerName and containerPort".into(),
                        );
                    }
                }
                NetworkMode::Awsvpc => {
                    if srv && named_container == entry.port.is_some() {
                        push(
                            "",
                            "When specifying 'awsvpc' for networkMode, an SRV record needs either containerName and containerPort or port, but not both".into(),
                        );
                    }
                }
                NetworkMode::None => {}
            }
        }
        if problems.len() == before {
            if let Some((position, _)) = service {
                bindings.push(RegistryBinding {
                    service: CloudMapServiceId(position as u32),
                    container,
                    port: entry.port.map(|p| p as u16),
                });
            }
        }
    }
    bindings
}

/// The container's port, or ECS's message when the container or its port does not exist.
fn container_port_problem(
    definition: &TaskDefinition,
    name: &str,
    port: u32,
) -> Result<u16, String> {
    let Some(container) = definition
        .container_definitions
        .iter()
        .find(|c| c.name == name)
    else {
        return Err(format!(
            "The container {} does not exist in the task definition.",
            cut(name)
        ));
    };
    container
        .port_mappings
        .iter()
        .find(|m| u32::from(m.container_port) == port)
        .map(|m| m.container_port)
        .ok_or_else(|| {
            format!(
                "The container {} did not have a container port {port} defined.",
                container.name
            )
        })
}

fn network_mode_name(mode: NetworkMode) -> &'static str {
    match mode {
        NetworkMode::Bridge => "bridge",
        NetworkMode::Host => "host",
        NetworkMode::Awsvpc => "awsvpc",
        NetworkMode::None => "none",
    }
}
