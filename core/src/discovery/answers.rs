//! Who gets the traffic, as pure decisions: which targets of a target group receive new
//! requests (healthy and not draining; fail-open when every target is unhealthy, §5.1), the
//! shares of Route 53 weighted records (weight / sum; all zero = equal; §5.2), and Cloud Map
//! MULTIVALUE answers (at most 8 healthy; all unhealthy ⇒ up to 8 unhealthy; §5.3). Random
//! choices draw from the caller's stream (the world passes its DNS-clients stream), so the
//! same seed gives the same answers natively and in wasm. None of these allocates per target
//! except the answers themselves.

use super::TargetHealthState;
use crate::rng::SimRng;

/// Cloud Map returns at most this many records in a MULTIVALUE answer (§5.3).
pub const MULTIVALUE_ANSWERS_MAX: usize = 8;

/// Weighted shares are parts of this (exact integers: no floats in the core).
pub const SHARE_SCALE: u32 = 1_000_000;

/// Which targets of a target group receive new requests, decided from their states alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// Only the healthy targets.
    Healthy,
    /// No target is healthy and some are unhealthy: the load balancer fails open and routes
    /// to every unhealthy target (§5.1).
    FailOpen,
    /// No target can take a request (none registered, or all initial or draining): 503.
    Nothing,
}

impl Routing {
    /// Whether a target in `state` receives new requests under this routing.
    pub fn routes_to(self, state: TargetHealthState) -> bool {
        match self {
            Routing::Healthy => state == TargetHealthState::Healthy,
            Routing::FailOpen => state == TargetHealthState::Unhealthy,
            Routing::Nothing => false,
        }
    }
}

/// How a target group with targets in these states routes. Assumption (ELB docs speak of "only
/// unhealthy targets"): fail-open applies when no target is healthy and at least one is
/// unhealthy; targets still in `initial` and `draining` ones never receive new requests.
pub fn routable_targets(states: impl IntoIterator<Item = TargetHealthState>) -> Routing {
    let mut unhealthy = false;
    for state in states {
        match state {
            TargetHealthState::Healthy => return Routing::Healthy,
            TargetHealthState::Unhealthy => unhealthy = true,
            TargetHealthState::Initial | TargetHealthState::Draining => {}
        }
    }
    if unhealthy {
        Routing::FailOpen
    } else {
        Routing::Nothing
    }
}

/// Each weighted record's share of the answers, in parts of [`SHARE_SCALE`], in the order
/// given: weight / Σ weights; a record of weight 0 gets nothing unless every weight is 0, when
/// all share equally (§5.2). The shares add up to `SHARE_SCALE` exactly (largest remainder,
/// ties to the earlier record); empty input gives an empty answer.
pub fn weighted_shares(weights: &[u32]) -> Vec<u32> {
    if weights.is_empty() {
        return Vec::new();
    }
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let effective: Vec<u64> = if total == 0 {
        vec![1; weights.len()]
    } else {
        weights.iter().map(|&w| u64::from(w)).collect()
    };
    let total: u64 = effective.iter().sum();
    let scale = u64::from(SHARE_SCALE);
    let mut shares: Vec<u32> = effective
        .iter()
        .map(|&w| (w * scale / total) as u32)
        .collect();
    let mut left = SHARE_SCALE - shares.iter().sum::<u32>();
    // Hand out what rounding down left, largest remainder first.
    let mut order: Vec<usize> = (0..effective.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(effective[i] * scale % total));
    for &i in order.iter().cycle().take(effective.len() * 2) {
        if left == 0 {
            break;
        }
        if effective[i] > 0 {
            shares[i] += 1;
            left -= 1;
        }
    }
    shares
}

/// One weighted choice (a DNS resolver answering one query): the index of the chosen record,
/// with probability weight / Σ weights, or uniformly when all weights are 0; `None` for none.
pub fn pick_weighted(weights: &[u32], rng: &mut SimRng) -> Option<u32> {
    if weights.is_empty() {
        return None;
    }
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if total == 0 {
        return Some(rng.below(weights.len() as u32));
    }
    // Σ weights ≤ 100 records × 255 (§5.2), far below u32::MAX.
    let mut draw = u64::from(rng.below(total.min(u64::from(u32::MAX)) as u32));
    for (index, &weight) in weights.iter().enumerate() {
        if draw < u64::from(weight) {
            return Some(index as u32);
        }
        draw -= u64::from(weight);
    }
    None
}

/// A Cloud Map MULTIVALUE answer over the registered instances (positions in `healthy`):
/// every healthy instance when there are at most 8; else 8 of them chosen at random; with no
/// healthy instance, up to 8 of the unhealthy ones the same way (§5.3). `healthy[i]` is the
/// health of instance `i`; the answer lists positions, ascending.
pub fn multivalue_answer(healthy: &[bool], rng: &mut SimRng) -> Vec<u32> {
    let any_healthy = healthy.iter().any(|&h| h);
    let mut candidates: Vec<u32> = healthy
        .iter()
        .enumerate()
        .filter(|&(_, &h)| h == any_healthy)
        .map(|(i, _)| i as u32)
        .collect();
    if candidates.len() > MULTIVALUE_ANSWERS_MAX {
        // Partial Fisher–Yates: the first 8 places get a uniform sample.
        for place in 0..MULTIVALUE_ANSWERS_MAX {
            let left = (candidates.len() - place) as u32;
            let pick = place + rng.below(left) as usize;
            candidates.swap(place, pick);
        }
        candidates.truncate(MULTIVALUE_ANSWERS_MAX);
        candidates.sort_unstable();
    }
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;
    use TargetHealthState::*;

    #[test]
    fn healthy_targets_take_the_traffic_and_draining_ones_never() {
        let routing = routable_targets([Healthy, Unhealthy, Draining, Initial]);
        assert_eq!(routing, Routing::Healthy);
        assert!(routing.routes_to(Healthy));
        assert!(!routing.routes_to(Unhealthy));
        assert!(!routing.routes_to(Draining));
        assert!(!routing.routes_to(Initial));
    }

    #[test]
    fn all_unhealthy_fails_open_to_every_unhealthy_target() {
        let routing = routable_targets([Unhealthy, Draining, Unhealthy]);
        assert_eq!(routing, Routing::FailOpen);
        assert!(routing.routes_to(Unhealthy));
        assert!(!routing.routes_to(Draining));
    }

    #[test]
    fn no_target_or_only_initial_and_draining_ones_route_nowhere() {
        assert_eq!(routable_targets([]), Routing::Nothing);
        assert_eq!(routable_targets([Initial, Draining]), Routing::Nothing);
    }

    #[test]
    fn weighted_shares_are_weight_over_sum_and_add_up_exactly() {
        assert_eq!(weighted_shares(&[1, 3]), vec![250_000, 750_000]);
        assert_eq!(weighted_shares(&[1, 1, 1]), vec![333_334, 333_333, 333_333]);
        assert_eq!(weighted_shares(&[255, 0]), vec![SHARE_SCALE, 0]);
        assert_eq!(weighted_shares(&[]), Vec::<u32>::new());
    }

    #[test]
    fn all_zero_weights_share_equally_and_a_zero_weight_never_answers_otherwise() {
        assert_eq!(weighted_shares(&[0, 0]), vec![500_000, 500_000]);
        let mut rng = SimRng::from_seed(7);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[pick_weighted(&[0, 1, 2], &mut rng).unwrap() as usize] += 1;
        }
        assert_eq!(seen[0], 0);
        // Two to one, within noise.
        assert!((1800..2200).contains(&seen[2]), "{seen:?}");
        let mut zero = [0u32; 2];
        for _ in 0..1000 {
            zero[pick_weighted(&[0, 0], &mut rng).unwrap() as usize] += 1;
        }
        assert!(zero[0] > 400 && zero[1] > 400, "{zero:?}");
        assert_eq!(pick_weighted(&[], &mut rng), None);
    }

    #[test]
    fn multivalue_returns_every_healthy_instance_up_to_eight() {
        let mut rng = SimRng::from_seed(1);
        let healthy = [true, false, true, true];
        assert_eq!(multivalue_answer(&healthy, &mut rng), vec![0, 2, 3]);
        let many = [true; 20];
        let answer = multivalue_answer(&many, &mut rng);
        assert_eq!(answer.len(), MULTIVALUE_ANSWERS_MAX);
        assert!(answer.windows(2).all(|w| w[0] < w[1]));
        // The same seed gives the same eight.
        let again = multivalue_answer(&many, &mut SimRng::from_seed(1));
        let first = multivalue_answer(&many, &mut SimRng::from_seed(1));
        assert_eq!(again, first);
    }

    #[test]
    fn multivalue_with_no_healthy_instance_answers_up_to_eight_unhealthy() {
        let mut rng = SimRng::from_seed(3);
        assert_eq!(multivalue_answer(&[false, false], &mut rng), vec![0, 1]);
        let answer = multivalue_answer(&[false; 12], &mut rng);
        assert_eq!(answer.len(), 8);
        assert_eq!(multivalue_answer(&[], &mut rng), Vec::<u32>::new());
    }
}
