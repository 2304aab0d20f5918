//! The world: the one place that owns and mutates simulation state — container instances,
//! task definitions, services, tasks, the wake-up queue, the history and the only randomness
//! (named RNG streams, `rng.rs`).
//! Time and actions go in (`apply`, `step`, `run_until`); events come out. Decisions are
//! delegated to pure functions (`placement::place`, `deploy::next_round`,
//! `placement::choose_task_to_stop`); the world applies them and records what happened.
//!
//! This file holds the state and building it from a scenario; the `impl World` is split by
//! concern, each file owning its part of the state where it can: `queue` (wake-ups, `(time,
//! seq)` order), `run` (the run loops, all through one `pop_one`), `history` (the event log,
//! beside the state), `actions`, `batch` (RunTask/StartTask), `scheduler` (reconcile, REPLICA
//! and DAEMON), `deployments`, `lifecycle` (the one `launch`, stops, drain, terminate),
//! `health_checks`, `placement_driver` (the one placement driver and its sub-state), `plan`,
//! `trace`, `snapshot`, `invariants`. A new subsystem is a new file, a `WakeupKind` and, if it
//! keeps state per service, a member of `ServiceRuntime`.

mod actions;
mod batch;
pub use batch::ClusterAtFailure;
mod bounds;
pub use bounds::{RunBound, RunBudget, EVENTS_KEPT_MAX, TASKS_KEPT_MAX};
mod deployments;
mod digest;
#[cfg(feature = "discovery")]
mod discovery;
#[cfg(feature = "discovery")]
pub use discovery::{task_ip, Discovery, RegistryInstance, Target};
#[cfg(feature = "discovery")]
mod discovery_views;
#[cfg(feature = "discovery")]
mod traffic;
#[cfg(feature = "discovery")]
pub use discovery_views::{RecordSetView, TargetGroupView, TargetRow};
#[cfg(feature = "discovery")]
pub use traffic::{TargetKey, TrafficNames, TrafficWorld, TRAFFIC_TICK_MS};
mod health_checks;
mod history;
mod invariants;
mod lifecycle;
mod placement_driver;
mod plan;
mod queue;
mod run;
mod scheduler;
pub(crate) mod snapshot;
#[cfg(not(feature = "discovery"))]
mod without_discovery;
pub use snapshot::{snapshot_fingerprint, SnapshotError, SNAPSHOT_VERSION};
mod trace;

pub use history::EventLog;
use history::History;
use lifecycle::TaskOwner;
use placement_driver::Placer;
use queue::{HealthStep, Queue, WakeupKind};

use crate::action::{
    self, Action, ActionError, AlarmState, CreateService, Failure, RegisterTaskDefinition, RunTask,
    StartTask, UpdateService,
};
use crate::behaviour::Behaviour;
use crate::cluster::{ContainerInstance, InstanceId, InstanceStatus, NewInstance};
use crate::compact::SortedMap;
use crate::deploy::{self, Deployment, DeploymentStatus, RolloutState, ThresholdKind};
use crate::event::{BatchCall, BatchKind, Event, EventKind, ServiceEvent};
use crate::health::{self, HealthPlan, TaskHealth};
use crate::placement::{self, Constraint, PlacementDecision, PlacementRequest, Strategy};
use crate::placement_index::PlacementIndex;
use crate::rng::{SimRng, Streams};
use crate::scenario::{self, CompiledScenario, CompiledService, Scenario, ScenarioError};
use crate::service::{SchedulingStrategy, Service, ServiceId, ThresholdType};
use crate::task::{StopCode, Task, TaskId, TaskState};
use crate::taskdef::{NetworkMode, TaskDefinitionRef, TaskDefinitionRegistry};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Assumption (not in the ECS docs): time spent in ACTIVATING and DEACTIVATING (registration
/// and deregistration steps) when no load balancer is attached.
pub const ACTIVATING_MS: u64 = 1_000;
pub const DEACTIVATING_MS: u64 = 1_000;
/// Assumption: awsvpc ENI attach (PROVISIONING) and detach (DEPROVISIONING) take a second each.
pub const ENI_ATTACH_MS: u64 = 1_000;
/// Default container `stopTimeout` (§3.3): SIGKILL after 30 s.
pub const STOP_TIMEOUT_MS_DEFAULT: u64 = 30_000;
/// Bound on wake-ups processed by one `step` and one `run_until` (a hostile scenario must not
/// freeze the tab).
pub const STEP_WAKEUPS_MAX: u32 = 100_000;
pub const RUN_WAKEUPS_MAX: u64 = 20_000_000;
/// Bounds on one "next decision": it gives up after this many wake-ups, or before a wake-up
/// more than this much simulated time after it started.
pub const DECISION_WAKEUPS_MAX: u64 = 1_000_000;
pub const DECISION_HORIZON_MS: u64 = 60 * 60 * 1000;
/// ECS suppresses a duplicate service event until its cause is resolved or 6 hours pass (§1.8).
pub const DUPLICATE_SERVICE_EVENT_MS: u64 = 6 * 60 * 60 * 1000;
/// Assumption: instances in a scenario registered at 2026-01-01T00:00:00Z (`registeredAt`).
pub const SCENARIO_EPOCH_SECONDS: i64 = 1_767_225_600;
/// Assumption (ecs-semantics §4.5 ∅: "bake time computed from the alarm configuration"): a
/// deployment that monitors alarms bakes `bakeTimeInMinutes` if given, else 5 minutes.
pub const BAKE_TIME_MS_DEFAULT: u64 = 5 * 60 * 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    now: SimTime,
    queue: Queue,
    /// The named random streams, one per subsystem (`rng.rs`).
    rngs: Streams,
    instances: Vec<ContainerInstance>,
    registry: TaskDefinitionRegistry,
    behaviours: SortedMap<TaskDefinitionRef, Behaviour>,
    services: Vec<Service>,
    tasks: Vec<Task>,
    /// The event log, beside the state: checkpoints share it (`history.rs`).
    history: History,
    scenario_name: String,
    /// CloudWatch alarm states driven by the timeline; absent = OK (§4.5).
    alarms: SortedMap<String, AlarmState>,
    /// Event-log position at which each instance last became DRAINING or INACTIVE.
    unusable_since_event: Vec<Option<u64>>,
    /// Scheduler decisions that broke a deployment bound; `check_invariants` reports them.
    violations: Vec<String>,
    /// Every RunTask/StartTask: what was asked, what started, `failures[]`, and the cluster at the
    /// first failure (for counterfactuals).
    batches: Vec<BatchRecord>,
    /// Placement's sub-state: the fast path's indexes and the probe.
    placer: Placer,
    /// What the run may hold (`bounds.rs`); not saved in snapshots.
    #[serde(skip)]
    budget: RunBudget,
    /// The service-discovery model's sub-state: targets, registry instances (`discovery.rs`).
    #[cfg(feature = "discovery")]
    discovery: discovery::Discovery,
    /// Synthetic traffic's sub-state, when the scenario has `traffic` (`traffic.rs`).
    #[cfg(feature = "discovery")]
    traffic: Option<Box<traffic::TrafficWorld>>,
    /// The live-task bits of the last cluster at a failure (`batch.rs`), derived and not in
    /// snapshots: kept current by the tasks launched and stopped since, not by a walk of the
    /// task table per failed call.
    #[serde(skip)]
    live_tasks: batch::LiveTasks,
}

/// One RunTask or StartTask call: what was asked, each task's placement decision, and for an
/// unplaced task the cluster as it was (so counterfactuals can be computed later).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BatchRecord {
    pub at: SimTime,
    pub label: String,
    pub requirements: crate::taskdef::ResourceRequirements,
    pub group: String,
    /// Shared with the calls before that gave the same placement.
    pub constraints: std::sync::Arc<[Constraint]>,
    pub strategies: std::sync::Arc<[Strategy]>,
    pub subnet_zones: Vec<String>,
    /// Shared with the call's event.
    pub started: std::sync::Arc<[TaskId]>,
    /// `failures[]`, shared with the call's event (and with the call before when equal).
    pub failures: std::sync::Arc<[Failure]>,
    /// The cluster at the first failed decision, in the compact form of `batch.rs`
    /// ([`World::cluster_at_failure`] gives it back whole).
    pub cluster_at_failure: Option<ClusterAtFailure>,
}

/// A saved moment of a run; restoring it and replaying gives the identical trace. Taking one
/// copies the state but shares the history (`history.rs`), so it also serves a later restore
/// forward again after a rewind.
#[derive(Clone, Debug)]
pub struct Checkpoint(World);

impl Checkpoint {
    pub fn at(&self) -> SimTime {
        self.0.now
    }

    /// The saved world, read-only (to continue from it elsewhere: clone it, or snapshot it).
    pub fn world(&self) -> &World {
        &self.0
    }

    /// How many tasks had been launched by then (task ids are dense, so every later task's id
    /// is at least this).
    pub fn tasks_launched(&self) -> usize {
        self.0.tasks.len()
    }

    /// Heap bytes the checkpoint holds beyond the shared history, estimated from its counts:
    /// `CLONE_BYTES_PER_SERVICE` per service (definition, deployments, bindings, runtime, its
    /// traffic state), `CLONE_BYTES_PER_TASK` per task, `CLONE_BYTES_PER_INSTANCE` per
    /// container instance. Measured natively by `cargo run --release -p flotilla-bench --bin
    /// clone-bytes` (10,000 services and 30,000 tasks: 59.5 MB; 1,000 instances and 10,000
    /// tasks: 2.5 MB) and rounded up; wasm32's narrower pointers make a clone smaller still.
    pub fn bytes_estimate(&self) -> u64 {
        let world = &self.0;
        world.services.len() as u64 * CLONE_BYTES_PER_SERVICE
            + world.tasks.len() as u64 * CLONE_BYTES_PER_TASK
            + world.instances.len() as u64 * CLONE_BYTES_PER_INSTANCE
    }
}

/// What one world's clone holds per service, task and instance (`Checkpoint::bytes_estimate`).
pub const CLONE_BYTES_PER_SERVICE: u64 = 6_000;
pub const CLONE_BYTES_PER_TASK: u64 = 200;
pub const CLONE_BYTES_PER_INSTANCE: u64 = 500;

/// Why `step_to_next_decision` stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionStop {
    /// The last wake-up processed recorded a decision (`EventKind::is_decision`).
    Decision,
    /// Nothing is left to happen.
    Idle,
    /// The next wake-up lies more than `DECISION_HORIZON_MS` after the start.
    Horizon,
    /// `DECISION_WAKEUPS_MAX` wake-ups went by without a decision.
    Bounded,
    /// The run's budget is used up ("run bound hit", `World::run_bound`).
    RunBound(RunBound),
}

/// What `step_to_next_decision` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecisionReport {
    pub stop: DecisionStop,
    pub wakeups: u64,
    pub events: u64,
}

/// What `run_until` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunReport {
    pub wakeups: u64,
    pub events: u64,
    /// "Run bound hit": the bound that stopped the run before the target time (the world's
    /// budget, `World::run_bound`, or the wake-ups of one call).
    pub bound: Option<RunBound>,
}

/// What one `run_until_sliced` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceReport {
    pub wakeups: u64,
    pub events: u64,
    pub end: SliceEnd,
}

/// Where a slice stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceEnd {
    /// Every wake-up up to the target ran and the clock is at the target.
    Reached,
    /// Paused between two moments; call again to continue.
    Paused,
    /// "Run bound hit" (as `RunReport::bound`): the world's budget, or `RUN_WAKEUPS_MAX`
    /// reached across the slices.
    Bounded(RunBound),
}

impl World {
    /// Builds the world at time zero from a scenario file: compiles it (every problem, or the
    /// model) and builds the world from the model (`World::from_compiled`).
    pub fn new(scenario: &Scenario) -> Result<World, Vec<ScenarioError>> {
        Ok(World::from_compiled(&scenario::compile(scenario)?))
    }

    /// Builds the world at time zero from a compiled scenario: instances registered, task
    /// definitions registered, services created (their first reconcile queued) and the
    /// timeline scheduled. The model passed every check, so nothing is parsed or skipped here.
    pub fn from_compiled(scenario: &CompiledScenario) -> World {
        let mut world = World {
            now: SimTime::ZERO,
            queue: Queue::default(),
            rngs: Streams::new(scenario.seed),
            instances: Vec::new(),
            registry: TaskDefinitionRegistry::default(),
            behaviours: scenario.behaviours.clone(),
            services: Vec::new(),
            tasks: Vec::new(),
            history: History::default(),
            scenario_name: scenario.name.clone(),
            batches: Vec::new(),
            alarms: SortedMap::new(),
            unusable_since_event: Vec::new(),
            violations: Vec::new(),
            placer: Placer::default(),
            budget: RunBudget::default(),
            #[cfg(feature = "discovery")]
            discovery: discovery::Discovery::new(scenario),
            #[cfg(feature = "discovery")]
            traffic: None,
            live_tasks: batch::LiveTasks::default(),
        };
        for entry in &scenario.fleet {
            for _ in 0..entry.count {
                let id = InstanceId(world.instances.len() as u32);
                world.instances.push(ContainerInstance::new(
                    id,
                    NewInstance {
                        instance_type: entry.instance_type,
                        availability_zone: &entry.availability_zone,
                        ami_id: &entry.ami_id,
                        custom_attributes: &entry.attributes,
                        registered_at_epoch_seconds: SCENARIO_EPOCH_SECONDS,
                        awsvpc_trunking: entry.awsvpc_trunking,
                        agent_connected: entry.agent_connected,
                    },
                ));
                world.unusable_since_event.push(None);
                world.record(EventKind::InstanceRegistered { instance: id });
            }
        }
        world.placer.index = PlacementIndex::new(&world.instances);
        for (expected, definition) in &scenario.task_definitions {
            let reference = world.registry.register(definition.clone());
            assert_eq!(
                &reference, expected,
                "the registry numbers revisions as compile did"
            );
            world.record(EventKind::TaskDefinitionRegistered {
                task_definition: reference,
            });
        }
        for compiled in &scenario.services {
            world.add_service(compiled);
        }
        // §3.1: daemon tasks launch first on an instance, so daemon services reconcile first.
        for daemon_first in [true, false] {
            for index in 0..world.services.len() {
                if world.services[index].is_daemon() == daemon_first {
                    world.queue_reconcile(ServiceId(index as u32));
                }
            }
        }
        for entry in &scenario.timeline {
            world.schedule(
                entry.at,
                WakeupKind::Timeline {
                    action: Box::new(entry.action.clone()),
                },
            );
        }
        #[cfg(feature = "discovery")]
        if let Some(traffic) = &scenario.traffic {
            world.start_traffic(&traffic.plan, scenario.seed);
        }
        world
    }

    // ---- reading -------------------------------------------------------------------------

    pub fn now(&self) -> SimTime {
        self.now
    }
    pub fn scenario_name(&self) -> &str {
        &self.scenario_name
    }
    pub fn instances(&self) -> &[ContainerInstance] {
        &self.instances
    }
    pub fn services(&self) -> &[Service] {
        &self.services
    }
    /// Every task ever launched, STOPPED ones included, indexed by `TaskId`.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    /// The event log so far: a view over its chunks (no copy), indexed and iterated like a slice.
    pub fn events(&self) -> EventLog<'_> {
        self.history.events()
    }
    pub fn task_definitions(&self) -> &TaskDefinitionRegistry {
        &self.registry
    }
    /// When the next queued wake-up is due, if any.
    pub fn next_wakeup_at(&self) -> Option<SimTime> {
        self.queue.next_at()
    }
    pub fn instance(&self, id: InstanceId) -> &ContainerInstance {
        &self.instances[id.0 as usize]
    }
    pub fn service(&self, id: ServiceId) -> &Service {
        &self.services[id.0 as usize]
    }
    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.0 as usize]
    }

    /// Every RunTask/StartTask so far, in order.
    pub fn batches(&self) -> &[BatchRecord] {
        &self.batches
    }

    /// The alarm's state as the timeline left it (OK unless set).
    pub fn alarm_state(&self, alarm: &str) -> AlarmState {
        self.alarms.get(alarm).copied().unwrap_or(AlarmState::Ok)
    }

    /// Every alarm whose state an action has set, by name (the ones never set are OK).
    pub fn alarm_states(&self) -> &SortedMap<String, AlarmState> {
        &self.alarms
    }

    fn requirements_of(
        &self,
        reference: &TaskDefinitionRef,
    ) -> crate::taskdef::ResourceRequirements {
        self.registry
            .get(reference)
            .map(|d| d.requirements())
            .unwrap_or_default()
    }

    fn schedule(&mut self, at: SimTime, kind: WakeupKind) {
        self.queue.schedule(at, kind);
    }

    fn record_service_event(&mut self, service: ServiceId, event: ServiceEvent) {
        self.record(EventKind::ServiceMessage { service, event });
    }

    fn record(&mut self, kind: EventKind) {
        self.history.push(Event { at: self.now, kind });
    }

    /// Creates a compiled service (at time zero or by a `createService`): its record, its
    /// discovery bindings, `ServiceCreated` and its first deployment. Its reconcile is the
    /// caller's to queue.
    fn add_service(&mut self, compiled: &CompiledService) -> ServiceId {
        let service = build_service(ServiceId(self.services.len() as u32), compiled);
        let (id, desired_count) = (service.id, service.desired_count);
        let task_definition = service.task_definition.clone();
        self.services.push(service);
        #[cfg(feature = "discovery")]
        self.discovery.add_service(
            id,
            compiled.load_balancers.clone(),
            compiled.service_registries.clone(),
        );
        self.record(EventKind::ServiceCreated {
            service: id,
            task_definition: task_definition.clone(),
            desired_count,
        });
        self.create_deployment(id, task_definition, None);
        id
    }
}

/// FNV-1a over the trace text: a short fingerprint to compare runs (native vs wasm, twice).
pub fn trace_hash(trace: &str) -> u64 {
    crate::hash::fnv1a_64(trace.as_bytes())
}

/// The runtime record of a compiled service: its parsed placement (a REPLICA service without
/// strategies gets the documented default, §3.2), nothing launched yet.
fn build_service(id: ServiceId, compiled: &CompiledService) -> Service {
    let mut strategies = compiled.strategies.clone();
    if strategies.is_empty() && compiled.scheduling_strategy == SchedulingStrategy::Replica {
        strategies = Strategy::service_default();
    }
    Service {
        id,
        name: compiled.definition.service_name.clone(),
        definition: compiled.definition.clone(),
        task_definition: compiled.task_definition.clone(),
        desired_count: compiled.desired_count,
        constraints: compiled.constraints.clone(),
        strategies,
        steady: false,
        scheduling_strategy: compiled.scheduling_strategy,
        deployment_configuration: compiled.deployment_configuration.clone(),
        health_check_grace_period_ms: compiled.health_check_grace_period_ms,
        deployments: Vec::new(),
        runtime: crate::service::ServiceRuntime::default(),
    }
}
