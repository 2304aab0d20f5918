//! The deploy form's text as typed, read against the service: the percentages with their
//! errors, the `deploymentConfiguration` an UpdateService would send, and the new revision's
//! sandbox behaviour (crash loop, failure rates, start time) RegisterTaskDefinition would carry.

use crate::taskdef_draft::{BehaviourDraft, DraftError};
use flotilla_core::scenario::{deployment_configuration_problems, BehaviourSpec};
use flotilla_core::service::{DeploymentCircuitBreaker, DeploymentConfiguration, Service};
use flotilla_core::taskdef;

/// The form as typed; `None` means "as the service has it".
#[derive(Clone, Default, PartialEq)]
pub struct Form {
    pub image: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub breaker: Option<bool>,
    /// The new revision's task-level CPU and memory as typed; empty: as the current revision.
    pub task_cpu: String,
    pub task_memory: String,
    /// The new revision's behaviour; empty members inherit the current revision's.
    pub behaviour: BehaviourDraft,
}

pub struct DeployReading {
    pub min_text: String,
    pub max_text: String,
    pub breaker: bool,
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// Why the form cannot be sent, in words.
    pub error: Option<String>,
    /// What UpdateService sends; `None` while there is an error.
    pub configuration: Option<DeploymentConfiguration>,
    /// The behaviour RegisterTaskDefinition carries (`None`: inherit everything), or the
    /// errors of its fields keyed `behaviour.<member>`.
    pub behaviour: Result<Option<BehaviourSpec>, Vec<DraftError>>,
    /// Task-level `(cpu, memory)` RegisterTaskDefinition sets (`None`: unchanged), or the
    /// errors of those fields keyed `cpu` and `memory`.
    pub task_size: Result<(Option<String>, Option<String>), Vec<DraftError>>,
}

/// Empty → unchanged; otherwise the value the API takes, checked by the core's parser.
fn task_size(form: &Form) -> Result<(Option<String>, Option<String>), Vec<DraftError>> {
    let mut errors = Vec::new();
    let mut read = |text: &str, field: &str, parse: fn(&str) -> Result<u32, String>| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match parse(text) {
            Ok(_) => Some(text.to_string()),
            Err(message) => {
                errors.push(DraftError {
                    field: field.to_string(),
                    message,
                });
                None
            }
        }
    };
    let cpu = read(&form.task_cpu, "cpu", taskdef::parse_cpu_units);
    let memory = read(&form.task_memory, "memory", taskdef::parse_memory_mib);
    if errors.is_empty() {
        Ok((cpu, memory))
    } else {
        Err(errors)
    }
}

pub fn read(form: &Form, service: &Service) -> DeployReading {
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
    let min = min_text.trim().parse::<u32>().ok();
    let max = max_text.trim().parse::<u32>().ok();
    let error = match (min, max) {
        (None, _) => Some(format!(
            "Minimum healthy percent \u{201c}{min_text}\u{201d}: give a whole number from 0 to 100."
        )),
        (_, None) => Some(format!(
            "Maximum percent \u{201c}{max_text}\u{201d}: give a whole number from 100 to 10000."
        )),
        // The core's rules of API:DeploymentConfiguration, as the service editor applies them
        // (REPLICA: maximumPercent 100..=10000; DAEMON: exactly 100), so both forms agree.
        (Some(min), Some(max)) => deployment_configuration_problems(
            &DeploymentConfiguration {
                minimum_healthy_percent: Some(min),
                maximum_percent: Some(max),
                ..DeploymentConfiguration::default()
            },
            service.is_daemon(),
        )
        .into_iter()
        .next()
        .map(|(field, message)| {
            let label = if field == "maximumPercent" {
                "Maximum percent"
            } else {
                "Minimum healthy percent"
            };
            format!("{label} ({field}): {message}.")
        }),
    };
    let configuration = match (min, max) {
        (Some(min), Some(max)) if error.is_none() => Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(min),
            maximum_percent: Some(max),
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
    let behaviour = form
        .behaviour
        .to_spec()
        .map(|spec| (spec != BehaviourSpec::default()).then_some(spec));
    DeployReading {
        min_text,
        max_text,
        breaker,
        min,
        max,
        error,
        configuration,
        behaviour,
        task_size: task_size(form),
    }
}
