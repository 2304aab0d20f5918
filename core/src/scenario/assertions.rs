//! The scenario's `assertions`, compiled: the names a sentence may use (services in
//! `ServiceId` order, task-definition families, runTask groups, the fleet's Availability Zones
//! and instance types) gathered from the file, then `crate::assertions::compile`. Kept apart
//! from `compile.rs` so the assertion language owns its rules and the compiler only calls it.

use super::Scenario;
use crate::action::Action;
use crate::assertions::{self, Assertion, Names};
use crate::problem::Problem;

/// Every assertion of the scenario parsed against its names, or the problems with paths.
pub(super) fn compile(scenario: &Scenario) -> Result<Vec<Assertion>, Vec<Problem>> {
    if scenario.assertions.is_empty() {
        return Ok(Vec::new());
    }
    assertions::compile(&scenario.assertions, &names(scenario))
}

/// What the scenario's sentences may name.
pub fn names(scenario: &Scenario) -> Names<'_> {
    let mut names = Names {
        services: scenario
            .services
            .iter()
            .map(|s| s.service_name.as_str())
            .collect(),
        ..Names::default()
    };
    for definition in &scenario.task_definitions {
        push_unique(&mut names.families, definition.family.as_str());
    }
    for entry in &scenario.fleet {
        push_unique(&mut names.zones, entry.availability_zone.as_str());
        push_unique(&mut names.instance_types, entry.instance_type.as_str());
    }
    for entry in &scenario.timeline {
        if let Action::RunTask(run) = &entry.action {
            if let Some(group) = &run.group {
                if !names.groups.contains(group) {
                    names.groups.push(group.clone());
                }
            }
        }
    }
    names
}

fn push_unique<'a>(list: &mut Vec<&'a str>, name: &'a str) {
    if !list.contains(&name) {
        list.push(name);
    }
}
