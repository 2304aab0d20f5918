//! Fleet editor (placeholder until the editors land): lists the scenario's fleet entries.

use crate::state::{SandboxAction, WorldHandle};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FleetEditorProps {
    pub world: WorldHandle,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(FleetEditor)]
pub fn fleet_editor(props: &FleetEditorProps) -> Html {
    let run = props.world.run.borrow();
    html! {
        <section class="panel editor" aria-label="Fleet">
            <h2>{ "Fleet" }</h2>
            <ul>
                { for run.scenario.fleet.iter().map(|entry| html! {
                    <li>{ format!("{} × {} in {}", entry.count, entry.instance_type, entry.availability_zone) }</li>
                }) }
            </ul>
        </section>
    }
}
