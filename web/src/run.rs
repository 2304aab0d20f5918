//! The app's run: the core's rewind engine (`flotilla_core::session`) under the name the
//! components use. Tape, checkpoints, seeks and "Why here?" live in the core, where the CLI and
//! native property tests use the same engine; nothing here adds browser behaviour.

pub use flotilla_core::session::{
    Op, Session as Run, TapeAction, CHECKPOINTS_MAX, CHECKPOINT_EVERY_MS, CHECKPOINT_EVERY_OPS,
};
