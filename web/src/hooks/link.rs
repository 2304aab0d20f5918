//! A share link or an instructor link pasted into the address bar of the open app changes only
//! the fragment: this hook opens it. On a page with two apps, the first to read the fragment
//! opens the link (it clears the fragment, so the other finds none). The link opens as its own
//! document (`persist::Store::take_link`): the user's work is left as it was. An instructor link
//! (`#lesson=…`) in the address the app opened with is read here too, once the app is up: it
//! needs the lesson's file, which the app fetches.

use crate::persist::Store;
use flotilla_app::lesson_link::{LessonLink, LessonLinkError};
use flotilla_core::Scenario;
use gloo::events::EventListener;
use yew::prelude::*;

#[hook]
pub fn use_link_in_hash(
    store: Store,
    on_link: Callback<Result<(Scenario, bool), String>>,
    on_lesson_link: Callback<Result<LessonLink, LessonLinkError>>,
) {
    use_effect_with((), move |_| {
        if let Some(link) = store.take_lesson_link() {
            on_lesson_link.emit(link);
        }
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            if let Some(link) = store.take_link() {
                // A link pasted into the open app opens at time zero; its moment (`&t=`) is
                // honoured when the link opens the app (`Store::startup`).
                on_link.emit(link.map(|(scenario, _moment)| (scenario, store.has_work())));
            } else if let Some(link) = store.take_lesson_link() {
                on_lesson_link.emit(link);
            }
        });
        move || drop(listener)
    });
}
