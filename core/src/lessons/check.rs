//! A lesson file checked against its scenario, once, into a [`Lesson`] the runner and the UI
//! can trust: the scenario resolved (`builtin:NAME` or inline) and reduced to its stage (no
//! timeline, no assertions: the steps are the lesson's timeline); every step's time readable,
//! after the previous step's and within the scenario's horizon; every "show me" action
//! checked by the scenario compiler as if it were a timeline entry at the step's start (its
//! problems moved from `timeline[k]` to `steps[i].showMe[j]`); every check sentence compiled by
//! the assertion language with the scenario's names (its column in the message) and decided by
//! the step's end; every watch target naming something the scenario has.

use super::shape::{LessonFile, ScenarioSource, StepFile, Watch};
use crate::action::Action;
use crate::assertions::{self, Assertion};
use crate::builtin;
use crate::problem::Problem;
use crate::scenario::{self, Scenario, TimelineEntry};
use crate::time::{format_duration, parse_duration, SimTime};
use crate::world::World;

/// A checked lesson: everything the runner needs, nothing left to parse.
#[derive(Clone, Debug)]
pub struct Lesson {
    pub title: String,
    pub teaches: String,
    /// `builtin:NAME`, or `inline` for a scenario written in the lesson file.
    pub scenario_source: String,
    /// The stage: the scenario without its timeline and assertions (what "restart" goes back
    /// to at time zero).
    pub scenario: Scenario,
    /// The scenario's run horizon; no step runs past it.
    pub horizon: SimTime,
    pub steps: Vec<Step>,
}

/// A checked step.
#[derive(Clone, Debug)]
pub struct Step {
    pub instruction: String,
    pub watch: Vec<Watch>,
    pub show_me: Vec<Action>,
    /// When the step starts: 0 for the first, the previous step's `run_until` after that.
    pub starts_at: SimTime,
    pub run_until: SimTime,
    /// The check as written, and compiled.
    pub check_text: String,
    pub check: Assertion,
    pub hint: String,
    pub explanation: String,
    pub references: Vec<String>,
}

/// Where the text of a `builtin:NAME` scenario comes from: `None` for a name that is no
/// built-in. The CLI and tests read the compiled-in files ([`builtin::json_of`]); the app
/// fetches the one file a lesson or game day names, so its wasm carries only the default.
pub type BuiltinSource<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Checks a lesson file's meaning against its scenario: every problem with its path.
pub fn check_lesson(file: LessonFile) -> Result<Lesson, Vec<Problem>> {
    check_lesson_with(file, &builtin::json_of)
}

/// [`check_lesson`] with the built-in scenarios' texts from `builtins`.
pub fn check_lesson_with(
    file: LessonFile,
    builtins: BuiltinSource,
) -> Result<Lesson, Vec<Problem>> {
    let (scenario_source, scenario) = resolve_scenario(&file.scenario, builtins)?;
    let mut stage = scenario;
    stage.timeline.clear();
    stage.assertions.clear();
    let horizon = stage.horizon();
    let mut problems = Vec::new();

    // Times: each step starts where the previous one ended.
    let mut starts = Vec::with_capacity(file.steps.len());
    let mut ends = Vec::with_capacity(file.steps.len());
    // Steps whose own time is wrong: their check's deadline is not judged against it.
    let mut bad_ends = Vec::new();
    let mut start = SimTime::ZERO;
    for (index, step) in file.steps.iter().enumerate() {
        let path = format!("steps[{index}].runUntil");
        starts.push(start);
        let end = match parse_duration(&step.run_until) {
            Err(message) => {
                problems.push(Problem::new(path, message));
                bad_ends.push(index);
                start
            }
            Ok(ms) if SimTime(ms) > horizon => {
                problems.push(Problem::new(
                    path,
                    format!(
                        "{} is past the scenario's horizon of {}",
                        format_duration(ms),
                        format_duration(horizon.as_ms())
                    ),
                ));
                bad_ends.push(index);
                start
            }
            Ok(ms) if SimTime(ms) <= start => {
                problems.push(Problem::new(
                    path,
                    format!(
                        "{} is not after the step's start at {}; a step runs forward",
                        format_duration(ms),
                        format_duration(start.as_ms())
                    ),
                ));
                bad_ends.push(index);
                start
            }
            Ok(ms) => SimTime(ms),
        };
        ends.push(end);
        start = end;
    }

    // Actions: the scenario compiler checks them as timeline entries at each step's start.
    let with_actions = stage_with_actions(&stage, &file.steps, &starts);
    let mut places = Vec::new();
    for (index, step) in file.steps.iter().enumerate() {
        for action in 0..step.show_me.len() {
            places.push(format!("steps[{index}].showMe[{action}]"));
        }
    }
    for problem in scenario::validate(&with_actions) {
        problems.push(moved_to_step(problem, &places));
    }

    // Checks: sentences with the scenario's names (the lesson's runTask groups included).
    let names = scenario::assertion_names(&with_actions);
    let mut checks = Vec::with_capacity(file.steps.len());
    for (index, step) in file.steps.iter().enumerate() {
        let path = format!("steps[{index}].check");
        match assertions::parse(&step.check, &names) {
            Err(error) => problems.push(Problem::new(path, error.to_string())),
            Ok(claim) => {
                let needs = claim.needs_until().filter(|needs| *needs > ends[index]);
                if let Some(needs) = needs.filter(|_| !bad_ends.contains(&index)) {
                    problems.push(Problem::new(
                        path,
                        format!(
                            "needs the run to reach {}; the step runs until {}",
                            format_duration(needs.as_ms()),
                            format_duration(ends[index].as_ms())
                        ),
                    ));
                }
                checks.push(Assertion { name: None, claim });
            }
        }
    }

    // Watch targets: things the scenario has.
    problems.extend(watch_problems(&stage, &file.steps));

    if !problems.is_empty() {
        return Err(problems);
    }
    let steps = file
        .steps
        .into_iter()
        .zip(checks)
        .enumerate()
        .map(|(index, (step, check))| Step {
            instruction: step.instruction,
            watch: step.watch,
            show_me: step.show_me,
            starts_at: starts[index],
            run_until: ends[index],
            check_text: step.check,
            check,
            hint: step.hint,
            explanation: step.explanation,
            references: step.references,
        })
        .collect();
    Ok(Lesson {
        title: file.title,
        teaches: file.teaches,
        scenario_source,
        scenario: stage,
        horizon,
        steps,
    })
}

/// The scenario a lesson (or a game day) names, with problems under `scenario`.
pub(crate) fn resolve_scenario(
    source: &ScenarioSource,
    builtins: BuiltinSource,
) -> Result<(String, Scenario), Vec<Problem>> {
    let under = |problems: Vec<Problem>| -> Vec<Problem> {
        problems.into_iter().map(|p| p.under("scenario")).collect()
    };
    match source {
        ScenarioSource::Builtin(text) => {
            let Some(id) = text.strip_prefix("builtin:") else {
                return Err(vec![Problem::new(
                    "scenario",
                    format!(
                        "expected \"builtin:NAME\" or a scenario object, found the string {}",
                        crate::json_input::cut(text)
                    ),
                )]);
            };
            let Some(json) = builtins(id) else {
                let names: Vec<&str> = builtin::BUILTIN_NAMES.iter().map(|(id, _)| *id).collect();
                return Err(vec![Problem::new(
                    "scenario",
                    format!(
                        "no built-in scenario named {}; built-ins: {}",
                        crate::json_input::cut(id),
                        names.join(", ")
                    ),
                )]);
            };
            let scenario = scenario::parse_scenario(&json).map_err(under)?;
            Ok((text.clone(), scenario))
        }
        ScenarioSource::Inline(value) => {
            let scenario = scenario::from_value(value.clone()).map_err(under)?;
            Ok(("inline".into(), scenario))
        }
    }
}

/// The stage with every step's "show me" actions as timeline entries at the step's start.
pub(super) fn stage_with_actions(
    stage: &Scenario,
    steps: &[StepFile],
    starts: &[SimTime],
) -> Scenario {
    let mut scenario = stage.clone();
    for (step, start) in steps.iter().zip(starts) {
        for action in &step.show_me {
            scenario.timeline.push(TimelineEntry {
                at: format_duration(start.as_ms()),
                action: action.clone(),
            });
        }
    }
    scenario
}

/// A compiler problem at `timeline[k]…` said at the place its action came from (`places[k]`:
/// a lesson step's `steps[i].showMe[j]`, a game day's `campaign[i].actions[j]`).
pub(crate) fn moved_to_step(problem: Problem, places: &[String]) -> Problem {
    let Some(rest) = problem.path.strip_prefix("timeline[") else {
        return problem.under("scenario");
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return problem;
    };
    let Some(place) = index.parse::<usize>().ok().and_then(|k| places.get(k)) else {
        return problem;
    };
    let tail = tail.strip_prefix(".action").unwrap_or(tail);
    let tail = tail.strip_prefix('.').unwrap_or(tail);
    Problem::new(crate::problem::join_path(place, tail), problem.message)
}

fn watch_problems(stage: &Scenario, steps: &[StepFile]) -> Vec<Problem> {
    let services: Vec<&str> = stage
        .services
        .iter()
        .map(|s| s.service_name.as_str())
        .collect();
    let mut zones: Vec<&str> = Vec::new();
    for entry in &stage.fleet {
        if !zones.contains(&entry.availability_zone.as_str()) {
            zones.push(entry.availability_zone.as_str());
        }
    }
    // The instances' ids as the world gives them (the stage compiled above).
    let instances: Vec<String> = World::new(stage)
        .map(|world| {
            world
                .instances()
                .iter()
                .map(|i| i.ec2_instance_id.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        for (w, watch) in step.watch.iter().enumerate() {
            let path = |field: &str| format!("steps[{index}].watch[{w}].{field}");
            match watch {
                Watch::Service(name)
                | Watch::DeploymentChart(name)
                | Watch::PlacementExplainer(name)
                    if !services.contains(&name.as_str()) =>
                {
                    let field = match watch {
                        Watch::Service(_) => "service",
                        Watch::DeploymentChart(_) => "deploymentChart",
                        _ => "placementExplainer",
                    };
                    problems.push(Problem::new(
                        path(field),
                        format!(
                            "no service named {}; services: {}",
                            crate::json_input::cut(name),
                            services.join(", ")
                        ),
                    ));
                }
                Watch::Instance(id) if !instances.contains(id) => {
                    problems.push(Problem::new(
                        path("instance"),
                        format!(
                            "no container instance with EC2 instance id {} in the fleet",
                            crate::json_input::cut(id)
                        ),
                    ));
                }
                Watch::InstanceIndex(n) if *n as usize >= instances.len() => {
                    problems.push(Problem::new(
                        path("instanceIndex"),
                        format!(
                            "{n} is past the fleet's last instance; the fleet has {} (0 is the first)",
                            instances.len()
                        ),
                    ));
                }
                Watch::AvailabilityZone(zone) if !zones.contains(&zone.as_str()) => {
                    problems.push(Problem::new(
                        path("availabilityZone"),
                        format!(
                            "no Availability Zone {} in the fleet; zones: {}",
                            crate::json_input::cut(zone),
                            zones.join(", ")
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
    problems
}
