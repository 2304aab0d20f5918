//! `createService` on the timeline and on the running world (ecs-semantics §3.8, §8.3): the
//! request is checked as a scenario's `services[]` entry is, with its path under the timeline
//! entry; a numbered batch is ordinary services, one per number; a name that exists is ECS's
//! "not idempotent" both when the file loads and when the world applies it; a created service's
//! tasks register in the load balancer's target group and in Cloud Map like any service's. The
//! scale built-in (10,000 services) is pinned by a summary of its trace (`check_scale`).

use flotilla_core::event::{DiscoveryEvent, EventKind};
use flotilla_core::{parse_scenario, Action, SimTime, World};
use flotilla_tests::{errors_of, repo_root};
use serde_json::{json, Value};

/// Two m5.large; `web` behind the `web` target group; a Cloud Map service `search`.
fn scenario(timeline: Value) -> String {
    json!({
        "version": 1, "name": "createService", "seed": 5, "duration": "3m",
        "fleet": [
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 1},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 1}
        ],
        "taskDefinitions": [
            {"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 128, "memory": 256,
              "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]}
        ],
        "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}],
        "targetGroups": [{"name": "web", "protocol": "HTTP", "port": 8080}],
        "cloudMap": {"namespaces": [{"name": "shop.local", "type": "DNS_PRIVATE", "services": [
            {"name": "search", "dnsRecords": [{"type": "SRV", "ttl": 10}], "healthCheckCustomConfig": {}}
        ]}]},
        "timeline": timeline
    })
    .to_string()
}

fn create(at: &str, body: Value) -> Value {
    json!({"at": at, "action": {"createService": body}})
}

#[test]
fn a_duplicate_name_is_ecs_not_idempotent_with_its_path() {
    // A name from `services`, and one an earlier (in time, not in the file) entry makes.
    let text = scenario(json!([
        create(
            "1m",
            json!({"service": {"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}})
        ),
        create(
            "2m",
            json!({"count": 3, "service": {"serviceName": "api-{n}", "taskDefinition": "web", "desiredCount": 1}})
        ),
        create(
            "30s",
            json!({"count": 2, "firstNumber": 2, "service": {"serviceName": "api-{n}", "taskDefinition": "web", "desiredCount": 1}})
        )
    ]));
    expect_test::expect![[r#"
        timeline[0].action.createService.service.serviceName: Creation of service was not idempotent. A service named "web" exists already.
        timeline[1].action.createService.service.serviceName: Creation of service was not idempotent. A service named "api-2" exists already. So do 1 more of this entry's names."#]]
    .assert_eq(&errors_of(&text));
}

#[test]
fn a_created_service_is_checked_as_a_services_entry_is_with_its_path() {
    let text = scenario(json!([
        create("1m", json!({"service": {"serviceName": "api", "taskDefinition": "nope", "desiredCount": 1,
            "placementStrategy": [{"type": "spread", "field": "host"}],
            "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/0123456789abcdef", "containerName": "web", "containerPort": 8080}]}})),
        create("1m", json!({"service": {"serviceName": "api2", "taskDefinition": "web",
            "serviceRegistries": [{"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/search"}]}})),
        create("1m", json!({"count": 0, "service": {"serviceName": "batch", "taskDefinition": "web", "desiredCount": 1}})),
        create("1m", json!({"firstNumber": 4, "service": {"serviceName": "w-{n}", "taskDefinition": "web", "desiredCount": 1}})),
        create("1m", json!({"count": 2, "service": {"serviceName": "w-{n}!", "taskDefinition": "web", "desiredCount": 1}})),
        create("1m", json!({"service": {"serviceName": "api3", "taskDefinition": "web", "desiredCont": 1}})),
        {"at": "1m", "action": {"updateService": {"service": "late", "desiredCount": 2}}},
        create("2m", json!({"service": {"serviceName": "late", "taskDefinition": "web", "desiredCount": 1}}))
    ]));
    expect_test::expect![[r#"
        timeline[5].action.createService.service.desiredCont: unknown field; expected one of cluster, serviceName, taskDefinition, desiredCount, launchType, schedulingStrategy, deploymentConfiguration, placementConstraints, placementStrategy, networkConfiguration, healthCheckGracePeriodSeconds, loadBalancers, serviceRegistries"#]]
    .assert_eq(&errors_of(&text));
    // Without the unknown member, every other problem at once.
    let mut value: Value = serde_json::from_str(&text).expect("json");
    value["timeline"][5]["action"]["createService"]["service"]
        .as_object_mut()
        .expect("object")
        .remove("desiredCont");
    value["timeline"][5]["action"]["createService"]["service"]["desiredCount"] = json!(1);
    expect_test::expect![[r#"
        timeline[0].action.createService.service.taskDefinition: no task definition with family "nope" in taskDefinitions
        timeline[1].action.createService.service.desiredCount: required for REPLICA services
        timeline[1].action.createService.service.serviceRegistries[0]: When specifying 'bridge' or 'host' for networkMode, values for containerName and containerPort must be specified from the task definition (bridge mode)
        timeline[2].action.createService.count: must be at least 1
        timeline[2].action.createService.service.serviceName: a numbered batch puts {n} once in serviceName, where each service's number goes (api-{n})
        timeline[3].action.createService.firstNumber: numbers a batch: give count too
        timeline[3].action.createService.service.serviceName: {n} numbers the services of a batch: give count too
        timeline[4].action.createService.service.serviceName: must be 1-255 letters, digits, hyphens or underscores (with the number in place of {n})
        timeline[6].action.updateService.service: service "late" does not exist yet: timeline[7] creates it later"#]]
    .assert_eq(&errors_of(&value.to_string()));
}

#[test]
fn a_numbered_batch_makes_ordinary_services_whose_tasks_run() {
    let text = scenario(json!([
        create("30s", json!({"count": 3, "firstNumber": 9, "service": {"serviceName": "api-{n}", "taskDefinition": "web", "desiredCount": 1}})),
        {"at": "1m", "action": {"updateService": {"service": "api-10", "desiredCount": 2}}}
    ]));
    let scenario = parse_scenario(&text).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(scenario.horizon());
    let lines: Vec<String> = world
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::ActionApplied { .. }
                    | EventKind::ServiceCreated { .. }
                    | EventKind::DesiredCountChanged { .. }
            )
        })
        .map(|e| world.trace_line(e))
        .collect();
    expect_test::expect![[r#"
        00:00:00.000 service web created: web:1, desiredCount 1
        00:00:30.000 action createService api-9 … api-11 (3 services) taskDefinition=web:1 desiredCount=1
        00:00:30.000 service api-9 created: web:1, desiredCount 1
        00:00:30.000 service api-10 created: web:1, desiredCount 1
        00:00:30.000 service api-11 created: web:1, desiredCount 1
        00:01:00.000 action updateService api-10 desiredCount=2
        00:01:00.000 service api-10 desiredCount 1 -> 2"#]]
    .assert_eq(&lines.join("\n"));
    let running = |name: &str| {
        let service = world
            .services()
            .iter()
            .find(|s| s.name == name)
            .expect(name);
        (world.tasks().iter())
            .filter(|t| {
                t.service == Some(service.id) && t.state == flotilla_core::task::TaskState::Running
            })
            .count()
    };
    assert_eq!(
        [running("api-9"), running("api-10"), running("api-11")],
        [1, 2, 1]
    );
    world.check_invariants().expect("invariants hold");
}

#[test]
fn the_running_world_refuses_a_duplicate_and_a_bad_request_changing_nothing() {
    let scenario = parse_scenario(&scenario(json!([]))).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(SimTime::from_secs(30));
    let apply = |world: &mut World, body: Value| {
        let action: Action =
            serde_json::from_value(json!({"createService": body})).expect("action");
        let before = (world.services().len(), world.events().len());
        let result = world.apply(&action).map_err(|e| e.to_string());
        if result.is_err() {
            assert_eq!(before, (world.services().len(), world.events().len()));
        }
        result
    };
    expect_test::expect![[r#"Err("service.serviceName: Creation of service was not idempotent. A service named \"web\" exists already.")"#]]
        .assert_eq(&format!("{:?}", apply(&mut world, json!({"service": {"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}}))));
    expect_test::expect![[r#"Err("service.serviceName: Creation of service was not idempotent. A service named \"w-2\" exists already.")"#]]
        .assert_eq(&format!("{:?}", {
            apply(&mut world, json!({"count": 2, "service": {"serviceName": "w-{n}", "taskDefinition": "web", "desiredCount": 1}})).expect("created");
            apply(&mut world, json!({"count": 2, "firstNumber": 2, "service": {"serviceName": "w-{n}", "taskDefinition": "web", "desiredCount": 1}}))
        }));
    expect_test::expect![[
        r#"Err("service.taskDefinition: unknown task definition family \"web2\"; registered: web")"#
    ]]
    .assert_eq(&format!(
        "{:?}",
        apply(
            &mut world,
            json!({"service": {"serviceName": "x", "taskDefinition": "web2", "desiredCount": 1}})
        )
    ));
    expect_test::expect![[r#"Err("service.serviceRegistries[0].registryArn: no Cloud Map service named \"nope\" in cloudMap")"#]]
        .assert_eq(&format!("{:?}", apply(&mut world, json!({"service": {"serviceName": "x", "taskDefinition": "web", "desiredCount": 1,
            "serviceRegistries": [{"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/nope", "containerName": "web", "containerPort": 8080}]}}))));
    assert_eq!(world.services().len(), 3, "web, w-1, w-2");
}

/// How a new instance becomes discoverable: a service created at 30s with a target group and a
/// Cloud Map service registers each task's target in ACTIVATING (`initial`), counts it healthy
/// after one passing check, and registers it in Cloud Map once RUNNING.
#[test]
fn a_created_service_registers_its_tasks_with_the_load_balancer_and_cloud_map() {
    let text =
        std::fs::read_to_string(repo_root().join("tests/corpus/discovery-create-service.json"))
            .expect("corpus file");
    let scenario = parse_scenario(&text).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(scenario.horizon());
    let search = (world.services().iter())
        .find(|s| s.name == "search")
        .expect("search was created")
        .id;
    let mut steps = Vec::new();
    for event in world.events().iter() {
        let task = match &event.kind {
            EventKind::Discovery(
                DiscoveryEvent::TargetRegistered { task, .. }
                | DiscoveryEvent::TargetHealthy { task, .. }
                | DiscoveryEvent::InstanceRegistered { task, .. },
            ) => *task,
            _ => continue,
        };
        if world.task(task).service == Some(search) {
            steps.push(world.trace_line(event));
        }
    }
    expect_test::expect![[r#"
        00:00:35.000 target i-06e789e6aa1b965f4:49154 of task t2 registered in target group search: initial
        00:00:35.000 target i-0e220a8397b1dcdaf:49154 of task t3 registered in target group search: initial
        00:00:36.000 task t2 registered in Cloud Map service search.shop.local at i-06e789e6aa1b965f4:49154
        00:00:36.000 task t3 registered in Cloud Map service search.shop.local at i-0e220a8397b1dcdaf:49154
        00:00:45.000 target of task t2 in target group search is healthy: passed its first health check
        00:00:45.000 target of task t3 in target group search is healthy: passed its first health check"#]]
    .assert_eq(&steps.join("\n"));
}

/// The scale built-in is too large for a pinned trace (about 90,000 lines, 7.7 MB) and for the
/// per-event invariant sweeps (`flotilla_tests::corpus` leaves it out): its run is pinned by a
/// summary instead — the trace's fingerprint and length, events per category, every action and
/// every minute of traffic — and checked once for invariants at the end and a settled cluster.
#[test]
fn the_scale_scenario_matches_its_summary() {
    check_scale("discovery-at-scale");
}

fn check_scale(name: &str) {
    let scenario = parse_scenario(flotilla_core::builtin::find(name).expect(name).json)
        .expect("valid built-in");
    let mut world = World::new(&scenario).expect("builds");
    let report = world.run_until(scenario.horizon());
    assert_eq!(report.bound, None, "{name}: run bound hit");
    let summary = flotilla_tests::trace_summary(&world);
    let expected = repo_root().join(format!("tests/corpus/expected/{name}.summary"));
    expect_test::expect_file![expected].assert_eq(&summary);
    world
        .check_invariants()
        .expect("invariants hold at the end");
    let mut running = vec![0u32; world.services().len()];
    for task in world.tasks() {
        if let (Some(service), flotilla_core::task::TaskState::Running) = (task.service, task.state)
        {
            running[service.0 as usize] += 1;
        }
    }
    for service in world.services() {
        assert_eq!(
            running[service.id.0 as usize], service.desired_count,
            "{name}: {} settled",
            service.name
        );
    }
}
