//! Undo/redo of edits: every change to the working scenario (the Edit tab's editors, the
//! library, imports, a link, "Add it") keeps the state it replaced — the scenario and the inputs
//! of its run — with a label saying what the edit did. Undo goes back to that state, redo
//! forward again. Actions on the running world are not edits: they live on the run's tape and
//! are undone by rewinding. Bounded to `EDITS_MAX` each way; stored in browser storage under its
//! own key (bounded to `STORED_BYTES_MAX`), so a damaged history never costs the autosave.

use flotilla_core::session::Op;
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};

/// Edits kept to undo (and to redo).
pub const EDITS_MAX: usize = 50;
/// Bound on the stored history; the oldest edits are dropped to fit.
pub const STORED_BYTES_MAX: usize = 1024 * 1024;
pub const STORED_VERSION: u32 = 1;

/// A working state to go back (or forward) to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// The edit between this state and the one after it ("add 2 × m5.large in us-east-1a").
    pub label: String,
    pub scenario: Scenario,
    pub tape: Vec<Op>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditHistory {
    /// Oldest first; the last is undone first.
    undo: Vec<Snapshot>,
    /// Farthest first; the last is redone first.
    redo: Vec<Snapshot>,
}

impl EditHistory {
    /// A new edit replaced `before`: it can be undone, and what was undone can no longer be
    /// redone.
    pub fn record(&mut self, before: Snapshot) {
        self.redo.clear();
        push_bounded(&mut self.undo, before);
    }

    /// What Undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// The state to go back to; `current` (the state being left) becomes redoable.
    pub fn undo(&mut self, current: (Scenario, Vec<Op>)) -> Option<Snapshot> {
        let back = self.undo.pop()?;
        push_bounded(&mut self.redo, labelled(&back.label, current));
        Some(back)
    }

    /// The state to go forward to; `current` becomes undoable again.
    pub fn redo(&mut self, current: (Scenario, Vec<Op>)) -> Option<Snapshot> {
        let forward = self.redo.pop()?;
        push_bounded(&mut self.undo, labelled(&forward.label, current));
        Some(forward)
    }

    /// Takes back the last `undo` (`back`) or `redo` when the state it handed back could not be
    /// loaded: the state that was current returns to where it was; the bad one is dropped.
    pub fn cancel(&mut self, back: bool) {
        if back {
            self.redo.pop();
        } else {
            self.undo.pop();
        }
    }

    /// The stored form, dropping the oldest undo and then the farthest redo entries until it
    /// fits in `STORED_BYTES_MAX`.
    pub fn to_json(&self) -> String {
        let size = |s: &Snapshot| serde_json::to_string(s).map_or(0, |t| t.len() + 1);
        let mut total: usize = self.undo.iter().chain(&self.redo).map(size).sum();
        let (mut undo_from, mut redo_from) = (0, 0);
        while total > STORED_BYTES_MAX {
            let dropped = if undo_from < self.undo.len() {
                undo_from += 1;
                &self.undo[undo_from - 1]
            } else if redo_from < self.redo.len() {
                redo_from += 1;
                &self.redo[redo_from - 1]
            } else {
                break;
            };
            total -= size(dropped);
        }
        serde_json::to_string(&StoredOut {
            version: STORED_VERSION,
            undo: &self.undo[undo_from..],
            redo: &self.redo[redo_from..],
        })
        .unwrap_or_default()
    }

    /// Reads the stored form; every scenario in it is validated like a file. Any problem is
    /// an error naming where it is (the caller keeps the working scenario and starts afresh).
    pub fn from_json(text: &str) -> Result<EditHistory, String> {
        let stored: StoredIn = flotilla_core::json_input::from_json_text(text)
            .map_err(|e| format!("the saved history is not readable: {e}"))?;
        if stored.version != STORED_VERSION {
            return Err(format!(
                "saved with format version {}; this Flotilla reads version {STORED_VERSION}",
                stored.version
            ));
        }
        let read = |list: Vec<SnapshotIn>, name: &str| -> Result<Vec<Snapshot>, String> {
            let skip = list.len().saturating_sub(EDITS_MAX);
            list.into_iter()
                .enumerate()
                .skip(skip)
                .map(|(index, s)| {
                    let scenario =
                        flotilla_core::scenario::from_value(s.scenario).map_err(|errors| {
                            let errors: Vec<String> =
                                errors.iter().map(ToString::to_string).collect();
                            format!("{name}[{index}].scenario: {}", errors.join("\n"))
                        })?;
                    Ok(Snapshot {
                        label: s.label,
                        scenario,
                        tape: s.tape,
                    })
                })
                .collect()
        };
        Ok(EditHistory {
            undo: read(stored.undo, "undo")?,
            redo: read(stored.redo, "redo")?,
        })
    }
}

fn labelled(label: &str, (scenario, tape): (Scenario, Vec<Op>)) -> Snapshot {
    Snapshot {
        label: label.to_string(),
        scenario,
        tape,
    }
}

fn push_bounded(list: &mut Vec<Snapshot>, snapshot: Snapshot) {
    list.push(snapshot);
    if list.len() > EDITS_MAX {
        list.remove(0);
    }
}

#[derive(Serialize)]
struct StoredOut<'a> {
    version: u32,
    undo: &'a [Snapshot],
    redo: &'a [Snapshot],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredIn {
    version: u32,
    undo: Vec<SnapshotIn>,
    redo: Vec<SnapshotIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SnapshotIn {
    label: String,
    scenario: serde_json::Value,
    tape: Vec<Op>,
}
