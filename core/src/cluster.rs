//! Container instances: what each one registered (CPU, memory, ENIs, built-in and custom
//! attributes), what is still free, its status and which tasks it hosts. Mutated only by the
//! world; placement reads it through shared references.

use crate::catalogue::InstanceType;
use crate::query::InstanceFacts;
use std::collections::BTreeMap;

/// Index of a container instance in the world; never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceId(pub u32);

/// `API:ContainerInstance.status`, the states the sandbox reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
pub const DEFAULT_RESERVED_PORTS: [u16; 6] = [22, 2375, 2376, 51678, 51679, 51680];

#[derive(Clone, Debug)]
pub struct ContainerInstance {
    pub id: InstanceId,
    pub ec2_instance_id: String,
    pub instance_type: &'static InstanceType,
    pub availability_zone: String,
    /// Built-in (`ecs.*`) and custom attributes, by name.
    pub attributes: BTreeMap<String, String>,
    pub status: InstanceStatus,
    pub agent_connected: bool,
    pub agent_version: String,
    pub registered_at_epoch_seconds: i64,
    pub registered_cpu_units: u32,
    pub registered_memory_mib: u32,
    pub remaining_cpu_units: u32,
    pub remaining_memory_mib: u32,
    /// Host ports in use: the defaults plus static ports of tasks placed here. Sorted.
    pub reserved_ports: Vec<u16>,
    /// Task groups of tasks on this instance that are not yet STOPPED, with counts.
    pub task_groups: BTreeMap<String, u32>,
    /// Tasks with desiredStatus RUNNING (`runningTasksCount`, §2.1).
    pub running_tasks_count: u32,
}

pub struct NewInstance<'a> {
    pub instance_type: &'static InstanceType,
    pub availability_zone: &'a str,
    pub ami_id: &'a str,
    pub custom_attributes: &'a BTreeMap<String, String>,
    pub registered_at_epoch_seconds: i64,
}

impl ContainerInstance {
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
        let registered_memory_mib = spec.instance_type.registered_memory_mib();
        ContainerInstance {
            id,
            ec2_instance_id: ec2_instance_id(id),
            instance_type: spec.instance_type,
            availability_zone: spec.availability_zone.to_string(),
            attributes,
            status: InstanceStatus::Active,
            agent_connected: true,
            agent_version: "1.90.0".to_string(),
            registered_at_epoch_seconds: spec.registered_at_epoch_seconds,
            registered_cpu_units: spec.instance_type.cpu_units(),
            registered_memory_mib,
            remaining_cpu_units: spec.instance_type.cpu_units(),
            remaining_memory_mib: registered_memory_mib,
            reserved_ports: DEFAULT_RESERVED_PORTS.to_vec(),
            task_groups: BTreeMap::new(),
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
        self.task_groups.get(group).copied().unwrap_or(0)
    }
}

/// Deterministic, realistic-looking EC2 ids: `i-0` followed by 16 hex digits mixed from the index.
fn ec2_instance_id(id: InstanceId) -> String {
    // splitmix64 finaliser: distinct indexes give distinct, scattered ids.
    let mut z = u64::from(id.0)
        .wrapping_add(1)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
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
