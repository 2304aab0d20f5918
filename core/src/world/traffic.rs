//! Traffic on the World: the `TrafficWorld` sub-state (the compiled plan, the traffic tick's
//! state, the traffic RNG stream, stable ids for targets and the Route 53 weight history) and
//! the 1 s `WakeupKind::TrafficTick` that runs `traffic::tick` over a `RoutingSnapshot` built
//! from the discovery model. Present only when the scenario has `traffic`: a world without it
//! schedules no tick and draws nothing, so its trace is unchanged.
//!
//! The snapshot is built cheaply every second: its static parts (routes, record sets, rules,
//! forwards, revisions) once, then each second only the members of each target group and the
//! state of their targets are rewritten into vectors that keep their capacity (no allocation
//! in steady state). Target ids are stable for the run: the traffic state's per-target vectors
//! are indexed by them (one per task and target group, never reused).
//!
//! Trace: a hazard interval is recorded when it opens (its cause) and when it closes (its
//! cause, its length and the requests affected), from what the tick observed; one line per
//! simulated minute sums every route's requests by outcome. Names in those lines come from
//! ids that never change.

use super::*;
use crate::discovery::{TargetGroupId, TargetHealthState};
use crate::event::TrafficEvent;
use crate::rng::{SimRng, Stream};
use crate::traffic::dns_cache::{ClientClass, RecordVersion};
use crate::traffic::flow::{self, Answer, RoutingSnapshot, TargetState};
use crate::traffic::hazards::{Hazard, HazardCause, HazardNames};
use crate::traffic::plan::{PlannedRecordSet, TrafficPlan};
use crate::traffic::{tick, TrafficState};

/// The traffic tick's period.
pub const TRAFFIC_TICK_MS: u64 = 1_000;

/// Traffic's sub-state of a world.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TrafficWorld {
    plan: TrafficPlan,
    state: TrafficState,
    rng: SimRng,
    /// Per task id: the traffic id of its first target (one per `loadBalancers[]` entry of
    /// its service, consecutive), `u32::MAX` before it has one.
    target_base: Vec<u32>,
    /// Per traffic target id: which task in which target group.
    targets: Vec<TargetKey>,
    /// Route 53 weight versions after time zero: (record set, since, weights).
    weight_changes: Vec<(u32, SimTime, Vec<u8>)>,
    /// Targets no longer registered whose snapshot entry is set to gone next second.
    lingering: Vec<u32>,
    /// Revisions in the order the snapshot indexes them.
    revisions: Vec<TaskDefinitionRef>,
    /// Hazards closed so far (position in the tracker's closed log) and open ones already
    /// recorded as opened.
    closed_seen: u64,
    /// Requests by outcome in the current minute, for its trace line.
    minute: MinuteTotals,
    /// The snapshot's live part between seconds (swapped into `snapshot` during a tick, so a
    /// world snapshot carries each target's state and since when).
    live_targets: Vec<flow::Target>,
    live_members: Vec<u32>,
    #[serde(skip)]
    snapshot: RoutingSnapshot,
    #[serde(skip)]
    built: bool,
    /// Per target: the second it was last a member (finds last second's members now gone).
    #[serde(skip)]
    seen_second: Vec<u32>,
    /// Last second's member list, reused as next second's (no allocation per second).
    #[serde(skip)]
    spare_members: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetKey {
    pub task: TaskId,
    pub target_group: TargetGroupId,
    /// Index into the revisions list.
    pub revision: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MinuteTotals {
    minute: u32,
    requests: u64,
    count_2xx: u64,
    target_5xx: u64,
    elb_5xx: u64,
    dns_failures: u64,
}

impl TrafficWorld {
    pub(super) fn new(plan: &TrafficPlan, seed: u64) -> TrafficWorld {
        TrafficWorld {
            plan: plan.clone(),
            state: TrafficState::default(),
            rng: SimRng::stream(seed, Stream::Traffic),
            target_base: Vec::new(),
            targets: Vec::new(),
            weight_changes: Vec::new(),
            lingering: Vec::new(),
            revisions: Vec::new(),
            closed_seen: 0,
            minute: MinuteTotals::default(),
            live_targets: Vec::new(),
            live_members: Vec::new(),
            snapshot: RoutingSnapshot::default(),
            built: false,
            seen_second: Vec::new(),
            spare_members: Vec::new(),
        }
    }

    /// The resolved plan: routes (entry points, then calls), record sets, rules.
    pub fn plan(&self) -> &TrafficPlan {
        &self.plan
    }

    /// The tick's state: per-minute counters (`state().counters`), hazards
    /// (`state().hazards`), per-target load.
    pub fn state(&self) -> &TrafficState {
        &self.state
    }

    /// Which task in which target group a traffic target id (as in counters and hazards) is.
    pub fn target(&self, id: u32) -> Option<TargetKey> {
        self.targets.get(id as usize).copied()
    }

    /// The traffic target id of `task`'s target in its service's `index`-th target group.
    pub fn target_id(&self, task: TaskId, index: u32) -> Option<u32> {
        match self.target_base.get(task.0 as usize) {
            Some(&base) if base != u32::MAX => Some(base + index),
            _ => None,
        }
    }

    /// The current weights of record set `record_set` (one per answer).
    pub fn record_weights(&self, record_set: u32) -> &[u8] {
        self.weight_changes
            .iter()
            .rev()
            .find(|(set, _, _)| *set == record_set)
            .map(|(_, _, weights)| weights.as_slice())
            .unwrap_or(&self.plan.record_sets[record_set as usize].weights)
    }

    /// Per answer of record set `record_set` (the plan's order): the share of requests that
    /// resolve it at `now`, cached answers included — what clients follow after a weight change,
    /// computed as the tick computes it (`dns_cache::answer_shares`). Empty for an unknown set.
    pub fn answer_shares_at(&self, record_set: u32, now: SimTime) -> Vec<f64> {
        let Some((set, versions, weights)) = self.record_versions(record_set) else {
            return Vec::new();
        };
        let mut scratch = vec![0.0; versions.len()];
        let mut shares = vec![0.0; set.answers.len()];
        crate::traffic::dns_cache::answer_shares(
            now.0,
            &versions,
            &weights,
            set.ttl_ms,
            self.plan.clients,
            &mut scratch,
            &mut shares,
        );
        shares
    }

    /// How the clients of record set `record_set` follow it at `now`: per class of clients
    /// (those that keep an answer for its TTL, those that keep it longer), how old a cached
    /// answer gets and how many already have the current weights; with the moment the weights
    /// last changed before `now`, if they did. `None` for an unknown set.
    pub fn clients_at(
        &self,
        record_set: u32,
        now: SimTime,
    ) -> Option<([ClientClass; 2], Option<SimTime>)> {
        let (set, versions, _) = self.record_versions(record_set)?;
        let classes = crate::traffic::dns_cache::client_classes(
            now.0,
            &versions,
            set.ttl_ms,
            self.plan.clients,
        );
        let changed = versions
            .iter()
            .skip(1)
            .map(|version| SimTime(version.since_ms))
            .rfind(|since| *since <= now);
        Some((classes, changed))
    }

    /// Record set `record_set`'s versions of its weights (time zero's, then each change) and
    /// their weights, as `dns_cache` reads them.
    fn record_versions(
        &self,
        record_set: u32,
    ) -> Option<(&PlannedRecordSet, Vec<RecordVersion>, Vec<u8>)> {
        let set = self.plan.record_sets.get(record_set as usize)?;
        let (mut versions, mut weights) = (Vec::new(), Vec::new());
        let changes = self
            .weight_changes
            .iter()
            .filter(|(s, _, _)| *s == record_set);
        for (since, version) in std::iter::once((SimTime::ZERO, &set.weights))
            .chain(changes.map(|(_, since, version)| (*since, version)))
        {
            versions.push(RecordVersion {
                since_ms: since.0,
                weights_start: weights.len() as u32,
                weights_len: version.len() as u32,
            });
            weights.extend_from_slice(version);
        }
        Some((set, versions, weights))
    }

    /// Heap bytes held per-target and per-route (not the counters' history).
    pub fn heap_bytes(&self) -> usize {
        use core::mem::size_of;
        self.state.heap_bytes()
            + self.target_base.capacity() * 4
            + self.targets.capacity() * size_of::<TargetKey>()
            + (self.snapshot.targets.capacity() + self.live_targets.capacity())
                * size_of::<flow::Target>()
            + (self.snapshot.members.capacity()
                + self.live_members.capacity()
                + self.spare_members.capacity())
                * 4
            + self.seen_second.capacity() * 4
            + self.snapshot.groups.capacity() * size_of::<flow::TargetGroup>()
            + self.snapshot.routes.capacity() * size_of::<flow::Route>()
    }

    /// Names for hazard causes and counters (they never change during a run).
    pub fn names<'a>(&'a self, world: &'a World) -> TrafficNames<'a> {
        TrafficNames {
            traffic: self,
            world,
        }
    }
}

/// Names for traffic ids, read from ids that never change.
pub struct TrafficNames<'a> {
    traffic: &'a TrafficWorld,
    world: &'a World,
}

impl HazardNames for TrafficNames<'_> {
    fn target(&self, target: u32) -> String {
        match self.traffic.target(target) {
            Some(key) => format!("of task {} in {}", key.task, self.group(key.target_group.0)),
            None => format!("#{target}"),
        }
    }

    fn group(&self, group: u32) -> String {
        self.world
            .discovery()
            .config()
            .target_groups
            .get(group as usize)
            .map_or_else(|| format!("#{group}"), |g| g.name.clone())
    }

    fn record_set(&self, record_set: u32) -> String {
        self.traffic
            .plan
            .record_sets
            .get(record_set as usize)
            .map_or_else(|| format!("#{record_set}"), |s| s.name.clone())
    }

    fn answer(&self, record_set: u32, answer: u32) -> String {
        self.traffic
            .plan
            .record_sets
            .get(record_set as usize)
            .and_then(|s| s.answers.get(answer as usize))
            .map_or_else(|| format!("#{answer}"), |a| a.label.clone())
    }
}

impl World {
    /// Traffic's sub-state, when the scenario has `traffic`: the plan, per-minute counters
    /// (`traffic().state().counters`), hazards (`traffic().state().hazards`) and names.
    pub fn traffic(&self) -> Option<&TrafficWorld> {
        self.traffic.as_deref()
    }

    /// A hazard's cause in one sentence, with the world's names.
    pub fn hazard_sentence(&self, cause: &HazardCause) -> String {
        match self.traffic() {
            Some(traffic) => cause.sentence(&traffic.names(self)),
            None => String::new(),
        }
    }

    /// Starts traffic: the first tick at 1 s.
    pub(super) fn start_traffic(&mut self, plan: &TrafficPlan, seed: u64) {
        self.traffic = Some(Box::new(TrafficWorld::new(plan, seed)));
        self.schedule(SimTime(TRAFFIC_TICK_MS), WakeupKind::TrafficTick);
    }

    /// Sets record set `name`'s weights (by set identifier) from now on; clients follow as
    /// their cached answers expire. Err: what is wrong, in words.
    pub(super) fn change_record_weight(
        &mut self,
        name: &str,
        set_identifier: &str,
        weight: u32,
    ) -> Result<(), String> {
        let now = self.now;
        let Some(traffic) = self.traffic.as_mut() else {
            return Err("the scenario has no traffic".into());
        };
        let wanted = name.trim_end_matches('.').to_ascii_lowercase();
        let Some(set) = traffic
            .plan
            .record_sets
            .iter()
            .position(|s| s.name == wanted)
        else {
            return Err(format!("no traffic goes through a Route 53 name {wanted}"));
        };
        let Some(answer) = traffic.plan.record_sets[set]
            .answers
            .iter()
            .position(|a| a.label == set_identifier)
        else {
            return Err(format!(
                "{wanted} has no record with set identifier {set_identifier}"
            ));
        };
        if weight > 255 {
            return Err(format!("a weight is from 0 to 255, found {weight}"));
        }
        let mut weights = traffic.record_weights(set as u32).to_vec();
        let from = weights[answer];
        weights[answer] = weight as u8;
        traffic.weight_changes.push((set as u32, now, weights));
        traffic.built = false;
        self.record(EventKind::Traffic(TrafficEvent::WeightChanged {
            record_set: set as u32,
            answer: answer as u32,
            from,
            to: weight as u8,
        }));
        Ok(())
    }

    /// One second of traffic: rebuild the snapshot's live part, tick, record what opened,
    /// closed and (at a minute's end) the minute's totals; schedule the next second.
    pub(super) fn traffic_tick(&mut self) {
        let Some(mut traffic) = self.traffic.take() else {
            return;
        };
        if !traffic.built {
            self.build_static(&mut traffic);
        }
        std::mem::swap(&mut traffic.live_targets, &mut traffic.snapshot.targets);
        std::mem::swap(&mut traffic.live_members, &mut traffic.snapshot.members);
        self.refresh_targets(&mut traffic);
        let now = self.now;
        let minute = (now.0 / 60_000) as u32;
        if minute != traffic.minute.minute && traffic.minute.requests > 0 {
            let totals = traffic.minute;
            self.record(EventKind::Traffic(TrafficEvent::Minute {
                minute: totals.minute,
                requests: totals.requests,
                count_2xx: totals.count_2xx,
                target_5xx: totals.target_5xx,
                elb_5xx: totals.elb_5xx,
                dns_failures: totals.dns_failures,
            }));
        }
        if minute != traffic.minute.minute {
            traffic.minute = MinuteTotals {
                minute,
                ..MinuteTotals::default()
            };
        }
        let open_before = traffic.state.hazards.open().len();
        let summary = tick(now, &traffic.snapshot, &mut traffic.state, &mut traffic.rng);
        std::mem::swap(&mut traffic.live_targets, &mut traffic.snapshot.targets);
        std::mem::swap(&mut traffic.live_members, &mut traffic.snapshot.members);
        let totals = &mut traffic.minute;
        totals.requests += summary.requests;
        totals.count_2xx += summary.count_2xx;
        totals.target_5xx += summary.target_5xx;
        totals.elb_5xx += summary.elb_5xx;
        totals.dns_failures += summary.dns_failures;
        // Closed since last second (in the order they closed), then newly opened.
        let closed = traffic.state.hazards.closed();
        let closed_now: Vec<Hazard> = closed
            .iter_from(traffic.closed_seen as usize)
            .copied()
            .collect();
        traffic.closed_seen = closed.len() as u64;
        let second = now.0 / 1_000;
        let opened: Vec<Hazard> = if open_before != traffic.state.hazards.open().len()
            || traffic
                .state
                .hazards
                .open()
                .iter()
                .any(|h| h.start_s == second)
        {
            traffic
                .state
                .hazards
                .open()
                .iter()
                .filter(|h| h.start_s == second)
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        self.traffic = Some(traffic);
        for hazard in closed_now {
            self.record(EventKind::Traffic(TrafficEvent::HazardClosed { hazard }));
        }
        for hazard in opened {
            self.record(EventKind::Traffic(TrafficEvent::HazardOpened {
                cause: hazard.cause,
                requests: hazard.requests,
            }));
        }
        // Assumption (ASSUMPTIONS.md, traffic on the world): the tick never stops, past the
        // horizon too (the app runs past it); a world with traffic is never idle.
        self.schedule(SimTime(now.0 + TRAFFIC_TICK_MS), WakeupKind::TrafficTick);
    }

    /// The snapshot's static part: routes, record sets with their weight history, rules,
    /// forwards, groups' settings, clients.
    fn build_static(&self, traffic: &mut TrafficWorld) {
        let plan = &traffic.plan;
        let snapshot = &mut traffic.snapshot;
        snapshot.routes = plan
            .routes
            .iter()
            .map(|route| flow::Route {
                entry: route.entry,
                rate: route.rate,
            })
            .collect();
        snapshot.record_sets.clear();
        snapshot.answers.clear();
        snapshot.record_versions.clear();
        snapshot.record_weights.clear();
        for (index, set) in plan.record_sets.iter().enumerate() {
            let answers_start = snapshot.answers.len() as u32;
            snapshot
                .answers
                .extend(set.answers.iter().map(|a| Answer::Rule(a.rule)));
            let versions_start = snapshot.record_versions.len() as u32;
            let mut push_version = |since: SimTime, weights: &[u8]| {
                snapshot.record_versions.push(RecordVersion {
                    since_ms: since.0,
                    weights_start: snapshot.record_weights.len() as u32,
                    weights_len: weights.len() as u32,
                });
                snapshot.record_weights.extend_from_slice(weights);
            };
            push_version(SimTime::ZERO, &set.weights);
            for (_, since, weights) in traffic
                .weight_changes
                .iter()
                .filter(|(s, _, _)| *s as usize == index)
            {
                push_version(*since, weights);
            }
            snapshot.record_sets.push(flow::RecordSet {
                ttl_ms: set.ttl_ms,
                answers_start,
                answers_len: set.answers.len() as u32,
                versions_start,
                versions_len: snapshot.record_versions.len() as u32 - versions_start,
            });
        }
        snapshot.rules.clear();
        snapshot.forwards.clear();
        for rule in &plan.rules {
            snapshot.rules.push(flow::Rule {
                forwards_start: snapshot.forwards.len() as u32,
                forwards_len: rule.forwards.len() as u32,
            });
            snapshot
                .forwards
                .extend(rule.forwards.iter().map(|&(group, weight)| flow::Forward {
                    group: group.0,
                    weight,
                }));
        }
        snapshot.groups = self
            .discovery
            .config()
            .target_groups
            .iter()
            .map(|group| flow::TargetGroup {
                members_start: 0,
                members_len: 0,
                algorithm: match group.algorithm {
                    crate::discovery::Algorithm::RoundRobin => flow::Algorithm::RoundRobin,
                    crate::discovery::Algorithm::LeastOutstandingRequests => {
                        flow::Algorithm::LeastOutstandingRequests
                    }
                },
                slow_start_ms: group.slow_start_ms,
                deleted: false,
            })
            .collect();
        snapshot.clients = plan.clients;
        snapshot.revisions = traffic
            .revisions
            .iter()
            .map(|r| self.traffic_behaviour(r))
            .collect();
        traffic.seen_second.resize(traffic.targets.len(), u32::MAX);
        traffic.built = true;
    }

    fn traffic_behaviour(
        &self,
        revision: &TaskDefinitionRef,
    ) -> crate::traffic::revision::TrafficBehaviour {
        self.behaviours
            .get(revision)
            .map(|b| b.traffic)
            .unwrap_or_default()
    }

    /// The snapshot's live part: each group's members and their targets' states.
    fn refresh_targets(&self, traffic: &mut TrafficWorld) {
        let now_ms = self.now.0;
        for id in std::mem::take(&mut traffic.lingering) {
            let target = &mut traffic.snapshot.targets[id as usize];
            if target.state == TargetState::Draining && target.draining_until_ms + 1_000 > now_ms {
                traffic.lingering.push(id);
            } else {
                target.state = TargetState::Gone;
            }
        }
        // Last second's members: those not seen again this second linger, then go.
        let second = (now_ms / 1_000) as u32;
        let mut members = std::mem::take(&mut traffic.spare_members);
        members.clear();
        let config = self.discovery.config();
        for group_index in 0..config.target_groups.len() {
            let group_id = TargetGroupId(group_index as u32);
            let delay_ms = config.target_groups[group_index].deregistration_delay_ms;
            let start = members.len() as u32;
            for target in self.discovery.targets(group_id) {
                let id = self.traffic_target_id(traffic, target.task, group_id);
                let task = &self.tasks[target.task.0 as usize];
                let state = match target.state() {
                    TargetHealthState::Initial => TargetState::Initial,
                    TargetHealthState::Healthy => TargetState::Healthy,
                    TargetHealthState::Unhealthy => TargetState::Unhealthy,
                    TargetHealthState::Draining => TargetState::Draining,
                };
                let entry = &mut traffic.snapshot.targets[id as usize];
                if entry.state != state {
                    entry.state_since_ms = match (state, target.draining_until) {
                        (TargetState::Draining, Some(until)) => until.0.saturating_sub(delay_ms),
                        _ => now_ms,
                    };
                }
                entry.state = state;
                entry.draining_until_ms = target.draining_until.map_or(0, |t| t.0);
                entry.task_stopped = matches!(
                    task.state,
                    TaskState::Stopping | TaskState::Deprovisioning | TaskState::Stopped
                );
                traffic.seen_second[id as usize] = second;
                members.push(id);
            }
            let group = &mut traffic.snapshot.groups[group_index];
            group.members_start = start;
            group.members_len = members.len() as u32 - start;
        }
        // Members of last second that are gone now: a draining one lingers until its
        // deregistration delay's end has been ticked (the tick cuts what is still in flight).
        let previous = std::mem::replace(&mut traffic.snapshot.members, members);
        for &id in &previous {
            if traffic.seen_second[id as usize] == second {
                continue;
            }
            let target = &mut traffic.snapshot.targets[id as usize];
            if target.state == TargetState::Draining {
                if !traffic.lingering.contains(&id) {
                    traffic.lingering.push(id);
                }
            } else {
                target.state = TargetState::Gone;
            }
        }
        traffic.spare_members = previous;
    }

    /// The stable traffic id of `task`'s target in `group`, assigned on first sight.
    fn traffic_target_id(
        &self,
        traffic: &mut TrafficWorld,
        task: TaskId,
        group: TargetGroupId,
    ) -> u32 {
        let index = task.0 as usize;
        if traffic.target_base.len() <= index {
            traffic.target_base.resize(index + 1, u32::MAX);
        }
        // Known task: its targets are consecutive keys (one per binding, at most 5).
        let base = traffic.target_base[index];
        if base != u32::MAX {
            let keys = &traffic.targets[base as usize..];
            if let Some(offset) = keys
                .iter()
                .take(8)
                .position(|key| key.task == task && key.target_group == group)
            {
                return base + offset as u32;
            }
        }
        let bindings = self.tasks[index]
            .service
            .map(|s| self.discovery.service_load_balancers(s))
            .unwrap_or(&[]);
        let position = bindings
            .iter()
            .position(|b| b.target_group == group)
            .unwrap_or(0) as u32;
        if traffic.target_base[index] == u32::MAX {
            let revision_ref = &self.tasks[index].task_definition;
            let revision = match traffic.revisions.iter().position(|r| r == revision_ref) {
                Some(found) => found as u32,
                None => {
                    traffic.revisions.push(revision_ref.clone());
                    traffic
                        .snapshot
                        .revisions
                        .push(self.traffic_behaviour(revision_ref));
                    traffic.revisions.len() as u32 - 1
                }
            };
            let base = traffic.targets.len() as u32;
            traffic.target_base[index] = base;
            let groups: Vec<TargetGroupId> = if bindings.is_empty() {
                vec![group]
            } else {
                bindings.iter().map(|b| b.target_group).collect()
            };
            for target_group in groups {
                traffic.targets.push(TargetKey {
                    task,
                    target_group,
                    revision,
                });
                traffic.seen_second.push(u32::MAX);
                traffic.snapshot.targets.push(flow::Target {
                    state: TargetState::Gone,
                    task_stopped: false,
                    revision,
                    state_since_ms: self.now.0,
                    draining_until_ms: 0,
                });
            }
        }
        traffic.target_base[index] + position
    }
}
