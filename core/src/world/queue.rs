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
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// The pending wake-ups and the sequence number the next one gets.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Queue {
    next_seq: u64,
    #[serde(with = "in_pop_order")]
    heap: BinaryHeap<Reverse<Wakeup>>,
}

impl Queue {
    /// Queues `kind` at `at`, after everything already queued for that moment.
    pub(crate) fn schedule(&mut self, at: SimTime, kind: WakeupKind) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Wakeup { at, seq, kind }));
    }

    /// When the next wake-up is due, if any.
    pub(crate) fn next_at(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(w)| w.at)
    }

    /// When the last queued wake-up is due, if any.
    pub(crate) fn last_at(&self) -> Option<SimTime> {
        self.heap.iter().map(|Reverse(w)| w.at).max()
    }

    pub(crate) fn pop(&mut self) -> Option<Wakeup> {
        self.heap.pop().map(|Reverse(w)| w)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
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
    /// unboxed variant made each of them 168 bytes instead of 32.
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

impl PartialEq for Wakeup {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Wakeup {}
impl PartialOrd for Wakeup {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Wakeup {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// Serde for the heap: in pop order, so equal worlds give equal bytes whatever the heap's
/// internal layout; read back with one heapify.
mod in_pop_order {
    use super::Wakeup;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    pub(super) fn serialize<S: Serializer>(
        queue: &BinaryHeap<Reverse<Wakeup>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut in_order: Vec<&Wakeup> = queue.iter().map(|Reverse(w)| w).collect();
        // `seq` is unique, so the shared stable sort gives the order an unstable one would.
        crate::compact::sort_by_key(&mut in_order, |w| (w.at, w.seq));
        in_order.serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BinaryHeap<Reverse<Wakeup>>, D::Error> {
        let wakeups = Vec::<Wakeup>::deserialize(deserializer)?;
        Ok(wakeups.into_iter().map(Reverse).collect())
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
