//! The discovery and traffic editor in the Edit tab: a section per kind of member (load
//! balancers with their listeners and rules, target groups, Route 53 hosted zones with their
//! records, Cloud Map namespaces with their services, traffic), each with one line for a
//! newcomer on what it is for, its members in plain words with Edit and Remove, and Add (a
//! valid template). Edit and Add open the member's JSON (`member_editor.rs`), checked as it is
//! typed; the draft lives in the reducer's `Drafts`, so a reload keeps it. Applying or removing
//! keeps the clock (the run is replayed up to now, as the fleet editor's edits are); a removal
//! that would leave problems (a listener or a service still naming the member) lists them
//! instead of applying.
//!
//! Every button says what it does in `data-act` (with `data-kind` and `data-name`) and one
//! click handler on the section acts on it: one closure instead of one per button keeps the
//! editor small in the app's download.

use crate::components::member_editor::member_form;
use crate::drafts::Drafts;
use crate::state::WorldHandle;
use flotilla_app::discovery_draft::{
    can_add, member_rows, remove_member, Checked, MemberDraft, MemberKind,
};
use flotilla_core::{Problem, Scenario};
use std::rc::Rc;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiscoveryEditorProps {
    pub world: WorldHandle,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_amend: Callback<Scenario>,
}

/// A removal refused: the member's kind, the member in words, and the problems it would leave.
type Refused = (MemberKind, String, Vec<Problem>);

/// The scenario by address: the draft is checked again only when the scenario was replaced or
/// the draft changed, not on every step of the run.
#[derive(Clone)]
struct SameScenario(Rc<Scenario>);

impl PartialEq for SameScenario {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[function_component(DiscoveryEditor)]
pub fn discovery_editor(props: &DiscoveryEditorProps) -> Html {
    let refused = use_state(|| None::<Refused>);
    let scenario = props.world.run().scenario.clone();
    let open = props.drafts.discovery.clone();
    let checked = use_memo(
        (SameScenario(scenario.clone()), open.clone()),
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
        let (scenario, open, refused) = (scenario.clone(), open.clone(), refused.clone());
        let on_amend = props.on_amend.clone();
        Callback::from(move |event: MouseEvent| {
            let button = event
                .target_dyn_into::<Element>()
                .and_then(|e| e.closest("[data-act]").ok().flatten());
            let Some(button) = button else { return };
            let attribute = |name: &str| button.get_attribute(name).unwrap_or_default();
            let kind = attribute("data-kind")
                .parse::<usize>()
                .ok()
                .and_then(|k| MemberKind::ALL.get(k).copied());
            let name = attribute("data-name");
            match (attribute("data-act").as_str(), kind) {
                ("edit", Some(kind)) => with_draft(MemberDraft::edit(&scenario, kind, &name)),
                ("add", Some(kind)) => with_draft(Some(MemberDraft::add(&scenario, kind))),
                ("remove", Some(kind)) => match remove_member(&scenario, kind, &name) {
                    Ok(edited) => {
                        refused.set(None);
                        on_amend.emit(edited);
                    }
                    Err(problems) => refused.set(Some((
                        kind,
                        format!("{} \u{201c}{name}\u{201d}", kind.noun()),
                        problems,
                    ))),
                },
                ("ok", _) => refused.set(None),
                ("discard", _) => with_draft(None),
                ("as-new", _) => with_draft(open.clone().map(|d| MemberDraft { name: None, ..d })),
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
    let section = |(index, kind): (usize, MemberKind)| {
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
                            <li data-testid="discovery-member" data-name={row.name.clone()}>
                                <span>{ row.summary }</span>
                                <button class="small" data-act="edit" data-kind={index.to_string()} data-name={row.name.clone()} aria-label={format!("Edit {label}")}>{ "Edit" }</button>
                                <button class="small danger" data-act="remove" data-kind={index.to_string()} data-name={row.name} aria-label={format!("Remove {label}")}>{ "Remove" }</button>
                            </li>
                        }
                    }) }
                </ul>
                if let Some((what, problems)) = refused.as_ref().filter(|r| r.0 == kind).map(|r| (&r.1, &r.2)) {
                    <div class="field-error" role="alert" data-testid="remove-refused">
                        { format!("Removing {what} would leave {}; change what names it first:", count_problems(problems.len())) }
                        <ul class="problems">{ for problems.iter().map(|p| html! { <li><code>{ &p.path }</code>{ " " }{ &p.message }</li> }) }</ul>
                        <button class="small" data-act="ok">{ "OK" }</button>
                    </div>
                }
                if let Some(form) = form {
                    { form }
                } else if can_add(&scenario, kind) {
                    <button class="small" data-act="add" data-kind={index.to_string()} data-testid="discovery-add">{ format!("Add {}", kind.noun()) }</button>
                }
            </div>
        }
    };
    html! {
        <section class="panel editor discovery-editor" aria-label="Discovery and traffic" data-testid="discovery-editor" onclick={on_click}>
            <h2>{ "Discovery and traffic" }<span class="hint">{ "edits keep the clock: your run is replayed up to now" }</span></h2>
            { for MemberKind::ALL.into_iter().enumerate().map(section) }
        </section>
    }
}

/// "a problem", "3 problems".
fn count_problems(count: usize) -> String {
    match count {
        1 => "a problem".into(),
        n => format!("{n} problems"),
    }
}
