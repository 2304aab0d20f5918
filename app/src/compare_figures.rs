//! The comparison's figures as pure functions of two worlds: per service (desired, running,
//! pending), per Availability Zone (instances by status, live tasks per service, the instances
//! listed), where the events after the fork start in each log and which events the other side
//! lacks. `components::compare` in the web crate renders them side by side.

use flotilla_core::cluster::InstanceStatus;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskState;
use flotilla_core::{SimTime, World};
use std::collections::BTreeMap;

/// One service's figures in one world.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceFigures {
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    /// The service's index in its world (for its colour).
    pub colour: u32,
}

/// Container instances by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub active: u32,
    pub draining: u32,
    pub inactive: u32,
}

impl StatusCounts {
    fn add(&mut self, status: InstanceStatus) {
        match status {
            InstanceStatus::Active => self.active += 1,
            InstanceStatus::Draining => self.draining += 1,
            InstanceStatus::Inactive => self.inactive += 1,
        }
    }
}

/// One container instance in the compact fleet: its live tasks per service name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceFigures {
    pub ec2_instance_id: String,
    pub status: InstanceStatus,
    pub tasks: BTreeMap<String, u32>,
}

/// One Availability Zone in the compact fleet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneFigures {
    pub instances: StatusCounts,
    /// Live (not STOPPED) tasks per service name, batch jobs under their group.
    pub tasks: BTreeMap<String, u32>,
    /// Every instance, in id order (the web view lists at most its `INSTANCES_LISTED_MAX`).
    pub listed: Vec<InstanceFigures>,
}

/// Everything one side of the comparison shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SideFigures {
    pub services: BTreeMap<String, ServiceFigures>,
    pub instances: StatusCounts,
    pub zones: BTreeMap<String, ZoneFigures>,
    /// Events recorded after the fork.
    pub events_since_fork: usize,
}

/// Where the events after the fork start in a world's log. While both logs still share the
/// fork's events (actions on the timeline), that is exactly the fork's event count; after an
/// edit of the scenario restarted this run with another history, it is the first event after the
/// fork's simulated time.
pub fn fork_start(world: &World, shared: bool, fork: (SimTime, usize)) -> usize {
    let events = world.events();
    if shared && fork.1 <= events.len() {
        fork.1
    } else {
        events.partition_point(|e| e.at <= fork.0)
    }
}

/// True when both logs hold the fork's events and agree on the last of them (a cheap check:
/// logs that diverged before the fork differ there too, but for the rarest coincidence).
pub fn logs_shared(a: &World, b: &World, fork_events: usize) -> bool {
    let Some(last) = fork_events.checked_sub(1) else {
        return true;
    };
    matches!((a.events().get(last), b.events().get(last)), (Some(x), Some(y)) if x == y)
}

/// True when `other`'s events after `since` hold one equal to `event` at the same time (the
/// log is in time order, so only that moment's events are compared).
pub fn has_event(other: &World, since: usize, event: &flotilla_core::Event) -> bool {
    let events = other.events();
    let events = events.range(since.min(events.len())..);
    let first = events.partition_point(|e| e.at < event.at);
    events
        .iter_from(first)
        .take_while(|e| e.at == event.at)
        .any(|e| e.kind == event.kind)
}

/// The figures of one world; its events after the fork start at `since`.
pub fn side_figures(world: &World, since: usize) -> SideFigures {
    let mut side = SideFigures {
        events_since_fork: world.events().len().saturating_sub(since),
        ..SideFigures::default()
    };
    for service in world.services() {
        let (running, pending) = task_counts(world, service.id);
        side.services.insert(
            service.name.clone(),
            ServiceFigures {
                desired: service.desired_count,
                running,
                pending,
                colour: service.id.0,
            },
        );
    }
    let mut zone_of = Vec::with_capacity(world.instances().len());
    for instance in world.instances() {
        side.instances.add(instance.status);
        let zone = side
            .zones
            .entry(instance.availability_zone.clone())
            .or_default();
        zone.instances.add(instance.status);
        zone.listed.push(InstanceFigures {
            ec2_instance_id: instance.ec2_instance_id.clone(),
            status: instance.status,
            tasks: BTreeMap::new(),
        });
        zone_of.push((instance.availability_zone.as_str(), zone.listed.len() - 1));
    }
    let names: Vec<&str> = world.services().iter().map(|s| s.name.as_str()).collect();
    for task in world
        .tasks()
        .iter()
        .filter(|t| t.state != TaskState::Stopped)
    {
        let Some(&(zone_name, slot)) = zone_of.get(task.instance.0 as usize) else {
            continue;
        };
        let name = task
            .service
            .and_then(|s| names.get(s.0 as usize).copied())
            .unwrap_or(task.group.as_str());
        if let Some(zone) = side.zones.get_mut(zone_name) {
            *zone.tasks.entry(name.to_string()).or_default() += 1;
            if let Some(instance) = zone.listed.get_mut(slot) {
                *instance.tasks.entry(name.to_string()).or_default() += 1;
            }
        }
    }
    side
}

/// Running and pending (PROVISIONING, PENDING, ACTIVATING) tasks of a service that should run.
pub fn task_counts(world: &World, service: ServiceId) -> (u32, u32) {
    let (mut running, mut pending) = (0, 0);
    for task in world
        .tasks()
        .iter()
        .filter(|t| t.service == Some(service) && t.desired_running)
    {
        match task.state {
            TaskState::Running => running += 1,
            TaskState::Provisioning | TaskState::Pending | TaskState::Activating => pending += 1,
            _ => {}
        }
    }
    (running, pending)
}
