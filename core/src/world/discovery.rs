//! The service-discovery model on the World (ecs-semantics §3.3, §5): the `Discovery`
//! sub-state (the compiled configuration, each target group's targets, each Cloud Map
//! service's instances, dynamic host ports in use) and the code that applies the pure
//! decisions of `crate::discovery`. A service task with a load balancer registers its targets
//! in ACTIVATING and deregisters them in DEACTIVATING, where it stays for the target group's
//! deregistration delay; target health comes from event-driven wake-ups (one per change of
//! state, never one per check); a healthy target makes the task count healthy, an unhealthy
//! one (after the grace period) gets the task replaced. Cloud Map: registered when RUNNING,
//! deregistered when the task is told to stop. Nothing here draws randomness.
//!
//! Read-only views for traffic (`World::discovery()` and `DiscoveryView`) expose slices, not
//! fresh collections, so a per-second reader allocates nothing.

use super::*;
use crate::compact::SortedMap;
use crate::discovery::{
    target_health, CloudMapServiceId, DiscoveryConfig, HealthVerdict, LoadBalancerBinding,
    RegistryBinding, TargetAddress, TargetGroupId, TargetHealth, TargetHealthState,
};
use crate::event::DiscoveryEvent;
use std::collections::BTreeSet;

/// Assumption (ECS docs ∅; the agent's default ephemeral range 49153–65535): dynamic host
/// ports are taken lowest first from here on each container instance.
pub const DYNAMIC_PORT_FIRST: u16 = 49_153;

/// The discovery sub-state of a world.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Discovery {
    config: DiscoveryConfig,
    /// Per service (by `ServiceId`): its target groups and its Cloud Map service.
    load_balancers: Vec<Vec<LoadBalancerBinding>>,
    registries: Vec<Vec<RegistryBinding>>,
    /// Per target group: its registered and draining targets, in registration order.
    targets: Vec<Vec<Target>>,
    /// Per Cloud Map service: its registered instances, in registration order.
    instances: Vec<Vec<RegistryInstance>>,
    /// Dynamic host ports taken, per container instance: port → (task, container port).
    dynamic_ports: SortedMap<InstanceId, SortedMap<u16, (TaskId, u16)>>,
    /// The fleet's Availability Zones, sorted: an address's second octet is the zone's index.
    zones: Vec<String>,
}

/// One target of a target group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub task: TaskId,
    pub instance: InstanceId,
    pub address: TargetAddress,
    pub registered_at: SimTime,
    pub health: TargetHealth,
    /// Set while draining: when the deregistration delay ends.
    pub draining_until: Option<SimTime>,
}

impl Target {
    pub fn state(&self) -> TargetHealthState {
        self.health.state
    }
}

/// One instance registered in a Cloud Map service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryInstance {
    pub task: TaskId,
    pub address: TargetAddress,
    pub registered_at: SimTime,
    /// Custom health as ECS reports it: false once the task's container health is UNHEALTHY
    /// or the load balancer marked it unhealthy.
    pub healthy: bool,
}

/// Timed steps of the discovery model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum DiscoveryWakeup {
    /// A target's checks reach a verdict: `passed` (its first passing check) or failed
    /// `UnhealthyThresholdCount` times in a row.
    TargetVerdict {
        task: TaskId,
        target_group: TargetGroupId,
        passed: bool,
    },
    /// The grace period of a task whose target is unhealthy ended.
    GraceEnd {
        task: TaskId,
        target_group: TargetGroupId,
    },
    /// A draining target's deregistration delay ended.
    Drained {
        task: TaskId,
        target_group: TargetGroupId,
    },
}

impl Discovery {
    pub(super) fn new(scenario: &CompiledScenario) -> Discovery {
        let zones: BTreeSet<String> = crate::compact::set_of(
            scenario
                .fleet
                .iter()
                .map(|entry| entry.availability_zone.clone()),
        );
        Discovery {
            targets: vec![Vec::new(); scenario.discovery.target_groups.len()],
            instances: vec![Vec::new(); scenario.discovery.cloud_map_services.len()],
            // Filled service by service as the world creates them (`add_service`).
            load_balancers: Vec::new(),
            registries: Vec::new(),
            config: scenario.discovery.clone(),
            dynamic_ports: SortedMap::new(),
            zones: zones.into_iter().collect(),
        }
    }

    pub fn config(&self) -> &DiscoveryConfig {
        &self.config
    }

    /// The targets of a target group (registered and draining), in registration order.
    pub fn targets(&self, group: TargetGroupId) -> &[Target] {
        &self.targets[group.0 as usize]
    }

    /// The instances of a Cloud Map service, in registration order.
    pub fn registry_instances(&self, service: CloudMapServiceId) -> &[RegistryInstance] {
        &self.instances[service.0 as usize]
    }

    /// A service the world creates (at time zero or by `createService`): its bindings,
    /// resolved.
    pub(super) fn add_service(
        &mut self,
        service: ServiceId,
        load_balancers: Vec<LoadBalancerBinding>,
        registries: Vec<RegistryBinding>,
    ) {
        let index = service.0 as usize;
        assert_eq!(
            index,
            self.load_balancers.len(),
            "services are added in id order"
        );
        self.load_balancers.push(load_balancers);
        self.registries.push(registries);
    }

    /// A service's `loadBalancers[]`, resolved.
    pub fn service_load_balancers(&self, service: ServiceId) -> &[LoadBalancerBinding] {
        self.load_balancers
            .get(service.0 as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// A service's `serviceRegistries[]`, resolved.
    pub fn service_registries(&self, service: ServiceId) -> &[RegistryBinding] {
        self.registries
            .get(service.0 as usize)
            .map_or(&[], Vec::as_slice)
    }

    fn has_bindings(&self, service: ServiceId) -> bool {
        !self.service_load_balancers(service).is_empty()
            || !self.service_registries(service).is_empty()
    }

    fn target_position(&self, group: TargetGroupId, task: TaskId) -> Option<usize> {
        self.targets[group.0 as usize]
            .iter()
            .position(|t| t.task == task)
    }

    /// Every target of the task, with its group.
    fn targets_of(
        &self,
        service: ServiceId,
        task: TaskId,
    ) -> impl Iterator<Item = (TargetGroupId, &Target)> + '_ {
        self.service_load_balancers(service)
            .iter()
            .filter_map(move |binding| {
                let group = binding.target_group;
                self.targets[group.0 as usize]
                    .iter()
                    .find(|t| t.task == task)
                    .map(|t| (group, t))
            })
    }

    /// Index of a zone among the fleet's zones (255 for one outside the fleet).
    fn zone_index(&self, zone: &str) -> u32 {
        self.zones
            .binary_search_by(|z| z.as_str().cmp(zone))
            .map_or(255, |i| i.min(255) as u32)
    }
}

/// Assumption (the sandbox has no VPCs): an awsvpc task's private IPv4 address is
/// 10.<zone index>.<n / 254 % 256>.<n % 254 + 1> with n its task number; unique for the
/// first 65,024 tasks of a run.
pub fn task_ip(zone_index: u32, task: TaskId) -> u32 {
    let n = task.0;
    (10 << 24) | (zone_index << 16) | ((n / 254 % 256) << 8) | (n % 254 + 1)
}

impl World {
    /// The discovery sub-state, read-only (targets, registry instances, configuration).
    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    /// ACTIVATING (§3.3): a service task with load balancers registers one target per target
    /// group, `initial`, and its health verdict is scheduled.
    pub(super) fn register_targets(&mut self, id: TaskId) {
        let Some(service) = self.tasks[id.0 as usize].service else {
            return;
        };
        if self.discovery.service_load_balancers(service).is_empty() {
            return;
        }
        let bindings = self.discovery.service_load_balancers(service).to_vec();
        for binding in bindings {
            let address = self.address_of(id, &binding.container_name, binding.container_port);
            let task = &self.tasks[id.0 as usize];
            let group = binding.target_group;
            if self.discovery.target_position(group, id).is_some() {
                continue;
            }
            self.discovery.targets[group.0 as usize].push(Target {
                task: id,
                instance: task.instance,
                address,
                registered_at: self.now,
                health: TargetHealth::new(),
                draining_until: None,
            });
            let passed = !task.fails_health_checks;
            self.record(EventKind::Discovery(DiscoveryEvent::TargetRegistered {
                task: id,
                target_group: group,
                address,
            }));
            let settings = &self.discovery.config.target_group(group).health_check;
            // Event-driven: one wake-up at the verdict, not one per check.
            let checks = if passed {
                1
            } else {
                u64::from(settings.unhealthy_threshold)
            };
            let after_ms = target_health::check_start_ms(settings, checks)
                + target_health::outcome_delay_ms(settings, passed);
            self.schedule(
                self.now.plus_ms(after_ms),
                WakeupKind::Discovery(DiscoveryWakeup::TargetVerdict {
                    task: id,
                    target_group: group,
                    passed,
                }),
            );
        }
    }

    /// RUNNING: the task registers in its Cloud Map service, healthy (ECS reports custom
    /// health; it turns unhealthy with the task).
    pub(super) fn register_in_cloud_map(&mut self, id: TaskId) {
        let Some(service) = self.tasks[id.0 as usize].service else {
            return;
        };
        let registries = self.discovery.service_registries(service).to_vec();
        for binding in registries {
            let address = match &binding.container {
                Some((name, port)) => self.address_of(id, name, *port),
                None => {
                    let ip = self.ip_of(id);
                    TargetAddress::Ip {
                        ip,
                        port: binding.port.unwrap_or(0),
                    }
                }
            };
            let address = match (address, binding.port) {
                (TargetAddress::Ip { ip, .. }, Some(port)) => TargetAddress::Ip { ip, port },
                (address, _) => address,
            };
            self.discovery.instances[binding.service.0 as usize].push(RegistryInstance {
                task: id,
                address,
                registered_at: self.now,
                healthy: true,
            });
            self.record(EventKind::Discovery(DiscoveryEvent::InstanceRegistered {
                task: id,
                service: binding.service,
                address,
            }));
        }
    }

    /// DEACTIVATING (§3.3): deregistration begins; each target drains for its group's
    /// deregistration delay, and the task leaves its Cloud Map service. Returns how long the
    /// task stays DEACTIVATING: the longest delay (at least `DEACTIVATING_MS`).
    pub(super) fn begin_deregistration(&mut self, id: TaskId) -> u64 {
        let Some(service) = self.tasks[id.0 as usize].service else {
            return DEACTIVATING_MS;
        };
        if !self.discovery.has_bindings(service) {
            return DEACTIVATING_MS;
        }
        self.leave_cloud_map(id, service);
        let mut hold_ms = DEACTIVATING_MS;
        let bindings = self.discovery.service_load_balancers(service).to_vec();
        for binding in bindings {
            let group = binding.target_group;
            let Some(position) = self.discovery.target_position(group, id) else {
                continue;
            };
            let delay_ms = self
                .discovery
                .config
                .target_group(group)
                .deregistration_delay_ms;
            let until = self.now.plus_ms(delay_ms);
            let target = &mut self.discovery.targets[group.0 as usize][position];
            if target.draining_until.is_some() {
                continue;
            }
            target.health.drain();
            target.draining_until = Some(until);
            hold_ms = hold_ms.max(delay_ms);
            self.record(EventKind::Discovery(DiscoveryEvent::TargetDraining {
                task: id,
                target_group: group,
                until,
            }));
            // Scheduled before the task's own advance: at equal times the target goes first.
            self.schedule(
                until,
                WakeupKind::Discovery(DiscoveryWakeup::Drained {
                    task: id,
                    target_group: group,
                }),
            );
        }
        hold_ms
    }

    /// STOPPED: whatever is left of the task in the model goes (a task stopped with its
    /// instance is deregistered at once), and its dynamic host ports are free again.
    pub(super) fn forget_in_discovery(&mut self, id: TaskId) {
        let task = &self.tasks[id.0 as usize];
        let (Some(service), instance) = (task.service, task.instance) else {
            return;
        };
        if !self.discovery.has_bindings(service) {
            return;
        }
        self.leave_cloud_map(id, service);
        let groups: Vec<TargetGroupId> = self
            .discovery
            .targets_of(service, id)
            .map(|(group, _)| group)
            .collect();
        for group in groups {
            self.remove_target(id, group);
        }
        if let Some(ports) = self.discovery.dynamic_ports.get_mut(&instance) {
            ports.retain(|_, (task, _)| *task != id);
        }
    }

    pub(super) fn discovery_step(&mut self, step: DiscoveryWakeup) {
        match step {
            DiscoveryWakeup::TargetVerdict {
                task,
                target_group,
                passed,
            } => self.target_verdict(task, target_group, passed),
            DiscoveryWakeup::GraceEnd { task, target_group } => {
                self.act_on_unhealthy_target(task, target_group)
            }
            DiscoveryWakeup::Drained { task, target_group } => {
                self.remove_target(task, target_group)
            }
        }
    }

    /// The container health of a task with load balancers became HEALTHY: it counts healthy
    /// only when its targets are healthy too (§3.4 table). False: leave it to the targets.
    pub(super) fn load_balancer_allows_counting(&self, id: TaskId) -> bool {
        let task = &self.tasks[id.0 as usize];
        let Some(service) = task.service else {
            return true;
        };
        self.discovery
            .service_load_balancers(service)
            .iter()
            .all(|binding| {
                self.discovery
                    .target_position(binding.target_group, id)
                    .is_some_and(|p| {
                        self.discovery.targets[binding.target_group.0 as usize][p]
                            .health
                            .is_healthy()
                    })
            })
    }

    /// Whether a service's tasks wait for their targets before counting healthy.
    pub(super) fn has_load_balancers(&self, service: ServiceId) -> bool {
        !self.discovery.service_load_balancers(service).is_empty()
    }

    /// The container health of a task turned UNHEALTHY: its Cloud Map instances report it.
    pub(super) fn cloud_map_unhealthy(&mut self, id: TaskId) {
        for instances in &mut self.discovery.instances {
            for instance in instances.iter_mut().filter(|i| i.task == id) {
                instance.healthy = false;
            }
        }
    }

    fn target_verdict(&mut self, id: TaskId, group: TargetGroupId, passed: bool) {
        let Some(position) = self.discovery.target_position(group, id) else {
            return;
        };
        let settings = self
            .discovery
            .config
            .target_group(group)
            .health_check
            .clone();
        let target = &mut self.discovery.targets[group.0 as usize][position];
        let checks = if passed {
            1
        } else {
            settings.unhealthy_threshold
        };
        let mut verdict = None;
        for _ in 0..checks {
            verdict = target.health.observe(passed, &settings).or(verdict);
        }
        match verdict {
            Some(HealthVerdict::PassedFirstCheck) | Some(HealthVerdict::Recovered) => {
                self.record(EventKind::Discovery(DiscoveryEvent::TargetHealthy {
                    task: id,
                    target_group: group,
                    first: verdict == Some(HealthVerdict::PassedFirstCheck),
                }));
                self.on_target_healthy(id);
            }
            Some(HealthVerdict::BecameUnhealthy) => {
                self.record(EventKind::Discovery(DiscoveryEvent::TargetUnhealthy {
                    task: id,
                    target_group: group,
                    failed_checks: checks,
                }));
                self.on_target_unhealthy(id, group);
            }
            None => {}
        }
    }

    /// Every target healthy and (with container checks) the container healthy: the task
    /// counts healthy for the scheduler (§3.4).
    pub(super) fn on_target_healthy(&mut self, id: TaskId) {
        let task = &self.tasks[id.0 as usize];
        let Some(service) = task.service else {
            return;
        };
        if task.counted_healthy || !task.desired_running || task.state != TaskState::Running {
            return;
        }
        let has_checks = self
            .registry
            .get(&task.task_definition)
            .is_some_and(|d| !health::essential_checks(d).is_empty());
        if has_checks && task.health != TaskHealth::Healthy {
            return;
        }
        if !self.load_balancer_allows_counting(id) {
            return;
        }
        self.tasks[id.0 as usize].counted_healthy = true;
        self.record(EventKind::Discovery(DiscoveryEvent::TaskCountsHealthy {
            task: id,
        }));
        self.on_counted_healthy(id, service);
    }

    /// The load balancer marked a target unhealthy: Cloud Map reports it, and after the
    /// grace period (from RUNNING, §3.4) the scheduler replaces the task.
    fn on_target_unhealthy(&mut self, id: TaskId, group: TargetGroupId) {
        self.cloud_map_unhealthy(id);
        let task = &self.tasks[id.0 as usize];
        let Some(service) = task.service else {
            return;
        };
        let grace_ms = self.services[service.0 as usize].health_check_grace_period_ms;
        let grace_end = task.running_at.unwrap_or(self.now).plus_ms(grace_ms);
        if grace_end > self.now {
            self.schedule(
                grace_end,
                WakeupKind::Discovery(DiscoveryWakeup::GraceEnd {
                    task: id,
                    target_group: group,
                }),
            );
        } else {
            self.act_on_unhealthy_target(id, group);
        }
    }

    fn act_on_unhealthy_target(&mut self, id: TaskId, group: TargetGroupId) {
        let task = &self.tasks[id.0 as usize];
        let Some(service) = task.service else {
            return;
        };
        if task.unhealthy || !task.desired_running || task.state != TaskState::Running {
            return;
        }
        let still_unhealthy = self.discovery.target_position(group, id).is_some_and(|p| {
            self.discovery.targets[group.0 as usize][p].state() == TargetHealthState::Unhealthy
        });
        if !still_unhealthy {
            return;
        }
        self.tasks[id.0 as usize].unhealthy = true;
        self.record_service_event(
            service,
            ServiceEvent::UnhealthyInTargetGroup {
                task: id,
                target_group: group,
            },
        );
        self.count_failure(id, true);
        self.queue_reconcile(service);
    }

    fn remove_target(&mut self, id: TaskId, group: TargetGroupId) {
        if let Some(position) = self.discovery.target_position(group, id) {
            self.discovery.targets[group.0 as usize].remove(position);
            self.record(EventKind::Discovery(DiscoveryEvent::TargetDeregistered {
                task: id,
                target_group: group,
            }));
        }
    }

    fn leave_cloud_map(&mut self, id: TaskId, service: ServiceId) {
        let registries = self.discovery.service_registries(service).to_vec();
        for binding in registries {
            let instances = &mut self.discovery.instances[binding.service.0 as usize];
            if let Some(position) = instances.iter().position(|i| i.task == id) {
                instances.remove(position);
                self.record(EventKind::Discovery(DiscoveryEvent::InstanceDeregistered {
                    task: id,
                    service: binding.service,
                }));
            }
        }
    }

    fn ip_of(&self, id: TaskId) -> u32 {
        let task = &self.tasks[id.0 as usize];
        let zone = &self.instances[task.instance.0 as usize].availability_zone;
        task_ip(self.discovery.zone_index(zone), id)
    }

    /// Where the task's container port receives traffic: its IP (awsvpc), the same port on
    /// the instance (host), or the mapped host port on the instance (bridge; a dynamic one
    /// is taken once per task and container port).
    fn address_of(&mut self, id: TaskId, container: &str, container_port: u16) -> TargetAddress {
        let task = &self.tasks[id.0 as usize];
        let instance = task.instance;
        let definition = self.registry.get(&task.task_definition);
        let mode = definition
            .and_then(|d| d.network_mode)
            .unwrap_or(NetworkMode::Bridge);
        let mapped = definition
            .and_then(|d| d.container_definitions.iter().find(|c| c.name == container))
            .and_then(|c| {
                c.port_mappings
                    .iter()
                    .find(|m| m.container_port == container_port)
            })
            .and_then(|m| m.host_port)
            .filter(|&p| p != 0);
        match mode {
            NetworkMode::Awsvpc | NetworkMode::None => TargetAddress::Ip {
                ip: self.ip_of(id),
                port: container_port,
            },
            NetworkMode::Host => TargetAddress::Instance {
                instance,
                port: container_port,
            },
            NetworkMode::Bridge => {
                let port =
                    mapped.unwrap_or_else(|| self.dynamic_port(instance, id, container_port));
                TargetAddress::Instance { instance, port }
            }
        }
    }

    /// The task's dynamic host port for a container port: the one already taken for it (a
    /// second binding of the same port), else the lowest free one.
    fn dynamic_port(&mut self, instance: InstanceId, id: TaskId, container_port: u16) -> u16 {
        let ports = self.discovery.dynamic_ports.or_default(instance);
        let key = (id, container_port);
        if let Some((&port, _)) = ports.iter().find(|(_, &taken)| taken == key) {
            return port;
        }
        let mut port = DYNAMIC_PORT_FIRST;
        // Every port held is DYNAMIC_PORT_FIRST or above.
        for (&taken, _) in ports.iter() {
            if taken != port {
                break;
            }
            port = port.saturating_add(1);
        }
        // The range ends at u16::MAX: no instance holds 16,383 tasks.
        ports.insert(port, key);
        port
    }

    /// The discovery invariants: a target or registry instance exists only for a live task of
    /// a service bound to it; a draining target's task is DEACTIVATING or later; a target that
    /// is not draining belongs to a task that still wants to run or has not left ACTIVATING
    /// and RUNNING; a dynamic host port belongs to a live task on that instance.
    pub(super) fn check_discovery_invariants(&self) -> Result<(), String> {
        for (g, targets) in self.discovery.targets.iter().enumerate() {
            let name = &self.discovery.config.target_groups[g].name;
            for target in targets {
                let task = &self.tasks[target.task.0 as usize];
                if task.state == TaskState::Stopped {
                    return Err(format!(
                        "target group {name} holds a target of STOPPED task {}",
                        task.id
                    ));
                }
                let bound = task.service.is_some_and(|s| {
                    self.discovery
                        .service_load_balancers(s)
                        .iter()
                        .any(|b| b.target_group.0 as usize == g)
                });
                if !bound {
                    return Err(format!(
                        "target group {name} holds task {} whose service is not bound to it",
                        task.id
                    ));
                }
                match target.draining_until {
                    Some(_) if task.state < TaskState::Deactivating => {
                        return Err(format!(
                            "target of task {} in {name} is draining while the task is {}",
                            task.id,
                            task.state.as_str()
                        ))
                    }
                    Some(until) if until < self.now => {
                        return Err(format!(
                            "target of task {} in {name} drains past its delay",
                            task.id
                        ))
                    }
                    None if task.state >= TaskState::Deactivating => {
                        return Err(format!(
                            "target of task {} in {name} still takes traffic while the task is {}",
                            task.id,
                            task.state.as_str()
                        ))
                    }
                    _ => {}
                }
                if (target.health.state == TargetHealthState::Draining)
                    != target.draining_until.is_some()
                {
                    return Err(format!(
                        "target of task {} in {name}: draining state and delay disagree",
                        task.id
                    ));
                }
            }
        }
        for instances in &self.discovery.instances {
            for instance in instances {
                let task = &self.tasks[instance.task.0 as usize];
                if task.state != TaskState::Running || !task.desired_running {
                    return Err(format!(
                        "Cloud Map still lists task {} which is {}{}",
                        task.id,
                        task.state.as_str(),
                        if task.desired_running {
                            ""
                        } else {
                            " and told to stop"
                        }
                    ));
                }
            }
        }
        for (instance, ports) in &self.discovery.dynamic_ports {
            for (port, (task, _)) in ports {
                let task = &self.tasks[task.0 as usize];
                if task.state == TaskState::Stopped || task.instance != *instance {
                    return Err(format!(
                        "dynamic host port {port} is held for task {} which is not live there",
                        task.id
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_and_a_registry_instance_stay_small() {
        // Budget: under 500 bytes per task with its targets and counters (issue 11); a task
        // behind two target groups and one registry must leave most of it to traffic.
        assert!(
            std::mem::size_of::<Target>() <= 64,
            "{}",
            std::mem::size_of::<Target>()
        );
        assert!(std::mem::size_of::<RegistryInstance>() <= 40);
    }

    #[test]
    fn task_addresses_are_private_and_distinct_per_zone_and_task() {
        assert_eq!(
            crate::discovery::ipv4_text(task_ip(0, TaskId(0))),
            "10.0.0.1"
        );
        assert_eq!(
            crate::discovery::ipv4_text(task_ip(2, TaskId(254))),
            "10.2.1.1"
        );
        assert_ne!(task_ip(0, TaskId(1)), task_ip(1, TaskId(1)));
    }
}
