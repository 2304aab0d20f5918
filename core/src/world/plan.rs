//! The deployment plan preview on the World (§4.2): the pure `deploy::plan` fed with the
//! cluster as it is now and the revisions' nominal timing. Reads only; the world is not changed.

use super::*;

impl World {
    /// The plan preview (§4.2) for deploying `task_definition` (default: the current revision,
    /// as forceNewDeployment would) to a REPLICA service, from the cluster as it is now and the
    /// revisions' nominal timing. Pure: the world is not changed.
    pub fn plan_deployment(
        &self,
        service_name: &str,
        task_definition: Option<&str>,
    ) -> Result<deploy::Plan, ActionError> {
        let service = self
            .services
            .iter()
            .find(|s| s.name == service_name)
            .ok_or_else(|| ActionError(format!("no service named \"{service_name}\"")))?;
        if service.is_daemon() {
            return Err(ActionError(
                "the plan preview covers REPLICA services; a DAEMON service replaces one task per instance".into(),
            ));
        }
        let old = service.task_definition.clone();
        let new = match task_definition {
            Some(text) => self.registry.resolve(text).map_err(ActionError)?,
            None => old.clone(),
        };
        let new_requirements = self.requirements_of(&new);
        let old_requirements = self.requirements_of(&old);
        let new_behaviour = self.behaviours.get(&new).copied().unwrap_or_default();
        let old_behaviour = self.behaviours.get(&old).copied().unwrap_or_default();
        let eni_ms = |r: &crate::taskdef::ResourceRequirements| {
            if r.network_mode == Some(NetworkMode::Awsvpc) {
                ENI_ATTACH_MS
            } else {
                0
            }
        };
        let checks = self
            .registry
            .get(&new)
            .map(health::essential_checks)
            .unwrap_or_default();
        let healthy_after_ms = match health::health_plan(&checks, false) {
            HealthPlan::CountedAfter { after_ms } | HealthPlan::Checks { after_ms, .. } => after_ms,
        };
        let start_to_healthy_ms =
            eni_ms(&new_requirements) + new_behaviour.start_ms + ACTIVATING_MS + healthy_after_ms;
        let stop_ms = DEACTIVATING_MS
            + old_behaviour.stop_ms.min(self.stop_timeout_ms(&old))
            + eni_ms(&old_requirements);
        let free_slots: u32 = self
            .instances
            .iter()
            .filter(|i| i.accepts_placements())
            .map(|i| slots_for(i, &new_requirements))
            .sum();
        let old_task_frees_slot = old_requirements.cpu_units >= new_requirements.cpu_units
            && old_requirements.memory_mib >= new_requirements.memory_mib
            && new_requirements
                .static_host_ports
                .iter()
                .all(|p| old_requirements.static_host_ports.contains(p));
        let input = deploy::PlanInput {
            desired: service.desired_count,
            minimum_healthy_percent: service.minimum_healthy_percent(),
            maximum_percent: service.maximum_percent(),
            old_tasks: service.desired_count,
            free_slots,
            old_task_frees_slot,
            start_to_healthy_ms,
            stop_ms,
        };
        Ok(deploy::plan(&service.name, &input))
    }
}

/// How many tasks with these requirements fit on the instance now (plan preview capacity).
fn slots_for(
    instance: &ContainerInstance,
    requirements: &crate::taskdef::ResourceRequirements,
) -> u32 {
    let by = |remaining: u32, needed: u32| remaining.checked_div(needed).unwrap_or(u32::MAX);
    let fits = by(instance.remaining_cpu_units, requirements.cpu_units)
        .min(by(instance.remaining_memory_mib, requirements.memory_mib));
    if requirements.static_host_ports.is_empty() {
        fits.min(1_000)
    } else if requirements
        .static_host_ports
        .iter()
        .any(|&p| instance.port_in_use(p))
    {
        0
    } else {
        fits.min(1)
    }
}
