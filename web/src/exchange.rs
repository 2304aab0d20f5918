//! The exchange module (flotilla-exchange: export to ECS JSON, CloudFormation and the scenario
//! card; import of AWS JSON documents), a second wasm module the app loads on first use so that
//! its initial download leaves them out. Loaded once per page by a dynamic `import()` of
//! `exchange/flotilla_exchange.js` beside `pkg/`; every caller awaits the same load, and a load
//! that failed is forgotten so the next use tries again. Nothing here panics: a module that does
//! not load, or answers what it should not, is an `Err` with a message for a notice.

use flotilla_core::json_input::{deserialize_at, parse_json, segments_path};
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// wasm-bindgen writes this snippet to dist/pkg/snippets/<crate-hash>/inline0.js, three levels
// below dist/, so the module's URL is resolved from the snippet's own URL: the app finds it
// wherever dist/ is served, whatever page loaded the app.
// A page's module map keeps a failed fetch failed for its URL, so a retry (`attempt` > 0) asks
// for the module under a URL of its own.
#[wasm_bindgen(inline_js = r#"
export function load_exchange_module(attempt) {
  const url = new URL('../../../exchange/flotilla_exchange.js', import.meta.url);
  if (attempt > 0) url.searchParams.set('attempt', String(attempt));
  return import(url.href).then((module) => module.default().then(() => module));
}
"#)]
extern "C" {
    /// A promise of the initialised module's namespace object.
    #[wasm_bindgen(catch)]
    fn load_exchange_module(attempt: u32) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// Loads started so far, failed ones included.
    static ATTEMPTS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The one load of the page (pending or done), shared by every caller.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// The module, once loaded.
    static LOADED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// What the Import dialog shows, as the exchange module answers it: the scenario to load (none
/// when there are errors), the notes (unsupported first) and the errors.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportView {
    pub scenario: Option<Scenario>,
    pub notes: Vec<ImportNoteView>,
    pub errors: Vec<ImportErrorView>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ImportNoteView {
    pub document: String,
    pub path: String,
    /// `read-only`, `default`, `renamed`, `not imported` or `unsupported`.
    pub kind: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ImportErrorView {
    pub document: String,
    pub path: String,
    pub message: String,
}

impl ImportView {
    /// The notes about what the scenario lacks.
    pub fn unsupported(&self) -> impl Iterator<Item = &ImportNoteView> {
        self.notes.iter().filter(|n| n.kind == "unsupported")
    }
}

/// True once the module has loaded (the next call answers without waiting for the network).
pub fn is_loaded() -> bool {
    LOADED.with(|loaded| loaded.borrow().is_some())
}

/// Starts loading the module if no load is under way, so that a click soon after finds it
/// ready; a failure shows when a caller awaits it.
pub fn preload() {
    if !is_loaded() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = module().await;
        });
    }
}

/// Loads the module if no one has (or waits for the load under way).
pub async fn load() -> Result<(), String> {
    module().await.map(|_| ())
}

/// The export `kind` (`ecs`, `cfn-yaml`, `cfn-json` or `card`) of `scenario`.
pub async fn export(kind: &str, scenario: &Scenario) -> Result<String, String> {
    let module = module().await?;
    let answer = call(
        &module,
        "export_scenario",
        &[
            JsValue::from_str(kind),
            JsValue::from_str(&scenario.to_json()),
        ],
    )?;
    answer
        .as_string()
        .ok_or_else(|| "the exporter answered something other than text".to_string())
}

/// Imports `documents` (`(name, text)` pairs) into an empty scenario.
pub async fn import(documents: &[(String, String)]) -> Result<ImportView, String> {
    #[derive(Serialize)]
    struct Document<'a> {
        name: &'a str,
        text: &'a str,
    }
    let documents: Vec<Document> = documents
        .iter()
        .map(|(name, text)| Document { name, text })
        .collect();
    let documents = serde_json::to_string(&documents)
        .map_err(|error| format!("the documents could not be passed to the importer: {error}"))?;
    let module = module().await?;
    let answer = call(
        &module,
        "import_documents",
        &[JsValue::from_str(&documents)],
    )?
    .as_string()
    .ok_or("the importer answered something other than text")?;
    read_import_answer(&answer)
        .map_err(|error| format!("the importer's answer does not read: {error}"))
}

/// The importer's answer (`{"scenario": …, "notes": […], "errors": […]}`). The scenario goes
/// through the reader every scenario file goes through (`scenario::from_value`), so the app
/// holds one copy of the scenario shapes' reading code, not a second one for this answer
/// (-8 KiB gzip), and an imported scenario is checked exactly as an opened file is.
fn read_import_answer(answer: &str) -> Result<ImportView, String> {
    let mut answer = parse_json(answer)?;
    let mut member = |name: &str| answer.get_mut(name).map(serde_json::Value::take);
    let scenario = match member("scenario") {
        None | Some(serde_json::Value::Null) => None,
        Some(value) => Some(
            flotilla_core::scenario::from_value(value)
                .map_err(|problems| format!("scenario: {}", crate::persist::join(&problems)))?,
        ),
    };
    let mut list = |name: &str| member(name).unwrap_or(serde_json::Value::Array(Vec::new()));
    let in_member = |name: &'static str| {
        move |(segments, message): (Vec<String>, String)| {
            format!("{}: {message}", segments_path(name, &segments))
        }
    };
    Ok(ImportView {
        scenario,
        notes: deserialize_at(list("notes")).map_err(in_member("notes"))?,
        errors: deserialize_at(list("errors")).map_err(in_member("errors"))?,
    })
}

/// The loaded module's namespace, loading it first if no one has.
async fn module() -> Result<JsValue, String> {
    if let Some(module) = LOADED.with(|loaded| loaded.borrow().clone()) {
        return Ok(module);
    }
    let promise = match LOADING.with(|loading| loading.borrow().clone()) {
        Some(promise) => promise,
        None => {
            let attempt =
                ATTEMPTS.with(|attempts| attempts.replace(attempts.get().saturating_add(1)));
            let promise = load_exchange_module(attempt).map_err(|error| load_failed(&error))?;
            LOADING.with(|loading| *loading.borrow_mut() = Some(promise.clone()));
            promise
        }
    };
    match JsFuture::from(promise).await {
        Ok(module) => {
            LOADED.with(|loaded| *loaded.borrow_mut() = Some(module.clone()));
            Ok(module)
        }
        Err(error) => {
            // Forget the failed load: the next use tries the network again.
            LOADING.with(|loading| *loading.borrow_mut() = None);
            Err(load_failed(&error))
        }
    }
}

/// `module[name](...arguments)`; a thrown error becomes its message.
fn call(module: &JsValue, name: &str, arguments: &[JsValue]) -> Result<JsValue, String> {
    let function = js_sys::Reflect::get(module, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("the exchange module has no function {name}"))?;
    let arguments: js_sys::Array = arguments.iter().collect();
    function
        .apply(&JsValue::NULL, &arguments)
        .map_err(|error| message_of(&error))
}

fn load_failed(error: &JsValue) -> String {
    format!(
        "the export and import module did not load ({})",
        message_of(error)
    )
}

/// An exception's message: an `Error`'s `message`, a thrown string, or a generic phrase.
fn message_of(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser gave no reason".to_string())
}
