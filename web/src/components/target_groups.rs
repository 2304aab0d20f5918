//! The target groups of the traffic view: per group its protocol and port, deregistration delay,
//! how it routes now (healthy, fail-open or nothing, each said in one line for a newcomer) and
//! its targets — task (a button opening its details), ELB health state (draining with the time
//! left of its deregistration delay), revision, address and Availability Zone. Read from
//! `World::target_group_views`; names are text nodes, never markup. A group of many targets
//! counts them by state and lists the first `TARGETS_SHOWN_MAX` until "Show all" is pressed:
//! a table of 1,000 targets cost ~40 ms at every step with the tab open.

use crate::components::traffic::last_minute;
use crate::state::{Selection, WorldHandle};
use flotilla_core::discovery::{ipv4_text, Routing, TargetAddress, TargetHealthState};
use flotilla_core::time::format_duration;
use flotilla_core::World;
use yew::prelude::*;

/// What a target group's routing means, in one line.
pub fn routing_words(routing: Routing, routed: usize) -> (&'static str, String) {
    match routing {
        Routing::Healthy => (
            "healthy",
            format!("New requests go to its {routed} healthy target{}; the others get none.", plural(routed)),
        ),
        Routing::FailOpen => (
            "fail-open",
            format!("No target is healthy, so the load balancer fails open: it sends requests to all {routed} unhealthy targets rather than to none."),
        ),
        Routing::Nothing => (
            "nothing to route to",
            "No target can take a request (none registered, all still initial or all draining): clients get HTTP 503.".to_string(),
        ),
    }
}

/// `i-0abc…:49153` or `10.0.0.1:9000`, as the trace writes it.
pub fn address_text(world: &World, address: TargetAddress) -> String {
    match address {
        TargetAddress::Instance { instance, port } => {
            format!("{}:{port}", world.instance(instance).ec2_instance_id)
        }
        TargetAddress::Ip { ip, port: 0 } => ipv4_text(ip),
        TargetAddress::Ip { ip, port } => format!("{}:{port}", ipv4_text(ip)),
    }
}

/// The group's last whole minute: rate, outcomes, latency percentiles (with traffic only).
fn last_minute_line(world: &World, group: u32) -> Html {
    let record = world
        .traffic()
        .zip(last_minute(world))
        .and_then(|(traffic, minute)| traffic.state().counters.group(minute, group));
    let Some(r) = record else {
        return html! {};
    };
    let failed = r.target_5xx + r.elb_5xx;
    html! {
        <p class={classes!("hint", (failed > 0).then_some("bad"))} data-testid="group-minute">{ format!(
            "Last minute: {:.1} requests/s · 2xx {} · 5xx {} · 502/503 {} · latency p50 {} ms, p99 {} ms",
            f64::from(r.requests) / 60.0, r.count_2xx, r.target_5xx, r.elb_5xx, r.p50_us / 1000, r.p99_us / 1000) }</p>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Targets listed per group until the user asks for all of them.
pub const TARGETS_SHOWN_MAX: usize = 50;

/// "1,000 targets: 998 healthy, 2 initial".
fn counted(targets: &[flotilla_core::world::Target]) -> String {
    let states = [
        TargetHealthState::Healthy,
        TargetHealthState::Initial,
        TargetHealthState::Unhealthy,
        TargetHealthState::Draining,
    ];
    let parts: Vec<String> = states
        .iter()
        .map(|&state| (state, targets.iter().filter(|t| t.state() == state).count()))
        .filter(|&(_, n)| n > 0)
        .map(|(state, n)| format!("{n} {}", state.as_str()))
        .collect();
    format!(
        "{} target{}: {}",
        targets.len(),
        plural(targets.len()),
        parts.join(", ")
    )
}

#[derive(Properties, PartialEq)]
pub struct TargetGroupsProps {
    pub world: WorldHandle,
    /// Opens a target's task.
    pub on_select: Callback<Selection>,
}

/// Every target group with its targets.
#[function_component(TargetGroups)]
pub fn target_groups(props: &TargetGroupsProps) -> Html {
    let show_all = use_state_eq(|| false);
    let world = props.world.world();
    let world = &*world;
    let on_select = &props.on_select;
    let now = world.now();
    html! {
        <section class="traffic-part" aria-label="Target groups">
            <h3>{ "Target groups" }</h3>
            { for world.target_group_views().map(|view| {
                let config = view.config;
                let (routing, meaning) = routing_words(view.routing, view.routed_count());
                html! {
                    <article class="target-group" data-testid="target-group" data-target-group={config.name.clone()}
                        aria-label={format!("Target group {}", config.name)}>
                        <h4>
                            <span class="mono">{ &config.name }</span>
                            <span class="hint">{ format!("{} :{} · {} · deregistration delay {}", config.protocol.as_str(), config.port,
                                config.target_type.as_str(), format_duration(config.deregistration_delay_ms)) }</span>
                        </h4>
                        <p class={classes!("routing", format!("routing-{}", routing.replace(' ', "-")))} data-testid="routing" data-routing={routing}>
                            <strong>{ routing }</strong>{ ": " }{ meaning }
                        </p>
                        { last_minute_line(world, view.id.0) }
                        if view.targets.is_empty() {
                            <p class="hint">{ "No targets registered." }</p>
                        } else {
                            <p class="hint" data-testid="target-count">{ counted(view.targets) }
                                if view.targets.len() > TARGETS_SHOWN_MAX {
                                    { if *show_all { " · all listed ".to_string() } else { format!(" · the first {TARGETS_SHOWN_MAX} listed ") } }
                                    <button class="small" data-testid="show-all-targets" aria-pressed={show_all.to_string()}
                                        onclick={{ let show_all = show_all.clone(); move |_: MouseEvent| show_all.set(!*show_all) }}>
                                        { if *show_all { "List fewer" } else { "List all" } }</button>
                                }
                            </p>
                            <table class="targets">
                                <thead><tr><th scope="col">{ "Task" }</th><th scope="col">{ "Health" }</th><th scope="col">{ "Revision" }</th><th scope="col">{ "Address" }</th><th scope="col">{ "Zone" }</th></tr></thead>
                                <tbody>
                                { for view.rows(world).take(if *show_all { usize::MAX } else { TARGETS_SHOWN_MAX }).map(|row| {
                                    let target = row.target;
                                    let task = target.task;
                                    let state = target.state();
                                    let health = match (state, target.draining_until) {
                                        (TargetHealthState::Draining, Some(until)) => format!("draining, {} left",
                                            format_duration(until.as_ms().saturating_sub(now.as_ms()).div_ceil(1000) * 1000)),
                                        _ => state.as_str().to_string(),
                                    };
                                    html! {
                                        <tr data-testid="target" data-task={task.to_string()} data-state={state.as_str()} data-routed={row.routed.to_string()}>
                                            <td><button class="link mono" onclick={on_select.reform(move |_: MouseEvent| Selection::Task(task))}
                                                aria-label={format!("Task {task}: details")}>{ task.to_string() }</button></td>
                                            <td class={classes!("target-state", state.as_str())} data-testid="target-health"
                                                title={if row.routed { "receives new requests" } else { "receives no new requests" }}>{ health }</td>
                                            <td class="mono">{ row.revision.to_string() }</td>
                                            <td class="mono">{ address_text(world, target.address) }</td>
                                            <td>{ row.availability_zone }</td>
                                        </tr>
                                    }
                                }) }
                                </tbody>
                            </table>
                        }
                    </article>
                }
            }) }
        </section>
    }
}
