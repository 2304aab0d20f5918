//! One row per service: its colour, task definition, and desired / running / pending counts,
//! with the steady-state badge ECS would show, and the tasks it could not place with why (the
//! link opens its details, where the placement explainer says the rest). The name opens the
//! service's details.

use crate::components::service_colour;
use crate::state::{Selection, WorldHandle};
pub use flotilla_app::compare_figures::task_counts;
use flotilla_app::unplaced::unplaced;
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
        let missing = unplaced(&world, id);
        let on_why = props
            .on_select
            .reform(move |_: MouseEvent| Selection::Service(id));
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
                    if let Some(missing) = missing {
                        <span class="unplaced-note" data-testid="service-unplaced" data-count={missing.count.to_string()}>
                            <span class="badge unplaced">{ missing.headline() }</span>
                            <span class="hint" data-testid="service-unplaced-reason">{ format!(" {}. ", missing.reason) }</span>
                            <button class="link" onclick={on_why} title="The placement explainer: each stage and the instances it removed">{ "Why?" }</button>
                        </span>
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
