//! The trace, and the one place events are worded: one stable line per event, from the data
//! the event recorded and the world's names (which never change: service names, instance ids,
//! types, zones and registered resources, a task's revision and group). Anything that can
//! change during a run (a service's revision or desired count, an instance's status or free
//! resources, a task's state) is worded only from what the event carried, so a line reads
//! the same whenever it is rendered. Also the wording of actions as applied and of RunTask/StartTask
//! calls. Tests compare these lines natively and in wasm, so changing a word changes every
//! expected trace.

use super::*;
#[cfg(feature = "discovery")]
use crate::discovery::{TargetAddress, TargetGroupId};
#[cfg(feature = "discovery")]
use crate::event::DiscoveryEvent;

impl World {
    /// One stable line per event: `HH:MM:SS.mmm description`.
    pub fn trace_line(&self, event: &Event) -> String {
        format!("{} {}", event.at, self.describe(event))
    }

    /// The whole trace so far, one line per event.
    pub fn trace(&self) -> String {
        let mut out = String::new();
        for event in self.history.events() {
            out.push_str(&self.trace_line(event));
            out.push('\n');
        }
        out
    }

    pub fn describe(&self, event: &Event) -> String {
        let instance_label = |id: InstanceId| self.instance(id).label();
        match &event.kind {
            EventKind::InstanceRegistered { instance } => {
                let i = self.instance(*instance);
                format!(
                    "container instance {} registered: {} in {}, {} CPU units, {} MiB",
                    i.ec2_instance_id,
                    i.instance_type.name,
                    i.availability_zone,
                    i.registered_cpu_units,
                    i.registered_memory_mib
                )
            }
            EventKind::InstanceStatusChanged { instance, status } => {
                format!(
                    "container instance {} is {}",
                    instance_label(*instance),
                    status.as_str()
                )
            }
            EventKind::TaskDefinitionRegistered { task_definition } => {
                format!("task definition {task_definition} registered")
            }
            EventKind::ServiceCreated {
                service,
                task_definition,
                desired_count,
            } => format!(
                "service {} created: {task_definition}, desiredCount {desired_count}",
                self.service(*service).name
            ),
            EventKind::DesiredCountChanged { service, from, to } => {
                format!(
                    "service {} desiredCount {from} -> {to}",
                    self.service(*service).name
                )
            }
            EventKind::TaskPlaced {
                task,
                instance,
                state,
            } => {
                let t = self.task(*task);
                let owner = t.service.map_or(t.group.to_string(), |s| {
                    format!("service {}", self.service(s).name)
                });
                format!(
                    "task {task} ({}, {owner}) placed on {}: {}",
                    t.task_definition,
                    instance_label(*instance),
                    state.as_str()
                )
            }
            EventKind::TaskStateChanged { task, from, to } => {
                format!("task {task} {} -> {}", from.as_str(), to.as_str())
            }
            EventKind::TaskStopRequested {
                task,
                stop_code,
                reason,
            } => {
                format!(
                    "task {task} desired STOPPED: {} ({reason})",
                    stop_code.as_str()
                )
            }
            EventKind::TaskHealthChanged { task, health } => {
                format!("task {task} health {}", health.as_str())
            }
            EventKind::TaskCountsHealthy { task } => {
                format!("task {task} counts as healthy: RUNNING for 40s without health checks")
            }
            EventKind::DeploymentChanged {
                service,
                deployment_id,
                task_definition,
                status,
                rollout_state,
                reason,
            } => format!(
                "service {} deployment {deployment_id} ({task_definition}): {} {}: {reason}",
                self.service(*service).name,
                status.as_str(),
                rollout_state.as_str()
            ),
            EventKind::AlarmStateChanged { alarm, state } => {
                format!("alarm {alarm} is {}", state.as_str())
            }
            EventKind::ServiceMessage { service, event } => {
                self.service_event_line(*service, event)
            }
            #[cfg(feature = "discovery")]
            EventKind::Discovery(event) => self.discovery_line(event),
            #[cfg(feature = "discovery")]
            EventKind::Traffic(event) => self.traffic_line(event),
            EventKind::ActionApplied {
                action,
                task_definition,
            } => format!(
                "action {}",
                describe_applied(action, task_definition.as_ref())
            ),
            EventKind::BatchLaunched {
                call,
                started,
                failures,
            } => {
                let started: Vec<String> = started.iter().map(|t| t.to_string()).collect();
                let mut line = format!("{}: started [{}]", batch_label(call), started.join(", "));
                if !failures.is_empty() {
                    let list: Vec<String> = failures
                        .iter()
                        .map(|f| format!("{} {}", f.arn.rsplit('/').next().unwrap_or(""), f.reason))
                        .collect();
                    line.push_str(&format!(", failures [{}]", list.join("; ")));
                }
                line
            }
            EventKind::ActionRejected { action, reason } => {
                format!("action {} rejected: {reason}", action.label())
            }
        }
    }

    /// A service event in ECS's words: `(service web) has reached a steady state.`
    pub(super) fn service_event_line(&self, service: ServiceId, event: &ServiceEvent) -> String {
        let name = &self.service(service).name;
        let tasks = |tasks: &[TaskId]| {
            let list: Vec<String> = tasks.iter().map(|t| format!("(task {t})")).collect();
            list.join(" ")
        };
        match event {
            ServiceEvent::TasksStarted { tasks: started } => format!(
                "(service {name}) has started {} tasks: {}.",
                started.len(),
                tasks(started)
            ),
            ServiceEvent::TasksStopped { tasks: stopped } => format!(
                "(service {name}) has stopped {} running tasks: {}.",
                stopped.len(),
                tasks(stopped)
            ),
            ServiceEvent::UnableToPlace { closest } => {
                let mut line = format!("(service {name}) was unable to place a task because no container instance met all of its requirements.");
                match closest.as_deref() {
                    Some((instance, why)) => {
                        line.push(' ');
                        line.push_str(
                            &why.service_event_sentence(&self.instance(*instance).ec2_instance_id),
                        );
                    }
                    None => {
                        line.push_str(" Reason: No Container Instances were found in your cluster.")
                    }
                }
                line
            }
            ServiceEvent::SteadyState => format!("(service {name}) has reached a steady state."),
            ServiceEvent::DeploymentBlocked => deploy::deadlock_message(name),
            // Assumption (ecs-semantics §3.4 ∅ on the event text).
            ServiceEvent::FailedHealthChecks { task } => {
                format!("(service {name}) (task {task}) failed container health checks.")
            }
            ServiceEvent::StartsThrottled => health::throttled_message(name),
            #[cfg(feature = "discovery")]
            ServiceEvent::UnhealthyInTargetGroup { task, target_group } => {
                self.unhealthy_in_target_group_line(name, service, *task, *target_group)
            }
        }
    }
}

/// The lines of the service-discovery and traffic events (not in a build without them).
#[cfg(feature = "discovery")]
impl World {
    // §5.1's wording with the target group's ARN as the service names it (the ECS
    // console shows "(target-group arn)"); an ip target reads "(task id)".
    fn unhealthy_in_target_group_line(
        &self,
        name: &str,
        service: ServiceId,
        task: TaskId,
        target_group: TargetGroupId,
    ) -> String {
        let subject = match self.task(task).eni {
            true => format!("(task {task})"),
            false => format!(
                "(instance {})",
                self.instance(self.task(task).instance).ec2_instance_id
            ),
        };
        format!(
            "service ({name}) {subject} is unhealthy in (target-group {}) due to (reason Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)",
            self.target_group_arn(service, target_group)
        )
    }

    /// A discovery event's line, from what it recorded and the (unchanging) names.
    fn traffic_line(&self, event: &crate::event::TrafficEvent) -> String {
        use crate::event::TrafficEvent;
        match event {
            TrafficEvent::HazardOpened { cause, requests } => format!(
                "hazard: {} ({requests} requests affected in its first second)",
                self.hazard_sentence(cause)
            ),
            TrafficEvent::HazardClosed { hazard } => format!(
                "hazard ended ({} to {}, {} s): {}; {} requests affected",
                SimTime(hazard.start_s * 1_000),
                SimTime((hazard.end_s + 1) * 1_000),
                hazard.end_s + 1 - hazard.start_s,
                self.hazard_sentence(&hazard.cause),
                hazard.requests
            ),
            TrafficEvent::WeightChanged { record_set, answer, from, to } => {
                let set = self
                    .traffic()
                    .and_then(|t| t.plan().record_sets.get(*record_set as usize));
                let (name, label, ttl) = set.map_or(("?", "?", 0), |set| {
                    let label = set.answers.get(*answer as usize).map_or("?", |a| a.label.as_str());
                    (set.name.as_str(), label, set.ttl_ms / 1_000)
                });
                format!(
                    "Route 53 {name}: record {label} weight {from} → {to}; clients follow as their cached answers expire (TTL {ttl} s)"
                )
            }
            TrafficEvent::Minute {
                minute,
                requests,
                count_2xx,
                target_5xx,
                elb_5xx,
                dns_failures,
            } => format!(
                "traffic {} to {}: {requests} requests, {count_2xx} 2xx, {target_5xx} 5xx from targets, {elb_5xx} 502/503 from load balancers, {dns_failures} unresolved",
                SimTime(u64::from(*minute) * 60_000),
                SimTime(u64::from(*minute + 1) * 60_000)
            ),
        }
    }

    fn discovery_line(&self, event: &DiscoveryEvent) -> String {
        let group = |id: TargetGroupId| &self.discovery().config().target_group(id).name;
        let cloud_map = |id: crate::discovery::CloudMapServiceId| {
            let service = &self.discovery().config().cloud_map_services[id.0 as usize];
            format!("{}.{}", service.name, service.namespace)
        };
        match event {
            DiscoveryEvent::TargetRegistered { task, target_group, address } => format!(
                "target {} of task {task} registered in target group {}: initial",
                self.address_text(*address),
                group(*target_group)
            ),
            DiscoveryEvent::TargetHealthy { task, target_group, first } => format!(
                "target of task {task} in target group {} is healthy: {}",
                group(*target_group),
                if *first {
                    "passed its first health check"
                } else {
                    "passed HealthyThresholdCount health checks in a row"
                }
            ),
            DiscoveryEvent::TargetUnhealthy { task, target_group, failed_checks } => format!(
                "target of task {task} in target group {} is unhealthy: Target.FailedHealthChecks ({failed_checks} in a row)",
                group(*target_group)
            ),
            DiscoveryEvent::TargetDraining { task, target_group, until } => format!(
                "target of task {task} in target group {} is draining until {until}",
                group(*target_group)
            ),
            DiscoveryEvent::TargetDeregistered { task, target_group } => format!(
                "target of task {task} deregistered from target group {}",
                group(*target_group)
            ),
            DiscoveryEvent::TaskCountsHealthy { task } => {
                format!("task {task} counts as healthy: its load balancer targets are healthy")
            }
            DiscoveryEvent::InstanceRegistered { task, service, address } => format!(
                "task {task} registered in Cloud Map service {} at {}",
                cloud_map(*service),
                self.address_text(*address)
            ),
            DiscoveryEvent::InstanceDeregistered { task, service } => format!(
                "task {task} deregistered from Cloud Map service {}",
                cloud_map(*service)
            ),
        }
    }

    /// `i-0abc…:49153` or `10.0.0.1:9000`.
    fn address_text(&self, address: TargetAddress) -> String {
        match address {
            TargetAddress::Instance { instance, port } => {
                format!("{}:{port}", self.instance(instance).ec2_instance_id)
            }
            // An A record carries no port.
            TargetAddress::Ip { ip, port: 0 } => crate::discovery::ipv4_text(ip),
            TargetAddress::Ip { ip, port } => format!("{}:{port}", crate::discovery::ipv4_text(ip)),
        }
    }

    /// The `targetGroupArn` the service named for this target group (names never change).
    fn target_group_arn(&self, service: ServiceId, group: TargetGroupId) -> String {
        let position = self
            .discovery()
            .service_load_balancers(service)
            .iter()
            .position(|b| b.target_group == group);
        position
            .and_then(|p| self.service(service).definition.load_balancers.get(p))
            .and_then(|lb| lb.target_group_arn.clone())
            .unwrap_or_else(|| self.discovery().config().target_group(group).name.clone())
    }
}

/// A RunTask/StartTask call: `runTask web:1 count=3 group=family:web`,
/// `startTask web:1 on i-1,i-2 group=family:web` (also `BatchRecord::label`).
pub(crate) fn batch_label(call: &BatchCall) -> String {
    let BatchCall {
        kind,
        task_definition,
        group,
    } = call;
    match kind {
        BatchKind::RunTask { count } => {
            format!("runTask {task_definition} count={count} group={group}")
        }
        BatchKind::StartTask {
            container_instances,
        } => format!(
            "startTask {task_definition} on {} group={group}",
            container_instances.join(",")
        ),
    }
}

/// An action as applied: its label, and for updateService and registerTaskDefinition every
/// member it set (`task_definition`: the revision updateService's `taskDefinition` resolved to).
fn describe_applied(action: &Action, task_definition: Option<&TaskDefinitionRef>) -> String {
    let mut description = action.label();
    match action {
        Action::CreateService(create) => {
            // The revision the request resolved to when it applied, as recorded.
            if let Some(reference) = task_definition {
                description.push_str(&format!(" taskDefinition={reference}"));
            }
            let service = &create.service;
            match service.scheduling_strategy {
                Some(crate::service::SchedulingStrategy::Daemon) => {
                    description.push_str(" schedulingStrategy=DAEMON")
                }
                _ => description.push_str(&format!(
                    " desiredCount={}",
                    service.desired_count.unwrap_or(0)
                )),
            }
        }
        Action::UpdateService(update) => {
            if let Some(count) = update.desired_count {
                description.push_str(&format!(" desiredCount={count}"));
            }
            if let Some(reference) = task_definition {
                description.push_str(&format!(" taskDefinition={reference}"));
            }
            if update.force_new_deployment == Some(true) {
                description.push_str(" forceNewDeployment");
            }
            if let Some(config) = &update.deployment_configuration {
                let mut parts = Vec::new();
                if let Some(min) = config.minimum_healthy_percent {
                    parts.push(format!("minimumHealthyPercent={min}"));
                }
                if let Some(max) = config.maximum_percent {
                    parts.push(format!("maximumPercent={max}"));
                }
                if let Some(breaker) = &config.deployment_circuit_breaker {
                    parts.push(describe_circuit_breaker(breaker));
                }
                if let Some(alarms) = &config.alarms {
                    parts.push(describe_alarms(alarms));
                }
                description.push_str(&format!(" deploymentConfiguration({})", parts.join(" ")));
            }
            if let Some(seconds) = update.health_check_grace_period_seconds {
                description.push_str(&format!(" healthCheckGracePeriodSeconds={seconds}"));
            }
        }
        Action::RegisterTaskDefinition(register) => {
            for (container, image) in &register.images {
                description.push_str(&format!(" {container}={image}"));
            }
            for (member, value) in [("cpu", &register.cpu), ("memory", &register.memory)] {
                if let Some(value) = value {
                    description.push_str(&format!(" {member}={value}"));
                }
            }
        }
        _ => {}
    }
    description
}

/// The circuit breaker as an updateService set it, every field it set:
/// `deploymentCircuitBreaker(enable=false rollback=false)`.
fn describe_circuit_breaker(breaker: &crate::service::DeploymentCircuitBreaker) -> String {
    let mut parts = vec![
        format!("enable={}", breaker.enable),
        format!("rollback={}", breaker.rollback),
    ];
    if let Some(reset) = breaker.reset_on_healthy_task {
        parts.push(format!("resetOnHealthyTask={reset}"));
    }
    if let Some(threshold) = &breaker.threshold_configuration {
        let kind = match threshold.kind {
            ThresholdType::Count => "COUNT",
            ThresholdType::BoundedPercent => "BOUNDED_PERCENT",
            ThresholdType::UnboundedPercent => "UNBOUNDED_PERCENT",
        };
        match threshold.value {
            Some(value) => parts.push(format!("threshold={kind}:{value}")),
            None => parts.push(format!("threshold={kind}")),
        }
    }
    format!("deploymentCircuitBreaker({})", parts.join(" "))
}

/// The alarms as an updateService set them: `alarms(a,b enable=true rollback=false)`.
fn describe_alarms(alarms: &crate::service::DeploymentAlarms) -> String {
    format!(
        "alarms({} enable={} rollback={})",
        alarms.alarm_names.join(","),
        alarms.enable,
        alarms.rollback
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{RegisterTaskDefinition, UpdateService};

    #[test]
    fn actions_are_worded_from_what_they_set() {
        let update: UpdateService = serde_json::from_str(
            r#"{"service":"web","desiredCount":3,"taskDefinition":"web","forceNewDeployment":true}"#,
        )
        .expect("an updateService");
        let resolved = TaskDefinitionRef {
            family: "web".into(),
            revision: 4,
        };
        let action = Action::UpdateService(update);
        assert_eq!(action.label(), "updateService web");
        assert_eq!(
            describe_applied(&action, Some(&resolved)),
            "updateService web desiredCount=3 taskDefinition=web:4 forceNewDeployment"
        );
        let register: RegisterTaskDefinition =
            serde_json::from_str(r#"{"family":"web","images":{"app":"app:2"},"cpu":"512"}"#)
                .expect("a registerTaskDefinition");
        assert_eq!(
            describe_applied(&Action::RegisterTaskDefinition(register), None),
            "registerTaskDefinition web app=app:2 cpu=512"
        );
        let drain = Action::DrainInstance {
            instance: "i-1".into(),
        };
        assert_eq!(describe_applied(&drain, None), drain.label());
    }

    #[test]
    fn batch_calls_are_worded_as_the_api_call() {
        let task_definition = TaskDefinitionRef {
            family: "job".into(),
            revision: 1,
        };
        let run = BatchCall {
            kind: BatchKind::RunTask { count: 3 },
            task_definition: task_definition.clone(),
            group: "family:job".into(),
        };
        assert_eq!(batch_label(&run), "runTask job:1 count=3 group=family:job");
        let start = BatchCall {
            kind: BatchKind::StartTask {
                container_instances: vec!["i-1".into(), "i-2".into()],
            },
            task_definition,
            group: "nightly".into(),
        };
        assert_eq!(
            batch_label(&start),
            "startTask job:1 on i-1,i-2 group=nightly"
        );
    }
}
