//! The first share of a long seek, run after the render that took the request (not inside the
//! reducer, which reads no wall clock): up to `jump::FIRST_SHARE_MS` of wall time in slices;
//! then the seek is finished, or goes on as a jump with a progress bar (`jump_slices`), the
//! world so far in it. Any root whose reducer seeks needs this hook (the full app, and an embed
//! alike).

use crate::jump::{self, Jump, Share};
use crate::state::{PageSeek, Sandbox, SandboxAction};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[hook]
pub fn use_page_seek(sandbox: &UseReducerHandle<Sandbox>) {
    let seek = sandbox.page_seek.clone();
    let dispatcher = sandbox.dispatcher();
    use_effect_with(seek.as_ref().map(|seek| seek.id), move |_| {
        if let Some(seek) = seek {
            if let Some(action) = run_first_share(&seek) {
                dispatcher.dispatch(action);
            }
        }
    });
}

/// Runs the seek's world on the page; `None` when another render already took it.
fn run_first_share(seek: &PageSeek) -> Option<SandboxAction> {
    let mut world = seek.world.borrow_mut().take()?;
    Some(
        match jump::run_share(&mut world, seek.at, jump::FIRST_SHARE_MS, 0) {
            Share::Reached => SandboxAction::PageSeekReached {
                id: seek.id,
                world: Box::new(world),
            },
            Share::Unfinished { popped } => SandboxAction::LongJump(Rc::new(Jump {
                id: seek.id,
                from: seek.from,
                target: seek.at,
                reached: world.now(),
                events: world.events().len() as u64,
                popped,
                world: RefCell::new(Some(world)),
            })),
        },
    )
}
