//! Scenario members for service discovery (ecs-semantics §5): the top-level `targetGroups`,
//! `loadBalancers`, `route53` and `cloudMap`, in shapes close to the ELB, Route 53 and Cloud
//! Map APIs (camelCase), and their checks with JSON paths, ELB's and ECS's wording where they
//! have one (Route 53 and Cloud Map checks in `dns.rs`). `compile_discovery` turns them into `discovery::DiscoveryConfig`; the service
//! members `loadBalancers[]` and `serviceRegistries[]` are checked in `bindings.rs`, which
//! needs the service's task definition.

use crate::compact::{SortedMap, SortedSet};
use crate::discovery::{
    Algorithm, DiscoveryConfig, DnsRecordType, Forward, HealthCheckSettings, Listener,
    ListenerRule, LoadBalancerConfig, LoadBalancerId, LoadBalancerType, NamespaceType, Protocol,
    RecordType, RoutingPolicy, RuleCondition, TargetGroupConfig, TargetGroupId, TargetType,
};
use crate::json_input::cut;
use crate::problem::Problem;
use serde::Serialize;

/// Sandbox bounds so a hostile file stays cheap.
pub const TARGET_GROUPS_MAX: usize = 3_000;
pub const LOAD_BALANCERS_MAX: usize = 1_000;
/// ELB quotas: listeners per load balancer, rules per listener, target groups per forward.
pub const LISTENERS_MAX: usize = 50;
pub const RULES_MAX: usize = 100;
pub const FORWARDS_MAX: usize = 5;
/// Route 53: weighted records per name and type (§5.2); the sandbox's bound on all records.
pub const WEIGHTED_RECORDS_MAX: usize = 100;
pub const RECORDS_MAX: usize = 20_000;
pub const CLOUD_MAP_SERVICES_MAX: usize = 10_000;

/// `targetGroups[]`: CreateTargetGroup plus the attributes the sandbox models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroupSpec {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<TargetType>,
    pub protocol: Protocol,
    pub port: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheckSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<TargetGroupAttributes>,
}

/// A target group's health check (§5.1 ranges; every member optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheckSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthy_threshold_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Target group attributes (`deregistration_delay.timeout_seconds`, `slow_start.duration_seconds`,
/// `load_balancing.algorithm.type`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroupAttributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deregistration_delay_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slow_start_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<Algorithm>,
}

/// `loadBalancers[]`: a load balancer with its listeners.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerSpec {
    pub name: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<LoadBalancerType>,
    pub listeners: Vec<ListenerSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerSpec {
    pub port: u32,
    pub protocol: Protocol,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
    pub default_forward: Vec<ForwardSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSpec {
    pub priority: u32,
    pub conditions: Vec<ConditionSpec>,
    pub forward: Vec<ForwardSpec>,
}

/// One condition: exactly one of its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_header: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardSpec {
    pub target_group: String,
    /// 0–999 (ALB weighted target groups); default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// `route53`: hosted zones and their record sets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route53Spec {
    pub hosted_zones: Vec<HostedZoneSpec>,
}

impl Route53Spec {
    pub fn is_empty(&self) -> bool {
        self.hosted_zones.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostedZoneSpec {
    pub name: String,
    pub records: Vec<RecordSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: RecordType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<AliasSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// An alias to one of the scenario's load balancers, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AliasSpec {
    pub load_balancer: String,
}

/// `cloudMap`: namespaces and their services.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudMapSpec {
    pub namespaces: Vec<NamespaceSpec>,
}

impl CloudMapSpec {
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: NamespaceType,
    pub services: Vec<CloudMapServiceSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudMapServiceSpec {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dns_records: Vec<DnsRecordSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_policy: Option<RoutingPolicy>,
    /// `HealthCheckCustomConfig` (`{}`): ECS reports the task's health (§5.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_custom_config: Option<CustomHealthSpec>,
}

/// `HealthCheckCustomConfig`: `FailureThreshold` is no longer supported (fixed at 1), so the
/// object is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CustomHealthSpec {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsRecordSpec {
    #[serde(rename = "type")]
    pub kind: DnsRecordType,
    pub ttl: u32,
}

/// The scenario's discovery members, as `compile_discovery` reads them.
pub(super) struct DiscoveryInput<'a> {
    pub target_groups: &'a [TargetGroupSpec],
    pub load_balancers: &'a [LoadBalancerSpec],
    pub route53: &'a Route53Spec,
    pub cloud_map: &'a CloudMapSpec,
}

/// Checks the top-level discovery members and compiles them; problems carry their paths from
/// the file's root. The configuration is complete only when no problem was found.
pub(super) fn compile_discovery(
    input: &DiscoveryInput<'_>,
    problems: &mut Vec<Problem>,
) -> DiscoveryConfig {
    let mut config = DiscoveryConfig::default();
    let mut push = |path: String, message: String| problems.push(Problem::new(path, message));
    if input.target_groups.len() > TARGET_GROUPS_MAX {
        push(
            "targetGroups".into(),
            format!(
                "{} target groups; the sandbox limit is {TARGET_GROUPS_MAX}",
                input.target_groups.len()
            ),
        );
    }
    // Ids are positions in the file, so references resolve even to an entry with a problem
    // (one mistake is reported once, not again at every reference); the configuration is
    // used only when there is no problem at all, when the two agree.
    let mut group_ids: SortedMap<&str, TargetGroupId> = SortedMap::new();
    for (index, spec) in input.target_groups.iter().enumerate() {
        let at = format!("targetGroups[{index}]");
        let group = target_group(spec, &at, &mut push);
        if group_ids.contains_key(spec.name.as_str()) {
            push(
                format!("{at}.name"),
                format!(
                    "A target group with the same name '{}' exists, but with different settings",
                    spec.name
                ),
            );
        } else {
            group_ids.insert(spec.name.as_str(), TargetGroupId(index as u32));
        }
        config.target_groups.extend(group);
    }
    if input.load_balancers.len() > LOAD_BALANCERS_MAX {
        push(
            "loadBalancers".into(),
            format!(
                "{} load balancers; the sandbox limit is {LOAD_BALANCERS_MAX}",
                input.load_balancers.len()
            ),
        );
    }
    let mut balancer_ids: SortedMap<&str, LoadBalancerId> = SortedMap::new();
    for (index, spec) in input.load_balancers.iter().enumerate() {
        let at = format!("loadBalancers[{index}]");
        let balancer = load_balancer(spec, &at, &group_ids, input.target_groups, &mut push);
        if balancer_ids.contains_key(spec.name.as_str()) {
            push(
                format!("{at}.name"),
                format!(
                    "A load balancer with the name '{}' already exists",
                    spec.name
                ),
            );
        } else {
            balancer_ids.insert(spec.name.as_str(), LoadBalancerId(index as u32));
        }
        config.load_balancers.extend(balancer);
    }
    config.records = super::dns::records(input.route53, &balancer_ids, &mut push);
    config.cloud_map_services = super::dns::cloud_map(input.cloud_map, &mut push);
    config
}

/// ELB names: 1–32 letters, digits and hyphens, not starting or ending with a hyphen.
fn valid_elb_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn in_range(
    push: &mut impl FnMut(String, String),
    path: String,
    value: Option<u32>,
    range: std::ops::RangeInclusive<u32>,
    default: u32,
) -> u32 {
    match value {
        Some(value) if !range.contains(&value) => {
            push(
                path,
                format!(
                    "must be from {} to {}, found {value}",
                    range.start(),
                    range.end()
                ),
            );
            default
        }
        Some(value) => value,
        None => default,
    }
}

fn target_group(
    spec: &TargetGroupSpec,
    at: &str,
    push: &mut impl FnMut(String, String),
) -> Option<TargetGroupConfig> {
    let mut ok = true;
    let mut fail = |path: String, message: String, ok: &mut bool| {
        *ok = false;
        push(path, message);
    };
    if !valid_elb_name(&spec.name) {
        fail(
            format!("{at}.name"),
            format!(
                "{} is not a target group name: 1-32 letters, digits or hyphens, not starting or ending with a hyphen",
                cut(&spec.name)
            ),
            &mut ok,
        );
    }
    if !(1..=65_535).contains(&spec.port) {
        fail(
            format!("{at}.port"),
            format!("must be from 1 to 65535, found {}", spec.port),
            &mut ok,
        );
    }
    let check = spec.health_check.clone().unwrap_or_default();
    let hc = format!("{at}.healthCheck");
    let before = ok;
    let mut local = Vec::new();
    let mut collect = |path: String, message: String| local.push((path, message));
    let interval = in_range(
        &mut collect,
        format!("{hc}.intervalSeconds"),
        check.interval_seconds,
        5..=300,
        30,
    );
    let timeout_default = if spec.protocol == Protocol::Http {
        6
    } else {
        10
    };
    let timeout = in_range(
        &mut collect,
        format!("{hc}.timeoutSeconds"),
        check.timeout_seconds,
        2..=120,
        timeout_default,
    );
    let healthy = in_range(
        &mut collect,
        format!("{hc}.healthyThresholdCount"),
        check.healthy_threshold_count,
        2..=10,
        5,
    );
    let unhealthy = in_range(
        &mut collect,
        format!("{hc}.unhealthyThresholdCount"),
        check.unhealthy_threshold_count,
        2..=10,
        2,
    );
    let path = check.path.clone().unwrap_or_else(|| "/".into());
    if !(1..=1024).contains(&path.len()) || !path.starts_with('/') {
        collect(
            format!("{hc}.path"),
            "must be 1-1024 characters starting with /".into(),
        );
    }
    if check.path.is_some() && !spec.protocol.is_application() {
        collect(
            format!("{hc}.path"),
            format!(
                "Health check path is only supported for HTTP and HTTPS health checks, not {}",
                spec.protocol.as_str()
            ),
        );
    }
    if timeout >= interval && (check.interval_seconds.is_some() || check.timeout_seconds.is_some())
    {
        collect(
            format!("{hc}.timeoutSeconds"),
            format!(
                "Health check timeout '{timeout}' must be smaller than the interval '{interval}'"
            ),
        );
    }
    let attributes = spec.attributes.clone().unwrap_or_default();
    let attr = format!("{at}.attributes");
    let delay = in_range(
        &mut collect,
        format!("{attr}.deregistrationDelaySeconds"),
        attributes.deregistration_delay_seconds,
        0..=3600,
        300,
    );
    let slow_start = match attributes.slow_start_seconds {
        Some(s) if s != 0 && !(30..=900).contains(&s) => {
            collect(
                format!("{attr}.slowStartSeconds"),
                format!("must be 0 (off) or from 30 to 900, found {s}"),
            );
            0
        }
        s => s.unwrap_or(0),
    };
    if attributes.algorithm == Some(Algorithm::LeastOutstandingRequests)
        && !spec.protocol.is_application()
    {
        collect(
            format!("{attr}.algorithm"),
            "least_outstanding_requests is an Application Load Balancer algorithm (HTTP or HTTPS target groups)".into(),
        );
    }
    if slow_start > 0 && !spec.protocol.is_application() {
        collect(
            format!("{attr}.slowStartSeconds"),
            "slow start is an Application Load Balancer attribute (HTTP or HTTPS target groups)"
                .into(),
        );
    }
    let local_ok = local.is_empty();
    for (path, message) in local {
        push(path, message);
    }
    (before && ok && local_ok).then(|| TargetGroupConfig {
        name: spec.name.clone(),
        target_type: spec.target_type.unwrap_or_default(),
        protocol: spec.protocol,
        port: spec.port as u16,
        health_check: HealthCheckSettings {
            interval_ms: u64::from(interval) * 1000,
            timeout_ms: u64::from(timeout) * 1000,
            healthy_threshold: healthy,
            unhealthy_threshold: unhealthy,
            path,
        },
        deregistration_delay_ms: u64::from(delay) * 1000,
        slow_start_ms: u64::from(slow_start) * 1000,
        algorithm: attributes.algorithm.unwrap_or_default(),
    })
}

fn load_balancer(
    spec: &LoadBalancerSpec,
    at: &str,
    group_ids: &SortedMap<&str, TargetGroupId>,
    groups: &[TargetGroupSpec],
    push: &mut impl FnMut(String, String),
) -> Option<LoadBalancerConfig> {
    let mut ok = true;
    let mut fail = |path: String, message: String| {
        ok = false;
        push(path, message);
    };
    if !valid_elb_name(&spec.name) || spec.name.starts_with("internal-") {
        fail(
            format!("{at}.name"),
            format!(
                "{} is not a load balancer name: 1-32 letters, digits or hyphens, not starting or ending with a hyphen or with internal-",
                cut(&spec.name)
            ),
        );
    }
    let kind = spec.kind.unwrap_or_default();
    if spec.listeners.len() > LISTENERS_MAX {
        fail(
            format!("{at}.listeners"),
            format!(
                "{} listeners; the limit is {LISTENERS_MAX}",
                spec.listeners.len()
            ),
        );
    }
    let mut ports = SortedSet::new();
    let mut listeners = Vec::new();
    for (l, listener) in spec.listeners.iter().enumerate() {
        let at = format!("{at}.listeners[{l}]");
        if !(1..=65_535).contains(&listener.port) {
            fail(
                format!("{at}.port"),
                format!("must be from 1 to 65535, found {}", listener.port),
            );
        } else if !ports.insert(listener.port) {
            fail(
                format!("{at}.port"),
                format!("A listener already exists on port {}", listener.port),
            );
        }
        if listener.protocol.is_application() != (kind == LoadBalancerType::Application) {
            fail(
                format!("{at}.protocol"),
                format!(
                    "Listener protocol '{}' is not supported by {} Load Balancers",
                    listener.protocol.as_str(),
                    if kind == LoadBalancerType::Application {
                        "Application"
                    } else {
                        "Network"
                    }
                ),
            );
        }
        if kind == LoadBalancerType::Network && !listener.rules.is_empty() {
            fail(
                format!("{at}.rules"),
                "Network Load Balancer listeners have no rules; use defaultForward".into(),
            );
        }
        if listener.rules.len() > RULES_MAX {
            fail(
                format!("{at}.rules"),
                format!("{} rules; the limit is {RULES_MAX}", listener.rules.len()),
            );
        }
        let forwards = |path: String,
                        specs: &[ForwardSpec],
                        fail: &mut dyn FnMut(String, String)| {
            let mut compiled = Vec::new();
            if specs.is_empty() || specs.len() > FORWARDS_MAX {
                fail(
                    path.clone(),
                    format!(
                        "name 1 to {FORWARDS_MAX} target groups to forward to, found {}",
                        specs.len()
                    ),
                );
            }
            let mut seen = SortedSet::new();
            for (f, forward) in specs.iter().enumerate() {
                let at = format!("{path}[{f}]");
                let weight = forward.weight.unwrap_or(1);
                if weight > 999 {
                    fail(
                        format!("{at}.weight"),
                        format!("must be from 0 to 999, found {weight}"),
                    );
                }
                match group_ids.get(forward.target_group.as_str()) {
                    None => fail(
                        format!("{at}.targetGroup"),
                        format!(
                            "no target group named {} in targetGroups",
                            cut(&forward.target_group)
                        ),
                    ),
                    Some(&id) if !seen.insert(id) => fail(
                        format!("{at}.targetGroup"),
                        format!(
                            "target group '{}' is named twice in one forward action",
                            forward.target_group
                        ),
                    ),
                    Some(&id) => {
                        let group = &groups[id.0 as usize];
                        if group.protocol.is_application()
                            != (kind == LoadBalancerType::Application)
                        {
                            fail(
                                format!("{at}.targetGroup"),
                                format!(
                                    "The protocol of target group '{}' ({}) is not supported by this load balancer's type",
                                    group.name,
                                    group.protocol.as_str()
                                ),
                            );
                        }
                        compiled.push(Forward {
                            target_group: id,
                            weight: weight.min(999),
                        });
                    }
                }
            }
            compiled
        };
        let default_forward = forwards(
            format!("{at}.defaultForward"),
            &listener.default_forward,
            &mut fail,
        );
        let mut priorities = SortedSet::new();
        let mut rules = Vec::new();
        for (r, rule) in listener.rules.iter().enumerate() {
            let at = format!("{at}.rules[{r}]");
            if !(1..=50_000).contains(&rule.priority) {
                fail(
                    format!("{at}.priority"),
                    format!("must be from 1 to 50000, found {}", rule.priority),
                );
            } else if !priorities.insert(rule.priority) {
                fail(
                    format!("{at}.priority"),
                    format!("Priority '{}' is currently in use", rule.priority),
                );
            }
            if rule.conditions.is_empty() {
                fail(
                    format!("{at}.conditions"),
                    "a rule needs at least one condition".into(),
                );
            }
            let mut conditions = Vec::new();
            for (c, condition) in rule.conditions.iter().enumerate() {
                let at = format!("{at}.conditions[{c}]");
                match (&condition.path_pattern, &condition.host_header) {
                    (Some(p), None) if (1..=128).contains(&p.len()) => {
                        conditions.push(RuleCondition::PathPattern(p.clone()))
                    }
                    (None, Some(h)) if (1..=128).contains(&h.len()) => {
                        conditions.push(RuleCondition::HostHeader(h.clone()))
                    }
                    (Some(_), None) | (None, Some(_)) => {
                        fail(at, "a condition value must be 1-128 characters".into())
                    }
                    _ => fail(at, "give exactly one of pathPattern or hostHeader".into()),
                }
            }
            let forward = forwards(format!("{at}.forward"), &rule.forward, &mut fail);
            rules.push(ListenerRule {
                priority: rule.priority,
                conditions,
                forward,
            });
        }
        crate::compact::sort_by_key(&mut rules, |rule| rule.priority);
        listeners.push(Listener {
            port: listener.port.min(65_535) as u16,
            protocol: listener.protocol,
            rules,
            default_forward,
        });
    }
    ok.then(|| LoadBalancerConfig {
        name: spec.name.clone(),
        kind,
        listeners,
    })
}
