//! The discovery and traffic editor's draft: one member of the scenario's `loadBalancers`,
//! `targetGroups`, `route53.hostedZones`, `cloudMap.namespaces` or its `traffic`, as the JSON
//! text the user is typing. One generic draft for every kind, because the scenario file is
//! already the form: the text is the member exactly as the file writes it, and checking it is
//! loading the whole scenario with the member put back (`scenario::from_value`, the loader's
//! own shape errors and compile problems, every one with its path). No second validator, and no
//! serde code of its own: members are written with the scenario's `Serialize` and read back by
//! the loader. A draft names its member by name, not position, so removing another member does
//! not retarget it; one whose member is gone says so (`Checked::Gone`).

use flotilla_core::discovery::{
    DnsRecordType, LoadBalancerType, NamespaceType, Protocol, RecordType,
};
use flotilla_core::json_input::parse_json;
use flotilla_core::json_pretty::pretty;
use flotilla_core::scenario::{
    from_value, validate, AliasSpec, CallSpec, CloudMapServiceSpec, DnsRecordSpec, EntryPointSpec,
    EntryTarget, ForwardSpec, HealthCheckSpec, HostedZoneSpec, ListenerSpec, LoadBalancerSpec,
    NamespaceSpec, ProfileSpec, RecordSpec, TargetGroupAttributes, TargetGroupSpec,
    TrafficScenario,
};
use flotilla_core::{Problem, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kinds of member the editor edits, in the order its sections show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    LoadBalancer,
    TargetGroup,
    HostedZone,
    Namespace,
    Traffic,
}

impl MemberKind {
    pub const ALL: [MemberKind; 5] = [
        MemberKind::LoadBalancer,
        MemberKind::TargetGroup,
        MemberKind::HostedZone,
        MemberKind::Namespace,
        MemberKind::Traffic,
    ];

    /// The section's heading.
    pub fn section(self) -> &'static str {
        match self {
            MemberKind::LoadBalancer => "Load balancers",
            MemberKind::TargetGroup => "Target groups",
            MemberKind::HostedZone => "Route 53",
            MemberKind::Namespace => "Cloud Map",
            MemberKind::Traffic => "Traffic",
        }
    }

    /// One member, in a sentence ("Remove target group “order”").
    pub fn noun(self) -> &'static str {
        match self {
            MemberKind::LoadBalancer => "load balancer",
            MemberKind::TargetGroup => "target group",
            MemberKind::HostedZone => "hosted zone",
            MemberKind::Namespace => "namespace",
            MemberKind::Traffic => "traffic",
        }
    }

    /// What the section is for, in one line for a newcomer.
    pub fn hint(self) -> &'static str {
        match self {
            MemberKind::LoadBalancer => "Where clients connect: each listener (a port) forwards requests to target groups, by rules on the path or host, with weights.",
            MemberKind::TargetGroup => "Where a load balancer sends requests: a service's tasks register as its targets. The deregistration delay is how long a stopping task keeps serving requests it already has.",
            MemberKind::HostedZone => "DNS names clients look up: an alias record points a name at a load balancer; weighted records split clients between answers (clients cache them for the TTL).",
            MemberKind::Namespace => "Service discovery without a load balancer: the tasks of a service with serviceRegistries are registered here and answered while healthy.",
            MemberKind::Traffic => "The requests the sandbox sends: entry points (clients at a DNS name or a listener, with a rate profile) and calls from one service to another.",
        }
    }

    /// The member's place in the file: a list's key path, or `traffic` itself.
    fn keys(self) -> &'static [&'static str] {
        match self {
            MemberKind::LoadBalancer => &["loadBalancers"],
            MemberKind::TargetGroup => &["targetGroups"],
            MemberKind::HostedZone => &["route53", "hostedZones"],
            MemberKind::Namespace => &["cloudMap", "namespaces"],
            MemberKind::Traffic => &["traffic"],
        }
    }

    /// The members' names in file order (`traffic` is its own, single member).
    fn names(self, scenario: &Scenario) -> Vec<&str> {
        match self {
            MemberKind::LoadBalancer => scenario
                .load_balancers
                .iter()
                .map(|m| m.name.as_str())
                .collect(),
            MemberKind::TargetGroup => scenario
                .target_groups
                .iter()
                .map(|m| m.name.as_str())
                .collect(),
            MemberKind::HostedZone => scenario
                .route53
                .hosted_zones
                .iter()
                .map(|m| m.name.as_str())
                .collect(),
            MemberKind::Namespace => scenario
                .cloud_map
                .namespaces
                .iter()
                .map(|m| m.name.as_str())
                .collect(),
            MemberKind::Traffic => scenario.traffic.iter().map(|_| TRAFFIC).collect(),
        }
    }

    /// The JSON path of member `index` (`targetGroups[2]`, `traffic`).
    fn path(self, index: usize) -> String {
        match self {
            MemberKind::Traffic => TRAFFIC.into(),
            _ => format!("{}[{index}]", self.keys().join(".")),
        }
    }

    /// Member `index` as the scenario file writes it, pretty.
    fn text(self, scenario: &Scenario, index: usize) -> Option<String> {
        let compact = match self {
            MemberKind::LoadBalancer => serde_json::to_string(scenario.load_balancers.get(index)?),
            MemberKind::TargetGroup => serde_json::to_string(scenario.target_groups.get(index)?),
            MemberKind::HostedZone => {
                serde_json::to_string(scenario.route53.hosted_zones.get(index)?)
            }
            MemberKind::Namespace => {
                serde_json::to_string(scenario.cloud_map.namespaces.get(index)?)
            }
            MemberKind::Traffic => serde_json::to_string(scenario.traffic.as_ref()?),
        };
        compact.ok().map(|compact| pretty(&compact))
    }

    /// Member `index` in plain words ("web-alb · ALB · listener :80 HTTP · 3 rules").
    fn summary(self, scenario: &Scenario, index: usize) -> String {
        let text = match self {
            MemberKind::LoadBalancer => scenario.load_balancers.get(index).map(balancer_words),
            MemberKind::TargetGroup => scenario.target_groups.get(index).map(group_words),
            MemberKind::HostedZone => scenario.route53.hosted_zones.get(index).map(zone_words),
            MemberKind::Namespace => scenario
                .cloud_map
                .namespaces
                .get(index)
                .map(namespace_words),
            MemberKind::Traffic => scenario.traffic.as_ref().map(traffic_words),
        };
        text.unwrap_or_default()
    }
}

/// The name `traffic` goes by: it is the scenario's one traffic member.
const TRAFFIC: &str = "traffic";

/// One member as the editor lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRow {
    pub name: String,
    /// Where it is in the file (`loadBalancers[0]`).
    pub path: String,
    pub summary: String,
}

/// The scenario's members of `kind`, in file order.
pub fn member_rows(scenario: &Scenario, kind: MemberKind) -> Vec<MemberRow> {
    kind.names(scenario)
        .into_iter()
        .enumerate()
        .map(|(index, name)| MemberRow {
            name: name.to_string(),
            path: kind.path(index),
            summary: kind.summary(scenario, index),
        })
        .collect()
}

/// Whether the section offers Add: any number of list members, one `traffic`.
pub fn can_add(scenario: &Scenario, kind: MemberKind) -> bool {
    kind != MemberKind::Traffic || scenario.traffic.is_none()
}

/// The member being edited, kept as typed (in the reducer and in browser storage).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDraft {
    pub kind: MemberKind,
    /// The member's name when the draft was opened; `None`: a new member (Add).
    pub name: Option<String>,
    pub text: String,
}

/// What a draft would do to the scenario now.
#[derive(Clone, Debug, PartialEq)]
pub enum Checked {
    /// It applies: the scenario with the member in place.
    Ready(Box<Scenario>),
    /// Every problem at once: the JSON's syntax (line and column), or the loader's shape errors,
    /// or the whole scenario's compile problems, each with its path from the file's root.
    Problems(Vec<Problem>),
    /// The member the draft edits is no longer in the scenario: what to say instead.
    Gone(String),
}

impl MemberDraft {
    /// A draft of the member of `kind` named `name`, its text as the file writes it.
    pub fn edit(scenario: &Scenario, kind: MemberKind, name: &str) -> Option<MemberDraft> {
        let index = kind.names(scenario).iter().position(|n| *n == name)?;
        Some(MemberDraft {
            kind,
            name: Some(name.to_string()),
            text: kind.text(scenario, index)?,
        })
    }

    /// A new member of `kind`: a valid template with a name no member has, referring to the
    /// scenario's own names where it can.
    pub fn add(scenario: &Scenario, kind: MemberKind) -> MemberDraft {
        MemberDraft {
            kind,
            name: None,
            text: template(scenario, kind),
        }
    }

    /// "target group “order” (targetGroups[0])", "new target group": the editor's heading.
    pub fn title(&self, scenario: &Scenario) -> String {
        let noun = self.kind.noun();
        match &self.name {
            None => format!("New {noun}"),
            Some(name) => match self.index(scenario) {
                Some(index) if self.kind == MemberKind::Traffic => {
                    format!("Traffic ({})", self.kind.path(index))
                }
                Some(index) => format!("{noun} \u{201c}{name}\u{201d} ({})", self.kind.path(index)),
                None => format!("{noun} \u{201c}{name}\u{201d}"),
            },
        }
    }

    /// The scenario with this draft's text as the member, loaded and compiled by the core.
    pub fn check(&self, scenario: &Scenario) -> Checked {
        let index = match &self.name {
            None if self.kind == MemberKind::Traffic && scenario.traffic.is_some() => {
                return Checked::Gone("This scenario has traffic already: discard this draft and edit it.".into());
            }
            None => self.kind.names(scenario).len(),
            Some(name) => match self.index(scenario) {
                Some(index) => index,
                None => {
                    return Checked::Gone(format!(
                        "The {} \u{201c}{name}\u{201d} this draft edits is no longer in the scenario (removed, renamed or another scenario opened). Add it as a new one, or discard the draft.",
                        self.kind.noun()
                    ))
                }
            },
        };
        let member = match parse_json(&self.text) {
            Ok(member) => member,
            Err(message) => return Checked::Problems(vec![Problem::new("", message)]),
        };
        let Ok(mut file) = serde_json::to_string(scenario)
            .map_err(drop)
            .and_then(|text| parse_json(&text).map_err(drop))
        else {
            return Checked::Problems(vec![Problem::new("", "the scenario could not be written")]);
        };
        put(&mut file, self.kind.keys(), index, member);
        match from_value(file) {
            Ok(edited) => Checked::Ready(Box::new(edited)),
            Err(problems) => Checked::Problems(problems),
        }
    }

    /// True while the text is still the member's own (nothing to apply yet). Compares text, not
    /// scenarios: the app carries no deep comparison of scenarios.
    pub fn is_unchanged(&self, scenario: &Scenario) -> bool {
        let own = self
            .index(scenario)
            .and_then(|index| self.kind.text(scenario, index));
        own.as_deref() == Some(self.text.as_str())
    }

    fn index(&self, scenario: &Scenario) -> Option<usize> {
        let name = self.name.as_deref()?;
        self.kind.names(scenario).iter().position(|n| *n == name)
    }
}

/// The scenario without the member of `kind` named `name`, or the problems that removing it
/// leaves (a service or a listener still naming it): those are shown instead of applying.
pub fn remove_member(
    scenario: &Scenario,
    kind: MemberKind,
    name: &str,
) -> Result<Scenario, Vec<Problem>> {
    let mut edited = scenario.clone();
    let index = kind.names(scenario).iter().position(|n| *n == name);
    match (kind, index) {
        (_, None) => return Ok(edited),
        (MemberKind::LoadBalancer, Some(i)) => drop(edited.load_balancers.remove(i)),
        (MemberKind::TargetGroup, Some(i)) => drop(edited.target_groups.remove(i)),
        (MemberKind::HostedZone, Some(i)) => drop(edited.route53.hosted_zones.remove(i)),
        (MemberKind::Namespace, Some(i)) => drop(edited.cloud_map.namespaces.remove(i)),
        (MemberKind::Traffic, Some(_)) => edited.traffic = None,
    }
    let problems = validate(&edited);
    if problems.is_empty() {
        Ok(edited)
    } else {
        Err(problems)
    }
}

/// Puts `member` at `keys[..]` (`index` of the list there; the value itself for one key),
/// making the objects and list on the way when the file left them out (empty).
fn put(file: &mut Value, keys: &[&str], index: usize, member: Value) {
    let mut at = file;
    for key in keys {
        let Value::Object(object) = at else { return };
        at = object.entry(*key).or_insert(Value::Null);
        if at.is_null() {
            *at = Value::Object(Default::default());
        }
    }
    if keys.len() == 1 && keys[0] == TRAFFIC {
        *at = member;
        return;
    }
    if !at.is_array() {
        *at = Value::Array(Vec::new());
    }
    if let Value::Array(list) = at {
        match list.get_mut(index) {
            Some(slot) => *slot = member,
            None => list.push(member),
        }
    }
}

/// A valid new member of `kind` as pretty JSON.
fn template(scenario: &Scenario, kind: MemberKind) -> String {
    let taken = kind.names(scenario);
    let first_group = scenario
        .target_groups
        .first()
        .map_or("my-target-group", |g| g.name.as_str());
    let first_balancer = scenario.load_balancers.first();
    let compact = match kind {
        MemberKind::TargetGroup => serde_json::to_string(&TargetGroupSpec {
            name: unique("my-target-group", &taken),
            target_type: None,
            protocol: Protocol::Http,
            port: 8080,
            health_check: Some(HealthCheckSpec {
                path: Some("/health".into()),
                ..HealthCheckSpec::default()
            }),
            attributes: Some(TargetGroupAttributes {
                deregistration_delay_seconds: Some(30),
                ..TargetGroupAttributes::default()
            }),
        }),
        MemberKind::LoadBalancer => serde_json::to_string(&LoadBalancerSpec {
            name: unique("my-alb", &taken),
            kind: Some(LoadBalancerType::Application),
            listeners: vec![ListenerSpec {
                port: 80,
                protocol: Protocol::Http,
                rules: Vec::new(),
                default_forward: vec![ForwardSpec {
                    target_group: first_group.into(),
                    weight: None,
                }],
            }],
        }),
        MemberKind::HostedZone => {
            let zone = unique_zone(&taken);
            serde_json::to_string(&HostedZoneSpec {
                records: vec![RecordSpec {
                    name: format!("www.{zone}"),
                    kind: RecordType::A,
                    set_identifier: None,
                    weight: None,
                    // An alias to the first load balancer; without one, an address.
                    ttl: first_balancer.is_none().then_some(60),
                    alias: first_balancer.map(|b| AliasSpec {
                        load_balancer: b.name.clone(),
                    }),
                    value: first_balancer.is_none().then(|| "192.0.2.10".into()),
                }],
                name: zone,
            })
        }
        MemberKind::Namespace => {
            let cloud_map_services: Vec<&str> = scenario
                .cloud_map
                .namespaces
                .iter()
                .flat_map(|n| n.services.iter().map(|s| s.name.as_str()))
                .collect();
            serde_json::to_string(&NamespaceSpec {
                name: unique("internal.local", &taken),
                kind: NamespaceType::DnsPrivate,
                services: vec![CloudMapServiceSpec {
                    // Cloud Map service names are unique across namespaces.
                    name: unique("my-service", &cloud_map_services),
                    dns_records: vec![DnsRecordSpec {
                        kind: DnsRecordType::A,
                        ttl: 10,
                    }],
                    routing_policy: None,
                    health_check_custom_config: None,
                }],
            })
        }
        MemberKind::Traffic => {
            // Clients at the first load balancer's first listener; calls only when asked for.
            let listener = first_balancer
                .and_then(|b| Some(format!("{}:{}", b.name, b.listeners.first()?.port)));
            serde_json::to_string(&TrafficScenario {
                clients: None,
                entry_points: vec![EntryPointSpec {
                    name: "clients".into(),
                    target: EntryTarget::Listener(listener.unwrap_or_else(|| "my-alb:80".into())),
                    profile: ProfileSpec::Constant(10),
                    path: None,
                    start_at: None,
                }],
                calls: Vec::<CallSpec>::new(),
            })
        }
    };
    pretty(&compact.unwrap_or_default())
}

/// `base`, or `base-2`, `base-3`… : the first that is not taken.
fn unique(base: &str, taken: &[&str]) -> String {
    (1..=taken.len() + 1)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_else(|| base.to_string())
}

/// `example.com`, or `example2.com`…: a zone name no hosted zone has (the number goes before
/// the top-level domain so it stays a domain name).
fn unique_zone(taken: &[&str]) -> String {
    (1..=taken.len() + 1)
        .map(|n| {
            if n == 1 {
                "example.com".to_string()
            } else {
                format!("example{n}.com")
            }
        })
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_default()
}

fn balancer_words(balancer: &LoadBalancerSpec) -> String {
    let kind = match balancer.kind.unwrap_or_default() {
        LoadBalancerType::Application => "ALB",
        LoadBalancerType::Network => "NLB",
    };
    let listeners: Vec<String> = balancer
        .listeners
        .iter()
        .map(|l| format!(":{} {}", l.port, l.protocol.as_str()))
        .collect();
    let rules: usize = balancer.listeners.iter().map(|l| l.rules.len()).sum();
    format!(
        "{} · {kind} · {} {} · {}",
        balancer.name,
        plural(listeners.len(), "listener"),
        listeners.join(", "),
        count(rules, "rule")
    )
}

fn group_words(group: &TargetGroupSpec) -> String {
    let attributes = group.attributes.clone().unwrap_or_default();
    let mut words = format!(
        "{} · {} :{}",
        group.name,
        group.protocol.as_str(),
        group.port
    );
    if let Some(path) = group.health_check.as_ref().and_then(|h| h.path.as_deref()) {
        words += &format!(" · health check {path}");
    }
    // ELB's default delay is 300 s (§5.1).
    words += &format!(
        " · deregistration delay {} s",
        attributes.deregistration_delay_seconds.unwrap_or(300)
    );
    words
}

fn zone_words(zone: &HostedZoneSpec) -> String {
    let records: Vec<String> = zone
        .records
        .iter()
        .map(|r| {
            let to = match (&r.alias, &r.value) {
                (Some(alias), _) => alias.load_balancer.as_str(),
                (None, Some(value)) => value.as_str(),
                (None, None) => "?",
            };
            let weight = r.weight.map(|w| format!(" weight {w}")).unwrap_or_default();
            format!("{} {} → {to}{weight}", r.name, r.kind.as_str())
        })
        .collect();
    format!(
        "{} · {}: {}",
        zone.name,
        count(records.len(), "record"),
        records.join(", ")
    )
}

fn namespace_words(namespace: &NamespaceSpec) -> String {
    let services: Vec<&str> = namespace.services.iter().map(|s| s.name.as_str()).collect();
    let kind = match namespace.kind {
        NamespaceType::DnsPrivate => "private DNS",
        NamespaceType::Http => "HTTP (API calls only)",
    };
    format!(
        "{} · {kind} · {}: {}",
        namespace.name,
        count(services.len(), "service"),
        services.join(", ")
    )
}

fn traffic_words(traffic: &TrafficScenario) -> String {
    let entries: Vec<String> = traffic
        .entry_points
        .iter()
        .map(|e| {
            let (EntryTarget::Dns(to) | EntryTarget::Listener(to)) = &e.target;
            format!("{} → {to}", e.name)
        })
        .collect();
    let calls: Vec<String> = traffic
        .calls
        .iter()
        .map(|c| format!("{} → {}", c.from, c.to))
        .collect();
    format!(
        "{}: {} · {}{}",
        count(entries.len(), "entry point"),
        entries.join(", "),
        count(calls.len(), "call"),
        if calls.is_empty() {
            String::new()
        } else {
            format!(": {}", calls.join(", "))
        }
    )
}

/// "1 rule", "3 rules".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", plural(n, noun))
}

/// "rule", "rules".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}
