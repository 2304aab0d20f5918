//! The one entry point the world calls each simulated second: [`tick`] draws the second's
//! requests of every route, splits them over the [`RoutingSnapshot`], and adds the outcomes
//! to the [`TrafficState`]: per-target load, per-minute counters, hazard intervals.
//!
//! Allocation-free in steady state: every per-id value lives in flat vectors sized to the
//! snapshot (grown only when the snapshot grows), and the splits write into scratch vectors
//! kept in the state. Draws: one `next_u64` per route per second from the traffic stream, so
//! the trace of a run depends only on the seed and the snapshots.

use super::counters::{Counters, GroupAccumulator, RouteMinute};
use super::dns_cache::answer_shares;
use super::flow::{
    arrivals, cut_at_drain_end, inverse_p50, revision_errors, split, split_offset, target_weight,
    Answer, Entry, RateSource, RoutingSnapshot, TargetState,
};
use super::hazards::{HazardCause, HazardTracker};
use super::latency::LatencyModel;
use crate::rng::SimRng;
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// What one second of traffic did, for the world's trace and the CLI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TickSummary {
    pub requests: u64,
    pub count_2xx: u64,
    pub target_5xx: u64,
    pub elb_5xx: u64,
    pub dns_failures: u64,
    /// Requests cut when a deregistration delay ended this second (502s for requests that
    /// arrived earlier and were counted then).
    pub drain_cut: u64,
    /// Hazard intervals open after this second.
    pub hazards_open: u32,
}

impl TickSummary {
    /// Every request of the second lands in exactly one class: this equals `requests`.
    pub fn classes(&self) -> u64 {
        self.count_2xx + self.target_5xx + self.elb_5xx + self.dns_failures
    }
}

/// Everything traffic remembers between seconds. Serializable for world snapshots (the
/// scratch vectors are not kept: they are refilled every second).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TrafficState {
    /// Per route: requests that reached a target last second (calls derive from it).
    route_reached: Vec<u32>,
    /// Per target.
    error_carry: Vec<u32>,
    received: Vec<u32>,
    last_nonzero_received: Vec<u32>,
    minute_received: Vec<u32>,
    last_minute_received: Vec<u32>,
    /// Per revision.
    models: Vec<LatencyModel>,
    inverse_p50: Vec<f64>,
    /// Minutes in progress.
    group_minutes: Vec<GroupAccumulator>,
    route_minutes: Vec<RouteMinute>,
    hosts: Vec<(u32, u32)>,
    current_minute: Option<u32>,
    pub counters: Counters,
    pub hazards: HazardTracker,
    /// Scratch, reused every second.
    #[serde(skip)]
    observations: Vec<(HazardCause, u32)>,
    #[serde(skip)]
    answer_weights: Vec<f64>,
    #[serde(skip)]
    answer_counts: Vec<u32>,
    #[serde(skip)]
    version_scratch: Vec<f64>,
    #[serde(skip)]
    forward_weights: Vec<f64>,
    #[serde(skip)]
    forward_counts: Vec<u32>,
    #[serde(skip)]
    target_weights: Vec<f64>,
    #[serde(skip)]
    target_counts: Vec<u32>,
}

impl TrafficState {
    /// Requests per second target `target` received over the last full minute (its task's
    /// load, for CPU utilization: × the revision's `cpu_per_request_us`).
    pub fn target_load_per_second(&self, target: u32) -> f64 {
        f64::from(
            self.last_minute_received
                .get(target as usize)
                .copied()
                .unwrap_or(0),
        ) / 60.0
    }

    /// Requests target `target` received in the last second.
    pub fn target_received(&self, target: u32) -> u32 {
        self.received.get(target as usize).copied().unwrap_or(0)
    }

    /// Heap bytes of the per-id vectors and scratch (not the counters' history).
    pub fn heap_bytes(&self) -> usize {
        use core::mem::size_of;
        let u32s = self.route_reached.capacity()
            + self.error_carry.capacity()
            + self.received.capacity()
            + self.last_nonzero_received.capacity()
            + self.minute_received.capacity()
            + self.last_minute_received.capacity()
            + self.answer_counts.capacity()
            + self.forward_counts.capacity()
            + self.target_counts.capacity();
        let f64s = self.inverse_p50.capacity()
            + self.answer_weights.capacity()
            + self.version_scratch.capacity()
            + self.forward_weights.capacity()
            + self.target_weights.capacity();
        u32s * 4
            + f64s * 8
            + self.models.capacity() * size_of::<LatencyModel>()
            + self.group_minutes.capacity() * size_of::<GroupAccumulator>()
            + self.route_minutes.capacity() * size_of::<RouteMinute>()
            + self.hosts.capacity() * 8
            + self.observations.capacity() * size_of::<(HazardCause, u32)>()
    }

    /// Grows the per-id vectors to the snapshot (never shrinks: ids are never reused).
    fn fit(&mut self, snapshot: &RoutingSnapshot) {
        let grow_u32 = |v: &mut Vec<u32>, len: usize| {
            if v.len() < len {
                v.resize(len, 0);
            }
        };
        grow_u32(&mut self.route_reached, snapshot.routes.len());
        for v in [
            &mut self.error_carry,
            &mut self.received,
            &mut self.last_nonzero_received,
            &mut self.minute_received,
            &mut self.last_minute_received,
        ] {
            grow_u32(v, snapshot.targets.len());
        }
        while self.models.len() < snapshot.revisions.len() {
            let behaviour = &snapshot.revisions[self.models.len()];
            self.models.push(LatencyModel::fit(behaviour.latency_ms));
            self.inverse_p50.push(inverse_p50(behaviour));
        }
        if self.group_minutes.len() < snapshot.groups.len() {
            self.group_minutes
                .resize(snapshot.groups.len(), GroupAccumulator::EMPTY);
            self.hosts.resize(snapshot.groups.len(), (0, 0));
        }
        if self.route_minutes.len() < snapshot.routes.len() {
            self.route_minutes
                .resize(snapshot.routes.len(), RouteMinute::default());
        }
    }
}

/// One simulated second of traffic at `now` (a whole second).
pub fn tick(
    now: SimTime,
    snapshot: &RoutingSnapshot,
    state: &mut TrafficState,
    rng: &mut SimRng,
) -> TickSummary {
    state.fit(snapshot);
    let now_ms = now.0;
    let second = now_ms / 1_000;
    let minute = (second / 60) as u32;
    match state.current_minute {
        Some(current) if current != minute => {
            close_minute(state, snapshot, current);
            state.current_minute = Some(minute);
        }
        None => state.current_minute = Some(minute),
        Some(_) => {}
    }
    state.received.fill(0);
    state.observations.clear();
    let mut summary = TickSummary::default();
    for (route_id, route) in snapshot.routes.iter().enumerate() {
        let rate = match route.rate {
            RateSource::Profile { from_ms, .. } if now.0 < from_ms => 0.0,
            RateSource::Profile { profile, .. } => profile.rate_at(now),
            RateSource::Call {
                upstream,
                per_request_hundredths,
            } => {
                f64::from(state.route_reached[upstream as usize])
                    * f64::from(per_request_hundredths)
                    / 100.0
            }
        };
        let draw = rng.next_u64();
        let count = arrivals(rate, draw);
        let mut outcome = RouteMinute {
            requests: count,
            ..RouteMinute::default()
        };
        match route.entry {
            Entry::Rule(rule) => send_to_rule(
                snapshot,
                state,
                rule,
                count,
                draw,
                None,
                now_ms,
                &mut outcome,
            ),
            Entry::Dns(record_set) => send_by_dns(
                snapshot,
                state,
                record_set,
                count,
                draw,
                now_ms,
                &mut outcome,
            ),
        }
        assert_eq!(
            outcome.count_2xx + outcome.target_5xx + outcome.elb_5xx + outcome.dns_failures,
            count,
            "every request of route {route_id} lands in exactly one class"
        );
        state.route_reached[route_id] = outcome.count_2xx + outcome.target_5xx;
        let minute_route = &mut state.route_minutes[route_id];
        minute_route.requests += outcome.requests;
        minute_route.count_2xx += outcome.count_2xx;
        minute_route.target_5xx += outcome.target_5xx;
        minute_route.elb_5xx += outcome.elb_5xx;
        minute_route.dns_failures += outcome.dns_failures;
        summary.requests += u64::from(count);
        summary.count_2xx += u64::from(outcome.count_2xx);
        summary.target_5xx += u64::from(outcome.target_5xx);
        summary.elb_5xx += u64::from(outcome.elb_5xx);
        summary.dns_failures += u64::from(outcome.dns_failures);
    }
    // Targets: load, and requests cut when a deregistration delay ends this second.
    for (id, target) in snapshot.targets.iter().enumerate() {
        let received = state.received[id];
        state.minute_received[id] += received;
        if received > 0 {
            state.last_nonzero_received[id] = received;
        }
        if target.state == TargetState::Draining
            && target.draining_until_ms <= now_ms
            && target.draining_until_ms + 1_000 > now_ms
        {
            let delay_ms = target
                .draining_until_ms
                .saturating_sub(target.state_since_ms);
            let model = &state.models[target.revision as usize];
            let cut = cut_at_drain_end(state.last_nonzero_received[id], delay_ms, model);
            if cut > 0 {
                state
                    .observations
                    .push((HazardCause::DrainedPastDelay { target: id as u32 }, cut));
                summary.drain_cut += u64::from(cut);
            }
        }
    }
    state.hazards.observe_second(second, &state.observations);
    summary.hazards_open = state.hazards.open().len() as u32;
    summary
}

/// Closes `minute`: host counts per group, then the counters' records.
fn close_minute(state: &mut TrafficState, snapshot: &RoutingSnapshot, minute: u32) {
    for (group_id, group) in snapshot.groups.iter().enumerate() {
        let start = group.members_start as usize;
        let members = &snapshot.members[start..start + group.members_len as usize];
        let mut hosts = (0, 0);
        for &member in members {
            match snapshot.targets[member as usize].state {
                TargetState::Healthy => hosts.0 += 1,
                TargetState::Unhealthy => hosts.1 += 1,
                _ => {}
            }
        }
        state.hosts[group_id] = hosts;
    }
    let groups = snapshot.groups.len();
    let routes = snapshot.routes.len();
    state.counters.close_minute(
        minute,
        &mut state.group_minutes[..groups],
        &state.hosts[..groups],
        &mut state.route_minutes[..routes],
        &snapshot.revisions,
        &state.models,
    );
    for (last, current) in state
        .last_minute_received
        .iter_mut()
        .zip(state.minute_received.iter_mut())
    {
        *last = *current;
        *current = 0;
    }
}

fn send_by_dns(
    snapshot: &RoutingSnapshot,
    state: &mut TrafficState,
    record_set: u32,
    count: u32,
    draw: u64,
    now_ms: u64,
    outcome: &mut RouteMinute,
) {
    let set = snapshot.record_sets[record_set as usize];
    let answers = set.answers_len as usize;
    let versions_start = set.versions_start as usize;
    let versions =
        &snapshot.record_versions[versions_start..versions_start + set.versions_len as usize];
    let mut answer_weights = std::mem::take(&mut state.answer_weights);
    let mut answer_counts = std::mem::take(&mut state.answer_counts);
    let mut version_scratch = std::mem::take(&mut state.version_scratch);
    answer_weights.resize(answers, 0.0);
    answer_counts.resize(answers, 0);
    version_scratch.resize(versions.len(), 0.0);
    answer_shares(
        now_ms,
        versions,
        &snapshot.record_weights,
        set.ttl_ms,
        snapshot.clients,
        &mut version_scratch[..versions.len()],
        &mut answer_weights[..answers],
    );
    split(
        count,
        &answer_weights[..answers],
        split_offset(draw, u64::from(record_set) << 32),
        &mut answer_counts[..answers],
    );
    let current = versions[versions.len() - 1];
    let current_weights = &snapshot.record_weights
        [current.weights_start as usize..(current.weights_start + current.weights_len) as usize];
    let current_total: u32 = current_weights.iter().map(|&w| u32::from(w)).sum();
    for answer in 0..answers {
        let requests = answer_counts[answer];
        if requests == 0 {
            continue;
        }
        let stale = current_total > 0 && current_weights[answer] == 0;
        let stale_cause = stale.then_some(HazardCause::StaleDnsAnswer {
            record_set,
            answer: answer as u32,
        });
        match snapshot.answers[set.answers_start as usize + answer] {
            Answer::Rule(rule) => send_to_rule(
                snapshot,
                state,
                rule,
                requests,
                draw,
                stale_cause,
                now_ms,
                outcome,
            ),
            Answer::Target(target) => {
                let t = snapshot.targets[target as usize];
                if t.task_stopped || t.state == TargetState::Gone {
                    outcome.dns_failures += requests;
                    let cause =
                        stale_cause.unwrap_or(HazardCause::RegistryAnswerStoppedTask { target });
                    state.observations.push((cause, requests));
                } else {
                    let behaviour = snapshot.revisions[t.revision as usize];
                    let errors = revision_errors(
                        requests,
                        behaviour.error_rate_basis_points,
                        &mut state.error_carry[target as usize],
                    );
                    state.received[target as usize] += requests;
                    outcome.count_2xx += requests - errors;
                    outcome.target_5xx += errors;
                }
            }
            Answer::Gone => {
                outcome.dns_failures += requests;
                let cause = stale_cause.unwrap_or(HazardCause::AnswerNamesMissingLoadBalancer {
                    record_set,
                    answer: answer as u32,
                });
                state.observations.push((cause, requests));
            }
        }
    }
    state.answer_weights = answer_weights;
    state.answer_counts = answer_counts;
    state.version_scratch = version_scratch;
}

#[allow(clippy::too_many_arguments)] // one call site per entry kind; a struct would only rename them
fn send_to_rule(
    snapshot: &RoutingSnapshot,
    state: &mut TrafficState,
    rule: u32,
    count: u32,
    draw: u64,
    stale_cause: Option<HazardCause>,
    now_ms: u64,
    outcome: &mut RouteMinute,
) {
    if count == 0 {
        return;
    }
    let rule_spec = snapshot.rules[rule as usize];
    let start = rule_spec.forwards_start as usize;
    let forwards = &snapshot.forwards[start..start + rule_spec.forwards_len as usize];
    let mut weights = std::mem::take(&mut state.forward_weights);
    let mut counts = std::mem::take(&mut state.forward_counts);
    weights.clear();
    weights.extend(forwards.iter().map(|f| f64::from(f.weight)));
    counts.clear();
    counts.resize(forwards.len(), 0);
    split(
        count,
        &weights,
        split_offset(draw, (1 << 62) | u64::from(rule)),
        &mut counts,
    );
    if counts.iter().sum::<u32>() < count {
        // Every weight zero (or no forward at all): the load balancer has nowhere to send.
        let lost = count - counts.iter().sum::<u32>();
        outcome.elb_5xx += lost;
        let cause = forwards
            .first()
            .map(|f| HazardCause::EmptyTargetGroup { group: f.group })
            .unwrap_or(HazardCause::EmptyTargetGroup { group: u32::MAX });
        state
            .observations
            .push((stale_cause.unwrap_or(cause), lost));
    }
    for (forward, &requests) in forwards.iter().zip(counts.iter()) {
        if requests > 0 {
            send_to_group(
                snapshot,
                state,
                forward.group,
                requests,
                draw,
                stale_cause,
                now_ms,
                outcome,
            );
        }
    }
    state.forward_weights = weights;
    state.forward_counts = counts;
}

#[allow(clippy::too_many_arguments)] // the same arguments as send_to_rule, one level down
fn send_to_group(
    snapshot: &RoutingSnapshot,
    state: &mut TrafficState,
    group_id: u32,
    count: u32,
    draw: u64,
    stale_cause: Option<HazardCause>,
    now_ms: u64,
    outcome: &mut RouteMinute,
) {
    let group = snapshot.groups[group_id as usize];
    let accumulator = &mut state.group_minutes[group_id as usize];
    accumulator.requests += count;
    if group.deleted {
        accumulator.elb_5xx += count;
        outcome.elb_5xx += count;
        let cause = HazardCause::DeletedTargetGroup { group: group_id };
        state
            .observations
            .push((stale_cause.unwrap_or(cause), count));
        return;
    }
    let start = group.members_start as usize;
    let members = &snapshot.members[start..start + group.members_len as usize];
    let mut weights = std::mem::take(&mut state.target_weights);
    let mut counts = std::mem::take(&mut state.target_counts);
    let mut fail_open = false;
    let mut total = fill_weights(
        snapshot,
        &state.inverse_p50,
        &group,
        members,
        now_ms,
        false,
        &mut weights,
    );
    if total <= 0.0 {
        fail_open = true;
        total = fill_weights(
            snapshot,
            &state.inverse_p50,
            &group,
            members,
            now_ms,
            true,
            &mut weights,
        );
    }
    let accumulator = &mut state.group_minutes[group_id as usize];
    if total <= 0.0 {
        accumulator.elb_5xx += count;
        outcome.elb_5xx += count;
        let cause = HazardCause::EmptyTargetGroup { group: group_id };
        state
            .observations
            .push((stale_cause.unwrap_or(cause), count));
    } else {
        if fail_open {
            let cause = HazardCause::AllTargetsUnhealthy { group: group_id };
            state
                .observations
                .push((stale_cause.unwrap_or(cause), count));
        }
        counts.clear();
        counts.resize(members.len(), 0);
        split(
            count,
            &weights,
            split_offset(draw, (2 << 61) | u64::from(group_id)),
            &mut counts,
        );
        for (&member, &requests) in members.iter().zip(counts.iter()) {
            if requests == 0 {
                continue;
            }
            let target = snapshot.targets[member as usize];
            if target.task_stopped {
                accumulator.elb_5xx += requests;
                outcome.elb_5xx += requests;
                let cause = HazardCause::TaskStoppedWhileRegistered { target: member };
                state
                    .observations
                    .push((stale_cause.unwrap_or(cause), requests));
                continue;
            }
            let behaviour = snapshot.revisions[target.revision as usize];
            let errors = revision_errors(
                requests,
                behaviour.error_rate_basis_points,
                &mut state.error_carry[member as usize],
            );
            state.received[member as usize] += requests;
            accumulator.count_2xx += requests - errors;
            accumulator.target_5xx += errors;
            accumulator.add_answered(target.revision, requests);
            outcome.count_2xx += requests - errors;
            outcome.target_5xx += errors;
        }
    }
    state.target_weights = weights;
    state.target_counts = counts;
}

fn fill_weights(
    snapshot: &RoutingSnapshot,
    inverse_p50: &[f64],
    group: &super::flow::TargetGroup,
    members: &[u32],
    now_ms: u64,
    fail_open: bool,
    weights: &mut Vec<f64>,
) -> f64 {
    weights.clear();
    let mut total = 0.0;
    for &member in members {
        let target = &snapshot.targets[member as usize];
        let weight = target_weight(
            target,
            group,
            inverse_p50[target.revision as usize],
            now_ms,
            fail_open,
        );
        total += weight;
        weights.push(weight);
    }
    total
}

#[cfg(test)]
#[path = "tick_tests.rs"]
mod tests;
