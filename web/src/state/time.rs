//! The reducer's time area: step, next decision, step back, the play timer's ticks, play and
//! speed, seek and reset; and the branch kept at the run's clock. A forward seek from a saved
//! state is not run here: it becomes a `PageSeek`, which `hooks::page_seek` runs for the page's
//! time budget (the wall clock) after the render, then finishes or hands to the worker (`jump`).

use super::{PageSeek, Sandbox, SandboxAction, NO_DECISION};
use crate::jump::Jump;
use crate::persist::Notice;
use flotilla_core::world::{DECISION_HORIZON_MS, DECISION_WAKEUPS_MAX};
use flotilla_core::{DecisionStop, SimTime, World};
use std::cell::RefCell;
use std::rc::Rc;

impl Sandbox {
    /// Applies a time action; false when nothing changed (the reducer keeps the old state).
    pub(super) fn reduce_time(&mut self, action: SandboxAction, version_before: u64) -> bool {
        match action {
            SandboxAction::Step => {
                let at_end = self.run.borrow().world().next_wakeup_at().is_none();
                if self.playing {
                    // The play timer moves the clock; a step would race it.
                } else if at_end {
                    // As Next decision does: say so rather than silently do nothing.
                    let now = self.now();
                    self.notify(Notice::info(
                        "Nothing is left to happen.",
                        format!("Nothing is left to happen in this run; the clock stays at {now}."),
                    ));
                } else {
                    self.run.borrow_mut().step();
                    self.saved += 1;
                }
            }
            SandboxAction::NextDecision => {
                self.playing = false;
                let report = self.run.borrow_mut().step_to_next_decision();
                self.saved += 1;
                self.notices.retain(|n| !n.title.starts_with(NO_DECISION));
                let now = self.now();
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
                    // The "run bound hit" notice says it (`Sandbox::say_if_bounded`).
                    DecisionStop::RunBound(_) => None,
                };
                if let Some(detail) = detail {
                    self.notify(Notice::info(format!("{NO_DECISION} came."), detail));
                }
            }
            SandboxAction::StepBack => {
                self.playing = false;
                self.run.borrow_mut().step_back();
                self.saved += 1;
            }
            SandboxAction::Advance { wall_ms } => {
                if !self.playing {
                    return false;
                }
                let mut run = self.run.borrow_mut();
                let at = run
                    .world()
                    .now()
                    .plus_ms(u64::from(wall_ms) * u64::from(self.speed));
                run.run_until(at);
            }
            SandboxAction::SetPlaying(playing) => {
                self.playing = playing;
                self.saved += 1;
            }
            SandboxAction::TogglePlay => {
                self.playing = !self.playing;
                self.saved += 1;
            }
            SandboxAction::SetSpeed(speed) => self.speed = speed,
            SandboxAction::Seek(at) => {
                self.playing = false;
                self.seek(at);
                if self.page_seek.is_some() {
                    // Run after the render: the world on screen has not changed yet.
                    self.version = version_before;
                } else {
                    self.saved += 1;
                }
            }
            SandboxAction::Reset => {
                self.playing = false;
                self.run.borrow_mut().rewind_to_start();
                self.saved += 1;
            }
            _ => unreachable!("the reducer routes only time actions here"),
        }
        true
    }

    /// Goes to a moment. A forward run from a saved state becomes a `PageSeek` (run outside the
    /// reducer); everything else is `Run::seek`.
    pub(super) fn seek(&mut self, at: SimTime) {
        let start = self.run.borrow().seek_start(at);
        let Some(world) = start else {
            self.run.borrow_mut().seek(at);
            return;
        };
        self.jumps += 1;
        self.page_seek = Some(Rc::new(PageSeek {
            id: self.jumps,
            from: self.now(),
            at,
            world: RefCell::new(Some(world)),
        }));
    }

    /// The page's share of a seek reached its moment: `world` is the seek's start run to it.
    pub(super) fn finish_page_seek(&mut self, id: u64, world: World) -> bool {
        let Some(seek) = self.page_seek.take_if(|seek| seek.id == id) else {
            return false;
        };
        self.run.borrow_mut().finish_seek(world, seek.at);
        self.saved += 1;
        true
    }

    /// The first share of a seek ran out of time: `jump` runs the rest in later shares.
    pub(super) fn start_long_jump(&mut self, jump: Rc<Jump>) -> bool {
        if self.page_seek.take_if(|seek| seek.id == jump.id).is_none() {
            return false;
        }
        self.jump = Some(jump);
        true
    }

    /// The branch follows the run's clock, so the two are compared at the same moment.
    pub(super) fn keep_branch_in_step(&self) {
        if let Some(branch) = &self.branch {
            let now = self.now();
            if branch.borrow().world().now() != now {
                branch.borrow_mut().seek(now);
            }
        }
    }
}
