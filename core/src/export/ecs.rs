//! ECS API JSON: one request body per file, exactly what `aws ecs <operation> --cli-input-json`
//! takes. The scenario's task definitions and services are stored in the API's own shapes
//! (`TaskDefinition` is `RegisterTaskDefinition` input, `ServiceDefinition` is `CreateService`
//! input), so the bodies are those structs serialised: camelCase, task-level cpu/memory as
//! strings, container values as integers, unset members absent, enumerations in AWS's spelling.
//!
//! The API accepts no extra members, so the Flotilla version and the source scenario live in the
//! manifest (`flotilla-export.json`), which lists every file in the order to apply it:
//! the file's registrations first, then the discovery members' elbv2, route53 and
//! servicediscovery requests (`discovery_requests.rs`; their manifest entries name the `api`),
//! then CreateService (each naming its `cluster`: the
//! scenario's, or `default`), then the timeline in the order the world applies it (by time,
//! equal times in file order): every `registerTaskDefinition` as the whole revision it makes,
//! a `createService` as one CreateService per service it makes (a numbered batch written out,
//! each naming the exact revision it gets), each UpdateService naming the exact revision it
//! deploys (`order:3`), RunTask and StartTask
//! with every member they were given. Timeline entries carry their time (`at`) and
//! registrations the revision they make (`taskDefinition`) in the manifest. Last comes the fleet
//! as `describe-container-instances` output — there is no API to create container instances
//! (they register themselves), but that is the shape `import` reads a fleet from.
//!
//! Not exported: `requiresAttributes` (read-only: AWS derives it at registration and refuses it
//! as input) and the timeline entries that are no ECS request of this cluster (stopping a
//! sandbox task by its sandbox id, terminating or draining instances, alarm states).

use super::document::Node;
use super::{generator, FLOTILLA_VERSION};
use crate::action::{Action, AwsvpcConfiguration, NetworkConfiguration, RegisterTaskDefinition};
use crate::compact::SortedSet;
use crate::scenario::{Scenario, TimelineEntry};
use crate::service::ServiceDefinition;
use crate::taskdef::{NetworkMode, TaskDefinition, TaskDefinitionRegistry};
use crate::time::parse_duration;

/// The cluster ECS uses when a request names none.
pub const DEFAULT_CLUSTER: &str = "default";

/// What a document is for; names match botocore's operation names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EcsOperation {
    RegisterTaskDefinition,
    CreateService,
    RunTask,
    StartTask,
    UpdateService,
    /// The fleet, as the *output* of this operation (see the module doc).
    DescribeContainerInstances,
    // elbv2, route53 and servicediscovery (`discovery_requests.rs`).
    CreateTargetGroup,
    ModifyTargetGroupAttributes,
    CreateLoadBalancer,
    CreateListener,
    CreateRule,
    CreateHostedZone,
    ChangeResourceRecordSets,
    CreatePrivateDnsNamespace,
    CreateHttpNamespace,
    /// servicediscovery's CreateService (a Cloud Map service).
    CreateDiscoveryService,
}

impl EcsOperation {
    /// The API operation name (`RegisterTaskDefinition`).
    pub fn name(self) -> &'static str {
        match self {
            EcsOperation::RegisterTaskDefinition => "RegisterTaskDefinition",
            EcsOperation::CreateService => "CreateService",
            EcsOperation::RunTask => "RunTask",
            EcsOperation::StartTask => "StartTask",
            EcsOperation::UpdateService => "UpdateService",
            EcsOperation::DescribeContainerInstances => "DescribeContainerInstances",
            EcsOperation::CreateTargetGroup => "CreateTargetGroup",
            EcsOperation::ModifyTargetGroupAttributes => "ModifyTargetGroupAttributes",
            EcsOperation::CreateLoadBalancer => "CreateLoadBalancer",
            EcsOperation::CreateListener => "CreateListener",
            EcsOperation::CreateRule => "CreateRule",
            EcsOperation::CreateHostedZone => "CreateHostedZone",
            EcsOperation::ChangeResourceRecordSets => "ChangeResourceRecordSets",
            EcsOperation::CreatePrivateDnsNamespace => "CreatePrivateDnsNamespace",
            EcsOperation::CreateHttpNamespace => "CreateHttpNamespace",
            EcsOperation::CreateDiscoveryService => "CreateService",
        }
    }

    /// The AWS CLI sub-command (`register-task-definition`).
    pub fn cli_command(self) -> &'static str {
        match self {
            EcsOperation::RegisterTaskDefinition => "register-task-definition",
            EcsOperation::CreateService => "create-service",
            EcsOperation::RunTask => "run-task",
            EcsOperation::StartTask => "start-task",
            EcsOperation::UpdateService => "update-service",
            EcsOperation::DescribeContainerInstances => "describe-container-instances",
            EcsOperation::CreateTargetGroup => "create-target-group",
            EcsOperation::ModifyTargetGroupAttributes => "modify-target-group-attributes",
            EcsOperation::CreateLoadBalancer => "create-load-balancer",
            EcsOperation::CreateListener => "create-listener",
            EcsOperation::CreateRule => "create-rule",
            EcsOperation::CreateHostedZone => "create-hosted-zone",
            EcsOperation::ChangeResourceRecordSets => "change-resource-record-sets",
            EcsOperation::CreatePrivateDnsNamespace => "create-private-dns-namespace",
            EcsOperation::CreateHttpNamespace => "create-http-namespace",
            EcsOperation::CreateDiscoveryService => "create-service",
        }
    }

    /// The AWS CLI service (`aws <api> <command>`), as botocore names its model.
    pub fn api(self) -> &'static str {
        use EcsOperation::*;
        match self {
            CreateTargetGroup
            | ModifyTargetGroupAttributes
            | CreateLoadBalancer
            | CreateListener
            | CreateRule => "elbv2",
            CreateHostedZone | ChangeResourceRecordSets => "route53",
            CreatePrivateDnsNamespace | CreateHttpNamespace | CreateDiscoveryService => {
                "servicediscovery"
            }
            _ => "ecs",
        }
    }

    /// True for request bodies; false for the one output-shaped document (the fleet).
    pub fn is_request(self) -> bool {
        self != EcsOperation::DescribeContainerInstances
    }
}

/// One exported file.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsDocument {
    /// `01-register-task-definition-order-1.json`: numbered in the order to apply.
    pub file_name: String,
    pub operation: EcsOperation,
    /// For timeline requests: when the scenario applies it (`"2m"`).
    pub at: Option<String>,
    /// For registrations: the revision it makes (`order:2`), as the manifest names it.
    pub revision: Option<String>,
    /// Pretty-printed JSON body, ending with a newline.
    pub json: String,
}

/// The ECS JSON export of one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsExport {
    /// `flotilla-export.json`: generator, scenario, and every file with its CLI command.
    pub manifest: String,
    pub documents: Vec<EcsDocument>,
}

pub const MANIFEST_FILE_NAME: &str = "flotilla-export.json";
pub const FLEET_FILE_NAME: &str = "fleet.describe-container-instances.json";

impl EcsExport {
    /// Every document in one JSON value (manifest fields plus each body under `input`), for a
    /// single copy to the clipboard or a single file on stdout.
    pub fn bundle(&self) -> String {
        let documents = self
            .documents
            .iter()
            .map(|document| {
                manifest_entry(document).with(
                    "input",
                    serde_json::from_str(&document.json).unwrap_or(Node::Null),
                )
            })
            .collect();
        let manifest: Node = serde_json::from_str(&self.manifest).unwrap_or(Node::map());
        manifest
            .with("documents", Node::List(documents))
            .to_json_pretty()
    }
}

pub(super) fn export(scenario: &Scenario) -> EcsExport {
    let mut bodies: Vec<Body> = Vec::new();
    let cluster = cluster_name(scenario);

    // The registry replays the registrations in the order the export applies them, so every
    // revision number below is the one AWS gives (a fresh family starts at 1).
    let mut registry = TaskDefinitionRegistry::default();
    for definition in &scenario.task_definitions {
        let reference = registry.register(definition.clone());
        bodies.push(Body {
            operation: EcsOperation::RegisterTaskDefinition,
            name: format!("{}-{}", reference.family, reference.revision),
            at: None,
            revision: Some(reference.to_string()),
            body: registration_body(definition),
        });
    }
    // The target groups, load balancers, records and Cloud Map services the services name
    // exist before CreateService.
    #[cfg(feature = "discovery")]
    bodies.extend(super::discovery_requests::bodies(scenario));
    for service in &scenario.services {
        // `taskDefinition` stays as written: applied here, after the file's registrations and
        // before the timeline's, `family` names the same revision it names in the scenario.
        let mut body = Node::map().with(
            "cluster",
            Node::string(service.cluster.as_deref().unwrap_or(&cluster)),
        );
        let service = with_network_configuration(scenario, &registry, service);
        if let Node::Map(fields) = Node::from_serialize(&service) {
            for (key, value) in fields {
                body.insert(&key, value);
            }
        }
        bodies.push(Body {
            operation: EcsOperation::CreateService,
            name: service.service_name.clone(),
            at: None,
            revision: None,
            body,
        });
    }
    // The timeline in the order the world applies it: by time, equal times in file order.
    let mut timeline: Vec<(u64, usize)> = scenario
        .timeline
        .iter()
        .enumerate()
        .map(|(index, entry)| (parse_duration(&entry.at).unwrap_or(0), index))
        .collect();
    crate::compact::sort_by_key(&mut timeline, |&entry| entry);
    for (_, index) in timeline {
        let entry = &scenario.timeline[index];
        if let Action::CreateService(create) = &entry.action {
            bodies.extend(created_services(
                scenario, &cluster, &registry, entry, create,
            ));
        } else if let Some(body) = timeline_body(scenario, &cluster, &mut registry, entry) {
            bodies.push(body);
        }
    }

    let width = (bodies.len() + 1).to_string().len().max(2);
    let mut documents: Vec<EcsDocument> = bodies
        .into_iter()
        .enumerate()
        .map(|(index, body)| EcsDocument {
            file_name: format!(
                "{:0width$}-{}-{}.json",
                index + 1,
                body.operation.cli_command(),
                file_safe(&body.name)
            ),
            operation: body.operation,
            at: body.at,
            revision: body.revision,
            json: body.body.to_json_pretty(),
        })
        .collect();
    if !scenario.fleet.is_empty() {
        documents.push(EcsDocument {
            file_name: FLEET_FILE_NAME.into(),
            operation: EcsOperation::DescribeContainerInstances,
            at: None,
            revision: None,
            json: fleet_document(scenario).to_json_pretty(),
        });
    }

    let manifest = Node::map()
        .with("generator", Node::string(generator()))
        .with("flotillaVersion", Node::string(FLOTILLA_VERSION))
        .with("scenario", Node::string(&scenario.name))
        .with("format", Node::string("ecs-json"))
        .with(
            "documents",
            Node::List(documents.iter().map(manifest_entry).collect()),
        );
    EcsExport {
        manifest: manifest.to_json_pretty(),
        documents,
    }
}

/// The fleet as `describe-container-instances` prints it: one element per instance, with the
/// attributes the sandbox sets (`ecs.ami-id` only when the scenario names an AMI) and the custom
/// ones. Everything else in that output is runtime state the import drops.
fn fleet_document(scenario: &Scenario) -> Node {
    let attribute = |name: &str, value: &str| {
        Node::map()
            .with("name", Node::string(name))
            .with("value", Node::string(value))
    };
    let mut instances = Vec::new();
    for entry in &scenario.fleet {
        let mut attributes = Vec::new();
        if let Some(ami) = &entry.ami_id {
            attributes.push(attribute("ecs.ami-id", ami));
        }
        attributes.push(attribute("ecs.availability-zone", &entry.availability_zone));
        attributes.push(attribute("ecs.instance-type", &entry.instance_type));
        if entry.awsvpc_trunking == Some(true) {
            // The agent sets this attribute on instances that have a trunk ENI (§2.4).
            attributes.push(attribute("ecs.awsvpc-trunk-id", "eni-trunk"));
        }
        for (name, value) in &entry.attributes {
            attributes.push(attribute(name, value));
        }
        let instance = Node::map()
            .with("status", Node::string("ACTIVE"))
            .with(
                "agentConnected",
                Node::Bool(entry.agent_connected.unwrap_or(true)),
            )
            .with("attributes", Node::List(attributes));
        instances.extend(std::iter::repeat_n(instance, entry.count as usize));
    }
    Node::map()
        .with("containerInstances", Node::List(instances))
        .with("failures", Node::List(vec![]))
}

fn manifest_entry(document: &EcsDocument) -> Node {
    let mut entry = Node::map()
        .with("file", Node::string(&document.file_name))
        .with("operation", Node::string(document.operation.name()));
    if document.operation.api() != "ecs" {
        entry.insert("api", Node::string(document.operation.api()));
    }
    if document.operation.is_request() {
        entry.insert(
            "command",
            Node::string(format!(
                "aws {} {} --cli-input-json file://{}",
                document.operation.api(),
                document.operation.cli_command(),
                document.file_name
            )),
        );
    } else {
        entry.insert("shape", Node::string("output"));
    }
    if let Some(revision) = &document.revision {
        entry.insert("taskDefinition", Node::string(revision));
    }
    if let Some(at) = &document.at {
        entry.insert("at", Node::string(at));
    }
    if document.operation == EcsOperation::StartTask {
        entry.insert("note", Node::string(START_TASK_NOTE));
    }
    if document.operation.api() != "ecs" {
        entry.insert("note", Node::string(PLACEHOLDER_NOTE));
    }
    entry
}

/// The sandbox names container instances by their EC2 instance ids; AWS gives each its own id.
const START_TASK_NOTE: &str = "containerInstances are the sandbox's EC2 instance ids; replace them with the container instance IDs or ARNs of your cluster (aws ecs list-container-instances).";

/// ARNs, ids and DNS names AWS assigns at creation are placeholders in the discovery bodies.
const PLACEHOLDER_NOTE: &str = "ARNs, hosted zone and namespace ids, the VPC, subnets and load balancer DNS names are the sandbox's placeholders; replace them with what your account and the earlier create calls return.";

/// One request before it is numbered.
pub(super) struct Body {
    pub operation: EcsOperation,
    /// What the file name says after the operation (`order-2-at-2m`).
    pub name: String,
    pub at: Option<String>,
    pub revision: Option<String>,
    pub body: Node,
}

/// The cluster every request names: the services' (a scenario has one cluster), else ECS's
/// `default`.
fn cluster_name(scenario: &Scenario) -> String {
    scenario
        .services
        .iter()
        .find_map(|s| s.cluster.clone())
        .unwrap_or_else(|| DEFAULT_CLUSTER.to_string())
}

/// A task definition as `RegisterTaskDefinition` input: without `requiresAttributes`, which
/// AWS computes at registration and no request takes (botocore refuses it). The sandbox's
/// own copy keeps it; the manifest says nothing of it because AWS derives it anyway.
pub(super) fn registration_body(definition: &TaskDefinition) -> Node {
    let mut body = Node::from_serialize(definition);
    if let Node::Map(fields) = &mut body {
        fields.retain(|(key, _)| !READ_ONLY_TASK_DEFINITION_MEMBERS.contains(&key.as_str()));
    }
    body
}

/// Members of the scenario's task definitions that are read-only state in AWS.
pub(crate) const READ_ONLY_TASK_DEFINITION_MEMBERS: [&str; 1] = ["requiresAttributes"];

/// The request a timeline entry makes, when it is an ECS request this export carries
/// (registrations, UpdateService, RunTask, StartTask); `None` for what is no ECS request
/// (stopping one sandbox task, terminating instances, alarms) or cannot apply.
fn timeline_body(
    scenario: &Scenario,
    cluster: &str,
    registry: &mut TaskDefinitionRegistry,
    entry: &TimelineEntry,
) -> Option<Body> {
    let at = Some(entry.at.clone());
    let exact = |registry: &TaskDefinitionRegistry, text: &str| {
        registry
            .resolve(text)
            .map_or_else(|_| text.to_string(), |r| r.to_string())
    };
    match &entry.action {
        Action::RegisterTaskDefinition(register) => {
            let definition = registered_copy(registry, register)?;
            let body = registration_body(&definition);
            let reference = registry.register(definition);
            Some(Body {
                operation: EcsOperation::RegisterTaskDefinition,
                name: format!(
                    "{}-{}-at-{}",
                    reference.family, reference.revision, entry.at
                ),
                at,
                revision: Some(reference.to_string()),
                body,
            })
        }
        Action::UpdateService(update) => {
            let mut update = update.clone();
            update.task_definition = update
                .task_definition
                .as_deref()
                .map(|text| exact(registry, text));
            let mut body = Node::map().with(
                "cluster",
                Node::string(service_cluster(scenario, &update.service).unwrap_or(cluster)),
            );
            if let Node::Map(fields) = Node::from_serialize(&update) {
                for (key, value) in fields {
                    body.insert(&key, value);
                }
            }
            Some(Body {
                operation: EcsOperation::UpdateService,
                name: format!("{}-at-{}", update.service, entry.at),
                at,
                revision: None,
                body,
            })
        }
        Action::RunTask(run) => {
            let mut run = run.clone();
            run.task_definition = exact(registry, &run.task_definition);
            Some(Body {
                operation: EcsOperation::RunTask,
                name: format!("{}-at-{}", family_of(&run.task_definition), entry.at),
                at,
                revision: None,
                body: with_cluster(cluster, &run),
            })
        }
        Action::StartTask(start) => {
            let mut start = start.clone();
            start.task_definition = exact(registry, &start.task_definition);
            Some(Body {
                operation: EcsOperation::StartTask,
                name: format!("{}-at-{}", family_of(&start.task_definition), entry.at),
                at,
                revision: None,
                body: with_cluster(cluster, &start),
            })
        }
        _ => None,
    }
}

/// A timeline `createService` as the CreateService requests it stands for, one per service of
/// a numbered batch (the API creates one service per call), each naming the exact revision the
/// world resolves `taskDefinition` to when the entry applies (registrations before it count).
fn created_services(
    scenario: &Scenario,
    cluster: &str,
    registry: &TaskDefinitionRegistry,
    entry: &TimelineEntry,
    create: &crate::action::CreateService,
) -> Vec<Body> {
    (0..create
        .service_count()
        .min(crate::scenario::SERVICES_MAX as u32))
        .map(|k| {
            let mut request = create.request_of(k);
            if let Ok(reference) = registry.resolve(&request.task_definition) {
                request.task_definition = reference.to_string();
            }
            let request = with_network_configuration(scenario, registry, &request);
            let mut body = Node::map().with(
                "cluster",
                Node::string(request.cluster.as_deref().unwrap_or(cluster)),
            );
            if let Node::Map(fields) = Node::from_serialize(&request) {
                for (key, value) in fields {
                    body.insert(&key, value);
                }
            }
            Body {
                operation: EcsOperation::CreateService,
                name: format!("{}-at-{}", request.service_name, entry.at),
                at: Some(entry.at.clone()),
                revision: None,
                body,
            }
        })
        .collect()
}

/// The service as CreateService takes it: an awsvpc service without `networkConfiguration`
/// (which ECS requires) gets one subnet per Availability Zone of the fleet, named as the
/// sandbox names subnets (`subnet-us-east-1a`): the same zones the sandbox places it in.
pub(super) fn with_network_configuration(
    scenario: &Scenario,
    registry: &TaskDefinitionRegistry,
    service: &ServiceDefinition,
) -> ServiceDefinition {
    let mut service = service.clone();
    let awsvpc = registry
        .resolve(&service.task_definition)
        .ok()
        .and_then(|reference| registry.get(&reference))
        .is_some_and(|definition| definition.network_mode == Some(NetworkMode::Awsvpc));
    if awsvpc && service.network_configuration.is_none() {
        let zones: SortedSet<&str> = scenario
            .fleet
            .iter()
            .map(|entry| entry.availability_zone.as_str())
            .collect();
        service.network_configuration = Some(NetworkConfiguration {
            awsvpc_configuration: AwsvpcConfiguration {
                subnets: zones.iter().map(|zone| format!("subnet-{zone}")).collect(),
            },
        });
    }
    service
}

/// A registry of the scenario file's own registrations (what CreateService sees).
pub(super) fn file_registry(scenario: &Scenario) -> TaskDefinitionRegistry {
    let mut registry = TaskDefinitionRegistry::default();
    for definition in &scenario.task_definitions {
        registry.register(definition.clone());
    }
    registry
}

/// `{"cluster": ..., <the request's members>}`.
fn with_cluster<T: serde::Serialize>(cluster: &str, request: &T) -> Node {
    let mut body = Node::map().with("cluster", Node::string(cluster));
    if let Node::Map(fields) = Node::from_serialize(request) {
        for (key, value) in fields {
            body.insert(&key, value);
        }
    }
    body
}

/// The revision a timeline `registerTaskDefinition` makes, as the world makes it: the family's
/// latest with the named images, cpu and memory replaced (`World::register_task_definition`).
fn registered_copy(
    registry: &TaskDefinitionRegistry,
    register: &RegisterTaskDefinition,
) -> Option<TaskDefinition> {
    let latest = registry.resolve(&register.family).ok()?;
    let mut definition = registry.get(&latest)?.clone();
    for (container, image) in &register.images {
        let target = definition
            .container_definitions
            .iter_mut()
            .find(|c| c.name == *container)?;
        target.image = image.clone();
    }
    if let Some(cpu) = &register.cpu {
        definition.cpu = Some(cpu.clone());
    }
    if let Some(memory) = &register.memory {
        definition.memory = Some(memory.clone());
    }
    Some(definition)
}

fn service_cluster<'a>(scenario: &'a Scenario, name: &str) -> Option<&'a str> {
    scenario
        .services
        .iter()
        .find(|s: &&ServiceDefinition| s.service_name == name)
        .and_then(|s| s.cluster.as_deref())
}

/// `family:3` or `family` → `family`.
pub(crate) fn family_of(reference: &str) -> &str {
    reference.split(':').next().unwrap_or(reference)
}

/// Names are letters, digits, `-` and `_` already; durations add nothing worse. Anything else
/// becomes `-` so a file name never leaves the export directory.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}
