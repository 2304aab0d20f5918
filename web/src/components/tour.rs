//! The first-run tour: six short steps, under a minute to read, that point at the parts of the
//! screen a newcomer to ECS needs (the scenario's description, the fleet, the services, time,
//! the event log, the side panel's tabs). A non-modal dialog beside what it explains, never
//! over it; the part explained gets a ring (`.tour-ring`) and `data-tour-target`, and is
//! scrolled into view. Next / Back / Skip; the focus moves to the tour, Escape skips. Finished
//! or skipped, it is not shown again in this browser (`persist::Store::set_tour_seen`); the
//! toolbar's "Tour" replays it. At most one tour opens by itself on a page (`claim_first_run`).

use crate::instance::use_instance;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// One step: what it points at (the first selector found inside the app), its title and text.
pub struct Step {
    pub targets: &'static [&'static str],
    pub title: &'static str,
    pub text: &'static str,
}

pub const STEPS: [Step; 6] = [
    Step {
        targets: &["[data-testid=about]", "[data-testid=scenario-name]"],
        title: "Start here",
        text: "Each scenario is a small story about running containers on Amazon ECS. Read what this one shows first: its title opens and closes it.",
    },
    Step {
        targets: &["[data-testid=fleet]"],
        title: "The fleet",
        text: "Your cluster's machines (container instances), one column per Availability Zone. Each coloured chip is a task: a running copy of a service's container.",
    },
    Step {
        targets: &["section.services"],
        title: "Services",
        text: "A service asks ECS to keep a number of tasks running. Compare Desired with Running and Pending; \u{201c}steady state\u{201d} means ECS got there.",
    },
    Step {
        targets: &[".playbar"],
        title: "Time is yours",
        text: "Nothing moves until you say so. Step runs to the next event, Play runs on (space bar), the slider goes back to any moment you have reached.",
    },
    Step {
        targets: &["section.event-log", ".side-panel"],
        title: "The event log",
        text: "Everything ECS does is written here, newest first: tasks placed and stopped, deployments, alarms. When the fleet surprises you, read why here.",
    },
    Step {
        targets: &["[role=tablist]"],
        title: "The side panel",
        text: "Click a task, a machine or a service to see its Details and what you can do to it. Batch jobs, Edit scenario and Compare are here too.",
    },
];

/// Claims the page's one first-run tour: true for the first app that asks on this page (two
/// apps mounted on one page never both open theirs).
pub fn claim_first_run() -> bool {
    thread_local!(static CLAIMED: Cell<bool> = const { Cell::new(false) });
    !CLAIMED.replace(true)
}

#[derive(Properties)]
pub struct TourProps {
    pub step: usize,
    /// The app's root element: targets are looked for inside it only.
    pub root: NodeRef,
    pub on_step: Callback<usize>,
    /// Finished or skipped.
    pub on_close: Callback<()>,
}

/// Never equal: the tour is placed again after every render of the app, whose changes (a step
/// of the run, another tab) move what it points at.
impl PartialEq for TourProps {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

#[function_component(Tour)]
pub fn tour(props: &TourProps) -> Html {
    let instance = use_instance();
    let (card, ring) = (use_node_ref(), use_node_ref());
    let next = use_node_ref();
    let step = props.step.min(STEPS.len() - 1);
    let last = step + 1 == STEPS.len();

    // A new step: its target marked and into view, the focus into the tour if it is not there
    // already, and the tour placed again on any scroll (captured: the fleet scrolls in its own
    // box) or resize; Escape anywhere in this app skips it (unless something there used it).
    // One effect (app size: each hook is code of its own); its clean-up takes the mark off.
    {
        let (root, card, ring, next) =
            (props.root.clone(), card.clone(), ring.clone(), next.clone());
        let on_close = props.on_close.clone();
        use_effect_with(step, move |&step| {
            place(&root, &card, &ring, step, true);
            let inside = gloo::utils::document()
                .active_element()
                .zip(card.get())
                .is_some_and(|(active, card)| card.contains(Some(&active)));
            if !inside {
                if let Some(next) = next.cast::<HtmlElement>() {
                    let _ = next.focus();
                }
            }
            let window = gloo::utils::window();
            let options = EventListenerOptions {
                phase: EventListenerPhase::Capture,
                passive: true,
            };
            let replace = |name| {
                let (root, card, ring) = (root.clone(), card.clone(), ring.clone());
                EventListener::new_with_options(&window, name, options, move |_| {
                    place(&root, &card, &ring, step, false)
                })
            };
            let listeners = (replace("scroll"), replace("resize"));
            let escape = root.get().map(|root| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&root, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if event.key() == "Escape" && !event.default_prevented() {
                        event.prevent_default();
                        on_close.emit(());
                    }
                })
            });
            move || {
                drop((listeners, escape));
                unmark(&root);
            }
        });
    }
    // Every render (the run moved, a tab changed): placed again where its target now is.
    {
        let (root, card, ring) = (props.root.clone(), card.clone(), ring.clone());
        use_effect(move || place(&root, &card, &ring, step, false));
    }

    let Step { title, text, .. } = &STEPS[step];
    let (title_id, text_id) = (instance.dom_id("tour-title"), instance.dom_id("tour-text"));
    let on_back = {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(step.saturating_sub(1)))
    };
    let on_next = {
        let (on_step, on_close) = (props.on_step.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| {
            if last {
                on_close.emit(())
            } else {
                on_step.emit(step + 1)
            }
        })
    };
    html! {
        <>
            <div ref={ring} class="tour-ring" aria-hidden="true" />
            <div ref={card} class="tour" role="dialog" aria-modal="false" data-testid="tour"
                data-step={step.to_string()} aria-labelledby={title_id.clone()} aria-describedby={text_id.clone()}>
                <div aria-live="polite">
                    <p class="tour-count" data-testid="tour-count">{ format!("Tour · {} of {}", step + 1, STEPS.len()) }</p>
                    <h2 id={title_id} data-testid="tour-title">{ *title }</h2>
                    <p id={text_id} data-testid="tour-text">{ *text }</p>
                    if last {
                        <p class="tour-hint">{ "Replay this tour any time with Tour in the top bar." }</p>
                    }
                </div>
                <div class="tour-buttons">
                    <button class="link" data-testid="tour-skip" onclick={props.on_close.reform(|_: MouseEvent| ())}
                        title="Close the tour (Escape)">{ "Skip tour" }</button>
                    if step > 0 {
                        <button data-testid="tour-back" onclick={on_back}>{ "Back" }</button>
                    }
                    <button ref={next} class="primary" data-testid="tour-next" onclick={on_next}>
                        { if last { "Done" } else { "Next" } }</button>
                </div>
            </div>
        </>
    }
}

/// Gap between the tour and what it points at, and between either and the window's edge (px).
const GAP_PX: f64 = 12.0;

/// Marks step `step`'s target, rings it, scrolls it into view if asked, and puts the card beside
/// it: below, above, right or left, the first side where it fits whole without covering it; when
/// none does (a target taller than the window), pinned to the window's top or bottom edge,
/// whichever covers less of it.
fn place(root: &NodeRef, card: &NodeRef, ring: &NodeRef, step: usize, scroll: bool) {
    let (Some(root), Some(card), Some(ring)) = (
        root.cast::<Element>(),
        card.cast::<HtmlElement>(),
        ring.cast::<HtmlElement>(),
    ) else {
        return;
    };
    let Some(target) = STEPS[step]
        .targets
        .iter()
        .find_map(|selector| root.query_selector(selector).ok().flatten())
    else {
        let _ = ring.set_attribute("style", "display: none");
        return;
    };
    if target.get_attribute("data-tour-target").is_none() {
        unmark_element(&root);
        let _ = target.set_attribute("data-tour-target", "");
    }
    if scroll {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        target.scroll_into_view_with_scroll_into_view_options(&options);
    }
    let window = gloo::utils::window();
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let (width, height) = (size(window.inner_width()), size(window.inner_height()));
    let (card_w, card_h) = (card.offset_width() as f64, card.offset_height() as f64);
    let mut r = target.get_bounding_client_rect();
    // A target too tall for the card to fit above or below it (the one-column layout, where
    // the page scrolls as one): the page scrolls it down to leave room for the card above.
    let room_above = card_h + 2.0 * GAP_PX;
    if scroll && r.height() > height - room_above - GAP_PX && r.top() < room_above {
        window.scroll_by_with_x_and_y(0.0, r.top() - room_above);
        r = target.get_bounding_client_rect();
    }
    let (top, left, bottom, right) = (r.top(), r.left(), r.bottom(), r.right());
    // The ring stays inside the window (a full-width target's ring would be cut at its edges).
    let (ring_left, ring_top) = ((left - 4.0).max(2.0), (top - 4.0).max(2.0));
    let (ring_right, ring_bottom) = (
        (right + 4.0).min(width - 2.0),
        (bottom + 4.0).min(height - 2.0),
    );
    // Whole pixels: formatting an `f64` would bring float formatting into the app (~10 KiB).
    let _ = ring.set_attribute(
        "style",
        &format!(
            "top:{}px;left:{}px;width:{}px;height:{}px",
            px(ring_top),
            px(ring_left),
            px(ring_right - ring_left),
            px(ring_bottom - ring_top)
        ),
    );
    let clamp_x = |x: f64| x.min(width - card_w - GAP_PX).max(GAP_PX);
    let clamp_y = |y: f64| y.min(height - card_h - GAP_PX).max(GAP_PX);
    let fits = |x: f64, y: f64| {
        x >= GAP_PX - 0.5
            && y >= GAP_PX - 0.5
            && x + card_w <= width - GAP_PX + 0.5
            && y + card_h <= height - GAP_PX + 0.5
    };
    let sides = [
        (clamp_x(left), bottom + GAP_PX),
        (clamp_x(left), top - GAP_PX - card_h),
        (right + GAP_PX, clamp_y(top)),
        (left - GAP_PX - card_w, clamp_y(top)),
    ];
    let (x, y) = sides
        .into_iter()
        .find(|&(x, y)| fits(x, y))
        .unwrap_or_else(|| {
            // Pinned: the edge that covers less of the target's visible part.
            let (seen_top, seen_bottom) = (top.max(0.0), bottom.min(height));
            let covered_at_top = (GAP_PX + card_h - seen_top).clamp(0.0, seen_bottom - seen_top);
            let covered_at_bottom =
                (seen_bottom - (height - GAP_PX - card_h)).clamp(0.0, seen_bottom - seen_top);
            let y = if covered_at_top < covered_at_bottom {
                GAP_PX
            } else {
                height - GAP_PX - card_h
            };
            (clamp_x(left), y)
        });
    let _ = card.set_attribute(
        "style",
        &format!("top:{}px;left:{}px;visibility:visible", px(y), px(x)),
    );
}

/// A length in CSS pixels, rounded to a whole one.
fn px(length: f64) -> i32 {
    length.round() as i32
}

/// Takes the mark off whatever the tour pointed at in this app.
fn unmark(root: &NodeRef) {
    if let Some(root) = root.cast::<Element>() {
        unmark_element(&root);
    }
}

fn unmark_element(root: &Element) {
    if let Ok(Some(marked)) = root.query_selector("[data-tour-target]") {
        let _ = marked.remove_attribute("data-tour-target");
    }
}
