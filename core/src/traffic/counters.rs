//! Per-minute traffic counters: what metrics (CloudWatch `RequestCount`,
//! `HTTPCode_Target_5XX_Count`, `HTTPCode_ELB_5XX_Count`, `TargetResponseTime`,
//! `HealthyHostCount`) and deployment gates read.
//!
//! The tick adds each second into accumulators (one per target group and per route); when a
//! minute ends, one record per target group and per route is appended to an `AppendLog`, so
//! checkpoints share the history instead of copying it. Records of one minute are contiguous
//! and in id order: a reader finds a minute by binary search.
//!
//! Latency percentiles come from the requests each revision served in the minute
//! (`latency::mixture_percentiles_us`); a group keeps counts for up to
//! [`REVISIONS_PER_GROUP_MAX`] revisions a minute, and a fifth revision's requests join the
//! last slot's (a target group serving five revisions in one minute is not a deployment the
//! sandbox models).

use super::latency::{mixture_percentiles_us, LatencyModel};
use super::revision::TrafficBehaviour;
use crate::append_log::{AppendLog, LogView};
use serde::{Deserialize, Serialize};

pub const REVISIONS_PER_GROUP_MAX: usize = 4;

/// One target group's minute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMinute {
    pub minute: u32,
    pub group: u32,
    /// Requests the load balancer routed to the group.
    pub requests: u32,
    pub count_2xx: u32,
    /// Always 0 for now: no client errors are modelled.
    pub count_4xx: u32,
    /// 5xx answered by targets (the revision's error rate).
    pub target_5xx: u32,
    /// 502/503 answered by the load balancer (no target, stopped target, deleted group).
    pub elb_5xx: u32,
    /// Latency percentiles of the requests targets answered, in µs (0 when none).
    pub p50_us: u32,
    pub p90_us: u32,
    pub p99_us: u32,
    /// At the minute's last second.
    pub healthy_hosts: u32,
    pub unhealthy_hosts: u32,
}

/// One route's (entry point or call edge) minute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteMinute {
    pub minute: u32,
    pub route: u32,
    pub requests: u32,
    pub count_2xx: u32,
    pub target_5xx: u32,
    pub elb_5xx: u32,
    /// Requests whose DNS answer led nowhere (a missing load balancer, a stopped task).
    pub dns_failures: u32,
}

/// A minute in progress for one target group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupAccumulator {
    pub requests: u32,
    pub count_2xx: u32,
    pub target_5xx: u32,
    pub elb_5xx: u32,
    /// `(revision, requests answered)`, `u32::MAX` for an empty slot.
    pub revisions: [(u32, u32); REVISIONS_PER_GROUP_MAX],
}

impl GroupAccumulator {
    pub const EMPTY: GroupAccumulator = GroupAccumulator {
        requests: 0,
        count_2xx: 0,
        target_5xx: 0,
        elb_5xx: 0,
        revisions: [(u32::MAX, 0); REVISIONS_PER_GROUP_MAX],
    };

    /// Counts `answered` requests of `revision` for the latency percentiles.
    pub fn add_answered(&mut self, revision: u32, answered: u32) {
        let slots = &mut self.revisions;
        let slot = slots
            .iter()
            .position(|(r, _)| *r == revision || *r == u32::MAX)
            .unwrap_or(REVISIONS_PER_GROUP_MAX - 1);
        if slots[slot].0 == u32::MAX {
            slots[slot].0 = revision;
        }
        slots[slot].1 += answered;
    }
}

/// The per-minute history.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Counters {
    groups: AppendLog<GroupMinute>,
    routes: AppendLog<RouteMinute>,
}

impl Counters {
    /// Every group's record of `minute`, in group order (empty if not closed yet).
    pub fn groups_in_minute(&self, minute: u32) -> LogView<'_, GroupMinute> {
        minute_range(self.groups.view(), minute, |record| record.minute)
    }

    pub fn routes_in_minute(&self, minute: u32) -> LogView<'_, RouteMinute> {
        minute_range(self.routes.view(), minute, |record| record.minute)
    }

    pub fn group(&self, minute: u32, group: u32) -> Option<GroupMinute> {
        let view = self.groups_in_minute(minute);
        let at = view.partition_point(|record| record.group < group);
        view.get(at).filter(|record| record.group == group).copied()
    }

    pub fn route(&self, minute: u32, route: u32) -> Option<RouteMinute> {
        let view = self.routes_in_minute(minute);
        let at = view.partition_point(|record| record.route < route);
        view.get(at).filter(|record| record.route == route).copied()
    }

    pub fn group_records(&self) -> LogView<'_, GroupMinute> {
        self.groups.view()
    }

    pub fn route_records(&self) -> LogView<'_, RouteMinute> {
        self.routes.view()
    }

    /// Closes `minute`: one record per group (with its percentiles and host counts) and per
    /// route, then the accumulators start again from zero.
    pub fn close_minute(
        &mut self,
        minute: u32,
        groups: &mut [GroupAccumulator],
        hosts: &[(u32, u32)],
        routes: &mut [RouteMinute],
        revisions: &[TrafficBehaviour],
        models: &[LatencyModel],
    ) {
        for (group, (accumulator, &(healthy, unhealthy))) in
            groups.iter_mut().zip(hosts).enumerate()
        {
            let mut components = [(
                models
                    .first()
                    .copied()
                    .unwrap_or(LatencyModel::fit(super::revision::DEFAULT_LATENCY_MS)),
                0u64,
            ); REVISIONS_PER_GROUP_MAX];
            let mut single = None;
            for (slot, &(revision, answered)) in components.iter_mut().zip(&accumulator.revisions) {
                if revision != u32::MAX && answered > 0 {
                    *slot = (models[revision as usize], u64::from(answered));
                    single = Some(revisions[revision as usize].latency_ms);
                }
            }
            let [p50_us, p90_us, p99_us] =
                mixture_percentiles_us(&components, single).unwrap_or([0; 3]);
            self.groups.push(GroupMinute {
                minute,
                group: group as u32,
                requests: accumulator.requests,
                count_2xx: accumulator.count_2xx,
                count_4xx: 0,
                target_5xx: accumulator.target_5xx,
                elb_5xx: accumulator.elb_5xx,
                p50_us,
                p90_us,
                p99_us,
                healthy_hosts: healthy,
                unhealthy_hosts: unhealthy,
            });
            *accumulator = GroupAccumulator::EMPTY;
        }
        for (route, accumulator) in routes.iter_mut().enumerate() {
            self.routes.push(RouteMinute {
                minute,
                route: route as u32,
                ..*accumulator
            });
            *accumulator = RouteMinute::default();
        }
    }
}

fn minute_range<T: Clone>(
    view: LogView<'_, T>,
    minute: u32,
    minute_of: impl Fn(&T) -> u32,
) -> LogView<'_, T> {
    let start = view.partition_point(|record| minute_of(record) < minute);
    let end = view.partition_point(|record| minute_of(record) <= minute);
    view.range(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::revision::LatencyMs;

    #[test]
    fn a_closed_minute_is_found_by_minute_and_id_and_percentiles_mix_revisions() {
        let revisions = [
            TrafficBehaviour::default(),
            TrafficBehaviour {
                latency_ms: LatencyMs {
                    p50: 200,
                    p90: 400,
                    p99: 900,
                },
                ..TrafficBehaviour::default()
            },
        ];
        let models: Vec<LatencyModel> = revisions
            .iter()
            .map(|r| LatencyModel::fit(r.latency_ms))
            .collect();
        let mut counters = Counters::default();
        let mut groups = [GroupAccumulator::EMPTY; 2];
        let mut routes = [RouteMinute::default(); 1];
        for minute in 0..3 {
            groups[0].requests = 100;
            groups[0].count_2xx = 98;
            groups[0].target_5xx = 2;
            groups[0].add_answered(0, 100);
            groups[1].add_answered(0, 50);
            groups[1].add_answered(1, 50);
            routes[0].requests = 150;
            counters.close_minute(
                minute,
                &mut groups,
                &[(3, 0), (2, 1)],
                &mut routes,
                &revisions,
                &models,
            );
            assert_eq!(groups[0], GroupAccumulator::EMPTY, "accumulators restart");
        }
        let first = counters.group(1, 0).unwrap();
        assert_eq!(
            (first.requests, first.target_5xx, first.healthy_hosts),
            (100, 2, 3)
        );
        assert_eq!((first.p50_us, first.p99_us), (20_000, 100_000));
        let mixed = counters.group(1, 1).unwrap();
        assert!(mixed.p50_us > 20_000 && mixed.p50_us < 200_000, "{mixed:?}");
        assert_eq!(mixed.unhealthy_hosts, 1);
        assert_eq!(counters.groups_in_minute(2).len(), 2);
        assert_eq!(counters.routes_in_minute(1).len(), 1);
        assert_eq!(counters.route(1, 0).unwrap().requests, 150);
        assert_eq!(counters.group(7, 0), None);
    }

    #[test]
    fn a_fifth_revision_joins_the_last_slot() {
        let mut accumulator = GroupAccumulator::EMPTY;
        for revision in 0..6 {
            accumulator.add_answered(revision, 10);
        }
        assert_eq!(accumulator.revisions[3], (3, 30));
    }
}
