//! The Export menu: the working scenario as ECS API JSON (one bundle: download or copy), as a
//! CloudFormation template in YAML or JSON (download or copy), as the scenario file, or as a
//! scenario card (the scenario and its assertions as an HTML embed for a docs page). All but the
//! scenario file come from the exchange module (`crate::exchange`), loaded on first use: opening
//! the menu starts the load, so a click usually finds it ready; Download and Copy await it.

use crate::exchange;
use crate::persist::{self, Notice};
use crate::state::WorldHandle;
use flotilla_core::export::{file_stem, scenario_file};
use flotilla_core::Scenario;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

#[derive(Properties)]
pub struct ExportMenuProps {
    pub run: WorldHandle,
    pub on_notify: Callback<Notice>,
}

impl PartialEq for ExportMenuProps {
    fn eq(&self, other: &Self) -> bool {
        self.run.same_run(&other.run) && self.on_notify == other.on_notify
    }
}

/// The export the app writes itself (plain serialisation); every other id is an exchange kind.
const SCENARIO_FILE: &str = "scenario";

/// One export: its label, its id (the exchange module's kind, and the middle of its
/// `data-testid`s) and its file name suffix.
const EXPORTS: [(&str, &str, &str); 5] = [
    ("ECS API JSON (bundle)", "ecs", ".ecs.json"),
    ("CloudFormation YAML", "cfn-yaml", ".cloudformation.yaml"),
    ("CloudFormation JSON", "cfn-json", ".cloudformation.json"),
    ("Scenario file", SCENARIO_FILE, ".json"),
    ("Scenario card (HTML embed)", "card", ".card.html"),
];

#[function_component(ExportMenu)]
pub fn export_menu(props: &ExportMenuProps) -> Html {
    let item = |(label, id, suffix): (&'static str, &'static str, &'static str)| {
        let on_download = {
            let (run, on_notify) = (props.run.clone(), props.on_notify.clone());
            Callback::from(move |_: MouseEvent| {
                let scenario = run.run().scenario.clone();
                let on_notify = on_notify.clone();
                spawn_local(async move {
                    let name = format!("{}{suffix}", file_stem(&scenario));
                    let written = match make(id, &scenario).await {
                        Ok(text) => persist::download(&name, &text),
                        Err(error) => Err(error),
                    };
                    if let Err(error) = written {
                        on_notify
                            .emit(Notice::error(format!("Could not download {label}:"), error));
                    }
                });
            })
        };
        let on_copy = {
            let (run, on_notify) = (props.run.clone(), props.on_notify.clone());
            Callback::from(move |_: MouseEvent| {
                let scenario = run.run().scenario.clone();
                let on_notify = on_notify.clone();
                spawn_local(async move {
                    let copied = match make(id, &scenario).await {
                        Ok(text) => copy(&text).await,
                        Err(error) => Err(error),
                    };
                    let notice = match copied {
                        Ok(()) => Notice::info(format!("{label} copied to the clipboard."), ""),
                        Err(error) => Notice::error(format!("{label} could not be copied:"), error),
                    };
                    on_notify.emit(notice);
                });
            })
        };
        html! {
            <li role="none">
                <span class="label">{ label }</span>
                <button role="menuitem" data-testid={format!("export-{id}-download")} onclick={on_download} aria-label={format!("Download {label}")}>{ "Download" }</button>
                if id != SCENARIO_FILE {
                    <button role="menuitem" data-testid={format!("export-{id}-copy")} onclick={on_copy} aria-label={format!("Copy {label}")}>{ "Copy" }</button>
                }
            </li>
        }
    };
    // Opening the menu starts loading the exchange module (closing it again does nothing new).
    let on_toggle = Callback::from(|_: Event| exchange::preload());
    html! {
        <details class="menu" data-testid="export-menu" ontoggle={on_toggle}>
            <summary class="button" title="Export the working scenario for AWS">{ "Export" }</summary>
            <ul role="menu" aria-label="Export">{ for EXPORTS.into_iter().map(item) }</ul>
        </details>
    }
}

/// The text of the export `id` of `scenario`.
async fn make(id: &str, scenario: &Scenario) -> Result<String, String> {
    if id == SCENARIO_FILE {
        Ok(scenario_file(scenario))
    } else {
        exchange::export(id, scenario).await
    }
}

/// `navigator.clipboard.writeText(text)`.
async fn copy(text: &str) -> Result<(), String> {
    let clipboard = js_sys::Reflect::get(
        &gloo::utils::window().navigator(),
        &JsValue::from_str("clipboard"),
    )
    .ok()
    .filter(|c| !c.is_undefined())
    .ok_or("this browser offers no clipboard here (it needs a secure page)")?;
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("this browser's clipboard cannot write text")?;
    let promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or("the clipboard refused the text")?;
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "the browser did not allow it".to_string())
    })
}
