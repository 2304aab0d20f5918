//! Exports of a scenario to what AWS takes, as pure functions from a [`Scenario`] to text (the
//! CLI and the UI do the writing and downloading):
//! - [`ecs_json`]: ECS API request bodies (RegisterTaskDefinition, CreateService, RunTask,
//!   UpdateService, StartTask) for `aws ecs <operation> --cli-input-json`, with the elbv2, route53
//!   and servicediscovery bodies of the discovery members before CreateService
//!   (`discovery_requests.rs`), plus a manifest (`ecs.rs`);
//! - [`cloudformation`]: one template for the whole stack, YAML or JSON (`cloudformation.rs`);
//! - [`scenario_file`]: the sandbox's own scenario file;
//! - [`scenario_card`]: the scenario with its assertions as a `<flotilla-sandbox>` HTML snippet
//!   for a documentation page (`card.rs`).
//!
//! Each export names the Flotilla version and the source scenario where its format allows:
//! the CloudFormation `Description` and `Metadata.Flotilla`, the ECS manifest's `generator` and
//! `scenario` (request bodies take no extra members). The scenario file names its scenario in
//! `name` and has no place for a version (unknown fields are errors there).
//!
//! Output is deterministic: the same scenario always gives the same bytes, with keys in a fixed
//! order ([`document::Node`] keeps insertion order). `import` reads the ECS documents back, and
//! export → import → export gives the same bytes (tests/src/export.rs).

pub mod card;
pub mod cloudformation;
#[cfg(feature = "discovery")]
mod cloudformation_discovery;
#[cfg(feature = "discovery")]
pub mod discovery_requests;
pub mod document;
pub mod ecs;
#[cfg(feature = "discovery")]
pub(crate) mod elb;
#[cfg(not(feature = "discovery"))]
mod without_discovery;

pub use card::scenario_card;
pub use ecs::{
    EcsDocument, EcsExport, EcsOperation, DEFAULT_CLUSTER, FLEET_FILE_NAME, MANIFEST_FILE_NAME,
};

use crate::scenario::Scenario;

/// This build's version, as exports name it.
pub const FLOTILLA_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `Flotilla 0.1.0`.
pub fn generator() -> String {
    format!("Flotilla {FLOTILLA_VERSION}")
}

/// The two CloudFormation syntaxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// ECS API JSON: one document per request, in the order to apply them, and a manifest.
pub fn ecs_json(scenario: &Scenario) -> EcsExport {
    ecs::export(scenario)
}

/// The CloudFormation template for the whole stack (cluster, task definitions, services,
/// capacity), as YAML or pretty JSON. Both hold the same data.
pub fn cloudformation(scenario: &Scenario, format: Format) -> String {
    let template = cloudformation::template(scenario);
    match format {
        Format::Yaml => {
            let mut text = format!(
                "# {} export of the scenario {}\n",
                generator(),
                one_line(&scenario.name)
            );
            text.push_str(&template.to_yaml());
            text
        }
        Format::Json => template.to_json_pretty(),
    }
}

/// The scenario file, pretty-printed JSON ending with a newline.
pub fn scenario_file(scenario: &Scenario) -> String {
    let mut text = scenario.to_json();
    text.push('\n');
    text
}

/// A lowercase, hyphenated form of the scenario name for file names (`order-user-and-shipping`).
pub fn file_stem(scenario: &Scenario) -> String {
    let mut stem = String::new();
    for c in scenario.name.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.len() >= 64 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-').to_string();
    if stem.is_empty() {
        "scenario".into()
    } else {
        stem
    }
}

/// A YAML comment must stay on one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
