//! The fast placement path for large clusters: indexes kept up to date incrementally, so a
//! placement looks only at the Availability Zones that are best under `spread(AZ)` and, for
//! binpack, at the instances in free-capacity order from the first that can fit. The linear
//! [`placement::place`] stays the reference oracle and the only path that writes explanations.
//!
//! The fast path computes exactly the oracle's final tied set, in instance-id order, and draws
//! from the RNG exactly as the oracle does ([`placement::choose_among`]: one `below(n)` when
//! n > 1), so a run gives the same trace whichever path placed its tasks. The world checks
//! this against the oracle on every placement in debug builds; a property test checks it on
//! random clusters.
//!
//! Indexes:
//! - per *view* (the set of static `memberOf` constraints of a request, those whose result does
//!   not depend on tasks — `Expression::depends_on_tasks`), the member instances per
//!   Availability Zone in id order, and the members accepting placements in `BTreeSet`s ordered
//!   by (remaining memory, id) and (remaining CPU, id): free-capacity order. The memberOf result
//!   is computed once per instance per view (attributes, agent version and registration time
//!   never change while an instance is registered) and again when its agent connects or
//!   disconnects;
//! - per interned task group, its tasks per Availability Zone on instances that are not
//!   INACTIVE (the oracle's `spread(attribute:ecs.availability-zone)` counts).
//!
//! Supported strategy shapes (`random` anywhere ranks all equal, so it is dropped first):
//! `[]`, `[spread(AZ)]`, `[binpack(cpu|memory)]`, `[spread(instanceId)]` and
//! `[spread(AZ), binpack(cpu|memory) | spread(instanceId)]` — the service default, the
//! console's "AZ Balanced BinPack" and "AZ Balanced Spread", RunTask's `random`. Anything else
//! returns `None` and the caller uses the oracle.
//!
//! Cost: zones are ordered by the group's counts (O(AZs log AZs)). Binpack walks each best
//! zone's free-capacity order from the task's need to its first instance that fits (O(log
//! instances) plus the instances with enough memory that lack CPU, ports, ENI or GPU — linear
//! in the worst case), then collects the instances tied on the best score. `[]`, `random` and
//! `spread(instanceId)` (after `spread(AZ)` or alone, with distinctInstance or not) are
//! answered by the count-and-select trees of `tree.rs` when the request checks only CPU and
//! memory beyond static memberOf: the tied set's size and its k-th element in O(log instances)
//! without listing it. With ports, GPUs, ENIs, required attributes or task-dependent memberOf
//! they rank every member of the best zones (linear in one AZ's instances, with no allocation
//! or string work per instance that does not fit).

mod tree;

use crate::cluster::{ContainerInstance, InstanceId, InstanceStatus};
use crate::compact::SortedMap;
use crate::placement::{self, BinpackField, Constraint, PlacementRequest, SpreadField, Strategy};
use crate::query::Expression;
use crate::rng::SimRng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const AZ_ATTRIBUTE: &str = "ecs.availability-zone";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PlacementIndex {
    zones: Vec<String>,
    zone_of: Vec<u32>,
    views: Vec<View>,
    view_keys: SortedMap<Vec<String>, u32>,
    groups: SortedMap<String, u32>,
    /// `[group][zone]` task counts on instances that are not INACTIVE.
    group_zone_counts: Vec<Vec<u32>>,
    /// Per group, its task count on each instance, by id: `tasks_in_group` without a string
    /// lookup (four bytes per instance and group).
    group_instance_counts: Vec<Vec<u32>>,
    /// What each instance was filed under, to find its entries again.
    filed: Vec<Filed>,
    /// The static memberOf expressions of the last request and their view.
    last_view: Option<(Vec<Expression>, u32)>,
    /// Scratch space reused by every placement: zones by spread count, the tied set.
    #[serde(skip)]
    levels: Vec<(u32, u32)>,
    #[serde(skip)]
    tied: Vec<InstanceId>,
    /// Count-and-select trees (`tree.rs`): derived, built on first use, never serialised.
    #[serde(skip)]
    trees: tree::Trees,
    /// Instances per leaf block of the trees; `None` = [`tree::LEAF_INSTANCES`].
    #[serde(skip)]
    leaf_instances: Option<u32>,
}

/// A request's [`PlacementIndex::plan`]: `None` when its strategies are not a supported shape
/// (the caller uses the oracle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan(Option<Planned>);

/// What a supported request's placements share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Planned {
    /// `spread(AZ)` first: zones are ranked by tasks of the group.
    spread_zones: bool,
    within: Within,
    view: u32,
    group: u32,
    /// Only CPU and memory to check: the index's own copy answers, without touching the
    /// instance (status and agent are in `accepting`; no ports, GPUs, ENI or attributes;
    /// static memberOf holds for every member of the view).
    cpu_and_memory_only: bool,
    distinct: bool,
    /// The count-and-select trees answer: ranked by nothing or by tasks of the group, with only
    /// CPU and memory to check beyond the view (and distinctInstance, a count of zero).
    counted: bool,
}

/// What `collect_tied` found: the tied set listed in `tied`, or counted by the trees.
#[derive(Clone, Copy, Debug)]
enum Tied {
    Listed,
    Counted(Counted),
}

/// A tied set the trees counted without listing it: the instances of `view` in `zones` that
/// fit the request's CPU and memory (with exactly `level` tasks of `group`, if given).
#[derive(Clone, Copy, Debug)]
struct Counted {
    view: u32,
    group: u32,
    zones: u64,
    level: Option<u32>,
    cpu_units: u32,
    memory_mib: u32,
    n: u32,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Filed {
    memory_mib: u32,
    cpu_units: u32,
    accepting: bool,
    inactive: bool,
    agent_connected: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct View {
    /// The static memberOf expressions that define it.
    expressions: Vec<Expression>,
    member: Vec<bool>,
    /// Members per zone in id order, whatever their status.
    members_by_zone: Vec<Vec<u32>>,
    /// Members accepting placements, per zone, by (remaining memory, id).
    /// Built on the first binpack(memory) request: a view only spread or random requests use
    /// (the service default, RunTask's) never pays for keeping it ordered.
    by_memory: Option<Vec<BTreeSet<(u32, u32)>>>,
    /// The same by (remaining CPU units, id); built on the first binpack(cpu) request.
    by_cpu: Option<Vec<BTreeSet<(u32, u32)>>>,
}

/// What ranks instances inside the best zones, after `spread(AZ)` if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Within {
    /// No strategy (or only `random`): every candidate ties.
    All,
    Binpack(BinpackField),
    SpreadInstance,
}

impl PlacementIndex {
    /// Indexes the cluster as it is now (tasks already placed are counted per group).
    pub fn new(instances: &[ContainerInstance]) -> PlacementIndex {
        let mut index = PlacementIndex::default();
        let zones: crate::compact::SortedSet<&str> = instances
            .iter()
            .map(|i| i.availability_zone.as_str())
            .collect();
        index.zones = zones.iter().map(|z| z.to_string()).collect();
        for instance in instances {
            assert_eq!(
                instance.id.0 as usize,
                index.zone_of.len(),
                "instances are indexed by id"
            );
            let zone = index.zone_index(&instance.availability_zone);
            index.zone_of.push(zone);
            index.filed.push(filed(instance));
        }
        for instance in instances {
            let zone = index.zone_of[instance.id.0 as usize];
            let inactive = instance.status == InstanceStatus::Inactive;
            for entry in &instance.task_groups {
                let (g, count) = (index.intern(&entry.group) as usize, entry.count);
                index.group_instance_counts[g][instance.id.0 as usize] = count;
                if !inactive {
                    index.group_zone_counts[g][zone as usize] += count;
                }
            }
        }
        index
    }

    /// The same index with `leaf` instances per leaf block of its count-and-select trees (tests
    /// use small blocks so that small clusters exercise the tree's descent).
    pub fn with_leaf_instances(mut self, leaf: u32) -> PlacementIndex {
        self.leaf_instances = Some(leaf.max(1));
        self.trees = tree::Trees::default();
        self
    }

    /// Interns a task group name (`service:web`) to a small integer.
    pub fn intern(&mut self, group: &str) -> u32 {
        if let Some(&id) = self.groups.get(group) {
            return id;
        }
        let id = self.groups.len() as u32;
        self.groups.insert(group.to_string(), id);
        self.group_zone_counts.push(vec![0; self.zones.len()]);
        self.group_instance_counts.push(vec![0; self.filed.len()]);
        id
    }

    /// The id `intern` gave `group`, if it did.
    pub fn group_id(&self, group: &str) -> Option<u32> {
        self.groups.get(group).copied()
    }

    /// Call after an instance's remaining resources or status changed (launch, stop, drain,
    /// activate, terminate). When it becomes INACTIVE its tasks leave the spread counts.
    pub fn instance_changed(&mut self, instance: &ContainerInstance) {
        let id = instance.id.0 as usize;
        let old = self.filed[id];
        let new = filed(instance);
        let zone = self.zone_of[id] as usize;
        for view in &mut self.views {
            let was_member = view.member[id];
            if new.agent_connected != old.agent_connected {
                // `agentConnected` is a static subject of the query language: the only fact
                // a view depends on that can change while the instance is registered.
                let member = view.expressions.iter().all(|e| e.matches(instance));
                if member != was_member {
                    view.member[id] = member;
                    let members = &mut view.members_by_zone[zone];
                    match members.binary_search(&(id as u32)) {
                        Ok(at) => {
                            members.remove(at);
                        }
                        Err(at) => members.insert(at, id as u32),
                    }
                }
            }
            let is_member = view.member[id];
            if !was_member && !is_member {
                continue;
            }
            // Filed while a member and accepting placements.
            if let Some(by_memory) = &mut view.by_memory {
                if was_member && old.accepting {
                    by_memory[zone].remove(&(old.memory_mib, id as u32));
                }
                if is_member && new.accepting {
                    by_memory[zone].insert((new.memory_mib, id as u32));
                }
            }
            if let Some(by_cpu) = &mut view.by_cpu {
                if was_member && old.accepting {
                    by_cpu[zone].remove(&(old.cpu_units, id as u32));
                }
                if is_member && new.accepting {
                    by_cpu[zone].insert((new.cpu_units, id as u32));
                }
            }
        }
        if new.inactive != old.inactive {
            for entry in &instance.task_groups {
                let (g, count) = (self.intern(&entry.group) as usize, entry.count);
                let total = &mut self.group_zone_counts[g][zone];
                *total = if new.inactive {
                    total.saturating_sub(count)
                } else {
                    *total + count
                };
            }
        }
        self.filed[id] = new;
        let eligibility_changed = old.accepting != new.accepting;
        for (v, view) in self.views.iter().enumerate() {
            let facts = tree::Facts {
                filed: &self.filed,
                zone_of: &self.zone_of,
                member: &view.member,
            };
            self.trees
                .instance_changed(v as u32, id as u32, old, eligibility_changed, &facts);
        }
    }

    /// Call when a task of `group` starts (`+1`) or stops (`-1`) holding a slot on `instance`.
    pub fn group_changed(&mut self, group: &str, instance: InstanceId, delta: i32) {
        let g = self.intern(group);
        self.group_id_changed(g, instance, delta);
    }

    /// `group_changed` for a group already interned (`intern`'s id): integer work.
    pub fn group_id_changed(&mut self, group: u32, instance: InstanceId, delta: i32) {
        let id = instance.0 as usize;
        let g = group as usize;
        let zone = self.zone_of[id];
        let on_instance = &mut self.group_instance_counts[g][id];
        *on_instance = on_instance.saturating_add_signed(delta);
        let count = *on_instance;
        if !self.filed[id].inactive {
            let count = &mut self.group_zone_counts[g][zone as usize];
            *count = count.saturating_add_signed(delta);
        }
        let (filed, zone_of, views) = (&self.filed, &self.zone_of, &self.views);
        self.trees
            .group_changed(g as u32, instance.0, count, |view| tree::Facts {
                filed,
                zone_of,
                member: &views[view as usize].member,
            });
    }

    /// The fast decision: `None` when the request is not a supported shape (use the oracle),
    /// `Some(None)` when nothing fits (the oracle draws nothing then either), `Some(Some(id))`
    /// with the same draw from `rng` as the oracle.
    pub fn place(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
        rng: &mut SimRng,
    ) -> Option<Option<InstanceId>> {
        let plan = self.plan(instances, request);
        self.place_planned(instances, request, &plan, rng)
    }

    /// What every placement of `request` shares, worked out once: its shape, its view (the
    /// memberOf trees compared or evaluated), its interned group and the checks it needs. A
    /// RunTask call or a scheduler round places all its tasks with one plan (issue 13).
    pub fn plan(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
    ) -> Plan {
        let Some((spread_zones, within)) = shape(request.strategies) else {
            return Plan(None);
        };
        let view = self.view_of(instances, request.constraints);
        if let Within::Binpack(field) = within {
            self.build_order(view as usize, field);
        }
        let group = self.intern(request.group);
        let needs = request.requirements;
        let any_dynamic = request.constraints.iter().any(depends_on_tasks);
        let only_distinct_dynamic = request
            .constraints
            .iter()
            .all(|c| !depends_on_tasks(c) || matches!(c, Constraint::DistinctInstance));
        let beyond_view_only_cpu_and_memory = needs.gpus == 0
            && needs.static_host_ports.is_empty()
            && !needs.needs_eni()
            && needs.required_attributes.is_empty();
        Plan(Some(Planned {
            spread_zones,
            within,
            view,
            group,
            cpu_and_memory_only: beyond_view_only_cpu_and_memory && !any_dynamic,
            distinct: request
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::DistinctInstance)),
            counted: !matches!(within, Within::Binpack(_))
                && only_distinct_dynamic
                && beyond_view_only_cpu_and_memory
                && !instances.is_empty()
                && self.zones.len() <= 64,
        }))
    }

    /// [`PlacementIndex::place`] with the request's `plan` (made by [`PlacementIndex::plan`] for
    /// this request, on this index: the cluster may have changed since, the request not).
    pub fn place_planned(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
        plan: &Plan,
        rng: &mut SimRng,
    ) -> Option<Option<InstanceId>> {
        debug_assert_eq!(
            *plan,
            self.plan(instances, request),
            "a plan is used for the request it was made for"
        );
        let planned = plan.0?;
        match self.collect_tied(instances, request, &planned) {
            Tied::Listed => Some(placement::choose_among(&self.tied, rng)),
            // As `choose_among` draws on the listed set: one `below(n)` when n > 1.
            Tied::Counted(counted) => Some(match counted.n {
                0 => None,
                1 => Some(self.select(&counted, 0)),
                n => Some(self.select(&counted, rng.below(n))),
            }),
        }
    }

    /// The oracle's final tied set (`Explanation::tied`) in id order, or `None` when the
    /// request is not a supported shape.
    pub fn tied(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
    ) -> Option<Vec<InstanceId>> {
        let planned = self.plan(instances, request).0?;
        match self.collect_tied(instances, request, &planned) {
            Tied::Listed => Some(self.tied.clone()),
            Tied::Counted(counted) => {
                let mut listed = Vec::new();
                self.query(&counted).list(counted.level, &mut listed);
                let tied: Vec<InstanceId> = listed.into_iter().map(InstanceId).collect();
                // The tree's three answers agree with each other: its count, its first and
                // its last selected element are those of the list.
                assert_eq!(tied.len() as u32, counted.n, "tree count and list differ");
                if let (Some(first), Some(last)) = (tied.first(), tied.last()) {
                    assert_eq!(self.select(&counted, 0), *first, "tree select(0)");
                    assert_eq!(
                        self.select(&counted, counted.n - 1),
                        *last,
                        "tree select(n-1)"
                    );
                }
                Some(tied)
            }
        }
    }

    fn query(&self, counted: &Counted) -> tree::Query<'_> {
        let view = &self.views[counted.view as usize];
        let (fleet, group) = if counted.level.is_some() {
            let (fleet, group) = self.trees.get(counted.group, counted.view);
            (fleet, Some(group))
        } else {
            (self.trees.fleet_of(counted.view), None)
        };
        tree::Query {
            shape: self.trees.shape_ref(),
            fleet,
            group,
            facts: tree::Facts {
                filed: &self.filed,
                zone_of: &self.zone_of,
                member: &view.member,
            },
            zones: counted.zones,
            cpu_units: counted.cpu_units,
            memory_mib: counted.memory_mib,
        }
    }

    fn select(&self, counted: &Counted, k: u32) -> InstanceId {
        InstanceId(self.query(counted).select(k, counted.level))
    }

    /// Fills `self.tied`, or counts the tied set with the trees. Allocates nothing once the
    /// scratch vectors and the trees have grown.
    fn collect_tied(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
        plan: &Planned,
    ) -> Tied {
        let Planned {
            spread_zones,
            within,
            view,
            group,
            cpu_and_memory_only,
            distinct,
            counted,
        } = *plan;
        let (view, group) = (view as usize, group as usize);
        // Zones ordered by tasks of the group (spread), or all zones as one level.
        self.levels.clear();
        self.levels.extend(
            self.group_zone_counts[group]
                .iter()
                .enumerate()
                .map(|(zone, &count)| (if spread_zones { count } else { 0 }, zone as u32)),
        );
        self.levels.sort_unstable();
        let needs = request.requirements;
        if counted {
            return self.count_tied(view, group, within, distinct, request);
        }
        let PlacementIndex {
            filed,
            views,
            group_instance_counts,
            levels,
            tied,
            ..
        } = self;
        let filed = &*filed;
        let fits = |id: u32| {
            let at = filed[id as usize];
            if !at.accepting || at.cpu_units < needs.cpu_units || at.memory_mib < needs.memory_mib {
                return false;
            }
            if cpu_and_memory_only {
                return true;
            }
            let instance = &instances[id as usize];
            placement::resource_rejection(instance, request).is_none()
                && request
                    .constraints
                    .iter()
                    .all(|c| placement::constraint_holds(instance, c, request.group))
        };
        let view = &views[view];
        tied.clear();
        let mut start = 0;
        while start < levels.len() {
            let level = levels[start].0;
            let end = start
                + levels[start..]
                    .iter()
                    .take_while(|(count, _)| *count == level)
                    .count();
            let mut best: Option<u32> = None;
            if let Within::Binpack(field) = within {
                let order_of = |zone: usize| match field {
                    BinpackField::Memory => (
                        &view.by_memory.as_ref().expect("built by the plan")[zone],
                        needs.memory_mib,
                    ),
                    BinpackField::Cpu => (
                        &view.by_cpu.as_ref().expect("built by the plan")[zone],
                        needs.cpu_units,
                    ),
                };
                // First the level's best score: per zone, the first instance that fits, below
                // the best so far. Then only the instances with that score, so a zone whose
                // instances all tie on a worse score is never walked.
                for &(_, zone) in &levels[start..end] {
                    let (order, needed) = order_of(zone as usize);
                    for &(score, id) in order.range((needed, 0)..) {
                        if best.is_some_and(|b| score >= b) {
                            break;
                        }
                        if fits(id) {
                            best = Some(score);
                            break;
                        }
                    }
                }
                if let Some(best) = best {
                    for &(_, zone) in &levels[start..end] {
                        let (order, _) = order_of(zone as usize);
                        tied.extend(
                            order
                                .range((best, 0)..=(best, u32::MAX))
                                .filter(|&&(_, id)| fits(id))
                                .map(|&(_, id)| InstanceId(id)),
                        );
                    }
                }
            }
            for &(_, zone_key) in &levels[start..end] {
                let zone = zone_key as usize;
                match within {
                    Within::Binpack(_) => {}
                    Within::All | Within::SpreadInstance => {
                        let counts = &group_instance_counts[group];
                        for &id in &view.members_by_zone[zone] {
                            if !filed[id as usize].accepting {
                                continue;
                            }
                            let score = match within {
                                Within::SpreadInstance => counts[id as usize],
                                _ => 0,
                            };
                            if best.is_some_and(|b| score > b) || !fits(id) {
                                continue;
                            }
                            if best != Some(score) {
                                best = Some(score);
                                tied.clear();
                            }
                            tied.push(InstanceId(id));
                        }
                    }
                }
            }
            if !tied.is_empty() {
                tied.sort_unstable();
                return Tied::Listed;
            }
            start = end;
        }
        Tied::Listed
    }

    /// The trees' answer for `[]`, `random` or `spread(instanceId)` (after `spread(AZ)`'s
    /// levels in `self.levels`), with distinctInstance as "no task of the group": the first
    /// level of zones with an instance that fits, the fewest tasks of the group there (for
    /// spread), and how many instances tie. `Tied::Listed` with nothing listed when none fits.
    fn count_tied(
        &mut self,
        view: usize,
        group: usize,
        within: Within,
        distinct: bool,
        request: &PlacementRequest<'_>,
    ) -> Tied {
        let use_counts = within == Within::SpreadInstance || distinct;
        let leaf = self.leaf_instances.unwrap_or(tree::LEAF_INSTANCES);
        self.trees
            .shape(self.filed.len() as u32, self.zones.len() as u32, leaf);
        let facts = tree::Facts {
            filed: &self.filed,
            zone_of: &self.zone_of,
            member: &self.views[view].member,
        };
        self.trees.fleet(view as u32, &facts);
        if use_counts {
            let on_instances = &self.group_instance_counts[group];
            self.trees
                .group(group as u32, view as u32, &facts, || on_instances.clone());
        }
        let mut counted = Counted {
            view: view as u32,
            group: group as u32,
            zones: 0,
            level: None,
            cpu_units: request.requirements.cpu_units,
            memory_mib: request.requirements.memory_mib,
            n: 0,
        };
        let mut start = 0;
        while start < self.levels.len() {
            let level = self.levels[start].0;
            let end = start
                + self.levels[start..]
                    .iter()
                    .take_while(|(count, _)| *count == level)
                    .count();
            counted.zones = self.levels[start..end]
                .iter()
                .fold(0, |mask, &(_, zone)| mask | 1 << zone);
            start = end;
            counted.level = None;
            counted.n = 0;
            let query = self.query_unchecked(&counted, use_counts);
            counted.level = match (distinct, within) {
                (true, _) => Some(0),
                (false, Within::SpreadInstance) => match query.min_count() {
                    Some(least) => Some(least),
                    None => continue,
                },
                _ => None,
            };
            counted.n = query.count(counted.level);
            if counted.n > 0 {
                return Tied::Counted(counted);
            }
        }
        self.tied.clear();
        Tied::Listed
    }

    /// The query for `counted`, with the group tree when `use_counts` (its level not set yet).
    fn query_unchecked(&self, counted: &Counted, use_counts: bool) -> tree::Query<'_> {
        let mut query = self.query(&Counted {
            level: None,
            ..*counted
        });
        if use_counts {
            query.group = Some(self.trees.get(counted.group, counted.view).1);
        }
        query
    }

    /// The view for the request's static memberOf constraints. The last one is remembered by
    /// value (a service places its tasks in a row), so the common case compares two syntax
    /// trees instead of formatting them.
    fn view_of(&mut self, instances: &[ContainerInstance], constraints: &[Constraint]) -> u32 {
        let statics = constraints.iter().filter_map(|c| match c {
            Constraint::MemberOf(e) if !e.depends_on_tasks() => Some(e),
            _ => None,
        });
        if let Some((expressions, view)) = &self.last_view {
            if statics.clone().eq(expressions.iter()) {
                return *view;
            }
        }
        let expressions: Vec<&Expression> = statics.collect();
        let view = self.view_for(instances, &expressions);
        self.last_view = Some((expressions.into_iter().cloned().collect(), view));
        view
    }

    fn zone_index(&self, zone: &str) -> u32 {
        self.zones
            .binary_search_by(|z| z.as_str().cmp(zone))
            .unwrap_or(0) as u32
    }

    /// The view for a set of static memberOf expressions, built on first use (one evaluation
    /// per instance) and cached.
    fn view_for(&mut self, instances: &[ContainerInstance], expressions: &[&Expression]) -> u32 {
        let mut key: Vec<String> = expressions.iter().map(|e| e.to_string()).collect();
        key.sort_unstable();
        key.dedup();
        if let Some(&view) = self.view_keys.get(&key) {
            return view;
        }
        let mut view = View {
            expressions: expressions.iter().map(|e| (*e).clone()).collect(),
            member: Vec::with_capacity(instances.len()),
            members_by_zone: vec![Vec::new(); self.zones.len()],
            by_memory: None,
            by_cpu: None,
        };
        for instance in instances {
            let member = expressions.iter().all(|e| e.matches(instance));
            view.member.push(member);
            if member {
                let zone = self.zone_of[instance.id.0 as usize] as usize;
                view.members_by_zone[zone].push(instance.id.0);
            }
        }
        let id = self.views.len() as u32;
        self.views.push(view);
        self.view_keys.insert(key, id);
        id
    }

    /// The view's free-capacity order for `field`, built on its first binpack request.
    fn build_order(&mut self, view: usize, field: BinpackField) {
        let built = match field {
            BinpackField::Memory => self.views[view].by_memory.is_some(),
            BinpackField::Cpu => self.views[view].by_cpu.is_some(),
        };
        if built {
            return;
        }
        let mut order = vec![BTreeSet::new(); self.zones.len()];
        for (zone, members) in self.views[view].members_by_zone.iter().enumerate() {
            for &id in members {
                let filed = self.filed[id as usize];
                if filed.accepting {
                    let score = match field {
                        BinpackField::Memory => filed.memory_mib,
                        BinpackField::Cpu => filed.cpu_units,
                    };
                    order[zone].insert((score, id));
                }
            }
        }
        match field {
            BinpackField::Memory => self.views[view].by_memory = Some(order),
            BinpackField::Cpu => self.views[view].by_cpu = Some(order),
        }
    }
}

/// `(spread by AZ first, what ranks inside the best zones)`, or `None` if unsupported.
fn shape(strategies: &[Strategy]) -> Option<(bool, Within)> {
    let is_az = |s: &Strategy| matches!(s, Strategy::Spread(SpreadField::Attribute(name)) if name == AZ_ATTRIBUTE);
    let within = |s: &Strategy| match s {
        Strategy::Binpack(field) => Some(Within::Binpack(*field)),
        Strategy::Spread(SpreadField::Instance) => Some(Within::SpreadInstance),
        _ => None,
    };
    let mut ranked = strategies.iter().filter(|s| **s != Strategy::Random);
    match (ranked.next(), ranked.next(), ranked.next()) {
        (None, _, _) => Some((false, Within::All)),
        (Some(only), None, _) if is_az(only) => Some((true, Within::All)),
        (Some(only), None, _) => Some((false, within(only)?)),
        (Some(first), Some(second), None) if is_az(first) => Some((true, within(second)?)),
        _ => None,
    }
}

fn filed(instance: &ContainerInstance) -> Filed {
    Filed {
        memory_mib: instance.remaining_memory_mib,
        cpu_units: instance.remaining_cpu_units,
        accepting: instance.accepts_placements(),
        inactive: instance.status == InstanceStatus::Inactive,
        agent_connected: instance.agent_connected,
    }
}

/// A constraint whose result depends on tasks (distinctInstance, `task:group`,
/// `runningTasksCount`): checked per instance at placement time, never cached in a view.
fn depends_on_tasks(constraint: &Constraint) -> bool {
    match constraint {
        Constraint::DistinctInstance => true,
        Constraint::MemberOf(expression) => expression.depends_on_tasks(),
    }
}
