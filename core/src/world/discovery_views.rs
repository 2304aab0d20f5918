//! Read-only views of the discovery model for traffic, the UI and tests: plain data borrowed
//! from the world, built without allocating (slices and iterators over the state the world
//! keeps), so a traffic tick can read them every simulated second at 30,000 tasks.
//!
//! - per target group: [`TargetGroupView`] — its configuration, its targets (state, task,
//!   revision, instance, Availability Zone, address, registered at, draining until) and how it
//!   routes now (healthy, fail-open or nothing);
//! - per listener: the compiled rules with weighted forwards (`Discovery::config`);
//! - per Route 53 name and type: [`RecordSetView`] — weighted records, alias targets, TTL;
//! - per Cloud Map service: its registered instances with health, and MULTIVALUE answers
//!   drawn from the caller's stream (the DNS-clients stream of whoever resolves).

use super::*;
use crate::discovery::{
    answers, CloudMapServiceId, LoadBalancerConfig, RecordConfig, Routing, TargetGroupConfig,
    TargetGroupId,
};
use crate::rng::SimRng;

/// A target group now.
#[derive(Clone, Copy, Debug)]
pub struct TargetGroupView<'a> {
    pub id: TargetGroupId,
    pub config: &'a TargetGroupConfig,
    /// Registered and draining targets, in registration order.
    pub targets: &'a [Target],
    /// Which targets receive new requests now.
    pub routing: Routing,
}

/// One target with what traffic needs to know about its task.
#[derive(Clone, Copy, Debug)]
pub struct TargetRow<'a> {
    pub target: &'a Target,
    pub revision: &'a TaskDefinitionRef,
    pub availability_zone: &'a str,
    /// Receives new requests under the group's routing now.
    pub routed: bool,
}

impl<'a> TargetGroupView<'a> {
    /// The targets with their task's revision and zone (no allocation).
    pub fn rows(self, world: &'a World) -> impl Iterator<Item = TargetRow<'a>> + 'a {
        let routing = self.routing;
        self.targets.iter().map(move |target| {
            let task = world.task(target.task);
            TargetRow {
                target,
                revision: &task.task_definition,
                availability_zone: &world.instance(target.instance).availability_zone,
                routed: routing.routes_to(target.state()),
            }
        })
    }

    /// How many targets receive new requests now.
    pub fn routed_count(&self) -> usize {
        self.targets
            .iter()
            .filter(|t| self.routing.routes_to(t.state()))
            .count()
    }
}

/// The records of one Route 53 name and type.
#[derive(Clone, Debug)]
pub struct RecordSetView<'a> {
    pub name: &'a str,
    pub records: Vec<&'a RecordConfig>,
}

impl RecordSetView<'_> {
    /// Each record's share of answers (parts of `discovery::SHARE_SCALE`), in `records` order:
    /// weight / sum, all-zero = equal; a simple record gets everything.
    pub fn shares(&self) -> Vec<u32> {
        let weights: Vec<u32> = self.records.iter().map(|r| r.weight.unwrap_or(1)).collect();
        answers::weighted_shares(&weights)
    }
}

impl World {
    /// A target group's view now.
    pub fn target_group_view(&self, id: TargetGroupId) -> TargetGroupView<'_> {
        let targets = self.discovery.targets(id);
        TargetGroupView {
            id,
            config: self.discovery.config().target_group(id),
            targets,
            routing: answers::routable_targets(targets.iter().map(Target::state)),
        }
    }

    /// Every target group's view, in file order.
    pub fn target_group_views(&self) -> impl Iterator<Item = TargetGroupView<'_>> {
        (0..self.discovery.config().target_groups.len())
            .map(|i| self.target_group_view(TargetGroupId(i as u32)))
    }

    /// The load balancers with their listeners, rules (priority order) and weighted forwards.
    pub fn load_balancers(&self) -> &[LoadBalancerConfig] {
        &self.discovery.config().load_balancers
    }

    /// Every Route 53 record, in file order (a record set's records are contiguous or not:
    /// use [`World::record_set`] to gather one name and type).
    pub fn dns_records(&self) -> &[RecordConfig] {
        &self.discovery.config().records
    }

    /// The records answering `name` (lowercase, no trailing dot) for `kind`, with alias
    /// targets, weights and TTLs; `None` when no record has that name and type.
    pub fn record_set<'a>(
        &'a self,
        name: &'a str,
        kind: crate::discovery::RecordType,
    ) -> Option<RecordSetView<'a>> {
        let records: Vec<&RecordConfig> = self
            .dns_records()
            .iter()
            .filter(|r| r.name == name && r.kind == kind)
            .collect();
        (!records.is_empty()).then_some(RecordSetView { name, records })
    }

    /// The instances registered in a Cloud Map service, with their health.
    pub fn registry_instances(&self, service: CloudMapServiceId) -> &[RegistryInstance] {
        self.discovery.registry_instances(service)
    }

    /// A MULTIVALUE answer for a Cloud Map service: positions in
    /// [`World::registry_instances`], at most 8, healthy ones first (§5.3), drawn from `rng`
    /// (the resolver's DNS-clients stream) when there are more than 8 to choose from.
    pub fn multivalue_answer(&self, service: CloudMapServiceId, rng: &mut SimRng) -> Vec<u32> {
        let healthy: Vec<bool> = self
            .registry_instances(service)
            .iter()
            .map(|i| i.healthy)
            .collect();
        answers::multivalue_answer(&healthy, rng)
    }
}
