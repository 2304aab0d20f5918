//! Flotilla's deterministic core: an ECS-style orchestration simulation with no I/O and no
//! browser dependency. Scenario text goes in (`scenario::parse_scenario`), a [`world::World`]
//! runs it (`apply`, `step`, `run_until`), and events plus read-only views come out for the
//! UI, the CLI and the tests. See ARCHITECTURE.md for the codemap and invariants.

pub mod action;
pub mod append_log;
pub mod assertions;
pub mod behaviour;
pub mod builtin;
pub mod catalogue;
pub mod cluster;
pub mod compact;
pub mod counterfactual;
pub mod deploy;
#[cfg(feature = "discovery")]
pub mod discovery;
pub mod edit;
pub mod event;
pub mod export;
pub mod gameday;
pub mod hash;
pub mod health;
pub mod import;
pub mod json_input;
pub mod json_pretty;
mod json_tracked;
pub mod lessons;
pub mod placement;
pub mod placement_index;
pub mod problem;
pub mod progress;
pub mod query;
pub mod rng;
pub mod scenario;
pub mod service;
pub mod session;
pub mod task;
pub mod taskdef;
pub mod time;
pub mod traffic;
pub mod world;

pub use action::{Action, ActionError};
pub use event::{Event, EventKind};
pub use problem::Problem;
pub use scenario::{parse_scenario, Scenario, ScenarioError};
pub use time::SimTime;
pub use world::{
    trace_hash, Checkpoint, DecisionReport, DecisionStop, EventLog, RunBound, SliceEnd,
    SliceReport, SnapshotError, World,
};
