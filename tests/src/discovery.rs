//! Service-discovery scenario members (ecs-semantics §5): the fixture `tests/discovery/shop.json`
//! compiles into the configuration the world and the traffic engine read (defaults filled in,
//! names resolved), and every rule of the new members is a problem with its JSON path, all
//! reported at once, ELB's, ECS's and Route 53's wording where they have one.

use flotilla_core::discovery::{
    Algorithm, DnsRecordType, Forward, RecordTarget, RuleCondition, TargetGroupId, TargetType,
};
use flotilla_core::scenario::compile;
use flotilla_core::{parse_scenario, Scenario};
use serde_json::{json, Value};

const SHOP: &str = include_str!("../discovery/shop.json");

fn shop() -> Value {
    serde_json::from_str(SHOP).expect("fixture is JSON")
}

fn parse(value: &Value) -> Result<Scenario, String> {
    parse_scenario(&value.to_string()).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The problems of the fixture after `edit`, one `path: message` per line.
fn check(edit: impl FnOnce(&mut Value), expect: expect_test::Expect) {
    let mut value = shop();
    edit(&mut value);
    match parse(&value) {
        Ok(_) => panic!("the edited fixture was accepted"),
        Err(errors) => expect.assert_eq(&errors),
    }
}

#[test]
fn the_fixture_compiles_with_defaults_filled_in_and_names_resolved() {
    let scenario = parse(&shop()).expect("fixture is valid");
    let compiled = compile(&scenario).expect("compiles");
    let config = &compiled.discovery;
    let blue = &config.target_groups[0];
    assert_eq!(blue.health_check.interval_ms, 10_000);
    assert_eq!(blue.health_check.timeout_ms, 5_000);
    assert_eq!(blue.health_check.healthy_threshold, 3);
    assert_eq!(blue.health_check.unhealthy_threshold, 2, "ELB default");
    assert_eq!(blue.deregistration_delay_ms, 30_000);
    let green = &config.target_groups[1];
    assert_eq!(green.health_check.interval_ms, 30_000, "ELB default");
    assert_eq!(green.health_check.timeout_ms, 6_000, "HTTP default");
    assert_eq!(green.health_check.healthy_threshold, 5);
    assert_eq!(green.health_check.path, "/");
    assert_eq!(green.deregistration_delay_ms, 300_000, "ELB default");
    assert_eq!(green.target_type, TargetType::Instance);
    let user = &config.target_groups[2];
    assert_eq!(user.target_type, TargetType::Ip);
    assert_eq!(user.slow_start_ms, 30_000);
    assert_eq!(user.algorithm, Algorithm::LeastOutstandingRequests);

    let listener = &config.load_balancers[0].listeners[0];
    // Rules in priority order, weights as written, default weight 1.
    assert_eq!(listener.rules[0].priority, 10);
    assert_eq!(
        listener.rules[0].conditions,
        vec![RuleCondition::PathPattern("/orders*".into())]
    );
    assert_eq!(
        listener.rules[0].forward,
        vec![
            Forward {
                target_group: TargetGroupId(0),
                weight: 90
            },
            Forward {
                target_group: TargetGroupId(1),
                weight: 10
            }
        ]
    );
    assert_eq!(listener.rules[1].forward[0].weight, 1);
    assert_eq!(listener.default_forward[0].target_group, TargetGroupId(0));

    let records = &config.records;
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].name, "shop.example.com");
    assert_eq!(records[0].weight, Some(200));
    assert_eq!(records[0].ttl_seconds, None);
    assert!(matches!(records[0].target, RecordTarget::Alias(_)));
    assert_eq!(records[2].ttl_seconds, Some(300));

    assert_eq!(config.cloud_map_services[0].namespace, "shop.local");
    assert_eq!(
        config.cloud_map_services[0].dns_records,
        vec![(DnsRecordType::Srv, 10)]
    );
    assert!(config.cloud_map_services[1].custom_health);

    let order = &compiled.services[0];
    assert_eq!(order.load_balancers[0].target_group, TargetGroupId(0));
    assert_eq!(order.load_balancers[0].container_port, 8080);
    assert_eq!(
        order.service_registries[0].container,
        Some(("order".to_string(), 8080))
    );
    let user = &compiled.services[1];
    assert_eq!(user.load_balancers[0].target_group, TargetGroupId(2));
    assert_eq!(user.service_registries[0].port, None);
}

#[test]
fn the_fixture_round_trips_through_the_scenario_file() {
    let scenario = parse(&shop()).expect("fixture is valid");
    let again = parse_scenario(&scenario.to_json()).expect("its own text parses");
    assert_eq!(again, scenario);
}

#[test]
fn target_group_ranges_are_the_elb_ranges() {
    check(
        |v| {
            v["targetGroups"][0]["healthCheck"] = json!({
                "intervalSeconds": 4, "timeoutSeconds": 121, "healthyThresholdCount": 1,
                "unhealthyThresholdCount": 11, "path": "health"
            });
            v["targetGroups"][0]["attributes"] = json!({
                "deregistrationDelaySeconds": 3601, "slowStartSeconds": 20
            });
            v["targetGroups"][1]["port"] = json!(70000);
            v["targetGroups"][1]["name"] = json!("-green");
        },
        expect_test::expect![[r#"
            targetGroups[0].healthCheck.intervalSeconds: must be from 5 to 300, found 4
            targetGroups[0].healthCheck.timeoutSeconds: must be from 2 to 120, found 121
            targetGroups[0].healthCheck.healthyThresholdCount: must be from 2 to 10, found 1
            targetGroups[0].healthCheck.unhealthyThresholdCount: must be from 2 to 10, found 11
            targetGroups[0].healthCheck.path: must be 1-1024 characters starting with /
            targetGroups[0].attributes.deregistrationDelaySeconds: must be from 0 to 3600, found 3601
            targetGroups[0].attributes.slowStartSeconds: must be 0 (off) or from 30 to 900, found 20
            targetGroups[1].name: "-green" is not a target group name: 1-32 letters, digits or hyphens, not starting or ending with a hyphen
            targetGroups[1].port: must be from 1 to 65535, found 70000
            loadBalancers[0].listeners[0].rules[1].forward[1].targetGroup: no target group named "order-green" in targetGroups"#]],
    );
}

#[test]
fn a_timeout_not_below_the_interval_and_nlb_only_attributes_are_refused() {
    check(
        |v| {
            v["targetGroups"][0]["healthCheck"] =
                json!({"intervalSeconds": 5, "timeoutSeconds": 5});
            v["targetGroups"][1]["protocol"] = json!("TCP");
            v["targetGroups"][1]["healthCheck"] = json!({"path": "/x"});
            v["targetGroups"][1]["attributes"] = json!({"algorithm": "least_outstanding_requests"});
        },
        expect_test::expect![[r#"
            targetGroups[0].healthCheck.timeoutSeconds: Health check timeout '5' must be smaller than the interval '5'
            targetGroups[1].healthCheck.path: Health check path is only supported for HTTP and HTTPS health checks, not TCP
            targetGroups[1].attributes.algorithm: least_outstanding_requests is an Application Load Balancer algorithm (HTTP or HTTPS target groups)
            loadBalancers[0].listeners[0].rules[1].forward[1].targetGroup: The protocol of target group 'order-green' (TCP) is not supported by this load balancer's type"#]],
    );
}

#[test]
fn listener_rules_and_forwards_are_checked_with_their_paths() {
    check(
        |v| {
            let listener = &mut v["loadBalancers"][0]["listeners"][0];
            listener["rules"][0]["priority"] = json!(10);
            listener["rules"][0]["conditions"] = json!([{"pathPattern": "/a", "hostHeader": "b"}]);
            listener["rules"][1]["forward"][0]["weight"] = json!(1000);
            listener["rules"][1]["forward"][1]["targetGroup"] = json!("nope");
            listener["defaultForward"] = json!([]);
            let listeners = v["loadBalancers"][0]["listeners"].as_array_mut().unwrap();
            listeners.push(json!({
                "port": 80, "protocol": "TCP", "defaultForward": [{"targetGroup": "user"}]
            }));
        },
        expect_test::expect![[r#"
            loadBalancers[0].listeners[0].defaultForward: name 1 to 5 target groups to forward to, found 0
            loadBalancers[0].listeners[0].rules[0].conditions[0]: give exactly one of pathPattern or hostHeader
            loadBalancers[0].listeners[0].rules[1].priority: Priority '10' is currently in use
            loadBalancers[0].listeners[0].rules[1].forward[0].weight: must be from 0 to 999, found 1000
            loadBalancers[0].listeners[0].rules[1].forward[1].targetGroup: no target group named "nope" in targetGroups
            loadBalancers[0].listeners[1].port: A listener already exists on port 80
            loadBalancers[0].listeners[1].protocol: Listener protocol 'TCP' is not supported by Application Load Balancers"#]],
    );
}

#[test]
fn service_load_balancers_are_checked_against_the_task_definition() {
    check(
        |v| {
            v["services"][0]["loadBalancers"] = json!([
                {"targetGroupArn": "order-blue", "containerName": "order", "containerPort": 8080},
                {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order-green/1",
                 "containerName": "web", "containerPort": 8080},
                {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/user/1",
                 "containerName": "order", "containerPort": 81},
                {"loadBalancerName": "classic", "containerName": "order", "containerPort": 8080}
            ]);
            v["services"][1]["loadBalancers"][0]["targetGroupArn"] = json!(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order-green/1"
            );
        },
        expect_test::expect![[r#"
            services[0].loadBalancers[0].targetGroupArn: "order-blue" is not a target group ARN; write arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order-blue/0123456789abcdef
            services[0].loadBalancers[1].containerName: The container "web" does not exist in the task definition.
            services[0].loadBalancers[2].targetGroupArn: The provided target group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/user/1 has target type ip, which is incompatible with the bridge network mode specified in the task definition.
            services[0].loadBalancers[2].containerPort: The container order did not have a container port 81 defined.
            services[0].loadBalancers[3].loadBalancerName: Classic Load Balancers are not modelled; name an ALB or NLB target group with targetGroupArn
            services[1].loadBalancers[0].targetGroupArn: The provided target group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order-green/1 has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."#]],
    );
}

#[test]
fn service_registries_follow_the_network_mode_rules() {
    check(
        |v| {
            // bridge: no A records, containerName + containerPort required, no port.
            v["cloudMap"]["namespaces"][0]["services"][0]["dnsRecords"] =
                json!([{"type": "A", "ttl": 10}]);
            v["services"][0]["serviceRegistries"] = json!([
                {"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/order", "port": 80}
            ]);
            // awsvpc with SRV: containerName + containerPort or port, not both.
            v["cloudMap"]["namespaces"][0]["services"][1]["dnsRecords"] =
                json!([{"type": "SRV", "ttl": 10}]);
            v["services"][1]["serviceRegistries"] = json!([
                {"registryArn": "arn:aws:servicediscovery:us-east-1:123456789012:service/user",
                 "port": 9000, "containerName": "user", "containerPort": 9000},
                {"registryArn": "srv-123"}
            ]);
        },
        expect_test::expect![[r#"
            services[0].serviceRegistries[0].registryArn: Cloud Map service order has an A record, which the bridge network mode does not support; use SRV records
            services[0].serviceRegistries[0]: When specifying 'bridge' or 'host' for networkMode, values for containerName and containerPort must be specified from the task definition (bridge mode)
            services[0].serviceRegistries[0].port: port is for awsvpc tasks; give containerName and containerPort
            services[1].serviceRegistries: 2 service registries; a service takes one
            services[1].serviceRegistries[0]: When specifying 'awsvpc' for networkMode, an SRV record needs either containerName and containerPort or port, but not both
            services[1].serviceRegistries[1].registryArn: "srv-123" is not a Cloud Map service ARN; write arn:aws:servicediscovery:us-east-1:123456789012:service/<name of a cloudMap service>"#]],
    );
}

#[test]
fn route53_records_follow_the_route53_rules() {
    check(
        |v| {
            let records = &mut v["route53"]["hostedZones"][0]["records"];
            records[0]["weight"] = json!(256);
            records[1]["setIdentifier"] = json!("blue");
            records[1]["ttl"] = json!(60);
            records[2]["name"] = json!("static.example.org");
            records.as_array_mut().unwrap().push(json!(
                {"name": "shop.example.com", "type": "A", "ttl": 60, "value": "10.0.0.300"}
            ));
            records.as_array_mut().unwrap().push(json!(
                {"name": "api.example.com", "type": "A", "setIdentifier": "x", "weight": 1,
                 "alias": {"loadBalancer": "gone"}}
            ));
        },
        expect_test::expect![[r#"
            route53.hostedZones[0].records[0].weight: must be from 0 to 255, found 256
            route53.hostedZones[0].records[1].ttl: an alias record has no TTL of its own (Route 53 uses the load balancer's)
            route53.hostedZones[0].records[1].setIdentifier: setIdentifier 'blue' is already used for shop.example.com A
            route53.hostedZones[0].records[2].name: RRSet with DNS name static.example.org. is not permitted in zone example.com.
            route53.hostedZones[0].records[3].value: "10.0.0.300" is not a valid A value
            route53.hostedZones[0].records[3].name: Tried to create resource record set shop.example.com. type A but it already exists (only weighted records share a name and type)
            route53.hostedZones[0].records[4].alias.loadBalancer: no load balancer named "gone" in loadBalancers"#]],
    );
}

#[test]
fn cloud_map_namespaces_and_services_are_checked() {
    check(
        |v| {
            let namespaces = v["cloudMap"]["namespaces"].as_array_mut().unwrap();
            namespaces.push(json!({"name": "api", "type": "HTTP", "services": [
                {"name": "order", "dnsRecords": [{"type": "A", "ttl": 5}]}
            ]}));
            v["cloudMap"]["namespaces"][0]["services"][1]["dnsRecords"] = json!([]);
        },
        expect_test::expect![[r#"
            cloudMap.namespaces[0].services[1].dnsRecords: a service in a DNS_PRIVATE namespace needs at least one DNS record (A or SRV)
            cloudMap.namespaces[1].services[0].name: a Cloud Map service named order already exists
            cloudMap.namespaces[1].services[0].dnsRecords: services in an HTTP namespace have no DNS records"#]],
    );
}

#[test]
fn unknown_fields_and_wrong_types_in_the_new_members_have_paths() {
    check(
        |v| {
            v["targetGroups"][0]["healthCheck"]["intervalSecs"] = json!(10);
            v["loadBalancers"][0]["type"] = json!("classic");
            v["route53"]["hostedZones"][0]["records"][0]["weigth"] = json!(1);
            v["cloudMap"]["namespaces"][0]["services"][0]["healthCheckCustomConfig"] =
                json!({"failureThreshold": 1});
            v["services"][0]["loadBalancers"][0]["port"] = json!(1);
        },
        expect_test::expect![[r#"
            services[0].loadBalancers[0].port: unknown field; expected one of targetGroupArn, loadBalancerName, containerName, containerPort
            targetGroups[0].healthCheck.intervalSecs: unknown field; expected one of intervalSeconds, timeoutSeconds, healthyThresholdCount, unhealthyThresholdCount, path
            loadBalancers[0].type: unknown name "classic"; expected "application" or "network"
            route53.hostedZones[0].records[0].weigth: unknown field; expected one of name, type, setIdentifier, weight, ttl, alias, value
            cloudMap.namespaces[0].services[0].healthCheckCustomConfig.failureThreshold: unknown field; there are no fields"#]],
    );
}

#[test]
fn an_imported_service_with_load_balancers_imports_with_a_note_until_target_groups_import() {
    use flotilla_core::import;
    let describe = json!({"services": [{
        "serviceName": "web", "taskDefinition": "order:1", "desiredCount": 1,
        "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1",
                           "containerName": "order", "containerPort": 8080}],
        "serviceRegistries": []
    }]});
    let base = parse(&shop()).expect("fixture is valid");
    let outcome =
        import::import(&base, &[("services.json", &describe.to_string())]).expect("imports");
    let notes: Vec<String> = outcome.notes.iter().map(ToString::to_string).collect();
    expect_test::expect![[r#"
        services.json: services[0].loadBalancers: UNSUPPORTED, dropped: names a target group or Cloud Map service that is neither in the scenario nor imported beside it (create-target-group or describe-target-groups, servicediscovery create-service)
        services.json: services[0].serviceRegistries: default, dropped: empty"#]]
    .assert_eq(&notes.join("\n"));
    let web = outcome
        .scenario
        .services
        .iter()
        .find(|s| s.service_name == "web");
    assert!(web.is_some_and(|s| s.load_balancers.is_empty()));
}

/// A corpus scenario's world, run to `at` (e.g. `"1m30s"`).
fn corpus_world_at(name: &str, at: &str) -> flotilla_core::World {
    let path = flotilla_tests::repo_root().join(format!("tests/corpus/{name}.json"));
    let text = std::fs::read_to_string(&path).expect("corpus scenario reads");
    let scenario = parse_scenario(&text).expect("corpus scenario parses");
    let mut world = flotilla_core::World::new(&scenario).expect("builds");
    let at_ms = flotilla_core::time::parse_duration(at).expect("a duration");
    world.run_until(flotilla_core::SimTime(at_ms));
    world
}

#[test]
fn a_new_target_is_healthy_after_one_check_and_only_then_counts_healthy() {
    use flotilla_core::discovery::TargetHealthState;
    // order: registered at 5 s (ACTIVATING), one 10 s interval later healthy.
    let world = corpus_world_at("discovery-registration-timing", "14s");
    let order = world.target_group_view(TargetGroupId(0));
    assert_eq!(order.targets.len(), 2);
    assert!(order
        .targets
        .iter()
        .all(|t| t.state() == TargetHealthState::Initial));
    assert!(world.tasks().iter().all(|t| !t.counted_healthy));
    let world = corpus_world_at("discovery-registration-timing", "15s");
    let order = world.target_group_view(TargetGroupId(0));
    assert!(order
        .targets
        .iter()
        .all(|t| t.state() == TargetHealthState::Healthy));
    for row in order.rows(&world) {
        assert!(world.task(row.target.task).counted_healthy);
        assert_eq!(row.revision.to_string(), "order:1");
        assert!(row.routed);
    }
    // user: ip targets with the default 30 s interval; not counted at 40 s after RUNNING.
    let user = world.target_group_view(TargetGroupId(1));
    assert!(user.targets.iter().all(|t| matches!(
        t.address,
        flotilla_core::discovery::TargetAddress::Ip { port: 9000, .. }
    )));
    // PROVISIONING 1 s + start 5 s: registered at 6 s, healthy at 36 s.
    let world = corpus_world_at("discovery-registration-timing", "35s");
    let user = world.target_group_view(TargetGroupId(1));
    assert!(user
        .targets
        .iter()
        .all(|t| t.state() == TargetHealthState::Initial));
    let world = corpus_world_at("discovery-registration-timing", "36s");
    let user = world.target_group_view(TargetGroupId(1));
    assert!(user
        .targets
        .iter()
        .all(|t| t.state() == TargetHealthState::Healthy));
}

#[test]
fn the_deregistration_delay_holds_the_task_in_deactivating_and_takes_it_out_of_routing() {
    use flotilla_core::task::{TaskId, TaskState};
    let world = corpus_world_at("discovery-deregistration-delay", "1m44s");
    assert_eq!(world.task(TaskId(0)).state, TaskState::Deactivating);
    let web = world.target_group_view(TargetGroupId(0));
    let draining = web
        .targets
        .iter()
        .find(|t| t.task == TaskId(0))
        .expect("still a target");
    assert_eq!(
        draining.draining_until,
        Some(flotilla_core::SimTime::from_secs(105))
    );
    assert!(!web.routing.routes_to(draining.state()));
    let world = corpus_world_at("discovery-deregistration-delay", "1m45s");
    assert_eq!(world.task(TaskId(0)).state, TaskState::Stopping);
    let web = world.target_group_view(TargetGroupId(0));
    assert!(web.targets.iter().all(|t| t.task != TaskId(0)));
}

#[test]
fn a_target_group_with_only_unhealthy_targets_fails_open() {
    use flotilla_core::discovery::Routing;
    use flotilla_core::task::TaskId;
    // Only new targets still in `initial`: nothing to route to.
    let world = corpus_world_at("discovery-fail-open", "1m54s");
    assert_eq!(
        world.target_group_view(TargetGroupId(0)).routing,
        Routing::Nothing
    );
    let world = corpus_world_at("discovery-fail-open", "2m");
    let web = world.target_group_view(TargetGroupId(0));
    assert_eq!(web.routing, Routing::FailOpen);
    assert_eq!(web.routed_count(), 2);
    for task in [TaskId(2), TaskId(3)] {
        let task = world.task(task);
        assert!(
            !task.counted_healthy && !task.unhealthy,
            "inside the grace period"
        );
    }
    // The rollback's healthy targets end it.
    let world = corpus_world_at("discovery-fail-open", "3m");
    assert_eq!(
        world.target_group_view(TargetGroupId(0)).routing,
        Routing::Healthy
    );
}

#[test]
fn the_load_balancer_marking_a_task_unhealthy_gets_it_replaced_with_ecs_wording() {
    let world = corpus_world_at("discovery-elb-unhealthy-replacement", "3m");
    let trace = world.trace();
    let line = trace
        .lines()
        .find(|l| l.contains("is unhealthy in (target-group"))
        .expect("the ELB event");
    expect_test::expect!["00:01:30.000 service (web) (instance i-0f88bb8a8724c81ec) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0f1e2d3c4b5a6978) due to (reason Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)"]
        .assert_eq(line);
    let web = world.target_group_view(TargetGroupId(0));
    assert_eq!(web.targets.len(), 2);
    assert!(web
        .rows(&world)
        .all(|row| row.revision.to_string() == "web:1"));
}

#[test]
fn multivalue_answers_at_most_eight_of_the_registered_instances() {
    use flotilla_core::discovery::CloudMapServiceId;
    use flotilla_core::rng::{SimRng, Stream};
    let api = CloudMapServiceId(0);
    let world = corpus_world_at("discovery-multivalue-limit", "1m");
    assert_eq!(world.registry_instances(api).len(), 10);
    let mut resolver = SimRng::stream(35, Stream::DnsClients);
    let answer = world.multivalue_answer(api, &mut resolver);
    assert_eq!(answer.len(), 8);
    let again = world.multivalue_answer(api, &mut SimRng::stream(35, Stream::DnsClients));
    assert_eq!(answer, again, "the same stream gives the same answer");
    let world = corpus_world_at("discovery-multivalue-limit", "2m30s");
    assert_eq!(world.registry_instances(api).len(), 6);
    assert_eq!(
        world.multivalue_answer(api, &mut resolver),
        vec![0, 1, 2, 3, 4, 5]
    );
}

#[test]
fn discovery_corpus_scenarios_settle_before_their_horizon() {
    // Target health is one wake-up per change of state, never one per check: without traffic
    // (whose tick never stops) a load-balanced run settles and nothing is left queued.
    for name in [
        "discovery-registration-timing",
        "discovery-deregistration-delay",
        "discovery-fail-open",
        "discovery-elb-unhealthy-replacement",
        "discovery-multivalue-limit",
    ] {
        let path = flotilla_tests::repo_root().join(format!("tests/corpus/{name}.json"));
        let scenario = parse_scenario(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut world = flotilla_core::World::new(&scenario).unwrap();
        world.run_until(scenario.horizon());
        assert_eq!(
            world.next_wakeup_at(),
            None,
            "{name} is not idle at its horizon"
        );
    }
}

#[test]
fn clients_follow_a_weight_change_as_their_cached_answers_expire() {
    // api.example.com: blue 255 / green 0, TTL 60 s, 5 % of clients keep answers ten TTLs
    // (the default). At 2m the weights swap.
    let shares = |at: &str| {
        let world = corpus_world_at("traffic-weight-change", at);
        let traffic = world.traffic().expect("the scenario has traffic");
        let set = traffic
            .plan()
            .record_sets
            .iter()
            .position(|s| s.name == "api.example.com");
        let shares = traffic.answer_shares_at(set.expect("planned") as u32, world.now());
        let labels: Vec<&str> = traffic.plan().record_sets[set.unwrap()]
            .answers
            .iter()
            .map(|a| a.label.as_str())
            .collect();
        assert_eq!(labels, ["blue", "green"]);
        (shares[0], shares[1])
    };
    assert_eq!(shares("1m59s"), (1.0, 0.0));
    assert_eq!(traffic_weights("1m59s"), [255, 0]);
    // Half a TTL after the change: half of the ordinary clients (95 %) and 1/20 of the
    // long-caching ones (5 %) have refreshed.
    let (blue, green) = shares("2m30s");
    assert!((blue - (0.95 * 0.5 + 0.05 * 0.95)).abs() < 1e-9, "{blue}");
    assert!((blue + green - 1.0).abs() < 1e-9);
    assert_eq!(traffic_weights("2m30s"), [0, 255]);
    // A TTL after: only the long-caching clients, 9/10 of them, still resolve blue.
    let (blue, _) = shares("3m");
    assert!((blue - 0.05 * 0.9).abs() < 1e-9, "{blue}");
}

fn traffic_weights(at: &str) -> Vec<u8> {
    let world = corpus_world_at("traffic-weight-change", at);
    world.traffic().expect("traffic").record_weights(0).to_vec()
}
