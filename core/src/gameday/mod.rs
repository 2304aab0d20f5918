//! Game days: a scripted failure campaign run against the learner's own policy, and scored.
//! A game day is data beside its scenario (`core/gamedays/*.json`, compiled in by
//! `builtin.rs`): a title, a briefing (what the learner must protect), the scenario, what the
//! learner may change (the fleet within limits; the deployment configuration and placement
//! strategy of named services), the campaign (moments with actions in the scenario timeline's
//! shapes: a bad release, an instance drained mid-deployment, a lost Availability Zone), how
//! long the run lasts, and the scoring (availability below the required healthy tasks, failed
//! launches, instance-hours).
//!
//! Here: `shape.rs` reads the file (version 1, path-precise problems, size limits);
//! `check.rs` checks it against its scenario into a [`GameDay`]; `policy.rs` checks a
//! learner's policy (a scenario file) against what the game day allows; `run.rs` plays the
//! campaign headless ([`play`]); `score.rs` scores the run from its event log ([`score`]);
//! `builtin.rs` holds the built-in game days. Nothing here does I/O, and the score is a pure
//! function of the game day and the policy.

mod builtin;
mod check;
mod policy;
mod run;
mod score;
mod shape;
#[cfg(test)]
mod tests;

pub use builtin::{find as find_builtin, BuiltinGameDay, BUILTIN_GAMEDAYS};
pub use check::{
    check_gameday, check_gameday_with, GameDay, Moment, Scoring, INSTANCES_MAX, POINTS_MAX,
    RUN_MS_MAX,
};
pub use policy::{check_policy, fleet_problems, POLICY_PROBLEMS_MAX};
pub use run::{play, play_with_budget, resolve, Played};
pub use score::{score, Loss, LossKind, Score};
pub use shape::{
    gameday_file_from_value, parse_gameday_file, CampaignAction, CampaignEntry, FleetLimits,
    GameDayFile, PolicyFile, Required, ScoringFile, Target, BRIEFING_CHARS_MAX, CAMPAIGN_MAX,
    ENTRY_ACTIONS_MAX, GAMEDAY_BYTES_MAX, GAMEDAY_VERSION, LIST_MAX, NAME_CHARS_MAX,
    TARGET_PLACEHOLDER, TITLE_CHARS_MAX,
};

use crate::problem::Problem;

/// Game day text to a checked [`GameDay`], or every problem with its path
/// (`campaign[1].actions[0].updateService.service: no service named "wbe" in services`).
pub fn parse_gameday(text: &str) -> Result<GameDay, Vec<Problem>> {
    check_gameday(parse_gameday_file(text)?)
}
