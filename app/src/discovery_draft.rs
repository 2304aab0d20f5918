//! The discovery and traffic editor's draft: one member of the scenario's `loadBalancers`,
//! `targetGroups`, `route53.hostedZones`, `cloudMap.namespaces` or its `traffic`, as the JSON
//! text the user is typing. One generic draft for every kind, because the scenario file is
//! already the form: the text is the member exactly as the file writes it, and checking it is
//! loading the whole scenario with the member put back (`scenario::from_value`, the loader's
//! own shape errors and compile problems, every one with its path). No second validator, and no
//! serde code of its own: members are written with the scenario's `Serialize` and read back by
//! the loader. A draft names its member by name, not position, so removing another member does
//! not retarget it; one whose member is gone says so (`Checked::Gone`).

use flotilla_core::discovery::{LoadBalancerType, NamespaceType};
use flotilla_core::json_input::parse_json;
use flotilla_core::json_pretty::pretty;
use flotilla_core::scenario::{
    from_value, EntryTarget, HostedZoneSpec, LoadBalancerSpec, NamespaceSpec, TargetGroupSpec,
    TrafficScenario,
};
use flotilla_core::{Problem, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt::Write;

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
        let mut names = Vec::new();
        match self {
            MemberKind::LoadBalancer => {
                for member in &scenario.load_balancers {
                    names.push(member.name.as_str());
                }
            }
            MemberKind::TargetGroup => {
                for member in &scenario.target_groups {
                    names.push(member.name.as_str());
                }
            }
            MemberKind::HostedZone => {
                for member in &scenario.route53.hosted_zones {
                    names.push(member.name.as_str());
                }
            }
            MemberKind::Namespace => {
                for member in &scenario.cloud_map.namespaces {
                    names.push(member.name.as_str());
                }
            }
            MemberKind::Traffic => {
                if scenario.traffic.is_some() {
                    names.push(TRAFFIC);
                }
            }
        }
        names
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

    /// Member `index` in plain words ("web-alb · ALB · 1 listener :80 HTTP · 3 rules").
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
    /// The member the draft edits is no longer in the scenario: what to say instead (a problem
    /// of the whole draft, no path).
    Gone(Problem),
}

impl Checked {
    /// Every problem the check found, a gone member's note included: what the editor lists.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Checked::Ready(_) => &[],
            Checked::Problems(problems) => problems,
            Checked::Gone(problem) => std::slice::from_ref(problem),
        }
    }
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
        // A heading: the noun starts it, so it starts in capitals.
        let mut capital = noun.chars();
        let noun = capital.next().map_or(String::new(), |first| {
            first.to_uppercase().chain(capital).collect()
        });
        match &self.name {
            None => format!("New {}", self.kind.noun()),
            Some(_) if self.kind == MemberKind::Traffic => noun,
            Some(name) => match self.index(scenario) {
                Some(index) => format!("{noun} \u{201c}{name}\u{201d} ({})", self.kind.path(index)),
                None => format!("{noun} \u{201c}{name}\u{201d}"),
            },
        }
    }

    /// The scenario with this draft's text as the member, loaded and compiled by the core.
    pub fn check(&self, scenario: &Scenario) -> Checked {
        let gone = |message: String| Checked::Gone(Problem::new("", message));
        let index = match &self.name {
            None if self.kind == MemberKind::Traffic && scenario.traffic.is_some() => {
                return gone("This scenario has traffic already: discard this draft and edit it.".into());
            }
            None => self.kind.names(scenario).len(),
            Some(name) => match self.index(scenario) {
                Some(index) => index,
                None => {
                    return gone(format!(
                        "The {} \u{201c}{name}\u{201d} this draft edits is no longer in the scenario (removed, renamed or another scenario opened): discard the draft, or Add a new one and paste the text there.",
                        self.kind.noun()
                    ))
                }
            },
        };
        let loaded = parse_json(&self.text)
            .map_err(|message| vec![Problem::new("", message)])
            .and_then(|member| load_with(scenario, self.kind, index, Some(member)));
        match loaded {
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
    match kind.names(scenario).iter().position(|n| *n == name) {
        Some(index) => load_with(scenario, kind, index, None),
        None => Ok(scenario.clone()),
    }
}

/// The scenario loaded as its file would be with `member` at `index` of `kind` (appended past the
/// end; taken out when `None`): the loader's own shape errors and compile problems, with paths
/// from the file's root. The one way this editor changes a scenario.
fn load_with(
    scenario: &Scenario,
    kind: MemberKind,
    index: usize,
    member: Option<Value>,
) -> Result<Scenario, Vec<Problem>> {
    let mut file = serde_json::to_string(scenario)
        .map_err(|error| error.to_string())
        .and_then(|text| parse_json(&text))
        .map_err(|message| vec![Problem::new("", message)])?;
    // Down the keys, making the objects the file leaves out (it writes no empty member); a
    // member the file holds as something else is left to the loader to report.
    let slot = kind
        .keys()
        .iter()
        .try_fold(&mut file, |at, key| member_of(at, key));
    match (slot, member) {
        (Some(Value::Array(list)), Some(member)) if index < list.len() => list[index] = member,
        (Some(Value::Array(list)), Some(member)) => list.push(member),
        (Some(Value::Array(list)), None) if index < list.len() => drop(list.remove(index)),
        // `traffic` itself.
        (Some(slot), member) if kind == MemberKind::Traffic => {
            *slot = member.unwrap_or(Value::Null)
        }
        // A list the file left out (empty), which `member_of` made an empty object.
        (Some(slot), Some(member)) => *slot = Value::Array(vec![member]),
        _ => {}
    }
    if let Value::Object(object) = &mut file {
        // No traffic is no `traffic` member, not a null one.
        if object.get(TRAFFIC).is_some_and(Value::is_null) {
            object.remove(TRAFFIC);
        }
    }
    from_value(file)
}

/// `value`'s member `key`, made an empty object when absent; `None` when `value` is no object.
fn member_of<'v>(value: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    let Value::Object(object) = value else {
        return None;
    };
    if !object.contains_key(key) {
        object.insert(key.to_string(), Value::Object(Default::default()));
    }
    object.get_mut(key)
}

/// A valid new member of `kind` as pretty JSON (written compact, laid out by `pretty`), referring to the scenario's first target group
/// or load balancer where it needs one. Written as text, not built and serialised: the names
/// are the template's own or ELB names (letters, digits, hyphens), and without a target group
/// or load balancer to name, the placeholder is reported by the check like any typed name.
fn template(scenario: &Scenario, kind: MemberKind) -> String {
    let taken = kind.names(scenario);
    let group = scenario
        .target_groups
        .first()
        .map_or("my-target-group", |g| g.name.as_str());
    let balancer = scenario.load_balancers.first();
    let balancer_name = balancer.map_or("my-alb", |b| b.name.as_str());
    let compact = match kind {
        MemberKind::TargetGroup => format!(
            r#"{{"name":"{}","protocol":"HTTP","port":8080,"healthCheck":{{"path":"/health"}},"attributes":{{"deregistrationDelaySeconds":30}}}}"#,
            unique(&taken, "my-target-group", "")
        ),
        MemberKind::LoadBalancer => format!(
            r#"{{"name":"{}","type":"application","listeners":[{{"port":80,"protocol":"HTTP","defaultForward":[{{"targetGroup":"{group}"}}]}}]}}"#,
            unique(&taken, "my-alb", "")
        ),
        MemberKind::HostedZone => format!(
            r#"{{"name":"{zone}","records":[{{"name":"www.{zone}","type":"A","alias":{{"loadBalancer":"{balancer_name}"}}}}]}}"#,
            zone = unique(&taken, "example", ".com")
        ),
        MemberKind::Namespace => {
            // Cloud Map service names are unique across namespaces.
            let services: Vec<&str> = scenario
                .cloud_map
                .namespaces
                .iter()
                .flat_map(|n| n.services.iter().map(|s| s.name.as_str()))
                .collect();
            format!(
                r#"{{"name":"{}","type":"DNS_PRIVATE","services":[{{"name":"{}","dnsRecords":[{{"type":"A","ttl":10}}]}}]}}"#,
                unique(&taken, "internal", ".local"),
                unique(&services, "my-service", "")
            )
        }
        // Clients at the first load balancer's first listener.
        MemberKind::Traffic => format!(
            r#"{{"entryPoints":[{{"name":"clients","target":{{"listener":"{balancer_name}:{}"}},"profile":{{"constant":10}}}}]}}"#,
            balancer
                .and_then(|b| b.listeners.first())
                .map_or(80, |l| l.port)
        ),
    };
    pretty(&compact)
}

/// `{stem}{tail}`, or `{stem}-2{tail}`, `{stem}-3{tail}`…: the first name not taken.
fn unique(taken: &[&str], stem: &str, tail: &str) -> String {
    let mut name = format!("{stem}{tail}");
    // One more candidate than names taken: one of them is free.
    for n in 2..=taken.len() + 1 {
        if !taken.contains(&name.as_str()) {
            break;
        }
        name = format!("{stem}-{n}{tail}");
    }
    name
}

/// A summary being written: parts separated by " · ". Written into one string with `write!`
/// rather than collected and joined: one code path for every kind (app size).
struct Words(String);

impl Words {
    fn new(first: &str) -> Words {
        Words(first.to_string())
    }

    /// Starts a part: " · ".
    fn part(&mut self) -> &mut String {
        self.0.push_str(" · ");
        &mut self.0
    }

    /// "3 rules", "1 rule".
    fn count(&mut self, n: usize, noun: &str) -> &mut String {
        let out = self.part();
        let _ = write!(out, "{n} {noun}{}", if n == 1 { "" } else { "s" });
        out
    }
}

fn balancer_words(balancer: &LoadBalancerSpec) -> String {
    let mut words = Words::new(&balancer.name);
    words
        .part()
        .push_str(match balancer.kind.unwrap_or_default() {
            LoadBalancerType::Application => "ALB",
            LoadBalancerType::Network => "NLB",
        });
    let out = words.count(balancer.listeners.len(), "listener");
    let mut rules = 0;
    for (index, listener) in balancer.listeners.iter().enumerate() {
        out.push_str(if index == 0 { " " } else { ", " });
        let _ = write!(out, ":{} {}", listener.port, listener.protocol.as_str());
        rules += listener.rules.len();
    }
    words.count(rules, "rule");
    words.0
}

fn group_words(group: &TargetGroupSpec) -> String {
    let mut words = Words::new(&group.name);
    let _ = write!(words.part(), "{} :{}", group.protocol.as_str(), group.port);
    if let Some(path) = group.health_check.as_ref().and_then(|h| h.path.as_deref()) {
        let _ = write!(words.part(), "health check {path}");
    }
    // ELB's default delay is 300 s (§5.1).
    let delay = group
        .attributes
        .as_ref()
        .and_then(|a| a.deregistration_delay_seconds);
    let _ = write!(
        words.part(),
        "deregistration delay {} s",
        delay.unwrap_or(300)
    );
    words.0
}

fn zone_words(zone: &HostedZoneSpec) -> String {
    let mut words = Words::new(&zone.name);
    let out = words.count(zone.records.len(), "record");
    for (index, record) in zone.records.iter().enumerate() {
        out.push_str(if index == 0 { ": " } else { ", " });
        let to = match (&record.alias, &record.value) {
            (Some(alias), _) => alias.load_balancer.as_str(),
            (None, Some(value)) => value.as_str(),
            (None, None) => "?",
        };
        let _ = write!(out, "{} {} → {to}", record.name, record.kind.as_str());
        if let Some(weight) = record.weight {
            let _ = write!(out, " weight {weight}");
        }
    }
    words.0
}

fn namespace_words(namespace: &NamespaceSpec) -> String {
    let mut words = Words::new(&namespace.name);
    words.part().push_str(match namespace.kind {
        NamespaceType::DnsPrivate => "private DNS",
        NamespaceType::Http => "HTTP (API calls only)",
    });
    let out = words.count(namespace.services.len(), "service");
    for (index, service) in namespace.services.iter().enumerate() {
        out.push_str(if index == 0 { ": " } else { ", " });
        out.push_str(&service.name);
    }
    words.0
}

fn traffic_words(traffic: &TrafficScenario) -> String {
    let count = traffic.entry_points.len();
    let mut words = Words(format!(
        "{count} entry point{}",
        if count == 1 { "" } else { "s" }
    ));
    for (index, entry) in traffic.entry_points.iter().enumerate() {
        words.0.push_str(if index == 0 { ": " } else { ", " });
        let (EntryTarget::Dns(to) | EntryTarget::Listener(to)) = &entry.target;
        let _ = write!(words.0, "{} → {to}", entry.name);
    }
    let out = words.count(traffic.calls.len(), "call");
    for (index, call) in traffic.calls.iter().enumerate() {
        out.push_str(if index == 0 { ": " } else { ", " });
        let _ = write!(out, "{} → {}", call.from, call.to);
    }
    words.0
}
