//! The reducer's view area: what is selected, the side panel's tab, the event-log filter, the
//! notices, the editors' drafts and the branch kept to compare with.

use super::{Sandbox, SandboxAction, Tab};
use std::cell::RefCell;
use std::rc::Rc;

impl Sandbox {
    pub(super) fn reduce_view(&mut self, action: SandboxAction) {
        match action {
            SandboxAction::Select(selection) => {
                self.selection = selection;
                if selection.is_some() {
                    self.tab = Tab::Details;
                }
            }
            SandboxAction::SetTab(tab) => self.tab = tab,
            SandboxAction::SetFilter(filter) => self.filter = filter,
            SandboxAction::Notify(notice) => {
                self.notify(notice);
            }
            SandboxAction::SetDrafts(drafts) => self.drafts = *drafts,
            SandboxAction::Branch => {
                let fork = self.run.borrow().clone();
                self.branch_fork = (fork.world().now(), fork.world().events().len());
                self.branch = Some(Rc::new(RefCell::new(fork)));
                self.tab = Tab::Compare;
            }
            SandboxAction::DropBranch => self.branch = None,
            SandboxAction::Dismiss(index) => {
                if index < self.notices.len() {
                    self.notices.remove(index);
                }
            }
            _ => unreachable!("the reducer routes only view actions here"),
        }
    }
}
