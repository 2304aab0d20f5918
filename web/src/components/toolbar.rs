//! The top bar: product and scenario name, then the ways to keep work — the scenario library
//! (built-ins, and work an earlier version kept aside when a link replaced it), open a file,
//! save it, share a link (also copied to the clipboard), and, while a link's document is open,
//! the way back to the user's own work.

use crate::components::export_menu::ExportMenu;
use crate::components::undo_redo::UndoRedo;
use crate::instance::use_instance;
use crate::intents::Intents;
use crate::persist::{self, Notice};
use crate::state::WorldHandle;
use flotilla_core::builtin::BUILTIN_NAMES;
use flotilla_core::parse_scenario;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The library's choice for the work an earlier version kept aside (not a built-in's id).
const PREVIOUS: &str = "+previous";

#[derive(Properties)]
pub struct ToolbarProps {
    pub scenario_name: String,
    /// What Undo and Redo would do (labels of edits), if anything.
    pub undo: Option<String>,
    pub redo: Option<String>,
    pub run: WorldHandle,
    pub intents: Intents,
    /// Starts the tour of the screen (`tour.rs`) from its first step.
    pub on_tour: Callback<()>,
    /// Opens the list of lessons (`lesson_list.rs`).
    pub on_lessons: Callback<()>,
}

impl PartialEq for ToolbarProps {
    fn eq(&self, other: &Self) -> bool {
        self.scenario_name == other.scenario_name
            && self.undo == other.undo
            && self.redo == other.redo
            && self.run.same_run(&other.run)
            && self.intents == other.intents
            && self.on_tour == other.on_tour
            && self.on_lessons == other.on_lessons
    }
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let store = use_instance().store;
    // Re-read on each render of the bar (the run was replaced, so a link may have opened).
    let back_to_work = store.on_link() && store.has_work();
    // Work an earlier version kept aside when a link replaced it: offered in the library (read
    // again when another scenario opens, not on every tick).
    let previous = {
        let store = store.clone();
        *use_memo(props.scenario_name.clone(), move |_| {
            !store.on_link() && store.has_previous()
        })
    };
    let intents = &props.intents;

    let on_library = {
        let intents = intents.clone();
        Callback::from(move |event: Event| library_choice(event, &intents))
    };

    let on_open_file = {
        let (on_open_text, on_notify) = (intents.on_open_text.clone(), intents.on_notify.clone());
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            input.set_value(""); // choosing the same file again still fires `change`
            let (on_open_text, on_notify) = (on_open_text.clone(), on_notify.clone());
            spawn_local(async move {
                let source = file.name();
                match JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                {
                    Some(text) => on_open_text.emit((source, text)),
                    None => on_notify.emit(Notice::error(
                        format!("{source} could not be read as text; your work is unchanged."),
                        "",
                    )),
                }
            });
        })
    };
    let on_save = {
        let (run, on_notify) = (props.run.clone(), intents.on_notify.clone());
        Callback::from(move |_: MouseEvent| {
            let scenario = run.run().scenario_with_actions();
            if let Err(error) =
                persist::download(&persist::file_name(&scenario), &scenario.to_json())
            {
                on_notify.emit(Notice::error("Could not save the file:", error));
            }
        })
    };
    let on_share = {
        let (run, on_notify) = (props.run.clone(), intents.on_notify.clone());
        Callback::from(move |_: MouseEvent| {
            // The scenario as it is at the click; the link is ready once the browser has
            // compressed it.
            let scenario = run.run().scenario_with_actions();
            let on_notify = on_notify.clone();
            spawn_local(async move {
                let link = persist::share_url(&scenario).await;
                offer_link(link, "Share link".into(), "Anyone who opens it gets this scenario with your edits, and your actions up to now on its timeline; it is checked like any file.", on_notify);
            });
        })
    };
    html! {
        <header class="toolbar">
            <div class="brand">
                <span class="product">{ "Flotilla" }</span>
                <span class="scenario-name" data-testid="scenario-name" title={format!("Working scenario: {}", props.scenario_name)}>{ &props.scenario_name }</span>
            </div>
            <nav class="controls" aria-label="Scenario">
                <UndoRedo undo={props.undo.clone()} redo={props.redo.clone()}
                    on_undo={intents.on_undo.clone()} on_redo={intents.on_redo.clone()} />
                <select data-testid="library" aria-label="Scenario library" onchange={on_library}>
                    <option value="" selected=true>{ "Library…" }</option>
                    { for BUILTIN_NAMES.iter().map(|(id, name)| html! {
                        <option value={id.to_string()}>{ name }</option>
                    }) }
                    if previous {
                        <option value={PREVIOUS}>{ "Work kept from before a link (earlier version)" }</option>
                    }
                </select>
                if back_to_work {
                    <button data-testid="your-work" onclick={intents.on_open_work.reform(|_: MouseEvent| ())}
                        title="This tab shows a link's scenario; your own work is kept as it was. Open it.">{ "Back to your work" }</button>
                }
                <label class="button" title="Open a scenario file (.json)">
                    { "Open…" }
                    <input data-testid="open-file" type="file" accept=".json,application/json"
                        class="visually-hidden" onchange={on_open_file} />
                </label>
                <button data-testid="save" onclick={on_save} title="Download the working scenario, with your actions up to now on its timeline, as a file">{ "Save" }</button>
                <button data-testid="share" onclick={on_share} title="Make a link that opens this scenario">{ "Share link" }</button>
                <ExportMenu run={props.run.clone()} on_notify={intents.on_notify.clone()} />
                <button data-testid="import" onclick={intents.on_set_tab.reform(|_: MouseEvent| crate::state::Tab::Import)}
                    title="Import describe-services, task definition or describe-container-instances JSON">{ "Import…" }</button>
                <button data-testid="lessons-open" onclick={props.on_lessons.reform(|_: MouseEvent| ())}
                    title="Guided lessons: one ECS idea each, step by step, with checks">{ "Lessons" }</button>
                <button data-testid="tour-start" onclick={props.on_tour.reform(|_: MouseEvent| ())}
                    title="A one-minute tour of the screen: what each part is and why it matters">{ "Tour" }</button>
            </nav>
        </header>
    }
}

/// Opens the library choice (the select goes back to its placeholder).
fn library_choice(event: Event, intents: &Intents) {
    let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else {
        return;
    };
    let value = select.value();
    select.set_value("");
    if value == PREVIOUS {
        return intents.on_open_previous.emit(());
    }
    if !flotilla_core::builtin::is_builtin(&value) {
        return;
    }
    // Fetched (all but the default): the Library's file is small and served beside the app.
    let intents = intents.clone();
    spawn_local(async move {
        let text = match crate::lesson_files::fetch_builtin(&value).await {
            Ok(text) => text,
            Err(error) => {
                return intents.on_notify.emit(Notice::error(
                    format!("The built-in scenario {value} could not be opened:"),
                    error,
                ))
            }
        };
        match parse_scenario(&text) {
            Ok(scenario) => intents.on_open_scenario.emit(scenario),
            Err(errors) => intents.on_notify.emit(Notice::error(
                format!("The built-in scenario {value} is broken:"),
                persist::join(&errors),
            )),
        }
    });
}

/// Starts copying `text` to the clipboard; `None` where the browser offers no clipboard (an
/// insecure page, an old browser).
fn copy_to_clipboard(text: &str) -> Option<js_sys::Promise> {
    let navigator = gloo::utils::window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return None;
    }
    Some(navigator.clipboard().write_text(text))
}

/// Copies `link` to the clipboard, then tells so with a notice that shows it (titled `what`,
/// one at a time: a new link replaces the old one's notice); where the browser offers no
/// clipboard, the notice asks to copy it by hand.
pub fn offer_link(link: String, what: String, detail: &'static str, on_notify: Callback<Notice>) {
    let copying = copy_to_clipboard(&link);
    let notice = move |copied: bool| {
        let title = if copied {
            format!("{what} ready and copied to the clipboard.")
        } else {
            format!(
                "{what} ready: copy it below (the browser did not let Flotilla use the clipboard)."
            )
        };
        let mut notice = Notice::info(title, detail).about("share link");
        notice.link = Some(link);
        notice
    };
    match copying {
        None => on_notify.emit(notice(false)),
        Some(copying) => spawn_local(async move {
            let copied = JsFuture::from(copying).await.is_ok();
            on_notify.emit(notice(copied));
        }),
    }
}
