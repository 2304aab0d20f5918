//! A service's deployment progress over time, for the deployment chart: RUNNING tasks of each
//! revision, the tasks counted healthy against the minimum (ceil(desired ×
//! minimumHealthyPercent / 100)) and the tasks in PENDING or RUNNING against the maximum
//! (floor(desired × maximumPercent / 100)), from the moment the PRIMARY deployment began.
//!
//! Derived from the event log and the task list alone — a pure function of what the world
//! already keeps, so it costs no memory per task, follows every rewind and is deterministic.
//! The counts mean what the scheduler counts: healthy = desiredStatus RUNNING and counted
//! healthy (§3.4) and not found unhealthy, read off the log by `World::health_count_change`; PENDING or RUNNING = placed and not yet told to
//! stop (the maximumPercent check, `deploy.rs`). Counts are sampled once per simulated
//! moment (after every event at that moment); at most `points_max` samples are kept, each
//! covering a span with its fewest healthy and its most tasks, so a dip or a peak is never
//! drawn away. The text summary is computed before that thinning.

use crate::deploy;
use crate::event::EventKind;
use crate::health::HealthCountChange;
use crate::service::ServiceId;
use crate::task::{TaskId, TaskState};
use crate::taskdef::TaskDefinitionRef;
use crate::time::SimTime;
use crate::world::World;

/// The counts at one moment (or, after thinning, over one span ending at `at`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub at: SimTime,
    /// RUNNING tasks of each revision of `Progress::revisions`, in that order.
    pub running: Vec<u32>,
    /// Tasks counted healthy (the fewest over the span).
    pub healthy: u32,
    /// Tasks in PENDING or RUNNING, not told to stop (the most over the span).
    pub running_or_pending: u32,
    /// ceil(desired × minimumHealthyPercent / 100) at that moment.
    pub minimum_healthy: u32,
    /// floor(desired × maximumPercent / 100) at that moment.
    pub maximum: u32,
}

/// A count at its most extreme moment, with the bound in force then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extreme {
    pub count: u32,
    pub at: SimTime,
    pub bound: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub from: SimTime,
    pub until: SimTime,
    /// Revisions that ran tasks in the window, in the order they first did.
    pub revisions: Vec<TaskDefinitionRef>,
    /// In time order: the counts as the window opens (unless the service was created then),
    /// then one per moment something changed (thinned to `points_max`), then the counts at
    /// `until`.
    pub samples: Vec<Sample>,
    pub fewest_healthy: Extreme,
    pub peak: Extreme,
}

impl Progress {
    /// "fewest healthy 3 (minimum 3) at 00:01:20.000; peak 8 (maximum 8) at 00:01:10.000"
    pub fn summary(&self) -> String {
        format!(
            "fewest healthy {} (minimum {}) at {}; peak {} (maximum {}) at {}",
            self.fewest_healthy.count,
            self.fewest_healthy.bound,
            self.fewest_healthy.at,
            self.peak.count,
            self.peak.bound,
            self.peak.at
        )
    }
}

/// The progress of `service` since its PRIMARY deployment began, up to now; `None` for a DAEMON
/// service (its bounds count tasks per instance) or one without a deployment.
pub fn deployment_progress(
    world: &World,
    service: ServiceId,
    points_max: usize,
) -> Option<Progress> {
    let record = world.services().get(service.0 as usize)?;
    if record.is_daemon() {
        return None;
    }
    let primary = record
        .deployments
        .iter()
        .find(|d| d.status == deploy::DeploymentStatus::Primary)?;
    Some(progress(
        &Window {
            service,
            from: primary.created_at,
            until: world.now(),
            minimum_healthy_percent: record.minimum_healthy_percent(),
            maximum_percent: record.maximum_percent(),
        },
        world,
        points_max,
    ))
}

/// What to chart: one service between two moments, with its deployment configuration's
/// percentages (taken as they are now; the desired count is followed over time).
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub service: ServiceId,
    pub from: SimTime,
    pub until: SimTime,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
}

/// The counts over `window`, replaying the world's event log from the start.
pub fn progress(window: &Window, world: &World, points_max: usize) -> Progress {
    let mut counter = Counter::new(world.tasks().len());
    let mut chart = Chart::new(window, points_max.max(2));
    let mut opened = false;
    let events = world.events();
    for (index, event) in events.iter().enumerate() {
        if event.at > window.until {
            break;
        }
        if !opened && event.at >= window.from {
            // A service created at `from` (its first deployment) had no counts before.
            if counter.created {
                chart.add(window.from, &counter, window);
            }
            opened = true;
        }
        counter.apply(world, window.service, &event.kind);
        let moment_ends = events.get(index + 1).is_none_or(|next| next.at != event.at);
        if opened && moment_ends {
            chart.add(event.at, &counter, window);
        }
    }
    if !opened {
        chart.add(window.from, &counter, window);
    }
    chart.add(window.until, &counter, window);
    chart.finish(counter.revisions)
}

// ---- helpers -------------------------------------------------------------------------------

/// Running counts of one service's tasks, updated event by event.
struct Counter {
    /// Per task (by id): placed and not told to stop, RUNNING, counted healthy, found unhealthy.
    flags: Vec<u8>,
    /// Per task: index into `revisions` (set when placed).
    revision_of: Vec<u32>,
    revisions: Vec<TaskDefinitionRef>,
    running: Vec<u32>,
    healthy: u32,
    running_or_pending: u32,
    desired: u32,
    /// The service exists (its `ServiceCreated` event went by).
    created: bool,
}

const WANTED: u8 = 1;
const RUNNING: u8 = 2;
const COUNTED: u8 = 4;
const UNHEALTHY: u8 = 8;

impl Counter {
    fn new(tasks: usize) -> Counter {
        Counter {
            flags: vec![0; tasks],
            revision_of: vec![0; tasks],
            revisions: Vec::new(),
            running: Vec::new(),
            healthy: 0,
            running_or_pending: 0,
            desired: 0,
            created: false,
        }
    }

    fn apply(&mut self, world: &World, service: ServiceId, kind: &EventKind) {
        let ours = |task: &TaskId| {
            world
                .tasks()
                .get(task.0 as usize)
                .is_some_and(|t| t.service == Some(service))
        };
        // Healthy as the scheduler counts it, one rule for every reader of the log (§3.4).
        if let Some((task, change)) = world.health_count_change(kind) {
            if ours(&task) {
                match change {
                    HealthCountChange::CountsHealthy => self.change(task, COUNTED, true),
                    HealthCountChange::FoundUnhealthy => self.change(task, UNHEALTHY, true),
                }
            }
            return;
        }
        match kind {
            EventKind::ServiceCreated {
                service: id,
                desired_count,
                ..
            } if *id == service => {
                self.desired = *desired_count;
                self.created = true;
            }
            EventKind::DesiredCountChanged {
                service: id, to, ..
            } if *id == service => {
                self.desired = *to;
            }
            EventKind::TaskPlaced { task, state, .. } if ours(task) => {
                let revision = &world.task(*task).task_definition;
                let index = match self.revisions.iter().position(|r| r == revision) {
                    Some(index) => index,
                    None => {
                        self.revisions.push(revision.clone());
                        self.running.push(0);
                        self.revisions.len() - 1
                    }
                };
                self.revision_of[task.0 as usize] = index as u32;
                self.change(*task, WANTED, true);
                self.change(*task, RUNNING, *state == TaskState::Running);
            }
            EventKind::TaskStateChanged { task, to, .. } if ours(task) => {
                self.change(*task, RUNNING, *to == TaskState::Running);
                if *to == TaskState::Stopped {
                    self.change(*task, WANTED, false);
                }
            }
            EventKind::TaskStopRequested { task, .. } if ours(task) => {
                self.change(*task, WANTED, false);
            }
            _ => {}
        }
    }

    /// Sets or clears one flag of a task and keeps the totals in step.
    fn change(&mut self, task: TaskId, flag: u8, on: bool) {
        let index = task.0 as usize;
        let before = self.flags[index];
        let after = if on { before | flag } else { before & !flag };
        if before == after {
            return;
        }
        self.flags[index] = after;
        let healthy = |f: u8| f & (WANTED | COUNTED | UNHEALTHY) == WANTED | COUNTED;
        self.healthy = self.healthy + u32::from(healthy(after)) - u32::from(healthy(before));
        self.running_or_pending = self.running_or_pending + u32::from(after & WANTED != 0)
            - u32::from(before & WANTED != 0);
        let running = &mut self.running[self.revision_of[index] as usize];
        *running = *running + u32::from(after & RUNNING != 0) - u32::from(before & RUNNING != 0);
    }
}

/// Samples as they come, thinned into at most `points_max` spans, and the exact extremes.
struct Chart {
    from: SimTime,
    span_ms: u64,
    points_max: usize,
    samples: Vec<Sample>,
    /// Span index of the last sample.
    last_span: usize,
    fewest_healthy: Option<Extreme>,
    peak: Option<Extreme>,
}

impl Chart {
    fn new(window: &Window, points_max: usize) -> Chart {
        Chart {
            from: window.from,
            span_ms: window.until.as_ms().saturating_sub(window.from.as_ms()),
            points_max,
            samples: Vec::new(),
            last_span: 0,
            fewest_healthy: None,
            peak: None,
        }
    }

    fn add(&mut self, at: SimTime, counter: &Counter, window: &Window) {
        let bounds = deploy::bounds(
            counter.desired,
            window.minimum_healthy_percent,
            window.maximum_percent,
        );
        let sample = Sample {
            at,
            running: counter.running.clone(),
            healthy: counter.healthy,
            running_or_pending: counter.running_or_pending,
            minimum_healthy: bounds.min_healthy,
            maximum: bounds.max_tasks,
        };
        if self.fewest_healthy.is_none_or(|e| sample.healthy < e.count) {
            self.fewest_healthy = Some(Extreme {
                count: sample.healthy,
                at,
                bound: sample.minimum_healthy,
            });
        }
        if self
            .peak
            .is_none_or(|e| sample.running_or_pending > e.count)
        {
            self.peak = Some(Extreme {
                count: sample.running_or_pending,
                at,
                bound: sample.maximum,
            });
        }
        // The first sample (the window opening) is kept apart; the others share one of
        // `points_max - 1` equal spans of the window with the samples near them in time.
        let offset = at.as_ms().saturating_sub(self.from.as_ms());
        let spans = (self.points_max - 1) as u64;
        let span = if self.span_ms == 0 {
            0
        } else {
            (u128::from(offset) * u128::from(spans) / u128::from(self.span_ms)) as usize
        };
        let merge = self.samples.len() > 1 && span == self.last_span;
        match self.samples.last_mut() {
            Some(last) if merge => {
                last.at = sample.at;
                last.running = sample.running;
                last.healthy = last.healthy.min(sample.healthy);
                last.running_or_pending = last.running_or_pending.max(sample.running_or_pending);
                last.minimum_healthy = sample.minimum_healthy;
                last.maximum = sample.maximum;
            }
            _ => self.samples.push(sample),
        }
        self.last_span = span;
    }

    fn finish(mut self, revisions: Vec<TaskDefinitionRef>) -> Progress {
        for sample in &mut self.samples {
            sample.running.resize(revisions.len(), 0);
        }
        let none = Extreme {
            count: 0,
            at: self.from,
            bound: 0,
        };
        let until = self.samples.last().map_or(self.from, |s| s.at);
        Progress {
            from: self.from,
            until,
            revisions,
            fewest_healthy: self.fewest_healthy.unwrap_or(none),
            peak: self.peak.unwrap_or(none),
            samples: self.samples,
        }
    }
}
