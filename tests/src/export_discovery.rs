//! The CloudFormation export of the discovery members (target groups, load balancers, listeners
//! and rules, Route 53, Cloud Map) and of a service's `LoadBalancers` / `ServiceRegistries`:
//! a snapshot of the fixture `tests/discovery/shop.json` (tests/export/expected/), the bindings
//! as references with the listeners in `DependsOn`, and, for every scenario the repository
//! holds, every `Ref`, `Fn::GetAtt` and `DependsOn` naming something the template defines.
//! cfn-lint checks the same templates in scripts/test.sh (tests/tools/validate_exports.py).

use expect_test::expect_file;
use flotilla_core::builtin;
use flotilla_core::export::{self, Format};
use flotilla_core::scenario::{parse_scenario, Scenario};
use flotilla_tests::repo_root;
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn load(path: &str) -> Scenario {
    let text = std::fs::read_to_string(repo_root().join(path)).expect(path);
    parse_scenario(&text).unwrap_or_else(|errors| panic!("{path}: {errors:?}"))
}

fn template(scenario: &Scenario) -> Value {
    serde_json::from_str(&export::cloudformation(scenario, Format::Json)).expect("JSON")
}

/// Every scenario with discovery members: the fixture and the corpus's `discovery-*`.
fn discovery_scenarios() -> Vec<(String, Scenario)> {
    let mut all = vec![(
        "tests/discovery/shop.json".to_string(),
        load("tests/discovery/shop.json"),
    )];
    let mut files: Vec<String> = std::fs::read_dir(repo_root().join("tests/corpus"))
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("discovery-") && name.ends_with(".json"))
        .collect();
    files.sort();
    for name in files {
        let path = format!("tests/corpus/{name}");
        all.push((path.clone(), load(&path)));
    }
    all
}

#[test]
fn shop_cloudformation_snapshot() {
    let scenario = load("tests/discovery/shop.json");
    expect_file![repo_root().join("tests/export/expected/shop.cloudformation.yaml")]
        .assert_eq(&export::cloudformation(&scenario, Format::Yaml));
}

#[test]
fn services_refer_to_the_stacks_target_groups_and_registries_and_wait_for_listeners() {
    let template = template(&load("tests/discovery/shop.json"));
    let resources = &template["Resources"];
    let order = &resources["OrderService"];
    assert_eq!(
        order["Properties"]["LoadBalancers"],
        json!([{"TargetGroupArn": {"Ref": "OrderBlueTargetGroup"}, "ContainerName": "order", "ContainerPort": 8080}])
    );
    assert_eq!(
        order["Properties"]["ServiceRegistries"][0]["RegistryArn"],
        json!({"Fn::GetAtt": ["OrderShopLocalDiscoveryService", "Arn"]})
    );
    let depends: Vec<&str> = order["DependsOn"]
        .as_array()
        .expect("DependsOn")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // order-blue is the listener's default and forwarded to by rule 10.
    assert!(depends.contains(&"ShopListener80"), "{depends:?}");
    assert!(depends.contains(&"ShopListener80Rule10"), "{depends:?}");
    let group = &resources["OrderBlueTargetGroup"]["Properties"];
    assert_eq!(group["HealthCheckIntervalSeconds"], json!(10));
    assert_eq!(group["HealthCheckPath"], json!("/health"));
    assert_eq!(
        group["TargetGroupAttributes"],
        json!([{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}])
    );
    assert_eq!(
        resources["UserTargetGroup"]["Properties"]["TargetGroupAttributes"],
        json!([
            {"Key": "slow_start.duration_seconds", "Value": "30"},
            {"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}
        ])
    );
    let rule = &resources["ShopListener80Rule10"]["Properties"];
    assert_eq!(
        rule["Actions"][0]["ForwardConfig"]["TargetGroups"],
        json!([
            {"TargetGroupArn": {"Ref": "OrderBlueTargetGroup"}, "Weight": 90},
            {"TargetGroupArn": {"Ref": "OrderGreenTargetGroup"}, "Weight": 10}
        ])
    );
    let blue = &resources["ShopExampleComARecordBlue"]["Properties"];
    assert_eq!(blue["Weight"], json!(200));
    assert_eq!(blue["SetIdentifier"], json!("blue"));
    assert_eq!(
        blue["AliasTarget"]["HostedZoneId"],
        json!({"Fn::GetAtt": ["ShopLoadBalancer", "CanonicalHostedZoneID"]})
    );
    assert_eq!(
        resources["ShopLocalNamespace"]["Type"],
        json!("AWS::ServiceDiscovery::PrivateDnsNamespace")
    );
}

#[test]
fn every_reference_names_something_the_template_defines() {
    let mut all = discovery_scenarios();
    for b in builtin::BUILTIN_SCENARIOS {
        all.push((b.id.to_string(), parse_scenario(b.json).expect("built-in")));
    }
    for (label, scenario) in &all {
        let template = template(scenario);
        let resources: BTreeSet<&str> = template["Resources"]
            .as_object()
            .map(|r| r.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let parameters: BTreeSet<&str> = template["Parameters"]
            .as_object()
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut names = Vec::new();
        references(&template["Resources"], &mut names);
        for (kind, name) in names {
            let known = match kind {
                "Ref" => resources.contains(name.as_str()) || parameters.contains(name.as_str()),
                _ => resources.contains(name.as_str()),
            };
            assert!(
                known,
                "{label}: {kind} {name} names nothing in the template"
            );
        }
        for (id, resource) in template["Resources"].as_object().into_iter().flatten() {
            for name in resource["DependsOn"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                assert!(
                    resources.contains(name),
                    "{label}: {id} depends on {name}, which is not a resource"
                );
            }
        }
    }
}

/// Every `Ref` and `Fn::GetAtt` target in a tree, as `(kind, name)`.
fn references(node: &Value, out: &mut Vec<(&'static str, String)>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("Ref", Value::String(name)) => out.push(("Ref", name.clone())),
                    ("Fn::GetAtt", Value::Array(parts)) => out.push((
                        "Fn::GetAtt",
                        parts[0].as_str().unwrap_or_default().to_string(),
                    )),
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}
