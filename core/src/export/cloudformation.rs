//! CloudFormation for the whole modelled stack, as YAML or JSON from one ordered tree.
//!
//! Mapping (ecs-semantics §8.4):
//! - `AWS::ECS::Cluster` named after the services' `cluster` when they name one.
//! - One `AWS::ECS::TaskDefinition` per registration in the scenario. Properties are the API
//!   members in PascalCase; several revisions of one family are separate resources chained with
//!   `DependsOn` so CloudFormation registers them in order and the revision numbers match.
//! - One `AWS::ECS::Service` per service: PascalCase members with the §8.4 exceptions
//!   (`placementStrategy` → `PlacementStrategies`), `Cluster` and `TaskDefinition` as `Ref`s,
//!   and `DependsOn` the capacity so instances exist before the service waits for steady state.
//! - Capacity, the documented simple mapping: per fleet entry one `AWS::EC2::LaunchTemplate`
//!   (instance type, AMI, instance profile, and user data that joins the cluster and sets the
//!   entry's custom attributes through `ECS_INSTANCE_ATTRIBUTES`) and one
//!   `AWS::AutoScaling::AutoScalingGroup` of exactly `count` instances in that Availability
//!   Zone's subnet, plus one security group for the container instances.
//! - Parameters for what a sandbox cannot know: the VPC, one subnet per Availability Zone, the
//!   AMI (the ECS-optimised image from SSM, or the scenario's AMI id as a default), and the
//!   instance profile. A memberOf expression that names a fleet AMI takes it from the same
//!   parameter (`Fn::Sub`), so constraint and launch template agree whatever AMI is deployed;
//!   an awsvpc service's subnets are the Subnet parameters of their zones.
//!
//! The timeline (registrations, services created during the run, deployments, batch jobs,
//! terminating instances) is not state, so the template describes the scenario at time zero;
//! the ECS JSON export carries the timeline's requests in order, and the template's notes say
//! so (a note names the services a `createService` makes, which the stack leaves out).

#[cfg(feature = "discovery")]
use super::cloudformation_discovery::discovery;
use super::document::Node;
use super::ecs::{family_of, file_registry, registration_body, with_network_configuration};
#[cfg(not(feature = "discovery"))]
use super::without_discovery::discovery;
use super::{generator, FLOTILLA_VERSION};
use crate::compact::{SortedMap, SortedSet};
use crate::scenario::{FleetEntry, Scenario, DEFAULT_AMI_ID};

/// SSM parameter with the current ECS-optimised Amazon Linux 2023 AMI.
const ECS_OPTIMISED_AMI_PARAMETER: &str =
    "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
const DESCRIPTION_BYTES_MAX: usize = 1024;

pub(super) fn template(scenario: &Scenario) -> Node {
    let mut ids = LogicalIds::default();
    let mut parameters = Node::map();
    let mut resources = Node::map();

    let mut cluster_properties = Node::map();
    if let Some(name) = scenario.services.iter().find_map(|s| s.cluster.as_deref()) {
        cluster_properties.insert("ClusterName", Node::string(name));
    }
    let cluster_id = ids.claim("Cluster");
    resources.insert(
        &cluster_id,
        resource("AWS::ECS::Cluster", None, cluster_properties),
    );

    let capacity = capacity(scenario, &cluster_id, &mut ids, &mut parameters);
    for (id, node) in &capacity.resources {
        resources.insert(id, node.clone());
    }
    let mut substituted_images = false;

    // Task definitions: family:revision → logical id, in registration order.
    let mut definition_ids: SortedMap<String, String> = SortedMap::new();
    let mut latest: SortedMap<&str, (u32, String)> = SortedMap::new();
    let revision_counts = scenario.task_definitions.iter().fold(
        SortedMap::<&str, u32>::new(),
        |mut counts, definition| {
            *counts.or_default(definition.family.as_str()) += 1;
            counts
        },
    );
    for definition in &scenario.task_definitions {
        let family = definition.family.as_str();
        let revision = latest.get(family).map_or(1, |(r, _)| r + 1);
        let base = format!("{}TaskDefinition", pascal_identifier(family));
        let id = if revision_counts.get(family).copied().unwrap_or(0) > 1 {
            ids.claim(&format!("{base}Revision{revision}"))
        } else {
            ids.claim(&base)
        };
        let depends_on = latest
            .get(family)
            .map(|(_, previous)| vec![previous.clone()]);
        let mut properties = to_cloudformation(registration_body(definition));
        substituted_images |= substitute_images(&mut properties, &capacity.images);
        resources.insert(
            &id,
            resource("AWS::ECS::TaskDefinition", depends_on, properties),
        );
        definition_ids.insert(format!("{family}:{revision}"), id.clone());
        latest.insert(family, (revision, id));
    }

    let discovery = discovery(scenario, &mut ids);
    if discovery.needs_vpc && parameters.get("VpcId").is_none() {
        parameters.insert(
            "VpcId",
            parameter(
                "AWS::EC2::VPC::Id",
                "The VPC of the target groups and the private DNS namespaces.",
                None,
            ),
        );
    }
    for (name, node) in &discovery.parameters {
        parameters.insert(name, node.clone());
    }
    for (id, node) in &discovery.resources {
        resources.insert(id, node.clone());
    }

    let registry = file_registry(scenario);
    for service in &scenario.services {
        let id = ids.claim(&format!(
            "{}Service",
            pascal_identifier(&service.service_name)
        ));
        let definition_id = match service.task_definition.split_once(':') {
            Some(_) => definition_ids.get(&service.task_definition).cloned(),
            None => latest
                .get(family_of(&service.task_definition))
                .map(|(_, id)| id.clone()),
        };
        let mut properties = Node::map().with("Cluster", reference(&cluster_id));
        let service = with_network_configuration(scenario, &registry, service);
        if let Node::Map(fields) = to_cloudformation(Node::from_serialize(&service)) {
            for (key, value) in fields {
                match key.as_str() {
                    "Cluster" => {}
                    "TaskDefinition" => properties.insert(
                        "TaskDefinition",
                        definition_id.as_deref().map_or(value, reference),
                    ),
                    "NetworkConfiguration" => {
                        properties.insert(&key, subnet_references(value, &capacity.subnets))
                    }
                    // Written below as references to the template's resources.
                    "LoadBalancers" | "ServiceRegistries" => {}
                    _ => properties.insert(&key, value),
                }
            }
        }
        let listeners = discovery.bind(&mut properties, &service);
        substituted_images |= substitute_images(&mut properties, &capacity.images);
        let mut depends_on = capacity.groups.clone();
        depends_on.extend(listeners);
        let depends_on = (!depends_on.is_empty()).then_some(depends_on);
        resources.insert(&id, resource("AWS::ECS::Service", depends_on, properties));
    }

    let mut notes: Vec<Node> = NOTES.iter().map(|note| Node::string(*note)).collect();
    if substituted_images {
        notes.push(Node::string(AMI_NOTE));
    }
    if !discovery.resources.is_empty() {
        notes.push(Node::string(DISCOVERY_NOTE));
    }
    #[cfg(feature = "discovery")]
    if scenario.traffic.is_some() {
        notes.push(Node::string(TRAFFIC_NOTE));
    }
    if let Some(note) = created_services_note(scenario) {
        notes.push(Node::string(note));
    }
    let mut template = Node::map()
        .with("AWSTemplateFormatVersion", Node::string("2010-09-09"))
        .with("Description", Node::string(description(scenario)))
        .with(
            "Metadata",
            Node::map().with(
                "Flotilla",
                Node::map()
                    .with("Generator", Node::string(generator()))
                    .with("Version", Node::string(FLOTILLA_VERSION))
                    .with("Scenario", Node::string(&scenario.name))
                    .with("Notes", Node::List(notes)),
            ),
        );
    if matches!(&parameters, Node::Map(entries) if !entries.is_empty()) {
        template.insert("Parameters", parameters);
    }
    template.with("Resources", resources)
}

const NOTES: [&str; 4] = [
    "The stack is the scenario at time zero; its timeline (new revisions, UpdateService, RunTask, StartTask) is in the ECS JSON export, in order.",
    "Each task definition revision is its own resource; DependsOn registers a family's revisions in order.",
    "Capacity: one launch template and one Auto Scaling group of exactly the entry's count per fleet entry, in that Availability Zone's subnet; custom attributes are set through ECS_INSTANCE_ATTRIBUTES.",
    "Parameters stand for what the sandbox cannot know: the VPC, one subnet per Availability Zone, the AMI and the instance profile.",
];

const DISCOVERY_NOTE: &str = "Target groups, load balancers, Route 53 records and Cloud Map services are resources of this stack; a service's LoadBalancers and ServiceRegistries refer to them, and the service waits (DependsOn) for the listeners and rules that attach its target groups. Load balancers take their subnets and security groups from parameters.";

#[cfg(feature = "discovery")]
const TRAFFIC_NOTE: &str = "The scenario's traffic (clients, entry points, calls between services) is sandbox-only and not part of the stack.";

/// What the stack leaves out of a timeline that creates services: as UpdateService and RunTask
/// on the timeline, CreateService during the run is a request, not the stack at time zero.
fn created_services_note(scenario: &Scenario) -> Option<String> {
    let created: Vec<String> = (scenario.timeline.iter())
        .filter_map(|entry| match &entry.action {
            crate::action::Action::CreateService(create) => {
                Some(format!("{} at {}", create.numbered_names_text(), entry.at))
            }
            _ => None,
        })
        .collect();
    (!created.is_empty()).then(|| {
        format!(
            "Services the timeline creates are not in the stack (a template cannot say when a resource appears): {}. Their CreateService requests, one per service, are in the ECS JSON export, in order; to deploy the grown cluster at once, add them as AWS::ECS::Service resources like the ones here.",
            created.join("; ")
        )
    })
}

const AMI_NOTE: &str = "Placement constraints that name a fleet AMI (attribute:ecs.ami-id) take it from the same AMI parameter as the launch templates (Fn::Sub), so they agree with the AMI you deploy.";

struct Capacity {
    resources: Vec<(String, Node)>,
    /// Logical ids of the Auto Scaling groups, for the services' `DependsOn`.
    groups: Vec<String>,
    /// Availability Zone → its subnet parameter.
    subnets: SortedMap<String, String>,
    /// AMI id the sandbox registers instances with → the parameter the launch templates take.
    images: SortedMap<String, String>,
}

/// A placement expression naming an AMI of the fleet (`attribute:ecs.ami-id == ami-...`) would
/// keep the concrete id while the launch templates take the AMI as a parameter: deployed with
/// another AMI, the constraint matches nothing. So the id becomes the parameter, through
/// `Fn::Sub`, in every `PlacementConstraints[].Expression`. True when any was rewritten.
fn substitute_images(node: &mut Node, images: &SortedMap<String, String>) -> bool {
    let mut changed = false;
    match node {
        Node::Map(fields) => {
            for (key, value) in fields.iter_mut() {
                if key == "Expression" {
                    if let Node::String(expression) = value {
                        if let Some(sub) = substituted(expression, images) {
                            *value = Node::map().with("Fn::Sub", Node::string(sub));
                            changed = true;
                        }
                    }
                } else {
                    changed |= substitute_images(value, images);
                }
            }
        }
        Node::List(items) => {
            for item in items {
                changed |= substitute_images(item, images);
            }
        }
        _ => {}
    }
    changed
}

/// The expression with each fleet AMI id replaced by `${Parameter}` (and any other `${`
/// escaped as Fn::Sub wants it), or `None` when it names no fleet AMI.
fn substituted(expression: &str, images: &SortedMap<String, String>) -> Option<String> {
    let named: Vec<(&String, &String)> = images
        .iter()
        .filter(|(ami, _)| expression.contains(ami.as_str()))
        .collect();
    if named.is_empty() {
        return None;
    }
    let mut text = expression.replace("${", "${!");
    for (ami, parameter) in named {
        text = text.replace(ami.as_str(), &format!("${{{parameter}}}"));
    }
    Some(text)
}

/// `Subnets: [subnet-us-east-1a]` → `[{Ref: SubnetUsEast1a}]` where the zone has a parameter
/// (the sandbox names a subnet after its zone; the stack takes real subnets as parameters).
fn subnet_references(network: Node, subnets: &SortedMap<String, String>) -> Node {
    let Node::Map(mut fields) = network else {
        return network;
    };
    for (key, awsvpc) in &mut fields {
        if key != "AwsvpcConfiguration" {
            continue;
        }
        if let Node::Map(members) = awsvpc {
            for (member, value) in members.iter_mut() {
                if member != "Subnets" {
                    continue;
                }
                if let Node::List(items) = value {
                    for item in items.iter_mut() {
                        let zone = match item {
                            Node::String(text) => text.strip_prefix("subnet-").unwrap_or(text),
                            _ => continue,
                        };
                        if let Some(parameter) = subnets.get(zone) {
                            *item = parameter_ref(parameter);
                        }
                    }
                }
            }
        }
    }
    Node::Map(fields)
}

fn capacity(
    scenario: &Scenario,
    cluster_id: &str,
    ids: &mut LogicalIds,
    parameters: &mut Node,
) -> Capacity {
    let mut out = Capacity {
        resources: Vec::new(),
        groups: Vec::new(),
        subnets: SortedMap::new(),
        images: SortedMap::new(),
    };
    if scenario.fleet.is_empty() {
        return out;
    }
    parameters.insert(
        "VpcId",
        parameter(
            "AWS::EC2::VPC::Id",
            "The VPC the container instances run in.",
            None,
        ),
    );
    let zones: SortedSet<&str> = scenario
        .fleet
        .iter()
        .map(|e| e.availability_zone.as_str())
        .collect();
    let mut subnet_parameters = SortedMap::new();
    for zone in zones.iter() {
        let name = format!("Subnet{}", pascal_identifier(zone));
        parameters.insert(
            &name,
            parameter(
                "AWS::EC2::Subnet::Id",
                &format!("A subnet of the VPC in {zone}."),
                None,
            ),
        );
        subnet_parameters.insert(*zone, name.clone());
        out.subnets.insert(zone.to_string(), name);
    }
    let mut image_parameters = SortedMap::new();
    for entry in &scenario.fleet {
        let key = entry.ami_id.clone();
        if image_parameters.contains_key(&key) {
            continue;
        }
        let (name, node) = match &entry.ami_id {
            None => (
                "EcsOptimizedImageId".to_string(),
                parameter(
                    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                    "The ECS-optimised AMI, looked up in SSM Parameter Store.",
                    Some(ECS_OPTIMISED_AMI_PARAMETER),
                ),
            ),
            Some(ami) => (
                format!("ImageId{}", pascal_identifier(ami)),
                parameter(
                    "AWS::EC2::Image::Id",
                    &format!(
                        "The AMI the scenario names ({ami}); use its equivalent in your region."
                    ),
                    Some(ami),
                ),
            ),
        };
        parameters.insert(&name, node);
        let ami = entry.ami_id.as_deref().unwrap_or(DEFAULT_AMI_ID);
        out.images.insert(ami.to_string(), name.clone());
        image_parameters.insert(key, name);
    }
    parameters.insert(
        "InstanceProfileArn",
        parameter(
            "String",
            "ARN of an instance profile for the container instances (the ecsInstanceRole with AmazonEC2ContainerServiceforEC2Role).",
            None,
        ),
    );

    let security_group = ids.claim("ContainerInstanceSecurityGroup");
    out.resources.push((
        security_group.clone(),
        resource(
            "AWS::EC2::SecurityGroup",
            None,
            Node::map()
                .with(
                    "GroupDescription",
                    Node::string("Flotilla container instances"),
                )
                .with("VpcId", parameter_ref("VpcId")),
        ),
    ));

    for entry in &scenario.fleet {
        let base = format!(
            "{}{}",
            pascal_identifier(&entry.instance_type),
            pascal_identifier(&entry.availability_zone)
        );
        let template_id = ids.claim(&format!("{base}LaunchTemplate"));
        let group_id = ids.claim(&format!("{base}AutoScalingGroup"));
        let image = image_parameters
            .get(&entry.ami_id)
            .map_or(Node::Null, |name| parameter_ref(name));
        let launch_template_data = Node::map()
            .with("ImageId", image)
            .with("InstanceType", Node::string(&entry.instance_type))
            .with(
                "IamInstanceProfile",
                Node::map().with("Arn", parameter_ref("InstanceProfileArn")),
            )
            .with(
                "SecurityGroupIds",
                Node::List(vec![get_att(&security_group, "GroupId")]),
            )
            .with("UserData", user_data(entry, cluster_id));
        out.resources.push((
            template_id.clone(),
            resource(
                "AWS::EC2::LaunchTemplate",
                None,
                Node::map().with("LaunchTemplateData", launch_template_data),
            ),
        ));
        let count = Node::string(entry.count.to_string());
        let subnet = subnet_parameters
            .get(entry.availability_zone.as_str())
            .map_or(Node::Null, |name| parameter_ref(name));
        out.resources.push((
            group_id.clone(),
            resource(
                "AWS::AutoScaling::AutoScalingGroup",
                None,
                Node::map()
                    .with("MinSize", count.clone())
                    .with("MaxSize", count.clone())
                    .with("DesiredCapacity", count)
                    .with(
                        "LaunchTemplate",
                        Node::map()
                            .with("LaunchTemplateId", reference(&template_id))
                            .with("Version", get_att(&template_id, "LatestVersionNumber")),
                    )
                    .with("VPCZoneIdentifier", Node::List(vec![subnet]))
                    .with(
                        "Tags",
                        Node::List(vec![Node::map()
                            .with("Key", Node::string("Name"))
                            .with(
                                "Value",
                                Node::string(format!(
                                    "flotilla {} {}",
                                    entry.instance_type, entry.availability_zone
                                )),
                            )
                            .with("PropagateAtLaunch", Node::Bool(true))]),
                    ),
            ),
        ));
        out.groups.push(group_id);
    }
    out
}

/// `/etc/ecs/ecs.config`: join the cluster, set the custom attributes at registration (§1.7).
/// Attribute names and values cannot hold `$`, `{`, `'` or `"` (scenario validation), so
/// neither `Fn::Sub` nor the shell can misread them.
fn user_data(entry: &FleetEntry, cluster_id: &str) -> Node {
    let mut script =
        format!("#!/bin/bash\necho \"ECS_CLUSTER=${{{cluster_id}}}\" >> /etc/ecs/ecs.config\n");
    if !entry.attributes.is_empty() {
        let attributes = serde_json::to_string(&entry.attributes).unwrap_or_default();
        script.push_str(&format!(
            "echo 'ECS_INSTANCE_ATTRIBUTES={attributes}' >> /etc/ecs/ecs.config\n"
        ));
    }
    Node::map().with(
        "Fn::Base64",
        Node::map().with("Fn::Sub", Node::string(script)),
    )
}

fn description(scenario: &Scenario) -> String {
    let mut text = format!(
        "{} export of the scenario \"{}\"",
        generator(),
        scenario.name
    );
    if text.len() > DESCRIPTION_BYTES_MAX {
        let mut cut = DESCRIPTION_BYTES_MAX - 3;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("...");
    }
    text
}

pub(super) fn resource(kind: &str, depends_on: Option<Vec<String>>, properties: Node) -> Node {
    let mut node = Node::map().with("Type", Node::string(kind));
    if let Some(ids) = depends_on {
        node.insert(
            "DependsOn",
            Node::List(ids.into_iter().map(Node::String).collect()),
        );
    }
    node.with("Properties", properties)
}

pub(super) fn parameter(kind: &str, description: &str, default: Option<&str>) -> Node {
    let mut node = Node::map()
        .with("Type", Node::string(kind))
        .with("Description", Node::string(description));
    if let Some(default) = default {
        node.insert("Default", Node::string(default));
    }
    node
}

pub(super) fn reference(id: &str) -> Node {
    Node::map().with("Ref", Node::string(id))
}

fn parameter_ref(name: &str) -> Node {
    reference(name)
}

pub(super) fn get_att(id: &str, attribute: &str) -> Node {
    Node::map().with(
        "Fn::GetAtt",
        Node::List(vec![Node::string(id), Node::string(attribute)]),
    )
}

/// API member names whose values are maps of user data, not shapes: their keys stay as they are.
const DATA_MAPS: [&str; 2] = ["dockerLabels", "options"];

/// API JSON (camelCase) → CloudFormation properties (PascalCase, §8.4 exceptions).
fn to_cloudformation(node: Node) -> Node {
    match node {
        Node::Map(entries) => Node::Map(
            entries
                .into_iter()
                .map(|(key, value)| {
                    let value = if DATA_MAPS.contains(&key.as_str()) {
                        value
                    } else {
                        to_cloudformation(value)
                    };
                    (cloudformation_name(&key), value)
                })
                .collect(),
        ),
        Node::List(items) => Node::List(items.into_iter().map(to_cloudformation).collect()),
        scalar => scalar,
    }
}

fn cloudformation_name(api: &str) -> String {
    match api {
        "placementStrategy" => "PlacementStrategies".into(),
        _ => {
            let mut chars = api.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        }
    }
}

/// `us-east-1a` → `UsEast1a`, `m5.large` → `M5Large`: letters and digits only, each word
/// capitalised.
pub(super) fn pascal_identifier(text: &str) -> String {
    let mut out = String::new();
    let mut capitalise = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if capitalise {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            capitalise = false;
        } else {
            capitalise = true;
        }
    }
    out
}

/// Logical ids are unique and alphanumeric (≤ 255); a repeat gets a number.
#[derive(Default)]
pub(super) struct LogicalIds {
    used: SortedSet<String>,
}

impl LogicalIds {
    pub(super) fn claim(&mut self, wanted: &str) -> String {
        let base: String = wanted.chars().take(240).collect();
        let base = if base.is_empty() {
            "Resource".into()
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut suffix = 2u32;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{base}{suffix}");
            suffix += 1;
        }
        candidate
    }
}
