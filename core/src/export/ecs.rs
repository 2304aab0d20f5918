//! ECS API JSON: one request body per file, exactly what `aws ecs <operation> --cli-input-json`
//! takes. The scenario's task definitions and services are stored in the API's own shapes
//! (`TaskDefinition` is `RegisterTaskDefinition` input, `ServiceDefinition` is `CreateService`
//! input), so the bodies are those structs serialised: camelCase, task-level cpu/memory as
//! strings, container values as integers, unset members absent, enumerations in AWS's spelling.
//!
//! The API accepts no extra members, so the Flotilla version and the source scenario live in the
//! manifest (`flotilla-export.json`), which lists every file in the order to apply it:
//! registrations first (so revision numbers come out as in the sandbox), then CreateService,
//! then RunTask for task definitions no service runs, then one UpdateService per timeline
//! `updateService` action (with its time), and last the fleet as `describe-container-instances`
//! output — there is no API to create container instances (they register themselves), but that
//! is the shape `import` reads a fleet from.

use super::document::Node;
use super::{generator, FLOTILLA_VERSION};
use crate::action::Action;
use crate::scenario::Scenario;
use crate::service::ServiceDefinition;
use std::collections::BTreeSet;

/// What a document is for; names match botocore's operation names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EcsOperation {
    RegisterTaskDefinition,
    CreateService,
    RunTask,
    UpdateService,
    /// The fleet, as the *output* of this operation (see the module doc).
    DescribeContainerInstances,
}

impl EcsOperation {
    /// The API operation name (`RegisterTaskDefinition`).
    pub fn name(self) -> &'static str {
        match self {
            EcsOperation::RegisterTaskDefinition => "RegisterTaskDefinition",
            EcsOperation::CreateService => "CreateService",
            EcsOperation::RunTask => "RunTask",
            EcsOperation::UpdateService => "UpdateService",
            EcsOperation::DescribeContainerInstances => "DescribeContainerInstances",
        }
    }

    /// The AWS CLI sub-command (`register-task-definition`).
    pub fn cli_command(self) -> &'static str {
        match self {
            EcsOperation::RegisterTaskDefinition => "register-task-definition",
            EcsOperation::CreateService => "create-service",
            EcsOperation::RunTask => "run-task",
            EcsOperation::UpdateService => "update-service",
            EcsOperation::DescribeContainerInstances => "describe-container-instances",
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
    /// For timeline updates: when the scenario applies it (`"2m"`).
    pub at: Option<String>,
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
    let mut bodies: Vec<(EcsOperation, String, Option<String>, Node)> = Vec::new();

    let mut revisions: std::collections::BTreeMap<&str, u32> = Default::default();
    for definition in &scenario.task_definitions {
        let revision = revisions.entry(definition.family.as_str()).or_default();
        *revision += 1;
        bodies.push((
            EcsOperation::RegisterTaskDefinition,
            format!("{}-{}", definition.family, revision),
            None,
            Node::from_serialize(definition),
        ));
    }
    for service in &scenario.services {
        bodies.push((
            EcsOperation::CreateService,
            service.service_name.clone(),
            None,
            Node::from_serialize(service),
        ));
    }
    // A task definition that no service runs is a one-off or batch job: RunTask starts it.
    let used: BTreeSet<&str> = scenario
        .services
        .iter()
        .map(|s| family_of(&s.task_definition))
        .collect();
    let cluster = scenario.services.iter().find_map(|s| s.cluster.clone());
    for (family, revision) in &revisions {
        if used.contains(family) {
            continue;
        }
        let mut body = Node::map();
        if let Some(cluster) = &cluster {
            body.insert("cluster", Node::string(cluster));
        }
        let body = body
            .with(
                "taskDefinition",
                Node::string(format!("{family}:{revision}")),
            )
            .with("count", Node::number(1));
        bodies.push((EcsOperation::RunTask, family.to_string(), None, body));
    }
    for entry in &scenario.timeline {
        if let Action::UpdateService(update) = &entry.action {
            let mut body = Node::map();
            if let Some(cluster) = service_cluster(scenario, &update.service) {
                body.insert("cluster", Node::string(cluster));
            }
            if let Node::Map(fields) = Node::from_serialize(update) {
                for (key, value) in fields {
                    body.insert(&key, value);
                }
            }
            bodies.push((
                EcsOperation::UpdateService,
                format!("{}-at-{}", update.service, entry.at),
                Some(entry.at.clone()),
                body,
            ));
        }
    }

    let width = (bodies.len() + 1).to_string().len().max(2);
    let mut documents: Vec<EcsDocument> = bodies
        .into_iter()
        .enumerate()
        .map(|(index, (operation, name, at, body))| EcsDocument {
            file_name: format!(
                "{:0width$}-{}-{}.json",
                index + 1,
                operation.cli_command(),
                file_safe(&name)
            ),
            operation,
            at,
            json: body.to_json_pretty(),
        })
        .collect();
    if !scenario.fleet.is_empty() {
        documents.push(EcsDocument {
            file_name: FLEET_FILE_NAME.into(),
            operation: EcsOperation::DescribeContainerInstances,
            at: None,
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
    if document.operation.is_request() {
        entry.insert(
            "command",
            Node::string(format!(
                "aws ecs {} --cli-input-json file://{}",
                document.operation.cli_command(),
                document.file_name
            )),
        );
    } else {
        entry.insert("shape", Node::string("output"));
    }
    if let Some(at) = &document.at {
        entry.insert("at", Node::string(at));
    }
    entry
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
