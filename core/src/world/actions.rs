//! User and timeline actions on the World (`World::apply`): each is checked first (on error
//! nothing changed), recorded as applied, then carried out — createService (one service or a
//! numbered batch, checked as a scenario's `services[]` entry is), updateService (desired count,
//! deployment configuration, new deployments), registerTaskDefinition, stop/terminate/drain/
//! activate, failing an Availability Zone, alarm states. RunTask/StartTask live in `batch.rs`.

use super::*;

impl World {
    /// Records that `action` took effect (with the revision an updateService resolved to).
    fn record_applied(&mut self, action: &Action, task_definition: Option<TaskDefinitionRef>) {
        self.record(EventKind::ActionApplied {
            action: Box::new(action.clone()),
            task_definition,
        });
    }

    /// A timeline action at its moment: applied, or recorded as rejected with the reason.
    pub(super) fn apply_from_timeline(&mut self, action: &Action) {
        if let Err(error) = self.apply(action) {
            self.record(EventKind::ActionRejected {
                action: Box::new(action.clone()),
                reason: error.0,
            });
        }
    }

    /// Applies a user action now. On error nothing changed.
    pub fn apply(&mut self, action: &Action) -> Result<(), ActionError> {
        match action {
            Action::CreateService(create) => self.create_services(create),
            Action::UpdateService(update) => self.update_service(update),
            Action::RegisterTaskDefinition(register) => self.register_task_definition(register),
            Action::StopTask { task } => {
                let id = self.find_task(task)?;
                self.record_applied(action, None);
                self.stop_task(id, StopCode::UserInitiated, "Task stopped by user");
                Ok(())
            }
            Action::TerminateInstance { instance } => {
                let id = self.find_instance(instance)?;
                if self.instances[id.0 as usize].status == InstanceStatus::Inactive {
                    return Err(ActionError(format!(
                        "container instance {instance} is already deregistered"
                    )));
                }
                self.record_applied(action, None);
                self.terminate_instance(id);
                Ok(())
            }
            Action::RunTask(run) => self.run_task(run),
            Action::StartTask(start) => self.start_task(start),
            Action::DrainInstance { instance } => {
                // §3.5: only an ACTIVE instance can be set to DRAINING.
                let id = self.instance_with_status(
                    instance,
                    InstanceStatus::Active,
                    "only ACTIVE instances can be drained",
                )?;
                self.record_applied(action, None);
                self.drain_instance(id);
                Ok(())
            }
            Action::ActivateInstance { instance } => {
                let id = self.instance_with_status(
                    instance,
                    InstanceStatus::Draining,
                    "only DRAINING instances can be set back to ACTIVE",
                )?;
                self.record_applied(action, None);
                self.instances[id.0 as usize].status = InstanceStatus::Active;
                self.placer
                    .index
                    .instance_changed(&self.instances[id.0 as usize]);
                self.unusable_since_event[id.0 as usize] = None;
                self.record(EventKind::InstanceStatusChanged {
                    instance: id,
                    status: InstanceStatus::Active,
                });
                self.queue_all_reconciles();
                Ok(())
            }
            Action::FailAvailabilityZone { availability_zone } => {
                let in_zone: Vec<InstanceId> = self
                    .instances
                    .iter()
                    .filter(|i| {
                        i.availability_zone == *availability_zone
                            && i.status != InstanceStatus::Inactive
                    })
                    .map(|i| i.id)
                    .collect();
                if in_zone.is_empty() {
                    return Err(ActionError(format!(
                        "no registered container instances in {availability_zone}"
                    )));
                }
                self.record_applied(action, None);
                self.terminate_instances(&in_zone);
                Ok(())
            }
            Action::SetAlarmState { alarm_name, state } => {
                self.record_applied(action, None);
                self.set_alarm_state(alarm_name, *state);
                Ok(())
            }
            #[cfg(not(feature = "discovery"))]
            Action::ChangeResourceRecordWeight(_) => Err(ActionError(
                crate::scenario::not_in_this_build("changeResourceRecordWeight").message,
            )),
            #[cfg(feature = "discovery")]
            Action::ChangeResourceRecordWeight(change) => {
                self.change_record_weight(&change.name, &change.set_identifier, change.weight)
                    .map_err(ActionError)?;
                self.record_applied(action, None);
                Ok(())
            }
        }
    }

    /// `CreateService` (§3.8, §8.3), once per service of a numbered batch: the request checked
    /// as a scenario's `services[]` entry is (`scenario::compile_service`), against the
    /// revisions registered by now and the discovery members; a name that exists is ECS's
    /// "not idempotent". All or nothing: on any problem no service is created.
    pub(super) fn create_services(&mut self, create: &CreateService) -> Result<(), ActionError> {
        let at = |path: &str, message: &str| ActionError(format!("{path}: {message}"));
        if let Some((path, message)) = create.batch_problems().into_iter().next() {
            return Err(at(&path, &message));
        }
        let count = create.service_count();
        let last = create.name_of(count - 1);
        for name in [create.name_of(0), last] {
            if !crate::taskdef::valid_name(&name) {
                return Err(at(
                    "service.serviceName",
                    &format!(
                        "{} must be 1-255 letters, digits, hyphens or underscores",
                        crate::json_input::cut(&name)
                    ),
                ));
            }
        }
        let total = self.services.len() + count as usize;
        if total > scenario::SERVICES_MAX {
            return Err(at(
                "count",
                &format!(
                    "the cluster would have {total} services; the limit is {}",
                    scenario::SERVICES_MAX
                ),
            ));
        }
        let existing: std::collections::BTreeSet<&str> =
            self.services.iter().map(|s| s.name.as_str()).collect();
        let mut names = std::collections::BTreeSet::new();
        for k in 0..count {
            let name = create.name_of(k);
            if existing.contains(name.as_str()) || !names.insert(name.clone()) {
                return Err(at(
                    "service.serviceName",
                    &action::duplicate_service_message(&name),
                ));
            }
        }
        drop(existing);
        let mut problems = Vec::new();
        let compiled = scenario::compile_service(
            "service",
            &create.request_of(0),
            &WorldSurroundings { world: self },
            &mut problems,
        );
        let template = match (compiled, problems.first()) {
            (Some(template), None) => template,
            (_, Some(problem)) => return Err(at(&problem.path, &problem.message)),
            (None, None) => return Err(at("service", "cannot be created")),
        };
        // The total a scenario may ask for (`scenario::TOTAL_DESIRED_TASKS_MAX`), now.
        let instances = self.instances.len() as u64;
        let per_service = match template.scheduling_strategy {
            SchedulingStrategy::Daemon => instances,
            SchedulingStrategy::Replica => u64::from(template.desired_count),
        };
        let asked: u64 = (self.services.iter())
            .map(|s| match s.is_daemon() {
                true => instances,
                false => u64::from(s.desired_count),
            })
            .sum::<u64>()
            + per_service * u64::from(count);
        if asked > scenario::TOTAL_DESIRED_TASKS_MAX {
            return Err(at(
                "service.desiredCount",
                &format!(
                    "the services would ask for {asked} tasks in all; the limit is {}",
                    scenario::TOTAL_DESIRED_TASKS_MAX
                ),
            ));
        }
        self.record_applied(
            &Action::CreateService(Box::new(create.clone())),
            Some(template.task_definition.clone()),
        );
        let mut compiled = template;
        for k in 0..count {
            compiled.definition.service_name = create.name_of(k);
            let id = self.add_service(&compiled);
            self.queue_reconcile(id);
        }
        Ok(())
    }

    /// `UpdateService` (§4.1): only `taskDefinition` (a different revision) and
    /// `forceNewDeployment` start a deployment.
    pub(super) fn update_service(&mut self, update: &UpdateService) -> Result<(), ActionError> {
        let id = self
            .services
            .iter()
            .find(|s| s.name == update.service)
            .map(|s| s.id)
            .ok_or_else(|| ActionError(format!("no service named \"{}\"", update.service)))?;
        let index = id.0 as usize;
        let daemon = self.services[index].is_daemon();
        if let Some(count) = update.desired_count {
            if daemon {
                return Err(ActionError(
                    "desiredCount cannot be set for a DAEMON service".into(),
                ));
            }
            if count > scenario::DESIRED_COUNT_MAX {
                return Err(ActionError(format!(
                    "desiredCount {count} is above the sandbox limit of {}",
                    scenario::DESIRED_COUNT_MAX
                )));
            }
            // The total a scenario may ask for (`scenario::TOTAL_DESIRED_TASKS_MAX`), now.
            let instances = self.instances.len() as u64;
            let others: u64 = (self.services.iter())
                .filter(|s| s.id != id)
                .map(|s| match s.is_daemon() {
                    true => instances,
                    false => u64::from(s.desired_count),
                })
                .sum();
            let total = others + u64::from(count);
            if total > scenario::TOTAL_DESIRED_TASKS_MAX {
                return Err(ActionError(format!(
                    "desiredCount {count} would make {total} tasks across services; the limit is {}",
                    scenario::TOTAL_DESIRED_TASKS_MAX
                )));
            }
        }
        let task_definition = match &update.task_definition {
            Some(text) => Some(self.registry.resolve(text).map_err(ActionError)?),
            None => None,
        };
        if let Some(config) = &update.deployment_configuration {
            if let Some((field, message)) =
                scenario::deployment_configuration_problems(config, daemon)
                    .into_iter()
                    .next()
            {
                return Err(ActionError(format!(
                    "deploymentConfiguration.{field}: {message}"
                )));
            }
        }
        self.record_applied(
            &Action::UpdateService(update.clone()),
            task_definition.clone(),
        );
        if let Some(count) = update.desired_count {
            let service = &mut self.services[index];
            let from = service.desired_count;
            if from != count {
                service.desired_count = count;
                service.steady = false;
                service.runtime.deadlock_reported = false;
                self.record(EventKind::DesiredCountChanged {
                    service: id,
                    from,
                    to: count,
                });
            }
        }
        if let Some(config) = &update.deployment_configuration {
            let service = &mut self.services[index];
            service.deployment_configuration = service.deployment_configuration.merged_with(config);
            service.runtime.deadlock_reported = false;
        }
        if let Some(seconds) = update.health_check_grace_period_seconds {
            self.services[index].health_check_grace_period_ms = u64::from(seconds) * 1000;
        }
        let current = self.services[index].task_definition.clone();
        let next = task_definition.unwrap_or_else(|| current.clone());
        if next != current || update.force_new_deployment == Some(true) {
            self.create_deployment(id, next, None);
        }
        self.queue_reconcile(id);
        Ok(())
    }

    /// A new revision copied from the family's latest, with new images (the CI/CD flow).
    pub(super) fn register_task_definition(
        &mut self,
        register: &RegisterTaskDefinition,
    ) -> Result<(), ActionError> {
        let latest = self
            .registry
            .resolve(&register.family)
            .map_err(ActionError)?;
        // Scenario timelines were validated on load; actions from the UI or JS are checked here.
        if let Some((field, message)) = register.problems().into_iter().next() {
            return Err(ActionError(format!("{field}: {message}")));
        }
        let mut definition = self
            .registry
            .get(&latest)
            .cloned()
            .ok_or_else(|| ActionError(format!("task definition {latest} is missing")))?;
        for (container, image) in &register.images {
            let Some(target) = definition
                .container_definitions
                .iter_mut()
                .find(|c| c.name == *container)
            else {
                return Err(ActionError(format!(
                    "{latest} has no container named \"{container}\""
                )));
            };
            target.image = image.clone();
        }
        if let Some(cpu) = &register.cpu {
            definition.cpu = Some(cpu.clone());
        }
        if let Some(memory) = &register.memory {
            definition.memory = Some(memory.clone());
        }
        if let Some((path, message)) = definition.validate().into_iter().next() {
            return Err(ActionError(format!(
                "the new revision of {} would be invalid: {path}: {message}",
                register.family
            )));
        }
        self.record_applied(&Action::RegisterTaskDefinition(register.clone()), None);
        let reference = self.registry.register(definition);
        let base = self.behaviours.get(&latest).copied().unwrap_or_default();
        let behaviour = match &register.behaviour {
            // Checked above (`register.problems()`), so `with` cannot refuse it.
            Some(spec) => base.with(spec).unwrap_or(base),
            None => base,
        };
        self.behaviours.insert(reference.clone(), behaviour);
        self.record(EventKind::TaskDefinitionRegistered {
            task_definition: reference,
        });
        Ok(())
    }

    pub(super) fn set_alarm_state(&mut self, alarm: &str, state: AlarmState) {
        let previous = self
            .alarms
            .insert(alarm.to_string(), state)
            .unwrap_or(AlarmState::Ok);
        if previous == state {
            return;
        }
        self.record(EventKind::AlarmStateChanged {
            alarm: alarm.to_string(),
            state,
        });
        if state != AlarmState::Alarm {
            return;
        }
        // §4.5: an alarm going into ALARM fails the deployments that watch it.
        for index in 0..self.services.len() {
            let service = &self.services[index];
            let Some(alarms) = service.deployment_configuration.alarms.clone() else {
                continue;
            };
            let primary = service.primary();
            if !alarms.enable
                || !alarms.alarm_names.iter().any(|n| n == alarm)
                || primary.rollout_state != RolloutState::InProgress
                || primary.alarms_ignored
            {
                continue;
            }
            let deployment = service.primary_index();
            // Assumption (ecs-semantics §4.5 ∅ on wording): the reason names the alarm.
            let reason = format!("ECS deployment alarm: {alarm} is in ALARM state.");
            self.fail_deployment(
                ServiceId(index as u32),
                deployment,
                reason,
                alarms.rollback,
                "alarms",
            );
        }
    }

    pub(super) fn find_task(&self, text: &str) -> Result<TaskId, ActionError> {
        let index: Option<u32> = text.strip_prefix('t').and_then(|n| n.parse().ok());
        match index {
            Some(n) if (n as usize) < self.tasks.len() => {
                let task = &self.tasks[n as usize];
                if task.state == TaskState::Stopped || !task.desired_running {
                    Err(ActionError(format!(
                        "task {text} is already stopping or stopped"
                    )))
                } else {
                    Ok(task.id)
                }
            }
            _ => Err(ActionError(format!(
                "no task \"{text}\"; task ids look like t7"
            ))),
        }
    }

    /// The instance named `text`, if it is in `expected` status; otherwise why not.
    pub(super) fn instance_with_status(
        &self,
        text: &str,
        expected: InstanceStatus,
        rule: &str,
    ) -> Result<InstanceId, ActionError> {
        let id = self.find_instance(text)?;
        let status = self.instances[id.0 as usize].status;
        if status != expected {
            return Err(ActionError(format!(
                "container instance {text} is {}; {rule}",
                status.as_str()
            )));
        }
        Ok(id)
    }

    pub(super) fn find_instance(&self, text: &str) -> Result<InstanceId, ActionError> {
        self.instances
            .iter()
            .find(|i| i.ec2_instance_id == text)
            .map(|i| i.id)
            .ok_or_else(|| {
                ActionError(format!(
                    "no container instance with EC2 instance id \"{text}\""
                ))
            })
    }
}

/// A `createService`'s surroundings during the run: the revisions registered by now (the
/// timeline's included) and the world's discovery configuration.
struct WorldSurroundings<'w> {
    world: &'w World,
}

impl scenario::ServiceSurroundings for WorldSurroundings<'_> {
    fn resolve(&self, text: &str) -> Result<TaskDefinitionRef, String> {
        self.world.registry.resolve(text)
    }

    fn definition(&self, reference: &TaskDefinitionRef) -> Option<&crate::taskdef::TaskDefinition> {
        self.world.registry.get(reference)
    }

    fn counted_definition_constraints(&self, text: &str) -> usize {
        let family = text.split(':').next().unwrap_or(text);
        (self.world.registry.resolve(family).ok())
            .and_then(|latest| self.world.registry.get(&latest))
            .map_or(0, |definition| definition.placement_constraints.len())
    }

    fn definition_constraints(&self, reference: &TaskDefinitionRef) -> Vec<Constraint> {
        (self.world.registry.get(reference).into_iter())
            .flat_map(|definition| definition.placement_constraints.iter())
            .filter_map(|c| Constraint::from_api(&c.kind, c.expression.as_deref()).ok())
            .collect()
    }

    #[cfg(feature = "discovery")]
    fn binding_context(&self) -> scenario::BindingContext<'_> {
        scenario::BindingContext::of_config(self.world.discovery.config())
    }
}
