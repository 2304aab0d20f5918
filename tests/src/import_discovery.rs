//! Import of the discovery documents (`flotilla_core::import`, `import/discovery.rs`):
//! `describe-target-groups` output into target groups with every dropped member noted by path,
//! `describe-target-health` noted as runtime state, a service keeping the `loadBalancers` the
//! imported groups resolve; typed errors with the document and the path for every new shape;
//! and mutated discovery documents never panic.

use expect_test::{expect, Expect};
use flotilla_core::export;
use flotilla_core::import;
use flotilla_core::rng::SimRng;
use flotilla_core::scenario::parse_scenario;
use flotilla_tests::repo_root;

fn aws(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/export/aws").join(name)).expect(name)
}

fn check(documents: &[(&str, &str)], expect: Expect) {
    let actual = match import::import(&import::empty_scenario("imported"), documents) {
        Ok(outcome) => {
            let mut text = String::new();
            for note in &outcome.notes {
                text.push_str(&format!("{note}\n"));
            }
            let value: serde_json::Value =
                serde_json::from_str(&export::scenario_file(&outcome.scenario)).expect("json");
            text.push_str(&serde_json::to_string_pretty(&value["targetGroups"]).expect("json"));
            text
        }
        Err(errors) => errors.iter().map(|e| format!("error: {e}\n")).collect(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn imports_describe_target_groups_and_notes_target_health() {
    check(
        &[
            ("groups.json", &aws("describe-target-groups.json")),
            ("health.json", &aws("describe-target-health.json")),
        ],
        expect![[r#"
            groups.json: TargetGroups[0].TargetGroupArn: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].LoadBalancerArns: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].HealthCheckProtocol: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].HealthCheckEnabled: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].Matcher: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].IpAddressType: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].ProtocolVersion: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[0].HealthCheckPort: default, dropped: traffic-port is the default
            groups.json: TargetGroups[0].VpcId: default, dropped: the sandbox has one VPC
            groups.json: TargetGroups[1].TargetGroupArn: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].LoadBalancerArns: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].HealthCheckProtocol: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].HealthCheckEnabled: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].Matcher: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].IpAddressType: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].ProtocolVersion: read-only, dropped: reported by describe-target-groups, taken by no request
            groups.json: TargetGroups[1].HealthCheckPort: default, dropped: traffic-port is the default
            groups.json: TargetGroups[1].VpcId: default, dropped: the sandbox has one VPC
            health.json: TargetHealthDescriptions: not imported: target health is runtime state: the sandbox's targets register and pass their health checks as the run goes
            [
              {
                "healthCheck": {
                  "healthyThresholdCount": 3,
                  "intervalSeconds": 10,
                  "path": "/health",
                  "timeoutSeconds": 5,
                  "unhealthyThresholdCount": 2
                },
                "name": "order-blue",
                "port": 8080,
                "protocol": "HTTP",
                "targetType": "instance"
              },
              {
                "healthCheck": {
                  "healthyThresholdCount": 5,
                  "intervalSeconds": 30,
                  "path": "/",
                  "timeoutSeconds": 5,
                  "unhealthyThresholdCount": 2
                },
                "name": "user",
                "port": 9000,
                "protocol": "HTTP",
                "targetType": "ip"
              }
            ]"#]],
    );
}

#[test]
fn a_service_keeps_the_target_groups_imported_beside_it() {
    let service = r#"{"serviceName": "order", "taskDefinition": "order", "desiredCount": 1,
        "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/order-blue/6d0ecf831eec9f09", "containerName": "order", "containerPort": 8080}]}"#;
    let definition = r#"{"family": "order", "networkMode": "bridge", "containerDefinitions": [
        {"name": "order", "image": "x", "memory": 256, "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]}"#;
    let with = import::import(
        &import::empty_scenario("x"),
        &[
            ("service.json", service),
            ("definition.json", definition),
            ("groups.json", &aws("describe-target-groups.json")),
        ],
    )
    .expect("imports");
    assert_eq!(with.scenario.services[0].load_balancers.len(), 1);
    // Without the groups, the member is dropped and noted with its path.
    let without = import::import(
        &import::empty_scenario("x"),
        &[("service.json", service), ("definition.json", definition)],
    )
    .expect("imports");
    assert!(without.scenario.services[0].load_balancers.is_empty());
    let notes: Vec<String> = without.unsupported().map(ToString::to_string).collect();
    expect!["service.json: loadBalancers: UNSUPPORTED, dropped: names a target group or Cloud Map service that is neither in the scenario nor imported beside it (create-target-group or describe-target-groups, servicediscovery create-service)"].assert_eq(&notes.join("\n"));
}

#[test]
fn bad_discovery_documents_are_errors_with_their_paths() {
    let group = r#"{"Name": "web", "Protocol": "HTTP", "Port": 80}"#;
    let balancer = r#"{"Name": "front", "Subnets": ["subnet-a"]}"#;
    let cases: [(&str, &str); 12] = [
        (
            "target-group.json",
            r#"{"Name": "web", "Protocol": "HTTP2", "Port": 80}"#,
        ),
        (
            "target-group.json",
            r#"{"Name": "web", "Protocol": "HTTP", "Port": "80"}"#,
        ),
        (
            "attributes.json",
            r#"{"TargetGroupArn": "web", "Attributes": []}"#,
        ),
        (
            "attributes.json",
            r#"{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1", "Attributes": [{"Key": "slow_start.duration_seconds", "Value": "soon"}]}"#,
        ),
        (
            "listener.json",
            r#"{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/back/1", "Protocol": "HTTP", "Port": 80, "DefaultActions": []}"#,
        ),
        (
            "listener.json",
            r#"{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/front/1", "Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "redirect"}]}"#,
        ),
        (
            "listener.json",
            r#"{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/front/1", "Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/gone/1"}]}}]}"#,
        ),
        (
            "rule.json",
            r#"{"ListenerArn": "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/front/1/0000000000000051", "Priority": 1, "Conditions": [], "Actions": []}"#,
        ),
        (
            "records.json",
            r#"{"HostedZoneId": "Z1", "ChangeBatch": {"Changes": []}}"#,
        ),
        (
            "records.json",
            r#"{"HostedZoneId": "Z1", "ChangeBatch": {"Changes": [{"Action": "CREATE", "ResourceRecordSet": {"Name": "a.example.com", "Type": "MX"}}]}}"#,
        ),
        (
            "cloud-map-service.json",
            r#"{"Name": "api", "NamespaceId": "ns-1"}"#,
        ),
        (
            "cloud-map-service.json",
            r#"{"Name": "api", "NamespaceId": "ns-1", "DnsConfig": {"DnsRecords": [{"Type": "A", "TTL": -1}]}}"#,
        ),
    ];
    let mut out = String::new();
    for (name, text) in cases {
        match import::import(
            &import::empty_scenario("x"),
            &[
                ("group.json", group),
                ("balancer.json", balancer),
                (name, text),
            ],
        ) {
            Ok(_) => out.push_str(&format!("{name}: imported\n")),
            Err(errors) => {
                for error in errors {
                    out.push_str(&format!("{error}\n"));
                }
            }
        }
    }
    expect![[r#"
        target-group.json: Protocol: unknown name "HTTP2"; expected one of "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"
        target-group.json: Port: expected a whole number from 0 to 4294967295, found the string "80"
        attributes.json: TargetGroupArn: "web" is not a target group ARN; write arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef
        attributes.json: Attributes[0].Value: expected whole seconds, found "soon"
        listener.json: LoadBalancerArn: no load balancer named "back" is imported; import its create-load-balancer body beside it
        listener.json: DefaultActions[0].Type: only forward actions are modelled, found "redirect"
        listener.json: DefaultActions[0].ForwardConfig.TargetGroups[0].TargetGroupArn: no target group named "gone" is imported; import its create-target-group body or describe-target-groups output beside it
        rule.json: ListenerArn: no listener on port 81 is imported; import its create-listener body beside it
        records.json: HostedZoneId: no hosted zone imported has the id "Z1"; import its create-hosted-zone body beside it
        records.json: ChangeBatch.Changes[0].ResourceRecordSet.Type: unknown name "MX"; expected one of "A", "AAAA", "CNAME"
        cloud-map-service.json: NamespaceId: no namespace imported has the id "ns-1"; import its create-private-dns-namespace or create-http-namespace body beside it
        cloud-map-service.json: DnsConfig.DnsRecords[0].TTL: expected a whole number from 0 to 4294967295, found the number -1
    "#]].assert_eq(&out);
}

/// Cut and byte-mutated discovery documents (the fixture's whole bundle and each body alone,
/// beside the others) never panic the import.
#[test]
fn mutated_discovery_documents_never_panic() {
    let text =
        std::fs::read_to_string(repo_root().join("tests/discovery/shop.json")).expect("shop");
    let scenario = parse_scenario(&text).expect("valid");
    let ecs = export::ecs_json(&scenario);
    let base = import::empty_scenario("fuzz");
    let mut rng = SimRng::from_seed(11);
    let mut fixtures = vec![
        ecs.bundle(),
        aws("describe-target-groups.json"),
        aws("describe-target-health.json"),
    ];
    fixtures.extend(
        ecs.documents
            .iter()
            .filter(|d| d.operation.api() != "ecs")
            .map(|d| d.json.clone()),
    );
    let others: Vec<(&str, &str)> = ecs
        .documents
        .iter()
        .map(|d| (d.file_name.as_str(), d.json.as_str()))
        .collect();
    for fixture in &fixtures {
        let bytes = fixture.as_bytes();
        for cut in (0..bytes.len()).step_by(11) {
            let text = String::from_utf8_lossy(&bytes[..cut]);
            let _ = import::import(&base, &[("cut.json", &text)]);
        }
        for _ in 0..150 {
            let mut mutated = bytes.to_vec();
            let at = rng.below(mutated.len() as u32) as usize;
            mutated[at] = b"{}[]\":,0a-"[rng.below(10) as usize];
            let text = String::from_utf8_lossy(&mutated);
            let mut documents = others.clone();
            documents.push(("mutated.json", &text));
            let _ = import::import(&base, &documents);
        }
    }
}
