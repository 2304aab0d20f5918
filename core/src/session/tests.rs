//! The session's tests, native. The property: whatever sequence of inputs, seeks, rewinds and
//! handed-over jumps (snapshots, waypoints) the user makes, the world the session shows is the
//! world a fresh replay of its tape gives — the same trace and the same snapshot fingerprint —
//! and "Why here?" names the instance each task is on. Cases come from a seeded generator
//! (`SimRng`); a failure prints the seed and the commands (`FLOTILLA_SESSION_SEED=N` reruns one
//! case, `FLOTILLA_SESSION_CASES=N` runs more).

use super::{Op, Session, CHECKPOINT_EVERY_OPS};
use crate::action::UpdateService;
use crate::rng::SimRng;
use crate::world::snapshot_fingerprint;
use crate::{builtin, parse_scenario, Action, DecisionStop, Scenario, SimTime, SliceEnd, World};

/// Random cases per run, and commands per case.
const CASES_DEFAULT: u64 = 24;
const COMMANDS_PER_CASE: u32 = 28;
/// Scenarios the cases draw from (small enough to replay from scratch after every command).
const SCENARIOS: &[&str] = &["microservices", "batch-jobs", "rolling-fast", "cicd"];
/// Simulated time a case stays within.
const HORIZON_MS: u32 = 12 * 60 * 1000;

#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn seeking_anywhere_equals_a_fresh_replay_of_the_tape() {
    let seeds: Vec<u64> = match std::env::var("FLOTILLA_SESSION_SEED") {
        Ok(seed) => vec![seed.parse().expect("FLOTILLA_SESSION_SEED is a number")],
        Err(_) => {
            let cases = std::env::var("FLOTILLA_SESSION_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(CASES_DEFAULT);
            (0..cases).collect()
        }
    };
    for seed in seeds {
        let mut commands = Vec::new();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_case(seed, &mut commands);
        }));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!(
                "session property failed for seed {seed} (rerun with FLOTILLA_SESSION_SEED={seed}): {message}\ncommands:\n  {}",
                commands.join("\n  ")
            );
        }
    }
}

#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn rewind_and_replay_give_the_identical_run() {
    let scenario = builtin_scenario("microservices");
    let mut run = Session::new(scenario.clone()).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..25 {
        run.step();
    }
    run.run_until(SimTime::from_secs(90));
    let scale = Action::UpdateService(UpdateService {
        service: "order".into(),
        desired_count: Some(5),
        ..UpdateService::default()
    });
    run.apply(scale).unwrap_or_else(|e| panic!("{e}"));
    for seconds in (95..=240).step_by(5) {
        run.run_until(SimTime::from_secs(seconds));
    }
    let at_4m = run.world().trace();

    for back in [0, 30, 89, 90, 91, 200] {
        run.seek(SimTime::from_secs(back));
        assert_eq!(run.world().now(), SimTime::from_secs(back));
        assert!(
            at_4m.starts_with(&run.world().trace()),
            "rewound to {back}s: not a prefix"
        );
        run.seek(SimTime::from_secs(240));
        assert_eq!(
            run.world().trace(),
            at_4m,
            "back to 4m after visiting {back}s"
        );
    }
    for _ in 0..10 {
        run.step_back();
    }
    run.seek(SimTime::from_secs(240));
    assert_eq!(run.world().trace(), at_4m, "after stepping back");

    let mut fresh = Session::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    for op in run.tape_to_cursor() {
        fresh.exec(&op).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(
        fresh.world().trace(),
        at_4m,
        "a saved tape replays to the same run"
    );

    // Acting before the action cuts it off: the rest of the run no longer has it.
    run.seek(SimTime::from_secs(60));
    assert_eq!(run.actions().len(), 1);
    assert!(run.actions()[0].ahead);
    run.step();
    assert!(run.actions().is_empty());
}

#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn next_decision_is_one_input_that_step_back_undoes_and_a_tape_replays() {
    let scenario = builtin_scenario("microservices");
    let mut run = Session::new(scenario.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut traces = vec![run.world().trace()];
    for _ in 0..6 {
        let report = run.step_to_next_decision();
        assert_eq!(report.stop, DecisionStop::Decision);
        traces.push(run.world().trace());
    }
    for expected in traces.iter().rev().skip(1).take(3) {
        run.step_back();
        assert_eq!(
            &run.world().trace(),
            expected,
            "one step back per Next decision"
        );
    }
    run.run_until(SimTime::from_secs(200));
    run.step_to_next_decision();
    let here = run.world().trace();
    let mut fresh = Session::new(scenario).unwrap_or_else(|e| panic!("{e}"));
    for op in run.tape_to_cursor() {
        fresh.exec(&op).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(
        fresh.world().trace(),
        here,
        "a saved tape with Next decision replays"
    );
}

#[test]
fn why_here_names_the_instance_of_a_service_task_and_of_a_run_task() {
    let mut session =
        Session::new(builtin_scenario("batch-jobs")).unwrap_or_else(|e| panic!("{e}"));
    session.run_until(SimTime::from_secs(240));
    let world = session.world();
    let standalone = world
        .tasks()
        .iter()
        .find(|t| t.service.is_none())
        .expect("batch-jobs runs RunTask");
    let service_task = world
        .tasks()
        .iter()
        .find(|t| t.service.is_some())
        .expect("batch-jobs has a service");
    for task in [standalone, service_task] {
        let decision = session
            .explain_task(task.id)
            .unwrap_or_else(|| panic!("{} is explained", task.id));
        assert_eq!(decision.chosen, Some(task.instance), "{}", task.id);
    }
    let unknown = crate::task::TaskId(world.tasks().len() as u32 + 5);
    assert!(session.explain_task(unknown).is_none());
}

// ---- the property ------------------------------------------------------------------------------

/// One random case: a scenario, then commands, checking the session after each.
/// Checkpoints past their byte bound are thinned, the start and the newest kept, and the run
/// stays exact (a rewind replays more, nothing else changes).
#[test]
fn checkpoints_stay_within_their_byte_bound_and_keep_the_newest() {
    let scenario = builtin_scenario("microservices");
    let start = Session::new(scenario.clone()).expect("session");
    let bound = start.marks[0].checkpoint.bytes_estimate() * 4;
    let mut unbounded = start.clone();
    let mut bounded = start.with_checkpoint_bytes_max(bound);
    for _ in 0..600 {
        unbounded.step();
        bounded.step();
    }
    let bytes: u64 = (bounded.marks.iter())
        .map(|m| m.checkpoint.bytes_estimate())
        .sum();
    assert!(
        bytes <= bound || bounded.marks.len() == 2,
        "{} marks hold {bytes} bytes against {bound}",
        bounded.marks.len()
    );
    assert!(
        bounded.marks.len() < unbounded.marks.len(),
        "the bound thinned the marks: {} against {}",
        bounded.marks.len(),
        unbounded.marks.len()
    );
    assert_eq!(bounded.marks[0].index, 0, "the start is kept");
    let newest = bounded.marks.last().expect("marks").index;
    assert!(
        bounded.cursor - newest <= CHECKPOINT_EVERY_OPS,
        "the newest mark ({newest}) is near the cursor ({})",
        bounded.cursor
    );
    check_session(&scenario, &bounded);
    for secs in [30, 400, 90] {
        bounded.seek(SimTime::from_secs(secs));
        unbounded.seek(SimTime::from_secs(secs));
        assert_same_world(
            bounded.world(),
            unbounded.world(),
            "rewound with fewer marks",
        );
    }
    check_session(&scenario, &bounded);
}

fn run_case(seed: u64, commands: &mut Vec<String>) {
    let mut rng = SimRng::from_seed(seed);
    let name = SCENARIOS[rng.below(SCENARIOS.len() as u32) as usize];
    commands.push(format!("scenario {name}"));
    let scenario = builtin_scenario(name);
    let mut session = Session::new(scenario.clone()).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..COMMANDS_PER_CASE {
        let tape_before = (session.tape.clone(), session.ends.clone());
        let command = rng.below(100);
        match command {
            0..=14 => {
                commands.push("step".into());
                session.step();
            }
            15..=24 => {
                commands.push("next decision".into());
                session.step_to_next_decision();
            }
            25..=39 => {
                let at = random_time(&mut rng, &session);
                commands.push(format!("run until {at}"));
                session.run_until(at);
            }
            40..=54 => {
                let action = random_action(&mut rng, session.world());
                commands.push(format!("apply {action:?}"));
                let _ = session.apply(action);
            }
            55..=74 => {
                let at = random_time(&mut rng, &session);
                commands.push(format!("seek {at}"));
                session.seek(at);
                check_seek(&scenario, &session, at, &tape_before);
            }
            75..=86 => {
                let at = random_time(&mut rng, &session);
                commands.push(format!("jump {at}"));
                jump(&mut rng, &mut session, at);
                check_seek(&scenario, &session, at, &tape_before);
            }
            87..=93 => {
                commands.push("step back".into());
                session.step_back();
            }
            94..=96 => {
                commands.push("rewind to start".into());
                session.rewind_to_start();
                assert_eq!(session.world().now(), SimTime::ZERO);
            }
            _ => {
                commands.push("explain tasks".into());
                check_explanations(&mut rng, &session);
            }
        }
        check_session(&scenario, &session);
    }
}

/// The session's world is the tape up to the cursor replayed on a fresh world (and run on to
/// the seek's time), and a saved tape replays to it too.
fn check_session(scenario: &Scenario, session: &Session) {
    assert_eq!(session.tape.len(), session.ends.len());
    assert!(session.ends.windows(2).all(|w| w[0] <= w[1]), "ends ascend");
    assert!(session.cursor <= session.tape.len());
    let mut expected = fresh_world(scenario);
    for op in &session.tape[..session.cursor] {
        replay(&mut expected, op);
    }
    if let Some(at) = session.extra.filter(|at| *at > expected.now()) {
        expected.run_until(at);
    }
    assert_same_world(session.world(), &expected, "tape replayed from scratch");

    let mut saved = fresh_world(scenario);
    for op in session.tape_to_cursor() {
        replay(&mut saved, &op);
    }
    assert_same_world(session.world(), &saved, "saved tape replayed");
}

/// A seek changes no input, lands on the moment asked, and is the tape's inputs up to that
/// moment replayed from scratch, the clock then run to it.
fn check_seek(scenario: &Scenario, session: &Session, at: SimTime, tape_before: &TapeAndEnds) {
    assert_eq!(
        (&session.tape, &session.ends),
        (&tape_before.0, &tape_before.1),
        "a seek does not change the tape"
    );
    let target = session.ends.partition_point(|end| *end <= at);
    assert_eq!(session.cursor, target, "seek: cursor");
    let mut expected = fresh_world(scenario);
    for op in &session.tape[..target] {
        replay(&mut expected, op);
    }
    if at > expected.now() {
        expected.run_until(at);
    }
    assert_eq!(session.world().now(), expected.now(), "seek: clock");
    assert_same_world(session.world(), &expected, "seek");
}

/// A forward jump as the app makes it: the start state from `seek_start`, a snapshot to the
/// worker, a slice that may pause inside a moment, slices between moments with waypoints
/// handed back (as snapshots) and kept as checkpoints, then the result handed back.
fn jump(rng: &mut SimRng, session: &mut Session, at: SimTime) {
    let Some(start) = session.seek_start(at) else {
        session.seek(at);
        return;
    };
    let mut world = through_snapshot(&start);
    let first = world.run_until_partly(at, u64::from(rng.below(4) + 1), 0);
    let mut popped = first.wakeups;
    let mut end = first.end;
    while end == SliceEnd::Paused {
        let report = world.run_until_sliced(at, u64::from(rng.below(6) + 1), popped);
        popped += report.wakeups;
        end = report.end;
        if end == SliceEnd::Paused && rng.chance_percent(30) {
            session.add_waypoint(through_snapshot(&world));
        }
    }
    session.finish_seek(through_snapshot(&world), at);
}

/// "Why here?" for a few tasks that exist at the cursor: a task placed by the placement
/// engine is explained with the instance it is on; a DAEMON task is not explained.
fn check_explanations(rng: &mut SimRng, session: &Session) {
    let world = session.world();
    if world.tasks().is_empty() {
        return;
    }
    for _ in 0..3 {
        let task = &world.tasks()[rng.below(world.tasks().len() as u32) as usize];
        let daemon = task.service.is_some_and(|s| world.service(s).is_daemon());
        match session.explain_task(task.id) {
            Some(decision) => assert_eq!(decision.chosen, Some(task.instance), "{}", task.id),
            None => assert!(daemon, "{} was placed but not explained", task.id),
        }
    }
}

// ---- helpers -----------------------------------------------------------------------------------

type TapeAndEnds = (Vec<Op>, Vec<SimTime>);

fn builtin_scenario(id: &str) -> Scenario {
    let builtin = builtin::find(id).unwrap_or_else(|| panic!("no built-in {id}"));
    parse_scenario(builtin.json).unwrap_or_else(|errors| panic!("{id}: {errors:?}"))
}

fn fresh_world(scenario: &Scenario) -> World {
    World::new(scenario).unwrap_or_else(|errors| panic!("{errors:?}"))
}

/// One input on a plain world, as the user gave it (an action that fails changes nothing).
fn replay(world: &mut World, op: &Op) {
    match op {
        Op::Step => {
            world.step();
        }
        Op::NextDecision => {
            world.step_to_next_decision();
        }
        Op::RunUntil { at_ms } => {
            world.run_until(SimTime(*at_ms));
        }
        Op::Apply { action } => {
            let _ = world.apply(action);
        }
    }
}

fn through_snapshot(world: &World) -> World {
    World::from_snapshot(&world.to_snapshot()).unwrap_or_else(|error| panic!("{error}"))
}

fn assert_same_world(actual: &World, expected: &World, what: &str) {
    assert_eq!(actual.now(), expected.now(), "{what}: clock");
    assert_eq!(actual.trace(), expected.trace(), "{what}: trace");
    assert_eq!(
        snapshot_fingerprint(&actual.to_snapshot()),
        snapshot_fingerprint(&expected.to_snapshot()),
        "{what}: world fingerprint"
    );
}

/// A time within the case's horizon, often near the head of the run.
fn random_time(rng: &mut SimRng, session: &Session) -> SimTime {
    let head = session.head().as_ms();
    match rng.below(3) {
        0 => SimTime(u64::from(rng.below(HORIZON_MS))),
        1 => SimTime(head.saturating_sub(u64::from(rng.below(30_000)))),
        _ => SimTime(head + u64::from(rng.below(60_000))),
    }
}

/// A user action on something in the world (it may be refused: that changes nothing).
fn random_action(rng: &mut SimRng, world: &World) -> Action {
    let instance = |rng: &mut SimRng| {
        let instances = world.instances();
        instances[rng.below(instances.len() as u32) as usize]
            .ec2_instance_id
            .clone()
    };
    match rng.below(5) {
        0 | 1 if !world.services().is_empty() => {
            let services = world.services();
            let service = &services[rng.below(services.len() as u32) as usize];
            Action::UpdateService(UpdateService {
                service: service.name.clone(),
                desired_count: Some(rng.below(6)),
                ..UpdateService::default()
            })
        }
        2 => Action::StopTask {
            task: format!("t{}", rng.below(world.tasks().len() as u32 + 2)),
        },
        3 => Action::DrainInstance {
            instance: instance(rng),
        },
        _ => Action::ActivateInstance {
            instance: instance(rng),
        },
    }
}
