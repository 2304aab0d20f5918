//! Latency of a revision and of a mix of revisions.
//!
//! A revision gives its p50, p90 and p99. Its latency is a piecewise lognormal through those
//! three points: below p90 a lognormal with median p50 and the spread that puts p90 where it
//! is, above p90 one that continues from p90 and puts p99 where it is. So a single revision's
//! p50/p90/p99 come back exactly, and a mix's (a target group serving two revisions during a
//! deployment) are found by bisection on the request-weighted mixture of the CDFs. Floats go
//! through `libm` only (the same bits natively and in wasm).

use super::revision::LatencyMs;
use serde::{Deserialize, Serialize};

/// Standard normal quantiles of 0.9 and 0.99.
const Z90: f64 = 1.281_551_565_545;
const Z99: f64 = 2.326_347_874_041;
/// Spread floor: equal percentiles (p50 = p90) still give a strictly increasing CDF.
const SIGMA_MIN: f64 = 1e-6;
/// Bisection bounds (0.001 ms to 10⁷ ms) and steps (2⁻⁶⁰ of the log range: below f64's
/// precision for these numbers).
const LN_MS_LOW: f64 = -6.907_755_278_982;
const LN_MS_HIGH: f64 = 16.118_095_650_958;
const BISECTION_STEPS: u32 = 60;

/// A revision's latency distribution, ready to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyModel {
    ln_p50: f64,
    ln_p90: f64,
    sigma_low: f64,
    sigma_high: f64,
}

impl LatencyModel {
    pub fn fit(latency: LatencyMs) -> LatencyModel {
        let ln_p50 = libm::log(f64::from(latency.p50.max(1)));
        let ln_p90 = libm::log(f64::from(latency.p90.max(latency.p50).max(1)));
        let ln_p99 = libm::log(f64::from(latency.p99.max(latency.p90).max(1)));
        LatencyModel {
            ln_p50,
            ln_p90,
            sigma_low: ((ln_p90 - ln_p50) / Z90).max(SIGMA_MIN),
            sigma_high: ((ln_p99 - ln_p90) / (Z99 - Z90)).max(SIGMA_MIN),
        }
    }

    /// Share of requests answered within `ms` milliseconds.
    pub fn cdf(&self, ms: f64) -> f64 {
        if ms <= 0.0 {
            return 0.0;
        }
        self.cdf_ln(libm::log(ms))
    }

    fn cdf_ln(&self, ln_ms: f64) -> f64 {
        let z = if ln_ms <= self.ln_p90 {
            (ln_ms - self.ln_p50) / self.sigma_low
        } else {
            Z90 + (ln_ms - self.ln_p90) / self.sigma_high
        };
        normal_cdf(z)
    }
}

/// The `quantile` (0–1) latency in ms of requests served by several revisions, each weighted
/// by its request count. `None` without requests.
pub fn mixture_quantile(components: &[(LatencyModel, u64)], quantile: f64) -> Option<f64> {
    let total: u64 = components.iter().map(|(_, count)| count).sum();
    if total == 0 {
        return None;
    }
    let total = total as f64;
    let cdf = |ln_ms: f64| {
        components
            .iter()
            .filter(|(_, count)| *count > 0)
            .map(|(model, count)| model.cdf_ln(ln_ms) * *count as f64)
            .sum::<f64>()
            / total
    };
    let (mut low, mut high) = (LN_MS_LOW, LN_MS_HIGH);
    for _ in 0..BISECTION_STEPS {
        let middle = 0.5 * (low + high);
        if cdf(middle) < quantile {
            low = middle;
        } else {
            high = middle;
        }
    }
    Some(libm::exp(0.5 * (low + high)))
}

/// p50, p90 and p99 of a mix, in whole microseconds (rounded); `None` without requests. One
/// revision with requests gives its own percentiles without any search.
pub fn mixture_percentiles_us(
    components: &[(LatencyModel, u64)],
    single: Option<LatencyMs>,
) -> Option<[u32; 3]> {
    let with_requests = components.iter().filter(|(_, count)| *count > 0).count();
    if with_requests == 0 {
        return None;
    }
    if let (1, Some(latency)) = (with_requests, single) {
        return Some([latency.p50, latency.p90, latency.p99].map(|ms| ms.saturating_mul(1_000)));
    }
    let mut out = [0u32; 3];
    for (slot, quantile) in out.iter_mut().zip([0.5, 0.9, 0.99]) {
        let ms = mixture_quantile(components, quantile).unwrap_or(0.0);
        *slot = (ms * 1_000.0).round().min(f64::from(u32::MAX)) as u32;
    }
    Some(out)
}

/// Φ(z), the standard normal CDF.
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z * core::f64::consts::FRAC_1_SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: LatencyMs = LatencyMs {
        p50: 20,
        p90: 50,
        p99: 100,
    };
    const SLOW: LatencyMs = LatencyMs {
        p50: 200,
        p90: 500,
        p99: 2_000,
    };

    #[test]
    fn a_single_revision_gives_back_its_percentiles() {
        let model = LatencyModel::fit(FAST);
        for (quantile, expected) in [(0.5, 20.0), (0.9, 50.0), (0.99, 100.0)] {
            let found = mixture_quantile(&[(model, 10)], quantile).unwrap();
            assert!((found - expected).abs() < 1e-6, "{quantile}: {found}");
            assert!((model.cdf(expected) - quantile).abs() < 1e-9);
        }
        assert_eq!(
            mixture_percentiles_us(&[(model, 3)], Some(FAST)),
            Some([20_000, 50_000, 100_000])
        );
        assert_eq!(mixture_percentiles_us(&[(model, 0)], Some(FAST)), None);
    }

    #[test]
    fn a_mix_sits_between_its_revisions_and_follows_request_counts() {
        let fast = LatencyModel::fit(FAST);
        let slow = LatencyModel::fit(SLOW);
        let canary = mixture_percentiles_us(&[(fast, 90), (slow, 10)], None).unwrap();
        let half = mixture_percentiles_us(&[(fast, 50), (slow, 50)], None).unwrap();
        // 10 % slow requests: the median barely moves, p99 is the slow revision's territory.
        assert!(canary[0] > 20_000 && canary[0] < 30_000, "{canary:?}");
        assert!(canary[2] > 500_000, "{canary:?}");
        assert!(half[0] > canary[0] && half[0] < 200_000, "{half:?}");
        assert!(canary[0] <= canary[1] && canary[1] <= canary[2]);
        // Pinned: the same bits on every platform.
        expect_test::expect!["[22096, 90426, 500034]"].assert_eq(&format!("{canary:?}"));
    }

    #[test]
    fn equal_percentiles_are_a_step_not_a_failure() {
        let flat = LatencyModel::fit(LatencyMs {
            p50: 30,
            p90: 30,
            p99: 30,
        });
        let p90 = mixture_quantile(&[(flat, 1)], 0.9).unwrap();
        assert!((p90 - 30.0).abs() < 0.01, "{p90}");
        assert!(flat.cdf(29.0) < 1e-6 && flat.cdf(31.0) > 1.0 - 1e-6);
    }
}
