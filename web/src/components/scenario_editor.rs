//! The scenario's own name and description, editable (a scenario named after a policy it no
//! longer runs can say what it is now). Applying keeps the clock: the run is replayed on the
//! renamed scenario up to now, and Save writes the new name and description.

use crate::state::ScenarioRef;
use flotilla_core::Scenario;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioEditorProps {
    pub scenario: ScenarioRef,
    /// Replaces the working scenario and replays the run up to now.
    pub on_amend: Callback<Scenario>,
}

#[function_component(ScenarioEditor)]
pub fn scenario_editor(props: &ScenarioEditorProps) -> Html {
    let scenario = props.scenario.0.clone();
    // What is typed; `None` until the user types (then the scenario's own text shows).
    let typed = use_state(|| None::<(String, String)>);
    {
        // Another scenario opened (or Undo): what was typed belonged to the one before.
        let typed = typed.clone();
        use_effect_with(
            (scenario.name.clone(), scenario.description.clone()),
            move |_| typed.set(None),
        );
    }
    let (name, description) = (*typed)
        .clone()
        .unwrap_or_else(|| (scenario.name.clone(), scenario.description.clone()));
    let error = name
        .trim()
        .is_empty()
        .then_some("Give the scenario a name.");
    let changed = name != scenario.name || description != scenario.description;
    let on_name = {
        let (typed, description) = (typed.clone(), description.clone());
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            typed.set(Some((value, description.clone())));
        })
    };
    let on_description = {
        let (typed, name) = (typed.clone(), name.clone());
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            typed.set(Some((name.clone(), value)));
        })
    };
    let on_apply = {
        let (typed, on_amend) = (typed.clone(), props.on_amend.clone());
        let (name, description) = (name.trim().to_string(), description.trim().to_string());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut renamed = (*scenario).clone();
            renamed.name = name.clone();
            renamed.description = description.clone();
            typed.set(None);
            on_amend.emit(renamed);
        })
    };
    html! {
        <section class="panel editor" aria-label="Scenario name and description" data-testid="scenario-editor">
            <h2>{ "Scenario" }<span class="hint">{ "renaming keeps the clock" }</span></h2>
            <form class="form" onsubmit={on_apply}>
                <label>{ "Name" }<input data-testid="scenario-name-input" value={name} oninput={on_name}
                    aria-invalid={error.is_some().to_string()} /></label>
                if let Some(error) = error { <p class="field-error" role="alert">{ error }</p> }
                <label>{ "Description" }<textarea data-testid="scenario-description-input" rows="3"
                    value={description} oninput={on_description} /></label>
                <div class="actions-menu">
                    <button data-testid="scenario-rename" type="submit" class="primary" disabled={error.is_some() || !changed}>{ "Apply" }</button>
                </div>
            </form>
        </section>
    }
}
