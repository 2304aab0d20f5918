//! The built-in lessons and game days the app offers, by id, in the order of
//! `flotilla_core::lessons::BUILTIN_LESSONS` and `flotilla_core::gameday::BUILTIN_GAMEDAYS`.
//! The app does not compile their text in (app size): `scripts/build-web.sh` copies
//! `core/lessons/*.json` to `dist/lessons/` and `core/gamedays/*.json` to `dist/gamedays/`, and
//! the app fetches one when it is chosen (`web/src/lesson_files.rs`); the tests below keep these
//! lists and the core's the same. A game day open in a tab is kept where a lesson's id is, as
//! [`GAMEDAY_PREFIX`] and its id.
//!
//! Also the rule the lesson panel follows for the steps it shows as done ([`StepJudge`],
//! [`follow_progress`]): a step is done only while its check holds on the learner's run as it
//! stands, judged at the step's end, so breaking a step later (rewinding and changing the run)
//! takes its mark away again.

use flotilla_core::lessons::{judge_step, Lesson, StepStatus};
use flotilla_core::session::Session;
use flotilla_core::{Action, SimTime};

/// Ids of the built-in lessons, as the list shows them.
pub const LESSON_IDS: &[&str] = &[
    "rolling-minimal-cost",
    "rolling-fast",
    "placement",
    "batch-jobs",
    "cicd",
    "draining-az-loss",
    "unplaceable",
];

/// Where the app fetches lesson `id`'s file from, relative to the page.
pub fn lesson_url(id: &str) -> String {
    format!("lessons/{id}.json")
}

/// Ids of the built-in game days, as the Lessons list shows them.
pub const GAMEDAY_IDS: &[&str] = &["release-day"];

/// What marks a game day where the open lesson's id is kept (`gameday:release-day`).
pub const GAMEDAY_PREFIX: &str = "gameday:";

/// Where the app fetches the file of what `id` names: a lesson, or a game day by
/// [`GAMEDAY_PREFIX`] (`gamedays/<id>.json`).
pub fn file_url(id: &str) -> String {
    match id.strip_prefix(GAMEDAY_PREFIX) {
        Some(gameday) => format!("gamedays/{gameday}.json"),
        None => lesson_url(id),
    }
}

/// Step `index`'s check on the learner's run as it stands, judged at the step's end before
/// anything given at that very moment (as "show me" judges it: before the next step's actions);
/// the run is read, never changed (a branch of it is run there when the clock is elsewhere).
/// `None` when the run does not reach the step's end (its tape and its clock end earlier).
pub fn judge_at_step_end(lesson: &Lesson, index: usize, run: &Session) -> Option<StepStatus> {
    let end = lesson.steps.get(index)?.run_until;
    if run.head() < end {
        return None;
    }
    let given_at_end = run.actions().iter().any(|a| !a.ahead && a.at >= end);
    if run.world().now() == end && !given_at_end {
        return Some(judge_step(lesson, index, run.world()));
    }
    let mut branch = run.clone();
    // A step ends after its first moment (`runUntil` is checked later than the step's start).
    branch.seek(SimTime(end.as_ms().saturating_sub(1)));
    branch.run_until(end);
    if branch.world().now() < end {
        if let Some(bound) = branch.run_bound() {
            return Some(StepStatus::RunBound(bound));
        }
    }
    Some(judge_step(lesson, index, branch.world()))
}

/// The moment from which the run's actions (each with the time it was given, in tape order)
/// differ from `before`'s: the run is deterministic, so runs with the same actions at the same
/// times are the same run (clock moves and rewinds are not changes). `None`: the same actions.
pub fn changed_from<T: PartialEq>(
    before: &[(SimTime, T)],
    after: &[(SimTime, T)],
) -> Option<SimTime> {
    let same = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    match (before.get(same), after.get(same)) {
        (None, None) => None,
        (Some((a, _)), Some((b, _))) => Some(*a.min(b)),
        (Some((at, _)), None) | (None, Some((at, _))) => Some(*at),
    }
}

/// The steps done (0-based, ascending), as the learner's run now stands. A step whose end the
/// run reaches is done exactly when its check held there (`judged[j]`: `Some(held)`); a step the
/// run does not reach keeps the mark it had (`held`), unless the run changed before the step's
/// end since (`changed`, from [`changed_from`]): then nothing shows that its check holds any
/// more. A change at or after a step's end (the next step's actions) does not touch it. Marks
/// for steps the lesson does not have (damaged storage) are dropped.
pub fn follow_progress(
    held: &[u32],
    ends: &[SimTime],
    judged: &[Option<bool>],
    changed: Option<SimTime>,
) -> Vec<u32> {
    (0..ends.len() as u32)
        .filter(|&step| match judged.get(step as usize).copied().flatten() {
            Some(held_there) => held_there,
            None => held.contains(&step) && changed.is_none_or(|at| at >= ends[step as usize]),
        })
        .collect()
}

/// The actions of a run, each with the time it was given, in tape order.
type Actions = Vec<(SimTime, Action)>;

/// The lesson panel's judge: each step's check at its end on the learner's run
/// ([`judge_at_step_end`]), remembered until the actions given before that end change (the
/// world there is a function of them), and the moment the run last changed from.
#[derive(Debug, Default)]
pub struct StepJudge {
    /// Per step: the actions before its end when it was judged, and the verdict.
    kept: Vec<Option<(Actions, StepStatus)>>,
    /// The run's actions when it was last looked at.
    last: Option<Actions>,
}

impl StepJudge {
    /// Every step's check on `run` (`None`: the run does not reach its end), and the moment
    /// from which the run changed since the last look (`None` on the first).
    pub fn look(
        &mut self,
        lesson: &Lesson,
        run: &Session,
    ) -> (Vec<Option<StepStatus>>, Option<SimTime>) {
        let actions: Actions = run
            .actions()
            .into_iter()
            .map(|a| (a.at, a.action))
            .collect();
        let changed = self
            .last
            .as_deref()
            .and_then(|before| changed_from(before, &actions));
        self.kept.resize(lesson.steps.len(), None);
        let mut statuses = Vec::with_capacity(lesson.steps.len());
        for (index, step) in lesson.steps.iter().enumerate() {
            let before_end = actions.partition_point(|(at, _)| *at < step.run_until);
            let kept = match &self.kept[index] {
                Some((key, status)) if key[..] == actions[..before_end] => Some(status.clone()),
                _ => None,
            };
            let status = match (run.head() < step.run_until, kept) {
                (true, _) => None,
                (false, Some(status)) => Some(status),
                (false, None) => {
                    let status = judge_at_step_end(lesson, index, run);
                    if let Some(status) = &status {
                        self.kept[index] = Some((actions[..before_end].to_vec(), status.clone()));
                    }
                    status
                }
            };
            statuses.push(status);
        }
        self.last = Some(actions);
        (statuses, changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::lessons::BUILTIN_LESSONS;

    #[test]
    fn the_app_offers_exactly_the_core_built_in_lessons_in_order() {
        let core: Vec<&str> = BUILTIN_LESSONS.iter().map(|lesson| lesson.id).collect();
        assert_eq!(LESSON_IDS, core.as_slice());
    }

    #[test]
    fn every_offered_lesson_is_a_file_the_build_copies() {
        for id in LESSON_IDS {
            let path = format!("{}/../core/lessons/{id}.json", env!("CARGO_MANIFEST_DIR"));
            assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
        }
    }

    #[test]
    fn the_app_offers_exactly_the_core_built_in_game_days_from_their_files() {
        let core: Vec<&str> = flotilla_core::gameday::BUILTIN_GAMEDAYS
            .iter()
            .map(|gameday| gameday.id)
            .collect();
        assert_eq!(GAMEDAY_IDS, core.as_slice());
        for id in GAMEDAY_IDS {
            let url = file_url(&format!("{GAMEDAY_PREFIX}{id}"));
            assert_eq!(url, format!("gamedays/{id}.json"));
            let path = format!("{}/../core/{url}", env!("CARGO_MANIFEST_DIR"));
            assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
        }
        assert_eq!(file_url("cicd"), "lessons/cicd.json");
    }
}
