//! The service editor: create a service (name, task definition revision, EC2 launch type) or
//! edit or remove one; scheduling strategy (DAEMON hides the desired count, as ECS does); the
//! deployment configuration with its bounds spelled out live ("min 50 % of 4 = 2 tasks must stay
//! healthy (rounded up)", from the core's `deploy::bounds`), circuit breaker, deployment alarms
//! and bake time, health check grace period; placement strategies and constraints with the
//! memberOf expression checked live by the core's query parser. Every field shows the core's
//! validation error for it; the form is a draft in the reducer (never lost); applying it
//! changes the working scenario and restarts the run.

use crate::drafts::{fix_errors_note, Drafts, FieldError};
use crate::instance::use_instance;
use crate::service_draft::{remove_service, revision_names, ServiceDraft};
use crate::state::ScenarioRef;
use crate::taskdef_draft::TaskDefDraft;
use flotilla_core::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The service picker's value for "a new service".
/// Not a valid service name (those are letters, digits, hyphens and underscores).
const NEW_SERVICE: &str = "+new";
/// The task-definition choice that starts a new family in the task-definition editor below.
const NEW_FAMILY: &str = "+family";

#[derive(Properties, PartialEq)]
pub struct ServiceEditorProps {
    pub scenario: ScenarioRef,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_open_scenario: Callback<Scenario>,
}

#[function_component(ServiceEditor)]
pub fn service_editor(props: &ServiceEditorProps) -> Html {
    let scenario = props.scenario.0.clone();
    // The draft being typed, else the first service as it is, else a new service.
    let stored = &props.drafts.service;
    let edited = scenario
        .services
        .iter()
        .find(|s| s.service_name == stored.service);
    let draft = match (stored.creating, edited, scenario.services.first()) {
        (true, _, _) => (**stored).clone(),
        (false, Some(definition), _) => (**stored).clone().completed(definition),
        (false, None, Some(first)) => ServiceDraft::from_definition(first),
        (false, None, None) => ServiceDraft::new_service(&scenario),
    };
    let result = draft.apply_to(&scenario);
    let errors: Vec<FieldError> = result.as_ref().err().cloned().unwrap_or_default();
    let error_for = |field: &str| -> Html {
        html! { <>{ for errors.iter().filter(|e| e.field == field && field != "member_of").map(|e| html! {
            <p class="field-error" role="alert" data-testid={format!("error-{field}")}>{ &e.message }</p>
        }) }</> }
    };
    let invalid = |field: &str| errors.iter().any(|e| e.field == field).to_string();
    let dispatch_draft = {
        let (drafts, on_set_drafts) = (props.drafts.clone(), props.on_set_drafts.clone());
        move |service: ServiceDraft| {
            let mut drafts = drafts.clone();
            drafts.service = Box::new(service);
            on_set_drafts.emit(drafts);
        }
    };
    let set = |update: fn(&mut ServiceDraft, String)| {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut draft = draft.clone();
            update(&mut draft, value);
            dispatch_draft(draft);
        })
    };
    let choose = |update: fn(&mut ServiceDraft, String)| {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let mut draft = draft.clone();
            update(&mut draft, value);
            dispatch_draft(draft);
        })
    };
    let toggle = |update: fn(&mut ServiceDraft)| {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Callback::from(move |_: Event| {
            let mut draft = draft.clone();
            update(&mut draft);
            dispatch_draft(draft);
        })
    };
    // A revision, or a new family: the task-definition editor (further down this tab) starts
    // one and comes into view; the service keeps its choice
    // until the family is saved and can be picked.
    let on_task_definition = {
        let (draft, drafts, on_set_drafts) = (
            draft.clone(),
            props.drafts.clone(),
            props.on_set_drafts.clone(),
        );
        let editor_id = use_instance().dom_id("taskdef-editor");
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let mut drafts = drafts.clone();
            if select.value() == NEW_FAMILY {
                select.set_value(&draft.task_definition);
                drafts.taskdef = TaskDefDraft::new_family();
                on_set_drafts.emit(drafts);
                if let Some(field) = gloo::utils::document().get_element_by_id(&editor_id) {
                    field.scroll_into_view();
                }
                return;
            }
            let mut draft = draft.clone();
            draft.task_definition = select.value();
            drafts.service = Box::new(draft);
            on_set_drafts.emit(drafts);
        })
    };
    let on_pick = {
        let (scenario, dispatch_draft) = (scenario.clone(), dispatch_draft.clone());
        Callback::from(move |event: Event| {
            let name = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            if name == NEW_SERVICE {
                dispatch_draft(ServiceDraft::new_service(&scenario));
            } else if let Some(definition) =
                scenario.services.iter().find(|s| s.service_name == name)
            {
                dispatch_draft(ServiceDraft::from_definition(definition));
            }
        })
    };
    let on_apply = {
        let (result, draft, drafts) = (result.clone(), draft.clone(), props.drafts.clone());
        let (on_set_drafts, on_open_scenario) =
            (props.on_set_drafts.clone(), props.on_open_scenario.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // With errors the button is disabled and they are shown beside the fields.
            if let Ok(edited) = &result {
                if draft.creating {
                    // From now on the form edits the service it just created.
                    let created = edited.services.last().map(ServiceDraft::from_definition);
                    let mut drafts = drafts.clone();
                    drafts.service = Box::new(created.unwrap_or_default());
                    on_set_drafts.emit(drafts);
                }
                on_open_scenario.emit(edited.clone());
            }
        })
    };
    let removal = (!draft.creating).then(|| remove_service(&scenario, &draft.service));
    let on_remove = match &removal {
        Some(Ok(removal)) => {
            let edited = removal.scenario.clone();
            Some(
                props
                    .on_open_scenario
                    .reform(move |_: MouseEvent| edited.clone()),
            )
        }
        _ => None,
    };
    let revisions = revision_names(&scenario);
    // Bounds of a percentage the core rejects would only mislead.
    let bounds = errors
        .iter()
        .all(|e| e.field != "minimum_healthy_percent" && e.field != "maximum_percent")
        .then(|| draft.bounds_in_words(&scenario))
        .flatten();
    let member_of_error = draft.member_of_error();
    let daemon = draft.is_daemon();
    html! {
        <section class="panel editor" aria-label="Service editor" data-testid="service-editor">
            <h2>{ "Services" }<span class="hint">{ "edits restart the run" }</span></h2>
            <form class="form" onsubmit={on_apply}>
                <label>{ "Service" }
                    <select data-testid="edit-service" onchange={on_pick}>
                        { for scenario.services.iter().map(|s| html! {
                            <option value={s.service_name.clone()} selected={!draft.creating && s.service_name == draft.service}>{ &s.service_name }</option>
                        }) }
                        <option value={NEW_SERVICE} selected={draft.creating}>{ "New service\u{2026}" }</option>
                    </select>
                </label>
                if draft.creating {
                    <label>{ "Name" }<input data-testid="edit-name" placeholder="payments" aria-invalid={invalid("name")}
                        value={draft.name.clone()} oninput={set(|d, v| d.name = v)} /></label>
                    { error_for("name") }
                }
                <label>{ "Task definition" }
                    <select data-testid="edit-task-definition" aria-invalid={invalid("task_definition")} onchange={on_task_definition}>
                        { for revisions.iter().map(|r| html! {
                            <option value={r.clone()} selected={*r == draft.task_definition}>{ r }</option>
                        }) }
                        // A service may name a family without a revision (the latest).
                        if !revisions.contains(&draft.task_definition) {
                            <option value={draft.task_definition.clone()} selected=true>{ &draft.task_definition }</option>
                        }
                        <option value={NEW_FAMILY}>{ "New family\u{2026} (define it below)" }</option>
                    </select>
                </label>
                { error_for("task_definition") }
                <p class="hint" data-testid="launch-type-hint">{ "Launch type EC2: tasks are placed on the fleet's container instances. FARGATE is not modelled: a scenario or import that asks for it is refused or noted." }</p>
                <label>{ "Scheduling" }
                    <select data-testid="edit-scheduling" onchange={choose(|d, v| d.scheduling_strategy = v)}>
                        <option value="REPLICA" selected={!daemon}>{ "REPLICA" }</option>
                        <option value="DAEMON" selected={daemon}>{ "DAEMON" }</option>
                    </select>
                </label>
                { error_for("scheduling_strategy") }
                if daemon {
                    <p class="hint" data-testid="daemon-hint">{ "DAEMON: one task on each active instance that meets the constraints; no desired count." }</p>
                } else {
                    <label>{ "Desired count" }<input data-testid="edit-desired" type="number" min="0" aria-invalid={invalid("desired_count")}
                        value={draft.desired_count.clone()} oninput={set(|d, v| d.desired_count = v)} /></label>
                    { error_for("desired_count") }
                }

                <fieldset class="group" aria-label="Deployment configuration">
                    <legend>{ "Deployment configuration" }</legend>
                    <label>{ "Minimum healthy percent" }<input data-testid="edit-min-healthy" type="number" min="0" max="100" aria-invalid={invalid("minimum_healthy_percent")}
                        placeholder={if daemon { "0" } else { "100" }} value={draft.minimum_healthy_percent.clone()} oninput={set(|d, v| d.minimum_healthy_percent = v)} /></label>
                    { error_for("minimum_healthy_percent") }
                    <label>{ "Maximum percent" }<input data-testid="edit-max-percent" type="number" min="100" aria-invalid={invalid("maximum_percent")}
                        placeholder={if daemon { "100" } else { "200" }} value={draft.maximum_percent.clone()} oninput={set(|d, v| d.maximum_percent = v)} /></label>
                    { error_for("maximum_percent") }
                    if let Some(bounds) = &bounds {
                        <ul class="rounding" data-testid="rounding" aria-label="Deployment bounds">
                            <li data-testid="rounding-min">{ &bounds.minimum }</li>
                            <li data-testid="rounding-max">{ &bounds.maximum }</li>
                            if let Some(deadlock) = &bounds.deadlock {
                                <li class="warning" data-testid="rounding-deadlock">{ "With these bounds a deployment cannot replace a single task. ECS reports: " }{ deadlock }</li>
                            }
                        </ul>
                    }
                    <label class="check"><input data-testid="edit-breaker" type="checkbox" checked={draft.circuit_breaker_enable}
                        onchange={toggle(|d| d.circuit_breaker_enable = !d.circuit_breaker_enable)} />{ "Circuit breaker: fail a deployment whose tasks keep failing" }</label>
                    <label class="check"><input data-testid="edit-breaker-rollback" type="checkbox" checked={draft.circuit_breaker_rollback}
                        onchange={toggle(|d| d.circuit_breaker_rollback = !d.circuit_breaker_rollback)} />{ "\u{2026} and roll back to the last completed deployment" }</label>
                    { error_for("circuit_breaker") }
                    <label>{ "Alarm names" }<input data-testid="edit-alarm-names" placeholder="web-5xx, web-latency" aria-invalid={invalid("alarm_names")}
                        value={draft.alarm_names.clone()} oninput={set(|d, v| d.alarm_names = v)} /></label>
                    { error_for("alarm_names") }
                    <label class="check"><input data-testid="edit-alarms-enable" type="checkbox" checked={draft.alarms_enable}
                        onchange={toggle(|d| d.alarms_enable = !d.alarms_enable)} />{ "Watch these alarms: one in ALARM fails the deployment" }</label>
                    <label class="check"><input data-testid="edit-alarms-rollback" type="checkbox" checked={draft.alarms_rollback}
                        onchange={toggle(|d| d.alarms_rollback = !d.alarms_rollback)} />{ "\u{2026} and roll back to the last completed deployment" }</label>
                    <label>{ "Bake time (min)" }<input data-testid="edit-bake-time" type="number" min="0" max="1440" placeholder="5" aria-invalid={invalid("bake_time")}
                        value={draft.bake_time_in_minutes.clone()} oninput={set(|d, v| d.bake_time_in_minutes = v)} /></label>
                    { error_for("bake_time") }
                    <label>{ "Grace period (s)" }<input data-testid="edit-grace-period" type="number" min="0" placeholder="0" aria-invalid={invalid("grace_period")}
                        title="healthCheckGracePeriodSeconds: failed health checks are ignored this long after a task starts"
                        value={draft.health_check_grace_period_seconds.clone()} oninput={set(|d, v| d.health_check_grace_period_seconds = v)} /></label>
                    { error_for("grace_period") }
                </fieldset>

                <fieldset class="group" aria-label="Placement">
                    <legend>{ "Placement" }</legend>
                    <label>{ "Strategies" }<input data-testid="edit-strategies" placeholder="spread(attribute:ecs.availability-zone), binpack(memory)"
                        aria-invalid={invalid("strategies")} value={draft.strategies.clone()} oninput={set(|d, v| d.strategies = v)} /></label>
                    <p class="hint">{ "Empty: the ECS default (spread over AZs, then instances)." }</p>
                    { error_for("strategies") }
                    <label class="check"><input data-testid="edit-distinct" type="checkbox" checked={draft.distinct_instance}
                        onchange={toggle(|d| d.distinct_instance = !d.distinct_instance)} />{ "distinctInstance: at most one task per instance" }</label>
                    <label>{ "memberOf" }<input data-testid="edit-member-of" class="mono" placeholder="attribute:stack == prod"
                        aria-invalid={member_of_error.is_some().to_string()} value={draft.member_of.clone()} oninput={set(|d, v| d.member_of = v)} /></label>
                    if let Some((column, message)) = member_of_error {
                        <div class="field-error query-error" role="alert" data-testid="member-of-error">
                            <pre class="mono">{ &draft.member_of }{ "\n" }{ format!("{}^", " ".repeat(column.saturating_sub(1) as usize)) }</pre>
                            { format!("column {column}: {message}") }
                        </div>
                    }
                </fieldset>
                if errors.iter().any(|e| e.field == "scenario") {
                    <div class="scenario-errors" data-testid="scenario-errors">
                        <p class="hint">{ "The scenario as a whole:" }</p>
                        { error_for("scenario") }
                    </div>
                }
                <div class="actions-menu">
                    <button data-testid="edit-apply" type="submit" class="primary" disabled={result.is_err()}>
                        { if draft.creating { "Create and restart" } else { "Apply and restart" } }
                    </button>
                    if !errors.is_empty() {
                        <span class="hint" data-testid="edit-fix-note">{ fix_errors_note(errors.len()) }</span>
                    }
                    if let Some(removal) = &removal {
                        <button data-testid="edit-remove" type="button" class="danger" disabled={on_remove.is_none()} onclick={on_remove.clone()}>{ format!("Remove service {}", draft.service) }</button>
                        { match removal.as_ref().map(|r| r.note()) {
                            Ok(None) => html! {},
                            Ok(Some(note)) => html! { <span class="hint" data-testid="remove-note">{ note }</span> },
                            Err(errors) => html! { <span class="field-error" role="alert">{
                                errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")
                            }</span> },
                        } }
                    }
                </div>
            </form>
        </section>
    }
}
