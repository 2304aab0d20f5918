//! The event log: the latest events, newest first, each with its simulated time and the
//! core's own sentence for it (`World::describe`, the words the app and the trace use).

use crate::dom::{append, Dom};
use flotilla_core::World;
use web_sys::Element;

/// Lines drawn at most: the log is for reading the last few moments.
const EVENTS_SHOWN_MAX: usize = 60;

pub fn render(dom: &Dom, section: &Element, world: &World) {
    let events = world.events();
    let heading = format!("Events ({})", events.len());
    append(section, &dom.el("h3", "", &heading));
    let list = dom.el("ol", "events", "");
    let first = events.len().saturating_sub(EVENTS_SHOWN_MAX);
    let shown: Vec<_> = events.iter_from(first).collect();
    for event in shown.into_iter().rev() {
        let line = dom.el("li", "", "");
        append(&line, &dom.el("time", "", &event.at.to_string()));
        append(&line, &dom.el("span", "", &world.describe(event)));
        append(&list, &line);
    }
    if events.is_empty() {
        append(&list, &dom.el("li", "empty", "nothing has happened yet"));
    }
    append(section, &list);
}
