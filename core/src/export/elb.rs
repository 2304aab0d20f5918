//! What the ELB exports (CloudFormation and the AWS CLI bodies) share: a target group's
//! attributes under their ELB keys, and the placeholder ARNs and DNS names the CLI bodies use
//! where AWS assigns the value at creation.

use crate::discovery::Algorithm;
use crate::scenario::TargetGroupSpec;

pub(crate) const DEREGISTRATION_DELAY: &str = "deregistration_delay.timeout_seconds";
pub(crate) const SLOW_START: &str = "slow_start.duration_seconds";
pub(crate) const ALGORITHM: &str = "load_balancing.algorithm.type";

/// The attributes the scenario sets, as `(key, value)` in ELB's spelling and a fixed order.
pub(super) fn attributes(group: &TargetGroupSpec) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Some(attributes) = &group.attributes else {
        return out;
    };
    if let Some(seconds) = attributes.deregistration_delay_seconds {
        out.push((DEREGISTRATION_DELAY, seconds.to_string()));
    }
    if let Some(seconds) = attributes.slow_start_seconds {
        out.push((SLOW_START, seconds.to_string()));
    }
    if let Some(algorithm) = attributes.algorithm {
        out.push((ALGORITHM, algorithm_name(algorithm).to_string()));
    }
    out
}

pub(super) fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::RoundRobin => "round_robin",
        Algorithm::LeastOutstandingRequests => "least_outstanding_requests",
    }
}
