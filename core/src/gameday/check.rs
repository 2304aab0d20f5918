//! A game day file checked against its scenario, once, into a [`GameDay`] the runner, the CLI
//! and the app can trust: the scenario resolved (`builtin:NAME` or inline) and reduced to its
//! stage (no timeline, no assertions: the campaign is the game day's timeline); the run's
//! length readable and bounded; every campaign moment's time readable, in order and before the
//! run ends; every campaign action checked by the scenario compiler as a timeline entry at its
//! moment (its problems moved to `campaign[i].actions[j]`), every target naming a service; the
//! policy's services, instance types and zones real; the scoring's services, times and prices
//! sound; and the scenario's own fleet one the learner could have chosen (the starting policy
//! is a valid policy).

use super::policy::fleet_problems;
use super::shape::{CampaignAction, FleetLimits, GameDayFile, Required, ScoringFile};
use crate::lessons::{moved_to_step, resolve_scenario, BuiltinSource};
use crate::problem::Problem;
use crate::scenario::{self, Scenario, TimelineEntry};
use crate::time::{format_duration, parse_duration, SimTime};
use std::collections::BTreeMap;

/// The longest game day: a day of simulated time (a campaign is minutes long; the run bound
/// stops a crash loop long before a day).
pub const RUN_MS_MAX: u64 = 24 * 3600 * 1000;
/// The most instances a game day's fleet may allow.
pub const INSTANCES_MAX: u32 = 1_000;
/// The most points a game day may give.
pub const POINTS_MAX: u32 = 10_000;

/// A checked game day: everything the runner needs, nothing left to parse.
#[derive(Clone, Debug)]
pub struct GameDay {
    pub title: String,
    pub briefing: String,
    /// `builtin:NAME`, or `inline` for a scenario written in the game day file.
    pub scenario_source: String,
    /// The stage: the scenario without its timeline and assertions (the policy the learner
    /// starts from).
    pub stage: Scenario,
    /// What the learner may change.
    pub services: Vec<String>,
    pub fleet: FleetLimits,
    pub campaign: Vec<Moment>,
    /// When the run ends.
    pub run_until: SimTime,
    pub scoring: Scoring,
}

/// One moment of the campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    pub at: SimTime,
    pub name: String,
    pub actions: Vec<CampaignAction>,
}

/// The scoring, checked (see `shape::ScoringFile` for each member's meaning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scoring {
    pub points: u32,
    pub required: Vec<Required>,
    pub from: SimTime,
    pub points_per_missing_task_minute: u32,
    pub points_per_failed_launch: u32,
    pub points_per_instance_hour: BTreeMap<String, u32>,
    pub pass_score: Option<u32>,
}

/// Checks a game day file's meaning against its scenario: every problem with its path.
pub fn check_gameday(file: GameDayFile) -> Result<GameDay, Vec<Problem>> {
    check_gameday_with(file, &crate::builtin::json_of)
}

/// [`check_gameday`] with the built-in scenarios' texts from `builtins` (the app fetches them).
pub fn check_gameday_with(
    file: GameDayFile,
    builtins: BuiltinSource,
) -> Result<GameDay, Vec<Problem>> {
    let (scenario_source, mut stage) = resolve_scenario(&file.scenario, builtins)?;
    stage.timeline.clear();
    stage.assertions.clear();
    let mut problems = Vec::new();
    let time = |path: &str, text: &str, problems: &mut Vec<Problem>| match parse_duration(text) {
        Ok(ms) => Some(ms),
        Err(message) => {
            problems.push(Problem::new(path, message));
            None
        }
    };

    // The run's length.
    let run_until = match time("runUntil", &file.run_until, &mut problems) {
        Some(0) => {
            problems.push(Problem::new("runUntil", "must be after 0s"));
            None
        }
        Some(ms) if ms > RUN_MS_MAX => {
            problems.push(Problem::new(
                "runUntil",
                format!(
                    "{} is longer than a game day may run ({})",
                    format_duration(ms),
                    format_duration(RUN_MS_MAX)
                ),
            ));
            None
        }
        other => other,
    };

    // The campaign: in order, before the end, its actions checked as timeline entries.
    let mut campaign = Vec::with_capacity(file.campaign.len());
    let mut previous = 0;
    let mut with_actions = stage.clone();
    let mut places = Vec::new();
    for (index, entry) in file.campaign.iter().enumerate() {
        let path = format!("campaign[{index}].at");
        let Some(at) = time(&path, &entry.at, &mut problems) else {
            continue;
        };
        if at < previous {
            problems.push(Problem::new(
                path,
                format!(
                    "{} is before the previous moment's {}; list the campaign in time order",
                    format_duration(at),
                    format_duration(previous)
                ),
            ));
        } else if run_until.is_some_and(|end| at >= end) {
            problems.push(Problem::new(
                path,
                format!(
                    "{} is not before the run ends at {}",
                    format_duration(at),
                    file.run_until
                ),
            ));
        }
        previous = previous.max(at);
        for (a, campaign_action) in entry.actions.iter().enumerate() {
            places.push(format!("campaign[{index}].actions[{a}]"));
            with_actions.timeline.push(TimelineEntry {
                at: format_duration(at),
                action: campaign_action.action.clone(),
            });
            if let Some(target) = &campaign_action.target {
                if !has_service(&stage, &target.most_tasks_of) {
                    let field = target_field(&campaign_action.action);
                    problems.push(Problem::new(
                        format!("campaign[{index}].actions[{a}].{field}.mostTasksOf"),
                        no_service(&stage, &target.most_tasks_of),
                    ));
                }
            }
        }
        campaign.push(Moment {
            at: SimTime(at),
            name: entry.name.clone(),
            actions: entry.actions.clone(),
        });
    }
    for problem in scenario::validate(&with_actions) {
        problems.push(moved_to_step(problem, &places));
    }

    // The policy: services that exist, types and zones that do.
    for (index, name) in file.policy.services.iter().enumerate() {
        if !has_service(&stage, name) {
            problems.push(Problem::new(
                format!("policy.services[{index}]"),
                no_service(&stage, name),
            ));
        }
    }
    let limits = &file.policy.fleet;
    for (index, name) in limits.instance_types.iter().enumerate() {
        if crate::catalogue::lookup(name).is_none() {
            problems.push(Problem::new(
                format!("policy.fleet.instanceTypes[{index}]"),
                format!("unknown instance type {}", crate::json_input::cut(name)),
            ));
        } else if !file.scoring.points_per_instance_hour.contains_key(name) {
            problems.push(Problem::new(
                format!("policy.fleet.instanceTypes[{index}]"),
                format!(
                    "{} has no price in scoring.pointsPerInstanceHour",
                    crate::json_input::cut(name)
                ),
            ));
        }
    }
    for (field, empty) in [
        ("instanceTypes", limits.instance_types.is_empty()),
        ("availabilityZones", limits.availability_zones.is_empty()),
    ] {
        if empty {
            problems.push(Problem::new(
                format!("policy.fleet.{field}"),
                "name at least one",
            ));
        }
    }
    for (index, zone) in limits.availability_zones.iter().enumerate() {
        if zone.trim().is_empty() {
            problems.push(Problem::new(
                format!("policy.fleet.availabilityZones[{index}]"),
                "must not be empty",
            ));
        }
    }
    if limits.instances_max == 0 || limits.instances_max > INSTANCES_MAX {
        problems.push(Problem::new(
            "policy.fleet.instancesMax",
            format!("must be from 1 to {INSTANCES_MAX}"),
        ));
    }
    // The starting fleet is one the learner could have chosen.
    if problems.is_empty() {
        for problem in fleet_problems(limits, &stage.fleet) {
            problems.push(problem.under("scenario"));
        }
    }

    let scoring = scoring(&file.scoring, &stage, run_until, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(GameDay {
        title: file.title,
        briefing: file.briefing,
        scenario_source,
        stage,
        services: file.policy.services,
        fleet: file.policy.fleet,
        campaign,
        run_until: SimTime(run_until.unwrap_or(0)),
        scoring: scoring.expect("no problems, so the scoring checked"),
    })
}

/// The scoring's services, times, points and prices.
fn scoring(
    file: &ScoringFile,
    stage: &Scenario,
    run_until: Option<u64>,
    problems: &mut Vec<Problem>,
) -> Option<Scoring> {
    let before = problems.len();
    if file.points == 0 || file.points > POINTS_MAX {
        problems.push(Problem::new(
            "scoring.points",
            format!("must be from 1 to {POINTS_MAX}"),
        ));
    }
    if file.pass_score.is_some_and(|pass| pass > file.points) {
        problems.push(Problem::new(
            "scoring.passScore",
            format!("is more than the {} points a run can score", file.points),
        ));
    }
    if file.required.is_empty() {
        problems.push(Problem::new(
            "scoring.required",
            "name at least one service and the healthy tasks it needs",
        ));
    }
    for (index, required) in file.required.iter().enumerate() {
        let path = |field: &str| format!("scoring.required[{index}].{field}");
        let Some(service) = stage
            .services
            .iter()
            .find(|s| s.service_name == required.service)
        else {
            problems.push(Problem::new(
                path("service"),
                no_service(stage, &required.service),
            ));
            continue;
        };
        let desired = service.desired_count.unwrap_or(0);
        if required.healthy_tasks == 0 || required.healthy_tasks > desired {
            problems.push(Problem::new(
                path("healthyTasks"),
                format!(
                    "must be from 1 to {}'s desiredCount of {desired}",
                    required.service
                ),
            ));
        }
    }
    let from = match file.from.as_deref().map(parse_duration) {
        None => 0,
        Some(Err(message)) => {
            problems.push(Problem::new("scoring.from", message));
            0
        }
        Some(Ok(ms)) if run_until.is_some_and(|end| ms >= end) => {
            problems.push(Problem::new(
                "scoring.from",
                format!("{} is not before the run ends", format_duration(ms)),
            ));
            0
        }
        Some(Ok(ms)) => ms,
    };
    for name in file.points_per_instance_hour.keys() {
        if crate::catalogue::lookup(name).is_none() {
            problems.push(Problem::new(
                format!("scoring.pointsPerInstanceHour.{name}"),
                "unknown instance type",
            ));
        }
    }
    (problems.len() == before).then(|| Scoring {
        points: file.points,
        required: file.required.clone(),
        from: SimTime(from),
        points_per_missing_task_minute: file.points_per_missing_task_minute,
        points_per_failed_launch: file.points_per_failed_launch,
        points_per_instance_hour: file.points_per_instance_hour.clone(),
        pass_score: file.pass_score,
    })
}

fn has_service(stage: &Scenario, name: &str) -> bool {
    stage.services.iter().any(|s| s.service_name == name)
}

fn no_service(stage: &Scenario, name: &str) -> String {
    let names: Vec<&str> = stage
        .services
        .iter()
        .map(|s| s.service_name.as_str())
        .collect();
    format!(
        "no service named {}; services: {}",
        crate::json_input::cut(name),
        names.join(", ")
    )
}

/// The member of an action a target stands in.
fn target_field(action: &crate::action::Action) -> &'static str {
    match action {
        crate::action::Action::FailAvailabilityZone { .. } => {
            "failAvailabilityZone.availabilityZone"
        }
        crate::action::Action::TerminateInstance { .. } => "terminateInstance.instance",
        _ => "drainInstance.instance",
    }
}
