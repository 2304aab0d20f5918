//! Simulated time. `SimTime` is an integer count of milliseconds since the scenario started;
//! the core never reads a wall clock. Durations in scenario files are strings such as `90s`,
//! `2m`, `1h30m` or `250ms`, parsed here so that every consumer reads them the same way.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Milliseconds since the start of the simulation.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn from_secs(secs: u64) -> SimTime {
        SimTime(secs.saturating_mul(1000))
    }

    pub fn as_ms(self) -> u64 {
        self.0
    }

    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
}

/// `HH:MM:SS.mmm`; hours keep growing past 99 rather than wrapping.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 % 1000;
        let total_secs = self.0 / 1000;
        let (hours, minutes, secs) = (total_secs / 3600, (total_secs / 60) % 60, total_secs % 60);
        write!(f, "{hours:02}:{minutes:02}:{secs:02}.{ms:03}")
    }
}

/// Longest duration a scenario may name: 400 days. Keeps arithmetic far from overflow.
pub const DURATION_MS_MAX: u64 = 400 * 24 * 3600 * 1000;

/// Parses `250ms`, `90s`, `2m`, `1h30m`, `1d`; components in any order of units, each once.
/// A bare number is rejected so that `"30"` is never silently read as 30 ms or 30 s.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(
            "expected a duration such as \"30s\", \"5m\" or \"1h30m\", found an empty string"
                .into(),
        );
    }
    // Messages quote the text cut short: a megabyte of it is never repeated.
    let quoted = || crate::json_input::cut(trimmed);
    let bytes = trimmed.as_bytes();
    let mut total_ms: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let digits_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if digits_start == i {
            return Err(format!(
                "expected a number at position {} of duration {}",
                i + 1,
                quoted()
            ));
        }
        let number: u64 = trimmed[digits_start..i]
            .parse()
            .map_err(|_| format!("number too large in duration {}", quoted()))?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit_ms: u64 = match &trimmed[unit_start..i] {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "" => {
                return Err(format!(
                    "missing unit after {number} in duration {}; use ms, s, m, h or d",
                    quoted()
                ))
            }
            other => {
                return Err(format!(
                    "unknown unit {} in duration {}; use ms, s, m, h or d",
                    crate::json_input::cut(other),
                    quoted()
                ))
            }
        };
        total_ms = number
            .checked_mul(unit_ms)
            .and_then(|ms| total_ms.checked_add(ms))
            .filter(|&ms| ms <= DURATION_MS_MAX)
            .ok_or_else(|| format!("duration {} is longer than the limit of 400 days", quoted()))?;
    }
    Ok(total_ms)
}

/// Inverse of [`parse_duration`] for display and export: `90000` → `1m30s`.
pub fn format_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    let mut rest = ms;
    for (unit, unit_ms) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ] {
        if rest >= unit_ms {
            out.push_str(&format!("{}{unit}", rest / unit_ms));
            rest %= unit_ms;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_durations() {
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(format_duration(5_400_000), "1h30m");
        assert_eq!(format_duration(90_250), "1m30s250ms");
        for ms in [1, 999, 1000, 61_001, 86_400_000, 90_061_001] {
            assert_eq!(parse_duration(&format_duration(ms)), Ok(ms));
        }
    }

    #[test]
    fn rejects_bad_durations_with_a_reason() {
        assert!(parse_duration("30").unwrap_err().contains("missing unit"));
        assert!(parse_duration("5x")
            .unwrap_err()
            .contains("unknown unit \"x\""));
        assert!(parse_duration("").unwrap_err().contains("empty"));
        assert!(parse_duration("s")
            .unwrap_err()
            .contains("expected a number"));
        assert!(parse_duration("99999999999999999999s")
            .unwrap_err()
            .contains("too large"));
        assert!(parse_duration("500d").unwrap_err().contains("400 days"));
    }

    #[test]
    fn displays_clock() {
        assert_eq!(SimTime(0).to_string(), "00:00:00.000");
        assert_eq!(SimTime(3_723_004).to_string(), "01:02:03.004");
    }
}
