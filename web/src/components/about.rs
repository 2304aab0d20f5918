//! "About this scenario": the open scenario's name and description above the services, so a
//! newcomer reads what the scenario shows before anything moves. Collapsible to one line (its
//! title and the description's start), so it never pushes the fleet off the first screen: open
//! by itself only in a window wide and tall enough (`OPEN_WIDTH_MIN_PX`, `OPEN_HEIGHT_MIN_PX`),
//! else collapsed until opened; the user's choice is remembered per scenario name in this
//! browser (`persist::Store::about_open`). The description is the user's text: rendered as
//! text, never as markup. Nothing when the scenario has no description.

use crate::instance::use_instance;
use yew::prelude::*;

/// Below this window width the playbar takes two rows (style.css) and an open description
/// would push the fleet's first cards off a 720 px high screen.
pub const OPEN_WIDTH_MIN_PX: f64 = 1200.0;
pub const OPEN_HEIGHT_MIN_PX: f64 = 700.0;

#[derive(Properties, PartialEq)]
pub struct AboutProps {
    pub name: String,
    pub description: String,
}

#[function_component(About)]
pub fn about(props: &AboutProps) -> Html {
    let instance = use_instance();
    // Read from the store at each render: the block renders only when another scenario opens
    // (its props are the name and description) or when it is toggled.
    let redraw = use_force_update();
    let open = instance
        .store
        .about_open(&props.name)
        .unwrap_or_else(roomy_window);
    let description = props.description.trim();
    if description.is_empty() {
        return html! {};
    }
    let body_id = instance.dom_id("about-body");
    let on_toggle = {
        let (store, name) = (instance.store.clone(), props.name.clone());
        Callback::from(move |_: MouseEvent| {
            store.set_about_open(&name, !open);
            redraw.force_update();
        })
    };
    html! {
        <section class={classes!("panel", "about", (!open).then_some("collapsed"))} data-testid="about"
            aria-label="About this scenario">
            <div class="about-row">
            <h2>
                <button class="about-toggle" data-testid="about-toggle" aria-expanded={open.to_string()}
                    aria-controls={body_id.clone()} onclick={on_toggle}
                    title={if open { "Hide the description" } else { "Show the description" }}>
                    <span class="about-chevron" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>
                    <span class="about-label">{ "About this scenario: " }</span>
                    <span class="about-name" data-testid="about-name">{ &props.name }</span>
                </button>
            </h2>
            // Collapsed: the description's start on the same line, a hint of what opening shows.
            if !open {
                <span class="about-preview" aria-hidden="true">{ description }</span>
            }
            </div>
            <p id={body_id} class="about-description" data-testid="about-description" hidden={!open}>
                { description }
            </p>
        </section>
    }
}

/// True when the window has room for the open description above the fleet's first cards.
fn roomy_window() -> bool {
    let window = gloo::utils::window();
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    size(window.inner_width()) >= OPEN_WIDTH_MIN_PX
        && size(window.inner_height()) >= OPEN_HEIGHT_MIN_PX
}
