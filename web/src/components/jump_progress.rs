//! The progress of a long jump, with Cancel, under the time controls. While a jump is shown this
//! component owns its later shares (`jump_slices::RunningJump`): it starts them, shows their
//! progress (kept in local state, so only this bar re-renders) and drops them when the jump
//! ends, is cancelled or is replaced; the world reached goes to the reducer. When idle it
//! renders only the last long jump's result as data attributes (for tests).

use crate::intents::JumpIntents;
use crate::jump::{Jump, JumpResult};
use crate::jump_slices::RunningJump;
use flotilla_core::SimTime;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JumpProgressProps {
    pub jump: Option<Rc<Jump>>,
    pub last: Option<JumpResult>,
    pub intents: JumpIntents,
}

/// Simulated time reached and events so far, as the last share reported them.
#[derive(Clone, Copy, PartialEq)]
struct Progress {
    reached: SimTime,
    events: u64,
}

#[function_component(JumpProgress)]
pub fn jump_progress(props: &JumpProgressProps) -> Html {
    let progress = use_state(|| None::<Progress>);
    {
        let progress = progress.clone();
        let intents = props.intents.clone();
        let jump = props.jump.clone();
        use_effect_with(jump.as_ref().map(|jump| jump.id), move |_| {
            progress.set(jump.as_ref().map(|jump| Progress {
                reached: jump.reached,
                events: jump.events,
            }));
            let running = jump.map(|jump| {
                RunningJump::start(
                    jump,
                    intents,
                    Callback::from(move |(reached, events)| {
                        progress.set(Some(Progress { reached, events }))
                    }),
                )
            });
            move || drop(running)
        });
    }
    let Some(jump) = &props.jump else {
        return match &props.last {
            Some(last) => html! {
                <div hidden=true data-testid="jump-result" data-at={last.at.to_string()}
                    data-events={last.events.to_string()}
                    data-digest={format!("{:016x}", last.digest)}
                    data-bound={last.bound.map(|bound| bound.describe())} />
            },
            None => html! {},
        };
    };
    let Progress { reached, events } = (*progress).unwrap_or(Progress {
        reached: jump.reached,
        events: jump.events,
    });
    let span = jump.target.as_ms().saturating_sub(jump.from.as_ms()).max(1);
    let done = reached.as_ms().saturating_sub(jump.from.as_ms()).min(span);
    let on_cancel = props.intents.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="jump-progress" role="status" data-testid="jump-progress"
            data-reached={reached.to_string()} data-target={jump.target.to_string()}>
            <span class="jump-label">{ format!("Jumping to {}", jump.target) }</span>
            <progress max={span.to_string()} value={done.to_string()}
                aria-label="Simulated time reached" />
            <span class="jump-reached" data-testid="jump-reached">
                { format!("{reached} reached · {events} events") }
            </span>
            <button data-testid="jump-cancel" onclick={on_cancel}
                title="Stop the jump; the run stays where it was">{ "Cancel" }</button>
        </div>
    }
}
