//! flotilla-exchange: the app's export and import as a second wasm module, which the app loads
//! on first use (when the Export menu or the Import dialog opens) so that its initial download
//! leaves them out. Both are rare and heavy (the ECS and CloudFormation writers, the AWS document
//! readers). The work is `flotilla_core::export` and `flotilla_core::import`; this crate only
//! moves text in and out: pure functions in [`export`] and [`import`] (tested natively), and two
//! thin `#[wasm_bindgen]` wrappers here that turn a typed error into a JS exception.

pub mod export;
pub mod import;

use wasm_bindgen::prelude::*;

/// The scenario (its file's JSON) exported as `kind`: `ecs` (the ECS API JSON bundle),
/// `cfn-yaml` or `cfn-json` (the CloudFormation template) or `card` (the scenario card).
/// An unknown kind or a scenario that does not read throws an `Error` saying which.
#[wasm_bindgen]
pub fn export_scenario(kind: &str, scenario_json: &str) -> Result<String, JsError> {
    export::export_scenario_text(kind, scenario_json)
        .map_err(|error| JsError::new(&error.to_string()))
}

/// Imports `[{"name": "document 1", "text": "..."}, ...]` into an empty scenario and answers
/// `{"scenario": <scenario> | null, "notes": [...], "errors": [...]}` ([`import::ImportReport`]).
/// Never throws: input this module cannot read is one entry in `errors`.
#[wasm_bindgen]
pub fn import_documents(documents_json: &str) -> String {
    import::import_report_json(documents_json)
}
