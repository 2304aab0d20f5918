//! The compiled scenario: what `compile` makes of a file that passed every check, in the types
//! the world runs on — durations in milliseconds, instance types looked up, placement
//! constraints and strategies parsed, task-definition references resolved to revisions,
//! revision behaviours filled in. Nothing here can be wrong any more, so building a world from
//! it never skips or re-checks anything.

use crate::action::Action;
use crate::behaviour::Behaviour;
use crate::catalogue::InstanceType;
use crate::compact::SortedMap;
#[cfg(feature = "discovery")]
use crate::discovery::{DiscoveryConfig, LoadBalancerBinding, RegistryBinding};
use crate::placement::{Constraint, Strategy};
use crate::service::{DeploymentConfiguration, SchedulingStrategy, ServiceDefinition};
use crate::taskdef::{TaskDefinition, TaskDefinitionRef};
use crate::time::SimTime;

/// The AMI ID a fleet entry without `amiId` registers with.
pub const DEFAULT_AMI_ID: &str = "ami-0f5ab39fd2b8c2c9e";

/// A scenario file, compiled. Lists keep the file's order: it decides instance ids, revision
/// numbers, service ids and the order of equal-time wake-ups.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledScenario {
    pub name: String,
    pub seed: u64,
    /// Where a batch run (CLI `run`, tests) stops: `duration`, or the default (`rules.rs`).
    pub horizon: SimTime,
    pub fleet: Vec<CompiledFleetEntry>,
    /// Every task definition with the revision registering it in file order gives it.
    pub task_definitions: Vec<(TaskDefinitionRef, TaskDefinition)>,
    /// Behaviour of each revision named in `revisionBehaviour`; the others behave as
    /// `Behaviour::default()`.
    pub behaviours: crate::compact::SortedMap<TaskDefinitionRef, Behaviour>,
    pub services: Vec<CompiledService>,
    pub timeline: Vec<ScheduledAction>,
    /// Load balancers, target groups, Route 53 records and Cloud Map services (§5).
    #[cfg(feature = "discovery")]
    pub discovery: DiscoveryConfig,
    /// The scenario's assertions, parsed and their names resolved (`crate::assertions`).
    pub assertions: Vec<crate::assertions::Assertion>,
    /// `traffic`, compiled; `None` when the file has none.
    #[cfg(feature = "discovery")]
    pub traffic: Option<super::CompiledTraffic>,
}

/// `count` container instances of one type in one Availability Zone, defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledFleetEntry {
    pub instance_type: &'static InstanceType,
    pub availability_zone: String,
    pub count: u32,
    pub ami_id: String,
    pub attributes: SortedMap<String, String>,
    pub awsvpc_trunking: bool,
    pub agent_connected: bool,
}

/// A service as the world creates it at time zero.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledService {
    /// The `CreateService` shape as written (exports and the service record keep it).
    pub definition: ServiceDefinition,
    /// `taskDefinition` resolved: `family` means the family's latest revision in the file.
    pub task_definition: TaskDefinitionRef,
    pub scheduling_strategy: SchedulingStrategy,
    /// 0 for DAEMON services, which have no desired count of their own.
    pub desired_count: u32,
    /// The service's constraints, then the task definition's memberOf constraints.
    pub constraints: Vec<Constraint>,
    /// As written; a REPLICA service without any gets `Strategy::service_default()`.
    pub strategies: Vec<Strategy>,
    pub deployment_configuration: DeploymentConfiguration,
    pub health_check_grace_period_ms: u64,
    /// `loadBalancers[]`, resolved to target groups.
    #[cfg(feature = "discovery")]
    pub load_balancers: Vec<LoadBalancerBinding>,
    /// `serviceRegistries[]`, resolved to Cloud Map services.
    #[cfg(feature = "discovery")]
    pub service_registries: Vec<RegistryBinding>,
}

/// A timeline entry: the action and when it applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledAction {
    pub at: SimTime,
    pub action: Action,
}
