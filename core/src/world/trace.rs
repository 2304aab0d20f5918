//! The trace: one stable line per event, worded from the world's names. Tests compare these
//! lines natively and in wasm, so changing a word changes every expected trace.

use super::*;

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
        let instance_label = |id: InstanceId| {
            let instance = self.instance(id);
            format!(
                "{} ({})",
                instance.ec2_instance_id, instance.availability_zone
            )
        };
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
                desired_count,
            } => {
                let s = self.service(*service);
                format!(
                    "service {} created: {}, desiredCount {desired_count}",
                    s.name, s.task_definition
                )
            }
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
                let owner = t.service.map_or(t.group.clone(), |s| {
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
            EventKind::ServiceMessage { message, .. } => message.clone(),
            EventKind::ActionApplied { description } => format!("action {description}"),
            EventKind::BatchLaunched {
                description,
                started,
                failures,
            } => {
                let started: Vec<String> = started.iter().map(|t| t.to_string()).collect();
                let mut line = format!("{description}: started [{}]", started.join(", "));
                if !failures.is_empty() {
                    let list: Vec<String> = failures
                        .iter()
                        .map(|f| format!("{} {}", f.arn.rsplit('/').next().unwrap_or(""), f.reason))
                        .collect();
                    line.push_str(&format!(", failures [{}]", list.join("; ")));
                }
                line
            }
            EventKind::ActionRejected {
                description,
                reason,
            } => format!("action {description} rejected: {reason}"),
        }
    }
}

/// The circuit breaker as an updateService set it, every field it set:
/// `deploymentCircuitBreaker(enable=false rollback=false)`.
pub(super) fn describe_circuit_breaker(
    breaker: &crate::service::DeploymentCircuitBreaker,
) -> String {
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
pub(super) fn describe_alarms(alarms: &crate::service::DeploymentAlarms) -> String {
    format!(
        "alarms({} enable={} rollback={})",
        alarms.alarm_names.join(","),
        alarms.enable,
        alarms.rollback
    )
}
