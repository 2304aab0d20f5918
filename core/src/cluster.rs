//! Container instances: what each one registered (CPU, memory, ENIs, built-in and custom
//! attributes), what is still free, its status and which tasks it hosts. Mutated only by the
//! world; placement reads it through shared references.

use crate::catalogue::InstanceType;
use crate::compact::SortedMap;
use crate::query::InstanceFacts;
use crate::taskdef::ResourceRequirements;
use serde::{Deserialize, Serialize};

/// Index of a container instance in the world; never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct InstanceId(pub u32);

/// `API:ContainerInstance.status`, the states the sandbox reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum InstanceStatus {
    Active,
    Draining,
    /// Deregistered (terminated); kept so ids and history stay valid.
    Inactive,
}

impl InstanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Inactive => "INACTIVE",
        }
    }
}

/// Ports every instance reserves before any task runs (§2.3, API default list).
/// Assumption (ecs-semantics §2.3 ⚠): the API's list including 51680, not the agent's.
pub const DEFAULT_RESERVED_PORTS: [u16; 6] = [22, 2375, 2376, 51678, 51679, 51680];
/// At most this many reserved host ports per instance, the defaults included (§2.3).
pub const RESERVED_PORTS_MAX: u32 = 100;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContainerInstance {
    pub id: InstanceId,
    pub ec2_instance_id: String,
    #[serde(with = "crate::catalogue::by_name")]
    pub instance_type: &'static InstanceType,
    pub availability_zone: String,
    /// Built-in (`ecs.*`) and custom attributes, by name.
    pub attributes: SortedMap<String, String>,
    pub status: InstanceStatus,
    pub agent_connected: bool,
    pub agent_version: String,
    pub registered_at_epoch_seconds: i64,
    pub registered_cpu_units: u32,
    pub registered_memory_mib: u32,
    pub remaining_cpu_units: u32,
    pub remaining_memory_mib: u32,
    /// GPUs of the instance type (catalogue) and those not pinned to a task (§2.1).
    pub registered_gpus: u32,
    pub remaining_gpus: u32,
    /// How many awsvpc tasks the instance's ENIs allow (§2.4), and how many are attached.
    pub eni_task_limit: u32,
    pub eni_tasks: u32,
    /// Host ports in use: the defaults plus static ports of tasks placed here. Sorted.
    pub reserved_ports: Vec<u16>,
    /// Task groups of tasks on this instance that are not yet STOPPED, with counts, sorted by
    /// group (none with a count of 0). A sorted list, not a map: an instance holds a few
    /// groups, and a map's first node costs hundreds of bytes per instance (issue 13). Change it
    /// through `reserve`/`release`/`add_to_group` (or `clear` it): each entry also carries the
    /// group's interned id.
    pub task_groups: TaskGroups,
    /// Tasks with desiredStatus RUNNING (`runningTasksCount`, §2.1).
    pub running_tasks_count: u32,
}

/// A task group as the world interned it: its id (first-seen order, `PlacementIndex::intern`)
/// and its name. One interner per set of instances, so an id always names the same group.
#[derive(Clone, Copy, Debug)]
pub struct GroupRef<'a> {
    pub id: u32,
    pub name: &'a str,
}

/// One entry of `ContainerInstance::task_groups`: a group and how many of its tasks are on the
/// instance, with the group's interned id so that the world's per-launch bookkeeping finds it by
/// comparing integers, not names through two pointers (instance → list → string: dependent
/// cache misses; issue 13). The id is derived, so not in snapshots (an entry is stored as the
/// `(group, count)` pair it always was): a restored or hand-built entry has `UNKNOWN_GROUP`
/// and learns its id the first time its group is added by id (`add_to_group_id`).
#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "(String, u32)", into = "(String, u32)")]
pub struct GroupTasks {
    pub group: String,
    pub count: u32,
    id: u32,
}

const UNKNOWN_GROUP: u32 = u32::MAX;

/// Up to this many groups on an instance are found by scanning their ids; more by name.
const GROUP_IDS_SCANNED: usize = 32;

impl From<(String, u32)> for GroupTasks {
    fn from((group, count): (String, u32)) -> GroupTasks {
        GroupTasks {
            group,
            count,
            id: UNKNOWN_GROUP,
        }
    }
}

impl From<GroupTasks> for (String, u32) {
    fn from(entry: GroupTasks) -> (String, u32) {
        (entry.group, entry.count)
    }
}

impl std::fmt::Debug for GroupTasks {
    // The derived id is left out, so instances compare by what they hold (`cluster_now`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (&self.group, self.count).fmt(f)
    }
}

/// `ContainerInstance::task_groups`: the entries in group order, the first held in the
/// instance itself and the others in a vector. Most instances hold one group (a service's or a
/// RunTask family's), so a launch finds its entry in the instance it is already reading instead
/// of behind a pointer to a list elsewhere: one cache miss less per launch on a large fleet
/// (issue 13). Serialised, compared and printed as the list it always was.
#[derive(Clone, Default)]
pub struct TaskGroups {
    /// `None` only when the list is empty.
    first: Option<GroupTasks>,
    rest: Vec<GroupTasks>,
}

impl TaskGroups {
    pub fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub fn iter(&self) -> impl Iterator<Item = &GroupTasks> {
        self.first.iter().chain(self.rest.iter())
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut GroupTasks> {
        self.first.iter_mut().chain(self.rest.iter_mut())
    }

    pub fn clear(&mut self) {
        self.first = None;
        self.rest.clear();
    }

    fn get(&self, at: usize) -> &GroupTasks {
        match at {
            0 => self.first.as_ref().expect("entry 0 of a non-empty list"),
            _ => &self.rest[at - 1],
        }
    }

    fn get_mut(&mut self, at: usize) -> &mut GroupTasks {
        match at {
            0 => self.first.as_mut().expect("entry 0 of a non-empty list"),
            _ => &mut self.rest[at - 1],
        }
    }

    /// Room for one more entry only: an instance holds a few groups (bytes per instance).
    fn insert(&mut self, at: usize, entry: GroupTasks) {
        if at == 0 {
            if let Some(before) = self.first.replace(entry) {
                self.rest.reserve_exact(1);
                self.rest.insert(0, before);
            }
        } else {
            self.rest.reserve_exact(1);
            self.rest.insert(at - 1, entry);
        }
    }

    fn remove(&mut self, at: usize) {
        if at == 0 {
            self.first = (!self.rest.is_empty()).then(|| self.rest.remove(0));
        } else {
            self.rest.remove(at - 1);
        }
    }

    fn binary_search_by(
        &self,
        mut order: impl FnMut(&GroupTasks) -> std::cmp::Ordering,
    ) -> Result<usize, usize> {
        let Some(first) = &self.first else {
            return Err(0);
        };
        match order(first) {
            std::cmp::Ordering::Equal => Ok(0),
            std::cmp::Ordering::Greater => Err(0),
            std::cmp::Ordering::Less => self
                .rest
                .binary_search_by(order)
                .map(|at| at + 1)
                .map_err(|at| at + 1),
        }
    }
}

impl<'a> IntoIterator for &'a TaskGroups {
    type Item = &'a GroupTasks;
    type IntoIter =
        std::iter::Chain<std::option::Iter<'a, GroupTasks>, std::slice::Iter<'a, GroupTasks>>;
    fn into_iter(self) -> Self::IntoIter {
        self.first.iter().chain(self.rest.iter())
    }
}

impl std::fmt::Debug for TaskGroups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for TaskGroups {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for TaskGroups {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TaskGroups, D::Error> {
        let mut entries = Vec::<GroupTasks>::deserialize(deserializer)?.into_iter();
        let first = entries.next();
        Ok(TaskGroups {
            first,
            rest: entries.collect(),
        })
    }
}

pub struct NewInstance<'a> {
    pub instance_type: &'static InstanceType,
    pub availability_zone: &'a str,
    pub ami_id: &'a str,
    pub custom_attributes: &'a SortedMap<String, String>,
    pub registered_at_epoch_seconds: i64,
    /// The account opted in to `awsvpcTrunking` before this instance launched (§2.4).
    pub awsvpc_trunking: bool,
    pub agent_connected: bool,
}

impl ContainerInstance {
    /// How events and explanations name an instance: `i-0abc… (us-east-1a)`. Both parts never
    /// change, so a line worded later still names the instance as it was.
    pub fn label(&self) -> String {
        format!("{} ({})", self.ec2_instance_id, self.availability_zone)
    }

    pub fn new(id: InstanceId, spec: NewInstance<'_>) -> ContainerInstance {
        let mut attributes = spec.custom_attributes.clone();
        let builtin = [
            ("ecs.ami-id", spec.ami_id.to_string()),
            ("ecs.availability-zone", spec.availability_zone.to_string()),
            ("ecs.instance-type", spec.instance_type.name.to_string()),
            ("ecs.os-type", "linux".to_string()),
            ("ecs.os-family", "LINUX".to_string()),
            (
                "ecs.cpu-architecture",
                spec.instance_type.architecture.as_attribute().to_string(),
            ),
            ("ecs.capability.task-eni", String::new()),
        ];
        for (name, value) in builtin {
            attributes.insert(name.to_string(), value);
        }
        let trunked = spec.awsvpc_trunking && spec.instance_type.trunk_enis.is_some();
        if trunked {
            attributes.insert(
                "ecs.awsvpc-trunk-id".into(),
                format!("eni-trunk-{:08x}", id.0),
            );
        }
        let registered_memory_mib = spec.instance_type.registered_memory_mib();
        ContainerInstance {
            id,
            ec2_instance_id: ec2_instance_id(id),
            instance_type: spec.instance_type,
            availability_zone: spec.availability_zone.to_string(),
            attributes,
            status: InstanceStatus::Active,
            agent_connected: spec.agent_connected,
            agent_version: "1.90.0".to_string(),
            registered_at_epoch_seconds: spec.registered_at_epoch_seconds,
            registered_cpu_units: spec.instance_type.cpu_units(),
            registered_memory_mib,
            remaining_cpu_units: spec.instance_type.cpu_units(),
            remaining_memory_mib: registered_memory_mib,
            registered_gpus: spec.instance_type.gpus,
            remaining_gpus: spec.instance_type.gpus,
            eni_task_limit: spec.instance_type.awsvpc_task_enis(spec.awsvpc_trunking),
            eni_tasks: 0,
            reserved_ports: DEFAULT_RESERVED_PORTS.to_vec(),
            task_groups: TaskGroups::default(),
            running_tasks_count: 0,
        }
    }

    pub fn accepts_placements(&self) -> bool {
        self.status == InstanceStatus::Active && self.agent_connected
    }

    pub fn port_in_use(&self, port: u16) -> bool {
        self.reserved_ports.binary_search(&port).is_ok()
    }

    pub fn tasks_in_group(&self, group: &str) -> u32 {
        match self.group_slot(group) {
            Ok(at) => self.task_groups.get(at).count,
            Err(_) => 0,
        }
    }

    /// One more task of `group` on this instance.
    pub fn add_to_group(&mut self, group: &str) {
        self.add_to_group_id(GroupRef {
            id: UNKNOWN_GROUP,
            name: group,
        });
    }

    /// One more task of `group`, found by its interned id: integer work per launch. A group
    /// not found by id is found (or inserted) by name and its id remembered.
    pub fn add_to_group_id(&mut self, group: GroupRef<'_>) {
        if group.id != UNKNOWN_GROUP && self.task_groups.len() <= GROUP_IDS_SCANNED {
            if let Some(entry) = self.task_groups.iter_mut().find(|e| e.id == group.id) {
                debug_assert_eq!(entry.group, group.name, "one id, one group");
                entry.count += 1;
                return;
            }
        }
        match self.group_slot(group.name) {
            Ok(at) => {
                let entry = self.task_groups.get_mut(at);
                entry.count += 1;
                entry.id = group.id;
            }
            Err(at) => {
                self.task_groups.insert(
                    at,
                    GroupTasks {
                        group: group.name.to_string(),
                        count: 1,
                        id: group.id,
                    },
                );
            }
        }
    }

    fn group_slot(&self, group: &str) -> Result<usize, usize> {
        self.task_groups
            .binary_search_by(|entry| entry.group.as_str().cmp(group))
    }

    /// Takes what one task needs (placement already checked it fits). Asserts the invariant
    /// that nothing is over-committed.
    pub fn reserve(
        &mut self,
        requirements: &ResourceRequirements,
        group: &str,
        task: impl std::fmt::Display,
    ) {
        self.reserve_in(
            requirements,
            GroupRef {
                id: UNKNOWN_GROUP,
                name: group,
            },
            task,
        );
    }

    /// `reserve` with the group's interned id (the world's launches).
    pub fn reserve_in(
        &mut self,
        requirements: &ResourceRequirements,
        group: GroupRef<'_>,
        task: impl std::fmt::Display,
    ) {
        assert!(
            self.remaining_cpu_units >= requirements.cpu_units
                && self.remaining_memory_mib >= requirements.memory_mib
                && self.remaining_gpus >= requirements.gpus
                && (!requirements.needs_eni() || self.eni_tasks < self.eni_task_limit),
            "placement chose instance {} without room for task {task}",
            self.ec2_instance_id
        );
        self.remaining_cpu_units -= requirements.cpu_units;
        self.remaining_memory_mib -= requirements.memory_mib;
        self.remaining_gpus -= requirements.gpus;
        if requirements.needs_eni() {
            self.eni_tasks += 1;
        }
        for &port in &requirements.static_host_ports {
            if let Err(slot) = self.reserved_ports.binary_search(&port) {
                self.reserved_ports.insert(slot, port);
            }
        }
        self.add_to_group_id(group);
        self.running_tasks_count += 1;
    }

    /// Gives back what a STOPPED task held (CPU, memory, GPUs, ENI, ports, its group count).
    /// `runningTasksCount` is decremented earlier, when desiredStatus becomes STOPPED.
    pub fn release(&mut self, held: &Held<'_>, task: &str) {
        self.remaining_cpu_units += held.cpu_units;
        self.remaining_memory_mib += held.memory_mib;
        self.remaining_gpus += held.gpus;
        if held.eni {
            self.eni_tasks -= 1;
        }
        assert!(
            self.remaining_cpu_units <= self.registered_cpu_units
                && self.remaining_memory_mib <= self.registered_memory_mib
                && self.remaining_gpus <= self.registered_gpus,
            "releasing task {task} gave instance {} more than it registered",
            self.ec2_instance_id
        );
        self.reserved_ports
            .retain(|port| !held.static_host_ports.contains(port));
        if let Ok(at) = self.group_slot(held.group) {
            self.task_groups.get_mut(at).count -= 1;
            if self.task_groups.get(at).count == 0 {
                self.task_groups.remove(at);
            }
        }
    }
}

/// What a task holds on its instance, for [`ContainerInstance::release`].
pub struct Held<'a> {
    pub cpu_units: u32,
    pub memory_mib: u32,
    pub gpus: u32,
    pub eni: bool,
    pub static_host_ports: &'a [u16],
    pub group: &'a str,
}

/// Deterministic, realistic-looking EC2 ids: `i-0` followed by 16 hex digits mixed from the index.
fn ec2_instance_id(id: InstanceId) -> String {
    // Distinct indexes give distinct, scattered ids.
    let z = crate::hash::splitmix64(
        u64::from(id.0)
            .wrapping_add(1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15),
    );
    format!("i-0{:016x}", z)
}

impl InstanceFacts for ContainerInstance {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
    fn ec2_instance_id(&self) -> &str {
        &self.ec2_instance_id
    }
    fn agent_connected(&self) -> bool {
        self.agent_connected
    }
    fn agent_version(&self) -> &str {
        &self.agent_version
    }
    fn registered_at_epoch_seconds(&self) -> i64 {
        self.registered_at_epoch_seconds
    }
    fn running_tasks_count(&self) -> u32 {
        self.running_tasks_count
    }
    fn hosts_task_group(&self, group: &str) -> bool {
        self.tasks_in_group(group) > 0
    }
}
