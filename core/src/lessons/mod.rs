//! Lessons: a guided walk through a built-in scenario for a newcomer to ECS. A lesson is data
//! beside its scenario (`core/lessons/*.json`, compiled in by `builtin.rs`): a title, what it
//! teaches, and steps. A step says what to do, which part of the screen to watch, the actions
//! "show me" performs (the scenario timeline's action shapes), when the step ends, a check in
//! the assertion language, a hint for a failed check and an explanation, with references to
//! the ECS documentation, for a held one.
//!
//! Here: `shape.rs` reads the file (version 1, path-precise problems, size limits);
//! `check.rs` checks it against its scenario into a [`Lesson`]; `run.rs` runs it headless
//! ([`run_lesson`]), judges a learner's world ([`judge_step`]) and gives the inputs up to a
//! step ([`tape_to_step`]) for "restart the step" and instructor links; `builtin.rs` holds the
//! built-in lessons. Nothing here does I/O.
//!
//! A lesson runs its scenario's stage: the scenario without its timeline and assertions, so
//! nothing happens that the learner (or "show me") did not do.

mod builtin;
mod check;
mod run;
mod shape;
#[cfg(test)]
mod tests;

pub use builtin::{find as find_builtin, BuiltinLesson, BUILTIN_LESSONS};
pub use check::{check_lesson, check_lesson_with, BuiltinSource, Lesson, Step};
/// Shared with game days (`crate::gameday`), which name their scenario and place their
/// actions' problems the same way.
pub(crate) use check::{moved_to_step, resolve_scenario};
pub use run::{
    judge_step, run_lesson, run_lesson_with_budget, session_at_step, show_me, start_session,
    tape_to_step, StepOutcome, StepStatus,
};
pub use shape::{
    lesson_file_from_value, parse_lesson_file, LessonFile, ScenarioSource, StepFile, Watch,
    INSTRUCTION_CHARS_MAX, LESSON_BYTES_MAX, LESSON_VERSION, REFERENCES_MAX, REFERENCE_CHARS_MAX,
    STEPS_MAX, STEP_ACTIONS_MAX, TEXT_CHARS_MAX, TITLE_CHARS_MAX, WATCH_MAX,
};

use crate::problem::Problem;

/// Lesson text to a checked [`Lesson`], or every problem with its path
/// (`steps[2].check: no service named "wbe"; services: web at column 27`).
pub fn parse_lesson(text: &str) -> Result<Lesson, Vec<Problem>> {
    check_lesson(parse_lesson_file(text)?)
}
