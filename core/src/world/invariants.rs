//! Invariant checks over the whole world, run by tests after every event: resources agree
//! with the tasks holding them, scheduler bounds held, deployments consistent. Reports the first
//! broken invariant in words that, with the seed and the last event, are enough to debug it.

use super::*;

impl World {
    /// Checks the world's invariants; tests call it after every event. Returns the first
    /// broken one, worded so that the failing seed and moment are enough to debug it.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut used: Vec<(u64, u64, u32, BTreeMap<&str, u32>)> =
            vec![(0, 0, 0, BTreeMap::new()); self.instances.len()];
        let mut gpus_eni: Vec<(u32, u32)> = vec![(0, 0); self.instances.len()];
        for task in &self.tasks {
            if task.state == TaskState::Stopped {
                continue;
            }
            let instance = &self.instances[task.instance.0 as usize];
            if instance.status == InstanceStatus::Inactive {
                return Err(format!(
                    "task {} is {} on deregistered instance {}",
                    task.id,
                    task.state.as_str(),
                    instance.ec2_instance_id
                ));
            }
            let slot = &mut used[task.instance.0 as usize];
            slot.0 += u64::from(task.cpu_units);
            slot.1 += u64::from(task.memory_mib);
            slot.2 += u32::from(task.desired_running);
            gpus_eni[task.instance.0 as usize].0 += task.gpus;
            gpus_eni[task.instance.0 as usize].1 += u32::from(task.eni);
            *slot.3.entry(task.group.as_str()).or_default() += 1;
        }
        for (instance, (cpu, memory, running, groups)) in self.instances.iter().zip(&used) {
            let name = &instance.ec2_instance_id;
            if instance.status == InstanceStatus::Inactive && instance.agent_connected {
                return Err(format!(
                    "deregistered instance {name} still reads its agent connected"
                ));
            }
            if *cpu > u64::from(instance.registered_cpu_units)
                || *memory > u64::from(instance.registered_memory_mib)
            {
                return Err(format!(
                    "instance {name} over-committed: {cpu} CPU units, {memory} MiB of {}/{}",
                    instance.registered_cpu_units, instance.registered_memory_mib
                ));
            }
            if u64::from(instance.remaining_cpu_units) + cpu
                != u64::from(instance.registered_cpu_units)
                || u64::from(instance.remaining_memory_mib) + memory
                    != u64::from(instance.registered_memory_mib)
            {
                return Err(format!(
                    "instance {name} remaining resources disagree with its tasks"
                ));
            }
            let (gpus, enis) = gpus_eni[instance.id.0 as usize];
            if gpus + instance.remaining_gpus != instance.registered_gpus
                || enis != instance.eni_tasks
                || enis > instance.eni_task_limit
            {
                return Err(format!(
                    "instance {name} GPUs/ENIs disagree with its tasks: {gpus} GPUs, {enis} ENIs"
                ));
            }
            if instance.reserved_ports.len() as u32 > crate::cluster::RESERVED_PORTS_MAX {
                return Err(format!("instance {name} reserves more than 100 ports"));
            }
            if instance.running_tasks_count != *running {
                return Err(format!(
                    "instance {name} runningTasksCount {} but {running} tasks want to run",
                    instance.running_tasks_count
                ));
            }
            let recorded: BTreeMap<&str, u32> = instance
                .task_groups
                .iter()
                .map(|e| (e.group.as_str(), e.count))
                .collect();
            if &recorded != groups {
                return Err(format!(
                    "instance {name} task groups {recorded:?} disagree with its tasks {groups:?}"
                ));
            }
        }
        for (index, live) in self
            .services
            .iter()
            .map(|s| &s.runtime.live_tasks)
            .enumerate()
        {
            let expected: Vec<TaskId> = self
                .tasks
                .iter()
                .filter(|t| {
                    t.service == Some(ServiceId(index as u32)) && t.state != TaskState::Stopped
                })
                .map(|t| t.id)
                .collect();
            let mut actual = live.clone();
            actual.sort();
            if actual != expected {
                return Err(format!(
                    "service {} live task list is out of date",
                    self.services[index].name
                ));
            }
            let wanting = live
                .iter()
                .filter(|t| self.tasks[t.0 as usize].desired_running)
                .count() as u32;
            if wanting != self.services[index].runtime.wanting_to_run {
                return Err(format!(
                    "service {} counts {} tasks wanting to run, its tasks say {wanting}",
                    self.services[index].name, self.services[index].runtime.wanting_to_run
                ));
            }
        }
        self.check_scheduler_invariants()
    }

    /// The scheduler's own invariants (§3–4), written as absences.
    fn check_scheduler_invariants(&self) -> Result<(), String> {
        if let Some(violation) = self.violations.first() {
            return Err(violation.clone());
        }
        for task in &self.tasks {
            // Every task is in exactly one lifecycle state, consistent with desiredStatus.
            if task.state == TaskState::Stopped && task.desired_running {
                return Err(format!("task {} is STOPPED but desired RUNNING", task.id));
            }
            if !task.desired_running
                && matches!(task.state, TaskState::Provisioning | TaskState::Pending)
            {
                return Err(format!(
                    "task {} is desired STOPPED but still {}",
                    task.id,
                    task.state.as_str()
                ));
            }
            if task.counted_healthy && task.running_at.is_none() {
                return Err(format!("task {} counts healthy but never ran", task.id));
            }
            // No task was placed on an instance after it became DRAINING or went away.
            if task.state != TaskState::Stopped {
                if let Some(since) = self.unusable_since_event[task.instance.0 as usize] {
                    if task.placed_event > since {
                        return Err(format!(
                            "task {} was placed on {} after it became {}",
                            task.id,
                            self.instances[task.instance.0 as usize].ec2_instance_id,
                            self.instances[task.instance.0 as usize].status.as_str()
                        ));
                    }
                }
            }
        }
        for service in &self.services {
            let (primaries, total) = service.deployment_status_counts();
            if primaries != 1 || service.primary().status != DeploymentStatus::Primary {
                return Err(format!(
                    "service {} has {primaries} PRIMARY deployments of {total}, not exactly one (the newest)",
                    service.name
                ));
            }
            if service.is_daemon() {
                let mut per_instance: BTreeMap<InstanceId, u32> = BTreeMap::new();
                for &t in &self.services[service.id.0 as usize].runtime.live_tasks {
                    let task = &self.tasks[t.0 as usize];
                    if task.desired_running {
                        *per_instance.entry(task.instance).or_default() += 1;
                    }
                }
                if let Some((instance, count)) = per_instance.iter().find(|(_, &c)| c > 1) {
                    return Err(format!(
                        "daemon service {} runs {count} tasks on {}",
                        service.name, self.instances[instance.0 as usize].ec2_instance_id
                    ));
                }
            }
        }
        #[cfg(feature = "discovery")]
        self.check_discovery_invariants()?;
        Ok(())
    }
}
