//! The wake-up queue: what the world will do next and when. Wake-ups pop in `(time, seq)` order,
//! so equal-time wake-ups run in the order they were scheduled and a run is a pure function of
//! the scenario, its seed and the actions. Every run loop pops through `World::pop_one`
//! (`run.rs`); a new subsystem adds a `WakeupKind` here and its handler in its own file.

use crate::action::Action;
use crate::health::TaskHealth;
use crate::service::ServiceId;
use crate::task::{TaskId, TaskState};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, VecDeque};

/// The pending wake-ups and the sequence number the next one gets.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Queue {
    next_seq: u64,
    /// The wake-ups of each moment in the order they were scheduled (`seq` rises by one per
    /// wake-up, so appending keeps each moment's in `seq` order): `(time, seq)` order without a
    /// heap's sifting. Moments are shared by many wake-ups (a RunTask's ten tasks each wake 10 s
    /// later, a scheduler round's 100,000 too), so popping is mostly a `pop_front`.
    #[serde(rename = "heap", with = "in_pop_order")]
    moments: BTreeMap<SimTime, VecDeque<(u64, WakeupKind)>>,
    /// The buffer of a moment that emptied, kept (empty) for the next new moment: moments come
    /// and go one after another (a RunTask's ten wake-ups, then the next call's), and each new
    /// one would otherwise grow its buffer from nothing, one reallocation after another. Only
    /// a small one is kept, so a round of 100,000 leaves no large buffer behind. Scratch space,
    /// not in snapshots.
    #[serde(skip)]
    spare: VecDeque<(u64, WakeupKind)>,
}

/// The largest emptied moment buffer kept for reuse, in wake-ups.
const SPARE_WAKEUPS_MAX: usize = 64;

impl Queue {
    /// Queues `kind` at `at`, after everything already queued for that moment.
    pub(crate) fn schedule(&mut self, at: SimTime, kind: WakeupKind) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let moment = match self.moments.entry(at) {
            Entry::Occupied(moment) => moment.into_mut(),
            Entry::Vacant(moment) => moment.insert(std::mem::take(&mut self.spare)),
        };
        moment.push_back((seq, kind));
    }

    /// When the next wake-up is due, if any.
    pub(crate) fn next_at(&self) -> Option<SimTime> {
        self.moments.first_key_value().map(|(&at, _)| at)
    }

    /// When the last queued wake-up is due, if any.
    pub(crate) fn last_at(&self) -> Option<SimTime> {
        self.moments.last_key_value().map(|(&at, _)| at)
    }

    pub(crate) fn pop(&mut self) -> Option<Wakeup> {
        let mut moment = self.moments.first_entry()?;
        let at = *moment.key();
        let (seq, kind) = moment
            .get_mut()
            .pop_front()
            .expect("a moment leaves the queue with its last wake-up");
        if moment.get().is_empty() {
            let emptied = moment.remove();
            if emptied.capacity() <= SPARE_WAKEUPS_MAX && emptied.capacity() > self.spare.capacity()
            {
                self.spare = emptied;
            }
        }
        Some(Wakeup { at, seq, kind })
    }
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Wakeup {
    pub(crate) at: SimTime,
    seq: u64,
    pub(crate) kind: WakeupKind,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum WakeupKind {
    /// Move a task on from `from`; stale (ignored) if the task has left that state meanwhile.
    Advance {
        task: TaskId,
        from: TaskState,
    },
    Reconcile {
        service: ServiceId,
    },
    /// Boxed: an `Action` is ~150 bytes and every task keeps a wake-up queued, so the
    /// unboxed variant made each of them ~160 bytes instead of 24.
    Timeline {
        #[serde(with = "crate::world::snapshot::json_text")]
        action: Box<Action>,
    },
    Health {
        task: TaskId,
        step: HealthStep,
    },
    /// The restart back-off of a service ended (§3.7).
    Throttle {
        service: ServiceId,
    },
    /// A deployment's bake time ended (§4.5).
    BakeEnd {
        service: ServiceId,
        deployment: u32,
    },
    /// Target health verdicts, grace-period ends and drained targets (`discovery.rs`).
    #[cfg(feature = "discovery")]
    Discovery(super::discovery::DiscoveryWakeup),
    /// One simulated second of traffic (`traffic.rs`); queued only when the scenario has
    /// traffic.
    #[cfg(feature = "discovery")]
    TrafficTick,
}

/// A timed step of a task's health (§3.4) or its crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum HealthStep {
    /// 40 s after RUNNING without health checks.
    CountHealthy,
    /// The container health checks reached a verdict.
    Checks(TaskHealth),
    /// The grace period ended with the task still UNHEALTHY.
    ActOnUnhealthy,
    /// The essential container exits (revision behaviour `crashAfter`).
    Crash,
}

/// Serde for the queue: the list of `Wakeup`s in pop order (the encoding a heap of them had,
/// so snapshots keep their bytes); read back into moments, in `(time, seq)` order whatever the
/// list's.
mod in_pop_order {
    use super::{Wakeup, WakeupKind};
    use crate::time::SimTime;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::{BTreeMap, VecDeque};

    type Moments = BTreeMap<SimTime, VecDeque<(u64, WakeupKind)>>;

    /// A `Wakeup` serialised from its place in a moment, without moving it out.
    #[derive(Serialize)]
    #[serde(rename = "Wakeup")]
    struct Queued<'a> {
        at: SimTime,
        seq: u64,
        kind: &'a WakeupKind,
    }

    pub(super) fn serialize<S: Serializer>(
        moments: &Moments,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        // The length first: postcard writes it before the elements.
        let len = moments.values().map(VecDeque::len).sum();
        let mut list = serializer.serialize_seq(Some(len))?;
        for (&at, queued) in moments {
            for (seq, kind) in queued {
                list.serialize_element(&Queued {
                    at,
                    seq: *seq,
                    kind,
                })?;
            }
        }
        list.end()
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Moments, D::Error> {
        let mut wakeups = Vec::<Wakeup>::deserialize(deserializer)?;
        // `seq` is unique, so the shared stable sort gives the order an unstable one would.
        crate::compact::sort_by_key(&mut wakeups, |w| (w.at, w.seq));
        let mut moments = Moments::new();
        for wakeup in wakeups {
            moments
                .entry(wakeup.at)
                .or_default()
                .push_back((wakeup.seq, wakeup.kind));
        }
        Ok(moments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_in_scheduling_order_and_earlier_times_first() {
        let mut queue = Queue::default();
        let reconcile = |n| WakeupKind::Reconcile {
            service: ServiceId(n),
        };
        queue.schedule(SimTime(5), reconcile(0));
        queue.schedule(SimTime(3), reconcile(1));
        queue.schedule(SimTime(5), reconcile(2));
        queue.schedule(SimTime(3), reconcile(3));
        assert_eq!(queue.next_at(), Some(SimTime(3)));
        assert_eq!(queue.last_at(), Some(SimTime(5)));
        let mut order = Vec::new();
        while let Some(wakeup) = queue.pop() {
            let WakeupKind::Reconcile { service } = wakeup.kind else {
                unreachable!("only reconciles were queued");
            };
            order.push((wakeup.at.as_ms(), service.0));
        }
        assert_eq!(order, [(3, 1), (3, 3), (5, 0), (5, 2)]);
        assert_eq!(queue.next_at(), None);
    }
}
