//! The discovery and traffic editor in the Edit tab: a section per kind of member (load
//! balancers with their listeners and rules, target groups, Route 53 hosted zones with their
//! records, Cloud Map namespaces with their services, traffic), each with one line for a
//! newcomer on what it is for, its members in plain words with Edit and Remove, and Add (a
//! valid template). Edit and Add open the member's JSON (`member_editor.rs`), checked as it is
//! typed; the draft lives in the reducer's `Drafts`, so a reload keeps it. Applying or removing
//! keeps the clock (the run is replayed up to now, as the fleet editor's edits are); a removal
//! that would leave problems (a listener or a service still naming the member) is not applied:
//! a notice lists them, as for any action that could not apply.
//!
//! Every button says what it does in `data-act` (its row carries the member's `data-name`, its
//! section the kind's `data-kind`) and one click handler on the editor acts on it: one closure
//! instead of one per button keeps the editor small in the app's download.

use crate::components::member_editor::member_form;
use crate::drafts::Drafts;
use crate::state::ScenarioRef;
use flotilla_app::discovery_draft::{
    can_add, member_rows, remove_member, Checked, MemberDraft, MemberKind,
};
use flotilla_app::notice::Notice;
use flotilla_core::Scenario;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiscoveryEditorProps {
    pub scenario: ScenarioRef,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_amend: Callback<Scenario>,
    /// A removal refused: the problems it would leave, in a notice.
    pub on_notify: Callback<Notice>,
}

#[function_component(DiscoveryEditor)]
pub fn discovery_editor(props: &DiscoveryEditorProps) -> Html {
    let scenario = props.scenario.0.clone();
    let open = props.drafts.discovery.clone();
    // Checked again only when the scenario is replaced or the draft changes (the component
    // does not re-render on a step: its props hold the scenario, compared by identity).
    let checked = use_memo(
        (props.scenario.clone(), open.clone()),
        |(scenario, draft)| {
            let draft = draft.as_ref()?;
            Some((draft.check(&scenario.0), draft.is_unchanged(&scenario.0)))
        },
    );
    let with_draft = {
        let (drafts, on_set_drafts) = (props.drafts.clone(), props.on_set_drafts.clone());
        move |draft: Option<MemberDraft>| {
            on_set_drafts.emit(Drafts {
                discovery: draft,
                ..drafts.clone()
            })
        }
    };
    let on_input = {
        let (open, with_draft) = (open.clone(), with_draft.clone());
        Callback::from(move |event: InputEvent| {
            let text = event.target_dyn_into::<HtmlTextAreaElement>();
            if let (Some(draft), Some(text)) = (&open, text) {
                with_draft(Some(MemberDraft {
                    text: text.value(),
                    ..draft.clone()
                }));
            }
        })
    };
    let on_click = {
        let (scenario, open) = (scenario.clone(), open.clone());
        let (on_amend, on_notify) = (props.on_amend.clone(), props.on_notify.clone());
        Callback::from(move |event: MouseEvent| {
            let button = event
                .target_dyn_into::<Element>()
                .and_then(|e| e.closest("[data-act]").ok().flatten());
            let Some(button) = button else { return };
            // The member's name is on its row, the kind on its section.
            let attribute = |name: &str| {
                let holder = button.closest(&format!("[{name}]")).ok().flatten();
                holder
                    .and_then(|h| h.get_attribute(name))
                    .unwrap_or_default()
            };
            let section = attribute("data-kind");
            let kind = MemberKind::ALL.into_iter().find(|k| k.section() == section);
            let name = attribute("data-name");
            match (attribute("data-act").as_str(), kind) {
                ("edit", Some(kind)) => with_draft(MemberDraft::edit(&scenario, kind, &name)),
                ("add", Some(kind)) => with_draft(Some(MemberDraft::add(&scenario, kind))),
                ("remove", Some(kind)) => match remove_member(&scenario, kind, &name) {
                    Ok(edited) => on_amend.emit(edited),
                    Err(problems) => {
                        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                        on_notify.emit(Notice::error(
                            format!("The {} \u{201c}{name}\u{201d} was not removed: something still names it", kind.noun()),
                            lines.join("\n"),
                        ));
                    }
                },
                ("discard", _) => with_draft(None),
                ("apply", _) => {
                    let checked = open.as_ref().map(|d| d.check(&scenario));
                    if let Some(Checked::Ready(edited)) = checked {
                        with_draft(None);
                        on_amend.emit(*edited);
                    }
                }
                _ => {}
            }
        })
    };
    let section = |kind: MemberKind| {
        let form = open
            .as_ref()
            .filter(|d| d.kind == kind)
            .zip((*checked).as_ref())
            .map(|(draft, (checked, unchanged))| {
                member_form(&scenario, draft, checked, *unchanged, &on_input)
            });
        html! {
            <div class="discovery-section" data-testid="discovery-section" data-kind={kind.section()}>
                <h3>{ kind.section() }</h3>
                <p class="hint">{ kind.hint() }</p>
                <ul class="entries">
                    { for member_rows(&scenario, kind).into_iter().map(|row| {
                        let label = format!("{} \u{201c}{}\u{201d}", kind.noun(), row.name);
                        html! {
                            <li data-testid="discovery-member" data-name={row.name}>
                                { row.summary }
                                <button class="small" data-act="edit" aria-label={format!("Edit {label}")}>{ "Edit" }</button>
                                <button class="small danger" data-act="remove" aria-label={format!("Remove {label}")}>{ "Remove" }</button>
                            </li>
                        }
                    }) }
                </ul>
                if let Some(form) = form {
                    { form }
                } else if can_add(&scenario, kind) {
                    <button class="small" data-act="add" data-testid="discovery-add">{ format!("Add {}", kind.noun()) }</button>
                }
            </div>
        }
    };
    html! {
        <section class="panel editor discovery-editor" aria-label="Discovery and traffic" data-testid="discovery-editor" onclick={on_click}>
            <h2>{ "Discovery and traffic" }</h2>
            { for MemberKind::ALL.into_iter().map(section) }
        </section>
    }
}
