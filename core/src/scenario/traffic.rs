//! The scenario's `traffic` member: who sends requests where and how many. `clients` says how
//! DNS clients cache answers; `entryPoints` name a DNS name or a load balancer listener with a
//! request-rate profile; `calls` is the call graph between services (each request to `from`
//! makes `perRequest` requests to `to`). Per-revision answers (5xx share, latency, CPU per
//! request) are revision behaviour (`crate::traffic::revision`).
//!
//! DNS names and listeners stay names here: the discovery model resolves them against its load
//! balancers and records. Every check names its JSON path (`traffic.entryPoints[0].profile`).

use super::rules::DURATION_MS_MAX;
use crate::compact::SortedSet;
use crate::problem::Problem;
use crate::taskdef::valid_name;
use crate::time::parse_duration;
use crate::traffic::profile::{Profile, DAY_MS};
use crate::traffic::revision::Hundredths;
use serde::{Deserialize, Serialize};

/// Bounds that keep a tab alive: entry points, call edges, and requests per second of one
/// entry point (10,000 services at 100 requests per second each fit under it).
pub const ENTRY_POINTS_MAX: usize = 10_000;
pub const CALLS_MAX: usize = 10_000;
pub const RATE_MAX: u32 = 1_000_000;
/// A call edge makes at most this many calls per incoming request.
pub const PER_REQUEST_MAX: u32 = 100;
/// Assumption (not ECS): 5 % of clients keep a DNS answer 10 × its TTL (JVMs and resolvers
/// that ignore or stretch the TTL); the rest keep it exactly the TTL.
pub const DEFAULT_LONG_CACHE_PERCENT: u32 = 5;
pub const DEFAULT_LONG_CACHE_MULTIPLIER: u32 = 10;
pub const LONG_CACHE_MULTIPLIER_MAX: u32 = 1_000;

/// `traffic` as written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficScenario {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clients: Option<ClientsSpec>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entry_points: Vec<EntryPointSpec>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<CallSpec>,
}

/// How DNS clients cache answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientsSpec {
    /// Share of clients (0–100) that keep an answer longer than its TTL. Default 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_cache_percent: Option<u32>,
    /// How many TTLs those clients keep it (1–1000). Default 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_cache_multiplier: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryPointSpec {
    pub name: String,
    pub target: EntryTarget,
    pub profile: ProfileSpec,
    /// The request path clients send (default `/`): a listener's rules match it against their
    /// path patterns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// When these clients start sending (`"1m"`), default at once: a scenario whose services
    /// start with the run can hold its traffic until they are up. Sandbox-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
}

/// Where an entry point's clients send requests: `{"dns": "api.example.com"}` or
/// `{"listener": "web-alb:443"}` (a load balancer's name and a listener port).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum EntryTarget {
    Dns(String),
    Listener(String),
}

/// A request-rate profile as written; rates in requests per second.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum ProfileSpec {
    Constant(u32),
    #[serde(rename_all = "camelCase")]
    Ramp {
        from: u32,
        to: u32,
        over: String,
    },
    #[serde(rename_all = "camelCase")]
    DailyCycle {
        mean: u32,
        amplitude: u32,
        peak_at: String,
    },
    #[serde(rename_all = "camelCase")]
    Spike {
        base: u32,
        peak: u32,
        at: String,
        duration: String,
    },
}

/// Each request `from` serves makes `perRequest` requests to `to` (two decimals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallSpec {
    pub from: String,
    pub to: String,
    pub per_request: Hundredths,
}

/// `traffic`, compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledTraffic {
    pub clients: Clients,
    pub entry_points: Vec<CompiledEntryPoint>,
    pub calls: Vec<CompiledCall>,
    /// Entry points and calls resolved against the discovery model (`traffic_routes.rs`;
    /// filled by `compile` once discovery compiled).
    pub plan: crate::traffic::plan::TrafficPlan,
}

/// How DNS clients cache answers, defaults filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clients {
    pub long_cache_percent: u32,
    pub long_cache_multiplier: u32,
}

impl Default for Clients {
    fn default() -> Clients {
        Clients {
            long_cache_percent: DEFAULT_LONG_CACHE_PERCENT,
            long_cache_multiplier: DEFAULT_LONG_CACHE_MULTIPLIER,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledEntryPoint {
    pub name: String,
    pub target: EntryTarget,
    pub profile: Profile,
    /// `path`, default `/`.
    pub path: String,
    /// `startAt` in ms, default 0.
    pub start_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledCall {
    pub from: String,
    pub to: String,
    /// Calls per incoming request, in hundredths.
    pub per_request_hundredths: u32,
}

/// Checks `traffic` against the scenario's service names and compiles it; problem paths start
/// with `traffic`.
pub fn compile_traffic(
    traffic: &TrafficScenario,
    service_names: &SortedSet<&str>,
) -> Result<CompiledTraffic, Vec<Problem>> {
    let mut problems = Vec::new();
    if traffic.entry_points.len() > ENTRY_POINTS_MAX {
        problems.push(Problem::new(
            "traffic.entryPoints",
            format!(
                "{} entry points; the limit is {ENTRY_POINTS_MAX}",
                traffic.entry_points.len()
            ),
        ));
    }
    if traffic.calls.len() > CALLS_MAX {
        problems.push(Problem::new(
            "traffic.calls",
            format!("{} calls; the limit is {CALLS_MAX}", traffic.calls.len()),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let clients = clients(traffic.clients.as_ref(), &mut problems);
    let earlier_names = earlier_same_names(&traffic.entry_points);
    let mut entry_points = Vec::new();
    for (index, entry) in traffic.entry_points.iter().enumerate() {
        let at = |field: &str| format!("traffic.entryPoints[{index}].{field}");
        if !valid_name(&entry.name) {
            problems.push(Problem::new(
                at("name"),
                "must be 1-255 letters, digits, hyphens or underscores",
            ));
        } else if let Some(earlier) = earlier_names[index] {
            problems.push(Problem::new(
                at("name"),
                format!(
                    "traffic.entryPoints[{earlier}] is already named \"{}\"",
                    entry.name
                ),
            ));
        }
        match &entry.target {
            EntryTarget::Dns(name) => {
                if let Err(message) = check_dns_name(name) {
                    problems.push(Problem::new(at("target.dns"), message));
                }
            }
            EntryTarget::Listener(listener) => {
                if let Err(message) = check_listener(listener) {
                    problems.push(Problem::new(at("target.listener"), message));
                }
            }
        }
        if let Some(path) = &entry.path {
            if !path.starts_with('/') || path.len() > 128 || path.chars().any(char::is_whitespace) {
                problems.push(Problem::new(
                    at("path"),
                    "must start with / and be at most 128 characters without spaces",
                ));
            }
        }
        let start_ms = match entry.start_at.as_deref() {
            Some(text) => duration(&at("startAt"), text, 0, DURATION_MS_MAX, &mut problems),
            None => 0,
        };
        match profile(&entry.profile) {
            Ok(profile) => entry_points.push(CompiledEntryPoint {
                name: entry.name.clone(),
                target: entry.target.clone(),
                profile,
                path: entry.path.clone().unwrap_or_else(|| "/".to_string()),
                start_ms,
            }),
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .map(|problem| problem.under(&at("profile"))),
            ),
        }
    }
    let calls = calls(&traffic.calls, service_names, &mut problems);
    if problems.is_empty() {
        Ok(CompiledTraffic {
            clients,
            entry_points,
            calls,
            plan: crate::traffic::plan::TrafficPlan::default(),
        })
    } else {
        Err(problems)
    }
}

fn clients(spec: Option<&ClientsSpec>, problems: &mut Vec<Problem>) -> Clients {
    let default = Clients::default();
    let Some(spec) = spec else {
        return default;
    };
    let percent = spec
        .long_cache_percent
        .unwrap_or(default.long_cache_percent);
    if percent > 100 {
        problems.push(Problem::new(
            "traffic.clients.longCachePercent",
            format!("must be a whole number from 0 to 100, found {percent}"),
        ));
    }
    let multiplier = spec
        .long_cache_multiplier
        .unwrap_or(default.long_cache_multiplier);
    if !(1..=LONG_CACHE_MULTIPLIER_MAX).contains(&multiplier) {
        problems.push(Problem::new(
            "traffic.clients.longCacheMultiplier",
            format!(
                "must be a whole number from 1 to {LONG_CACHE_MULTIPLIER_MAX}, found {multiplier}"
            ),
        ));
    }
    Clients {
        long_cache_percent: percent,
        long_cache_multiplier: multiplier,
    }
}

/// A DNS name: dot-separated labels of 1–63 letters, digits and hyphens (no hyphen at either
/// end), 253 characters at most, one trailing dot allowed.
fn check_dns_name(name: &str) -> Result<(), String> {
    let bare = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if bare.is_empty() || bare.len() > 253 || !bare.split('.').all(label_ok) {
        return Err(format!(
            "{} is not a DNS name: dot-separated labels of 1-63 letters, digits and hyphens, 253 characters at most",
            crate::json_input::cut(name)
        ));
    }
    Ok(())
}

/// `<load balancer name>:<port>`: a name of 1–32 letters, digits and hyphens (no hyphen at
/// either end, as Elastic Load Balancing requires) and a port from 1 to 65535.
fn check_listener(listener: &str) -> Result<(), String> {
    let shown = crate::json_input::cut(listener);
    let Some((name, port)) = listener.rsplit_once(':') else {
        return Err(format!(
            "{shown} is not <load balancer name>:<port> (web-alb:443)"
        ));
    };
    let name_ok = (1..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if !name_ok {
        return Err(format!(
            "{shown}: a load balancer name is 1-32 letters, digits and hyphens, not starting or ending with a hyphen"
        ));
    }
    match port.parse::<u32>() {
        Ok(port) if (1..=65_535).contains(&port) => Ok(()),
        _ => Err(format!(
            "{shown}: the listener port must be a whole number from 1 to 65535"
        )),
    }
}

fn profile(spec: &ProfileSpec) -> Result<Profile, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut rate = |field: &str, value: u32| {
        if value > RATE_MAX {
            problems.push(Problem::new(
                field,
                format!("at most {RATE_MAX} requests per second, found {value}"),
            ));
        }
        value
    };
    let profile = match spec {
        ProfileSpec::Constant(value) => Profile::Constant {
            rate: rate("constant", *value),
        },
        ProfileSpec::Ramp { from, to, over } => Profile::Ramp {
            from: rate("ramp.from", *from),
            to: rate("ramp.to", *to),
            over_ms: duration("ramp.over", over, 1, DURATION_MS_MAX, &mut problems),
        },
        ProfileSpec::DailyCycle {
            mean,
            amplitude,
            peak_at,
        } => {
            let mean = rate("dailyCycle.mean", *mean);
            if amplitude > &mean {
                problems.push(Problem::new(
                    "dailyCycle.amplitude",
                    format!("must be at most the mean ({mean}), found {amplitude}"),
                ));
            }
            Profile::DailyCycle {
                mean,
                amplitude: *amplitude,
                peak_at_ms: duration("dailyCycle.peakAt", peak_at, 0, DAY_MS, &mut problems),
            }
        }
        ProfileSpec::Spike {
            base,
            peak,
            at,
            duration: length,
        } => Profile::Spike {
            base: rate("spike.base", *base),
            peak: rate("spike.peak", *peak),
            at_ms: duration("spike.at", at, 0, DURATION_MS_MAX, &mut problems),
            duration_ms: duration("spike.duration", length, 1, DURATION_MS_MAX, &mut problems),
        },
    };
    if problems.is_empty() {
        Ok(profile)
    } else {
        Err(problems)
    }
}

fn duration(field: &str, text: &str, min_ms: u64, max_ms: u64, problems: &mut Vec<Problem>) -> u64 {
    use crate::time::format_duration;
    match parse_duration(text) {
        Ok(ms) if (min_ms..=max_ms).contains(&ms) => ms,
        Ok(_) => {
            problems.push(Problem::new(
                field,
                format!(
                    "must be from {} to {}, found {}",
                    format_duration(min_ms),
                    format_duration(max_ms),
                    crate::json_input::cut(text)
                ),
            ));
            0
        }
        Err(message) => {
            problems.push(Problem::new(field, message));
            0
        }
    }
}

fn calls(
    specs: &[CallSpec],
    service_names: &SortedSet<&str>,
    problems: &mut Vec<Problem>,
) -> Vec<CompiledCall> {
    let mut compiled = Vec::new();
    let earlier_calls = earlier_same_calls(specs);
    for (index, call) in specs.iter().enumerate() {
        let at = |field: &str| format!("traffic.calls[{index}].{field}");
        let first = problems.len();
        for (field, name) in [("from", &call.from), ("to", &call.to)] {
            if !service_names.contains(name.as_str()) {
                problems.push(Problem::new(
                    at(field),
                    format!("no service named {}", crate::json_input::cut(name)),
                ));
            }
        }
        if call.from == call.to {
            problems.push(Problem::new(at("to"), "a service cannot call itself"));
        }
        if call.per_request.0 == 0 || call.per_request.0 > PER_REQUEST_MAX * 100 {
            problems.push(Problem::new(
                at("perRequest"),
                format!(
                    "must be from 0.01 to {PER_REQUEST_MAX}, found {}",
                    f64::from(call.per_request.0) / 100.0
                ),
            ));
        }
        if let Some(earlier) = earlier_calls[index] {
            problems.push(Problem::new(
                at("to"),
                format!("traffic.calls[{earlier}] already has this call; give each pair one entry"),
            ));
        }
        if problems.len() == first {
            compiled.push(CompiledCall {
                from: call.from.clone(),
                to: call.to.clone(),
                per_request_hundredths: call.per_request.0,
            });
        }
    }
    if let Some(cycle) = find_cycle(&compiled) {
        problems.push(Problem::new(
            "traffic.calls",
            format!(
                "the calls form a cycle ({}); requests would never end",
                cycle.join(" → ")
            ),
        ));
    }
    compiled
}

/// For each call, the index of the last call before it with the same `from` and `to`, if any.
/// A stable sort of the positions by pair rather than a `BTreeMap<(&str, &str), usize>`: one
/// B-tree instantiation fewer in the wasm app (with `find_cycle`'s, -2.5 KiB gzip), and the
/// work stays O(n log n).
fn earlier_same_calls(specs: &[CallSpec]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..specs.len()).collect();
    crate::compact::sort_by_key(&mut order, |&index| {
        (specs[index].from.as_str(), specs[index].to.as_str())
    });
    let mut earlier = vec![None; specs.len()];
    for pair in order.windows(2) {
        let (a, b) = (&specs[pair[0]], &specs[pair[1]]);
        if a.from == b.from && a.to == b.to {
            earlier[pair[1]] = Some(pair[0]);
        }
    }
    earlier
}

/// For each entry point with a valid name, the index of the last one before it with the same
/// name, if any (what a map from name to the latest index said before inserting it). Sorted
/// once, as [`earlier_same_calls`], rather than a `BTreeMap<&str, usize>`: a B-tree
/// instantiation fewer in the wasm app.
fn earlier_same_names(specs: &[EntryPointSpec]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..specs.len())
        .filter(|&index| valid_name(&specs[index].name))
        .collect();
    crate::compact::sort_by_key(&mut order, |&index| specs[index].name.as_str());
    let mut earlier = vec![None; specs.len()];
    for pair in order.windows(2) {
        if specs[pair[0]].name == specs[pair[1]].name {
            earlier[pair[1]] = Some(pair[0]);
        }
    }
    earlier
}

/// One cycle of the call graph, as service names from its first to itself again.
fn find_cycle(calls: &[CompiledCall]) -> Option<Vec<String>> {
    // Services by position in name order, and each caller's callees in call order: Vecs rather
    // than B-tree maps keyed by name (two B-tree instantiations fewer in the wasm app), walked
    // in the same order as the maps were.
    let mut names: Vec<&str> = Vec::with_capacity(calls.len() * 2);
    for call in calls {
        names.push(&call.from);
        names.push(&call.to);
    }
    crate::compact::sort(&mut names);
    names.dedup();
    let position = |name: &str| names.binary_search(&name).unwrap_or(0);
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for call in calls {
        out[position(&call.from)].push(position(&call.to));
    }
    // Iterative depth-first search with colours: 1 on the path, 2 done. Bounded by the edges.
    // Only callers start a search (a service with no calls out cannot start a cycle).
    let mut colour = vec![0_u8; names.len()];
    for start in 0..names.len() {
        if out[start].is_empty() || colour[start] != 0 {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = 1;
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            if let Some(&child) = out[node].get(*next) {
                *next += 1;
                match colour[child] {
                    1 => {
                        let from = path.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        let mut cycle: Vec<String> = path[from..]
                            .iter()
                            .map(|(n, _)| names[*n].to_string())
                            .collect();
                        cycle.push(names[child].to_string());
                        return Some(cycle);
                    }
                    2 => {}
                    _ => {
                        colour[child] = 1;
                        path.push((child, 0));
                    }
                }
            } else {
                colour[node] = 2;
                path.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: serde_json::Value) -> Result<CompiledTraffic, String> {
        let mut errors = Vec::new();
        let read = super::super::read::traffic(
            &mut super::super::read::Read {
                errors: &mut errors,
            },
            json,
            "",
        );
        let Some(traffic) = read.filter(|_| errors.is_empty()) else {
            return Err(errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"));
        };
        let services: SortedSet<&str> = ["order", "user", "shipping"].into_iter().collect();
        compile_traffic(&traffic, &services).map_err(|problems| {
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    #[test]
    fn a_full_traffic_member_compiles_with_defaults() {
        let compiled = check(serde_json::json!({
            "entryPoints": [
                {"name": "public", "target": {"dns": "api.example.com"},
                 "profile": {"dailyCycle": {"mean": 100, "amplitude": 40, "peakAt": "14h"}}},
                {"name": "internal", "target": {"listener": "web-alb:443"},
                 "profile": {"ramp": {"from": 0, "to": 50, "over": "10m"}}}
            ],
            "calls": [{"from": "order", "to": "user", "perRequest": 1.5},
                      {"from": "order", "to": "shipping", "perRequest": 1}]
        }))
        .unwrap();
        assert_eq!(compiled.clients, Clients::default());
        assert_eq!(
            compiled.entry_points[0].profile,
            Profile::DailyCycle {
                mean: 100,
                amplitude: 40,
                peak_at_ms: 14 * 3_600_000
            }
        );
        assert_eq!(compiled.calls[0].per_request_hundredths, 150);
    }

    #[test]
    fn a_repeated_name_points_at_the_latest_entry_point_before_it() {
        let entry = |name: &str| serde_json::json!({"name": name, "target": {"dns": "a.example"}, "profile": {"constant": 1}});
        let errors = check(serde_json::json!({
            "entryPoints": [entry("x"), entry("y"), entry("x"), entry("a b"), entry("x")]
        }))
        .unwrap_err();
        expect_test::expect![[r#"
            traffic.entryPoints[2].name: traffic.entryPoints[0] is already named "x"
            traffic.entryPoints[3].name: must be 1-255 letters, digits, hyphens or underscores
            traffic.entryPoints[4].name: traffic.entryPoints[2] is already named "x""#]]
        .assert_eq(&errors);
    }

    #[test]
    fn every_bad_member_is_named_with_its_path() {
        let errors = check(serde_json::json!({
            "clients": {"longCachePercent": 101, "longCacheMultiplier": 0},
            "entryPoints": [
                {"name": "a b", "target": {"dns": "-bad-.example"},
                 "profile": {"spike": {"base": 1, "peak": 2000000, "at": "soon", "duration": "0s"}}},
                {"name": "x", "target": {"listener": "web-alb"},
                 "profile": {"dailyCycle": {"mean": 10, "amplitude": 20, "peakAt": "25h"}}},
                {"name": "x", "target": {"listener": "web-alb:70000"}, "profile": {"constant": 1}},
                {"name": "late", "target": {"listener": "web-alb:80"}, "profile": {"constant": 1}, "startAt": "later"},
                {"name": "later", "target": {"listener": "web-alb:80"}, "profile": {"constant": 1}, "startAt": "31d"}
            ],
            "calls": [{"from": "order", "to": "billing", "perRequest": 0},
                      {"from": "user", "to": "user", "perRequest": 1}]
        }))
        .unwrap_err();
        expect_test::expect![[r#"
            traffic.clients.longCachePercent: must be a whole number from 0 to 100, found 101
            traffic.clients.longCacheMultiplier: must be a whole number from 1 to 1000, found 0
            traffic.entryPoints[0].name: must be 1-255 letters, digits, hyphens or underscores
            traffic.entryPoints[0].target.dns: "-bad-.example" is not a DNS name: dot-separated labels of 1-63 letters, digits and hyphens, 253 characters at most
            traffic.entryPoints[0].profile.spike.peak: at most 1000000 requests per second, found 2000000
            traffic.entryPoints[0].profile.spike.at: expected a number at position 1 of duration "soon"
            traffic.entryPoints[0].profile.spike.duration: must be from 1ms to 30d, found "0s"
            traffic.entryPoints[1].target.listener: "web-alb" is not <load balancer name>:<port> (web-alb:443)
            traffic.entryPoints[1].profile.dailyCycle.amplitude: must be at most the mean (10), found 20
            traffic.entryPoints[1].profile.dailyCycle.peakAt: must be from 0s to 1d, found "25h"
            traffic.entryPoints[2].name: traffic.entryPoints[1] is already named "x"
            traffic.entryPoints[2].target.listener: "web-alb:70000": the listener port must be a whole number from 1 to 65535
            traffic.entryPoints[3].startAt: expected a number at position 1 of duration "later"
            traffic.entryPoints[4].startAt: must be from 0s to 30d, found "31d"
            traffic.calls[0].to: no service named "billing"
            traffic.calls[0].perRequest: must be from 0.01 to 100, found 0
            traffic.calls[1].to: a service cannot call itself"#]]
        .assert_eq(&errors);
    }

    #[test]
    fn a_cycle_in_the_calls_is_refused() {
        let errors = check(serde_json::json!({
            "calls": [{"from": "order", "to": "user", "perRequest": 1},
                      {"from": "user", "to": "shipping", "perRequest": 1},
                      {"from": "shipping", "to": "order", "perRequest": 0.5}]
        }))
        .unwrap_err();
        expect_test::expect!["traffic.calls: the calls form a cycle (order → user → shipping → order); requests would never end"]
            .assert_eq(&errors);
    }
}
