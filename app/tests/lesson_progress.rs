//! A lesson step is done only while its check holds on the learner's run as it stands
//! (`flotilla_app::lessons::{StepJudge, follow_progress}`): a step once held loses its mark when
//! the learner rewinds and changes the run so that the check no longer holds at the step's end.

use flotilla_app::lessons::{changed_from, follow_progress, judge_at_step_end, StepJudge};
use flotilla_core::lessons::{
    find_builtin, parse_lesson, show_me, start_session, Lesson, StepStatus,
};
use flotilla_core::session::Session;
use flotilla_core::{Action, SimTime};

fn lesson() -> Lesson {
    // Steps: at 2m exactly 4 healthy (2m); never more than 4 tasks, deploy at 50/100 (2m30s); ...
    parse_lesson(find_builtin("rolling-minimal-cost").unwrap().json).unwrap()
}

fn action(json: &str) -> Action {
    serde_json::from_str(json).unwrap()
}

/// The judge's look, then the progress it leads to from `held`.
fn progress(judge: &mut StepJudge, lesson: &Lesson, run: &Session, held: &[u32]) -> Vec<u32> {
    let (statuses, changed) = judge.look(lesson, run);
    let judged: Vec<Option<bool>> = statuses
        .iter()
        .map(|s| s.as_ref().map(|s| *s == StepStatus::Held))
        .collect();
    let ends: Vec<SimTime> = lesson.steps.iter().map(|s| s.run_until).collect();
    follow_progress(held, &ends, &judged, changed)
}

#[test]
fn a_step_held_then_broken_by_a_changed_run_is_no_longer_done() {
    let lesson = lesson();
    let mut run = start_session(&lesson);
    let mut judge = StepJudge::default();
    assert_eq!(progress(&mut judge, &lesson, &run, &[]), Vec::<u32>::new());
    assert!(show_me(&lesson, 0, &mut run).held());
    assert!(show_me(&lesson, 1, &mut run).held());
    let held = progress(&mut judge, &lesson, &run, &[]);
    assert_eq!(held, [0, 1]);

    // Scrubbing back changes nothing: the run still reaches both ends, the same run.
    run.seek(SimTime(90_000));
    assert_eq!(progress(&mut judge, &lesson, &run, &held), [0, 1]);

    // Something given at step 1's end belongs to step 2: step 1 keeps its mark; step 2, changed
    // before its end and no longer reached (the run's end is cut to now), loses its.
    run.seek(SimTime(120_000));
    run.apply(action(
        r#"{"updateService": {"service": "web", "desiredCount": 3}}"#,
    ))
    .unwrap();
    assert_eq!(progress(&mut judge, &lesson, &run, &held), [0]);

    // Rewound before step 1's end and a task stopped there: neither step is reached any more.
    run.seek(SimTime(110_000));
    run.apply(action(r#"{"stopTask": {"task": "t1"}}"#))
        .unwrap();
    assert_eq!(
        progress(&mut judge, &lesson, &run, &held),
        Vec::<u32>::new()
    );
    // Run on past both ends: step 1's check breaks at its end (its replacement is not healthy
    // yet), step 2's holds.
    run.run_until(SimTime(150_000));
    assert!(
        matches!(
            judge_at_step_end(&lesson, 0, &run),
            Some(StepStatus::Broken { .. })
        ),
        "{:?}",
        judge_at_step_end(&lesson, 0, &run)
    );
    assert_eq!(progress(&mut judge, &lesson, &run, &held), [1]);
}

#[test]
fn the_verdict_is_taken_at_the_step_end_not_where_the_clock_is() {
    let lesson = lesson();
    let mut run = start_session(&lesson);
    for index in 0..lesson.steps.len() {
        assert!(show_me(&lesson, index, &mut run).held(), "step {index}");
    }
    let mut judge = StepJudge::default();
    let (statuses, changed) = judge.look(&lesson, &run);
    assert_eq!(changed, None);
    assert!(
        statuses.iter().all(|s| *s == Some(StepStatus::Held)),
        "{statuses:?}"
    );
    // Rewound to the start, every end is still on the run's tape: judged there, the same.
    run.seek(SimTime::ZERO);
    let (statuses, changed) = judge.look(&lesson, &run);
    assert_eq!(changed, None);
    assert!(
        statuses.iter().all(|s| *s == Some(StepStatus::Held)),
        "{statuses:?}"
    );
    assert_eq!(
        run.world().now(),
        SimTime::ZERO,
        "judging never moves the learner's run"
    );
}

#[test]
fn a_fresh_run_keeps_marks_it_does_not_reach_and_damaged_marks_are_dropped() {
    let lesson = lesson();
    let run = start_session(&lesson);
    let mut judge = StepJudge::default();
    // A lesson reopened at time zero: what was done stays done until the run changes.
    assert_eq!(
        progress(&mut judge, &lesson, &run, &[0, 1, 2, 77]),
        [0, 1, 2]
    );
}

#[test]
fn changes_are_dated_by_the_first_action_that_differs() {
    let (a, b) = (SimTime(1_000), SimTime(2_000));
    assert_eq!(changed_from::<u8>(&[], &[]), None);
    assert_eq!(changed_from(&[(a, 1)], &[(a, 1)]), None);
    assert_eq!(changed_from(&[(a, 1)], &[(a, 1), (b, 2)]), Some(b));
    assert_eq!(changed_from(&[(a, 1), (b, 2)], &[(a, 1)]), Some(b));
    assert_eq!(changed_from(&[(b, 2)], &[(a, 3)]), Some(a));
    let ends = [SimTime(2_000), SimTime(3_000)];
    // A change at a step's end belongs to the next step.
    assert_eq!(follow_progress(&[0, 1], &ends, &[None, None], Some(b)), [0]);
    assert_eq!(
        follow_progress(&[0, 1], &ends, &[Some(false), Some(true)], None),
        [1]
    );
}
