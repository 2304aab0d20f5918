//! The right-hand column: tabs for the event log (under the run's alarms, when it has any), the
//! details of what is selected (with its actions and the placement explainer), the traffic view
//! (discovery: DNS, load balancers, target groups, Cloud Map) and the scenario editors (the
//! discovery and traffic editor among them). The tabs follow the ARIA tablist pattern: one tab in the Tab order (the selected
//! one), ←/→ (and Home/End) move between them and select the one reached.

use crate::components::{
    alarms::Alarms, assertions_editor::AssertionsEditor, compare::Compare, details::Details,
    discovery_editor::DiscoveryEditor, event_log::EventLog, fleet_editor::FleetEditor,
    import_dialog::ImportDialog, jobs::Jobs, scenario_editor::ScenarioEditor,
    service_editor::ServiceEditor, taskdef_editor::TaskDefEditor, traffic::Traffic,
};
use crate::drafts::Drafts;
use crate::instance::use_instance;
use crate::intents::Intents;
use crate::state::{EventFilter, Selection, Tab, WorldHandle};
use flotilla_core::SimTime;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The tabs in the order shown (Import is reached from the toolbar, not a tab of its own).
const TABS: [(Tab, &str, &str); 6] = [
    (Tab::Events, "Events", "tab-events"),
    (Tab::Details, "Details", "tab-details"),
    (Tab::Traffic, "Traffic", "tab-traffic"),
    (Tab::Jobs, "Batch jobs", "tab-jobs"),
    (Tab::Edit, "Edit scenario", "tab-edit"),
    (Tab::Compare, "Compare", "tab-compare"),
];

/// Where an arrow key on tab `from` of `count` tabs leads (wrapping), if it is one the tablist
/// pattern uses.
pub fn tab_reached(key: &str, from: usize, count: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((from + 1) % count),
        "ArrowLeft" => Some((from + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    pub world: WorldHandle,
    pub tab: Tab,
    pub selection: Option<Selection>,
    pub filter: EventFilter,
    pub drafts: Drafts,
    /// The branch to compare with, if one was made.
    pub branch: Option<WorldHandle>,
    /// When the branch was made: simulated time and events both runs share.
    pub branch_fork: (SimTime, usize),
    /// The panel's node: the "Skip to side panel" link (`app`) focuses its selected tab.
    pub panel_ref: NodeRef,
    pub intents: Intents,
    /// Jump to a moment (a broken assertion's badge).
    pub on_seek: Callback<SimTime>,
}

#[function_component(SidePanel)]
pub fn side_panel(props: &SidePanelProps) -> Html {
    let instance = use_instance();
    let (panel_id, body_id) = (
        instance.dom_id("side-panel"),
        instance.dom_id("side-panel-body"),
    );
    let intents = &props.intents;
    // The selected tab is the one in the Tab order; with none selected (Import), the first.
    let focusable = TABS
        .iter()
        .position(|(tab, ..)| *tab == props.tab)
        .unwrap_or(0);
    let tab = |index: usize, tab: Tab, label: &'static str, testid: &'static str| {
        let on_click = intents.on_set_tab.reform(move |_: MouseEvent| tab);
        let on_set_tab = intents.on_set_tab.clone();
        let on_key = Callback::from(move |event: KeyboardEvent| {
            if event.alt_key() || event.ctrl_key() || event.meta_key() || event.shift_key() {
                return;
            }
            let Some(reached) = tab_reached(&event.key(), index, TABS.len()) else {
                return;
            };
            event.prevent_default();
            // Move the focus along with the selection, as the tablist pattern does.
            let button = event
                .target_dyn_into::<web_sys::Element>()
                .and_then(|b| b.parent_element())
                .and_then(|list| list.children().item(reached as u32))
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = button {
                let _ = button.focus();
            }
            on_set_tab.emit(TABS[reached].0);
        });
        let selected = props.tab == tab;
        html! {
            <button role="tab" data-testid={testid} aria-selected={selected.to_string()}
                aria-controls={body_id.clone()} tabindex={if index == focusable { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))} onclick={on_click} onkeydown={on_key}>{ label }</button>
        }
    };
    html! {
        <aside ref={props.panel_ref.clone()} class="side-panel" id={panel_id} aria-label="Side panel">
            <div class="tabs" role="tablist" aria-label="Side panel">
                { for TABS.iter().enumerate().map(|(index, (t, label, testid))| tab(index, *t, label, testid)) }
            </div>
            <div class="tab-body" role="tabpanel" id={body_id.clone()}>
                { match props.tab {
                    Tab::Events => html! {
                        <>
                            <Alarms world={props.world.clone()} on_apply={intents.on_apply.clone()} />
                            <EventLog world={props.world.clone()} filter={props.filter.clone()} on_filter={intents.on_filter.clone()} />
                        </>
                    },
                    Tab::Details => html! {
                        <Details world={props.world.clone()} selection={props.selection} intents={intents.clone()} />
                    },
                    Tab::Import => html! { <ImportDialog on_close={intents.on_set_tab.reform(|()| Tab::Events)} on_open_scenario={intents.on_open_scenario.clone()} on_notify={intents.on_notify.clone()} /> },
                    Tab::Traffic => html! { <Traffic world={props.world.clone()} on_select={intents.on_select.clone()} on_seek={props.on_seek.clone()} on_apply={intents.on_apply.clone()} /> },
                    Tab::Jobs => html! { <Jobs world={props.world.clone()} on_apply={intents.on_apply.clone()} on_notify={intents.on_notify.clone()} on_select={intents.on_select.clone()} /> },
                    Tab::Compare => html! {
                        <Compare world={props.world.clone()} branch={props.branch.clone()} fork={props.branch_fork}
                            on_branch={intents.on_branch.clone()} on_drop_branch={intents.on_drop_branch.clone()} />
                    },
                    Tab::Edit => {
                        // A scenario without instances needs them first: that form leads then.
                        let scenario = props.world.scenario();
                        let fleet_first = scenario.0.fleet.is_empty();
                        let fleet = html! { <FleetEditor scenario={scenario.clone()} drafts={props.drafts.clone()} on_set_drafts={intents.on_set_drafts.clone()} on_amend={intents.on_amend.clone()} /> };
                        html! {
                            <div class="editors">
                                <ScenarioEditor scenario={scenario.clone()} on_amend={intents.on_amend.clone()} />
                                if fleet_first { { fleet.clone() } }
                                <ServiceEditor scenario={scenario.clone()} drafts={props.drafts.clone()} on_set_drafts={intents.on_set_drafts.clone()} on_open_scenario={intents.on_open_scenario.clone()} />
                                <TaskDefEditor scenario={scenario.clone()} drafts={props.drafts.clone()} on_set_drafts={intents.on_set_drafts.clone()} on_open_scenario={intents.on_open_scenario.clone()} />
                                if !fleet_first { { fleet } }
                                <DiscoveryEditor scenario={scenario.clone()} drafts={props.drafts.clone()} on_set_drafts={intents.on_set_drafts.clone()} on_amend={intents.on_amend.clone()} on_notify={intents.on_notify.clone()} />
                                <AssertionsEditor world={props.world.clone()} on_amend={intents.on_amend.clone()} on_seek={props.on_seek.clone()} />
                            </div>
                        }
                    }
                } }
            </div>
        </aside>
    }
}
