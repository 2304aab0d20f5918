//! The service editor: desired count, placement strategies and constraints of one service, with
//! the memberOf expression checked live by the core's query parser (the error is shown under the
//! column it points at). The form is a draft in the reducer; applying it changes the working
//! scenario and restarts the run.

use crate::drafts::{Drafts, FieldError, ServiceDraft};
use crate::state::{SandboxAction, WorldHandle};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ServiceEditorProps {
    pub world: WorldHandle,
    pub drafts: Drafts,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(ServiceEditor)]
pub fn service_editor(props: &ServiceEditorProps) -> Html {
    let run = props.world.run.borrow();
    let scenario = run.scenario.clone();
    let Some(first) = scenario.services.first() else {
        return html! { <section class="panel editor"><h2>{ "Services" }</h2><p class="hint">{ "This scenario has no services." }</p></section> };
    };
    // The draft of a service that exists, or a fresh one from the first service's definition.
    let draft = match scenario
        .services
        .iter()
        .any(|s| s.service_name == props.drafts.service.service)
    {
        true => props.drafts.service.clone(),
        false => ServiceDraft::from_definition(first),
    };
    let result = draft.apply_to(&scenario);
    let errors: Vec<FieldError> = result.as_ref().err().cloned().unwrap_or_default();
    let error_for = |field: &str| -> Html {
        html! { <>{ for errors.iter().filter(|e| e.field == field && field != "member_of").map(|e| html! { <p class="field-error" role="alert">{ &e.message }</p> }) }</> }
    };
    let dispatch_draft = {
        let (drafts, on_dispatch) = (props.drafts.clone(), props.on_dispatch.clone());
        move |service: ServiceDraft| {
            let mut drafts = drafts.clone();
            drafts.service = service;
            on_dispatch.emit(SandboxAction::SetDrafts(drafts));
        }
    };
    let set = |update: fn(&mut ServiceDraft, String)| {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut draft = draft.clone();
            update(&mut draft, value);
            dispatch_draft(draft);
        })
    };
    let on_pick = {
        let (scenario, dispatch_draft) = (scenario.clone(), dispatch_draft.clone());
        Callback::from(move |event: Event| {
            let name = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            if let Some(definition) = scenario.services.iter().find(|s| s.service_name == name) {
                dispatch_draft(ServiceDraft::from_definition(definition));
            }
        })
    };
    let on_distinct = {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Callback::from(move |_: Event| {
            let mut draft = draft.clone();
            draft.distinct_instance = !draft.distinct_instance;
            dispatch_draft(draft);
        })
    };
    let on_apply = {
        let result = result.clone();
        props.on_dispatch.reform(move |event: SubmitEvent| {
            event.prevent_default();
            match &result {
                Ok(edited) => SandboxAction::OpenScenario(edited.clone()),
                Err(_) => SandboxAction::SetTab(crate::state::Tab::Edit),
            }
        })
    };
    let member_of_error = draft.member_of_error();
    html! {
        <section class="panel editor" aria-label="Service editor" data-testid="service-editor">
            <h2>{ "Services" }<span class="hint">{ "edits restart the run" }</span></h2>
            <form class="form" onsubmit={on_apply}>
                <label>{ "Service" }
                    <select data-testid="edit-service" onchange={on_pick}>
                        { for scenario.services.iter().map(|s| html! {
                            <option value={s.service_name.clone()} selected={s.service_name == draft.service}>{ &s.service_name }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Desired count" }<input data-testid="edit-desired" type="number" min="0" value={draft.desired_count.clone()} oninput={set(|d, v| d.desired_count = v)} /></label>
                { error_for("desired_count") }
                <label>{ "Placement strategies" }<input data-testid="edit-strategies" placeholder="spread(attribute:ecs.availability-zone), binpack(memory)"
                    value={draft.strategies.clone()} oninput={set(|d, v| d.strategies = v)} /></label>
                <p class="hint">{ "Empty: the ECS default (spread over AZs, then instances)." }</p>
                { error_for("strategies") }
                <label class="check"><input data-testid="edit-distinct" type="checkbox" checked={draft.distinct_instance} onchange={on_distinct} />{ "distinctInstance: at most one task per instance" }</label>
                <label>{ "memberOf" }<input data-testid="edit-member-of" class="mono" placeholder="attribute:stack == prod"
                    aria-invalid={member_of_error.is_some().to_string()} value={draft.member_of.clone()} oninput={set(|d, v| d.member_of = v)} /></label>
                if let Some((column, message)) = member_of_error {
                    <div class="field-error query-error" role="alert" data-testid="member-of-error">
                        <pre class="mono">{ &draft.member_of }{ "\n" }{ format!("{}^", " ".repeat(column.saturating_sub(1) as usize)) }</pre>
                        { format!("column {column}: {message}") }
                    </div>
                }
                { error_for("scenario") }
                <button data-testid="edit-apply" type="submit" class="primary" disabled={result.is_err()}>{ "Apply and restart" }</button>
            </form>
        </section>
    }
}
