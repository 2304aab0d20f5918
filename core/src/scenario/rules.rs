//! Single-value rules of the scenario file that need no other part of it: Availability Zone
//! and AMI ID shapes, custom attributes (§1.7), `API:DeploymentConfiguration` ranges and the
//! run's `duration`. The compiler (`compile.rs`) applies them with each value's path; the
//! service and deploy editors apply `deployment_configuration_problems` too, so all agree.

use crate::problem::Problem;
use crate::service::{DeploymentConfiguration, ThresholdType};
use crate::time::{format_duration, parse_duration, SimTime};

/// Longest run a scenario may ask for: 30 days, so a batch run over per-minute work stays
/// bounded (the general duration limit, 400 days, is for single delays).
pub const DURATION_MS_MAX: u64 = 30 * 24 * 3600 * 1000;

/// Assumption: a file without `duration` runs for one hour after its last timeline entry (one
/// hour if it has none). Every scenario written before `duration` existed settles well within
/// that, and an action saved at any time is still reached.
pub const DURATION_DEFAULT_AFTER_TIMELINE_MS: u64 = 3600 * 1000;

/// The run horizon from `duration` (path `duration`), or the default after `last_action_ms`.
pub fn horizon(duration: Option<&str>, last_action_ms: u64) -> Result<SimTime, Problem> {
    let Some(text) = duration else {
        return Ok(SimTime(
            last_action_ms.saturating_add(DURATION_DEFAULT_AFTER_TIMELINE_MS),
        ));
    };
    let ms = parse_duration(text).map_err(|message| Problem::new("duration", message))?;
    if ms == 0 {
        return Err(Problem::new(
            "duration",
            "must be longer than 0s: it is how long a run of the scenario lasts",
        ));
    }
    if ms > DURATION_MS_MAX {
        return Err(Problem::new(
            "duration",
            format!(
                "{} is longer than the limit of {}",
                crate::json_input::cut(text),
                format_duration(DURATION_MS_MAX)
            ),
        ));
    }
    Ok(SimTime(ms))
}

/// Rules of `API:DeploymentConfiguration` the sandbox checks, paths relative to the
/// configuration (`maximumPercent`).
pub fn deployment_configuration_check(
    config: &DeploymentConfiguration,
    daemon: bool,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |field: &str, message: String| problems.push(Problem::new(field, message));
    if let Some(min) = config.minimum_healthy_percent.filter(|min| *min > 100) {
        push(
            "minimumHealthyPercent",
            format!("must be a whole number from 0 to 100, found {min}"),
        );
    }
    match config.maximum_percent {
        Some(max) if daemon && max != 100 => push(
            "maximumPercent",
            format!("DAEMON services require 100, found {max}"),
        ),
        Some(max) if !(100..=PERCENT_MAX).contains(&max) => push(
            "maximumPercent",
            format!("must be a whole number from 100 to {PERCENT_MAX}, found {max}"),
        ),
        _ => {}
    }
    if let Some(breaker) = &config.deployment_circuit_breaker {
        if let Some(threshold) = &breaker.threshold_configuration {
            match (threshold.kind, threshold.value) {
                (ThresholdType::Count, Some(0)) => push(
                    "deploymentCircuitBreaker.thresholdConfiguration.value",
                    "a COUNT threshold must be at least 1".into(),
                ),
                (_, Some(value)) if value > PERCENT_MAX => push(
                    "deploymentCircuitBreaker.thresholdConfiguration.value",
                    format!("must be at most {PERCENT_MAX}"),
                ),
                _ => {}
            }
        }
    }
    if let Some(alarms) = &config.alarms {
        if alarms.alarm_names.is_empty() {
            push("alarms.alarmNames", "name at least one alarm".into());
        }
        for (i, name) in alarms.alarm_names.iter().enumerate() {
            if name.trim().is_empty() || name.len() > 255 {
                push(
                    &format!("alarms.alarmNames[{i}]"),
                    "must be 1-255 characters".into(),
                );
            }
        }
    }
    if let Some(minutes) = config.bake_time_in_minutes.filter(|m| *m > 1440) {
        push(
            "bakeTimeInMinutes",
            format!("must be a whole number from 0 to 1440, found {minutes}"),
        );
    }
    problems
}

/// [`deployment_configuration_check`] as `(field, message)` pairs (the editors take these).
pub fn deployment_configuration_problems(
    config: &DeploymentConfiguration,
    daemon: bool,
) -> Vec<(String, String)> {
    deployment_configuration_check(config, daemon)
        .into_iter()
        .map(Problem::into_pair)
        .collect()
}

/// Largest percent value the sandbox accepts (keeps bound arithmetic small).
pub const PERCENT_MAX: u32 = 10_000;

/// `us-east-1a`: region letters, a digit, and a zone letter.
pub(super) fn valid_availability_zone(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts.last().is_some_and(|last| {
            let bytes = last.as_bytes();
            bytes.len() >= 2
                && bytes[..bytes.len() - 1].iter().all(u8::is_ascii_digit)
                && bytes[bytes.len() - 1].is_ascii_lowercase()
        })
}

/// EC2's AMI ID format: `ami-` and 8 or 17 lowercase hex digits (what CloudFormation checks).
pub(super) fn valid_ami_id(ami: &str) -> bool {
    ami.strip_prefix("ami-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Custom attribute rules (§1.7): name 1–128 of `[A-Za-z0-9-_/.]`; value 1–128 of letters,
/// digits, `- _ . @ / \ :` and space, no leading or trailing whitespace.
pub(super) fn check_custom_attribute(name: &str, value: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 128
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_/.".contains(&b))
    {
        return Err(
            "attribute names are 1-128 letters, digits, hyphens, underscores, slashes or periods"
                .into(),
        );
    }
    if name.starts_with("ecs.") {
        return Err("names starting with ecs. are reserved for built-in attributes".into());
    }
    if value.len() > 128
        || value.trim() != value
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.@/\\: ".contains(&b))
    {
        return Err(format!(
            "value {} must be up to 128 letters, digits, spaces or - _ . @ / \\ : without leading or trailing spaces",
            crate::json_input::cut(value)
        ));
    }
    Ok(())
}
