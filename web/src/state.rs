//! The app's single reducer: the run (scenario, world, tape of inputs, checkpoints), play state,
//! what is selected, the event-log filter and the banners. The run sits behind
//! `Rc<RefCell<_>>` so a step mutates it in place; `version` changes on every action so
//! components re-render (Yew 0.23 skips a re-render when `reduce` returns the same `Rc`), and
//! `saved` changes whenever the autosave should be rewritten.

use crate::drafts::Drafts;
use crate::edit_history::{EditHistory, Snapshot};
use crate::jump::{self, Jump, JumpResult, PageRun};
use crate::persist::{self, Notice, Startup};
use crate::run::{Op, Run};
use flotilla_core::cluster::InstanceId;
use flotilla_core::edit::describe_edit;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskId;
use flotilla_core::world::{DECISION_HORIZON_MS, DECISION_WAKEUPS_MAX};
use flotilla_core::{parse_scenario, Action, DecisionStop, Scenario, SimTime, World};
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
    pub run: Rc<RefCell<Run>>,
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
    pub branch: Option<Rc<RefCell<Run>>>,
    /// When the branch was made: the simulated time and how many events both runs share.
    pub branch_fork: (SimTime, usize),
    /// Undo/redo of edits to the working scenario (not of actions on the run: those rewind).
    pub edits: Rc<EditHistory>,
    /// Changes whenever `edits` should be stored again.
    pub edits_saved: u64,
    /// A long jump running in the worker; the run is unchanged until it is done.
    pub jump: Option<Rc<Jump>>,
    /// Jumps started so far (each gets the next id).
    pub jumps: u64,
    pub last_jump: Option<JumpResult>,
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
    /// Back to the work that a shared link replaced.
    OpenPrevious,
    /// A share link pasted into the address bar of the open app (`persist::take_link`).
    OpenLink(Result<Scenario, String>),
    Notify(Notice),
    Dismiss(usize),
    /// Boxed: the drafts are far larger than any other action.
    SetDrafts(Box<Drafts>),
    /// Fork the run here: the copy is kept to compare while this run is changed.
    Branch,
    DropBranch,
    /// The worker reached the jump's target: the world there, as snapshot bytes.
    JumpDone {
        id: u64,
        snapshot: Vec<u8>,
    },
    /// The worker passed a moment on the way: the world there, kept as a checkpoint of the run
    /// (it does not change what is shown).
    JumpWaypoint {
        id: u64,
        snapshot: Vec<u8>,
    },
    /// No worker could run the jump (`message` says why): finish it on the page.
    JumpFailed {
        id: u64,
        message: String,
    },
    /// Drop the jump in progress; the run stays where it was before it.
    CancelJump,
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
            jump: None,
            jumps: 0,
            last_jump: None,
        };
        sandbox.replay(&startup.tape);
        sandbox
    }

    /// Adds the stored edit history (`persist::load_edits`); a link that replaced the work at
    /// startup is itself an edit, undone back to that work.
    pub fn with_edits(
        mut self,
        stored: Option<Result<EditHistory, String>>,
        replaced: Option<(Scenario, Vec<Op>)>,
    ) -> Sandbox {
        let mut history = match stored {
            Some(Ok(history)) => history,
            Some(Err(error)) => {
                self.notices.push(Notice::error(
                    "Your undo history could not be restored (it is kept in browser storage under flotilla.edits.broken); your work is open and new edits can be undone:",
                    error,
                ));
                EditHistory::default()
            }
            None => EditHistory::default(),
        };
        if let Some((scenario, tape)) = replaced {
            let opened = describe_edit(&scenario, &self.run.borrow().scenario);
            history.record(Snapshot {
                label: format!("{opened} from a link"),
                scenario,
                tape,
            });
            self.edits_saved += 1;
        }
        self.edits = Rc::new(history);
        self
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

    fn replay(&mut self, tape: &[crate::run::Op]) {
        let mut run = self.run.borrow_mut();
        for (index, op) in tape.iter().enumerate() {
            if let Err(error) = run.exec(op) {
                self.notices.push(Notice::error(
                    format!(
                        "Your run was replayed up to input {index} of {}; the rest could not be:",
                        tape.len()
                    ),
                    error.to_string(),
                ));
                break;
            }
        }
    }

    /// Goes to a moment. A forward run from a saved state gets the page's time budget, then the
    /// worker (see `jump`); everything else is `Run::seek`.
    fn seek(&mut self, at: SimTime) {
        let start = self.run.borrow().seek_start(at);
        let Some(mut world) = start else {
            self.run.borrow_mut().seek(at);
            return;
        };
        let from = self.now();
        match jump::run_on_page(&mut world, at, jump::PAGE_BUDGET_MS) {
            PageRun::Reached => self.run.borrow_mut().finish_seek(world, at),
            PageRun::Unfinished { popped } => {
                self.jumps += 1;
                self.jump = Some(Rc::new(Jump {
                    id: self.jumps,
                    from,
                    target: at,
                    reached: world.now(),
                    events: world.events().len() as u64,
                    popped,
                    snapshot: world.to_snapshot(),
                }));
            }
        }
    }

    /// Puts the world a jump reached into the run.
    fn finish_jump(
        &mut self,
        world: flotilla_core::World,
        fingerprint: u64,
        ran_in: &'static str,
        take_in_ms: u32,
    ) {
        let Some(jump) = self.jump.take() else {
            return;
        };
        self.last_jump = Some(JumpResult {
            at: jump.target,
            events: world.events().len() as u64,
            fingerprint,
            ran_in,
            take_in_ms,
        });
        self.run.borrow_mut().finish_seek(world, jump.target);
        self.saved += 1;
    }

    /// Restart with a new working scenario; the one it replaces (with its run's inputs) can be
    /// brought back with Undo. False (with a notice) when the scenario could not be loaded.
    fn open(&mut self, scenario: Scenario) -> bool {
        let before = {
            let run = self.run.borrow();
            Snapshot {
                label: describe_edit(&run.scenario, &scenario),
                scenario: (*run.scenario).clone(),
                tape: run.tape_to_cursor(),
            }
        };
        match Run::new(scenario) {
            Ok(run) => {
                self.install(run);
                Rc::make_mut(&mut self.edits).record(before);
                self.edits_saved += 1;
                true
            }
            Err(error) => {
                self.notices.push(Notice::error(
                    "That scenario could not be loaded; your work is unchanged:",
                    error,
                ));
                false
            }
        }
    }

    fn install(&mut self, run: Run) {
        self.run = Rc::new(RefCell::new(run));
        self.selection = None;
        self.playing = false;
        self.saved += 1;
    }

    /// Undo (`back`) or redo: goes to the state the history hands back and replays its inputs.
    /// If that state cannot be loaded (damaged storage), the working scenario stays and the
    /// entry is dropped.
    fn travel(&mut self, back: bool) {
        let current = {
            let run = self.run.borrow();
            ((*run.scenario).clone(), run.tape_to_cursor())
        };
        let edits = Rc::make_mut(&mut self.edits);
        let target = if back {
            edits.undo(current)
        } else {
            edits.redo(current)
        };
        let Some(target) = target else {
            let notice = if back {
                Notice::info(NOTHING_TO_UNDO, ACTIONS_ARE_REWOUND)
            } else {
                Notice::info("Nothing to redo.", "")
            };
            // Pressing Ctrl+Z again does not stack the same banner.
            self.notices.retain(|n| n != &notice);
            self.notices.push(notice);
            return;
        };
        self.edits_saved += 1;
        match Run::new(target.scenario) {
            Ok(run) => {
                self.install(run);
                self.replay(&target.tape);
            }
            Err(error) => {
                Rc::make_mut(&mut self.edits).cancel(back);
                self.notices.push(Notice::error(
                    format!(
                        "\u{201c}{}\u{201d} could not be {}; your work is unchanged:",
                        target.label,
                        if back { "undone" } else { "redone" }
                    ),
                    error,
                ));
            }
        }
    }
}

impl Reducible for Sandbox {
    type Action = SandboxAction;

    fn reduce(self: Rc<Self>, action: SandboxAction) -> Rc<Self> {
        let mut next = (*self).clone();
        // What only changes the view keeps the version, so components showing the world skip
        // their re-render (a tab click at 10,000 tasks must not redraw the fleet).
        let view_only = matches!(
            action,
            SandboxAction::SetTab(_)
                | SandboxAction::SetFilter(_)
                | SandboxAction::SetSpeed(_)
                | SandboxAction::SetDrafts(_)
                | SandboxAction::Select(_)
                | SandboxAction::Notify(_)
                | SandboxAction::Dismiss(_)
                | SandboxAction::CancelJump
                | SandboxAction::JumpWaypoint { .. }
        );
        if !view_only {
            next.version += 1;
        }
        if let Some(jump) = &next.jump {
            match action {
                // The transport disables these while a jump runs; shortcuts wait for it too.
                SandboxAction::Step
                | SandboxAction::NextDecision
                | SandboxAction::StepBack
                | SandboxAction::Advance { .. }
                | SandboxAction::SetPlaying(_)
                | SandboxAction::TogglePlay => return self,
                // Another moment replaces the jump.
                SandboxAction::Seek(_) | SandboxAction::Reset => next.jump = None,
                // Inputs from the rest of the screen act on the moment it shows, before the jump.
                SandboxAction::Apply(_)
                | SandboxAction::ApplyAll(_)
                | SandboxAction::OpenScenario(_)
                | SandboxAction::Amend(_)
                | SandboxAction::OpenText { .. }
                | SandboxAction::OpenPrevious
                | SandboxAction::OpenLink(_)
                | SandboxAction::Undo
                | SandboxAction::Redo
                | SandboxAction::Branch => {
                    next.notices.push(Notice::info(
                        format!("The jump to {} was cancelled by your input.", jump.target),
                        "",
                    ));
                    next.jump = None;
                }
                _ => {}
            }
        }
        match action {
            SandboxAction::Step => {
                if !next.playing {
                    next.run.borrow_mut().step();
                    next.saved += 1;
                }
            }
            SandboxAction::NextDecision => {
                next.playing = false;
                let report = next.run.borrow_mut().step_to_next_decision();
                next.saved += 1;
                next.notices.retain(|n| !n.title.starts_with(NO_DECISION));
                let now = next.now();
                let detail = match report.stop {
                    DecisionStop::Decision => None,
                    DecisionStop::Idle => Some(format!(
                        "Nothing is left to happen in this run; the clock stays at {now}."
                    )),
                    DecisionStop::Horizon => Some(format!(
                        "Nothing was decided in the next {} minutes of simulated time; the clock moved to {now}. Press Next decision again to look further.",
                        DECISION_HORIZON_MS / 60_000
                    )),
                    DecisionStop::Bounded => Some(format!(
                        "Nothing was decided in {DECISION_WAKEUPS_MAX} wake-ups; stopped at {now}."
                    )),
                };
                if let Some(detail) = detail {
                    next.notices
                        .push(Notice::info(format!("{NO_DECISION} came."), detail));
                }
            }
            SandboxAction::Undo => next.travel(true),
            SandboxAction::Redo => next.travel(false),
            SandboxAction::StepBack => {
                next.playing = false;
                next.run.borrow_mut().step_back();
                next.saved += 1;
            }
            SandboxAction::Advance { wall_ms } => {
                if !next.playing {
                    return self;
                }
                let mut run = next.run.borrow_mut();
                let at = run
                    .world()
                    .now()
                    .plus_ms(u64::from(wall_ms) * u64::from(next.speed));
                run.run_until(at);
            }
            SandboxAction::SetPlaying(playing) => {
                next.playing = playing;
                next.saved += 1;
            }
            SandboxAction::TogglePlay => {
                next.playing = !next.playing;
                next.saved += 1;
            }
            SandboxAction::SetSpeed(speed) => next.speed = speed,
            SandboxAction::Seek(at) => {
                next.playing = false;
                next.seek(at);
                if next.jump.is_some() {
                    // Handed to the worker: the world on screen has not changed yet.
                    next.version = self.version;
                } else {
                    next.saved += 1;
                }
            }
            SandboxAction::Reset => {
                next.playing = false;
                next.run.borrow_mut().rewind_to_start();
                next.saved += 1;
            }
            SandboxAction::Apply(action) => {
                let result = next.run.borrow_mut().apply(action.clone());
                match result {
                    Ok(()) => next.saved += 1,
                    Err(error) => next.notices.push(Notice::error(
                        format!("{} could not be applied:", describe_action(&action)),
                        error.to_string(),
                    )),
                }
            }
            SandboxAction::ApplyAll(actions) => {
                for action in actions {
                    let result = next.run.borrow_mut().apply(action.clone());
                    next.saved += 1;
                    if let Err(error) = result {
                        next.notices.push(Notice::error(
                            format!("{} could not be applied:", describe_action(&action)),
                            error.to_string(),
                        ));
                        break;
                    }
                }
            }
            SandboxAction::Select(selection) => {
                next.selection = selection;
                if selection.is_some() {
                    next.tab = Tab::Details;
                }
            }
            SandboxAction::SetTab(tab) => next.tab = tab,
            SandboxAction::SetFilter(filter) => next.filter = filter,
            SandboxAction::OpenScenario(scenario) => {
                next.open(scenario);
            }
            SandboxAction::Amend(scenario) => {
                let tape = next.run.borrow().tape_to_cursor();
                if next.open(scenario) {
                    next.replay(&tape);
                }
            }
            SandboxAction::OpenText { source, text } => match parse_scenario(&text) {
                Ok(scenario) => {
                    next.open(scenario);
                }
                Err(errors) => next.notices.push(Notice::error(
                    format!("{source} could not be opened; your work is unchanged:"),
                    persist::join(&errors),
                )),
            },
            SandboxAction::OpenPrevious => match persist::load_saved(persist::PREVIOUS_KEY) {
                Some(Ok((scenario, tape))) => {
                    if next.open(scenario) {
                        next.replay(&tape);
                    }
                }
                Some(Err(error)) => next.notices.push(Notice::error(
                    "Your previous work could not be restored:",
                    error,
                )),
                None => next.notices.push(Notice::info(
                    "There is no previous work in this browser.",
                    "",
                )),
            },
            SandboxAction::OpenLink(Ok(scenario)) => {
                let notice = persist::link_opened(&scenario);
                next.open(scenario);
                next.notices.push(notice);
            }
            SandboxAction::OpenLink(Err(error)) => next.notices.push(persist::link_failed(error)),
            SandboxAction::Notify(notice) => {
                next.notices.retain(|n| n != &notice);
                next.notices.push(notice);
            }
            SandboxAction::SetDrafts(drafts) => next.drafts = *drafts,
            SandboxAction::Branch => {
                let fork = next.run.borrow().clone();
                next.branch_fork = (fork.world().now(), fork.world().events().len());
                next.branch = Some(Rc::new(RefCell::new(fork)));
                next.tab = Tab::Compare;
            }
            SandboxAction::DropBranch => next.branch = None,
            SandboxAction::JumpWaypoint { id, snapshot } => {
                if next.jump.as_ref().is_none_or(|jump| jump.id != id) {
                    return self; // a cancelled jump's late message
                }
                // A waypoint that does not decode is only a missed shortcut for later rewinds.
                if let Ok(world) = flotilla_core::World::from_snapshot(&snapshot) {
                    next.run.borrow_mut().add_waypoint(world);
                }
            }
            SandboxAction::JumpDone { id, snapshot } => {
                if next.jump.as_ref().is_none_or(|jump| jump.id != id) {
                    return self; // a cancelled jump's late answer
                }
                let started = jump::wall_ms();
                match flotilla_core::World::from_snapshot(&snapshot) {
                    Ok(world) => {
                        let fingerprint =
                            flotilla_core::world::snapshot_fingerprint(&snapshot).unwrap_or(0);
                        let took = (jump::wall_ms() - started) as u32;
                        next.finish_jump(world, fingerprint, "worker", took);
                    }
                    Err(error) => {
                        next.jump = None;
                        next.notices.push(Notice::error(
                            "The jump could not be finished; the run is where it was:",
                            error.to_string(),
                        ));
                    }
                }
            }
            SandboxAction::JumpFailed { id, message } => {
                let Some(jump) = next.jump.clone().filter(|jump| jump.id == id) else {
                    return self;
                };
                match jump::run_rest_on_page(&jump) {
                    Ok(world) => {
                        let fingerprint =
                            flotilla_core::world::snapshot_fingerprint(&world.to_snapshot())
                                .unwrap_or(0);
                        next.finish_jump(world, fingerprint, "page", 0);
                        next.notices.push(Notice::info(
                            "The jump ran on the page, which may have paused, because the background worker could not start:",
                            message,
                        ));
                    }
                    Err(error) => {
                        next.jump = None;
                        next.notices.push(Notice::error(
                            "The jump could not be finished; the run is where it was:",
                            error,
                        ));
                    }
                }
            }
            SandboxAction::CancelJump => next.jump = None,
            SandboxAction::Dismiss(index) => {
                if index < next.notices.len() {
                    next.notices.remove(index);
                }
            }
        }
        // The branch follows the run's clock, so the two are compared at the same moment.
        if let Some(branch) = &next.branch {
            let now = next.now();
            if branch.borrow().world().now() != now {
                branch.borrow_mut().seek(now);
            }
        }
        Rc::new(next)
    }
}

/// The start of the notice "Next decision" shows when it found none (replaced on the next try).
const NO_DECISION: &str = "No decision";
pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
/// Why the running world's actions are not in the edit history (Undo's title and notice).
pub const ACTIONS_ARE_REWOUND: &str = "Undo covers edits to the scenario. Actions on the running world (scale, stop, deploy, drain\u{2026}) are undone by rewinding: \u{2190} Back or the timeline.";

/// A short label for an action, in the words of the ECS API.
pub fn describe_action(action: &Action) -> String {
    match action {
        Action::UpdateService(update) => match (update.desired_count, &update.task_definition) {
            (Some(count), _) => format!("Scale {} to {count}", update.service),
            (None, Some(revision)) => format!("Deploy {revision} to {}", update.service),
            (None, None) if update.force_new_deployment == Some(true) => {
                format!("Force new deployment of {}", update.service)
            }
            (None, None) => format!("UpdateService {}", update.service),
        },
        Action::StopTask { task } => format!("Stop task {task}"),
        Action::TerminateInstance { instance } => format!("Terminate {instance}"),
        Action::RegisterTaskDefinition(register) => {
            crate::taskdef_draft::describe_register(register)
        }
        Action::RunTask(run) => format!("RunTask {}", run.task_definition),
        Action::StartTask(start) => format!("StartTask {}", start.task_definition),
        Action::DrainInstance { instance } => format!("Drain {instance}"),
        Action::ActivateInstance { instance } => format!("Activate {instance}"),
        Action::FailAvailabilityZone { availability_zone } => {
            format!("Lose {availability_zone}")
        }
        Action::SetAlarmState { alarm_name, state } => {
            format!("Alarm {alarm_name} {}", state.as_str())
        }
    }
}

/// What components receive: the run plus the version it is at, so props compare cheaply.
#[derive(Clone)]
pub struct WorldHandle {
    pub run: Rc<RefCell<Run>>,
    pub version: u64,
}

impl WorldHandle {
    pub fn world(&self) -> Ref<'_, World> {
        Ref::map(self.run.borrow(), Run::world)
    }
}

impl PartialEq for WorldHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.version == other.version
    }
}
