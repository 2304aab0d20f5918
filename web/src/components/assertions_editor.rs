//! The assertions editor: the working scenario's assertions, each with where it stands in the
//! run so far (held, holding so far, not decided yet, broken at a moment — a button that jumps
//! there — with the evidence), a Remove button, and a form to add one: a sentence of the
//! assertion language with an optional name, checked as it is typed against the scenario's
//! names (the error and its column, or the canonical sentence). Verdicts come from one
//! `assertions::Monitor` kept beside the run and fed each new step (it starts over by itself
//! on a rewind). Adding or removing amends the working scenario and keeps the run's inputs and
//! clock (an assertion changes nothing the world does). The form's text is the component's own (lost on reload, unlike the
//! reducer's drafts).

use crate::state::WorldHandle;
use flotilla_core::assertions::{self, clock_text, AssertionEntry, Monitor, Status};
use flotilla_core::scenario::assertion_names;
use flotilla_core::{Scenario, SimTime};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AssertionsEditorProps {
    pub world: WorldHandle,
    pub on_amend: Callback<Scenario>,
    pub on_seek: Callback<SimTime>,
}

#[function_component(AssertionsEditor)]
pub fn assertions_editor(props: &AssertionsEditorProps) -> Html {
    let sentence = use_state(String::new);
    let name = use_state(String::new);
    let monitor = use_mut_ref(|| None::<(Rc<Scenario>, Monitor)>);
    let run = props.world.run();
    let scenario = run.scenario.clone();
    let names = assertion_names(&scenario);
    // The working scenario compiled, so its assertions compiled too.
    let compiled = assertions::compile(&scenario.assertions, &names).unwrap_or_default();
    let verdicts = {
        let mut kept = monitor.borrow_mut();
        if !kept.as_ref().is_some_and(|(s, _)| Rc::ptr_eq(s, &scenario)) {
            *kept = Some((scenario.clone(), Monitor::new(compiled)));
        }
        let (_, monitor) = kept.as_mut().expect("just set");
        monitor.observe(run.world());
        monitor.verdicts()
    };
    let parsed = (!sentence.trim().is_empty()).then(|| assertions::parse(&sentence, &names));
    let on_sentence = text_input(&sentence);
    let on_name = text_input(&name);
    // The submit handler reads both fields from the DOM: a click right after typing can come
    // before the re-render that would refresh a captured state (the name was lost that way).
    let (sentence_input, name_input) = (use_node_ref(), use_node_ref());
    let on_add = {
        let (scenario, sentence, name) = (scenario.clone(), sentence.clone(), name.clone());
        let (sentence_input, name_input) = (sentence_input.clone(), name_input.clone());
        let on_amend = props.on_amend.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |input: &NodeRef| {
                input
                    .cast::<HtmlInputElement>()
                    .map(|i| i.value().trim().to_string())
                    .unwrap_or_default()
            };
            let (typed, typed_name) = (value(&sentence_input), value(&name_input));
            if typed.is_empty() || assertions::parse(&typed, &assertion_names(&scenario)).is_err() {
                return;
            }
            let mut edited = (*scenario).clone();
            edited.assertions.push(AssertionEntry {
                name: Some(typed_name).filter(|n| !n.is_empty()),
                assert: typed,
            });
            sentence.set(String::new());
            name.set(String::new());
            on_amend.emit(edited);
        })
    };
    html! {
        <section class="panel editor assertions" aria-label="Assertions" data-testid="assertions-editor">
            <h2>{ "Assertions" }<span class="hint">{ "what the run must show" }</span></h2>
            <ul class="entries">
                { for verdicts.iter().enumerate().map(|(index, verdict)| {
                    let mut edited = (*scenario).clone();
                    edited.assertions.remove(index);
                    let on_remove = props.on_amend.reform(move |_: MouseEvent| edited.clone());
                    let (class, word) = match &verdict.status {
                        Status::Held => ("held", "held".to_string()),
                        Status::Holding => ("held", "holds so far".to_string()),
                        Status::Waiting | Status::NotReached { .. } => ("waiting", "not yet".to_string()),
                        Status::Broken { at, .. } => ("broken", format!("broken at {}", clock_text(*at))),
                    };
                    let badge = match &verdict.status {
                        Status::Broken { at, .. } => {
                            let on_jump = props.on_seek.reform({ let at = *at; move |_: MouseEvent| at });
                            html! { <button class={classes!("badge", "small", class)} onclick={on_jump} title="Jump to this moment">{ word }</button> }
                        }
                        _ => html! { <span class={classes!("badge", class)}>{ word }</span> },
                    };
                    html! {
                        <li data-testid="assertion" data-status={class}>
                            { badge }
                            <span>
                                { &verdict.label }
                                if verdict.label != verdict.sentence { <span class="hint">{ format!(" · {}", verdict.sentence) }</span> }
                                if let Status::Broken { evidence, .. } = &verdict.status {
                                    <span class="hint evidence" data-testid="assertion-evidence">{ format!(" — {evidence}") }</span>
                                }
                            </span>
                            <button class="small danger" onclick={on_remove} aria-label={format!("Remove the assertion {}", verdict.label)}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ul>
            <form class="form" onsubmit={on_add} aria-label="Add an assertion">
                <label>{ "Assertion" }<input ref={sentence_input} data-testid="assertion-sentence" placeholder="never fewer than 2 healthy tasks of web"
                    aria-invalid={matches!(parsed, Some(Err(_))).to_string()} value={(*sentence).clone()} oninput={on_sentence} /></label>
                { match &parsed {
                    Some(Err(error)) => html! { <p class="field-error" role="alert" data-testid="assertion-error">{ error.to_string() }</p> },
                    Some(Ok(claim)) => html! { <p class="hint" data-testid="assertion-canonical">{ format!("reads: {claim}") }</p> },
                    None => html! {},
                } }
                <label>{ "Name" }<input ref={name_input} data-testid="assertion-name" placeholder="optional" value={(*name).clone()} oninput={on_name} /></label>
                <div class="actions-menu">
                    <button data-testid="assertion-add" type="submit" class="primary" disabled={!matches!(parsed, Some(Ok(_)))}>{ "Add assertion" }</button>
                </div>
            </form>
        </section>
    }
}

/// An `oninput` that keeps an input's text in `state`.
fn text_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
            state.set(input.value());
        }
    })
}
