//! The fleet: one column per Availability Zone, each holding its container instances.

use crate::components::instance_card::InstanceCard;
use crate::state::{SandboxAction, Selection, WorldHandle};
use flotilla_core::cluster::InstanceId;
use flotilla_core::task::{TaskId, TaskState};
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FleetProps {
    pub world: WorldHandle,
    pub selection: Option<Selection>,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(Fleet)]
pub fn fleet(props: &FleetProps) -> Html {
    let world = props.world.world();
    let mut tasks_by_instance: BTreeMap<InstanceId, Vec<TaskId>> = BTreeMap::new();
    for task in world
        .tasks()
        .iter()
        .filter(|t| t.state != TaskState::Stopped)
    {
        tasks_by_instance
            .entry(task.instance)
            .or_default()
            .push(task.id);
    }
    let mut zones: BTreeMap<&str, Vec<InstanceId>> = BTreeMap::new();
    for instance in world.instances() {
        zones
            .entry(instance.availability_zone.as_str())
            .or_default()
            .push(instance.id);
    }
    html! {
        <section class="panel fleet" data-testid="fleet" aria-label="Fleet">
            <h2>{ "Fleet" }<span class="hint">{ format!("{} container instances", world.instances().len()) }</span></h2>
            <div class="zones">
                { for zones.iter().map(|(zone, instances)| html! {
                    <div class="zone" data-testid="az" data-az={zone.to_string()}>
                        <h3>{ *zone }</h3>
                        { for instances.iter().map(|&id| html! {
                            <InstanceCard
                                world={props.world.clone()}
                                instance={id}
                                tasks={tasks_by_instance.get(&id).cloned().unwrap_or_default()}
                                selection={props.selection}
                                on_dispatch={props.on_dispatch.clone()}
                            />
                        }) }
                    </div>
                }) }
            </div>
        </section>
    }
}
