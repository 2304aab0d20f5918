//! What to do next with a scenario that cannot run anything yet — a lone imported task
//! definition, or a scenario being defined from scratch: no task definition, no container
//! instance or no service. Each missing part gets a button that opens its editor ready to fill
//! in (a new service already using the scenario's task definition). Nothing when all three are
//! there.

use crate::drafts::Drafts;
use crate::service_draft::{revision_names, ServiceDraft};
use crate::state::{Tab, WorldHandle};
use crate::taskdef_draft::TaskDefDraft;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NextStepsProps {
    pub world: WorldHandle,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_set_tab: Callback<Tab>,
}

#[function_component(NextSteps)]
pub fn next_steps(props: &NextStepsProps) -> Html {
    let scenario = props.world.run().scenario.clone();
    let revisions = revision_names(&scenario);
    if !revisions.is_empty() && !scenario.fleet.is_empty() && !scenario.services.is_empty() {
        return html! {};
    }
    // Opens the Edit scenario tab with `change` made to the drafts first.
    let open = |change: Box<dyn Fn(&mut Drafts)>| {
        let (drafts, on_set_drafts, on_set_tab) = (
            props.drafts.clone(),
            props.on_set_drafts.clone(),
            props.on_set_tab.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let mut drafts = drafts.clone();
            change(&mut drafts);
            on_set_drafts.emit(drafts);
            on_set_tab.emit(Tab::Edit);
        })
    };
    let latest = revisions.last().cloned().unwrap_or_default();
    html! {
        <section class="panel next-steps" data-testid="next-steps" aria-label="Next steps">
            <h2>{ "Next steps" }</h2>
            <p class="hint">{ "Nothing can run yet. This scenario needs:" }</p>
            <ol>
                if revisions.is_empty() {
                    <li data-testid="next-step-taskdef">{ "a task definition: what a task runs. " }
                        <button class="small primary" onclick={open(Box::new(|d| d.taskdef = TaskDefDraft::new_family()))}>{ "New family…" }</button>
                    </li>
                }
                if scenario.fleet.is_empty() {
                    <li data-testid="next-step-fleet">{ "container instances for tasks to run on. " }
                        <button class="small primary" onclick={open(Box::new(|_| ()))}>{ "Add instances…" }</button>
                    </li>
                }
                if scenario.services.is_empty() && !revisions.is_empty() {
                    <li data-testid="next-step-service">{ format!("a service that keeps tasks of {latest} running. ") }
                        <button class="small primary" onclick={{
                            let scenario = scenario.clone();
                            open(Box::new(move |d| *d.service = ServiceDraft::new_service(&scenario)))
                        }}>{ format!("Add a service using {latest}…") }</button>
                    </li>
                }
            </ol>
            <p class="hint">{ "Or run it as a batch job (RunTask) from the Batch jobs tab once it has instances." }</p>
        </section>
    }
}
