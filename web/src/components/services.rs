//! One row per service: its colour, task definition, and desired / running / pending counts,
//! with the steady-state badge ECS would show, and the tasks it could not place with why (the
//! link opens its details, where the placement explainer says the rest). The name opens the
//! service's details. Above the table, the services counted: how many, how many steady, their
//! tasks running and starting, so a scenario that creates thousands reads at a glance.
//! A long list (`WINDOW_MIN`) is a scroll box of fixed-height rows that renders only the rows in
//! view (`hooks::visible_rows`), with a field that keeps the services whose name contains it.

use crate::components::service_colour;
use crate::hooks::visible_rows::{use_visible_rows, Rows};
use crate::state::{Selection, WorldHandle};
pub use flotilla_app::compare_figures::task_counts;
use flotilla_app::numbers::thousands;
use flotilla_app::unplaced::unplaced;
use flotilla_core::service::Service;
use flotilla_core::World;
use yew::prelude::*;

/// Past this many services the list is windowed: ten thousand rows cost hundreds of ms to
/// build, diff and lay out at every step, and pushed the fleet 300,000 px down the page.
pub const WINDOW_MIN: usize = 50;
/// Height of one row of a windowed list (`.services.windowed tbody tr` in style.css), CSS px.
pub const ROW_PX: u32 = 32;

#[derive(Properties, PartialEq)]
pub struct ServicesProps {
    pub world: WorldHandle,
    pub selection: Option<Selection>,
    pub on_select: Callback<Selection>,
}

#[function_component(Services)]
pub fn services(props: &ServicesProps) -> Html {
    let find = use_state(String::new);
    let world = props.world.world();
    let all = world.services();
    let windowed = all.len() > WINDOW_MIN;
    let needle = find.trim();
    let listed: Vec<&Service> = all
        .iter()
        .filter(|s| !windowed || needle.is_empty() || s.name.contains(needle))
        .collect();
    let (rows, refs) = use_visible_rows(vec![listed.len() as u32], ROW_PX);
    let rows = match rows.first() {
        Some(rows) if windowed => *rows,
        _ => Rows {
            first: 0,
            end: listed.len() as u32,
        },
    };
    let (top, bottom) = rows.padding(listed.len() as u32, ROW_PX);
    // Rows not rendered, as one empty row each side, so the box scrolls as if all were there.
    let spacer = |px: u32| {
        (px > 0).then(|| html! {
            <tr class="spacer" aria-hidden="true"><td colspan="6" style={format!("height:{px}px")}></td></tr>
        })
    };
    let on_find = {
        let find = find.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                find.set(input.value());
            }
        })
    };
    html! {
        <section class={classes!("panel", "services", windowed.then_some("windowed"))} aria-label="Services">
            <h2>{ "Services" }<span class="hint" data-testid="service-count">{ counted(&world) }</span></h2>
            if windowed {
                <label class="find">{ "Find a service " }
                    <input type="search" data-testid="service-find" value={(*find).clone()} oninput={on_find}
                        placeholder="name contains…" />
                    if !needle.is_empty() {
                        <span class="hint">{ format!(" {} of {}", listed.len(), all.len()) }</span>
                    }
                </label>
            }
            <div class="table-box">
                <table>
                    <thead>
                        <tr>
                            <th>{ "Service" }</th><th>{ "Task definition" }</th>
                            <th class="num">{ "Desired" }</th><th class="num">{ "Running" }</th>
                            <th class="num">{ "Pending" }</th><th>{ "Status" }</th>
                        </tr>
                    </thead>
                    <tbody ref={refs[0].clone()}>
                        { spacer(top) }
                        { for listed[rows.first as usize..rows.end as usize].iter().map(|service| row(&world, service, props)) }
                        { spacer(bottom) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// "10,000 services · 9,990 steady · 10,020 tasks running · 4 starting".
fn counted(world: &World) -> String {
    let services = world.services();
    let steady = services.iter().filter(|s| s.steady).count();
    let (running, pending) = services
        .iter()
        .map(|s| task_counts(world, s.id))
        .fold((0, 0), |(r, p), (r2, p2)| (r + r2, p + p2));
    let plural = if services.len() == 1 { "" } else { "s" };
    format!(
        "{} service{plural} · {} steady · {} tasks running · {} starting",
        thousands(services.len() as u64),
        thousands(steady as u64),
        thousands(u64::from(running)),
        thousands(u64::from(pending))
    )
}

fn row(world: &World, service: &Service, props: &ServicesProps) -> Html {
    let (running, pending) = task_counts(world, service.id);
    let id = service.id;
    let on_select = props
        .on_select
        .reform(move |_: MouseEvent| Selection::Service(id));
    let selected = props.selection == Some(Selection::Service(id));
    let missing = unplaced(world, id);
    html! {
        <tr key={id.0} data-testid="service-row" data-service={service.name.clone()} class={classes!(selected.then_some("selected"))}>
            <td>
                <span class="swatch" style={format!("background:{}", service_colour(service.id.0))}></span>
                <button class="link" onclick={on_select.clone()} aria-pressed={selected.to_string()}
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
                        <button class="link" onclick={on_select} title="The placement explainer: each stage and the instances it removed">{ "Why?" }</button>
                    </span>
                }
            </td>
        </tr>
    }
}
