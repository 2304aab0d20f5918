//! The game day file, version 1, as written: its shapes and reading JSON into them with
//! path-precise [`Problem`]s through the scenario format's machinery (`json_input`, the same
//! wording of unknown fields and wrong types as scenario and lesson files), plus the size
//! limits a hostile file meets before anything runs. Campaign actions are the scenario
//! timeline's action shapes; the one addition is a target chosen when the action applies
//! (`{"mostTasksOf": "web"}` in place of an instance id or a zone), read here into
//! [`CampaignAction`]. Meaning (names, times, limits against the scenario) is checked in
//! `check.rs`.

use crate::action::Action;
use crate::json_input::{
    deserialize_at, document_value, json_kind, segments_path, versioned_object, DocumentKind,
};
use crate::lessons::ScenarioSource;
use crate::problem::Problem;
use crate::scenario::describe_serde_error;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub const GAMEDAY_VERSION: u32 = 1;
/// A game day file with an inline scenario is at most a scenario's size and a little more.
pub const GAMEDAY_BYTES_MAX: usize = 5 * 1024 * 1024;
/// Campaign entries per game day, and actions per entry.
pub const CAMPAIGN_MAX: usize = 20;
pub const ENTRY_ACTIONS_MAX: usize = 10;
/// Services whose deployment configuration and placement strategy the learner sets; services
/// the score requires healthy tasks of; instance types and zones the fleet may use.
pub const LIST_MAX: usize = 20;
/// Characters of a title, of a campaign entry's name, of the briefing.
pub const TITLE_CHARS_MAX: usize = 120;
pub const NAME_CHARS_MAX: usize = 80;
pub const BRIEFING_CHARS_MAX: usize = 600;

/// A game day file: what to protect, on which scenario, what the learner may change, the
/// campaign run against it and how the run is scored.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GameDayFile {
    pub version: u32,
    pub title: String,
    /// What the learner must protect, in two sentences.
    pub briefing: String,
    /// `"builtin:NAME"` or a scenario file's object.
    pub scenario: ScenarioSource,
    pub policy: PolicyFile,
    /// Read on its own (`campaign_from_value`): its actions may carry targets.
    #[serde(default, skip)]
    pub campaign: Vec<CampaignEntry>,
    /// How long the run lasts, from time zero (`"12m"`).
    pub run_until: String,
    pub scoring: ScoringFile,
}

/// What the learner may change.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyFile {
    /// Services whose `deploymentConfiguration` and `placementStrategy` the learner sets.
    #[serde(default)]
    pub services: Vec<String>,
    pub fleet: FleetLimits,
}

/// The fleet the learner may build: which types, in which zones, how many instances in all.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FleetLimits {
    pub instance_types: Vec<String>,
    pub availability_zones: Vec<String>,
    pub instances_max: u32,
}

/// One moment of the campaign, as checked by `shape.rs` (times still text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignEntry {
    pub at: String,
    /// What happens, in a few words ("A bad release: web 1.2.0 crashes on start").
    pub name: String,
    pub actions: Vec<CampaignAction>,
}

/// A campaign action: a timeline action, and, when it names its instance or zone by a target,
/// that target (the action then holds a placeholder until the run resolves it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignAction {
    pub action: Action,
    pub target: Option<Target>,
}

/// An instance or zone chosen when the action applies, so the campaign hits the learner's own
/// fleet whatever its shape.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    /// The ACTIVE instance (or the zone) running the most tasks of this service that are not
    /// told to stop; ties go to the first in the fleet's order.
    pub most_tasks_of: String,
}

/// How the run is scored.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoringFile {
    /// The score before any loss (`100`).
    pub points: u32,
    /// The healthy tasks each service needs; fewer is time below required.
    pub required: Vec<Required>,
    /// When "required" starts to count (`"1m30s"`: once the services have started).
    #[serde(default)]
    pub from: Option<String>,
    /// Points lost per minute for each required healthy task missing.
    pub points_per_missing_task_minute: u32,
    /// Points lost per failed launch: a task that failed before it was ever healthy, or a
    /// "was unable to place a task" service event.
    pub points_per_failed_launch: u32,
    /// Points lost per hour of each instance type running; every type the fleet may use has one.
    pub points_per_instance_hour: BTreeMap<String, u32>,
    /// The score a run must reach to pass (the CLI exits 1 below it).
    #[serde(default)]
    pub pass_score: Option<u32>,
}

/// "At least `healthyTasks` healthy tasks of `service`".
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Required {
    pub service: String,
    pub healthy_tasks: u32,
}

/// Reads game day text into its shapes, or every problem found with its path.
pub fn parse_gameday_file(text: &str) -> Result<GameDayFile, Vec<Problem>> {
    gameday_file_from_value(document_value(text, &GAMEDAY_DOCUMENT)?)
}

/// How game day files are named in the loader's messages (json_input's document checks).
const GAMEDAY_DOCUMENT: DocumentKind = DocumentKind {
    noun: "game day",
    reads: "game days of ",
    bytes_max: GAMEDAY_BYTES_MAX,
    bytes_max_words: "5 MiB",
    version: GAMEDAY_VERSION,
};

/// Reads a parsed JSON value into the shapes (each campaign entry and action on its own, so
/// one typo does not hide the next), then checks the sizes.
pub fn gameday_file_from_value(value: Value) -> Result<GameDayFile, Vec<Problem>> {
    let mut object = versioned_object(value, &GAMEDAY_DOCUMENT)?;
    let mut problems = Vec::new();
    let campaign = match object.remove("campaign") {
        None => {
            problems.push(Problem::new("campaign", "missing required field"));
            Vec::new()
        }
        Some(Value::Array(items)) if items.len() > CAMPAIGN_MAX => {
            return Err(vec![Problem::new(
                "campaign",
                format!("{} entries; the limit is {CAMPAIGN_MAX}", items.len()),
            )]);
        }
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.push(Problem::new(
                "campaign",
                format!("expected an array, found {}", json_kind(&other)),
            ));
            Vec::new()
        }
    };
    let header: Option<GameDayFile> = typed(Value::Object(object), "", &mut problems);
    let campaign: Vec<CampaignEntry> = campaign
        .into_iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            campaign_entry(entry, &format!("campaign[{index}]"), &mut problems)
        })
        .collect();
    let Some(mut file) = header.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    file.campaign = campaign;
    let problems = size_problems(&file);
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// A campaign entry as written: `at`, `name` and `actions`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EntryFile {
    at: String,
    name: String,
    actions: Vec<Value>,
}

fn campaign_entry(value: Value, path: &str, problems: &mut Vec<Problem>) -> Option<CampaignEntry> {
    let entry: EntryFile = typed(value, path, problems)?;
    if entry.actions.len() > ENTRY_ACTIONS_MAX {
        problems.push(Problem::new(
            format!("{path}.actions"),
            format!(
                "{} actions; the limit is {ENTRY_ACTIONS_MAX}",
                entry.actions.len()
            ),
        ));
        return None;
    }
    let before = problems.len();
    let actions: Vec<CampaignAction> = entry
        .actions
        .into_iter()
        .enumerate()
        .filter_map(|(index, action)| {
            campaign_action(action, &format!("{path}.actions[{index}]"), problems)
        })
        .collect();
    (problems.len() == before).then_some(CampaignEntry {
        at: entry.at,
        name: entry.name,
        actions,
    })
}

/// The placeholder an action holds until its target is resolved (never an instance id or a
/// zone's name: an instance id starts `i-`, and a zone names its region).
pub const TARGET_PLACEHOLDER: &str = "(target)";

/// An action with, in `drainInstance.instance`, `terminateInstance.instance` or
/// `failAvailabilityZone.availabilityZone`, either a name or a [`Target`].
fn campaign_action(
    mut value: Value,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<CampaignAction> {
    let mut target = None;
    for (operation, field) in [
        ("drainInstance", "instance"),
        ("terminateInstance", "instance"),
        ("failAvailabilityZone", "availabilityZone"),
    ] {
        let Some(slot) = value.get_mut(operation).and_then(|v| v.get_mut(field)) else {
            continue;
        };
        if slot.is_object() {
            let written = std::mem::replace(slot, Value::String(TARGET_PLACEHOLDER.into()));
            target = Some(typed::<Target>(
                written,
                &format!("{path}.{operation}.{field}"),
                problems,
            )?);
        }
    }
    let action: Action = typed(value, path, problems)?;
    Some(CampaignAction { action, target })
}

/// Texts and lists over their limits; empty texts.
fn size_problems(file: &GameDayFile) -> Vec<Problem> {
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
    text("briefing".into(), &file.briefing, BRIEFING_CHARS_MAX);
    for (index, entry) in file.campaign.iter().enumerate() {
        text(
            format!("campaign[{index}].name"),
            &entry.name,
            NAME_CHARS_MAX,
        );
    }
    for (path, len) in [
        ("policy.services", file.policy.services.len()),
        (
            "policy.fleet.instanceTypes",
            file.policy.fleet.instance_types.len(),
        ),
        (
            "policy.fleet.availabilityZones",
            file.policy.fleet.availability_zones.len(),
        ),
        ("scoring.required", file.scoring.required.len()),
        (
            "scoring.pointsPerInstanceHour",
            file.scoring.points_per_instance_hour.len(),
        ),
    ] {
        if len > LIST_MAX {
            problems.push(Problem::new(
                path,
                format!("{len} entries; the limit is {LIST_MAX}"),
            ));
        }
    }
    problems
}

fn typed<T: serde::de::DeserializeOwned>(
    value: Value,
    prefix: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match deserialize_at::<T>(value) {
        Ok(parsed) => Some(parsed),
        Err((segments, message)) => {
            problems.push(describe_serde_error(
                &segments_path(prefix, &segments),
                &message,
            ));
            None
        }
    }
}
