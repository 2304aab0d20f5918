//! The lesson file, version 1, as written: its shapes and reading JSON into them with
//! path-precise [`Problem`]s through the scenario format's machinery (`json_input`, the same
//! wording of unknown fields and wrong types), plus the size limits a hostile file meets
//! before anything runs. Meaning (names, times, sentences) is checked in `check.rs`.

use crate::action::Action;
use crate::json_input::{document_value, json_kind, versioned_object, DocumentKind};
use crate::problem::Problem;
use crate::scenario::typed;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const LESSON_VERSION: u32 = 1;
/// A lesson file with an inline scenario is at most a scenario's size and a little more.
pub const LESSON_BYTES_MAX: usize = 5 * 1024 * 1024;
/// Steps per lesson: the built-ins have 3 to 6; a hand-written one may have more, not many.
pub const STEPS_MAX: usize = 20;
/// Actions "show me" performs in one step.
pub const STEP_ACTIONS_MAX: usize = 20;
/// Parts of the screen one step points at.
pub const WATCH_MAX: usize = 8;
/// References one step cites.
pub const REFERENCES_MAX: usize = 8;
/// Characters of a title, a reference and an instruction; of the other texts.
pub const TITLE_CHARS_MAX: usize = 120;
pub const REFERENCE_CHARS_MAX: usize = 300;
pub const INSTRUCTION_CHARS_MAX: usize = 400;
pub const TEXT_CHARS_MAX: usize = 1_500;

/// A lesson file: what it teaches, on which scenario, in which steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LessonFile {
    pub version: u32,
    pub title: String,
    /// What the lesson teaches, in two sentences.
    pub teaches: String,
    /// `"builtin:NAME"` or a scenario file's object.
    pub scenario: ScenarioSource,
    pub steps: Vec<StepFile>,
}

/// Where a lesson's scenario comes from. Read by hand from a JSON value (a string or anything
/// else), not `#[serde(untagged)]`: serde's buffering of untagged enums costs the app ~KiB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ScenarioSource {
    /// `builtin:NAME`, one of `crate::builtin::BUILTIN_NAMES`.
    Builtin(String),
    /// A whole scenario file, inline (kept as JSON; read by `scenario::from_value`).
    Inline(Value),
}

impl<'de> Deserialize<'de> for ScenarioSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::String(name) => ScenarioSource::Builtin(name),
            inline => ScenarioSource::Inline(inline),
        })
    }
}

/// One step, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StepFile {
    /// What to do, in plain words ("Deploy revision 2 with minimum 50 % and maximum 100 %").
    pub instruction: String,
    /// The parts of the screen to keep an eye on.
    #[serde(default)]
    pub watch: Vec<Watch>,
    /// What "show me" does for the learner, in the timeline's action shapes, applied in order
    /// at the moment the step starts.
    #[serde(default)]
    pub show_me: Vec<Action>,
    /// When the step ends: the run goes to this simulated time after acting (`"5m"`, from the
    /// start of the run, like every time in a scenario and a check).
    pub run_until: String,
    /// A sentence of the assertion language, judged at `runUntil` over the run so far.
    pub check: String,
    /// Shown after a failed check.
    pub hint: String,
    /// Shown after success: what happened and ECS's rule behind it.
    pub explanation: String,
    /// Where ECS documents that rule: a URL, or a section of the sandbox's ECS notes (`§4.2`).
    #[serde(default)]
    pub references: Vec<String>,
}

/// A part of the screen a step points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Watch {
    /// A service's row: desired / running / pending.
    Service(String),
    /// A service's deployments and their chart.
    DeploymentChart(String),
    /// Why the next task of a service goes where it goes, or cannot be placed.
    PlacementExplainer(String),
    /// One container instance, by EC2 instance id (`i-0e22…`).
    Instance(String),
    /// One container instance, by its place in the fleet (0 is the first).
    InstanceIndex(u32),
    /// The column of one Availability Zone in the fleet.
    AvailabilityZone(String),
    /// The results of RunTask / StartTask calls.
    Jobs,
    /// The event log.
    EventLog,
    /// The time slider (the timeline strip).
    Slider,
}

/// Reads lesson text into its shapes, or every problem found with its path.
pub fn parse_lesson_file(text: &str) -> Result<LessonFile, Vec<Problem>> {
    lesson_file_from_value(document_value(text, &LESSON_DOCUMENT)?)
}

/// How lesson files are named in the loader's messages (json_input's document checks).
const LESSON_DOCUMENT: DocumentKind = DocumentKind {
    noun: "lesson",
    reads: "lessons of ",
    bytes_max: LESSON_BYTES_MAX,
    bytes_max_words: "5 MiB",
    version: LESSON_VERSION,
};

/// Reads a parsed JSON value into the shapes (each step on its own, so one typo does not
/// hide the next), then checks the sizes.
pub fn lesson_file_from_value(value: Value) -> Result<LessonFile, Vec<Problem>> {
    let mut object = versioned_object(value, &LESSON_DOCUMENT)?;
    let mut problems = Vec::new();
    let steps = match object.remove("steps") {
        None => {
            problems.push(Problem::new("steps", "missing required field"));
            Vec::new()
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.push(Problem::new(
                "steps",
                format!("expected an array, found {}", json_kind(&other)),
            ));
            Vec::new()
        }
    };
    if steps.len() > STEPS_MAX {
        return Err(vec![Problem::new(
            "steps",
            format!("{} steps; the limit is {STEPS_MAX}", steps.len()),
        )]);
    }
    object.insert("steps".into(), Value::Array(Vec::new()));
    let header: Option<LessonFile> = typed(Value::Object(object), "", &mut problems);
    let steps: Vec<StepFile> = steps
        .into_iter()
        .enumerate()
        .filter_map(|(index, step)| typed(step, &format!("steps[{index}]"), &mut problems))
        .collect();
    let Some(mut file) = header.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    file.steps = steps;
    let problems = size_problems(&file);
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// Texts, lists and steps over their limits; a lesson without steps.
fn size_problems(file: &LessonFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut text = |path: String, value: &str, max: usize| {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            problems.push(Problem::new(path, "must not be empty"));
        } else if chars > max {
            problems.push(Problem::new(
                path,
                format!("{chars} characters; the limit is {max}"),
            ));
        }
    };
    text("title".into(), &file.title, TITLE_CHARS_MAX);
    text("teaches".into(), &file.teaches, TEXT_CHARS_MAX);
    for (index, step) in file.steps.iter().enumerate() {
        let at = |field: &str| format!("steps[{index}].{field}");
        text(at("instruction"), &step.instruction, INSTRUCTION_CHARS_MAX);
        text(at("hint"), &step.hint, TEXT_CHARS_MAX);
        text(at("explanation"), &step.explanation, TEXT_CHARS_MAX);
        for (r, reference) in step.references.iter().enumerate() {
            text(
                format!("steps[{index}].references[{r}]"),
                reference,
                REFERENCE_CHARS_MAX,
            );
        }
        // The check's length is the assertion language's own limit (`SENTENCE_CHARS_MAX`).
    }
    if file.steps.is_empty() {
        problems.push(Problem::new("steps", "a lesson needs at least one step"));
    }
    for (index, step) in file.steps.iter().enumerate() {
        for (field, len, max) in [
            ("showMe", step.show_me.len(), STEP_ACTIONS_MAX),
            ("watch", step.watch.len(), WATCH_MAX),
            ("references", step.references.len(), REFERENCES_MAX),
        ] {
            if len > max {
                problems.push(Problem::new(
                    format!("steps[{index}].{field}"),
                    format!("{len} entries; the limit is {max}"),
                ));
            }
        }
    }
    problems
}
