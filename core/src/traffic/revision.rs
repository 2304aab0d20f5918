//! How one revision's tasks answer requests: the share answered with a 5xx, the latency
//! percentiles, the CPU time each request costs. The scenario shapes (`errorRatePercent`,
//! `latencyMs`, `cpuPerRequestMs` in a `revisionBehaviour[]` entry or a `registerTaskDefinition`
//! action's `behaviour`) and their compiled, integer form live here; `crate::behaviour` carries
//! them beside start and stop times.
//!
//! Decimals (`0.5` percent, `2.5` ms) are kept as hundredths in a `u32` ([`Hundredths`]), so the
//! shapes stay `Eq`, the compiled values are integers and a file round-trips byte for byte.
//! Without the `discovery` feature only the shapes remain (behaviours that set them are refused).

#[cfg(feature = "discovery")]
use crate::problem::Problem;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Assumption (not ECS): a revision without traffic behaviour answers every request (no 5xx),
/// in 20 ms at the median, 50 ms at p90 and 100 ms at p99, and spends 1 ms of CPU on each.
pub const DEFAULT_LATENCY_MS: LatencyMs = LatencyMs {
    p50: 20,
    p90: 50,
    p99: 100,
};
pub const DEFAULT_CPU_PER_REQUEST_US: u32 = 1_000;
/// Bounds that keep a run meaningful: no latency above 10 minutes, no request costing more
/// than a minute of CPU.
pub const LATENCY_MS_MAX: u32 = 600_000;
pub const CPU_PER_REQUEST_MS_MAX: u32 = 60_000;

/// A non-negative decimal with at most two decimals, kept in hundredths (`2.5` is 250).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hundredths(pub u32);

impl Serialize for Hundredths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            serializer.serialize_u32(self.0 / 100)
        } else {
            serializer.serialize_f64(f64::from(self.0) / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Hundredths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = f64::deserialize(deserializer)?;
        let scaled = value * 100.0;
        if !(0.0..=f64::from(u32::MAX)).contains(&scaled) {
            return Err(D::Error::custom(format!(
                "must be a number from 0 to 42949672, found {value}"
            )));
        }
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return Err(D::Error::custom(format!(
                "at most two decimals, found {value}"
            )));
        }
        Ok(Hundredths(rounded as u32))
    }
}

/// Latency percentiles in whole milliseconds, `p50 <= p90 <= p99`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyMs {
    pub p50: u32,
    pub p90: u32,
    pub p99: u32,
}

#[cfg(feature = "discovery")]
/// The traffic members of a behaviour as written; absent members keep the base's value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TrafficSpec {
    pub error_rate_percent: Option<Hundredths>,
    pub latency_ms: Option<LatencyMs>,
    pub cpu_per_request_ms: Option<Hundredths>,
}

#[cfg(feature = "discovery")]
/// A revision's traffic behaviour, compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficBehaviour {
    /// Share of the requests it serves answered with a 5xx, in basis points (0–10,000).
    pub error_rate_basis_points: u32,
    pub latency_ms: LatencyMs,
    /// CPU time per request in microseconds.
    pub cpu_per_request_us: u32,
}

#[cfg(feature = "discovery")]
impl Default for TrafficBehaviour {
    fn default() -> TrafficBehaviour {
        TrafficBehaviour {
            error_rate_basis_points: 0,
            latency_ms: DEFAULT_LATENCY_MS,
            cpu_per_request_us: DEFAULT_CPU_PER_REQUEST_US,
        }
    }
}

#[cfg(feature = "discovery")]
impl TrafficBehaviour {
    /// This behaviour with what `spec` names replaced, or every problem (paths relative to the
    /// behaviour: `latencyMs.p90`).
    pub fn with(self, spec: &TrafficSpec) -> Result<TrafficBehaviour, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(rate) = spec.error_rate_percent.filter(|rate| rate.0 > 10_000) {
            problems.push(Problem::new(
                "errorRatePercent",
                format!(
                    "must be a number from 0 to 100, found {}",
                    f64::from(rate.0) / 100.0
                ),
            ));
        }
        if let Some(latency) = spec.latency_ms {
            problems.extend(latency_problems(&latency));
        }
        if let Some(cpu) = spec
            .cpu_per_request_ms
            .filter(|cpu| cpu.0 > CPU_PER_REQUEST_MS_MAX * 100)
        {
            problems.push(Problem::new(
                "cpuPerRequestMs",
                format!(
                    "must be a number from 0 to {CPU_PER_REQUEST_MS_MAX}, found {}",
                    f64::from(cpu.0) / 100.0
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(TrafficBehaviour {
            error_rate_basis_points: spec
                .error_rate_percent
                .map_or(self.error_rate_basis_points, |rate| rate.0),
            latency_ms: spec.latency_ms.unwrap_or(self.latency_ms),
            cpu_per_request_us: spec
                .cpu_per_request_ms
                .map_or(self.cpu_per_request_us, |cpu| cpu.0 * 10),
        })
    }
}

#[cfg(feature = "discovery")]
fn latency_problems(latency: &LatencyMs) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, value) in [
        ("latencyMs.p50", latency.p50),
        ("latencyMs.p90", latency.p90),
        ("latencyMs.p99", latency.p99),
    ] {
        if value == 0 || value > LATENCY_MS_MAX {
            problems.push(Problem::new(
                field,
                format!("must be a whole number of milliseconds from 1 to {LATENCY_MS_MAX}, found {value}"),
            ));
        }
    }
    if problems.is_empty() {
        if latency.p90 < latency.p50 {
            problems.push(Problem::new(
                "latencyMs.p90",
                format!(
                    "must be at least p50 ({}), found {}",
                    latency.p50, latency.p90
                ),
            ));
        }
        if latency.p99 < latency.p90 {
            problems.push(Problem::new(
                "latencyMs.p99",
                format!(
                    "must be at least p90 ({}), found {}",
                    latency.p90, latency.p99
                ),
            ));
        }
    }
    problems
}

#[cfg(all(test, feature = "discovery"))]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip_and_integers_stay_integers() {
        let value: Hundredths = serde_json::from_str("2.5").unwrap();
        assert_eq!(value, Hundredths(250));
        assert_eq!(serde_json::to_string(&value).unwrap(), "2.5");
        let value: Hundredths = serde_json::from_str("7").unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), "7");
        let error = serde_json::from_str::<Hundredths>("0.125").unwrap_err();
        assert!(
            error.to_string().contains("at most two decimals"),
            "{error}"
        );
        let error = serde_json::from_str::<Hundredths>("-1").unwrap_err();
        assert!(error.to_string().contains("from 0"), "{error}");
    }

    #[test]
    fn every_bad_member_is_named() {
        let spec = TrafficSpec {
            error_rate_percent: Some(Hundredths(10_001)),
            latency_ms: Some(LatencyMs {
                p50: 50,
                p90: 40,
                p99: 30,
            }),
            cpu_per_request_ms: Some(Hundredths(CPU_PER_REQUEST_MS_MAX * 100 + 1)),
        };
        let problems = TrafficBehaviour::default().with(&spec).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "errorRatePercent",
                "latencyMs.p90",
                "latencyMs.p99",
                "cpuPerRequestMs"
            ]
        );
        let zero = TrafficSpec {
            latency_ms: Some(LatencyMs {
                p50: 0,
                p90: 1,
                p99: 1,
            }),
            ..TrafficSpec::default()
        };
        let problems = TrafficBehaviour::default().with(&zero).unwrap_err();
        assert_eq!(problems[0].path, "latencyMs.p50");
    }

    #[test]
    fn a_spec_replaces_only_what_it_names() {
        let base = TrafficBehaviour {
            error_rate_basis_points: 300,
            ..TrafficBehaviour::default()
        };
        let spec = TrafficSpec {
            cpu_per_request_ms: Some(Hundredths(250)),
            ..TrafficSpec::default()
        };
        let compiled = base.with(&spec).unwrap();
        assert_eq!(compiled.error_rate_basis_points, 300);
        assert_eq!(compiled.cpu_per_request_us, 2_500);
        assert_eq!(compiled.latency_ms, DEFAULT_LATENCY_MS);
    }
}
