//! Opening links: the share link the app opened with (taken from the address at startup,
//! `persist::Startup::link_coming`), a share link or an instructor link pasted into the address
//! bar of the open app (which changes only the fragment), and an instructor link in the address
//! the app opened with. A link's payload is inflated by the browser (`share::browser_inflate`),
//! which is asynchronous, so each opens a moment after it is read. On a page with two apps, the
//! first to read the fragment opens the link (it clears the fragment, so the other finds none).
//! A share link opens as its own document (`persist::Store::open_link`): the user's work is
//! left as it was. An instructor link needs the lesson's file too, which the app fetches.

use crate::persist::{OpenedLink, SharedLink, Store};
use crate::share::browser_inflate;
use flotilla_app::lesson_link::{LessonLink, LessonLinkError, PackedLessonLink, RUN_BYTES_MAX};
use flotilla_core::scenario::SCENARIO_BYTES_MAX;
use gloo::events::EventListener;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[hook]
pub fn use_link_in_hash(
    store: Store,
    on_link: Callback<Result<OpenedLink, String>>,
    on_lesson_link: Callback<Result<LessonLink, LessonLinkError>>,
) {
    use_effect_with((), move |_| {
        if let Some(link) = store.take_incoming_link() {
            open_shared(store.clone(), link, on_link.clone());
        }
        if let Some(link) = store.take_lesson_link() {
            open_lesson_link(link, on_lesson_link.clone());
        }
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            if let Some(link) = store.take_link() {
                match link {
                    Ok(link) => open_shared(store.clone(), link, on_link.clone()),
                    Err(error) => on_link.emit(Err(error)),
                }
            } else if let Some(link) = store.take_lesson_link() {
                open_lesson_link(link, on_lesson_link.clone());
            }
        });
        move || drop(listener)
    });
}

/// Inflates a share link's scenario and opens it.
fn open_shared(store: Store, link: SharedLink, on_link: Callback<Result<OpenedLink, String>>) {
    spawn_local(async move {
        let text = browser_inflate(&link.deflated, SCENARIO_BYTES_MAX).await;
        on_link.emit(store.open_link(text, link.moment));
    });
}

/// Inflates an instructor link's run, if it carries one, and hands the link on.
fn open_lesson_link(
    link: Result<PackedLessonLink, LessonLinkError>,
    on_lesson_link: Callback<Result<LessonLink, LessonLinkError>>,
) {
    spawn_local(async move {
        let link = match link {
            Ok(link) => {
                let text = match &link.run {
                    Some(deflated) => Some(browser_inflate(deflated, RUN_BYTES_MAX).await),
                    None => None,
                };
                link.with_run_text(text)
            }
            Err(error) => Err(error),
        };
        on_lesson_link.emit(link);
    });
}
