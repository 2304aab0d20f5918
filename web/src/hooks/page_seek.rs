//! The page's share of a long seek, run after the render that took the request (not inside the
//! reducer, which reads no wall clock): up to `jump::PAGE_BUDGET_MS` of wall time in slices;
//! then the seek is finished, or handed to the worker with the world so far as a snapshot. Any
//! root whose reducer seeks needs this hook (the full app, and an embed alike).

use crate::jump::{self, Jump, PageRun};
use crate::state::{PageSeek, Sandbox, SandboxAction};
use std::rc::Rc;
use yew::prelude::*;

#[hook]
pub fn use_page_seek(sandbox: &UseReducerHandle<Sandbox>) {
    let seek = sandbox.page_seek.clone();
    let dispatcher = sandbox.dispatcher();
    use_effect_with(seek.as_ref().map(|seek| seek.id), move |_| {
        if let Some(seek) = seek {
            if let Some(action) = run_on_page(&seek) {
                dispatcher.dispatch(action);
            }
        }
    });
}

/// Runs the seek's world on the page; `None` when another render already took it.
fn run_on_page(seek: &PageSeek) -> Option<SandboxAction> {
    let mut world = seek.world.borrow_mut().take()?;
    Some(
        match jump::run_on_page(&mut world, seek.at, jump::PAGE_BUDGET_MS) {
            PageRun::Reached => SandboxAction::PageSeekReached {
                id: seek.id,
                world: Box::new(world),
            },
            PageRun::Unfinished { popped } => SandboxAction::HandToWorker(Rc::new(Jump {
                id: seek.id,
                from: seek.from,
                target: seek.at,
                reached: world.now(),
                events: world.events().len() as u64,
                popped,
                snapshot: world.to_snapshot(),
            })),
        },
    )
}
