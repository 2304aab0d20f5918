//! The service scheduler on the World: one reconcile round per service (§3.1, §3.2, §4.2) —
//! sort its tasks, ask the pure `deploy::next_round`, stop and start what it decided — for
//! REPLICA and DAEMON services, the scale-in choice, steady state, and the maximumPercent check
//! at every launch. Reconciles are queued once per service (`ServiceRuntime::reconcile_queued`).

use super::*;
use crate::task::GroupName;
use lifecycle::LaunchGroup;

impl World {
    /// One scheduler round for a service (§3.1, §3.2, §4.2): sort its tasks into the primary
    /// deployment's, those to replace and the unhealthy ones, ask `deploy::next_round`, and apply
    /// the decision.
    pub(super) fn reconcile(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let daemon = self.services[index].is_daemon();
        if daemon {
            self.refresh_daemon_desired(id);
            self.stop_daemon_tasks_on_draining_instances(id);
        }
        self.retire_replaced_deployments(id);
        let primary = self.services[index].primary_index();
        let primary_state = self.services[index].primary().rollout_state;
        let mut new_tasks = Vec::new();
        let mut new_healthy = 0u32;
        let mut old_unready = Vec::new();
        let mut old_healthy = Vec::new();
        let mut unhealthy = Vec::new();
        for &t in &self.services[index].runtime.live_tasks {
            let task = &self.tasks[t.0 as usize];
            if !task.desired_running {
                continue;
            }
            let usable = self.instances[task.instance.0 as usize].status == InstanceStatus::Active;
            if daemon && !usable {
                // Daemon tasks on a DRAINING instance are not replaced; they stop last.
                continue;
            }
            let healthy = task.counted_healthy && !task.unhealthy;
            if !usable || task.deployment != primary {
                if healthy {
                    old_healthy.push(t);
                } else {
                    old_unready.push(t);
                }
            } else if task.unhealthy {
                unhealthy.push(t);
            } else {
                new_tasks.push(t);
                new_healthy += u32::from(healthy);
            }
        }
        let service = &self.services[index];
        let throttled = service
            .runtime
            .throttled_until
            .filter(|&until| until > self.now);
        let view = deploy::RoundView {
            desired: service.desired_count,
            minimum_healthy_percent: service.minimum_healthy_percent(),
            maximum_percent: service.maximum_percent(),
            new_live: new_tasks.len() as u32,
            new_healthy,
            old_live: (old_unready.len() + old_healthy.len()) as u32,
            old_healthy: old_healthy.len() as u32,
            unhealthy: unhealthy.len() as u32,
            can_launch: primary_state != RolloutState::Failed && throttled.is_none(),
            may_replace: primary_state != RolloutState::Failed,
        };
        let decision = deploy::next_round(&view);
        let bounds = deploy::bounds(
            view.desired,
            view.minimum_healthy_percent,
            view.maximum_percent,
        );
        let reason = format!(
            "Scaling activity initiated by (deployment {})",
            service.primary().id
        );

        let mut stopped: Vec<TaskId> = old_unready
            .iter()
            .take(decision.stop_old_unready as usize)
            .copied()
            .collect();
        stopped.extend(self.pick_to_stop(id, &mut old_healthy, decision.stop_old_healthy));
        stopped.extend(self.pick_to_stop(id, &mut new_tasks, decision.stop_excess));
        for &task in &stopped {
            self.stop_task(task, StopCode::ServiceSchedulerInitiated, &reason);
        }
        for &task in unhealthy.iter().take(decision.stop_unhealthy as usize) {
            self.stop_task(
                task,
                StopCode::ServiceSchedulerInitiated,
                "Task failed container health checks",
            );
            stopped.push(task);
        }
        if decision.stop_old_healthy > 0 {
            let healthy_now = self.healthy_count(id);
            if healthy_now < bounds.min_healthy {
                self.violations.push(format!(
                    "service {} stopped healthy tasks down to {healthy_now}, below minimumHealthyPercent's {}",
                    self.services[index].name, bounds.min_healthy
                ));
            }
        }
        if !stopped.is_empty() {
            self.record_service_event(id, ServiceEvent::TasksStopped { tasks: stopped });
        }

        let mut started = Vec::new();
        let mut placement_failed = false;
        if decision.start > 0 {
            if daemon {
                started = self.launch_daemon_tasks(id, decision.start);
            } else {
                let requirements = self.requirements_of(&self.services[index].task_definition);
                let group = self.services[index].group();
                let group_id = self.placer.index.intern(&group);
                let group_name = GroupName::from(group.as_str());
                // Room for the whole round at once, unless the service failed to place a task
                // last time: its rounds are likely to fail again, and room given back after
                // each of them would copy the task table each time.
                let room_for_round = self.services[index]
                    .runtime
                    .last_placement_failure
                    .is_none();
                if room_for_round {
                    self.reserve_tasks(decision.start);
                }
                let mut plan = None;
                for _ in 0..decision.start {
                    match self.place_for_service(id, &requirements, &group, &mut plan) {
                        Ok(instance) => started.push(self.launch_for_service(
                            id,
                            &requirements,
                            LaunchGroup {
                                id: group_id,
                                name: &group_name,
                            },
                            instance,
                        )),
                        Err(decision) => {
                            self.report_placement_failure(id, &decision);
                            placement_failed = true;
                            if room_for_round {
                                self.release_unused_task_room();
                            }
                            break;
                        }
                    }
                }
            }
        }
        let started_count = started.len() as u32;
        if !started.is_empty() {
            self.record_service_event(id, ServiceEvent::TasksStarted { tasks: started });
        }
        let missing = view
            .desired
            .saturating_sub(view.new_live - decision.stop_excess);
        // The round placed every task the service was missing: a placement failure's cause is
        // resolved, and the next one is logged even if worded the same (§1.8).
        if !placement_failed && started_count >= missing {
            self.services[index].runtime.last_placement_failure = None;
        }
        if let Some(until) = throttled {
            if missing > 0 && self.services[index].runtime.throttle_wakeup != Some(until) {
                self.services[index].runtime.throttle_wakeup = Some(until);
                self.schedule(until, WakeupKind::Throttle { service: id });
            }
        }
        if decision.blocked && !self.services[index].runtime.deadlock_reported {
            self.services[index].runtime.deadlock_reported = true;
            self.record_service_event(id, ServiceEvent::DeploymentBlocked);
        }
        self.check_steady(id);
    }

    /// Picks `count` tasks to stop from `candidates` with the scale-in rule (§3.2) and removes
    /// them from the list.
    pub(super) fn pick_to_stop(
        &mut self,
        service: ServiceId,
        candidates: &mut Vec<TaskId>,
        count: u32,
    ) -> Vec<TaskId> {
        let group = self.services[service.0 as usize].group();
        let strategies = self.services[service.0 as usize].strategies.clone();
        let mut pairs: Vec<(TaskId, InstanceId)> = candidates
            .iter()
            .map(|&t| (t, self.tasks[t.0 as usize].instance))
            .collect();
        let mut picked = Vec::new();
        for _ in 0..count {
            let tasks = &self.tasks;
            let Some(pick) = placement::choose_task_to_stop(
                &self.instances,
                &pairs,
                &group,
                &strategies,
                |t: TaskId| {
                    let task = &tasks[t.0 as usize];
                    (task.cpu_units, task.memory_mib)
                },
                &mut self.rngs.placement,
            ) else {
                break;
            };
            picked.push(pairs.swap_remove(pick).0);
        }
        candidates.retain(|t| !picked.contains(t));
        picked
    }

    /// Tasks of the service that count healthy toward minimumHealthyPercent right now.
    pub(super) fn healthy_count(&self, id: ServiceId) -> u32 {
        let daemon = self.services[id.0 as usize].is_daemon();
        self.services[id.0 as usize]
            .runtime
            .live_tasks
            .iter()
            .filter(|&&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && task.counted_healthy
                    && !task.unhealthy
                    && (!daemon
                        || self.instances[task.instance.0 as usize].status
                            == InstanceStatus::Active)
            })
            .count() as u32
    }

    /// DAEMON: the desired count is the number of ACTIVE instances that meet the service's
    /// constraints (§3.1).
    pub(super) fn refresh_daemon_desired(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let qualifying = (0..self.instances.len())
            .filter(|&i| self.daemon_qualifies(id, InstanceId(i as u32)))
            .count() as u32;
        let service = &mut self.services[index];
        if service.desired_count != qualifying {
            let from = service.desired_count;
            service.desired_count = qualifying;
            service.steady = false;
            self.record(EventKind::DesiredCountChanged {
                service: id,
                from,
                to: qualifying,
            });
        }
    }

    /// An ACTIVE instance that satisfies the daemon service's constraints (resources aside).
    pub(super) fn daemon_qualifies(&self, id: ServiceId, instance: InstanceId) -> bool {
        let instance = &self.instances[instance.0 as usize];
        if !instance.accepts_placements() {
            return false;
        }
        let service = &self.services[id.0 as usize];
        let constraints = daemon_constraints(&service.constraints);
        let request = PlacementRequest {
            requirements: &crate::taskdef::ResourceRequirements::default(),
            group: &service.group(),
            constraints: &constraints,
            strategies: &[],
            subnet_zones: &[],
        };
        // One candidate and no strategy: `place` draws nothing from this throwaway RNG.
        placement::place(
            std::slice::from_ref(instance),
            &request,
            &mut SimRng::from_seed(0),
        )
        .chosen
        .is_some()
    }

    /// DAEMON: one task on each qualifying instance that has none, up to `limit` (§3.1).
    pub(super) fn launch_daemon_tasks(&mut self, id: ServiceId, limit: u32) -> Vec<TaskId> {
        let index = id.0 as usize;
        let mut hosting: Vec<InstanceId> = self.services[index]
            .runtime
            .live_tasks
            .iter()
            .map(|&t| &self.tasks[t.0 as usize])
            .filter(|t| t.desired_running)
            .map(|t| t.instance)
            .collect();
        hosting.sort();
        let mut started = Vec::new();
        for i in 0..self.instances.len() {
            if started.len() as u32 == limit {
                break;
            }
            let instance_id = InstanceId(i as u32);
            if hosting.binary_search(&instance_id).is_ok()
                || !self.daemon_qualifies(id, instance_id)
            {
                continue;
            }
            let service = &self.services[index];
            let requirements = self.requirements_of(&service.task_definition);
            let constraints = daemon_constraints(&service.constraints);
            let group = service.group();
            let request = PlacementRequest {
                requirements: &requirements,
                group: &group,
                constraints: &constraints,
                strategies: &[],
                subnet_zones: &[],
            };
            let decision = placement::place(
                std::slice::from_ref(&self.instances[i]),
                &request,
                &mut self.rngs.placement,
            );
            match decision.chosen {
                Some(chosen) => {
                    let name = GroupName::from(group.as_str());
                    let group = LaunchGroup {
                        id: self.placer.index.intern(&group),
                        name: &name,
                    };
                    started.push(self.launch_for_service(id, &requirements, group, chosen))
                }
                // §3.1: ECS keeps retrying as resources free up.
                None => self.report_placement_failure(id, &decision),
            }
        }
        started
    }

    /// §3.1/§3.5: daemon tasks on a DRAINING instance stop last, once no other service's task
    /// wants to run there.
    pub(super) fn stop_daemon_tasks_on_draining_instances(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let on_draining: Vec<TaskId> = self.services[index]
            .runtime
            .live_tasks
            .iter()
            .copied()
            .filter(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && self.instances[task.instance.0 as usize].status == InstanceStatus::Draining
            })
            .collect();
        let daemon_groups: Vec<String> = self
            .services
            .iter()
            .filter(|s| s.is_daemon())
            .map(Service::group)
            .collect();
        for task in on_draining {
            let instance = &self.instances[self.tasks[task.0 as usize].instance.0 as usize];
            // Tasks of other services that have not reached STOPPED yet.
            let others: u32 = instance
                .task_groups
                .iter()
                .filter(|e| !daemon_groups.contains(&e.group))
                .map(|e| e.count)
                .sum();
            if others == 0 {
                self.stop_task(
                    task,
                    StopCode::ServiceSchedulerInitiated,
                    "Container instance is DRAINING",
                );
            }
        }
    }

    /// "has reached a steady state" once the service runs exactly its desired count, all of the
    /// primary deployment, all healthy, none on a DRAINING instance (§3.8, §4.2); any change
    /// clears it. Reaching it completes the primary deployment, after bake time when it watches
    /// alarms (§4.5).
    pub(super) fn check_steady(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let service = &self.services[index];
        let primary = service.primary_index();
        let live = &self.services[index].runtime.live_tasks;
        let steady = live.len() as u32 == service.desired_count
            && live.iter().all(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && task.state == TaskState::Running
                    && task.counted_healthy
                    && !task.unhealthy
                    && task.deployment == primary
                    && self.instances[task.instance.0 as usize].status == InstanceStatus::Active
            });
        let service = &mut self.services[index];
        if steady && !service.steady {
            service.steady = true;
            self.record_service_event(id, ServiceEvent::SteadyState);
            self.on_steady(id);
        } else if !steady {
            service.steady = false;
        }
    }

    /// Never more tasks than maximumPercent allows (§4.2): checked at every launch.
    pub(super) fn check_maximum_percent(&mut self, id: ServiceId) {
        let service = &self.services[id.0 as usize];
        let bounds = deploy::bounds(
            service.desired_count,
            service.minimum_healthy_percent(),
            service.maximum_percent(),
        );
        let live = if service.is_daemon() {
            self.services[id.0 as usize]
                .runtime
                .live_tasks
                .iter()
                .filter(|&&t| {
                    let task = &self.tasks[t.0 as usize];
                    task.desired_running
                        && self.instances[task.instance.0 as usize].status == InstanceStatus::Active
                })
                .count() as u32
        } else {
            self.services[id.0 as usize].runtime.wanting_to_run
        };
        if live > bounds.max_tasks {
            self.violations.push(format!(
                "service {} launched a task with {live} tasks wanting to run, above maximumPercent's {}",
                service.name, bounds.max_tasks
            ));
        }
    }

    pub(super) fn queue_reconcile(&mut self, service: ServiceId) {
        if !self.services[service.0 as usize].runtime.reconcile_queued {
            self.services[service.0 as usize].runtime.reconcile_queued = true;
            self.schedule(self.now, WakeupKind::Reconcile { service });
        }
    }

    pub(super) fn queue_all_reconciles(&mut self) {
        for index in 0..self.services.len() {
            self.queue_reconcile(ServiceId(index as u32));
        }
    }
}

/// DAEMON placement: one task per instance by construction, so distinctInstance adds nothing.
fn daemon_constraints(constraints: &[Constraint]) -> Vec<Constraint> {
    constraints
        .iter()
        .filter(|c| !matches!(c, Constraint::DistinctInstance))
        .cloned()
        .collect()
}
