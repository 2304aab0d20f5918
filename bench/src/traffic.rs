//! The traffic-tick workload, free of any clock (the native timer is in `bin/traffic.rs`):
//! 10,000 routes over 10,000 listener rules, each forwarding to a target group of three
//! targets (30,000 targets), one simulated hour at 1 s resolution. Every tenth route enters
//! by a DNS name whose weighted record moves from blue to green at 30 minutes (TTL 60 s), every
//! twentieth group runs a canary revision at 5 % weight with a 2 % error rate, profiles mix
//! constant, daily-cycle and ramp, and one target in a hundred is still registered after its
//! task stopped (hazards to detect).

use flotilla_core::rng::{SimRng, Stream};
use flotilla_core::scenario::Clients;
use flotilla_core::time::SimTime;
use flotilla_core::traffic::dns_cache::RecordVersion;
use flotilla_core::traffic::flow::{
    Algorithm, Answer, Entry, Forward, RateSource, RecordSet, Route, RoutingSnapshot, Rule, Target,
    TargetGroup, TargetState,
};
use flotilla_core::traffic::profile::Profile;
use flotilla_core::traffic::revision::TrafficBehaviour;
use flotilla_core::traffic::{tick, TickSummary, TrafficState};

pub const ROUTES: u32 = 10_000;
pub const TARGETS_PER_GROUP: u32 = 3;
pub const TICKS: u64 = 3_600;

/// The routing snapshot of the workload.
pub fn snapshot() -> RoutingSnapshot {
    let mut snapshot = RoutingSnapshot {
        revisions: vec![
            TrafficBehaviour::default(),
            TrafficBehaviour {
                error_rate_basis_points: 200,
                ..TrafficBehaviour::default()
            },
        ],
        clients: Clients::default(),
        ..RoutingSnapshot::default()
    };
    for route in 0..ROUTES {
        let group = route;
        snapshot.groups.push(TargetGroup {
            members_start: snapshot.members.len() as u32,
            members_len: TARGETS_PER_GROUP,
            algorithm: if route % 2 == 0 {
                Algorithm::RoundRobin
            } else {
                Algorithm::LeastOutstandingRequests
            },
            slow_start_ms: if route % 3 == 0 { 30_000 } else { 0 },
            deleted: false,
        });
        for index in 0..TARGETS_PER_GROUP {
            let id = snapshot.targets.len() as u32;
            snapshot.members.push(id);
            snapshot.targets.push(Target {
                state: TargetState::Healthy,
                task_stopped: id % 100 == 7,
                revision: u32::from(route % 20 == 0 && index == 0),
                state_since_ms: 0,
                draining_until_ms: 0,
            });
        }
        snapshot.rules.push(Rule {
            forwards_start: snapshot.forwards.len() as u32,
            forwards_len: 1,
        });
        snapshot.forwards.push(Forward { group, weight: 1 });
        let profile = match route % 3 {
            0 => Profile::Constant { rate: 100 },
            1 => Profile::DailyCycle {
                mean: 100,
                amplitude: 50,
                peak_at_ms: 14 * 3_600_000,
            },
            _ => Profile::Ramp {
                from: 20,
                to: 200,
                over_ms: 3_600_000,
            },
        };
        let entry = if route % 10 == 0 {
            // Blue is this route's rule; green the next route's.
            let record_set = snapshot.record_sets.len() as u32;
            let answers_start = snapshot.answers.len() as u32;
            snapshot.answers.push(Answer::Rule(route));
            snapshot.answers.push(Answer::Rule(route + 1));
            let weights_start = snapshot.record_weights.len() as u32;
            snapshot.record_weights.extend([100, 0, 0, 100]);
            let versions_start = snapshot.record_versions.len() as u32;
            snapshot.record_versions.push(RecordVersion {
                since_ms: 0,
                weights_start,
                weights_len: 2,
            });
            snapshot.record_versions.push(RecordVersion {
                since_ms: 1_800_000,
                weights_start: weights_start + 2,
                weights_len: 2,
            });
            snapshot.record_sets.push(RecordSet {
                ttl_ms: 60_000,
                answers_start,
                answers_len: 2,
                versions_start,
                versions_len: 2,
            });
            Entry::Dns(record_set)
        } else {
            Entry::Rule(route)
        };
        snapshot.routes.push(Route {
            entry,
            rate: RateSource::Profile {
                profile,
                from_ms: 0,
            },
        });
    }
    snapshot
}

/// One simulated hour of ticks; the totals over it.
pub fn run_hour(snapshot: &RoutingSnapshot, state: &mut TrafficState) -> TickSummary {
    let mut rng = SimRng::stream(20_261_206, Stream::Traffic);
    let mut total = TickSummary::default();
    for second in 0..TICKS {
        let summary = tick(SimTime::from_secs(second), snapshot, state, &mut rng);
        total.requests += summary.requests;
        total.count_2xx += summary.count_2xx;
        total.target_5xx += summary.target_5xx;
        total.elb_5xx += summary.elb_5xx;
        total.dns_failures += summary.dns_failures;
        total.drain_cut += summary.drain_cut;
        total.hazards_open = summary.hazards_open;
    }
    total
}
