//! The fleet: one column per Availability Zone, each holding its container instances. Each card
//! gets plain data (`InstanceView`), so a step re-renders only the cards whose data changed.
//! Above the zones, a "not placed" strip names each service with tasks it could not place (they
//! are on no instance, so no card could show them).
//! A large fleet is a virtual grid: only the rows in view are built and rendered (`VIRTUAL_MIN`).

use crate::components::instance_card::{InstanceCard, InstanceView, TaskChip, TaskSummary};
use crate::components::service_colour;
use crate::hooks::visible_rows::{use_visible_rows, Rows, ROW_PX};
use crate::state::{Selection, WorldHandle};
use flotilla_app::unplaced::unplaced;
use flotilla_core::cluster::InstanceStatus;
use flotilla_core::compact::SortedMap;
use flotilla_core::discovery::TargetHealthState;
use flotilla_core::task::TaskState;
use flotilla_core::Action;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FleetProps {
    pub world: WorldHandle,
    pub selection: Option<Selection>,
    pub on_select: Callback<Selection>,
    pub on_apply: Callback<Action>,
}

/// Past this many tasks in the fleet, instance cards summarise their tasks (counts by state, a
/// bar of service colours) instead of one chip each, unless the user asks to see them all: ten
/// thousand chips cost more to diff, restyle and lay out than a step's 16 ms budget.
pub const CHIPS_MAX: usize = 2_000;

/// Past this many container instances, each zone renders only the rows of cards in view plus a
/// margin (`hooks::visible_rows`), as fixed-height cards, so that a step or a scroll costs what
/// is on screen, not what is in the fleet: diffing and laying out five thousand cards took
/// seconds a tick. Below it every card is in the page (and in find-in-page).
pub const VIRTUAL_MIN: usize = 150;

#[function_component(Fleet)]
pub fn fleet(props: &FleetProps) -> Html {
    let show_all = use_state(|| false);
    let world = props.world.world();
    let current: Vec<_> = world
        .services()
        .iter()
        .map(|s| &s.task_definition)
        .collect();
    let live = || {
        world
            .tasks()
            .iter()
            .filter(|t| t.state != TaskState::Stopped)
    };
    let total = live().count();
    let targets = target_states(&world);
    let summarise = total > CHIPS_MAX && !*show_all;
    let chip = |task: &flotilla_core::task::Task| TaskChip {
        id: task.id,
        // Named per chip (at most CHIPS_MAX of them), not by a list of every service's name
        // built each render.
        service: Rc::from(
            task.service
                .and_then(|s| world.services().get(s.0 as usize))
                .map_or(task.group.as_str(), |s| s.name.as_str()),
        ),
        colour: service_colour(task.service.map_or(u32::MAX, |s| s.0)),
        state: task.state,
        revision: task.task_definition.to_string(),
        other_revision: task.service.is_some_and(|s| {
            current
                .get(s.0 as usize)
                .is_some_and(|current| **current != task.task_definition)
        }),
        target: targets.get(task.id.0 as usize).copied().flatten(),
        selected: props.selection == Some(Selection::Task(task.id)),
    };
    // Instances by zone, in the order of the fleet; a large fleet renders only the rows in view.
    let instances = world.instances();
    let mut by_zone: SortedMap<&str, Vec<usize>> = SortedMap::new();
    for (index, instance) in instances.iter().enumerate() {
        by_zone
            .or_default(instance.availability_zone.as_str())
            .push(index);
    }
    let virtual_grid = instances.len() > VIRTUAL_MIN;
    let (rows, refs) = use_visible_rows(by_zone.values().map(|v| v.len() as u32).collect(), ROW_PX);
    let rows: Vec<Rows> = if virtual_grid {
        rows
    } else {
        let all = |v: &Vec<usize>| Rows {
            first: 0,
            end: v.len() as u32,
        };
        by_zone.values().map(all).collect()
    };
    let mut shown = vec![false; instances.len()];
    for (indices, rows) in by_zone.values().zip(&rows) {
        for &index in &indices[rows.first as usize..rows.end as usize] {
            shown[index] = true;
        }
    }
    let mut chips: Vec<Vec<TaskChip>> = vec![Vec::new(); instances.len()];
    let mut summaries: Vec<Option<TaskSummary>> = vec![None; instances.len()];
    for task in live() {
        let index = task.instance.0 as usize;
        if !shown.get(index).copied().unwrap_or(false) {
            continue;
        }
        if summarise {
            summaries[index]
                .get_or_insert_with(TaskSummary::default)
                .add(task.state, task.service.map(|s| s.0));
            // The selected task keeps its chip, so the selection stays visible.
            if props.selection == Some(Selection::Task(task.id)) {
                chips[index].push(chip(task));
            }
        } else {
            chips[index].push(chip(task));
        }
    }
    let mut view = |index: usize| {
        let instance = &instances[index];
        InstanceView {
            id: instance.id,
            ec2_instance_id: Rc::from(instance.ec2_instance_id.as_str()),
            instance_type: instance.instance_type.name,
            status: instance.status,
            cpu: (
                instance.registered_cpu_units - instance.remaining_cpu_units,
                instance.registered_cpu_units,
            ),
            memory: (
                instance.registered_memory_mib - instance.remaining_memory_mib,
                instance.registered_memory_mib,
            ),
            ports: instance.reserved_ports.len() as u32,
            enis: (instance.eni_tasks, instance.eni_task_limit),
            gpus: (
                instance.registered_gpus - instance.remaining_gpus,
                instance.registered_gpus,
            ),
            tasks: std::mem::take(&mut chips[index]),
            summary: if summarise {
                Some(summaries[index].take().unwrap_or_default())
            } else {
                None
            },
            selected: props.selection == Some(Selection::Instance(instance.id)),
        }
    };
    let zones: Vec<(&str, u32, Rows, NodeRef, Vec<InstanceView>)> = by_zone
        .iter()
        .zip(rows)
        .zip(refs)
        .map(|(((zone, indices), rows), node)| {
            let views = indices[rows.first as usize..rows.end as usize]
                .iter()
                .map(|&index| view(index))
                .collect();
            (*zone, indices.len() as u32, rows, node, views)
        })
        .collect();
    let (mut active, mut draining, mut inactive) = (0, 0, 0);
    // Zones with a registered (ACTIVE or DRAINING) instance left; the others are lost.
    let mut standing: SortedMap<&str, bool> = SortedMap::new();
    for instance in world.instances() {
        match instance.status {
            InstanceStatus::Active => active += 1,
            InstanceStatus::Draining => draining += 1,
            InstanceStatus::Inactive => inactive += 1,
        }
        *standing.or_default(instance.availability_zone.as_str()) |=
            instance.status != InstanceStatus::Inactive;
    }
    html! {
        <section class="panel fleet" data-testid="fleet" aria-label="Fleet">
            <h2>{ "Fleet" }<span class="hint">{ format!("{active} active, {draining} draining, {inactive} inactive of {} container instances", world.instances().len()) }</span>
                if total > CHIPS_MAX {
                    <button class="small" data-testid="show-all-tasks" aria-pressed={show_all.to_string()}
                        onclick={{ let show_all = show_all.clone(); move |_: MouseEvent| show_all.set(!*show_all) }}
                        title="A large fleet shows each instance's tasks as counts; this shows one chip per task (slower to step)">
                        { if *show_all { "Summarise tasks".to_string() } else { format!("Show all {total} tasks") } }
                    </button>
                }
            </h2>
            <p class="legend hint" data-testid="fleet-legend" aria-label="Legend">
                <span class="task running sample" style="--service-colour:#64748b">{ "task" }</span>{ " running " }
                <span class="task pending sample" style="--service-colour:#64748b">{ "task" }</span>{ " starting " }
                <span class="task stopping sample" style="--service-colour:#64748b">{ "task" }</span>{ " stopping " }
                <span class="task running other-revision sample" style="--service-colour:#64748b">{ "task" }</span>{ " darker: not the service's current revision " }
                <span class="task running sample" style={format!("--service-colour:{}", super::STANDALONE_COLOUR)}>{ "task" }</span>{ " slate: RunTask / StartTask (no service)" }
                if !targets.is_empty() {
                    { for [TargetHealthState::Healthy, TargetHealthState::Initial, TargetHealthState::Unhealthy, TargetHealthState::Draining].map(|state| html! {
                        <>
                            <span class={classes!("task", "running", "sample", format!("target-{}", state.as_str()))} data-target={state.as_str()}
                                data-testid="legend-target" style="--service-colour:#64748b">{ "task" }</span>{ format!(" target {} ", state.as_str()) }
                        </>
                    }) }
                }
            </p>
            { not_placed(&world, &props.on_select) }
            <div class={classes!("zones", virtual_grid.then_some("virtual"))} data-testid="zones">
                { for zones.into_iter().map(|(zone, len, rows, node, instances)| html! {
                    <div class="zone" data-testid="az" data-az={zone.to_string()} key={zone.to_string()}
                        data-instances={len.to_string()}>
                        <h3>{ zone }
                            if standing.get(zone).copied().unwrap_or(false) {
                                <button class="small danger" data-testid="lose-az" onclick={props.on_apply.reform({ let zone = zone.to_string(); move |_: MouseEvent| Action::FailAvailabilityZone { availability_zone: zone.clone() } })}
                                    aria-label={format!("Lose AZ {zone}")} title="FailAvailabilityZone: every instance in this zone is lost; services replace their tasks elsewhere">{ "Lose AZ" }</button>
                            } else {
                                <button class="small danger" data-testid="lose-az" disabled=true
                                    aria-label={format!("Lost AZ {zone}")} title={format!("{zone} is lost: none of its container instances is registered")}>{ "Lost" }</button>
                            }
                        </h3>
                        <div class="rows" ref={node} style={virtual_grid.then(|| {
                            let (top, bottom) = rows.padding(len, ROW_PX);
                            format!("padding:{top}px 0 {bottom}px")
                        })}>
                            { for instances.into_iter().map(|view| {
                                let key = view.id.0;
                                html! { <InstanceCard {key} {view} on_select={props.on_select.clone()} /> }
                            }) }
                        </div>
                    </div>
                }) }
            </div>
        </section>
    }
}

/// Each task's load-balancer target state, indexed by task id (the least ready one when a task
/// is in several target groups: draining, then unhealthy, then initial); empty when the scenario
/// has no target groups.
fn target_states(world: &flotilla_core::World) -> Vec<Option<TargetHealthState>> {
    let rank = |s: TargetHealthState| match s {
        TargetHealthState::Healthy => 0,
        TargetHealthState::Initial => 1,
        TargetHealthState::Unhealthy => 2,
        TargetHealthState::Draining => 3,
    };
    if world.discovery().config().target_groups.is_empty() {
        return Vec::new();
    }
    let mut states = vec![None; world.tasks().len()];
    for view in world.target_group_views() {
        for target in view.targets {
            let slot: &mut Option<TargetHealthState> = &mut states[target.task.0 as usize];
            if slot.is_none_or(|s| rank(s) < rank(target.state())) {
                *slot = Some(target.state());
            }
        }
    }
    states
}

/// The services with tasks they could not place, one marker each in the service's colour with
/// the count; a marker opens the service's details (the placement explainer). Nothing when
/// every task is placed.
fn not_placed(world: &flotilla_core::World, on_select: &Callback<Selection>) -> Html {
    let missing: Vec<_> = world
        .services()
        .iter()
        .filter_map(|s| unplaced(world, s.id).map(|u| (s, u)))
        .collect();
    if missing.is_empty() {
        return html! {};
    }
    html! {
        <p class="not-placed" data-testid="fleet-unplaced" role="status">
            <strong>{ "Not placed: " }</strong>
            { for missing.into_iter().map(|(service, u)| {
                let id = service.id;
                html! {
                    <button class="task unplaced small" data-testid="unplaced-marker" data-service={service.name.clone()}
                        data-count={u.count.to_string()} style={format!("--service-colour:{}", service_colour(id.0))}
                        onclick={on_select.reform(move |_: MouseEvent| Selection::Service(id))}
                        title={format!("{}: {}. Open the service to see why.", u.headline(), u.reason)}>
                        { format!("{} \u{00d7}{}", service.name, u.count) }
                    </button>
                }
            }) }
        </p>
    }
}
