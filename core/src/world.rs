//! The world: the one place that owns and mutates simulation state — container instances,
//! task definitions, services, tasks, the event queue, the trace and the only RNG.
//! Time and actions go in (`apply`, `step`, `run_until`); events come out. Decisions are
//! delegated to pure functions (`placement::place`, `placement::choose_task_to_stop`); this
//! module applies them and records what happened.
//!
//! The queue holds wake-ups ordered by `(time, seq)`, so equal-time wake-ups run in the order
//! they were scheduled and a run is a pure function of the scenario, its seed and the actions.

use crate::action::{self, Action, ActionError, Failure, RunTask, StartTask, UpdateService};
use crate::catalogue;
use crate::cluster::{ContainerInstance, Held, InstanceId, InstanceStatus, NewInstance};
use crate::event::{Event, EventKind};
use crate::placement::{self, Constraint, PlacementDecision, PlacementRequest, Strategy};
use crate::rng::SimRng;
use crate::scenario::{self, Scenario, ScenarioError, DEFAULT_START_TIME_MS, DEFAULT_STOP_TIME_MS};
use crate::service::{Service, ServiceId};
use crate::task::{StopCode, Task, TaskId, TaskState};
use crate::taskdef::{NetworkMode, TaskDefinitionRef, TaskDefinitionRegistry};
use crate::time::{parse_duration, SimTime};
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
/// Assumption: instances in a scenario registered at 2026-01-01T00:00:00Z (`registeredAt`).
pub const SCENARIO_EPOCH_SECONDS: i64 = 1_767_225_600;

#[derive(Clone, Debug)]
pub struct World {
    now: SimTime,
    next_seq: u64,
    queue: BinaryHeap<Reverse<Wakeup>>,
    rng: SimRng,
    instances: Vec<ContainerInstance>,
    registry: TaskDefinitionRegistry,
    behaviours: BTreeMap<TaskDefinitionRef, Behaviour>,
    services: Vec<Service>,
    /// Tasks of each service that are not yet STOPPED, by service index.
    live_tasks: Vec<Vec<TaskId>>,
    reconcile_queued: Vec<bool>,
    tasks: Vec<Task>,
    events: Vec<Event>,
    scenario_name: String,
    /// Every RunTask/StartTask with its placement decisions, for explanations (issue 3).
    batches: Vec<BatchRecord>,
}

/// One RunTask or StartTask call: what was asked, each task's placement decision, and for an
/// unplaced task the cluster as it was (so counterfactuals can be computed later).
#[derive(Clone, Debug)]
pub struct BatchRecord {
    pub at: SimTime,
    pub label: String,
    pub requirements: crate::taskdef::ResourceRequirements,
    pub group: String,
    pub constraints: Vec<Constraint>,
    pub strategies: Vec<Strategy>,
    pub subnet_zones: Vec<String>,
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
}

/// What `run_until` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunReport {
    pub wakeups: u64,
    pub events: u64,
    /// True when the wake-up bound stopped the run before the target time.
    pub bounded: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Behaviour {
    start_ms: u64,
    stop_ms: u64,
    crash_rate_percent: u32,
}

impl Default for Behaviour {
    fn default() -> Behaviour {
        Behaviour {
            start_ms: DEFAULT_START_TIME_MS,
            stop_ms: DEFAULT_STOP_TIME_MS,
            crash_rate_percent: 0,
        }
    }
}

#[derive(Clone, Debug)]
struct Wakeup {
    at: SimTime,
    seq: u64,
    kind: WakeupKind,
}

#[derive(Clone, Debug)]
enum WakeupKind {
    /// Move a task on from `from`; stale (ignored) if the task has left that state meanwhile.
    Advance {
        task: TaskId,
        from: TaskState,
    },
    Reconcile {
        service: ServiceId,
    },
    Timeline {
        action: Action,
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
            reconcile_queued: Vec::new(),
            tasks: Vec::new(),
            events: Vec::new(),
            scenario_name: scenario.name.clone(),
            batches: Vec::new(),
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
                world.record(EventKind::InstanceRegistered { instance: id });
            }
        }
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
            let duration = |text: &Option<String>, default: u64| {
                text.as_deref().map_or(Ok(default), parse_duration)
            };
            let (Ok(start_ms), Ok(stop_ms)) = (
                duration(&behaviour.start_time, DEFAULT_START_TIME_MS),
                duration(&behaviour.stop_time, DEFAULT_STOP_TIME_MS),
            ) else {
                continue;
            };
            let crash_rate_percent = behaviour.crash_rate_percent.unwrap_or(0);
            world.behaviours.insert(
                reference,
                Behaviour {
                    start_ms,
                    stop_ms,
                    crash_rate_percent,
                },
            );
        }
        for (index, definition) in scenario.services.iter().enumerate() {
            match world.build_service(ServiceId(index as u32), definition) {
                Ok(service) => {
                    let (id, desired_count) = (service.id, service.desired_count);
                    world.services.push(service);
                    world.live_tasks.push(Vec::new());
                    world.reconcile_queued.push(false);
                    world.record(EventKind::ServiceCreated {
                        service: id,
                        desired_count,
                    });
                    world.queue_reconcile(id);
                }
                Err(message) => errors.push(ScenarioError {
                    path: format!("services[{index}]"),
                    message,
                }),
            }
        }
        for entry in &scenario.timeline {
            let Ok(at_ms) = parse_duration(&entry.at) else {
                continue;
            };
            world.schedule(
                SimTime(at_ms),
                WakeupKind::Timeline {
                    action: entry.action.clone(),
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

    /// Checks the world's invariants; tests call it after every event. Returns the first
    /// broken one, worded so that the failing seed and moment are enough to debug it.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut used: Vec<(u64, u64, u32, BTreeMap<&str, u32>)> =
            vec![(0, 0, 0, BTreeMap::new()); self.instances.len()];
        let mut gpus_eni: Vec<(u32, u32)> = vec![(0, 0); self.instances.len()];
        for task in &self.tasks {
            if task.state == TaskState::Stopped {
                continue;
            }
            let instance = &self.instances[task.instance.0 as usize];
            if instance.status == InstanceStatus::Inactive {
                return Err(format!(
                    "task {} is {} on deregistered instance {}",
                    task.id,
                    task.state.as_str(),
                    instance.ec2_instance_id
                ));
            }
            let slot = &mut used[task.instance.0 as usize];
            slot.0 += u64::from(task.cpu_units);
            slot.1 += u64::from(task.memory_mib);
            slot.2 += u32::from(task.desired_running);
            gpus_eni[task.instance.0 as usize].0 += task.gpus;
            gpus_eni[task.instance.0 as usize].1 += u32::from(task.eni);
            *slot.3.entry(task.group.as_str()).or_default() += 1;
        }
        for (instance, (cpu, memory, running, groups)) in self.instances.iter().zip(&used) {
            let name = &instance.ec2_instance_id;
            if *cpu > u64::from(instance.registered_cpu_units)
                || *memory > u64::from(instance.registered_memory_mib)
            {
                return Err(format!(
                    "instance {name} over-committed: {cpu} CPU units, {memory} MiB of {}/{}",
                    instance.registered_cpu_units, instance.registered_memory_mib
                ));
            }
            if u64::from(instance.remaining_cpu_units) + cpu
                != u64::from(instance.registered_cpu_units)
                || u64::from(instance.remaining_memory_mib) + memory
                    != u64::from(instance.registered_memory_mib)
            {
                return Err(format!(
                    "instance {name} remaining resources disagree with its tasks"
                ));
            }
            let (gpus, enis) = gpus_eni[instance.id.0 as usize];
            if gpus + instance.remaining_gpus != instance.registered_gpus
                || enis != instance.eni_tasks
                || enis > instance.eni_task_limit
            {
                return Err(format!(
                    "instance {name} GPUs/ENIs disagree with its tasks: {gpus} GPUs, {enis} ENIs"
                ));
            }
            if instance.reserved_ports.len() as u32 > crate::cluster::RESERVED_PORTS_MAX {
                return Err(format!("instance {name} reserves more than 100 ports"));
            }
            if instance.running_tasks_count != *running {
                return Err(format!(
                    "instance {name} runningTasksCount {} but {running} tasks want to run",
                    instance.running_tasks_count
                ));
            }
            let recorded: BTreeMap<&str, u32> = instance
                .task_groups
                .iter()
                .map(|(g, c)| (g.as_str(), *c))
                .collect();
            if &recorded != groups {
                return Err(format!(
                    "instance {name} task groups {recorded:?} disagree with its tasks {groups:?}"
                ));
            }
        }
        for (index, live) in self.live_tasks.iter().enumerate() {
            let expected: Vec<TaskId> = self
                .tasks
                .iter()
                .filter(|t| {
                    t.service == Some(ServiceId(index as u32)) && t.state != TaskState::Stopped
                })
                .map(|t| t.id)
                .collect();
            let mut actual = live.clone();
            actual.sort();
            if actual != expected {
                return Err(format!(
                    "service {} live task list is out of date",
                    self.services[index].name
                ));
            }
        }
        Ok(())
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
        }
    }

    /// `RunTask` (§1.2–1.5): up to 10 standalone tasks placed one after another, each seeing
    /// the ones before; tasks that fit nowhere become `failures[]`, the call still succeeds.
    fn run_task(&mut self, run: &RunTask) -> Result<(), ActionError> {
        let reference = self
            .registry
            .resolve(&run.task_definition)
            .map_err(ActionError)?;
        let definition_constraints = self.definition_constraints(&reference)?;
        if let Some((path, message)) = run.check(definition_constraints.len()).into_iter().next() {
            return Err(ActionError(format!("runTask.{path}: {message}")));
        }
        let (mut constraints, mut strategies) = action::parse_placement(
            &run.placement_constraints,
            &run.placement_strategy,
            definition_constraints.len(),
        )
        .map_err(|errors| ActionError(format!("runTask.{}: {}", errors[0].0, errors[0].1)))?;
        constraints.extend(definition_constraints);
        if strategies.is_empty() {
            strategies = Strategy::run_task_default();
        }
        let group = run
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", reference.family));
        let count = run.count.unwrap_or(1);
        let label = format!("runTask {reference} count={count} group={group}");
        let subnet_zones = run
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        let targets: Vec<Option<InstanceId>> = vec![None; count as usize];
        self.launch_batch(
            label,
            reference,
            group,
            constraints,
            strategies,
            subnet_zones,
            &targets,
            run.started_by.clone(),
        );
        Ok(())
    }

    /// `StartTask`: one task on each named container instance, no strategies (§1.2).
    fn start_task(&mut self, start: &StartTask) -> Result<(), ActionError> {
        let reference = self
            .registry
            .resolve(&start.task_definition)
            .map_err(ActionError)?;
        if let Some((path, message)) = start.check().into_iter().next() {
            return Err(ActionError(format!("startTask.{path}: {message}")));
        }
        let mut targets = Vec::new();
        for name in &start.container_instances {
            targets.push(Some(self.find_instance(name)?));
        }
        let constraints = self.definition_constraints(&reference)?;
        let group = start
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", reference.family));
        let label = format!(
            "startTask {reference} on {} group={group}",
            start.container_instances.join(",")
        );
        let subnet_zones = start
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        self.launch_batch(
            label,
            reference,
            group,
            constraints,
            Vec::new(),
            subnet_zones,
            &targets,
            start.started_by.clone(),
        );
        Ok(())
    }

    fn definition_constraints(
        &self,
        reference: &TaskDefinitionRef,
    ) -> Result<Vec<Constraint>, ActionError> {
        let mut constraints = Vec::new();
        if let Some(registered) = self.registry.get(reference) {
            for spec in &registered.placement_constraints {
                constraints.push(
                    Constraint::from_api(&spec.kind, spec.expression.as_deref())
                        .map_err(ActionError)?,
                );
            }
        }
        Ok(constraints)
    }

    /// Places and launches one standalone task per target (`None` = the placement engine
    /// chooses, `Some` = StartTask's named instance), records the decisions and one event
    /// with the started tasks and `failures[]`.
    #[allow(clippy::too_many_arguments)]
    fn launch_batch(
        &mut self,
        label: String,
        reference: TaskDefinitionRef,
        group: String,
        constraints: Vec<Constraint>,
        strategies: Vec<Strategy>,
        subnet_zones: Vec<String>,
        targets: &[Option<InstanceId>],
        started_by: Option<String>,
    ) {
        let requirements = self.requirements_of(&reference);
        let mut record = BatchRecord {
            at: self.now,
            label: label.clone(),
            requirements: requirements.clone(),
            group: group.clone(),
            constraints,
            strategies,
            subnet_zones,
            decisions: Vec::new(),
            started: Vec::new(),
            failures: Vec::new(),
            cluster_at_failure: None,
        };
        for target in targets {
            let request = PlacementRequest {
                requirements: &requirements,
                group: &group,
                constraints: &record.constraints,
                strategies: &record.strategies,
                subnet_zones: &record.subnet_zones,
            };
            let decision = match target {
                None => placement::place(&self.instances, &request, &mut self.rng),
                Some(instance) => {
                    placement::place_on(&self.instances, *instance, &request, &mut self.rng)
                }
            };
            match decision.chosen {
                Some(instance) => {
                    let task =
                        self.launch_standalone(&reference, &group, instance, started_by.clone());
                    record.started.push(task);
                }
                None => {
                    if record.cluster_at_failure.is_none() {
                        record.cluster_at_failure =
                            Some((self.instances.clone(), self.task_holds()));
                    }
                    for (instance, reason) in decision.failures() {
                        let arn = self.container_instance_arn(instance);
                        let failure = Failure {
                            arn,
                            reason: reason.to_string(),
                        };
                        if !record.failures.contains(&failure) {
                            record.failures.push(failure);
                        }
                    }
                    if decision.explanation.candidates_before == 0 {
                        record.failures.push(Failure {
                            arn: String::new(),
                            reason: "MISSING".into(),
                        });
                    }
                }
            }
            record.decisions.push(decision);
        }
        self.record(EventKind::BatchLaunched {
            description: label,
            started: record.started.clone(),
            failures: record.failures.clone(),
        });
        self.batches.push(record);
    }

    /// `arn:aws:ecs:<region>:<account>:container-instance/<cluster>/<id>`; the sandbox uses the
    /// EC2 instance id as the container instance id.
    pub fn container_instance_arn(&self, id: InstanceId) -> String {
        let instance = self.instance(id);
        let zone = &instance.availability_zone;
        let region = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
        format!(
            "arn:aws:ecs:{region}:123456789012:container-instance/default/{}",
            instance.ec2_instance_id
        )
    }

    fn update_service(&mut self, update: &UpdateService) -> Result<(), ActionError> {
        let id = self
            .services
            .iter()
            .find(|s| s.name == update.service)
            .map(|s| s.id)
            .ok_or_else(|| ActionError(format!("no service named \"{}\"", update.service)))?;
        if let Some(count) = update.desired_count {
            if count > scenario::DESIRED_COUNT_MAX {
                return Err(ActionError(format!(
                    "desiredCount {count} is above the sandbox limit of {}",
                    scenario::DESIRED_COUNT_MAX
                )));
            }
        }
        let mut description = format!("updateService {}", update.service);
        if let Some(count) = update.desired_count {
            description.push_str(&format!(" desiredCount={count}"));
        }
        self.record(EventKind::ActionApplied { description });
        if let Some(count) = update.desired_count {
            let service = &mut self.services[id.0 as usize];
            let from = service.desired_count;
            if from != count {
                service.desired_count = count;
                service.steady = false;
                self.record(EventKind::DesiredCountChanged {
                    service: id,
                    from,
                    to: count,
                });
                self.queue_reconcile(id);
            }
        }
        Ok(())
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

    // ---- the trace -----------------------------------------------------------------------

    /// One stable line per event: `HH:MM:SS.mmm description`.
    pub fn trace_line(&self, event: &Event) -> String {
        format!("{} {}", event.at, self.describe(event))
    }

    /// The whole trace so far, one line per event.
    pub fn trace(&self) -> String {
        let mut out = String::new();
        for event in &self.events {
            out.push_str(&self.trace_line(event));
            out.push('\n');
        }
        out
    }

    pub fn describe(&self, event: &Event) -> String {
        let instance_label = |id: InstanceId| {
            let instance = self.instance(id);
            format!(
                "{} ({})",
                instance.ec2_instance_id, instance.availability_zone
            )
        };
        match &event.kind {
            EventKind::InstanceRegistered { instance } => {
                let i = self.instance(*instance);
                format!(
                    "container instance {} registered: {} in {}, {} CPU units, {} MiB",
                    i.ec2_instance_id,
                    i.instance_type.name,
                    i.availability_zone,
                    i.registered_cpu_units,
                    i.registered_memory_mib
                )
            }
            EventKind::InstanceStatusChanged { instance, status } => {
                format!(
                    "container instance {} is {}",
                    instance_label(*instance),
                    status.as_str()
                )
            }
            EventKind::TaskDefinitionRegistered { task_definition } => {
                format!("task definition {task_definition} registered")
            }
            EventKind::ServiceCreated {
                service,
                desired_count,
            } => {
                let s = self.service(*service);
                format!(
                    "service {} created: {}, desiredCount {desired_count}",
                    s.name, s.task_definition
                )
            }
            EventKind::DesiredCountChanged { service, from, to } => {
                format!(
                    "service {} desiredCount {from} -> {to}",
                    self.service(*service).name
                )
            }
            EventKind::TaskPlaced {
                task,
                instance,
                state,
            } => {
                let t = self.task(*task);
                let owner = t.service.map_or(t.group.clone(), |s| {
                    format!("service {}", self.service(s).name)
                });
                format!(
                    "task {task} ({}, {owner}) placed on {}: {}",
                    t.task_definition,
                    instance_label(*instance),
                    state.as_str()
                )
            }
            EventKind::TaskStateChanged { task, from, to } => {
                format!("task {task} {} -> {}", from.as_str(), to.as_str())
            }
            EventKind::TaskStopRequested {
                task,
                stop_code,
                reason,
            } => {
                format!(
                    "task {task} desired STOPPED: {} ({reason})",
                    stop_code.as_str()
                )
            }
            EventKind::ServiceMessage { message, .. } => message.clone(),
            EventKind::ActionApplied { description } => format!("action {description}"),
            EventKind::BatchLaunched {
                description,
                started,
                failures,
            } => {
                let started: Vec<String> = started.iter().map(|t| t.to_string()).collect();
                let mut line = format!("{description}: started [{}]", started.join(", "));
                if !failures.is_empty() {
                    let list: Vec<String> = failures
                        .iter()
                        .map(|f| format!("{} {}", f.arn.rsplit('/').next().unwrap_or(""), f.reason))
                        .collect();
                    line.push_str(&format!(", failures [{}]", list.join("; ")));
                }
                line
            }
            EventKind::ActionRejected {
                description,
                reason,
            } => format!("action {description} rejected: {reason}"),
        }
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

    /// Brings one service's task count to its desired count (§3.1, §3.2).
    fn reconcile(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let running: Vec<TaskId> = self.live_tasks[index]
            .iter()
            .copied()
            .filter(|&t| self.tasks[t.0 as usize].desired_running)
            .collect();
        let desired = self.services[index].desired_count;
        let active = running.len() as u32;
        if active < desired {
            let mut started = Vec::new();
            for _ in active..desired {
                let decision = self.place_for_service(id);
                match decision.chosen {
                    Some(instance) => started.push(self.launch(id, instance)),
                    None => {
                        self.report_placement_failure(id, &decision);
                        break;
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
        } else if active > desired {
            let group = self.services[index].group();
            let mut candidates: Vec<(TaskId, InstanceId)> = running
                .iter()
                .map(|&t| (t, self.tasks[t.0 as usize].instance))
                .collect();
            let mut stopped = Vec::new();
            for _ in desired..active {
                let tasks = &self.tasks;
                let Some(pick) = placement::choose_task_to_stop(
                    &self.instances,
                    &candidates,
                    &group,
                    &self.services[index].strategies,
                    |t: TaskId| {
                        let task = &tasks[t.0 as usize];
                        (task.cpu_units, task.memory_mib)
                    },
                    &mut self.rng,
                ) else {
                    break;
                };
                let (task, _) = candidates.swap_remove(pick);
                let reason = format!(
                    "Scaling activity initiated by (service {})",
                    self.services[index].name
                );
                self.stop_task(task, StopCode::ServiceSchedulerInitiated, &reason);
                stopped.push(task);
            }
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
        self.check_steady(id);
    }

    fn place_for_service(&mut self, id: ServiceId) -> PlacementDecision {
        let service = &self.services[id.0 as usize];
        let requirements = self.requirements_of(&service.task_definition);
        let group = service.group();
        let request = PlacementRequest {
            requirements: &requirements,
            group: &group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &[],
        };
        placement::place(&self.instances, &request, &mut self.rng)
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
        let group = self.services[service.0 as usize].group();
        let id = TaskId(self.tasks.len() as u32);
        self.instances[instance_id.0 as usize].reserve(&requirements, &group, &id.to_string());
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
        });
        self.live_tasks[service.0 as usize].push(id);
        self.services[service.0 as usize].steady = false;
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
        self.instances[instance_id.0 as usize].reserve(&requirements, group, &id.to_string());
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
            }
            TaskState::Pending => {
                self.set_state(id, TaskState::Activating);
                self.schedule_advance(id, TaskState::Activating, ACTIVATING_MS);
            }
            TaskState::Activating => self.set_state(id, TaskState::Running),
            TaskState::Deactivating => {
                self.set_state(id, TaskState::Stopping);
                self.schedule_advance(
                    id,
                    TaskState::Stopping,
                    behaviour.stop_ms.min(STOP_TIMEOUT_MS_DEFAULT),
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

    /// Sets desiredStatus STOPPED and starts the way down (§3.3). Tasks that never ran stop at
    /// once; running ones deactivate, get SIGTERM and stop after their stop time.
    fn stop_task(&mut self, id: TaskId, stop_code: StopCode, reason: &str) {
        let task = &mut self.tasks[id.0 as usize];
        if !task.desired_running || task.state == TaskState::Stopped {
            return;
        }
        task.desired_running = false;
        task.stop_code = Some(stop_code);
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
        self.instances[task.instance.0 as usize].release(
            &Held {
                cpu_units: task.cpu_units,
                memory_mib: task.memory_mib,
                gpus: task.gpus,
                eni: task.eni,
                static_host_ports: &task.static_host_ports,
                group: &task.group,
            },
            &id.to_string(),
        );
        if let Some(service) = task.service {
            self.live_tasks[service.0 as usize].retain(|&t| t != id);
        }
        // Freed capacity may let other services place the tasks they could not place before.
        let own_service = task.service;
        for index in 0..self.services.len() {
            if self.services[index].last_placement_failure.is_some()
                || Some(ServiceId(index as u32)) == own_service
            {
                self.queue_reconcile(ServiceId(index as u32));
            }
        }
        if let Some(service) = self.tasks[id.0 as usize].service {
            self.check_steady(service);
        }
    }

    /// §3.6: terminating an instance deregisters it; its tasks are gone and the service
    /// scheduler replaces them elsewhere.
    fn terminate_instance(&mut self, id: InstanceId) {
        self.instances[id.0 as usize].status = InstanceStatus::Inactive;
        self.record(EventKind::InstanceStatusChanged {
            instance: id,
            status: InstanceStatus::Inactive,
        });
        let on_instance: Vec<TaskId> = self
            .tasks
            .iter()
            .filter(|t| t.instance == id && t.state != TaskState::Stopped)
            .map(|t| t.id)
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
        let service = task.service;
        self.record(EventKind::TaskStateChanged { task: id, from, to });
        if let (Some(service), TaskState::Running) = (service, to) {
            self.check_steady(service);
        }
    }

    /// "has reached a steady state" once all of the service's tasks run and match the desired
    /// count (§3.8); any change clears it.
    fn check_steady(&mut self, id: ServiceId) {
        let index = id.0 as usize;
        let live = &self.live_tasks[index];
        let steady = live.len() as u32 == self.services[index].desired_count
            && live.iter().all(|&t| {
                let task = &self.tasks[t.0 as usize];
                task.desired_running && task.state == TaskState::Running
            });
        let service = &mut self.services[index];
        if steady && !service.steady {
            service.steady = true;
            let message = format!("(service {}) has reached a steady state.", service.name);
            self.record(EventKind::ServiceMessage {
                service: id,
                message,
            });
        } else if !steady {
            service.steady = false;
        }
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
        let mut strategies = Vec::new();
        for spec in &definition.placement_strategy {
            strategies.push(Strategy::from_api(&spec.kind, spec.field.as_deref())?);
        }
        if strategies.is_empty() {
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
        Action::StopTask { task } => format!("stopTask {task}"),
        Action::TerminateInstance { instance } => format!("terminateInstance {instance}"),
        Action::RunTask(run) => format!("runTask {}", run.task_definition),
        Action::StartTask(start) => format!("startTask {}", start.task_definition),
    }
}

/// FNV-1a over the trace text: a short fingerprint to compare runs (native vs wasm, twice).
pub fn trace_hash(trace: &str) -> u64 {
    trace.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
