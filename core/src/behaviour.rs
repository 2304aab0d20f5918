//! Revision behaviour: how the tasks of one task-definition revision behave in the sandbox
//! (start and stop times, crash and health-check failure chances, a crash loop). The file
//! shapes (`revisionBehaviour[]` entries and the `behaviour` of a `registerTaskDefinition`
//! action) and their compiled form in milliseconds live here, apart from both `scenario` and
//! `action`, so neither of those has to import the other for it.

use crate::problem::Problem;
use crate::time::parse_duration;
pub use crate::traffic::revision::{Hundredths, LatencyMs};
#[cfg(feature = "discovery")]
pub use crate::traffic::revision::{TrafficBehaviour, TrafficSpec};
use serde::{Deserialize, Serialize};

/// Assumption (not in the ECS docs): a revision's tasks take 10 s from PENDING to ACTIVATING
/// and their containers 2 s to exit after SIGTERM, unless its behaviour says otherwise.
pub const DEFAULT_START_TIME_MS: u64 = 10_000;
pub const DEFAULT_STOP_TIME_MS: u64 = 2_000;

/// A `revisionBehaviour[]` entry: how tasks of one revision behave in the sandbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisionBehaviour {
    /// `family:revision`.
    pub task_definition: String,
    /// Time from PENDING to ACTIVATING (image pull, container start). Default 10s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Time the containers take to exit after SIGTERM. Default 2s, capped by stopTimeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_time: Option<String>,
    /// Chance (0–100) that a task of this revision fails to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_rate_percent: Option<u32>,
    /// Chance (0–100) that a task of this revision fails its container health checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_failure_percent: Option<u32>,
    /// The essential container exits this long after RUNNING (a crash loop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_after: Option<String>,
    /// Share (0–100, two decimals) of the requests it serves answered with a 5xx. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate_percent: Option<Hundredths>,
    /// Latency percentiles in ms, `{"p50": 20, "p90": 50, "p99": 100}` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyMs>,
    /// CPU milliseconds each request costs (two decimals). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_per_request_ms: Option<Hundredths>,
}

impl RevisionBehaviour {
    pub fn spec(&self) -> BehaviourSpec {
        BehaviourSpec {
            start_time: self.start_time.clone(),
            stop_time: self.stop_time.clone(),
            crash_rate_percent: self.crash_rate_percent,
            health_check_failure_percent: self.health_check_failure_percent,
            crash_after: self.crash_after.clone(),
            error_rate_percent: self.error_rate_percent,
            latency_ms: self.latency_ms,
            cpu_per_request_ms: self.cpu_per_request_ms,
        }
    }

    /// The entry giving `task_definition` the behaviour `spec`.
    pub fn from_spec(task_definition: String, spec: BehaviourSpec) -> RevisionBehaviour {
        RevisionBehaviour {
            task_definition,
            start_time: spec.start_time,
            stop_time: spec.stop_time,
            crash_rate_percent: spec.crash_rate_percent,
            health_check_failure_percent: spec.health_check_failure_percent,
            crash_after: spec.crash_after,
            error_rate_percent: spec.error_rate_percent,
            latency_ms: spec.latency_ms,
            cpu_per_request_ms: spec.cpu_per_request_ms,
        }
    }
}

/// A revision's behaviour without the revision it belongs to (carried by
/// `registerTaskDefinition` actions). Same fields and meaning as [`RevisionBehaviour`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BehaviourSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_rate_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_failure_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crash_after: Option<String>,
    /// Share (0–100, two decimals) of the requests it serves answered with a 5xx. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate_percent: Option<Hundredths>,
    /// Latency percentiles in ms, `{"p50": 20, "p90": 50, "p99": 100}` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyMs>,
    /// CPU milliseconds each request costs (two decimals). Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_per_request_ms: Option<Hundredths>,
}

impl BehaviourSpec {
    /// Every invalid member, its path relative to the spec (`startTime`).
    pub fn check(&self) -> Vec<Problem> {
        match Behaviour::default().with(self) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }

    /// [`BehaviourSpec::check`] as `(field, message)` pairs, for callers that take pairs.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        const FIELDS: [&str; 11] = [
            "startTime",
            "stopTime",
            "crashAfter",
            "crashRatePercent",
            "healthCheckFailurePercent",
            "errorRatePercent",
            "latencyMs",
            "latencyMs.p50",
            "latencyMs.p90",
            "latencyMs.p99",
            "cpuPerRequestMs",
        ];
        self.check()
            .into_iter()
            .map(|problem| {
                let field = FIELDS
                    .into_iter()
                    .find(|field| *field == problem.path)
                    .unwrap_or("");
                (field, problem.message)
            })
            .collect()
    }
}

/// A revision's behaviour, compiled: durations in milliseconds, defaults filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Behaviour {
    pub start_ms: u64,
    pub stop_ms: u64,
    pub crash_rate_percent: u32,
    pub health_check_failure_percent: u32,
    pub crash_after_ms: Option<u64>,
    /// 5xx share, latency and CPU cost per request (`crate::traffic::revision`).
    #[cfg(feature = "discovery")]
    pub traffic: TrafficBehaviour,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            start_ms: DEFAULT_START_TIME_MS,
            stop_ms: DEFAULT_STOP_TIME_MS,
            crash_rate_percent: 0,
            health_check_failure_percent: 0,
            crash_after_ms: None,
            #[cfg(feature = "discovery")]
            traffic: TrafficBehaviour::default(),
        }
    }
}

impl Behaviour {
    /// This behaviour with the members `spec` names replaced (a new revision inherits the
    /// rest from the one it copies), or every invalid member of `spec`.
    pub fn with(self, spec: &BehaviourSpec) -> Result<Behaviour, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut duration = |field: &str, text: &Option<String>| match text.as_deref() {
            None => None,
            Some(text) => match parse_duration(text) {
                Ok(ms) => Some(ms),
                Err(message) => {
                    problems.push(Problem::new(field, message));
                    None
                }
            },
        };
        let start_ms = duration("startTime", &spec.start_time);
        let stop_ms = duration("stopTime", &spec.stop_time);
        let crash_after_ms = duration("crashAfter", &spec.crash_after);
        for (field, value) in [
            ("crashRatePercent", spec.crash_rate_percent),
            (
                "healthCheckFailurePercent",
                spec.health_check_failure_percent,
            ),
        ] {
            if let Some(percent) = value.filter(|p| *p > 100) {
                problems.push(Problem::new(
                    field,
                    format!("must be a whole number from 0 to 100, found {percent}"),
                ));
            }
        }
        #[cfg(feature = "discovery")]
        let traffic = self
            .traffic
            .with(&TrafficSpec {
                error_rate_percent: spec.error_rate_percent,
                latency_ms: spec.latency_ms,
                cpu_per_request_ms: spec.cpu_per_request_ms,
            })
            .map_err(|traffic_problems| problems.extend(traffic_problems))
            .ok();
        // Without traffic in this build, a revision's traffic parts are refused where they stand.
        #[cfg(not(feature = "discovery"))]
        let traffic = {
            for (field, set) in [
                ("errorRatePercent", spec.error_rate_percent.is_some()),
                ("latencyMs", spec.latency_ms.is_some()),
                ("cpuPerRequestMs", spec.cpu_per_request_ms.is_some()),
            ] {
                if set {
                    problems.push(crate::scenario::not_in_this_build(field));
                }
            }
            Some(())
        };
        #[cfg_attr(not(feature = "discovery"), allow(unused_variables))]
        let (true, Some(traffic)) = (problems.is_empty(), traffic) else {
            return Err(problems);
        };
        Ok(Behaviour {
            start_ms: start_ms.unwrap_or(self.start_ms),
            stop_ms: stop_ms.unwrap_or(self.stop_ms),
            crash_rate_percent: spec.crash_rate_percent.unwrap_or(self.crash_rate_percent),
            health_check_failure_percent: spec
                .health_check_failure_percent
                .unwrap_or(self.health_check_failure_percent),
            crash_after_ms: crash_after_ms.or(self.crash_after_ms),
            #[cfg(feature = "discovery")]
            traffic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_replaces_only_what_it_names() {
        let base = Behaviour {
            crash_after_ms: Some(5_000),
            ..Behaviour::default()
        };
        let spec = BehaviourSpec {
            start_time: Some("1m".into()),
            crash_rate_percent: Some(20),
            ..BehaviourSpec::default()
        };
        let compiled = base.with(&spec).expect("valid spec");
        assert_eq!(compiled.start_ms, 60_000);
        assert_eq!(compiled.stop_ms, DEFAULT_STOP_TIME_MS);
        assert_eq!(compiled.crash_rate_percent, 20);
        assert_eq!(compiled.crash_after_ms, Some(5_000));
    }

    #[test]
    fn every_bad_member_is_reported_with_its_field() {
        let spec = BehaviourSpec {
            start_time: Some("soon".into()),
            crash_after: Some("30".into()),
            health_check_failure_percent: Some(101),
            ..BehaviourSpec::default()
        };
        let fields: Vec<String> = spec.check().into_iter().map(|p| p.path).collect();
        assert_eq!(
            fields,
            ["startTime", "crashAfter", "healthCheckFailurePercent"]
        );
        assert_eq!(spec.problems()[2].0, "healthCheckFailurePercent");
        assert!(spec.problems()[2].1.contains("0 to 100, found 101"));
    }
}
