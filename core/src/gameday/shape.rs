//! The game day file, version 1, as written: its shapes and reading JSON into them with
//! path-precise [`Problem`]s in the scenario format's words (`json_input`: the same size,
//! emptiness and version checks, the same wording of unknown fields, missing fields and wrong
//! types as scenario and lesson files), plus the size limits a hostile file meets before
//! anything runs. Campaign actions are the scenario timeline's action shapes, read by the
//! scenario loader's own deserialiser; the one addition is a target chosen when the action
//! applies (`{"mostTasksOf": "web"}` in place of an instance id or a zone), read here into
//! [`CampaignAction`]. Meaning (names, times, limits against the scenario) is checked in
//! `check.rs`.
//!
//! The game day's own members are read by hand ([`Reader`]) rather than with serde's derive:
//! each derived type adds its own copy of the tracked deserialiser to the browser app (about
//! 20 KB of wasm for these shapes), and the app has a size budget (PRODUCT.md). The words are
//! the derive's: `campaign[1].colour: unknown field; expected one of at, name, actions`.

use crate::action::Action;
use crate::json_input::{
    cut, deserialize_at, document_value, segments_path, versioned_object, DocumentKind,
};
use crate::lessons::ScenarioSource;
use crate::problem::{join_path, Problem};
use crate::scenario::{describe_serde_error, TimelineEntry};
use serde_json::{Map, Value};
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameDayFile {
    pub version: u32,
    pub title: String,
    /// What the learner must protect, in two sentences.
    pub briefing: String,
    /// `"builtin:NAME"` or a scenario file's object.
    pub scenario: ScenarioSource,
    pub policy: PolicyFile,
    pub campaign: Vec<CampaignEntry>,
    /// How long the run lasts, from time zero (`"12m"`).
    pub run_until: String,
    pub scoring: ScoringFile,
}

/// What the learner may change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFile {
    /// Services whose `deploymentConfiguration` and `placementStrategy` the learner sets
    /// (`services`, optional).
    pub services: Vec<String>,
    pub fleet: FleetLimits,
}

/// The fleet the learner may build: which types, in which zones, how many instances in all
/// (`instanceTypes`, `availabilityZones`, `instancesMax`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FleetLimits {
    pub instance_types: Vec<String>,
    pub availability_zones: Vec<String>,
    pub instances_max: u32,
}

/// One moment of the campaign, as written (`at`, `name`, `actions`; the time still text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignEntry {
    pub at: String,
    /// What happens, in a few words ("A bad release: web 1.2.0 crashes on start").
    pub name: String,
    pub actions: Vec<CampaignAction>,
}

/// A campaign action: a timeline action, and, when it names its instance or zone by a target,
/// that target (the action then holds [`TARGET_PLACEHOLDER`] until the run resolves it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignAction {
    pub action: Action,
    pub target: Option<Target>,
}

/// An instance or zone chosen when the action applies, so the campaign hits the learner's own
/// fleet whatever its shape (`{"mostTasksOf": "web"}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The ACTIVE instance (or the zone) running the most tasks of this service that are not
    /// told to stop; ties go to the first in the fleet's order.
    pub most_tasks_of: String,
}

/// How the run is scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoringFile {
    /// The score before any loss (`points`, e.g. 100).
    pub points: u32,
    /// The healthy tasks each service needs; fewer is time below required (`required`).
    pub required: Vec<Required>,
    /// When "required" starts to count (`from`, optional: `"1m30s"`, once the services have
    /// started; absent: from 0s).
    pub from: Option<String>,
    /// Points lost per minute for each required healthy task missing
    /// (`pointsPerMissingTaskMinute`).
    pub points_per_missing_task_minute: u32,
    /// Points lost per failed launch: a task that failed before it was ever healthy, or a
    /// "was unable to place a task" service event (`pointsPerFailedLaunch`).
    pub points_per_failed_launch: u32,
    /// Points lost per hour of each instance type running; every type the fleet may use has
    /// one (`pointsPerInstanceHour`: `{"m5.large": 8}`).
    pub points_per_instance_hour: BTreeMap<String, u32>,
    /// The score a run must reach to pass (`passScore`, optional; the CLI exits 1 below it).
    pub pass_score: Option<u32>,
}

/// "At least `healthyTasks` healthy tasks of `service`".
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Reads a parsed JSON value into the shapes (every member and campaign action on its own, so
/// one typo does not hide the next), then checks the sizes.
pub fn gameday_file_from_value(value: Value) -> Result<GameDayFile, Vec<Problem>> {
    let mut root = versioned_object(value, &GAMEDAY_DOCUMENT)?;
    let mut r = Reader::default();
    r.unknown(
        &root,
        "",
        &[
            "version", "title", "briefing", "scenario", "policy", "campaign", "runUntil", "scoring",
        ],
    );
    let title = r.text(&mut root, "", "title");
    let briefing = r.text(&mut root, "", "briefing");
    let scenario = r
        .member(&mut root, "", "scenario")
        .map(|value| match value {
            Value::String(name) => ScenarioSource::Builtin(name),
            inline => ScenarioSource::Inline(inline),
        });
    let policy = r.object(&mut root, "", "policy", &["services", "fleet"]);
    let policy = policy.and_then(|mut policy| {
        let services = r.texts(&mut policy, "policy", "services", false);
        let path = "policy.fleet";
        let known = ["instanceTypes", "availabilityZones", "instancesMax"];
        let mut fleet = r.object(&mut policy, "policy", "fleet", &known)?;
        let fleet = FleetLimits {
            instance_types: r.texts(&mut fleet, path, "instanceTypes", true)?,
            availability_zones: r.texts(&mut fleet, path, "availabilityZones", true)?,
            instances_max: r.whole(&mut fleet, path, "instancesMax")?,
        };
        Some(PolicyFile {
            services: services?,
            fleet,
        })
    });
    let campaign = r.list(&mut root, "", "campaign", true).map(|items| {
        if items.len() > CAMPAIGN_MAX {
            r.fail(
                "campaign".into(),
                format!("{} entries; the limit is {CAMPAIGN_MAX}", items.len()),
            );
            return Vec::new();
        }
        (items.into_iter().enumerate())
            .filter_map(|(index, entry)| r.campaign_entry(entry, &format!("campaign[{index}]")))
            .collect()
    });
    let run_until = r.text(&mut root, "", "runUntil");
    let scoring = r.scoring(&mut root);
    let (
        Some(title),
        Some(briefing),
        Some(scenario),
        Some(policy),
        Some(campaign),
        Some(run_until),
        Some(scoring),
    ) = (
        title, briefing, scenario, policy, campaign, run_until, scoring,
    )
    else {
        return Err(r.problems);
    };
    if !r.problems.is_empty() {
        return Err(r.problems);
    }
    let file = GameDayFile {
        version: GAMEDAY_VERSION,
        title,
        briefing,
        scenario,
        policy,
        campaign,
        run_until,
        scoring,
    };
    let problems = size_problems(&file);
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

/// The placeholder an action holds until its target is resolved (never an instance id or a
/// zone's name: an instance id starts `i-`, and a zone names its region).
pub const TARGET_PLACEHOLDER: &str = "(target)";

/// Reading members of JSON objects into plain values, each problem said at its path in the
/// words serde's derive uses for the scenario format (through `json_input::plain_message`).
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn fail(&mut self, path: String, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// Each member of `object` not among `known`: "unknown field; expected one of ...".
    fn unknown(&mut self, object: &Map<String, Value>, path: &str, known: &[&str]) {
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            let message = match known {
                [only] => format!("unknown field; expected {only}"),
                _ => format!("unknown field; expected one of {}", known.join(", ")),
            };
            self.fail(join_path(path, key), message);
        }
    }

    /// A required member, taken out of `object`.
    fn member(&mut self, object: &mut Map<String, Value>, path: &str, key: &str) -> Option<Value> {
        let value = object.remove(key);
        if value.is_none() {
            self.fail(join_path(path, key), "missing required field");
        }
        value
    }

    /// What was expected and what was found: "expected a string, found the number 5".
    fn wrong(&mut self, path: String, expected: &str, found: &Value) {
        let found = match found {
            Value::String(text) => format!("the string {}", cut(text)),
            Value::Number(number) => {
                format!("the number {}", cut(&number.to_string()).trim_matches('"'))
            }
            Value::Bool(flag) => flag.to_string(),
            other => crate::json_input::json_kind(other).to_string(),
        };
        self.fail(path, format!("expected {expected}, found {found}"));
    }

    fn text(&mut self, object: &mut Map<String, Value>, path: &str, key: &str) -> Option<String> {
        match self.member(object, path, key)? {
            Value::String(text) => Some(text),
            other => {
                self.wrong(join_path(path, key), "a string", &other);
                None
            }
        }
    }

    fn whole(&mut self, object: &mut Map<String, Value>, path: &str, key: &str) -> Option<u32> {
        let value = self.member(object, path, key)?;
        let number = value.as_u64().and_then(|n| u32::try_from(n).ok());
        if number.is_none() {
            let expected = format!("a whole number from 0 to {}", u32::MAX);
            self.wrong(join_path(path, key), &expected, &value);
        }
        number
    }

    /// An array member; absent is empty unless `required`.
    fn list(
        &mut self,
        object: &mut Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<Vec<Value>> {
        if !required && !object.contains_key(key) {
            return Some(Vec::new());
        }
        match self.member(object, path, key)? {
            Value::Array(items) => Some(items),
            other => {
                self.wrong(join_path(path, key), "an array", &other);
                None
            }
        }
    }

    fn texts(
        &mut self,
        object: &mut Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<Vec<String>> {
        let items = self.list(object, path, key, required)?;
        let before = self.problems.len();
        let texts: Vec<String> = (items.into_iter().enumerate())
            .filter_map(|(index, item)| match item {
                Value::String(text) => Some(text),
                other => {
                    self.wrong(
                        join_path(path, &format!("{key}[{index}]")),
                        "a string",
                        &other,
                    );
                    None
                }
            })
            .collect();
        (self.problems.len() == before).then_some(texts)
    }

    /// An object member of the `known` members.
    fn object(
        &mut self,
        object: &mut Map<String, Value>,
        path: &str,
        key: &str,
        known: &[&str],
    ) -> Option<Map<String, Value>> {
        let value = self.member(object, path, key)?;
        self.as_object(value, &join_path(path, key), Some(known))
    }

    /// `value` as an object; with `known`, of those members only.
    fn as_object(
        &mut self,
        value: Value,
        path: &str,
        known: Option<&[&str]>,
    ) -> Option<Map<String, Value>> {
        match value {
            Value::Object(members) => {
                if let Some(known) = known {
                    self.unknown(&members, path, known);
                }
                Some(members)
            }
            other => {
                self.wrong(path.to_string(), "an object", &other);
                None
            }
        }
    }

    fn campaign_entry(&mut self, value: Value, path: &str) -> Option<CampaignEntry> {
        let mut entry = self.as_object(value, path, Some(&["at", "name", "actions"]))?;
        let entry = &mut entry;
        let at = self.text(entry, path, "at");
        let name = self.text(entry, path, "name");
        let actions = self.list(entry, path, "actions", true)?;
        if actions.len() > ENTRY_ACTIONS_MAX {
            self.fail(
                format!("{path}.actions"),
                format!(
                    "{} actions; the limit is {ENTRY_ACTIONS_MAX}",
                    actions.len()
                ),
            );
            return None;
        }
        let before = self.problems.len();
        let actions: Vec<CampaignAction> = (actions.into_iter().enumerate())
            .filter_map(|(index, action)| {
                self.campaign_action(action, &format!("{path}.actions[{index}]"))
            })
            .collect();
        (self.problems.len() == before).then_some(CampaignEntry {
            at: at?,
            name: name?,
            actions,
        })
    }

    /// An action with, in `drainInstance.instance`, `terminateInstance.instance` or
    /// `failAvailabilityZone.availabilityZone`, either a name or a [`Target`].
    fn campaign_action(&mut self, mut value: Value, path: &str) -> Option<CampaignAction> {
        let mut target = None;
        for (operation, field) in [
            ("drainInstance", "instance"),
            ("terminateInstance", "instance"),
            ("failAvailabilityZone", "availabilityZone"),
        ] {
            let Some(slot) = value.get_mut(operation).and_then(|v| v.get_mut(field)) else {
                continue;
            };
            if !slot.is_object() {
                continue;
            }
            let written = std::mem::replace(slot, Value::String(TARGET_PLACEHOLDER.into()));
            let at = format!("{path}.{operation}.{field}");
            let mut written = self.as_object(written, &at, Some(&["mostTasksOf"]))?;
            target = Some(Target {
                most_tasks_of: self.text(&mut written, &at, "mostTasksOf")?,
            });
        }
        // Through the scenario loader's own deserialiser of timeline entries (one copy of
        // the action's serde code in the app), its path said from the action.
        let mut entry = Map::new();
        entry.insert("at".into(), Value::String("0s".into()));
        entry.insert("action".into(), value);
        match deserialize_at::<TimelineEntry>(Value::Object(entry)) {
            Ok(entry) => Some(CampaignAction {
                action: entry.action,
                target,
            }),
            Err((segments, message)) => {
                let segments = segments.get(1..).unwrap_or_default();
                let problem = describe_serde_error(&segments_path(path, segments), &message);
                self.problems.push(problem);
                None
            }
        }
    }

    fn scoring(&mut self, root: &mut Map<String, Value>) -> Option<ScoringFile> {
        let known = [
            "points",
            "required",
            "from",
            "pointsPerMissingTaskMinute",
            "pointsPerFailedLaunch",
            "pointsPerInstanceHour",
            "passScore",
        ];
        let mut scoring = self.object(root, "", "scoring", &known)?;
        let path = "scoring";
        let optional = |key: &str| scoring.contains_key(key);
        let (has_from, has_pass) = (optional("from"), optional("passScore"));
        let before = self.problems.len();
        let points = self.whole(&mut scoring, path, "points");
        let required = self
            .list(&mut scoring, path, "required", true)
            .map(|items| {
                (items.into_iter().enumerate())
                    .filter_map(|(index, item)| {
                        let at = format!("{path}.required[{index}]");
                        let mut item =
                            self.as_object(item, &at, Some(&["service", "healthyTasks"]))?;
                        Some(Required {
                            service: self.text(&mut item, &at, "service")?,
                            healthy_tasks: self.whole(&mut item, &at, "healthyTasks")?,
                        })
                    })
                    .collect::<Vec<_>>()
            });
        let from = has_from.then(|| self.text(&mut scoring, path, "from"));
        let per_minute = self.whole(&mut scoring, path, "pointsPerMissingTaskMinute");
        let per_failure = self.whole(&mut scoring, path, "pointsPerFailedLaunch");
        let key = "pointsPerInstanceHour";
        let mut prices = BTreeMap::new();
        // Any member is an instance type: unknown names are checked in `check.rs`.
        let types = self.member(&mut scoring, path, key);
        let at = format!("{path}.{key}");
        if let Some(mut types) = types.and_then(|types| self.as_object(types, &at, None)) {
            for name in types.keys().cloned().collect::<Vec<_>>() {
                if let Some(points) = self.whole(&mut types, &at, &name) {
                    prices.insert(name, points);
                }
            }
        }
        let pass_score = has_pass.then(|| self.whole(&mut scoring, path, "passScore"));
        (self.problems.len() == before).then(|| ScoringFile {
            points: points.unwrap_or(0),
            required: required.unwrap_or_default(),
            from: from.flatten(),
            points_per_missing_task_minute: per_minute.unwrap_or(0),
            points_per_failed_launch: per_failure.unwrap_or(0),
            points_per_instance_hour: prices,
            pass_score: pass_score.flatten(),
        })
    }
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
