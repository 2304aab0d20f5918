//! The Export menu: the working scenario as ECS API JSON (one bundle: download or copy), as a
//! CloudFormation template in YAML or JSON (download or copy), as the scenario file, or as a
//! scenario card (the scenario and its assertions as an HTML embed for a docs page). All are
//! pure functions of the scenario (`flotilla_core::export`); this only writes and copies.

use crate::persist::{self, Notice};
use crate::state::WorldHandle;
use flotilla_core::export::{self, Format};
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

/// One export: its label, file name suffix and text.
type Make = fn(&Scenario) -> String;
const EXPORTS: [(&str, &str, &str, Make); 5] = [
    ("ECS API JSON (bundle)", "ecs", ".ecs.json", |s| {
        export::ecs_json(s).bundle()
    }),
    (
        "CloudFormation YAML",
        "cfn-yaml",
        ".cloudformation.yaml",
        |s| export::cloudformation(s, Format::Yaml),
    ),
    (
        "CloudFormation JSON",
        "cfn-json",
        ".cloudformation.json",
        |s| export::cloudformation(s, Format::Json),
    ),
    ("Scenario file", "scenario", ".json", export::scenario_file),
    (
        "Scenario card (HTML embed)",
        "card",
        ".card.html",
        export::scenario_card,
    ),
];

#[function_component(ExportMenu)]
pub fn export_menu(props: &ExportMenuProps) -> Html {
    let item = |(label, id, suffix, make): (&'static str, &'static str, &'static str, Make)| {
        let on_download = {
            let (run, on_notify) = (props.run.clone(), props.on_notify.clone());
            Callback::from(move |_: MouseEvent| {
                let scenario = run.run().scenario.clone();
                let name = format!("{}{suffix}", export::file_stem(&scenario));
                if let Err(error) = persist::download(&name, &make(&scenario)) {
                    on_notify.emit(Notice::error(format!("Could not download {label}:"), error));
                }
            })
        };
        let on_copy = {
            let (run, on_notify) = (props.run.clone(), props.on_notify.clone());
            Callback::from(move |_: MouseEvent| {
                let text = make(&run.run().scenario);
                let on_notify = on_notify.clone();
                spawn_local(async move {
                    let notice = match copy(&text).await {
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
                if id != "scenario" {
                    <button role="menuitem" data-testid={format!("export-{id}-copy")} onclick={on_copy} aria-label={format!("Copy {label}")}>{ "Copy" }</button>
                }
            </li>
        }
    };
    html! {
        <details class="menu" data-testid="export-menu">
            <summary class="button" title="Export the working scenario for AWS">{ "Export" }</summary>
            <ul role="menu" aria-label="Export">{ for EXPORTS.into_iter().map(item) }</ul>
        </details>
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
