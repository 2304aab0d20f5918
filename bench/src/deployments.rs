//! The deployment-engine workload (PRODUCT.md budget: under 200 ms native): 50 services of 4
//! tasks on 30 instances rolling out a new image every 10 minutes for one simulated hour, stepped
//! at 1 s resolution. Clock-free like the rest of the library; `src/bin/deployments.rs` times it.

use flotilla_core::deploy::RolloutState;
use flotilla_core::{SimTime, World};

/// Simulated seconds the workload steps through, one `run_until` per second.
pub const SIMULATED_SECONDS: u64 = 3600;

/// 50 services on 30 instances; every service deploys a new image every 10 minutes, half with
/// minimum 50 % / maximum 100 %, half with 100 % / 200 %.
pub fn scenario() -> String {
    let mut definitions = Vec::new();
    let mut services = Vec::new();
    let mut timeline = Vec::new();
    for i in 0..50 {
        definitions.push(format!(
            r#"{{"family": "svc{i}", "containerDefinitions": [{{"name": "app", "image": "example.com/svc{i}:0", "cpu": 256, "memory": 512, "portMappings": [{{"containerPort": 8080, "hostPort": 0}}]}}]}}"#
        ));
        let (min, max) = if i % 2 == 0 { (50, 100) } else { (100, 200) };
        services.push(format!(
            r#"{{"serviceName": "svc{i}", "taskDefinition": "svc{i}:1", "desiredCount": 4, "deploymentConfiguration": {{"minimumHealthyPercent": {min}, "maximumPercent": {max}}}}}"#
        ));
        for k in 0..6 {
            let at_s = 120 + i * 11 + k * 600;
            timeline.push(format!(
                r#"{{"at": "{at_s}s", "action": {{"registerTaskDefinition": {{"family": "svc{i}", "images": {{"app": "example.com/svc{i}:{}"}}}}}}}}"#,
                k + 1
            ));
            timeline.push(format!(
                r#"{{"at": "{at_s}s", "action": {{"updateService": {{"service": "svc{i}", "taskDefinition": "svc{i}"}}}}}}"#
            ));
        }
    }
    format!(
        r#"{{"version": 1, "name": "bench: 50 services rolling", "seed": 42,
  "fleet": [{{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a", "count": 10}},
            {{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1b", "count": 10}},
            {{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1c", "count": 10}}],
  "taskDefinitions": [{}], "services": [{}], "timeline": [{}]}}"#,
        definitions.join(",\n"),
        services.join(",\n"),
        timeline.join(",\n")
    )
}

/// Steps `world` through the simulated hour at 1 s resolution.
pub fn run_hour(world: &mut World) {
    for second in 1..=SIMULATED_SECONDS {
        world.run_until(SimTime::from_secs(second));
    }
}

/// What the run did: events, tasks launched and deployments completed (the same on every run).
pub fn summary(world: &World) -> String {
    let completed = world
        .services()
        .iter()
        .flat_map(|s| s.deployments.iter())
        .filter(|d| d.rollout_state == RolloutState::Completed)
        .count();
    format!(
        "{} events, {} tasks launched, {completed} deployments completed",
        world.events().len(),
        world.tasks().len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::parse_scenario;

    #[test]
    fn the_workload_is_a_valid_scenario_of_fifty_services() {
        let scenario = parse_scenario(&scenario()).expect("the benchmark scenario is valid");
        assert_eq!(scenario.services.len(), 50);
        assert_eq!(scenario.timeline.len(), 600);
    }
}
