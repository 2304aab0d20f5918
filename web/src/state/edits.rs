//! The reducer's edits area: the working scenario (open, amend, a file's text, a link, the work
//! user's own work to go back to from a link's document), actions on the running world, and undo/redo of edits. What storage holds
//! arrives in the action (read by `intents` and `hooks`), never read here.

use super::{describe_action, Sandbox, SandboxAction, ACTIONS_ARE_REWOUND, NOTHING_TO_UNDO};
use crate::edit_history::Snapshot;
use crate::persist::{self, Notice};
use crate::run::{Op, Run};
use flotilla_core::edit::describe_edit;
use flotilla_core::{parse_scenario, Scenario};
use std::cell::RefCell;
use std::rc::Rc;

/// What Undo says it undoes after a lesson's "Restart step" ("Undo: Restart step").
const RESTART_STEP: &str = "Restart step";
/// The subject of the notices about the work kept from before a link (one at a time).
const PREVIOUS_SUBJECT: &str = "previous work";

impl Sandbox {
    pub(super) fn reduce_edit(&mut self, action: SandboxAction) {
        match action {
            SandboxAction::Undo => self.travel(true),
            SandboxAction::Redo => self.travel(false),
            SandboxAction::Apply(action) => {
                let result = self.run.borrow_mut().apply(action.clone());
                match result {
                    Ok(()) => self.saved += 1,
                    Err(error) => self.notify(Notice::error(
                        format!("{} could not be applied:", describe_action(&action)),
                        error.to_string(),
                    )),
                }
            }
            SandboxAction::ApplyAll(actions) => {
                for action in actions {
                    let result = self.run.borrow_mut().apply(action.clone());
                    self.saved += 1;
                    if let Err(error) = result {
                        self.notify(Notice::error(
                            format!("{} could not be applied:", describe_action(&action)),
                            error.to_string(),
                        ));
                        break;
                    }
                }
            }
            SandboxAction::OpenScenario(scenario) => {
                self.open(scenario);
            }
            SandboxAction::Amend(scenario) => {
                let tape = self.run.borrow().tape_to_cursor();
                if self.open(scenario) {
                    self.replay(&tape);
                }
            }
            SandboxAction::OpenText { source, text } => match parse_scenario(&text) {
                Ok(scenario) => {
                    self.open(scenario);
                }
                Err(errors) => self.notify(Notice::error(
                    format!("{source} could not be opened; your work is unchanged:"),
                    persist::join(&errors),
                )),
            },
            SandboxAction::OpenWork(work) => match work {
                Some(Ok(work)) => {
                    if let Err(error) = Run::new(work.scenario).map(|run| self.install(run)) {
                        return self.notify(Notice::error("Your work could not be opened:", error));
                    }
                    self.replay(&work.tape);
                    self.edits = Rc::new(self.stored_edits(work.edits));
                    self.edits_saved += 1;
                    self.notices
                        .retain(|n| n.subject.as_deref() != Some(persist::LINK_SUBJECT));
                }
                Some(Err(error)) => self.notify(Notice::error(
                    "Your work could not be restored; the link's scenario stays open:",
                    error,
                )),
                None => self.notify(Notice::info(
                    "There is no work of yours in this browser yet.",
                    "",
                )),
            },
            SandboxAction::OpenPrevious(work) => match work {
                Some(Ok(work)) => {
                    if self.open(work.scenario) {
                        self.replay(&work.tape);
                        self.notify(
                            Notice::info(
                                "Opened the work kept from before a link.",
                                "An earlier version of Flotilla kept it aside when a share link opened; it is now your working scenario. Undo goes back to what was open.",
                            )
                            .about(PREVIOUS_SUBJECT),
                        );
                    }
                }
                Some(Err(error)) => self.notify(
                    Notice::error("The work kept from before a link could not be read:", error)
                        .about(PREVIOUS_SUBJECT),
                ),
                None => self.notify(
                    Notice::info("There is no work kept from before a link.", "")
                        .about(PREVIOUS_SUBJECT),
                ),
            },
            SandboxAction::OpenLink(Ok(link)) => {
                // The link is its own document (the store now writes there): a history of its own.
                self.opening_link = false;
                let notice = persist::link_opened(&link.scenario.name, link.has_work);
                match Run::new(link.scenario) {
                    Ok(run) => {
                        self.install(run);
                        self.edits = Rc::default();
                        self.edits_saved += 1;
                        // A link with a moment opens there: the run to it is the tape's one input.
                        if let Some(at_ms) = link.moment {
                            self.replay(&[Op::RunUntil { at_ms }]);
                        }
                        self.notify(notice);
                    }
                    Err(error) => self.notify(persist::link_failed(error)),
                }
            }
            SandboxAction::LessonRun {
                scenario,
                tape,
                fresh,
                restart,
            } => match Run::new(*scenario) {
                Ok(run) => {
                    let before = restart.then(|| {
                        let run = self.run.borrow();
                        Snapshot {
                            label: RESTART_STEP.into(),
                            scenario: (*run.scenario).clone(),
                            tape: run.tape_to_cursor(),
                        }
                    });
                    self.install(run);
                    self.replay(&tape);
                    if fresh {
                        // A document of its own (as a link's): a history of its own.
                        self.edits = Rc::default();
                        self.edits_saved += 1;
                    }
                    if let Some(before) = before {
                        // Restarting a step throws the learner's run away: Undo brings it back.
                        Rc::make_mut(&mut self.edits).record(before);
                        self.edits_saved += 1;
                    }
                }
                Err(error) => self.notify(Notice::error(
                    "The lesson's scenario could not be loaded:",
                    error,
                )),
            },
            SandboxAction::ShowMe { at, actions, until } => {
                self.playing = false;
                if self.now() != at {
                    self.run.borrow_mut().seek(at);
                }
                for action in actions {
                    let result = self.run.borrow_mut().apply(action.clone());
                    self.saved += 1;
                    if let Err(error) = result {
                        return self.notify(Notice::error(
                            format!("{} could not be applied:", describe_action(&action)),
                            error.to_string(),
                        ));
                    }
                }
                self.seek(until);
                self.saved += 1;
            }
            SandboxAction::OpenLink(Err(error)) => {
                self.opening_link = false;
                self.notify(persist::link_failed(error))
            }
            _ => unreachable!("the reducer routes only edit actions here"),
        }
    }

    pub(super) fn replay(&mut self, tape: &[Op]) {
        let run = self.run.clone();
        let mut run = run.borrow_mut();
        for (index, op) in tape.iter().enumerate() {
            if let Err(error) = run.exec(op) {
                self.notify(Notice::error(
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
                self.notify(Notice::error(
                    "That scenario could not be loaded; your work is unchanged:",
                    error,
                ));
                false
            }
        }
    }

    fn install(&mut self, run: Run) {
        // A share link shown for the scenario that was open would now be the wrong one.
        self.notices.retain(|n| n.link.is_none());
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
            self.notify(notice);
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
                self.notify(Notice::error(
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
