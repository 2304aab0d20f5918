//! Task health and start failures as pure rules (ecs-semantics §3.4, §3.7): container health
//! check timing (interval, timeout, retries, startPeriod), when a task counts as healthy for
//! the scheduler (the §3.4 table, including the 40-second rule without health checks, and how an
//! event moves a task in that count, `HealthCountChange`), and the
//! restart back-off for tasks that never reach RUNNING. The world asks these functions *when*
//! something happens and schedules one wake-up for it, instead of simulating every probe.

use crate::taskdef::{HealthCheck, TaskDefinition};
use serde::{Deserialize, Serialize};

/// §3.4: without a load balancer and without container health checks, a task counts as
/// healthy 40 seconds after it reaches RUNNING.
pub const HEALTHY_WITHOUT_CHECKS_AFTER_RUNNING_MS: u64 = 40_000;

/// `HealthStatus` of a task (aggregated over essential containers, §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskHealth {
    Unknown,
    Healthy,
    Unhealthy,
}

impl TaskHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskHealth::Unknown => "UNKNOWN",
            TaskHealth::Healthy => "HEALTHY",
            TaskHealth::Unhealthy => "UNHEALTHY",
        }
    }
}

/// How one event moves its task in the scheduler's healthy count (§3.4): desiredStatus
/// RUNNING, counted healthy, not found unhealthy. `World::health_count_change` reads it off
/// an event, the one reading the scheduler, the deployment chart, the assertions and the
/// app's comparison share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthCountChange {
    /// The §3.4 table's rule for the task was met: it counts healthy from now on.
    CountsHealthy,
    /// The scheduler acted on an unhealthy container or target: the task no longer counts
    /// and is replaced.
    FoundUnhealthy,
}

/// One container's `healthCheck` with API defaults applied, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckTiming {
    pub interval_ms: u64,
    pub timeout_ms: u64,
    pub retries: u32,
    pub start_period_ms: u64,
}

impl CheckTiming {
    /// Defaults from `API:HealthCheck`: interval 30 s, timeout 5 s, retries 3, no start period.
    pub fn from_api(check: &HealthCheck) -> CheckTiming {
        CheckTiming {
            interval_ms: u64::from(check.interval.unwrap_or(30).max(1)) * 1000,
            timeout_ms: u64::from(check.timeout.unwrap_or(5)) * 1000,
            retries: check.retries.unwrap_or(3).max(1),
            start_period_ms: u64::from(check.start_period.unwrap_or(0)) * 1000,
        }
    }

    /// Assumption (ecs-semantics §3.4 ∅ on probe timing): the first probe runs one interval
    /// after the task reaches RUNNING, and a passing probe makes the container HEALTHY at once.
    pub fn healthy_after_ms(&self) -> u64 {
        self.interval_ms
    }

    /// Assumption (ecs-semantics §3.4 ∅): probe k starts k intervals after RUNNING and fails
    /// when its timeout expires; probes that start inside the start period do not count; the
    /// container is UNHEALTHY when the `retries`-th counted probe fails.
    pub fn unhealthy_after_ms(&self) -> u64 {
        let first_counted = self.start_period_ms.div_ceil(self.interval_ms).max(1);
        (first_counted + u64::from(self.retries) - 1) * self.interval_ms + self.timeout_ms
    }
}

/// The health checks of a task definition's essential containers (§3.4: only essential
/// containers decide task health).
pub fn essential_checks(definition: &TaskDefinition) -> Vec<CheckTiming> {
    definition
        .container_definitions
        .iter()
        .filter(|c| c.essential.unwrap_or(true))
        .filter_map(|c| c.health_check.as_ref())
        .map(CheckTiming::from_api)
        .collect()
}

/// When, after RUNNING, the scheduler learns a task's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HealthPlan {
    /// No health checks: the task counts as healthy after 40 s (§3.4 table, first row).
    CountedAfter { after_ms: u64 },
    /// Container checks decide: HEALTHY or UNHEALTHY after this long.
    Checks { health: TaskHealth, after_ms: u64 },
}

/// `failing`: the revision's behaviour makes this task's probes fail.
///
/// Aggregation (§3.4): any essential container UNHEALTHY ⇒ the task is UNHEALTHY (at the
/// earliest such moment); all HEALTHY ⇒ HEALTHY (once the slowest container passes).
pub fn health_plan(checks: &[CheckTiming], failing: bool) -> HealthPlan {
    if checks.is_empty() {
        return HealthPlan::CountedAfter {
            after_ms: HEALTHY_WITHOUT_CHECKS_AFTER_RUNNING_MS,
        };
    }
    if failing {
        let after_ms = checks
            .iter()
            .map(CheckTiming::unhealthy_after_ms)
            .min()
            .unwrap_or(0);
        HealthPlan::Checks {
            health: TaskHealth::Unhealthy,
            after_ms,
        }
    } else {
        let after_ms = checks
            .iter()
            .map(CheckTiming::healthy_after_ms)
            .max()
            .unwrap_or(0);
        HealthPlan::Checks {
            health: TaskHealth::Healthy,
            after_ms,
        }
    }
}

/// Maximum delay between restart attempts (§3.7, current documentation: 27 minutes).
pub const RESTART_DELAY_MS_MAX: u64 = 27 * 60 * 1000;
/// Consecutive start failures before the service is throttled.
pub const THROTTLE_AFTER_FAILURES: u32 = 3;

/// Assumption (ecs-semantics §3.7: "grows incrementally up to 27 minutes", no formula): no
/// delay for the first two consecutive failures to reach RUNNING; from the third, 30 s doubling
/// per further failure (30 s, 1 m, 2 m, 4 m, ...), capped at 27 minutes.
pub fn restart_delay_ms(consecutive_failures: u32) -> u64 {
    if consecutive_failures < THROTTLE_AFTER_FAILURES {
        return 0;
    }
    let doublings = (consecutive_failures - THROTTLE_AFTER_FAILURES).min(20);
    (30_000u64 << doublings).min(RESTART_DELAY_MS_MAX)
}

/// ECS's event when the service is throttled (§3.7).
pub fn throttled_message(service: &str) -> String {
    format!("(service {service}) is unable to consistently start tasks successfully.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(interval: u32, timeout: u32, retries: u32, start_period: u32) -> CheckTiming {
        CheckTiming::from_api(&HealthCheck {
            command: vec!["CMD-SHELL".into(), "true".into()],
            interval: Some(interval),
            timeout: Some(timeout),
            retries: Some(retries),
            start_period: Some(start_period),
        })
    }

    #[test]
    fn probes_fail_after_retries_counted_from_the_start_period() {
        // Defaults: probes at 30, 60, 90 s fail at +5 s: UNHEALTHY at 95 s.
        assert_eq!(timing(30, 5, 3, 0).unhealthy_after_ms(), 95_000);
        // A 60 s start period: probes at 30 s don't count; 60, 90, 120 do: 125 s.
        assert_eq!(timing(30, 5, 3, 60).unhealthy_after_ms(), 125_000);
        assert_eq!(timing(10, 2, 1, 0).unhealthy_after_ms(), 12_000);
        assert_eq!(timing(10, 2, 1, 0).healthy_after_ms(), 10_000);
    }

    #[test]
    fn back_off_grows_to_twenty_seven_minutes() {
        let delays: Vec<u64> = (1..12).map(|n| restart_delay_ms(n) / 1000).collect();
        assert_eq!(delays, [0, 0, 30, 60, 120, 240, 480, 960, 1620, 1620, 1620]);
        assert_eq!(restart_delay_ms(u32::MAX), RESTART_DELAY_MS_MAX);
    }
}
