//! The scenario's assertions as badges: each judged over the run as the scenario is written
//! (from 0 to the embed's `until`, with the embed's seed, without the reader's actions), shown as
//! "held" or "broken at 2:14" with its evidence, and a button that jumps the embed to the moment
//! that decides it (where it broke; for one that held, the moment it names, else the end). The
//! judging is the core's (`assertions::evaluate`, what `flotilla check` runs), on a world of its
//! own, so the embed's own run and cursor are untouched.

use crate::dom::{append, set, Dom};
use crate::options::{Options, EVENTS_MAX};
use flotilla_core::assertions::{clock_text, evaluate, Status};
use flotilla_core::{SimTime, World};
use serde::Serialize;
use web_sys::Element;

/// `evaluate` runs the world in slices this long, checking the event bound between them.
const SLICE_MS: u64 = 60_000;

/// One assertion's outcome, as `flotilla:assertion` events and the badges carry it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    pub label: String,
    pub sentence: String,
    /// `held`, `holding`, `waiting`, `broken` or `not-reached`.
    pub status: &'static str,
    /// The moment a click jumps to.
    pub at_ms: u64,
    /// What the run showed (for a broken one), or the moment it needs (not reached).
    pub evidence: String,
}

/// Judges the scenario's assertions over its run to `until`; empty when it has none. `Err` when
/// the run hit the embed's event bound before `until` (the verdicts would be about a shorter
/// run than the reader sees).
pub fn judge(options: &Options) -> Result<Vec<Badge>, String> {
    let Ok(compiled) = flotilla_core::scenario::compile(&options.scenario) else {
        // `options.rs` compiled it already; a scenario that got here compiles.
        return Ok(Vec::new());
    };
    if compiled.assertions.is_empty() {
        return Ok(Vec::new());
    }
    let mut world = World::from_compiled(&compiled);
    let until = options.until_ms;
    // Bounded: each slice moves the clock by SLICE_MS towards `until` (at most 6 h).
    while world.now().as_ms() < until {
        let next = (world.now().as_ms() + SLICE_MS).min(until);
        world.run_until(SimTime(next));
        if world.events().len() > EVENTS_MAX {
            return Err(format!(
                "the assertions were not judged: the run passes {EVENTS_MAX} events before its end"
            ));
        }
    }
    let verdicts = evaluate(&compiled.assertions, &world);
    Ok(verdicts
        .into_iter()
        .zip(&compiled.assertions)
        .map(|(verdict, assertion)| {
            let named = assertion.claim.needs_until().map_or(until, |at| at.as_ms());
            let (status, at_ms, evidence) = match verdict.status {
                Status::Held => ("held", named.min(until), String::new()),
                Status::Holding => ("holding", until, String::new()),
                Status::Waiting => ("waiting", until, String::new()),
                Status::Broken { at, evidence } => ("broken", at.as_ms(), evidence),
                Status::NotReached { needs } => (
                    "not-reached",
                    until,
                    format!("needs the run to reach {}", clock_text(needs)),
                ),
            };
            Badge {
                label: verdict.label,
                sentence: verdict.sentence,
                status,
                at_ms,
                evidence,
            }
        })
        .collect())
}

/// The badges under the embed's header: one button each.
pub fn render(dom: &Dom, list: &Element, badges: &Result<Vec<Badge>, String>) {
    crate::dom::clear(list);
    let badges = match badges {
        Ok(badges) => badges,
        Err(why) => {
            append(list, &dom.el("li", "badge unjudged", why));
            return;
        }
    };
    for badge in badges {
        let item = dom.el("li", "", "");
        let (mark, words) = match badge.status {
            "held" => ("✓", "held".to_string()),
            "broken" => (
                "✗",
                format!("broken at {}", clock_text(SimTime(badge.at_ms))),
            ),
            "not-reached" => ("…", "not reached".to_string()),
            other => ("…", other.to_string()),
        };
        let text = format!("{mark} {} · {words}", badge.label);
        let mut title = badge.sentence.clone();
        if !badge.evidence.is_empty() {
            title.push_str(" — ");
            title.push_str(&badge.evidence);
        }
        let at = badge.at_ms.to_string();
        let button = dom.button(&text, "", &[("act", "jump"), ("at", &at)]);
        set(&button, "title", &title);
        set(
            &button,
            "aria-label",
            &format!("{text}: {title}. Jump there"),
        );
        button.set_class_name(&format!("badge {}", badge.status));
        append(&item, &button);
        append(list, &item);
    }
}
