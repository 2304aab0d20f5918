//! Tasks a service could not place, in a person's words: how many of its desired tasks it is
//! missing while its last placement failed, and why its next task cannot go anywhere (the
//! closest container instance and what rejected it). The service row, the fleet's "not placed"
//! strip and the comparison's headline read it; the placement explainer in the service's
//! details says the rest.

use flotilla_core::service::ServiceId;
use flotilla_core::World;

/// A service's tasks that could not be placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    /// Desired tasks the service is missing (desired minus tasks placed and wanted running).
    pub count: u32,
    /// Why its next task cannot be placed, short: "i-0abc (us-east-1a) needs 1024 CPU units,
    /// 0 available (short by 1024)", or "no container instance is registered".
    pub reason: String,
}

impl Unplaced {
    /// "1 task could not be placed" / "3 tasks could not be placed".
    pub fn headline(&self) -> String {
        let tasks = if self.count == 1 { "task" } else { "tasks" };
        format!("{} {tasks} could not be placed", self.count)
    }
}

/// The tasks `service` could not place, or `None` when it is missing none. A service counts as
/// unable to place while its last placement failed and no later round placed every task it was
/// missing (the core clears that mark then), and it is short of its desired count: a rolling
/// deployment that holds tasks back for its maximumPercent is not a placement failure.
pub fn unplaced(world: &World, service: ServiceId) -> Option<Unplaced> {
    let record = world.services().get(service.0 as usize)?;
    record.runtime.last_placement_failure.as_ref()?;
    let count = record
        .desired_count
        .saturating_sub(record.runtime.wanting_to_run);
    if count == 0 {
        return None;
    }
    let decision = world.explain_next_placement(service);
    let reason = match decision.closest_match() {
        _ if decision.chosen.is_some() => {
            "it fits now; the scheduler places it at its next round".to_string()
        }
        Some((instance, why)) => {
            let label = world
                .instances()
                .get(instance.0 as usize)
                .map_or_else(|| format!("instance {}", instance.0), |i| i.label());
            format!("closest match {label}: {}", why.describe())
        }
        None => "no container instance is registered".to_string(),
    };
    Some(Unplaced { count, reason })
}
