//! `compile`: a parsed scenario file to the model the world runs on ([`CompiledScenario`]),
//! or every problem with its path. Each rule beyond the JSON shape is checked once, here, and
//! what it parsed (durations, constraints, strategies, revision references, behaviours) is
//! kept instead of thrown away; `validate` is "compile and report".
//!
//! Problems come in file order (fleet, task definitions, revision behaviour, services,
//! timeline, assertions) and every list element is checked on its own, so one typo never hides the next.

#[cfg(feature = "discovery")]
use super::bindings::{load_balancer_bindings, registry_bindings, BindingContext};
#[cfg(feature = "discovery")]
use super::discovery;
use super::model::{
    CompiledFleetEntry, CompiledScenario, CompiledService, ScheduledAction, DEFAULT_AMI_ID,
};
use super::rules::{
    check_custom_attribute, deployment_configuration_check, horizon, valid_ami_id,
    valid_availability_zone,
};
use super::{Scenario, TimelineEntry, DESIRED_COUNT_MAX, INSTANCES_MAX, SERVICES_MAX};
use crate::action::Action;
use crate::behaviour::Behaviour;
use crate::catalogue;
use crate::compact::{SortedMap, SortedSet};
#[cfg(feature = "discovery")]
use crate::discovery::{LoadBalancerBinding, RegistryBinding};
use crate::json_input::cut;
use crate::placement::{Constraint, Strategy, CONSTRAINTS_MAX, STRATEGIES_MAX};
use crate::problem::{self, Problem};
use crate::service::{LaunchType, SchedulingStrategy, ServiceDefinition};
use crate::taskdef::{valid_name, NetworkMode, TaskDefinitionRef};
use crate::time::{parse_duration, SimTime};

/// How many unknown instance types get a did-you-mean suggestion.
const SUGGESTED_TYPES_MAX: usize = 10;

/// Compiles a parsed scenario, or returns every problem found.
pub fn compile(scenario: &Scenario) -> Result<CompiledScenario, Vec<Problem>> {
    let mut compiler = Compiler {
        scenario,
        problems: Vec::new(),
        revisions: SortedMap::new(),
        definition_constraints: Vec::new(),
        service_names: SortedSet::new(),
    };
    if scenario.name.trim().is_empty() {
        compiler.push("name", "must not be empty");
    }
    let horizon = horizon(scenario.duration.as_deref(), scenario.last_timeline_ms())
        .map_err(|problem| compiler.problems.push(problem))
        .ok();
    let fleet = compiler.fleet();
    let task_definitions = compiler.task_definitions();
    let behaviours = compiler.behaviours();
    let services = compiler.services();
    compiler
        .problems
        .extend(super::total_work_problem(scenario));
    let timeline = compiler.timeline();
    #[cfg(feature = "discovery")]
    let discovery = discovery::compile_discovery(
        &discovery::DiscoveryInput {
            target_groups: &scenario.target_groups,
            load_balancers: &scenario.load_balancers,
            route53: &scenario.route53,
            cloud_map: &scenario.cloud_map,
        },
        &mut compiler.problems,
    );
    let assertions = super::assertions::compile(scenario)
        .map_err(|problems| compiler.problems.extend(problems))
        .unwrap_or_default();
    #[cfg(feature = "discovery")]
    let mut traffic = scenario.traffic.as_ref().and_then(|traffic| {
        super::compile_traffic(traffic, &compiler.service_names)
            .map_err(|problems| compiler.problems.extend(problems))
            .ok()
    });
    #[cfg(feature = "discovery")]
    if let Some(traffic) = traffic.as_mut().filter(|_| compiler.problems.is_empty()) {
        match super::resolve_traffic(traffic, &discovery, &services) {
            Ok(plan) => traffic.plan = plan,
            Err(problems) => compiler.problems.extend(problems),
        }
    }
    match horizon {
        Some(horizon) if compiler.problems.is_empty() => Ok(CompiledScenario {
            name: scenario.name.clone(),
            seed: scenario.seed,
            horizon,
            fleet,
            task_definitions,
            behaviours,
            services,
            timeline,
            #[cfg(feature = "discovery")]
            discovery,
            assertions,
            #[cfg(feature = "discovery")]
            traffic,
        }),
        _ => Err(compiler.problems),
    }
}

/// Rules beyond the JSON shape: references resolve, names are unique, limits hold. Compiles
/// the scenario and keeps only the problems.
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    compile(scenario).err().unwrap_or_default()
}

struct Compiler<'a> {
    scenario: &'a Scenario,
    problems: Vec<Problem>,
    /// Revisions per family as the registry will number them (file order, from 1).
    revisions: SortedMap<&'a str, u32>,
    /// Parsed memberOf constraints of each task definition, by index in the file.
    definition_constraints: Vec<Vec<Constraint>>,
    /// Valid, unique service names, for the timeline's references.
    service_names: SortedSet<&'a str>,
}

impl<'a> Compiler<'a> {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn extend_under(&mut self, prefix: &str, problems: Vec<Problem>) {
        self.problems
            .extend(problems.into_iter().map(|problem| problem.under(prefix)));
    }

    fn fleet(&mut self) -> Vec<CompiledFleetEntry> {
        let mut compiled = Vec::new();
        let mut total_instances: u64 = 0;
        let mut unknown_types: usize = 0;
        let scenario = self.scenario;
        for (index, entry) in scenario.fleet.iter().enumerate() {
            let at = |field: &str| format!("fleet[{index}].{field}");
            let instance_type = catalogue::lookup(&entry.instance_type);
            if instance_type.is_none() {
                // A suggestion costs a scan of the catalogue: offer it for the first few unknown
                // types only, so thousands of them stay linear work.
                unknown_types += 1;
                let suggestions = if unknown_types <= SUGGESTED_TYPES_MAX {
                    catalogue::suggestions(&entry.instance_type)
                } else {
                    Vec::new()
                };
                let hint = if suggestions.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", suggestions.join(", "))
                };
                self.push(
                    at("instanceType"),
                    format!("unknown instance type {}{hint}", cut(&entry.instance_type)),
                );
            }
            if !valid_availability_zone(&entry.availability_zone) {
                self.push(
                    at("availabilityZone"),
                    format!(
                        "{} is not an Availability Zone name such as us-east-1a",
                        cut(&entry.availability_zone)
                    ),
                );
            }
            if entry.count == 0 {
                self.push(at("count"), "must be at least 1");
            }
            if let Some(ami) = entry.ami_id.as_deref().filter(|ami| !valid_ami_id(ami)) {
                self.push(
                    at("amiId"),
                    format!(
                        "{} is not an AMI ID: expected ami- and 8 or 17 lowercase hex digits",
                        cut(ami)
                    ),
                );
            }
            total_instances += u64::from(entry.count);
            for (name, value) in &entry.attributes {
                if let Err(message) = check_custom_attribute(name, value) {
                    self.push(at(&format!("attributes.{name}")), message);
                }
            }
            if let Some(instance_type) = instance_type {
                compiled.push(CompiledFleetEntry {
                    instance_type,
                    availability_zone: entry.availability_zone.clone(),
                    count: entry.count,
                    ami_id: entry
                        .ami_id
                        .as_deref()
                        .unwrap_or(DEFAULT_AMI_ID)
                        .to_string(),
                    attributes: entry.attributes.clone(),
                    awsvpc_trunking: entry.awsvpc_trunking.unwrap_or(false),
                    agent_connected: entry.agent_connected.unwrap_or(true),
                });
            }
        }
        if total_instances > u64::from(INSTANCES_MAX) {
            self.push(
                "fleet",
                format!("{total_instances} instances; the limit is {INSTANCES_MAX}"),
            );
        }
        compiled
    }

    fn task_definitions(&mut self) -> Vec<(TaskDefinitionRef, crate::taskdef::TaskDefinition)> {
        let mut compiled = Vec::new();
        let scenario = self.scenario;
        for (index, definition) in scenario.task_definitions.iter().enumerate() {
            let at = format!("taskDefinitions[{index}]");
            self.extend_under(&at, definition.problems());
            let mut constraints = Vec::new();
            for (c, constraint) in definition.placement_constraints.iter().enumerate() {
                match Constraint::from_api(&constraint.kind, constraint.expression.as_deref()) {
                    Ok(constraint) => constraints.push(constraint),
                    Err(message) => self.push(format!("{at}.placementConstraints[{c}]"), message),
                }
            }
            self.definition_constraints.push(constraints);
            let revision = self.revisions.or_default(definition.family.as_str());
            *revision += 1;
            let reference = TaskDefinitionRef {
                family: definition.family.as_str().into(),
                revision: *revision,
            };
            compiled.push((reference, definition.clone()));
        }
        compiled
    }

    /// `family` (its latest revision) or `family:revision`, as services and RunTask name one.
    fn resolve(&self, text: &str) -> Result<TaskDefinitionRef, String> {
        let (family, revision) = match text.rsplit_once(':') {
            Some((family, revision)) => (
                family,
                Some(
                    revision
                        .parse::<u32>()
                        .map_err(|_| format!("revision {} is not a number", cut(revision)))?,
                ),
            ),
            None => (text, None),
        };
        match (self.revisions.get(family), revision) {
            (None, _) => Err(format!(
                "no task definition with family {} in taskDefinitions",
                cut(family)
            )),
            (Some(&latest), Some(r)) if r == 0 || r > latest => Err(format!(
                "{family}:{r} does not exist; {family} has revisions 1-{latest}"
            )),
            (Some(&latest), revision) => Ok(TaskDefinitionRef {
                family: family.into(),
                revision: revision.unwrap_or(latest),
            }),
        }
    }

    /// The memberOf constraints of the family's latest definition, which count toward a
    /// service's or a RunTask's limit of 10 (§1.3).
    fn latest_definition_constraints(&self, text: &str) -> usize {
        let family = text.split(':').next().unwrap_or(text);
        self.scenario
            .task_definitions
            .iter()
            .rev()
            .find(|d| d.family == family)
            .map_or(0, |d| d.placement_constraints.len())
    }

    fn behaviours(&mut self) -> SortedMap<TaskDefinitionRef, Behaviour> {
        let mut compiled = SortedMap::new();
        // The entry that first named each revision: a second one is an error, never a silent
        // replacement.
        let mut first_entry: SortedMap<TaskDefinitionRef, usize> = SortedMap::new();
        let scenario = self.scenario;
        for (index, entry) in scenario.revision_behaviour.iter().enumerate() {
            let at = format!("revisionBehaviour[{index}]");
            let reference = if !entry.task_definition.contains(':') {
                self.push(
                    format!("{at}.taskDefinition"),
                    "name one revision as family:revision, e.g. \"web:2\"",
                );
                None
            } else {
                self.resolve(&entry.task_definition)
                    .map_err(|message| self.push(format!("{at}.taskDefinition"), message))
                    .ok()
            };
            match Behaviour::default().with(&entry.spec()) {
                Ok(behaviour) => {
                    if let Some(reference) = reference {
                        match first_entry.get(&reference) {
                            Some(first) => self.push(
                                format!("{at}.taskDefinition"),
                                format!(
                                    "{reference} already has its behaviour in \
                                     revisionBehaviour[{first}]; give each revision one entry"
                                ),
                            ),
                            None => {
                                first_entry.insert(reference.clone(), index);
                                compiled.insert(reference, behaviour);
                            }
                        }
                    }
                }
                Err(problems) => self.extend_under(&at, problems),
            }
        }
        compiled
    }

    fn services(&mut self) -> Vec<CompiledService> {
        let scenario = self.scenario;
        let services = &scenario.services;
        if services.len() > SERVICES_MAX {
            self.push(
                "services",
                format!("{} services; the limit is {SERVICES_MAX}", services.len()),
            );
        }
        let mut compiled = Vec::new();
        for (index, service) in services.iter().enumerate() {
            let at = |field: &str| format!("services[{index}].{field}");
            if !valid_name(&service.service_name) {
                self.push(
                    at("serviceName"),
                    "must be 1-255 letters, digits, hyphens or underscores",
                );
            } else if !self.service_names.insert(service.service_name.as_str()) {
                self.push(
                    at("serviceName"),
                    format!(
                        "a service named \"{}\" already exists",
                        service.service_name
                    ),
                );
            }
            if let Some(service) = self.service(index, service) {
                compiled.push(service);
            }
        }
        compiled
    }

    fn service(&mut self, index: usize, service: &ServiceDefinition) -> Option<CompiledService> {
        let at = |field: &str| format!("services[{index}].{field}");
        let first_problem = self.problems.len();
        let task_definition = self
            .resolve(&service.task_definition)
            .map_err(|message| self.push(at("taskDefinition"), message))
            .ok();
        let daemon = service.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        match service.desired_count {
            None if !daemon => self.push(at("desiredCount"), "required for REPLICA services"),
            Some(count) if count > DESIRED_COUNT_MAX => self.push(
                at("desiredCount"),
                format!("{count} is above the sandbox limit of {DESIRED_COUNT_MAX}"),
            ),
            _ => {}
        }
        match service.launch_type {
            Some(LaunchType::Fargate) => self.push(
                at("launchType"),
                crate::taskdef::launch_type_not_modelled("FARGATE"),
            ),
            Some(LaunchType::External) => self.push(
                at("launchType"),
                crate::taskdef::launch_type_not_modelled("EXTERNAL"),
            ),
            Some(LaunchType::Ec2) | None => {}
        }
        let constraint_count = service.placement_constraints.len()
            + self.latest_definition_constraints(&service.task_definition);
        if constraint_count > CONSTRAINTS_MAX {
            self.push(
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
                Err(message) => self.push(at(&format!("placementConstraints[{c}]")), message),
            }
        }
        if service.placement_strategy.len() > STRATEGIES_MAX {
            self.push(
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
                Err(message) => self.push(at(&format!("placementStrategy[{s}]")), message),
            }
        }
        if let Some(config) = &service.deployment_configuration {
            let problems = deployment_configuration_check(config, daemon);
            self.extend_under(&at("deploymentConfiguration"), problems);
        }
        let awsvpc = task_definition.as_ref().is_some_and(|reference| {
            self.scenario
                .task_definitions
                .iter()
                .filter(|d| *d.family == *reference.family)
                .nth(reference.revision as usize - 1)
                .is_some_and(|d| d.network_mode == Some(NetworkMode::Awsvpc))
        });
        let network = service.network_configuration_check(awsvpc);
        self.problems
            .extend(problem::from_pairs(&format!("services[{index}]"), network));
        #[cfg(feature = "discovery")]
        let (load_balancers, service_registries) =
            self.bindings(index, service, task_definition.as_ref());
        let task_definition = task_definition.filter(|_| self.problems.len() == first_problem)?;
        // The revision's own memberOf constraints apply to every task of the service.
        let definition_index = self
            .scenario
            .task_definitions
            .iter()
            .enumerate()
            .filter(|(_, d)| *d.family == *task_definition.family)
            .nth(task_definition.revision as usize - 1)
            .map(|(i, _)| i)?;
        constraints.extend(
            self.definition_constraints[definition_index]
                .iter()
                .cloned(),
        );
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
        &mut self,
        index: usize,
        service: &ServiceDefinition,
        revision: Option<&TaskDefinitionRef>,
    ) -> (Vec<LoadBalancerBinding>, Vec<RegistryBinding>) {
        if service.load_balancers.is_empty() && service.service_registries.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let scenario = self.scenario;
        let Some(definition) = revision.and_then(|reference| {
            scenario
                .task_definitions
                .iter()
                .filter(|d| *d.family == *reference.family)
                .nth(reference.revision as usize - 1)
        }) else {
            return (Vec::new(), Vec::new());
        };
        let context = BindingContext {
            target_groups: &scenario.target_groups,
            cloud_map: &scenario.cloud_map,
        };
        let at = format!("services[{index}]");
        let load_balancers = load_balancer_bindings(
            &at,
            &service.load_balancers,
            definition,
            &context,
            &mut self.problems,
        );
        let registries = registry_bindings(
            &at,
            &service.service_registries,
            definition,
            &context,
            &mut self.problems,
        );
        (load_balancers, registries)
    }

    fn timeline(&mut self) -> Vec<ScheduledAction> {
        let mut compiled = Vec::new();
        let scenario = self.scenario;
        for (index, entry) in scenario.timeline.iter().enumerate() {
            let at = parse_duration(&entry.at)
                .map_err(|message| self.push(format!("timeline[{index}].at"), message))
                .ok();
            self.check_action(index, entry);
            if let Some(at_ms) = at {
                compiled.push(ScheduledAction {
                    at: SimTime(at_ms),
                    action: entry.action.clone(),
                });
            }
        }
        compiled
    }

    /// What can be checked of a timeline action before the run: its references and shape.
    /// The rest (a task that is gone, an instance already drained) is decided when it applies.
    fn check_action(&mut self, index: usize, entry: &TimelineEntry) {
        let scenario = self.scenario;
        let at = |field: &str| format!("timeline[{index}].action.{field}");
        match &entry.action {
            Action::UpdateService(update) => {
                if !self.service_names.contains(update.service.as_str()) {
                    self.push(
                        at("updateService.service"),
                        format!("no service named \"{}\" in services", update.service),
                    );
                }
                if let Some(text) = &update.task_definition {
                    let family = text.rsplit_once(':').map_or(text.as_str(), |(f, _)| f);
                    if !self.revisions.contains_key(family) {
                        self.push(
                            at("updateService.taskDefinition"),
                            format!(
                                "no task definition with family \"{family}\" in taskDefinitions"
                            ),
                        );
                    }
                }
                if let Some(config) = &update.deployment_configuration {
                    let daemon = scenario.services.iter().any(|s| {
                        s.service_name == update.service
                            && s.scheduling_strategy == Some(SchedulingStrategy::Daemon)
                    });
                    let problems = deployment_configuration_check(config, daemon);
                    self.extend_under(&at("updateService.deploymentConfiguration"), problems);
                }
            }
            Action::RegisterTaskDefinition(register) => {
                if !self.revisions.contains_key(register.family.as_str()) {
                    self.push(
                        at("registerTaskDefinition.family"),
                        format!(
                            "no task definition with family \"{}\" in taskDefinitions to copy",
                            register.family
                        ),
                    );
                }
                let problems =
                    problem::from_pairs(&at("registerTaskDefinition"), register.problems());
                self.problems.extend(problems);
            }
            Action::SetAlarmState { alarm_name, .. } if alarm_name.trim().is_empty() => {
                self.push(at("setAlarmState.alarmName"), "must not be empty");
            }
            #[cfg(not(feature = "discovery"))]
            Action::ChangeResourceRecordWeight(_) => {
                self.problems
                    .push(super::not_in_this_build(at("changeResourceRecordWeight")));
            }
            #[cfg(feature = "discovery")]
            Action::ChangeResourceRecordWeight(change) => {
                let prefix = at("changeResourceRecordWeight");
                if change.weight > 255 {
                    self.push(
                        format!("{prefix}.weight"),
                        format!(
                            "a Route 53 weight is from 0 to 255, found {}",
                            change.weight
                        ),
                    );
                }
                let name = change.name.trim_end_matches('.').to_ascii_lowercase();
                let known = self.scenario.route53.hosted_zones.iter().any(|zone| {
                    zone.records.iter().any(|r| {
                        r.name.trim_end_matches('.').eq_ignore_ascii_case(&name)
                            && r.set_identifier.as_deref() == Some(change.set_identifier.as_str())
                    })
                });
                if !known {
                    self.push(
                        format!("{prefix}.setIdentifier"),
                        format!(
                            "no Route 53 record {name} with set identifier {}",
                            crate::json_input::cut(&change.set_identifier)
                        ),
                    );
                }
            }
            Action::RunTask(run) => {
                let prefix = at("runTask");
                if let Err(message) = self.resolve(&run.task_definition) {
                    self.push(format!("{prefix}.taskDefinition"), message);
                }
                let pairs = run.check(self.latest_definition_constraints(&run.task_definition));
                self.problems.extend(problem::from_pairs(&prefix, pairs));
            }
            Action::StartTask(start) => {
                let prefix = at("startTask");
                if let Err(message) = self.resolve(&start.task_definition) {
                    self.push(format!("{prefix}.taskDefinition"), message);
                }
                self.problems
                    .extend(problem::from_pairs(&prefix, start.check()));
            }
            _ => {}
        }
    }
}
