//! Import from AWS: paste `describe-services`, a task definition (`describe-task-definition` or
//! RegisterTaskDefinition input), `describe-container-instances` or `elbv2 describe-target-groups`
//! JSON, or the elbv2, route53 and servicediscovery request bodies of an ECS export, one document
//! at a time. The import runs as the user types, in the exchange module, loaded when the dialog
//! opens (`hooks::live_import`): errors and notes show with their JSON paths, unsupported fields
//! stand out, and "Load" opens the resulting scenario. Only the answer for the documents now in
//! the dialog shows, so a late answer to older text never does.

use crate::exchange::ImportView;
use crate::hooks::live_import::{use_live_import, Documents, Module};
use crate::persist::Notice;
use flotilla_core::Scenario;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportDialogProps {
    /// Close the dialog (back to the event log).
    pub on_close: Callback<()>,
    pub on_open_scenario: Callback<Scenario>,
    /// Reports an importer that could not be loaded.
    pub on_notify: Callback<Notice>,
}

#[function_component(ImportDialog)]
pub fn import_dialog(props: &ImportDialogProps) -> Html {
    let documents = use_state(Vec::<String>::new);
    let text = use_state(String::new);
    // The added documents, then the text being typed.
    let mut current: Documents = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("document {}", i + 1), d.clone()))
        .collect();
    if !text.trim().is_empty() {
        current.push((format!("document {}", current.len() + 1), (*text).clone()));
    }
    let (module, outcome) = use_live_import(current, props.on_notify.clone());
    let outcome = outcome.as_deref();
    let on_input = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            text.set(
                event
                    .target_dyn_into::<HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .unwrap_or_default(),
            );
        })
    };
    let on_add = {
        let (text, documents) = (text.clone(), documents.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*documents).clone();
            next.push((*text).clone());
            documents.set(next);
            text.set(String::new());
        })
    };
    let on_clear = {
        let (text, documents) = (text.clone(), documents.clone());
        Callback::from(move |_: MouseEvent| {
            documents.set(Vec::new());
            text.set(String::new());
        })
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let on_load = outcome
        .and_then(|view| view.scenario.clone())
        .map(|scenario| {
            props
                .on_open_scenario
                .reform(move |_: MouseEvent| scenario.clone())
        });
    html! {
        <section class="panel import" data-testid="import-dialog" aria-label="Import from AWS">
            <h2>{ "Import from AWS" }<span class="hint">{ "loading replaces the working scenario" }</span></h2>
            <p class="hint">{ "Paste the JSON output of aws ecs describe-services, describe-task-definition (or a task definition) or describe-container-instances, or of aws elbv2 describe-target-groups, or an elbv2, route53 or servicediscovery request body from an ECS export. Add several documents to import them together." }</p>
            if module == Module::Loading {
                <p class="hint" data-testid="import-loading" role="status">{ "Loading the importer…" }</p>
            }
            if !documents.is_empty() {
                <p data-testid="import-documents">{ format!("{} document(s) added", documents.len()) }</p>
            }
            <textarea data-testid="import-text" aria-label="AWS JSON to import" rows="8" spellcheck="false" value={(*text).clone()} oninput={on_input} />
            <div class="actions-menu">
                <button data-testid="import-add" disabled={text.trim().is_empty()} onclick={on_add}>{ "Add another document" }</button>
                <button data-testid="import-load" class="primary" disabled={on_load.is_none()} onclick={on_load.unwrap_or_default()}>{ "Load scenario" }</button>
                <button onclick={on_clear}>{ "Clear" }</button>
                <button onclick={on_close}>{ "Close" }</button>
            </div>
            { match outcome {
                None => html! {},
                Some(view) if view.scenario.is_none() => html! {
                    <ul class="import-errors" data-testid="import-errors">
                        { for view.errors.iter().map(|e| html! { <li class="failed">{ &e.document }{ ": " }
                            if !e.path.is_empty() { <code class="path">{ &e.path }</code>{ " " } }
                            { &e.message }</li> }) }
                    </ul>
                },
                Some(view) => html! {
                    <>
                        <p data-testid="import-summary">{ summary(view) }</p>
                        <ul class="import-notes" data-testid="import-notes">
                            { for view.notes.iter().map(|n| html! {
                                <li data-testid="import-note" data-kind={n.kind.clone()} class={classes!((n.kind == "unsupported").then_some("unsupported"))}>
                                    <span class="badge">{ &n.kind }</span>{ " " }
                                    if !n.path.is_empty() { <code class="path">{ &n.path }</code>{ " " } }
                                    { &n.message }
                                </li>
                            }) }
                        </ul>
                    </>
                },
            } }
        </section>
    }
}

/// "Ready: 1 task definition(s), ..." for an import that made a scenario.
fn summary(view: &ImportView) -> String {
    let (task_definitions, services, instances) = view.scenario.as_ref().map_or((0, 0, 0), |s| {
        (
            s.task_definitions.len(),
            s.services.len(),
            s.fleet.iter().map(|e| e.count).sum::<u32>(),
        )
    });
    format!(
        "Ready: {task_definitions} task definition(s), {services} service(s), {instances} instance(s); {} note(s), {} unsupported.",
        view.notes.len(),
        view.unsupported().count()
    )
}
