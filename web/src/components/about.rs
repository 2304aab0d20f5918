//! "About this scenario": the open scenario's name and description above the services, so a
//! newcomer reads what the scenario shows before anything moves. Collapsible to its title line
//! (so a long description never pushes the fleet off the first screen); collapsed or not is
//! remembered per scenario name in this browser (`persist::Store::about_collapsed`). The
//! description is the user's text: rendered as text, never as markup. Nothing when the scenario
//! has no description.

use crate::instance::use_instance;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AboutProps {
    pub name: String,
    pub description: String,
}

#[function_component(About)]
pub fn about(props: &AboutProps) -> Html {
    let instance = use_instance();
    // Re-read when another scenario opens; toggling updates both the state and the store.
    let collapsed = {
        let (store, name) = (instance.store.clone(), props.name.clone());
        use_state_eq(move || store.about_collapsed(&name))
    };
    {
        let (store, collapsed) = (instance.store.clone(), collapsed.clone());
        use_effect_with(props.name.clone(), move |name| {
            collapsed.set(store.about_collapsed(name));
        });
    }
    let description = props.description.trim();
    if description.is_empty() {
        return html! {};
    }
    let body_id = instance.dom_id("about-body");
    let on_toggle = {
        let (store, name, collapsed) = (
            instance.store.clone(),
            props.name.clone(),
            collapsed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let now = !*collapsed;
            store.set_about_collapsed(&name, now);
            collapsed.set(now);
        })
    };
    let open = !*collapsed;
    html! {
        <section class={classes!("panel", "about", (!open).then_some("collapsed"))} data-testid="about"
            aria-label="About this scenario">
            <h2>
                <button class="about-toggle" data-testid="about-toggle" aria-expanded={open.to_string()}
                    aria-controls={body_id.clone()} onclick={on_toggle}
                    title={if open { "Hide the description" } else { "Show the description" }}>
                    <span class="about-chevron" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>
                    <span class="about-label">{ "About this scenario: " }</span>
                    <span class="about-name" data-testid="about-name">{ &props.name }</span>
                </button>
            </h2>
            <p id={body_id} class="about-description" data-testid="about-description" hidden={!open}>
                { description }
            </p>
        </section>
    }
}
