//! Flotilla's browser app: a Yew front end over flotilla-core's `World`. `start` mounts the app
//! into `#app`, opening the shared link, the autosave or the default scenario; `mount` mounts
//! another one into any element, with storage and DOM ids of its own (`instance`). State lives
//! in one reducer (`state`) over a run that can rewind (`run`); the page ties (keys, the link in
//! the address bar, storage, the play timer) are hooks the root composes (`hooks`); each
//! component under `components/` renders one part of the screen from read-only views and asks
//! for changes through intent-named callbacks (`intents`).

pub mod components;
pub mod deploy_form;
pub mod drafts;
pub mod edit_history;
pub mod exchange;
pub mod hooks;
pub mod instance;
pub mod intents;
pub mod jump;
pub mod jump_slices;
pub mod lesson_files;
pub mod persist;
pub mod run;
pub mod service_draft;
pub mod share;
pub mod state;
pub mod taskdef_draft;

use components::app::{App, AppProps};
use instance::Instance;
use wasm_bindgen::prelude::*;

/// Runs when the module loads: report panics to the console (so tests and users see them),
/// then mount the app if the page has an `#app` element (test pages do not).
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
    // The first instance on a page: the name cannot be taken yet.
    let Ok(instance) = Instance::app() else {
        return;
    };
    yew::Renderer::<App>::with_root_and_props(root, AppProps { instance }).render();
}

/// A mounted app; `destroy` unmounts it and frees its name.
#[wasm_bindgen]
pub struct MountedApp {
    handle: Option<yew::AppHandle<App>>,
}

#[wasm_bindgen]
impl MountedApp {
    /// Unmounts the app (its listeners, timers and worker go with it); its saved work stays.
    pub fn destroy(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
    }
}

/// Mounts the full app into `element`. `name` (letters, digits, `-`, `_`; default: the
/// element's id) keeps this instance's saved work (`flotilla@<name>.…` in `localStorage`) and
/// DOM ids (`flotilla-<name>-…`) apart from every other instance on the page. Throws when the
/// name is missing, malformed or already mounted.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, name: Option<String>) -> Result<MountedApp, JsError> {
    let name = name.unwrap_or_else(|| element.id());
    if name.is_empty() {
        return Err(JsError::new(
            "mount(element, name): give the element an id or pass a name, which keeps this app's saved work apart from others'",
        ));
    }
    let instance = Instance::named(&name).map_err(|message| JsError::new(&message))?;
    let handle = yew::Renderer::<App>::with_root_and_props(element, AppProps { instance }).render();
    Ok(MountedApp {
        handle: Some(handle),
    })
}
