//! The app's single reducer: the run (scenario, world, tape of inputs, checkpoints), play state,
//! what is selected, the event-log filter and the banners. `reduce` routes each action to its
//! area — `time` (step, play, seek), `edits` (the working scenario, actions on the run, undo),
//! `jumps` (long jumps handed to the worker), `view` (selection, tabs, notices, the branch) —
//! and does no I/O: storage is read and written by hooks (`hooks/`), the page's timed share of a
//! long seek runs in `hooks::page_seek`, and worker results arrive as decoded worlds. Outside the
//! reducer the run is read through `WorldHandle`, never changed. The run sits behind
//! `Rc<RefCell<_>>` so a step mutates it in place; `version` changes on every action so
//! components re-render (Yew 0.23 skips a re-render when `reduce` returns the same `Rc`), and
//! `saved` changes whenever the autosave should be rewritten.

mod edits;
mod jumps;
mod time;
mod view;

use crate::drafts::Drafts;
use crate::edit_history::EditHistory;
use crate::jump::{Jump, JumpResult};
use crate::persist::{self, Notice, Startup};
use crate::run::Run;
pub use flotilla_app::action_words::describe_action;
use flotilla_core::cluster::InstanceId;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskId;
use flotilla_core::{Action, Scenario, SimTime, World};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::Reducible;

/// Simulated seconds per wall-clock second offered by the speed selector.
pub const SPEEDS: [u32; 4] = [1, 10, 30, 120];
pub const DEFAULT_SPEED: u32 = 10;

/// What the details panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Task(TaskId),
    Instance(InstanceId),
    Service(ServiceId),
}

/// The right-hand column's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Events,
    Details,
    Jobs,
    Edit,
    /// Reached from the toolbar's Import button, not a tab of its own.
    Import,
    Compare,
    /// Clients → Route 53 → load balancers → target groups → targets, and Cloud Map.
    Traffic,
}

/// Event log filter, by names so it survives a rewind or a restart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub service: Option<String>,
    pub instance: Option<String>,
    pub kind: Option<String>,
}

#[derive(Clone)]
pub struct Sandbox {
    /// Changed only by `reduce`; others read it through `handle()`.
    run: Rc<RefCell<Run>>,
    pub version: u64,
    pub saved: u64,
    pub playing: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: u32,
    pub notices: Vec<Notice>,
    pub selection: Option<Selection>,
    pub tab: Tab,
    pub filter: EventFilter,
    /// Half-filled editor forms (also kept in browser storage).
    pub drafts: Drafts,
    /// A fork of the run to compare with, kept at the same simulated time as the run.
    branch: Option<Rc<RefCell<Run>>>,
    /// When the branch was made: the simulated time and how many events both runs share.
    pub branch_fork: (SimTime, usize),
    /// Undo/redo of edits to the working scenario (not of actions on the run: those rewind).
    pub edits: Rc<EditHistory>,
    /// Changes whenever `edits` should be stored again.
    pub edits_saved: u64,
    /// A forward seek waiting for its run on the page (`hooks::page_seek`), after this render.
    pub page_seek: Option<Rc<PageSeek>>,
    /// A long jump running in the worker; the run is unchanged until it is done.
    pub jump: Option<Rc<Jump>>,
    /// Jumps started so far (each gets the next id).
    pub jumps: u64,
    pub last_jump: Option<JumpResult>,
    /// Where a damaged edit history is kept, for the notice about it.
    broken_edits_key: Rc<str>,
    /// The share link the app opened with is still being inflated (`persist::Startup`): the
    /// app stays hidden and nothing is saved until it has opened or failed.
    pub opening_link: bool,
}

pub enum SandboxAction {
    /// Process wake-ups until at least one event happens.
    Step,
    /// Process wake-ups until the scheduler or placement engine decides something (bounded).
    NextDecision,
    /// Back to the working scenario (and run inputs) before the last edit.
    Undo,
    /// Re-apply the last undone edit.
    Redo,
    /// Back to the moment before the last step.
    StepBack,
    /// The play timer fired after `wall_ms` of real time.
    Advance {
        wall_ms: u32,
    },
    SetPlaying(bool),
    TogglePlay,
    SetSpeed(u32),
    /// Go to a moment: back (rewind), along the tape (redo) or past its end.
    Seek(SimTime),
    /// The page's share of seek `id` reached its moment (`hooks::page_seek`).
    PageSeekReached {
        id: u64,
        world: Box<World>,
    },
    /// The first share of a seek ran out of time: it goes on as a jump in later shares, with
    /// a progress bar (`jump_slices`).
    LongJump(Rc<Jump>),
    /// Back to the scenario's start (the tape is kept until the next input).
    Reset,
    /// A user action on the running world (scale, stop a task, terminate an instance...).
    Apply(Action),
    /// Several actions in order (RegisterTaskDefinition then UpdateService); stops at the first
    /// that fails, keeping the ones before it (each is on the tape).
    ApplyAll(Vec<Action>),
    Select(Option<Selection>),
    SetTab(Tab),
    SetFilter(EventFilter),
    /// Change the working scenario and replay this run's inputs on it up to the moment shown,
    /// so the user's actions are kept (a fix applied from the placement explainer). Undoable.
    Amend(Scenario),
    /// Replace the working scenario (library, edits) and restart the run.
    OpenScenario(Scenario),
    /// A scenario file's text, from a file or elsewhere; `source` names it in errors.
    OpenText {
        source: String,
        text: String,
    },
    /// Back to the user's own work from a link's document, as read from storage (by `intents`).
    OpenWork(Option<Result<persist::Work, String>>),
    /// The work an earlier version kept aside when a link replaced it (`persist::PREVIOUS`), as
    /// read from storage: opened as the working scenario with its run's inputs; Undo goes back.
    OpenPrevious(Option<Result<persist::Work, String>>),
    /// A share link (the one the app opened with, or one pasted into the address bar of the
    /// open app) as `hooks::link` read it, opened as its own document at its moment.
    OpenLink(Result<persist::OpenedLink, String>),
    /// A lesson's stage as the run, with the inputs that bring it to a step's start
    /// (`lessons::tape_to_step`): opening a lesson (`fresh`: a document of its own, with a
    /// history of its own, as a link opens) or restarting its step (`restart`: the run it
    /// replaces is kept in the edit history, so Undo brings it back).
    LessonRun {
        scenario: Box<Scenario>,
        tape: Vec<crate::run::Op>,
        fresh: bool,
        restart: bool,
    },
    /// A lesson step's "show me": to the step's start `at`, its actions applied as the user's
    /// own (on the tape), then a seek to the step's end `until` through the normal seek path.
    ShowMe {
        at: SimTime,
        actions: Vec<Action>,
        until: SimTime,
    },
    Notify(Notice),
    Dismiss(usize),
    /// Boxed: the drafts are far larger than any other action.
    SetDrafts(Box<Drafts>),
    /// Fork the run here: the copy is kept to compare while this run is changed.
    Branch,
    DropBranch,
    /// The jump reached its target.
    JumpReached(Box<JumpReached>),
    /// The jump passed a moment on the way: the world there, kept as a checkpoint of the run
    /// (it does not change what is shown).
    JumpWaypoint {
        id: u64,
        world: Box<World>,
    },
    /// Drop the jump in progress; the run stays where it was before it.
    CancelJump,
}

/// A forward seek from a saved state, to be run on the page for its time budget after the
/// render that shows the request (`hooks::page_seek` takes the world out).
#[derive(Debug)]
pub struct PageSeek {
    /// Shared with the jump it may become, so late answers of a replaced seek are told apart.
    pub id: u64,
    /// The clock when the user asked.
    pub from: SimTime,
    pub at: SimTime,
    pub world: RefCell<Option<World>>,
}

/// A finished jump, its digest taken outside the reducer (`jump_slices`).
pub struct JumpReached {
    pub id: u64,
    pub world: World,
    /// `World::digest` of `world`.
    pub digest: u64,
}

impl Sandbox {
    pub fn from_startup(startup: Startup) -> Sandbox {
        let mut notices = startup.notices;
        let run = match Run::new(startup.scenario) {
            Ok(run) => run,
            Err(error) => {
                notices.push(Notice::error("The scenario could not be loaded:", error));
                Run::new(persist::empty_scenario())
                    .unwrap_or_else(|_| unreachable!("an empty scenario is valid"))
            }
        };
        let mut sandbox = Sandbox {
            run: Rc::new(RefCell::new(run)),
            version: 0,
            saved: 0,
            playing: false,
            speed: DEFAULT_SPEED,
            notices,
            selection: None,
            tab: Tab::Events,
            filter: EventFilter::default(),
            drafts: startup.drafts,
            branch: None,
            branch_fork: (SimTime(0), 0),
            edits: Rc::default(),
            edits_saved: 0,
            page_seek: None,
            jump: None,
            jumps: 0,
            last_jump: None,
            broken_edits_key: "".into(),
            opening_link: startup.link_coming,
        };
        sandbox.replay(&startup.tape);
        sandbox
    }

    /// Adds the stored edit history of the open document (`persist::load_edits`).
    pub fn with_edits(
        mut self,
        stored: Option<Result<EditHistory, String>>,
        broken_key: &str,
    ) -> Sandbox {
        self.broken_edits_key = broken_key.into();
        self.edits = Rc::new(self.stored_edits(stored));
        self
    }

    /// The edit history read from storage, or an empty one (with a notice when it was damaged).
    fn stored_edits(&mut self, stored: Option<Result<EditHistory, String>>) -> EditHistory {
        match stored {
            Some(Ok(history)) => history,
            Some(Err(error)) => {
                let broken_key = self.broken_edits_key.clone();
                self.notify(Notice::error(
                    format!("Your undo history could not be restored (it is kept in browser storage under {broken_key}); your work is open and new edits can be undone:"),
                    error,
                ));
                EditHistory::default()
            }
            None => EditHistory::default(),
        }
    }

    /// Shows `notice`, replacing the one about the same subject (`Notice::same_subject`).
    fn notify(&mut self, notice: Notice) {
        flotilla_app::notice::post(&mut self.notices, notice);
    }

    pub fn branch_handle(&self) -> Option<WorldHandle> {
        self.branch.as_ref().map(|run| WorldHandle {
            run: run.clone(),
            version: self.version,
        })
    }

    pub fn handle(&self) -> WorldHandle {
        WorldHandle {
            run: self.run.clone(),
            version: self.version,
        }
    }

    pub fn now(&self) -> SimTime {
        self.run.borrow().world().now()
    }

    /// When the run has used up its budget (`World::run_bound`, "run bound hit"): play stops and
    /// a notice says which bound and where the run stopped, replacing the last one; back at a
    /// moment before the bound, that notice goes. Not while a seek or jump still runs: it says
    /// so when it ends.
    fn say_if_bounded(&mut self) {
        if self.page_seek.is_some() || self.jump.is_some() {
            return;
        }
        let Some(bound) = self.run.borrow().run_bound() else {
            (self.notices).retain(|n| n.subject.as_deref() != Some(RUN_BOUND_SUBJECT));
            return;
        };
        self.playing = false;
        let now = self.now();
        self.notify(
            Notice::error(
                format!("The run stopped at {now}: run bound hit."),
                format!(
                    "It reached its bound of {} ({}). Go back to an earlier moment to run again from there.",
                    bound.describe(),
                    bound.advice()
                ),
            )
            .about(RUN_BOUND_SUBJECT),
        );
    }
}

/// The subject of the "run bound hit" notice (one at a time).
const RUN_BOUND_SUBJECT: &str = "run bound";

impl Reducible for Sandbox {
    type Action = SandboxAction;

    /// Routes the action to its area (`time`, `edits`, `jumps`, `view`). No area does I/O:
    /// storage, the wall clock and the heavy runs of a jump happen in hooks and components.
    fn reduce(self: Rc<Self>, action: SandboxAction) -> Rc<Self> {
        let mut next = (*self).clone();
        // What only changes the view keeps the version, so components showing the world skip
        // their re-render (a tab click at 10,000 tasks must not redraw the fleet).
        if !action.is_view_only() {
            next.version += 1;
        }
        if !next.gate_for_jump(&action) {
            return self;
        }
        let moves_time = action.moves_time();
        let changed = match action {
            SandboxAction::Step
            | SandboxAction::NextDecision
            | SandboxAction::StepBack
            | SandboxAction::Advance { .. }
            | SandboxAction::SetPlaying(_)
            | SandboxAction::TogglePlay
            | SandboxAction::SetSpeed(_)
            | SandboxAction::Seek(_)
            | SandboxAction::Reset => next.reduce_time(action, self.version),
            SandboxAction::PageSeekReached { id, world } => next.finish_page_seek(id, *world),
            SandboxAction::LongJump(jump) => next.start_long_jump(jump),
            SandboxAction::Undo
            | SandboxAction::Redo
            | SandboxAction::Apply(_)
            | SandboxAction::ApplyAll(_)
            | SandboxAction::Amend(_)
            | SandboxAction::OpenScenario(_)
            | SandboxAction::OpenText { .. }
            | SandboxAction::OpenWork(_)
            | SandboxAction::OpenPrevious(_)
            | SandboxAction::OpenLink(_)
            | SandboxAction::LessonRun { .. }
            | SandboxAction::ShowMe { .. } => {
                let moved = matches!(action, SandboxAction::ShowMe { .. });
                next.reduce_edit(action);
                if moved && next.page_seek.is_some() {
                    // The run to the step's end happens after the render, as a seek's does.
                    next.version = self.version;
                }
                true
            }
            SandboxAction::JumpReached(_)
            | SandboxAction::JumpWaypoint { .. }
            | SandboxAction::CancelJump => next.reduce_jump(action),
            SandboxAction::Select(_)
            | SandboxAction::SetTab(_)
            | SandboxAction::SetFilter(_)
            | SandboxAction::Notify(_)
            | SandboxAction::Dismiss(_)
            | SandboxAction::SetDrafts(_)
            | SandboxAction::Branch
            | SandboxAction::DropBranch => {
                next.reduce_view(action);
                true
            }
        };
        if !changed {
            return self;
        }
        if moves_time {
            next.say_if_bounded();
        }
        next.keep_branch_in_step();
        Rc::new(next)
    }
}

impl SandboxAction {
    /// True for what asks the run to go forward (or ends a seek or jump): after it, a run that
    /// stopped at its bound says so (`Sandbox::say_if_bounded`).
    fn moves_time(&self) -> bool {
        matches!(
            self,
            SandboxAction::Step
                | SandboxAction::NextDecision
                | SandboxAction::Advance { .. }
                | SandboxAction::SetPlaying(true)
                | SandboxAction::TogglePlay
                | SandboxAction::Seek(_)
                | SandboxAction::PageSeekReached { .. }
                | SandboxAction::JumpReached(_)
                | SandboxAction::ShowMe { .. }
        )
    }

    /// True for what changes only what is shown, not the world.
    fn is_view_only(&self) -> bool {
        matches!(
            self,
            SandboxAction::SetTab(_)
                | SandboxAction::SetFilter(_)
                | SandboxAction::SetSpeed(_)
                | SandboxAction::SetDrafts(_)
                | SandboxAction::Select(_)
                | SandboxAction::Notify(_)
                | SandboxAction::Dismiss(_)
                | SandboxAction::CancelJump
                | SandboxAction::JumpWaypoint { .. }
        )
    }
}

/// The start of the notice "Next decision" shows when it found none (replaced on the next try).
const NO_DECISION: &str = "No decision";
pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
/// Why the running world's actions are not in the edit history (Undo's title and notice).
pub const ACTIONS_ARE_REWOUND: &str = "Undo covers edits to the scenario. Actions on the running world (scale, stop, deploy, drain\u{2026}) are undone by rewinding: \u{2190} Back or the timeline.";

/// What components receive: the run plus the version it is at, so props compare cheaply. It
/// reads only: nothing outside the reducer can change the run through it.
#[derive(Clone)]
pub struct WorldHandle {
    run: Rc<RefCell<Run>>,
    pub version: u64,
}

impl WorldHandle {
    pub fn world(&self) -> Ref<'_, World> {
        Ref::map(self.run.borrow(), Run::world)
    }

    /// The run: scenario, tape, explanations.
    pub fn run(&self) -> Ref<'_, Run> {
        self.run.borrow()
    }

    /// True when both handles read the same run, at whatever version (the toolbar re-renders
    /// only when the run is replaced, not on every step).
    pub fn same_run(&self, other: &WorldHandle) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
    }
}

impl PartialEq for WorldHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.version == other.version
    }
}

impl WorldHandle {
    /// The run's scenario, for components that read nothing else: they re-render when it is
    /// replaced (an edit, another scenario), not on every step. The editors check a draft by
    /// compiling the whole scenario with it, ~100 ms at 10,000 services, so a re-render per
    /// step made each step with the Edit tab open cost ~250 ms there.
    pub fn scenario(&self) -> ScenarioRef {
        ScenarioRef(self.run().scenario.clone())
    }
}

/// A scenario compared by identity (the run shares one `Rc` until the scenario is replaced).
#[derive(Clone)]
pub struct ScenarioRef(pub Rc<flotilla_core::Scenario>);

impl PartialEq for ScenarioRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
