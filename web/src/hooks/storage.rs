//! Keeps the user's work in this instance's browser storage (`persist::Store`): the autosave
//! whenever the scenario or the run's inputs changed (not on every play tick), the edit history
//! only when it changed, and the drafts as typed. A failure to store becomes a notice.

use crate::persist::{Notice, Store};
use crate::state::Sandbox;
use yew::prelude::*;

#[hook]
pub fn use_storage(sandbox: &UseReducerHandle<Sandbox>, store: Store, on_notify: Callback<Notice>) {
    {
        let (world, store, on_notify) = (sandbox.handle(), store.clone(), on_notify.clone());
        // While the link the app opened with is on its way, what shows is the work as stored
        // (or, in a fresh browser, the default, which must not become "your work"). Nor is
        // what the app opened with saved again before anything changed (`saved` 0): it is
        // already stored, or it is the default, which a visit that changed nothing must not
        // turn into "your work" that a later link would say it kept.
        let opening_link = sandbox.opening_link;
        use_effect_with(sandbox.saved, move |saved| {
            if opening_link || *saved == 0 {
                return;
            }
            let run = world.run();
            if let Err(error) = store.save(&run.scenario, &run.tape_to_cursor()) {
                on_notify.emit(Notice::error(
                    "Your work could not be saved in this browser:",
                    error,
                ));
            }
        });
    }
    {
        let (edits, store) = (sandbox.edits.clone(), store.clone());
        use_effect_with(sandbox.edits_saved, move |_| {
            if let Err(error) = store.save_edits(&edits) {
                on_notify.emit(Notice::error(
                    "Your undo history could not be saved in this browser:",
                    error,
                ));
            }
        });
    }
    use_effect_with(sandbox.drafts.clone(), move |drafts| {
        store.save_drafts(drafts)
    });
}
