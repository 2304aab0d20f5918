//! Count-and-select trees: the part of the placement fast path that makes `random`, `[]`,
//! `spread(instanceId)` and `distinctInstance` logarithmic in the fleet instead of a walk over
//! every member of the best Availability Zones.
//!
//! Instances are cut, in id order, into leaf blocks of a few instances; a complete binary tree
//! over the blocks keeps, per node:
//! - per *view* ([`FleetTree`]): the least and the most remaining CPU and memory among the
//!   view's members accepting placements, and how many there are per Availability Zone;
//! - per *(task group, view)* ([`GroupTree`]): per Availability Zone, the fewest tasks of the
//!   group on one of those instances and how many instances have that few.
//!
//! A request that checks only CPU and memory (no ports, GPUs, ENIs, required attributes or
//! task-dependent memberOf) then asks three questions, each answered by one descent that stops
//! at every node where all candidates fit (the aggregates answer) or none does (skipped), and
//! scans instances only in blocks that are partly full: the fewest tasks of the group among the
//! instances that fit ([`Query::min_count`]), how many fit with that count ([`Query::count`]),
//! and the k-th of them in id order ([`Query::select`]) — the oracle's tied set, its size and
//! its k-th element, without listing it. The index draws `below(n)` between the second and the
//! third, as [`crate::placement::choose_among`] does on the listed set. A cluster with room
//! costs O(log blocks) per question; a nearly full one degrades towards a scan of the blocks
//! that mix instances that fit with instances that do not (never worse than the walk it
//! replaces).
//!
//! The trees are derived data: built on first use from the index's own records, kept current by
//! every `instance_changed` and `group_changed`, and never serialised (a restored index builds
//! them again on its first placement).

use super::Filed;
use std::collections::BTreeMap;

/// Instances per leaf block: small enough that a partly full block is a short scan, large
/// enough that the trees stay a small fraction of the index.
pub(super) const LEAF_INSTANCES: u32 = 16;

/// The facts the trees aggregate, borrowed from the index.
pub(super) struct Facts<'a> {
    pub(super) filed: &'a [Filed],
    pub(super) zone_of: &'a [u32],
    /// The view's membership, by instance id.
    pub(super) member: &'a [bool],
}

impl Facts<'_> {
    fn eligible(&self, id: usize) -> bool {
        self.member[id] && self.filed[id].accepting
    }
}

/// The shape shared by every tree of one index: block size, number of blocks, zones.
#[derive(Clone, Debug)]
pub(super) struct Shape {
    leaf: u32,
    instances: u32,
    /// Leaves of the complete tree (a power of two ≥ the number of blocks); node 1 is the root,
    /// node `leaves + b` is block `b`.
    leaves: u32,
    zones: u32,
}

impl Shape {
    pub(super) fn new(instances: u32, zones: u32, leaf: u32) -> Shape {
        let leaf = leaf.max(1);
        let blocks = instances.div_ceil(leaf).max(1);
        Shape {
            leaf,
            instances,
            leaves: blocks.next_power_of_two(),
            zones,
        }
    }

    fn nodes(&self) -> usize {
        2 * self.leaves as usize
    }

    /// The instance ids of leaf node `node`, in order.
    fn block(&self, node: u32) -> std::ops::Range<usize> {
        let b = node - self.leaves;
        let start = (b * self.leaf).min(self.instances) as usize;
        let end = ((b + 1) * self.leaf).min(self.instances) as usize;
        start..end
    }

    fn leaf_of(&self, id: u32) -> u32 {
        self.leaves + id / self.leaf
    }
}

/// Per view: CPU and memory bounds of the members accepting placements, and their number per
/// zone.
#[derive(Clone, Debug)]
pub(super) struct FleetTree {
    min_cpu: Vec<u32>,
    min_memory: Vec<u32>,
    max_cpu: Vec<u32>,
    max_memory: Vec<u32>,
    /// `[node * zones + zone]`.
    eligible: Vec<u32>,
    /// `[node]`: the sum of the node's `eligible` cells, which a request for every zone (no
    /// `spread(AZ)`, as RunTask's `random`) reads once instead of adding them up.
    eligible_total: Vec<u32>,
    /// `[leaf node]`: bit `i` set when the block's `i`-th instance is eligible (its first 64),
    /// so selecting in a block where every candidate fits, in every zone, counts set bits
    /// instead of checking each instance.
    eligible_bits: Vec<u64>,
    /// `[leaf node]`: how many of the block's eligible instances have its most CPU and its
    /// most memory, so a launch on one of them leaves the most as it is without a scan of the
    /// block unless it was the last (a spread launches on each instance of a block in turn).
    at_most: Vec<(u32, u32)>,
}

/// Per (task group, view): the group's task count on each instance, and per node and zone the
/// fewest of them among eligible instances (`u32::MAX` when none) and how many have that few.
#[derive(Clone, Debug)]
pub(super) struct GroupTree {
    counts: Vec<u32>,
    /// `[node * zones + zone]`: both halves of a cell side by side, as every update and
    /// question reads them together.
    fewest: Vec<Fewest>,
}

/// The fewest tasks of the group on one eligible instance (`u32::MAX` when none) and how many
/// instances have that few.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fewest {
    least: u32,
    at_least: u32,
}

impl Fewest {
    const NONE: Fewest = Fewest {
        least: u32::MAX,
        at_least: 0,
    };

    /// The cell of a node from its children's.
    #[inline]
    fn of_children(a: Fewest, b: Fewest) -> Fewest {
        let least = a.least.min(b.least);
        if least == u32::MAX {
            return Fewest::NONE;
        }
        Fewest {
            least,
            at_least: u32::from(a.least == least) * a.at_least
                + u32::from(b.least == least) * b.at_least,
        }
    }

    /// The cell after one more instance with `count` tasks.
    #[inline]
    fn with(self, count: u32) -> Fewest {
        if count < self.least {
            Fewest {
                least: count,
                at_least: 1,
            }
        } else if count == self.least {
            Fewest {
                at_least: self.at_least + 1,
                ..self
            }
        } else {
            self
        }
    }
}

/// The trees of one index, keyed by view and by (group, view).
#[derive(Clone, Debug, Default)]
pub(super) struct Trees {
    shape: Option<Shape>,
    /// By view id (`None`: not built yet): a vector, as every placement and launch looks its
    /// view's tree up.
    fleets: Vec<Option<FleetTree>>,
    groups: BTreeMap<(u32, u32), GroupTree>,
}

impl Trees {
    pub(super) fn shape(&mut self, instances: u32, zones: u32, leaf: u32) -> &Shape {
        self.shape
            .get_or_insert_with(|| Shape::new(instances, zones, leaf))
    }

    /// The view's tree, built now if it was not.
    pub(super) fn fleet(&mut self, view: u32, facts: &Facts<'_>) -> &FleetTree {
        let shape = self.shape.as_ref().expect("shape set first");
        let view = view as usize;
        if self.fleets.len() <= view {
            self.fleets.resize_with(view + 1, || None);
        }
        self.fleets[view].get_or_insert_with(|| {
            let nodes = shape.nodes();
            let mut tree = FleetTree {
                min_cpu: vec![u32::MAX; nodes],
                min_memory: vec![u32::MAX; nodes],
                max_cpu: vec![0; nodes],
                max_memory: vec![0; nodes],
                eligible: vec![0; nodes * shape.zones as usize],
                eligible_total: vec![0; nodes],
                eligible_bits: vec![0; nodes],
                at_most: vec![(0, 0); nodes],
            };
            for node in (1..shape.nodes() as u32).rev() {
                tree.refresh(shape, node, facts, true);
            }
            tree
        })
    }

    /// The (group, view) tree, built now from `counts` (the group's tasks per instance) if it
    /// was not.
    pub(super) fn group(
        &mut self,
        group: u32,
        view: u32,
        facts: &Facts<'_>,
        counts: impl FnOnce() -> Vec<u32>,
    ) -> &GroupTree {
        let shape = self.shape.as_ref().expect("shape set first");
        self.groups.entry((group, view)).or_insert_with(|| {
            let cells = shape.nodes() * shape.zones as usize;
            let mut tree = GroupTree {
                counts: counts(),
                fewest: vec![Fewest::NONE; cells],
            };
            for node in (1..shape.nodes() as u32).rev() {
                tree.refresh(shape, node, facts);
            }
            tree
        })
    }

    pub(super) fn get(&self, group: u32, view: u32) -> (&FleetTree, &GroupTree) {
        (self.fleet_of(view), &self.groups[&(group, view)])
    }

    pub(super) fn fleet_of(&self, view: u32) -> &FleetTree {
        self.fleets[view as usize]
            .as_ref()
            .expect("the view's tree is built first")
    }

    pub(super) fn shape_ref(&self) -> &Shape {
        self.shape.as_ref().expect("shape set first")
    }

    /// An instance's resources, status or membership in `view` changed; `before` is what the
    /// index had filed for it.
    pub(super) fn instance_changed(
        &mut self,
        view: u32,
        id: u32,
        before: Filed,
        eligibility_changed: bool,
        facts: &Facts<'_>,
    ) {
        let Some(shape) = &self.shape else { return };
        if let Some(Some(tree)) = self.fleets.get_mut(view as usize) {
            let leaf = shape.leaf_of(id);
            let shrunk = match eligibility_changed {
                false => tree.shrink_leaf(leaf, id, before, facts),
                true => None,
            };
            let changed =
                shrunk.unwrap_or_else(|| tree.refresh(shape, leaf, facts, eligibility_changed));
            // Up to the root, or to the first node whose aggregates did not change.
            let mut node = leaf / 2;
            while changed && node >= 1 && tree.refresh(shape, node, facts, eligibility_changed) {
                node /= 2;
            }
        }
        if eligibility_changed {
            let zone = facts.zone_of[id as usize] as usize;
            for (_, tree) in self.groups.iter_mut().filter(|((_, v), _)| *v == view) {
                let leaf = shape.leaf_of(id);
                if tree.refresh_leaf_zone(shape, leaf, zone, facts) {
                    tree.refresh_zone_up(shape, leaf / 2, zone);
                }
            }
        }
    }

    /// The group's task count on instance `id` is now `count`; `facts_of(view)` gives the facts
    /// of each view the group has a tree for.
    pub(super) fn group_changed<'f>(
        &mut self,
        group: u32,
        id: u32,
        count: u32,
        facts_of: impl Fn(u32) -> Facts<'f>,
    ) {
        let Some(shape) = &self.shape else { return };
        for (&(_, view), tree) in self.groups.range_mut((group, 0)..=(group, u32::MAX)) {
            let facts = facts_of(view);
            if !tree.count_changed(shape, id, count, &facts) {
                continue;
            }
            let zone = facts.zone_of[id as usize] as usize;
            tree.refresh_zone_up(shape, shape.leaf_of(id) / 2, zone);
        }
    }
}

impl FleetTree {
    /// Recomputes `node` from its block or its children; whether anything changed. The counts
    /// of eligible instances only if `eligibility_changed`: a launch or a stop changes an
    /// instance's resources, not whether it is eligible.
    fn refresh(
        &mut self,
        shape: &Shape,
        node: u32,
        facts: &Facts<'_>,
        eligibility_changed: bool,
    ) -> bool {
        let bounds_changed = self.refresh_bounds(shape, node, facts);
        let counts_changed = eligibility_changed && self.refresh_counts(shape, node, facts);
        bounds_changed || counts_changed
    }

    /// Leaf `leaf` after eligible instance `id`'s CPU and memory went down (or stayed), as a
    /// launch takes them, without scanning its block: the least values are the smaller of the
    /// old least and the instance's new ones, and the most stay unless the instance was the
    /// last to hold them. Whether the leaf changed, or `None` when it must be scanned (the
    /// instance was the last with a most, or it is not such a change).
    fn shrink_leaf(
        &mut self,
        leaf: u32,
        id: u32,
        before: Filed,
        facts: &Facts<'_>,
    ) -> Option<bool> {
        let after = facts.filed[id as usize];
        let shrunk = after.cpu_units <= before.cpu_units && after.memory_mib <= before.memory_mib;
        let n = leaf as usize;
        if !shrunk || !facts.eligible(id as usize) {
            return None;
        }
        let left_most_cpu =
            after.cpu_units < before.cpu_units && before.cpu_units >= self.max_cpu[n];
        let left_most_memory =
            after.memory_mib < before.memory_mib && before.memory_mib >= self.max_memory[n];
        let (at_most_cpu, at_most_memory) = self.at_most[n];
        if (left_most_cpu && at_most_cpu <= 1) || (left_most_memory && at_most_memory <= 1) {
            return None;
        }
        self.at_most[n] = (
            at_most_cpu - u32::from(left_most_cpu),
            at_most_memory - u32::from(left_most_memory),
        );
        let min_cpu = self.min_cpu[n].min(after.cpu_units);
        let min_memory = self.min_memory[n].min(after.memory_mib);
        let changed = min_cpu != self.min_cpu[n] || min_memory != self.min_memory[n];
        self.min_cpu[n] = min_cpu;
        self.min_memory[n] = min_memory;
        Some(changed)
    }

    /// The least and the most remaining CPU and memory under `node`.
    fn refresh_bounds(&mut self, shape: &Shape, node: u32, facts: &Facts<'_>) -> bool {
        let n = node as usize;
        let before = (
            self.min_cpu[n],
            self.min_memory[n],
            self.max_cpu[n],
            self.max_memory[n],
        );
        let after = if node >= shape.leaves {
            let (mut bounds, mut at_most) = ((u32::MAX, u32::MAX, 0, 0), (0, 0));
            for id in shape.block(node).filter(|&id| facts.eligible(id)) {
                let at = facts.filed[id];
                bounds.0 = bounds.0.min(at.cpu_units);
                bounds.1 = bounds.1.min(at.memory_mib);
                at_most.0 = at_most_after(&mut bounds.2, at.cpu_units, at_most.0);
                at_most.1 = at_most_after(&mut bounds.3, at.memory_mib, at_most.1);
            }
            self.at_most[n] = at_most;
            bounds
        } else {
            let (l, r) = (2 * n, 2 * n + 1);
            (
                self.min_cpu[l].min(self.min_cpu[r]),
                self.min_memory[l].min(self.min_memory[r]),
                self.max_cpu[l].max(self.max_cpu[r]),
                self.max_memory[l].max(self.max_memory[r]),
            )
        };
        (
            self.min_cpu[n],
            self.min_memory[n],
            self.max_cpu[n],
            self.max_memory[n],
        ) = after;
        before != after
    }

    /// How many eligible instances there are under `node`, per zone.
    fn refresh_counts(&mut self, shape: &Shape, node: u32, facts: &Facts<'_>) -> bool {
        let zones = shape.zones as usize;
        let n = node as usize;
        let mut cells = [0u32; 64];
        if node >= shape.leaves {
            let mut bits = 0u64;
            for (i, id) in shape.block(node).enumerate() {
                if facts.eligible(id) {
                    cells[facts.zone_of[id] as usize] += 1;
                    if i < 64 {
                        bits |= 1 << i;
                    }
                }
            }
            self.eligible_bits[n] = bits;
        } else {
            let (l, r) = (2 * n, 2 * n + 1);
            for (z, cell) in cells[..zones].iter_mut().enumerate() {
                *cell = self.eligible[l * zones + z] + self.eligible[r * zones + z];
            }
        }
        let stored = &mut self.eligible[n * zones..(n + 1) * zones];
        let changed = stored != &cells[..zones];
        stored.copy_from_slice(&cells[..zones]);
        self.eligible_total[n] = cells[..zones].iter().sum();
        changed
    }
}

impl GroupTree {
    /// Instance `id` now holds `count` tasks of the group: its leaf's cell follows from the
    /// change alone, and the block is scanned again only when the last of its instances with
    /// the fewest tasks gets one more. Whether the leaf changed.
    fn count_changed(&mut self, shape: &Shape, id: u32, count: u32, facts: &Facts<'_>) -> bool {
        let i = id as usize;
        let before = std::mem::replace(&mut self.counts[i], count);
        if before == count || !facts.eligible(i) {
            return false;
        }
        let leaf = shape.leaf_of(id);
        let zone = facts.zone_of[i] as usize;
        let cell = &mut self.fewest[leaf as usize * shape.zones as usize + zone];
        if count <= cell.least {
            *cell = cell.with(count);
        } else if before != cell.least {
            // Above the fewest before and after.
            return false;
        } else if cell.at_least > 1 {
            cell.at_least -= 1;
        } else {
            return self.refresh_leaf_zone(shape, leaf, zone, facts);
        }
        true
    }

    /// Recomputes one zone's cell of leaf `leaf` from its block; whether it changed. A change
    /// to one instance (its count of the group, its eligibility) changes only its own zone's
    /// cells, so only they are recomputed, here and up the tree.
    fn refresh_leaf_zone(
        &mut self,
        shape: &Shape,
        leaf: u32,
        zone: usize,
        facts: &Facts<'_>,
    ) -> bool {
        let mut fewest = Fewest::NONE;
        for id in shape.block(leaf) {
            if facts.zone_of[id] as usize == zone && facts.eligible(id) {
                fewest = fewest.with(self.counts[id]);
            }
        }
        let cell = &mut self.fewest[leaf as usize * shape.zones as usize + zone];
        std::mem::replace(cell, fewest) != fewest
    }

    /// Recomputes one zone's cell of `node` and of its ancestors from their children, up to the
    /// root or the first that did not change.
    fn refresh_zone_up(&mut self, shape: &Shape, mut node: u32, zone: usize) {
        let zones = shape.zones as usize;
        while node >= 1 {
            let n = node as usize;
            let fewest = Fewest::of_children(
                self.fewest[2 * n * zones + zone],
                self.fewest[(2 * n + 1) * zones + zone],
            );
            if std::mem::replace(&mut self.fewest[n * zones + zone], fewest) == fewest {
                return;
            }
            node /= 2;
        }
    }

    /// Recomputes `node` from its block or its children, every zone; whether anything changed.
    fn refresh(&mut self, shape: &Shape, node: u32, facts: &Facts<'_>) -> bool {
        let zones = shape.zones as usize;
        let n = node as usize;
        let mut cells = [Fewest::NONE; 64];
        if node >= shape.leaves {
            for id in shape.block(node) {
                if facts.eligible(id) {
                    let z = facts.zone_of[id] as usize;
                    cells[z] = cells[z].with(self.counts[id]);
                }
            }
        } else {
            let (l, r) = (2 * n, 2 * n + 1);
            for (z, cell) in cells[..zones].iter_mut().enumerate() {
                *cell = Fewest::of_children(self.fewest[l * zones + z], self.fewest[r * zones + z]);
            }
        }
        let stored = &mut self.fewest[n * zones..(n + 1) * zones];
        let changed = *stored != cells[..zones];
        stored.copy_from_slice(&cells[..zones]);
        changed
    }
}

/// One request's questions: instances of the view in `zones` (a bit per zone) with at least
/// `cpu_units` and `memory_mib` remaining, and (with a group tree) their count of the group.
pub(super) struct Query<'a> {
    pub(super) shape: &'a Shape,
    pub(super) fleet: &'a FleetTree,
    pub(super) group: Option<&'a GroupTree>,
    pub(super) facts: Facts<'a>,
    pub(super) zones: u64,
    pub(super) cpu_units: u32,
    pub(super) memory_mib: u32,
}

enum Fit {
    None,
    All,
    Some,
}

impl Query<'_> {
    /// The fewest tasks of the group on one instance that fits, or `None` when none fits.
    pub(super) fn min_count(&self) -> Option<u32> {
        let least = self.min_below(1, u32::MAX);
        (least != u32::MAX).then_some(least)
    }

    /// How many instances fit (with exactly `level` tasks of the group, if given).
    pub(super) fn count(&self, level: Option<u32>) -> u32 {
        self.count_in(1, level)
    }

    /// The `k`-th (from 0, in id order) of the instances [`Query::count`] counts.
    pub(super) fn select(&self, mut k: u32, level: Option<u32>) -> u32 {
        let mut node = 1;
        // Under a node where every candidate fits, so do they under its children: their counts
        // are their cells' sums, without asking again.
        let mut all_fit = false;
        while node < self.shape.leaves {
            if matches!(self.fit(node), Fit::All) {
                all_fit = true;
                node = self.select_where_all_fit(node, &mut k, level);
                break;
            }
            let left = self.count_in(2 * node, level);
            if k < left {
                node *= 2;
            } else {
                k -= left;
                node = 2 * node + 1;
            }
        }
        // In a block where every candidate fits, only who counts is left to check.
        let all_fit = all_fit || matches!(self.fit(node), Fit::All);
        let block = self.shape.block(node);
        let start = block.start as u32;
        let block = block.map(|id| id as u32);
        let chosen = match all_fit {
            // Every eligible instance counts: the k-th eligible one.
            true if level.is_none() && self.every_zone() && self.shape.leaf <= 64 => {
                nth_set_bit(self.fleet.eligible_bits[node as usize], k).map(|i| start + i)
            }
            true => block
                .filter(|&id| self.counted_if_fits(id, level))
                .nth(k as usize),
            false => block
                .filter(|&id| self.candidate(id, level))
                .nth(k as usize),
        };
        chosen.expect("select stays below count")
    }

    /// The leaf under `node`, where every candidate fits, holding the `k`-th counted instance;
    /// `k` is left as its rank there. The usual requests read one cell per level: every zone
    /// without a level (`random`, `[]`) the node's total, one zone (after `spread(AZ)`, when one
    /// zone has the fewest tasks) that zone's cell.
    fn select_where_all_fit(&self, node: u32, k: &mut u32, level: Option<u32>) -> u32 {
        let zones = self.shape.zones as usize;
        let zone = self.zones.trailing_zeros() as usize;
        let one_zone = self.zones.is_power_of_two();
        match (level, self.group) {
            (None, _) if self.every_zone() => {
                self.descend(node, k, |n| self.fleet.eligible_total[n])
            }
            (None, _) if one_zone => {
                self.descend(node, k, |n| self.fleet.eligible[n * zones + zone])
            }
            (Some(level), Some(group)) if one_zone => self.descend(node, k, |n| {
                let cell = group.fewest[n * zones + zone];
                if cell.least == level {
                    cell.at_least
                } else {
                    0
                }
            }),
            _ => self.descend(node, k, |n| self.count_fitting(n as u32, level)),
        }
    }

    /// Down from `node` to the leaf holding the `k`-th counted instance, `count(node)` giving
    /// how many a node holds.
    #[inline]
    fn descend(&self, mut node: u32, k: &mut u32, count: impl Fn(usize) -> u32) -> u32 {
        while node < self.shape.leaves {
            let left = count(2 * node as usize);
            if *k < left {
                node *= 2;
            } else {
                *k -= left;
                node = 2 * node + 1;
            }
        }
        node
    }

    /// Every instance [`Query::count`] counts, in id order (the debug check and tests).
    pub(super) fn list(&self, level: Option<u32>, out: &mut Vec<u32>) {
        self.list_in(1, level, out);
    }

    fn fit(&self, node: u32) -> Fit {
        let t = self.fleet;
        let n = node as usize;
        if t.max_cpu[n] < self.cpu_units || t.max_memory[n] < self.memory_mib {
            Fit::None
        } else if t.min_cpu[n] >= self.cpu_units && t.min_memory[n] >= self.memory_mib {
            Fit::All
        } else {
            Fit::Some
        }
    }

    /// The request asks for every zone of the fleet.
    fn every_zone(&self) -> bool {
        let zones = self.shape.zones;
        zones < 64 && self.zones == (1 << zones) - 1
    }

    /// The cells of `node` for the request's zones: one step per zone asked for (usually one
    /// or all, after `spread(AZ)`), not one per zone of the fleet.
    #[inline]
    fn zone_cells(&self, node: u32) -> impl Iterator<Item = usize> {
        let base = node as usize * self.shape.zones as usize;
        let mut zones = self.zones;
        std::iter::from_fn(move || {
            let zone = zones.trailing_zeros() as usize;
            zones &= zones.wrapping_sub(1);
            (zone < 64).then_some(base + zone)
        })
    }

    /// The fewest tasks of the group among eligible instances of the zones under `node`.
    fn least_in(&self, node: u32) -> u32 {
        let group = self.group.expect("a group tree for counts");
        self.zone_cells(node)
            .map(|cell| group.fewest[cell].least)
            .min()
            .unwrap_or(u32::MAX)
    }

    #[inline]
    fn candidate(&self, id: u32, level: Option<u32>) -> bool {
        let at = self.facts.filed[id as usize];
        at.cpu_units >= self.cpu_units
            && at.memory_mib >= self.memory_mib
            && self.counted_if_fits(id, level)
    }

    /// Whether instance `id` is counted if it fits the request's CPU and memory: eligible, in
    /// one of the zones, with exactly `level` tasks of the group if given.
    #[inline]
    fn counted_if_fits(&self, id: u32, level: Option<u32>) -> bool {
        let i = id as usize;
        self.facts.eligible(i)
            && self.zones & (1 << self.facts.zone_of[i]) != 0
            && level.is_none_or(|level| self.group.expect("group tree").counts[i] == level)
    }

    fn min_below(&self, node: u32, best: u32) -> u32 {
        let fit = self.fit(node);
        if matches!(fit, Fit::None) {
            return best;
        }
        let least = self.least_in(node);
        if least >= best {
            return best;
        }
        match fit {
            Fit::All => least,
            _ if node >= self.shape.leaves => {
                let counts = &self.group.expect("group tree").counts;
                self.shape
                    .block(node)
                    .filter(|&id| self.candidate(id as u32, None))
                    .map(|id| counts[id])
                    .fold(best, u32::min)
            }
            _ => {
                let best = self.min_below(2 * node, best);
                self.min_below(2 * node + 1, best)
            }
        }
    }

    fn count_in(&self, node: u32, level: Option<u32>) -> u32 {
        match self.fit(node) {
            Fit::None => 0,
            Fit::All => self.count_fitting(node, level),
            Fit::Some if level.is_some_and(|level| self.least_in(node) > level) => 0,
            Fit::Some if node >= self.shape.leaves => self
                .shape
                .block(node)
                .filter(|&id| self.candidate(id as u32, level))
                .count() as u32,
            Fit::Some => self.count_in(2 * node, level) + self.count_in(2 * node + 1, level),
        }
    }

    /// [`Query::count_in`] of a node where every candidate fits (or none is eligible): the sum
    /// of its zone cells, of eligible instances or of those with exactly `level` tasks.
    fn count_fitting(&self, node: u32, level: Option<u32>) -> u32 {
        match level {
            None if self.every_zone() => self.fleet.eligible_total[node as usize],
            None => self.zone_cells(node).map(|c| self.fleet.eligible[c]).sum(),
            Some(level) => {
                let group = self.group.expect("group tree");
                self.zone_cells(node)
                    .map(|c| group.fewest[c])
                    .filter(|cell| cell.least == level)
                    .map(|cell| cell.at_least)
                    .sum()
            }
        }
    }

    fn list_in(&self, node: u32, level: Option<u32>, out: &mut Vec<u32>) {
        if self.count_in(node, level) == 0 {
            return;
        }
        if node >= self.shape.leaves {
            out.extend(
                self.shape
                    .block(node)
                    .map(|id| id as u32)
                    .filter(|&id| self.candidate(id, level)),
            );
            return;
        }
        self.list_in(2 * node, level, out);
        self.list_in(2 * node + 1, level, out);
    }
}

/// How many of a block's instances hold its most after one more with `value`; `most` follows.
fn at_most_after(most: &mut u32, value: u32, at_most: u32) -> u32 {
    if value > *most || at_most == 0 {
        *most = value;
        1
    } else {
        at_most + u32::from(value == *most)
    }
}

/// The position of the `k`-th (from 0) set bit of `bits`, if it has that many.
fn nth_set_bit(mut bits: u64, k: u32) -> Option<u32> {
    for _ in 0..k {
        bits &= bits.wrapping_sub(1);
    }
    (bits != 0).then(|| bits.trailing_zeros())
}
