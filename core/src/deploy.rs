//! Rolling deployments (ecs-semantics §4.1–4.5) as pure decisions: the rolling bounds
//! (minimumHealthyPercent rounded up, maximumPercent rounded down), one scheduler round
//! (`next_round(view) -> RoundDecision`), the circuit-breaker threshold, deployment ids and the
//! `deployments[]` record, and the plan preview (`plan`), which replays `next_round` under
//! nominal timing so that the preview and the simulation share one algorithm. The world builds
//! the views and applies the decisions; nothing here mutates the world.
//!
//! Assumption (ecs-semantics §10 item 4, §4.2 ∅): the batch algorithm per round. Every time
//! something changes for a service (a task becomes healthy, stops, an action), the scheduler
//! runs one round: (1) stop tasks that must go — tasks of older deployments and tasks on
//! DRAINING instances — not-yet-healthy ones first (they do not lower the healthy count), then
//! healthy ones while `healthy − stops ≥ ceil(desired × min / 100)`; (2) start as many tasks of
//! the primary deployment as are missing, up to `floor(desired × max / 100)` tasks in
//! PROVISIONING..RUNNING with desiredStatus RUNNING (tasks already told to stop do not count,
//! the 2026 API reading of §4.2 ⚠); (3) unhealthy tasks are replaced start-first and stopped once
//! the service has enough healthy tasks without them, or one at a time when maximumPercent
//! leaves no room to start a replacement (§3.4). A round that can neither stop nor start while
//! tasks still wait to be replaced, and that no task in flight can unblock, is the deadlock ECS
//! reports as "unable to stop or start tasks during a deployment because of the service
//! deployment configuration".

use crate::taskdef::TaskDefinitionRef;
use crate::time::{format_duration, SimTime};
use serde::{Deserialize, Serialize};

/// ECS's message for a configuration that allows no stop and no start (§4.2).
pub fn deadlock_message(service: &str) -> String {
    format!(
        "(service {service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
    )
}

/// The task-count bounds of a rolling deployment (§4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// ceil(desired × minimumHealthyPercent / 100): healthy tasks that must remain.
    pub min_healthy: u32,
    /// floor(desired × maximumPercent / 100): tasks allowed in PENDING or RUNNING.
    pub max_tasks: u32,
}

pub fn bounds(desired: u32, minimum_healthy_percent: u32, maximum_percent: u32) -> Bounds {
    let desired = u64::from(desired);
    let min = (desired * u64::from(minimum_healthy_percent)).div_ceil(100);
    let max = desired * u64::from(maximum_percent) / 100;
    Bounds {
        min_healthy: u32::try_from(min).unwrap_or(u32::MAX),
        max_tasks: u32::try_from(max).unwrap_or(u32::MAX),
    }
}

/// What one scheduler round sees of a service: counts only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundView {
    pub desired: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// Tasks of the primary deployment with desiredStatus RUNNING on ACTIVE instances, not
    /// found unhealthy.
    pub new_live: u32,
    /// Of `new_live`, the tasks that count as healthy (§3.4 table).
    pub new_healthy: u32,
    /// Tasks that must be replaced: older deployments' tasks and tasks on DRAINING instances.
    pub old_live: u32,
    /// Of `old_live`, the healthy ones.
    pub old_healthy: u32,
    /// Primary tasks found unhealthy after the grace period, waiting for a replacement.
    pub unhealthy: u32,
    /// False while the primary deployment may not launch tasks (FAILED, restart back-off).
    pub can_launch: bool,
    /// False when the deployment is frozen (FAILED without rollback): old tasks stay.
    pub may_replace: bool,
}

/// What the round decided. The world chooses which tasks (§3.2 scale-in selection).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundDecision {
    pub start: u32,
    /// Old tasks to stop that are not healthy (stopping them costs no healthy task).
    pub stop_old_unready: u32,
    /// Healthy old tasks to stop.
    pub stop_old_healthy: u32,
    pub stop_unhealthy: u32,
    /// Primary tasks above the desired count (scale-in).
    pub stop_excess: u32,
    /// Nothing can move and nothing in flight will change that (§4.2 deadlock).
    pub blocked: bool,
}

impl RoundDecision {
    pub fn is_empty(&self) -> bool {
        self.start == 0
            && self.stop_old_unready == 0
            && self.stop_old_healthy == 0
            && self.stop_unhealthy == 0
            && self.stop_excess == 0
    }
}

/// One round of the rolling algorithm (see the module doc for the assumption it encodes).
pub fn next_round(view: &RoundView) -> RoundDecision {
    let bounds = bounds(
        view.desired,
        view.minimum_healthy_percent,
        view.maximum_percent,
    );
    let new_live = view.new_live;
    let new_healthy = view.new_healthy.min(new_live);
    let old_healthy = view.old_healthy.min(view.old_live);
    let stop_excess = new_live.saturating_sub(view.desired);
    // Pessimistic: assume scale-in takes healthy tasks first, so min healthy still holds.
    let healthy_left = (new_healthy + old_healthy).saturating_sub(stop_excess.min(new_healthy));
    let (stop_old_unready, stop_old_healthy) = if view.may_replace {
        let can_stop = healthy_left.saturating_sub(bounds.min_healthy);
        (view.old_live - old_healthy, old_healthy.min(can_stop))
    } else {
        (0, 0)
    };
    let healthy_after = healthy_left - stop_old_healthy;
    let live_after = new_live - stop_excess + view.old_live - stop_old_unready - stop_old_healthy
        + view.unhealthy;
    let missing = view.desired.saturating_sub(new_live - stop_excess);
    let room = bounds.max_tasks.saturating_sub(live_after);
    let start = if view.can_launch {
        missing.min(room)
    } else {
        0
    };
    // Replacement first: an unhealthy task goes once the others cover the desired count.
    let mut stop_unhealthy = view
        .unhealthy
        .min((healthy_after + view.unhealthy).saturating_sub(view.desired));
    if stop_unhealthy == 0 && view.unhealthy > 0 && missing > 0 && room == 0 {
        // maximumPercent leaves no room for a replacement: stop them one at a time (§3.4).
        stop_unhealthy = 1;
    }
    let warming = new_live - new_healthy;
    let blocked = view.may_replace
        && view.can_launch
        && view.old_live > 0
        && stop_old_unready + stop_old_healthy == 0
        && start == 0
        && warming == 0;
    RoundDecision {
        start,
        stop_old_unready,
        stop_old_healthy,
        stop_unhealthy,
        stop_excess,
        blocked,
    }
}

// ---- deployments[] ------------------------------------------------------------------------

/// `Deployment.status` (§4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentStatus {
    Primary,
    Active,
    Inactive,
}

impl DeploymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentStatus::Primary => "PRIMARY",
            DeploymentStatus::Active => "ACTIVE",
            DeploymentStatus::Inactive => "INACTIVE",
        }
    }
}

/// `Deployment.rolloutState` (§4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RolloutState {
    InProgress,
    Completed,
    Failed,
}

impl RolloutState {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutState::InProgress => "IN_PROGRESS",
            RolloutState::Completed => "COMPLETED",
            RolloutState::Failed => "FAILED",
        }
    }
}

/// One entry of a service's `deployments[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// `ecs-svc/` and 19 digits.
    pub id: String,
    pub task_definition: TaskDefinitionRef,
    pub status: DeploymentStatus,
    pub rollout_state: RolloutState,
    pub rollout_state_reason: String,
    /// Failures counted by the circuit breaker (§4.4).
    pub failed_tasks: u32,
    pub created_at: SimTime,
    pub updated_at: SimTime,
    /// An alarm was already in ALARM when the deployment started: alarms are ignored (§4.5).
    pub alarms_ignored: bool,
    /// Set while the deployment bakes after reaching steady state (§4.5).
    pub bake_until: Option<SimTime>,
}

/// `ecs-svc/` followed by 19 decimal digits, from one draw of the world's RNG.
pub fn deployment_id(draw: u64) -> String {
    const LOW: u64 = 1_000_000_000_000_000_000;
    format!("ecs-svc/{}", LOW + draw % (9 * LOW))
}

pub fn in_progress_reason(id: &str) -> String {
    format!("ECS deployment {id} in progress.")
}

pub fn completed_reason(id: &str) -> String {
    format!("ECS deployment {id} completed.")
}

/// `rolloutStateReason` of a rollback deployment (§4.3 EventBridge wording).
pub fn rollback_reason(to: &str) -> String {
    format!("ECS deployment circuit breaker: rolling back to deploymentId {to}.")
}

// ---- circuit breaker ----------------------------------------------------------------------

/// `thresholdConfiguration.type` (§4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdKind {
    Count,
    BoundedPercent,
    UnboundedPercent,
}

/// Failures that fail a deployment (§4.4). Default BOUNDED_PERCENT 50:
/// clamp(ceil(0.5 × desired), 3, 200).
///
/// Assumption (ecs-semantics §10 item 5): UNBOUNDED_PERCENT rounds up like BOUNDED_PERCENT and
/// is at least 1, so a deployment can always fail.
pub fn circuit_breaker_threshold(kind: ThresholdKind, value: u32, desired: u32) -> u32 {
    let percent_of_desired = || {
        let raw = (u64::from(value) * u64::from(desired)).div_ceil(100);
        u32::try_from(raw).unwrap_or(u32::MAX)
    };
    match kind {
        ThresholdKind::Count => value.max(1),
        ThresholdKind::BoundedPercent => percent_of_desired().clamp(3, 200),
        ThresholdKind::UnboundedPercent => percent_of_desired().max(1),
    }
}

// ---- plan preview -------------------------------------------------------------------------

/// Bound on plan rounds: far more than any deployment of `DESIRED_COUNT_MAX` tasks needs.
pub const PLAN_ROUNDS_MAX: u32 = 200_000;

/// What the plan preview needs: the service, its deployment configuration, the cluster's room
/// and the nominal timing of the new and old revisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanInput {
    pub desired: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// Healthy tasks of the running revision when the deployment starts.
    pub old_tasks: u32,
    /// Tasks of the new revision that fit in the cluster right now.
    pub free_slots: u32,
    /// Whether a stopped old task leaves room for one new task.
    pub old_task_frees_slot: bool,
    /// From launch to counting as healthy (start time, ACTIVATING, 40 s or health checks).
    pub start_to_healthy_ms: u64,
    /// From the stop request to STOPPED, when the resources are free again.
    pub stop_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanRound {
    /// From the start of the deployment.
    pub at_ms: u64,
    pub started: u32,
    pub stopped: u32,
    /// Healthy tasks right after this round's stops.
    pub healthy: u32,
    /// Tasks PENDING or RUNNING with desiredStatus RUNNING after this round: what
    /// maximumPercent bounds (§4.2, the 2026 API reading), so never above it.
    pub tasks: u32,
    /// Tasks told to stop and not yet STOPPED: they still hold resources but do not count
    /// against maximumPercent.
    pub stopping: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanOutcome {
    /// The deployment reaches steady state after this long.
    Completes { duration_ms: u64 },
    /// It never finishes, and why (ECS's message when ECS has one).
    Never { reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub input: PlanInput,
    pub rounds: Vec<PlanRound>,
    pub outcome: PlanOutcome,
    /// The worst moment for availability: fewest healthy tasks, and when (first time).
    pub fewest_healthy: u32,
    pub fewest_healthy_at_ms: u64,
    /// The most tasks PENDING or RUNNING (what maximumPercent bounds), and when (first time).
    pub peak_tasks: u32,
    pub peak_tasks_at_ms: u64,
}

impl Plan {
    /// Tasks beyond the desired count at the peak (PENDING or RUNNING).
    pub fn extra_capacity(&self) -> u32 {
        self.peak_tasks.saturating_sub(self.input.desired)
    }

    /// A table of rounds, the worst moment and the outcome, as the CLI prints it.
    pub fn render(&self) -> String {
        let input = &self.input;
        let bounds = bounds(
            input.desired,
            input.minimum_healthy_percent,
            input.maximum_percent,
        );
        let mut out = format!(
            "desiredCount {}, minimumHealthyPercent {} (at least {} healthy), maximumPercent {} (at most {} tasks)\n",
            input.desired,
            input.minimum_healthy_percent,
            bounds.min_healthy,
            input.maximum_percent,
            bounds.max_tasks
        );
        out.push_str(&format!(
            "nominal timing: launch to healthy {}, stop {}; room now for {} more tasks\n",
            format_duration(input.start_to_healthy_ms),
            format_duration(input.stop_ms),
            input.free_slots
        ));
        out.push_str("round  at        start  stop  healthy  tasks  stopping\n");
        for (number, round) in self.rounds.iter().enumerate() {
            out.push_str(&format!(
                "{:<6} {:<9} {:<6} {:<5} {:<8} {:<6} {}\n",
                number + 1,
                format!("+{}", format_duration(round.at_ms)),
                round.started,
                round.stopped,
                round.healthy,
                round.tasks,
                round.stopping
            ));
        }
        out.push_str(&format!(
            "worst moment: fewest healthy {} at +{}; most extra capacity +{} tasks (peak {} pending or running) at +{}\n",
            self.fewest_healthy,
            format_duration(self.fewest_healthy_at_ms),
            self.extra_capacity(),
            self.peak_tasks,
            format_duration(self.peak_tasks_at_ms)
        ));
        match &self.outcome {
            PlanOutcome::Completes { duration_ms } => out.push_str(&format!(
                "expected duration: {} in {} rounds\n",
                format_duration(*duration_ms),
                self.rounds.len()
            )),
            PlanOutcome::Never { reason } => out.push_str(&format!("never finishes: {reason}\n")),
        }
        out
    }
}

/// Predicts the rounds of a rolling deployment under nominal timing (nothing fails, every
/// launch takes `start_to_healthy_ms`, every stop `stop_ms`) by running [`next_round`] on a
/// model of the service. `service` names the service in the deadlock message.
pub fn plan(service: &str, input: &PlanInput) -> Plan {
    let mut now_ms = 0;
    let mut old_healthy = input.old_tasks;
    let mut new_healthy = 0;
    let mut warming: Vec<u64> = Vec::new();
    let mut stopping: Vec<u64> = Vec::new();
    let mut free = input.free_slots;
    let mut rounds = Vec::new();
    let mut fewest_healthy = (old_healthy, 0);
    let mut peak_tasks = (old_healthy, 0);
    let mut outcome = None;
    for _ in 0..PLAN_ROUNDS_MAX {
        // Everything due now happens before the round, as in the world (same-time wake-ups first).
        let became_healthy = warming.iter().filter(|&&at| at <= now_ms).count() as u32;
        warming.retain(|&at| at > now_ms);
        new_healthy += became_healthy;
        let freed = stopping.iter().filter(|&&at| at <= now_ms).count() as u32;
        stopping.retain(|&at| at > now_ms);
        if input.old_task_frees_slot {
            free += freed;
        }
        let view = RoundView {
            desired: input.desired,
            minimum_healthy_percent: input.minimum_healthy_percent,
            maximum_percent: input.maximum_percent,
            new_live: new_healthy + warming.len() as u32,
            new_healthy,
            old_live: old_healthy,
            old_healthy,
            unhealthy: 0,
            can_launch: true,
            may_replace: true,
        };
        let decision = next_round(&view);
        let stopped = decision.stop_old_healthy + decision.stop_old_unready;
        old_healthy -= stopped;
        for _ in 0..stopped {
            stopping.push(now_ms + input.stop_ms);
        }
        let started = decision.start.min(free);
        free -= started;
        for _ in 0..started {
            warming.push(now_ms + input.start_to_healthy_ms);
        }
        // Only what the launch was short of is the cluster's fault; the rest is maximumPercent.
        let short_of_room = decision.start > started;
        let healthy = new_healthy + old_healthy;
        let tasks = healthy + warming.len() as u32;
        if started + stopped > 0 {
            rounds.push(PlanRound {
                at_ms: now_ms,
                started,
                stopped,
                healthy,
                tasks,
                stopping: stopping.len() as u32,
            });
        }
        if healthy < fewest_healthy.0 {
            fewest_healthy = (healthy, now_ms);
        }
        if tasks > peak_tasks.0 {
            peak_tasks = (tasks, now_ms);
        }
        if decision.blocked {
            outcome = Some(PlanOutcome::Never {
                reason: deadlock_message(service),
            });
            break;
        }
        let done = old_healthy == 0 && warming.is_empty() && new_healthy >= input.desired;
        if done && stopping.is_empty() {
            outcome = Some(PlanOutcome::Completes {
                duration_ms: now_ms,
            });
            break;
        }
        let next = warming.iter().chain(&stopping).copied().min();
        match next {
            Some(at) => now_ms = at,
            None => {
                let reason = if short_of_room {
                    format!(
                        "the cluster has no room for another task of the new revision ({} of {} started); ECS would report that it was unable to place a task",
                        new_healthy, input.desired
                    )
                } else {
                    // Only a maximumPercent below 100 (which the API refuses for REPLICA
                    // services) stops launches while the cluster has room.
                    format!(
                        "maximumPercent {} allows at most {} tasks, fewer than the desiredCount {} ({} of {} started)",
                        input.maximum_percent,
                        bounds(input.desired, input.minimum_healthy_percent, input.maximum_percent).max_tasks,
                        input.desired,
                        new_healthy,
                        input.desired
                    )
                };
                outcome = Some(PlanOutcome::Never { reason });
                break;
            }
        }
    }
    Plan {
        input: *input,
        rounds,
        outcome: outcome.unwrap_or(PlanOutcome::Never {
            reason: format!("the preview stopped after {PLAN_ROUNDS_MAX} rounds"),
        }),
        fewest_healthy: fewest_healthy.0,
        fewest_healthy_at_ms: fewest_healthy.1,
        peak_tasks: peak_tasks.0,
        peak_tasks_at_ms: peak_tasks.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_round_min_up_and_max_down() {
        // The official examples of §4.2.
        assert_eq!(bounds(4, 50, 200).min_healthy, 2);
        assert_eq!(bounds(2, 75, 200).min_healthy, 2);
        assert_eq!(bounds(4, 100, 200).max_tasks, 8);
        assert_eq!(bounds(3, 100, 125).max_tasks, 3);
    }

    #[test]
    fn threshold_defaults_and_types() {
        use ThresholdKind::*;
        assert_eq!(circuit_breaker_threshold(BoundedPercent, 50, 1), 3);
        assert_eq!(circuit_breaker_threshold(BoundedPercent, 50, 25), 13);
        assert_eq!(circuit_breaker_threshold(BoundedPercent, 50, 800), 200);
        assert_eq!(circuit_breaker_threshold(UnboundedPercent, 50, 800), 400);
        assert_eq!(circuit_breaker_threshold(UnboundedPercent, 10, 1), 1);
        assert_eq!(circuit_breaker_threshold(Count, 7, 100), 7);
    }

    #[test]
    fn deployment_ids_have_nineteen_digits() {
        for draw in [0, 1, u64::MAX, 8_999_999_999_999_999_999] {
            let id = deployment_id(draw);
            let digits = id.strip_prefix("ecs-svc/").unwrap();
            assert_eq!(digits.len(), 19, "{id}");
            assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
