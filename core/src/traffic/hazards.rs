//! The 503-hazard detector: every interval in which traffic reaches something that cannot
//! serve it, with its cause and the requests affected.
//!
//! The traffic tick reports, per simulated second, `(cause, requests)` observations; adjacent
//! seconds of one cause merge into one [`Hazard`] interval. [`merge`] does it over a whole list
//! (a pure function), [`HazardTracker`] as the seconds come (what the world keeps: closed
//! intervals in an `AppendLog` shared by checkpoints, the open ones in a short list).

use crate::append_log::AppendLog;
use serde::{Deserialize, Serialize};

/// Why requests failed. Ids are indexes into the `RoutingSnapshot` the tick saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HazardCause {
    /// The task behind a still-registered target stopped: the load balancer sent it requests.
    TaskStoppedWhileRegistered { target: u32 },
    /// A target's deregistration delay ended with requests still in flight.
    DrainedPastDelay { target: u32 },
    /// Weights send traffic to a target group with no registered target.
    EmptyTargetGroup { group: u32 },
    /// Every target of a weighted target group is unhealthy (the load balancer fails open).
    AllTargetsUnhealthy { group: u32 },
    /// A listener rule forwards to a deleted target group.
    DeletedTargetGroup { group: u32 },
    /// Clients still resolve an answer taken out of rotation by a weight change (their cached
    /// answer has not expired), and that answer cannot serve.
    StaleDnsAnswer { record_set: u32, answer: u32 },
    /// A registry (Cloud Map) answer names a task that has stopped.
    RegistryAnswerStoppedTask { target: u32 },
    /// A DNS answer names a load balancer that no longer exists.
    AnswerNamesMissingLoadBalancer { record_set: u32, answer: u32 },
}

/// Names for a cause's ids, supplied by the world.
pub trait HazardNames {
    fn target(&self, target: u32) -> String;
    fn group(&self, group: u32) -> String;
    fn record_set(&self, record_set: u32) -> String;
    fn answer(&self, record_set: u32, answer: u32) -> String;
}

impl HazardCause {
    /// The cause in one sentence.
    pub fn sentence(&self, names: &dyn HazardNames) -> String {
        match *self {
            HazardCause::TaskStoppedWhileRegistered { target } => format!(
                "the task behind target {} stopped while the target was still registered and receiving requests (deregistration delay shorter than the stop)",
                names.target(target)
            ),
            HazardCause::DrainedPastDelay { target } => format!(
                "target {} finished draining with requests still in flight (deregistration delay shorter than those requests)",
                names.target(target)
            ),
            HazardCause::EmptyTargetGroup { group } => format!(
                "weights send traffic to target group {}, which has no registered target",
                names.group(group)
            ),
            HazardCause::AllTargetsUnhealthy { group } => format!(
                "weights send traffic to target group {}, whose targets are all unhealthy (the load balancer fails open)",
                names.group(group)
            ),
            HazardCause::DeletedTargetGroup { group } => format!(
                "a listener rule forwards to target group {}, which was deleted",
                names.group(group)
            ),
            HazardCause::StaleDnsAnswer { record_set, answer } => format!(
                "clients still resolve {} to {} after a weight change (their cached answer has not expired: TTL), and it cannot serve",
                names.record_set(record_set),
                names.answer(record_set, answer)
            ),
            HazardCause::RegistryAnswerStoppedTask { target } => format!(
                "a registry answer names the stopped task of {}",
                names.target(target)
            ),
            HazardCause::AnswerNamesMissingLoadBalancer { record_set, answer } => format!(
                "{} answers {}, a load balancer that no longer exists",
                names.record_set(record_set),
                names.answer(record_set, answer)
            ),
        }
    }
}

/// Requests failing for one cause during `[start_s, end_s]` (whole simulated seconds, both
/// included).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub start_s: u64,
    pub end_s: u64,
    pub cause: HazardCause,
    pub requests: u64,
}

/// Merges per-second observations `(second, cause, requests)` (in any order) into intervals:
/// adjacent seconds of one cause are one hazard. Sorted by start, then cause.
pub fn merge(observations: &[(u64, HazardCause, u32)]) -> Vec<Hazard> {
    let mut sorted: Vec<&(u64, HazardCause, u32)> = observations.iter().collect();
    sorted.sort_by_key(|(second, cause, _)| (*cause, *second));
    let mut hazards: Vec<Hazard> = Vec::new();
    for &&(second, cause, requests) in &sorted {
        match hazards.last_mut() {
            Some(last) if last.cause == cause && second <= last.end_s + 1 => {
                last.end_s = last.end_s.max(second);
                last.requests += u64::from(requests);
            }
            _ => hazards.push(Hazard {
                start_s: second,
                end_s: second,
                cause,
                requests: u64::from(requests),
            }),
        }
    }
    hazards.sort_by_key(|hazard| (hazard.start_s, hazard.cause));
    hazards
}

/// Hazards as the seconds come: closed intervals in an append-only log, open ones apart.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct HazardTracker {
    closed: AppendLog<Hazard>,
    open: Vec<Hazard>,
}

impl HazardTracker {
    /// Records second `second`'s observations (seconds come in order; one cause may appear
    /// several times in one second) and closes the intervals that did not continue.
    pub fn observe_second(&mut self, second: u64, observations: &[(HazardCause, u32)]) {
        for &(cause, requests) in observations {
            match self
                .open
                .iter_mut()
                .find(|hazard| hazard.cause == cause && hazard.end_s + 1 >= second)
            {
                Some(hazard) => {
                    hazard.end_s = second;
                    hazard.requests += u64::from(requests);
                }
                None => self.open.push(Hazard {
                    start_s: second,
                    end_s: second,
                    cause,
                    requests: u64::from(requests),
                }),
            }
        }
        if self.open.iter().any(|hazard| hazard.end_s < second) {
            let mut index = 0;
            while index < self.open.len() {
                if self.open[index].end_s < second {
                    let hazard = self.open.remove(index);
                    self.closed.push(hazard);
                } else {
                    index += 1;
                }
            }
        }
    }

    /// Every hazard so far, closed ones first (in the order they closed), then the open ones.
    pub fn all(&self) -> impl Iterator<Item = &Hazard> {
        self.closed.view().iter().chain(self.open.iter())
    }

    /// Closed hazards, in the order they closed.
    pub fn closed(&self) -> crate::append_log::LogView<'_, Hazard> {
        self.closed.view()
    }

    pub fn open(&self) -> &[Hazard] {
        &self.open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ids;
    impl HazardNames for Ids {
        fn target(&self, target: u32) -> String {
            format!("t{target}")
        }
        fn group(&self, group: u32) -> String {
            format!("tg-{group}")
        }
        fn record_set(&self, _: u32) -> String {
            "api.example.com".into()
        }
        fn answer(&self, _: u32, answer: u32) -> String {
            ["blue", "green"][answer as usize].into()
        }
    }

    const STOPPED: HazardCause = HazardCause::TaskStoppedWhileRegistered { target: 4 };
    const EMPTY: HazardCause = HazardCause::EmptyTargetGroup { group: 1 };

    #[test]
    fn adjacent_seconds_of_one_cause_merge_and_a_gap_splits() {
        let hazards = merge(&[
            (10, STOPPED, 5),
            (11, STOPPED, 7),
            (11, EMPTY, 2),
            (12, STOPPED, 1),
            (20, STOPPED, 3),
        ]);
        assert_eq!(
            hazards,
            [
                Hazard {
                    start_s: 10,
                    end_s: 12,
                    cause: STOPPED,
                    requests: 13
                },
                Hazard {
                    start_s: 11,
                    end_s: 11,
                    cause: EMPTY,
                    requests: 2
                },
                Hazard {
                    start_s: 20,
                    end_s: 20,
                    cause: STOPPED,
                    requests: 3
                },
            ]
        );
    }

    #[test]
    fn the_tracker_agrees_with_merge() {
        let observations = [
            (10, STOPPED, 5),
            (11, STOPPED, 7),
            (11, EMPTY, 2),
            (11, EMPTY, 1),
            (12, STOPPED, 1),
            (20, STOPPED, 3),
        ];
        let mut tracker = HazardTracker::default();
        for second in 0..30 {
            let now: Vec<(HazardCause, u32)> = observations
                .iter()
                .filter(|(s, _, _)| *s == second)
                .map(|&(_, cause, requests)| (cause, requests))
                .collect();
            tracker.observe_second(second, &now);
        }
        let mut seen: Vec<Hazard> = tracker.all().copied().collect();
        seen.sort_by_key(|hazard| (hazard.start_s, hazard.cause));
        assert_eq!(seen, merge(&observations));
        assert!(tracker.open().is_empty());
    }

    #[test]
    fn each_cause_reads_as_one_sentence() {
        let stale = HazardCause::StaleDnsAnswer {
            record_set: 0,
            answer: 0,
        };
        expect_test::expect!["clients still resolve api.example.com to blue after a weight change (their cached answer has not expired: TTL), and it cannot serve"]
            .assert_eq(&stale.sentence(&Ids));
        expect_test::expect!["the task behind target t4 stopped while the target was still registered and receiving requests (deregistration delay shorter than the stop)"]
            .assert_eq(&STOPPED.sentence(&Ids));
    }
}
