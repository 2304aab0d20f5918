//! Running a lesson headless, as "show me" does it: a [`Session`] on the lesson's stage at
//! time zero; for each step its actions applied at the current moment (`Session::apply`, as
//! the UI applies the learner's), the clock run to the step's end, and the step's check judged
//! over the run so far (`assertions::evaluate`, the one-shot form of the monitor the app
//! uses). Pure and deterministic: the stage's seed decides everything, so the same lesson
//! gives the same outcomes. The tape up to a step ([`tape_to_step`]) is what "restart the
//! step" and instructor links rebuild through the app's own session.

use super::check::Lesson;
use crate::assertions::{self, Status};
use crate::session::{Op, Session};
use crate::time::SimTime;
use crate::world::{RunBound, RunBudget, World};

/// Where a step stands after its run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// The check held at the step's end.
    Held,
    /// The check broke at `at`; `evidence` says what the run showed then.
    Broken { at: SimTime, evidence: String },
    /// The world refused "show me" action `action` (0-based) of the step; nothing after it ran.
    ActionRejected { action: usize, message: String },
    /// The run stopped at one of its bounds before the step's end; nothing after it ran.
    RunBound(RunBound),
}

/// One step's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepOutcome {
    /// 0-based.
    pub step: usize,
    /// The check's canonical sentence.
    pub check: String,
    /// The moment the run had reached when the step was judged.
    pub reached: SimTime,
    pub status: StepStatus,
}

impl StepOutcome {
    pub fn held(&self) -> bool {
        self.status == StepStatus::Held
    }
}

/// Every step through "show me", from time zero, with the normal run budget. Stops after a
/// step whose action was refused or whose run hit a bound (the later steps would start from a
/// world the lesson did not mean); a broken check does not stop it.
pub fn run_lesson(lesson: &Lesson) -> Vec<StepOutcome> {
    run_lesson_with_budget(lesson, RunBudget::default())
}

/// [`run_lesson`] with another run budget (the CLI's `FLOTILLA_EVENTS_KEPT_MAX`, tests).
pub fn run_lesson_with_budget(lesson: &Lesson, budget: RunBudget) -> Vec<StepOutcome> {
    let mut session = start_session(lesson).with_run_budget(budget);
    let mut outcomes = Vec::with_capacity(lesson.steps.len());
    for index in 0..lesson.steps.len() {
        let outcome = show_me(lesson, index, &mut session);
        let stop = matches!(
            outcome.status,
            StepStatus::ActionRejected { .. } | StepStatus::RunBound(_)
        );
        outcomes.push(outcome);
        if stop {
            break;
        }
    }
    outcomes
}

/// A session on the lesson's stage at time zero: what the UI opens a lesson with.
pub fn start_session(lesson: &Lesson) -> Session {
    Session::new(lesson.scenario.clone())
        .unwrap_or_else(|errors| panic!("a checked lesson's stage compiles: {errors}"))
}

/// Step `index` through "show me" on `session` (which should stand at the step's start):
/// its actions applied now, the run to the step's end, the check judged.
pub fn show_me(lesson: &Lesson, index: usize, session: &mut Session) -> StepOutcome {
    let step = &lesson.steps[index];
    let outcome = |session: &Session, status| StepOutcome {
        step: index,
        check: step.check.claim.to_string(),
        reached: session.world().now(),
        status,
    };
    for (action, applied) in step.show_me.iter().enumerate() {
        if let Err(error) = session.apply(applied.clone()) {
            let status = StepStatus::ActionRejected {
                action,
                message: error.to_string(),
            };
            return outcome(session, status);
        }
    }
    let report = session.run_until(step.run_until);
    if let Some(bound) = report.bound {
        return outcome(session, StepStatus::RunBound(bound));
    }
    outcome(session, judge_step(lesson, index, session.world()))
}

/// Step `index`'s check over `world`'s run so far, as if the run ended where the world
/// stands: the learner's own attempt is judged with this (at the step's `run_until`, or
/// whenever the panel asks).
pub fn judge_step(lesson: &Lesson, index: usize, world: &World) -> StepStatus {
    let check = std::slice::from_ref(&lesson.steps[index].check);
    let verdict = assertions::evaluate(check, world)
        .into_iter()
        .next()
        .expect("one verdict per assertion");
    match verdict.status {
        Status::Held | Status::Holding => StepStatus::Held,
        Status::Broken { at, evidence } => StepStatus::Broken { at, evidence },
        Status::NotReached { needs } => StepStatus::Broken {
            at: world.now(),
            evidence: format!(
                "the run stands at {}; the check needs it to reach {}",
                assertions::clock_text(world.now()),
                assertions::clock_text(needs)
            ),
        },
        Status::Waiting => StepStatus::Broken {
            at: world.now(),
            evidence: "not decided by the end of the run so far".into(),
        },
    }
}

/// The session inputs that bring the stage to the start of step `index` through "show me"
/// of every earlier step: each step's actions, then the run to its end. Replaying them with
/// `Session::exec` on [`start_session`] gives exactly the world the runner had there (0 gives
/// an empty tape: time zero).
pub fn tape_to_step(lesson: &Lesson, index: usize) -> Vec<Op> {
    let mut tape = Vec::new();
    for step in lesson.steps.iter().take(index) {
        tape.extend(step.show_me.iter().map(|action| Op::Apply {
            action: action.clone(),
        }));
        tape.push(Op::RunUntil {
            at_ms: step.run_until.as_ms(),
        });
    }
    tape
}

/// A session at the start of step `index` ([`tape_to_step`] replayed), or the first earlier
/// step that did not get there (an action refused or a run bound) as its outcome.
pub fn session_at_step(lesson: &Lesson, index: usize) -> Result<Session, StepOutcome> {
    let mut session = start_session(lesson);
    for earlier in 0..index.min(lesson.steps.len()) {
        let outcome = show_me(lesson, earlier, &mut session);
        if matches!(
            outcome.status,
            StepStatus::ActionRejected { .. } | StepStatus::RunBound(_)
        ) {
            return Err(outcome);
        }
    }
    Ok(session)
}
