//! The traffic view: the way a request takes, left to right in reading order — clients resolve a
//! Route 53 name (weighted records with each one's share and TTL), reach a load balancer's
//! listener, whose rules forward by weight to target groups (`target_groups`), whose targets are
//! tasks; and the Cloud Map services with the instances registered in them and their health.
//! When the scenario has `traffic`, the view leads with what the requests met in the last whole
//! minute (per entry point and call: rate, 2xx, 5xx from tasks, 502/503 from the load balancer,
//! unresolved by DNS) and the 503 hazards so far, each with its cause and a button that moves
//! the clock to it. Names are text nodes, never markup.

use crate::components::target_groups::{address_text, TargetGroups};
use crate::state::{Selection, WorldHandle};
use flotilla_core::action::{Action, ChangeRecordWeight};
use flotilla_core::discovery::{
    weighted_shares, CloudMapServiceId, Forward, LoadBalancerType, RecordConfig, RecordTarget,
    RuleCondition, SHARE_SCALE,
};
use flotilla_core::time::format_duration;
use flotilla_core::traffic::dns_cache::ClientClass;
use flotilla_core::world::TrafficWorld;
use flotilla_core::{SimTime, World};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TrafficProps {
    pub world: WorldHandle,
    /// Opens a target's or a registered instance's task.
    pub on_select: Callback<Selection>,
    /// Moves the clock (a hazard's start).
    pub on_seek: Callback<SimTime>,
    /// Applies an action now (a record's new weight).
    pub on_apply: Callback<Action>,
}

#[function_component(Traffic)]
pub fn traffic(props: &TrafficProps) -> Html {
    let world = props.world.world();
    let config = world.discovery().config();
    html! {
        <section class="panel traffic" data-testid="traffic" aria-label="Traffic">
            <h2>{ "Traffic" }</h2>
            { requests(&world) }
            { hazards(&world, &props.on_seek) }
            if config.is_empty() {
                <p class="hint" data-testid="traffic-empty">{ "This scenario has no load balancers, target groups, Route 53 records or Cloud Map services. A service reaches them through its loadBalancers and serviceRegistries." }</p>
            } else {
                <p class="hint">{ "Clients → Route 53 → load balancer listeners and rules → target groups → tasks." }</p>
                { dns(&world, &props.on_apply) }
                { load_balancers(&world) }
                <TargetGroups world={props.world.clone()} on_select={props.on_select.clone()} />
                { cloud_map(&world) }
            }
        </section>
    }
}

/// The last whole minute that has ended by now, `None` during the first.
pub fn last_minute(world: &World) -> Option<u32> {
    ((world.now().as_ms() / 60_000) as u32).checked_sub(1)
}

/// "4:00–5:00": minute `minute` of the run.
fn minute_text(minute: u32) -> String {
    let start = SimTime(u64::from(minute) * 60_000);
    format!("{start}–{}", SimTime(start.as_ms() + 60_000))
}

/// What the requests met in the last whole minute, per entry point and call.
fn requests(world: &World) -> Html {
    let Some(traffic) = world.traffic() else {
        return html! { <p class="hint" data-testid="traffic-rates">{ "No requests are modelled in this scenario (it has no traffic section)." }</p> };
    };
    let Some(minute) = last_minute(world) else {
        return html! { <p class="hint" data-testid="traffic-rates">{ "Request rates appear when the first simulated minute ends (1:00): step or play on." }</p> };
    };
    let plan = traffic.plan();
    let records: Vec<_> = traffic
        .state()
        .counters
        .routes_in_minute(minute)
        .iter()
        .copied()
        .collect();
    let failed: u32 = records
        .iter()
        .map(|r| r.target_5xx + r.elb_5xx + r.dns_failures)
        .sum();
    let total: u32 = records.iter().map(|r| r.requests).sum();
    let cell = |n: u32, bad: bool| html! { <td class={classes!("num", (bad && n > 0).then_some("bad"))}>{ n }</td> };
    html! {
        <section class="traffic-part" aria-label="Requests">
            <h3>{ format!("Requests, {}", minute_text(minute)) }
                <span class={classes!("hint", (failed > 0).then_some("bad"))} data-testid="traffic-rates">{
                    format!("{:.1} per second, {failed} failed", f64::from(total) / 60.0)
                }</span></h3>
            <table class="routes">
                <thead><tr><th scope="col">{ "From → to" }</th><th scope="col">{ "per s" }</th><th scope="col">{ "2xx" }</th>
                    <th scope="col" title="errors answered by the tasks (the revision's error rate)">{ "5xx" }</th>
                    <th scope="col" title="answered by the load balancer: no task could take the request">{ "502/503" }</th>
                    <th scope="col" title="the DNS answer named something gone">{ "unresolved" }</th></tr></thead>
                <tbody>
                { for records.iter().map(|r| html! {
                    <tr data-testid="route">
                        <td class="mono">{ plan.routes.get(r.route as usize).map_or("?", |route| route.name.as_str()) }</td>
                        <td class="num">{ format!("{:.1}", f64::from(r.requests) / 60.0) }</td>
                        { cell(r.count_2xx, false) }{ cell(r.target_5xx, true) }{ cell(r.elb_5xx, true) }{ cell(r.dns_failures, true) }
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}

/// The 503 hazards so far: interval, requests affected, cause; a button moves the clock there.
fn hazards(world: &World, on_seek: &Callback<SimTime>) -> Html {
    let Some(traffic) = world.traffic() else {
        return html! {};
    };
    let tracker = &traffic.state().hazards;
    let open = tracker.open().len();
    let all: Vec<_> = tracker.all().copied().collect();
    let closed = all.len() - open;
    html! {
        <section class="traffic-part hazards" aria-label="503 hazards">
            <h3>{ "503 hazards" }<span class="hint">{ "moments when requests reached something that could not serve them" }</span></h3>
            if all.is_empty() {
                <p class="hint" data-testid="no-hazards">{ "None so far: every request found a task that could serve it." }</p>
            }
            <ul>
            { for all.iter().enumerate().map(|(index, hazard)| {
                // As the trace says it: from its first second to the end of its last.
                let start = SimTime(hazard.start_s * 1000);
                let end = SimTime((hazard.end_s + 1) * 1000);
                let still = if index >= closed { " (still going)" } else { "" };
                html! {
                    <li data-testid="hazard" class="bad">
                        <button class="link" onclick={on_seek.reform(move |_: MouseEvent| start)}
                            title="Move the clock to where this hazard begins">{ format!("{start}–{end}{still}") }</button>
                        { format!(" · {} requests · {}", hazard.requests, world.hazard_sentence(&hazard.cause)) }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

/// "90%": a share of `SHARE_SCALE`, rounded to a whole percent.
fn percent(share: u32) -> String {
    format!(
        "{}%",
        (u64::from(share) * 100 + u64::from(SHARE_SCALE) / 2) / u64::from(SHARE_SCALE)
    )
}

/// Route 53 record sets (one name and type each), their records with weight, share and TTL;
/// with traffic, each weighted record's weight now (settable: `changeResourceRecordWeight`) and
/// the share of requests resolving it now, cached answers included.
fn dns(world: &World, on_apply: &Callback<Action>) -> Html {
    let records = world.dns_records();
    if records.is_empty() {
        return html! {};
    }
    let mut sets: Vec<(&str, flotilla_core::discovery::RecordType)> = Vec::new();
    for r in records {
        if !sets.contains(&(r.name.as_str(), r.kind)) {
            sets.push((r.name.as_str(), r.kind));
        }
    }
    let traffic = world.traffic();
    html! {
        <section class="traffic-part" aria-label="Route 53">
            <h3>{ "Route 53" }<span class="hint">{ "clients cache an answer for its TTL, so a weight change reaches them gradually" }</span></h3>
            <ul class="record-sets">
            { for sets.into_iter().filter_map(|(name, kind)| world.record_set(name, kind)).map(|set| {
                // With traffic: the plan's record set, its weights now and who resolves what now.
                let planned = traffic.and_then(|t| {
                    let index = t.plan().record_sets.iter().position(|p| p.name == set.name)? as u32;
                    Some((t, index, t.answer_shares_at(index, world.now())))
                });
                let weights: Vec<Option<u32>> = set.records.iter().map(|record| {
                    let Some((t, index, _)) = &planned else { return record.weight };
                    let answer = answer_of(world, t, *index, record)?;
                    record.weight.map(|_| u32::from(t.record_weights(*index)[answer]))
                }).collect();
                let shares = weighted_shares(&weights.iter().map(|w| w.unwrap_or(1)).collect::<Vec<_>>());
                let clients = planned.as_ref().and_then(|(t, index, _)| t.clients_at(*index, world.now()));
                html! {
                    <li data-testid="record-set" data-name={set.name.to_string()}>
                        <span class="mono">{ set.name }</span>{ " " }<span class="hint">{ set.records[0].kind.as_str() }</span>
                        <ul>
                        { for set.records.iter().zip(weights).zip(shares).map(|((record, weight), share)| {
                            let to = match &record.target {
                                RecordTarget::Alias(lb) => format!("alias to load balancer {}", world.load_balancers()[lb.0 as usize].name),
                                RecordTarget::Value(value) => value.clone(),
                            };
                            let id = record.set_identifier.as_deref().unwrap_or("");
                            let weighted = weight.map(|w| format!("{id} weight {w} ({}) → ", percent(share)));
                            let ttl = record.ttl_seconds.map_or_else(|| "TTL: the load balancer's".to_string(), |t| format!("TTL {t}s"));
                            let resolving = planned.as_ref().and_then(|(t, index, now)| Some(now[answer_of(world, t, *index, record)?]));
                            html! {
                                <li>
                                    <span data-testid="record">{ format!("{}{to} · {ttl}", weighted.unwrap_or_default()) }</span>
                                    if let Some(now) = resolving {
                                        <span class="hint" data-testid="resolving">{ format!(" · {:.0}% of requests resolve it now", now * 100.0) }</span>
                                    }
                                    if let (Some(weight), Some(_)) = (weight, &planned) {
                                        // Keyed by the weight: a new weight (scripted or set here) starts the field afresh.
                                        <WeightControl key={format!("{id}:{weight}")} name={set.name.to_string()} set_identifier={id.to_string()} {weight} on_apply={on_apply.clone()} />
                                    }
                                </li>
                            }
                        }) }
                        </ul>
                        if let Some((classes, changed)) = clients {
                            <p class="hint" data-testid="client-caches">{ client_caches(&classes, changed) }</p>
                        }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

/// What the clients of a record set resolve now: per class, how old a cached answer gets and,
/// after a weight change, how many of them already have the new weights.
fn client_caches(classes: &[ClientClass], changed: Option<SimTime>) -> String {
    let mut parts = Vec::new();
    for class in classes.iter().filter(|class| class.share > 0.0) {
        let mut part = format!(
            "{:.0}% for up to {}",
            class.share * 100.0,
            format_duration(class.lifetime_ms)
        );
        if let Some(at) = changed {
            let which = if parts.is_empty() {
                format!("the weights of {at}")
            } else {
                "them".to_string()
            };
            part.push_str(&format!(
                ", of whom {:.0}% have {which}",
                class.on_current * 100.0
            ));
        }
        parts.push(part);
    }
    let after = if changed.is_some() {
        ""
    } else {
        " The weights have not changed, so every cached answer is current."
    };
    format!("Clients cache answers: {}.{after}", parts.join("; "))
}

/// Which answer of the plan's record set `index` is `record` (by identity in the config).
fn answer_of(
    world: &World,
    traffic: &TrafficWorld,
    index: u32,
    record: &RecordConfig,
) -> Option<usize> {
    traffic.plan().record_sets[index as usize]
        .answers
        .iter()
        .position(|a| std::ptr::eq(&world.dns_records()[a.record as usize], record))
}

#[derive(Properties, PartialEq)]
struct WeightControlProps {
    name: AttrValue,
    set_identifier: AttrValue,
    weight: u32,
    on_apply: Callback<Action>,
}

/// A weighted record's weight, set from now on (the timeline action `changeResourceRecordWeight`).
#[function_component(WeightControl)]
fn weight_control(props: &WeightControlProps) -> Html {
    let text = use_state(|| props.weight.to_string());
    let parsed = text.trim().parse::<u32>().ok().filter(|w| *w <= 255);
    let label = format!("New weight for {} {}", props.name, props.set_identifier);
    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                text.set(input.value());
            }
        })
    };
    let onclick = {
        let (on_apply, name, set_identifier) = (
            props.on_apply.clone(),
            props.name.to_string(),
            props.set_identifier.to_string(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(weight) = parsed {
                on_apply.emit(Action::ChangeResourceRecordWeight(ChangeRecordWeight {
                    name: name.clone(),
                    set_identifier: set_identifier.clone(),
                    weight,
                }));
            }
        })
    };
    html! {
        <span class="weight-control">
            <input type="number" min="0" max="255" step="1" value={(*text).clone()} {oninput} aria-label={label}
                aria-invalid={parsed.is_none().to_string()} data-testid="weight-input" />
            <button onclick={onclick} disabled={parsed.is_none() || parsed == Some(props.weight)} data-testid="set-weight">{ "Set weight" }</button>
            if parsed.is_none() {
                <span class="field-error" role="alert">{ "A weight is a whole number from 0 to 255." }</span>
            }
        </span>
    }
}

/// "order-blue 90% · order-green 10%".
fn forwards(world: &World, forward: &[Forward]) -> String {
    let weights: Vec<u32> = forward.iter().map(|f| f.weight).collect();
    let groups = &world.discovery().config().target_groups;
    let parts: Vec<String> = forward
        .iter()
        .zip(weighted_shares(&weights))
        .map(|(f, share)| {
            format!(
                "{} {}",
                groups[f.target_group.0 as usize].name,
                percent(share)
            )
        })
        .collect();
    parts.join(" · ")
}

/// Load balancers → listeners → rules (priority order) → weighted forwards.
fn load_balancers(world: &World) -> Html {
    if world.load_balancers().is_empty() {
        return html! {};
    }
    html! {
        <section class="traffic-part" aria-label="Load balancers">
            <h3>{ "Load balancers" }</h3>
            { for world.load_balancers().iter().map(|lb| html! {
                <div class="load-balancer" data-testid="load-balancer">
                    <h4><span class="mono">{ &lb.name }</span><span class="hint">{ match lb.kind { LoadBalancerType::Application => "application", LoadBalancerType::Network => "network" } }</span></h4>
                    <ul>
                    { for lb.listeners.iter().map(|listener| html! {
                        <li data-testid="listener">{ format!("Listener {} :{}", listener.protocol.as_str(), listener.port) }
                            { lines("rule", listener.rules.iter().map(|rule| {
                                let when: Vec<String> = rule.conditions.iter().map(|c| match c {
                                    RuleCondition::PathPattern(p) => format!("path {p}"),
                                    RuleCondition::HostHeader(h) => format!("host {h}"),
                                }).collect();
                                format!("priority {}: {} → {}", rule.priority, when.join(" and "), forwards(world, &rule.forward))
                            }).chain([format!("default → {}", forwards(world, &listener.default_forward))]).collect()) }
                        </li>
                    }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

/// Cloud Map services with their registered instances and custom health.
fn cloud_map(world: &World) -> Html {
    let services = &world.discovery().config().cloud_map_services;
    if services.is_empty() {
        return html! {};
    }
    html! {
        <section class="traffic-part" aria-label="Cloud Map">
            <h3>{ "Cloud Map" }<span class="hint">{ "a MULTIVALUE answer names up to 8 healthy instances" }</span></h3>
            <ul class="registries">
            { for services.iter().enumerate().map(|(i, service)| {
                let instances = world.registry_instances(CloudMapServiceId(i as u32));
                html! {
                    <li data-testid="registry" data-name={format!("{}.{}", service.name, service.namespace)}>
                        <span class="mono">{ format!("{}.{}", service.name, service.namespace) }</span>
                        <span class="hint">{ format!(" · {} registered", instances.len()) }</span>
                        { lines("registry-instance", instances.iter().map(|instance| format!("{} at {} · {}", instance.task,
                            address_text(world, instance.address), if instance.healthy { "healthy" } else { "unhealthy" })).collect()) }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

/// A list of text lines, each item marked `testid` (one instantiation for every list here).
fn lines(testid: &'static str, items: Vec<String>) -> Html {
    html! {
        <ul>{ for items.into_iter().map(|item| html! { <li data-testid={testid}>{ item }</li> }) }</ul>
    }
}
