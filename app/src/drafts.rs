//! Half-filled editor forms, kept as the text the user typed (in the reducer and in browser
//! storage) so that switching tabs, a rewind or a reload never loses them; and the conversions
//! from a draft to a scenario edit, each failure a message for the field it belongs to.

pub use crate::service_draft::ServiceDraft;
use flotilla_core::compact::SortedMap;
use flotilla_core::scenario::{validate, FleetEntry};
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Drafts {
    pub fleet: FleetDraft,
    /// Boxed: it is most of the draft, and `SandboxAction::SetDrafts` carries a whole `Drafts`.
    pub service: Box<ServiceDraft>,
    pub taskdef: crate::taskdef_draft::TaskDefDraft,
    /// The discovery and traffic member being edited, if one is open.
    pub discovery: Option<crate::discovery_draft::MemberDraft>,
}

/// "Add N instances of a type in an AZ with this AMI and these attributes".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetDraft {
    pub instance_type: String,
    pub availability_zone: String,
    pub count: String,
    /// `stack=prod, team=payments`
    pub attributes: String,
    /// `ami-0abcdef1234567890`; empty: none given.
    pub ami_id: String,
}

impl Default for FleetDraft {
    fn default() -> FleetDraft {
        FleetDraft {
            instance_type: "m5.large".into(),
            availability_zone: "us-east-1a".into(),
            count: "1".into(),
            attributes: String::new(),
            ami_id: String::new(),
        }
    }
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
            errors.push(field(
                "count",
                &whole_number_error(1, None, self.count.trim()),
            ));
            0
        });
        let mut attributes = SortedMap::new();
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
            ami_id: Some(self.ami_id.trim().to_string()).filter(|ami| !ami.is_empty()),
            attributes,
            awsvpc_trunking: None,
            agent_connected: None,
        });
        checked_with(edited, errors, |path| {
            let rest = path.strip_prefix("fleet[")?.split_once("].")?.1;
            Some(match rest {
                "instanceType" => "instance_type",
                "availabilityZone" => "availability_zone",
                "count" => "count",
                "amiId" => "ami_id",
                _ if rest.starts_with("attributes") => "attributes",
                _ => return None,
            })
        })
    }
}

pub(crate) fn field(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_string(),
    }
}

/// Runs the core's validation; each error goes to the field `field_of(path)` names, or, with
/// its path, to "scenario" when it belongs to no field of the form.
pub(crate) fn checked(
    edited: Scenario,
    field_of: impl Fn(&str) -> Option<&'static str>,
) -> Result<Scenario, Vec<FieldError>> {
    checked_with(edited, Vec::new(), field_of)
}

/// `checked` after the form's own errors (text that did not parse): every field's error is
/// reported at once. A field that has its own error keeps only that one, since the core saw
/// a placeholder there, not what the user typed.
pub(crate) fn checked_with(
    edited: Scenario,
    mut errors: Vec<FieldError>,
    field_of: impl Fn(&str) -> Option<&'static str>,
) -> Result<Scenario, Vec<FieldError>> {
    let own: flotilla_core::compact::SortedSet<&'static str> =
        errors.iter().map(|e| e.field).collect();
    for e in validate(&edited) {
        let error = match field_of(&e.path) {
            // Under its own field the path says nothing the form does not.
            Some(field) => FieldError {
                field,
                message: e.message,
            },
            None => FieldError {
                field: "scenario",
                message: e.to_string(),
            },
        };
        if !own.contains(error.field) {
            errors.push(error);
        }
    }
    if errors.is_empty() {
        Ok(edited)
    } else {
        Err(errors)
    }
}

/// What a disabled Apply/Add/Register button says beside it: "Fix the error above" or
/// "Fix the 3 errors above".
pub fn fix_errors_note(count: usize) -> String {
    match count {
        1 => "Fix the error above".into(),
        n => format!("Fix the {n} errors above"),
    }
}

/// The form's sentence for a number field that is not a whole number in range:
/// "must be a whole number from 0 to 100, found “abc”". The core says the same for a number
/// out of range ("…, found 150").
pub fn whole_number_error(low: u32, high: Option<u32>, found: &str) -> String {
    match high {
        Some(high) => {
            format!("must be a whole number from {low} to {high}, found \u{201c}{found}\u{201d}")
        }
        None => format!("must be a whole number, at least {low}, found \u{201c}{found}\u{201d}"),
    }
}
