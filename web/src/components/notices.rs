//! Banners above the workspace: errors (a bad link or file, an action that could not apply) and
//! information (a share link to copy). Each can be dismissed; text is rendered as text.

use crate::persist::{Notice, NoticeKind};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<usize>,
}

#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let on_focus_link = Callback::from(|event: FocusEvent| {
        if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <div class="notices">
            { for props.notices.iter().enumerate().map(|(index, notice)| {
                let on_dismiss = props.on_dismiss.reform(move |_: MouseEvent| index);
                let (class, role, testid) = match notice.kind {
                    NoticeKind::Error => ("notice error", "alert", "error-banner"),
                    NoticeKind::Info => ("notice info", "status", "info-banner"),
                };
                html! {
                    <div class={class} role={role} data-testid={testid}>
                        <div class="notice-body">
                            <strong>{ &notice.title }</strong>
                            if !notice.detail.is_empty() {
                                <pre>{ &notice.detail }</pre>
                            }
                            if let Some(link) = &notice.link {
                                <input data-testid="share-link" class="share-link" readonly=true
                                    aria-label="Share link" value={link.clone()} onfocus={on_focus_link.clone()} />
                            }
                        </div>
                        <button class="dismiss" onclick={on_dismiss} aria-label="Dismiss">{ "✕" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
