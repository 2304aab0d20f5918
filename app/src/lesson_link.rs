//! Instructor links: a link that opens a built-in lesson at a step, so a whole room starts from
//! the same place. The fragment is `#lesson=<id>&step=<n>` (`n` from 1), and `&run=<payload>`
//! when the instructor's run is not the lesson's own: the payload is the run's inputs (the
//! session tape, JSON) deflated and base64url-encoded as a share link's scenario is
//! (`share::pack_deflated`). Making a link is two calls, because the browser deflates in between
//! (asynchronously, `CompressionStream`): [`lesson_link_run`] says what run to carry, if any, and
//! [`lesson_link_fragment`] writes the link with it deflated.
//!
//! Without `run=` the room gets the lesson's canonical state: its stage with "show me" of every
//! earlier step, at the moment step `n` starts (`lessons::tape_to_step`), which is deterministic,
//! so two words and a number name it. With `run=` the room replays the instructor's own inputs
//! on the same stage (a few hundred characters for a lesson's handful of actions), which gives
//! the same world at the same clock (a session's world is a replay of its tape). Edits to the
//! scenario itself are not carried: the link opens the lesson's own stage.
//!
//! Pure functions with typed errors: a link is user input, so reading one never panics and
//! every refusal says what was wrong and what exists. Whether the step exists needs the lesson
//! file, so that check ([`LessonLink::step_index`]) comes after the app has fetched it.

use crate::lessons::LESSON_IDS;
use crate::share::{self, LinkError, MOMENT_MS_MAX};
use flotilla_core::json_input::from_json_text;
use flotilla_core::lessons::{tape_to_step, Lesson};
use flotilla_core::session::Op;

/// The fragment key that makes a link a lesson link; it comes first.
pub const LESSON_KEY: &str = "lesson=";
/// The most inputs a link's run may hold (a lesson's run has a few dozen).
pub const RUN_OPS_MAX: usize = 10_000;
/// The most bytes a link's run may inflate to.
pub const RUN_BYTES_MAX: usize = 256 * 1024;

/// A lesson link, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonLink {
    /// A built-in lesson's id (one of [`LESSON_IDS`]).
    pub id: &'static str,
    /// The step, from 1 as people count (not yet checked against the lesson).
    pub step: u32,
    /// The instructor's own run, when it is not the lesson's canonical one.
    pub run: Option<Vec<Op>>,
}

/// A lesson link read up to its run, which is still deflated: the app inflates it in the
/// browser, asynchronously (flotilla-web's `share::browser_inflate`), then
/// [`PackedLessonLink::with_run_text`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackedLessonLink {
    pub id: &'static str,
    pub step: u32,
    /// The run's inputs as JSON, deflated (raw DEFLATE), to inflate into at most
    /// [`RUN_BYTES_MAX`] bytes.
    pub run: Option<Vec<u8>>,
}

impl PackedLessonLink {
    /// The link with its run, given the run's text as inflated (or why it could not be);
    /// `None` when the link carries no run.
    pub fn with_run_text(
        self,
        text: Option<Result<String, LinkError>>,
    ) -> Result<LessonLink, LessonLinkError> {
        let run = text
            .map(|text| {
                text.map_err(|LinkError(why)| why)
                    .and_then(|text| run_of_text(&text))
                    .map_err(LessonLinkError::BadRun)
            })
            .transpose()?;
        Ok(LessonLink {
            id: self.id,
            step: self.step,
            run,
        })
    }
}

/// Why a lesson link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonLinkError {
    /// No built-in lesson has this id.
    UnknownLesson(String),
    /// No `step=`, or not a whole number from 1.
    BadStep(Option<String>),
    /// The lesson has `count` steps.
    StepOutOfRange { id: String, step: u32, count: usize },
    /// A part the format does not have, or one given twice.
    BadPart(String),
    /// The `run=` payload could not be read.
    BadRun(String),
}

impl std::fmt::Display for LessonLinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LessonLinkError::UnknownLesson(id) => write!(
                f,
                "there is no lesson \u{201c}{id:.40}\u{201d}; the lessons are {}",
                LESSON_IDS.join(", ")
            ),
            LessonLinkError::BadStep(None) => f.write_str("the link names no step (step=1, 2, \u{2026})"),
            LessonLinkError::BadStep(Some(text)) => write!(
                f,
                "step \u{201c}{text:.40}\u{201d} is not a step number (1, 2, \u{2026})"
            ),
            LessonLinkError::StepOutOfRange { id, step, count } => write!(
                f,
                "the lesson \u{201c}{id}\u{201d} has steps 1 to {count}, not {step}"
            ),
            LessonLinkError::BadPart(part) => write!(
                f,
                "the link has an unexpected part \u{201c}{part:.40}\u{201d}; a lesson link is #lesson=ID&step=N, perhaps with &run="
            ),
            LessonLinkError::BadRun(why) => write!(f, "the link's run (run=): {why}"),
        }
    }
}

impl LessonLink {
    /// The 0-based index of the link's step in a lesson of `count` steps.
    pub fn step_index(&self, count: usize) -> Result<usize, LessonLinkError> {
        let index = self.step as usize - 1;
        if index < count {
            return Ok(index);
        }
        Err(LessonLinkError::StepOutOfRange {
            id: self.id.to_string(),
            step: self.step,
            count,
        })
    }
}

/// The lesson link in a fragment (with or without `#`), its run inflated with `miniz_oxide`
/// (native callers; the app reads with [`read_lesson_link`] and inflates in the browser);
/// `Ok(None)` when the fragment is not a lesson link (a share link, or nothing).
pub fn parse_lesson_link(fragment: &str) -> Result<Option<LessonLink>, LessonLinkError> {
    let Some(packed) = read_lesson_link(fragment)? else {
        return Ok(None);
    };
    let text = packed
        .run
        .as_ref()
        .map(|deflated| share::inflate(deflated, RUN_BYTES_MAX));
    packed.with_run_text(text).map(Some)
}

/// The lesson link in a fragment (with or without `#`) with its run still deflated; `Ok(None)`
/// when the fragment is not a lesson link (a share link, or nothing).
pub fn read_lesson_link(fragment: &str) -> Result<Option<PackedLessonLink>, LessonLinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if !fragment.starts_with(LESSON_KEY) {
        return Ok(None);
    }
    let (mut id, mut step, mut run) = (None, None, None);
    // Empty parts (`&&`, a trailing `&` a chat program added) are skipped.
    for part in fragment.split('&').filter(|part| !part.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let slot = match key {
            "lesson" => &mut id,
            "step" => &mut step,
            "run" => &mut run,
            _ => return Err(LessonLinkError::BadPart(part.to_string())),
        };
        if slot.replace(value).is_some() {
            return Err(LessonLinkError::BadPart(part.to_string()));
        }
    }
    let id = id.unwrap_or_default();
    let id = *LESSON_IDS
        .iter()
        .find(|known| **known == id)
        .ok_or_else(|| LessonLinkError::UnknownLesson(id.to_string()))?;
    let step = step.ok_or(LessonLinkError::BadStep(None))?;
    let bad_step = || LessonLinkError::BadStep(Some(step.to_string()));
    // Digits only: `u32::from_str` would take "+2".
    if !step.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_step());
    }
    let step = step
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(bad_step)?;
    let run = run
        .map(|payload| {
            share::payload_bytes(payload).map_err(|LinkError(why)| LessonLinkError::BadRun(why))
        })
        .transpose()?;
    Ok(Some(PackedLessonLink { id, step, run }))
}

/// The run a link to step `index` (0-based) of `lesson` must carry for a run with inputs
/// `tape` (its inputs as JSON, to deflate for [`lesson_link_fragment`]); `None` when `tape` is
/// the lesson's own way to that step, which the link names without carrying it.
pub fn lesson_link_run(lesson: &Lesson, index: usize, tape: &[Op]) -> Option<String> {
    // Compared as the JSON the link would carry (the app has that code already; comparing the
    // inputs themselves would add actions' equality to it).
    let json = |tape: &[Op]| serde_json::to_string(tape).unwrap_or_default();
    let run = json(tape);
    (run != json(&tape_to_step(lesson, index))).then_some(run)
}

/// The fragment (without `#`) of a link to step `index` (0-based) of the lesson `id`, carrying
/// `run_deflated`: [`lesson_link_run`]'s text deflated (raw DEFLATE), when it gave one.
pub fn lesson_link_fragment(id: &str, index: usize, run_deflated: Option<&[u8]>) -> String {
    let mut fragment = format!("{LESSON_KEY}{id}&step={}", index + 1);
    if let Some(deflated) = run_deflated {
        fragment.push_str("&run=");
        fragment.push_str(&share::pack_deflated(deflated));
    }
    fragment
}

/// A `run=` payload's inflated text to the inputs it holds, bounded in inputs and time.
fn run_of_text(text: &str) -> Result<Vec<Op>, String> {
    let tape: Vec<Op> = from_json_text(text)?;
    if tape.len() > RUN_OPS_MAX {
        return Err(format!("{} inputs; the limit is {RUN_OPS_MAX}", tape.len()));
    }
    let late = tape
        .iter()
        .any(|op| matches!(op, Op::RunUntil { at_ms } if *at_ms > MOMENT_MS_MAX));
    if late {
        return Err(format!(
            "it runs past {}, the latest a link opens at",
            flotilla_core::time::format_duration(MOMENT_MS_MAX)
        ));
    }
    Ok(tape)
}
