//! The traffic benchmark through the World: 10,000 services of 3 tasks (30,000 tasks) on 300
//! m5.24xlarge instances, behind 2,500 target groups (four services each) on 50 ALBs of 50
//! listeners, 2,500 entry points of 40 requests a second, run for one simulated hour with the
//! 1 s traffic tick. The scenario is built as a `Scenario` value (its JSON text would be over
//! the 4 MiB file limit) and compiled like any file. Shared by the native bin and the tests.

use flotilla_core::scenario::Scenario;
use flotilla_core::{SimTime, World};

pub const SERVICES: u32 = 10_000;
pub const TASKS_PER_SERVICE: u32 = 3;
pub const GROUPS: u32 = 2_500;
pub const LOAD_BALANCERS: u32 = 50;
pub const LISTENERS_PER_LOAD_BALANCER: u32 = 50;
pub const INSTANCES: u32 = 300;

/// The scenario, `services` services (a multiple of four; the default bench uses `SERVICES`).
pub fn scenario(services: u32) -> Scenario {
    let groups = services / 4;
    let listeners = LISTENERS_PER_LOAD_BALANCER;
    let balancers = groups.div_ceil(listeners);
    let service = |i: u32| {
        serde_json::json!({
            "serviceName": format!("s{i}"), "taskDefinition": "app:1", "desiredCount": TASKS_PER_SERVICE,
            "loadBalancers": [{"targetGroupArn": format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/g{}/0123456789abcdef", i / 4),
                               "containerName": "app", "containerPort": 8080}]
        })
    };
    let value = serde_json::json!({
        "version": 1, "name": "traffic at scale", "seed": 5, "duration": "1h",
        "fleet": [{"instanceType": "m5.24xlarge", "availabilityZone": "us-east-1a", "count": INSTANCES / 2},
                  {"instanceType": "m5.24xlarge", "availabilityZone": "us-east-1b", "count": INSTANCES / 2}],
        "taskDefinitions": [{"family": "app", "networkMode": "bridge", "containerDefinitions": [
            {"name": "app", "image": "example.com/app:1", "cpu": 16, "memory": 64,
             "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]}],
        "revisionBehaviour": [{"taskDefinition": "app:1", "startTime": "10s"}],
        "services": (0..services).map(service).collect::<Vec<_>>(),
        "targetGroups": (0..groups).map(|g| serde_json::json!({"name": format!("g{g}"), "protocol": "HTTP", "port": 8080})).collect::<Vec<_>>(),
        "loadBalancers": (0..balancers).map(|b| serde_json::json!({
            "name": format!("lb{b}"),
            "listeners": (0..listeners).filter(|l| b * listeners + l < groups).map(|l| serde_json::json!({
                "port": 1000 + l, "protocol": "HTTP", "defaultForward": [{"targetGroup": format!("g{}", b * listeners + l)}]
            })).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
        "traffic": {"entryPoints": (0..groups).map(|g| serde_json::json!({
            "name": format!("e{g}"), "target": {"listener": format!("lb{}:{}", g / listeners, 1000 + g % listeners)},
            "profile": {"constant": 40}
        })).collect::<Vec<_>>()}
    });
    serde_json::from_value(value).expect("the bench scenario has the scenario's shape")
}

/// The world at time zero.
pub fn world(services: u32) -> World {
    let scenario = scenario(services);
    World::new(&scenario).unwrap_or_else(|problems| {
        panic!(
            "the bench scenario compiles: {:?}",
            &problems[..problems.len().min(5)]
        )
    })
}

/// Runs `world` to `until`; returns the events recorded.
pub fn run(world: &mut World, until: SimTime) -> u64 {
    world.run_until(until).events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_bench_world_compiles_and_serves_its_traffic() {
        let mut world = world(40);
        run(&mut world, SimTime::from_secs(180));
        let traffic = world.traffic().expect("traffic");
        // 10 entry points of 40 requests a second, every target healthy by minute 2.
        let minute = traffic.state().counters.routes_in_minute(2);
        assert_eq!(minute.len(), 10);
        let requests: u32 = minute.iter().map(|r| r.requests).sum();
        let ok: u32 = minute.iter().map(|r| r.count_2xx).sum();
        assert!(requests > 20_000 && ok == requests, "{requests} {ok}");
    }
}
