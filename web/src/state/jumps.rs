//! The reducer's jumps area: a long jump runs in shares (`jump_slices`) while the run stays
//! where it was; what arrives from it (waypoints, the world reached) comes as worlds, so nothing
//! here runs the world or reads the wall clock.

use super::{JumpReached, Sandbox, SandboxAction};
use crate::jump::JumpResult;
use crate::persist::Notice;

impl Sandbox {
    /// What an action does while a jump runs: false when it must wait for the jump (the
    /// transport disables those controls; shortcuts wait too); an input that replaces or acts
    /// before the jump drops it.
    pub(super) fn gate_for_jump(&mut self, action: &SandboxAction) -> bool {
        // A seek waiting for its page run is replaced by the next input of any kind (it has
        // shown nothing yet, so nothing is said).
        if self.page_seek.is_some()
            && !matches!(
                action,
                SandboxAction::PageSeekReached { .. } | SandboxAction::LongJump(_)
            )
            && !action.is_view_only()
        {
            self.page_seek = None;
        }
        let Some(jump) = &self.jump else {
            return true;
        };
        match action {
            SandboxAction::Step
            | SandboxAction::NextDecision
            | SandboxAction::StepBack
            | SandboxAction::Advance { .. }
            | SandboxAction::SetPlaying(_)
            | SandboxAction::TogglePlay => return false,
            // Another moment replaces the jump.
            SandboxAction::Seek(_) | SandboxAction::Reset => self.jump = None,
            // Inputs from the rest of the screen act on the moment it shows, before the jump.
            SandboxAction::Apply(_)
            | SandboxAction::ApplyAll(_)
            | SandboxAction::OpenScenario(_)
            | SandboxAction::Amend(_)
            | SandboxAction::OpenText { .. }
            | SandboxAction::OpenWork(_)
            | SandboxAction::OpenPrevious(_)
            | SandboxAction::OpenLink(_)
            | SandboxAction::LessonRun { .. }
            | SandboxAction::ShowMe { .. }
            | SandboxAction::Undo
            | SandboxAction::Redo
            | SandboxAction::Branch => {
                self.notify(Notice::info(
                    format!("The jump to {} was cancelled by your input.", jump.target),
                    "",
                ));
                self.jump = None;
            }
            _ => {}
        }
        true
    }

    /// Applies a jump action; false when it was a cancelled jump's late message.
    pub(super) fn reduce_jump(&mut self, action: SandboxAction) -> bool {
        let current =
            |id: u64, sandbox: &Sandbox| sandbox.jump.as_ref().is_some_and(|j| j.id == id);
        match action {
            SandboxAction::JumpWaypoint { id, world } => {
                if !current(id, self) {
                    return false;
                }
                self.run.borrow_mut().add_waypoint(*world);
            }
            SandboxAction::JumpReached(reached) => {
                if !current(reached.id, self) {
                    return false;
                }
                let JumpReached { world, digest, .. } = *reached;
                self.finish_jump(world, digest);
            }
            SandboxAction::CancelJump => self.jump = None,
            _ => unreachable!("the reducer routes only jump actions here"),
        }
        true
    }

    /// Puts the world a jump reached into the run.
    fn finish_jump(&mut self, world: flotilla_core::World, digest: u64) {
        let Some(jump) = self.jump.take() else {
            return;
        };
        self.last_jump = Some(JumpResult {
            // Short of the target when the run hit a bound.
            at: world.now(),
            bound: world.run_bound(),
            events: world.events().len() as u64,
            digest,
        });
        self.run.borrow_mut().finish_seek(world, jump.target);
        self.saved += 1;
    }
}
