//! What a lesson step points at (`lessons::Watch`): a line of words for the panel, the part of
//! the screen it names (marked with `data-lesson-watch`, which the stylesheet outlines, as the
//! tour marks its target with `data-tour-target`), and for parts that live in a side-panel tab
//! the way there (select the service, open the tab).

use crate::state::{Selection, Tab, WorldHandle};
use flotilla_core::lessons::Watch;
use web_sys::{Element, ScrollLogicalPosition};
use yew::prelude::*;

/// Where a watch target is reached from, when it is not always on screen.
#[derive(Clone, Copy, PartialEq)]
pub enum Reach {
    Select(Selection),
    Tab(Tab),
}

/// Words for the panel (before and after the name it holds, if any), and the way to show the
/// part if one is needed. Words without `format!` (app size).
pub fn describe<'a>(
    watch: &'a Watch,
    world: &WorldHandle,
) -> (&'static str, &'a str, &'static str, Option<Reach>) {
    let service = |name: &str| {
        world
            .world()
            .services()
            .iter()
            .find(|s| s.name == name)
            .map(|s| Reach::Select(Selection::Service(s.id)))
    };
    match watch {
        Watch::Service(name) => (
            "the row of service ",
            name,
            " (desired, running and pending tasks)",
            None,
        ),
        Watch::DeploymentChart(name) => (
            "the deployments of ",
            name,
            " and their chart",
            service(name),
        ),
        Watch::PlacementExplainer(name) => (
            "why the next task of ",
            name,
            " goes where it goes",
            service(name),
        ),
        Watch::Instance(id) => ("container instance ", id, "", None),
        Watch::InstanceIndex(_) => ("a container instance in the fleet", "", "", None),
        Watch::AvailabilityZone(zone) => ("Availability Zone ", zone, " in the fleet", None),
        Watch::Jobs => (
            "the batch jobs (RunTask and StartTask)",
            "",
            "",
            Some(Reach::Tab(Tab::Jobs)),
        ),
        Watch::EventLog => ("the event log", "", "", Some(Reach::Tab(Tab::Events))),
        Watch::Slider => ("the time slider", "", "", None),
    }
}

/// The elements `watch` names inside `root` (none while that part is not shown).
fn targets(root: &Element, watch: &Watch) -> Vec<Element> {
    let one = |selector: String| root.query_selector(&selector).ok().flatten();
    let found = match watch {
        Watch::Service(name) => one(format!(
            "[data-testid=service-row][data-service=\"{name}\"]"
        )),
        Watch::DeploymentChart(_) => one("[data-testid=deployments]".into())
            .or_else(|| one("[data-testid=deployment-chart]".into())),
        Watch::PlacementExplainer(_) => one("[data-testid=placement-explainer]".into()),
        Watch::Instance(id) => one(format!("[data-testid=instance][data-instance=\"{id}\"]")),
        Watch::InstanceIndex(index) => root
            .query_selector_all("[data-testid=instance]")
            .ok()
            .and_then(|all| all.item(*index))
            .and_then(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok()),
        Watch::AvailabilityZone(zone) => one(format!("[data-testid=az][data-az=\"{zone}\"]")),
        Watch::Jobs => one("[data-testid=jobs]".into()),
        Watch::EventLog => one("section.event-log".into()),
        Watch::Slider => one(".timeline".into()),
    };
    found.into_iter().collect()
}

/// Marks what `watch` names inside `root`, after unmarking what was marked before.
pub fn mark(root: &NodeRef, watch: &[Watch]) {
    let Some(root) = root.cast::<Element>() else {
        return;
    };
    unmark_all(&root);
    for target in watch.iter().flat_map(|w| targets(&root, w)) {
        let _ = target.set_attribute("data-lesson-watch", "");
    }
}

/// Brings what `watch` names into view (after the render a selection or a tab change causes).
pub fn scroll_to(root: &NodeRef, watch: &Watch) {
    let watch = watch.clone();
    scroll_later(root, ScrollLogicalPosition::Nearest, move |root| {
        targets(root, &watch).into_iter().next()
    });
}

/// Brings the first element inside `root` that `selector` matches to the top of the view (after
/// the render a tab change causes): the game day's editors, the services and fleet below them.
pub fn scroll_to_selector(root: &NodeRef, selector: &'static str) {
    scroll_later(root, ScrollLogicalPosition::Start, move |root| {
        root.query_selector(selector).ok().flatten()
    });
}

fn scroll_later(
    root: &NodeRef,
    block: ScrollLogicalPosition,
    find: impl Fn(&Element) -> Option<Element> + 'static,
) {
    let root = root.clone();
    gloo::timers::callback::Timeout::new(50, move || {
        let Some(root) = root.cast::<Element>() else {
            return;
        };
        if let Some(target) = find(&root) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(block);
            target.scroll_into_view_with_scroll_into_view_options(&options);
        }
    })
    .forget();
}

/// Removes every mark inside `root` (the lesson closed).
pub fn unmark(root: &NodeRef) {
    if let Some(root) = root.cast::<Element>() {
        unmark_all(&root);
    }
}

fn unmark_all(root: &Element) {
    if let Ok(marked) = root.query_selector_all("[data-lesson-watch]") {
        for index in 0..marked.length() {
            if let Some(element) = marked
                .item(index)
                .and_then(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
            {
                let _ = element.remove_attribute("data-lesson-watch");
            }
        }
    }
}
