//! One row per service: its colour, task definition, and desired / running / pending counts,
//! with the steady-state badge ECS would show. The name opens the service's details.

use crate::components::service_colour;
use crate::state::{Selection, WorldHandle};
pub use flotilla_app::compare_figures::task_counts;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServicesProps {
    pub world: WorldHandle,
    pub selection: Option<Selection>,
    pub on_select: Callback<Selection>,
}

#[function_component(Services)]
pub fn services(props: &ServicesProps) -> Html {
    let world = props.world.world();
    let rows = world.services().iter().map(|service| {
        let (running, pending) = task_counts(&world, service.id);
        let id = service.id;
        let on_select = props
            .on_select
            .reform(move |_: MouseEvent| Selection::Service(id));
        let selected = props.selection == Some(Selection::Service(id));
        html! {
            <tr data-testid="service-row" data-service={service.name.clone()} class={classes!(selected.then_some("selected"))}>
                <td>
                    <span class="swatch" style={format!("background:{}", service_colour(service.id.0))}></span>
                    <button class="link" onclick={on_select} aria-pressed={selected.to_string()}
                        title="Details, events and placement of this service">{ &service.name }</button>
                </td>
                <td>{ service.task_definition.to_string() }</td>
                <td class="num">{ service.desired_count }</td>
                <td class="num">{ running }</td>
                <td class="num">{ pending }</td>
                <td>
                    if service.steady {
                        <span class="badge steady">{ "steady state" }</span>
                    } else {
                        <span class="badge changing">{ "changing" }</span>
                    }
                </td>
            </tr>
        }
    });
    html! {
        <section class="panel services" aria-label="Services">
            <h2>{ "Services" }</h2>
            <table>
                <thead>
                    <tr>
                        <th>{ "Service" }</th><th>{ "Task definition" }</th>
                        <th class="num">{ "Desired" }</th><th class="num">{ "Running" }</th>
                        <th class="num">{ "Pending" }</th><th>{ "Status" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}
