//! The task lifecycle (§3.3) on the World: the one `launch`, moving a task through its states,
//! stopping it (desiredStatus STOPPED, the way down, STOPPED releasing its resources), and the
//! instance events that stop tasks (drain, terminate). Keeps the placement indexes current on
//! every reserve, release and instance status change.

use super::*;
use crate::cluster::GroupRef;
use crate::task::GroupName;

/// A launched task's group: its interned id (`PlacementIndex::intern`) and its name, made once
/// by the caller for all the tasks it launches.
#[derive(Clone, Copy)]
pub(super) struct LaunchGroup<'a> {
    pub(super) id: u32,
    pub(super) name: &'a GroupName,
}

impl LaunchGroup<'_> {
    fn as_ref(&self) -> GroupRef<'_> {
        GroupRef {
            id: self.id,
            name: self.name.as_str(),
        }
    }
}

/// Who a launched task belongs to.
pub(super) enum TaskOwner<'a> {
    /// A service task: its group is `service:<name>` (`Service::group`), its deployment the
    /// PRIMARY one.
    Service {
        service: ServiceId,
        group: LaunchGroup<'a>,
    },
    /// RunTask/StartTask: nothing replaces it when it stops.
    Standalone {
        group: LaunchGroup<'a>,
        started_by: Option<String>,
    },
}

impl World {
    /// A service task on `instance`, of the service's current revision and PRIMARY deployment.
    /// `requirements` are the revision's and `group` the service's, as placement used them.
    pub(super) fn launch_for_service(
        &mut self,
        service: ServiceId,
        requirements: &crate::taskdef::ResourceRequirements,
        group: LaunchGroup<'_>,
        instance: InstanceId,
    ) -> TaskId {
        let reference = self.services[service.0 as usize].task_definition.clone();
        self.launch(
            reference,
            requirements,
            TaskOwner::Service { service, group },
            instance,
        )
    }

    /// The one launch, for service and standalone tasks alike: draws the task's fate from the
    /// revision behaviour (a standalone task draws only whether it fails to start: §3.4, health
    /// is ignored outside a service), reserves its resources, records it PROVISIONING (awsvpc)
    /// or PENDING and schedules its next step. A service task also joins the service's live
    /// tasks and is checked against maximumPercent.
    /// `requirements` are `definition_ref`'s (`requirements_of`), which the caller placed with.
    pub(super) fn launch(
        &mut self,
        definition_ref: TaskDefinitionRef,
        requirements: &crate::taskdef::ResourceRequirements,
        owner: TaskOwner<'_>,
        instance_id: InstanceId,
    ) -> TaskId {
        debug_assert_eq!(*requirements, self.requirements_of(&definition_ref));
        let behaviour = self
            .behaviours
            .get(&definition_ref)
            .copied()
            .unwrap_or_default();
        let fails_to_start = self
            .rngs
            .failures
            .chance_percent(behaviour.crash_rate_percent);
        let (service, group, started_by, fails_health_checks, deployment) = match owner {
            TaskOwner::Service { service, group } => {
                let fails_health_checks = self
                    .rngs
                    .failures
                    .chance_percent(behaviour.health_check_failure_percent);
                let record = &self.services[service.0 as usize];
                debug_assert_eq!(*group.name, record.group());
                (
                    Some(service),
                    group,
                    None,
                    fails_health_checks,
                    record.primary_index(),
                )
            }
            TaskOwner::Standalone { group, started_by } => (None, group, started_by, false, 0),
        };
        let id = TaskId(self.tasks.len() as u32);
        self.reserve(instance_id, requirements, group.as_ref(), id);
        let awsvpc = requirements.needs_eni();
        let state = if awsvpc {
            TaskState::Provisioning
        } else {
            TaskState::Pending
        };
        self.reserve_tasks(1);
        self.tasks.push(Task {
            id,
            task_definition: definition_ref,
            service,
            group: group.name.clone(),
            instance: instance_id,
            state,
            desired_running: true,
            cpu_units: requirements.cpu_units,
            memory_mib: requirements.memory_mib,
            static_host_ports: requirements.static_host_ports.as_slice().into(),
            gpus: requirements.gpus,
            eni: awsvpc,
            started_by: started_by.map(String::into_boxed_str),
            stop_code: None,
            fails_to_start,
            fails_health_checks,
            deployment,
            placed_at: self.now,
            placed_event: self.history.len() as u64,
            running_at: None,
            health: TaskHealth::Unknown,
            counted_healthy: false,
            unhealthy: false,
        });
        if let Some(service) = service {
            let record = &mut self.services[service.0 as usize];
            record.runtime.live_tasks.push(id);
            record.runtime.wanting_to_run += 1;
            record.steady = false;
        }
        self.record(EventKind::TaskPlaced {
            task: id,
            instance: instance_id,
            state,
        });
        if let Some(service) = service {
            self.check_maximum_percent(service);
        }
        let delay = if awsvpc {
            ENI_ATTACH_MS
        } else {
            behaviour.start_ms
        };
        self.schedule_advance(id, state, delay);
        id
    }

    /// Room in the task table for `count` more tasks. A scheduler round asks for every task it
    /// is about to launch, so a round of 100,000 allocates the table once instead of growing it,
    /// copy after copy, as they launch (issue 13). Otherwise it grows by a quarter, not double:
    /// the task table is a run's largest vector, and doubling leaves up to half of it allocated
    /// and unused (bytes per task); still geometric, so pushes stay amortised O(1).
    pub(super) fn reserve_tasks(&mut self, count: u32) {
        let spare = self.tasks.capacity() - self.tasks.len();
        if spare < count as usize {
            let quarter = self.tasks.len() / 4 + 64;
            self.tasks.reserve_exact((count as usize).max(quarter));
        }
    }

    /// Gives back the room a round reserved and could not use (a placement failed), keeping a
    /// quarter as growth would: a service that asks for a million tasks on a small fleet holds
    /// room for the tasks it runs, not for those it wants.
    pub(super) fn release_unused_task_room(&mut self) {
        let quarter = self.tasks.len() / 4 + 64;
        self.tasks.shrink_to(self.tasks.len() + quarter);
    }

    /// Moves a task to its next lifecycle state (§3.3).
    pub(super) fn advance(&mut self, id: TaskId) {
        let task = &self.tasks[id.0 as usize];
        let behaviour = self
            .behaviours
            .get(&task.task_definition)
            .copied()
            .unwrap_or_default();
        // An awsvpc task holds an ENI (`requirements.needs_eni()` at launch).
        let awsvpc = task.eni;
        match task.state {
            TaskState::Provisioning => {
                self.set_state(id, TaskState::Pending);
                self.schedule_advance(id, TaskState::Pending, behaviour.start_ms);
            }
            TaskState::Pending if task.fails_to_start => {
                self.stop_task(
                    id,
                    StopCode::TaskFailedToStart,
                    "Essential container in task exited",
                );
                self.on_start_failure(id);
            }
            TaskState::Pending => {
                self.set_state(id, TaskState::Activating);
                self.register_targets(id);
                self.schedule_advance(id, TaskState::Activating, ACTIVATING_MS);
            }
            TaskState::Activating => {
                self.set_state(id, TaskState::Running);
                self.on_running(id);
                self.register_in_cloud_map(id);
            }
            TaskState::Deactivating => {
                let stop_timeout_ms = self.stop_timeout_ms(&task.task_definition);
                self.set_state(id, TaskState::Stopping);
                self.schedule_advance(
                    id,
                    TaskState::Stopping,
                    behaviour.stop_ms.min(stop_timeout_ms),
                );
            }
            TaskState::Stopping if awsvpc => {
                self.set_state(id, TaskState::Deprovisioning);
                self.schedule_advance(id, TaskState::Deprovisioning, ENI_ATTACH_MS);
            }
            TaskState::Stopping | TaskState::Deprovisioning => self.finish_stop(id),
            TaskState::Running | TaskState::Stopped => {}
        }
    }

    /// The longest `stopTimeout` of the revision's containers, default 30 s (§3.3).
    pub(super) fn stop_timeout_ms(&self, reference: &TaskDefinitionRef) -> u64 {
        self.registry
            .get(reference)
            .and_then(|d| {
                d.container_definitions
                    .iter()
                    .filter_map(|c| c.stop_timeout)
                    .max()
            })
            .map_or(STOP_TIMEOUT_MS_DEFAULT, |seconds| u64::from(seconds) * 1000)
    }

    /// A task stopped before RUNNING (§3.7): restart back-off and circuit breaker stage 1.
    pub(super) fn on_start_failure(&mut self, id: TaskId) {
        let Some(service) = self.tasks[id.0 as usize].service else {
            return;
        };
        let now = self.now;
        let record = &mut self.services[service.0 as usize];
        record.runtime.start_failures += 1;
        let delay_ms = health::restart_delay_ms(record.runtime.start_failures);
        if delay_ms > 0 {
            record.runtime.throttled_until = Some(now.plus_ms(delay_ms));
        }
        if record.runtime.start_failures == health::THROTTLE_AFTER_FAILURES {
            self.record_service_event(service, ServiceEvent::StartsThrottled);
        }
        self.count_failure(id, false);
    }

    /// Sets desiredStatus STOPPED and starts the way down (§3.3). Tasks that never ran stop at
    /// once; running ones deactivate, get SIGTERM and stop after their stop time.
    pub(super) fn stop_task(&mut self, id: TaskId, stop_code: StopCode, reason: &str) {
        let task = &mut self.tasks[id.0 as usize];
        if !task.desired_running || task.state == TaskState::Stopped {
            return;
        }
        task.desired_running = false;
        task.stop_code = Some(stop_code);
        if let Some(service) = task.service {
            self.services[service.0 as usize].runtime.wanting_to_run -= 1;
        }
        let state = task.state;
        let instance = &mut self.instances[task.instance.0 as usize];
        instance.running_tasks_count -= 1;
        self.record(EventKind::TaskStopRequested {
            task: id,
            stop_code,
            reason: reason.to_string(),
        });
        match state {
            TaskState::Provisioning | TaskState::Pending => self.finish_stop(id),
            TaskState::Activating | TaskState::Running => {
                self.set_state(id, TaskState::Deactivating);
                // With a load balancer the task stays DEACTIVATING for the deregistration delay.
                let hold_ms = self.begin_deregistration(id);
                self.schedule_advance(id, TaskState::Deactivating, hold_ms);
            }
            TaskState::Deactivating
            | TaskState::Stopping
            | TaskState::Deprovisioning
            | TaskState::Stopped => {}
        }
        if let Some(service) = self.tasks[id.0 as usize].service {
            self.services[service.0 as usize].steady = false;
            self.queue_reconcile(service);
        }
    }

    /// STOPPED: release CPU, memory and ports, and let every service short of tasks try again.
    pub(super) fn finish_stop(&mut self, id: TaskId) {
        self.set_state(id, TaskState::Stopped);
        self.forget_in_discovery(id);
        let task = &self.tasks[id.0 as usize];
        let draining = self.instances[task.instance.0 as usize].status == InstanceStatus::Draining;
        self.instances[task.instance.0 as usize].release(&task.held(), &id.to_string());
        let instance = &self.instances[task.instance.0 as usize];
        self.placer.index.instance_changed(instance);
        self.placer
            .index
            .group_changed(&task.group, task.instance, -1);
        if let Some(service) = task.service {
            self.services[service.0 as usize]
                .runtime
                .live_tasks
                .retain(|&t| t != id);
            if task.desired_running {
                self.services[service.0 as usize].runtime.wanting_to_run -= 1;
            }
        }
        // Freed capacity may let other services place the tasks they could not place before;
        // on a DRAINING instance, daemon tasks may now be the last ones left (§3.1).
        let own_service = task.service;
        for index in 0..self.services.len() {
            if self.services[index]
                .runtime
                .last_placement_failure
                .is_some()
                || Some(ServiceId(index as u32)) == own_service
                || (draining && self.services[index].is_daemon())
            {
                self.queue_reconcile(ServiceId(index as u32));
            }
        }
        if let Some(service) = self.tasks[id.0 as usize].service {
            self.check_steady(service);
        }
    }

    /// §3.5: DRAINING takes no new placements; PENDING service tasks stop at once, RUNNING ones
    /// are replaced within minimumHealthyPercent/maximumPercent by the next rounds.
    pub(super) fn drain_instance(&mut self, id: InstanceId) {
        self.unusable_since_event[id.0 as usize] = Some(self.history.len() as u64);
        self.instances[id.0 as usize].status = InstanceStatus::Draining;
        self.placer
            .index
            .instance_changed(&self.instances[id.0 as usize]);
        self.record(EventKind::InstanceStatusChanged {
            instance: id,
            status: InstanceStatus::Draining,
        });
        let pending: Vec<TaskId> = self
            .services
            .iter()
            .flat_map(|s| s.runtime.live_tasks.iter().copied())
            .filter(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.instance == id
                    && task.desired_running
                    && matches!(task.state, TaskState::Provisioning | TaskState::Pending)
            })
            .collect();
        for task in pending {
            // Assumption (ecs-semantics §3.5 ∅ on the stop reason text).
            self.stop_task(
                task,
                StopCode::ServiceSchedulerInitiated,
                "Container instance is DRAINING",
            );
        }
        self.queue_all_reconciles();
    }

    /// §3.6: terminating an instance deregisters it and its agent is gone; every task on it
    /// stops, service and standalone (RunTask/StartTask) alike, and the service scheduler
    /// replaces the service tasks elsewhere. Standalone tasks are not replaced.
    pub(super) fn terminate_instance(&mut self, id: InstanceId) {
        self.terminate_instances(&[id]);
    }

    /// Terminates `ids` in order (an Availability Zone lost at once): one pass over the tasks
    /// finds what each instance holds, so losing a zone costs one scan, not one per instance.
    pub(super) fn terminate_instances(&mut self, ids: &[InstanceId]) {
        // The tasks of each instance in `ids`, by instance index (a vector rather than a map of
        // the few instances: no B-tree code for this one use; app size).
        let mut on_instance: Vec<Option<Vec<TaskId>>> = Vec::new();
        on_instance.resize_with(self.instances.len(), || None);
        for &id in ids {
            on_instance[id.0 as usize] = Some(Vec::new());
        }
        for task in &self.tasks {
            if task.state != TaskState::Stopped {
                if let Some(Some(tasks)) = on_instance.get_mut(task.instance.0 as usize) {
                    tasks.push(task.id);
                }
            }
        }
        for &id in ids {
            self.unusable_since_event[id.0 as usize] = Some(self.history.len() as u64);
            let instance = &mut self.instances[id.0 as usize];
            instance.status = InstanceStatus::Inactive;
            instance.agent_connected = false;
            self.placer
                .index
                .instance_changed(&self.instances[id.0 as usize]);
            self.record(EventKind::InstanceStatusChanged {
                instance: id,
                status: InstanceStatus::Inactive,
            });
            for &task in on_instance[id.0 as usize].iter().flatten() {
                self.stop_task(
                    task,
                    StopCode::TerminationNotice,
                    "Container instance was terminated",
                );
                if self.tasks[task.0 as usize].state != TaskState::Stopped {
                    self.finish_stop(task);
                }
            }
        }
        self.queue_all_reconciles();
    }

    /// Takes what task `task` needs on the instance and updates the placement indexes.
    pub(super) fn reserve(
        &mut self,
        instance: InstanceId,
        requirements: &crate::taskdef::ResourceRequirements,
        group: GroupRef<'_>,
        task: TaskId,
    ) {
        let record = &mut self.instances[instance.0 as usize];
        // The task's name is formatted only if the assertion fails.
        record.reserve_in(requirements, group, task);
        self.placer.index.instance_changed(record);
        self.placer.index.group_id_changed(group.id, instance, 1);
    }

    pub(super) fn set_state(&mut self, id: TaskId, to: TaskState) {
        let task = &mut self.tasks[id.0 as usize];
        let from = task.state;
        assert!(
            to > from,
            "task {id} cannot go from {} back to {}",
            from.as_str(),
            to.as_str()
        );
        task.state = to;
        if to == TaskState::Stopped {
            self.live_tasks.stopped();
        }
        self.record(EventKind::TaskStateChanged { task: id, from, to });
    }

    pub(super) fn schedule_advance(&mut self, task: TaskId, from: TaskState, delay_ms: u64) {
        self.schedule(
            self.now.plus_ms(delay_ms),
            WakeupKind::Advance { task, from },
        );
    }
}
