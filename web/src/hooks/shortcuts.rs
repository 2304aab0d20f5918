//! Keyboard shortcuts: space play/pause, → step, Shift+→ next decision, ← step back, Ctrl+Z
//! undo, Ctrl+Shift+Z / Ctrl+Y redo; never while typing in a field (where the browser's own text
//! undo must keep working), nor ←/→ on a tablist's tabs (they move between tabs there).
//!
//! Scope, so that two apps on one page never both act on one key: a key pressed with the focus
//! inside an app goes to that app alone; a key pressed with the focus outside every app (on the
//! page's body) goes to the app used last (the pointer or the focus was in it), or, before any
//! was used, to the first one mounted — on the full app's own page, the app itself.

use crate::instance::Instance;
use crate::intents::TimeIntents;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What a shortcut asks for besides time: the edit history.
#[derive(Clone, PartialEq)]
pub struct EditShortcuts {
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
}

/// Listens for the shortcuts while the component is mounted; `root` is the app's root element.
#[hook]
pub fn use_shortcuts(root: NodeRef, instance: Instance, time: TimeIntents, edits: EditShortcuts) {
    use_effect_with((), move |_| {
        // Not passive: space must not also scroll the page.
        let options = EventListenerOptions::enable_prevent_default();
        let document = gloo::utils::document();
        let keys = {
            let (root, instance) = (root.clone(), instance.clone());
            EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if event.alt_key() || typing(event) || !addressed_to(&root, &instance, event) {
                    return;
                }
                let shortcut: &Callback<()> = if event.ctrl_key() || event.meta_key() {
                    match event.key().as_str() {
                        "z" | "Z" if event.shift_key() => &edits.on_redo,
                        "z" | "Z" => &edits.on_undo,
                        "y" | "Y" => &edits.on_redo,
                        _ => return,
                    }
                } else {
                    match event.key().as_str() {
                        " " => &time.on_toggle_play,
                        "ArrowRight" if event.shift_key() => &time.on_next_decision,
                        "ArrowRight" => &time.on_step,
                        "ArrowLeft" => &time.on_step_back,
                        _ => return,
                    }
                };
                event.prevent_default();
                shortcut.emit(());
            })
        };
        // Using an app (pointer or focus inside it) makes it the one unfocused keys go to.
        let used = root.cast::<web_sys::Element>().map(|element| {
            let mark = |name| {
                let instance = instance.clone();
                EventListener::new(&element, name, move |_| instance.mark_used())
            };
            (mark("pointerdown"), mark("focusin"))
        });
        move || drop((keys, used))
    });
}

/// True when the key belongs to this app: the focus is inside it, or outside every app and this
/// app owns such keys (see the module's scope rule).
fn addressed_to(root: &NodeRef, instance: &Instance, event: &KeyboardEvent) -> bool {
    let Some(root) = root.get() else {
        return false;
    };
    let target = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    let Some(target) = target else {
        return instance.owns_unfocused_keys();
    };
    if root.contains(Some(&target)) {
        return true;
    }
    let in_another_app = target
        .dyn_ref::<web_sys::Element>()
        .and_then(|element| element.closest(".flotilla").ok().flatten())
        .is_some();
    !in_another_app && instance.owns_unfocused_keys()
}

/// True when the key went to a text field, a select or a button (space clicks those), or is an
/// arrow key on a tab (the tablist moves between its tabs with them).
fn typing(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || (tag == "button" && event.key() == " ")
        || (element.get_attribute("role").as_deref() == Some("tab")
            && matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight"))
        || element.is_content_editable()
}
