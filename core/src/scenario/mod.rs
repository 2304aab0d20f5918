//! Scenario files, version 1: the contract between the UI, the CLI, tests and embeds.
//! Task definitions and services keep the ECS API shapes; the fleet, per-revision behaviour,
//! the timeline, the seed and the run's duration are the sandbox's own. Loading never panics:
//! every problem becomes a [`Problem`] with the JSON path and a plain message, and as many as
//! can be found are reported at once (each list element is checked on its own).
//!
//! Here: the file's shapes and reading JSON into them. `compile.rs` checks everything beyond
//! the shape and builds the model the world runs on (`model.rs`); `rules.rs` holds the
//! single-value rules; revision behaviour lives in `crate::behaviour`.

mod assertions;
#[cfg(feature = "discovery")]
mod bindings;
mod compile;
#[cfg(feature = "discovery")]
mod discovery;
#[cfg(feature = "discovery")]
mod dns;
mod model;
#[cfg(feature = "discovery")]
mod read;
mod rules;
mod service;
#[cfg(feature = "discovery")]
pub(crate) use bindings::BindingContext;
pub(crate) use service::{compile_service, ServiceSurroundings};
#[cfg(not(feature = "discovery"))]
mod without_discovery;
#[cfg(not(feature = "discovery"))]
pub use without_discovery::{not_in_this_build, DISCOVERY_MEMBERS};
mod work;
pub use work::{total_work_problem, TOTAL_DESIRED_TASKS_MAX};
#[cfg(feature = "discovery")]
mod traffic;
#[cfg(feature = "discovery")]
mod traffic_routes;
#[cfg(feature = "discovery")]
pub use traffic_routes::{resolve_traffic, ALIAS_TTL_SECONDS_DEFAULT};

pub use crate::behaviour::{
    BehaviourSpec, RevisionBehaviour, DEFAULT_START_TIME_MS, DEFAULT_STOP_TIME_MS,
};
pub use crate::problem::Problem;
pub use assertions::names as assertion_names;
#[cfg(feature = "discovery")]
pub use bindings::{
    example_target_group_arn, registry_name_of, target_group_name_of, ServiceLoadBalancer,
    ServiceRegistry,
};
pub use compile::{compile, validate};
#[cfg(feature = "discovery")]
pub use discovery::{
    AliasSpec, CloudMapServiceSpec, CloudMapSpec, ConditionSpec, CustomHealthSpec, DnsRecordSpec,
    ForwardSpec, HealthCheckSpec, HostedZoneSpec, ListenerSpec, LoadBalancerSpec, NamespaceSpec,
    RecordSpec, Route53Spec, RuleSpec, TargetGroupAttributes, TargetGroupSpec,
};
pub use model::{
    CompiledFleetEntry, CompiledScenario, CompiledService, ScheduledAction, DEFAULT_AMI_ID,
};
pub use rules::{
    deployment_configuration_check, deployment_configuration_problems,
    DURATION_DEFAULT_AFTER_TIMELINE_MS, DURATION_MS_MAX, PERCENT_MAX,
};
#[cfg(feature = "discovery")]
pub use traffic::{
    compile_traffic, CallSpec, Clients, ClientsSpec, CompiledCall, CompiledEntryPoint,
    CompiledTraffic, EntryPointSpec, EntryTarget, ProfileSpec, TrafficScenario,
};

use crate::action::Action;
use crate::assertions::AssertionEntry;
use crate::compact::SortedMap;
use crate::json_input::{
    deserialize_at, document_value, json_kind, segments_path, versioned_object, DocumentKind,
};
use crate::problem::join_path;
use crate::service::ServiceDefinition;
use crate::taskdef::TaskDefinition;
use crate::time::{parse_duration, SimTime};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const SCENARIO_VERSION: u32 = 1;
/// Hard limits so that a hostile file cannot freeze a tab (PRODUCT.md, reliability rules).
pub const SCENARIO_BYTES_MAX: usize = 4 * 1024 * 1024;
pub const INSTANCES_MAX: u32 = 10_000;
pub const SERVICES_MAX: usize = 10_000;
pub const DESIRED_COUNT_MAX: u32 = 100_000;

/// The name scenario loading used for [`Problem`] before there was one type for every input.
pub type ScenarioError = Problem;

/// A validated scenario, ready for `World::new`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub seed: u64,
    /// How long a run of the scenario lasts (`"10m"`): where the CLI's `run` and the tests
    /// stop. Absent: one hour after the last timeline entry (see `rules.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    pub fleet: Vec<FleetEntry>,
    #[serde(default)]
    pub task_definitions: Vec<TaskDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revision_behaviour: Vec<RevisionBehaviour>,
    #[serde(default)]
    pub services: Vec<ServiceDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    /// ALB/NLB target groups (§5.1; `discovery.rs`).
    #[cfg(feature = "discovery")]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "read::serde_target_groups"
    )]
    pub target_groups: Vec<TargetGroupSpec>,
    /// Application and Network Load Balancers with their listeners.
    #[cfg(feature = "discovery")]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "read::serde_load_balancers"
    )]
    pub load_balancers: Vec<LoadBalancerSpec>,
    /// Route 53 hosted zones and records (§5.2).
    #[cfg(feature = "discovery")]
    #[serde(
        default,
        skip_serializing_if = "Route53Spec::is_empty",
        deserialize_with = "read::serde_route53"
    )]
    pub route53: Route53Spec,
    /// Cloud Map namespaces and services (§5.3).
    #[cfg(feature = "discovery")]
    #[serde(
        default,
        skip_serializing_if = "CloudMapSpec::is_empty",
        deserialize_with = "read::serde_cloud_map"
    )]
    pub cloud_map: CloudMapSpec,
    /// What the run must show (`crate::assertions`): sentences, each optionally named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assertions: Vec<AssertionEntry>,
    /// Synthetic request traffic (`traffic.rs`); absent: none.
    #[cfg(feature = "discovery")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "read::serde_traffic"
    )]
    pub traffic: Option<TrafficScenario>,
}

/// `count` container instances of one type in one Availability Zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FleetEntry {
    pub instance_type: String,
    pub availability_zone: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_id: Option<String>,
    /// Custom attributes (`stack: prod`), set at registration (§1.7).
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub attributes: SortedMap<String, String>,
    /// The account opted in to `awsvpcTrunking` before these instances launched (§2.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awsvpc_trunking: Option<bool>,
    /// `false` registers the instances with a disconnected agent (§1.1 `AGENT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_connected: Option<bool>,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimelineEntry {
    /// When, from the start of the run (`"2m"`).
    pub at: String,
    pub action: Action,
}

/// Parses and validates a scenario file.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<Problem>> {
    from_value(document_value(text, &SCENARIO_DOCUMENT)?)
}

/// How scenario files are named in the loader's messages (json_input's document checks).
const SCENARIO_DOCUMENT: DocumentKind = DocumentKind {
    noun: "scenario",
    reads: "",
    bytes_max: SCENARIO_BYTES_MAX,
    bytes_max_words: "4 MiB",
    version: SCENARIO_VERSION,
};

/// Validates an already-parsed JSON value (the JS API hands these over).
pub fn from_value(value: Value) -> Result<Scenario, Vec<Problem>> {
    let mut object = versioned_object(value, &SCENARIO_DOCUMENT)?;

    // Check each list element separately so one typo does not hide the next.
    let mut errors = Vec::new();
    // Without discovery in this build, its members are refused (and taken out) where they stand.
    #[cfg(not(feature = "discovery"))]
    without_discovery::refuse_members(&mut object, &mut errors);
    let mut sections: SortedMap<&str, Vec<Value>> = SortedMap::new();
    for key in [
        "fleet",
        "taskDefinitions",
        "revisionBehaviour",
        "services",
        "timeline",
        "targetGroups",
        "loadBalancers",
        "assertions",
    ] {
        match object.remove(key) {
            None => {}
            Some(Value::Array(items)) => {
                sections.insert(key, items);
            }
            Some(other) => errors.push(Problem::new(
                key,
                format!("expected an array, found {}", json_kind(&other)),
            )),
        }
    }
    #[cfg(feature = "discovery")]
    let pending = read::take_members(&mut object, &mut errors);
    let header: Option<Header> = typed(Value::Object(object), "", &mut errors);
    let mut list = |key: &str| sections.remove(key).unwrap_or_default();
    let fleet: Vec<FleetEntry> = typed_list(list("fleet"), "fleet", &mut errors);
    let task_definitions: Vec<TaskDefinition> =
        typed_list(list("taskDefinitions"), "taskDefinitions", &mut errors);
    let revision_behaviour: Vec<RevisionBehaviour> =
        typed_list(list("revisionBehaviour"), "revisionBehaviour", &mut errors);
    let services: Vec<ServiceDefinition> = typed_list(list("services"), "services", &mut errors);
    let timeline: Vec<TimelineEntry> = typed_list(list("timeline"), "timeline", &mut errors);
    // The discovery members by hand (`read.rs`), each element on its own.
    #[cfg(feature = "discovery")]
    let discovery = read::read_members(
        pending,
        list("targetGroups"),
        list("loadBalancers"),
        &mut errors,
    );
    let assertions: Vec<AssertionEntry> = list("assertions")
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| {
            crate::assertions::entry_from_value(item)
                .map_err(|problem| errors.push(problem.under(&format!("assertions[{index}]"))))
                .ok()
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(header) = header else {
        return Err(errors);
    };
    #[cfg(feature = "discovery")]
    let Some(discovery) = discovery
    else {
        return Err(errors);
    };
    let scenario = Scenario {
        version: header.version,
        name: header.name,
        description: header.description,
        seed: header.seed,
        duration: header.duration,
        fleet,
        task_definitions,
        revision_behaviour,
        services,
        timeline,
        #[cfg(feature = "discovery")]
        target_groups: discovery.target_groups,
        #[cfg(feature = "discovery")]
        load_balancers: discovery.load_balancers,
        #[cfg(feature = "discovery")]
        route53: discovery.route53,
        #[cfg(feature = "discovery")]
        cloud_map: discovery.cloud_map,
        assertions,
        #[cfg(feature = "discovery")]
        traffic: discovery.traffic,
    };
    let errors = validate(&scenario);
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(errors)
    }
}

impl Scenario {
    /// The scenario file text, pretty-printed. Parsing it gives back an equal scenario.
    /// (Written compact and re-indented: see `json_pretty` for why.)
    pub fn to_json(&self) -> String {
        crate::json_pretty::pretty(&serde_json::to_string(self).unwrap_or_default())
    }

    /// Where a batch run of this scenario stops: `duration`, or one hour after the last
    /// timeline entry. For a scenario that compiled ([`compile`] reports a bad `duration`;
    /// here one counts as absent).
    pub fn horizon(&self) -> SimTime {
        let last_action_ms = self.last_timeline_ms();
        rules::horizon(self.duration.as_deref(), last_action_ms).unwrap_or(SimTime(
            last_action_ms.saturating_add(DURATION_DEFAULT_AFTER_TIMELINE_MS),
        ))
    }

    /// When the latest readable timeline entry applies (0 without any).
    fn last_timeline_ms(&self) -> u64 {
        self.timeline
            .iter()
            .filter_map(|entry| parse_duration(&entry.at).ok())
            .max()
            .unwrap_or(0)
    }
}

/// Top-level scalars, deserialised apart from the lists.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Header {
    version: u32,
    name: String,
    #[serde(default)]
    description: String,
    seed: u64,
    #[serde(default)]
    duration: Option<String>,
}

/// `T` from `value`, or `None` with the problem recorded, its path led by `prefix` (scenario and
/// lesson files).
pub(crate) fn typed<T: DeserializeOwned>(
    value: Value,
    prefix: &str,
    errors: &mut Vec<Problem>,
) -> Option<T> {
    deserialize_at::<T>(value)
        .map_err(|error| record_serde_error(prefix, error, errors))
        .ok()
}

/// [`typed`]'s failure as a problem. Not generic and never inlined, so the app holds it once
/// rather than once per type read.
#[inline(never)]
fn record_serde_error(
    prefix: &str,
    (segments, message): (Vec<String>, String),
    errors: &mut Vec<Problem>,
) {
    errors.push(describe_serde_error(
        &segments_path(prefix, &segments),
        &message,
    ));
}

fn typed_list<T: DeserializeOwned>(
    items: Vec<Value>,
    key: &str,
    errors: &mut Vec<Problem>,
) -> Vec<T> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(index, item)| typed(item, &format!("{key}[{index}]"), errors))
        .collect()
}

/// Turns serde's message about the value at `base` into a problem, moving an unknown field's
/// name into the path (`deploymentConfiguration.maximumPercnt: unknown field; expected one of
/// ...`).
pub(crate) fn describe_serde_error(base: &str, message: &str) -> Problem {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once('`') {
            let expected = expected.trim_start_matches(", ").replace('`', "");
            // serde's path already ends with the unknown key in some shapes; don't repeat it.
            let path = if base.ends_with(field) {
                base.to_string()
            } else {
                join_path(base, field)
            };
            return Problem::new(path, format!("unknown field; {expected}"));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return Problem::new(join_path(base, field), "missing required field");
        }
    }
    Problem::new(base, message.replace('`', "\""))
}
