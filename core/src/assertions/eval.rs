//! Evaluating assertions over a run: [`Monitor`] reads the world's event log forward, once,
//! keeping per task only what the counts need (placed, lifecycle state, the scheduler's
//! healthy flags — the same rule as `progress.rs` and the scheduler: desiredStatus RUNNING,
//! counted healthy, not found unhealthy, read off the log by `World::health_count_change`)
//! and per assertion a running count, so an `always` claim is checked at every moment
//! without re-scanning the world. A moment is checked once every event at it is in (the
//! state a reader sees at that time); between two events the counts do not change, so
//! checking each span between events once is checking every moment.
//!
//! A monitor follows a session as it advances (`observe` after each step reads only the new
//! events) and starts over by itself when the world it is shown was rewound. [`evaluate`] is
//! the one-shot form: every assertion of a scenario over a run that ends where the world is.

use super::syntax::{
    clock_text, Claim, Comparison, Count, Outcome, Owner, StateFilter, Tasks, Window,
};
use super::Assertion;
use crate::event::{Event, EventKind, ServiceEvent};
use crate::health::HealthCountChange;
use crate::task::{TaskId, TaskState};
use crate::time::SimTime;
use crate::world::World;

/// Where an assertion stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Decided: it holds.
    Held,
    /// True at every moment so far; a later moment can still break it.
    Holding,
    /// Not decided yet: its moment or deadline has not come, or (an `always` claim without a
    /// start) it has not yet come true.
    Waiting,
    /// Decided: it broke at `at`; `evidence` says what the run showed then.
    Broken { at: SimTime, evidence: String },
    /// The run ended before the moment the assertion needs (`needs`).
    NotReached { needs: SimTime },
}

/// One assertion and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The assertion's name, or its sentence when it has none.
    pub label: String,
    /// The canonical sentence.
    pub sentence: String,
    pub status: Status,
}

impl Verdict {
    /// True unless it broke or the run did not reach it.
    pub fn ok(&self) -> bool {
        matches!(
            self.status,
            Status::Held | Status::Holding | Status::Waiting
        )
    }
}

/// Every assertion over the run that `world` has made so far, judged as if the run ended now
/// (an `always` claim that never came true is broken at the end; a moment after it is not
/// reached).
pub fn evaluate(assertions: &[Assertion], world: &World) -> Vec<Verdict> {
    let mut monitor = Monitor::new(assertions.to_vec());
    monitor.observe(world);
    monitor.conclude()
}

/// Evaluates assertions incrementally as a run advances.
#[derive(Clone, Debug)]
pub struct Monitor {
    assertions: Vec<Assertion>,
    slots: Vec<Slot>,
    tasks: Vec<TaskTrack>,
    deployments: Vec<DeploymentTrack>,
    /// Events read so far, and the last of them (to notice a rewound world).
    consumed: usize,
    last_event: Option<Event>,
    /// The first moment not yet checked.
    unchecked_from: SimTime,
}

impl Monitor {
    pub fn new(assertions: Vec<Assertion>) -> Monitor {
        let slots = assertions.iter().map(Slot::new).collect();
        Monitor {
            assertions,
            slots,
            tasks: Vec::new(),
            deployments: Vec::new(),
            consumed: 0,
            last_event: None,
            unchecked_from: SimTime::ZERO,
        }
    }

    /// Reads the events the world recorded since the last call and checks every moment that
    /// is complete (all of its events in). A world that was rewound (its log shorter, or not
    /// the one read) makes the monitor start over from its first event.
    pub fn observe(&mut self, world: &World) {
        let events = world.events();
        let rewound = events.len() < self.consumed
            || (self.consumed > 0 && events.get(self.consumed - 1) != self.last_event.as_ref())
            || self.unchecked_from.as_ms() > world.now().as_ms().saturating_add(1);
        if rewound {
            *self = Monitor::new(std::mem::take(&mut self.assertions));
        }
        for event in events.iter_from(self.consumed) {
            if event.at > self.unchecked_from {
                self.check_span(self.unchecked_from, SimTime(event.at.as_ms() - 1));
                self.unchecked_from = event.at;
            }
            self.apply(world, event);
            self.consumed += 1;
        }
        self.last_event = events.get(self.consumed.wrapping_sub(1)).cloned();
        let now = world.now();
        let moment_complete = world.next_wakeup_at().is_none_or(|next| next > now);
        if moment_complete && now >= self.unchecked_from {
            self.check_span(self.unchecked_from, now);
            self.unchecked_from = SimTime(now.as_ms() + 1);
        }
    }

    /// Each assertion's running count, as of the events read (tests compare it with the
    /// world's own).
    #[cfg(all(test, feature = "discovery"))]
    pub(super) fn counts(&self) -> Vec<u32> {
        self.slots.iter().map(|slot| slot.count).collect()
    }

    /// Where each assertion stands so far.
    pub fn verdicts(&self) -> Vec<Verdict> {
        self.assertions
            .iter()
            .zip(&self.slots)
            .map(|(assertion, slot)| verdict(assertion, slot.status.clone()))
            .collect()
    }

    /// Where each assertion stands if the run ends at the last moment checked: holding
    /// becomes held; waiting becomes broken (an `always` claim that never came true) or not
    /// reached (a moment or deadline after the end).
    pub fn conclude(&self) -> Vec<Verdict> {
        let end = SimTime(self.unchecked_from.as_ms().saturating_sub(1));
        self.assertions
            .iter()
            .zip(&self.slots)
            .map(|(assertion, slot)| {
                let status = match &slot.status {
                    Status::Holding => Status::Held,
                    Status::Waiting => match assertion.claim.needs_until() {
                        Some(needs) if needs > end || self.unchecked_from == SimTime::ZERO => {
                            Status::NotReached { needs }
                        }
                        _ => match &assertion.claim {
                            Claim::Deployment {
                                service,
                                started_at,
                                outcome,
                                ..
                            } => judge_deployment(
                                &self.deployments,
                                service,
                                *started_at,
                                *outcome,
                                (end.plus_ms(1), end),
                            ),
                            Claim::Steady { service, .. } => not_steady(service, end),
                            claim => never_true(claim, end, slot.count),
                        },
                    },
                    other => other.clone(),
                };
                verdict(assertion, status)
            })
            .collect()
    }

    // ---- reading events ----------------------------------------------------------------

    fn apply(&mut self, world: &World, event: &Event) {
        // Healthy as the scheduler counts it, one rule for every reader of the log (§3.4).
        if let Some((task, change)) = world.health_count_change(&event.kind) {
            match change {
                HealthCountChange::CountsHealthy => {
                    self.change(world, task, |track| track.counted = true)
                }
                HealthCountChange::FoundUnhealthy => {
                    self.change(world, task, |track| track.unhealthy = true)
                }
            }
            return;
        }
        match &event.kind {
            EventKind::TaskPlaced { task, state, .. } => {
                self.change(world, *task, |track| {
                    track.placed = true;
                    track.state = *state;
                    track.wanted = true;
                });
                self.placed(world, *task, event.at);
            }
            EventKind::TaskStateChanged { task, to, .. } => self.change(world, *task, |track| {
                track.state = *to;
                if *to == TaskState::Stopped {
                    track.wanted = false;
                }
            }),
            EventKind::TaskStopRequested { task, .. } => {
                self.change(world, *task, |track| track.wanted = false)
            }
            EventKind::DeploymentChanged {
                service,
                deployment_id,
                rollout_state,
                reason,
                ..
            } => {
                let known = self
                    .deployments
                    .iter_mut()
                    .find(|d| d.service == service.0 && *d.id == **deployment_id);
                let track = match known {
                    Some(track) => track,
                    None => {
                        // A deployment an action starts says "in progress"; a rollback says
                        // what it rolls back to (world/deployments.rs).
                        let rollback =
                            **reason != *crate::deploy::in_progress_reason(deployment_id);
                        self.deployments.push(DeploymentTrack {
                            service: service.0,
                            id: deployment_id.to_string(),
                            created_at: event.at,
                            rollback,
                            completed_at: None,
                            failed: None,
                        });
                        self.deployments.last_mut().expect("just pushed")
                    }
                };
                match rollout_state {
                    crate::deploy::RolloutState::Completed => {
                        track.completed_at.get_or_insert(event.at);
                    }
                    crate::deploy::RolloutState::Failed => {
                        track.failed.get_or_insert((event.at, reason.to_string()));
                    }
                    crate::deploy::RolloutState::InProgress => {}
                }
            }
            EventKind::ServiceMessage {
                service,
                event: ServiceEvent::SteadyState,
            } => {
                for (assertion, slot) in self.assertions.iter().zip(&mut self.slots) {
                    if let Claim::Steady {
                        service: s,
                        deadline,
                    } = &assertion.claim
                    {
                        if s.index == service.0
                            && deadline.is_none_or(|deadline| event.at <= deadline)
                            && slot.status == Status::Waiting
                        {
                            slot.status = Status::Held;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Applies a change to a task's track and moves every count it affects.
    fn change(&mut self, world: &World, task: TaskId, edit: impl FnOnce(&mut TaskTrack)) {
        let index = task.0 as usize;
        if self.tasks.len() <= index {
            self.tasks.resize(index + 1, TaskTrack::default());
        }
        let before = self.tasks[index];
        edit(&mut self.tasks[index]);
        let after = self.tasks[index];
        for (assertion, slot) in self.assertions.iter().zip(&mut self.slots) {
            let (Claim::At { count, .. } | Claim::Always { count, .. }) = &assertion.claim else {
                continue;
            };
            let (was, is) = (
                before.in_state(count.tasks.state),
                after.in_state(count.tasks.state),
            );
            if was != is && matches_place(world, task, &count.tasks) {
                if is {
                    slot.count += 1;
                } else {
                    slot.count = slot.count.saturating_sub(1);
                }
            }
        }
    }

    /// Checks the placement claims against one placement.
    fn placed(&mut self, world: &World, task: TaskId, at: SimTime) {
        for (assertion, slot) in self.assertions.iter().zip(&mut self.slots) {
            let Claim::Placed {
                every,
                tasks,
                window,
            } = &assertion.claim
            else {
                continue;
            };
            if !window.contains(at) || matches!(slot.status, Status::Broken { .. }) {
                continue;
            }
            let ours = Tasks {
                owner: tasks.owner.clone(),
                ..Tasks::default()
            };
            if !matches_place(world, task, &ours) {
                continue;
            }
            if matches_place(world, task, tasks) != *every {
                let record = world.task(task);
                let instance = world.instance(record.instance);
                slot.status = Status::Broken {
                    at,
                    evidence: format!(
                        "at {} task {task} of {} was placed on {} ({} in {})",
                        clock_text(at),
                        match &tasks.owner {
                            Owner::Any => owner_of(world, task),
                            owner => owner.subject(),
                        },
                        instance.ec2_instance_id,
                        instance.instance_type.name,
                        instance.availability_zone
                    ),
                };
            }
        }
    }

    // ---- checking moments ----------------------------------------------------------------

    /// Checks every assertion over the moments `from..=to`, during which no event happened.
    fn check_span(&mut self, from: SimTime, to: SimTime) {
        for (assertion, slot) in self.assertions.iter().zip(&mut self.slots) {
            if matches!(
                slot.status,
                Status::Broken { .. } | Status::Held | Status::NotReached { .. }
            ) {
                continue;
            }
            match &assertion.claim {
                Claim::At { at, count } => {
                    if from <= *at && *at <= to {
                        slot.status = judge_count(count, false, slot.count, *at);
                    }
                }
                Claim::Always {
                    count,
                    negated,
                    window,
                } => {
                    let start = from.max(window.from.unwrap_or(SimTime::ZERO));
                    let end = window.until.map_or(to, |until| to.min(until));
                    if start > end {
                        continue;
                    }
                    let status = judge_count(count, *negated, slot.count, start);
                    let ok = status == Status::Held;
                    if window.from.is_some() || slot.established {
                        if !ok {
                            slot.status = status;
                            continue;
                        }
                        slot.status = Status::Holding;
                    } else if ok {
                        slot.established = true;
                        slot.status = Status::Holding;
                    }
                    if window.until.is_some_and(|until| to >= until) {
                        slot.status = if slot.status == Status::Holding {
                            Status::Held
                        } else {
                            never_true(&assertion.claim, end, slot.count)
                        };
                    }
                }
                Claim::Placed { window, .. } => {
                    if window.until.is_some_and(|until| to >= until) {
                        slot.status = Status::Held;
                    }
                }
                Claim::Deployment {
                    service,
                    started_at,
                    outcome,
                    deadline,
                } => match deadline {
                    Some(deadline) => {
                        if from <= *deadline && *deadline <= to {
                            slot.status = judge_deployment(
                                &self.deployments,
                                service,
                                *started_at,
                                *outcome,
                                (*deadline, *deadline),
                            );
                        }
                    }
                    // By the end of the run: the last deployment so far has the outcome (a
                    // later one can undo that).
                    None => {
                        let so_far = (to.plus_ms(1), to);
                        slot.status = match judge_deployment(
                            &self.deployments,
                            service,
                            *started_at,
                            *outcome,
                            so_far,
                        ) {
                            Status::Held => Status::Holding,
                            _ => Status::Waiting,
                        };
                    }
                },
                Claim::Steady { service, deadline } => {
                    if let Some(deadline) = *deadline {
                        if from <= deadline && deadline <= to {
                            slot.status = not_steady(service, deadline);
                        }
                    }
                }
            }
        }
    }
}

// ---- helpers -------------------------------------------------------------------------------

/// Per assertion: its status and running count.
#[derive(Clone, Debug)]
struct Slot {
    status: Status,
    count: u32,
    /// An `always` claim without a start has come true.
    established: bool,
}

impl Slot {
    fn new(assertion: &Assertion) -> Slot {
        let status = match assertion.claim {
            Claim::Placed { .. } => Status::Holding,
            _ => Status::Waiting,
        };
        Slot {
            status,
            count: 0,
            established: false,
        }
    }
}

/// What the counts need to know of one task, as of the events read.
#[derive(Clone, Copy, Debug)]
struct TaskTrack {
    placed: bool,
    state: TaskState,
    wanted: bool,
    counted: bool,
    unhealthy: bool,
}

impl Default for TaskTrack {
    fn default() -> TaskTrack {
        TaskTrack {
            placed: false,
            state: TaskState::Provisioning,
            wanted: false,
            counted: false,
            unhealthy: false,
        }
    }
}

impl TaskTrack {
    fn in_state(&self, filter: StateFilter) -> bool {
        match filter {
            StateFilter::Live => self.placed && self.state != TaskState::Stopped,
            StateFilter::Healthy => self.wanted && self.counted && !self.unhealthy,
            StateFilter::State(state) => self.placed && self.state == state,
        }
    }
}

/// One deployment as its events showed it.
#[derive(Clone, Debug)]
struct DeploymentTrack {
    service: u32,
    id: String,
    created_at: SimTime,
    rollback: bool,
    completed_at: Option<SimTime>,
    failed: Option<(SimTime, String)>,
}

impl Window {
    fn contains(&self, at: SimTime) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at <= until)
    }
}

/// Whether the task belongs to the owner and sits where the filter says (its state aside).
/// Reads only what never changes about a task (service, revision, group, instance).
fn matches_place(world: &World, task: TaskId, tasks: &Tasks) -> bool {
    let Some(record) = world.tasks().get(task.0 as usize) else {
        return false;
    };
    let owner = match &tasks.owner {
        Owner::Any => true,
        Owner::Service(service) => record.service.is_some_and(|s| s.0 == service.index),
        Owner::Family(family) => *record.task_definition.family == **family,
        Owner::Group(group) => record.group == *group,
    };
    if !owner {
        return false;
    }
    if tasks.zone.is_none() && tasks.instance_type.is_none() {
        return true;
    }
    let instance = world.instance(record.instance);
    tasks
        .zone
        .as_ref()
        .is_none_or(|zone| instance.availability_zone == *zone)
        && tasks
            .instance_type
            .as_ref()
            .is_none_or(|name| instance.instance_type.name == name)
}

/// `web`, `family batch`: what evidence calls a task's owner.
fn owner_of(world: &World, task: TaskId) -> String {
    let record = world.task(task);
    match record.service {
        Some(service) => world.service(service).name.clone(),
        None => format!("family {}", record.task_definition.family),
    }
}

/// Held, or broken at `at` with the count as evidence ("at 2:14 web had 1 healthy task
/// (needs ≥ 2)").
fn judge_count(count: &Count, negated: bool, value: u32, at: SimTime) -> Status {
    let comparison = effective(count, negated);
    if comparison.holds(value, count.number) {
        return Status::Held;
    }
    Status::Broken {
        at,
        evidence: format!(
            "at {} {} had {} (needs {} {})",
            clock_text(at),
            count.tasks.owner.subject(),
            tasks_phrase(&count.tasks, value),
            comparison.symbol(),
            count.number
        ),
    }
}

/// The comparison an `always`/`never` count must satisfy at every moment.
fn effective(count: &Count, negated: bool) -> Comparison {
    if negated {
        count.comparison.negation()
    } else {
        count.comparison
    }
}

/// An `always` claim that never came true, broken at the end of its span.
fn never_true(claim: &Claim, end: SimTime, value: u32) -> Status {
    let evidence = match claim {
        Claim::Always { count, negated, .. } => {
            let comparison = effective(count, *negated);
            format!(
                "up to {} {} never had {} {} (it had {})",
                clock_text(end),
                count.tasks.owner.subject(),
                comparison.words(),
                tasks_phrase(&count.tasks, count.number),
                value
            )
        }
        _ => format!("not decided by {}", clock_text(end)),
    };
    Status::Broken { at: end, evidence }
}

/// `1 healthy task`, `2 tasks RUNNING in us-east-1a`.
fn tasks_phrase(tasks: &Tasks, value: u32) -> String {
    let mut text = value.to_string();
    if tasks.state == StateFilter::Healthy {
        text.push_str(" healthy");
    }
    text.push_str(if value == 1 { " task" } else { " tasks" });
    if let StateFilter::State(state) = tasks.state {
        text.push(' ');
        text.push_str(state.as_str());
    }
    if let Some(zone) = &tasks.zone {
        text.push_str(&format!(" in {zone}"));
    }
    if let Some(instance_type) = &tasks.instance_type {
        text.push_str(&format!(" on {instance_type} instances"));
    }
    text
}

/// `web had not reached a steady state by 2:00`.
fn not_steady(service: &super::Named, by: SimTime) -> Status {
    Status::Broken {
        at: by,
        evidence: format!(
            "{} had not reached a steady state by {}",
            service.name,
            clock_text(by)
        ),
    }
}

/// The deployment a claim is about — the last one an action started before `started_before`
/// (or the one started at `started_at`) — and whether it had the outcome by `deadline`.
fn judge_deployment(
    deployments: &[DeploymentTrack],
    service: &super::Named,
    started_at: Option<SimTime>,
    outcome: Outcome,
    (started_before, deadline): (SimTime, SimTime),
) -> Status {
    let broken = |evidence: String| Status::Broken {
        at: deadline,
        evidence,
    };
    let candidate = deployments.iter().rfind(|d| {
        d.service == service.index
            && !d.rollback
            && match started_at {
                Some(at) => d.created_at == at,
                // The last one started before the deadline: one started at it cannot be done.
                None => d.created_at < started_before,
            }
    });
    let Some(deployment) = candidate else {
        return broken(match started_at {
            Some(at) => format!(
                "no deployment of {} started at {}",
                service.name,
                clock_text(at)
            ),
            None => format!(
                "no deployment of {} had started by {}",
                service.name,
                clock_text(deadline)
            ),
        });
    };
    let name = format!(
        "the deployment of {} started at {} ({})",
        service.name,
        clock_text(deployment.created_at),
        deployment.id
    );
    let completed = deployment.completed_at.filter(|at| *at <= deadline);
    let failed = deployment.failed.as_ref().filter(|(at, _)| *at <= deadline);
    match (outcome, completed, failed) {
        (Outcome::Completes, Some(_), _) | (Outcome::Fails, _, Some(_)) => Status::Held,
        (Outcome::Completes, None, Some((at, reason))) => {
            broken(format!("{name} FAILED at {}: {reason}", clock_text(*at)))
        }
        (Outcome::Fails, Some(at), None) => {
            broken(format!("{name} COMPLETED at {}", clock_text(at)))
        }
        _ => broken(format!(
            "at {} {name} was still IN_PROGRESS",
            clock_text(deadline)
        )),
    }
}

fn verdict(assertion: &Assertion, status: Status) -> Verdict {
    Verdict {
        label: assertion.label(),
        sentence: assertion.claim.to_string(),
        status,
    }
}
