//! Export by name: the four exports of the app's Export menu that need the core's writers
//! (`flotilla_core::export`), picked by the name the app passes across the module boundary, from
//! the scenario file's JSON. The fifth, the scenario file itself, stays in the app: it is the
//! scenario's own serialisation, which the app has anyway.

use flotilla_core::export::{self, Format};
use flotilla_core::json_input::{cut, from_json_text};
use flotilla_core::Scenario;

/// One export of the Export menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// ECS API JSON, every request body in one bundle.
    EcsBundle,
    CloudFormationYaml,
    CloudFormationJson,
    /// The scenario and its assertions as a `<flotilla-sandbox>` HTML snippet.
    ScenarioCard,
}

impl ExportKind {
    pub const ALL: [ExportKind; 4] = [
        ExportKind::EcsBundle,
        ExportKind::CloudFormationYaml,
        ExportKind::CloudFormationJson,
        ExportKind::ScenarioCard,
    ];

    /// The name the app passes (also the middle of the menu's `data-testid`s).
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::EcsBundle => "ecs",
            ExportKind::CloudFormationYaml => "cfn-yaml",
            ExportKind::CloudFormationJson => "cfn-json",
            ExportKind::ScenarioCard => "card",
        }
    }

    pub fn from_name(name: &str) -> Result<ExportKind, ExportError> {
        ExportKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| ExportError::UnknownKind(cut(name)))
    }
}

/// Why an export could not be made: both are mistakes of the caller, not of the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// Not one of [`ExportKind::name`]s (the name quoted, cut short).
    UnknownKind(String),
    /// The scenario JSON does not read as a scenario (what is wrong, with its path).
    Scenario(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::UnknownKind(name) => write!(
                f,
                "unknown export {name}; expected ecs, cfn-yaml, cfn-json or card"
            ),
            ExportError::Scenario(message) => write!(f, "the scenario does not read: {message}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// The export `kind` (a name, as [`ExportKind::from_name`] reads it) of the scenario in
/// `scenario_json` (a scenario file, or any serialisation of a [`Scenario`]).
pub fn export_scenario_text(kind: &str, scenario_json: &str) -> Result<String, ExportError> {
    let kind = ExportKind::from_name(kind)?;
    let scenario: Scenario = from_json_text(scenario_json).map_err(ExportError::Scenario)?;
    Ok(export_as(kind, &scenario))
}

/// The text of one export, exactly as `flotilla_core::export` writes it.
pub fn export_as(kind: ExportKind, scenario: &Scenario) -> String {
    match kind {
        ExportKind::EcsBundle => export::ecs_json(scenario).bundle(),
        ExportKind::CloudFormationYaml => export::cloudformation(scenario, Format::Yaml),
        ExportKind::CloudFormationJson => export::cloudformation(scenario, Format::Json),
        ExportKind::ScenarioCard => export::scenario_card(scenario),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::builtin::BUILTIN_SCENARIOS;
    use flotilla_core::parse_scenario;

    /// Every built-in scenario and the discovery one: every kind is the core's text, byte for byte.
    #[test]
    fn each_kind_is_the_cores_export() {
        let mut texts: Vec<&str> = BUILTIN_SCENARIOS.iter().map(|b| b.json).collect();
        texts.push(include_str!("../../tests/discovery/shop.json"));
        for text in texts {
            let scenario = parse_scenario(text).expect("a scenario the repository holds");
            let wanted = [
                export::ecs_json(&scenario).bundle(),
                export::cloudformation(&scenario, Format::Yaml),
                export::cloudformation(&scenario, Format::Json),
                export::scenario_card(&scenario),
            ];
            for (kind, wanted) in ExportKind::ALL.into_iter().zip(wanted) {
                let got = export_scenario_text(kind.name(), &scenario.to_json());
                assert_eq!(
                    got.as_ref(),
                    Ok(&wanted),
                    "{} of {}",
                    kind.name(),
                    scenario.name
                );
            }
        }
    }

    #[test]
    fn an_unknown_kind_is_an_error() {
        let scenario = flotilla_core::builtin::default_scenario().json;
        let error = export_scenario_text("scenario", scenario).unwrap_err();
        assert_eq!(error, ExportError::UnknownKind("\"scenario\"".into()));
        assert_eq!(
            error.to_string(),
            "unknown export \"scenario\"; expected ecs, cfn-yaml, cfn-json or card"
        );
    }

    #[test]
    fn a_scenario_that_does_not_read_is_an_error() {
        let error = export_scenario_text("ecs", "{\"name\": ").unwrap_err();
        assert!(
            matches!(&error, ExportError::Scenario(m) if m.starts_with("not valid JSON at line 1")),
            "{error}"
        );
        let error = export_scenario_text("card", "{\"name\": 3}").unwrap_err();
        assert!(
            matches!(&error, ExportError::Scenario(m) if m.contains("name")),
            "{error}"
        );
    }
}
