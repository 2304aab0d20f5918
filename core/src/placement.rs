//! The task placement engine (ecs-semantics §1): a pure function from the cluster, a task's
//! requirements, its constraints and strategies to a chosen container instance plus an
//! explanation of every stage. The world applies the decision; nothing here mutates state.
//!
//! Pipeline, as documented: (1) resource filter — ACTIVE instances with a connected agent and
//! enough CPU, memory and free static ports; (2) constraints, binding; (3) strategies, best
//! effort, chained in order; (4) pick one.
//!
//! Assumption (§10 items 1–2): strategies chain lexicographically — strategy k+1 only breaks
//! ties among the candidates that are equally best under strategies 1..k — and candidates still
//! tied after the last strategy are chosen uniformly at random with the world's RNG.

use crate::cluster::{ContainerInstance, InstanceId, InstanceStatus};
use crate::query::{self, Expression};
use crate::rng::SimRng;
use crate::taskdef::ResourceRequirements;
use std::collections::BTreeMap;

/// A binding placement constraint, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    DistinctInstance,
    MemberOf(Expression),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinpackField {
    Cpu,
    Memory,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpreadField {
    /// `instanceId` or `host` (identical, §1.3).
    Instance,
    /// `attribute:<name>`.
    Attribute(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Strategy {
    Binpack(BinpackField),
    Spread(SpreadField),
    Random,
}

pub const STRATEGIES_MAX: usize = 5;
pub const CONSTRAINTS_MAX: usize = 10;
pub const EXPRESSION_CHARS_MAX: usize = 2000;

impl Strategy {
    /// `{"type", "field"}` as the API spells them → a strategy, or what is wrong with it.
    pub fn from_api(kind: &str, field: Option<&str>) -> Result<Strategy, String> {
        match (kind, field) {
            ("random", None) => Ok(Strategy::Random),
            ("random", Some(_)) => Err("random takes no field".into()),
            ("binpack", Some("cpu")) => Ok(Strategy::Binpack(BinpackField::Cpu)),
            ("binpack", Some("memory")) => Ok(Strategy::Binpack(BinpackField::Memory)),
            ("binpack", Some(other)) => Err(format!(
                "binpack field must be cpu or memory, found \"{other}\""
            )),
            ("binpack", None) => Err("binpack needs a field: cpu or memory".into()),
            ("spread", Some("instanceId" | "host")) => Ok(Strategy::Spread(SpreadField::Instance)),
            ("spread", Some(field)) => match field.strip_prefix("attribute:") {
                Some(name) if !name.is_empty() => {
                    Ok(Strategy::Spread(SpreadField::Attribute(name.to_string())))
                }
                _ => Err(format!(
                    "spread field must be instanceId, host or attribute:<name>, found \"{field}\""
                )),
            },
            ("spread", None) => {
                Err("spread needs a field, e.g. attribute:ecs.availability-zone".into())
            }
            (other, _) => Err(format!(
                "unknown strategy type \"{other}\"; expected binpack, spread or random"
            )),
        }
    }

    /// The default for service tasks without explicit strategies (§1.2, §3.2): fewest tasks of
    /// the service per Availability Zone, then fewest on the instance.
    pub fn service_default() -> Vec<Strategy> {
        vec![
            Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
            Strategy::Spread(SpreadField::Instance),
        ]
    }

    pub fn describe(&self) -> String {
        match self {
            Strategy::Binpack(BinpackField::Cpu) => "binpack(cpu)".into(),
            Strategy::Binpack(BinpackField::Memory) => "binpack(memory)".into(),
            Strategy::Spread(SpreadField::Instance) => "spread(instanceId)".into(),
            Strategy::Spread(SpreadField::Attribute(name)) => format!("spread(attribute:{name})"),
            Strategy::Random => "random".into(),
        }
    }
}

impl Constraint {
    pub fn from_api(kind: &str, expression: Option<&str>) -> Result<Constraint, String> {
        match (kind, expression) {
            ("distinctInstance", None) => Ok(Constraint::DistinctInstance),
            ("distinctInstance", Some(_)) => {
                Err("distinctInstance must not have an expression".into())
            }
            ("memberOf", Some(text)) => {
                if text.chars().count() > EXPRESSION_CHARS_MAX {
                    return Err(format!(
                        "expression is {} characters; the limit is {EXPRESSION_CHARS_MAX}",
                        text.chars().count()
                    ));
                }
                query::parse(text)
                    .map(Constraint::MemberOf)
                    .map_err(|error| error.to_string())
            }
            ("memberOf", None) => Err("memberOf needs an expression".into()),
            (other, _) => Err(format!(
                "unknown constraint type \"{other}\"; expected distinctInstance or memberOf"
            )),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Constraint::DistinctInstance => "distinctInstance".into(),
            Constraint::MemberOf(expression) => format!("memberOf({expression})"),
        }
    }
}

/// What one task needs and how it may be placed.
pub struct PlacementRequest<'a> {
    pub requirements: &'a ResourceRequirements,
    /// The task group (`service:<name>`, `family:<family>` or custom), used by spread and
    /// distinctInstance.
    pub group: &'a str,
    pub constraints: &'a [Constraint],
    pub strategies: &'a [Strategy],
}

/// Why an instance left the candidate set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    NotActive(InstanceStatus),
    AgentDisconnected,
    InsufficientCpu {
        needed: u32,
        available: u32,
    },
    InsufficientMemory {
        needed: u32,
        available: u32,
    },
    PortInUse(u16),
    ConstraintNotMet(String),
    /// Kept by an earlier strategy but not best under this one: this instance's score against
    /// the best score (lower is better).
    Outranked {
        score: u64,
        best: u64,
    },
}

impl Rejection {
    /// The failure reason ECS reports for RunTask/StartTask (`failures[].reason`, §1.8).
    pub fn failure_reason(&self) -> &'static str {
        match self {
            Rejection::NotActive(_) => "INACTIVE",
            Rejection::AgentDisconnected => "AGENT",
            Rejection::InsufficientCpu { .. } => "RESOURCE:CPU",
            Rejection::InsufficientMemory { .. } => "RESOURCE:MEMORY",
            Rejection::PortInUse(_) => "RESOURCE:PORTS",
            Rejection::ConstraintNotMet(_) => "ATTRIBUTE",
            Rejection::Outranked { .. } => "",
        }
    }

    /// ECS's service event clause for the closest matching instance (§1.8).
    pub fn service_event_clause(&self) -> String {
        match self {
            Rejection::InsufficientCpu { .. } => "has insufficient CPU units available.".into(),
            Rejection::InsufficientMemory { .. } => "has insufficient memory available.".into(),
            Rejection::PortInUse(_) => "is already using a port required by your task.".into(),
            Rejection::AgentDisconnected => "encountered error \"AGENT\".".into(),
            Rejection::NotActive(status) => format!("is {}.", status.as_str()),
            Rejection::ConstraintNotMet(constraint) => {
                format!("does not satisfy the constraint {constraint}.")
            }
            Rejection::Outranked { .. } => "was outranked.".into(),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Rejection::NotActive(status) => format!("status is {}", status.as_str()),
            Rejection::AgentDisconnected => "agent is disconnected".into(),
            Rejection::InsufficientCpu { needed, available } => {
                format!(
                    "needs {needed} CPU units, {available} available (short by {})",
                    needed - available
                )
            }
            Rejection::InsufficientMemory { needed, available } => {
                format!(
                    "needs {needed} MiB memory, {available} MiB available (short by {} MiB)",
                    needed - available
                )
            }
            Rejection::PortInUse(port) => format!("host port {port} is already in use"),
            Rejection::ConstraintNotMet(constraint) => format!("does not satisfy {constraint}"),
            Rejection::Outranked { score, best } => format!("score {score}, best is {best}"),
        }
    }
}

/// One stage of the pipeline: what it was, what survived, what it removed and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub name: String,
    pub candidates_after: u32,
    pub removed: Vec<(InstanceId, Rejection)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub candidates_before: u32,
    pub stages: Vec<Stage>,
    /// Instances still tied after the last strategy; the choice among them is random.
    pub tied: Vec<InstanceId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementDecision {
    pub chosen: Option<InstanceId>,
    pub explanation: Explanation,
}

impl PlacementDecision {
    /// For a failed placement: the instance that got furthest and the reason it was rejected.
    /// "Furthest" = removed by the latest stage; among those, the lowest id.
    pub fn closest_match(&self) -> Option<(InstanceId, &Rejection)> {
        self.explanation.stages.iter().rev().find_map(|stage| {
            stage
                .removed
                .iter()
                .min_by_key(|(id, _)| *id)
                .map(|(id, why)| (*id, why))
        })
    }
}

/// Decides where one task goes. `instances` is indexed by `InstanceId`.
pub fn place(
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
    rng: &mut SimRng,
) -> PlacementDecision {
    let mut stages = Vec::new();
    let candidates_before = instances.len() as u32;

    let mut removed = Vec::new();
    let mut candidates: Vec<&ContainerInstance> = Vec::with_capacity(instances.len());
    for instance in instances {
        match resource_rejection(instance, request.requirements) {
            Some(why) => {
                if instance.status != InstanceStatus::Inactive {
                    removed.push((instance.id, why));
                }
            }
            None => candidates.push(instance),
        }
    }
    stages.push(Stage {
        name: "resources (CPU, memory, ports)".into(),
        candidates_after: candidates.len() as u32,
        removed,
    });

    for constraint in request.constraints {
        let (kept, removed): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .partition(|instance| satisfies(instance, constraint, request.group));
        candidates = kept;
        stages.push(Stage {
            name: format!("constraint {}", constraint.describe()),
            candidates_after: candidates.len() as u32,
            removed: removed
                .into_iter()
                .map(|i| (i.id, Rejection::ConstraintNotMet(constraint.describe())))
                .collect(),
        });
    }

    for strategy in request.strategies {
        if candidates.len() <= 1 {
            break;
        }
        let scores = strategy_scores(instances, &candidates, strategy, request.group);
        let best = scores.iter().copied().min().unwrap_or(0);
        let mut removed = Vec::new();
        let mut kept = Vec::with_capacity(candidates.len());
        for (instance, score) in candidates.into_iter().zip(scores) {
            if score == best {
                kept.push(instance);
            } else {
                removed.push((instance.id, Rejection::Outranked { score, best }));
            }
        }
        candidates = kept;
        stages.push(Stage {
            name: format!("strategy {}", strategy.describe()),
            candidates_after: candidates.len() as u32,
            removed,
        });
    }

    let tied: Vec<InstanceId> = candidates.iter().map(|i| i.id).collect();
    let chosen = match tied.len() {
        0 => None,
        1 => Some(tied[0]),
        n => Some(tied[rng.below(n as u32) as usize]),
    };
    PlacementDecision {
        chosen,
        explanation: Explanation {
            candidates_before,
            stages,
            tied,
        },
    }
}

/// Step 1 of the pipeline: status, agent, CPU, memory, static ports (§1.1, §2).
pub fn resource_rejection(
    instance: &ContainerInstance,
    requirements: &ResourceRequirements,
) -> Option<Rejection> {
    if instance.status != InstanceStatus::Active {
        return Some(Rejection::NotActive(instance.status));
    }
    if !instance.agent_connected {
        return Some(Rejection::AgentDisconnected);
    }
    if instance.remaining_cpu_units < requirements.cpu_units {
        return Some(Rejection::InsufficientCpu {
            needed: requirements.cpu_units,
            available: instance.remaining_cpu_units,
        });
    }
    if instance.remaining_memory_mib < requirements.memory_mib {
        return Some(Rejection::InsufficientMemory {
            needed: requirements.memory_mib,
            available: instance.remaining_memory_mib,
        });
    }
    if let Some(&port) = requirements
        .static_host_ports
        .iter()
        .find(|&&port| instance.port_in_use(port))
    {
        return Some(Rejection::PortInUse(port));
    }
    None
}

fn satisfies(instance: &ContainerInstance, constraint: &Constraint, group: &str) -> bool {
    match constraint {
        Constraint::DistinctInstance => instance.tasks_in_group(group) == 0,
        Constraint::MemberOf(expression) => expression.matches(instance),
    }
}

/// Lower is better. Spread counts tasks of the group per value of the field across the whole
/// cluster (not only candidates), so an AZ already holding many tasks stays unattractive.
fn strategy_scores(
    instances: &[ContainerInstance],
    candidates: &[&ContainerInstance],
    strategy: &Strategy,
    group: &str,
) -> Vec<u64> {
    match strategy {
        Strategy::Random => vec![0; candidates.len()],
        Strategy::Binpack(BinpackField::Cpu) => candidates
            .iter()
            .map(|i| u64::from(i.remaining_cpu_units))
            .collect(),
        Strategy::Binpack(BinpackField::Memory) => candidates
            .iter()
            .map(|i| u64::from(i.remaining_memory_mib))
            .collect(),
        Strategy::Spread(SpreadField::Instance) => candidates
            .iter()
            .map(|i| u64::from(i.tasks_in_group(group)))
            .collect(),
        Strategy::Spread(SpreadField::Attribute(name)) => {
            let mut per_value: BTreeMap<Option<&str>, u64> = BTreeMap::new();
            for instance in instances
                .iter()
                .filter(|i| i.status != InstanceStatus::Inactive)
            {
                *per_value
                    .entry(instance.attributes.get(name).map(String::as_str))
                    .or_default() += u64::from(instance.tasks_in_group(group));
            }
            candidates
                .iter()
                .map(|i| {
                    per_value
                        .get(&i.attributes.get(name).map(String::as_str))
                        .copied()
                        .unwrap_or(0)
                })
                .collect()
        }
    }
}

/// Scale-in selection without an explicit strategy (§3.2): from the AZ with the most tasks of
/// the service, the instance with the most tasks of the service; ties broken at random.
/// `tasks` pairs each stoppable task with its instance. Returns an index into `tasks`.
pub fn choose_task_to_stop<T: Copy>(
    instances: &[ContainerInstance],
    tasks: &[(T, InstanceId)],
    group: &str,
    rng: &mut SimRng,
) -> Option<usize> {
    let az_of = |id: InstanceId| instances[id.0 as usize].availability_zone.as_str();
    let mut per_az: BTreeMap<&str, u32> = BTreeMap::new();
    for (_, instance) in tasks {
        *per_az.entry(az_of(*instance)).or_default() += 1;
    }
    let busiest_az_count = per_az.values().copied().max()?;
    let in_busiest_az: Vec<usize> = (0..tasks.len())
        .filter(|&i| per_az[az_of(tasks[i].1)] == busiest_az_count)
        .collect();
    let busiest_instance = in_busiest_az
        .iter()
        .map(|&i| instances[tasks[i].1 .0 as usize].tasks_in_group(group))
        .max()?;
    let tied: Vec<usize> = in_busiest_az
        .into_iter()
        .filter(|&i| instances[tasks[i].1 .0 as usize].tasks_in_group(group) == busiest_instance)
        .collect();
    Some(tied[rng.below(tied.len() as u32) as usize])
}
