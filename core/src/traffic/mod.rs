//! Synthetic request traffic, as pure functions: request rates over simulated time
//! (`profile`), clients following weighted DNS records through their caches (`dns_cache`),
//! one second of a route's requests split over a routing snapshot into outcomes (`flow`),
//! latency percentiles of a mix of revisions (`latency`), per-minute counters (`counters`),
//! the 503-hazard detector (`hazards`) and the one entry point the world calls each simulated
//! second (`tick`). Nothing here reads the world: the world builds a `flow::RoutingSnapshot`
//! from its discovery state and hands it in, with the traffic RNG stream. Per-revision
//! answers (5xx share, latency, CPU per request) are in `revision`.

//!
//! Without the `discovery` feature (the embed's build) only `revision`'s file shapes remain: a
//! revision behaviour that sets them is refused where it stands (`crate::behaviour`).

pub mod revision;

#[cfg(feature = "discovery")]
pub mod counters;
#[cfg(feature = "discovery")]
pub mod dns_cache;
#[cfg(feature = "discovery")]
pub mod flow;
#[cfg(feature = "discovery")]
pub mod hazards;
#[cfg(feature = "discovery")]
pub mod latency;
#[cfg(feature = "discovery")]
pub mod plan;
#[cfg(feature = "discovery")]
pub mod profile;
#[cfg(feature = "discovery")]
pub mod tick;

#[cfg(feature = "discovery")]
pub use flow::RoutingSnapshot;
#[cfg(feature = "discovery")]
pub use tick::{tick, TickSummary, TrafficState};
