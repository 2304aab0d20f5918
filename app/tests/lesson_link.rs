//! Instructor links (`flotilla_app::lesson_link`): every built-in lesson's every step round
//! trips, a run that is the lesson's own is left out of the link and any other is carried
//! exactly; every malformed link is an error that says what was wrong and what exists, never a
//! panic; lesson links and share links never take each other's fragments.

use crate::deflate;
use expect_test::{expect, Expect};
use flotilla_app::lesson_link::{
    lesson_link_fragment, lesson_link_run, parse_lesson_link, LessonLink, RUN_BYTES_MAX,
    RUN_OPS_MAX,
};
use flotilla_app::lessons::LESSON_IDS;
use flotilla_app::share::{decode_fragment, pack_deflated};
use flotilla_core::lessons::{parse_lesson, tape_to_step, Lesson};
use flotilla_core::session::Op;

/// What reading `fragment` gives, in words: the link, "not a lesson link", or the error.
fn check(fragment: &str, expected: Expect) {
    let actual = match parse_lesson_link(fragment) {
        Ok(None) => "not a lesson link".to_string(),
        Ok(Some(LessonLink { id, step, run })) => match run {
            None => format!("lesson {id} step {step}"),
            Some(run) => format!("lesson {id} step {step} run {run:?}"),
        },
        Err(error) => format!("error: {error}"),
    };
    expected.assert_eq(&actual);
}

fn builtin(id: &str) -> Lesson {
    let json = flotilla_core::lessons::find_builtin(id)
        .expect("a built-in lesson")
        .json;
    parse_lesson(json).unwrap_or_else(|problems| panic!("{id}: {problems:?}"))
}

/// A `run=` part holding `text`.
fn run_of(text: &str) -> String {
    format!(
        "#lesson=rolling-fast&step=2&run={}",
        pack_deflated(&deflate(text))
    )
}

/// The fragment of a link to step `index` of `lesson` for a run with inputs `tape`, made as the
/// app makes it: the run to carry, deflated, then the fragment.
fn link_to_step(id: &str, lesson: &Lesson, index: usize, tape: &[Op]) -> String {
    let run = lesson_link_run(lesson, index, tape).map(|run| deflate(&run));
    lesson_link_fragment(id, index, run.as_deref())
}

#[test]
fn every_step_of_every_lesson_round_trips_without_its_own_run() {
    for id in LESSON_IDS {
        let lesson = builtin(id);
        for index in 0..lesson.steps.len() {
            let canonical = tape_to_step(&lesson, index);
            let fragment = link_to_step(id, &lesson, index, &canonical);
            assert_eq!(fragment, format!("lesson={id}&step={}", index + 1));
            let link = parse_lesson_link(&format!("#{fragment}"))
                .expect("valid")
                .expect("a lesson link");
            assert_eq!((link.id, &link.run), (*id, &None));
            assert_eq!(link.step_index(lesson.steps.len()), Ok(index));
            assert_eq!(decode_fragment(&fragment), Ok(None), "not a share link");
        }
    }
}

#[test]
fn a_run_of_the_instructor_s_own_is_carried_exactly_and_briefly() {
    let lesson = builtin("rolling-fast");
    // The canonical way to step 3, then the clock run on by a minute.
    let mut tape = tape_to_step(&lesson, 2);
    tape.push(Op::RunUntil { at_ms: 240_000 });
    let fragment = link_to_step("rolling-fast", &lesson, 2, &tape);
    assert!(fragment.starts_with("lesson=rolling-fast&step=3&run="));
    assert!(fragment.len() < 400, "{} characters", fragment.len());
    let link = parse_lesson_link(&fragment)
        .expect("valid")
        .expect("a link");
    assert_eq!(link.run, Some(tape));
    // No action at all is a run too (step 2 shown, the clock at zero).
    let fragment = link_to_step("rolling-fast", &lesson, 1, &[]);
    check(&fragment, expect![[r#"lesson rolling-fast step 2 run []"#]]);
}

#[test]
fn fragments_that_are_not_lesson_links() {
    for fragment in [
        "",
        "#",
        "#s=AAAA",
        "#s=AAAA&lesson=placement&step=1",
        "#other",
        "#step=1&lesson=placement",
    ] {
        check(fragment, expect![[r#"not a lesson link"#]]);
    }
}

#[test]
fn lesson_links_read() {
    check(
        "#lesson=placement&step=1",
        expect![[r#"lesson placement step 1"#]],
    );
    check(
        "lesson=placement&step=3",
        expect![[r#"lesson placement step 3"#]],
    );
    check(
        "#lesson=placement&&step=2&",
        expect![[r#"lesson placement step 2"#]],
    );
    check(
        "#lesson=placement&step=007",
        expect![[r#"lesson placement step 7"#]],
    );
    check(
        "#lesson=placement&step=1&run=i44FAA",
        expect![[r#"lesson placement step 1 run []"#]],
    );
}

#[test]
fn an_unknown_lesson_names_the_lessons_there_are() {
    check(
        "#lesson=rolling-slow&step=1",
        expect![[
            r#"error: there is no lesson “rolling-slow”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable"#
        ]],
    );
    check(
        "#lesson=&step=1",
        expect![[
            r#"error: there is no lesson “”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable"#
        ]],
    );
    check("#lesson", expect!["not a lesson link"]);
    check(
        &format!("#lesson={}&step=1", "x".repeat(5_000)),
        expect![[
            r#"error: there is no lesson “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable"#
        ]],
    );
    check(
        "#lesson=Placement&step=1",
        expect![[
            r#"error: there is no lesson “Placement”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable"#
        ]],
    );
    check(
        "#lesson=%E2%9C%93✓&step=1",
        expect![[
            r#"error: there is no lesson “%E2%9C%93✓”; the lessons are rolling-minimal-cost, rolling-fast, placement, batch-jobs, cicd, draining-az-loss, unplaceable"#
        ]],
    );
}

#[test]
fn a_step_that_is_not_a_step_number() {
    check(
        "#lesson=placement",
        expect![[r#"error: the link names no step (step=1, 2, …)"#]],
    );
    for bad in [
        "",
        "0",
        "00",
        "-1",
        "+2",
        "two",
        "1.5",
        "2abc",
        " 2",
        "٣",
        "4294967296",
        "99999999999999999999",
    ] {
        let fragment = format!("#lesson=placement&step={bad}");
        let error = parse_lesson_link(&fragment)
            .expect_err(&fragment)
            .to_string();
        assert_eq!(
            error,
            format!("step \u{201c}{bad}\u{201d} is not a step number (1, 2, \u{2026})")
        );
    }
}

#[test]
fn a_step_past_the_lesson_s_last_names_the_steps_there_are() {
    let link = parse_lesson_link("#lesson=rolling-fast&step=99")
        .expect("read")
        .expect("a lesson link");
    let count = builtin("rolling-fast").steps.len();
    expect![[r#"the lesson “rolling-fast” has steps 1 to 4, not 99"#]].assert_eq(
        &link
            .step_index(count)
            .expect_err("out of range")
            .to_string(),
    );
    assert_eq!(link.step_index(99), Ok(98));
    let last = parse_lesson_link("#lesson=rolling-fast&step=4")
        .expect("read")
        .expect("a link");
    assert_eq!(last.step_index(count), Ok(3));
    let huge = parse_lesson_link("#lesson=rolling-fast&step=4294967295")
        .expect("read")
        .expect("a link");
    assert!(huge.step_index(count).is_err());
}

#[test]
fn parts_the_format_does_not_have_or_gives_twice() {
    check(
        "#lesson=placement&step=1&t=1m",
        expect![[
            r#"error: the link has an unexpected part “t=1m”; a lesson link is #lesson=ID&step=N, perhaps with &run="#
        ]],
    );
    check(
        "#lesson=placement&step=1&junk",
        expect![[
            r#"error: the link has an unexpected part “junk”; a lesson link is #lesson=ID&step=N, perhaps with &run="#
        ]],
    );
    check(
        "#lesson=placement&step=1&step=2",
        expect![[
            r#"error: the link has an unexpected part “step=2”; a lesson link is #lesson=ID&step=N, perhaps with &run="#
        ]],
    );
    check(
        "#lesson=placement&lesson=cicd&step=1",
        expect![[
            r#"error: the link has an unexpected part “lesson=cicd”; a lesson link is #lesson=ID&step=N, perhaps with &run="#
        ]],
    );
    check(
        "#lesson=placement&step=1&s=AAAA",
        expect![[
            r#"error: the link has an unexpected part “s=AAAA”; a lesson link is #lesson=ID&step=N, perhaps with &run="#
        ]],
    );
}

#[test]
fn a_run_that_cannot_be_read_says_why() {
    check(
        "#lesson=placement&step=1&run=",
        expect!["error: the link's run (run=): the link's data is damaged or incomplete (deflate: Truncated input stream); was it cut off when copied?"],
    );
    check(
        "#lesson=placement&step=1&run=not*base64",
        expect![[
            r#"error: the link's run (run=): the link has an unexpected character '*' at position 4; was it changed when copied?"#
        ]],
    );
    check(
        "#lesson=placement&step=1&run=A",
        expect![[r#"error: the link's run (run=): the link's data is cut off"#]],
    );
    check(
        "#lesson=placement&step=1&run=AAAA",
        expect!["error: the link's run (run=): the link's data is damaged or incomplete (deflate: Truncated input stream); was it cut off when copied?"],
    );
    check(
        &run_of("steps, please"),
        expect!["error: the link's run (run=): not valid JSON at line 1 column 1: expected value"],
    );
    check(
        &run_of(r#"{"step": 1}"#),
        expect!["error: the link's run (run=): invalid type: map, expected a sequence"],
    );
    check(
        &run_of(r#"["step", "jump"]"#),
        expect![[
            r#"error: the link's run (run=): [1]: unknown variant `jump`, expected one of `step`, `nextDecision`, `runUntil`, `apply`"#
        ]],
    );
    check(
        &run_of(r#"[{"apply": {"action": {"scaleEverything": 9}}}]"#),
        expect!["error: the link's run (run=): [0].apply.action: unknown variant `scaleEverything`, expected one of `createService`, `updateService`, `registerTaskDefinition`, `stopTask`, `terminateInstance`, `runTask`, `startTask`, `drainInstance`, `activateInstance`, `failAvailabilityZone`, `setAlarmState`, `changeResourceRecordWeight`"],
    );
    check(
        &run_of(r#"[{"runUntil": {"at_ms": 21600001}}]"#),
        expect!["error: the link's run (run=): it runs past 6h, the latest a link opens at"],
    );
    check(
        &run_of(r#"[{"runUntil": {"at_ms": 21600000}}]"#),
        expect!["lesson rolling-fast step 2 run [RunUntil { at_ms: 21600000 }]"],
    );
    let many = serde_json::to_string(&vec![Op::Step; RUN_OPS_MAX + 1]).expect("json");
    check(
        &run_of(&many),
        expect![[r#"error: the link's run (run=): 10001 inputs; the limit is 10000"#]],
    );
    let big = format!("[{}]", " ".repeat(RUN_BYTES_MAX));
    check(
        &run_of(&big),
        expect!["error: the link's run (run=): the link's data is larger than 262144 bytes"],
    );
    let not_text = flotilla_app::share::base64url_encode(&stored_block(&[0xff, 0xfe]));
    check(
        &format!("#lesson=placement&step=1&run={not_text}"),
        expect![[r#"error: the link's run (run=): the link's data is not UTF-8 text"#]],
    );
}

/// `bytes` as one stored (uncompressed) raw DEFLATE block, so the test needs no compressor.
fn stored_block(bytes: &[u8]) -> Vec<u8> {
    let len = bytes.len() as u16;
    let mut block = vec![1];
    block.extend(len.to_le_bytes());
    block.extend((!len).to_le_bytes());
    block.extend(bytes);
    block
}
