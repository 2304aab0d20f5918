//! `flotilla lesson`: runs lessons headless through "show me" (`lessons::run_lesson`) and
//! prints, per step, what the learner is asked to do, what "show me" did, the check with ✓ or
//! ✗ (the moment and the evidence when it broke), and the explanation or the hint — so a
//! lesson author reads the lesson as a newcomer would, and CI fails when a lesson stops
//! teaching what it says. Each argument is a built-in lesson's name or a lesson file; none
//! runs every built-in lesson.
//!
//! Exit codes (this subcommand's own, like `check`): 0 every step held; 1 a check broke or a
//! "show me" action was refused; 2 bad input — usage, an unreadable file, a lesson with
//! problems (each printed with its JSON path); 4 a run stopped at its bound.

use crate::args;
use crate::usage_error;
use flotilla_core::assertions::clock_text;
use flotilla_core::lessons::{self, Lesson, StepStatus, BUILTIN_LESSONS};
use flotilla_core::world::RunBudget;
use std::process::ExitCode;

pub fn main(args: &[String]) -> ExitCode {
    let names = match parse(args) {
        Ok(names) => names,
        Err(message) => return usage_error(&message),
    };
    let budget = match crate::load::run_budget() {
        Ok(budget) => budget,
        Err(code) => return code,
    };
    let names = if names.is_empty() {
        BUILTIN_LESSONS.iter().map(|l| l.id.to_string()).collect()
    } else {
        names
    };
    let mut outcome = Outcome::default();
    for name in &names {
        match load(name) {
            Ok(lesson) => run(name, &lesson, budget, &mut outcome),
            Err(()) => outcome.bad_input += 1,
        }
    }
    outln!(
        "{} step{} held, {} broken, {} input problem{}, {} run{} at a bound",
        outcome.held,
        plural(outcome.held),
        outcome.broken,
        outcome.bad_input,
        plural(outcome.bad_input),
        outcome.bound,
        plural(outcome.bound)
    );
    if outcome.bad_input > 0 {
        ExitCode::from(2)
    } else if outcome.bound > 0 {
        ExitCode::from(4)
    } else if outcome.broken > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse(args: &[String]) -> Result<Vec<String>, String> {
    args::positionals(args)
}

#[derive(Default)]
struct Outcome {
    held: u32,
    broken: u32,
    bad_input: u32,
    bound: u32,
}

/// A built-in lesson by name, or a lesson file (a name with a `/` or ending in `.json`); every
/// problem printed on stderr with the name and its path.
fn load(name: &str) -> Result<Lesson, ()> {
    let builtins: Vec<(&str, &str)> = BUILTIN_LESSONS.iter().map(|l| (l.id, l.json)).collect();
    crate::load::builtin_or_file(name, "lesson", &builtins, lessons::parse_lesson)
}

fn run(name: &str, lesson: &Lesson, budget: RunBudget, outcome: &mut Outcome) {
    outln!(
        "{name}: {} ({} steps on {}, seed {})",
        lesson.title,
        lesson.steps.len(),
        lesson.scenario_source,
        lesson.scenario.seed
    );
    let outcomes = lessons::run_lesson_with_budget(lesson, budget);
    for result in &outcomes {
        let step = &lesson.steps[result.step];
        let number = result.step + 1;
        outln!("  {number}. {}", step.instruction);
        if !step.show_me.is_empty() {
            let labels: Vec<String> = step.show_me.iter().map(|a| a.label()).collect();
            outln!(
                "     show me at {}: {}",
                clock_text(step.starts_at),
                labels.join(", ")
            );
        }
        match &result.status {
            StepStatus::Held => {
                outcome.held += 1;
                outln!(
                    "     ✓ {} (held at {})",
                    step.check_text,
                    clock_text(result.reached)
                );
                outln!("     {}", step.explanation);
                for reference in &step.references {
                    outln!("     see {reference}");
                }
            }
            StepStatus::Broken { at, evidence } => {
                outcome.broken += 1;
                outln!(
                    "     ✗ {}: broken at {}: {evidence}",
                    step.check_text,
                    clock_text(*at)
                );
                outln!("     hint: {}", step.hint);
            }
            StepStatus::ActionRejected { action, message } => {
                outcome.broken += 1;
                outln!(
                    "     ✗ show me could not apply {} at {}: {message}",
                    step.show_me[*action].label(),
                    clock_text(result.reached)
                );
            }
            StepStatus::RunBound(bound) => {
                outcome.bound += 1;
                eprintln!(
                    "{name}: step {number} stopped at {}: {}",
                    clock_text(result.reached),
                    bound.message()
                );
            }
        }
    }
    let not_run = lesson.steps.len() - outcomes.len();
    if not_run > 0 {
        outln!("  {not_run} later step{} not run", plural(not_run as u32));
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn takes_names_and_files_and_no_options() {
        assert_eq!(
            parse(&strings(&["rolling-fast", "my/lesson.json"])).unwrap(),
            vec!["rolling-fast", "my/lesson.json"]
        );
        assert!(parse(&[]).unwrap().is_empty());
        assert_eq!(
            parse(&strings(&["--fast"])).unwrap_err(),
            "unknown option --fast"
        );
    }
}
