//! Import of real AWS documents into a scenario: task definitions (`RegisterTaskDefinition`
//! input, or `aws ecs describe-task-definition` output), services (`CreateService` input, or
//! `describe-services` output), the fleet (`describe-container-instances` output), and
//! Flotilla's own ECS export bundle. Pure: text in, a new scenario and a report out.
//!
//! Requests (UpdateService, RunTask, StartTask) are not state and are only noted. So are the
//! registrations an export places on its timeline: a bundle entry or a file that the export's
//! manifest (`flotilla-export.json`, given beside the files) lists with a time (`at`).
//!
//! Nothing is dropped silently. Every member is one of:
//! - modelled: read into the scenario's API-shaped structs;
//! - read-only: state AWS reports but no request takes (`taskDefinitionArn`, `revision`,
//!   `runningCount`, `events`, the agent's `ecs.*` attributes...): dropped, noted as
//!   [`NoteKind::ReadOnly`];
//! - empty or default (`environment: []`, `deploymentController: {type: ECS}`): dropped, noted as
//!   [`NoteKind::Default`], nothing is lost;
//! - anything else the sandbox does not model yet: dropped and reported with its JSON path as
//!   [`NoteKind::Unsupported`] (the CLI fails on these unless told to go on).
//!
//! Malformed input (not JSON, wrong types, missing members, references that do not resolve) is
//! an [`ImportError`] with the document and the path. Nothing here panics on any input.
//!
//! Revisions: the sandbox numbers revisions by registration order, so importing registers each
//! task definition as the next revision of its family. A service that names a revision from the
//! same import (`web:7`, or its ARN) is pointed at the revision it became (noted as renamed).

use crate::compact::SortedMap;
use crate::json_input::{
    count_nodes, deserialize_at, parse_json, remove_at, remove_unknown_members, segments_path,
};
use crate::problem::{join_path as join, Problem};
use crate::scenario::{self, FleetEntry, Scenario, SCENARIO_BYTES_MAX, SCENARIO_VERSION};
use crate::service::ServiceDefinition;
use crate::taskdef::{self, TaskDefinition};
use serde::de::DeserializeOwned;

#[cfg(feature = "discovery")]
mod discovery;
#[cfg(not(feature = "discovery"))]
mod without_discovery;
use serde_json::Value;
#[cfg(not(feature = "discovery"))]
use without_discovery as discovery;

/// Malformed input: a [`Problem`] and the document it is in (one import reads several).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub document: String,
    pub path: String,
    pub message: String,
}

impl ImportError {
    pub fn new(document: impl Into<String>, problem: Problem) -> ImportError {
        ImportError {
            document: document.into(),
            path: problem.path,
            message: problem.message,
        }
    }

    /// The problem without the document's name.
    pub fn problem(&self) -> Problem {
        Problem::new(self.path.clone(), self.message.clone())
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.document.is_empty(), self.path.is_empty()) {
            (true, true) => f.write_str(&self.message),
            (true, false) => write!(f, "{}: {}", self.path, self.message),
            (false, true) => write!(f, "{}: {}", self.document, self.message),
            (false, false) => write!(f, "{}: {}: {}", self.document, self.path, self.message),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// Reported by AWS, taken by no request; dropped knowingly.
    ReadOnly,
    /// Empty or the API default; dropping it loses nothing.
    Default,
    /// A reference rewritten (an ARN to `family:revision`, a revision to the one it became).
    Renamed,
    /// A request that is not state (RunTask, UpdateService): not imported.
    NotState,
    /// Not modelled by the sandbox: dropped, and the scenario differs from the input here.
    Unsupported,
}

/// Something the import did that the user should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportNote {
    pub document: String,
    pub path: String,
    pub kind: NoteKind,
    pub message: String,
}

impl std::fmt::Display for ImportNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            NoteKind::ReadOnly => "read-only, dropped",
            NoteKind::Default => "default, dropped",
            NoteKind::Renamed => "renamed",
            NoteKind::NotState => "not imported",
            NoteKind::Unsupported => "UNSUPPORTED, dropped",
        };
        if self.path.is_empty() {
            write!(f, "{}: {kind}: {}", self.document, self.message)
        } else {
            write!(
                f,
                "{}: {}: {kind}: {}",
                self.document, self.path, self.message
            )
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    pub scenario: Scenario,
    pub notes: Vec<ImportNote>,
}

impl ImportOutcome {
    pub fn unsupported(&self) -> impl Iterator<Item = &ImportNote> {
        self.notes
            .iter()
            .filter(|n| n.kind == NoteKind::Unsupported)
    }
}

/// The kinds of document [`import`] recognises, by their top-level members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// `{"family", "containerDefinitions", ...}`
    RegisterTaskDefinition,
    /// `{"taskDefinition": {...}, "tags": [...]}`
    DescribeTaskDefinition,
    /// `{"serviceName", "taskDefinition", ...}`
    CreateService,
    /// `{"services": [...], "failures": [...]}`
    DescribeServices,
    /// `{"containerInstances": [...], "failures": [...]}`
    DescribeContainerInstances,
    /// `{"service", ...}`: a timeline request, not state.
    UpdateService,
    /// `{"taskDefinition": "family:1", "count"...}`: a one-off request, not state.
    RunTask,
    /// `{"taskDefinition": "family:1", "containerInstances": ["..."]}`: not state either.
    StartTask,
    /// Flotilla's manifest (`flotilla-export.json`): which files are timeline requests.
    FlotillaManifest,
    /// Flotilla's `EcsExport::bundle()`: `{"generator", "documents": [{"operation", "input"}]}`.
    FlotillaBundle,
    // Discovery documents (`import/discovery.rs`): elbv2, route53 and servicediscovery
    // request bodies, and describe-target-groups / describe-target-health output.
    CreateTargetGroup,
    DescribeTargetGroups,
    DescribeTargetHealth,
    ModifyTargetGroupAttributes,
    CreateLoadBalancer,
    CreateListener,
    CreateRule,
    CreateHostedZone,
    ChangeResourceRecordSets,
    CreatePrivateDnsNamespace,
    CreateHttpNamespace,
    /// servicediscovery's CreateService.
    CreateDiscoveryService,
}

/// Recognises a document by its shape.
pub fn detect(value: &Value) -> Option<DocumentKind> {
    let object = value.as_object()?;
    let has = |key: &str| object.contains_key(key);
    let is_start_task = object.get("taskDefinition").is_some_and(Value::is_string)
        && object
            .get("containerInstances")
            .and_then(Value::as_array)
            .is_some_and(|items| items.iter().all(Value::is_string));
    Some(if has("documents") && has("generator") {
        let entries = object.get("documents").and_then(Value::as_array);
        if entries.is_some_and(|e| !e.is_empty() && e.iter().all(|d| d.get("input").is_none())) {
            DocumentKind::FlotillaManifest
        } else {
            DocumentKind::FlotillaBundle
        }
    } else if is_start_task {
        DocumentKind::StartTask
    } else if object.get("taskDefinition").is_some_and(Value::is_object) {
        DocumentKind::DescribeTaskDefinition
    } else if has("containerDefinitions") || has("family") {
        DocumentKind::RegisterTaskDefinition
    } else if object.get("services").is_some_and(Value::is_array) {
        DocumentKind::DescribeServices
    } else if object
        .get("containerInstances")
        .is_some_and(Value::is_array)
    {
        DocumentKind::DescribeContainerInstances
    } else if has("serviceName") {
        DocumentKind::CreateService
    } else if has("service") {
        DocumentKind::UpdateService
    } else if object.get("taskDefinition").is_some_and(Value::is_string) {
        DocumentKind::RunTask
    } else {
        return discovery::detect(object);
    })
}

/// An empty scenario to import into when there is no current one.
pub fn empty_scenario(name: &str) -> Scenario {
    Scenario {
        version: SCENARIO_VERSION,
        name: name.to_string(),
        description: String::new(),
        seed: 1,
        duration: None,
        fleet: Vec::new(),
        task_definitions: Vec::new(),
        revision_behaviour: Vec::new(),
        services: Vec::new(),
        timeline: Vec::new(),
        #[cfg(feature = "discovery")]
        target_groups: Vec::new(),
        #[cfg(feature = "discovery")]
        load_balancers: Vec::new(),
        #[cfg(feature = "discovery")]
        route53: Default::default(),
        #[cfg(feature = "discovery")]
        cloud_map: Default::default(),
        assertions: Vec::new(),
        #[cfg(feature = "discovery")]
        traffic: None,
    }
}

/// Imports `documents` (`(name, text)` pairs: a file name, or "pasted") into a copy of `base`.
/// Task definitions are registered first, then services, then container instances, whatever
/// the order given, so a service can name a revision imported beside it. The result is
/// validated like a scenario file.
pub fn import(
    base: &Scenario,
    documents: &[(&str, &str)],
) -> Result<ImportOutcome, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in documents {
        match parse_document(name, text) {
            Ok(parts) => parsed.extend(parts),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A manifest beside the files says which of them are timeline requests (registrations of
    // later revisions included): those are not state, whatever their shape.
    let timeline_files: Vec<String> = parsed
        .iter()
        .filter(|part| part.kind == DocumentKind::FlotillaManifest)
        .flat_map(|part| timeline_entries(&part.value))
        .collect();
    for part in &mut parsed {
        let file = part.document.rsplit(['/', '\\']).next().unwrap_or("");
        if part.path.is_empty() && timeline_files.iter().any(|f| f == file) {
            part.timeline = true;
        }
    }
    let mut importer = Importer {
        scenario: base.clone(),
        notes: Vec::new(),
        errors: Vec::new(),
        renamed_revisions: SortedMap::new(),
    };
    // Stable passes by kind: task definitions, then the discovery members (in three stages:
    // what names nothing, what names those, listener rules), then services, then the fleet.
    for pass in 0..3 {
        if pass == 1 {
            for stage in 0..3 {
                for part in parsed.iter().filter(|part| !part.timeline) {
                    importer.discovery(stage, part);
                }
            }
        }
        for part in &parsed {
            if part.timeline {
                if pass == 0 {
                    importer.notes.push(ImportNote {
                        document: part.document.clone(),
                        path: part.path.clone(),
                        kind: NoteKind::NotState,
                        message:
                            "a timeline request, not state: the scenario's timeline holds actions"
                                .into(),
                    });
                }
                continue;
            }
            match (pass, part.kind) {
                (0, DocumentKind::RegisterTaskDefinition) => {
                    importer.task_definition(&part.document, &part.path, part.value.clone(), None)
                }
                (0, DocumentKind::DescribeTaskDefinition) => {
                    importer.describe_task_definition(&part.document, &part.path, &part.value)
                }
                (1, DocumentKind::CreateService) => {
                    importer.service(&part.document, &part.path, part.value.clone())
                }
                (1, DocumentKind::DescribeServices) => {
                    importer.describe_services(&part.document, &part.path, &part.value)
                }
                (2, DocumentKind::DescribeContainerInstances) => {
                    importer.container_instances(&part.document, &part.path, &part.value)
                }
                (0, DocumentKind::FlotillaManifest) => importer.notes.push(ImportNote {
                    document: part.document.clone(),
                    path: part.path.clone(),
                    kind: NoteKind::NotState,
                    message: "the export's manifest: it orders the files beside it and marks the timeline's requests".into(),
                }),
                (
                    0,
                    DocumentKind::UpdateService | DocumentKind::RunTask | DocumentKind::StartTask,
                ) => importer.notes.push(ImportNote {
                    document: part.document.clone(),
                    path: part.path.clone(),
                    kind: NoteKind::NotState,
                    message: "a request, not state: the scenario's timeline holds actions".into(),
                }),
                _ => {}
            }
        }
    }
    if !importer.errors.is_empty() {
        return Err(importer.errors);
    }
    if let Err(problems) = scenario::compile(&importer.scenario) {
        return Err(problems
            .into_iter()
            .map(|problem| ImportError::new("imported scenario", with_import_hint(problem)))
            .collect());
    }
    // The scenario printed must be one `validate` reads: import never sidesteps the size limit.
    let size_bytes = importer.scenario.to_json().len() + 1;
    if size_bytes > SCENARIO_BYTES_MAX {
        return Err(vec![ImportError::new(
            "imported scenario",
            Problem::new(
                "",
                format!(
                    "would be {size_bytes} bytes; a scenario's limit is {SCENARIO_BYTES_MAX} \
                     bytes (4 MiB): import fewer or smaller documents"
                ),
            ),
        )]);
    }
    Ok(ImportOutcome {
        scenario: importer.scenario,
        notes: importer.notes,
    })
}

/// A compile problem of the imported scenario with what to do about it on import: a service
/// whose task definition was not imported (describe-services alone) names the documents that
/// would bring it.
fn with_import_hint(problem: Problem) -> Problem {
    if problem.path.starts_with("services[")
        && problem
            .message
            .starts_with("no task definition with family")
    {
        let message = format!(
            "{}; import the task definition too (its describe-task-definition output or \
             RegisterTaskDefinition input), or import into a scenario that has it with --into",
            problem.message
        );
        return Problem::new(problem.path, message);
    }
    problem
}

/// One importable piece: a whole document, or one request inside a Flotilla bundle.
struct Part {
    document: String,
    /// Path prefix of the piece inside its document (`documents[3].input`), or empty.
    path: String,
    kind: DocumentKind,
    value: Value,
    /// A request the export places on the timeline (it has an `at`): not state.
    timeline: bool,
}

/// The files a manifest lists with a time (`at`): the timeline's requests.
fn timeline_entries(manifest: &Value) -> Vec<String> {
    manifest
        .get("documents")
        .and_then(Value::as_array)
        .map(|entries| {
            entries
                .iter()
                .filter(|entry| entry.get("at").is_some())
                .filter_map(|entry| entry.get("file").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn parse_document(name: &str, text: &str) -> Result<Vec<Part>, ImportError> {
    let error = |path: &str, message: String| ImportError::new(name, Problem::new(path, message));
    if text.len() > SCENARIO_BYTES_MAX {
        return Err(error(
            "",
            format!("{} bytes; the limit is {SCENARIO_BYTES_MAX}", text.len()),
        ));
    }
    if text.trim().is_empty() {
        return Err(error("", "empty; expected a JSON document".into()));
    }
    let value = parse_json(text).map_err(|message| error("", message))?;
    let Some(kind) = detect(&value) else {
        return Err(error("", "not a document Flotilla imports; expected a task definition (RegisterTaskDefinition input or describe-task-definition output), a service (CreateService input or describe-services output), describe-container-instances output, an elbv2, route53 or servicediscovery request body the export writes, describe-target-groups or describe-target-health output, or a Flotilla ECS export bundle".into()));
    };
    if kind != DocumentKind::FlotillaBundle {
        return Ok(vec![Part {
            document: name.to_string(),
            path: String::new(),
            kind,
            value,
            timeline: false,
        }]);
    }
    let Some(Value::Array(documents)) = value.get("documents") else {
        return Err(error("documents", "expected an array".into()));
    };
    let mut parts = Vec::new();
    for (index, entry) in documents.iter().enumerate() {
        let path = format!("documents[{index}]");
        let operation = entry.get("operation").and_then(Value::as_str).unwrap_or("");
        let api = entry.get("api").and_then(Value::as_str);
        let kind = match operation {
            _ if discovery::bundle_kind(operation, api).is_some() => {
                discovery::bundle_kind(operation, api).unwrap_or(DocumentKind::CreateService)
            }
            "RegisterTaskDefinition" => DocumentKind::RegisterTaskDefinition,
            "CreateService" => DocumentKind::CreateService,
            "DescribeContainerInstances" => DocumentKind::DescribeContainerInstances,
            "RunTask" => DocumentKind::RunTask,
            "StartTask" => DocumentKind::StartTask,
            "UpdateService" => DocumentKind::UpdateService,
            other => {
                return Err(error(
                    &format!("{path}.operation"),
                    format!("\"{other}\" is not an operation Flotilla exports"),
                ))
            }
        };
        let Some(input) = entry.get("input") else {
            return Err(error(&format!("{path}.input"), "missing".into()));
        };
        parts.push(Part {
            document: name.to_string(),
            path: format!("{path}.input"),
            kind,
            value: input.clone(),
            timeline: entry.get("at").is_some(),
        });
    }
    Ok(parts)
}

/// Members of `describe-task-definition` output that no request takes.
const TASK_DEFINITION_READ_ONLY: [&str; 8] = [
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Members of `describe-services` output that no request takes (`clusterArn` becomes `cluster`).
const SERVICE_READ_ONLY: [&str; 12] = [
    "serviceArn",
    "status",
    "runningCount",
    "pendingCount",
    "deployments",
    "events",
    "createdAt",
    "createdBy",
    "taskSets",
    "roleArn",
    "platformFamily",
    "currentServiceDeployment",
];

/// Members whose API default changes nothing when imported.
const SERVICE_DEFAULTS: [(&str, &str); 3] = [
    ("cluster", r#""default""#),
    ("deploymentController", r#"{"type":"ECS"}"#),
    ("propagateTags", r#""NONE""#),
];

/// Container-instance members that are runtime state of the instance or its agent.
const CONTAINER_INSTANCE_READ_ONLY: [&str; 14] = [
    "containerInstanceArn",
    "ec2InstanceId",
    "capacityProviderName",
    "version",
    "versionInfo",
    "remainingResources",
    "registeredResources",
    "runningTasksCount",
    "pendingTasksCount",
    "agentUpdateStatus",
    "attachments",
    "registeredAt",
    "healthStatus",
    "statusReason",
];

struct Importer {
    scenario: Scenario,
    notes: Vec<ImportNote>,
    errors: Vec<ImportError>,
    /// `family:revision` as the input named it → as the sandbox registered it.
    renamed_revisions: SortedMap<String, String>,
}

impl Importer {
    fn note(&mut self, document: &str, path: String, kind: NoteKind, message: impl Into<String>) {
        self.notes.push(ImportNote {
            document: document.to_string(),
            path,
            kind,
            message: message.into(),
        });
    }

    fn error(&mut self, document: &str, path: String, message: impl Into<String>) {
        self.errors
            .push(ImportError::new(document, Problem::new(path, message)));
    }

    fn describe_task_definition(&mut self, document: &str, prefix: &str, value: &Value) {
        let Some(object) = value.as_object() else {
            return;
        };
        for (key, member) in object {
            let path = join(prefix, key);
            match key.as_str() {
                "taskDefinition" => {
                    let revision = member.get("revision").and_then(Value::as_u64);
                    self.task_definition(document, &path, member.clone(), revision);
                }
                _ => self.unmodelled(document, path, member),
            }
        }
    }

    /// Registers one task definition as the next revision of its family.
    fn task_definition(
        &mut self,
        document: &str,
        prefix: &str,
        mut value: Value,
        aws_revision: Option<u64>,
    ) {
        if let Value::Object(object) = &mut value {
            self.drop_unmodelled_compatibilities(document, prefix, object);
            for key in TASK_DEFINITION_READ_ONLY {
                if object.remove(key).is_some() {
                    self.note(
                        document,
                        join(prefix, key),
                        NoteKind::ReadOnly,
                        "set by AWS at registration",
                    );
                }
            }
        }
        let Some(definition) = self.typed::<TaskDefinition>(document, prefix, value) else {
            return;
        };
        let family = definition.family.clone();
        self.scenario.task_definitions.push(definition);
        let revision = self
            .scenario
            .task_definitions
            .iter()
            .filter(|d| d.family == family)
            .count();
        if let Some(aws_revision) = aws_revision {
            let from = format!("{family}:{aws_revision}");
            let to = format!("{family}:{revision}");
            if from != to {
                self.note(
                    document,
                    join(prefix, "revision"),
                    NoteKind::Renamed,
                    format!("{from} is registered in the sandbox as {to}"),
                );
            }
            self.renamed_revisions.insert(from, to);
        }
    }

    fn describe_services(&mut self, document: &str, prefix: &str, value: &Value) {
        let Some(object) = value.as_object() else {
            return;
        };
        for (key, member) in object {
            let path = join(prefix, key);
            match (key.as_str(), member) {
                ("services", Value::Array(services)) => {
                    for (index, service) in services.iter().enumerate() {
                        self.service(document, &format!("{path}[{index}]"), service.clone());
                    }
                }
                _ => self.unmodelled(document, path, member),
            }
        }
    }

    /// A service replaces the scenario's service of the same name, or joins the list.
    fn service(&mut self, document: &str, prefix: &str, mut value: Value) {
        if let Value::Object(object) = &mut value {
            for key in SERVICE_READ_ONLY {
                if object.remove(key).is_some() {
                    self.note(
                        document,
                        join(prefix, key),
                        NoteKind::ReadOnly,
                        "reported by describe-services, taken by no request",
                    );
                }
            }
            for (key, default) in SERVICE_DEFAULTS {
                let is_default = serde_json::from_str::<Value>(default)
                    .is_ok_and(|d| object.get(key) == Some(&d));
                if is_default {
                    object.remove(key);
                    self.note(
                        document,
                        join(prefix, key),
                        NoteKind::Default,
                        format!("{default} is the API default"),
                    );
                }
            }
            let launch_type = object.get("launchType").and_then(Value::as_str);
            if let Some(launch_type) =
                launch_type.filter(|l| taskdef::NOT_MODELLED_LAUNCH_TYPES.contains(l))
            {
                let message = format!(
                    "{}; the service is imported with the EC2 launch type",
                    taskdef::launch_type_not_modelled(launch_type)
                );
                object.remove("launchType");
                self.note(
                    document,
                    join(prefix, "launchType"),
                    NoteKind::Unsupported,
                    message,
                );
            }
            // The scenario models these (`scenario/bindings.rs`); they name target groups and
            // Cloud Map services. Kept when the scenario (imported into, or given the
            // documents imported beside it) has every one they name; else kept out, with a
            // note, so the service still imports.
            for key in ["loadBalancers", "serviceRegistries"] {
                let known = object.get(key).is_some_and(|v| self.names_known(key, v));
                if known {
                    continue;
                }
                if let Some(removed) = object.remove(key) {
                    let path = join(prefix, key);
                    if vacuous(&removed) {
                        self.note(document, path, NoteKind::Default, "empty");
                    } else {
                        self.note(
                            document,
                            path,
                            NoteKind::Unsupported,
                            "names a target group or Cloud Map service that is neither in the \
                             scenario nor imported beside it (create-target-group or \
                             describe-target-groups, servicediscovery create-service)",
                        );
                    }
                }
            }
            if let Some(arn) = object.remove("clusterArn") {
                let name = arn
                    .as_str()
                    .map(|a| a.rsplit('/').next().unwrap_or(a).to_string());
                match name {
                    Some(name) if !object.contains_key("cluster") => {
                        self.note(
                            document,
                            join(prefix, "clusterArn"),
                            NoteKind::Renamed,
                            format!("read as cluster \"{name}\""),
                        );
                        object.insert("cluster".into(), Value::String(name));
                    }
                    _ => self.note(
                        document,
                        join(prefix, "clusterArn"),
                        NoteKind::ReadOnly,
                        "the service already names its cluster",
                    ),
                }
            }
            if let Some(Value::String(reference)) = object.get("taskDefinition") {
                let short = reference
                    .rsplit_once(":task-definition/")
                    .map_or(reference.as_str(), |(_, rest)| rest)
                    .to_string();
                let renamed = self.renamed_revisions.get(&short).cloned();
                let target = renamed.clone().unwrap_or_else(|| short.clone());
                if &target != reference {
                    self.note(
                        document,
                        join(prefix, "taskDefinition"),
                        NoteKind::Renamed,
                        format!("{reference} → {target}"),
                    );
                    object.insert("taskDefinition".into(), Value::String(target));
                }
            }
        }
        let Some(service) = self.typed::<ServiceDefinition>(document, prefix, value) else {
            return;
        };
        match self
            .scenario
            .services
            .iter_mut()
            .find(|s| s.service_name == service.service_name)
        {
            Some(existing) => *existing = service,
            None => self.scenario.services.push(service),
        }
    }

    /// Whether every `targetGroupArn` (`loadBalancers`) or `registryArn`
    /// (`serviceRegistries`) in a non-empty `value` names a target group or Cloud Map service
    /// of the scenario imported into.
    #[cfg(feature = "discovery")]
    fn names_known(&self, key: &str, value: &Value) -> bool {
        let Value::Array(entries) = value else {
            return false;
        };
        !entries.is_empty()
            && entries.iter().all(|entry| {
                let arn = |member: &str| entry.get(member).and_then(Value::as_str);
                if key == "loadBalancers" {
                    arn("targetGroupArn")
                        .and_then(|a| crate::scenario::target_group_name_of(a).ok())
                        .is_some_and(|name| {
                            self.scenario.target_groups.iter().any(|g| g.name == name)
                        })
                } else {
                    arn("registryArn")
                        .and_then(|a| crate::scenario::registry_name_of(a).ok())
                        .is_some_and(|name| {
                            self.scenario
                                .cloud_map
                                .namespaces
                                .iter()
                                .flat_map(|n| &n.services)
                                .any(|s| s.name == name)
                        })
                }
            })
    }

    /// Container instances become fleet entries; consecutive instances that are alike share one
    /// entry (so the export's instance order comes back unchanged).
    fn container_instances(&mut self, document: &str, prefix: &str, value: &Value) {
        let Some(object) = value.as_object() else {
            return;
        };
        let mut imported: Vec<FleetEntry> = Vec::new();
        for (key, member) in object {
            let path = join(prefix, key);
            let ("containerInstances", Value::Array(instances)) = (key.as_str(), member) else {
                self.unmodelled(document, path, member);
                continue;
            };
            for (index, instance) in instances.iter().enumerate() {
                let at = format!("{path}[{index}]");
                if let Some(entry) = self.container_instance(document, &at, instance) {
                    match imported.last_mut() {
                        Some(last) if same_kind(last, &entry) => {
                            last.count = last.count.saturating_add(1)
                        }
                        _ => imported.push(entry),
                    }
                }
            }
        }
        self.scenario.fleet.extend(imported);
    }

    fn container_instance(
        &mut self,
        document: &str,
        prefix: &str,
        value: &Value,
    ) -> Option<FleetEntry> {
        let Some(object) = value.as_object() else {
            self.error(document, prefix.to_string(), "expected an object");
            return None;
        };
        let mut instance_type = None;
        let mut availability_zone = None;
        let mut ami_id = None;
        let mut awsvpc_trunking = None;
        let mut agent_connected = None;
        let mut attributes = SortedMap::new();
        for (key, member) in object {
            let path = join(prefix, key);
            match key.as_str() {
                "attributes" => {
                    let Some(list) = member.as_array() else {
                        self.error(document, path, "expected an array");
                        return None;
                    };
                    for (index, attribute) in list.iter().enumerate() {
                        let at = format!("{path}[{index}]");
                        let Some(name) = attribute.get("name").and_then(Value::as_str) else {
                            self.error(document, format!("{at}.name"), "expected a string");
                            return None;
                        };
                        let text = match attribute.get("value") {
                            None | Some(Value::Null) => String::new(),
                            Some(Value::String(text)) => text.clone(),
                            Some(_) => {
                                self.error(document, format!("{at}.value"), "expected a string");
                                return None;
                            }
                        };
                        match name {
                            "ecs.instance-type" => instance_type = Some(text),
                            "ecs.availability-zone" => availability_zone = Some(text),
                            "ecs.ami-id" => ami_id = Some(text),
                            // Present only on instances launched after the awsvpcTrunking opt-in (§2.4).
                            "ecs.awsvpc-trunk-id" => awsvpc_trunking = Some(true),
                            _ if name.starts_with("ecs.")
                                || name.starts_with("com.amazonaws.ecs.") =>
                            {
                                self.note(
                                    document,
                                    at,
                                    NoteKind::ReadOnly,
                                    format!("built-in attribute {name}, set by the agent"),
                                )
                            }
                            _ => {
                                attributes.insert(name.to_string(), text);
                            }
                        }
                    }
                }
                // What the sandbox's instances are at registration: nothing to note.
                "status" if member.as_str() == Some("ACTIVE") => {}
                "agentConnected" => match member.as_bool() {
                    Some(true) => {}
                    Some(false) => agent_connected = Some(false),
                    None => {
                        self.error(document, path, "expected a boolean");
                        return None;
                    }
                },
                "status" => self.note(
                    document,
                    path,
                    NoteKind::Unsupported,
                    format!("{member} instances are imported as ACTIVE"),
                ),
                _ if CONTAINER_INSTANCE_READ_ONLY.contains(&key.as_str()) => self.note(
                    document,
                    path,
                    NoteKind::ReadOnly,
                    "runtime state of the instance",
                ),
                _ => self.unmodelled(document, path, member),
            }
        }
        let (Some(instance_type), Some(availability_zone)) = (instance_type, availability_zone)
        else {
            self.error(
                document,
                join(prefix, "attributes"),
                "needs the ecs.instance-type and ecs.availability-zone attributes",
            );
            return None;
        };
        Some(FleetEntry {
            instance_type,
            availability_zone,
            count: 1,
            ami_id,
            attributes,
            awsvpc_trunking,
            agent_connected,
        })
    }

    /// FARGATE (or EXTERNAL) in a task definition's `requiresCompatibilities`: not modelled, so
    /// the entry is dropped with a note and the definition is kept for the EC2 launch type (its
    /// task-level cpu and memory are then what placement charges on a container instance).
    fn drop_unmodelled_compatibilities(
        &mut self,
        document: &str,
        prefix: &str,
        object: &mut serde_json::Map<String, Value>,
    ) {
        let Some(Value::Array(list)) = object.get_mut("requiresCompatibilities") else {
            return;
        };
        let mut dropped = Vec::new();
        list.retain(|entry| {
            let unmodelled = entry
                .as_str()
                .filter(|e| taskdef::NOT_MODELLED_LAUNCH_TYPES.contains(e));
            if let Some(name) = unmodelled {
                dropped.push(name.to_string());
            }
            unmodelled.is_none()
        });
        if list.is_empty() {
            object.remove("requiresCompatibilities");
        }
        for name in dropped {
            self.note(
                document,
                join(prefix, "requiresCompatibilities"),
                NoteKind::Unsupported,
                format!(
                    "{}; the task definition is imported for EC2, where its task-level cpu and memory are charged on a container instance",
                    taskdef::launch_type_not_modelled(&name)
                ),
            );
        }
    }

    /// A member the sandbox does not model: a note, `Default` when it is empty.
    fn unmodelled(&mut self, document: &str, path: String, value: &Value) {
        if vacuous(value) {
            self.note(document, path, NoteKind::Default, "empty");
        } else {
            self.note(
                document,
                path,
                NoteKind::Unsupported,
                "not modelled by the sandbox",
            );
        }
    }

    /// Deserialises `value` as `T`; each member `T` does not know is removed and noted, then
    /// the rest is tried again. A wrong type or a missing member is an error.
    fn typed<T: DeserializeOwned>(
        &mut self,
        document: &str,
        prefix: &str,
        mut value: Value,
    ) -> Option<T> {
        // Each round removes at least one member, so there are at most as many rounds as nodes.
        let rounds_max = count_nodes(&value) + 1;
        for _ in 0..rounds_max {
            match deserialize_at::<T>(value.clone()) {
                Ok(parsed) => return Some(parsed),
                Err(error) => {
                    if !self.remove_unknown(document, prefix, &mut value, error) {
                        return None;
                    }
                }
            }
        }
        self.error(document, prefix.to_string(), "too many unknown members");
        None
    }

    /// One round of [`Self::typed`] after a failure: the unknown members removed and noted
    /// (true: try again), or the error recorded (false). Not generic and never inlined, so the
    /// app holds it once rather than once per type read.
    #[inline(never)]
    fn remove_unknown(
        &mut self,
        document: &str,
        prefix: &str,
        value: &mut Value,
        (segments, message): (Vec<String>, String),
    ) -> bool {
        let path = segments_path(prefix, &segments);
        if message.starts_with("unknown field") {
            // Every member the same kind of object does not know goes in one round, so the
            // rounds are as many as the kinds of objects, not the members: linear work.
            let removed = remove_unknown_members(value, &segments, &message);
            if !removed.is_empty() {
                for (member, removed) in removed {
                    self.unmodelled(document, segments_path(prefix, &member), &removed);
                }
                return true;
            }
            if let Some(removed) = remove_at(value, &segments) {
                self.unmodelled(document, path, &removed);
                return true;
            }
        }
        self.error(document, path, message.replace('`', "\""));
        false
    }
}

fn same_kind(a: &FleetEntry, b: &FleetEntry) -> bool {
    a.instance_type == b.instance_type
        && a.availability_zone == b.availability_zone
        && a.ami_id == b.ami_id
        && a.attributes == b.attributes
}

/// Null, false, empty, or made only of those: importing nothing loses nothing.
fn vacuous(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.values().all(vacuous),
        Value::Bool(true) | Value::Number(_) => false,
    }
}
