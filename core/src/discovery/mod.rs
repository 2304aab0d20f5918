//! The service-discovery model (ecs-semantics §5): load balancers, target groups, Route 53
//! weighted records and Cloud Map services as the world runs them, and the pure decisions
//! about them. Here: the compiled configuration (what `scenario::compile` builds from a file,
//! every value checked and in milliseconds) and the small ids the world and the traffic
//! engine index by. The decisions live beside it: `target_health` (the ELB target health
//! state machine and its timing) and `answers` (which targets a target group routes to, Route
//! 53 weighted shares, Cloud Map MULTIVALUE answers). Nothing here mutates a world.

pub mod answers;
pub mod target_health;

pub use answers::{
    multivalue_answer, pick_weighted, routable_targets, weighted_shares, Routing,
    MULTIVALUE_ANSWERS_MAX, SHARE_SCALE,
};
pub use target_health::{HealthVerdict, TargetHealth, TargetHealthState};

use serde::{Deserialize, Serialize};

/// Where a target or a Cloud Map instance receives traffic: a container instance and a host
/// port (target type instance: bridge and host tasks) or a task's private IPv4 address and
/// the container port (target type ip: awsvpc tasks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetAddress {
    Instance {
        instance: crate::cluster::InstanceId,
        port: u16,
    },
    Ip {
        ip: u32,
        port: u16,
    },
}

impl TargetAddress {
    pub fn port(self) -> u16 {
        match self {
            TargetAddress::Instance { port, .. } | TargetAddress::Ip { port, .. } => port,
        }
    }
}

/// Dotted-quad text of an IPv4 address held as a `u32`.
pub fn ipv4_text(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// A target group by its position in the scenario's `targetGroups`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TargetGroupId(pub u32);

/// A load balancer by its position in the scenario's `loadBalancers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LoadBalancerId(pub u32);

/// A Cloud Map service by its position among all namespaces' services, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CloudMapServiceId(pub u32);

/// `TargetType` (§5.1): instance + host port (bridge, host) or the task's IP (awsvpc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    #[default]
    Instance,
    Ip,
}

impl TargetType {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Instance => "instance",
            TargetType::Ip => "ip",
        }
    }
}

/// Target group and listener protocols (`ELB:CreateTargetGroupInput.Protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Protocol {
    Http,
    Https,
    Tcp,
    Tls,
    Udp,
    TcpUdp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Https => "HTTPS",
            Protocol::Tcp => "TCP",
            Protocol::Tls => "TLS",
            Protocol::Udp => "UDP",
            Protocol::TcpUdp => "TCP_UDP",
        }
    }

    /// HTTP and HTTPS belong to Application Load Balancers, the rest to Network Load Balancers.
    pub fn is_application(self) -> bool {
        matches!(self, Protocol::Http | Protocol::Https)
    }
}

/// `type` of a load balancer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerType {
    #[default]
    Application,
    Network,
}

/// `load_balancing.algorithm.type` (§5.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    #[default]
    RoundRobin,
    LeastOutstandingRequests,
}

/// A target group's health check in milliseconds, defaults filled in (§5.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheckSettings {
    pub interval_ms: u64,
    pub timeout_ms: u64,
    pub healthy_threshold: u32,
    pub unhealthy_threshold: u32,
    pub path: String,
}

/// A target group as the world runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroupConfig {
    pub name: String,
    pub target_type: TargetType,
    pub protocol: Protocol,
    pub port: u16,
    pub health_check: HealthCheckSettings,
    pub deregistration_delay_ms: u64,
    /// 0: slow start off.
    pub slow_start_ms: u64,
    pub algorithm: Algorithm,
}

/// One forward of a listener rule: a target group and its weight (ALB weighted target groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forward {
    pub target_group: TargetGroupId,
    pub weight: u32,
}

/// A listener rule's condition (the two ALB conditions the sandbox models).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleCondition {
    PathPattern(String),
    HostHeader(String),
}

/// A listener rule: conditions (all must match) and the weighted forward.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerRule {
    pub priority: u32,
    pub conditions: Vec<RuleCondition>,
    pub forward: Vec<Forward>,
}

/// A listener: its rules in priority order, then the default action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    pub port: u16,
    pub protocol: Protocol,
    /// Sorted by priority (lowest first), as ELB evaluates them.
    pub rules: Vec<ListenerRule>,
    pub default_forward: Vec<Forward>,
}

/// A load balancer with its listeners.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancerConfig {
    pub name: String,
    pub kind: LoadBalancerType,
    pub listeners: Vec<Listener>,
}

/// Route 53 record types the sandbox models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RecordType {
    A,
    #[serde(rename = "AAAA")]
    Aaaa,
    #[serde(rename = "CNAME")]
    Cname,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
        }
    }
}

/// Where a Route 53 record points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordTarget {
    /// An alias to a load balancer (no TTL of its own: Route 53 uses the target's).
    Alias(LoadBalancerId),
    Value(String),
}

/// One Route 53 record set; weighted ones carry their set identifier and weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordConfig {
    /// Fully qualified, lowercase, without the trailing dot.
    pub name: String,
    pub kind: RecordType,
    pub set_identifier: Option<String>,
    /// `None`: a simple (not weighted) record.
    pub weight: Option<u32>,
    /// `None` for an alias.
    pub ttl_seconds: Option<u32>,
    pub target: RecordTarget,
}

/// Cloud Map DNS record types the sandbox models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DnsRecordType {
    A,
    #[serde(rename = "SRV")]
    Srv,
}

/// `RoutingPolicy` of a Cloud Map service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RoutingPolicy {
    #[default]
    Multivalue,
    Weighted,
}

/// `Type` of a Cloud Map namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NamespaceType {
    DnsPrivate,
    Http,
}

/// A Cloud Map service with its namespace's name and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudMapServiceConfig {
    pub name: String,
    pub namespace: String,
    pub namespace_type: NamespaceType,
    /// `(type, ttl seconds)`, one per type.
    pub dns_records: Vec<(DnsRecordType, u32)>,
    pub routing_policy: RoutingPolicy,
    /// `HealthCheckCustomConfig`: ECS reports the task's health.
    pub custom_health: bool,
}

/// Everything about discovery a scenario declares, compiled. Ids are positions in these lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveryConfig {
    pub target_groups: Vec<TargetGroupConfig>,
    pub load_balancers: Vec<LoadBalancerConfig>,
    pub records: Vec<RecordConfig>,
    pub cloud_map_services: Vec<CloudMapServiceConfig>,
}

impl DiscoveryConfig {
    pub fn is_empty(&self) -> bool {
        self.target_groups.is_empty()
            && self.load_balancers.is_empty()
            && self.records.is_empty()
            && self.cloud_map_services.is_empty()
    }

    pub fn target_group(&self, id: TargetGroupId) -> &TargetGroupConfig {
        &self.target_groups[id.0 as usize]
    }
}

/// A service's `loadBalancers[]` entry, resolved: the target group and the container port
/// its targets receive traffic on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancerBinding {
    pub target_group: TargetGroupId,
    pub container_name: String,
    pub container_port: u16,
}

/// A service's `serviceRegistries[]` entry, resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryBinding {
    pub service: CloudMapServiceId,
    /// `containerName` and `containerPort`: an SRV record carries the host port mapped to it.
    pub container: Option<(String, u16)>,
    /// `port` (awsvpc): the port an SRV record carries as given.
    pub port: Option<u16>,
}
