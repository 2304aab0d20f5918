//! Assertions: what a scenario claims about its run, as short sentences a documentation author
//! can write and a reader can check — "at 5m at least 3 tasks of web RUNNING in us-east-1a",
//! "never fewer than 2 healthy tasks of web". A scenario's `assertions` member lists them (each a
//! sentence, or `{"name": …, "assert": …}`); `scenario/compile.rs` parses them once against the
//! scenario's names (a typo is a problem with its path and column), and [`Monitor`] evaluates
//! them over a run from the event log, event by event, never re-scanning the world.
//!
//! The sentence shapes (keywords in any case; times as scenario durations, `5m`, `1h30m`):
//! - `at TIME COUNT` — the count at one moment (after every event at that moment);
//! - `always COUNT [WINDOW]`, `never COUNT [WINDOW]` — at every moment. Without `from`/`between`
//!   the count must first come true, then never stop being true (a service starts with no
//!   tasks); with them it must hold from the first moment of the span;
//! - `no task [OF] placed WHERE [WINDOW]`, `every task [OF] placed WHERE [WINDOW]` — every
//!   placement;
//! - `the deployment of SERVICE [started at TIME] completes|fails before TIME` — the last
//!   deployment an action started at or before the deadline (rollbacks belong to the deployment
//!   they roll back), or the one started at that moment;
//! - `SERVICE reaches a steady state before TIME`.
//!
//! `COUNT` is `at least|at most|exactly|more than|fewer than N` (or `no`), an optional state
//! (`healthy`, or a lifecycle state: `RUNNING`, `PENDING`, … before `tasks` or after the owner),
//! `tasks`, an optional owner (`of web`, `of family batch`, `of group nightly`) and places
//! (`in us-east-1a`, `on an instance of type m5.large`). Without a state, a count is of tasks
//! placed and not yet STOPPED. `WINDOW` is `from TIME`, `until TIME`, both, or
//! `between TIME and TIME`. Traffic sentences ("5xx rate of api under 1 % over every minute")
//! come with the traffic model; today they are an error that says so.

mod eval;
mod parser;
mod syntax;
#[cfg(test)]
mod tests;

pub use eval::{evaluate, Monitor, Status, Verdict};
pub use parser::{parse, COUNT_MAX, SENTENCE_CHARS_MAX};
pub use syntax::{
    clock_text, time_text, Claim, Comparison, Count, Named, Outcome, Owner, StateFilter, Tasks,
    Window,
};

use crate::problem::Problem;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How many assertions one scenario may carry.
pub const ASSERTIONS_MAX: usize = 200;

/// One entry of a scenario's `assertions`, as written: a sentence, or a sentence with a name
/// (`{"name": "capacity kept", "assert": "never fewer than 2 healthy tasks of web"}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionEntry {
    pub name: Option<String>,
    pub assert: String,
}

/// A compiled assertion: its name, its sentence in canonical form, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assertion {
    pub name: Option<String>,
    pub claim: Claim,
}

impl Assertion {
    /// The name if it has one, else the canonical sentence.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.claim.to_string())
    }
}

/// Bad sentence text: what and where (1-based column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionError {
    pub column: u32,
    pub message: String,
}

impl AssertionError {
    pub fn new(column: u32, message: impl Into<String>) -> AssertionError {
        AssertionError {
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for AssertionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

/// What sentences may name: the scenario's services (in `ServiceId` order), task-definition
/// families, runTask groups, Availability Zones and instance types of the fleet.
#[derive(Clone, Debug, Default)]
pub struct Names<'a> {
    pub services: Vec<&'a str>,
    pub families: Vec<&'a str>,
    pub groups: Vec<String>,
    pub zones: Vec<&'a str>,
    pub instance_types: Vec<&'a str>,
}

impl Names<'_> {
    fn service_index(&self, name: &str) -> Option<u32> {
        self.services
            .iter()
            .position(|service| *service == name)
            .map(|index| index as u32)
    }
}

/// Compiles a scenario's assertions, or returns every problem with its path
/// (`assertions[1].assert: no service named "wbe"; services: web at column 20`).
pub fn compile(
    entries: &[AssertionEntry],
    names: &Names<'_>,
) -> Result<Vec<Assertion>, Vec<Problem>> {
    let mut problems = Vec::new();
    if entries.len() > ASSERTIONS_MAX {
        problems.push(Problem::new(
            "assertions",
            format!(
                "{} assertions; the limit is {ASSERTIONS_MAX}",
                entries.len()
            ),
        ));
        return Err(problems);
    }
    let mut compiled = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = if entry.name.is_some() {
            format!("assertions[{index}].assert")
        } else {
            format!("assertions[{index}]")
        };
        if entry
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            problems.push(Problem::new(
                format!("assertions[{index}].name"),
                "must not be empty; leave it out to show the sentence",
            ));
        }
        match parse(&entry.assert, names) {
            Ok(claim) => compiled.push(Assertion {
                name: entry.name.clone(),
                claim,
            }),
            Err(error) => problems.push(Problem::new(path, error.to_string())),
        }
    }
    if problems.is_empty() {
        Ok(compiled)
    } else {
        Err(problems)
    }
}

/// The latest moment any of the assertions needs a run to reach (`None`: the run's own end).
pub fn needs_until(assertions: &[Assertion]) -> Option<SimTime> {
    assertions
        .iter()
        .filter_map(|a| a.claim.needs_until())
        .max()
}

/// An entry from its JSON value, or the problem with its path relative to the entry.
pub fn entry_from_value(value: serde_json::Value) -> Result<AssertionEntry, Problem> {
    use serde_json::Value;
    match value {
        Value::String(assert) => Ok(AssertionEntry { name: None, assert }),
        Value::Object(mut object) => {
            if let Some(key) = object
                .keys()
                .find(|k| !matches!(k.as_str(), "name" | "assert"))
            {
                return Err(Problem::new(
                    key.as_str(),
                    "unknown field; expected name or assert",
                ));
            }
            let assert = match object.remove("assert") {
                Some(Value::String(text)) => text,
                Some(other) => {
                    return Err(Problem::new(
                        "assert",
                        format!(
                            "expected a sentence (a string), found {}",
                            crate::json_input::json_kind(&other)
                        ),
                    ))
                }
                None => return Err(Problem::new("assert", "missing required field")),
            };
            let name = match object.remove("name") {
                None => None,
                Some(Value::String(name)) => Some(name),
                Some(other) => {
                    return Err(Problem::new(
                        "name",
                        format!(
                            "expected a string, found {}",
                            crate::json_input::json_kind(&other)
                        ),
                    ))
                }
            };
            Ok(AssertionEntry { name, assert })
        }
        other => Err(Problem::new(
            "",
            format!(
                "expected a sentence or {{\"name\": …, \"assert\": …}}, found {}",
                crate::json_input::json_kind(&other)
            ),
        )),
    }
}

impl Serialize for AssertionEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match &self.name {
            None => serializer.serialize_str(&self.assert),
            Some(name) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("name", name)?;
                map.serialize_entry("assert", &self.assert)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for AssertionEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        entry_from_value(value).map_err(|problem| serde::de::Error::custom(problem.to_string()))
    }
}
