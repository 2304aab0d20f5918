//! The comparison's figures as pure functions of two worlds: per service (desired, running,
//! pending), per Availability Zone (instances by status, live tasks per service, the instances
//! listed), where the events after the fork start in each log and which events the other side
//! lacks. `components::compare` in the web crate renders them side by side.

use flotilla_core::cluster::InstanceStatus;
use flotilla_core::compact::SortedMap;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskState;
use flotilla_core::{SimTime, World};

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
    pub tasks: SortedMap<String, u32>,
}

/// One Availability Zone in the compact fleet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneFigures {
    pub instances: StatusCounts,
    /// Live (not STOPPED) tasks per service name, batch jobs under their group.
    pub tasks: SortedMap<String, u32>,
    /// Every instance, in id order (the web view lists at most its `INSTANCES_LISTED_MAX`).
    pub listed: Vec<InstanceFigures>,
}

/// Everything one side of the comparison shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SideFigures {
    pub services: SortedMap<String, ServiceFigures>,
    pub instances: StatusCounts,
    pub zones: SortedMap<String, ZoneFigures>,
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
        let zone = side.zones.or_default(instance.availability_zone.clone());
        zone.instances.add(instance.status);
        zone.listed.push(InstanceFigures {
            ec2_instance_id: instance.ec2_instance_id.clone(),
            status: instance.status,
            tasks: SortedMap::new(),
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
            *zone.tasks.or_default(name.to_string()) += 1;
            if let Some(instance) = zone.listed.get_mut(slot) {
                *instance.tasks.or_default(name.to_string()) += 1;
            }
        }
    }
    side
}

/// Running and pending (PROVISIONING, PENDING, ACTIVATING) tasks of a service that should run.
/// Reads the service's live tasks (every task of it not yet STOPPED, `check_invariants` keeps
/// them so), not the world's every task: the services list calls it per row, and at 10,000
/// services a walk of all tasks per row was 10^8 visits a render.
pub fn task_counts(world: &World, service: ServiceId) -> (u32, u32) {
    let (mut running, mut pending) = (0, 0);
    let Some(record) = world.services().get(service.0 as usize) else {
        return (0, 0);
    };
    for task in record
        .runtime
        .live_tasks
        .iter()
        .map(|&id| world.task(id))
        .filter(|t| t.desired_running)
    {
        match task.state {
            TaskState::Running => running += 1,
            TaskState::Provisioning | TaskState::Pending | TaskState::Activating => pending += 1,
            _ => {}
        }
    }
    (running, pending)
}

// ---- the headline ---------------------------------------------------------------------------

/// How a service's newest deployment (its PRIMARY one) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentOutcome {
    /// Began at `started`, reached COMPLETED at `at`.
    Finished { started: SimTime, at: SimTime },
    /// Began at `started`, FAILED at `at` (circuit breaker or alarm).
    Failed { started: SimTime, at: SimTime },
    /// Began at `started`, still IN_PROGRESS now.
    InProgress { started: SimTime },
}

/// What a person compares first for one service on one side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceHeadline {
    /// The deployment policy it runs: "rolling min 50 % / max 100 %".
    pub policy: String,
    pub desired: u32,
    /// The fewest tasks counted healthy at any moment between the fork and now (the
    /// deployment chart's count: desiredStatus RUNNING, counted healthy, not found unhealthy).
    pub fewest_healthy: u32,
    /// How long, in all, the service had that few healthy tasks between the fork and now.
    pub fewest_healthy_ms: u64,
    /// The most tasks in PENDING or RUNNING, not told to stop, between the fork and now.
    pub peak: u32,
    pub deployment: Option<DeploymentOutcome>,
    /// Deployments that FAILED (circuit breaker or alarm) between the fork and now: a
    /// deployment finished after one is the rollback's.
    pub failed_deployments: u32,
    /// Desired tasks it could not place now (`unplaced::unplaced`).
    pub unplaced: u32,
}

/// The headline of one side: per service, then the events the other side does not have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headline {
    pub services: SortedMap<String, ServiceHeadline>,
    /// Events after the fork that the other side did not record (`has_event`).
    pub events_only_here: usize,
}

/// The deployment policy of a service in words: "rolling min 50 % / max 100 %", with the
/// circuit breaker and the alarms a deployment watches when it has them; "daemon" first for a
/// DAEMON service.
pub fn policy_words(service: &flotilla_core::service::Service) -> String {
    let mut words = format!(
        "{}rolling min {} % / max {} %",
        if service.is_daemon() { "daemon, " } else { "" },
        service.minimum_healthy_percent(),
        service.maximum_percent()
    );
    let configuration = &service.deployment_configuration;
    if let Some(breaker) = configuration
        .deployment_circuit_breaker
        .as_ref()
        .filter(|b| b.enable)
    {
        words.push_str(if breaker.rollback {
            ", circuit breaker with rollback"
        } else {
            ", circuit breaker"
        });
    }
    if let Some(alarms) = configuration.alarms.as_ref().filter(|a| a.enable) {
        words.push_str(&format!(", alarms ({})", alarms.alarm_names.join(", ")));
    }
    words
}

/// The headline of `world` from the fork's simulated time `from` until now; its events after
/// the fork start at `since`, the other side's at `other_since`. One pass over the event log.
pub fn headline(
    world: &World,
    since: usize,
    from: SimTime,
    (other, other_since): (&World, usize),
) -> Headline {
    let tracks = HealthTracks::replay(world, from);
    let mut services = SortedMap::new();
    for (service, track) in world.services().iter().zip(tracks.services) {
        services.insert(
            service.name.clone(),
            ServiceHeadline {
                policy: policy_words(service),
                desired: service.desired_count,
                fewest_healthy: track.fewest.map_or(track.healthy, |(count, _)| count),
                fewest_healthy_ms: track.fewest.map_or(0, |(_, ms)| ms),
                peak: track.peak.unwrap_or(track.wanted),
                deployment: track.deployment,
                failed_deployments: track.failed,
                unplaced: crate::unplaced::unplaced(world, service.id).map_or(0, |u| u.count),
            },
        );
    }
    let events = world.events();
    let events_only_here = events
        .range(since.min(events.len())..)
        .iter()
        .filter(|e| !has_event(other, other_since, e))
        .count();
    Headline {
        services,
        events_only_here,
    }
}

/// Every service's healthy and PENDING-or-RUNNING counts replayed from the event log, and the
/// extremes over a window. The counting rule is `flotilla_core::progress`'s (the deployment
/// chart's) for all services in one pass; a native test holds the two to the same fewest and
/// peak.
struct HealthTracks {
    services: Vec<Track>,
}

#[derive(Clone, Default)]
struct Track {
    created: bool,
    healthy: u32,
    wanted: u32,
    /// When the current counts began.
    since: SimTime,
    /// The fewest healthy over the window and for how long in all.
    fewest: Option<(u32, u64)>,
    peak: Option<u32>,
    /// The newest PRIMARY deployment: its id and how it stands.
    deployment_id: String,
    deployment: Option<DeploymentOutcome>,
    /// Deployments that FAILED between the fork and now.
    failed: u32,
}

const WANTED: u8 = 1;
const COUNTED: u8 = 2;
const UNHEALTHY: u8 = 4;

impl Track {
    /// The counts held from `self.since` until `end`: fold that span into the extremes over
    /// [`from`, `until`]. `last` is the span still open at `until`, which counts even when it
    /// is empty (the counts now). A span ending at `from` counts too, for no time: the counts
    /// when the window opens, before that moment's events, as the deployment chart's first
    /// sample has them.
    fn close(&mut self, end: SimTime, (from, until): (SimTime, SimTime), last: bool) {
        if !self.created || (!last && (end < from || self.since >= until)) {
            return;
        }
        let span = end
            .as_ms()
            .min(until.as_ms())
            .saturating_sub(self.since.as_ms().max(from.as_ms()));
        self.fewest = match self.fewest {
            Some((count, ms)) if count == self.healthy => Some((count, ms + span)),
            Some((count, ms)) if count < self.healthy => Some((count, ms)),
            _ => Some((self.healthy, span)),
        };
        self.peak = Some(self.peak.map_or(self.wanted, |p| p.max(self.wanted)));
    }
}

impl HealthTracks {
    fn replay(world: &World, from: SimTime) -> HealthTracks {
        let until = world.now();
        let window = (from, until);
        let mut services = vec![Track::default(); world.services().len()];
        let mut flags = vec![0u8; world.tasks().len()];
        let mut changed: Vec<usize> = Vec::new();
        let events = world.events();
        for (index, event) in events.iter().enumerate() {
            if event.at > until {
                break;
            }
            apply(
                world,
                &mut services,
                &mut flags,
                &mut changed,
                event,
                window,
            );
            if events.get(index + 1).is_none_or(|next| next.at != event.at) {
                changed.clear();
            }
        }
        for track in &mut services {
            track.close(until, window, true);
        }
        HealthTracks { services }
    }
}

/// One event's change to the counts (`HealthTracks::replay`); `changed` lists the services
/// whose counts already changed at this moment (their span before it is already closed).
fn apply(
    world: &World,
    services: &mut [Track],
    flags: &mut [u8],
    changed: &mut Vec<usize>,
    event: &flotilla_core::Event,
    window: (SimTime, SimTime),
) {
    use flotilla_core::deploy::{DeploymentStatus, RolloutState};
    use flotilla_core::health::HealthCountChange;
    use flotilla_core::EventKind;
    let service_of = |task: flotilla_core::task::TaskId| {
        world
            .tasks()
            .get(task.0 as usize)
            .and_then(|t| t.service)
            .map(|s| s.0 as usize)
    };
    let (task, flag, on) = match &event.kind {
        EventKind::ServiceCreated { service, .. } => {
            if let Some(track) = services.get_mut(service.0 as usize) {
                track.created = true;
                track.since = event.at;
            }
            return;
        }
        EventKind::DeploymentChanged {
            service,
            deployment_id,
            status,
            rollout_state,
            ..
        } => {
            let Some(track) = services.get_mut(service.0 as usize) else {
                return;
            };
            let started = match track.deployment {
                Some(
                    DeploymentOutcome::InProgress { started }
                    | DeploymentOutcome::Finished { started, .. }
                    | DeploymentOutcome::Failed { started, .. },
                ) => started,
                None => event.at,
            };
            let state_now = match track.deployment {
                Some(DeploymentOutcome::InProgress { .. }) | None => RolloutState::InProgress,
                Some(DeploymentOutcome::Finished { .. }) => RolloutState::Completed,
                Some(DeploymentOutcome::Failed { .. }) => RolloutState::Failed,
            };
            // A deployment begins as PRIMARY IN_PROGRESS; later events about it (ACTIVE once
            // superseded, INACTIVE) keep the moment it first completed or failed.
            if *status == DeploymentStatus::Primary
                && *rollout_state == RolloutState::InProgress
                && **deployment_id != *track.deployment_id
            {
                track.deployment_id = deployment_id.to_string();
                track.deployment = Some(DeploymentOutcome::InProgress { started: event.at });
            } else if **deployment_id == *track.deployment_id && *rollout_state != state_now {
                if *rollout_state == RolloutState::Failed && event.at >= window.0 {
                    track.failed += 1;
                }
                track.deployment = Some(match rollout_state {
                    RolloutState::InProgress => DeploymentOutcome::InProgress { started },
                    RolloutState::Completed => DeploymentOutcome::Finished {
                        started,
                        at: event.at,
                    },
                    RolloutState::Failed => DeploymentOutcome::Failed {
                        started,
                        at: event.at,
                    },
                });
            }
            return;
        }
        EventKind::TaskPlaced { task, .. } => (*task, WANTED, true),
        EventKind::TaskStateChanged { task, to, .. }
            if *to == flotilla_core::task::TaskState::Stopped =>
        {
            (*task, WANTED, false)
        }
        EventKind::TaskStopRequested { task, .. } => (*task, WANTED, false),
        // Healthy as the scheduler counts it, the core's one reading of the log (§3.4).
        kind => match world.health_count_change(kind) {
            Some((task, HealthCountChange::CountsHealthy)) => (task, COUNTED, true),
            Some((task, HealthCountChange::FoundUnhealthy)) => (task, UNHEALTHY, true),
            None => return,
        },
    };
    let (Some(service), Some(before)) = (service_of(task), flags.get(task.0 as usize)) else {
        return;
    };
    let before = *before;
    let after = if on { before | flag } else { before & !flag };
    if before == after {
        return;
    }
    flags[task.0 as usize] = after;
    let Some(track) = services.get_mut(service) else {
        return;
    };
    if !changed.contains(&service) {
        // The counts before this moment held until it: fold them in first.
        track.close(event.at, window, false);
        track.since = event.at;
        changed.push(service);
    }
    let healthy = |f: u8| f & (WANTED | COUNTED | UNHEALTHY) == WANTED | COUNTED;
    track.healthy = track.healthy + u32::from(healthy(after)) - u32::from(healthy(before));
    track.wanted = track.wanted + u32::from(after & WANTED != 0) - u32::from(before & WANTED != 0);
}
