//! Half-filled editor forms, kept as the text the user typed (in the reducer and in browser
//! storage) so that switching tabs, a rewind or a reload never loses them; and the conversions
//! from a draft to a scenario edit, each failure a message for the field it belongs to.

use flotilla_core::query;
use flotilla_core::scenario::{validate, FleetEntry};
use flotilla_core::service::{PlacementConstraintSpec, PlacementStrategySpec, ServiceDefinition};
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Drafts {
    pub fleet: FleetDraft,
    pub service: ServiceDraft,
    pub taskdef: crate::taskdef_draft::TaskDefDraft,
}

/// "Add N instances of a type in an AZ with these attributes".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetDraft {
    pub instance_type: String,
    pub availability_zone: String,
    pub count: String,
    /// `stack=prod, team=payments`
    pub attributes: String,
}

impl Default for FleetDraft {
    fn default() -> FleetDraft {
        FleetDraft {
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1a".into(),
            count: "1".into(),
            attributes: String::new(),
        }
    }
}

/// The editable parts of one service; `service` names which one (empty: not started).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDraft {
    pub service: String,
    pub desired_count: String,
    /// Strategies as the details panel writes them: `spread(attribute:ecs.availability-zone), binpack(memory)`.
    pub strategies: String,
    pub distinct_instance: bool,
    /// A memberOf expression in the cluster query language (empty: none).
    pub member_of: String,
}

/// A problem with one field of a form (`field` as named in the form), or with the scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FleetDraft {
    /// The scenario with this draft's instances added, validated by the core.
    pub fn add_to(&self, scenario: &Scenario) -> Result<Scenario, Vec<FieldError>> {
        let mut errors = Vec::new();
        let count = self.count.trim().parse::<u32>().unwrap_or_else(|_| {
            errors.push(field("count", "a whole number of instances, such as 3"));
            0
        });
        let mut attributes = BTreeMap::new();
        for pair in self
            .attributes
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match pair.split_once('=') {
                Some((name, value)) => {
                    attributes.insert(name.trim().to_string(), value.trim().to_string());
                }
                None => errors.push(field(
                    "attributes",
                    &format!("\u{201c}{pair}\u{201d} is not name=value"),
                )),
            }
        }
        let mut edited = scenario.clone();
        edited.fleet.push(FleetEntry {
            instance_type: self.instance_type.trim().to_string(),
            availability_zone: self.availability_zone.trim().to_string(),
            count,
            ami_id: None,
            attributes,
            awsvpc_trunking: None,
            agent_connected: None,
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        checked(edited, |path| {
            let rest = path.strip_prefix("fleet[")?.split_once("].")?.1;
            Some(match rest {
                "instanceType" => "instance_type",
                "availabilityZone" => "availability_zone",
                "count" => "count",
                _ if rest.starts_with("attributes") => "attributes",
                _ => return None,
            })
        })
    }
}

impl ServiceDraft {
    pub fn from_definition(definition: &ServiceDefinition) -> ServiceDraft {
        let strategies = definition
            .placement_strategy
            .iter()
            .map(|s| match &s.field {
                Some(field) => format!("{}({field})", s.kind),
                None => s.kind.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let constraint = |kind: &str| {
            definition
                .placement_constraints
                .iter()
                .find(|c| c.kind == kind)
        };
        ServiceDraft {
            service: definition.service_name.clone(),
            desired_count: definition.desired_count.unwrap_or(0).to_string(),
            strategies,
            distinct_instance: constraint("distinctInstance").is_some(),
            member_of: constraint("memberOf")
                .and_then(|c| c.expression.clone())
                .unwrap_or_default(),
        }
    }

    /// The memberOf expression's parse error: (1-based column, message).
    pub fn member_of_error(&self) -> Option<(u32, String)> {
        if self.member_of.trim().is_empty() {
            return None;
        }
        query::parse(&self.member_of)
            .err()
            .map(|e| (e.column, e.message))
    }

    /// The scenario with this service edited, validated by the core.
    pub fn apply_to(&self, scenario: &Scenario) -> Result<Scenario, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut edited = scenario.clone();
        let Some(index) = edited
            .services
            .iter()
            .position(|s| s.service_name == self.service)
        else {
            return Err(vec![field("service", "choose a service")]);
        };
        let definition = &mut edited.services[index];
        match self.desired_count.trim().parse::<u32>() {
            Ok(count) => definition.desired_count = Some(count),
            Err(_) => errors.push(field("desired_count", "a whole number of tasks, such as 3")),
        }
        match parse_strategies(&self.strategies) {
            Ok(strategies) => definition.placement_strategy = strategies,
            Err(message) => errors.push(FieldError {
                field: "strategies",
                message,
            }),
        }
        if let Some((column, message)) = self.member_of_error() {
            errors.push(FieldError {
                field: "member_of",
                message: format!("column {column}: {message}"),
            });
        }
        definition
            .placement_constraints
            .retain(|c| c.kind != "distinctInstance" && c.kind != "memberOf");
        if self.distinct_instance {
            definition
                .placement_constraints
                .push(PlacementConstraintSpec {
                    kind: "distinctInstance".into(),
                    expression: None,
                });
        }
        if !self.member_of.trim().is_empty() {
            definition
                .placement_constraints
                .push(PlacementConstraintSpec {
                    kind: "memberOf".into(),
                    expression: Some(self.member_of.trim().to_string()),
                });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        checked(edited, |path| {
            let rest = path.strip_prefix("services[")?.split_once("].")?.1;
            Some(match rest {
                "desiredCount" => "desired_count",
                _ if rest.starts_with("placementStrategy") => "strategies",
                _ if rest.starts_with("placementConstraints") => "member_of",
                _ => return None,
            })
        })
    }
}

/// `spread(attribute:ecs.availability-zone), binpack(memory), random` → the API's shape.
pub fn parse_strategies(text: &str) -> Result<Vec<PlacementStrategySpec>, String> {
    let mut strategies = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = rest.find(['(', ',']).unwrap_or(rest.len());
        let kind = rest[..end].trim().to_string();
        let mut field = None;
        rest = &rest[end..];
        if let Some(inner) = rest.strip_prefix('(') {
            let close = inner
                .find(')')
                .ok_or_else(|| format!("{kind}( is missing its closing parenthesis"))?;
            field = Some(inner[..close].trim().to_string());
            rest = &inner[close + 1..];
        }
        flotilla_core::placement::Strategy::from_api(&kind, field.as_deref())
            .map_err(|message| format!("{kind}: {message}"))?;
        strategies.push(PlacementStrategySpec { kind, field });
        rest = rest.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Ok(strategies)
}

fn field(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_string(),
    }
}

/// Runs the core's validation; each error goes to the field `field_of(path)` names, or to
/// "scenario" when it belongs to no field of the form.
fn checked(
    edited: Scenario,
    field_of: impl Fn(&str) -> Option<&'static str>,
) -> Result<Scenario, Vec<FieldError>> {
    let errors = validate(&edited);
    if errors.is_empty() {
        return Ok(edited);
    }
    Err(errors
        .into_iter()
        .map(|e| FieldError {
            field: field_of(&e.path).unwrap_or("scenario"),
            message: e.to_string(),
        })
        .collect())
}
