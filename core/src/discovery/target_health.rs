//! The ELB target health state machine (ecs-semantics §5.1) and its timing, as pure rules: a
//! newly registered target is healthy after ONE passing check; `HealthyThresholdCount`
//! consecutive passes bring an unhealthy target back; `UnhealthyThresholdCount` consecutive
//! failures take a target out. The world asks *when* the next check completes and feeds each
//! outcome to [`TargetHealth::observe`]; it schedules one wake-up per check, never polls.

use super::HealthCheckSettings;
use serde::{Deserialize, Serialize};

/// ELB's `TargetHealth.State` values the sandbox models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetHealthState {
    /// Registered, no check has passed yet (and not enough have failed to call it unhealthy).
    Initial,
    Healthy,
    Unhealthy,
    /// Deregistering: finishes in-flight requests until the deregistration delay ends and
    /// receives no new ones.
    Draining,
}

impl TargetHealthState {
    /// ELB's lowercase wording (`describe-target-health`).
    pub fn as_str(self) -> &'static str {
        match self {
            TargetHealthState::Initial => "initial",
            TargetHealthState::Healthy => "healthy",
            TargetHealthState::Unhealthy => "unhealthy",
            TargetHealthState::Draining => "draining",
        }
    }
}

/// A change of state that one check outcome caused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HealthVerdict {
    /// From initial: the first passing check.
    PassedFirstCheck,
    /// From unhealthy: `HealthyThresholdCount` consecutive passes.
    Recovered,
    /// From initial or healthy: `UnhealthyThresholdCount` consecutive failures.
    BecameUnhealthy,
}

/// A target's health: its state and the current streak of passes or failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetHealth {
    pub state: TargetHealthState,
    /// Consecutive passing checks (0 after a failure).
    pub passes: u32,
    /// Consecutive failing checks (0 after a pass).
    pub failures: u32,
}

impl Default for TargetHealth {
    fn default() -> TargetHealth {
        TargetHealth::new()
    }
}

impl TargetHealth {
    /// A newly registered target.
    pub fn new() -> TargetHealth {
        TargetHealth {
            state: TargetHealthState::Initial,
            passes: 0,
            failures: 0,
        }
    }

    /// Applies one check outcome; returns the change of state it caused, if any. A draining
    /// target is no longer checked (its outcomes change nothing).
    pub fn observe(
        &mut self,
        passed: bool,
        settings: &HealthCheckSettings,
    ) -> Option<HealthVerdict> {
        if self.state == TargetHealthState::Draining {
            return None;
        }
        if passed {
            self.passes = self.passes.saturating_add(1);
            self.failures = 0;
        } else {
            self.failures = self.failures.saturating_add(1);
            self.passes = 0;
        }
        let (state, verdict) = match self.state {
            TargetHealthState::Initial if passed => (
                TargetHealthState::Healthy,
                Some(HealthVerdict::PassedFirstCheck),
            ),
            TargetHealthState::Unhealthy if self.passes >= settings.healthy_threshold => {
                (TargetHealthState::Healthy, Some(HealthVerdict::Recovered))
            }
            TargetHealthState::Initial | TargetHealthState::Healthy
                if self.failures >= settings.unhealthy_threshold =>
            {
                (
                    TargetHealthState::Unhealthy,
                    Some(HealthVerdict::BecameUnhealthy),
                )
            }
            state => (state, None),
        };
        self.state = state;
        verdict
    }

    /// Deregistration begins.
    pub fn drain(&mut self) {
        self.state = TargetHealthState::Draining;
    }

    /// Receives new requests (before fail-open is considered: see `answers::routable_targets`).
    pub fn is_healthy(&self) -> bool {
        self.state == TargetHealthState::Healthy
    }
}

/// When check `k` (from 1) of a target registered at 0 starts. Assumption (ELB docs ∅ on the
/// phase): checks start one interval after registration and then every interval, as the
/// container checks do (`health.rs`).
pub fn check_start_ms(settings: &HealthCheckSettings, k: u64) -> u64 {
    settings.interval_ms.saturating_mul(k.max(1))
}

/// How long after it starts a check's outcome is known: a pass at once (the response comes
/// back), a failure when its timeout expires (the target does not answer in time).
/// Assumption (ELB docs ∅), the same reading as the container checks.
pub fn outcome_delay_ms(settings: &HealthCheckSettings, passed: bool) -> u64 {
    if passed {
        0
    } else {
        settings.timeout_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> HealthCheckSettings {
        HealthCheckSettings {
            interval_ms: 30_000,
            timeout_ms: 6_000,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            path: "/".into(),
        }
    }

    fn run(outcomes: &[bool]) -> Vec<(TargetHealthState, Option<HealthVerdict>)> {
        let settings = settings();
        let mut health = TargetHealth::new();
        outcomes
            .iter()
            .map(|&passed| {
                let verdict = health.observe(passed, &settings);
                (health.state, verdict)
            })
            .collect()
    }

    #[test]
    fn a_new_target_is_healthy_after_one_passing_check() {
        let states = run(&[true]);
        assert_eq!(
            states,
            vec![(
                TargetHealthState::Healthy,
                Some(HealthVerdict::PassedFirstCheck)
            )]
        );
    }

    #[test]
    fn unhealthy_threshold_failures_take_a_target_out_and_healthy_threshold_passes_bring_it_back() {
        let states = run(&[
            true, false, false, true, true, true, true, false, true, true, true, true, true,
        ]);
        let verdicts: Vec<_> = states.iter().filter_map(|(_, v)| *v).collect();
        assert_eq!(
            verdicts,
            vec![
                HealthVerdict::PassedFirstCheck,
                HealthVerdict::BecameUnhealthy,
                HealthVerdict::Recovered
            ]
        );
        // Four passes were not enough (threshold 5), a failure reset the streak, five were.
        assert_eq!(states[6].0, TargetHealthState::Unhealthy);
        assert_eq!(states[12].0, TargetHealthState::Healthy);
    }

    #[test]
    fn a_single_failure_between_passes_changes_nothing() {
        let states = run(&[true, false, true, false, true]);
        assert!(states.iter().all(|(s, _)| *s == TargetHealthState::Healthy));
    }

    #[test]
    fn a_new_target_that_never_passes_is_unhealthy_after_the_threshold() {
        let states = run(&[false, false]);
        assert_eq!(states[0].0, TargetHealthState::Initial);
        assert_eq!(
            states[1],
            (
                TargetHealthState::Unhealthy,
                Some(HealthVerdict::BecameUnhealthy)
            )
        );
    }

    #[test]
    fn a_draining_target_ignores_checks() {
        let mut health = TargetHealth::new();
        health.drain();
        assert_eq!(health.observe(true, &settings()), None);
        assert_eq!(health.state, TargetHealthState::Draining);
    }

    #[test]
    fn checks_run_every_interval_and_failures_wait_for_the_timeout() {
        let settings = settings();
        assert_eq!(check_start_ms(&settings, 1), 30_000);
        assert_eq!(check_start_ms(&settings, 3), 90_000);
        assert_eq!(outcome_delay_ms(&settings, true), 0);
        assert_eq!(outcome_delay_ms(&settings, false), 6_000);
    }
}
