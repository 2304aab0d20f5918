//! Import from AWS: paste `describe-services`, a task definition (`describe-task-definition` or
//! RegisterTaskDefinition input) or `describe-container-instances` JSON, one document at a time.
//! The import runs live (`flotilla_core::import::import`): errors and notes show with their
//! JSON paths, unsupported fields stand out, and "Load" opens the resulting scenario.

use flotilla_core::import::{self, NoteKind};
use flotilla_core::Scenario;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportDialogProps {
    /// Close the dialog (back to the event log).
    pub on_close: Callback<()>,
    pub on_open_scenario: Callback<Scenario>,
}

#[function_component(ImportDialog)]
pub fn import_dialog(props: &ImportDialogProps) -> Html {
    let documents = use_state(Vec::<String>::new);
    let text = use_state(String::new);
    let mut all: Vec<(String, &str)> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("document {}", i + 1), d.as_str()))
        .collect();
    if !text.trim().is_empty() {
        all.push((format!("document {}", all.len() + 1), text.as_str()));
    }
    let pairs: Vec<(&str, &str)> = all.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let outcome = (!pairs.is_empty())
        .then(|| import::import(&import::empty_scenario("Imported from AWS"), &pairs));
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
    let on_load = match &outcome {
        Some(Ok(outcome)) => {
            let scenario = outcome.scenario.clone();
            Some(
                props
                    .on_open_scenario
                    .reform(move |_: MouseEvent| scenario.clone()),
            )
        }
        _ => None,
    };
    html! {
        <section class="panel import" data-testid="import-dialog" aria-label="Import from AWS">
            <h2>{ "Import from AWS" }<span class="hint">{ "loading replaces the working scenario" }</span></h2>
            <p class="hint">{ "Paste the JSON output of aws ecs describe-services, describe-task-definition (or a task definition) or describe-container-instances. Add several documents to import them together." }</p>
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
            { match &outcome {
                None => html! {},
                Some(Err(errors)) => html! {
                    <ul class="import-errors" data-testid="import-errors">
                        { for errors.iter().map(|e| html! { <li class="failed">{ &e.document }{ ": " }
                            if !e.path.is_empty() { <code class="path">{ &e.path }</code>{ " " } }
                            { &e.message }</li> }) }
                    </ul>
                },
                Some(Ok(outcome)) => html! {
                    <>
                        <p data-testid="import-summary">{ format!("Ready: {} task definition(s), {} service(s), {} instance(s); {} note(s), {} unsupported.",
                            outcome.scenario.task_definitions.len(), outcome.scenario.services.len(),
                            outcome.scenario.fleet.iter().map(|e| e.count).sum::<u32>(), outcome.notes.len(), outcome.unsupported().count()) }</p>
                        <ul class="import-notes" data-testid="import-notes">
                            { for sorted(&outcome.notes).into_iter().map(|n| html! {
                                <li data-testid="import-note" data-kind={kind(n.kind)} class={classes!((n.kind == NoteKind::Unsupported).then_some("unsupported"))}>
                                    <span class="badge">{ kind(n.kind) }</span>{ " " }
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

/// Unsupported first (what the scenario lacks), then renamed, and the harmless ones last.
fn sorted(notes: &[import::ImportNote]) -> Vec<&import::ImportNote> {
    let mut notes: Vec<_> = notes.iter().collect();
    flotilla_core::compact::sort_by_key(&mut notes, |n| std::cmp::Reverse(n.kind));
    notes
}

fn kind(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::ReadOnly => "read-only",
        NoteKind::Default => "default",
        NoteKind::Renamed => "renamed",
        NoteKind::NotState => "not imported",
        NoteKind::Unsupported => "unsupported",
    }
}
