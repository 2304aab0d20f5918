//! An edit of the working scenario in words, for the undo/redo buttons ("Undo: add 2 ×
//! m5.large in us-east-1a"). Edits reach the app as whole scenarios (from the editors, the
//! library, imports, "Add it"), so the label is computed by comparing the scenario before and
//! after: fleet entries by what they launch, services by name, the rest by section.

use crate::compact::SortedMap;
use crate::scenario::{FleetEntry, Scenario};
use crate::service::ServiceDefinition;

/// Changes named in one label; more are summed up as "and N more changes".
const PARTS_SHOWN_MAX: usize = 3;

/// What changed from `before` to `after`, short and in the sandbox's words. A scenario with
/// another name is "open “name”"; an identical one is "restart “name”" (the run restarts).
pub fn describe_edit(before: &Scenario, after: &Scenario) -> String {
    if before.name != after.name {
        return format!("open \u{201c}{}\u{201d}", after.name);
    }
    let mut parts = fleet_changes(&before.fleet, &after.fleet);
    parts.extend(service_changes(&before.services, &after.services));
    let sections = [
        (
            before.task_definitions != after.task_definitions,
            "change task definitions",
        ),
        (
            before.revision_behaviour != after.revision_behaviour,
            "change revision behaviour",
        ),
        (before.timeline != after.timeline, "change the timeline"),
        (before.seed != after.seed, "change the seed"),
        (
            before.description != after.description,
            "change the description",
        ),
    ];
    parts.extend(
        sections
            .iter()
            .filter(|(changed, _)| *changed)
            .map(|(_, part)| part.to_string()),
    );
    match parts.len() {
        0 => format!("restart \u{201c}{}\u{201d}", after.name),
        n if n <= PARTS_SHOWN_MAX => parts.join("; "),
        n => format!(
            "{} and {} more changes",
            parts[..PARTS_SHOWN_MAX].join("; "),
            n - PARTS_SHOWN_MAX
        ),
    }
}

/// Instances added and removed, grouped by what they launch (type, AZ and the rest of the entry).
fn fleet_changes(before: &[FleetEntry], after: &[FleetEntry]) -> Vec<String> {
    let mut delta: SortedMap<String, i64> = SortedMap::new();
    for (entries, sign) in [(before, -1), (after, 1)] {
        for entry in entries {
            *delta.or_default(launch_key(entry)) += sign * i64::from(entry.count);
        }
    }
    delta
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(what, n)| {
            let verb = if n > 0 { "add" } else { "remove" };
            format!("{verb} {} × {what}", n.unsigned_abs())
        })
        .collect()
}

/// "m5.large in us-east-1a", with attributes and launch options when the entry has any.
fn launch_key(entry: &FleetEntry) -> String {
    let mut key = format!("{} in {}", entry.instance_type, entry.availability_zone);
    let mut extras: Vec<String> = entry
        .attributes
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    if let Some(ami) = &entry.ami_id {
        extras.push(ami.clone());
    }
    if entry.awsvpc_trunking == Some(true) {
        extras.push("trunking".into());
    }
    if entry.agent_connected == Some(false) {
        extras.push("agent disconnected".into());
    }
    if !extras.is_empty() {
        key.push_str(&format!(" ({})", extras.join(", ")));
    }
    key
}

fn find<'a>(list: &'a [ServiceDefinition], name: &str) -> Option<&'a ServiceDefinition> {
    list.iter().find(|s| s.service_name == name)
}

fn service_changes(before: &[ServiceDefinition], after: &[ServiceDefinition]) -> Vec<String> {
    let mut parts = Vec::new();
    for old in before {
        let name = &old.service_name;
        let Some(new) = find(after, name) else {
            parts.push(format!("delete service {name}"));
            continue;
        };
        if old == new {
            continue;
        }
        let mut rest = new.clone();
        if old.desired_count != new.desired_count {
            parts.push(format!(
                "set {name} desired count {} → {}",
                old.desired_count.unwrap_or(0),
                new.desired_count.unwrap_or(0)
            ));
            rest.desired_count = old.desired_count;
        }
        if old.placement_strategy != new.placement_strategy {
            parts.push(format!("change {name} placement strategies"));
            rest.placement_strategy = old.placement_strategy.clone();
        }
        if old.placement_constraints != new.placement_constraints {
            parts.push(format!("change {name} placement constraints"));
            rest.placement_constraints = old.placement_constraints.clone();
        }
        if old.deployment_configuration != new.deployment_configuration {
            parts.push(format!("change {name} deployment configuration"));
            rest.deployment_configuration = old.deployment_configuration.clone();
        }
        if rest != *old {
            parts.push(format!("change service {name}"));
        }
    }
    for new in after {
        if find(before, &new.service_name).is_none() {
            parts.push(format!("create service {}", new.service_name));
        }
    }
    parts
}

// The tests edit the default built-in, which has load balancers and traffic.
#[cfg(all(test, feature = "discovery"))]
mod tests {
    use super::*;
    use crate::builtin::default_scenario;
    use crate::parse_scenario;
    use expect_test::{expect, Expect};

    fn check(edit: impl FnOnce(&mut Scenario), expect: Expect) {
        let before = parse_scenario(default_scenario().json).expect("valid");
        let mut after = before.clone();
        edit(&mut after);
        expect.assert_eq(&describe_edit(&before, &after));
    }

    fn entry(instance_type: &str, zone: &str, count: u32) -> FleetEntry {
        FleetEntry {
            instance_type: instance_type.into(),
            availability_zone: zone.into(),
            count,
            ami_id: None,
            attributes: crate::compact::SortedMap::new(),
            awsvpc_trunking: None,
            agent_connected: None,
        }
    }

    #[test]
    fn adding_instances_names_count_type_and_zone() {
        check(
            |s| s.fleet.push(entry("m5.large", "us-east-1a", 2)),
            expect!["add 2 × m5.large in us-east-1a"],
        );
    }

    #[test]
    fn removing_instances_and_attributes_are_named() {
        check(
            |s| {
                s.fleet.remove(0);
                let mut tagged = entry("c5.xlarge", "us-east-1b", 1);
                tagged.attributes.insert("stack".into(), "prod".into());
                s.fleet.push(tagged);
            },
            expect![
                "add 1 × c5.xlarge in us-east-1b (stack=prod); remove 2 × m5.large in us-east-1a"
            ],
        );
    }

    #[test]
    fn splitting_an_entry_without_changing_what_launches_is_no_fleet_change() {
        check(
            |s| {
                let mut first = s.fleet[0].clone();
                first.count = 1;
                s.fleet[0].count -= 1;
                s.fleet.push(first);
            },
            expect!["restart “Order, User and Shipping microservices”"],
        );
    }

    #[test]
    fn service_edits_name_the_service_and_what_changed() {
        check(
            |s| {
                s.services[0].desired_count = Some(5);
                s.services[1]
                    .placement_strategy
                    .push(crate::service::PlacementStrategySpec {
                        kind: "binpack".into(),
                        field: Some("memory".into()),
                    });
            },
            expect!["set order desired count 3 → 5; change user placement strategies"],
        );
        check(
            |s| {
                s.services.remove(2);
                s.services[0].health_check_grace_period_seconds = Some(30);
            },
            expect!["change service order; delete service shipping"],
        );
    }

    #[test]
    fn many_changes_are_summed_up_and_another_scenario_is_opened() {
        check(
            |s| {
                s.seed += 1;
                s.timeline.clear();
                s.fleet.clear();
                s.services.clear();
            },
            expect!["remove 2 × m5.large in us-east-1a; remove 2 × m5.large in us-east-1b; remove 2 × m5.large in us-east-1c and 5 more changes"],
        );
        check(|s| s.name = "Other".into(), expect!["open “Other”"]);
    }
}
