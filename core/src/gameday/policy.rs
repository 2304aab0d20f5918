//! The learner's policy, checked against what the game day lets them change. A policy is a
//! whole scenario file — the game day's scenario as the learner edited it in the app, or
//! saved and passed to `flotilla gameday --policy` — so one format serves both. It may differ
//! from the game day's stage only in the fleet (instance types and zones from the game day's
//! lists, at most its number of instances in all) and in the `deploymentConfiguration` and
//! `placementStrategy` of the services the game day names; its name, description, duration
//! and assertions are not read (they change nothing in the run). Anything else changed is a
//! problem naming its path and the game day's value; a timeline is refused, because the
//! campaign is the game day's timeline.

use super::check::GameDay;
use super::shape::FleetLimits;
use crate::problem::{join_path, Problem};
use crate::scenario::{FleetEntry, Scenario};
use serde_json::Value;

/// The most problems one policy check reports (a policy of another scenario differs
/// everywhere; the first ones say enough).
pub const POLICY_PROBLEMS_MAX: usize = 20;

/// The scenario the game day runs for `policy`: the stage with the learner's fleet and the
/// learner's deployment configuration and placement strategy of each service they may set;
/// or every change the game day does not allow, with its path.
pub fn check_policy(gameday: &GameDay, policy: &Scenario) -> Result<Scenario, Vec<Problem>> {
    let mut problems = fleet_problems(&gameday.fleet, &policy.fleet);
    if !policy.timeline.is_empty() {
        problems.push(Problem::new(
            "timeline",
            format!(
                "the campaign is the game day's timeline; remove the policy's {} timeline entr{}",
                policy.timeline.len(),
                if policy.timeline.len() == 1 {
                    "y"
                } else {
                    "ies"
                }
            ),
        ));
    }
    // The policy with everything it may change put back as the stage has it: what is left
    // must be the stage.
    let mut unchanged = policy.clone();
    unchanged.name.clone_from(&gameday.stage.name);
    unchanged.description.clone_from(&gameday.stage.description);
    unchanged.duration.clone_from(&gameday.stage.duration);
    unchanged.assertions.clone_from(&gameday.stage.assertions);
    unchanged.timeline.clone_from(&gameday.stage.timeline);
    unchanged.fleet.clone_from(&gameday.stage.fleet);
    let mut run = gameday.stage.clone();
    run.fleet.clone_from(&policy.fleet);
    for name in &gameday.services {
        let find = |scenario: &Scenario| {
            scenario
                .services
                .iter()
                .position(|s| s.service_name == *name)
        };
        let (Some(stage_at), Some(policy_at), Some(run_at)) =
            (find(&gameday.stage), find(&unchanged), find(&run))
        else {
            continue;
        };
        let stage_service = &gameday.stage.services[stage_at];
        let learner = &mut unchanged.services[policy_at];
        run.services[run_at]
            .deployment_configuration
            .clone_from(&learner.deployment_configuration);
        run.services[run_at]
            .placement_strategy
            .clone_from(&learner.placement_strategy);
        learner
            .deployment_configuration
            .clone_from(&stage_service.deployment_configuration);
        learner
            .placement_strategy
            .clone_from(&stage_service.placement_strategy);
    }
    // Through text and the one JSON parser, not `serde_json::to_value`: a second serializer
    // of every scenario type would cost the app ~KiB (see `json_pretty`).
    let as_value = |scenario: &Scenario| {
        serde_json::to_string(scenario)
            .ok()
            .and_then(|text| crate::json_input::parse_json(&text).ok())
            .unwrap_or(Value::Null)
    };
    differences(
        "",
        &as_value(&unchanged),
        &as_value(&gameday.stage),
        &mut problems,
    );
    problems.truncate(POLICY_PROBLEMS_MAX);
    if problems.is_empty() {
        Ok(run)
    } else {
        Err(problems)
    }
}

/// Fleet entries outside the game day's instance types and zones, and a fleet of more
/// instances than it allows.
pub fn fleet_problems(limits: &FleetLimits, fleet: &[FleetEntry]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, entry) in fleet.iter().enumerate() {
        for (field, value, allowed) in [
            ("instanceType", &entry.instance_type, &limits.instance_types),
            (
                "availabilityZone",
                &entry.availability_zone,
                &limits.availability_zones,
            ),
        ] {
            if !allowed.contains(value) {
                problems.push(Problem::new(
                    format!("fleet[{index}].{field}"),
                    format!(
                        "{} is not one the game day allows: {}",
                        crate::json_input::cut(value),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    let total: u64 = fleet.iter().map(|entry| u64::from(entry.count)).sum();
    if total > u64::from(limits.instances_max) {
        problems.push(Problem::new(
            "fleet",
            format!(
                "{total} instances; the game day allows at most {}",
                limits.instances_max
            ),
        ));
    }
    problems
}

/// Every place `policy` differs from `stage`, as problems (at most [`POLICY_PROBLEMS_MAX`]).
fn differences(path: &str, policy: &Value, stage: &Value, problems: &mut Vec<Problem>) {
    if problems.len() >= POLICY_PROBLEMS_MAX || policy == stage {
        return;
    }
    match (policy, stage) {
        (Value::Object(mine), Value::Object(theirs)) => {
            for (key, value) in theirs {
                let at = join_path(path, key);
                match mine.get(key) {
                    Some(other) => differences(&at, other, value, problems),
                    None => problems.push(Problem::new(
                        at,
                        format!(
                            "the game day does not let you remove this (it is {})",
                            shown(value)
                        ),
                    )),
                }
            }
            for key in mine.keys().filter(|key| !theirs.contains_key(*key)) {
                problems.push(Problem::new(
                    join_path(path, key),
                    "the game day does not let you set this",
                ));
            }
        }
        (Value::Array(mine), Value::Array(theirs)) if mine.len() == theirs.len() => {
            for (index, (a, b)) in mine.iter().zip(theirs).enumerate() {
                differences(&join_path(path, &format!("[{index}]")), a, b, problems);
            }
        }
        (Value::Array(mine), Value::Array(theirs)) => problems.push(Problem::new(
            path,
            format!(
                "{} entries; the game day has {} and does not let you add or remove any",
                mine.len(),
                theirs.len()
            ),
        )),
        _ => problems.push(Problem::new(
            path,
            format!(
                "the game day does not let you change this (it is {})",
                shown(stage)
            ),
        )),
    }
}

/// A value in a message: short ones as JSON, long ones cut.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= crate::json_input::QUOTED_CHARS_MAX {
        text
    } else {
        format!(
            "{}…",
            text.chars()
                .take(crate::json_input::QUOTED_CHARS_MAX)
                .collect::<String>()
        )
    }
}
