//! The open discovery or traffic member (`flotilla_app::discovery_draft::MemberDraft`) as the
//! discovery editor shows it: its JSON as the scenario file writes it, in a monospace text area;
//! every problem of the check with its path (`path: message`; the draft checked by loading the
//! whole scenario with it); Apply (disabled while there is a problem, with the other editors' "fix N errors"
//! note, or while nothing changed) and Discard; for a draft whose member is gone, what happened
//! (the problem listed). A render function, not a component: its state is the discovery
//! editor's (the draft in `Drafts`, the check memoised there), and its buttons carry `data-act`
//! for that editor's one click handler.

use crate::drafts::fix_errors_note;
use flotilla_app::discovery_draft::{Checked, MemberDraft};
use flotilla_core::Scenario;
use yew::prelude::*;

/// The form for `draft`, `checked` against `scenario`; `unchanged`: the text is the member's own.
pub fn member_form(
    scenario: &Scenario,
    draft: &MemberDraft,
    checked: &Checked,
    unchanged: bool,
    on_input: &Callback<InputEvent>,
) -> Html {
    let title = format!("{}, as in the scenario file", draft.title(scenario));
    let problems = checked.problems();
    let lines = draft.text.lines().count().clamp(6, 18);
    let note = match (problems.len(), unchanged) {
        (0, true) => "No change yet".to_string(),
        (0, false) => "Applying keeps the clock: your run is replayed up to now".to_string(),
        (count, _) => fix_errors_note(count),
    };
    html! {
        <div class="form member-editor" role="group" aria-label={format!("Edit {title}")} data-testid="member-editor">
            <h4>{ title }</h4>
            // One text block, a problem a line: cheaper in the app's download than a list.
            if !problems.is_empty() {
                <pre class="problems" role="alert" data-testid="member-problems">{ problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n") }</pre>
            }
            <textarea class="mono" rows={lines.to_string()} spellcheck="false" aria-label="Member JSON" data-testid="member-json"
                aria-invalid={(!problems.is_empty()).to_string()} value={draft.text.clone()} oninput={on_input.clone()} />
            <div class="actions-menu">
                <button class="primary" data-act="apply" data-testid="member-apply" disabled={!matches!(checked, Checked::Ready(_)) || unchanged}>{ "Apply" }</button>
                <span class="hint" data-testid="member-fix-note">{ note }</span>
                <button data-act="discard" data-testid="member-discard">{ "Discard" }</button>
            </div>
        </div>
    }
}
