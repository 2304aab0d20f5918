//! The right-hand column: tabs for the event log (under the run's alarms, when it has any), the
//! details of what is selected (with its actions and the placement explainer) and the scenario
//! editors.

use crate::components::{
    alarms::Alarms, compare::Compare, details::Details, event_log::EventLog,
    fleet_editor::FleetEditor, import_dialog::ImportDialog, jobs::Jobs,
    service_editor::ServiceEditor, taskdef_editor::TaskDefEditor,
};
use crate::drafts::Drafts;
use crate::state::{EventFilter, SandboxAction, Selection, Tab, WorldHandle};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    pub world: WorldHandle,
    pub tab: Tab,
    pub selection: Option<Selection>,
    pub filter: EventFilter,
    pub drafts: Drafts,
    /// The branch to compare with, if one was made.
    pub branch: Option<WorldHandle>,
    pub on_dispatch: Callback<SandboxAction>,
}

#[function_component(SidePanel)]
pub fn side_panel(props: &SidePanelProps) -> Html {
    let tab = |tab: Tab, label: &'static str, testid: &'static str| {
        let on_click = props
            .on_dispatch
            .reform(move |_: MouseEvent| SandboxAction::SetTab(tab));
        let selected = props.tab == tab;
        html! {
            <button role="tab" data-testid={testid} aria-selected={selected.to_string()}
                class={classes!("tab", selected.then_some("selected"))} onclick={on_click}>{ label }</button>
        }
    };
    html! {
        <aside class="side-panel">
            <div class="tabs" role="tablist" aria-label="Side panel">
                { tab(Tab::Events, "Events", "tab-events") }
                { tab(Tab::Details, "Details", "tab-details") }
                { tab(Tab::Jobs, "Batch jobs", "tab-jobs") }
                { tab(Tab::Edit, "Edit scenario", "tab-edit") }
                { tab(Tab::Compare, "Compare", "tab-compare") }
            </div>
            <div class="tab-body" role="tabpanel">
                { match props.tab {
                    Tab::Events => html! {
                        <>
                            <Alarms world={props.world.clone()} on_dispatch={props.on_dispatch.clone()} />
                            <EventLog world={props.world.clone()} filter={props.filter.clone()} on_dispatch={props.on_dispatch.clone()} />
                        </>
                    },
                    Tab::Details => html! {
                        <Details world={props.world.clone()} selection={props.selection} on_dispatch={props.on_dispatch.clone()} />
                    },
                    Tab::Import => html! { <ImportDialog on_dispatch={props.on_dispatch.clone()} /> },
                    Tab::Jobs => html! { <Jobs world={props.world.clone()} on_dispatch={props.on_dispatch.clone()} /> },
                    Tab::Compare => html! {
                        <Compare world={props.world.clone()} branch={props.branch.clone()} on_dispatch={props.on_dispatch.clone()} />
                    },
                    Tab::Edit => html! {
                        <div class="editors">
                            <ServiceEditor world={props.world.clone()} drafts={props.drafts.clone()} on_dispatch={props.on_dispatch.clone()} />
                            <FleetEditor world={props.world.clone()} drafts={props.drafts.clone()} on_dispatch={props.on_dispatch.clone()} />
                            <TaskDefEditor world={props.world.clone()} drafts={props.drafts.clone()} on_dispatch={props.on_dispatch.clone()} />
                        </div>
                    },
                } }
            </div>
        </aside>
    }
}
