//! Resolves the `traffic` member against the discovery model, once, when the scenario
//! compiles: the result is a `traffic::plan::TrafficPlan` of indexes the world routes by.
//!
//! - `{"dns": name}`: the name must have Route 53 records; every record of the name becomes
//!   one answer of a weighted record set (a simple record weighs 1) and must be an alias to a
//!   load balancer (traffic follows alias records only). An alias reaches its load balancer's
//!   first listener (file order: ALIAS records carry no port).
//! - `{"listener": "lb:port"}`: the load balancer must exist and have a listener on the port.
//! - At a listener, the entry point's `path` (default `/`) picks the first rule in priority
//!   order whose conditions all match (path patterns on the path, host headers on the DNS name
//!   the client used; `*` and `?` wildcards as ELB), else the listener's default action.
//! - A call `from → to` reaches `to` through its load balancer: the target group of `to`'s
//!   first `loadBalancers[]` entry (the talk's services call each other through the ALB). A
//!   callee without a load balancer is a problem (calls through Cloud Map are not modelled
//!   yet). Its rate follows the first route (entry point, then earlier call) that reaches a
//!   target group of `from`: a call from a service nothing reaches is a problem, and so is a
//!   cycle of calls.

use super::{CompiledService, CompiledTraffic, EntryTarget};
use crate::compact::SortedSet;
use crate::discovery::{
    DiscoveryConfig, Forward, Listener, LoadBalancerConfig, RecordTarget, RuleCondition,
    TargetGroupId,
};
use crate::problem::Problem;
use crate::traffic::flow::{Entry, RateSource};
use crate::traffic::plan::{
    PlannedAnswer, PlannedRecordSet, PlannedRoute, PlannedRule, TrafficPlan,
};

/// Assumption (Route 53 ∅ for alias records, which take the target's TTL): an alias record
/// without `ttlSeconds` is cached 60 s by clients.
pub const ALIAS_TTL_SECONDS_DEFAULT: u32 = 60;

/// Resolves `traffic` against `discovery` and the services' `loadBalancers[]`; problems name
/// their path under `traffic`.
pub fn resolve_traffic(
    traffic: &CompiledTraffic,
    discovery: &DiscoveryConfig,
    services: &[CompiledService],
) -> Result<TrafficPlan, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut plan = TrafficPlan {
        clients: traffic.clients,
        ..TrafficPlan::default()
    };
    let mut rule_ids = RuleIds::new(discovery);
    // Services each route reaches (by target group).
    let mut reaches: Vec<SortedSet<TargetGroupId>> = Vec::new();
    for (index, entry) in traffic.entry_points.iter().enumerate() {
        let at = |field: &str| format!("traffic.entryPoints[{index}].target.{field}");
        let resolved = match &entry.target {
            EntryTarget::Listener(text) => {
                listener_rule(discovery, text, &entry.path, None, &mut plan, &mut rule_ids)
                    .map(|(rule, groups)| (Entry::Rule(rule), groups))
                    .map_err(|message| Problem::new(at("listener"), message))
            }
            EntryTarget::Dns(name) => {
                dns_entry(discovery, name, &entry.path, &mut plan, &mut rule_ids)
                    .map_err(|message| Problem::new(at("dns"), message))
            }
        };
        match resolved {
            Ok((entry_at, groups)) => {
                plan.routes.push(PlannedRoute {
                    name: entry.name.clone(),
                    entry: entry_at,
                    rate: RateSource::Profile {
                        profile: entry.profile,
                        from_ms: entry.start_ms,
                    },
                });
                reaches.push(groups);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let group_of = |name: &str| {
        services
            .iter()
            .find(|s| s.definition.service_name == name)
            .and_then(|s| s.load_balancers.first())
            .map(|binding| binding.target_group)
    };
    let groups_of = |name: &str| -> SortedSet<TargetGroupId> {
        services
            .iter()
            .find(|s| s.definition.service_name == name)
            .map(|s| s.load_balancers.iter().map(|b| b.target_group).collect())
            .unwrap_or_default()
    };
    for (index, call) in traffic.calls.iter().enumerate() {
        if group_of(&call.to).is_none() {
            problems.push(Problem::new(
                format!("traffic.calls[{index}].to"),
                format!(
                    "service {} has no load balancer: a call reaches a service through its target group (calls through Cloud Map are not modelled)",
                    call.to
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Calls in dependency order: each pass places the calls whose caller is reached by an
    // earlier route; at most one pass per call.
    let mut placed = vec![false; traffic.calls.len()];
    for _ in 0..traffic.calls.len() {
        let mut progress = false;
        for (index, call) in traffic.calls.iter().enumerate() {
            if placed[index] {
                continue;
            }
            let from_groups = groups_of(&call.from);
            let Some(upstream) = reaches
                .iter()
                .position(|reached| reached.iter().any(|group| from_groups.contains(group)))
            else {
                continue;
            };
            let to = group_of(&call.to).expect("checked above");
            let rule = plan.rules.len() as u32;
            plan.rules.push(PlannedRule {
                label: format!("call to {}", call.to),
                forwards: vec![(to, 1)],
            });
            plan.routes.push(PlannedRoute {
                name: format!("{}→{}", call.from, call.to),
                entry: Entry::Rule(rule),
                rate: RateSource::Call {
                    upstream: upstream as u32,
                    per_request_hundredths: call.per_request_hundredths,
                },
            });
            reaches.push(SortedSet::from_iter([to]));
            placed[index] = true;
            progress = true;
        }
        if !progress {
            break;
        }
    }
    for (index, call) in traffic.calls.iter().enumerate() {
        if !placed[index] {
            problems.push(Problem::new(
                format!("traffic.calls[{index}].from"),
                format!(
                    "no entry point or call reaches service {} (through its load balancer), so it makes no calls",
                    call.from
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(problems)
    }
}

/// A DNS entry: its record set (created once per name) and the target groups it reaches.
fn dns_entry(
    discovery: &DiscoveryConfig,
    name: &str,
    path: &str,
    plan: &mut TrafficPlan,
    rule_ids: &mut RuleIds,
) -> Result<(Entry, SortedSet<TargetGroupId>), String> {
    let wanted = name.trim_end_matches('.').to_ascii_lowercase();
    let records: Vec<(usize, &crate::discovery::RecordConfig)> = discovery
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.name == wanted)
        .collect();
    if records.is_empty() {
        return Err(format!("no Route 53 record is named {wanted}"));
    }
    let mut answers = Vec::new();
    let mut weights = Vec::new();
    let mut groups = SortedSet::new();
    let mut ttl_seconds = None;
    for (record_index, record) in &records {
        let RecordTarget::Alias(lb) = record.target else {
            return Err(format!(
                "{wanted} has a record that is not an alias to a load balancer: traffic follows alias records only"
            ));
        };
        let balancer = &discovery.load_balancers[lb.0 as usize];
        let Some(listener) = balancer.listeners.first() else {
            return Err(format!(
                "{wanted} is an alias to load balancer {}, which has no listener",
                balancer.name
            ));
        };
        let (rule, reached) = rule_for(
            balancer,
            lb.0,
            0,
            listener,
            path,
            Some(&wanted),
            plan,
            rule_ids,
        );
        groups.extend(reached.iter().copied());
        answers.push(PlannedAnswer {
            record: *record_index as u32,
            label: record
                .set_identifier
                .clone()
                .unwrap_or_else(|| balancer.name.clone()),
            rule,
        });
        weights.push(record.weight.unwrap_or(1).min(255) as u8);
        ttl_seconds = ttl_seconds.or(record.ttl_seconds);
    }
    if let Some(existing) = plan.record_sets.iter().position(|set| set.name == wanted) {
        // A second entry point on the same name shares its record set (and its history).
        if plan.record_sets[existing].answers == answers {
            return Ok((Entry::Dns(existing as u32), groups));
        }
    }
    plan.record_sets.push(PlannedRecordSet {
        name: wanted,
        ttl_ms: u64::from(ttl_seconds.unwrap_or(ALIAS_TTL_SECONDS_DEFAULT)) * 1_000,
        answers,
        weights,
    });
    Ok((Entry::Dns(plan.record_sets.len() as u32 - 1), groups))
}

/// A listener entry `lb:port`: the rule its path takes and the target groups it reaches.
fn listener_rule(
    discovery: &DiscoveryConfig,
    text: &str,
    path: &str,
    host: Option<&str>,
    plan: &mut TrafficPlan,
    rule_ids: &mut RuleIds,
) -> Result<(u32, SortedSet<TargetGroupId>), String> {
    let (name, port) = text.rsplit_once(':').expect("checked: lb:port");
    let port: u16 = port.parse().expect("checked: a port");
    let Some(lb) = discovery.load_balancers.iter().position(|b| b.name == name) else {
        return Err(format!("no load balancer named {name}"));
    };
    let balancer = &discovery.load_balancers[lb];
    let Some(listener_index) = balancer.listeners.iter().position(|l| l.port == port) else {
        return Err(format!(
            "load balancer {name} has no listener on port {port}"
        ));
    };
    Ok(rule_for(
        balancer,
        lb as u32,
        listener_index as u32,
        &balancer.listeners[listener_index],
        path,
        host,
        plan,
        rule_ids,
    ))
}

#[allow(clippy::too_many_arguments)] // the listener's coordinates and the plan being built
fn rule_for(
    balancer: &LoadBalancerConfig,
    lb: u32,
    listener_index: u32,
    listener: &Listener,
    path: &str,
    host: Option<&str>,
    plan: &mut TrafficPlan,
    rule_ids: &mut RuleIds,
) -> (u32, SortedSet<TargetGroupId>) {
    let mut ordered: Vec<usize> = (0..listener.rules.len()).collect();
    ordered.sort_by_key(|&i| listener.rules[i].priority);
    let matched = ordered.into_iter().find(|&i| {
        listener.rules[i]
            .conditions
            .iter()
            .all(|condition| match condition {
                RuleCondition::PathPattern(pattern) => glob(pattern.as_bytes(), path.as_bytes()),
                RuleCondition::HostHeader(pattern) => host.is_some_and(|host| {
                    glob(
                        pattern.to_ascii_lowercase().as_bytes(),
                        host.to_ascii_lowercase().as_bytes(),
                    )
                }),
            })
    });
    let forwards: &[Forward] = match matched {
        Some(i) => &listener.rules[i].forward,
        None => &listener.default_forward,
    };
    let groups = forwards.iter().map(|f| f.target_group).collect();
    let slot = rule_ids.slot(lb, listener_index, matched, listener.rules.len());
    if *slot != u32::MAX {
        return (*slot, groups);
    }
    let label = match matched {
        Some(i) => format!(
            "{}:{} rule {}",
            balancer.name, listener.port, listener.rules[i].priority
        ),
        None => format!("{}:{} default", balancer.name, listener.port),
    };
    let rule = plan.rules.len() as u32;
    plan.rules.push(PlannedRule {
        label,
        forwards: forwards
            .iter()
            .map(|f| (f.target_group, f.weight))
            .collect(),
    });
    *rule_ids.slot(lb, listener_index, matched, listener.rules.len()) = rule;
    (rule, groups)
}

/// The plan's rule id of each listener rule an entry point reached (`u32::MAX`: none yet), by
/// load balancer, listener and rule (the listener's default after its rules): one slot per rule
/// in a vector sized once from the configuration, linear in its rules, where a B-tree keyed by
/// the three would add its own code to the wasm app.
struct RuleIds {
    /// Per load balancer, per listener: its first slot.
    starts: Vec<Vec<usize>>,
    ids: Vec<u32>,
}

impl RuleIds {
    fn new(discovery: &DiscoveryConfig) -> RuleIds {
        let mut next = 0;
        let starts = discovery
            .load_balancers
            .iter()
            .map(|balancer| {
                balancer
                    .listeners
                    .iter()
                    .map(|listener| {
                        let start = next;
                        next += listener.rules.len() + 1;
                        start
                    })
                    .collect()
            })
            .collect();
        RuleIds {
            starts,
            ids: vec![u32::MAX; next],
        }
    }

    /// The slot of rule `matched` (`None`: the default) of a listener with `rules` rules.
    fn slot(&mut self, lb: u32, listener: u32, matched: Option<usize>, rules: usize) -> &mut u32 {
        let start = self.starts[lb as usize][listener as usize];
        &mut self.ids[start + matched.unwrap_or(rules)]
    }
}

/// ELB's wildcard match: `*` any run of characters, `?` exactly one. Bounded by the lengths
/// (iterative with one backtrack point).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob;
    use crate::scenario::{compile, parse_scenario};

    /// The default scenario (microservices) with `edit` applied: its problems, one a line.
    fn problems(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut value: serde_json::Value =
            serde_json::from_str(crate::builtin::default_scenario().json).expect("json");
        edit(&mut value);
        // `parse_scenario` checks the rules too (it compiles).
        match parse_scenario(&value.to_string()) {
            Ok(_) => String::new(),
            Err(problems) => problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    #[test]
    fn the_default_scenario_resolves_its_entry_point_and_calls() {
        let scenario =
            parse_scenario(crate::builtin::default_scenario().json).expect("the default parses");
        let compiled = compile(&scenario).expect("the default compiles");
        let plan = &compiled.traffic.expect("it has traffic").plan;
        let names: Vec<&str> = plan.routes.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["shoppers", "order→user", "order→shipping"]);
        let labels: Vec<&str> = plan.rules.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            ["web-alb:80 rule 10", "call to user", "call to shipping"]
        );
        assert_eq!(plan.record_sets[0].name, "api.example.com");
        assert_eq!(plan.record_sets[0].ttl_ms, 60_000);
    }

    #[test]
    fn entry_points_and_calls_that_reach_nothing_are_problems_with_their_paths() {
        expect_test::expect![[r#"
            traffic.entryPoints[0].target.dns: no Route 53 record is named shop.example.com
            traffic.entryPoints[1].target.listener: load balancer web-alb has no listener on port 443
            traffic.entryPoints[2].target.listener: no load balancer named nowhere"#]]
        .assert_eq(&problems(|v| {
            v["traffic"]["entryPoints"] = serde_json::json!([
                {"name": "a", "target": {"dns": "shop.example.com"}, "profile": {"constant": 1}},
                {"name": "b", "target": {"listener": "web-alb:443"}, "profile": {"constant": 1}},
                {"name": "c", "target": {"listener": "nowhere:80"}, "profile": {"constant": 1}}
            ]);
        }));
        // Entry at /user: nothing reaches order, so order's calls have no rate.
        expect_test::expect![[r#"
            traffic.calls[0].from: no entry point or call reaches service order (through its load balancer), so it makes no calls
            traffic.calls[1].from: no entry point or call reaches service order (through its load balancer), so it makes no calls"#]]
        .assert_eq(&problems(|v| {
            v["traffic"]["entryPoints"][0]["path"] = serde_json::json!("/user/1");
        }));
        // A callee without a load balancer.
        expect_test::expect![[r#"
            traffic.calls[1].to: service shipping has no load balancer: a call reaches a service through its target group (calls through Cloud Map are not modelled)"#]]
        .assert_eq(&problems(|v| {
            v["services"][2].as_object_mut().expect("a service").remove("loadBalancers");
            v["loadBalancers"][0]["listeners"][0]["rules"]
                .as_array_mut()
                .expect("rules")
                .pop();
            v["targetGroups"].as_array_mut().expect("groups").pop();
        }));
        // A weight change must name a weighted record and a weight in range.
        expect_test::expect![[r#"
            timeline[3].action.changeResourceRecordWeight.weight: a Route 53 weight is from 0 to 255, found 300
            timeline[3].action.changeResourceRecordWeight.setIdentifier: no Route 53 record api.example.com with set identifier "blue""#]]
        .assert_eq(&problems(|v| {
            v["timeline"].as_array_mut().expect("timeline").push(serde_json::json!(
                {"at": "6m", "action": {"changeResourceRecordWeight": {"name": "api.example.com", "setIdentifier": "blue", "weight": 300}}}
            ));
        }));
    }

    #[test]
    fn glob_matches_as_elb_path_patterns() {
        assert!(glob(b"/order*", b"/order/42"));
        assert!(glob(b"/order*", b"/order"));
        assert!(!glob(b"/order*", b"/user"));
        assert!(glob(b"/u?er", b"/user"));
        assert!(glob(b"*", b"/"));
        assert!(!glob(b"/a", b"/ab"));
    }
}
