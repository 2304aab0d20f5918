//! One second of requests through a routing snapshot, as pure functions.
//!
//! The world describes what routes where as a [`RoutingSnapshot`] of flat vectors indexed by
//! ids (entry points and call edges → DNS record sets → listener rules → weighted target groups
//! → targets); this module draws how many requests arrive and splits them down that tree.
//!
//! Randomness, aggregated (never one draw per request), from the traffic stream:
//! - arrivals: one draw per route and second; Poisson by inversion below 30 requests per second,
//!   the normal approximation (`rate + √rate · z`, z from the Irwin–Hall sum of four 16-bit
//!   uniforms of the same draw) above;
//! - splits: systematic sampling — the cumulative shares times the count, offset by one uniform
//!   derived from the route's draw and the node's id (SplitMix64, no extra draw), floored.
//!   Every branch gets the floor or the ceiling of its expected count and the branches sum to
//!   the count exactly;
//! - a revision's 5xx: a carried remainder per target (integer basis points), so a 2 % revision
//!   answers exactly 2 in every 100 requests it serves over time, with no draw at all.

use super::latency::LatencyModel;
use super::revision::TrafficBehaviour;
use crate::hash::splitmix64;
use serde::{Deserialize, Serialize};

/// Arrivals below this rate per second are drawn exactly (Poisson by inversion).
pub const POISSON_RATE_MAX: f64 = 30.0;

/// A target's registration state in its target group (ELB's words, with `Gone` for a target
/// no longer registered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetState {
    /// Registered, no health check passed yet.
    Initial,
    Healthy,
    Unhealthy,
    /// Deregistering: no new requests; in-flight ones finish until `draining_until_ms`.
    Draining,
    /// Deregistered (or its deregistration delay ended).
    Gone,
}

/// One registered target (a task's port in one target group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub state: TargetState,
    /// The task behind the target has stopped (or its container exited) while the target is
    /// still registered: what the load balancer sends it fails with a 502.
    pub task_stopped: bool,
    /// Index into `RoutingSnapshot::revisions`.
    pub revision: u32,
    /// When the target entered its state: slow start counts from becoming healthy, the
    /// deregistration delay from starting to drain.
    pub state_since_ms: u64,
    /// End of the deregistration delay (meaningful while `Draining`).
    pub draining_until_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    RoundRobin,
    /// In steady state least outstanding requests evens out in-flight requests, so a target
    /// receives in inverse proportion to its latency (Little's law): shares ∝ 1 / p50.
    LeastOutstandingRequests,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetGroup {
    /// Range in `RoutingSnapshot::members` (target ids).
    pub members_start: u32,
    pub members_len: u32,
    pub algorithm: Algorithm,
    /// 0: off. Otherwise a newly healthy target's share ramps linearly over this time.
    pub slow_start_ms: u64,
    /// Deleted while a rule still forwards to it.
    pub deleted: bool,
}

/// A listener rule's forward action: weighted target groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Range in `RoutingSnapshot::forwards`.
    pub forwards_start: u32,
    pub forwards_len: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forward {
    pub group: u32,
    /// ALB weights are 0–999; all zero sends nothing.
    pub weight: u32,
}

/// What a DNS answer (one weighted record of a record set) leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// An alias to a load balancer: its listener's rule.
    Rule(u32),
    /// A registry (Cloud Map) answer naming a task's target directly.
    Target(u32),
    /// The answer names a load balancer that no longer exists.
    Gone,
}

/// A weighted record set with its weights history (`dns_cache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSet {
    pub ttl_ms: u64,
    /// Range in `RoutingSnapshot::answers`.
    pub answers_start: u32,
    pub answers_len: u32,
    /// Range in `RoutingSnapshot::record_versions`.
    pub versions_start: u32,
    pub versions_len: u32,
}

/// Where a route's requests enter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A listener (its rule).
    Rule(u32),
    /// A DNS name (its record set).
    Dns(u32),
}

/// How many requests a route receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateSource {
    /// An entry point's clients: no requests before `from_ms` (its `startAt`), then the profile.
    Profile {
        profile: super::profile::Profile,
        from_ms: u64,
    },
    /// Requests reaching targets on route `upstream` (an earlier route) times `per_request`.
    Call {
        upstream: u32,
        per_request_hundredths: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub entry: Entry,
    pub rate: RateSource,
}

/// What the world hands the traffic tick: every list flat, every reference an index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoutingSnapshot {
    /// Calls come after the routes they derive from.
    pub routes: Vec<Route>,
    pub record_sets: Vec<RecordSet>,
    pub answers: Vec<Answer>,
    pub record_versions: Vec<super::dns_cache::RecordVersion>,
    /// Weights of each version, one per answer of its record set.
    pub record_weights: Vec<u8>,
    pub rules: Vec<Rule>,
    pub forwards: Vec<Forward>,
    pub groups: Vec<TargetGroup>,
    pub members: Vec<u32>,
    pub targets: Vec<Target>,
    pub revisions: Vec<TrafficBehaviour>,
    pub clients: crate::scenario::Clients,
}

/// Requests arriving in one second at `rate` per second, from one 64-bit draw.
pub fn arrivals(rate: f64, draw: u64) -> u32 {
    if rate <= 0.0 {
        return 0;
    }
    if rate < POISSON_RATE_MAX {
        let uniform = (draw >> 11) as f64 / (1u64 << 53) as f64;
        let mut probability = libm::exp(-rate);
        let mut cumulative = probability;
        let mut count = 0u32;
        // Bounded: the tail beyond 200 at a rate below 30 is far below f64's resolution.
        while uniform > cumulative && count < 200 {
            count += 1;
            probability *= rate / f64::from(count);
            cumulative += probability;
        }
        return count;
    }
    let sum: f64 = (0..4)
        .map(|part| f64::from(((draw >> (16 * part)) & 0xffff) as u32) / 65_536.0)
        .sum();
    // Irwin–Hall of four uniforms: mean 2, variance 1/3.
    let z = (sum - 2.0) * 3f64.sqrt();
    (rate + rate.sqrt() * z)
        .round()
        .clamp(0.0, f64::from(u32::MAX)) as u32
}

/// The uniform offset in `[0, 1)` for the split at node `node` of a route drawn `draw`.
pub fn split_offset(draw: u64, node: u64) -> f64 {
    (splitmix64(draw ^ node.wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Splits `count` over `weights` by systematic sampling with `offset` in `[0, 1)`, writing
/// counts into `out` (same length). Every count is the floor or ceiling of its expected
/// share; they sum to `count` exactly. All-zero weights give all zeros (the caller decides
/// where those requests go).
pub fn split(count: u32, weights: &[f64], offset: f64, out: &mut [u32]) {
    assert_eq!(weights.len(), out.len(), "one count per weight");
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || count == 0 {
        out.fill(0);
        return;
    }
    let scale = f64::from(count) / total;
    let mut cumulative = 0.0;
    let mut before = offset.floor() as i64;
    let last = weights.len() - 1;
    let mut assigned = 0u32;
    for (index, (slot, weight)) in out.iter_mut().zip(weights).enumerate() {
        cumulative += weight * scale;
        // The last branch takes the exact remainder: float error never loses a request.
        let after = if index == last {
            before + i64::from(count - assigned)
        } else {
            (cumulative + offset).floor() as i64
        };
        let share = (after - before).clamp(0, i64::from(count - assigned)) as u32;
        *slot = share;
        assigned += share;
        before = after;
    }
    assert_eq!(assigned, count, "a split loses no request");
}

/// The weight a target gets in its group's split (0: it receives nothing new), and whether
/// it is in the group's fail-open set.
pub fn target_weight(
    target: &Target,
    group: &TargetGroup,
    inverse_p50: f64,
    now_ms: u64,
    fail_open: bool,
) -> f64 {
    let eligible = match target.state {
        TargetState::Healthy => !fail_open,
        TargetState::Initial | TargetState::Unhealthy => fail_open,
        TargetState::Draining | TargetState::Gone => false,
    };
    if !eligible {
        return 0.0;
    }
    let mut weight = 1.0;
    if group.slow_start_ms > 0 && target.state == TargetState::Healthy {
        let since = now_ms.saturating_sub(target.state_since_ms);
        if since < group.slow_start_ms {
            // A target in slow start still receives a little from its first second.
            weight = (since as f64 / group.slow_start_ms as f64).max(0.01);
        }
    }
    if group.algorithm == Algorithm::LeastOutstandingRequests {
        weight *= inverse_p50;
    }
    weight
}

/// 1 / p50 of a revision, for least outstanding requests.
pub fn inverse_p50(behaviour: &TrafficBehaviour) -> f64 {
    1.0 / f64::from(behaviour.latency_ms.p50.max(1))
}

/// Requests still in flight on a target whose deregistration delay ends now: those of its
/// last second of traffic that take longer than the delay.
pub fn cut_at_drain_end(last_received: u32, delay_ms: u64, latency: &LatencyModel) -> u32 {
    if last_received == 0 {
        return 0;
    }
    let beyond = 1.0 - latency.cdf(delay_ms as f64);
    (f64::from(last_received) * beyond).round() as u32
}

/// A revision's 5xx among `served` requests with the carried remainder `carry` (basis points
/// of a request), updated.
pub fn revision_errors(served: u32, error_rate_basis_points: u32, carry: &mut u32) -> u32 {
    let total = u64::from(*carry) + u64::from(served) * u64::from(error_rate_basis_points);
    let errors = (total / 10_000) as u32;
    *carry = (total % 10_000) as u32;
    errors.min(served)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lose_nothing_and_stay_within_one_of_expected() {
        // Property: random weights, counts and offsets (a fixed generator).
        let mut state = 0x1234_5678_9abc_def0u64;
        for _ in 0..5_000 {
            state = splitmix64(state);
            let branches = 1 + (state % 7) as usize;
            let count = ((state >> 8) % 10_000) as u32;
            let weights: Vec<f64> = (0..branches)
                .map(|i| ((splitmix64(state ^ i as u64) % 1000) as f64) / 7.0)
                .collect();
            let offset = split_offset(state, 3);
            let mut out = vec![0; branches];
            split(count, &weights, offset, &mut out);
            let total: f64 = weights.iter().sum();
            if total == 0.0 {
                assert!(out.iter().all(|&c| c == 0));
                continue;
            }
            assert_eq!(out.iter().sum::<u32>(), count);
            for (got, weight) in out.iter().zip(&weights) {
                let expected = f64::from(count) * weight / total;
                assert!(
                    (f64::from(*got) - expected).abs() < 1.0 + 1e-6,
                    "{out:?} {weights:?} {count}"
                );
            }
        }
    }

    #[test]
    fn small_counts_rotate_over_targets_instead_of_always_hitting_the_first() {
        let mut hits = [0u32; 3];
        for second in 0..3_000u64 {
            let mut out = [0; 3];
            split(
                1,
                &[1.0, 1.0, 1.0],
                split_offset(splitmix64(second), 1),
                &mut out,
            );
            for (hit, got) in hits.iter_mut().zip(out) {
                *hit += got;
            }
        }
        assert!(hits.iter().all(|&h| (900..1_100).contains(&h)), "{hits:?}");
    }

    #[test]
    fn arrivals_average_their_rate_and_are_fixed_by_the_draw() {
        for rate in [0.2, 3.0, 29.0, 31.0, 500.0, 20_000.0] {
            let seconds = 20_000u64;
            let total: u64 = (0..seconds)
                .map(|s| u64::from(arrivals(rate, splitmix64(s))))
                .sum();
            let mean = total as f64 / seconds as f64;
            let tolerance = 4.0 * (rate / seconds as f64).sqrt() + 0.01 * rate;
            assert!((mean - rate).abs() < tolerance, "rate {rate}: mean {mean}");
        }
        assert_eq!(arrivals(0.0, 7), 0);
        expect_test::expect!["[2, 442]"].assert_eq(&format!(
            "{:?}",
            [arrivals(3.0, splitmix64(1)), arrivals(500.0, splitmix64(1))]
        ));
    }

    #[test]
    fn revision_errors_carry_their_remainder_exactly() {
        let mut carry = 0;
        let errors: u32 = (0..100).map(|_| revision_errors(7, 200, &mut carry)).sum();
        // 700 requests at 2 %: exactly 14.
        assert_eq!(errors, 14);
        assert_eq!(revision_errors(5, 10_000, &mut carry), 5);
    }

    #[test]
    fn weights_follow_state_slow_start_and_fail_open() {
        let group = TargetGroup {
            members_start: 0,
            members_len: 0,
            algorithm: Algorithm::RoundRobin,
            slow_start_ms: 60_000,
            deleted: false,
        };
        let target = |state, since| Target {
            state,
            task_stopped: false,
            revision: 0,
            state_since_ms: since,
            draining_until_ms: 0,
        };
        let now = 100_000;
        assert_eq!(
            target_weight(&target(TargetState::Healthy, 0), &group, 1.0, now, false),
            1.0
        );
        assert_eq!(
            target_weight(
                &target(TargetState::Healthy, 70_000),
                &group,
                1.0,
                now,
                false
            ),
            0.5
        );
        assert_eq!(
            target_weight(&target(TargetState::Draining, 0), &group, 1.0, now, false),
            0.0
        );
        assert_eq!(
            target_weight(&target(TargetState::Unhealthy, 0), &group, 1.0, now, false),
            0.0
        );
        assert_eq!(
            target_weight(&target(TargetState::Unhealthy, 0), &group, 1.0, now, true),
            1.0
        );
        assert_eq!(
            target_weight(&target(TargetState::Healthy, 0), &group, 1.0, now, true),
            0.0
        );
    }
}
