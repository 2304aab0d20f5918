//! Flotilla's browser app: a Yew front end over flotilla-core's `World`. `start` mounts the app
//! into `#app`, opening the shared link, the autosave or the default scenario. State lives in one
//! reducer (`state`) over a run that can rewind (`run`); `persist` and `share` keep the user's
//! work; each component under `components/` renders one part of the screen from read-only views.

pub mod components;
pub mod deploy_form;
pub mod drafts;
pub mod edit_history;
pub mod jump;
pub mod persist;
pub mod run;
pub mod service_draft;
pub mod share;
pub mod state;
pub mod taskdef_draft;
pub mod worker;

use wasm_bindgen::prelude::*;

/// Runs when the module loads: report panics to the console (so tests and users see them),
/// then mount the app if the page has an `#app` element (test pages do not; the jump worker,
/// which loads this module too, has no window at all).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("flotilla panicked: {info}").into());
    }));
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(root) = document.get_element_by_id("app") else {
        return;
    };
    yew::Renderer::<components::app::App>::with_root(root).render();
}
