//! The world: the one place that owns and mutates simulation state — container instances,
//! task definitions, services, tasks, the event queue, the trace and the only RNG.
//! Time and actions go in (`apply`, `step`, `run_until`); events come out. Decisions are
//! delegated to pure functions (`placement::place`, `placement::choose_task_to_stop`); this
//! module applies them and records what happened. Placement goes through the indexed fast
//! path (`placement_index`), which decides exactly as `placement::place` and is kept current
//! here on every reserve, release and instance status change.
//!
//! The queue holds wake-ups ordered by `(time, seq)`, so equal-time wake-ups run in the order
//! they were scheduled and a run is a pure function of the scenario, its seed and the actions.

mod batch;
mod invariants;
pub(crate) mod snapshot;
pub use snapshot::{snapshot_fingerprint, SnapshotError, SNAPSHOT_VERSION};
mod trace;

use crate::action::{
    self, Action, ActionError, AlarmState, Failure, RegisterTaskDefinition, RunTask, StartTask,
    UpdateService,
};
use crate::catalogue;
use crate::cluster::{ContainerInstance, InstanceId, InstanceStatus, NewInstance};
use crate::deploy::{self, Deployment, DeploymentStatus, RolloutState, ThresholdKind};
use crate::event::{Event, EventKind};
use crate::health::{self, HealthPlan, TaskHealth};
use crate::placement::{self, Constraint, PlacementDecision, PlacementRequest, Strategy};
use crate::placement_index::PlacementIndex;
use crate::rng::SimRng;
use crate::scenario::{
    self, BehaviourSpec, Scenario, ScenarioError, DEFAULT_START_TIME_MS, DEFAULT_STOP_TIME_MS,
};
use crate::service::{SchedulingStrategy, Service, ServiceId, ThresholdType};
use crate::task::{StopCode, Task, TaskId, TaskState};
use crate::taskdef::{NetworkMode, TaskDefinitionRef, TaskDefinitionRegistry};
use crate::time::{parse_duration, SimTime};
use serde::{Deserialize, Serialize};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};

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
/// Assumption: instances in a scenario registered at 2026-01-01T00:00:00Z (`registeredAt`).
pub const SCENARIO_EPOCH_SECONDS: i64 = 1_767_225_600;
/// Assumption (ecs-semantics §4.5 ∅: "bake time computed from the alarm configuration"): a
/// deployment that monitors alarms bakes `bakeTimeInMinutes` if given, else 5 minutes.
pub const BAKE_TIME_MS_DEFAULT: u64 = 5 * 60 * 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    now: SimTime,
    next_seq: u64,
    #[serde(with = "snapshot::queue_in_order")]
    queue: BinaryHeap<Reverse<Wakeup>>,
    rng: SimRng,
    instances: Vec<ContainerInstance>,
    registry: TaskDefinitionRegistry,
    behaviours: BTreeMap<TaskDefinitionRef, Behaviour>,
    services: Vec<Service>,
    /// Tasks of each service that are not yet STOPPED, by service index.
    live_tasks: Vec<Vec<TaskId>>,
    /// How many of `live_tasks` still have desiredStatus RUNNING, per service (the
    /// maximumPercent check at every launch reads it instead of counting).
    wanting_to_run: Vec<u32>,
    reconcile_queued: Vec<bool>,
    tasks: Vec<Task>,
    events: Vec<Event>,
    scenario_name: String,
    /// CloudWatch alarm states driven by the timeline; absent = OK (§4.5).
    alarms: BTreeMap<String, AlarmState>,
    /// Event-log position at which each instance last became DRAINING or INACTIVE.
    unusable_since_event: Vec<Option<u64>>,
    /// Throttle wake-up already queued per service (§3.7), to queue it once.
    throttle_wakeups: Vec<Option<SimTime>>,
    /// Scheduler decisions that broke a deployment bound; `check_invariants` reports them.
    violations: Vec<String>,
    /// Every RunTask/StartTask with its placement decisions, for explanations (issue 3).
    batches: Vec<BatchRecord>,
    /// The fast placement path's indexes, updated on every reserve, release and status change.
    placement_index: PlacementIndex,
    /// RunTask/StartTask keep every decision's explanation (`BatchRecord::decisions`).
    explain_batches: bool,
    /// The one task whose placement decision to capture with its full explanation, and the
    /// decision once it is made ([`World::probe_placement_of`]).
    /// Transient (only scratch copies of a run carry a probe), so not in snapshots.
    #[serde(skip)]
    placement_probe: Option<(TaskId, Option<PlacementDecision>)>,
}

/// One RunTask or StartTask call: what was asked, each task's placement decision, and for an
/// unplaced task the cluster as it was (so counterfactuals can be computed later).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BatchRecord {
    pub at: SimTime,
    pub label: String,
    pub requirements: crate::taskdef::ResourceRequirements,
    pub group: String,
    pub constraints: Vec<Constraint>,
    pub strategies: Vec<Strategy>,
    pub subnet_zones: Vec<String>,
    /// Each task's decision with its full explanation — recorded only when
    /// [`World::record_batch_explanations`] is on (the CLI's `explain` turns it on); empty
    /// otherwise, so a long run does not keep a per-instance explanation for every task.
    pub decisions: Vec<PlacementDecision>,
    pub started: Vec<TaskId>,
    pub failures: Vec<Failure>,
    /// The cluster at the first failed decision, and the tasks then holding resources.
    pub cluster_at_failure: Option<(Vec<ContainerInstance>, Vec<crate::counterfactual::TaskHold>)>,
}

/// A saved moment of a run; restoring it and replaying gives the identical trace.
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
}

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
    /// True when the wake-up bound stopped the run before the target time.
    pub bounded: bool,
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
    /// `RUN_WAKEUPS_MAX` reached across the slices (as `RunReport::bounded`).
    Bounded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Behaviour {
    start_ms: u64,
    stop_ms: u64,
    crash_rate_percent: u32,
    health_check_failure_percent: u32,
    crash_after_ms: Option<u64>,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            start_ms: DEFAULT_START_TIME_MS,
            stop_ms: DEFAULT_STOP_TIME_MS,
            crash_rate_percent: 0,
            health_check_failure_percent: 0,
            crash_after_ms: None,
        }
    }
}

impl Behaviour {
    /// `base` with the members `spec` names replaced. Specs were validated, so bad durations
    /// cannot occur; they keep the base value if they do.
    fn with(base: Behaviour, spec: &BehaviourSpec) -> Behaviour {
        let duration = |text: &Option<String>, default: u64| {
            text.as_deref()
                .and_then(|t| parse_duration(t).ok())
                .unwrap_or(default)
        };
        Behaviour {
            start_ms: duration(&spec.start_time, base.start_ms),
            stop_ms: duration(&spec.stop_time, base.stop_ms),
            crash_rate_percent: spec.crash_rate_percent.unwrap_or(base.crash_rate_percent),
            health_check_failure_percent: spec
                .health_check_failure_percent
                .unwrap_or(base.health_check_failure_percent),
            crash_after_ms: spec
                .crash_after
                .as_deref()
                .and_then(|t| parse_duration(t).ok())
                .or(base.crash_after_ms),
        }
    }
}

/// A timed step of a task's health (§3.4) or its crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum HealthStep {
    /// 40 s after RUNNING without health checks.
    CountHealthy,
    /// The container health checks reached a verdict.
    Checks(TaskHealth),
    /// The grace period ended with the task still UNHEALTHY.
    ActOnUnhealthy,
    /// The essential container exits (revision behaviour `crashAfter`).
    Crash,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Wakeup {
    at: SimTime,
    seq: u64,
    kind: WakeupKind,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum WakeupKind {
    /// Move a task on from `from`; stale (ignored) if the task has left that state meanwhile.
    Advance {
        task: TaskId,
        from: TaskState,
    },
    Reconcile {
        service: ServiceId,
    },
    /// Boxed: an `Action` is ~150 bytes and every task keeps a wake-up queued, so the
    /// unboxed variant made each of them 168 bytes instead of 32.
    Timeline {
        #[serde(with = "crate::world::snapshot::json_text")]
        action: Box<Action>,
    },
    Health {
        task: TaskId,
        step: HealthStep,
    },
    /// The restart back-off of a service ended (§3.7).
    Throttle {
        service: ServiceId,
    },
    /// A deployment's bake time ended (§4.5).
    BakeEnd {
        service: ServiceId,
        deployment: u32,
    },
}

impl PartialEq for Wakeup {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Wakeup {}
impl PartialOrd for Wakeup {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Wakeup {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl World {
    /// Builds the world at time zero: instances registered, task definitions registered,
    /// services created (their first reconcile queued) and the timeline scheduled.
    pub fn new(scenario: &Scenario) -> Result<World, Vec<ScenarioError>> {
        let errors = scenario::validate(scenario);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut world = World {
            now: SimTime::ZERO,
            next_seq: 0,
            queue: BinaryHeap::new(),
            rng: SimRng::from_seed(scenario.seed),
            instances: Vec::new(),
            registry: TaskDefinitionRegistry::default(),
            behaviours: BTreeMap::new(),
            services: Vec::new(),
            live_tasks: Vec::new(),
            wanting_to_run: Vec::new(),
            reconcile_queued: Vec::new(),
            tasks: Vec::new(),
            events: Vec::new(),
            scenario_name: scenario.name.clone(),
            batches: Vec::new(),
            alarms: BTreeMap::new(),
            unusable_since_event: Vec::new(),
            throttle_wakeups: Vec::new(),
            violations: Vec::new(),
            placement_index: PlacementIndex::default(),
            explain_batches: false,
            placement_probe: None,
        };
        let mut errors = Vec::new();
        for entry in &scenario.fleet {
            let Some(instance_type) = catalogue::lookup(&entry.instance_type) else {
                continue;
            };
            for _ in 0..entry.count {
                let id = InstanceId(world.instances.len() as u32);
                world.instances.push(ContainerInstance::new(
                    id,
                    NewInstance {
                        instance_type,
                        availability_zone: &entry.availability_zone,
                        ami_id: entry.ami_id.as_deref().unwrap_or("ami-0f5ab39fd2b8c2c9e"),
                        custom_attributes: &entry.attributes,
                        registered_at_epoch_seconds: SCENARIO_EPOCH_SECONDS,
                        awsvpc_trunking: entry.awsvpc_trunking.unwrap_or(false),
                        agent_connected: entry.agent_connected.unwrap_or(true),
                    },
                ));
                world.unusable_since_event.push(None);
                world.record(EventKind::InstanceRegistered { instance: id });
            }
        }
        world.placement_index = PlacementIndex::new(&world.instances);
        for definition in &scenario.task_definitions {
            let reference = world.registry.register(definition.clone());
            world.record(EventKind::TaskDefinitionRegistered {
                task_definition: reference,
            });
        }
        for behaviour in &scenario.revision_behaviour {
            let Ok(reference) = world.registry.resolve(&behaviour.task_definition) else {
                continue;
            };
            world.behaviours.insert(
                reference,
                Behaviour::with(Behaviour::default(), &behaviour.spec()),
            );
        }
        for (index, definition) in scenario.services.iter().enumerate() {
            match world.build_service(ServiceId(index as u32), definition) {
                Ok(service) => {
                    let (id, desired_count) = (service.id, service.desired_count);
                    let task_definition = service.task_definition.clone();
                    world.services.push(service);
                    world.live_tasks.push(Vec::new());
                    world.wanting_to_run.push(0);
                    world.reconcile_queued.push(false);
                    world.throttle_wakeups.push(None);
                    world.record(EventKind::ServiceCreated {
                        service: id,
                        desired_count,
                    });
                    world.create_deployment(id, task_definition, None);
                }
                Err(message) => errors.push(ScenarioError {
                    path: format!("services[{index}]"),
                    message,
                }),
            }
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
            let Ok(at_ms) = parse_duration(&entry.at) else {
                continue;
            };
            world.schedule(
                SimTime(at_ms),
                WakeupKind::Timeline {
                    action: Box::new(entry.action.clone()),
                },
            );
        }
        if errors.is_empty() {
            Ok(world)
        } else {
            Err(errors)
        }
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
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn task_definitions(&self) -> &TaskDefinitionRegistry {
        &self.registry
    }
    /// When the next queued wake-up is due, if any.
    pub fn next_wakeup_at(&self) -> Option<SimTime> {
        self.queue.peek().map(|Reverse(w)| w.at)
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

    /// Where the next task of `service` would go now, with the full explanation. Uses a copy of
    /// the RNG so asking never changes the run.
    pub fn explain_next_placement(&self, service: ServiceId) -> PlacementDecision {
        let service = &self.services[service.0 as usize];
        let requirements = self.requirements_of(&service.task_definition);
        let group = service.group();
        let request = PlacementRequest {
            requirements: &requirements,
            group: &group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &[],
        };
        placement::place(&self.instances, &request, &mut self.rng.clone())
    }

    /// From now on, RunTask/StartTask record each task's full placement explanation in
    /// [`BatchRecord::decisions`] (placed by the linear oracle). Off by default; the trace is
    /// the same either way.
    pub fn record_batch_explanations(&mut self, on: bool) {
        self.explain_batches = on;
    }

    /// Captures the placement decision of `task` (not launched yet) with the oracle's full
    /// explanation when it is placed, for "why did this task go there": a copy of a world from
    /// before the task is replayed with the probe on. The oracle runs on a copy of the RNG and
    /// decides exactly as the fast path does, so the run is unchanged.
    pub fn probe_placement_of(&mut self, task: TaskId) {
        self.placement_probe = Some((task, None));
    }

    /// The decision captured by [`World::probe_placement_of`], once the task has been placed.
    pub fn probed_placement(&self) -> Option<&PlacementDecision> {
        self.placement_probe.as_ref().and_then(|(_, d)| d.as_ref())
    }

    /// Every RunTask/StartTask so far, in order.
    pub fn batches(&self) -> &[BatchRecord] {
        &self.batches
    }

    /// What each live task holds, for counterfactuals ("stop which tasks").
    pub fn task_holds(&self) -> Vec<crate::counterfactual::TaskHold> {
        self.tasks
            .iter()
            .filter(|t| t.state != TaskState::Stopped)
            .map(|t| crate::counterfactual::TaskHold {
                task: t.id.to_string(),
                instance: t.instance,
                group: t.group.clone(),
                cpu_units: t.cpu_units,
                memory_mib: t.memory_mib,
                gpus: t.gpus,
                eni: t.eni,
                static_host_ports: t.static_host_ports.clone(),
            })
            .collect()
    }

    /// Smallest verified changes that would let the next task of `service` be placed; empty
    /// when it can be placed now.
    pub fn counterfactuals_for_service(
        &self,
        service: ServiceId,
    ) -> Vec<crate::counterfactual::Suggestion> {
        let service = &self.services[service.0 as usize];
        let requirements = self.requirements_of(&service.task_definition);
        let group = service.group();
        let request = PlacementRequest {
            requirements: &requirements,
            group: &group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &[],
        };
        crate::counterfactual::suggest(&self.instances, &self.task_holds(), &request)
    }

    /// The plan preview (§4.2) for deploying `task_definition` (default: the current revision,
    /// as forceNewDeployment would) to a REPLICA service, from the cluster as it is now and the
    /// revisions' nominal timing. Pure: the world is not changed.
    pub fn plan_deployment(
        &self,
        service_name: &str,
        task_definition: Option<&str>,
    ) -> Result<deploy::Plan, ActionError> {
        let service = self
            .services
            .iter()
            .find(|s| s.name == service_name)
            .ok_or_else(|| ActionError(format!("no service named \"{service_name}\"")))?;
        if service.is_daemon() {
            return Err(ActionError(
                "the plan preview covers REPLICA services; a DAEMON service replaces one task per instance".into(),
            ));
        }
        let old = service.task_definition.clone();
        let new = match task_definition {
            Some(text) => self.registry.resolve(text).map_err(ActionError)?,
            None => old.clone(),
        };
        let new_requirements = self.requirements_of(&new);
        let old_requirements = self.requirements_of(&old);
        let new_behaviour = self.behaviours.get(&new).copied().unwrap_or_default();
        let old_behaviour = self.behaviours.get(&old).copied().unwrap_or_default();
        let eni_ms = |r: &crate::taskdef::ResourceRequirements| {
            if r.network_mode == Some(NetworkMode::Awsvpc) {
                ENI_ATTACH_MS
            } else {
                0
            }
        };
        let checks = self
            .registry
            .get(&new)
            .map(health::essential_checks)
            .unwrap_or_default();
        let healthy_after_ms = match health::health_plan(&checks, false) {
            HealthPlan::CountedAfter { after_ms } | HealthPlan::Checks { after_ms, .. } => after_ms,
        };
        let start_to_healthy_ms =
            eni_ms(&new_requirements) + new_behaviour.start_ms + ACTIVATING_MS + healthy_after_ms;
        let stop_ms = DEACTIVATING_MS
            + old_behaviour.stop_ms.min(self.stop_timeout_ms(&old))
            + eni_ms(&old_requirements);
        let free_slots: u32 = self
            .instances
            .iter()
            .filter(|i| i.accepts_placements())
            .map(|i| slots_for(i, &new_requirements))
            .sum();
        let old_task_frees_slot = old_requirements.cpu_units >= new_requirements.cpu_units
            && old_requirements.memory_mib >= new_requirements.memory_mib
            && new_requirements
                .static_host_ports
                .iter()
                .all(|p| old_requirements.static_host_ports.contains(p));
        let input = deploy::PlanInput {
            desired: service.desired_count,
            minimum_healthy_percent: service.minimum_healthy_percent(),
            maximum_percent: service.maximum_percent(),
            old_tasks: service.desired_count,
            free_slots,
            old_task_frees_slot,
            start_to_healthy_ms,
            stop_ms,
        };
        Ok(deploy::plan(&service.name, &input))
    }

    /// The alarm's state as the timeline left it (OK unless set).
    pub fn alarm_state(&self, alarm: &str) -> AlarmState {
        self.alarms.get(alarm).copied().unwrap_or(AlarmState::Ok)
    }

    /// Every alarm whose state an action has set, by name (the ones never set are OK).
    pub fn alarm_states(&self) -> &BTreeMap<String, AlarmState> {
        &self.alarms
    }

    // ---- time ----------------------------------------------------------------------------

    /// Processes wake-ups until at least one event is recorded (or the queue is empty) and
    /// returns the new events.
    pub fn step(&mut self) -> &[Event] {
        let first = self.events.len();
        for _ in 0..STEP_WAKEUPS_MAX {
            let Some(Reverse(wakeup)) = self.queue.pop() else {
                break;
            };
            self.now = wakeup.at;
            self.handle(wakeup.kind);
            if self.events.len() > first {
                break;
            }
        }
        &self.events[first..]
    }

    /// Processes every wake-up due at or before `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: SimTime) -> RunReport {
        let first = self.events.len();
        let mut wakeups = 0;
        while self.queue.peek().is_some_and(|Reverse(w)| w.at <= until) {
            if wakeups == RUN_WAKEUPS_MAX {
                return RunReport {
                    wakeups,
                    events: (self.events.len() - first) as u64,
                    bounded: true,
                };
            }
            let Some(Reverse(wakeup)) = self.queue.pop() else {
                break;
            };
            self.now = wakeup.at;
            self.handle(wakeup.kind);
            wakeups += 1;
        }
        self.now = self.now.max(until);
        RunReport {
            wakeups,
            events: (self.events.len() - first) as u64,
            bounded: false,
        }
    }

    /// `run_until` in slices, for callers that must stay responsive (the web app's jumps): pops
    /// the wake-ups due at or before `until` like `run_until`, but pauses once `slice_wakeups`
    /// were popped and the next one is later than the clock, so a paused world is exactly what
    /// `run_until(self.now())` would leave (a moment a run can be checkpointed at or resumed
    /// from). Calling it again continues; the slices together pop exactly what one
    /// `run_until(until)` pops, and `RUN_WAKEUPS_MAX` counts across them through `popped_before`
    /// (the wake-ups the earlier slices of this run popped).
    pub fn run_until_sliced(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
    ) -> SliceReport {
        self.run_slice(until, slice_wakeups, popped_before, true)
    }

    /// As `run_until_sliced`, but pauses after `slice_wakeups` even inside a moment (one moment
    /// can be 10,000 task launches). A world paused there is only good for continuing — with
    /// either method, here or from its snapshot — not for a checkpoint of the run.
    pub fn run_until_partly(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
    ) -> SliceReport {
        self.run_slice(until, slice_wakeups, popped_before, false)
    }

    fn run_slice(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
        between_moments: bool,
    ) -> SliceReport {
        let first = self.events.len();
        let mut wakeups = 0;
        let report = |world: &World, wakeups, end| SliceReport {
            wakeups,
            events: (world.events.len() - first) as u64,
            end,
        };
        while let Some(at) = self.next_wakeup_at().filter(|at| *at <= until) {
            if popped_before + wakeups >= RUN_WAKEUPS_MAX {
                return report(self, wakeups, SliceEnd::Bounded);
            }
            if wakeups >= slice_wakeups && (!between_moments || at > self.now) {
                return report(self, wakeups, SliceEnd::Paused);
            }
            let Some(Reverse(wakeup)) = self.queue.pop() else {
                break;
            };
            self.now = wakeup.at;
            self.handle(wakeup.kind);
            wakeups += 1;
        }
        self.now = self.now.max(until);
        report(self, wakeups, SliceEnd::Reached)
    }

    /// Runs until nothing is left to happen, or until the wake-up bound is hit.
    pub fn run_until_idle(&mut self) -> RunReport {
        let mut total = RunReport {
            wakeups: 0,
            events: 0,
            bounded: false,
        };
        // Handling wake-ups schedules later ones, so run to the latest queued one until none is left.
        while let Some(last) = self.queue.iter().map(|Reverse(w)| w.at).max() {
            let report = self.run_until(last);
            total.wakeups += report.wakeups;
            total.events += report.events;
            if report.bounded || total.wakeups >= RUN_WAKEUPS_MAX {
                total.bounded = true;
                break;
            }
        }
        total
    }

    /// Processes wake-ups until one records a decision (`EventKind::is_decision`), nothing is
    /// left, the next wake-up lies beyond `DECISION_HORIZON_MS` (the clock then moves to that
    /// horizon), or `DECISION_WAKEUPS_MAX` went by. Otherwise the clock ends at the last wake-up
    /// processed, like `step`: it pops wake-ups in order and draws no randomness of its own,
    /// so it replays exactly.
    pub fn step_to_next_decision(&mut self) -> DecisionReport {
        let first = self.events.len();
        let horizon = self.now.plus_ms(DECISION_HORIZON_MS);
        let mut wakeups = 0;
        let mut checked = first;
        let stop = loop {
            if wakeups == DECISION_WAKEUPS_MAX {
                break DecisionStop::Bounded;
            }
            match self.queue.peek() {
                None => break DecisionStop::Idle,
                Some(Reverse(next)) if next.at > horizon => {
                    // The clock moves to the horizon, so asking again looks further ahead.
                    self.now = horizon;
                    break DecisionStop::Horizon;
                }
                Some(_) => {}
            }
            let Some(Reverse(wakeup)) = self.queue.pop() else {
                break DecisionStop::Idle;
            };
            self.now = wakeup.at;
            self.handle(wakeup.kind);
            wakeups += 1;
            let decided = self.events[checked..].iter().any(|e| e.kind.is_decision());
            checked = self.events.len();
            if decided {
                break DecisionStop::Decision;
            }
        };
        DecisionReport {
            stop,
            wakeups,
            events: (self.events.len() - first) as u64,
        }
    }

    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.clone())
    }

    pub fn restore(&mut self, checkpoint: &Checkpoint) {
        *self = checkpoint.0.clone();
    }

    // ---- actions -------------------------------------------------------------------------

    /// Applies a user action now. On error nothing changed.
    pub fn apply(&mut self, action: &Action) -> Result<(), ActionError> {
        match action {
            Action::UpdateService(update) => self.update_service(update),
            Action::RegisterTaskDefinition(register) => self.register_task_definition(register),
            Action::StopTask { task } => {
                let id = self.find_task(task)?;
                self.record(EventKind::ActionApplied {
                    description: format!("stopTask {task}"),
                });
                self.stop_task(id, StopCode::UserInitiated, "Task stopped by user");
                Ok(())
            }
            Action::TerminateInstance { instance } => {
                let id = self.find_instance(instance)?;
                if self.instances[id.0 as usize].status == InstanceStatus::Inactive {
                    return Err(ActionError(format!(
                        "container instance {instance} is already deregistered"
                    )));
                }
                self.record(EventKind::ActionApplied {
                    description: format!("terminateInstance {instance}"),
                });
                self.terminate_instance(id);
                Ok(())
            }
            Action::RunTask(run) => self.run_task(run),
            Action::StartTask(start) => self.start_task(start),
            Action::DrainInstance { instance } => {
                // §3.5: only an ACTIVE instance can be set to DRAINING.
                let id = self.instance_with_status(
                    instance,
                    InstanceStatus::Active,
                    "only ACTIVE instances can be drained",
                )?;
                self.record(EventKind::ActionApplied {
                    description: format!("drainInstance {instance}"),
                });
                self.drain_instance(id);
                Ok(())
            }
            Action::ActivateInstance { instance } => {
                let id = self.instance_with_status(
                    instance,
                    InstanceStatus::Draining,
                    "only DRAINING instances can be set back to ACTIVE",
                )?;
                self.record(EventKind::ActionApplied {
                    description: format!("activateInstance {instance}"),
                });
                self.instances[id.0 as usize].status = InstanceStatus::Active;
                self.placement_index
                    .instance_changed(&self.instances[id.0 as usize]);
                self.unusable_since_event[id.0 as usize] = None;
                self.record(EventKind::InstanceStatusChanged {
                    instance: id,
                    status: InstanceStatus::Active,
                });
                self.queue_all_reconciles();
                Ok(())
            }
            Action::FailAvailabilityZone { availability_zone } => {
                let in_zone: Vec<InstanceId> = self
                    .instances
                    .iter()
                    .filter(|i| {
                        i.availability_zone == *availability_zone
                            && i.status != InstanceStatus::Inactive
                    })
                    .map(|i| i.id)
                    .collect();
                if in_zone.is_empty() {
                    return Err(ActionError(format!(
                        "no registered container instances in {availability_zone}"
                    )));
                }
                self.record(EventKind::ActionApplied {
                    description: format!("failAvailabilityZone {availability_zone}"),
                });
                for id in in_zone {
                    self.terminate_instance(id);
                }
                Ok(())
            }
            Action::SetAlarmState { alarm_name, state } => {
                self.record(EventKind::ActionApplied {
                    description: format!("setAlarmState {alarm_name} {}", state.as_str()),
                });
                self.set_alarm_state(alarm_name, *state);
                Ok(())
            }
        }
    }

    /// `UpdateService` (§4.1): only `taskDefinition` (a different revision) and
    /// `forceNewDeployment` start a deployment.
    fn update_service(&mut self, update: &UpdateService) -> Result<(), ActionError> {
        let id = self
            .services
            .iter()
            .find(|s| s.name == update.service)
            .map(|s| s.id)
            .ok_or_else(|| ActionError(format!("no service named \"{}\"", update.service)))?;
        let index = id.0 as usize;
        let daemon = self.services[index].is_daemon();
        if let Some(count) = update.desired_count {
            if daemon {
                return Err(ActionError(
                    "desiredCount cannot be set for a DAEMON service".into(),
                ));
            }
            if count > scenario::DESIRED_COUNT_MAX {
                return Err(ActionError(format!(
                    "desiredCount {count} is above the sandbox limit of {}",
                    scenario::DESIRED_COUNT_MAX
                )));
            }
        }
        let task_definition = match &update.task_definition {
            Some(text) => Some(self.registry.resolve(text).map_err(ActionError)?),
            None => None,
        };
        if let Some(config) = &update.deployment_configuration {
            if let Some((field, message)) =
                scenario::deployment_configuration_problems(config, daemon)
                    .into_iter()
                    .next()
            {
                return Err(ActionError(format!(
                    "deploymentConfiguration.{field}: {message}"
                )));
            }
        }
        let mut description = format!("updateService {}", update.service);
        if let Some(count) = update.desired_count {
            description.push_str(&format!(" desiredCount={count}"));
        }
        if let Some(reference) = &task_definition {
            description.push_str(&format!(" taskDefinition={reference}"));
        }
        if update.force_new_deployment == Some(true) {
            description.push_str(" forceNewDeployment");
        }
        if let Some(config) = &update.deployment_configuration {
            let mut parts = Vec::new();
            if let Some(min) = config.minimum_healthy_percent {
                parts.push(format!("minimumHealthyPercent={min}"));
            }
            if let Some(max) = config.maximum_percent {
                parts.push(format!("maximumPercent={max}"));
            }
            if let Some(breaker) = &config.deployment_circuit_breaker {
                parts.push(trace::describe_circuit_breaker(breaker));
            }
            if let Some(alarms) = &config.alarms {
                parts.push(trace::describe_alarms(alarms));
            }
            description.push_str(&format!(" deploymentConfiguration({})", parts.join(" ")));
        }
        if let Some(seconds) = update.health_check_grace_period_seconds {
            description.push_str(&format!(" healthCheckGracePeriodSeconds={seconds}"));
        }
        self.record(EventKind::ActionApplied { description });
        if let Some(count) = update.desired_count {
            let service = &mut self.services[index];
            let from = service.desired_count;
            if from != count {
                service.desired_count = count;
                service.steady = false;
                service.deadlock_reported = false;
                self.record(EventKind::DesiredCountChanged {
                    service: id,
                    from,
                    to: count,
                });
            }
        }
        if let Some(config) = &update.deployment_configuration {
            let service = &mut self.services[index];
            service.deployment_configuration = service.deployment_configuration.merged_with(config);
            service.deadlock_reported = false;
        }
        if let Some(seconds) = update.health_check_grace_period_seconds {
            self.services[index].health_check_grace_period_ms = u64::from(seconds) * 1000;
        }
        let current = self.services[index].task_definition.clone();
        let next = task_definition.unwrap_or_else(|| current.clone());
        if next != current || update.force_new_deployment == Some(true) {
            self.create_deployment(id, next, None);
        }
        self.queue_reconcile(id);
        Ok(())
    }

    /// A new revision copied from the family's latest, with new images (the CI/CD flow).
    fn register_task_definition(
        &mut self,
        register: &RegisterTaskDefinition,
    ) -> Result<(), ActionError> {
        let latest = self
            .registry
            .resolve(&register.family)
            .map_err(ActionError)?;
        // Scenario timelines were validated on load; actions from the UI or JS are checked here.
        if let Some((field, message)) = register.problems().into_iter().next() {
            return Err(ActionError(format!("{field}: {message}")));
        }
        let mut definition = self
            .registry
            .get(&latest)
            .cloned()
            .ok_or_else(|| ActionError(format!("task definition {latest} is missing")))?;
        for (container, image) in &register.images {
            let Some(target) = definition
                .container_definitions
                .iter_mut()
                .find(|c| c.name == *container)
            else {
                return Err(ActionError(format!(
                    "{latest} has no container named \"{container}\""
                )));
            };
            target.image = image.clone();
        }
        if let Some(cpu) = &register.cpu {
            definition.cpu = Some(cpu.clone());
        }
        if let Some(memory) = &register.memory {
            definition.memory = Some(memory.clone());
        }
        if let Some((path, message)) = definition.validate().into_iter().next() {
            return Err(ActionError(format!(
                "the new revision of {} would be invalid: {path}: {message}",
                register.family
            )));
        }
        let mut description = format!("registerTaskDefinition {}", register.family);
        for (container, image) in &register.images {
            description.push_str(&format!(" {container}={image}"));
        }
        for (member, value) in [("cpu", &register.cpu), ("memory", &register.memory)] {
            if let Some(value) = value {
                description.push_str(&format!(" {member}={value}"));
            }
        }
        self.record(EventKind::ActionApplied { description });
        let reference = self.registry.register(definition);
        let base = self.behaviours.get(&latest).copied().unwrap_or_default();
        let behaviour = match &register.behaviour {
            Some(spec) => Behaviour::with(base, spec),
            None => base,
        };
        self.behaviours.insert(reference.clone(), behaviour);
        self.record(EventKind::TaskDefinitionRegistered {
            task_definition: reference,
        });
        Ok(())
    }

    fn set_alarm_state(&mut self, alarm: &str, state: AlarmState) {
        let previous = self
            .alarms
            .insert(alarm.to_string(), state)
            .unwrap_or(AlarmState::Ok);
        if previous == state {
            return;
        }
        self.record(EventKind::AlarmStateChanged {
            alarm: alarm.to_string(),
            state,
        });
        if state != AlarmState::Alarm {
            return;
        }
        // §4.5: an alarm going into ALARM fails the deployments that watch it.
        for index in 0..self.services.len() {
            let service = &self.services[index];
            let Some(alarms) = service.deployment_configuration.alarms.clone() else {
                continue;
            };
            let primary = service.primary();
            if !alarms.enable
                || !alarms.alarm_names.iter().any(|n| n == alarm)
                || primary.rollout_state != RolloutState::InProgress
                || primary.alarms_ignored
            {
                continue;
            }
            let deployment = service.primary_index();
            // Assumption (ecs-semantics §4.5 ∅ on wording): the reason names the alarm.
            let reason = format!("ECS deployment alarm: {alarm} is in ALARM state.");
            self.fail_deployment(
                ServiceId(index as u32),
                deployment,
                reason,
                alarms.rollback,
                "alarms",
            );
        }
    }

    fn find_task(&self, text: &str) -> Result<TaskId, ActionError> {
        let index: Option<u32> = text.strip_prefix('t').and_then(|n| n.parse().ok());
        match index {
            Some(n) if (n as usize) < self.tasks.len() => {
                let task = &self.tasks[n as usize];
                if task.state == TaskState::Stopped || !task.desired_running {
                    Err(ActionError(format!(
                        "task {text} is already stopping or stopped"
                    )))
                } else {
                    Ok(task.id)
                }
            }
            _ => Err(ActionError(format!(
                "no task \"{text}\"; task ids look like t7"
            ))),
        }
    }

    /// The instance named `text`, if it is in `expected` status; otherwise why not.
    fn instance_with_status(
        &self,
        text: &str,
        expected: InstanceStatus,
        rule: &str,
    ) -> Result<InstanceId, ActionError> {
        let id = self.find_instance(text)?;
        let status = self.instances[id.0 as usize].status;
        if status != expected {
            return Err(ActionError(format!(
                "container instance {text} is {}; {rule}",
                status.as_str()
            )));
        }
        Ok(id)
    }

    fn find_instance(&self, text: &str) -> Result<InstanceId, ActionError> {
        self.instances
            .iter()
            .find(|i| i.ec2_instance_id == text)
            .map(|i| i.id)
            .ok_or_else(|| {
                ActionError(format!(
                    "no container instance with EC2 instance id \"{text}\""
                ))
            })
    }

    // ---- applying decisions --------------------------------------------------------------

    fn handle(&mut self, kind: WakeupKind) {
        match kind {
            WakeupKind::Reconcile { service } => {
                self.reconcile_queued[service.0 as usize] = false;
                self.reconcile(service);
            }
            WakeupKind::Advance { task, from } => {
                if self.tasks[task.0 as usize].state == from {
                    self.advance(task);
                }
            }
            WakeupKind::Health { task, step } => self.health_step(task, step),
            WakeupKind::Throttle { service } => {
                self.throttle_wakeups[service.0 as usize] = None;
                self.queue_reconcile(service);
            }
            WakeupKind::BakeEnd {
                service,
                deployment,
            } => self.end_bake(service, deployment),
            WakeupKind::Timeline { action } => {
                if let Err(error) = self.apply(&action) {
                    let description = action_label(&action);
                    self.record(EventKind::ActionRejected {
                        description,
                        reason: error.0,
                    });
                }
            }
        }
    }

    /// One scheduler round for a service (§3.1, §3.2, §4.2): sort its tasks into the primary
    /// deployment's, those to replace and the unhealthy ones, ask `deploy::next_round`, and apply
    /// the decision.
    fn reconcile(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let daemon = self.services[index].is_daemon();
        if daemon {
            self.refresh_daemon_desired(id);
            self.stop_daemon_tasks_on_draining_instances(id);
        }
        self.retire_replaced_deployments(id);
        let primary = self.services[index].primary_index();
        let primary_state = self.services[index].primary().rollout_state;
        let mut new_tasks = Vec::new();
        let mut new_healthy = 0u32;
        let mut old_unready = Vec::new();
        let mut old_healthy = Vec::new();
        let mut unhealthy = Vec::new();
        for &t in &self.live_tasks[index] {
            let task = &self.tasks[t.0 as usize];
            if !task.desired_running {
                continue;
            }
            let usable = self.instances[task.instance.0 as usize].status == InstanceStatus::Active;
            if daemon && !usable {
                // Daemon tasks on a DRAINING instance are not replaced; they stop last.
                continue;
            }
            let healthy = task.counted_healthy && !task.unhealthy;
            if !usable || task.deployment != primary {
                if healthy {
                    old_healthy.push(t);
                } else {
                    old_unready.push(t);
                }
            } else if task.unhealthy {
                unhealthy.push(t);
            } else {
                new_tasks.push(t);
                new_healthy += u32::from(healthy);
            }
        }
        let service = &self.services[index];
        let throttled = service.throttled_until.filter(|&until| until > self.now);
        let view = deploy::RoundView {
            desired: service.desired_count,
            minimum_healthy_percent: service.minimum_healthy_percent(),
            maximum_percent: service.maximum_percent(),
            new_live: new_tasks.len() as u32,
            new_healthy,
            old_live: (old_unready.len() + old_healthy.len()) as u32,
            old_healthy: old_healthy.len() as u32,
            unhealthy: unhealthy.len() as u32,
            can_launch: primary_state != RolloutState::Failed && throttled.is_none(),
            may_replace: primary_state != RolloutState::Failed,
        };
        let decision = deploy::next_round(&view);
        let bounds = deploy::bounds(
            view.desired,
            view.minimum_healthy_percent,
            view.maximum_percent,
        );
        let reason = format!(
            "Scaling activity initiated by (deployment {})",
            service.primary().id
        );

        let mut stopped: Vec<TaskId> = old_unready
            .iter()
            .take(decision.stop_old_unready as usize)
            .copied()
            .collect();
        stopped.extend(self.pick_to_stop(id, &mut old_healthy, decision.stop_old_healthy));
        stopped.extend(self.pick_to_stop(id, &mut new_tasks, decision.stop_excess));
        for &task in &stopped {
            self.stop_task(task, StopCode::ServiceSchedulerInitiated, &reason);
        }
        for &task in unhealthy.iter().take(decision.stop_unhealthy as usize) {
            self.stop_task(
                task,
                StopCode::ServiceSchedulerInitiated,
                "Task failed container health checks",
            );
            stopped.push(task);
        }
        if decision.stop_old_healthy > 0 {
            let healthy_now = self.healthy_count(id);
            if healthy_now < bounds.min_healthy {
                self.violations.push(format!(
                    "service {} stopped healthy tasks down to {healthy_now}, below minimumHealthyPercent's {}",
                    self.services[index].name, bounds.min_healthy
                ));
            }
        }
        if !stopped.is_empty() {
            let name = &self.services[index].name;
            let list: Vec<String> = stopped.iter().map(|t| format!("(task {t})")).collect();
            let message = format!(
                "(service {name}) has stopped {} running tasks: {}.",
                stopped.len(),
                list.join(" ")
            );
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
        }

        let mut started = Vec::new();
        if decision.start > 0 {
            if daemon {
                started = self.launch_daemon_tasks(id, decision.start);
            } else {
                let requirements = self.requirements_of(&self.services[index].task_definition);
                let group = self.services[index].group();
                for _ in 0..decision.start {
                    match self.place_for_service(id, &requirements, &group) {
                        Ok(instance) => started.push(self.launch(id, instance)),
                        Err(decision) => {
                            self.report_placement_failure(id, &decision);
                            break;
                        }
                    }
                }
            }
        }
        if !started.is_empty() {
            self.services[index].last_placement_failure = None;
            let name = &self.services[index].name;
            let list: Vec<String> = started.iter().map(|t| format!("(task {t})")).collect();
            let message = format!(
                "(service {name}) has started {} tasks: {}.",
                started.len(),
                list.join(" ")
            );
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
        }
        let missing = view
            .desired
            .saturating_sub(view.new_live - decision.stop_excess);
        if let Some(until) = throttled {
            if missing > 0 && self.throttle_wakeups[index] != Some(until) {
                self.throttle_wakeups[index] = Some(until);
                self.schedule(until, WakeupKind::Throttle { service: id });
            }
        }
        if decision.blocked && !self.services[index].deadlock_reported {
            self.services[index].deadlock_reported = true;
            let message = deploy::deadlock_message(&self.services[index].name);
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
        }
        self.check_steady(id);
    }

    /// Picks `count` tasks to stop from `candidates` with the scale-in rule (§3.2) and removes
    /// them from the list.
    fn pick_to_stop(
        &mut self,
        service: ServiceId,
        candidates: &mut Vec<TaskId>,
        count: u32,
    ) -> Vec<TaskId> {
        let group = self.services[service.0 as usize].group();
        let strategies = self.services[service.0 as usize].strategies.clone();
        let mut pairs: Vec<(TaskId, InstanceId)> = candidates
            .iter()
            .map(|&t| (t, self.tasks[t.0 as usize].instance))
            .collect();
        let mut picked = Vec::new();
        for _ in 0..count {
            let tasks = &self.tasks;
            let Some(pick) = placement::choose_task_to_stop(
                &self.instances,
                &pairs,
                &group,
                &strategies,
                |t: TaskId| {
                    let task = &tasks[t.0 as usize];
                    (task.cpu_units, task.memory_mib)
                },
                &mut self.rng,
            ) else {
                break;
            };
            picked.push(pairs.swap_remove(pick).0);
        }
        candidates.retain(|t| !picked.contains(t));
        picked
    }

    /// Tasks of the service that count healthy toward minimumHealthyPercent right now.
    fn healthy_count(&self, id: ServiceId) -> u32 {
        let daemon = self.services[id.0 as usize].is_daemon();
        self.live_tasks[id.0 as usize]
            .iter()
            .filter(|&&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && task.counted_healthy
                    && !task.unhealthy
                    && (!daemon
                        || self.instances[task.instance.0 as usize].status
                            == InstanceStatus::Active)
            })
            .count() as u32
    }

    /// DAEMON: the desired count is the number of ACTIVE instances that meet the service's
    /// constraints (§3.1).
    fn refresh_daemon_desired(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let qualifying = (0..self.instances.len())
            .filter(|&i| self.daemon_qualifies(id, InstanceId(i as u32)))
            .count() as u32;
        let service = &mut self.services[index];
        if service.desired_count != qualifying {
            let from = service.desired_count;
            service.desired_count = qualifying;
            service.steady = false;
            self.record(EventKind::DesiredCountChanged {
                service: id,
                from,
                to: qualifying,
            });
        }
    }

    /// An ACTIVE instance that satisfies the daemon service's constraints (resources aside).
    fn daemon_qualifies(&self, id: ServiceId, instance: InstanceId) -> bool {
        let instance = &self.instances[instance.0 as usize];
        if !instance.accepts_placements() {
            return false;
        }
        let service = &self.services[id.0 as usize];
        let constraints = daemon_constraints(&service.constraints);
        let request = PlacementRequest {
            requirements: &crate::taskdef::ResourceRequirements::default(),
            group: &service.group(),
            constraints: &constraints,
            strategies: &[],
            subnet_zones: &[],
        };
        // One candidate and no strategy: `place` draws nothing from this throwaway RNG.
        placement::place(
            std::slice::from_ref(instance),
            &request,
            &mut SimRng::from_seed(0),
        )
        .chosen
        .is_some()
    }

    /// DAEMON: one task on each qualifying instance that has none, up to `limit` (§3.1).
    fn launch_daemon_tasks(&mut self, id: ServiceId, limit: u32) -> Vec<TaskId> {
        let index = id.0 as usize;
        let mut hosting: Vec<InstanceId> = self.live_tasks[index]
            .iter()
            .map(|&t| &self.tasks[t.0 as usize])
            .filter(|t| t.desired_running)
            .map(|t| t.instance)
            .collect();
        hosting.sort();
        let mut started = Vec::new();
        for i in 0..self.instances.len() {
            if started.len() as u32 == limit {
                break;
            }
            let instance_id = InstanceId(i as u32);
            if hosting.binary_search(&instance_id).is_ok()
                || !self.daemon_qualifies(id, instance_id)
            {
                continue;
            }
            let service = &self.services[index];
            let requirements = self.requirements_of(&service.task_definition);
            let constraints = daemon_constraints(&service.constraints);
            let group = service.group();
            let request = PlacementRequest {
                requirements: &requirements,
                group: &group,
                constraints: &constraints,
                strategies: &[],
                subnet_zones: &[],
            };
            let decision = placement::place(
                std::slice::from_ref(&self.instances[i]),
                &request,
                &mut self.rng,
            );
            match decision.chosen {
                Some(chosen) => started.push(self.launch(id, chosen)),
                // §3.1: ECS keeps retrying as resources free up.
                None => self.report_placement_failure(id, &decision),
            }
        }
        started
    }

    /// §3.1/§3.5: daemon tasks on a DRAINING instance stop last, once no other service's task
    /// wants to run there.
    fn stop_daemon_tasks_on_draining_instances(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let on_draining: Vec<TaskId> = self.live_tasks[index]
            .iter()
            .copied()
            .filter(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && self.instances[task.instance.0 as usize].status == InstanceStatus::Draining
            })
            .collect();
        let daemon_groups: Vec<String> = self
            .services
            .iter()
            .filter(|s| s.is_daemon())
            .map(Service::group)
            .collect();
        for task in on_draining {
            let instance = &self.instances[self.tasks[task.0 as usize].instance.0 as usize];
            // Tasks of other services that have not reached STOPPED yet.
            let others: u32 = instance
                .task_groups
                .iter()
                .filter(|(group, _)| !daemon_groups.contains(group))
                .map(|(_, count)| *count)
                .sum();
            if others == 0 {
                self.stop_task(
                    task,
                    StopCode::ServiceSchedulerInitiated,
                    "Container instance is DRAINING",
                );
            }
        }
    }

    /// ACTIVE deployments whose tasks have all stopped are INACTIVE (§4.3).
    fn retire_replaced_deployments(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        for deployment in 0..self.services[index].deployments.len() {
            if self.services[index].deployments[deployment].status != DeploymentStatus::Active {
                continue;
            }
            let has_tasks = self.live_tasks[index]
                .iter()
                .any(|&t| self.tasks[t.0 as usize].deployment == deployment as u32);
            if !has_tasks {
                self.set_deployment_status(id, deployment as u32, DeploymentStatus::Inactive);
            }
        }
    }

    fn set_deployment_status(&mut self, id: ServiceId, deployment: u32, status: DeploymentStatus) {
        let now = self.now;
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        if record.status != status {
            record.status = status;
            record.updated_at = now;
            self.record_deployment(id, deployment);
        }
    }

    fn record_deployment(&mut self, id: ServiceId, deployment: u32) {
        let record = &self.services[id.0 as usize].deployments[deployment as usize];
        let kind = EventKind::DeploymentChanged {
            service: id,
            deployment_id: record.id.clone(),
            task_definition: record.task_definition.clone(),
            status: record.status,
            rollout_state: record.rollout_state,
            reason: record.rollout_state_reason.clone(),
        };
        self.record(kind);
    }

    /// A new PRIMARY deployment (§4.3); the previous primary becomes ACTIVE. `reason` overrides
    /// the usual "in progress" reason (rollbacks).
    fn create_deployment(
        &mut self,
        id: ServiceId,
        task_definition: TaskDefinitionRef,
        reason: Option<String>,
    ) {
        let index = id.0 as usize;
        let deployment_id = deploy::deployment_id(self.rng.next_u64());
        if let Some(previous) = self.services[index].deployments.len().checked_sub(1) {
            self.set_deployment_status(id, previous as u32, DeploymentStatus::Active);
        }
        let service = &self.services[index];
        let alarms_ignored = service
            .deployment_configuration
            .alarms
            .as_ref()
            .is_some_and(|alarms| {
                alarms.enable
                    && alarms
                        .alarm_names
                        .iter()
                        .any(|n| self.alarms.get(n) == Some(&AlarmState::Alarm))
            });
        let new_revision = service.task_definition != task_definition;
        let service = &mut self.services[index];
        service.deployments.push(Deployment {
            id: deployment_id.clone(),
            task_definition: task_definition.clone(),
            status: DeploymentStatus::Primary,
            rollout_state: RolloutState::InProgress,
            rollout_state_reason: reason
                .unwrap_or_else(|| deploy::in_progress_reason(&deployment_id)),
            failed_tasks: 0,
            created_at: self.now,
            updated_at: self.now,
            alarms_ignored,
            bake_until: None,
        });
        service.task_definition = task_definition;
        service.steady = false;
        service.deadlock_reported = false;
        service.last_placement_failure = None;
        if new_revision {
            // §3.7: a new task definition ends the restart back-off at once.
            service.start_failures = 0;
            service.throttled_until = None;
        }
        let primary = service.primary_index();
        self.record_deployment(id, primary);
    }

    /// FAILED (§4.4, §4.5); with `rollback`, a new deployment of the last COMPLETED revision.
    fn fail_deployment(
        &mut self,
        id: ServiceId,
        deployment: u32,
        reason: String,
        rollback: bool,
        cause: &str,
    ) {
        let now = self.now;
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        record.rollout_state = RolloutState::Failed;
        record.rollout_state_reason = reason;
        record.updated_at = now;
        record.bake_until = None;
        self.record_deployment(id, deployment);
        if rollback {
            let target = self.services[id.0 as usize]
                .last_completed()
                .map(|d| (d.id.clone(), d.task_definition.clone()));
            if let Some((target_id, task_definition)) = target {
                self.create_deployment(
                    id,
                    task_definition,
                    Some(format!(
                        "ECS deployment {cause}: rolling back to deploymentId {target_id}."
                    )),
                );
            }
        }
        self.queue_reconcile(id);
    }

    /// Circuit breaker counting (§4.4). Assumption (ecs-semantics §4.4 ⚠ DG vs API): a task
    /// that fails to start counts in every stage, and, following the developer guide, failed
    /// health checks and essential-container exits after RUNNING keep counting once a task
    /// runs (stage 2). `failed_health_checks` is true only for a container health check that
    /// found the task UNHEALTHY; a task that stopped on its own (before or after RUNNING) is a
    /// task that failed to start in ECS's words.
    fn count_failure(&mut self, task: TaskId, failed_health_checks: bool) {
        let task = &self.tasks[task.0 as usize];
        let (Some(id), deployment) = (task.service, task.deployment) else {
            return;
        };
        let service = &self.services[id.0 as usize];
        let Some(breaker) = service
            .deployment_configuration
            .deployment_circuit_breaker
            .clone()
        else {
            return;
        };
        let record = &service.deployments[deployment as usize];
        if !breaker.enable || record.rollout_state != RolloutState::InProgress {
            return;
        }
        let (kind, value) = match &breaker.threshold_configuration {
            None => (ThresholdKind::BoundedPercent, 50),
            // Assumption (ecs-semantics §4.4 ∅): a COUNT threshold without a value is 3, a
            // percent threshold without a value is 50.
            Some(config) => match config.kind {
                ThresholdType::Count => (ThresholdKind::Count, config.value.unwrap_or(3)),
                ThresholdType::BoundedPercent => {
                    (ThresholdKind::BoundedPercent, config.value.unwrap_or(50))
                }
                ThresholdType::UnboundedPercent => {
                    (ThresholdKind::UnboundedPercent, config.value.unwrap_or(50))
                }
            },
        };
        let threshold = deploy::circuit_breaker_threshold(kind, value, service.desired_count);
        let record = &mut self.services[id.0 as usize].deployments[deployment as usize];
        record.failed_tasks += 1;
        if record.failed_tasks >= threshold {
            // Assumption (ecs-semantics §4.3 ∅): ECS documents only "task failed to start." (the
            // SERVICE_DEPLOYMENT_FAILED event), used for every task that stopped on its own,
            // including essential-container exits after RUNNING; a failed container health
            // check gets its own wording.
            let reason = if failed_health_checks {
                "ECS deployment circuit breaker: task failed health checks.".to_string()
            } else {
                "ECS deployment circuit breaker: task failed to start.".to_string()
            };
            self.fail_deployment(id, deployment, reason, breaker.rollback, "circuit breaker");
        }
    }

    /// "has reached a steady state" once the service runs exactly its desired count, all of the
    /// primary deployment, all healthy, none on a DRAINING instance (§3.8, §4.2); any change
    /// clears it. Reaching it completes the primary deployment, after bake time when it watches
    /// alarms (§4.5).
    fn check_steady(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let service = &self.services[index];
        let primary = service.primary_index();
        let live = &self.live_tasks[index];
        let steady = live.len() as u32 == service.desired_count
            && live.iter().all(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running
                    && task.state == TaskState::Running
                    && task.counted_healthy
                    && !task.unhealthy
                    && task.deployment == primary
                    && self.instances[task.instance.0 as usize].status == InstanceStatus::Active
            });
        let service = &mut self.services[index];
        if steady && !service.steady {
            service.steady = true;
            let message = format!("(service {}) has reached a steady state.", service.name);
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
            self.on_steady(id);
        } else if !steady {
            service.steady = false;
        }
    }

    fn on_steady(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let service = &self.services[index];
        let primary = service.primary();
        if primary.rollout_state != RolloutState::InProgress || primary.bake_until.is_some() {
            return;
        }
        let watches_alarms = service
            .deployment_configuration
            .alarms
            .as_ref()
            .is_some_and(|a| a.enable)
            && !primary.alarms_ignored;
        if watches_alarms {
            let bake_ms = service
                .deployment_configuration
                .bake_time_in_minutes
                .map_or(BAKE_TIME_MS_DEFAULT, |m| u64::from(m) * 60_000);
            let until = self.now.plus_ms(bake_ms);
            let deployment = service.primary_index();
            self.services[index].deployments[deployment as usize].bake_until = Some(until);
            self.schedule(
                until,
                WakeupKind::BakeEnd {
                    service: id,
                    deployment,
                },
            );
        } else {
            self.complete_primary(id);
        }
    }

    fn end_bake(&mut self, id: ServiceId, deployment: u32) {
        let index = id.0 as usize;
        let service = &self.services[index];
        if deployment != service.primary_index()
            || service.primary().rollout_state != RolloutState::InProgress
            || service.primary().bake_until.is_none_or(|t| t > self.now)
        {
            return;
        }
        self.services[index].deployments[deployment as usize].bake_until = None;
        // Assumption (ecs-semantics §4.5, §4.3): the deployment reached steady state when its
        // bake began; scaling or replacing a stopped task meanwhile is ordinary scheduling, not
        // part of the deployment, so it completes when the bake ends (and a COMPLETED
        // deployment stays COMPLETED, so rollbacks can return to it).
        self.complete_primary(id);
    }

    fn complete_primary(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let primary = self.services[index].primary_index();
        let now = self.now;
        let record = &mut self.services[index].deployments[primary as usize];
        record.rollout_state = RolloutState::Completed;
        record.rollout_state_reason = deploy::completed_reason(&record.id);
        record.updated_at = now;
        self.record_deployment(id, primary);
        for deployment in 0..primary {
            if self.services[index].deployments[deployment as usize].status
                == DeploymentStatus::Active
            {
                self.set_deployment_status(id, deployment, DeploymentStatus::Inactive);
            }
        }
    }

    /// Where the next task of a service goes: the fast path when it supports the request
    /// (it draws from the RNG exactly as the oracle would), otherwise the oracle. A failure
    /// always comes with the oracle's explanation (which draws nothing when nothing fits).
    fn place_for_service(
        &mut self,
        id: ServiceId,
        requirements: &crate::taskdef::ResourceRequirements,
        group: &str,
    ) -> Result<InstanceId, PlacementDecision> {
        let service = &self.services[id.0 as usize];
        let request = PlacementRequest {
            requirements,
            group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &[],
        };
        capture_probe(
            &mut self.placement_probe,
            TaskId(self.tasks.len() as u32),
            &self.instances,
            &self.rng,
            &request,
            None,
        );
        #[cfg(debug_assertions)]
        check_fast_path(
            &mut self.placement_index,
            &self.instances,
            &request,
            &service.name,
        );
        if let Some(Some(chosen)) =
            self.placement_index
                .place(&self.instances, &request, &mut self.rng)
        {
            return Ok(chosen);
        }
        let decision = placement::place(&self.instances, &request, &mut self.rng);
        decision.chosen.ok_or(decision)
    }

    /// ECS's event for an unplaceable service task (§1.8); repeated only when the cause changes.
    fn report_placement_failure(&mut self, id: ServiceId, decision: &PlacementDecision) {
        let name = self.services[id.0 as usize].name.clone();
        let mut message =
            format!("(service {name}) was unable to place a task because no container instance met all of its requirements.");
        match decision.closest_match() {
            Some((instance, why)) => {
                let ec2_id = &self.instances[instance.0 as usize].ec2_instance_id;
                message.push(' ');
                message.push_str(&why.service_event_sentence(ec2_id));
            }
            None => message.push_str(" Reason: No Container Instances were found in your cluster."),
        }
        let service = &mut self.services[id.0 as usize];
        if service.last_placement_failure.as_deref() != Some(message.as_str()) {
            service.last_placement_failure = Some(message.clone());
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
        }
    }

    fn launch(&mut self, service: ServiceId, instance_id: InstanceId) -> TaskId {
        let definition_ref = self.services[service.0 as usize].task_definition.clone();
        let requirements = self.requirements_of(&definition_ref);
        let behaviour = self
            .behaviours
            .get(&definition_ref)
            .copied()
            .unwrap_or_default();
        let fails_to_start = self.rng.chance_percent(behaviour.crash_rate_percent);
        let fails_health_checks = self
            .rng
            .chance_percent(behaviour.health_check_failure_percent);
        let group = self.services[service.0 as usize].group();
        let deployment = self.services[service.0 as usize].primary_index();
        let id = TaskId(self.tasks.len() as u32);
        self.reserve(instance_id, &requirements, &group, id);
        let awsvpc = requirements.network_mode == Some(NetworkMode::Awsvpc);
        let state = if awsvpc {
            TaskState::Provisioning
        } else {
            TaskState::Pending
        };
        self.tasks.push(Task {
            id,
            task_definition: definition_ref,
            service: Some(service),
            group,
            instance: instance_id,
            state,
            desired_running: true,
            cpu_units: requirements.cpu_units,
            memory_mib: requirements.memory_mib,
            static_host_ports: requirements.static_host_ports,
            gpus: requirements.gpus,
            eni: awsvpc,
            started_by: None,
            stop_code: None,
            fails_to_start,
            fails_health_checks,
            deployment,
            placed_at: self.now,
            placed_event: self.events.len() as u64,
            running_at: None,
            health: TaskHealth::Unknown,
            counted_healthy: false,
            unhealthy: false,
        });
        self.live_tasks[service.0 as usize].push(id);
        self.wanting_to_run[service.0 as usize] += 1;
        self.services[service.0 as usize].steady = false;
        self.record(EventKind::TaskPlaced {
            task: id,
            instance: instance_id,
            state,
        });
        self.check_maximum_percent(service);
        let delay = if awsvpc {
            ENI_ATTACH_MS
        } else {
            behaviour.start_ms
        };
        self.schedule_advance(id, state, delay);
        id
    }

    /// A standalone task (RunTask/StartTask): the same lifecycle as a service task, no service,
    /// so nothing replaces it when it stops.
    fn launch_standalone(
        &mut self,
        definition_ref: &TaskDefinitionRef,
        group: &str,
        instance_id: InstanceId,
        started_by: Option<String>,
    ) -> TaskId {
        let requirements = self.requirements_of(definition_ref);
        let behaviour = self
            .behaviours
            .get(definition_ref)
            .copied()
            .unwrap_or_default();
        let fails_to_start = self.rng.chance_percent(behaviour.crash_rate_percent);
        let id = TaskId(self.tasks.len() as u32);
        self.reserve(instance_id, &requirements, group, id);
        let awsvpc = requirements.needs_eni();
        let state = if awsvpc {
            TaskState::Provisioning
        } else {
            TaskState::Pending
        };
        self.tasks.push(Task {
            id,
            task_definition: definition_ref.clone(),
            service: None,
            group: group.to_string(),
            instance: instance_id,
            state,
            desired_running: true,
            cpu_units: requirements.cpu_units,
            memory_mib: requirements.memory_mib,
            static_host_ports: requirements.static_host_ports,
            gpus: requirements.gpus,
            eni: awsvpc,
            started_by,
            stop_code: None,
            fails_to_start,
            // §3.4: health is ignored for tasks that are not part of a service.
            fails_health_checks: false,
            deployment: 0,
            placed_at: self.now,
            placed_event: self.events.len() as u64,
            running_at: None,
            health: TaskHealth::Unknown,
            counted_healthy: false,
            unhealthy: false,
        });
        self.record(EventKind::TaskPlaced {
            task: id,
            instance: instance_id,
            state,
        });
        let delay = if awsvpc {
            ENI_ATTACH_MS
        } else {
            behaviour.start_ms
        };
        self.schedule_advance(id, state, delay);
        id
    }

    /// Never more tasks than maximumPercent allows (§4.2): checked at every launch.
    fn check_maximum_percent(&mut self, id: ServiceId) {
        let service = &self.services[id.0 as usize];
        let bounds = deploy::bounds(
            service.desired_count,
            service.minimum_healthy_percent(),
            service.maximum_percent(),
        );
        let live = if service.is_daemon() {
            self.live_tasks[id.0 as usize]
                .iter()
                .filter(|&&t| {
                    let task = &self.tasks[t.0 as usize];
                    task.desired_running
                        && self.instances[task.instance.0 as usize].status == InstanceStatus::Active
                })
                .count() as u32
        } else {
            self.wanting_to_run[id.0 as usize]
        };
        if live > bounds.max_tasks {
            self.violations.push(format!(
                "service {} launched a task with {live} tasks wanting to run, above maximumPercent's {}",
                service.name, bounds.max_tasks
            ));
        }
    }

    /// Moves a task to its next lifecycle state (§3.3).
    fn advance(&mut self, id: TaskId) {
        let task = &self.tasks[id.0 as usize];
        let behaviour = self
            .behaviours
            .get(&task.task_definition)
            .copied()
            .unwrap_or_default();
        let awsvpc =
            self.requirements_of(&task.task_definition).network_mode == Some(NetworkMode::Awsvpc);
        match task.state {
            TaskState::Provisioning => {
                self.set_state(id, TaskState::Pending);
                self.schedule_advance(id, TaskState::Pending, behaviour.start_ms);
            }
            TaskState::Pending if task.fails_to_start => {
                self.stop_task(
                    id,
                    StopCode::TaskFailedToStart,
                    "Essential container in task exited",
                );
                self.on_start_failure(id);
            }
            TaskState::Pending => {
                self.set_state(id, TaskState::Activating);
                self.schedule_advance(id, TaskState::Activating, ACTIVATING_MS);
            }
            TaskState::Activating => {
                self.set_state(id, TaskState::Running);
                self.on_running(id);
            }
            TaskState::Deactivating => {
                let stop_timeout_ms = self.stop_timeout_ms(&task.task_definition);
                self.set_state(id, TaskState::Stopping);
                self.schedule_advance(
                    id,
                    TaskState::Stopping,
                    behaviour.stop_ms.min(stop_timeout_ms),
                );
            }
            TaskState::Stopping if awsvpc => {
                self.set_state(id, TaskState::Deprovisioning);
                self.schedule_advance(id, TaskState::Deprovisioning, ENI_ATTACH_MS);
            }
            TaskState::Stopping | TaskState::Deprovisioning => self.finish_stop(id),
            TaskState::Running | TaskState::Stopped => {}
        }
    }

    /// The longest `stopTimeout` of the revision's containers, default 30 s (§3.3).
    fn stop_timeout_ms(&self, reference: &TaskDefinitionRef) -> u64 {
        self.registry
            .get(reference)
            .and_then(|d| {
                d.container_definitions
                    .iter()
                    .filter_map(|c| c.stop_timeout)
                    .max()
            })
            .map_or(STOP_TIMEOUT_MS_DEFAULT, |seconds| u64::from(seconds) * 1000)
    }

    /// RUNNING: the start streak is over (§3.7); schedule when its health is known (§3.4) and,
    /// for a crashing revision, when its essential container exits.
    fn on_running(&mut self, id: TaskId) {
        let now = self.now;
        let task = &mut self.tasks[id.0 as usize];
        task.running_at = Some(now);
        let failing = task.fails_health_checks;
        let reference = task.task_definition.clone();
        if let Some(service) = task.service {
            let service = &mut self.services[service.0 as usize];
            service.start_failures = 0;
            service.throttled_until = None;
        }
        let checks = self
            .registry
            .get(&reference)
            .map(health::essential_checks)
            .unwrap_or_default();
        let (step, after_ms) = match health::health_plan(&checks, failing) {
            HealthPlan::CountedAfter { after_ms } => (HealthStep::CountHealthy, after_ms),
            HealthPlan::Checks { health, after_ms } => (HealthStep::Checks(health), after_ms),
        };
        self.schedule(now.plus_ms(after_ms), WakeupKind::Health { task: id, step });
        let crash_after = self
            .behaviours
            .get(&reference)
            .and_then(|b| b.crash_after_ms);
        if let Some(crash_after_ms) = crash_after {
            self.schedule(
                now.plus_ms(crash_after_ms),
                WakeupKind::Health {
                    task: id,
                    step: HealthStep::Crash,
                },
            );
        }
    }

    fn health_step(&mut self, id: TaskId, step: HealthStep) {
        let task = &self.tasks[id.0 as usize];
        if !task.desired_running || task.state != TaskState::Running {
            return;
        }
        let Some(service) = task.service else {
            return;
        };
        match step {
            HealthStep::CountHealthy => {
                self.tasks[id.0 as usize].counted_healthy = true;
                self.record(EventKind::TaskCountsHealthy { task: id });
                self.on_counted_healthy(id, service);
            }
            HealthStep::Checks(TaskHealth::Healthy) => {
                let task = &mut self.tasks[id.0 as usize];
                task.health = TaskHealth::Healthy;
                task.counted_healthy = true;
                self.record(EventKind::TaskHealthChanged {
                    task: id,
                    health: TaskHealth::Healthy,
                });
                self.on_counted_healthy(id, service);
            }
            HealthStep::Checks(TaskHealth::Unhealthy) => {
                self.tasks[id.0 as usize].health = TaskHealth::Unhealthy;
                self.record(EventKind::TaskHealthChanged {
                    task: id,
                    health: TaskHealth::Unhealthy,
                });
                // §3.4: the scheduler ignores unhealthy container checks during the grace period.
                let grace_end = task_grace_end(
                    &self.tasks[id.0 as usize],
                    self.services[service.0 as usize].health_check_grace_period_ms,
                );
                if grace_end > self.now {
                    self.schedule(
                        grace_end,
                        WakeupKind::Health {
                            task: id,
                            step: HealthStep::ActOnUnhealthy,
                        },
                    );
                } else {
                    self.act_on_unhealthy(id, service);
                }
            }
            HealthStep::Checks(TaskHealth::Unknown) => {}
            HealthStep::ActOnUnhealthy => self.act_on_unhealthy(id, service),
            HealthStep::Crash => {
                self.stop_task(
                    id,
                    StopCode::EssentialContainerExited,
                    "Essential container in task exited",
                );
                self.count_failure(id, false);
            }
        }
    }

    fn on_counted_healthy(&mut self, id: TaskId, service: ServiceId) {
        let deployment = self.tasks[id.0 as usize].deployment as usize;
        let reset = self.services[service.0 as usize]
            .deployment_configuration
            .deployment_circuit_breaker
            .as_ref()
            .is_none_or(|b| b.reset_on_healthy_task.unwrap_or(true));
        if reset {
            self.services[service.0 as usize].deployments[deployment].failed_tasks = 0;
        }
        self.queue_reconcile(service);
    }

    /// Marks the task for replacement (start-first, §3.4) and counts it for the circuit breaker.
    fn act_on_unhealthy(&mut self, id: TaskId, service: ServiceId) {
        let task = &mut self.tasks[id.0 as usize];
        if task.unhealthy || task.health != TaskHealth::Unhealthy {
            return;
        }
        task.unhealthy = true;
        // Assumption (ecs-semantics §3.4 ∅ on the event text).
        let message = format!(
            "(service {}) (task {id}) failed container health checks.",
            self.services[service.0 as usize].name
        );
        self.record(EventKind::ServiceMessage { service, message });
        self.count_failure(id, true);
        self.queue_reconcile(service);
    }

    /// A task stopped before RUNNING (§3.7): restart back-off and circuit breaker stage 1.
    fn on_start_failure(&mut self, id: TaskId) {
        let Some(service) = self.tasks[id.0 as usize].service else {
            return;
        };
        let now = self.now;
        let record = &mut self.services[service.0 as usize];
        record.start_failures += 1;
        let delay_ms = health::restart_delay_ms(record.start_failures);
        if delay_ms > 0 {
            record.throttled_until = Some(now.plus_ms(delay_ms));
        }
        if record.start_failures == health::THROTTLE_AFTER_FAILURES {
            let message = health::throttled_message(&record.name);
            self.record(EventKind::ServiceMessage { service, message });
        }
        self.count_failure(id, false);
    }

    /// Sets desiredStatus STOPPED and starts the way down (§3.3). Tasks that never ran stop at
    /// once; running ones deactivate, get SIGTERM and stop after their stop time.
    fn stop_task(&mut self, id: TaskId, stop_code: StopCode, reason: &str) {
        let task = &mut self.tasks[id.0 as usize];
        if !task.desired_running || task.state == TaskState::Stopped {
            return;
        }
        task.desired_running = false;
        task.stop_code = Some(stop_code);
        if let Some(service) = task.service {
            self.wanting_to_run[service.0 as usize] -= 1;
        }
        let state = task.state;
        let instance = &mut self.instances[task.instance.0 as usize];
        instance.running_tasks_count -= 1;
        self.record(EventKind::TaskStopRequested {
            task: id,
            stop_code,
            reason: reason.to_string(),
        });
        match state {
            TaskState::Provisioning | TaskState::Pending => self.finish_stop(id),
            TaskState::Activating | TaskState::Running => {
                self.set_state(id, TaskState::Deactivating);
                self.schedule_advance(id, TaskState::Deactivating, DEACTIVATING_MS);
            }
            TaskState::Deactivating
            | TaskState::Stopping
            | TaskState::Deprovisioning
            | TaskState::Stopped => {}
        }
        if let Some(service) = self.tasks[id.0 as usize].service {
            self.services[service.0 as usize].steady = false;
            self.queue_reconcile(service);
        }
    }

    /// STOPPED: release CPU, memory and ports, and let every service short of tasks try again.
    fn finish_stop(&mut self, id: TaskId) {
        self.set_state(id, TaskState::Stopped);
        let task = &self.tasks[id.0 as usize];
        let draining = self.instances[task.instance.0 as usize].status == InstanceStatus::Draining;
        self.instances[task.instance.0 as usize].release(&task.held(), &id.to_string());
        let instance = &self.instances[task.instance.0 as usize];
        self.placement_index.instance_changed(instance);
        self.placement_index
            .group_changed(&task.group, task.instance, -1);
        if let Some(service) = task.service {
            self.live_tasks[service.0 as usize].retain(|&t| t != id);
            if task.desired_running {
                self.wanting_to_run[service.0 as usize] -= 1;
            }
        }
        // Freed capacity may let other services place the tasks they could not place before;
        // on a DRAINING instance, daemon tasks may now be the last ones left (§3.1).
        let own_service = task.service;
        for index in 0..self.services.len() {
            if self.services[index].last_placement_failure.is_some()
                || Some(ServiceId(index as u32)) == own_service
                || (draining && self.services[index].is_daemon())
            {
                self.queue_reconcile(ServiceId(index as u32));
            }
        }
        if let Some(service) = self.tasks[id.0 as usize].service {
            self.check_steady(service);
        }
    }

    /// §3.5: DRAINING takes no new placements; PENDING service tasks stop at once, RUNNING ones
    /// are replaced within minimumHealthyPercent/maximumPercent by the next rounds.
    fn drain_instance(&mut self, id: InstanceId) {
        self.unusable_since_event[id.0 as usize] = Some(self.events.len() as u64);
        self.instances[id.0 as usize].status = InstanceStatus::Draining;
        self.placement_index
            .instance_changed(&self.instances[id.0 as usize]);
        self.record(EventKind::InstanceStatusChanged {
            instance: id,
            status: InstanceStatus::Draining,
        });
        let pending: Vec<TaskId> = self
            .live_tasks
            .iter()
            .flatten()
            .copied()
            .filter(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.instance == id
                    && task.desired_running
                    && matches!(task.state, TaskState::Provisioning | TaskState::Pending)
            })
            .collect();
        for task in pending {
            // Assumption (ecs-semantics §3.5 ∅ on the stop reason text).
            self.stop_task(
                task,
                StopCode::ServiceSchedulerInitiated,
                "Container instance is DRAINING",
            );
        }
        self.queue_all_reconciles();
    }

    /// §3.6: terminating an instance deregisters it; its tasks are gone and the service
    /// scheduler replaces them elsewhere.
    fn terminate_instance(&mut self, id: InstanceId) {
        self.unusable_since_event[id.0 as usize] = Some(self.events.len() as u64);
        self.instances[id.0 as usize].status = InstanceStatus::Inactive;
        self.placement_index
            .instance_changed(&self.instances[id.0 as usize]);
        self.record(EventKind::InstanceStatusChanged {
            instance: id,
            status: InstanceStatus::Inactive,
        });
        let on_instance: Vec<TaskId> = self
            .live_tasks
            .iter()
            .flatten()
            .copied()
            .filter(|&t| self.tasks[t.0 as usize].instance == id)
            .collect();
        for task in on_instance {
            self.stop_task(
                task,
                StopCode::TerminationNotice,
                "Container instance was terminated",
            );
            if self.tasks[task.0 as usize].state != TaskState::Stopped {
                self.finish_stop(task);
            }
        }
        self.queue_all_reconciles();
    }

    /// Takes what task `task` needs on the instance and updates the placement indexes.
    fn reserve(
        &mut self,
        instance: InstanceId,
        requirements: &crate::taskdef::ResourceRequirements,
        group: &str,
        task: TaskId,
    ) {
        let record = &mut self.instances[instance.0 as usize];
        record.reserve(requirements, group, &task.to_string());
        self.placement_index.instance_changed(record);
        self.placement_index.group_changed(group, instance, 1);
    }

    fn queue_all_reconciles(&mut self) {
        for index in 0..self.services.len() {
            self.queue_reconcile(ServiceId(index as u32));
        }
    }

    fn set_state(&mut self, id: TaskId, to: TaskState) {
        let task = &mut self.tasks[id.0 as usize];
        let from = task.state;
        assert!(
            to > from,
            "task {id} cannot go from {} back to {}",
            from.as_str(),
            to.as_str()
        );
        task.state = to;
        self.record(EventKind::TaskStateChanged { task: id, from, to });
    }

    fn build_service(
        &self,
        id: ServiceId,
        definition: &crate::service::ServiceDefinition,
    ) -> Result<Service, String> {
        let task_definition = self.registry.resolve(&definition.task_definition)?;
        let mut constraints = Vec::new();
        for spec in &definition.placement_constraints {
            constraints.push(Constraint::from_api(
                &spec.kind,
                spec.expression.as_deref(),
            )?);
        }
        if let Some(registered) = self.registry.get(&task_definition) {
            for spec in &registered.placement_constraints {
                constraints.push(Constraint::from_api(
                    &spec.kind,
                    spec.expression.as_deref(),
                )?);
            }
        }
        let scheduling_strategy = definition
            .scheduling_strategy
            .unwrap_or(SchedulingStrategy::Replica);
        let mut strategies = Vec::new();
        for spec in &definition.placement_strategy {
            strategies.push(Strategy::from_api(&spec.kind, spec.field.as_deref())?);
        }
        if strategies.is_empty() && scheduling_strategy == SchedulingStrategy::Replica {
            strategies = Strategy::service_default();
        }
        Ok(Service {
            id,
            name: definition.service_name.clone(),
            definition: definition.clone(),
            task_definition,
            desired_count: definition.desired_count.unwrap_or(0),
            constraints,
            strategies,
            steady: false,
            last_placement_failure: None,
            scheduling_strategy,
            deployment_configuration: definition
                .deployment_configuration
                .clone()
                .unwrap_or_default(),
            health_check_grace_period_ms: u64::from(
                definition.health_check_grace_period_seconds.unwrap_or(0),
            ) * 1000,
            deployments: Vec::new(),
            start_failures: 0,
            throttled_until: None,
            deadlock_reported: false,
        })
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

    fn queue_reconcile(&mut self, service: ServiceId) {
        if !self.reconcile_queued[service.0 as usize] {
            self.reconcile_queued[service.0 as usize] = true;
            self.schedule(self.now, WakeupKind::Reconcile { service });
        }
    }

    fn schedule_advance(&mut self, task: TaskId, from: TaskState, delay_ms: u64) {
        self.schedule(
            self.now.plus_ms(delay_ms),
            WakeupKind::Advance { task, from },
        );
    }

    fn schedule(&mut self, at: SimTime, kind: WakeupKind) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Reverse(Wakeup { at, seq, kind }));
    }

    fn record(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, kind });
    }
}

fn action_label(action: &Action) -> String {
    match action {
        Action::UpdateService(update) => format!("updateService {}", update.service),
        Action::RegisterTaskDefinition(register) => {
            format!("registerTaskDefinition {}", register.family)
        }
        Action::StopTask { task } => format!("stopTask {task}"),
        Action::TerminateInstance { instance } => format!("terminateInstance {instance}"),
        Action::RunTask(run) => format!("runTask {}", run.task_definition),
        Action::StartTask(start) => format!("startTask {}", start.task_definition),
        Action::DrainInstance { instance } => format!("drainInstance {instance}"),
        Action::ActivateInstance { instance } => format!("activateInstance {instance}"),
        Action::FailAvailabilityZone { availability_zone } => {
            format!("failAvailabilityZone {availability_zone}")
        }
        Action::SetAlarmState { alarm_name, state } => {
            format!("setAlarmState {alarm_name} {}", state.as_str())
        }
    }
}

/// How many tasks with these requirements fit on the instance now (plan preview capacity).
fn slots_for(
    instance: &ContainerInstance,
    requirements: &crate::taskdef::ResourceRequirements,
) -> u32 {
    let by = |remaining: u32, needed: u32| remaining.checked_div(needed).unwrap_or(u32::MAX);
    let fits = by(instance.remaining_cpu_units, requirements.cpu_units)
        .min(by(instance.remaining_memory_mib, requirements.memory_mib));
    if requirements.static_host_ports.is_empty() {
        fits.min(1_000)
    } else if requirements
        .static_host_ports
        .iter()
        .any(|&p| instance.port_in_use(p))
    {
        0
    } else {
        fits.min(1)
    }
}

/// Debug builds: the fast path's tied set must be the oracle's, element for element, or the
/// two paths would draw differently and traces would depend on which one ran.
#[cfg(debug_assertions)]
fn check_fast_path(
    index: &mut PlacementIndex,
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
    what: &str,
) {
    if let Some(tied) = index.tied(instances, request) {
        let oracle = placement::place(instances, request, &mut SimRng::from_seed(0));
        assert_eq!(
            tied, oracle.explanation.tied,
            "the fast path's tied set differs from the oracle's for {what}"
        );
    }
}

/// DAEMON placement: one task per instance by construction, so distinctInstance adds nothing.
fn daemon_constraints(constraints: &[Constraint]) -> Vec<Constraint> {
    constraints
        .iter()
        .filter(|c| !matches!(c, Constraint::DistinctInstance))
        .cloned()
        .collect()
}

/// The moment the grace period of a running task ends (§3.4): measured from RUNNING.
/// Assumption (ecs-semantics §3.4 ⚠ "after the task has first started"): first started = RUNNING.
fn task_grace_end(task: &Task, grace_ms: u64) -> SimTime {
    task.running_at.unwrap_or(SimTime::ZERO).plus_ms(grace_ms)
}

/// With a probe on `next` (the next task to launch), records the oracle's decision for
/// `request` (on one named instance for StartTask), drawing from a copy of the RNG.
fn capture_probe(
    probe: &mut Option<(TaskId, Option<PlacementDecision>)>,
    next: TaskId,
    instances: &[ContainerInstance],
    rng: &SimRng,
    request: &PlacementRequest<'_>,
    on: Option<InstanceId>,
) {
    let Some((task, decision @ None)) = probe else {
        return;
    };
    if *task != next {
        return;
    }
    let mut rng = rng.clone();
    let made = match on {
        None => placement::place(instances, request, &mut rng),
        Some(instance) => placement::place_on(instances, instance, request, &mut rng),
    };
    // A failed placement launches nothing, so `next` goes to a later, successful one.
    if made.chosen.is_some() {
        *decision = Some(made);
    }
}

/// FNV-1a over the trace text: a short fingerprint to compare runs (native vs wasm, twice).
pub fn trace_hash(trace: &str) -> u64 {
    trace.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
