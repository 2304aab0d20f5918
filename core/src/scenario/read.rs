//! The discovery and traffic members of a scenario file (`targetGroups`, `loadBalancers`,
//! `route53`, `cloudMap`, `traffic`) read by hand rather than with serde's derive: each derived shape added its own
//! copy of the tracked deserialiser to the browser app (tens of KB of wasm for these twenty
//! shapes), and the app has a size budget (PRODUCT.md). The words are the derive's, at the same
//! paths: a leaf (a name, a number, a choice such as `protocol`) goes through the loader's own
//! deserialiser (`typed`), an object's unknown members are "unknown field; expected one of
//! ...", a required one absent is "missing required field"; and every problem of an element is
//! said at once where the derive stopped at the first. `serde_*` are the same readers as serde
//! `deserialize_with` functions, for `Scenario`'s own `Deserialize` (the importer's answer).

use super::{
    typed, AliasSpec, CloudMapServiceSpec, CloudMapSpec, ConditionSpec, CustomHealthSpec,
    DnsRecordSpec, ForwardSpec, HealthCheckSpec, HostedZoneSpec, ListenerSpec, LoadBalancerSpec,
    NamespaceSpec, RecordSpec, Route53Spec, RuleSpec, TargetGroupAttributes, TargetGroupSpec,
};
use super::{CallSpec, ClientsSpec, EntryPointSpec, TrafficScenario};
use crate::json_input::plain_message;
use crate::json_tracked::invalid_type_words;
use crate::problem::{join_path, Problem};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `targetGroups[i]`.
pub(super) fn target_group(r: &mut Read<'_>, value: Value, path: &str) -> Option<TargetGroupSpec> {
    let known = [
        "name",
        "targetType",
        "protocol",
        "port",
        "healthCheck",
        "attributes",
    ];
    let mut o = r.object(value, path, &known)?;
    let name = r.text(&mut o, "name");
    let target_type = r.optional(&mut o, "targetType");
    let protocol = r.required(&mut o, "protocol");
    let port = r.whole(&mut o, "port");
    let health_check = r.optional_with(&mut o, "healthCheck", health_check);
    let attributes = r.optional_with(&mut o, "attributes", attributes);
    Some(TargetGroupSpec {
        name: name?,
        target_type: target_type?,
        protocol: protocol?,
        port: port?,
        health_check: health_check?,
        attributes: attributes?,
    })
}

fn health_check(r: &mut Read<'_>, value: Value, path: &str) -> Option<HealthCheckSpec> {
    let known = [
        "intervalSeconds",
        "timeoutSeconds",
        "healthyThresholdCount",
        "unhealthyThresholdCount",
        "path",
    ];
    let mut o = r.object(value, path, &known)?;
    let interval_seconds = r.whole_optional(&mut o, "intervalSeconds");
    let timeout_seconds = r.whole_optional(&mut o, "timeoutSeconds");
    let healthy_threshold_count = r.whole_optional(&mut o, "healthyThresholdCount");
    let unhealthy_threshold_count = r.whole_optional(&mut o, "unhealthyThresholdCount");
    let check_path = r.text_optional(&mut o, "path");
    Some(HealthCheckSpec {
        interval_seconds: interval_seconds?,
        timeout_seconds: timeout_seconds?,
        healthy_threshold_count: healthy_threshold_count?,
        unhealthy_threshold_count: unhealthy_threshold_count?,
        path: check_path?,
    })
}

fn attributes(r: &mut Read<'_>, value: Value, path: &str) -> Option<TargetGroupAttributes> {
    let known = [
        "deregistrationDelaySeconds",
        "slowStartSeconds",
        "algorithm",
    ];
    let mut o = r.object(value, path, &known)?;
    let deregistration_delay_seconds = r.whole_optional(&mut o, "deregistrationDelaySeconds");
    let slow_start_seconds = r.whole_optional(&mut o, "slowStartSeconds");
    let algorithm = r.optional(&mut o, "algorithm");
    Some(TargetGroupAttributes {
        deregistration_delay_seconds: deregistration_delay_seconds?,
        slow_start_seconds: slow_start_seconds?,
        algorithm: algorithm?,
    })
}

/// `loadBalancers[i]`.
pub(super) fn load_balancer(
    r: &mut Read<'_>,
    value: Value,
    path: &str,
) -> Option<LoadBalancerSpec> {
    let mut o = r.object(value, path, &["name", "type", "listeners"])?;
    let name = r.text(&mut o, "name");
    let kind = r.optional(&mut o, "type");
    let listeners = r.list(&mut o, "listeners", false, listener);
    Some(LoadBalancerSpec {
        name: name?,
        kind: kind?,
        listeners: listeners?,
    })
}

fn listener(r: &mut Read<'_>, value: Value, path: &str) -> Option<ListenerSpec> {
    let known = ["port", "protocol", "rules", "defaultForward"];
    let mut o = r.object(value, path, &known)?;
    let port = r.whole(&mut o, "port");
    let protocol = r.required(&mut o, "protocol");
    let rules = r.list(&mut o, "rules", false, rule);
    let default_forward = r.list(&mut o, "defaultForward", true, forward);
    Some(ListenerSpec {
        port: port?,
        protocol: protocol?,
        rules: rules?,
        default_forward: default_forward?,
    })
}

fn rule(r: &mut Read<'_>, value: Value, path: &str) -> Option<RuleSpec> {
    let mut o = r.object(value, path, &["priority", "conditions", "forward"])?;
    let priority = r.whole(&mut o, "priority");
    let conditions = r.list(&mut o, "conditions", true, condition);
    let forward = r.list(&mut o, "forward", true, forward);
    Some(RuleSpec {
        priority: priority?,
        conditions: conditions?,
        forward: forward?,
    })
}

fn condition(r: &mut Read<'_>, value: Value, path: &str) -> Option<ConditionSpec> {
    let mut o = r.object(value, path, &["pathPattern", "hostHeader"])?;
    let path_pattern = r.text_optional(&mut o, "pathPattern");
    let host_header = r.text_optional(&mut o, "hostHeader");
    Some(ConditionSpec {
        path_pattern: path_pattern?,
        host_header: host_header?,
    })
}

fn forward(r: &mut Read<'_>, value: Value, path: &str) -> Option<ForwardSpec> {
    let mut o = r.object(value, path, &["targetGroup", "weight"])?;
    let target_group = r.text(&mut o, "targetGroup");
    let weight = r.whole_optional(&mut o, "weight");
    Some(ForwardSpec {
        target_group: target_group?,
        weight: weight?,
    })
}

/// `route53`.
pub(super) fn route53(r: &mut Read<'_>, value: Value, path: &str) -> Option<Route53Spec> {
    let mut o = r.object(value, path, &["hostedZones"])?;
    let hosted_zones = r.list(&mut o, "hostedZones", false, hosted_zone)?;
    Some(Route53Spec { hosted_zones })
}

fn hosted_zone(r: &mut Read<'_>, value: Value, path: &str) -> Option<HostedZoneSpec> {
    let mut o = r.object(value, path, &["name", "records"])?;
    let name = r.text(&mut o, "name");
    let records = r.list(&mut o, "records", false, record);
    Some(HostedZoneSpec {
        name: name?,
        records: records?,
    })
}

fn record(r: &mut Read<'_>, value: Value, path: &str) -> Option<RecordSpec> {
    let known = [
        "name",
        "type",
        "setIdentifier",
        "weight",
        "ttl",
        "alias",
        "value",
    ];
    let mut o = r.object(value, path, &known)?;
    let name = r.text(&mut o, "name");
    let kind = r.required(&mut o, "type");
    let set_identifier = r.text_optional(&mut o, "setIdentifier");
    let weight = r.whole_optional(&mut o, "weight");
    let ttl = r.whole_optional(&mut o, "ttl");
    let alias = r.optional_with(&mut o, "alias", |r, value, path| {
        let mut o = r.object(value, path, &["loadBalancer"])?;
        let load_balancer = r.text(&mut o, "loadBalancer")?;
        Some(AliasSpec { load_balancer })
    });
    let record_value = r.text_optional(&mut o, "value");
    Some(RecordSpec {
        name: name?,
        kind: kind?,
        set_identifier: set_identifier?,
        weight: weight?,
        ttl: ttl?,
        alias: alias?,
        value: record_value?,
    })
}

/// `cloudMap`.
pub(super) fn cloud_map(r: &mut Read<'_>, value: Value, path: &str) -> Option<CloudMapSpec> {
    let mut o = r.object(value, path, &["namespaces"])?;
    let namespaces = r.list(&mut o, "namespaces", false, namespace)?;
    Some(CloudMapSpec { namespaces })
}

fn namespace(r: &mut Read<'_>, value: Value, path: &str) -> Option<NamespaceSpec> {
    let mut o = r.object(value, path, &["name", "type", "services"])?;
    let name = r.text(&mut o, "name");
    let kind = r.required(&mut o, "type");
    let services = r.list(&mut o, "services", false, cloud_map_service);
    Some(NamespaceSpec {
        name: name?,
        kind: kind?,
        services: services?,
    })
}

fn cloud_map_service(r: &mut Read<'_>, value: Value, path: &str) -> Option<CloudMapServiceSpec> {
    let known = [
        "name",
        "dnsRecords",
        "routingPolicy",
        "healthCheckCustomConfig",
    ];
    let mut o = r.object(value, path, &known)?;
    let name = r.text(&mut o, "name");
    let dns_records = r.list(&mut o, "dnsRecords", false, |r, value, path| {
        let mut o = r.object(value, path, &["type", "ttl"])?;
        let kind = r.required(&mut o, "type");
        let ttl = r.whole(&mut o, "ttl");
        Some(DnsRecordSpec {
            kind: kind?,
            ttl: ttl?,
        })
    });
    let routing_policy = r.optional(&mut o, "routingPolicy");
    let custom = r.optional_with(&mut o, "healthCheckCustomConfig", |r, value, path| {
        r.object(value, path, &[]).map(|_| CustomHealthSpec {})
    });
    Some(CloudMapServiceSpec {
        name: name?,
        dns_records: dns_records?,
        routing_policy: routing_policy?,
        health_check_custom_config: custom?,
    })
}

/// `traffic`. Its choices (an entry point's `target`, a `profile`) keep their derive and go
/// through the loader's deserialiser whole, for its words about choices.
pub(super) fn traffic(r: &mut Read<'_>, value: Value, path: &str) -> Option<TrafficScenario> {
    let mut o = r.object(value, path, &["clients", "entryPoints", "calls"])?;
    let clients = r.optional_with(&mut o, "clients", |r, value, path| {
        let known = ["longCachePercent", "longCacheMultiplier"];
        let mut o = r.object(value, path, &known)?;
        let long_cache_percent = r.whole_optional(&mut o, "longCachePercent");
        let long_cache_multiplier = r.whole_optional(&mut o, "longCacheMultiplier");
        Some(ClientsSpec {
            long_cache_percent: long_cache_percent?,
            long_cache_multiplier: long_cache_multiplier?,
        })
    });
    let entry_points = r.list(&mut o, "entryPoints", false, |r, value, path| {
        let known = ["name", "target", "profile", "path", "startAt"];
        let mut o = r.object(value, path, &known)?;
        let name = r.text(&mut o, "name");
        let target = r.required(&mut o, "target");
        let profile = r.required(&mut o, "profile");
        let request_path = r.text_optional(&mut o, "path");
        let start_at = r.text_optional(&mut o, "startAt");
        Some(EntryPointSpec {
            name: name?,
            target: target?,
            profile: profile?,
            path: request_path?,
            start_at: start_at?,
        })
    });
    let calls = r.list(&mut o, "calls", false, |r, value, path| {
        let mut o = r.object(value, path, &["from", "to", "perRequest"])?;
        let from = r.text(&mut o, "from");
        let to = r.text(&mut o, "to");
        let per_request = r.required(&mut o, "perRequest");
        Some(CallSpec {
            from: from?,
            to: to?,
            per_request: per_request?,
        })
    });
    Some(TrafficScenario {
        clients: clients?,
        entry_points: entry_points?,
        calls: calls?,
    })
}

/// The discovery and traffic members of a scenario file, read.
pub(super) struct DiscoveryMembers {
    pub target_groups: Vec<TargetGroupSpec>,
    pub load_balancers: Vec<LoadBalancerSpec>,
    pub route53: Route53Spec,
    pub cloud_map: CloudMapSpec,
    pub traffic: Option<TrafficScenario>,
}

/// What [`take_members`] took out of the file before its header is read.
pub(super) struct Pending {
    route53: Option<Value>,
    cloud_map: Option<Value>,
    traffic: Option<TrafficScenario>,
}

/// `from_value`'s first stage, before the header: `route53`, `cloudMap` and `traffic` taken out
/// of the file's object, `traffic` read now (its problems come before the header's).
pub(super) fn take_members(object: &mut Map<String, Value>, errors: &mut Vec<Problem>) -> Pending {
    let route53 = object.remove("route53");
    let cloud_map = object.remove("cloudMap");
    let traffic = object
        .remove("traffic")
        .and_then(|value| traffic(&mut Read { errors }, value, "traffic"));
    Pending {
        route53,
        cloud_map,
        traffic,
    }
}

/// `from_value`'s second stage, after the timeline: `targetGroups` and `loadBalancers` (their
/// elements), `route53` and `cloudMap`; `None` when one failed.
pub(super) fn read_members(
    pending: Pending,
    target_groups: Vec<Value>,
    load_balancers: Vec<Value>,
    errors: &mut Vec<Problem>,
) -> Option<DiscoveryMembers> {
    let mut r = Read { errors };
    let target_groups = elements(&mut r, target_groups, "targetGroups", target_group);
    let load_balancers = elements(&mut r, load_balancers, "loadBalancers", load_balancer);
    let route53 = match pending.route53 {
        Some(value) => route53(&mut r, value, "route53"),
        None => Some(Route53Spec::default()),
    };
    let cloud_map = match pending.cloud_map {
        Some(value) => cloud_map(&mut r, value, "cloudMap"),
        None => Some(CloudMapSpec::default()),
    };
    Some(DiscoveryMembers {
        target_groups: target_groups?,
        load_balancers: load_balancers?,
        route53: route53?,
        cloud_map: cloud_map?,
        traffic: pending.traffic,
    })
}

/// `items` read one by one as list `path`'s elements (`path[i]`); `None` when one failed.
pub(super) fn elements<T>(
    r: &mut Read<'_>,
    items: Vec<Value>,
    path: &str,
    mut read: impl FnMut(&mut Read<'_>, Value, &str) -> Option<T>,
) -> Option<Vec<T>> {
    let before = r.errors.len();
    let mut read_items = Vec::with_capacity(items.len());
    each(r, items, path, &mut |r, item, at| {
        if let Some(item) = read(r, item, at) {
            read_items.push(item);
        }
    });
    (r.errors.len() == before).then_some(read_items)
}

/// [`elements`]' walk, not generic (the app holds it once, not once per element type).
#[inline(never)]
fn each(
    r: &mut Read<'_>,
    items: Vec<Value>,
    path: &str,
    read: &mut dyn FnMut(&mut Read<'_>, Value, &str),
) {
    for (index, item) in items.into_iter().enumerate() {
        read(r, item, &format!("{path}[{index}]"));
    }
}

/// Reads members of JSON objects into shapes, each problem recorded with its path.
pub(super) struct Read<'e> {
    pub errors: &'e mut Vec<Problem>,
}

/// An object being read: the members not taken yet, and where it is.
pub(super) struct Members {
    members: Map<String, Value>,
    path: String,
}

impl Read<'_> {
    /// `value` as an object of the `known` members (each other member is a problem); an empty
    /// array is an empty object, as serde's derive reads it.
    #[inline(never)]
    fn object(&mut self, value: Value, path: &str, known: &[&str]) -> Option<Members> {
        let members = match value {
            Value::Object(members) => members,
            Value::Array(items) if items.is_empty() => Map::new(),
            other => return self.invalid(&other, "a map", path),
        };
        for key in members.keys().filter(|key| !known.contains(&key.as_str())) {
            let message = match known {
                [] => "unknown field; there are no fields".to_string(),
                [only] => format!("unknown field; expected {only}"),
                _ => format!("unknown field; expected one of {}", known.join(", ")),
            };
            self.errors
                .push(Problem::new(join_path(path, key), message));
        }
        Some(Members {
            members,
            path: path.to_string(),
        })
    }

    /// A required string member.
    fn text(&mut self, o: &mut Members, key: &str) -> Option<String> {
        let (value, path) = self.take(o, key, true)??;
        self.as_text(value, &path)
    }

    /// An optional string member (absent or null: `None`).
    fn text_optional(&mut self, o: &mut Members, key: &str) -> Option<Option<String>> {
        match self.take(o, key, false)? {
            None => Some(None),
            Some((value, path)) => self.as_text(value, &path).map(Some),
        }
    }

    /// A required `u32` member.
    fn whole(&mut self, o: &mut Members, key: &str) -> Option<u32> {
        let (value, path) = self.take(o, key, true)??;
        self.as_whole(&value, &path)
    }

    /// An optional `u32` member (absent or null: `None`).
    fn whole_optional(&mut self, o: &mut Members, key: &str) -> Option<Option<u32>> {
        match self.take(o, key, false)? {
            None => Some(None),
            Some((value, path)) => self.as_whole(&value, &path).map(Some),
        }
    }

    /// A required member through the loader's deserialiser (the choices).
    fn required<T: DeserializeOwned>(&mut self, o: &mut Members, key: &str) -> Option<T> {
        let (value, path) = self.take(o, key, true)??;
        typed(value, &path, self.errors)
    }

    /// An optional member through the loader's deserialiser (absent or null: `None`).
    fn optional<T: DeserializeOwned>(&mut self, o: &mut Members, key: &str) -> Option<Option<T>> {
        match self.take(o, key, false)? {
            None => Some(None),
            Some((value, path)) => typed(value, &path, self.errors).map(Some),
        }
    }

    /// An optional member read by `read` (absent or null: `None`).
    fn optional_with<T>(
        &mut self,
        o: &mut Members,
        key: &str,
        read: impl FnOnce(&mut Self, Value, &str) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.take(o, key, false)? {
            None => Some(None),
            Some((value, path)) => read(self, value, &path).map(Some),
        }
    }

    /// A list member (absent: empty unless `required`), each element read by `read`.
    fn list<T>(
        &mut self,
        o: &mut Members,
        key: &str,
        required: bool,
        read: impl FnMut(&mut Read<'_>, Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let path = join_path(&o.path, key);
        match o.members.remove(key) {
            None if !required => Some(Vec::new()),
            Some(Value::Array(items)) => elements(self, items, &path, read),
            value => self.not_a_list(value, path),
        }
    }

    /// A list member that is absent (required) or not an array.
    #[inline(never)]
    fn not_a_list<T>(&mut self, value: Option<Value>, path: String) -> Option<T> {
        match value {
            None => self
                .errors
                .push(Problem::new(path, "missing required field")),
            Some(other) => {
                self.invalid::<()>(&other, "a sequence", &path);
            }
        }
        None
    }

    /// Member `key` with its path: `None` (recorded) when required and absent; `Some(None)`
    /// when absent, or null and optional.
    #[inline(never)]
    fn take(
        &mut self,
        o: &mut Members,
        key: &str,
        required: bool,
    ) -> Option<Option<(Value, String)>> {
        let path = join_path(&o.path, key);
        match o.members.remove(key) {
            None if required => {
                self.errors
                    .push(Problem::new(path, "missing required field"));
                None
            }
            None => Some(None),
            Some(Value::Null) if !required => Some(None),
            Some(value) => Some(Some((value, path))),
        }
    }

    #[inline(never)]
    fn as_text(&mut self, value: Value, path: &str) -> Option<String> {
        match value {
            Value::String(text) => Some(text),
            other => self.invalid(&other, "a string", path),
        }
    }

    /// A `u32`, or serde's words for what it is not (a negative or too large integer is an
    /// invalid value, anything else an invalid type).
    #[inline(never)]
    fn as_whole(&mut self, value: &Value, path: &str) -> Option<u32> {
        if let Some(whole) = value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            return Some(whole);
        }
        match value {
            Value::Number(n) if n.is_u64() || n.is_i64() => {
                self.say(path, &format!("invalid value: integer `{n}`, expected u32"));
                None
            }
            other => self.invalid(other, "u32", path),
        }
    }

    /// serde's words for a value that is not `expected` (its `Visitor::expecting`).
    fn invalid<T>(&mut self, value: &Value, expected: &str, path: &str) -> Option<T> {
        self.say(path, &invalid_type_words(value, expected));
        None
    }

    /// serde's message `raw` about the value at `path`, in the loader's words.
    #[inline(never)]
    fn say(&mut self, path: &str, raw: &str) {
        let message = plain_message(raw, None).replace('`', "\"");
        self.errors.push(Problem::new(path, message));
    }
}

/// A reader above as a serde `deserialize_with` function: the value read through the
/// deserialiser at hand, then by hand; the first problem is the error, its path from here.
fn from_serde<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    read: fn(&mut Read<'_>, Value, &str) -> Option<T>,
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let mut errors = Vec::new();
    let read = read(
        &mut Read {
            errors: &mut errors,
        },
        value,
        "",
    );
    match (read, errors.first()) {
        (Some(read), None) => Ok(read),
        (_, first) => Err(D::Error::custom(first.map_or_else(
            || "does not read".to_string(),
            |problem| problem.to_string(),
        ))),
    }
}

/// A list through [`from_serde`].
fn list_from_serde<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    read: fn(&mut Read<'_>, Value, &str) -> Option<T>,
) -> Result<Vec<T>, D::Error> {
    let items = Vec::<Value>::deserialize(deserializer)?;
    let mut errors = Vec::new();
    let read = elements(
        &mut Read {
            errors: &mut errors,
        },
        items,
        "",
        read,
    );
    match (read, errors.first()) {
        (Some(read), None) => Ok(read),
        (_, first) => Err(D::Error::custom(first.map_or_else(
            || "does not read".to_string(),
            |problem| problem.to_string(),
        ))),
    }
}

pub(super) fn serde_traffic<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<TrafficScenario>, D::Error> {
    from_serde(deserializer, |r, value, path| match value {
        Value::Null => Some(None),
        value => traffic(r, value, path).map(Some),
    })
}

pub(super) fn serde_target_groups<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<TargetGroupSpec>, D::Error> {
    list_from_serde(deserializer, target_group)
}

pub(super) fn serde_load_balancers<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<LoadBalancerSpec>, D::Error> {
    list_from_serde(deserializer, load_balancer)
}

pub(super) fn serde_route53<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Route53Spec, D::Error> {
    from_serde(deserializer, route53)
}

pub(super) fn serde_cloud_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<CloudMapSpec, D::Error> {
    from_serde(deserializer, cloud_map)
}
