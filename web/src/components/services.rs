//! One row per service: its colour, task definition, and desired / running / pending counts,
//! with the steady-state badge ECS would show.

use crate::components::service_colour;
use crate::state::WorldHandle;
use flotilla_core::task::TaskState;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServicesProps {
    pub world: WorldHandle,
}

#[function_component(Services)]
pub fn services(props: &ServicesProps) -> Html {
    let world = props.world.world.borrow();
    let rows = world.services().iter().map(|service| {
        let mut running = 0;
        let mut pending = 0;
        for task in world.tasks().iter().filter(|t| t.service == Some(service.id) && t.desired_running) {
            match task.state {
                TaskState::Running => running += 1,
                TaskState::Provisioning | TaskState::Pending | TaskState::Activating => pending += 1,
                _ => {}
            }
        }
        html! {
            <tr data-testid="service-row" data-service={service.name.clone()}>
                <td>
                    <span class="swatch" style={format!("background:{}", service_colour(service.id.0))}></span>
                    { &service.name }
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
