//! Scoring a game day's run: a pure function of the game day and the world at the run's end,
//! read from the event log (nothing is recorded for it during the run). Three kinds of loss:
//!
//! - availability: from `scoring.from` to the end, every stretch of time a required service
//!   had fewer healthy tasks than required (healthy as the scheduler counts it toward
//!   minimumHealthyPercent: `core::progress`'s count, §3.4) costs
//!   `pointsPerMissingTaskMinute` for each missing task and minute;
//! - failed launches: each task of a required service that failed before it ever counted
//!   healthy — stopped with ECS's stop code `TaskFailedToStart` or `EssentialContainerExited`,
//!   or found UNHEALTHY by its container health checks — and each "was unable to place a
//!   task" service event (ECS logs one per cause, not per retry) costs
//!   `pointsPerFailedLaunch`; losses of one kind, service and campaign moment are grouped;
//! - cost: each instance type's hours, from registration until the instance was terminated or
//!   the run ended, cost `pointsPerInstanceHour` of the type.
//!
//! Each loss is rounded up to whole points (any shortfall costs at least one), and the total
//! is the game day's points less every loss, never below zero. Each loss carries the moment it
//! began and ended and one sentence saying what happened, after which campaign moment.

use super::check::{GameDay, Moment};
use crate::assertions::clock_text;
use crate::event::{EventKind, ServiceEvent};
use crate::health::TaskHealth;
use crate::progress::{progress, Window};
use crate::task::StopCode;
use crate::time::SimTime;
use crate::world::World;

/// The result of a run: points kept out of the game day's, and every loss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub total: u32,
    pub out_of: u32,
    /// Availability and failed launches in the order they began, then the cost.
    pub losses: Vec<Loss>,
    /// The score a run must reach to pass, if the game day sets one.
    pub pass_score: Option<u32>,
}

impl Score {
    /// Whether the run passed, when the game day sets a pass score.
    pub fn passed(&self) -> Option<bool> {
        self.pass_score.map(|pass| self.total >= pass)
    }

    /// Points lost to each kind, in [`LossKind::ALL`]'s order.
    pub fn lost_by_kind(&self) -> [u32; 3] {
        LossKind::ALL.map(|kind| {
            self.losses
                .iter()
                .filter(|loss| loss.kind == kind)
                .map(|loss| loss.points)
                .sum()
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LossKind {
    Availability,
    FailedLaunch,
    Cost,
}

impl LossKind {
    pub const ALL: [LossKind; 3] = [
        LossKind::Availability,
        LossKind::FailedLaunch,
        LossKind::Cost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LossKind::Availability => "availability",
            LossKind::FailedLaunch => "failed launches",
            LossKind::Cost => "cost",
        }
    }
}

/// Points lost, when, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    pub kind: LossKind,
    pub points: u32,
    /// When it began (the moment to jump to) and ended.
    pub from: SimTime,
    pub until: SimTime,
    /// One sentence: what happened, after which campaign moment.
    pub cause: String,
}

impl Loss {
    /// `2:10–3:40`, or `2:10` for a moment.
    pub fn when(&self) -> String {
        if self.from == self.until {
            clock_text(self.from)
        } else {
            format!(
                "{}\u{2013}{}",
                clock_text(self.from),
                clock_text(self.until)
            )
        }
    }

    /// `2:10–3:40  −12  availability: 1 of 3 … (after "us-east-1a lost")`, as the CLI prints it.
    pub fn line(&self) -> String {
        format!(
            "{}  \u{2212}{}  {}: {}",
            self.when(),
            self.points,
            self.kind.as_str(),
            self.cause
        )
    }
}

/// The score of `world`'s run so far under `gameday`'s scoring.
pub fn score(gameday: &GameDay, world: &World) -> Score {
    let scoring = &gameday.scoring;
    let end = world.now();
    let mut losses = Vec::new();
    for required in &scoring.required {
        availability(gameday, world, required, end, &mut losses);
    }
    failed_launches(gameday, world, &mut losses);
    crate::compact::sort_by_key(&mut losses, |loss| (loss.from, loss.kind));
    cost(gameday, world, end, &mut losses);
    let lost: u64 = losses.iter().map(|loss| u64::from(loss.points)).sum();
    Score {
        total: u64::from(scoring.points).saturating_sub(lost) as u32,
        out_of: scoring.points,
        losses,
        pass_score: scoring.pass_score,
    }
}

/// Whole points for `units × rate / per`, rounded up.
fn points_for(units: u64, rate: u32, per: u64) -> u32 {
    let points = (u128::from(units) * u128::from(rate)).div_ceil(u128::from(per));
    u32::try_from(points).unwrap_or(u32::MAX)
}

/// ` (after "Lose a zone")`, or ` (before the campaign)`: the last moment at or before `at`.
fn after(campaign: &[Moment], at: SimTime) -> String {
    match campaign.iter().rev().find(|moment| moment.at <= at) {
        Some(moment) => format!(" (after \u{201c}{}\u{201d})", moment.name),
        None => " (before the campaign)".into(),
    }
}

const MINUTE_MS: u64 = 60_000;
const HOUR_MS: u64 = 3_600_000;

fn availability(
    gameday: &GameDay,
    world: &World,
    required: &super::shape::Required,
    end: SimTime,
    losses: &mut Vec<Loss>,
) {
    let Some(service) = world.services().iter().find(|s| s.name == required.service) else {
        return;
    };
    let from = gameday.scoring.from;
    // One sample per moment: as many spans as the run has milliseconds.
    let window = Window {
        service: service.id,
        from: SimTime::ZERO,
        until: end,
        minimum_healthy_percent: 0,
        maximum_percent: 200,
    };
    let spans = usize::try_from(end.as_ms().saturating_add(2)).unwrap_or(usize::MAX);
    let samples = progress(&window, world, spans).samples;
    let need = required.healthy_tasks;
    // The stretch below required being built: start, fewest healthy, missing task-ms.
    let mut open: Option<(SimTime, u32, u64)> = None;
    let mut close = |open: &mut Option<(SimTime, u32, u64)>, at: SimTime| {
        if let Some((start, fewest, missing_ms)) = open.take() {
            let points = points_for(
                missing_ms,
                gameday.scoring.points_per_missing_task_minute,
                MINUTE_MS,
            );
            let missing = need - fewest;
            let until_end = if at == end { ", until the end" } else { "" };
            losses.push(Loss {
                kind: LossKind::Availability,
                points,
                from: start,
                until: at,
                cause: format!(
                    "{} {missing} of {need} required healthy tasks of {} missing{until_end}{}",
                    if fewest + 1 == need { "" } else { "up to" },
                    required.service,
                    after(&gameday.campaign, start)
                )
                .trim_start()
                .to_string(),
            });
        }
    };
    for (index, sample) in samples.iter().enumerate() {
        let next = samples.get(index + 1).map_or(end, |s| s.at).min(end);
        let start = sample.at.max(from);
        if next <= start {
            continue;
        }
        let healthy = sample.healthy;
        if healthy >= need {
            close(&mut open, start);
            continue;
        }
        let span_ms = next.as_ms() - start.as_ms();
        let missing = u64::from(need - healthy);
        let entry = open.get_or_insert((start, healthy, 0));
        entry.1 = entry.1.min(healthy);
        entry.2 += missing * span_ms;
    }
    close(&mut open, end);
}

fn failed_launches(gameday: &GameDay, world: &World, losses: &mut Vec<Loss>) {
    let required: Vec<&str> = (gameday.scoring.required.iter())
        .map(|r| r.service.as_str())
        .collect();
    let scored = |service: Option<crate::service::ServiceId>| {
        service.is_some_and(|id| required.contains(&world.service(id).name.as_str()))
    };
    let mut ever_healthy = vec![false; world.tasks().len()];
    // Groups: (service, what happened, campaign moment) → count, first, last, first line.
    let mut groups: Vec<(String, &'static str, usize, u32, SimTime, SimTime, String)> = Vec::new();
    for event in world.events().iter() {
        let (service, what, line) = match &event.kind {
            EventKind::TaskCountsHealthy { task }
            | EventKind::TaskHealthChanged {
                task,
                health: TaskHealth::Healthy,
            } => {
                ever_healthy[task.0 as usize] = true;
                continue;
            }
            EventKind::TaskStopRequested {
                task,
                stop_code: code @ (StopCode::TaskFailedToStart | StopCode::EssentialContainerExited),
                ..
            } if !ever_healthy[task.0 as usize] && scored(world.task(*task).service) => {
                let what = match code {
                    StopCode::TaskFailedToStart => "failed to start (TaskFailedToStart)",
                    _ => "exited before it was healthy (EssentialContainerExited)",
                };
                (world.task(*task).service, what, String::new())
            }
            EventKind::TaskHealthChanged {
                task,
                health: TaskHealth::Unhealthy,
            } if !ever_healthy[task.0 as usize] && scored(world.task(*task).service) => (
                world.task(*task).service,
                "failed its container health checks",
                String::new(),
            ),
            EventKind::ServiceMessage {
                service,
                event: ServiceEvent::UnableToPlace { closest },
            } if scored(Some(*service)) => {
                // ECS's reason, without the event's opening words (said by `what`).
                let why = match closest.as_deref() {
                    Some((instance, rejection)) => {
                        rejection.service_event_sentence(&world.instance(*instance).ec2_instance_id)
                    }
                    None => "No Container Instances were found in your cluster.".into(),
                };
                (Some(*service), "could not be placed", why)
            }
            _ => continue,
        };
        let name = service.map_or(String::new(), |id| world.service(id).name.clone());
        let moment = gameday
            .campaign
            .iter()
            .rposition(|m| m.at <= event.at)
            .map_or(0, |i| i + 1);
        match groups
            .iter_mut()
            .find(|g| g.0 == name && g.1 == what && g.2 == moment)
        {
            Some(group) => {
                group.3 += 1;
                group.5 = event.at;
            }
            None => groups.push((name, what, moment, 1, event.at, event.at, line)),
        }
    }
    for (service, what, _, count, first, last, line) in groups {
        let (tasks, times) = match count {
            1 => ("a task".to_string(), String::new()),
            n if what == "could not be placed" => ("a task".to_string(), format!(" ({n} times)")),
            n => (format!("{n} tasks"), String::new()),
        };
        // ECS's reason, when it gave one (the first time), in its words.
        let why = if line.is_empty() {
            String::new()
        } else {
            format!(" \u{2014} \u{201c}{line}\u{201d}")
        };
        losses.push(Loss {
            kind: LossKind::FailedLaunch,
            points: count.saturating_mul(gameday.scoring.points_per_failed_launch),
            from: first,
            until: last,
            cause: format!(
                "{tasks} of {service} {what}{times}{why}{}",
                after(&gameday.campaign, first)
            ),
        });
    }
}

fn cost(gameday: &GameDay, world: &World, end: SimTime, losses: &mut Vec<Loss>) {
    // Per instance: registered at, terminated at.
    let mut spans: Vec<(SimTime, Option<SimTime>)> = vec![(end, None); world.instances().len()];
    for event in world.events().iter() {
        match &event.kind {
            EventKind::InstanceRegistered { instance } => {
                spans[instance.0 as usize].0 = event.at;
            }
            EventKind::InstanceStatusChanged {
                instance,
                status: crate::cluster::InstanceStatus::Inactive,
            } => spans[instance.0 as usize].1 = Some(event.at),
            _ => {}
        }
    }
    for (name, rate) in &gameday.scoring.points_per_instance_hour {
        let (mut count, mut lost, mut ms) = (0_u32, 0_u32, 0_u64);
        for (instance, (from, until)) in world.instances().iter().zip(&spans) {
            if instance.instance_type.name != name {
                continue;
            }
            count += 1;
            lost += u32::from(until.is_some());
            ms += until.unwrap_or(end).as_ms().saturating_sub(from.as_ms());
        }
        if count == 0 {
            continue;
        }
        let hundredths = ms * 100 / HOUR_MS;
        let terminated = match lost {
            0 => String::new(),
            n => format!(", {n} of them terminated during the run"),
        };
        losses.push(Loss {
            kind: LossKind::Cost,
            points: points_for(ms, *rate, HOUR_MS),
            from: SimTime::ZERO,
            until: end,
            cause: format!(
                "{count} {name} instance{} ran {}.{:02} instance-hours at {rate} points an hour{terminated}",
                if count == 1 { "" } else { "s" },
                hundredths / 100,
                hundredths % 100
            ),
        });
    }
}
