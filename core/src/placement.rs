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

use crate::cluster::{ContainerInstance, InstanceId, InstanceStatus, RESERVED_PORTS_MAX};
use crate::compact::SortedMap;
use crate::query::{self, Expression};
use crate::rng::SimRng;
use crate::taskdef::ResourceRequirements;
use serde::{Deserialize, Serialize};

/// A binding placement constraint, parsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Constraint {
    DistinctInstance,
    MemberOf(Expression),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinpackField {
    Cpu,
    Memory,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpreadField {
    /// `instanceId` or `host` (identical, §1.3).
    Instance,
    /// `attribute:<name>`.
    Attribute(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    Binpack(BinpackField),
    Spread(SpreadField),
    Random,
}

pub const STRATEGIES_MAX: usize = 5;
pub const CONSTRAINTS_MAX: usize = 10;
/// The query language's limit ([`query::EXPRESSION_CHARS_MAX`]), as a `usize` for counting here.
pub const EXPRESSION_CHARS_MAX: usize = query::EXPRESSION_CHARS_MAX as usize;

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

    /// RunTask's default (§1.2): tasks are placed randomly.
    pub fn run_task_default() -> Vec<Strategy> {
        vec![Strategy::Random]
    }

    /// What a strategy stage's score measures (lower is better), for explanations.
    pub fn score_unit(&self) -> &'static str {
        match self {
            Strategy::Binpack(BinpackField::Cpu) => SCORE_UNITS[0],
            Strategy::Binpack(BinpackField::Memory) => SCORE_UNITS[1],
            Strategy::Spread(SpreadField::Instance) => SCORE_UNITS[2],
            Strategy::Spread(SpreadField::Attribute(_)) => SCORE_UNITS[3],
            Strategy::Random => SCORE_UNITS[4],
        }
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
    /// Availability Zones of the awsvpc task's subnets; empty = any (§1.1 `LOCATION`).
    pub subnet_zones: &'a [String],
}

/// Why an instance left the candidate set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rejection {
    NotActive(InstanceStatus),
    AgentDisconnected,
    /// `requiresAttributes` (or the awsvpc capability) not present with the wanted value.
    MissingAttribute {
        name: String,
        wanted: Option<String>,
        found: Option<String>,
    },
    /// awsvpc task whose subnets are not in the instance's Availability Zone.
    Location {
        availability_zone: String,
    },
    InsufficientCpu {
        needed: u32,
        available: u32,
    },
    InsufficientMemory {
        needed: u32,
        available: u32,
    },
    InsufficientGpu {
        needed: u32,
        available: u32,
    },
    /// A static host port the task needs is reserved (default reserved port or another task).
    PortInUse(u16),
    /// Reserving the task's static ports would pass the 100-reserved-port limit (§2.3).
    TooManyPorts {
        reserved: u32,
        needed: u32,
    },
    /// All ENI attachment points for awsvpc tasks are taken (§2.4).
    InsufficientEni {
        limit: u32,
    },
    /// A binding constraint is false here: which constraint and on which value.
    ConstraintNotMet {
        constraint: String,
        detail: String,
        distinct_instance: bool,
    },
    /// Kept by an earlier strategy but not best under this one: this instance's score against
    /// the best score (lower is better).
    Outranked {
        score: u64,
        best: u64,
    },
}

impl Rejection {
    /// The failure reason ECS reports for RunTask/StartTask (`failures[].reason`, §1.8).
    /// Assumption (ecs-semantics §1.8): constraint failures use the wording ECS returns for
    /// memberOf ("MemberOf placement constraint unsatisfied.", seen in aws/amazon-ecs-agent
    /// PR 3044) and the same shape for distinctInstance.
    pub fn failure_reason(&self) -> &'static str {
        match self {
            Rejection::NotActive(_) => "INACTIVE",
            Rejection::AgentDisconnected => "AGENT",
            Rejection::MissingAttribute { .. } => "ATTRIBUTE",
            Rejection::Location { .. } => "LOCATION",
            Rejection::InsufficientCpu { .. } => "RESOURCE:CPU",
            Rejection::InsufficientMemory { .. } => "RESOURCE:MEMORY",
            Rejection::InsufficientGpu { .. } => "RESOURCE:GPU",
            Rejection::PortInUse(_) | Rejection::TooManyPorts { .. } => "RESOURCE:PORTS",
            Rejection::InsufficientEni { .. } => "RESOURCE:ENI",
            Rejection::ConstraintNotMet {
                distinct_instance: true,
                ..
            } => "DistinctInstance placement constraint unsatisfied.",
            Rejection::ConstraintNotMet { .. } => "MemberOf placement constraint unsatisfied.",
            Rejection::Outranked { .. } => "",
        }
    }

    /// ECS's service event sentence for the closest matching instance (§1.8).
    pub fn service_event_sentence(&self, ec2_instance_id: &str) -> String {
        let clause = match self {
            Rejection::InsufficientCpu { .. } => "has insufficient CPU units available.".into(),
            Rejection::InsufficientMemory { .. } => "has insufficient memory available.".into(),
            Rejection::InsufficientGpu { .. } => "has insufficient GPUs available.".into(),
            Rejection::PortInUse(_) => "is already using a port required by your task.".into(),
            Rejection::TooManyPorts { .. } => "has reached the limit of 100 reserved ports.".into(),
            Rejection::InsufficientEni { .. } => "has no ENI attachment points available.".into(),
            Rejection::AgentDisconnected => "encountered error \"AGENT\".".into(),
            Rejection::MissingAttribute { name, .. } => {
                format!("is missing the required attribute {name}.")
            }
            Rejection::Location { .. } => "encountered error \"LOCATION\".".into(),
            Rejection::NotActive(status) => format!("is {}.", status.as_str()),
            Rejection::ConstraintNotMet { constraint, .. } => {
                format!("does not satisfy the constraint {constraint}.")
            }
            Rejection::Outranked { .. } => "was outranked.".into(),
        };
        format!("The closest matching container-instance {ec2_instance_id} {clause}")
    }

    pub fn describe(&self) -> String {
        match self {
            Rejection::NotActive(status) => format!("status is {}", status.as_str()),
            Rejection::AgentDisconnected => "agent is disconnected".into(),
            Rejection::MissingAttribute {
                name,
                wanted,
                found,
            } => match (wanted, found) {
                (None, _) => format!("lacks required attribute {name}"),
                (Some(w), None) => format!("lacks required attribute {name}={w}"),
                (Some(w), Some(f)) => format!("attribute {name} is \"{f}\", needs \"{w}\""),
            },
            Rejection::Location { availability_zone } => {
                format!("is in {availability_zone}, none of the task's subnets is")
            }
            Rejection::InsufficientCpu { needed, available } => format!(
                "needs {needed} CPU units, {available} available (short by {})",
                needed - available
            ),
            Rejection::InsufficientMemory { needed, available } => format!(
                "needs {needed} MiB memory, {available} MiB available (short by {} MiB)",
                needed - available
            ),
            Rejection::InsufficientGpu { needed, available } => format!(
                "needs {needed} GPUs, {available} available (short by {})",
                needed - available
            ),
            Rejection::PortInUse(port) => format!("host port {port} is already in use"),
            Rejection::TooManyPorts { reserved, needed } => format!(
                "{reserved} ports reserved, {needed} more would pass the limit of {RESERVED_PORTS_MAX}"
            ),
            Rejection::InsufficientEni { limit } => {
                format!("all {limit} ENI attachment points for awsvpc tasks are in use")
            }
            Rejection::ConstraintNotMet {
                constraint, detail, ..
            } => format!("fails {constraint}: {detail}"),
            Rejection::Outranked { score, best } => format!("score {score}, best is {best}"),
        }
    }
}

/// One stage of the pipeline: what it was, what survived, what it removed and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub candidates_after: u32,
    pub removed: Vec<(InstanceId, Rejection)>,
    /// For a strategy stage: the winning score and what it measures (`remaining MiB`).
    #[serde(with = "score_unit_by_index")]
    pub best: Option<(u64, &'static str)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub candidates_before: u32,
    pub stages: Vec<Stage>,
    /// Instances still tied after the last strategy; the choice among them is random.
    pub tied: Vec<InstanceId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

    /// RunTask/StartTask `failures[]` for an unplaced task: one entry per rejected instance
    /// (the first reason that removed it), in instance order.
    pub fn failures(&self) -> Vec<(InstanceId, &'static str)> {
        let mut out: Vec<(InstanceId, &'static str)> = self
            .explanation
            .stages
            .iter()
            .flat_map(|stage| stage.removed.iter())
            .filter(|(_, why)| !matches!(why, Rejection::Outranked { .. }))
            .map(|(id, why)| (*id, why.failure_reason()))
            .collect();
        crate::compact::sort_by_key(&mut out, |(id, _)| *id);
        out.dedup_by_key(|(id, _)| *id);
        out
    }
}

impl Explanation {
    /// Human-readable stages, one line per stage and one indented line per removed instance.
    /// `name` labels an instance (`i-0abc… (us-east-1a)`).
    pub fn render(&self, name: &dyn Fn(InstanceId) -> String) -> String {
        let mut out = format!(
            "{} container instances considered\n",
            self.candidates_before
        );
        for stage in &self.stages {
            out.push_str(&format!(
                "  {}: {} remain",
                stage.name, stage.candidates_after
            ));
            if let Some((score, unit)) = stage.best {
                out.push_str(&format!(" (best {score} {unit})"));
            }
            out.push('\n');
            for (id, why) in &stage.removed {
                out.push_str(&format!("    - {} {}\n", name(*id), why.describe()));
            }
        }
        match self.tied.as_slice() {
            [] => out.push_str("  no container instance met all of the task's requirements\n"),
            [only] => out.push_str(&format!("  chosen: {}\n", name(*only))),
            many => {
                let names: Vec<String> = many.iter().map(|id| name(*id)).collect();
                out.push_str(&format!(
                    "  tied after the last strategy, chosen at random among: {}\n",
                    names.join(", ")
                ));
            }
        }
        out
    }
}

/// Decides where one task goes. `instances` is indexed by `InstanceId`. This is the reference
/// oracle: a linear pass over every instance, with a full explanation.
pub fn place(
    instances: &[ContainerInstance],
    request: &PlacementRequest<'_>,
    rng: &mut SimRng,
) -> PlacementDecision {
    place_among(instances, instances.iter(), request, rng)
}

/// StartTask (§1.2): the named instances only, no strategies; the caller asks once per instance.
pub fn place_on(
    instances: &[ContainerInstance],
    instance: InstanceId,
    request: &PlacementRequest<'_>,
    rng: &mut SimRng,
) -> PlacementDecision {
    let only = instances.get(instance.0 as usize);
    place_among(instances, only.into_iter(), request, rng)
}

fn place_among<'i>(
    instances: &'i [ContainerInstance],
    considered: impl Iterator<Item = &'i ContainerInstance>,
    request: &PlacementRequest<'_>,
    rng: &mut SimRng,
) -> PlacementDecision {
    let mut stages = Vec::new();
    let mut removed = Vec::new();
    let mut candidates: Vec<&ContainerInstance> = Vec::new();
    let mut candidates_before = 0;
    for instance in considered {
        candidates_before += 1;
        match resource_rejection(instance, request) {
            Some(why) => {
                if instance.status != InstanceStatus::Inactive {
                    removed.push((instance.id, why));
                }
            }
            None => candidates.push(instance),
        }
    }
    stages.push(Stage {
        name: "resources (status, agent, attributes, CPU, memory, GPU, ports, ENI)".into(),
        candidates_after: candidates.len() as u32,
        removed,
        best: None,
    });

    for constraint in request.constraints {
        let mut kept = Vec::with_capacity(candidates.len());
        let mut removed = Vec::new();
        for instance in candidates {
            match constraint_rejection(instance, constraint, request.group) {
                None => kept.push(instance),
                Some(why) => removed.push((instance.id, why)),
            }
        }
        candidates = kept;
        stages.push(Stage {
            name: format!("constraint {}", constraint.describe()),
            candidates_after: candidates.len() as u32,
            removed,
            best: None,
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
            best: Some((best, strategy.score_unit())),
        });
    }

    let tied: Vec<InstanceId> = candidates.iter().map(|i| i.id).collect();
    let chosen = choose_among(&tied, rng);
    PlacementDecision {
        chosen,
        explanation: Explanation {
            candidates_before,
            stages,
            tied,
        },
    }
}

/// Step 4: one of the instances still tied after the last strategy (in id order), uniformly
/// at random — one `rng.below(n)` draw when n > 1, none otherwise. The fast path
/// (`placement_index`) calls this too, so both draw identically.
pub fn choose_among(tied: &[InstanceId], rng: &mut SimRng) -> Option<InstanceId> {
    match tied.len() {
        0 => None,
        1 => Some(tied[0]),
        n => Some(tied[rng.below(n as u32) as usize]),
    }
}

/// Step 1 of the pipeline (§1.1, §2): status, agent, required attributes, location, CPU,
/// memory, GPUs, static ports and the reserved-port limit, ENIs — the first that fails.
pub fn resource_rejection(
    instance: &ContainerInstance,
    request: &PlacementRequest<'_>,
) -> Option<Rejection> {
    let requirements = request.requirements;
    if instance.status != InstanceStatus::Active {
        return Some(Rejection::NotActive(instance.status));
    }
    if !instance.agent_connected {
        return Some(Rejection::AgentDisconnected);
    }
    for (name, wanted) in &requirements.required_attributes {
        let found = instance.attributes.get(name);
        let ok = match (wanted, found) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(w), Some(f)) => w == f,
        };
        if !ok {
            return Some(Rejection::MissingAttribute {
                name: name.clone(),
                wanted: wanted.clone(),
                found: found.cloned(),
            });
        }
    }
    if requirements.needs_eni()
        && !request.subnet_zones.is_empty()
        && !request.subnet_zones.contains(&instance.availability_zone)
    {
        return Some(Rejection::Location {
            availability_zone: instance.availability_zone.clone(),
        });
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
    if instance.remaining_gpus < requirements.gpus {
        return Some(Rejection::InsufficientGpu {
            needed: requirements.gpus,
            available: instance.remaining_gpus,
        });
    }
    if let Some(&port) = requirements
        .static_host_ports
        .iter()
        .find(|&&port| instance.port_in_use(port))
    {
        return Some(Rejection::PortInUse(port));
    }
    let reserved = instance.reserved_ports.len() as u32;
    let needed = requirements.static_host_ports.len() as u32;
    if reserved + needed > RESERVED_PORTS_MAX {
        return Some(Rejection::TooManyPorts { reserved, needed });
    }
    if requirements.needs_eni() && instance.eni_tasks >= instance.eni_task_limit {
        return Some(Rejection::InsufficientEni {
            limit: instance.eni_task_limit,
        });
    }
    None
}

/// Step 2 for one constraint: `None` when satisfied, otherwise which value made it fail.
pub fn constraint_rejection(
    instance: &ContainerInstance,
    constraint: &Constraint,
    group: &str,
) -> Option<Rejection> {
    match constraint {
        Constraint::DistinctInstance => {
            let count = instance.tasks_in_group(group);
            (count > 0).then(|| Rejection::ConstraintNotMet {
                constraint: constraint.describe(),
                detail: format!("already hosts {count} task(s) of group {group}"),
                distinct_instance: true,
            })
        }
        Constraint::MemberOf(expression) => {
            if expression.matches(instance) {
                return None;
            }
            let mut values: Vec<String> = expression
                .referenced_attributes()
                .into_iter()
                .map(|name| match instance.attributes.get(name) {
                    Some(value) => format!("attribute:{name} is \"{value}\""),
                    None => format!("attribute:{name} is absent"),
                })
                .collect();
            if expression.depends_on_tasks() {
                values.push(format!(
                    "runningTasksCount is {}",
                    instance.running_tasks_count
                ));
            }
            if values.is_empty() {
                values.push("the expression is false here".into());
            }
            Some(Rejection::ConstraintNotMet {
                constraint: constraint.describe(),
                detail: values.join(", "),
                distinct_instance: false,
            })
        }
    }
}

/// Whether one constraint holds, without building the rejection (the fast path's check).
pub fn constraint_holds(
    instance: &ContainerInstance,
    constraint: &Constraint,
    group: &str,
) -> bool {
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
            let per_value = SortedMap::from_pairs(
                instances
                    .iter()
                    .filter(|i| i.status != InstanceStatus::Inactive)
                    .map(|i| {
                        let value = i.attributes.get(name).map(String::as_str);
                        (value, u64::from(i.tasks_in_group(group)))
                    })
                    .collect(),
                |sum, count| *sum += count,
            );
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

/// Scale-in selection (§1.1 "same strategies are used to choose tasks to terminate", §1.3):
/// the service's strategies chained lexicographically, each ranking the stoppable tasks:
/// - `binpack(field)`: the task whose instance would have the most of `field` left after it
///   stops (remaining + what the task holds);
/// - `spread(attribute:X)`: a task from the value of X holding the most of these tasks, so the
///   balance is kept; `spread(instanceId)`: from the instance with the most tasks of the group;
/// - `random`: all equal.
///
/// Remaining ties are broken at random (so spread is random within an AZ). The service default
/// `[spread AZ, spread instanceId]` gives the documented rule for services without a strategy:
/// the AZ with the most tasks of the service, then the instance with the most (§3.2).
/// `tasks` pairs each stoppable task with its instance; `held(task)` is its (CPU units, MiB).
/// Returns an index into `tasks`.
pub fn choose_task_to_stop<T: Copy>(
    instances: &[ContainerInstance],
    tasks: &[(T, InstanceId)],
    group: &str,
    strategies: &[Strategy],
    held: impl Fn(T) -> (u32, u32),
    rng: &mut SimRng,
) -> Option<usize> {
    if tasks.is_empty() {
        return None;
    }
    let instance_of = |i: usize| &instances[tasks[i].1 .0 as usize];
    let mut tied: Vec<usize> = (0..tasks.len()).collect();
    for strategy in strategies {
        if tied.len() <= 1 {
            break;
        }
        // Higher = better to stop.
        let scores: Vec<u64> = match strategy {
            Strategy::Random => vec![0; tied.len()],
            Strategy::Binpack(field) => tied
                .iter()
                .map(|&i| {
                    let (cpu, memory) = held(tasks[i].0);
                    let instance = instance_of(i);
                    match field {
                        BinpackField::Cpu => {
                            u64::from(instance.remaining_cpu_units) + u64::from(cpu)
                        }
                        BinpackField::Memory => {
                            u64::from(instance.remaining_memory_mib) + u64::from(memory)
                        }
                    }
                })
                .collect(),
            Strategy::Spread(SpreadField::Instance) => tied
                .iter()
                .map(|&i| u64::from(instance_of(i).tasks_in_group(group)))
                .collect(),
            Strategy::Spread(SpreadField::Attribute(name)) => {
                let value_of = |i: usize| instance_of(i).attributes.get(name).map(String::as_str);
                let per_value = SortedMap::from_pairs(
                    (0..tasks.len()).map(|i| (value_of(i), 1_u64)).collect(),
                    |sum, count| *sum += count,
                );
                tied.iter().map(|&i| per_value[&value_of(i)]).collect()
            }
        };
        let best = scores.iter().copied().max().unwrap_or(0);
        tied = tied
            .into_iter()
            .zip(scores)
            .filter(|&(_, score)| score == best)
            .map(|(i, _)| i)
            .collect();
    }
    Some(tied[rng.below(tied.len() as u32) as usize])
}

/// Every `Strategy::score_unit`, so a snapshot stores a stage's unit as its index.
const SCORE_UNITS: [&str; 5] = [
    "CPU units remaining",
    "MiB remaining",
    "tasks of the group on the instance",
    "tasks of the group with this value",
    "(all equal)",
];

/// Serde for `Stage::best` (world snapshots): the unit as an index into `SCORE_UNITS`.
mod score_unit_by_index {
    use super::SCORE_UNITS;
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        best: &Option<(u64, &'static str)>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        best.map(|(score, unit)| {
            let index = SCORE_UNITS.iter().position(|u| *u == unit).unwrap_or(0) as u8;
            (score, index)
        })
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<(u64, &'static str)>, D::Error> {
        Option::<(u64, u8)>::deserialize(deserializer)?
            .map(|(score, index)| {
                SCORE_UNITS
                    .get(usize::from(index))
                    .map(|unit| (score, *unit))
                    .ok_or_else(|| D::Error::custom(format!("unknown score unit {index}")))
            })
            .transpose()
    }
}
