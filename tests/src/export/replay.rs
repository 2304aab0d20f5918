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
use std::collections::{BTreeMap, BTreeSet};

/// Members no request takes; the model refuses them as botocore does.
const READ_ONLY: [&str; 4] = [
    "requiresAttributes",
    "revision",
    "status",
    "taskDefinitionArn",
];

/// A service's (target group, container, port) and Cloud Map service bindings.
type Bindings = (Vec<(String, String, u64)>, Vec<String>);

/// What the model of the API holds after the replay.
#[derive(Default)]
struct Api {
    /// family → revisions (the request bodies), revision n at index n - 1.
    families: BTreeMap<String, Vec<Value>>,
    /// (cluster, service) → (exact revision, desired count).
    services: BTreeMap<(String, String), (String, Option<u64>)>,
    /// Every RunTask/StartTask and UpdateService body as applied, revision made exact.
    requests: Vec<(String, Value)>,
    /// elbv2: target group names; those a listener or rule forwards to; load balancer names;
    /// listeners as (load balancer ARN, port).
    target_groups: BTreeSet<String>,
    attached: BTreeSet<String>,
    load_balancers: BTreeSet<String>,
    listeners: BTreeSet<String>,
    /// route53 hosted zone ids; servicediscovery namespace ids and service names.
    zones: BTreeSet<String>,
    namespaces: BTreeSet<String>,
    registries: BTreeSet<String>,
    /// service → its (target group, container, port) and (Cloud Map service) bindings.
    bindings: BTreeMap<String, Bindings>,
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
        if let Some(api) = manifest.get("api").and_then(Value::as_str) {
            return self.apply_discovery(api, operation, body);
        }
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
                self.bind(&name, object)?;
                if self
                    .services
                    .insert((cluster, name.clone()), (revision, desired))
                    .is_some()
                {
                    return Err(format!("InvalidParameterException: {name} exists"));
                }
                // A timeline CreateService (the manifest gives its time) is a request of the
                // run, compared one for one with what the world created.
                if manifest.get("at").is_some() {
                    self.requests.push((operation.into(), body.clone()));
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

impl Api {
    /// The elbv2, route53 and servicediscovery requests: each names only what exists.
    fn apply_discovery(&mut self, api: &str, operation: &str, body: &Value) -> Result<(), String> {
        let text = |key: &str| {
            body.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match (api, operation) {
            ("elbv2", "CreateTargetGroup") => {
                if !self.target_groups.insert(text("Name")) {
                    return Err("DuplicateTargetGroupName".into());
                }
            }
            ("elbv2", "ModifyTargetGroupAttributes") => {
                self.group(&text("TargetGroupArn"))?;
            }
            ("elbv2", "CreateLoadBalancer") => {
                self.load_balancers.insert(text("Name"));
            }
            ("elbv2", "CreateListener") => {
                let arn = text("LoadBalancerArn");
                let name = arn.split('/').nth(2).unwrap_or_default();
                if !self.load_balancers.contains(name) {
                    return Err(format!("LoadBalancerNotFound: {arn}"));
                }
                self.forward(&body["DefaultActions"])?;
                let port = body["Port"].as_u64().unwrap_or_default();
                self.listeners.insert(format!("{name}/{port:016x}"));
            }
            ("elbv2", "CreateRule") => {
                let arn = text("ListenerArn");
                let parts: Vec<&str> = arn.split('/').collect();
                let key = format!(
                    "{}/{}",
                    parts.get(2).unwrap_or(&""),
                    parts.get(4).unwrap_or(&"")
                );
                if !self.listeners.contains(&key) {
                    return Err(format!("ListenerNotFound: {arn}"));
                }
                self.forward(&body["Actions"])?;
            }
            ("route53", "CreateHostedZone") => {
                self.zones
                    .insert(export::discovery_requests::zone_id(&text("Name")));
            }
            ("route53", "ChangeResourceRecordSets") => {
                if !self.zones.contains(&text("HostedZoneId")) {
                    return Err("NoSuchHostedZone".into());
                }
                for change in body["ChangeBatch"]["Changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    if let Some(dns) =
                        change["ResourceRecordSet"]["AliasTarget"]["DNSName"].as_str()
                    {
                        let name = dns.strip_suffix(export::discovery_requests::DNS_NAME_SUFFIX);
                        if !name.is_some_and(|n| self.load_balancers.contains(n)) {
                            return Err(format!(
                                "InvalidChangeBatch: alias target {dns} not found"
                            ));
                        }
                    }
                }
            }
            ("servicediscovery", "CreatePrivateDnsNamespace" | "CreateHttpNamespace") => {
                self.namespaces
                    .insert(export::discovery_requests::namespace_id(&text("Name")));
            }
            ("servicediscovery", "CreateService") => {
                if !self.namespaces.contains(&text("NamespaceId")) {
                    return Err("NamespaceNotFound".into());
                }
                self.registries.insert(text("Name"));
            }
            _ => {
                return Err(format!(
                    "{api} {operation} is not an operation the model knows"
                ))
            }
        }
        Ok(())
    }

    fn group(&self, arn: &str) -> Result<String, String> {
        let name = arn.split('/').nth(1).unwrap_or_default().to_string();
        if self.target_groups.contains(&name) {
            Ok(name)
        } else {
            Err(format!("TargetGroupNotFound: {arn}"))
        }
    }

    fn forward(&mut self, actions: &Value) -> Result<(), String> {
        for action in actions.as_array().into_iter().flatten() {
            for group in action["ForwardConfig"]["TargetGroups"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let name = self.group(group["TargetGroupArn"].as_str().unwrap_or_default())?;
                self.attached.insert(name);
            }
        }
        Ok(())
    }

    /// CreateService's `loadBalancers` and `serviceRegistries`, as ECS checks them: the target
    /// group exists and is attached to a load balancer; the Cloud Map service exists.
    fn bind(&mut self, service: &str, object: &Map<String, Value>) -> Result<(), String> {
        let mut groups = Vec::new();
        for binding in object
            .get("loadBalancers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let arn = binding["targetGroupArn"].as_str().unwrap_or_default();
            let name = self.group(arn)?;
            if !self.attached.contains(&name) {
                return Err(format!("InvalidParameterException: The target group with targetGroupArn {arn} does not have an associated load balancer."));
            }
            groups.push((
                name,
                binding["containerName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                binding["containerPort"].as_u64().unwrap_or_default(),
            ));
        }
        let mut registries = Vec::new();
        for registry in object
            .get("serviceRegistries")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let arn = registry["registryArn"].as_str().unwrap_or_default();
            let name = arn.rsplit('/').next().unwrap_or_default().to_string();
            if !self.registries.contains(&name) {
                return Err(format!("ServiceNotFound (servicediscovery): {arn}"));
            }
            registries.push(name);
        }
        self.bindings
            .insert(service.to_string(), (groups, registries));
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
                // One CreateService per service a `createService` made, in the order made,
                // each naming the revision the world resolved.
                if let Action::CreateService(create) = action.as_ref() {
                    let exact = task_definition.as_ref().map(ToString::to_string);
                    for k in 0..create.service_count() {
                        let request =
                            serde_json::to_value(create.request_of(k)).expect("serialises");
                        let mut request = request.as_object().cloned().unwrap_or_default();
                        request.remove("taskDefinition");
                        applied.push((
                            "CreateService".into(),
                            request,
                            exact
                                .clone()
                                .expect("a created service's revision is recorded"),
                        ));
                    }
                }
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
        if entry.0 != "UpdateService" && entry.0 != "CreateService" {
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
        if operation == "CreateService" && !wanted.contains_key("networkConfiguration") {
            // The export gives an awsvpc service without one a subnet per fleet zone (ECS
            // requires the member); the sandbox places it in those zones all the same.
            body.remove("networkConfiguration");
        }
        if !revision.is_empty() {
            assert_eq!(
                exported.as_ref().and_then(Value::as_str),
                Some(revision.as_str()),
                "{label}: {operation} names the revision the world used"
            );
        }
        assert_eq!(&body, wanted, "{label}: {operation} keeps every member");
    }

    // Every service is bound to the target groups and Cloud Map services the sandbox bound it
    // to (the compiled scenario: ids resolved to names).
    let compiled = flotilla_core::scenario::compile(scenario).expect("compiles");
    for service in &compiled.services {
        let config = &compiled.discovery;
        let groups: Vec<(String, String, u64)> = service
            .load_balancers
            .iter()
            .map(|b| {
                (
                    config.target_groups[b.target_group.0 as usize].name.clone(),
                    b.container_name.clone(),
                    u64::from(b.container_port),
                )
            })
            .collect();
        let registries: Vec<String> = service
            .service_registries
            .iter()
            .map(|r| config.cloud_map_services[r.service.0 as usize].name.clone())
            .collect();
        assert_eq!(
            api.bindings.get(&service.definition.service_name),
            Some(&(groups, registries)),
            "{label}: {} is bound in AWS as in the sandbox",
            service.definition.service_name
        );
    }

    // So is every service the timeline created (the world's bindings: names from its
    // configuration).
    let config = world.discovery().config();
    for service in world.services().iter().skip(compiled.services.len()) {
        let groups: Vec<(String, String, u64)> = (world.discovery())
            .service_load_balancers(service.id)
            .iter()
            .map(|b| {
                (
                    config.target_groups[b.target_group.0 as usize].name.clone(),
                    b.container_name.clone(),
                    u64::from(b.container_port),
                )
            })
            .collect();
        let registries: Vec<String> = (world.discovery())
            .service_registries(service.id)
            .iter()
            .map(|r| config.cloud_map_services[r.service.0 as usize].name.clone())
            .collect();
        assert_eq!(
            api.bindings.get(&service.name),
            Some(&(groups, registries)),
            "{label}: {}, created on the timeline, is bound in AWS as in the sandbox",
            service.name
        );
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
