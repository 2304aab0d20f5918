//! Deploying a service: a new revision with a new image (RegisterTaskDefinition, then
//! UpdateService with it) or forceNewDeployment, with the deployment configuration
//! (minimumHealthyPercent, maximumPercent, circuit breaker) sent in the same UpdateService.
//! Before starting, the plan preview (`World::plan_deployment`, re-planned with the edited
//! percentages) shows the rounds, the worst moments and the rounding, spelled out.

use crate::components::plan_preview::PlanPreview;
use crate::state::{SandboxAction, WorldHandle};
use flotilla_core::action::{RegisterTaskDefinition, UpdateService};
use flotilla_core::deploy;
use flotilla_core::service::{DeploymentCircuitBreaker, DeploymentConfiguration, ServiceId};
use flotilla_core::Action;
use std::collections::BTreeMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeployPanelProps {
    pub world: WorldHandle,
    pub service: ServiceId,
    pub on_dispatch: Callback<SandboxAction>,
}

/// The form as typed; `None` means "as the service has it".
#[derive(Clone, Default, PartialEq)]
struct Form {
    image: Option<String>,
    min: Option<String>,
    max: Option<String>,
    breaker: Option<bool>,
}

#[function_component(DeployPanel)]
pub fn deploy_panel(props: &DeployPanelProps) -> Html {
    let form = use_state(Form::default);
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
    let min_text = form
        .min
        .clone()
        .unwrap_or_else(|| service.minimum_healthy_percent().to_string());
    let max_text = form
        .max
        .clone()
        .unwrap_or_else(|| service.maximum_percent().to_string());
    let current_breaker = service
        .deployment_configuration
        .deployment_circuit_breaker
        .as_ref()
        .is_some_and(|b| b.enable);
    let breaker = form.breaker.unwrap_or(current_breaker);
    let min = min_text.trim().parse::<u32>();
    let max = max_text.trim().parse::<u32>();
    let error = match (&min, &max) {
        (Err(_), _) => Some(format!(
            "Minimum healthy percent \u{201c}{min_text}\u{201d} is not a whole number."
        )),
        (_, Err(_)) => Some(format!(
            "Maximum percent \u{201c}{max_text}\u{201d} is not a whole number."
        )),
        (Ok(min), Ok(max)) if max < min => {
            Some("Maximum percent must be at least the minimum healthy percent.".into())
        }
        (Ok(_), Ok(max)) if *max == 0 => Some("Maximum percent must be more than 0.".into()),
        _ => None,
    };
    let plan = world.plan_deployment(&service.name, None).map(|base| {
        let mut input = base.input;
        input.minimum_healthy_percent = min.clone().unwrap_or(input.minimum_healthy_percent);
        input.maximum_percent = max.clone().unwrap_or(input.maximum_percent);
        deploy::plan(&service.name, &input)
    });
    let configuration = match (&min, &max) {
        (Ok(min), Ok(max)) if error.is_none() => Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(*min),
            maximum_percent: Some(*max),
            deployment_circuit_breaker: Some(DeploymentCircuitBreaker {
                enable: breaker,
                rollback: breaker,
                reset_on_healthy_task: None,
                threshold_configuration: None,
            }),
            ..DeploymentConfiguration::default()
        }),
        _ => None,
    };
    let update = |task_definition: Option<String>, force: bool| UpdateService {
        service: service.name.clone(),
        task_definition,
        force_new_deployment: force.then_some(true),
        deployment_configuration: configuration.clone(),
        ..UpdateService::default()
    };
    let family = service.task_definition.family.clone();
    let on_deploy = {
        let register = container.as_ref().map(|(name, _)| RegisterTaskDefinition {
            family: family.clone(),
            images: BTreeMap::from([(name.clone(), image.trim().to_string())]),
            behaviour: None,
        });
        // The revision RegisterTaskDefinition will make: the family's latest plus one.
        let latest = world
            .task_definitions()
            .iter()
            .filter(|(r, _)| r.family == family)
            .map(|(r, _)| r.revision)
            .max()
            .unwrap_or(0);
        let update = update(Some(format!("{family}:{}", latest + 1)), false);
        let form = form.clone();
        props.on_dispatch.reform(move |_: MouseEvent| {
            form.set(Form::default());
            let mut actions: Vec<Action> = register
                .clone()
                .map(Action::RegisterTaskDefinition)
                .into_iter()
                .collect();
            actions.push(Action::UpdateService(update.clone()));
            SandboxAction::ApplyAll(actions)
        })
    };
    let apply = |update: UpdateService| {
        let form = form.clone();
        props.on_dispatch.reform(move |_: MouseEvent| {
            form.set(Form::default());
            SandboxAction::Apply(Action::UpdateService(update.clone()))
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
    html! {
        <section class="deploy" data-testid="deploy-panel" aria-label="Deploy">
            <h3>{ "Deploy" }</h3>
            <div class="form">
                if let Some((name, _)) = &container {
                    <label>{ format!("Image of container {name}") }
                        <input data-testid="deploy-image" value={image.clone()} oninput={set(|f, v| f.image = Some(v))} />
                    </label>
                }
                <label>{ "Minimum healthy percent" }
                    <input data-testid="deploy-min" type="number" min="0" value={min_text} oninput={set(|f, v| f.min = Some(v))} />
                </label>
                <label>{ "Maximum percent" }
                    <input data-testid="deploy-max" type="number" min="1" value={max_text} oninput={set(|f, v| f.max = Some(v))} />
                </label>
                <label class="check"><input data-testid="deploy-breaker" type="checkbox" checked={breaker} onchange={on_breaker} />
                    { " Circuit breaker (fail and roll back after repeated task failures)" }</label>
                if let Some(error) = &error { <p class="field-error" role="alert">{ error }</p> }
            </div>
            { match &plan {
                Ok(plan) => html! { <PlanPreview plan={plan.clone()} /> },
                Err(error) => html! { <p class="hint">{ error.to_string() }</p> },
            } }
            <div class="actions-menu" role="group" aria-label="Deployment actions">
                <button data-testid="deploy-new-revision" class="primary" disabled={blocked || container.is_none()} onclick={on_deploy}
                    title={format!("RegisterTaskDefinition {family} with this image, then UpdateService with the new revision")}>{ "Deploy new revision" }</button>
                <button data-testid="force-new-deployment" disabled={blocked} onclick={on_force}
                    title="UpdateService forceNewDeployment: replace every task with the same revision">{ "Force new deployment" }</button>
                <button data-testid="save-deployment-configuration" disabled={blocked} onclick={on_save}
                    title="UpdateService with this deploymentConfiguration only">{ "Save configuration" }</button>
            </div>
        </section>
    }
}
