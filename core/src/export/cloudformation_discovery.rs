//! CloudFormation for the scenario's discovery members (ecs-semantics §5): target groups with
//! their health check and attributes, load balancers with listeners and listener rules (weighted
//! `ForwardConfig`), Route 53 hosted zones and record sets (weighted, aliases to a load
//! balancer through `Fn::GetAtt` of its `DNSName` and `CanonicalHostedZoneID`), Cloud Map
//! namespaces and services; and what an `AWS::ECS::Service` takes from them (`LoadBalancers`
//! with `TargetGroupArn: !Ref`, `ServiceRegistries` with `RegistryArn: !GetAtt X.Arn`, and
//! `DependsOn` the listeners that forward to its target groups, as ECS requires a target group
//! to be attached to a load balancer before the service is created).
//!
//! Parameters for what a sandbox cannot know: the VPC (target groups, the private DNS
//! namespace), the load balancers' subnets and an Application Load Balancer's security groups.

use super::cloudformation::{
    get_att, parameter, pascal_identifier, reference, resource, LogicalIds,
};
use super::document::Node;
use crate::discovery::{LoadBalancerType, NamespaceType};
use crate::scenario::{
    registry_name_of, target_group_name_of, ForwardSpec, RuleSpec, Scenario, TargetGroupSpec,
};
use crate::service::ServiceDefinition;
use std::collections::{BTreeMap, BTreeSet};

/// The discovery part of the template, and the logical ids services refer to.
#[derive(Default)]
pub(super) struct DiscoveryResources {
    pub resources: Vec<(String, Node)>,
    /// Parameters beyond `VpcId` (which the caller adds when `needs_vpc`).
    pub parameters: Vec<(String, Node)>,
    pub needs_vpc: bool,
    /// Target group name → logical id.
    target_groups: BTreeMap<String, String>,
    /// Target group name → the listeners (and listener rules) that forward to it.
    attached_by: BTreeMap<String, BTreeSet<String>>,
    /// Cloud Map service name → logical id.
    registries: BTreeMap<String, String>,
}

pub(super) fn discovery(scenario: &Scenario, ids: &mut LogicalIds) -> DiscoveryResources {
    let mut out = DiscoveryResources::default();
    for group in &scenario.target_groups {
        let id = ids.claim(&format!("{}TargetGroup", pascal_identifier(&group.name)));
        out.resources.push((
            id.clone(),
            resource(
                "AWS::ElasticLoadBalancingV2::TargetGroup",
                None,
                target_group(group),
            ),
        ));
        out.target_groups.insert(group.name.clone(), id);
        out.needs_vpc = true;
    }
    if !scenario.load_balancers.is_empty() {
        out.parameters.push((
            "LoadBalancerSubnetIds".into(),
            parameter(
                "List<AWS::EC2::Subnet::Id>",
                "Subnets of the VPC for the load balancers (an Application Load Balancer needs two Availability Zones or more).",
                None,
            ),
        ));
    }
    if scenario
        .load_balancers
        .iter()
        .any(|b| b.kind.unwrap_or_default() == LoadBalancerType::Application)
    {
        out.parameters.push((
            "LoadBalancerSecurityGroupIds".into(),
            parameter(
                "List<AWS::EC2::SecurityGroup::Id>",
                "Security groups for the Application Load Balancers (open to the listeners' ports).",
                None,
            ),
        ));
    }
    let mut load_balancer_ids = BTreeMap::new();
    for balancer in &scenario.load_balancers {
        let base = pascal_identifier(&balancer.name);
        let id = ids.claim(&format!("{base}LoadBalancer"));
        let kind = balancer.kind.unwrap_or_default();
        let mut properties = Node::map()
            .with("Name", Node::string(&balancer.name))
            .with(
                "Type",
                Node::string(match kind {
                    LoadBalancerType::Application => "application",
                    LoadBalancerType::Network => "network",
                }),
            )
            .with("Subnets", reference("LoadBalancerSubnetIds"));
        if kind == LoadBalancerType::Application {
            properties.insert("SecurityGroups", reference("LoadBalancerSecurityGroupIds"));
        }
        out.resources.push((
            id.clone(),
            resource(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                None,
                properties,
            ),
        ));
        load_balancer_ids.insert(balancer.name.clone(), id.clone());
        for listener in &balancer.listeners {
            let listener_id = ids.claim(&format!("{base}Listener{}", listener.port));
            let properties = Node::map()
                .with("LoadBalancerArn", reference(&id))
                .with("Port", Node::number(listener.port.into()))
                .with("Protocol", Node::string(listener.protocol.as_str()))
                .with(
                    "DefaultActions",
                    Node::List(vec![out.forward(&listener.default_forward, &listener_id)]),
                );
            out.resources.push((
                listener_id.clone(),
                resource("AWS::ElasticLoadBalancingV2::Listener", None, properties),
            ));
            for rule in &listener.rules {
                let rule_id = ids.claim(&format!(
                    "{base}Listener{}Rule{}",
                    listener.port, rule.priority
                ));
                let properties = out.rule(rule, &listener_id, &rule_id);
                out.resources.push((
                    rule_id,
                    resource(
                        "AWS::ElasticLoadBalancingV2::ListenerRule",
                        None,
                        properties,
                    ),
                ));
            }
        }
    }
    for zone in &scenario.route53.hosted_zones {
        let zone_id = ids.claim(&format!("{}HostedZone", pascal_identifier(&zone.name)));
        out.resources.push((
            zone_id.clone(),
            resource(
                "AWS::Route53::HostedZone",
                None,
                Node::map().with("Name", Node::string(&zone.name)),
            ),
        ));
        for record in &zone.records {
            let wanted = format!(
                "{}{}Record{}",
                pascal_identifier(&record.name),
                record.kind.as_str(),
                record
                    .set_identifier
                    .as_deref()
                    .map(pascal_identifier)
                    .unwrap_or_default()
            );
            let id = ids.claim(&wanted);
            let mut properties = Node::map()
                .with("HostedZoneId", reference(&zone_id))
                .with("Name", Node::string(&record.name))
                .with("Type", Node::string(record.kind.as_str()));
            if let Some(set) = &record.set_identifier {
                properties.insert("SetIdentifier", Node::string(set));
            }
            if let Some(weight) = record.weight {
                properties.insert("Weight", Node::number(weight.into()));
            }
            if let Some(ttl) = record.ttl {
                properties.insert("TTL", Node::string(ttl.to_string()));
            }
            if let Some(alias) = &record.alias {
                if let Some(balancer) = load_balancer_ids.get(&alias.load_balancer) {
                    properties.insert(
                        "AliasTarget",
                        Node::map()
                            .with("DNSName", get_att(balancer, "DNSName"))
                            .with("HostedZoneId", get_att(balancer, "CanonicalHostedZoneID"))
                            .with("EvaluateTargetHealth", Node::Bool(true)),
                    );
                }
            }
            if let Some(value) = &record.value {
                properties.insert("ResourceRecords", Node::List(vec![Node::string(value)]));
            }
            out.resources
                .push((id, resource("AWS::Route53::RecordSet", None, properties)));
        }
    }
    for namespace in &scenario.cloud_map.namespaces {
        let base = pascal_identifier(&namespace.name);
        let namespace_id = ids.claim(&format!("{base}Namespace"));
        let (kind, mut properties) = match namespace.kind {
            NamespaceType::DnsPrivate => {
                out.needs_vpc = true;
                (
                    "AWS::ServiceDiscovery::PrivateDnsNamespace",
                    Node::map()
                        .with("Name", Node::string(&namespace.name))
                        .with("Vpc", reference("VpcId")),
                )
            }
            NamespaceType::Http => (
                "AWS::ServiceDiscovery::HttpNamespace",
                Node::map().with("Name", Node::string(&namespace.name)),
            ),
        };
        properties = properties.with(
            "Description",
            Node::string("Cloud Map namespace of the Flotilla scenario"),
        );
        out.resources
            .push((namespace_id.clone(), resource(kind, None, properties)));
        for service in &namespace.services {
            let id = ids.claim(&format!(
                "{}{base}DiscoveryService",
                pascal_identifier(&service.name)
            ));
            let mut properties = Node::map()
                .with("Name", Node::string(&service.name))
                .with("NamespaceId", get_att(&namespace_id, "Id"));
            if !service.dns_records.is_empty() {
                let records = service
                    .dns_records
                    .iter()
                    .map(|record| {
                        Node::map()
                            .with("Type", Node::string(dns_record_type(record.kind)))
                            .with("TTL", Node::number(record.ttl.into()))
                    })
                    .collect();
                let mut config = Node::map();
                if let Some(policy) = service.routing_policy {
                    config.insert("RoutingPolicy", Node::from_serialize(&policy));
                }
                properties.insert("DnsConfig", config.with("DnsRecords", Node::List(records)));
            }
            if service.health_check_custom_config.is_some() {
                properties.insert("HealthCheckCustomConfig", Node::map());
            }
            out.resources.push((
                id.clone(),
                resource("AWS::ServiceDiscovery::Service", None, properties),
            ));
            out.registries.insert(service.name.clone(), id);
        }
    }
    out
}

impl DiscoveryResources {
    /// The service's `LoadBalancers` and `ServiceRegistries` as references to the template's
    /// resources (an ARN naming nothing of the scenario stays as written), and the listeners it
    /// must wait for.
    pub(super) fn bind(&self, properties: &mut Node, service: &ServiceDefinition) -> Vec<String> {
        let mut depends_on = BTreeSet::new();
        if !service.load_balancers.is_empty() {
            let entries = service
                .load_balancers
                .iter()
                .map(|binding| {
                    let mut node = Node::map();
                    if let Some(arn) = &binding.target_group_arn {
                        let name = target_group_name_of(arn).ok();
                        match name.and_then(|n| self.target_groups.get(n)) {
                            Some(id) => {
                                node.insert("TargetGroupArn", reference(id));
                                if let Some(listeners) = name.and_then(|n| self.attached_by.get(n))
                                {
                                    depends_on.extend(listeners.iter().cloned());
                                }
                            }
                            None => node.insert("TargetGroupArn", Node::string(arn)),
                        }
                    }
                    if let Some(name) = &binding.load_balancer_name {
                        node.insert("LoadBalancerName", Node::string(name));
                    }
                    node.with("ContainerName", Node::string(&binding.container_name))
                        .with("ContainerPort", Node::number(binding.container_port.into()))
                })
                .collect();
            properties.insert("LoadBalancers", Node::List(entries));
        }
        if !service.service_registries.is_empty() {
            let entries = service
                .service_registries
                .iter()
                .map(|registry| {
                    let id = registry_name_of(&registry.registry_arn)
                        .ok()
                        .and_then(|name| self.registries.get(name));
                    let mut node = Node::map().with(
                        "RegistryArn",
                        id.map_or_else(
                            || Node::string(&registry.registry_arn),
                            |id| get_att(id, "Arn"),
                        ),
                    );
                    if let Some(port) = registry.port {
                        node.insert("Port", Node::number(port.into()));
                    }
                    if let Some(name) = &registry.container_name {
                        node.insert("ContainerName", Node::string(name));
                    }
                    if let Some(port) = registry.container_port {
                        node.insert("ContainerPort", Node::number(port.into()));
                    }
                    node
                })
                .collect();
            properties.insert("ServiceRegistries", Node::List(entries));
        }
        depends_on.into_iter().collect()
    }

    /// `{Type: forward, ForwardConfig: {TargetGroups: [{TargetGroupArn: !Ref, Weight}]}}`;
    /// `owner` (a listener or rule) is recorded as attaching each group.
    fn forward(&mut self, forwards: &[ForwardSpec], owner: &str) -> Node {
        let groups = forwards
            .iter()
            .map(|forward| {
                self.attached_by
                    .entry(forward.target_group.clone())
                    .or_default()
                    .insert(owner.to_string());
                let arn = self
                    .target_groups
                    .get(&forward.target_group)
                    .map_or(Node::string(&forward.target_group), |id| reference(id));
                let mut node = Node::map().with("TargetGroupArn", arn);
                if let Some(weight) = forward.weight {
                    node.insert("Weight", Node::number(weight.into()));
                }
                node
            })
            .collect();
        Node::map().with("Type", Node::string("forward")).with(
            "ForwardConfig",
            Node::map().with("TargetGroups", Node::List(groups)),
        )
    }

    fn rule(&mut self, rule: &RuleSpec, listener_id: &str, rule_id: &str) -> Node {
        let conditions = rule
            .conditions
            .iter()
            .filter_map(|condition| {
                let (field, config, value) = match (&condition.path_pattern, &condition.host_header)
                {
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
        // The service waits for the rule too: a group attached only by a rule is attached
        // once the rule exists.
        let action = self.forward(&rule.forward, rule_id);
        for forward in &rule.forward {
            if let Some(owners) = self.attached_by.get_mut(&forward.target_group) {
                owners.insert(listener_id.to_string());
            }
        }
        Node::map()
            .with("ListenerArn", reference(listener_id))
            .with("Priority", Node::number(rule.priority.into()))
            .with("Conditions", Node::List(conditions))
            .with("Actions", Node::List(vec![action]))
    }
}

/// CreateTargetGroup's members with the health check and attributes in CloudFormation's shape.
fn target_group(group: &TargetGroupSpec) -> Node {
    let mut node = Node::map()
        .with("Name", Node::string(&group.name))
        .with("Protocol", Node::string(group.protocol.as_str()))
        .with("Port", Node::number(group.port.into()))
        .with("VpcId", reference("VpcId"))
        // ELB's default, written out: the sandbox checks a target on the port it registered
        // (a dynamic host port included), and CloudFormation wants it said for those.
        .with("HealthCheckPort", Node::string("traffic-port"));
    if let Some(kind) = group.target_type {
        node.insert("TargetType", Node::string(kind.as_str()));
    }
    if let Some(check) = &group.health_check {
        let mut put = |key: &str, value: Option<u32>| {
            if let Some(value) = value {
                node.insert(key, Node::number(value.into()));
            }
        };
        put("HealthCheckIntervalSeconds", check.interval_seconds);
        put("HealthCheckTimeoutSeconds", check.timeout_seconds);
        put("HealthyThresholdCount", check.healthy_threshold_count);
        put("UnhealthyThresholdCount", check.unhealthy_threshold_count);
        if let Some(path) = &check.path {
            node.insert("HealthCheckPath", Node::string(path));
        }
    }
    let attributes = super::elb::attributes(group);
    if !attributes.is_empty() {
        let list = attributes
            .into_iter()
            .map(|(key, value)| {
                Node::map()
                    .with("Key", Node::string(key))
                    .with("Value", Node::string(value))
            })
            .collect();
        node.insert("TargetGroupAttributes", Node::List(list));
    }
    node
}

fn dns_record_type(kind: crate::discovery::DnsRecordType) -> &'static str {
    match kind {
        crate::discovery::DnsRecordType::A => "A",
        crate::discovery::DnsRecordType::Srv => "SRV",
    }
}
