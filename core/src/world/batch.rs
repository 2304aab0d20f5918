//! RunTask and StartTask (ecs-semantics §1.2–1.5): standalone tasks placed one after another,
//! `failures[]` for those that fit nowhere, and the batch records that explanations and
//! counterfactuals read — with the cluster at a call's first failure kept in a compact form
//! ([`ClusterAtFailure`]) instead of a copy of every instance.

use super::*;
use crate::action::RUN_TASK_COUNT_MAX;
use crate::cluster::GroupRef;
use crate::counterfactual::TaskHold;
use crate::placement_index::Plan;
use crate::task::GroupName;
use lifecycle::LaunchGroup;
use placement_driver::Chooser;
use std::sync::Arc;

/// What counterfactuals need of the cluster at a batch's first failed placement, kept small:
/// which tasks held resources then (a bit per task launched by then) and each instance's status,
/// agent and `runningTasksCount`. Everything else about an instance either never changes while
/// the world runs (type, zone, attributes, registered resources) or follows from the tasks
/// holding resources on it — remaining CPU, memory and GPUs, ENIs, reserved ports, task groups:
/// the accounting `check_invariants` asserts after every event in tests — and a task's holds
/// never change after launch. So [`World::cluster_at_failure`] rebuilds the cluster exactly as
/// it was (debug builds check it against a copy when it is recorded).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClusterAtFailure {
    /// Bit `t % 64` of word `t / 64`: task `t` was not STOPPED.
    live_tasks: Arc<[u64]>,
    instances: Arc<[InstanceMoment]>,
}

/// The part of an instance's state that does not follow from the tasks on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct InstanceMoment {
    status: InstanceStatus,
    agent_connected: bool,
    running_tasks_count: u32,
}

/// The live-task bits last taken for a [`ClusterAtFailure`], with the task count then and how
/// many tasks had reached STOPPED (counted by `set_state`, the one place a state changes).
/// With no stop since, the tasks launched since are exactly the new live ones (a launched task
/// can leave the live set only by a stop), so a full cluster's failed calls, one after another,
/// take the same bits without walking the task table. Derived: a restored world starts empty
/// and walks once.
#[derive(Clone, Debug, Default)]
pub(super) struct LiveTasks {
    stops: u64,
    taken: Option<(usize, u64, Arc<[u64]>)>,
}

impl LiveTasks {
    /// A task reached STOPPED.
    pub(super) fn stopped(&mut self) {
        self.stops += 1;
    }

    /// Bit `t % 64` of word `t / 64`: task `t` is not STOPPED.
    fn now(&mut self, tasks: &[Task]) -> Arc<[u64]> {
        let count = tasks.len();
        let bits: Arc<[u64]> = match &self.taken {
            Some((then, stops, bits)) if *stops == self.stops && *then == count => Arc::clone(bits),
            Some((then, stops, bits)) if *stops == self.stops && *then < count => {
                let mut grown = bits.to_vec();
                grown.resize(count.div_ceil(64), 0);
                for t in *then..count {
                    grown[t / 64] |= 1 << (t % 64);
                }
                grown.into()
            }
            _ => {
                let mut walked = vec![0u64; count.div_ceil(64)];
                for task in tasks.iter().filter(|t| t.state != TaskState::Stopped) {
                    walked[task.id.0 as usize / 64] |= 1 << (task.id.0 % 64);
                }
                walked.into()
            }
        };
        self.taken = Some((count, self.stops, Arc::clone(&bits)));
        bits
    }
}

impl ClusterAtFailure {
    /// Holds `other`'s copy of each part that is equal to this one's.
    fn share_equal_parts(&mut self, other: &ClusterAtFailure) {
        if Arc::ptr_eq(&self.live_tasks, &other.live_tasks) || self.live_tasks == other.live_tasks {
            self.live_tasks = Arc::clone(&other.live_tasks);
        }
        if self.instances == other.instances {
            self.instances = Arc::clone(&other.instances);
        }
    }
}

impl World {
    /// `RunTask` (§1.2–1.5): up to 10 standalone tasks placed one after another, each seeing
    /// the ones before; tasks that fit nowhere become `failures[]`, the call still succeeds.
    pub(super) fn run_task(&mut self, run: &RunTask) -> Result<(), ActionError> {
        let reference = self
            .registry
            .resolve(&run.task_definition)
            .map_err(ActionError)?;
        let definition_constraints = self.definition_constraints(&reference)?;
        // `RunTask::check`'s first problem in its order (count, group, then placement), with the
        // placement parsed once: to check it and to use it.
        if let Some((path, message)) = run.count_and_group_problems().into_iter().next() {
            return Err(ActionError(format!("runTask.{path}: {message}")));
        }
        let (mut constraints, strategies) = self
            .placer
            .parse_run_task_placement(
                &run.placement_constraints,
                &run.placement_strategy,
                definition_constraints.len(),
            )
            .map_err(|errors| ActionError(format!("runTask.{}: {}", errors[0].0, errors[0].1)))?;
        if !definition_constraints.is_empty() {
            constraints = constraints
                .iter()
                .cloned()
                .chain(definition_constraints)
                .collect();
        }
        let group = run
            .group
            .clone()
            .unwrap_or_else(|| format!("family:{}", reference.family));
        let count = run.count.unwrap_or(1);
        let call = BatchCall {
            kind: BatchKind::RunTask { count },
            task_definition: reference,
            group,
        };
        let subnet_zones = run
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        // `count` is at most `RUN_TASK_COUNT_MAX` (checked above).
        const ENGINE_CHOOSES: [Option<InstanceId>; RUN_TASK_COUNT_MAX as usize] =
            [None; RUN_TASK_COUNT_MAX as usize];
        self.launch_batch(
            call,
            constraints,
            strategies,
            subnet_zones,
            &ENGINE_CHOOSES[..count as usize],
            run.started_by.clone(),
        );
        Ok(())
    }

    /// `StartTask`: one task on each named container instance, no strategies (§1.2).
    pub(super) fn start_task(&mut self, start: &StartTask) -> Result<(), ActionError> {
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
        let call = BatchCall {
            kind: BatchKind::StartTask {
                container_instances: start.container_instances.clone(),
            },
            task_definition: reference,
            group,
        };
        let subnet_zones = start
            .network_configuration
            .as_ref()
            .map(|n| n.subnet_zones())
            .unwrap_or_default();
        self.launch_batch(
            call,
            constraints.into(),
            Arc::from([]),
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
    /// chooses, `Some` = StartTask's named instance), records the call and one event
    /// with the started tasks and `failures[]`.
    fn launch_batch(
        &mut self,
        call: BatchCall,
        constraints: Arc<[Constraint]>,
        strategies: Arc<[Strategy]>,
        subnet_zones: Vec<String>,
        targets: &[Option<InstanceId>],
        started_by: Option<String>,
    ) {
        let (reference, group) = (call.task_definition.clone(), call.group.clone());
        let group_id = self.placer.index.intern(&group);
        let group_name = GroupName::from(group.as_str());
        let label = trace::batch_label(&call);
        let requirements = self.requirements_of(&reference);
        let mut started = Vec::with_capacity(targets.len());
        let mut failures: Vec<Failure> = Vec::new();
        let mut cluster_at_failure: Option<ClusterAtFailure> = None;
        // Whether the last task the engine placed (no instance named) fit nowhere, and whether
        // no instance was considered then. A failed placement changes nothing (no launch, no
        // draw: `choose_among` draws only among two or more), so the next such task of the call
        // gets the identical decision: its `failures[]` entries are already recorded, and only
        // "MISSING", which is not merged, is added again. Skipping it spares a RunTask of 10
        // on a full cluster nine walks of the fleet that would add nothing.
        let mut unplaceable: Option<bool> = None;
        let request = PlacementRequest {
            requirements: &requirements,
            group: &group,
            constraints: &constraints,
            strategies: &strategies,
            subnet_zones: &subnet_zones,
        };
        // The fast path's plan, made for the first task the engine places and shared by the
        // call's others (none made when StartTask names every instance).
        let mut plan: Option<Plan> = None;
        for target in targets {
            if target.is_none() {
                if let Some(no_candidates) = unplaceable {
                    if no_candidates {
                        failures.push(Failure {
                            arn: String::new(),
                            reason: "MISSING".into(),
                        });
                    }
                    continue;
                }
            }
            let chooser = match target {
                Some(instance) => Chooser::Named(*instance),
                None => {
                    Chooser::Engine(Some(plan.get_or_insert_with(|| {
                        self.placer.index.plan(&self.instances, &request)
                    })))
                }
            };
            let next_task = TaskId(self.tasks.len() as u32);
            let placed = self.placer.place(
                &self.instances,
                &mut self.rngs.placement,
                next_task,
                &request,
                chooser,
                &label,
            );
            match placed {
                Ok((instance, _)) => {
                    let task = self.launch(
                        reference.clone(),
                        &requirements,
                        TaskOwner::Standalone {
                            group: LaunchGroup {
                                id: group_id,
                                name: &group_name,
                            },
                            started_by: started_by.clone(),
                        },
                        instance,
                    );
                    started.push(task);
                }
                Err(decision) => {
                    if cluster_at_failure.is_none() {
                        cluster_at_failure = Some(self.cluster_now());
                    }
                    // One decision names each instance once (and distinct instances have
                    // distinct ARNs), so its entries are checked only against earlier ones.
                    let earlier = failures.len();
                    for (instance, reason) in decision.failures() {
                        let arn = self.container_instance_arn(instance);
                        let failure = Failure {
                            arn,
                            reason: reason.to_string(),
                        };
                        if !failures[..earlier].contains(&failure) {
                            failures.push(failure);
                        }
                    }
                    let no_candidates = decision.explanation.candidates_before == 0;
                    if no_candidates {
                        failures.push(Failure {
                            arn: String::new(),
                            reason: "MISSING".into(),
                        });
                    }
                    if target.is_none() {
                        unplaceable = Some(no_candidates);
                    }
                }
            }
        }
        // `failures[]` is held once by the record and its event, and shared with the last
        // call's when it is the same list (calls on a full cluster fail alike, one after
        // another), as is the cluster at the failure.
        let last = self.batches.last();
        let failures: Arc<[Failure]> = match last {
            Some(last) if *last.failures == *failures => Arc::clone(&last.failures),
            _ => failures.into(),
        };
        if let (Some(now), Some(then)) = (
            &mut cluster_at_failure,
            last.and_then(|b| b.cluster_at_failure.as_ref()),
        ) {
            now.share_equal_parts(then);
        }
        // One list of started tasks, held by the event and the record.
        let started: Arc<[TaskId]> = started.into();
        self.record(EventKind::BatchLaunched {
            call: Box::new(call),
            started: Arc::clone(&started),
            failures: Arc::clone(&failures),
        });
        self.batches.push(BatchRecord {
            at: self.now,
            label,
            requirements,
            group,
            constraints,
            strategies,
            subnet_zones,
            started,
            failures,
            cluster_at_failure,
        });
    }

    /// The cluster and the tasks holding resources at `batch`'s first failed placement, as they
    /// were then (for counterfactuals); `None` when every task of the call was placed.
    pub fn cluster_at_failure(
        &self,
        batch: &BatchRecord,
    ) -> Option<(Vec<ContainerInstance>, Vec<TaskHold>)> {
        let moment = batch.cluster_at_failure.as_ref()?;
        Some(self.rebuild_cluster(moment))
    }

    /// The compact form of the cluster now.
    fn cluster_now(&mut self) -> ClusterAtFailure {
        let live_tasks = self.live_tasks.now(&self.tasks);
        let moment = ClusterAtFailure {
            live_tasks,
            instances: self
                .instances
                .iter()
                .map(|i| InstanceMoment {
                    status: i.status,
                    agent_connected: i.agent_connected,
                    running_tasks_count: i.running_tasks_count,
                })
                .collect(),
        };
        #[cfg(debug_assertions)]
        {
            let (instances, holds) = self.rebuild_cluster(&moment);
            assert_eq!(
                format!("{:?}", (&instances, &holds)),
                format!("{:?}", (&self.instances, self.task_holds())),
                "the compact cluster at a failure rebuilds the cluster as it is"
            );
        }
        moment
    }

    fn rebuild_cluster(
        &self,
        moment: &ClusterAtFailure,
    ) -> (Vec<ContainerInstance>, Vec<TaskHold>) {
        let holds: Vec<TaskHold> = self
            .tasks
            .iter()
            .take(moment.live_tasks.len() * 64)
            .filter(|t| moment.live_tasks[t.id.0 as usize / 64] & (1 << (t.id.0 % 64)) != 0)
            .map(Task::hold)
            .collect();
        let mut instances: Vec<ContainerInstance> = self
            .instances
            .iter()
            .zip(moment.instances.iter())
            .map(|(now, then)| {
                let mut instance = now.clone();
                instance.status = then.status;
                instance.agent_connected = then.agent_connected;
                instance.running_tasks_count = then.running_tasks_count;
                instance.remaining_cpu_units = instance.registered_cpu_units;
                instance.remaining_memory_mib = instance.registered_memory_mib;
                instance.remaining_gpus = instance.registered_gpus;
                instance.eni_tasks = 0;
                instance.reserved_ports = crate::cluster::DEFAULT_RESERVED_PORTS.to_vec();
                instance.task_groups.clear();
                instance
            })
            .collect();
        for hold in &holds {
            let instance = &mut instances[hold.instance.0 as usize];
            instance.remaining_cpu_units -= hold.cpu_units;
            instance.remaining_memory_mib -= hold.memory_mib;
            instance.remaining_gpus -= hold.gpus;
            instance.eni_tasks += u32::from(hold.eni);
            for &port in &hold.static_host_ports {
                if let Err(slot) = instance.reserved_ports.binary_search(&port) {
                    instance.reserved_ports.insert(slot, port);
                }
            }
            let id = self.placer.index.group_id(&hold.group);
            instance.add_to_group_id(GroupRef {
                id: id.expect("a launched task's group is interned"),
                name: &hold.group,
            });
        }
        (instances, holds)
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
}
