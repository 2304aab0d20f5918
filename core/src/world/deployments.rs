//! Deployments on the World (§4.3–4.5): creating a PRIMARY deployment, retiring replaced ones,
//! the circuit breaker's counting, failing with or without rollback, bake time after steady
//! state when alarms are watched, and completing the PRIMARY deployment.

use super::*;

impl World {
    /// ACTIVE deployments whose tasks have all stopped are INACTIVE (§4.3).
    pub(super) fn retire_replaced_deployments(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        for deployment in 0..self.services[index].deployments.len() {
            if self.services[index].deployments[deployment].status != DeploymentStatus::Active {
                continue;
            }
            let has_tasks = self.services[index]
                .runtime
                .live_tasks
                .iter()
                .any(|&t| self.tasks[t.0 as usize].deployment == deployment as u32);
            if !has_tasks {
                self.set_deployment_status(id, deployment as u32, DeploymentStatus::Inactive);
            }
        }
    }

    pub(super) fn set_deployment_status(
        &mut self,
        id: ServiceId,
        deployment: u32,
        status: DeploymentStatus,
    ) {
        let now = self.now;
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        if record.status != status {
            record.status = status;
            record.updated_at = now;
            self.record_deployment(id, deployment);
        }
    }

    pub(super) fn record_deployment(&mut self, id: ServiceId, deployment: u32) {
        let record = &self.services[id.0 as usize].deployments[deployment as usize];
        let kind = EventKind::DeploymentChanged {
            service: id,
            deployment_id: record.id.as_str().into(),
            task_definition: Box::new(record.task_definition.clone()),
            status: record.status,
            rollout_state: record.rollout_state,
            reason: record.rollout_state_reason.as_str().into(),
        };
        self.record(kind);
    }

    /// A new PRIMARY deployment (§4.3); the previous primary becomes ACTIVE. `reason` overrides
    /// the usual "in progress" reason (rollbacks).
    pub(super) fn create_deployment(
        &mut self,
        id: ServiceId,
        task_definition: TaskDefinitionRef,
        reason: Option<String>,
    ) {
        let index = id.0 as usize;
        let deployment_id = deploy::deployment_id(self.rngs.deployments.next_u64());
        if let Some(previous) = self.services[index].deployments.len().checked_sub(1) {
            self.set_deployment_status(id, previous as u32, DeploymentStatus::Active);
        }
        let service = &self.services[index];
        let alarms_ignored = service
            .deployment_configuration
            .alarms
            .as_ref()
            .is_some_and(|alarms| {
                alarms.enable
                    && alarms
                        .alarm_names
                        .iter()
                        .any(|n| self.alarms.get(n) == Some(&AlarmState::Alarm))
            });
        let new_revision = service.task_definition != task_definition;
        let service = &mut self.services[index];
        service.deployments.push(Deployment {
            id: deployment_id.clone(),
            task_definition: task_definition.clone(),
            status: DeploymentStatus::Primary,
            rollout_state: RolloutState::InProgress,
            rollout_state_reason: reason
                .unwrap_or_else(|| deploy::in_progress_reason(&deployment_id)),
            failed_tasks: 0,
            created_at: self.now,
            updated_at: self.now,
            alarms_ignored,
            bake_until: None,
        });
        service.task_definition = task_definition;
        service.steady = false;
        service.runtime.deadlock_reported = false;
        service.runtime.last_placement_failure = None;
        if new_revision {
            // §3.7: a new task definition ends the restart back-off at once.
            service.runtime.start_failures = 0;
            service.runtime.throttled_until = None;
        }
        let primary = service.primary_index();
        self.record_deployment(id, primary);
    }

    /// FAILED (§4.4, §4.5); with `rollback`, a new deployment of the last COMPLETED revision.
    pub(super) fn fail_deployment(
        &mut self,
        id: ServiceId,
        deployment: u32,
        reason: String,
        rollback: bool,
        cause: &str,
    ) {
        let now = self.now;
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        record.rollout_state = RolloutState::Failed;
        record.rollout_state_reason = reason;
        record.updated_at = now;
        record.bake_until = None;
        self.record_deployment(id, deployment);
        if rollback {
            let target = self.services[id.0 as usize]
                .last_completed()
                .map(|d| (d.id.clone(), d.task_definition.clone()));
            if let Some((target_id, task_definition)) = target {
                self.create_deployment(
                    id,
                    task_definition,
                    Some(format!(
                        "ECS deployment {cause}: rolling back to deploymentId {target_id}."
                    )),
                );
            }
        }
        self.queue_reconcile(id);
    }

    /// Circuit breaker counting (§4.4). Assumption (ecs-semantics §4.4 ⚠ DG vs API): a task
    /// that fails to start counts in every stage, and, following the developer guide, failed
    /// health checks and essential-container exits after RUNNING keep counting once a task
    /// runs (stage 2). `failed_health_checks` is true only for a container health check that
    /// found the task UNHEALTHY; a task that stopped on its own (before or after RUNNING) is a
    /// task that failed to start in ECS's words.
    pub(super) fn count_failure(&mut self, task: TaskId, failed_health_checks: bool) {
        let task = &self.tasks[task.0 as usize];
        let (Some(id), deployment) = (task.service, task.deployment) else {
            return;
        };
        let service = &self.services[id.0 as usize];
        let Some(breaker) = service
            .deployment_configuration
            .deployment_circuit_breaker
            .clone()
        else {
            return;
        };
        let record = &service.deployments[deployment as usize];
        if !breaker.enable || record.rollout_state != RolloutState::InProgress {
            return;
        }
        let (kind, value) = match &breaker.threshold_configuration {
            None => (ThresholdKind::BoundedPercent, 50),
            // Assumption (ecs-semantics §4.4 ∅): a COUNT threshold without a value is 3, a
            // percent threshold without a value is 50.
            Some(config) => match config.kind {
                ThresholdType::Count => (ThresholdKind::Count, config.value.unwrap_or(3)),
                ThresholdType::BoundedPercent => {
                    (ThresholdKind::BoundedPercent, config.value.unwrap_or(50))
                }
                ThresholdType::UnboundedPercent => {
                    (ThresholdKind::UnboundedPercent, config.value.unwrap_or(50))
                }
            },
        };
        let threshold = deploy::circuit_breaker_threshold(kind, value, service.desired_count);
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        record.failed_tasks += 1;
        if record.failed_tasks >= threshold {
            // Assumption (ecs-semantics §4.3 ∅): ECS documents only "task failed to start." (the
            // SERVICE_DEPLOYMENT_FAILED event), used for every task that stopped on its own,
            // including essential-container exits after RUNNING; a failed container health
            // check gets its own wording.
            let reason = if failed_health_checks {
                "ECS deployment circuit breaker: task failed health checks.".to_string()
            } else {
                "ECS deployment circuit breaker: task failed to start.".to_string()
            };
            self.fail_deployment(id, deployment, reason, breaker.rollback, "circuit breaker");
        }
    }

    pub(super) fn on_steady(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let service = &self.services[index];
        let primary = service.primary();
        if primary.rollout_state != RolloutState::InProgress || primary.bake_until.is_some() {
            return;
        }
        let watches_alarms = service
            .deployment_configuration
            .alarms
            .as_ref()
            .is_some_and(|a| a.enable)
            && !primary.alarms_ignored;
        if watches_alarms {
            let bake_ms = service
                .deployment_configuration
                .bake_time_in_minutes
                .map_or(BAKE_TIME_MS_DEFAULT, |m| u64::from(m) * 60_000);
            let until = self.now.plus_ms(bake_ms);
            let deployment = service.primary_index();
            self.services[index].deployments[deployment as usize].bake_until = Some(until);
            self.schedule(
                until,
                WakeupKind::BakeEnd {
                    service: id,
                    deployment,
                },
            );
        } else {
            self.complete_primary(id);
        }
    }

    pub(super) fn end_bake(&mut self, id: ServiceId, deployment: u32) {
        let index = id.0 as usize;
        let service = &self.services[index];
        if deployment != service.primary_index()
            || service.primary().rollout_state != RolloutState::InProgress
            || service.primary().bake_until.is_none_or(|t| t > self.now)
        {
            return;
        }
        self.services[index].deployments[deployment as usize].bake_until = None;
        // Assumption (ecs-semantics §4.5, §4.3): the deployment reached steady state when its
        // bake began; scaling or replacing a stopped task meanwhile is ordinary scheduling, not
        // part of the deployment, so it completes when the bake ends (and a COMPLETED
        // deployment stays COMPLETED, so rollbacks can return to it).
        self.complete_primary(id);
    }

    pub(super) fn complete_primary(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let primary = self.services[index].primary_index();
        let now = self.now;
        let record = &mut self.services[index].deployments[primary as usize];
        record.rollout_state = RolloutState::Completed;
        record.rollout_state_reason = deploy::completed_reason(&record.id);
        record.updated_at = now;
        self.record_deployment(id, primary);
        for deployment in 0..primary {
            if self.services[index].deployments[deployment as usize].status
                == DeploymentStatus::Active
            {
                self.set_deployment_status(id, deployment, DeploymentStatus::Inactive);
            }
        }
    }
}
