//! A build without the `discovery` feature: no discovery document (`discovery.rs` in the full
//! build) is recognised, so an elbv2, route53 or servicediscovery document is "not a document
//! Flotilla imports", and a service's `loadBalancers` and `serviceRegistries` are always left
//! out with a note (`Importer::names_known`).

use super::{DocumentKind, Importer, Part};
use serde_json::{Map, Value};

pub(super) fn detect(_object: &Map<String, Value>) -> Option<DocumentKind> {
    None
}

pub(super) fn bundle_kind(_operation: &str, _api: Option<&str>) -> Option<DocumentKind> {
    None
}

impl Importer {
    /// Never called with a discovery document (none is recognised).
    pub(super) fn discovery(&mut self, _stage: u8, _part: &Part) {}

    /// No target group or Cloud Map service to name.
    pub(super) fn names_known(&self, _key: &str, _value: &Value) -> bool {
        false
    }
}
