//! The traffic view: the way a request takes, left to right in reading order — clients resolve a
//! Route 53 name (weighted records with each one's share and TTL), reach a load balancer's
//! listener, whose rules forward by weight to target groups (`target_groups`), whose targets are
//! tasks; and the Cloud Map services with the instances registered in them and their health.
//! Request rates and error counts come from the traffic model when the world runs one; until
//! then the view says so. Names are text nodes, never markup.

use crate::components::target_groups::{address_text, TargetGroups};
use crate::state::{Selection, WorldHandle};
use flotilla_core::discovery::{
    weighted_shares, CloudMapServiceId, Forward, LoadBalancerType, RecordTarget, RuleCondition,
    SHARE_SCALE,
};
use flotilla_core::World;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TrafficProps {
    pub world: WorldHandle,
    /// Opens a target's or a registered instance's task.
    pub on_select: Callback<Selection>,
}

#[function_component(Traffic)]
pub fn traffic(props: &TrafficProps) -> Html {
    let world = props.world.world();
    let config = world.discovery().config();
    let declared = props.world.run().scenario.traffic.is_some();
    html! {
        <section class="panel traffic" data-testid="traffic" aria-label="Traffic">
            <h2>{ "Traffic" }<span class="hint" data-testid="traffic-rates">{
                if declared { "request rates: not run by this version yet" } else { "no traffic modelled in this scenario" }
            }</span></h2>
            if config.is_empty() {
                <p class="hint" data-testid="traffic-empty">{ "This scenario has no load balancers, target groups, Route 53 records or Cloud Map services. A service reaches them through its loadBalancers and serviceRegistries." }</p>
            } else {
                <p class="hint">{ "Clients → Route 53 → load balancer listeners and rules → target groups → tasks." }</p>
                { dns(&world) }
                { load_balancers(&world) }
                <TargetGroups world={props.world.clone()} on_select={props.on_select.clone()} />
                { cloud_map(&world) }
            }
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

/// Route 53 record sets (one name and type each), their records with weight, share and TTL.
fn dns(world: &World) -> Html {
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
    html! {
        <section class="traffic-part" aria-label="Route 53">
            <h3>{ "Route 53" }<span class="hint">{ "clients cache an answer for its TTL" }</span></h3>
            <ul class="record-sets">
            { for sets.into_iter().filter_map(|(name, kind)| world.record_set(name, kind)).map(|set| {
                let shares = set.shares();
                html! {
                    <li data-testid="record-set" data-name={set.name.to_string()}>
                        <span class="mono">{ set.name }</span>{ " " }<span class="hint">{ set.records[0].kind.as_str() }</span>
                        { lines("record", set.records.iter().zip(shares).map(|(record, share)| {
                            let to = match &record.target {
                                RecordTarget::Alias(lb) => format!("alias to load balancer {}", world.load_balancers()[lb.0 as usize].name),
                                RecordTarget::Value(value) => value.clone(),
                            };
                            let weight = record.weight.map(|w| format!("{} weight {w} ({}) → ", record.set_identifier.as_deref().unwrap_or(""), percent(share)));
                            let ttl = record.ttl_seconds.map_or_else(|| "TTL: the load balancer's".to_string(), |t| format!("TTL {t}s"));
                            format!("{}{to} · {ttl}", weight.unwrap_or_default())
                        }).collect()) }
                    </li>
                }
            }) }
            </ul>
        </section>
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
