//! The traffic plan: a scenario's `traffic` member resolved against its discovery model, once,
//! when the scenario compiles (`scenario::traffic_routes`). Entry points and calls become
//! routes that enter at a listener rule or at a Route 53 record set; record sets list their
//! answers (each an alias to a load balancer, reached at that load balancer's rule for the
//! entry's path); rules list their weighted target groups. Everything is an index, so the world
//! builds its per-second `RoutingSnapshot` from this and its live targets without lookups.
//! Serializable: world snapshots carry it.

use super::flow::{Entry, RateSource};
use crate::discovery::TargetGroupId;
use crate::scenario::Clients;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrafficPlan {
    pub clients: Clients,
    /// Entry points first (file order), then calls in an order where each call's upstream
    /// route comes before it.
    pub routes: Vec<PlannedRoute>,
    pub record_sets: Vec<PlannedRecordSet>,
    pub rules: Vec<PlannedRule>,
}

/// One route: an entry point or a call edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRoute {
    /// The entry point's name, or `from→to` for a call.
    pub name: String,
    #[serde(with = "entry_serde")]
    pub entry: Entry,
    #[serde(with = "rate_serde")]
    pub rate: RateSource,
}

/// A Route 53 name the traffic resolves: its weighted records (alias answers) in file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRecordSet {
    pub name: String,
    pub ttl_ms: u64,
    /// Per answer: the record's index in `DiscoveryConfig::records`, its set identifier (or
    /// the load balancer's name) for display, and the plan rule it leads to.
    pub answers: Vec<PlannedAnswer>,
    /// Weights at time zero, one per answer (0–255; a simple record counts 1).
    pub weights: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedAnswer {
    pub record: u32,
    pub label: String,
    pub rule: u32,
}

/// A listener rule's forward action (or a listener's default action, or the synthetic
/// "forward to the callee's target group" of a call).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRule {
    /// `web-alb:80 /order*` or `web-alb:80 default` or `call to user`.
    pub label: String,
    pub forwards: Vec<(TargetGroupId, u32)>,
}

/// Serde for `flow::Entry` (flow's types stay plain data without serde).
mod entry_serde {
    use super::Entry;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    enum Shape {
        Rule(u32),
        Dns(u32),
    }

    pub fn serialize<S: Serializer>(entry: &Entry, s: S) -> Result<S::Ok, S::Error> {
        match *entry {
            Entry::Rule(r) => Shape::Rule(r),
            Entry::Dns(d) => Shape::Dns(d),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Entry, D::Error> {
        Ok(match Shape::deserialize(d)? {
            Shape::Rule(r) => Entry::Rule(r),
            Shape::Dns(x) => Entry::Dns(x),
        })
    }
}

/// Serde for `flow::RateSource`.
mod rate_serde {
    use super::RateSource;
    use crate::traffic::profile::Profile;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    enum Shape {
        Profile(Profile, u64),
        Call {
            upstream: u32,
            per_request_hundredths: u32,
        },
    }

    pub fn serialize<S: Serializer>(rate: &RateSource, s: S) -> Result<S::Ok, S::Error> {
        match *rate {
            RateSource::Profile { profile, from_ms } => Shape::Profile(profile, from_ms),
            RateSource::Call {
                upstream,
                per_request_hundredths,
            } => Shape::Call {
                upstream,
                per_request_hundredths,
            },
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RateSource, D::Error> {
        Ok(match Shape::deserialize(d)? {
            Shape::Profile(profile, from_ms) => RateSource::Profile { profile, from_ms },
            Shape::Call {
                upstream,
                per_request_hundredths,
            } => RateSource::Call {
                upstream,
                per_request_hundredths,
            },
        })
    }
}
