//! The total work a scenario asks for (issue 13 item 14): time at a moment grows with services ×
//! tasks, and the documented per-item limits alone admit 10,000 services of 100,000 tasks each
//! (100 of them, an 8 KB file, took over a minute to reach 1 s of simulated time). So the tasks
//! the services ask for together are limited to the product's own scale budget, C1M: 1,000,000
//! tasks (PRODUCT.md), which also fits the run budget (`world::bounds`: 1,250,000 tasks). Each
//! REPLICA service counts at its largest desiredCount (its own, or one a timeline updateService
//! sets); a DAEMON service asks for one task per container instance, so it counts the fleet.
//! Services a timeline `createService` makes count as the `services[]` do (each of a numbered
//! batch on its own).

use super::{Scenario, DESIRED_COUNT_MAX, INSTANCES_MAX, SERVICES_MAX};
use crate::action::Action;
use crate::compact::SortedMap;
use crate::problem::Problem;
use crate::service::SchedulingStrategy;
use std::collections::BTreeMap;

/// Tasks all services together may ask for: the C1M budget.
pub const TOTAL_DESIRED_TASKS_MAX: u64 = 1_000_000;

/// The problem when the services ask for more than `TOTAL_DESIRED_TASKS_MAX` tasks in all, with
/// the figure and the path `services`. Nothing when a single service or the fleet is already
/// over its own limit (reported on its own, where it is). Linear in the scenario.
pub fn total_work_problem(scenario: &Scenario) -> Option<Problem> {
    let instances: u64 = scenario.fleet.iter().map(|e| u64::from(e.count)).sum();
    let over_own_limit = instances > u64::from(INSTANCES_MAX)
        || (scenario.services.iter()).any(|s| s.desired_count.unwrap_or(0) > DESIRED_COUNT_MAX);
    if over_own_limit {
        return None;
    }
    let mut largest: SortedMap<&str, u64> = SortedMap::new();
    let mut daemons: u64 = 0;
    for service in &scenario.services {
        if service.scheduling_strategy == Some(SchedulingStrategy::Daemon) {
            daemons += 1;
        } else {
            let count = u64::from(service.desired_count.unwrap_or(0));
            let peak = largest.or_default(service.service_name.as_str());
            *peak = (*peak).max(count);
        }
    }
    // Services made on the timeline, by name (a numbered batch's names are made here only to
    // find the updateService entries that name them).
    let mut created: BTreeMap<String, u64> = BTreeMap::new();
    for entry in &scenario.timeline {
        if let Action::CreateService(create) = &entry.action {
            let service = &create.service;
            let count = create.service_count().min(SERVICES_MAX as u32);
            if service.scheduling_strategy == Some(SchedulingStrategy::Daemon) {
                daemons += u64::from(count);
                continue;
            }
            let desired = u64::from(service.desired_count.unwrap_or(0).min(DESIRED_COUNT_MAX));
            for k in 0..count {
                let peak = created.entry(create.name_of(k)).or_default();
                *peak = (*peak).max(desired);
            }
        }
    }
    for entry in &scenario.timeline {
        if let Action::UpdateService(update) = &entry.action {
            let Some(count) = update.desired_count else {
                continue;
            };
            let count = u64::from(count.min(DESIRED_COUNT_MAX));
            if let Some(peak) = largest.get_mut(update.service.as_str()) {
                *peak = (*peak).max(count);
            } else if let Some(peak) = created.get_mut(update.service.as_str()) {
                *peak = (*peak).max(count);
            }
        }
    }
    let replica: u64 = largest.values().sum::<u64>() + created.values().sum::<u64>();
    let total = replica + daemons * instances;
    (total > TOTAL_DESIRED_TASKS_MAX).then(|| {
        let daemon_part = if daemons > 0 {
            format!(" ({replica} for REPLICA services at their largest desiredCount, timeline included, and {} for {daemons} DAEMON service{} on {instances} instances)", daemons * instances, if daemons == 1 { "" } else { "s" })
        } else {
            " (each service at its largest desiredCount, timeline included)".into()
        };
        Problem::new(
            "services",
            format!(
                "the services ask for {total} tasks in all{daemon_part}; the limit is {TOTAL_DESIRED_TASKS_MAX} tasks across services, the most a run in a browser tab is built for"
            ),
        )
    })
}
