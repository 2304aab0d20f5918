//! Import across the module boundary: the Import dialog's documents arrive as JSON
//! (`[{"name": "document 1", "text": "..."}]`), go through `flotilla_core::import::import` into
//! an empty scenario named "Imported from AWS", and the outcome leaves as JSON
//! ([`ImportReport`]) with each note's kind in the words the dialog shows and the notes in the
//! order it shows them (unsupported first).

use flotilla_core::compact::sort_by_key;
use flotilla_core::import::{self, ImportError, ImportNote, NoteKind};
use flotilla_core::json_input::from_json_text;
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};

/// The name of the scenario an import makes.
pub const IMPORTED_SCENARIO_NAME: &str = "Imported from AWS";

/// What the dialog shows: a scenario to load and its notes, or the errors that prevent one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportReport {
    pub scenario: Option<Scenario>,
    /// Unsupported first (what the scenario lacks), then renamed, the harmless ones last.
    pub notes: Vec<NoteReport>,
    pub errors: Vec<ErrorReport>,
}

/// An [`ImportNote`] with its kind as the dialog's badge says it ([`note_kind_name`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteReport {
    pub document: String,
    pub path: String,
    pub kind: &'static str,
    pub message: String,
}

/// An [`ImportError`]: malformed input, with the document and the JSON path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub document: String,
    pub path: String,
    pub message: String,
}

/// One pasted document and the name notes and errors call it by.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    name: String,
    text: String,
}

/// The documents JSON did not read: a mistake of the caller (the app), not of the user's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentsError(pub String);

impl std::fmt::Display for DocumentsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the documents to import do not read: {}", self.0)
    }
}

impl std::error::Error for DocumentsError {}

/// Imports the documents in `documents_json` into an empty scenario.
pub fn import_report(documents_json: &str) -> Result<ImportReport, DocumentsError> {
    let documents: Vec<Document> = from_json_text(documents_json).map_err(DocumentsError)?;
    let pairs: Vec<(&str, &str)> = documents
        .iter()
        .map(|d| (d.name.as_str(), d.text.as_str()))
        .collect();
    let base = import::empty_scenario(IMPORTED_SCENARIO_NAME);
    Ok(match import::import(&base, &pairs) {
        Ok(outcome) => ImportReport {
            scenario: Some(outcome.scenario),
            notes: sorted(outcome.notes).into_iter().map(note_report).collect(),
            errors: Vec::new(),
        },
        Err(errors) => ImportReport {
            scenario: None,
            notes: Vec::new(),
            errors: errors.into_iter().map(error_report).collect(),
        },
    })
}

/// [`import_report`] as JSON; a [`DocumentsError`] becomes the report's one error, so the
/// answer always has the same shape.
pub fn import_report_json(documents_json: &str) -> String {
    let report = import_report(documents_json).unwrap_or_else(|error| ImportReport {
        scenario: None,
        notes: Vec::new(),
        errors: vec![ErrorReport {
            document: String::new(),
            path: String::new(),
            message: error.to_string(),
        }],
    });
    // Serialising plain data (strings, numbers, maps with string keys) cannot fail; if it ever
    // did, say so in the same shape rather than panic.
    serde_json::to_string(&report).unwrap_or_else(|error| {
        serde_json::json!({
            "scenario": null,
            "notes": [],
            "errors": [{"document": "", "path": "", "message": format!("the import could not be written: {error}")}],
        })
        .to_string()
    })
}

/// The kind as the dialog's badge (and its `data-kind`) names it.
pub fn note_kind_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::ReadOnly => "read-only",
        NoteKind::Default => "default",
        NoteKind::Renamed => "renamed",
        NoteKind::NotState => "not imported",
        NoteKind::Unsupported => "unsupported",
    }
}

/// Unsupported first, then the others from the most to the least in need of a look; stable.
fn sorted(mut notes: Vec<ImportNote>) -> Vec<ImportNote> {
    sort_by_key(&mut notes, |note| std::cmp::Reverse(note.kind));
    notes
}

fn note_report(note: ImportNote) -> NoteReport {
    NoteReport {
        document: note.document,
        path: note.path,
        kind: note_kind_name(note.kind),
        message: note.message,
    }
}

fn error_report(error: ImportError) -> ErrorReport {
    ErrorReport {
        document: error.document,
        path: error.path,
        message: error.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const AWS: [(&str, &str); 3] = [
        (
            "describe-task-definition",
            include_str!("../../tests/export/aws/describe-task-definition.json"),
        ),
        (
            "describe-container-instances",
            include_str!("../../tests/export/aws/describe-container-instances.json"),
        ),
        (
            "describe-services",
            include_str!("../../tests/export/aws/describe-services.json"),
        ),
    ];

    /// The documents as the app sends them: `document 1`, `document 2`...
    fn documents_json(texts: &[&str]) -> String {
        let documents: Vec<Value> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| json!({"name": format!("document {}", i + 1), "text": text}))
            .collect();
        Value::Array(documents).to_string()
    }

    /// The core's own answer for the same documents, shaped as the report.
    fn cores_report(texts: &[&str]) -> ImportReport {
        let names: Vec<String> = (1..=texts.len()).map(|i| format!("document {i}")).collect();
        let pairs: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().copied())
            .collect();
        match import::import(&import::empty_scenario(IMPORTED_SCENARIO_NAME), &pairs) {
            Ok(outcome) => ImportReport {
                scenario: Some(outcome.scenario),
                notes: sorted(outcome.notes).into_iter().map(note_report).collect(),
                errors: Vec::new(),
            },
            Err(errors) => ImportReport {
                scenario: None,
                notes: Vec::new(),
                errors: errors.into_iter().map(error_report).collect(),
            },
        }
    }

    #[test]
    fn describe_services_gives_the_cores_scenario_and_notes() {
        let texts = [AWS[0].1, AWS[2].1];
        let report = import_report(&documents_json(&texts)).unwrap();
        assert_eq!(report, cores_report(&texts));
        assert!(report.scenario.is_some());
        assert!(
            report.notes.len() > 1,
            "describe-services has members to note"
        );
        assert_eq!(report.notes[0].kind, "unsupported", "unsupported first");
        let kinds: Vec<&str> = report.notes.iter().map(|n| n.kind).collect();
        let mut ranked = kinds.clone();
        ranked.sort_by_key(|kind| {
            [
                "unsupported",
                "not imported",
                "renamed",
                "default",
                "read-only",
            ]
            .iter()
            .position(|k| k == kind)
        });
        assert_eq!(kinds, ranked, "the dialog's order");
        // The JSON the app reads: the scenario reads back as the same scenario.
        let answer: Value =
            serde_json::from_str(&import_report_json(&documents_json(&texts))).unwrap();
        let scenario: Scenario = serde_json::from_value(answer["scenario"].clone()).unwrap();
        assert_eq!(Some(scenario), report.scenario);
        assert_eq!(answer["notes"][0]["kind"], "unsupported");
        assert_eq!(answer["errors"], json!([]));
    }

    /// Without its task definition the service does not resolve: the core's error, with its path.
    #[test]
    fn describe_services_alone_gives_the_cores_errors() {
        let texts = [AWS[2].1];
        let report = import_report(&documents_json(&texts)).unwrap();
        assert_eq!(report, cores_report(&texts));
        assert_eq!(report.scenario, None);
        assert_eq!(report.errors[0].path, "services[0].taskDefinition");
    }

    #[test]
    fn all_three_samples_together_give_the_cores_scenario() {
        let texts: Vec<&str> = AWS.iter().map(|(_, text)| *text).collect();
        let report = import_report(&documents_json(&texts)).unwrap();
        assert_eq!(report, cores_report(&texts));
        let scenario = report.scenario.unwrap();
        assert_eq!(
            (scenario.task_definitions.len(), scenario.services.len()),
            (1, 1)
        );
        assert!(!scenario.fleet.is_empty());
    }

    /// The import validates what it read, which parses memberOf expressions: this crate needs
    /// the core's `regex` feature for `=~`.
    #[test]
    fn a_regular_expression_constraint_imports() {
        let task_definition = r#"{"family": "web", "containerDefinitions": [{"name": "web", "image": "example.com/web:1", "cpu": 256, "memory": 512}]}"#;
        let service = r#"{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 1,
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]}"#;
        let report = import_report(&documents_json(&[task_definition, service])).unwrap();
        assert_eq!(report.errors, Vec::new());
        assert_eq!(report.scenario.unwrap().services.len(), 1);
    }

    #[test]
    fn broken_json_in_a_document_is_an_import_error() {
        let answer: Value =
            serde_json::from_str(&import_report_json(&documents_json(&["{\"services\": ["])))
                .unwrap();
        assert_eq!(answer["scenario"], Value::Null);
        assert_eq!(answer["errors"][0]["document"], "document 1");
        assert!(answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("JSON"));
    }

    #[test]
    fn documents_that_do_not_read_are_a_typed_error() {
        for bad in [
            "",
            "[",
            "{}",
            "[{\"name\": \"document 1\"}]",
            "[{\"name\": 1, \"text\": \"{}\"}]",
        ] {
            let error = import_report(bad).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with("the documents to import do not read: "),
                "{bad}: {error}"
            );
            let answer: Value = serde_json::from_str(&import_report_json(bad)).unwrap();
            assert_eq!(answer["scenario"], Value::Null, "{bad}");
            assert_eq!(answer["errors"][0]["message"], error.to_string(), "{bad}");
        }
    }
}
