//! One `CreateService` request compiled into the service the world runs: every rule a
//! scenario's `services[]` entry passes, in one place, for the three places a service comes
//! from — the file's `services[]`, a timeline `createService` checked when the file loads, and
//! the same action applied during the run (`World::apply`), where a revision registered on the
//! timeline may be named. What a rule reads besides the request (the task definitions, the
//! target groups and Cloud Map services) comes from [`ServiceSurroundings`]: the file at load
//! time, the world at run time. Name rules (valid, unique) are the caller's: the file's list
//! and the world word a duplicate differently (ECS's CreateService answer on the timeline).

#[cfg(feature = "discovery")]
use super::bindings::{load_balancer_bindings, registry_bindings, BindingContext};
use super::model::CompiledService;
use super::rules::deployment_configuration_check;
use super::DESIRED_COUNT_MAX;
#[cfg(feature = "discovery")]
use crate::discovery::{LoadBalancerBinding, RegistryBinding};
use crate::placement::{Constraint, Strategy, CONSTRAINTS_MAX, STRATEGIES_MAX};
use crate::problem::{self, Problem};
use crate::service::{LaunchType, SchedulingStrategy, ServiceDefinition};
use crate::taskdef::{NetworkMode, TaskDefinition, TaskDefinitionRef};

/// What compiling a service reads besides the request itself.
pub(crate) trait ServiceSurroundings {
    /// `family` (its latest revision) or `family:revision`, or why it names none.
    fn resolve(&self, text: &str) -> Result<TaskDefinitionRef, String>;
    /// A revision `resolve` gave.
    fn definition(&self, reference: &TaskDefinitionRef) -> Option<&TaskDefinition>;
    /// How many memberOf constraints of the task definition `text` names count toward the
    /// service's limit of 10 (§1.3).
    fn counted_definition_constraints(&self, text: &str) -> usize;
    /// The revision's own memberOf constraints, parsed: they apply to every task.
    fn definition_constraints(&self, reference: &TaskDefinitionRef) -> Vec<Constraint>;
    /// The target groups and Cloud Map services bindings may name.
    #[cfg(feature = "discovery")]
    fn binding_context(&self) -> BindingContext<'_>;
}

/// Compiles the request at `prefix` (`services[2]`, `timeline[4].action.createService.service`):
/// the service, or `None` with every problem pushed, paths under `prefix`.
pub(crate) fn compile_service(
    prefix: &str,
    service: &ServiceDefinition,
    surroundings: &dyn ServiceSurroundings,
    problems: &mut Vec<Problem>,
) -> Option<CompiledService> {
    let at = |field: &str| format!("{prefix}.{field}");
    let first_problem = problems.len();
    let push = |problems: &mut Vec<Problem>, path: String, message: String| {
        problems.push(Problem::new(path, message))
    };
    let task_definition = surroundings
        .resolve(&service.task_definition)
        .map_err(|message| push(problems, at("taskDefinition"), message))
        .ok();
    let daemon = service.scheduling_strategy == Some(SchedulingStrategy::Daemon);
    match service.desired_count {
        None if !daemon => push(
            problems,
            at("desiredCount"),
            "required for REPLICA services".into(),
        ),
        Some(count) if count > DESIRED_COUNT_MAX => push(
            problems,
            at("desiredCount"),
            format!("{count} is above the sandbox limit of {DESIRED_COUNT_MAX}"),
        ),
        _ => {}
    }
    match service.launch_type {
        Some(LaunchType::Fargate) => push(
            problems,
            at("launchType"),
            crate::taskdef::launch_type_not_modelled("FARGATE"),
        ),
        Some(LaunchType::External) => push(
            problems,
            at("launchType"),
            crate::taskdef::launch_type_not_modelled("EXTERNAL"),
        ),
        Some(LaunchType::Ec2) | None => {}
    }
    let constraint_count = service.placement_constraints.len()
        + surroundings.counted_definition_constraints(&service.task_definition);
    if constraint_count > CONSTRAINTS_MAX {
        push(
            problems,
            at("placementConstraints"),
            format!(
                "{constraint_count} constraints counting the task definition's; the limit is {CONSTRAINTS_MAX}"
            ),
        );
    }
    let mut constraints = Vec::new();
    for (c, spec) in service.placement_constraints.iter().enumerate() {
        match Constraint::from_api(&spec.kind, spec.expression.as_deref()) {
            Ok(constraint) => constraints.push(constraint),
            Err(message) => push(problems, at(&format!("placementConstraints[{c}]")), message),
        }
    }
    if service.placement_strategy.len() > STRATEGIES_MAX {
        push(
            problems,
            at("placementStrategy"),
            format!(
                "{} strategies; the limit is {STRATEGIES_MAX}",
                service.placement_strategy.len()
            ),
        );
    }
    let mut strategies = Vec::new();
    for (s, spec) in service.placement_strategy.iter().enumerate() {
        match Strategy::from_api(&spec.kind, spec.field.as_deref()) {
            Ok(strategy) => strategies.push(strategy),
            Err(message) => push(problems, at(&format!("placementStrategy[{s}]")), message),
        }
    }
    if let Some(config) = &service.deployment_configuration {
        let found = deployment_configuration_check(config, daemon);
        let under = at("deploymentConfiguration");
        problems.extend(found.into_iter().map(|problem| problem.under(&under)));
    }
    let definition = task_definition
        .as_ref()
        .and_then(|reference| surroundings.definition(reference));
    let awsvpc = definition.is_some_and(|d| d.network_mode == Some(NetworkMode::Awsvpc));
    let network = service.network_configuration_check(awsvpc);
    problems.extend(problem::from_pairs(prefix, network));
    #[cfg(feature = "discovery")]
    let (load_balancers, service_registries) =
        bindings(prefix, service, definition, surroundings, problems);
    let task_definition = task_definition.filter(|_| problems.len() == first_problem)?;
    surroundings.definition(&task_definition)?;
    // The revision's own memberOf constraints apply to every task of the service.
    constraints.extend(surroundings.definition_constraints(&task_definition));
    let scheduling_strategy = service
        .scheduling_strategy
        .unwrap_or(SchedulingStrategy::Replica);
    if strategies.is_empty() && scheduling_strategy == SchedulingStrategy::Replica {
        strategies = Strategy::service_default();
    }
    Some(CompiledService {
        definition: service.clone(),
        task_definition,
        scheduling_strategy,
        desired_count: service.desired_count.unwrap_or(0),
        constraints,
        strategies,
        deployment_configuration: service.deployment_configuration.clone().unwrap_or_default(),
        health_check_grace_period_ms: u64::from(
            service.health_check_grace_period_seconds.unwrap_or(0),
        ) * 1000,
        #[cfg(feature = "discovery")]
        load_balancers,
        #[cfg(feature = "discovery")]
        service_registries,
    })
}

/// The service's `loadBalancers[]` and `serviceRegistries[]` checked against its revision.
#[cfg(feature = "discovery")]
fn bindings(
    prefix: &str,
    service: &ServiceDefinition,
    definition: Option<&TaskDefinition>,
    surroundings: &dyn ServiceSurroundings,
    problems: &mut Vec<Problem>,
) -> (Vec<LoadBalancerBinding>, Vec<RegistryBinding>) {
    if service.load_balancers.is_empty() && service.service_registries.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let Some(definition) = definition else {
        return (Vec::new(), Vec::new());
    };
    let context = surroundings.binding_context();
    let load_balancers = load_balancer_bindings(
        prefix,
        &service.load_balancers,
        definition,
        &context,
        problems,
    );
    let registries = registry_bindings(
        prefix,
        &service.service_registries,
        definition,
        &context,
        problems,
    );
    (load_balancers, registries)
}
