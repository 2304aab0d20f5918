//! A build without the `discovery` feature (the embed's, to stay under its size budget): a
//! scenario's service-discovery and traffic members are refused where they stand, one problem
//! at each member's path saying so, as a regular expression is refused without `regex`
//! (`query/parser.rs`). The members refused here are the file's `targetGroups`,
//! `loadBalancers`, `route53`, `cloudMap` and `traffic`, and a service's `loadBalancers` and
//! `serviceRegistries`; a revision's traffic behaviour (`crate::behaviour`) and the timeline's
//! `changeResourceRecordWeight` (`compile.rs`, `World::apply`) are refused where they are read.

use crate::problem::Problem;
use serde_json::{Map, Value};

/// The file's top-level members that need the `discovery` feature, in file order.
pub const DISCOVERY_MEMBERS: [&str; 5] = [
    "targetGroups",
    "loadBalancers",
    "route53",
    "cloudMap",
    "traffic",
];

/// A service's members that need the `discovery` feature.
const SERVICE_MEMBERS: [&str; 2] = ["loadBalancers", "serviceRegistries"];

/// The one wording of "this build has no load balancers or traffic", at `path`.
pub fn not_in_this_build(path: impl Into<String>) -> Problem {
    Problem::new(
        path,
        "load balancers, service discovery and traffic are not in this build of Flotilla (the \
         embed leaves them out to stay small); open the scenario in the full app",
    )
}

/// Takes every discovery member out of the scenario file's `object` (and out of each of its
/// services), recording a problem at each one's path.
pub(super) fn refuse_members(object: &mut Map<String, Value>, errors: &mut Vec<Problem>) {
    for key in DISCOVERY_MEMBERS {
        if object.remove(key).is_some() {
            errors.push(not_in_this_build(key));
        }
    }
    if let Some(Value::Array(services)) = object.get_mut("services") {
        for (index, service) in services.iter_mut().enumerate() {
            refuse_service_members(service, &format!("services[{index}]"), errors);
        }
    }
    // A timeline createService's request is a services[] entry too.
    if let Some(Value::Array(timeline)) = object.get_mut("timeline") {
        for (index, entry) in timeline.iter_mut().enumerate() {
            if let Some(service) = entry.pointer_mut("/action/createService/service") {
                let at = format!("timeline[{index}].action.createService.service");
                refuse_service_members(service, &at, errors);
            }
        }
    }
}

/// Takes a service's discovery members out, each refused at its path under `at`.
fn refuse_service_members(service: &mut Value, at: &str, errors: &mut Vec<Problem>) {
    let Value::Object(service) = service else {
        return;
    };
    for key in SERVICE_MEMBERS {
        if service.remove(key).is_some() {
            errors.push(not_in_this_build(format!("{at}.{key}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{Action, ChangeRecordWeight};
    use crate::world::World;
    use serde_json::json;

    /// A small scenario without discovery, for the members added below.
    fn base() -> Value {
        json!({
            "version": 1, "name": "base", "seed": 1, "duration": "2m",
            "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}],
            "taskDefinitions": [{"family": "web", "containerDefinitions": [
                {"name": "web", "image": "web", "essential": true, "cpu": 256, "memory": 512,
                 "portMappings": [{"containerPort": 8080}]}]}],
            "services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}]
        })
    }

    /// The paths of the problems loading `scenario` reports, each checked to be the refusal.
    fn refused_at(scenario: Value) -> Vec<String> {
        let problems = crate::scenario::from_value(scenario).expect_err("refused");
        for problem in &problems {
            assert_eq!(problem, &not_in_this_build(problem.path.clone()));
        }
        problems.into_iter().map(|problem| problem.path).collect()
    }

    #[test]
    fn every_discovery_member_is_refused_at_its_path() {
        crate::scenario::from_value(base()).expect("the base loads");
        for key in DISCOVERY_MEMBERS {
            let mut scenario = base();
            scenario[key] = if key == "traffic" {
                json!({})
            } else {
                json!([])
            };
            assert_eq!(refused_at(scenario), [key], "{key}");
        }
        for key in SERVICE_MEMBERS {
            let mut scenario = base();
            scenario["services"][0][key] = json!([]);
            assert_eq!(refused_at(scenario), [format!("services[0].{key}")]);
            // The same member of a timeline createService's request.
            let mut scenario = base();
            let mut service = base()["services"][0].clone();
            service["serviceName"] = json!("api");
            service[key] = json!([]);
            scenario["timeline"] =
                json!([{"at": "1m", "action": {"createService": {"service": service}}}]);
            assert_eq!(
                refused_at(scenario),
                [format!("timeline[0].action.createService.service.{key}")]
            );
        }
        let traffic_behaviour = [
            ("errorRatePercent", json!(1)),
            ("latencyMs", json!({"p50": 1, "p90": 2, "p99": 3})),
            ("cpuPerRequestMs", json!(2)),
        ];
        for (key, value) in traffic_behaviour {
            let mut scenario = base();
            scenario["revisionBehaviour"] = json!([{"taskDefinition": "web:1", key: value}]);
            assert_eq!(
                refused_at(scenario),
                [format!("revisionBehaviour[0].{key}")]
            );
            let mut scenario = base();
            scenario["timeline"] = json!([{"at": "1m", "action": {"registerTaskDefinition":
                {"family": "web", "behaviour": {key: value}}}}]);
            assert_eq!(
                refused_at(scenario),
                [format!(
                    "timeline[0].action.registerTaskDefinition.behaviour.{key}"
                )]
            );
        }
        let mut scenario = base();
        scenario["timeline"] = json!([{"at": "1m", "action": {"changeResourceRecordWeight":
            {"name": "api.example.com", "setIdentifier": "blue", "weight": 1}}}]);
        assert_eq!(
            refused_at(scenario),
            ["timeline[0].action.changeResourceRecordWeight"]
        );
    }

    /// The default built-in has a load balancer, a Route 53 name and traffic: refused at each,
    /// and nothing else is wrong with it.
    #[test]
    fn the_microservices_built_in_is_refused_where_it_uses_discovery() {
        let problems =
            crate::parse_scenario(crate::builtin::default_scenario().json).expect_err("refused");
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "targetGroups",
                "loadBalancers",
                "route53",
                "traffic",
                "services[0].loadBalancers",
                "services[1].loadBalancers",
                "services[2].loadBalancers",
            ]
        );
        assert!(problems[0]
            .message
            .contains("not in this build of Flotilla"));
    }

    /// An action applied to a running world (the embed's `apply`) is refused the same way.
    #[test]
    fn a_record_weight_change_is_refused_by_the_world() {
        let scenario = crate::scenario::from_value(base()).expect("the base loads");
        let mut world = World::new(&scenario).expect("builds");
        let change = Action::ChangeResourceRecordWeight(ChangeRecordWeight {
            name: "api.example.com".into(),
            set_identifier: "blue".into(),
            weight: 1,
        });
        let error = world.apply(&change).expect_err("refused");
        assert_eq!(error.0, not_in_this_build("").message);
    }

    /// Every scenario of the corpus and every built-in that has no discovery member runs to
    /// the trace the full build gives (`tests/corpus/expected/`, pinned by the native and
    /// wasm corpus tests), including the docs' microservices page (`microservices-embed`).
    #[test]
    fn scenarios_without_discovery_run_as_in_the_full_build() {
        macro_rules! corpus {
            ($dir:literal: $($name:literal),* $(,)?) => {
                [$((
                    $name,
                    include_str!(concat!("../../", $dir, "/", $name, ".json")),
                    include_str!(concat!("../../../tests/corpus/expected/", $name, ".trace")),
                )),*]
            };
        }
        let built_ins = corpus!("scenarios": "placement", "batch-jobs", "rolling-minimal-cost",
            "rolling-fast", "cicd");
        let corpus = corpus!("../tests/corpus": "alarm-rollback", "az-loss", "daemon-drain",
            "deployment-deadlock", "microservices-embed", "placement-s1_3-scale-in",
            "placement-s1_3-strategies", "placement-s1_4-constraints", "placement-s1_5-batch",
            "placement-s2_1-cpu-memory-gpu", "placement-s2_3-ports", "placement-s2_4-eni",
            "restart-backoff", "standalone-instance-loss", "unable-to-place-dedup",
            "unhealthy-replacement");
        for (name, text, expected) in built_ins.into_iter().chain(corpus) {
            let scenario =
                crate::parse_scenario(text).unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
            let mut world = World::new(&scenario).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(world.run_until(scenario.horizon()).bound, None, "{name}");
            assert!(world.trace() == expected, "{name}: the trace differs");
        }
    }
}
