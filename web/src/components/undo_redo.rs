//! Undo and Redo of edits to the working scenario, in the toolbar. Each button's accessible name
//! and title say which edit it would undo or redo ("Undo: add 2 × m5.large in us-east-1a");
//! with nothing to undo, Undo's title explains that actions on the running world are undone by
//! rewinding. The buttons stay focusable (aria-disabled) so that explanation can be read; they
//! show only their arrows, to keep the toolbar on one row at 1280 px.

use crate::state::{ACTIONS_ARE_REWOUND, NOTHING_TO_UNDO};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UndoRedoProps {
    pub undo: Option<String>,
    pub redo: Option<String>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
}

#[function_component(UndoRedo)]
pub fn undo_redo(props: &UndoRedoProps) -> Html {
    let on_undo = props.on_undo.reform(|_: MouseEvent| ());
    let on_redo = props.on_redo.reform(|_: MouseEvent| ());
    let (undo_name, undo_title) = match &props.undo {
        Some(label) => (format!("Undo: {label}"), format!("Undo: {label} (Ctrl+Z)")),
        None => (
            "Undo".to_string(),
            format!("{NOTHING_TO_UNDO} {ACTIONS_ARE_REWOUND}"),
        ),
    };
    let (redo_name, redo_title) = match &props.redo {
        Some(label) => (
            format!("Redo: {label}"),
            format!("Redo: {label} (Ctrl+Shift+Z or Ctrl+Y)"),
        ),
        None => ("Redo".to_string(), "Nothing to redo.".to_string()),
    };
    let disabled = |label: &Option<String>| if label.is_none() { "true" } else { "false" };
    html! {
        <span class="undo-redo" role="group" aria-label="Edit history">
            <button data-testid="undo" onclick={on_undo} aria-label={undo_name} title={undo_title}
                aria-disabled={disabled(&props.undo)}>{ "↶" }</button>
            <button data-testid="redo" onclick={on_redo} aria-label={redo_name} title={redo_title}
                aria-disabled={disabled(&props.redo)}>{ "↷" }</button>
        </span>
    }
}
