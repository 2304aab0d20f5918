//! AWS CLI request bodies for the discovery members, beside the ECS bodies and in the order to
//! apply them: elbv2 (CreateTargetGroup, ModifyTargetGroupAttributes, CreateLoadBalancer,
//! CreateListener, CreateRule), route53 (CreateHostedZone, ChangeResourceRecordSets: one batch
//! of CREATE changes per zone) and servicediscovery (CreatePrivateDnsNamespace or
//! CreateHttpNamespace, CreateService), each exactly what `aws <api> <command> --cli-input-json`
//! takes.
//!
//! What AWS assigns at creation (ARNs, hosted zone and namespace ids, a load balancer's DNS
//! name) is written as a placeholder the manifest says to replace, chosen so that `import` can
//! read it back: a target group's ARN is the one the scenario's services name (else
//! `example_target_group_arn`), a load balancer's and a listener's ARN carry its name (and the
//! listener's port, in hex, as its id), a hosted zone id and a namespace id are `Z` / `ns-` and
//! the FNV-1a hash of the name ([`zone_id`], [`namespace_id`]), an alias target's DNS name starts
//! with the load balancer's name. The VPC and subnets are the sandbox's names (`vpc-flotilla`,
//! `subnet-<zone>`), as the ECS bodies name subnets.

use super::document::Node;
use super::ecs::{Body, EcsOperation};
use super::elb;
use crate::discovery::{LoadBalancerType, NamespaceType};
use crate::hash::fnv1a_64;
use crate::scenario::{example_target_group_arn, target_group_name_of, ForwardSpec, Scenario};
use std::collections::BTreeSet;

/// The VPC the bodies name: the sandbox has one.
pub const VPC_PLACEHOLDER: &str = "vpc-flotilla";
const ARN_PREFIX: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
const LOAD_BALANCER_ID: &str = "0123456789abcdef";
/// Route 53's hosted zone ids for us-east-1 load balancers (the alias target's zone).
pub const ALB_ZONE_US_EAST_1: &str = "Z35SXDOTRQ7X7K";
pub const NLB_ZONE_US_EAST_1: &str = "Z26RNL4JYFTOTI";
/// `<name>` + this is the DNS name an alias record points at.
pub const DNS_NAME_SUFFIX: &str = "-0123456789.us-east-1.elb.amazonaws.com";

/// `Z` and 16 hex digits of the name's hash: the placeholder id of a hosted zone.
pub fn zone_id(name: &str) -> String {
    format!("Z{:016X}", fnv1a_64(name.as_bytes()))
}

/// `ns-` and 16 hex digits of the name's hash: the placeholder id of a Cloud Map namespace.
pub fn namespace_id(name: &str) -> String {
    format!("ns-{:016x}", fnv1a_64(name.as_bytes()))
}

/// `loadbalancer/app/<name>/<id>` (or `net`).
pub fn load_balancer_arn(name: &str, kind: LoadBalancerType) -> String {
    format!(
        "{ARN_PREFIX}:loadbalancer/{}/{name}/{LOAD_BALANCER_ID}",
        short_kind(kind)
    )
}

/// `listener/app/<name>/<id>/<port in 16 hex digits>`.
pub fn listener_arn(name: &str, kind: LoadBalancerType, port: u32) -> String {
    format!(
        "{ARN_PREFIX}:listener/{}/{name}/{LOAD_BALANCER_ID}/{port:016x}",
        short_kind(kind)
    )
}

/// The ARN the bodies give a target group: the one the scenario's services name, so a user
/// replaces one ARN everywhere; else the example ARN.
pub fn target_group_arn(scenario: &Scenario, name: &str) -> String {
    scenario
        .services
        .iter()
        .flat_map(|s| &s.load_balancers)
        .filter_map(|b| b.target_group_arn.as_deref())
        .find(|arn| target_group_name_of(arn) == Ok(name))
        .map_or_else(|| example_target_group_arn(name), str::to_string)
}

pub(super) fn bodies(scenario: &Scenario) -> Vec<Body> {
    let mut out = Vec::new();
    let mut push = |operation, name: &str, body| {
        out.push(Body {
            operation,
            name: name.to_string(),
            at: None,
            revision: None,
            body,
        })
    };
    for group in &scenario.target_groups {
        let mut body = Node::map()
            .with("Name", Node::string(&group.name))
            .with("Protocol", Node::string(group.protocol.as_str()))
            .with("Port", Node::number(group.port.into()))
            .with("VpcId", Node::string(VPC_PLACEHOLDER))
            .with("HealthCheckPort", Node::string("traffic-port"));
        if let Some(check) = &group.health_check {
            if let Some(path) = &check.path {
                body.insert("HealthCheckPath", Node::string(path));
            }
            let mut put = |key: &str, value: Option<u32>| {
                if let Some(value) = value {
                    body.insert(key, Node::number(value.into()));
                }
            };
            put("HealthCheckIntervalSeconds", check.interval_seconds);
            put("HealthCheckTimeoutSeconds", check.timeout_seconds);
            put("HealthyThresholdCount", check.healthy_threshold_count);
            put("UnhealthyThresholdCount", check.unhealthy_threshold_count);
        }
        if let Some(kind) = group.target_type {
            body.insert("TargetType", Node::string(kind.as_str()));
        }
        push(EcsOperation::CreateTargetGroup, &group.name, body);
        let attributes = elb::attributes(group);
        if !attributes.is_empty() {
            let list = attributes
                .into_iter()
                .map(|(key, value)| {
                    Node::map()
                        .with("Key", Node::string(key))
                        .with("Value", Node::string(value))
                })
                .collect();
            push(
                EcsOperation::ModifyTargetGroupAttributes,
                &group.name,
                Node::map()
                    .with(
                        "TargetGroupArn",
                        Node::string(target_group_arn(scenario, &group.name)),
                    )
                    .with("Attributes", Node::List(list)),
            );
        }
    }
    let zones: BTreeSet<&str> = scenario
        .fleet
        .iter()
        .map(|e| e.availability_zone.as_str())
        .collect();
    let subnets: Vec<Node> = if zones.is_empty() {
        vec![
            Node::string("subnet-us-east-1a"),
            Node::string("subnet-us-east-1b"),
        ]
    } else {
        zones
            .iter()
            .map(|zone| Node::string(format!("subnet-{zone}")))
            .collect()
    };
    let forward = |forwards: &[ForwardSpec]| {
        let groups = forwards
            .iter()
            .map(|f| {
                let mut node = Node::map().with(
                    "TargetGroupArn",
                    Node::string(target_group_arn(scenario, &f.target_group)),
                );
                if let Some(weight) = f.weight {
                    node.insert("Weight", Node::number(weight.into()));
                }
                node
            })
            .collect();
        Node::List(vec![Node::map()
            .with("Type", Node::string("forward"))
            .with(
                "ForwardConfig",
                Node::map().with("TargetGroups", Node::List(groups)),
            )])
    };
    for balancer in &scenario.load_balancers {
        let kind = balancer.kind.unwrap_or_default();
        let mut body = Node::map()
            .with("Name", Node::string(&balancer.name))
            .with("Subnets", Node::List(subnets.clone()));
        if let Some(kind) = balancer.kind {
            body.insert("Type", Node::from_serialize(&kind));
        }
        push(EcsOperation::CreateLoadBalancer, &balancer.name, body);
        for listener in &balancer.listeners {
            let name = format!("{}-{}", balancer.name, listener.port);
            push(
                EcsOperation::CreateListener,
                &name,
                Node::map()
                    .with(
                        "LoadBalancerArn",
                        Node::string(load_balancer_arn(&balancer.name, kind)),
                    )
                    .with("Protocol", Node::string(listener.protocol.as_str()))
                    .with("Port", Node::number(listener.port.into()))
                    .with("DefaultActions", forward(&listener.default_forward)),
            );
            for rule in &listener.rules {
                let conditions = rule
                    .conditions
                    .iter()
                    .filter_map(|c| {
                        let (field, config, value) = match (&c.path_pattern, &c.host_header) {
                            (Some(path), _) => ("path-pattern", "PathPatternConfig", path),
                            (None, Some(host)) => ("host-header", "HostHeaderConfig", host),
                            (None, None) => return None,
                        };
                        Some(Node::map().with("Field", Node::string(field)).with(
                            config,
                            Node::map().with("Values", Node::List(vec![Node::string(value)])),
                        ))
                    })
                    .collect();
                push(
                    EcsOperation::CreateRule,
                    &format!("{name}-{}", rule.priority),
                    Node::map()
                        .with(
                            "ListenerArn",
                            Node::string(listener_arn(&balancer.name, kind, listener.port)),
                        )
                        .with("Conditions", Node::List(conditions))
                        .with("Priority", Node::number(rule.priority.into()))
                        .with("Actions", forward(&rule.forward)),
                );
            }
        }
    }
    for zone in &scenario.route53.hosted_zones {
        push(
            EcsOperation::CreateHostedZone,
            &zone.name,
            Node::map().with("Name", Node::string(&zone.name)).with(
                "CallerReference",
                Node::string(format!("flotilla-{}", zone.name)),
            ),
        );
        if zone.records.is_empty() {
            continue;
        }
        let changes = zone
            .records
            .iter()
            .map(|record| {
                let mut set = Node::map()
                    .with("Name", Node::string(&record.name))
                    .with("Type", Node::string(record.kind.as_str()));
                if let Some(id) = &record.set_identifier {
                    set.insert("SetIdentifier", Node::string(id));
                }
                if let Some(weight) = record.weight {
                    set.insert("Weight", Node::number(weight.into()));
                }
                if let Some(ttl) = record.ttl {
                    set.insert("TTL", Node::number(ttl.into()));
                }
                if let Some(value) = &record.value {
                    set.insert(
                        "ResourceRecords",
                        Node::List(vec![Node::map().with("Value", Node::string(value))]),
                    );
                }
                if let Some(alias) = &record.alias {
                    let kind = scenario
                        .load_balancers
                        .iter()
                        .find(|b| b.name == alias.load_balancer)
                        .and_then(|b| b.kind)
                        .unwrap_or_default();
                    let zone = match kind {
                        LoadBalancerType::Application => ALB_ZONE_US_EAST_1,
                        LoadBalancerType::Network => NLB_ZONE_US_EAST_1,
                    };
                    set.insert(
                        "AliasTarget",
                        Node::map()
                            .with("HostedZoneId", Node::string(zone))
                            .with(
                                "DNSName",
                                Node::string(format!("{}{DNS_NAME_SUFFIX}", alias.load_balancer)),
                            )
                            .with("EvaluateTargetHealth", Node::Bool(true)),
                    );
                }
                Node::map()
                    .with("Action", Node::string("CREATE"))
                    .with("ResourceRecordSet", set)
            })
            .collect();
        push(
            EcsOperation::ChangeResourceRecordSets,
            &zone.name,
            Node::map()
                .with("HostedZoneId", Node::string(zone_id(&zone.name)))
                .with(
                    "ChangeBatch",
                    Node::map().with("Changes", Node::List(changes)),
                ),
        );
    }
    for namespace in &scenario.cloud_map.namespaces {
        let mut body = Node::map()
            .with("Name", Node::string(&namespace.name))
            .with(
                "CreatorRequestId",
                Node::string(format!("flotilla-{}", namespace.name)),
            );
        let operation = match namespace.kind {
            NamespaceType::DnsPrivate => {
                body.insert("Vpc", Node::string(VPC_PLACEHOLDER));
                EcsOperation::CreatePrivateDnsNamespace
            }
            NamespaceType::Http => EcsOperation::CreateHttpNamespace,
        };
        push(operation, &namespace.name, body);
        for service in &namespace.services {
            let mut body = Node::map()
                .with("Name", Node::string(&service.name))
                .with("NamespaceId", Node::string(namespace_id(&namespace.name)));
            if !service.dns_records.is_empty() || service.routing_policy.is_some() {
                let mut config = Node::map();
                if let Some(policy) = service.routing_policy {
                    config.insert("RoutingPolicy", Node::from_serialize(&policy));
                }
                let records = service
                    .dns_records
                    .iter()
                    .map(|r| {
                        Node::map()
                            .with("Type", Node::from_serialize(&r.kind))
                            .with("TTL", Node::number(r.ttl.into()))
                    })
                    .collect();
                body.insert("DnsConfig", config.with("DnsRecords", Node::List(records)));
            }
            if service.health_check_custom_config.is_some() {
                body.insert("HealthCheckCustomConfig", Node::map());
            }
            push(
                EcsOperation::CreateDiscoveryService,
                &format!("{}-{}", service.name, namespace.name),
                body,
            );
        }
    }
    out
}

fn short_kind(kind: LoadBalancerType) -> &'static str {
    match kind {
        LoadBalancerType::Application => "app",
        LoadBalancerType::Network => "net",
    }
}
