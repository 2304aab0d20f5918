//! The task-definition editor: pick a family:revision (or start a new family), edit task-level
//! cpu/memory, the network mode and each container (cpu, memory, memoryReservation, essential,
//! port mappings, health check), and the revision's sandbox behaviour. Errors come from the
//! core's validation, shown under the field they name. As in ECS, a definition is never changed
//! in place: saving registers the family's next revision (and moves its services to it); only
//! the behaviour, which is the sandbox's own, can be set on the existing revision. The form is a
//! draft in the reducer (never lost); saving changes the working scenario and restarts the run.

use crate::drafts::{fix_errors_note, Drafts};
use crate::instance::use_instance;
use crate::state::ScenarioRef;
use crate::taskdef_draft::{
    next_revision, revisions, ContainerDraft, DraftError, PortDraft, Saved, TaskDefDraft, GENERAL,
};
use flotilla_core::Scenario;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TaskDefEditorProps {
    pub scenario: ScenarioRef,
    pub drafts: Drafts,
    pub on_set_drafts: Callback<Drafts>,
    pub on_open_scenario: Callback<Scenario>,
}

/// Every field key the form renders an input for; errors for other keys are listed at the end.
fn shown_by_a_field(key: &str) -> bool {
    const CONTAINER_FIELDS: [&str; 7] = [
        "name",
        "image",
        "cpu",
        "memory",
        "memoryReservation",
        "essential",
        "healthCheck.",
    ];
    if ["family", "cpu", "memory", "networkMode"].contains(&key) || key.starts_with("behaviour.") {
        return true;
    }
    let Some(rest) = key
        .strip_prefix("containerDefinitions[")
        .and_then(|r| r.split_once("]."))
        .map(|(_, rest)| rest)
    else {
        return false;
    };
    rest.starts_with("portMappings[")
        && (rest.ends_with(".containerPort") || rest.ends_with(".hostPort"))
        || CONTAINER_FIELDS
            .iter()
            .any(|f| rest == *f || (f.ends_with('.') && rest.starts_with(f)))
}

/// Applies one change to the draft and stores it.
type Edit = Rc<dyn Fn(Box<dyn FnOnce(&mut TaskDefDraft)>)>;
/// Writes a typed value into one member of the draft.
type Setter = Rc<dyn Fn(&mut TaskDefDraft, String)>;

#[function_component(TaskDefEditor)]
pub fn taskdef_editor(props: &TaskDefEditorProps) -> Html {
    let scenario = props.scenario.0.clone();
    let all = revisions(&scenario);
    let editor_id = use_instance().dom_id("taskdef-editor");
    // The draft of a revision that exists or of a new family; else a fresh one of the first
    // (a new family when the scenario has none yet).
    let stored = &props.drafts.taskdef;
    let draft = if (stored.base.is_empty() && !stored.containers.is_empty())
        || all.iter().any(|(r, _)| *r == stored.base)
    {
        stored.clone()
    } else {
        all.first()
            .and_then(|(first, _)| TaskDefDraft::from_revision(&scenario, first))
            .unwrap_or_else(TaskDefDraft::new_family)
    };
    let is_new = draft.base.is_empty();
    let registered = draft.register_in(&scenario);
    let behaviour_only = draft.set_behaviour_in(&scenario);
    let errors: Vec<DraftError> = registered.as_ref().err().cloned().unwrap_or_default();
    let next = next_revision(&scenario, draft.family.trim());

    let dispatch_draft = {
        let (drafts, on_set_drafts) = (props.drafts.clone(), props.on_set_drafts.clone());
        Rc::new(move |taskdef: TaskDefDraft| {
            let mut drafts = drafts.clone();
            drafts.taskdef = taskdef;
            on_set_drafts.emit(drafts);
        })
    };
    let edit: Edit = {
        let (draft, dispatch_draft) = (draft.clone(), dispatch_draft.clone());
        Rc::new(move |change: Box<dyn FnOnce(&mut TaskDefDraft)>| {
            let mut draft = draft.clone();
            change(&mut draft);
            dispatch_draft(draft);
        })
    };
    let errors_for = |key: &str| -> Html {
        html! { <>{ for errors.iter().filter(|e| e.field == key).map(|e| html! {
            <span class="field-error" role="alert" data-field={e.field.clone()}>{ &e.message }</span>
        }) }</> }
    };
    // A labelled text input bound to one draft member; its errors right under it.
    let input = |label: &str,
                 testid: String,
                 key: String,
                 value: &str,
                 placeholder: &str,
                 set: Setter| {
        let edit = edit.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let set = set.clone();
            edit(Box::new(move |d| set(d, value)));
        });
        let invalid = errors.iter().any(|e| e.field == key);
        html! {
            <label>
                <span>{ label.to_string() }</span>
                <input data-testid={testid} value={value.to_string()} placeholder={placeholder.to_string()}
                    aria-invalid={invalid.to_string()} oninput={oninput} />
                { errors_for(&key) }
            </label>
        }
    };
    let button = |label: &str, testid: String, change: Rc<dyn Fn(&mut TaskDefDraft)>| {
        let edit = edit.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let change = change.clone();
            edit(Box::new(move |d| change(d)));
        });
        html! { <button type="button" class="small" data-testid={testid} onclick={onclick}>{ label.to_string() }</button> }
    };

    let on_pick = {
        let (scenario, dispatch_draft) = (scenario.clone(), dispatch_draft.clone());
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let picked = match value.as_str() {
                "" => Some(TaskDefDraft::new_family()),
                reference => TaskDefDraft::from_revision(&scenario, reference),
            };
            if let Some(picked) = picked {
                dispatch_draft(picked);
            }
        })
    };
    let on_network_mode = {
        let edit = edit.clone();
        Callback::from(move |event: Event| {
            let value = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            edit(Box::new(move |d| d.network_mode = value));
        })
    };
    let on_update_services = {
        let edit = edit.clone();
        Callback::from(move |_: Event| edit(Box::new(|d| d.update_services = !d.update_services)))
    };
    // Saving restarts the run with the edited scenario; the draft moves on to what was saved.
    let save = |result: Result<Saved, Vec<DraftError>>| -> Rc<dyn Fn()> {
        let (on_set_drafts, drafts) = (props.on_set_drafts.clone(), props.drafts.clone());
        let on_open_scenario = props.on_open_scenario.clone();
        Rc::new(move || {
            // With errors the button is disabled and they are shown beside the fields.
            let Ok(saved) = &result else {
                return;
            };
            let mut drafts = drafts.clone();
            drafts.taskdef =
                TaskDefDraft::from_revision(&saved.scenario, &saved.revision).unwrap_or_default();
            on_set_drafts.emit(drafts);
            on_open_scenario.emit(saved.scenario.clone());
        })
    };
    let on_register = {
        let save = save(registered.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            save();
        })
    };
    let on_behaviour_only = {
        let save = save(behaviour_only.clone());
        Callback::from(move |_: MouseEvent| save())
    };
    let on_discard = {
        let (scenario, dispatch_draft, base) =
            (scenario.clone(), dispatch_draft.clone(), draft.base.clone());
        Callback::from(move |_: MouseEvent| {
            let fresh = TaskDefDraft::from_revision(&scenario, &base)
                .unwrap_or_else(TaskDefDraft::new_family);
            dispatch_draft(fresh);
        })
    };
    let family = draft.family.trim().to_string();
    let services: Vec<String> = scenario
        .services
        .iter()
        .filter(|s| !family.is_empty() && s.task_definition.split(':').next() == Some(&family))
        .map(|s| s.service_name.clone())
        .collect();
    let general: Vec<&DraftError> = errors
        .iter()
        .filter(|e| e.field == GENERAL || !shown_by_a_field(&e.field))
        .collect();
    let behaviour = &draft.behaviour;
    // What an empty host port means depends on the network mode (ecs-semantics §2.3).
    let host_port_placeholder = match draft.network_mode.as_str() {
        "" | "bridge" => "dynamic",
        "none" => "no ports",
        _ => "= container port",
    };
    let modes = [
        ("", "not set (bridge)"),
        ("bridge", "bridge"),
        ("host", "host"),
        ("awsvpc", "awsvpc"),
        ("none", "none"),
    ];

    html! {
        <section class="panel editor taskdef-editor" id={editor_id} aria-label="Task definition editor" data-testid="taskdef-editor">
            <h2>{ "Task definitions" }<span class="hint">{ "edits restart the run" }</span></h2>
            <p class="hint" data-testid="taskdef-immutable">
                { "Task definitions are immutable in ECS: saving registers a new revision " }<strong>{ next.clone() }</strong>
                { if is_new { ".".to_string() } else { format!(" instead of changing {}. The behaviour is the sandbox's own and can also be set on {} in place.", draft.base, draft.base) } }
            </p>
            <p class="hint" data-testid="taskdef-compatibility">{ "Compatibility: EC2. FARGATE is not modelled: a task definition that requires it is refused, and import drops it with a note." }</p>
            <form class="form taskdef-form" onsubmit={on_register} aria-label="Edit a task definition">
                <label>{ "Revision" }
                    <select data-testid="taskdef-pick" onchange={on_pick}>
                        { for all.iter().map(|(reference, _)| html! {
                            <option value={reference.clone()} selected={*reference == draft.base}>{ reference }</option>
                        }) }
                        <option value="" selected={is_new}>{ "New family…" }</option>
                    </select>
                </label>
                <div class="cells">
                    if is_new {
                        { input("Family", "taskdef-family".into(), "family".into(), &draft.family, "web",
                            Rc::new(|d, v| d.family = v)) }
                    }
                    { input("Task CPU", "taskdef-cpu".into(), "cpu".into(), &draft.cpu, "not set",
                        Rc::new(|d, v| d.cpu = v)) }
                    { input("Task memory", "taskdef-memory".into(), "memory".into(), &draft.memory, "not set",
                        Rc::new(|d, v| d.memory = v)) }
                    <label>
                        <span>{ "Network mode" }</span>
                        <select data-testid="taskdef-network-mode" onchange={on_network_mode}>
                            { for modes.iter().map(|(value, label)| html! {
                                <option value={*value} selected={draft.network_mode == *value}>{ *label }</option>
                            }) }
                        </select>
                        { errors_for("networkMode") }
                    </label>
                </div>
                { for draft.containers.iter().enumerate().map(|(i, container)| {
                    let at = |field: &str| format!("containerDefinitions[{i}].{field}");
                    let on_essential = {
                        let edit = edit.clone();
                        Callback::from(move |_: Event| edit(Box::new(move |d| {
                            if let Some(c) = d.containers.get_mut(i) { c.essential = !c.essential; }
                        })))
                    };
                    let on_protocol = |p: usize| {
                        let edit = edit.clone();
                        Callback::from(move |event: Event| {
                            let value = event.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                            edit(Box::new(move |d| {
                                if let Some(port) = d.containers.get_mut(i).and_then(|c| c.ports.get_mut(p)) { port.protocol = value; }
                            }))
                        })
                    };
                    let container_field = |set: fn(&mut ContainerDraft, String)| -> Setter {
                        Rc::new(move |d, v| if let Some(c) = d.containers.get_mut(i) { set(c, v) })
                    };
                    let port_field = |p: usize, set: fn(&mut PortDraft, String)| -> Setter {
                        Rc::new(move |d, v| if let Some(port) = d.containers.get_mut(i).and_then(|c| c.ports.get_mut(p)) { set(port, v) })
                    };
                    html! {
                        <fieldset class="container" data-testid="taskdef-container">
                            <legend>{ format!("Container {}", i + 1) }
                                if draft.containers.len() > 1 {
                                    { button("Remove container", format!("taskdef-remove-container-{i}"), Rc::new(move |d| { if i < d.containers.len() { d.containers.remove(i); } })) }
                                }
                            </legend>
                            <div class="cells two">
                                { input("Name", format!("taskdef-container-{i}-name"), at("name"), &container.name, "web", container_field(|c, v| c.name = v)) }
                                { input("Image", format!("taskdef-container-{i}-image"), at("image"), &container.image, "repository/image:tag", container_field(|c, v| c.image = v)) }
                            </div>
                            <div class="cells">
                                { input("CPU units", format!("taskdef-container-{i}-cpu"), at("cpu"), &container.cpu, "not set", container_field(|c, v| c.cpu = v)) }
                                { input("Memory (hard)", format!("taskdef-container-{i}-memory"), at("memory"), &container.memory, "MiB", container_field(|c, v| c.memory = v)) }
                                { input("Reservation (soft)", format!("taskdef-container-{i}-memory-reservation"), at("memoryReservation"), &container.memory_reservation, "MiB", container_field(|c, v| c.memory_reservation = v)) }
                            </div>
                            <label class="check"><input type="checkbox" data-testid={format!("taskdef-container-{i}-essential")} checked={container.essential} onchange={on_essential} />
                                { " Essential (the task stops when this container exits)" }</label>
                            { errors_for(&at("essential")) }
                            <div class="ports" role="group" aria-label={format!("Port mappings of container {}", i + 1)}>
                                <span class="subhead">{ "Port mappings" }</span>
                                { for container.ports.iter().enumerate().map(|(p, port)| html! {
                                    <div class="cells port" data-testid="taskdef-port">
                                        { input("Container port", format!("taskdef-container-{i}-port-{p}-container"), at(&format!("portMappings[{p}].containerPort")), &port.container_port, "8080", port_field(p, |port, v| port.container_port = v)) }
                                        { input("Host port", format!("taskdef-container-{i}-port-{p}-host"), at(&format!("portMappings[{p}].hostPort")), &port.host_port, host_port_placeholder, port_field(p, |port, v| port.host_port = v)) }
                                        <label><span>{ "Protocol" }</span>
                                            <select data-testid={format!("taskdef-container-{i}-port-{p}-protocol")} onchange={on_protocol(p)}>
                                                { for ["tcp", "udp"].iter().map(|proto| html! { <option value={*proto} selected={port.protocol == *proto}>{ *proto }</option> }) }
                                            </select>
                                        </label>
                                        { button("Remove", format!("taskdef-container-{i}-remove-port-{p}"), Rc::new(move |d| {
                                            if let Some(c) = d.containers.get_mut(i) { if p < c.ports.len() { c.ports.remove(p); } }
                                        })) }
                                    </div>
                                }) }
                                if container.ports.is_empty() { <span class="hint">{ "none" }</span> }
                                { button("Add port mapping", format!("taskdef-container-{i}-add-port"), Rc::new(move |d| {
                                    if let Some(c) = d.containers.get_mut(i) {
                                        c.ports.push(PortDraft { container_port: "80".into(), host_port: String::new(), protocol: "tcp".into() });
                                    }
                                })) }
                            </div>
                            <div class="health">
                                <span class="subhead">{ "Health check" }</span>
                                <div class="cells one">
                                    { input("Command", format!("taskdef-container-{i}-health-command"), at("healthCheck.command"), &container.health.command,
                                        "CMD-SHELL curl -f http://localhost/ || exit 1 (empty: none)", container_field(|c, v| c.health.command = v)) }
                                </div>
                                <div class="cells four">
                                    { input("Interval s", format!("taskdef-container-{i}-health-interval"), at("healthCheck.interval"), &container.health.interval, "30", container_field(|c, v| c.health.interval = v)) }
                                    { input("Timeout s", format!("taskdef-container-{i}-health-timeout"), at("healthCheck.timeout"), &container.health.timeout, "5", container_field(|c, v| c.health.timeout = v)) }
                                    { input("Retries", format!("taskdef-container-{i}-health-retries"), at("healthCheck.retries"), &container.health.retries, "3", container_field(|c, v| c.health.retries = v)) }
                                    { input("Start period s", format!("taskdef-container-{i}-health-start-period"), at("healthCheck.startPeriod"), &container.health.start_period, "off", container_field(|c, v| c.health.start_period = v)) }
                                </div>
                            </div>
                        </fieldset>
                    }
                }) }
                { button("Add container", "taskdef-add-container".into(), Rc::new(|d| {
                    let index = d.containers.len();
                    d.containers.push(ContainerDraft::new(index));
                })) }
                <fieldset class="behaviour" data-testid="taskdef-behaviour">
                    <legend>{ "Revision behaviour (sandbox only, not part of ECS)" }</legend>
                    <div class="cells">
                        { input("Start time", "taskdef-start-time".into(), "behaviour.startTime".into(), &behaviour.start_time, "10s", Rc::new(|d, v| d.behaviour.start_time = v)) }
                        { input("Stop time", "taskdef-stop-time".into(), "behaviour.stopTime".into(), &behaviour.stop_time, "2s", Rc::new(|d, v| d.behaviour.stop_time = v)) }
                        { input("Crash after", "taskdef-crash-after".into(), "behaviour.crashAfter".into(), &behaviour.crash_after, "never", Rc::new(|d, v| d.behaviour.crash_after = v)) }
                        { input("Fails to start %", "taskdef-crash-rate".into(), "behaviour.crashRatePercent".into(), &behaviour.crash_rate_percent, "0", Rc::new(|d, v| d.behaviour.crash_rate_percent = v)) }
                        { input("Fails health checks %", "taskdef-health-failure".into(), "behaviour.healthCheckFailurePercent".into(), &behaviour.health_check_failure_percent, "0", Rc::new(|d, v| d.behaviour.health_check_failure_percent = v)) }
                    </div>
                    <p class="hint">{ "Crash after: the essential container exits this long after RUNNING (a crash loop). Fails to start: the chance a task never reaches RUNNING. Fails health checks: the chance a task fails its container health checks." }</p>
                </fieldset>
                if !services.is_empty() {
                    <label class="check"><input type="checkbox" data-testid="taskdef-update-services" checked={draft.update_services} onchange={on_update_services} />
                        { format!(" Move service{} {} to {next} (UpdateService)", if services.len() > 1 { "s" } else { "" }, services.join(", ")) }</label>
                }
                if !general.is_empty() {
                    <div class="field-error general" role="alert" data-testid="taskdef-general-errors">
                        { for general.iter().map(|e| html! { <p>{ if e.field == GENERAL { e.message.clone() } else { format!("{}: {}", e.field, e.message) } }</p> }) }
                    </div>
                }
                <div class="actions-menu">
                    <button type="submit" class="primary" data-testid="taskdef-register" disabled={registered.is_err()}>
                        { format!("Register {next} and restart") }</button>
                    if !errors.is_empty() {
                        <span class="hint" data-testid="taskdef-fix-note">{ fix_errors_note(errors.len()) }</span>
                    }
                    if !is_new {
                        <button type="button" data-testid="taskdef-set-behaviour" disabled={behaviour_only.is_err()} onclick={on_behaviour_only}
                            title="Only the sandbox behaviour of this revision changes; the definition stays as registered">
                            { format!("Set behaviour of {}", draft.base) }</button>
                    }
                    <button type="button" data-testid="taskdef-discard" onclick={on_discard}>{ "Discard changes" }</button>
                </div>
            </form>
        </section>
    }
}
