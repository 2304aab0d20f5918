//! The Import dialog's live import: the documents go to the exchange module (loaded when the
//! dialog opens) whenever they change, and the answer comes back asynchronously. Only the answer
//! for the documents the dialog holds now is returned, so a late answer to older text never
//! shows, and text typed while the module loaded is imported once, at its latest.

use crate::exchange::{self, ImportView};
use crate::persist::Notice;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// `(name, text)` of each document, in order.
pub type Documents = Vec<(String, String)>;

/// Whether the exchange module can answer yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    Loading,
    Ready,
    /// Said in a notice; the next edit tries again.
    Failed,
}

/// The module's state, and the import of `documents` once it is in (none for no documents, or
/// while the answer for these documents is still on its way). Failures go to `on_notify`.
#[hook]
pub fn use_live_import(
    documents: Documents,
    on_notify: Callback<Notice>,
) -> (Module, Option<Rc<ImportView>>) {
    let module = use_state_eq(|| {
        if exchange::is_loaded() {
            Module::Ready
        } else {
            Module::Loading
        }
    });
    // The latest answer and the documents it answers; the documents last sent to the importer.
    let answer = use_state(|| None::<(Documents, Rc<ImportView>)>);
    let requested = use_mut_ref(Documents::new);
    {
        // Opening the dialog starts the load, so the first paste usually finds the module ready.
        let (module, on_notify) = (module.clone(), on_notify.clone());
        use_effect_with((), move |()| {
            spawn_local(async move {
                module.set(loaded(exchange::load().await, &on_notify));
            });
        });
    }
    {
        let (module, answer, requested) = (module.clone(), answer.clone(), requested.clone());
        use_effect_with(documents.clone(), move |documents| {
            *requested.borrow_mut() = documents.clone();
            let documents = documents.clone();
            if !documents.is_empty() {
                spawn_local(async move {
                    // A failed load is tried again here; one that succeeds clears the failure.
                    let state = loaded(exchange::load().await, &on_notify);
                    module.set(state);
                    // Typed while the module loaded: only the latest text is worth importing.
                    let latest = || *requested.borrow() == documents;
                    if state != Module::Ready || !latest() {
                        return;
                    }
                    match exchange::import(&documents).await {
                        Ok(view) if latest() => answer.set(Some((documents, Rc::new(view)))),
                        Ok(_) => {}
                        Err(error) => on_notify.emit(not_usable(error)),
                    }
                });
            }
        });
    }
    let current = answer
        .as_ref()
        .filter(|(of, _)| *of == documents && !documents.is_empty())
        .map(|(_, view)| view.clone());
    (*module, current)
}

/// The module's state after a load, a failure said in a notice.
fn loaded(load: Result<(), String>, on_notify: &Callback<Notice>) -> Module {
    match load {
        Ok(()) => Module::Ready,
        Err(error) => {
            on_notify.emit(not_usable(error));
            Module::Failed
        }
    }
}

fn not_usable(error: String) -> Notice {
    Notice::error("The importer could not be used:", error)
}
