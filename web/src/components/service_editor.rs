//! Service editor (placeholder until the editors land): lists the scenario's services.

use crate::state::{SandboxAction, WorldHandle};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceEditorProps {
    pub world: WorldHandle,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(ServiceEditor)]
pub fn service_editor(props: &ServiceEditorProps) -> Html {
    let run = props.world.run.borrow();
    html! {
        <section class="panel editor" aria-label="Services">
            <h2>{ "Services" }</h2>
            <ul>
                { for run.scenario.services.iter().map(|service| html! {
                    <li>{ format!("{}: {}", service.service_name, service.task_definition) }</li>
                }) }
            </ul>
        </section>
    }
}
