//! `compile`: a parsed scenario file to the model the world runs on ([`CompiledScenario`]),
//! or every problem with its path. Each rule beyond the JSON shape is checked once, here, and
//! what it parsed (durations, constraints, strategies, revision references, behaviours) is
//! kept instead of thrown away; `validate` is "compile and report".
//!
//! Problems come in file order (fleet, task definitions, revision behaviour, services,
//! timeline, assertions) and every list element is checked on its own, so one typo never hides the next.

#[cfg(feature = "discovery")]
use super::bindings::BindingContext;
#[cfg(feature = "discovery")]
use super::discovery;
use super::model::{
    CompiledFleetEntry, CompiledScenario, CompiledService, ScheduledAction, DEFAULT_AMI_ID,
};
use super::rules::{
    check_custom_attribute, deployment_configuration_check, horizon, valid_ami_id,
    valid_availability_zone,
};
use super::service::{compile_service, ServiceSurroundings};
use super::{Scenario, TimelineEntry, INSTANCES_MAX, SERVICES_MAX};
use crate::action::{duplicate_service_message, Action, CreateService};
use crate::behaviour::Behaviour;
use crate::catalogue;
use crate::compact::{SortedMap, SortedSet};
use crate::json_input::cut;
use crate::placement::Constraint;
use crate::problem::{self, Problem};
use crate::service::{SchedulingStrategy, ServiceDefinition};
use crate::taskdef::{valid_name, TaskDefinition, TaskDefinitionRef};
use crate::time::{parse_duration, SimTime};
use std::collections::BTreeMap;

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
        created_on_timeline: BTreeMap::new(),
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
    /// The services the timeline's `createService` entries make, by name: when (ms) and by
    /// which entry, the first creation of each name (a later one is refused).
    created_on_timeline: BTreeMap<String, (u64, usize)>,
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
        resolve_in(&self.revisions, text)
    }

    /// The memberOf constraints of the family's latest definition, which count toward a
    /// service's or a RunTask's limit of 10 (§1.3).
    fn latest_definition_constraints(&self, text: &str) -> usize {
        latest_definition_constraints(self.scenario, text)
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
        let surroundings = FileSurroundings {
            scenario: self.scenario,
            revisions: &self.revisions,
            definition_constraints: &self.definition_constraints,
        };
        compile_service(
            &format!("services[{index}]"),
            service,
            &surroundings,
            &mut self.problems,
        )
    }

    fn timeline(&mut self) -> Vec<ScheduledAction> {
        self.timeline_creations();
        let mut compiled = Vec::new();
        let scenario = self.scenario;
        for (index, entry) in scenario.timeline.iter().enumerate() {
            let at = parse_duration(&entry.at)
                .map_err(|message| self.push(format!("timeline[{index}].at"), message))
                .ok();
            self.check_action(index, at, entry);
            if let Some(at_ms) = at {
                compiled.push(ScheduledAction {
                    at: SimTime(at_ms),
                    action: entry.action.clone(),
                });
            }
        }
        compiled
    }

    /// The services the timeline's `createService` entries make, in the order the world
    /// applies them (by time, equal times in file order): the first creation of each name
    /// is kept in `created_on_timeline`; a name that exists by then (in `services` or made
    /// earlier) is ECS's "not idempotent" at that entry, as is going over `SERVICES_MAX`.
    fn timeline_creations(&mut self) {
        let scenario = self.scenario;
        let mut order: Vec<(u64, usize, &CreateService)> = (scenario.timeline.iter())
            .enumerate()
            .filter_map(|(index, entry)| match &entry.action {
                Action::CreateService(create) => {
                    Some((parse_duration(&entry.at).ok()?, index, &**create))
                }
                _ => None,
            })
            .collect();
        crate::compact::sort_by_key(&mut order, |&(at, index, _)| (at, index));
        let mut total = scenario.services.len();
        for (at_ms, index, create) in order {
            let count = create.service_count();
            if count as usize > SERVICES_MAX || !create.batch_problems().is_empty() {
                continue; // reported by check_action
            }
            let prefix = format!("timeline[{index}].action.createService");
            let mut duplicates = 0u32;
            let mut first_duplicate = None;
            for k in 0..count {
                let name = create.name_of(k);
                if !valid_name(&name) {
                    continue; // reported by check_action
                }
                let exists = self.service_names.contains(name.as_str())
                    || self.created_on_timeline.contains_key(&name);
                if exists {
                    duplicates += 1;
                    first_duplicate.get_or_insert(name);
                } else {
                    self.created_on_timeline.insert(name, (at_ms, index));
                }
            }
            if let Some(name) = first_duplicate {
                let more = match duplicates {
                    1 => String::new(),
                    n => format!(" So do {} more of this entry's names.", n - 1),
                };
                self.push(
                    format!("{prefix}.service.serviceName"),
                    format!("{}{more}", duplicate_service_message(&name)),
                );
            }
            total += (count - duplicates) as usize;
            if total > SERVICES_MAX {
                self.push(
                    format!("{prefix}.count"),
                    format!(
                        "the cluster would have {total} services by this entry; the limit is {SERVICES_MAX}"
                    ),
                );
                return;
            }
        }
    }

    /// Whether a timeline entry at `at_ms` (position `index`) finds a service named `name`:
    /// one of `services`, or one a `createService` before it makes.
    fn service_exists_for(&self, name: &str, at_ms: Option<u64>, index: usize) -> bool {
        self.service_names.contains(name)
            || self
                .created_on_timeline
                .get(name)
                .is_some_and(|&created| at_ms.is_none_or(|at| created < (at, index)))
    }

    /// What can be checked of a timeline action before the run: its references and shape.
    /// The rest (a task that is gone, an instance already drained) is decided when it applies.
    fn check_action(&mut self, index: usize, at_ms: Option<u64>, entry: &TimelineEntry) {
        let scenario = self.scenario;
        let at = |field: &str| format!("timeline[{index}].action.{field}");
        match &entry.action {
            Action::CreateService(create) => {
                self.check_create_service(&at("createService"), create)
            }
            Action::UpdateService(update) => {
                if !self.service_exists_for(&update.service, at_ms, index) {
                    let message = match self.created_on_timeline.get(update.service.as_str()) {
                        Some(&(_, by)) => format!(
                            "service \"{}\" does not exist yet: timeline[{by}] creates it later",
                            update.service
                        ),
                        None => format!("no service named \"{}\" in services", update.service),
                    };
                    self.push(at("updateService.service"), message);
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

    /// A timeline `createService`: the batch members, the names, and the request checked as a
    /// `services[]` entry is (its first name standing for all: they differ only in the number).
    fn check_create_service(&mut self, prefix: &str, create: &CreateService) {
        let batch = create.batch_problems();
        let batch_ok = batch.is_empty();
        self.problems.extend(problem::from_pairs(prefix, batch));
        let last = create.service_count().saturating_sub(1);
        if batch_ok && !(valid_name(&create.name_of(0)) && valid_name(&create.name_of(last))) {
            let numbered = match create.count {
                Some(_) => " (with the number in place of {n})",
                None => "",
            };
            self.push(
                format!("{prefix}.service.serviceName"),
                format!("must be 1-255 letters, digits, hyphens or underscores{numbered}"),
            );
        }
        let surroundings = FileSurroundings {
            scenario: self.scenario,
            revisions: &self.revisions,
            definition_constraints: &self.definition_constraints,
        };
        compile_service(
            &format!("{prefix}.service"),
            &create.request_of(0),
            &surroundings,
            &mut self.problems,
        );
    }
}

/// `family` (its latest revision) or `family:revision` among the file's registrations.
fn resolve_in(revisions: &SortedMap<&str, u32>, text: &str) -> Result<TaskDefinitionRef, String> {
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
    match (revisions.get(family), revision) {
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

/// The memberOf constraints of the family's latest definition in the file.
fn latest_definition_constraints(scenario: &Scenario, text: &str) -> usize {
    let family = text.split(':').next().unwrap_or(text);
    scenario
        .task_definitions
        .iter()
        .rev()
        .find(|d| d.family == family)
        .map_or(0, |d| d.placement_constraints.len())
}

/// A service's surroundings when the file loads: its task definitions (revisions in file
/// order) and its discovery members.
struct FileSurroundings<'s, 'a> {
    scenario: &'a Scenario,
    revisions: &'s SortedMap<&'a str, u32>,
    definition_constraints: &'s [Vec<Constraint>],
}

impl FileSurroundings<'_, '_> {
    /// The position in `taskDefinitions` of a revision.
    fn position(&self, reference: &TaskDefinitionRef) -> Option<usize> {
        (self.scenario.task_definitions.iter())
            .enumerate()
            .filter(|(_, d)| *d.family == *reference.family)
            .nth((reference.revision as usize).checked_sub(1)?)
            .map(|(index, _)| index)
    }
}

impl ServiceSurroundings for FileSurroundings<'_, '_> {
    fn resolve(&self, text: &str) -> Result<TaskDefinitionRef, String> {
        resolve_in(self.revisions, text)
    }

    fn definition(&self, reference: &TaskDefinitionRef) -> Option<&TaskDefinition> {
        self.position(reference)
            .map(|index| &self.scenario.task_definitions[index])
    }

    fn counted_definition_constraints(&self, text: &str) -> usize {
        latest_definition_constraints(self.scenario, text)
    }

    fn definition_constraints(&self, reference: &TaskDefinitionRef) -> Vec<Constraint> {
        self.position(reference)
            .and_then(|index| self.definition_constraints.get(index))
            .cloned()
            .unwrap_or_default()
    }

    #[cfg(feature = "discovery")]
    fn binding_context(&self) -> BindingContext<'_> {
        BindingContext::of_file(&self.scenario.target_groups, &self.scenario.cloud_map)
    }
}
