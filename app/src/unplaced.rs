//! Tasks a service could not place, in a person's words: how many of its desired tasks it is
//! missing while its last placement failed, and why (ECS's service event: the closest container
//! instance and what rejected it). The service row, the fleet's "not placed"
//! strip and the comparison's headline read it; the placement explainer in the service's
//! details says the rest.

use flotilla_core::service::ServiceId;
use flotilla_core::World;

/// A service's tasks that could not be placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    /// Desired tasks the service is missing (desired minus tasks placed and wanted running).
    pub count: u32,
    /// Why, in ECS's words from the service event: "The closest matching container-instance
    /// i-0abc has insufficient CPU units available", or the whole event when it names no
    /// closest match. The placement explainer (the service's details) gives the numbers.
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
    // ECS's own words for the last failure, as logged: its closest-match sentence when it has
    // one. Read from the service's record, so showing it costs no placement run per render.
    let line = record
        .runtime
        .last_placement_failure
        .as_deref()
        .unwrap_or_default();
    let reason = line
        .split_once("requirements. ")
        .map_or(line, |(_, closest)| closest)
        .trim_end_matches('.')
        .to_string();
    Some(Unplaced { count, reason })
}
