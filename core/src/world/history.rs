//! The run's history: the event log, append-only, kept beside the world's state rather than
//! copied with it (and the home of future append-only records such as metrics).
//!
//! The log is an `AppendLog` (`append_log.rs`): full chunks of events are sealed and shared by
//! every clone, so a checkpoint (or a clone of the world) copies only the chunk pointers, and the
//! first event recorded after it copies at most the short unsealed tail — memory is events +
//! checkpoints × one chunk, not checkpoints × events. Restoring a checkpoint takes the
//! checkpoint's log back, so a restore is exact in either direction — back to an earlier
//! checkpoint, or forward again to a later one after a rewind — with no replay needed. Snapshots
//! (`snapshot.rs`) carry the whole log as one sequence, because the world they restore is handed
//! to a page that shows it.

use crate::append_log::{AppendLog, LogView};
use crate::event::Event;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A read-only view of (part of) a world's event log: `World::events()`, `World::step()`.
pub type EventLog<'a> = LogView<'a, Event>;

#[derive(Clone, Debug, Default)]
pub(crate) struct History {
    events: AppendLog<Event>,
}

impl History {
    pub(crate) fn push(&mut self, event: Event) {
        self.events.push(event);
    }

    pub(crate) fn events(&self) -> EventLog<'_> {
        self.events.view()
    }

    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }

    #[cfg(all(test, feature = "discovery"))]
    pub(crate) fn log(&self) -> &AppendLog<Event> {
        &self.events
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
            events: AppendLog::deserialize(deserializer)?,
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
        assert_eq!(restored.events(), [event(1), event(3)]);
        assert_eq!(history.events(), [event(1), event(2)]);
        assert_eq!(saved.events(), [event(1)]);
    }

    #[test]
    fn it_serializes_to_the_bytes_a_plain_event_vec_gives() {
        let plain: Vec<Event> = (0..5000).map(event).collect();
        let mut history = History::default();
        for e in &plain {
            history.push(e.clone());
        }
        let bytes = postcard::to_allocvec(&history).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&plain).unwrap());
        let back: History = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.events().to_vec(), plain);
    }
}
