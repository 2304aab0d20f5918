//! Synthetic request traffic, as pure functions: request rates over simulated time
//! (`profile`), clients following weighted DNS records through their caches (`dns_cache`),
//! one second of a route's requests split over a routing snapshot into outcomes (`flow`),
//! latency percentiles of a mix of revisions (`latency`), per-minute counters (`counters`),
//! the 503-hazard detector (`hazards`) and the one entry point the world calls each simulated
//! second (`tick`). Nothing here reads the world: the world builds a `flow::RoutingSnapshot`
//! from its discovery state and hands it in, with the traffic RNG stream. Per-revision
//! answers (5xx share, latency, CPU per request) are in `revision`.

pub mod counters;
pub mod dns_cache;
pub mod flow;
pub mod hazards;
pub mod latency;
pub mod plan;
pub mod profile;
pub mod revision;
pub mod tick;

pub use flow::RoutingSnapshot;
pub use tick::{tick, TickSummary, TrafficState};
