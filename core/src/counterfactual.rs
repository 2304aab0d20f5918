//! Counterfactuals (★): for a task that cannot be placed, the smallest changes that would place
//! it — add an instance of which catalogue type in which Availability Zone, relax which
//! constraint, free which resources by stopping which tasks, reconnect which agent. A pure
//! function of the cluster, the live tasks and the placement request. Every suggestion is
//! verified by re-running [`placement::place`] on a modified copy of the cluster before it is
//! returned, so nothing here is a guess.
//!
//! Assumption (not ECS; ranking is ours): suggestions are ranked by kind in the order the
//! issue lists them — add one instance, relax one constraint, stop tasks, reconnect an agent —
//! and within a kind by size: the smallest instance type (vCPUs, then memory, then GPUs, then
//! name), the fewest tasks stopped. The catalogue has no prices, so "cheapest" means smallest.

use crate::catalogue;
use crate::cluster::{ContainerInstance, Held, InstanceId, InstanceStatus, NewInstance};
use crate::compact::SortedMap;
use crate::compact::SortedSet;
use crate::placement::{self, PlacementRequest, Rejection};
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};

/// What one live task holds on its instance (from the world), so "stop which tasks" can be
/// simulated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskHold {
    pub task: String,
    pub instance: InstanceId,
    pub group: String,
    pub cpu_units: u32,
    pub memory_mib: u32,
    pub gpus: u32,
    pub eni: bool,
    pub static_host_ports: Vec<u16>,
}

impl TaskHold {
    /// What the task holds on its instance, for `ContainerInstance::release`.
    pub fn held(&self) -> Held<'_> {
        Held {
            cpu_units: self.cpu_units,
            memory_mib: self.memory_mib,
            gpus: self.gpus,
            eni: self.eni,
            static_host_ports: &self.static_host_ports,
            group: &self.group,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Register one more instance of this type in this AZ, launched like `like` (same AMI and
    /// custom attributes), if any.
    AddInstance {
        instance_type: &'static str,
        availability_zone: String,
        like: String,
        custom_attributes: SortedMap<String, String>,
    },
    /// Remove this constraint; `detail` names the value that made the chosen instance fail it.
    DropConstraint { constraint: String, detail: String },
    /// Stop these tasks on this instance to free what is short.
    StopTasks {
        instance: String,
        tasks: Vec<String>,
        frees: String,
    },
    /// Reconnect the agent of this instance (§1.1 `AGENT`).
    ReconnectAgent { instance: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub change: Change,
    /// Where the verification run placed the task (EC2 instance id, `new instance` for an
    /// added one).
    pub placed_on: String,
}

impl Suggestion {
    pub fn describe(&self) -> String {
        let what = match &self.change {
            Change::AddInstance {
                instance_type,
                availability_zone,
                like,
                custom_attributes,
            } => {
                let mut text = format!("add a {instance_type} in {availability_zone}");
                if !custom_attributes.is_empty() {
                    let attrs: Vec<String> = custom_attributes
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    text.push_str(&format!(" with attributes {}", attrs.join(", ")));
                }
                text.push_str(&format!(" (launched like {like})"));
                text
            }
            Change::DropConstraint { constraint, detail } => {
                format!("relax {constraint} (the task would go where {detail})")
            }
            Change::StopTasks {
                instance,
                tasks,
                frees,
            } => format!("stop {} on {instance} to free {frees}", tasks.join(", ")),
            Change::ReconnectAgent { instance } => {
                format!("reconnect the ECS agent on {instance}")
            }
        };
        format!("{what} -> verified: placed on {}", self.placed_on)
    }
}

/// How many suggestions of each kind are returned at most.
pub const SUGGESTIONS_PER_KIND_MAX: usize = 3;
/// Distinct launch templates (AZ, AMI, custom attributes) tried for "add an instance".
pub const TEMPLATES_MAX: usize = 32;

/// The ranked, verified suggestions; empty when the task can be placed as things are.
pub fn suggest(
    instances: &[ContainerInstance],
    tasks: &[TaskHold],
    request: &PlacementRequest<'_>,
) -> Vec<Suggestion> {
    if places(instances, request).is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    out.extend(add_instance(instances, request));
    out.extend(relax_constraint(instances, request));
    out.extend(stop_tasks(instances, tasks, request));
    out.extend(reconnect_agent(instances, request));
    out
}

/// Verification: does placement choose an instance on this cluster? The RNG only breaks ties,
/// so a fixed seed is enough.
fn places(instances: &[ContainerInstance], request: &PlacementRequest<'_>) -> Option<InstanceId> {
    placement::place(instances, request, &mut SimRng::from_seed(0)).chosen
}

fn add_instance(
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
) -> Vec<Suggestion> {
    let requirements = request.requirements;
    // Launch templates: one per distinct (AZ, AMI, custom attributes, trunking), in id order.
    let mut seen = SortedSet::new();
    let mut templates = Vec::new();
    for instance in instances {
        if instance.status == InstanceStatus::Inactive {
            continue;
        }
        let custom: SortedMap<String, String> = instance
            .attributes
            .iter()
            .filter(|(k, _)| !k.starts_with("ecs."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let ami = instance
            .attributes
            .get("ecs.ami-id")
            .cloned()
            .unwrap_or_default();
        let trunking = instance.attributes.contains_key("ecs.awsvpc-trunk-id");
        let key = (
            instance.availability_zone.clone(),
            ami.clone(),
            custom.clone(),
            trunking,
        );
        // Full first: once there are enough templates the set stops growing (a sorted set's
        // insert moves what follows, so it stays small).
        if templates.len() < TEMPLATES_MAX && seen.insert(key) {
            templates.push((instance, ami, custom, trunking));
        }
    }
    let mut types: Vec<&'static catalogue::InstanceType> = catalogue::all()
        .iter()
        .filter(|t| {
            t.cpu_units() >= requirements.cpu_units
                && t.registered_memory_mib() >= requirements.memory_mib
                && t.gpus >= requirements.gpus
        })
        .collect();
    crate::compact::sort_by_key(&mut types, |t| (t.vcpus, t.memory_mib, t.gpus, t.name));
    let mut out: Vec<(u32, u32, u32, Suggestion)> = Vec::new();
    let mut cluster = instances.to_vec();
    let new_id = InstanceId(instances.len() as u32);
    for (like, ami, custom, trunking) in &templates {
        for instance_type in &types {
            let added = ContainerInstance::new(
                new_id,
                NewInstance {
                    instance_type,
                    availability_zone: &like.availability_zone,
                    ami_id: ami,
                    custom_attributes: custom,
                    registered_at_epoch_seconds: like.registered_at_epoch_seconds,
                    awsvpc_trunking: *trunking,
                    agent_connected: true,
                },
            );
            cluster.push(added);
            let chosen = places(&cluster, request);
            cluster.pop();
            if chosen == Some(new_id) {
                out.push((
                    instance_type.vcpus,
                    instance_type.memory_mib,
                    instance_type.gpus,
                    Suggestion {
                        change: Change::AddInstance {
                            instance_type: instance_type.name,
                            availability_zone: like.availability_zone.clone(),
                            like: like.ec2_instance_id.clone(),
                            custom_attributes: custom.clone(),
                        },
                        placed_on: "the new instance".into(),
                    },
                ));
                break;
            }
        }
    }
    // Smallest first; the sort is stable so equal sizes keep instance order.
    crate::compact::sort_by_key(&mut out, |(vcpus, memory, gpus, _)| {
        (*vcpus, *memory, *gpus)
    });
    // One suggestion per (type, AZ): templates differing only in AMI say the same thing.
    let mut said = SortedSet::new();
    out.into_iter()
        .map(|(_, _, _, s)| s)
        .filter(|s| match &s.change {
            Change::AddInstance {
                instance_type,
                availability_zone,
                custom_attributes,
                ..
            } => said.insert((
                *instance_type,
                availability_zone.clone(),
                custom_attributes.clone(),
            )),
            _ => true,
        })
        .take(SUGGESTIONS_PER_KIND_MAX)
        .collect()
}

fn relax_constraint(
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for (index, constraint) in request.constraints.iter().enumerate() {
        let rest: Vec<_> = request
            .constraints
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, c)| c.clone())
            .collect();
        let relaxed = PlacementRequest {
            constraints: &rest,
            ..*request
        };
        if let Some(chosen) = places(instances, &relaxed) {
            let instance = &instances[chosen.0 as usize];
            let detail = match placement::constraint_rejection(instance, constraint, request.group)
            {
                Some(Rejection::ConstraintNotMet { detail, .. }) => {
                    format!("{} {detail}", instance.ec2_instance_id)
                }
                _ => instance.ec2_instance_id.clone(),
            };
            out.push(Suggestion {
                change: Change::DropConstraint {
                    constraint: constraint.describe(),
                    detail,
                },
                placed_on: instance.ec2_instance_id.clone(),
            });
        }
    }
    out.truncate(SUGGESTIONS_PER_KIND_MAX);
    out
}

fn stop_tasks(
    instances: &[ContainerInstance],
    tasks: &[TaskHold],
    request: &PlacementRequest<'_>,
) -> Vec<Suggestion> {
    let mut found: Vec<(u32, Suggestion)> = Vec::new();
    for instance in instances {
        let resource_short = matches!(
            placement::resource_rejection(instance, request),
            Some(
                Rejection::InsufficientCpu { .. }
                    | Rejection::InsufficientMemory { .. }
                    | Rejection::InsufficientGpu { .. }
                    | Rejection::PortInUse(_)
                    | Rejection::TooManyPorts { .. }
                    | Rejection::InsufficientEni { .. }
            )
        );
        if !resource_short {
            continue;
        }
        // A service's own tasks are never suggested: its scheduler would launch a replacement
        // for the stopped one, which takes the freed room back (no net gain).
        let own_service = request.group.starts_with("service:");
        let mut on_instance: Vec<&TaskHold> = tasks
            .iter()
            .filter(|t| t.instance == instance.id && !(own_service && t.group == request.group))
            .collect();
        let mut copy = instance.clone();
        let mut stopped: Vec<&TaskHold> = Vec::new();
        // Bounded: each round stops one task of this instance.
        while let Some(why) = placement::resource_rejection(&copy, request) {
            let pick = match why {
                Rejection::InsufficientCpu { .. } => on_instance
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, t)| t.cpu_units)
                    .map(|(i, _)| i),
                Rejection::InsufficientMemory { .. } => on_instance
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, t)| t.memory_mib)
                    .map(|(i, _)| i),
                Rejection::InsufficientGpu { .. } => on_instance
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, t)| t.gpus)
                    .map(|(i, _)| i),
                Rejection::PortInUse(port) => on_instance
                    .iter()
                    .position(|t| t.static_host_ports.contains(&port)),
                Rejection::TooManyPorts { .. } => on_instance
                    .iter()
                    .enumerate()
                    .max_by_key(|(_, t)| t.static_host_ports.len())
                    .filter(|(_, t)| !t.static_host_ports.is_empty())
                    .map(|(i, _)| i),
                Rejection::InsufficientEni { .. } => on_instance.iter().position(|t| t.eni),
                _ => None,
            };
            let Some(pick) = pick else { break };
            let task = on_instance.swap_remove(pick);
            copy.release(&task.held(), &task.task);
            copy.running_tasks_count = copy.running_tasks_count.saturating_sub(1);
            stopped.push(task);
        }
        if stopped.is_empty() {
            continue;
        }
        let mut cluster = instances.to_vec();
        cluster[instance.id.0 as usize] = copy;
        if places(&cluster, request) != Some(instance.id) {
            continue;
        }
        let cpu: u32 = stopped.iter().map(|t| t.cpu_units).sum();
        let memory: u32 = stopped.iter().map(|t| t.memory_mib).sum();
        let mut frees = format!("{cpu} CPU units, {memory} MiB");
        let gpus: u32 = stopped.iter().map(|t| t.gpus).sum();
        if gpus > 0 {
            frees.push_str(&format!(", {gpus} GPUs"));
        }
        let ports: Vec<String> = stopped
            .iter()
            .flat_map(|t| t.static_host_ports.iter().map(|p| p.to_string()))
            .collect();
        if !ports.is_empty() {
            frees.push_str(&format!(", ports {}", ports.join(",")));
        }
        let enis = stopped.iter().filter(|t| t.eni).count();
        if enis > 0 {
            frees.push_str(&format!(", {enis} ENI"));
        }
        found.push((
            stopped.len() as u32,
            Suggestion {
                change: Change::StopTasks {
                    instance: instance.ec2_instance_id.clone(),
                    tasks: stopped.iter().map(|t| t.task.clone()).collect(),
                    frees,
                },
                placed_on: instance.ec2_instance_id.clone(),
            },
        ));
    }
    crate::compact::sort_by_key(&mut found, |(count, _)| *count);
    found
        .into_iter()
        .map(|(_, s)| s)
        .take(SUGGESTIONS_PER_KIND_MAX)
        .collect()
}

fn reconnect_agent(
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for instance in instances {
        if instance.status != InstanceStatus::Active || instance.agent_connected {
            continue;
        }
        let mut cluster = instances.to_vec();
        cluster[instance.id.0 as usize].agent_connected = true;
        if let Some(chosen) = places(&cluster, request) {
            out.push(Suggestion {
                change: Change::ReconnectAgent {
                    instance: instance.ec2_instance_id.clone(),
                },
                placed_on: cluster[chosen.0 as usize].ec2_instance_id.clone(),
            });
            if out.len() == SUGGESTIONS_PER_KIND_MAX {
                break;
            }
        }
    }
    out
}
