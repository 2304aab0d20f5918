//! The fast placement path for large clusters: indexes kept up to date incrementally so one
//! placement costs O(AZs × log instances) instead of a scan of every instance. The linear
//! [`placement::place`] stays the reference oracle (and the only path that writes full
//! explanations); a property test checks that the fast path picks an instance the oracle ranks
//! equally best.
//!
//! Indexes:
//! - per *view* (the set of static `memberOf` constraints of a request, i.e. those whose result
//!   does not depend on tasks — `Expression::depends_on_tasks`), the member instances per
//!   Availability Zone in a `BTreeSet` ordered by (remaining memory, id): free-capacity order;
//!   the memberOf result is computed once per instance per view and cached;
//! - per interned task group, the number of its tasks per Availability Zone (spread counts).
//!
//! Supported strategy shapes: `[binpack(memory)]` and `[spread(attribute:ecs.availability-zone),
//! binpack(memory)]` (the console's "AZ Balanced BinPack"). Anything else returns `None` and the
//! caller uses the oracle. Within equal scores the fast path takes the lowest id; the oracle
//! takes a random one of the same tied set. The scan of one AZ's free-capacity order stops at
//! the first instance that also passes CPU, ports, ENI, GPU, task-dependent constraints and
//! distinctInstance; in the worst case (every instance with enough memory lacks CPU) that scan
//! is linear in the AZ's instances.

use crate::cluster::{ContainerInstance, InstanceId};
use crate::placement::{self, BinpackField, Constraint, PlacementRequest, SpreadField, Strategy};
use crate::query::Expression;
use std::collections::{BTreeMap, BTreeSet};

const AZ_ATTRIBUTE: &str = "ecs.availability-zone";

#[derive(Clone, Debug, Default)]
pub struct PlacementIndex {
    zones: Vec<String>,
    zone_of: Vec<u32>,
    views: Vec<View>,
    view_keys: BTreeMap<Vec<String>, u32>,
    groups: BTreeMap<String, u32>,
    /// `[group][zone]` task counts.
    group_zone_counts: Vec<Vec<u32>>,
    /// Remaining memory each instance was filed under, to find its entry again.
    filed_memory: Vec<u32>,
}

#[derive(Clone, Debug)]
struct View {
    member: Vec<bool>,
    by_zone: Vec<BTreeSet<(u32, u32)>>,
}

impl PlacementIndex {
    /// Indexes the cluster as it is now (tasks already placed are counted per group).
    pub fn new(instances: &[ContainerInstance]) -> PlacementIndex {
        let mut index = PlacementIndex::default();
        let zones: BTreeSet<&str> = instances
            .iter()
            .map(|i| i.availability_zone.as_str())
            .collect();
        index.zones = zones.iter().map(|z| z.to_string()).collect();
        for instance in instances {
            let zone = index.zone_index(&instance.availability_zone);
            index.zone_of.push(zone);
            index.filed_memory.push(instance.remaining_memory_mib);
            for (group, count) in &instance.task_groups {
                let g = index.intern(group) as usize;
                index.group_zone_counts[g][zone as usize] += count;
            }
        }
        index
    }

    /// Interns a task group name (`service:web`) to a small integer.
    pub fn intern(&mut self, group: &str) -> u32 {
        if let Some(&id) = self.groups.get(group) {
            return id;
        }
        let id = self.groups.len() as u32;
        self.groups.insert(group.to_string(), id);
        self.group_zone_counts.push(vec![0; self.zones.len()]);
        id
    }

    /// Call after an instance's remaining resources or status changed (launch, stop, drain).
    pub fn instance_changed(&mut self, instance: &ContainerInstance) {
        let id = instance.id.0 as usize;
        let old = self.filed_memory[id];
        let zone = self.zone_of[id] as usize;
        for view in &mut self.views {
            if view.member[id] {
                view.by_zone[zone].remove(&(old, id as u32));
                if instance.accepts_placements() {
                    view.by_zone[zone].insert((instance.remaining_memory_mib, id as u32));
                }
            }
        }
        self.filed_memory[id] = instance.remaining_memory_mib;
    }

    /// Call when a task of `group` starts (`+1`) or stops (`-1`) holding a slot on `instance`.
    pub fn group_changed(&mut self, group: &str, instance: InstanceId, delta: i32) {
        let g = self.intern(group) as usize;
        let zone = self.zone_of[instance.0 as usize] as usize;
        let count = &mut self.group_zone_counts[g][zone];
        *count = count.saturating_add_signed(delta);
    }

    /// The fast decision: `None` when the request's strategies are not a supported shape (use
    /// the oracle), `Some(None)` when nothing fits, `Some(Some(id))` otherwise.
    pub fn place(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
    ) -> Option<Option<InstanceId>> {
        let spread_zones = match request.strategies {
            [Strategy::Binpack(BinpackField::Memory)] => false,
            [Strategy::Spread(SpreadField::Attribute(name)), Strategy::Binpack(BinpackField::Memory)]
                if name == AZ_ATTRIBUTE =>
            {
                true
            }
            _ => return None,
        };
        let (static_exprs, dynamic): (Vec<&Constraint>, Vec<&Constraint>) =
            request.constraints.iter().partition(|c| match c {
                Constraint::MemberOf(expression) => !expression.depends_on_tasks(),
                Constraint::DistinctInstance => false,
            });
        let view = self.view_for(instances, &static_exprs) as usize;
        let group = self.intern(request.group) as usize;
        // Zones ordered by tasks of the group (spread), or all zones as one level (binpack only).
        let mut levels: Vec<(u32, u32)> = (0..self.zones.len() as u32)
            .map(|z| {
                let count = if spread_zones {
                    self.group_zone_counts[group][z as usize]
                } else {
                    0
                };
                (count, z)
            })
            .collect();
        levels.sort_unstable();
        let needed = request.requirements.memory_mib;
        let mut start = 0;
        while start < levels.len() {
            let level = levels[start].0;
            let end = start
                + levels[start..]
                    .iter()
                    .take_while(|(count, _)| *count == level)
                    .count();
            let mut best: Option<(u32, u32)> = None;
            for &(_, zone) in &levels[start..end] {
                let candidates = self.views[view].by_zone[zone as usize].range((needed, 0)..);
                for &(memory, id) in candidates {
                    if best.is_some_and(|b| (memory, id) >= b) {
                        break;
                    }
                    let instance = &instances[id as usize];
                    if placement::resource_rejection(instance, request).is_some() {
                        continue;
                    }
                    if dynamic.iter().any(|c| {
                        placement::constraint_rejection(instance, c, request.group).is_some()
                    }) {
                        continue;
                    }
                    best = Some((memory, id));
                    break;
                }
            }
            if let Some((_, id)) = best {
                return Some(Some(InstanceId(id)));
            }
            start = end;
        }
        Some(None)
    }

    fn zone_index(&self, zone: &str) -> u32 {
        self.zones
            .binary_search_by(|z| z.as_str().cmp(zone))
            .unwrap_or(0) as u32
    }

    /// The view for a set of static memberOf constraints, built on first use (one evaluation
    /// per instance) and cached.
    fn view_for(&mut self, instances: &[ContainerInstance], static_exprs: &[&Constraint]) -> u32 {
        let mut key: Vec<String> = static_exprs.iter().map(|c| c.describe()).collect();
        key.sort_unstable();
        if let Some(&view) = self.view_keys.get(&key) {
            return view;
        }
        let expressions: Vec<&Expression> = static_exprs
            .iter()
            .filter_map(|c| match c {
                Constraint::MemberOf(e) => Some(e),
                Constraint::DistinctInstance => None,
            })
            .collect();
        let mut view = View {
            member: Vec::with_capacity(instances.len()),
            by_zone: vec![BTreeSet::new(); self.zones.len()],
        };
        for instance in instances {
            let member = expressions.iter().all(|e| e.matches(instance));
            view.member.push(member);
            if member && instance.accepts_placements() {
                view.by_zone[self.zone_of[instance.id.0 as usize] as usize]
                    .insert((instance.remaining_memory_mib, instance.id.0));
            }
        }
        let id = self.views.len() as u32;
        self.views.push(view);
        self.view_keys.insert(key, id);
        id
    }
}
