//! A build without the `discovery` feature (the embed's): the hooks the lifecycle and the
//! health checks call into service discovery (`discovery.rs` in the full build), as what they
//! do for a service without load balancers or Cloud Map services — the only kind such a build
//! compiles (`scenario/without_discovery.rs`). So `lifecycle.rs` and `health_checks.rs` read the
//! same in both builds, and these calls compile to nothing.

use super::{World, DEACTIVATING_MS};
use crate::service::ServiceId;
use crate::task::TaskId;

impl World {
    /// ACTIVATING: no target to register.
    #[inline]
    pub(super) fn register_targets(&mut self, _id: TaskId) {}

    /// RUNNING: no Cloud Map service to register in.
    #[inline]
    pub(super) fn register_in_cloud_map(&mut self, _id: TaskId) {}

    /// DEACTIVATING: nothing drains, so the step takes its usual time.
    #[inline]
    pub(super) fn begin_deregistration(&mut self, _id: TaskId) -> u64 {
        DEACTIVATING_MS
    }

    /// STOPPED: nothing to forget.
    #[inline]
    pub(super) fn forget_in_discovery(&mut self, _id: TaskId) {}

    /// No target stands between a healthy container and the healthy count.
    #[inline]
    pub(super) fn load_balancer_allows_counting(&self, _id: TaskId) -> bool {
        true
    }

    /// No service has a load balancer.
    #[inline]
    pub(super) fn has_load_balancers(&self, _service: ServiceId) -> bool {
        false
    }

    /// No Cloud Map instance to mark unhealthy.
    #[inline]
    pub(super) fn cloud_map_unhealthy(&mut self, _id: TaskId) {}

    /// Only called for load-balanced tasks, which this build never has.
    #[inline]
    pub(super) fn on_target_healthy(&mut self, _id: TaskId) {}
}
