//! The run's history: the event log, append-only, kept beside the world's state rather than
//! copied with it (and the home of future append-only records such as metrics).
//!
//! The log sits behind an `Arc` that is copied only when written while shared. So a checkpoint
//! (or a clone of the world) costs no copy of the history when it is taken; the first event
//! recorded after it copies the log once, exactly the copy a checkpoint used to make. Restoring
//! a checkpoint takes the checkpoint's log back (an `Arc` clone), so a restore is exact in
//! either direction — back to an earlier checkpoint, or forward again to a later one after a
//! rewind — with no replay needed. Snapshots (`snapshot.rs`) carry the whole log, because the
//! world they restore is handed to a page that shows it.

use crate::event::Event;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub(crate) struct History {
    events: Arc<Vec<Event>>,
}

impl History {
    pub(crate) fn push(&mut self, event: Event) {
        Arc::make_mut(&mut self.events).push(event);
    }

    pub(crate) fn events(&self) -> &[Event] {
        &self.events
    }

    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }
}

impl Serialize for History {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.events.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for History {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<History, D::Error> {
        Ok(History {
            events: Arc::new(Vec::<Event>::deserialize(deserializer)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventKind;
    use crate::task::TaskId;
    use crate::time::SimTime;

    fn event(n: u64) -> Event {
        Event {
            at: SimTime(n),
            kind: EventKind::TaskCountsHealthy { task: TaskId(0) },
        }
    }

    #[test]
    fn a_copy_keeps_its_events_while_the_original_goes_on() {
        let mut history = History::default();
        history.push(event(1));
        let saved = history.clone();
        history.push(event(2));
        assert_eq!(saved.len(), 1);
        assert_eq!(history.len(), 2);
        // Going back and forward again: each copy still has exactly its own events.
        let mut restored = saved.clone();
        restored.push(event(3));
        assert_eq!(restored.events(), &[event(1), event(3)]);
        assert_eq!(history.events(), &[event(1), event(2)]);
        assert_eq!(saved.events(), &[event(1)]);
    }
}
