//! The ECS JSON export replayed in order against a small model of the ECS API (registrations
//! numbered per family from 1, services per cluster, RunTask and StartTask recorded), then
//! compared with what the sandbox made of the same scenario: every revision the world
//! registered with the same content, each UpdateService naming the exact revision the world
//! deployed, each RunTask/StartTask with every member of the timeline action and the revision
//! the world ran, and the services' final revision and desired count. Validating each body alone
//! (botocore, in scripts/test.sh) cannot see a lost registration or a wrong revision: this can.

use flotilla_core::action::Action;
use flotilla_core::deploy::RolloutState;
use flotilla_core::event::{BatchKind, EventKind};
use flotilla_core::export::{self, EcsExport};
use flotilla_core::scenario::Scenario;
use flotilla_core::world::World;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Members no request takes; the model refuses them as botocore does.
const READ_ONLY: [&str; 4] = [
    "requiresAttributes",
    "revision",
    "status",
    "taskDefinitionArn",
];

/// What the model of the API holds after the replay.
#[derive(Default)]
struct Api {
    /// family → revisions (the request bodies), revision n at index n - 1.
    families: BTreeMap<String, Vec<Value>>,
    /// (cluster, service) → (exact revision, desired count).
    services: BTreeMap<(String, String), (String, Option<u64>)>,
    /// Every RunTask/StartTask and UpdateService body as applied, revision made exact.
    requests: Vec<(String, Value)>,
}

impl Api {
    /// `family` → latest, `family:n` → itself when registered; else the API's error.
    fn resolve(&self, text: &str) -> Result<String, String> {
        let (family, revision) = match text.rsplit_once(':') {
            Some((family, n)) => (family, Some(n.parse::<usize>().map_err(|e| e.to_string())?)),
            None => (text, None),
        };
        let count = self.families.get(family).map_or(0, Vec::len);
        match revision {
            None if count > 0 => Ok(format!("{family}:{count}")),
            Some(n) if (1..=count).contains(&n) => Ok(text.to_string()),
            _ => Err(format!(
                "ClientException: unable to find task definition {text}"
            )),
        }
    }

    fn apply(&mut self, operation: &str, manifest: &Value, body: &Value) -> Result<(), String> {
        let object = body.as_object().ok_or("the body is not an object")?;
        if let Some(key) = READ_ONLY.iter().find(|key| object.contains_key(**key)) {
            return Err(format!("Unknown parameter in input: \"{key}\""));
        }
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
        match operation {
            "RegisterTaskDefinition" => {
                let family = text("family").ok_or("family is required")?;
                let revisions = self.families.entry(family.clone()).or_default();
                revisions.push(body.clone());
                let made = format!("{family}:{}", revisions.len());
                let said = manifest.get("taskDefinition").and_then(Value::as_str);
                if said != Some(made.as_str()) {
                    return Err(format!("registered {made}; the manifest says {said:?}"));
                }
            }
            "CreateService" => {
                let cluster = text("cluster").ok_or("CreateService names no cluster")?;
                let name = text("serviceName").ok_or("serviceName is required")?;
                let revision = self.resolve(&text("taskDefinition").unwrap_or_default())?;
                let desired = object.get("desiredCount").and_then(Value::as_u64);
                if self
                    .services
                    .insert((cluster, name.clone()), (revision, desired))
                    .is_some()
                {
                    return Err(format!("InvalidParameterException: {name} exists"));
                }
            }
            "UpdateService" => {
                let cluster = text("cluster").ok_or("UpdateService names no cluster")?;
                let name = text("service").ok_or("service is required")?;
                let exact = match text("taskDefinition") {
                    Some(reference) if !reference.contains(':') => {
                        return Err(format!(
                            "taskDefinition \"{reference}\" is no exact revision"
                        ))
                    }
                    Some(reference) => Some(self.resolve(&reference)?),
                    None => None,
                };
                let service = self
                    .services
                    .get_mut(&(cluster, name.clone()))
                    .ok_or(format!("ServiceNotFoundException: {name}"))?;
                if let Some(revision) = exact {
                    service.0 = revision;
                }
                if let Some(count) = object.get("desiredCount").and_then(Value::as_u64) {
                    service.1 = Some(count);
                }
                self.requests.push((operation.into(), body.clone()));
            }
            "RunTask" | "StartTask" => {
                text("cluster").ok_or(format!("{operation} names no cluster"))?;
                let reference = text("taskDefinition").unwrap_or_default();
                if !reference.contains(':') {
                    return Err(format!(
                        "taskDefinition \"{reference}\" is no exact revision"
                    ));
                }
                self.resolve(&reference)?;
                self.requests.push((operation.into(), body.clone()));
            }
            "DescribeContainerInstances" => {}
            other => return Err(format!("{other} is not an operation the model knows")),
        }
        Ok(())
    }
}

/// Replays `ecs` in the manifest's order; the model of the API after it.
fn replay(ecs: &EcsExport) -> Result<Api, String> {
    let manifest: Value = serde_json::from_str(&ecs.manifest).map_err(|e| e.to_string())?;
    let entries = manifest["documents"].as_array().ok_or("no documents")?;
    let mut api = Api::default();
    for entry in entries {
        let file = entry["file"].as_str().unwrap_or_default();
        let document = ecs
            .documents
            .iter()
            .find(|d| d.file_name == file)
            .ok_or(format!("{file}: listed, not exported"))?;
        let body: Value = serde_json::from_str(&document.json).map_err(|e| e.to_string())?;
        let operation = entry["operation"].as_str().unwrap_or_default();
        api.apply(operation, entry, &body)
            .map_err(|e| format!("{file}: {e}"))?;
    }
    Ok(api)
}

fn without_read_only(mut value: Value) -> Value {
    if let Value::Object(object) = &mut value {
        for key in READ_ONLY {
            object.remove(key);
        }
    }
    value
}

/// The request members of a timeline action, without `taskDefinition` (compared apart).
fn members(action: &Action) -> Map<String, Value> {
    let value = serde_json::to_value(action).expect("actions serialise");
    let mut inner = value
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    inner.remove("taskDefinition");
    inner
}

/// Replays the export of `scenario` and compares it with the sandbox's run of it.
pub(super) fn check_replay(label: &str, scenario: &Scenario) {
    let ecs = export::ecs_json(scenario);
    let api = replay(&ecs).unwrap_or_else(|e| panic!("{label}: the replay fails: {e}"));
    let mut world = World::new(scenario).expect("the scenario builds a world");
    world.run_until(scenario.horizon());

    // Every revision the world registered, in order, with the same content.
    let mut registered: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (reference, definition) in world.task_definitions().iter() {
        let body = serde_json::to_value(definition).expect("serialises");
        registered
            .entry(reference.family.to_string())
            .or_default()
            .push(without_read_only(body));
    }
    assert_eq!(
        registered, api.families,
        "{label}: the replay registers exactly the world's revisions"
    );

    // The timeline's requests, one for one, in the order the world applied them.
    let mut applied: Vec<(String, Map<String, Value>, String)> = Vec::new();
    for event in world.events().iter() {
        match &event.kind {
            EventKind::ActionApplied {
                action,
                task_definition,
            } => {
                if let Action::UpdateService(update) = action.as_ref() {
                    let exact = task_definition.as_ref().map(ToString::to_string);
                    assert_eq!(
                        exact.is_some(),
                        update.task_definition.is_some(),
                        "{label}: {update:?}"
                    );
                    applied.push((
                        "UpdateService".into(),
                        members(action),
                        exact.unwrap_or_default(),
                    ));
                }
            }
            EventKind::BatchLaunched { call, .. } => {
                let operation = match call.kind {
                    BatchKind::RunTask { .. } => "RunTask",
                    _ => "StartTask",
                };
                applied.push((
                    operation.into(),
                    Map::new(),
                    call.task_definition.to_string(),
                ));
            }
            _ => {}
        }
    }
    // The members of each RunTask/StartTask come from the scenario's timeline, in time order.
    let mut timeline: Vec<&Action> = {
        let mut entries: Vec<(u64, usize)> = scenario
            .timeline
            .iter()
            .enumerate()
            .map(|(i, e)| (flotilla_core::time::parse_duration(&e.at).unwrap_or(0), i))
            .collect();
        entries.sort();
        entries
            .into_iter()
            .map(|(_, i)| &scenario.timeline[i].action)
            .filter(|a| matches!(a, Action::RunTask(_) | Action::StartTask(_)))
            .collect()
    };
    timeline.reverse();
    for entry in &mut applied {
        if entry.0 != "UpdateService" {
            let action = timeline.pop().expect("a timeline batch action");
            entry.1 = members(action);
        }
    }
    assert_eq!(
        api.requests.len(),
        applied.len(),
        "{label}: one exported request per request the world applied"
    );
    for ((operation, body), (world_operation, wanted, revision)) in
        api.requests.iter().zip(&applied)
    {
        assert_eq!(operation, world_operation, "{label}: order of requests");
        let mut body = body.as_object().cloned().unwrap_or_default();
        body.remove("cluster");
        let exported = body.remove("taskDefinition");
        if !revision.is_empty() {
            assert_eq!(
                exported.as_ref().and_then(Value::as_str),
                Some(revision.as_str()),
                "{label}: {operation} names the revision the world used"
            );
        }
        assert_eq!(&body, wanted, "{label}: {operation} keeps every member");
    }

    // The services end where the world's do.
    for service in world.services() {
        let cluster = service
            .definition
            .cluster
            .clone()
            .unwrap_or_else(|| export::DEFAULT_CLUSTER.into());
        let (revision, desired) = api
            .services
            .get(&(cluster, service.name.clone()))
            .unwrap_or_else(|| panic!("{label}: service {} was created", service.name));
        // The revision asked for, unless its deployment failed and ECS rolled it back.
        let failed = service.deployments.iter().any(|d| {
            d.rollout_state == RolloutState::Failed && d.task_definition.to_string() == *revision
        });
        if !failed {
            assert_eq!(
                revision,
                &service.task_definition.to_string(),
                "{label}: {} runs the revision asked for",
                service.name
            );
        }
        if !service.is_daemon() {
            if let Some(desired) = desired {
                assert_eq!(
                    *desired,
                    u64::from(service.desired_count),
                    "{label}: {}",
                    service.name
                );
            }
        }
    }
}
