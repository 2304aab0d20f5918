//! A build without the `discovery` feature: the CloudFormation template's discovery part
//! (`cloudformation_discovery.rs` in the full build) is always empty, since such a build has no
//! scenario with target groups, load balancers, Route 53 records or Cloud Map services.

use super::cloudformation::LogicalIds;
use super::document::Node;
use crate::scenario::Scenario;
use crate::service::ServiceDefinition;

/// The discovery part of the template: nothing.
pub(super) struct DiscoveryResources {
    pub resources: Vec<(String, Node)>,
    pub parameters: Vec<(String, Node)>,
    pub needs_vpc: bool,
}

pub(super) fn discovery(_scenario: &Scenario, _ids: &mut LogicalIds) -> DiscoveryResources {
    DiscoveryResources {
        resources: Vec::new(),
        parameters: Vec::new(),
        needs_vpc: false,
    }
}

impl DiscoveryResources {
    /// No `LoadBalancers` or `ServiceRegistries` to write, no listener to wait for.
    pub(super) fn bind(&self, _properties: &mut Node, _service: &ServiceDefinition) -> Vec<String> {
        Vec::new()
    }
}
