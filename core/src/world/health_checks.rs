//! Task health on the World (§3.4): what RUNNING schedules (the health verdict or "counts
//! healthy", a crashing revision's exit), the verdicts as they come due, the grace period, and
//! acting on an UNHEALTHY task (replace it, count it for the circuit breaker); and how an event
//! moves a task in the scheduler's healthy count (`health_count_change`), for readers of the log.

use super::*;
use crate::health::HealthCountChange;

impl World {
    /// RUNNING: the start streak is over (§3.7); schedule when its health is known (§3.4) and,
    /// for a crashing revision, when its essential container exits.
    pub(super) fn on_running(&mut self, id: TaskId) {
        let now = self.now;
        let task = &mut self.tasks[id.0 as usize];
        task.running_at = Some(now);
        let service = task.service;
        if let Some(service) = service {
            let service = &mut self.services[service.0 as usize];
            service.runtime.start_failures = 0;
            service.runtime.throttled_until = None;
        }
        let task = &self.tasks[id.0 as usize];
        let checks = self
            .registry
            .get(&task.task_definition)
            .map(health::essential_checks)
            .unwrap_or_default();
        let (step, after_ms) = match health::health_plan(&checks, task.fails_health_checks) {
            HealthPlan::CountedAfter { after_ms } => (HealthStep::CountHealthy, after_ms),
            HealthPlan::Checks { health, after_ms } => (HealthStep::Checks(health), after_ms),
        };
        let crash_after = self
            .behaviours
            .get(&task.task_definition)
            .and_then(|b| b.crash_after_ms);
        // §3.4: with a load balancer and no container checks, the target's health decides
        // (`discovery.rs`), not the 40-second rule.
        let load_balanced = service.is_some_and(|s| self.has_load_balancers(s));
        if !(load_balanced && step == HealthStep::CountHealthy) {
            self.schedule(now.plus_ms(after_ms), WakeupKind::Health { task: id, step });
        }
        if load_balanced {
            self.on_target_healthy(id);
        }
        if let Some(crash_after_ms) = crash_after {
            self.schedule(
                now.plus_ms(crash_after_ms),
                WakeupKind::Health {
                    task: id,
                    step: HealthStep::Crash,
                },
            );
        }
    }

    pub(super) fn health_step(&mut self, id: TaskId, step: HealthStep) {
        let task = &self.tasks[id.0 as usize];
        if !task.desired_running || task.state != TaskState::Running {
            return;
        }
        let Some(service) = task.service else {
            return;
        };
        match step {
            HealthStep::CountHealthy => {
                self.tasks[id.0 as usize].counted_healthy = true;
                self.record(EventKind::TaskCountsHealthy { task: id });
                self.on_counted_healthy(id, service);
            }
            HealthStep::Checks(TaskHealth::Healthy) => {
                // With a load balancer the task counts healthy once its targets are too.
                let counts = self.load_balancer_allows_counting(id);
                let task = &mut self.tasks[id.0 as usize];
                task.health = TaskHealth::Healthy;
                task.counted_healthy = counts;
                self.record(EventKind::TaskHealthChanged {
                    task: id,
                    health: TaskHealth::Healthy,
                });
                if counts {
                    // Targets healthy before the container: the container's verdict is the
                    // moment the task counts, said as `discovery.rs` says it when the targets
                    // come last, so a reader of the log never has to work out which came first.
                    #[cfg(feature = "discovery")]
                    if self.has_load_balancers(service) {
                        self.record(EventKind::Discovery(
                            crate::event::DiscoveryEvent::TaskCountsHealthy { task: id },
                        ));
                    }
                    self.on_counted_healthy(id, service);
                }
            }
            HealthStep::Checks(TaskHealth::Unhealthy) => {
                self.tasks[id.0 as usize].health = TaskHealth::Unhealthy;
                self.cloud_map_unhealthy(id);
                self.record(EventKind::TaskHealthChanged {
                    task: id,
                    health: TaskHealth::Unhealthy,
                });
                // §3.4: the scheduler ignores unhealthy container checks during the grace period.
                let grace_end = task_grace_end(
                    &self.tasks[id.0 as usize],
                    self.services[service.0 as usize].health_check_grace_period_ms,
                );
                if grace_end > self.now {
                    self.schedule(
                        grace_end,
                        WakeupKind::Health {
                            task: id,
                            step: HealthStep::ActOnUnhealthy,
                        },
                    );
                } else {
                    self.act_on_unhealthy(id, service);
                }
            }
            HealthStep::Checks(TaskHealth::Unknown) => {}
            HealthStep::ActOnUnhealthy => self.act_on_unhealthy(id, service),
            HealthStep::Crash => {
                self.stop_task(
                    id,
                    StopCode::EssentialContainerExited,
                    "Essential container in task exited",
                );
                self.count_failure(id, false);
            }
        }
    }

    /// How `kind` moves its task in the scheduler's healthy count (desiredStatus RUNNING,
    /// `counted_healthy`, not `unhealthy`, §3.4): read off the events recorded where those two
    /// flags are set, so the deployment chart (`progress.rs`), the assertions
    /// (`assertions/eval.rs`) and the app's comparison count exactly what the scheduler counts.
    /// A task counts healthy at "counts as healthy" (40 s after RUNNING without checks or a
    /// load balancer; with a load balancer once its targets, and its container with checks, are
    /// healthy) or at its container's HEALTHY verdict when it has no load balancer; it stops
    /// counting when the scheduler acts on a failed container check or an unhealthy target.
    /// Standalone tasks never count (nothing is recorded for them).
    pub fn health_count_change(&self, kind: &EventKind) -> Option<(TaskId, HealthCountChange)> {
        match kind {
            EventKind::TaskCountsHealthy { task } => {
                Some((*task, HealthCountChange::CountsHealthy))
            }
            #[cfg(feature = "discovery")]
            EventKind::Discovery(crate::event::DiscoveryEvent::TaskCountsHealthy { task }) => {
                Some((*task, HealthCountChange::CountsHealthy))
            }
            EventKind::TaskHealthChanged {
                task,
                health: TaskHealth::Healthy,
            } => {
                let load_balanced = self
                    .tasks
                    .get(task.0 as usize)
                    .and_then(|t| t.service)
                    .is_some_and(|service| self.has_load_balancers(service));
                (!load_balanced).then_some((*task, HealthCountChange::CountsHealthy))
            }
            EventKind::ServiceMessage {
                event: ServiceEvent::FailedHealthChecks { task },
                ..
            } => Some((*task, HealthCountChange::FoundUnhealthy)),
            #[cfg(feature = "discovery")]
            EventKind::ServiceMessage {
                event: ServiceEvent::UnhealthyInTargetGroup { task, .. },
                ..
            } => Some((*task, HealthCountChange::FoundUnhealthy)),
            _ => None,
        }
    }

    pub(super) fn on_counted_healthy(&mut self, id: TaskId, service: ServiceId) {
        let deployment = self.tasks[id.0 as usize].deployment as usize;
        let reset = self.services[service.0 as usize]
            .deployment_configuration
            .deployment_circuit_breaker
            .as_ref()
            .is_none_or(|b| b.reset_on_healthy_task.unwrap_or(true));
        if reset {
            self.services[service.0 as usize].deployments[deployment].failed_tasks = 0;
        }
        self.queue_reconcile(service);
    }

    /// Marks the task for replacement (start-first, §3.4) and counts it for the circuit breaker.
    pub(super) fn act_on_unhealthy(&mut self, id: TaskId, service: ServiceId) {
        let task = &mut self.tasks[id.0 as usize];
        if task.unhealthy || task.health != TaskHealth::Unhealthy {
            return;
        }
        task.unhealthy = true;
        self.record_service_event(service, ServiceEvent::FailedHealthChecks { task: id });
        self.count_failure(id, true);
        self.queue_reconcile(service);
    }
}

/// The moment the grace period of a running task ends (§3.4): measured from RUNNING.
/// Assumption (ecs-semantics §3.4 ⚠ "after the task has first started"): first started = RUNNING.
fn task_grace_end(task: &Task, grace_ms: u64) -> SimTime {
    task.running_at.unwrap_or(SimTime::ZERO).plus_ms(grace_ms)
}
