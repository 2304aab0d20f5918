//! Import of the discovery documents (ecs-semantics §5) into the scenario's `targetGroups`,
//! `loadBalancers`, `route53` and `cloudMap`: the request bodies the export writes beside the
//! ECS bodies (elbv2 CreateTargetGroup, ModifyTargetGroupAttributes, CreateLoadBalancer,
//! CreateListener, CreateRule; route53 CreateHostedZone, ChangeResourceRecordSets;
//! servicediscovery CreatePrivateDnsNamespace, CreateHttpNamespace, CreateService) and the
//! output of `aws elbv2 describe-target-groups` (target groups with their health check) and
//! `describe-target-health` (runtime state: noted, not imported).
//!
//! References between them resolve through the placeholders the export writes
//! (`export::discovery_requests`): a target group by its ARN's name part, a load balancer by
//! its ARN's name, a listener by its load balancer and port, a hosted zone and a namespace by
//! their placeholder ids, an alias target by the load balancer name its DNS name starts with.
//! A reference that resolves to nothing imported is an error with its path. Members the
//! sandbox has no use for (the VPC, subnets, caller references) are noted, never silently
//! dropped.

use super::{DocumentKind, Importer, NoteKind, Part};
use crate::discovery::{DnsRecordType, Protocol, RecordType, RoutingPolicy, TargetType};
use crate::export::discovery_requests::{namespace_id, zone_id, DNS_NAME_SUFFIX};
use crate::json_input::cut;
use crate::problem::join_path as join;
use crate::scenario::{
    target_group_name_of, AliasSpec, CloudMapServiceSpec, ConditionSpec, CustomHealthSpec,
    DnsRecordSpec, ForwardSpec, HealthCheckSpec, HostedZoneSpec, ListenerSpec, LoadBalancerSpec,
    NamespaceSpec, RecordSpec, RuleSpec, TargetGroupAttributes, TargetGroupSpec,
};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Recognises a discovery document by its (PascalCase) top-level members.
pub(super) fn detect(object: &Map<String, Value>) -> Option<DocumentKind> {
    let has = |key: &str| object.contains_key(key);
    Some(if has("TargetGroups") {
        DocumentKind::DescribeTargetGroups
    } else if has("TargetHealthDescriptions") {
        DocumentKind::DescribeTargetHealth
    } else if has("TargetGroupArn") && has("Attributes") {
        DocumentKind::ModifyTargetGroupAttributes
    } else if has("LoadBalancerArn") && has("DefaultActions") {
        DocumentKind::CreateListener
    } else if has("ListenerArn") && has("Actions") {
        DocumentKind::CreateRule
    } else if has("HostedZoneId") && has("ChangeBatch") {
        DocumentKind::ChangeResourceRecordSets
    } else if has("Name") && has("CallerReference") {
        DocumentKind::CreateHostedZone
    } else if has("Name") && (has("Subnets") || has("SubnetMappings")) {
        DocumentKind::CreateLoadBalancer
    } else if has("Name") && has("Protocol") {
        DocumentKind::CreateTargetGroup
    } else if has("Name") && has("Vpc") {
        DocumentKind::CreatePrivateDnsNamespace
    } else if has("Name") && has("NamespaceId") {
        DocumentKind::CreateDiscoveryService
    } else if has("Name") && has("CreatorRequestId") {
        DocumentKind::CreateHttpNamespace
    } else {
        return None;
    })
}

/// A bundle entry's operation (and `api`, which tells servicediscovery's CreateService from
/// ECS's) as a document kind.
pub(super) fn bundle_kind(operation: &str, api: Option<&str>) -> Option<DocumentKind> {
    Some(match (operation, api) {
        ("CreateService", Some("servicediscovery")) => DocumentKind::CreateDiscoveryService,
        ("CreateTargetGroup", _) => DocumentKind::CreateTargetGroup,
        ("ModifyTargetGroupAttributes", _) => DocumentKind::ModifyTargetGroupAttributes,
        ("CreateLoadBalancer", _) => DocumentKind::CreateLoadBalancer,
        ("CreateListener", _) => DocumentKind::CreateListener,
        ("CreateRule", _) => DocumentKind::CreateRule,
        ("CreateHostedZone", _) => DocumentKind::CreateHostedZone,
        ("ChangeResourceRecordSets", _) => DocumentKind::ChangeResourceRecordSets,
        ("CreatePrivateDnsNamespace", _) => DocumentKind::CreatePrivateDnsNamespace,
        ("CreateHttpNamespace", _) => DocumentKind::CreateHttpNamespace,
        _ => return None,
    })
}

/// Members the sandbox has no use for: `(member, why)`, noted as defaults when present.
const PLACEHOLDERS: [(&str, &str); 6] = [
    ("VpcId", "the sandbox has one VPC"),
    ("Vpc", "the sandbox has one VPC"),
    (
        "Subnets",
        "the sandbox's load balancers reach every zone of the fleet",
    ),
    ("CallerReference", "a request id, not state"),
    ("CreatorRequestId", "a request id, not state"),
    ("Description", "a description, not modelled"),
];

/// describe-target-groups members that no request takes.
const TARGET_GROUP_READ_ONLY: [&str; 7] = [
    "TargetGroupArn",
    "LoadBalancerArns",
    "HealthCheckProtocol",
    "HealthCheckEnabled",
    "Matcher",
    "IpAddressType",
    "ProtocolVersion",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TargetGroupInput {
    #[serde(alias = "TargetGroupName")]
    name: String,
    protocol: Protocol,
    port: u32,
    #[serde(default)]
    target_type: Option<TargetType>,
    #[serde(default)]
    health_check_path: Option<String>,
    #[serde(default)]
    health_check_interval_seconds: Option<u32>,
    #[serde(default)]
    health_check_timeout_seconds: Option<u32>,
    #[serde(default)]
    healthy_threshold_count: Option<u32>,
    #[serde(default)]
    unhealthy_threshold_count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributesInput {
    target_group_arn: String,
    attributes: Vec<KeyValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct KeyValue {
    key: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct LoadBalancerInput {
    name: String,
    #[serde(default, rename = "Type")]
    kind: Option<crate::discovery::LoadBalancerType>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListenerInput {
    load_balancer_arn: String,
    protocol: Protocol,
    port: u32,
    default_actions: Vec<ActionInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RuleInput {
    listener_arn: String,
    priority: u32,
    conditions: Vec<ConditionInput>,
    actions: Vec<ActionInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ActionInput {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    target_group_arn: Option<String>,
    #[serde(default)]
    forward_config: Option<ForwardConfigInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ForwardConfigInput {
    target_groups: Vec<WeightedInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct WeightedInput {
    target_group_arn: String,
    #[serde(default)]
    weight: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ConditionInput {
    field: String,
    #[serde(default)]
    path_pattern_config: Option<ValuesInput>,
    #[serde(default)]
    host_header_config: Option<ValuesInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ValuesInput {
    values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HostedZoneInput {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ChangesInput {
    hosted_zone_id: String,
    change_batch: ChangeBatchInput,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ChangeBatchInput {
    changes: Vec<ChangeInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ChangeInput {
    action: String,
    resource_record_set: RecordInput,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RecordInput {
    name: String,
    #[serde(rename = "Type")]
    kind: RecordType,
    #[serde(default)]
    set_identifier: Option<String>,
    #[serde(default)]
    weight: Option<u32>,
    #[serde(default, rename = "TTL")]
    ttl: Option<u32>,
    #[serde(default)]
    resource_records: Option<Vec<ResourceRecordInput>>,
    #[serde(default)]
    alias_target: Option<AliasInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ResourceRecordInput {
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AliasInput {
    #[serde(rename = "DNSName")]
    dns_name: String,
    #[serde(default)]
    #[allow(dead_code)]
    hosted_zone_id: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    evaluate_target_health: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct NamespaceInput {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DiscoveryServiceInput {
    name: String,
    namespace_id: String,
    #[serde(default)]
    dns_config: Option<DnsConfigInput>,
    #[serde(default)]
    health_check_custom_config: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DnsConfigInput {
    #[serde(default)]
    routing_policy: Option<RoutingPolicy>,
    dns_records: Vec<DnsRecordInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DnsRecordInput {
    #[serde(rename = "Type")]
    kind: DnsRecordType,
    #[serde(rename = "TTL")]
    ttl: u32,
}

impl Importer {
    /// Imports `part` if it is a discovery document of `stage`: 0 target groups, load
    /// balancers, hosted zones, namespaces; 1 what names those (attributes, listeners, record
    /// sets, Cloud Map services, target health); 2 listener rules.
    pub(super) fn discovery(&mut self, stage: u8, part: &Part) {
        let (document, prefix) = (part.document.as_str(), part.path.as_str());
        let value = part.value.clone();
        match (stage, part.kind) {
            (0, DocumentKind::CreateTargetGroup) => self.target_group(document, prefix, value),
            (0, DocumentKind::DescribeTargetGroups) => {
                let Some(Value::Array(groups)) = value.get("TargetGroups") else {
                    return self.error(document, join(prefix, "TargetGroups"), "expected an array");
                };
                for (index, group) in groups.iter().enumerate() {
                    let at = format!("{}[{index}]", join(prefix, "TargetGroups"));
                    self.target_group(document, &at, group.clone());
                }
            }
            (0, DocumentKind::CreateLoadBalancer) => self.load_balancer(document, prefix, value),
            (0, DocumentKind::CreateHostedZone) => {
                let value = self.placeholders(document, prefix, value);
                if let Some(zone) = self.typed::<HostedZoneInput>(document, prefix, value) {
                    let spec = HostedZoneSpec {
                        name: zone.name,
                        records: Vec::new(),
                    };
                    let zones = &mut self.scenario.route53.hosted_zones;
                    match zones.iter_mut().find(|z| z.name == spec.name) {
                        Some(existing) => *existing = spec,
                        None => zones.push(spec),
                    }
                }
            }
            (0, DocumentKind::CreatePrivateDnsNamespace | DocumentKind::CreateHttpNamespace) => {
                let kind = if part.kind == DocumentKind::CreateHttpNamespace {
                    crate::discovery::NamespaceType::Http
                } else {
                    crate::discovery::NamespaceType::DnsPrivate
                };
                let value = self.placeholders(document, prefix, value);
                if let Some(namespace) = self.typed::<NamespaceInput>(document, prefix, value) {
                    let spec = NamespaceSpec {
                        name: namespace.name,
                        kind,
                        services: Vec::new(),
                    };
                    let all = &mut self.scenario.cloud_map.namespaces;
                    match all.iter_mut().find(|n| n.name == spec.name) {
                        Some(existing) => *existing = spec,
                        None => all.push(spec),
                    }
                }
            }
            (1, DocumentKind::ModifyTargetGroupAttributes) => {
                self.attributes(document, prefix, value)
            }
            (1, DocumentKind::CreateListener) => self.listener(document, prefix, value),
            (1, DocumentKind::ChangeResourceRecordSets) => self.records(document, prefix, value),
            (1, DocumentKind::CreateDiscoveryService) => {
                self.discovery_service(document, prefix, value)
            }
            (1, DocumentKind::DescribeTargetHealth) => self.note(
                document,
                join(prefix, "TargetHealthDescriptions"),
                NoteKind::NotState,
                "target health is runtime state: the sandbox's targets register and pass their \
                 health checks as the run goes",
            ),
            (2, DocumentKind::CreateRule) => self.rule(document, prefix, value),
            _ => {}
        }
    }

    /// Removes and notes the members in [`PLACEHOLDERS`].
    fn placeholders(&mut self, document: &str, prefix: &str, mut value: Value) -> Value {
        if let Value::Object(object) = &mut value {
            for (key, why) in PLACEHOLDERS {
                if object.remove(key).is_some() {
                    self.note(document, join(prefix, key), NoteKind::Default, why);
                }
            }
        }
        value
    }

    fn target_group(&mut self, document: &str, prefix: &str, mut value: Value) {
        if let Value::Object(object) = &mut value {
            for key in TARGET_GROUP_READ_ONLY {
                if object.remove(key).is_some() {
                    self.note(
                        document,
                        join(prefix, key),
                        NoteKind::ReadOnly,
                        "reported by describe-target-groups, taken by no request",
                    );
                }
            }
            match object.remove("HealthCheckPort") {
                Some(Value::String(port)) if port == "traffic-port" => self.note(
                    document,
                    join(prefix, "HealthCheckPort"),
                    NoteKind::Default,
                    "traffic-port is the default",
                ),
                Some(_) => self.note(
                    document,
                    join(prefix, "HealthCheckPort"),
                    NoteKind::Unsupported,
                    "the sandbox checks targets on their traffic port",
                ),
                None => {}
            }
        }
        let value = self.placeholders(document, prefix, value);
        let Some(input) = self.typed::<TargetGroupInput>(document, prefix, value) else {
            return;
        };
        let check = HealthCheckSpec {
            interval_seconds: input.health_check_interval_seconds,
            timeout_seconds: input.health_check_timeout_seconds,
            healthy_threshold_count: input.healthy_threshold_count,
            unhealthy_threshold_count: input.unhealthy_threshold_count,
            path: input.health_check_path,
        };
        let groups = &mut self.scenario.target_groups;
        let existing = groups.iter().position(|g| g.name == input.name);
        let spec = TargetGroupSpec {
            name: input.name,
            target_type: input.target_type,
            protocol: input.protocol,
            port: input.port,
            health_check: (check != HealthCheckSpec::default()).then_some(check),
            // Attributes come from ModifyTargetGroupAttributes; a replaced group keeps its own.
            attributes: existing.and_then(|i| groups[i].attributes.clone()),
        };
        match existing {
            Some(index) => groups[index] = spec,
            None => groups.push(spec),
        }
    }

    fn attributes(&mut self, document: &str, prefix: &str, value: Value) {
        let Some(input) = self.typed::<AttributesInput>(document, prefix, value) else {
            return;
        };
        let Some(index) = self.group_index(
            document,
            &join(prefix, "TargetGroupArn"),
            &input.target_group_arn,
        ) else {
            return;
        };
        let mut attributes = self.scenario.target_groups[index]
            .attributes
            .clone()
            .unwrap_or_default();
        for (i, pair) in input.attributes.iter().enumerate() {
            let at = format!("{}[{i}].Value", join(prefix, "Attributes"));
            let seconds = || pair.value.parse::<u32>().ok();
            match pair.key.as_str() {
                crate::export::elb::DEREGISTRATION_DELAY => match seconds() {
                    Some(s) => attributes.deregistration_delay_seconds = Some(s),
                    None => self.error(
                        document,
                        at,
                        format!("expected whole seconds, found {}", cut(&pair.value)),
                    ),
                },
                crate::export::elb::SLOW_START => match seconds() {
                    Some(s) => attributes.slow_start_seconds = Some(s),
                    None => self.error(
                        document,
                        at,
                        format!("expected whole seconds, found {}", cut(&pair.value)),
                    ),
                },
                crate::export::elb::ALGORITHM => {
                    match serde_json::from_value(Value::String(pair.value.clone())) {
                        Ok(algorithm) => attributes.algorithm = Some(algorithm),
                        Err(_) => self.error(
                            document,
                            at,
                            format!(
                                "expected round_robin or least_outstanding_requests, found {}",
                                cut(&pair.value)
                            ),
                        ),
                    }
                }
                _ => self.note(
                    document,
                    format!("{}[{i}]", join(prefix, "Attributes")),
                    NoteKind::Unsupported,
                    format!(
                        "the attribute {} is not modelled by the sandbox",
                        cut(&pair.key)
                    ),
                ),
            }
        }
        self.scenario.target_groups[index].attributes =
            (attributes != TargetGroupAttributes::default()).then_some(attributes);
    }

    fn group_index(&mut self, document: &str, path: &str, arn: &str) -> Option<usize> {
        let name = match target_group_name_of(arn) {
            Ok(name) => name,
            Err(message) => {
                self.error(document, path.to_string(), message);
                return None;
            }
        };
        let found = self
            .scenario
            .target_groups
            .iter()
            .position(|g| g.name == name);
        if found.is_none() {
            self.error(
                document,
                path.to_string(),
                format!("no target group named {} is imported; import its create-target-group body or describe-target-groups output beside it", cut(name)),
            );
        }
        found
    }

    fn load_balancer(&mut self, document: &str, prefix: &str, value: Value) {
        let value = self.placeholders(document, prefix, value);
        let Some(input) = self.typed::<LoadBalancerInput>(document, prefix, value) else {
            return;
        };
        let spec = LoadBalancerSpec {
            name: input.name,
            kind: input.kind,
            listeners: Vec::new(),
        };
        let all = &mut self.scenario.load_balancers;
        match all.iter_mut().find(|b| b.name == spec.name) {
            Some(existing) => *existing = spec,
            None => all.push(spec),
        }
    }

    /// `loadbalancer/app/<name>/<id>` or `listener/app/<name>/<id>/<port hex>` → the load
    /// balancer's index (and the port).
    fn balancer_of(
        &mut self,
        document: &str,
        path: &str,
        arn: &str,
        listener: bool,
    ) -> Option<(usize, u32)> {
        let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
        let parts: Vec<&str> = resource.split('/').collect();
        let parsed = match (listener, parts.as_slice()) {
            (false, ["loadbalancer", "app" | "net", name, _]) => Some((*name, 0)),
            (true, ["listener", "app" | "net", name, _, port]) => {
                u32::from_str_radix(port, 16).ok().map(|p| (*name, p))
            }
            _ => None,
        };
        let Some((name, port)) = parsed else {
            self.error(
                document,
                path.to_string(),
                format!(
                    "{} is not a {} ARN the export writes",
                    cut(arn),
                    if listener {
                        "listener"
                    } else {
                        "load balancer"
                    }
                ),
            );
            return None;
        };
        match self
            .scenario
            .load_balancers
            .iter()
            .position(|b| b.name == name)
        {
            Some(index) => Some((index, port)),
            None => {
                self.error(document, path.to_string(), format!("no load balancer named {} is imported; import its create-load-balancer body beside it", cut(name)));
                None
            }
        }
    }

    fn forwards(
        &mut self,
        document: &str,
        path: &str,
        actions: &[ActionInput],
    ) -> Option<Vec<ForwardSpec>> {
        let [action] = actions else {
            self.error(
                document,
                path.to_string(),
                format!(
                    "the sandbox models one forward action, found {}",
                    actions.len()
                ),
            );
            return None;
        };
        if action.kind != "forward" {
            self.error(
                document,
                format!("{path}[0].Type"),
                format!(
                    "only forward actions are modelled, found {}",
                    cut(&action.kind)
                ),
            );
            return None;
        }
        let mut out = Vec::new();
        let weighted: Vec<(String, Option<u32>)> =
            match (&action.forward_config, &action.target_group_arn) {
                (Some(config), _) => config
                    .target_groups
                    .iter()
                    .map(|g| (g.target_group_arn.clone(), g.weight))
                    .collect(),
                (None, Some(arn)) => vec![(arn.clone(), None)],
                (None, None) => {
                    self.error(
                    document,
                    format!("{path}[0]"),
                    "a forward action names its target groups in ForwardConfig or TargetGroupArn",
                );
                    return None;
                }
            };
        for (i, (arn, weight)) in weighted.iter().enumerate() {
            let at = format!("{path}[0].ForwardConfig.TargetGroups[{i}].TargetGroupArn");
            let index = self.group_index(document, &at, arn)?;
            out.push(ForwardSpec {
                target_group: self.scenario.target_groups[index].name.clone(),
                weight: *weight,
            });
        }
        Some(out)
    }

    fn listener(&mut self, document: &str, prefix: &str, value: Value) {
        let Some(input) = self.typed::<ListenerInput>(document, prefix, value) else {
            return;
        };
        let Some((index, _)) = self.balancer_of(
            document,
            &join(prefix, "LoadBalancerArn"),
            &input.load_balancer_arn,
            false,
        ) else {
            return;
        };
        let Some(default_forward) = self.forwards(
            document,
            &join(prefix, "DefaultActions"),
            &input.default_actions,
        ) else {
            return;
        };
        let spec = ListenerSpec {
            port: input.port,
            protocol: input.protocol,
            rules: Vec::new(),
            default_forward,
        };
        let listeners = &mut self.scenario.load_balancers[index].listeners;
        match listeners.iter_mut().find(|l| l.port == spec.port) {
            Some(existing) => *existing = spec,
            None => listeners.push(spec),
        }
    }

    fn rule(&mut self, document: &str, prefix: &str, value: Value) {
        let Some(input) = self.typed::<RuleInput>(document, prefix, value) else {
            return;
        };
        let path = join(prefix, "ListenerArn");
        let Some((index, port)) = self.balancer_of(document, &path, &input.listener_arn, true)
        else {
            return;
        };
        let Some(listener) = self.scenario.load_balancers[index]
            .listeners
            .iter()
            .position(|l| l.port == port)
        else {
            return self.error(document, path, format!("no listener on port {port} is imported; import its create-listener body beside it"));
        };
        let mut conditions = Vec::new();
        for (i, condition) in input.conditions.iter().enumerate() {
            let at = format!("{}[{i}]", join(prefix, "Conditions"));
            let (config, member) = match condition.field.as_str() {
                "path-pattern" => (&condition.path_pattern_config, "PathPatternConfig"),
                "host-header" => (&condition.host_header_config, "HostHeaderConfig"),
                other => {
                    self.error(
                        document,
                        format!("{at}.Field"),
                        format!(
                            "path-pattern and host-header are modelled, found {}",
                            cut(other)
                        ),
                    );
                    continue;
                }
            };
            match config.as_ref().map(|c| c.values.as_slice()) {
                Some([value]) => conditions.push(if member == "PathPatternConfig" {
                    ConditionSpec {
                        path_pattern: Some(value.clone()),
                        host_header: None,
                    }
                } else {
                    ConditionSpec {
                        path_pattern: None,
                        host_header: Some(value.clone()),
                    }
                }),
                _ => self.error(
                    document,
                    format!("{at}.{member}.Values"),
                    "the sandbox models exactly one value per condition",
                ),
            }
        }
        let Some(forward) = self.forwards(document, &join(prefix, "Actions"), &input.actions)
        else {
            return;
        };
        let spec = RuleSpec {
            priority: input.priority,
            conditions,
            forward,
        };
        let rules = &mut self.scenario.load_balancers[index].listeners[listener].rules;
        match rules.iter_mut().find(|r| r.priority == spec.priority) {
            Some(existing) => *existing = spec,
            None => rules.push(spec),
        }
    }

    fn records(&mut self, document: &str, prefix: &str, value: Value) {
        let Some(input) = self.typed::<ChangesInput>(document, prefix, value) else {
            return;
        };
        let id = input.hosted_zone_id.trim_start_matches("/hostedzone/");
        let Some(zone) = self
            .scenario
            .route53
            .hosted_zones
            .iter()
            .position(|z| zone_id(&z.name) == id)
        else {
            return self.error(document, join(prefix, "HostedZoneId"), format!("no hosted zone imported has the id {}; import its create-hosted-zone body beside it", cut(id)));
        };
        let changes = join(&join(prefix, "ChangeBatch"), "Changes");
        for (i, change) in input.change_batch.changes.into_iter().enumerate() {
            let at = format!("{changes}[{i}]");
            if change.action != "CREATE" && change.action != "UPSERT" {
                self.error(
                    document,
                    format!("{at}.Action"),
                    format!(
                        "CREATE and UPSERT are imported, found {}",
                        cut(&change.action)
                    ),
                );
                continue;
            }
            let record = change.resource_record_set;
            let set = join(&at, "ResourceRecordSet");
            let value = match record.resource_records.as_deref() {
                None => None,
                Some([one]) => Some(one.value.clone()),
                Some(_) => {
                    self.error(
                        document,
                        join(&set, "ResourceRecords"),
                        "the sandbox models one value per record",
                    );
                    continue;
                }
            };
            let alias = match &record.alias_target {
                None => None,
                Some(target) => {
                    let name = target.dns_name.strip_suffix(DNS_NAME_SUFFIX).or_else(|| {
                        target
                            .dns_name
                            .split('.')
                            .next()
                            .and_then(|label| label.rsplit_once('-'))
                            .map(|(n, _)| n)
                    });
                    match name.filter(|n| self.scenario.load_balancers.iter().any(|b| b.name == *n))
                    {
                        Some(name) => Some(AliasSpec {
                            load_balancer: name.to_string(),
                        }),
                        None => {
                            self.error(
                                document,
                                join(&join(&set, "AliasTarget"), "DNSName"),
                                format!(
                                    "{} names no imported load balancer",
                                    cut(&target.dns_name)
                                ),
                            );
                            continue;
                        }
                    }
                }
            };
            self.scenario.route53.hosted_zones[zone]
                .records
                .push(RecordSpec {
                    name: record.name,
                    kind: record.kind,
                    set_identifier: record.set_identifier,
                    weight: record.weight,
                    ttl: record.ttl,
                    alias,
                    value,
                });
        }
    }

    fn discovery_service(&mut self, document: &str, prefix: &str, value: Value) {
        let value = self.placeholders(document, prefix, value);
        let Some(input) = self.typed::<DiscoveryServiceInput>(document, prefix, value) else {
            return;
        };
        let Some(namespace) = self
            .scenario
            .cloud_map
            .namespaces
            .iter()
            .position(|n| namespace_id(&n.name) == input.namespace_id)
        else {
            return self.error(document, join(prefix, "NamespaceId"), format!("no namespace imported has the id {}; import its create-private-dns-namespace or create-http-namespace body beside it", cut(&input.namespace_id)));
        };
        let health = match input.health_check_custom_config {
            None => None,
            Some(Value::Object(members)) => {
                if !members.is_empty() {
                    self.note(
                        document,
                        join(prefix, "HealthCheckCustomConfig"),
                        NoteKind::Default,
                        "FailureThreshold is fixed at 1 by Cloud Map",
                    );
                }
                Some(CustomHealthSpec {})
            }
            Some(_) => {
                return self.error(
                    document,
                    join(prefix, "HealthCheckCustomConfig"),
                    "expected an object",
                )
            }
        };
        let (routing_policy, dns_records) = match input.dns_config {
            None => (None, Vec::new()),
            Some(config) => (
                config.routing_policy,
                config
                    .dns_records
                    .into_iter()
                    .map(|r| DnsRecordSpec {
                        kind: r.kind,
                        ttl: r.ttl,
                    })
                    .collect(),
            ),
        };
        let spec = CloudMapServiceSpec {
            name: input.name,
            dns_records,
            routing_policy,
            health_check_custom_config: health,
        };
        let services = &mut self.scenario.cloud_map.namespaces[namespace].services;
        match services.iter_mut().find(|s| s.name == spec.name) {
            Some(existing) => *existing = spec,
            None => services.push(spec),
        }
    }
}
