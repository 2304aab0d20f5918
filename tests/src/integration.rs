//! The one integration-test binary (matklad, "How to Test"): corpus traces, determinism and
//! checkpoints, invariants over a seed sweep, malformed input, and the core's boundaries.

mod boundaries;
mod bounds;
mod compile;
mod corpus;
mod decisions;
mod determinism;
mod export;
mod malformed;
mod placement;
mod progress;
mod scheduler;
mod snapshot;
mod taskdefs;
