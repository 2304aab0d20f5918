//! Deploying a service: a new revision with a new image and, optionally, its own sandbox
//! behaviour — a crash loop, failure rates, a start time — (RegisterTaskDefinition, then
//! UpdateService with it) or forceNewDeployment, with the deployment configuration
//! (minimumHealthyPercent, maximumPercent, circuit breaker) sent in the same UpdateService.
//! Before starting, the plan preview (`World::plan_deployment`, re-planned with the edited
//! percentages) shows the rounds, the worst moments and the rounding, spelled out.

use crate::components::plan_preview::PlanPreview;
use crate::deploy_form::{read, DeployReading, Form};
use crate::state::WorldHandle;
use crate::taskdef_draft::DraftError;
use flotilla_core::action::{RegisterTaskDefinition, UpdateService};
use flotilla_core::compact::SortedMap;
use flotilla_core::deploy;
use flotilla_core::service::ServiceId;
use flotilla_core::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeployPanelProps {
    pub world: WorldHandle,
    pub service: ServiceId,
    pub on_apply: Callback<Action>,
    pub on_apply_all: Callback<Vec<Action>>,
}

#[function_component(DeployPanel)]
pub fn deploy_panel(props: &DeployPanelProps) -> Html {
    let form = use_state(Form::default);
    let panel = use_node_ref();
    let world = props.world.world();
    let Some(service) = world.services().get(props.service.0 as usize) else {
        return html! {};
    };
    if service.is_daemon() {
        return html! { <p class="hint">{ "DAEMON services replace one task per instance; the rolling plan preview covers REPLICA services." }</p> };
    }
    let definition = world.task_definitions().get(&service.task_definition);
    let container = definition
        .and_then(|d| d.container_definitions.first())
        .map(|c| (c.name.clone(), c.image.clone()));
    let image = form
        .image
        .clone()
        .or_else(|| container.as_ref().map(|c| c.1.clone()))
        .unwrap_or_default();
    let DeployReading {
        min_text,
        max_text,
        breaker,
        min,
        max,
        error,
        configuration,
        behaviour,
        task_size,
    } = read(&form, service);
    let mut field_errors = behaviour.as_ref().err().cloned().unwrap_or_default();
    field_errors.extend(task_size.as_ref().err().cloned().unwrap_or_default());
    let (task_cpu, task_memory) = task_size.clone().unwrap_or_default();
    let plan = world.plan_deployment(&service.name, None).map(|base| {
        let mut input = base.input;
        input.minimum_healthy_percent = min.unwrap_or(input.minimum_healthy_percent);
        input.maximum_percent = max.unwrap_or(input.maximum_percent);
        deploy::plan(&service.name, &input)
    });
    let update = |task_definition: Option<String>, force: bool| UpdateService {
        service: service.name.clone(),
        task_definition,
        force_new_deployment: force.then_some(true),
        deployment_configuration: configuration.clone(),
        ..UpdateService::default()
    };
    let family = service.task_definition.family.to_string();
    let on_deploy = {
        let register = container.as_ref().map(|(name, _)| RegisterTaskDefinition {
            family: family.clone(),
            images: SortedMap::from([(name.clone(), image.trim().to_string())]),
            cpu: task_cpu.clone(),
            memory: task_memory.clone(),
            behaviour: behaviour.clone().ok().flatten().map(Box::new),
        });
        // The revision RegisterTaskDefinition will make: the family's latest plus one.
        let latest = world
            .task_definitions()
            .iter()
            .filter(|(r, _)| *r.family == *family)
            .map(|(r, _)| r.revision)
            .max()
            .unwrap_or(0);
        let update = update(Some(format!("{family}:{}", latest + 1)), false);
        let (form, panel) = (form.clone(), panel.clone());
        props.on_apply_all.reform(move |_: MouseEvent| {
            form.set(Form::default());
            let mut actions: Vec<Action> = register
                .clone()
                .map(Action::RegisterTaskDefinition)
                .into_iter()
                .collect();
            actions.push(Action::UpdateService(update.clone()));
            show_deployments_after_render(&panel);
            actions
        })
    };
    let apply = |update: UpdateService| {
        let (form, panel) = (form.clone(), panel.clone());
        props.on_apply.reform(move |_: MouseEvent| {
            form.set(Form::default());
            show_deployments_after_render(&panel);
            Action::UpdateService(update.clone())
        })
    };
    let (on_force, on_save) = (apply(update(None, true)), apply(update(None, false)));
    let set = |field: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut next = (*form).clone();
            field(&mut next, value);
            form.set(next);
        })
    };
    let on_breaker = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let checked = event
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            form.set(Form {
                breaker: Some(checked),
                ..(*form).clone()
            });
        })
    };
    let blocked = error.is_some();
    let revision_field = |label: &str,
                          testid: &str,
                          key: &str,
                          value: &str,
                          placeholder: &str,
                          set: fn(&mut Form, String)| {
        let form = form.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let mut next = (*form).clone();
            set(&mut next, value);
            form.set(next);
        });
        let errors: Vec<&DraftError> = field_errors.iter().filter(|e| e.field == key).collect();
        html! {
            <>
                <label>{ label.to_string() }
                    <input data-testid={testid.to_string()} value={value.to_string()} placeholder={placeholder.to_string()}
                        aria-invalid={(!errors.is_empty()).to_string()} oninput={oninput} />
                </label>
                { for errors.iter().map(|e| html! { <p class="field-error" role="alert">{ &e.message }</p> }) }
            </>
        }
    };
    let current = service.task_definition.to_string();
    // What the current revision sets, or what placement charges when it sets nothing.
    let size_placeholder = definition.map_or_else(Default::default, |d| {
        let charged = d.requirements();
        (
            d.cpu
                .clone()
                .unwrap_or_else(|| format!("not set ({} units charged)", charged.cpu_units)),
            d.memory
                .clone()
                .unwrap_or_else(|| format!("not set ({} MiB charged)", charged.memory_mib)),
        )
    });
    let edits_revision = form.task_cpu.trim() != ""
        || form.task_memory.trim() != ""
        || form.behaviour != Default::default();
    let typed = &form.behaviour;
    html! {
        <section ref={panel} class="deploy" data-testid="deploy-panel" aria-label="Deploy">
            <h3>{ "Deploy" }</h3>
            <div class="form">
                if let Some((name, _)) = &container {
                    <label>{ format!("Image of container {name}") }
                        <input data-testid="deploy-image" value={image.clone()} oninput={set(|f, v| f.image = Some(v))} />
                    </label>
                }
                { revision_field("Task CPU", "deploy-task-cpu", "cpu", &form.task_cpu, &size_placeholder.0, |f, v| f.task_cpu = v) }
                { revision_field("Task memory", "deploy-task-memory", "memory", &form.task_memory, &size_placeholder.1, |f, v| f.task_memory = v) }
                <label>{ "Minimum healthy percent" }
                    <input data-testid="deploy-min" type="number" min="0" value={min_text} oninput={set(|f, v| f.min = Some(v))} />
                </label>
                <label>{ "Maximum percent" }
                    <input data-testid="deploy-max" type="number" min="100" value={max_text} oninput={set(|f, v| f.max = Some(v))} />
                </label>
                <label class="check"><input data-testid="deploy-breaker" type="checkbox" checked={breaker} onchange={on_breaker} />
                    { " Circuit breaker (fail and roll back after repeated task failures)" }</label>
                if let Some(error) = &error { <p class="field-error" role="alert">{ error }</p> }
                <fieldset class="new-behaviour" data-testid="deploy-behaviour">
                    <legend>{ "How the new revision behaves (sandbox)" }</legend>
                    { revision_field("Crash after", "deploy-crash-after", "behaviour.crashAfter", &typed.crash_after, "e.g. 20s (empty: never)", |f, v| f.behaviour.crash_after = v) }
                    { revision_field("Fails to start %", "deploy-crash-rate", "behaviour.crashRatePercent", &typed.crash_rate_percent, "0-100", |f, v| f.behaviour.crash_rate_percent = v) }
                    { revision_field("Fails health checks %", "deploy-health-failure", "behaviour.healthCheckFailurePercent", &typed.health_check_failure_percent, "0-100", |f, v| f.behaviour.health_check_failure_percent = v) }
                    { revision_field("Start time", "deploy-start-time", "behaviour.startTime", &typed.start_time, "e.g. 30s", |f, v| f.behaviour.start_time = v) }
                    <p class="hint">{ format!("Crash after: the essential container exits this long after RUNNING. Empty fields behave as {current}. Health-check failures need a container health check.") }</p>
                </fieldset>
            </div>
            if edits_revision {
                <p class="hint" data-testid="plan-assumes">{ format!("The preview assumes the new revision fits and starts like {current} and that nothing fails.") }</p>
            }
            { match &plan {
                // A preview of numbers ECS would refuse would contradict the error above.
                Ok(_) if error.is_some() => html! { <p class="hint" data-testid="plan-waits">{ "The plan preview waits for a valid deployment configuration." }</p> },
                Ok(plan) => html! { <PlanPreview plan={plan.clone()} /> },
                Err(error) => html! { <p class="hint">{ error.to_string() }</p> },
            } }
            <div class="actions-menu" role="group" aria-label="Deployment actions">
                <button data-testid="deploy-new-revision" class="primary" disabled={blocked || container.is_none() || !field_errors.is_empty()} onclick={on_deploy}
                    title={format!("RegisterTaskDefinition {family} with this image, then UpdateService with the new revision")}>{ "Deploy new revision" }</button>
                <button data-testid="force-new-deployment" disabled={blocked} onclick={on_force}
                    title="UpdateService forceNewDeployment: replace every task with the same revision">{ "Force new deployment" }</button>
                <button data-testid="save-deployment-configuration" disabled={blocked} onclick={on_save}
                    title="UpdateService with this deploymentConfiguration only">{ "Save configuration" }</button>
            </div>
        </section>
    }
}

/// Brings the service's `deployments[]` into view once the deployment just started is rendered:
/// the deploy form sits below it, and a user who pressed Deploy wants to see the new row. Found
/// from this panel's own node (the service's details around it), never page-wide: another app
/// on the page has a list of its own.
fn show_deployments_after_render(panel: &NodeRef) {
    let panel = panel.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(list) = panel
            .cast::<web_sys::Element>()
            .and_then(|panel| panel.closest(".service-details").ok().flatten())
            .and_then(|details| {
                details
                    .query_selector("[data-testid=deployments]")
                    .ok()
                    .flatten()
            })
        {
            list.scroll_into_view();
        }
    })
    .forget();
}
