//! The fleet editor: the scenario's fleet entries (remove one, or one instance of it) and a form
//! to add N instances of a catalogue type in an Availability Zone with an AMI ID and custom
//! attributes. The form is a draft in the reducer (never lost), validated live by the core;
//! applying an edit changes the working scenario and keeps the clock: the run is replayed on the
//! new fleet up to now, as the placement suggestions' "Add it" does (one behaviour for both,
//! said in the form's heading).

use crate::drafts::{fix_errors_note, Drafts, FieldError, FleetDraft};
use crate::instance::use_instance;
use crate::state::ScenarioRef;
use flotilla_core::catalogue;
use flotilla_core::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FleetEditorProps {
    pub scenario: ScenarioRef,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_amend: Callback<Scenario>,
}

#[function_component(FleetEditor)]
pub fn fleet_editor(props: &FleetEditorProps) -> Html {
    let zones_id = use_instance().dom_id("flotilla-zones");
    let scenario = props.scenario.0.clone();
    let draft = &props.drafts.fleet;
    let result = draft.add_to(&scenario);
    let errors: Vec<FieldError> = result.as_ref().err().cloned().unwrap_or_default();
    let error_for = |field: &str| -> Html {
        html! { <>{ for errors.iter().filter(|e| e.field == field).map(|e| html! { <p class="field-error" role="alert">{ &e.message }</p> }) }</> }
    };
    let set = |update: fn(&mut FleetDraft, String)| {
        let drafts = props.drafts.clone();
        props.on_set_drafts.reform(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut drafts = drafts.clone();
            update(&mut drafts.fleet, value);
            drafts
        })
    };
    let on_type = {
        let drafts = props.drafts.clone();
        props.on_set_drafts.reform(move |event: Event| {
            let mut drafts = drafts.clone();
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                drafts.fleet.instance_type = select.value();
            }
            drafts
        })
    };
    let on_add = {
        let result = result.clone();
        let on_amend = props.on_amend.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // With errors the button is disabled and they are shown beside the fields.
            if let Ok(edited) = &result {
                on_amend.emit(edited.clone());
            }
        })
    };
    let zones: flotilla_core::compact::SortedSet<&str> = scenario
        .fleet
        .iter()
        .map(|e| e.availability_zone.as_str())
        .collect();
    html! {
        <section class="panel editor" aria-label="Fleet editor" data-testid="fleet-editor">
            <h2>{ "Fleet" }<span class="hint" data-testid="fleet-clock-note">{ "keeps the clock: your run is replayed on the new fleet up to now" }</span></h2>
            <ul class="entries">
                { for scenario.fleet.iter().enumerate().map(|(index, entry)| {
                    let remove = |one: bool| {
                        let mut edited = (*scenario).clone();
                        if one && edited.fleet[index].count > 1 {
                            edited.fleet[index].count -= 1;
                        } else {
                            edited.fleet.remove(index);
                        }
                        props.on_amend.reform(move |_: MouseEvent| edited.clone())
                    };
                    let attributes: Vec<String> = entry.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    html! {
                        <li data-testid="fleet-entry">
                            <span>{ format!("{} × {} in {}", entry.count, entry.instance_type, entry.availability_zone) }
                                if !attributes.is_empty() { <span class="hint">{ format!(" · {}", attributes.join(", ")) }</span> }
                                if let Some(ami) = &entry.ami_id { <span class="hint mono">{ format!(" · {ami}") }</span> }
                            </span>
                            if entry.count > 1 {
                                <button class="small" onclick={remove(true)} aria-label={format!("Remove 1 {} in {}", entry.instance_type, entry.availability_zone)}>{ "Remove 1" }</button>
                            }
                            <button class="small danger" onclick={remove(false)} aria-label={format!("Remove all {} {} in {}", entry.count, entry.instance_type, entry.availability_zone)}>{ "Remove" }</button>
                        </li>
                    }
                }) }
            </ul>
            <form class="form" onsubmit={on_add} aria-label="Add container instances">
                <label>{ "Count" }<input data-testid="fleet-count" type="number" min="1" value={draft.count.clone()} oninput={set(|d, v| d.count = v)} /></label>
                { error_for("count") }
                <label>{ "Instance type" }
                    <select data-testid="fleet-type" onchange={on_type}>
                        { for catalogue::in_natural_order().into_iter().map(|t| html! {
                            <option value={t.name} selected={t.name == draft.instance_type}>
                                { format!("{} ({} vCPU, {} MiB)", t.name, t.vcpus, t.memory_mib) }
                            </option>
                        }) }
                    </select>
                </label>
                { error_for("instance_type") }
                <label>{ "Availability Zone" }
                    <input data-testid="fleet-az" list={zones_id.clone()} value={draft.availability_zone.clone()} oninput={set(|d, v| d.availability_zone = v)} />
                    <datalist id={zones_id}>{ for zones.iter().map(|z| html! { <option value={z.to_string()} /> }) }</datalist>
                </label>
                { error_for("availability_zone") }
                <label>{ "Attributes" }<input data-testid="fleet-attributes" placeholder="stack=prod, team=web" value={draft.attributes.clone()} oninput={set(|d, v| d.attributes = v)} /></label>
                { error_for("attributes") }
                <label>{ "AMI ID" }<input data-testid="fleet-ami" class="mono" placeholder="ami-0abcdef1234567890 (optional)"
                    aria-invalid={errors.iter().any(|e| e.field == "ami_id").to_string()}
                    value={draft.ami_id.clone()} oninput={set(|d, v| d.ami_id = v)} /></label>
                { error_for("ami_id") }
                { error_for("scenario") }
                <div class="actions-menu">
                    <button data-testid="fleet-add" type="submit" class="primary" disabled={result.is_err()}>{ "Add instances" }</button>
                    if !errors.is_empty() {
                        <span class="hint" data-testid="fleet-fix-note">{ fix_errors_note(errors.len()) }</span>
                    }
                </div>
            </form>
        </section>
    }
}
