//! Request-rate profiles: how many requests per second an entry point receives at a simulated
//! time, as a pure, deterministic function (plain arithmetic and `libm::cos`, the same bits
//! natively and in wasm). The scenario's `profile` shapes compile to [`Profile`].

use crate::time::SimTime;
use serde::{Deserialize, Serialize};

pub const DAY_MS: u64 = 24 * 3_600_000;

/// A compiled rate profile: rates in requests per second, times in ms from the run's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Profile {
    /// The same rate all the time.
    Constant { rate: u32 },
    /// `from` at time zero, linearly to `to` at `over_ms`, then `to`.
    Ramp { from: u32, to: u32, over_ms: u64 },
    /// `mean + amplitude × cos(2π (t − peak_at) / 24 h)`: highest at `peak_at_ms` each day,
    /// lowest twelve hours away. `amplitude <= mean` (checked when compiled), so never negative.
    DailyCycle {
        mean: u32,
        amplitude: u32,
        peak_at_ms: u64,
    },
    /// `base`, then `peak` from `at_ms` for `duration_ms`, then `base` again.
    Spike {
        base: u32,
        peak: u32,
        at_ms: u64,
        duration_ms: u64,
    },
}

impl Profile {
    /// Requests per second at `now`.
    pub fn rate_at(&self, now: SimTime) -> f64 {
        let t = now.0;
        match *self {
            Profile::Constant { rate } => f64::from(rate),
            Profile::Ramp { from, to, over_ms } => {
                if t >= over_ms || over_ms == 0 {
                    return f64::from(to);
                }
                let done = t as f64 / over_ms as f64;
                f64::from(from) + (f64::from(to) - f64::from(from)) * done
            }
            Profile::DailyCycle {
                mean,
                amplitude,
                peak_at_ms,
            } => {
                let phase = (t + DAY_MS - peak_at_ms % DAY_MS) % DAY_MS;
                let angle = phase as f64 / DAY_MS as f64 * 2.0 * core::f64::consts::PI;
                (f64::from(mean) + f64::from(amplitude) * libm::cos(angle)).max(0.0)
            }
            Profile::Spike {
                base,
                peak,
                at_ms,
                duration_ms,
            } => {
                if t >= at_ms && t - at_ms < duration_ms {
                    f64::from(peak)
                } else {
                    f64::from(base)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SimTime {
        SimTime::from_secs(seconds)
    }

    #[test]
    fn each_profile_gives_its_rate() {
        assert_eq!(Profile::Constant { rate: 40 }.rate_at(at(999)), 40.0);
        let ramp = Profile::Ramp {
            from: 10,
            to: 110,
            over_ms: 100_000,
        };
        assert_eq!(ramp.rate_at(at(0)), 10.0);
        assert_eq!(ramp.rate_at(at(50)), 60.0);
        assert_eq!(ramp.rate_at(at(100)), 110.0);
        assert_eq!(ramp.rate_at(at(5_000)), 110.0);
        let down = Profile::Ramp {
            from: 100,
            to: 0,
            over_ms: 10_000,
        };
        assert_eq!(down.rate_at(at(5)), 50.0);
        let spike = Profile::Spike {
            base: 5,
            peak: 500,
            at_ms: 60_000,
            duration_ms: 30_000,
        };
        assert_eq!(spike.rate_at(at(59)), 5.0);
        assert_eq!(spike.rate_at(at(60)), 500.0);
        assert_eq!(spike.rate_at(at(89)), 500.0);
        assert_eq!(spike.rate_at(at(90)), 5.0);
    }

    #[test]
    fn a_daily_cycle_peaks_at_its_hour_and_bottoms_twelve_hours_away() {
        let cycle = Profile::DailyCycle {
            mean: 100,
            amplitude: 50,
            peak_at_ms: 14 * 3_600_000,
        };
        assert!((cycle.rate_at(at(14 * 3600)) - 150.0).abs() < 1e-9);
        assert!((cycle.rate_at(at(2 * 3600)) - 50.0).abs() < 1e-9);
        assert!((cycle.rate_at(at(8 * 3600)) - 100.0).abs() < 1e-9);
        // The next day repeats it.
        assert_eq!(
            cycle.rate_at(at(14 * 3600 + 86_400)),
            cycle.rate_at(at(14 * 3600))
        );
        // Pinned bits: a change in the arithmetic changes every trace with traffic.
        expect_test::expect!["0x404abac5bf1531ed"]
            .assert_eq(&format!("{:#x}", cycle.rate_at(at(12_345)).to_bits()));
    }
}
