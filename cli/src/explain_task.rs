//! `flotilla explain --task ID` and `--run-task N`: why tasks went where they are, through the
//! core's session (`Session::explain_task`), the same mechanism as the app's "Why here?": the
//! run is replayed from its latest checkpoint before the task with a placement probe on it, so
//! a service task and a RunTask/StartTask task are explained alike, and the world never keeps
//! explanations it was not asked for.

use flotilla_core::cluster::{ContainerInstance, InstanceId};
use flotilla_core::placement::{self, PlacementDecision, PlacementRequest};
use flotilla_core::rng::SimRng;
use flotilla_core::session::Session;
use flotilla_core::task::TaskId;
use flotilla_core::{SimTime, World};
use std::process::ExitCode;

/// `--task ID`: where the task was placed and why, at `at` (default: the scenario's horizon).
pub fn explain_task(file: &str, at: Option<SimTime>, task: &str) -> ExitCode {
    let Some(id) = parse_task_id(task) else {
        return crate::usage_error(&format!("--task: \"{task}\" is not a task id (t7, or 7)"));
    };
    let session = match session_at(file, at) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let world = session.world();
    let Some(task) = world.tasks().get(id.0 as usize) else {
        eprintln!(
            "{file}: no task {id} by {}; the run launched {} tasks (t0 to t{})",
            world.now(),
            world.tasks().len(),
            world.tasks().len().saturating_sub(1)
        );
        return ExitCode::from(1);
    };
    let owner = task.service.map_or(format!("group {}", task.group), |s| {
        format!("service {}", world.service(s).name)
    });
    outln!(
        "task {id} ({owner}, {}) placed at {} on {}",
        task.task_definition,
        task.placed_at,
        instance_label(world.instances(), task.instance)
    );
    match session.explain_task(id) {
        Some(decision) => print_decision(world, &decision),
        None => outln!(
            "not chosen by the placement engine: a DAEMON service runs one task on every \
             instance that meets its constraints"
        ),
    }
    ExitCode::SUCCESS
}

/// `--run-task N`: the N-th RunTask/StartTask call (0-based): each started task's decision
/// replayed, then `failures[]`, the first unplaced task's decision and the counterfactuals.
pub fn explain_run_task(file: &str, at: Option<SimTime>, index: usize) -> ExitCode {
    let session = match session_at(file, at) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let world = session.world();
    let Some(batch) = world.batches().get(index) else {
        eprintln!(
            "{file}: the run has {} RunTask/StartTask calls by {}; --run-task counts from 0",
            world.batches().len(),
            world.now()
        );
        return ExitCode::from(1);
    };
    outln!("{} at {}", batch.label, batch.at);
    for (n, task) in batch.started.iter().enumerate() {
        outln!("task {} of {} started, {task}:", n + 1, batch.started.len());
        match session.explain_task(*task) {
            Some(decision) => print_decision(world, &decision),
            None => outln!("  (its placement could not be replayed)"),
        }
    }
    if !batch.failures.is_empty() {
        outln!("failures:");
        for failure in batch.failures.iter() {
            outln!(
                "  {{\"arn\": \"{}\", \"reason\": \"{}\"}}",
                failure.arn,
                failure.reason
            );
        }
    }
    let Some((instances, tasks)) = world.cluster_at_failure(batch) else {
        return ExitCode::SUCCESS;
    };
    let (instances, tasks) = (&instances, &tasks);
    let request = PlacementRequest {
        requirements: &batch.requirements,
        group: &batch.group,
        constraints: &batch.constraints,
        strategies: &batch.strategies,
        subnet_zones: &batch.subnet_zones,
    };
    // RunTask always ranks with at least its default strategy; StartTask names its instances
    // and applies none (§1.2), so its failures[] above already say why per instance. A failed
    // placement draws nothing, so any RNG gives the decision as it was made; and as nothing was
    // launched by it, every later task of the call met the same cluster.
    if !batch.strategies.is_empty() {
        let decision = placement::place(instances, &request, &mut SimRng::from_seed(0));
        outln!("first task not placed (the ones after it met the same cluster):");
        let labels = |id: InstanceId| instance_label(instances, id);
        out!("{}", decision.explanation.render(&labels));
    }
    crate::explain::print_suggestions(&flotilla_core::counterfactual::suggest(
        instances, tasks, &request,
    ));
    ExitCode::SUCCESS
}

/// A task id as the trace writes it (`t7`) or its number alone.
pub fn parse_task_id(text: &str) -> Option<TaskId> {
    let digits = text.strip_prefix('t').unwrap_or(text);
    digits.parse().ok().map(TaskId)
}

/// A session run to `at`, or to the scenario's horizon (its `duration`); a plain run to the same
/// moment first, so a run that hits a run bound is reported before the session replays.
fn session_at(file: &str, at: Option<SimTime>) -> Result<Session, ExitCode> {
    let (scenario, mut probe) = crate::load::load_world(file)?;
    let report = match at {
        Some(at) => probe.run_until(at),
        None => probe.run_until(scenario.horizon()),
    };
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(file, &probe, bound));
        return Err(ExitCode::from(4));
    }
    let mut session = Session::new(scenario).map_err(|errors| {
        eprintln!("{file}: {errors}");
        ExitCode::from(1)
    })?;
    session.run_until(probe.now());
    Ok(session)
}

fn print_decision(world: &World, decision: &PlacementDecision) {
    // Names come from the current cluster: instances are never removed, only deregistered.
    let instances = world.instances();
    out!(
        "{}",
        decision
            .explanation
            .render(&|id| instance_label(instances, id))
    );
}

/// `i-0abc… (m5.large, us-east-1a)`: how explanations name an instance.
pub(crate) fn instance_label(instances: &[ContainerInstance], id: InstanceId) -> String {
    let instance = &instances[id.0 as usize];
    format!(
        "{} ({}, {})",
        instance.ec2_instance_id, instance.instance_type.name, instance.availability_zone
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_id_is_read_as_the_trace_writes_it_or_as_its_number() {
        assert_eq!(parse_task_id("t7"), Some(TaskId(7)));
        assert_eq!(parse_task_id("12"), Some(TaskId(12)));
        for bad in ["", "t", "tt1", "t-1", "x1", "t1.5"] {
            assert_eq!(parse_task_id(bad), None, "{bad}");
        }
    }
}
