//! A share link pasted into the address bar of the open app changes only the fragment: this
//! hook opens it. On a page with two apps, the first to read the fragment opens the link (it
//! clears the fragment, so the other finds none). The link opens as its own document
//! (`persist::Store::take_link`): the user's work is left as it was.

use crate::persist::Store;
use flotilla_core::Scenario;
use gloo::events::EventListener;
use yew::prelude::*;

#[hook]
pub fn use_link_in_hash(store: Store, on_link: Callback<Result<(Scenario, bool), String>>) {
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            if let Some(link) = store.take_link() {
                // A link pasted into the open app opens at time zero; its moment (`&t=`) is
                // honoured when the link opens the app (`Store::startup`).
                on_link.emit(link.map(|(scenario, _moment)| (scenario, store.has_work())));
            }
        });
        move || drop(listener)
    });
}
