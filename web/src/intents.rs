//! What the screen can ask of a mounted app, one intent-named callback each. Components take
//! only the callbacks they use (`on_step`, `on_seek`, `on_select`...), never the app's whole
//! action enum, so another root with a smaller reducer (an embed) can mount the same
//! components; `from_dispatcher` is the one place that maps intents onto `SandboxAction`s.
//! Containers that only hand callbacks down (side panel, details) take the bundle.

use crate::drafts::Drafts;
use crate::persist::{Notice, Store};
use crate::run::Op;
use crate::state::{EventFilter, JumpReached, Sandbox, SandboxAction, Selection, Tab};
use flotilla_core::{Action, Scenario, SimTime, World};
use yew::prelude::*;

/// Intents about the scenario, the running world and what is shown (not time: see `TimeIntents`).
#[derive(Clone, PartialEq)]
pub struct Intents {
    /// A user action on the running world (scale, stop a task, terminate an instance...).
    pub on_apply: Callback<Action>,
    /// Several actions in order; stops at the first that fails.
    pub on_apply_all: Callback<Vec<Action>>,
    pub on_select: Callback<Selection>,
    pub on_set_tab: Callback<Tab>,
    pub on_filter: Callback<EventFilter>,
    pub on_notify: Callback<Notice>,
    pub on_dismiss: Callback<usize>,
    /// Replace the working scenario (library, editors, import) and restart the run. Undoable.
    pub on_open_scenario: Callback<Scenario>,
    /// A scenario file's text; the first value names it in errors.
    pub on_open_text: Callback<(String, String)>,
    /// Change the working scenario keeping the run's inputs (a verified fix). Undoable.
    pub on_amend: Callback<Scenario>,
    pub on_set_drafts: Callback<Drafts>,
    /// A share link as `hooks::link` read it (the one the app opened with, or one pasted into
    /// the address bar), or why it could not be read.
    pub on_open_link: Callback<Result<crate::persist::OpenedLink, String>>,
    /// Back to the work a shared link replaced (read from this instance's storage).
    pub on_open_work: Callback<()>,
    /// The work an earlier version kept aside for a link (`persist::PREVIOUS`).
    pub on_open_previous: Callback<()>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    /// Open a lesson (`Some(id)`: its stage becomes this tab's own document) or restart its
    /// step (`None`), with its stage and the inputs to the step's start.
    pub on_lesson_run: Callback<(Option<String>, Scenario, Vec<Op>)>,
    /// A lesson's "Restart step": its stage and the inputs to the step's start; undoable (the
    /// run it replaces goes into the edit history as "Restart step").
    pub on_restart_step: Callback<(Scenario, Vec<Op>)>,
    /// A lesson step's "show me": its start, its actions, its end.
    pub on_show_me: Callback<(SimTime, Vec<Action>, SimTime)>,
    /// Leave the lesson: back to the user's work, or to the default scenario when there is none.
    pub on_leave_lesson: Callback<()>,
    pub on_branch: Callback<()>,
    pub on_drop_branch: Callback<()>,
}

/// Intents about simulated time (the transport, the timeline and the keyboard).
#[derive(Clone, PartialEq)]
pub struct TimeIntents {
    pub on_step: Callback<()>,
    pub on_next_decision: Callback<()>,
    pub on_step_back: Callback<()>,
    pub on_toggle_play: Callback<()>,
    pub on_speed: Callback<u32>,
    pub on_seek: Callback<SimTime>,
    pub on_reset: Callback<()>,
    /// The play timer fired after this many ms of real time.
    pub on_advance: Callback<u32>,
}

impl Intents {
    pub fn from_dispatcher(dispatcher: &UseReducerDispatcher<Sandbox>, store: &Store) -> Intents {
        Intents {
            on_apply: intent(dispatcher, SandboxAction::Apply),
            on_apply_all: intent(dispatcher, SandboxAction::ApplyAll),
            on_select: intent(dispatcher, |selection| {
                SandboxAction::Select(Some(selection))
            }),
            on_set_tab: intent(dispatcher, SandboxAction::SetTab),
            on_filter: intent(dispatcher, SandboxAction::SetFilter),
            on_notify: intent(dispatcher, SandboxAction::Notify),
            on_dismiss: intent(dispatcher, SandboxAction::Dismiss),
            on_open_scenario: intent(dispatcher, SandboxAction::OpenScenario),
            on_open_text: intent(dispatcher, |(source, text)| SandboxAction::OpenText {
                source,
                text,
            }),
            on_amend: intent(dispatcher, SandboxAction::Amend),
            on_set_drafts: intent(dispatcher, |drafts| {
                SandboxAction::SetDrafts(Box::new(drafts))
            }),
            on_open_link: intent(dispatcher, SandboxAction::OpenLink),
            on_open_work: {
                let (dispatcher, store) = (dispatcher.clone(), store.clone());
                // Storage is read here, not in the reducer (which does no I/O).
                Callback::from(move |()| {
                    dispatcher.dispatch(SandboxAction::OpenWork(store.open_work()))
                })
            },
            on_open_previous: {
                let (dispatcher, store) = (dispatcher.clone(), store.clone());
                Callback::from(move |()| {
                    dispatcher.dispatch(SandboxAction::OpenPrevious(store.load_previous()))
                })
            },
            on_lesson_run: {
                let (dispatcher, store) = (dispatcher.clone(), store.clone());
                Callback::from(move |(id, scenario, tape): (Option<String>, _, _)| {
                    if let Some(id) = &id {
                        store.begin_lesson(id);
                    }
                    dispatcher.dispatch(SandboxAction::LessonRun {
                        scenario: Box::new(scenario),
                        tape,
                        fresh: id.is_some(),
                        restart: false,
                    })
                })
            },
            on_restart_step: intent(dispatcher, |(scenario, tape)| SandboxAction::LessonRun {
                scenario: Box::new(scenario),
                tape,
                fresh: false,
                restart: true,
            }),
            on_show_me: intent(dispatcher, |(at, actions, until)| SandboxAction::ShowMe {
                at,
                actions,
                until,
            }),
            on_leave_lesson: {
                let (dispatcher, store) = (dispatcher.clone(), store.clone());
                Callback::from(move |()| {
                    if store.has_work() {
                        return dispatcher.dispatch(SandboxAction::OpenWork(store.open_work()));
                    }
                    store.end_lesson();
                    let scenario = flotilla_core::parse_scenario(
                        flotilla_core::builtin::DEFAULT_SCENARIO_JSON,
                    )
                    .unwrap_or_else(|_| crate::persist::empty_scenario());
                    dispatcher.dispatch(SandboxAction::LessonRun {
                        scenario: Box::new(scenario),
                        tape: Vec::new(),
                        fresh: false,
                        restart: false,
                    })
                })
            },
            on_undo: intent(dispatcher, |()| SandboxAction::Undo),
            on_redo: intent(dispatcher, |()| SandboxAction::Redo),
            on_branch: intent(dispatcher, |()| SandboxAction::Branch),
            on_drop_branch: intent(dispatcher, |()| SandboxAction::DropBranch),
        }
    }
}

impl TimeIntents {
    pub fn from_dispatcher(dispatcher: &UseReducerDispatcher<Sandbox>) -> TimeIntents {
        TimeIntents {
            on_step: intent(dispatcher, |()| SandboxAction::Step),
            on_next_decision: intent(dispatcher, |()| SandboxAction::NextDecision),
            on_step_back: intent(dispatcher, |()| SandboxAction::StepBack),
            on_toggle_play: intent(dispatcher, |()| SandboxAction::TogglePlay),
            on_speed: intent(dispatcher, SandboxAction::SetSpeed),
            on_seek: intent(dispatcher, SandboxAction::Seek),
            on_reset: intent(dispatcher, |()| SandboxAction::Reset),
            on_advance: intent(dispatcher, |wall_ms| SandboxAction::Advance { wall_ms }),
        }
    }
}

/// What the jump's progress bar reports: it owns the jump's later shares (`jump_slices`), so
/// the reducer gets worlds and runs none itself.
#[derive(Clone, PartialEq)]
pub struct JumpIntents {
    pub on_cancel: Callback<()>,
    /// The jump passed a moment on the way (jump id, the world there).
    pub on_waypoint: Callback<(u64, Box<World>)>,
    pub on_reached: Callback<Box<JumpReached>>,
}

impl JumpIntents {
    pub fn from_dispatcher(dispatcher: &UseReducerDispatcher<Sandbox>) -> JumpIntents {
        JumpIntents {
            on_cancel: intent(dispatcher, |()| SandboxAction::CancelJump),
            on_waypoint: intent(dispatcher, |(id, world)| SandboxAction::JumpWaypoint {
                id,
                world,
            }),
            on_reached: intent(dispatcher, SandboxAction::JumpReached),
        }
    }
}

/// A callback that dispatches `make(value)`.
fn intent<T: 'static>(
    dispatcher: &UseReducerDispatcher<Sandbox>,
    make: impl Fn(T) -> SandboxAction + 'static,
) -> Callback<T> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |value| dispatcher.dispatch(make(value)))
}
