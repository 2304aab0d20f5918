//! Exports and imports (`flotilla_core::export`, `flotilla_core::import`): snapshots of a small
//! scenario's exports so reviewers see the shapes (tests/export/expected/, `UPDATE_EXPECT=1`
//! rewrites them), export → import → export byte-identical for every built-in and export-corpus
//! scenario and for random scenarios, and import of real AWS output with path-precise notes and
//! errors. botocore and cfn-lint check the same exports in scripts/test.sh (tests/tools/).

use expect_test::{expect, expect_file, Expect};
use flotilla_core::action::{AwsvpcConfiguration, NetworkConfiguration};
use flotilla_core::export::{self, Format};
use flotilla_core::import::{self, ImportOutcome};
use flotilla_core::rng::SimRng;
use flotilla_core::scenario::{self, parse_scenario, Scenario};
use flotilla_core::{builtin, catalogue};
use flotilla_tests::repo_root;

mod replay;

const SMALL: &str = r#"{
  "version": 1,
  "name": "Small export",
  "seed": 1,
  "fleet": [
    {"instanceType": "t3.medium", "availabilityZone": "us-east-1a", "count": 2, "amiId": "ami-0abcdef1234567890", "attributes": {"stack": "prod"}}
  ],
  "taskDefinitions": [{
    "family": "web",
    "networkMode": "bridge",
    "requiresCompatibilities": ["EC2"],
    "cpu": "512",
    "memory": "1024",
    "containerDefinitions": [{
      "name": "app", "image": "public.ecr.aws/nginx/nginx:1.25", "essential": true,
      "cpu": 256, "memory": 512, "memoryReservation": 256,
      "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}],
      "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "interval": 30, "retries": 3}
    }],
    "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"}]
  }],
  "services": [{
    "cluster": "prod",
    "serviceName": "web",
    "taskDefinition": "web:1",
    "desiredCount": 2,
    "launchType": "EC2",
    "deploymentConfiguration": {"minimumHealthyPercent": 50, "maximumPercent": 200, "deploymentCircuitBreaker": {"enable": true, "rollback": true}},
    "placementConstraints": [{"type": "distinctInstance"}],
    "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "binpack", "field": "memory"}]
  }],
  "timeline": [{"at": "30s", "action": {"updateService": {"service": "web", "desiredCount": 1}}}]
}"#;

fn parse(text: &str) -> Scenario {
    parse_scenario(text).unwrap_or_else(|errors| panic!("invalid scenario: {errors:?}"))
}

fn expected(name: &str) -> expect_test::ExpectFile {
    expect_file![repo_root().join("tests/export/expected").join(name)]
}

#[test]
fn small_scenario_exports_snapshot() {
    let scenario = parse(SMALL);
    expected("small.ecs-bundle.json").assert_eq(&export::ecs_json(&scenario).bundle());
    expected("small.cloudformation.yaml")
        .assert_eq(&export::cloudformation(&scenario, Format::Yaml));
    expected("small.cloudformation.json")
        .assert_eq(&export::cloudformation(&scenario, Format::Json));
}

#[test]
fn ecs_file_names_say_what_to_run_in_order() {
    let names: Vec<String> = export::ecs_json(&parse(SMALL))
        .documents
        .iter()
        .map(|d| d.file_name.clone())
        .collect();
    expect![[r#"
        01-register-task-definition-web-1.json
        02-create-service-web.json
        03-update-service-web-at-30s.json
        fleet.describe-container-instances.json"#]]
    .assert_eq(&names.join("\n"));
}

/// Everything an export holds, for byte comparison.
fn all_exports(scenario: &Scenario) -> String {
    let ecs = export::ecs_json(scenario);
    let mut text = ecs.manifest.clone();
    for document in &ecs.documents {
        text.push_str(&format!("--- {}\n{}", document.file_name, document.json));
    }
    text.push_str(&export::cloudformation(scenario, Format::Yaml));
    text.push_str(&export::cloudformation(scenario, Format::Json));
    text
}

/// Exports the scenario's ECS documents, imports them into the scenario stripped of what they
/// carry (fleet, task definitions, services, target groups, load balancers, Route 53, Cloud
/// Map), and exports again. The sandbox-only parts (seed,
/// revision behaviour, timeline) come from the base, as when importing into an open scenario.
fn round_trip(scenario: &Scenario) -> Result<(String, String, ImportOutcome), String> {
    let first = all_exports(scenario);
    let ecs = export::ecs_json(scenario);
    let mut documents: Vec<(&str, &str)> = ecs
        .documents
        .iter()
        .map(|d| (d.file_name.as_str(), d.json.as_str()))
        .collect();
    documents.push((export::MANIFEST_FILE_NAME, ecs.manifest.as_str()));
    let base = Scenario {
        fleet: vec![],
        task_definitions: vec![],
        services: vec![],
        target_groups: vec![],
        load_balancers: vec![],
        route53: Default::default(),
        cloud_map: Default::default(),
        ..scenario.clone()
    };
    let outcome = import::import(&base, &documents).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok((first, all_exports(&outcome.scenario), outcome))
}

fn check_round_trip(label: &str, scenario: &Scenario) {
    let (first, second, outcome) =
        round_trip(scenario).unwrap_or_else(|e| panic!("{label}: import failed:\n{e}"));
    let unsupported: Vec<String> = outcome.unsupported().map(ToString::to_string).collect();
    assert!(unsupported.is_empty(), "{label}: {unsupported:?}");
    if first != second {
        let line = first
            .lines()
            .zip(second.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{label}: export → import → export differs at line {}:\n  first:  {}\n  second: {}",
            line + 1,
            first.lines().nth(line).unwrap_or(""),
            second.lines().nth(line).unwrap_or("")
        );
    }
    // `requiresAttributes` is read-only in AWS: the export leaves it out, so it cannot return.
    // An awsvpc service without networkConfiguration is exported with one subnet per fleet
    // zone (ECS requires the member), which means the same in the sandbox: it comes back so.
    let mut sent = scenario.clone();
    for definition in &mut sent.task_definitions {
        definition.requires_attributes.clear();
    }
    let zones: std::collections::BTreeSet<&str> = scenario
        .fleet
        .iter()
        .map(|entry| entry.availability_zone.as_str())
        .collect();
    for service in &mut sent.services {
        let family = service
            .task_definition
            .split(':')
            .next()
            .unwrap_or_default();
        let awsvpc = scenario.task_definitions.iter().any(|d| {
            d.family == family
                && d.network_mode == Some(flotilla_core::taskdef::NetworkMode::Awsvpc)
        });
        if awsvpc && service.network_configuration.is_none() {
            service.network_configuration = Some(NetworkConfiguration {
                awsvpc_configuration: AwsvpcConfiguration {
                    subnets: zones.iter().map(|zone| format!("subnet-{zone}")).collect(),
                },
            });
        }
    }
    assert_eq!(
        outcome.scenario, sent,
        "{label}: the scenario itself round-trips (read-only and default members aside)"
    );
}

#[test]
fn every_scenario_round_trips_byte_identical() {
    let all = every_scenario();
    for (label, scenario) in &all {
        check_round_trip(label, scenario);
    }
    check_round_trip("SMALL", &parse(SMALL));
    assert!(all.len() >= 19, "found the built-ins and both corpora");
}

/// Every scenario the repository holds: built-ins, the export corpus, the scenario corpus.
fn every_scenario() -> Vec<(String, Scenario)> {
    let mut all: Vec<(String, Scenario)> = builtin::BUILTIN_SCENARIOS
        .iter()
        .map(|b| (b.id.to_string(), parse(b.json)))
        .collect();
    for dir in ["tests/export", "tests/corpus", "tests/discovery"] {
        let mut files: Vec<_> = std::fs::read_dir(repo_root().join(dir))
            .expect(dir)
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("readable");
            all.push((path.display().to_string(), parse(&text)));
        }
    }
    all
}

#[test]
fn every_ecs_export_replays_to_what_the_scenario_runs() {
    let all = every_scenario();
    assert!(all.len() >= 19, "built-ins and both corpora");
    for (label, scenario) in &all {
        replay::check_replay(label, scenario);
    }
    replay::check_replay("SMALL", &parse(SMALL));
}

#[test]
fn scenario_file_export_round_trips() {
    for builtin in builtin::BUILTIN_SCENARIOS {
        let scenario = parse(builtin.json);
        let text = export::scenario_file(&scenario);
        assert_eq!(parse(&text), scenario, "{}", builtin.id);
        assert_eq!(export::scenario_file(&parse(&text)), text, "{}", builtin.id);
    }
}

#[test]
fn the_ecs_bundle_imports_like_the_separate_files() {
    let scenario = parse(SMALL);
    let bundle = export::ecs_json(&scenario).bundle();
    let base = Scenario {
        fleet: vec![],
        task_definitions: vec![],
        services: vec![],
        ..scenario.clone()
    };
    let outcome = import::import(&base, &[("bundle.json", &bundle)]).expect("imports");
    assert_eq!(outcome.scenario, scenario);
}

/// Random valid scenarios (a deterministic generator over the world's own RNG): export →
/// import → export is byte-identical for each. `FLOTILLA_SEEDS=N` runs more.
#[test]
fn random_scenarios_round_trip_byte_identical() {
    let seeds: u64 = std::env::var("FLOTILLA_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    for seed in 0..seeds {
        let scenario = random_scenario(seed);
        let errors = scenario::validate(&scenario);
        assert!(
            errors.is_empty(),
            "seed {seed}: generator made an invalid scenario: {errors:?}"
        );
        check_round_trip(&format!("seed {seed}"), &scenario);
    }
}

fn pick<'a>(rng: &mut SimRng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u32) as usize]
}

fn maybe(rng: &mut SimRng) -> bool {
    rng.below(2) == 0
}

fn random_scenario(seed: u64) -> Scenario {
    let mut rng = SimRng::from_seed(seed);
    let types: Vec<&str> = catalogue::all().iter().map(|t| t.name).collect();
    let mut fleet = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let mut attributes = serde_json::Map::new();
        if maybe(&mut rng) {
            attributes.insert("stack".into(), pick(&mut rng, &["prod", "dev"]).into());
        }
        if maybe(&mut rng) {
            attributes.insert("team".into(), pick(&mut rng, &["a b", "pay@x"]).into());
        }
        let mut entry = serde_json::json!({
            "instanceType": pick(&mut rng, &types),
            "availabilityZone": pick(&mut rng, &["us-east-1a", "us-east-1b", "eu-west-1c"]),
            "count": 1 + rng.below(3),
            "attributes": attributes,
        });
        if maybe(&mut rng) {
            entry["amiId"] = pick(
                &mut rng,
                &["ami-0abcdef1234567890", "ami-0fedcba9876543210"],
            )
            .into();
        }
        fleet.push(entry);
    }
    let families = ["web", "api", "batch"];
    let mut definitions = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let mode = pick(&mut rng, &["bridge", "host", ""]);
        let task_memory = maybe(&mut rng);
        let mut containers = Vec::new();
        for index in 0..1 + rng.below(2) {
            let mut container = serde_json::json!({
                "name": format!("c{index}"),
                "image": pick(&mut rng, &["example.com/app:1", "public.ecr.aws/nginx/nginx:1.25"]),
            });
            if index == 0 || maybe(&mut rng) {
                container["essential"] = (index == 0).into();
            }
            if maybe(&mut rng) {
                container["cpu"] = (128 * (1 + rng.below(4))).into();
            }
            let memory = 256 * (1 + rng.below(4));
            if !task_memory || maybe(&mut rng) {
                container["memory"] = memory.into();
                if maybe(&mut rng) {
                    container["memoryReservation"] = (memory / 2).into();
                }
            }
            if maybe(&mut rng) {
                let port = 80 + index as u16;
                let mut mapping = serde_json::json!({"containerPort": port});
                match mode {
                    "host" => mapping["hostPort"] = port.into(),
                    _ => {
                        mapping["hostPort"] = pick(&mut rng, &["0", "8080"])
                            .parse::<u16>()
                            .unwrap_or(0)
                            .into()
                    }
                }
                if maybe(&mut rng) {
                    mapping["protocol"] = pick(&mut rng, &["tcp", "udp"]).into();
                }
                container["portMappings"] = serde_json::json!([mapping]);
            }
            if maybe(&mut rng) {
                container["healthCheck"] = serde_json::json!({"command": ["CMD-SHELL", "true"], "retries": 1 + rng.below(5)});
            }
            if maybe(&mut rng) {
                container["stopTimeout"] = (1 + rng.below(120)).into();
            }
            containers.push(container);
        }
        let mut definition = serde_json::json!({
            "family": pick(&mut rng, &families),
            "containerDefinitions": containers,
        });
        if !mode.is_empty() {
            definition["networkMode"] = mode.into();
        }
        if maybe(&mut rng) {
            definition["requiresCompatibilities"] = serde_json::json!(["EC2"]);
        }
        if maybe(&mut rng) {
            definition["cpu"] = pick(&mut rng, &["256", "512", "1 vCPU"]).into();
        }
        if task_memory {
            // At least every container's hard memory (≤ 1024) and reservations (≤ 2 × 512):
            // RegisterTaskDefinition refuses less.
            definition["memory"] = pick(&mut rng, &["1024", "2 GB", "4 GB"]).into();
        }
        if maybe(&mut rng) {
            definition["placementConstraints"] = serde_json::json!([{"type": "memberOf",
                "expression": pick(&mut rng, &["attribute:stack == prod", "attribute:ecs.instance-type =~ m5.*"])}]);
        }
        definitions.push(definition);
    }
    let registered: Vec<String> = definitions
        .iter()
        .map(|d| d["family"].as_str().unwrap_or("web").to_string())
        .collect();
    let mut services = Vec::new();
    let cluster = maybe(&mut rng);
    for index in 0..rng.below(4) {
        let family = registered[rng.below(registered.len() as u32) as usize].clone();
        let revisions = registered.iter().filter(|f| **f == family).count() as u32;
        let reference = if maybe(&mut rng) {
            family
        } else {
            format!("{family}:{}", 1 + rng.below(revisions))
        };
        let mut service = serde_json::json!({
            "serviceName": format!("svc-{index}"),
            "taskDefinition": reference,
            "desiredCount": rng.below(6),
        });
        if cluster {
            service["cluster"] = "prod".into();
        }
        if maybe(&mut rng) {
            service["launchType"] = "EC2".into();
        }
        if maybe(&mut rng) {
            service["schedulingStrategy"] = "REPLICA".into();
        }
        if maybe(&mut rng) {
            let min = 25 * rng.below(5);
            let mut config = serde_json::json!({"minimumHealthyPercent": min, "maximumPercent": 100 + 50 * rng.below(3)});
            if maybe(&mut rng) {
                config["deploymentCircuitBreaker"] =
                    serde_json::json!({"enable": maybe(&mut rng), "rollback": maybe(&mut rng)});
            }
            service["deploymentConfiguration"] = config;
        }
        if maybe(&mut rng) {
            service["placementConstraints"] = serde_json::json!([{"type": "distinctInstance"}]);
        }
        if maybe(&mut rng) {
            let strategies: Vec<serde_json::Value> = (0..1 + rng.below(3))
                .map(|_| match rng.below(4) {
                    0 => serde_json::json!({"type": "spread", "field": "attribute:ecs.availability-zone"}),
                    1 => serde_json::json!({"type": "binpack", "field": "memory"}),
                    2 => serde_json::json!({"type": "spread", "field": "instanceId"}),
                    _ => serde_json::json!({"type": "random"}),
                })
                .collect();
            service["placementStrategy"] = strategies.into();
        }
        if maybe(&mut rng) {
            service["healthCheckGracePeriodSeconds"] = rng.below(300).into();
        }
        services.push(service);
    }
    let mut timeline = Vec::new();
    if !services.is_empty() && maybe(&mut rng) {
        timeline.push(serde_json::json!({"at": "1m", "action": {"updateService": {
            "service": services[0]["serviceName"], "desiredCount": rng.below(5)}}}));
    }
    let value = serde_json::json!({
        "version": 1,
        "name": format!("random {seed}"),
        "seed": seed,
        "fleet": fleet,
        "taskDefinitions": definitions,
        "services": services,
        "timeline": timeline,
    });
    scenario::from_value(value).unwrap_or_else(|errors| {
        panic!("seed {seed}: generator made an invalid scenario: {errors:?}")
    })
}

// ---- import of real AWS output ----

fn aws(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("tests/export/aws").join(name)).expect("fixture")
}

fn check_import(documents: &[(&str, &str)], expect: Expect) {
    let actual = match import::import(&import::empty_scenario("imported"), documents) {
        Ok(outcome) => {
            let mut text = String::new();
            for note in &outcome.notes {
                text.push_str(&format!("{note}\n"));
            }
            text.push_str(&export::scenario_file(&outcome.scenario));
            text
        }
        Err(errors) => errors.iter().map(|e| format!("error: {e}\n")).collect(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn imports_describe_output_noting_every_dropped_member() {
    let definition = aws("describe-task-definition.json");
    let services = aws("describe-services.json");
    let instances = aws("describe-container-instances.json");
    // Services first on purpose: task definitions are registered before services anyway.
    check_import(
        &[
            ("services.json", &services),
            ("td.json", &definition),
            ("instances.json", &instances),
        ],
        expect![[r#"
            td.json: tags: default, dropped: empty
            td.json: taskDefinition.taskDefinitionArn: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.revision: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.status: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.requiresAttributes: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.compatibilities: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.registeredAt: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.registeredBy: read-only, dropped: set by AWS at registration
            td.json: taskDefinition.containerDefinitions[0].environment: default, dropped: empty
            td.json: taskDefinition.containerDefinitions[0].logConfiguration: UNSUPPORTED, dropped: not modelled by the sandbox
            td.json: taskDefinition.containerDefinitions[0].mountPoints: default, dropped: empty
            td.json: taskDefinition.containerDefinitions[0].systemControls: default, dropped: empty
            td.json: taskDefinition.containerDefinitions[0].volumesFrom: default, dropped: empty
            td.json: taskDefinition.volumes: default, dropped: empty
            td.json: taskDefinition.revision: renamed: web:7 is registered in the sandbox as web:1
            services.json: failures: default, dropped: empty
            services.json: services[0].serviceArn: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].status: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].runningCount: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].pendingCount: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].deployments: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].events: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].createdAt: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].createdBy: read-only, dropped: reported by describe-services, taken by no request
            services.json: services[0].deploymentController: default, dropped: {"type":"ECS"} is the API default
            services.json: services[0].propagateTags: default, dropped: "NONE" is the API default
            services.json: services[0].loadBalancers: default, dropped: empty
            services.json: services[0].serviceRegistries: default, dropped: empty
            services.json: services[0].clusterArn: renamed: read as cluster "prod"
            services.json: services[0].taskDefinition: renamed: arn:aws:ecs:us-east-1:111122223333:task-definition/web:7 → web:1
            services.json: services[0].enableECSManagedTags: default, dropped: empty
            services.json: services[0].enableExecuteCommand: default, dropped: empty
            instances.json: containerInstances[0].attachments: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].attributes[0]: read-only, dropped: built-in attribute ecs.capability.secrets.asm.environment-variables, set by the agent
            instances.json: containerInstances[0].attributes[4]: read-only, dropped: built-in attribute com.amazonaws.ecs.capability.docker-remote-api.1.17, set by the agent
            instances.json: containerInstances[0].containerInstanceArn: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].ec2InstanceId: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].pendingTasksCount: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].registeredAt: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].registeredResources: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].remainingResources: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].runningTasksCount: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].tags: default, dropped: empty
            instances.json: containerInstances[0].version: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[0].versionInfo: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[1].containerInstanceArn: read-only, dropped: runtime state of the instance
            instances.json: containerInstances[1].ec2InstanceId: read-only, dropped: runtime state of the instance
            instances.json: failures: default, dropped: empty
            {
              "version": 1,
              "name": "imported",
              "seed": 1,
              "fleet": [
                {
                  "instanceType": "m5.large",
                  "availabilityZone": "us-east-1a",
                  "count": 2,
                  "amiId": "ami-0123456789abcdef0",
                  "attributes": {
                    "stack": "prod"
                  }
                }
              ],
              "taskDefinitions": [
                {
                  "family": "web",
                  "networkMode": "bridge",
                  "requiresCompatibilities": [
                    "EC2"
                  ],
                  "containerDefinitions": [
                    {
                      "name": "app",
                      "image": "public.ecr.aws/nginx/nginx:1.25",
                      "essential": true,
                      "cpu": 256,
                      "memory": 512,
                      "portMappings": [
                        {
                          "containerPort": 80,
                          "hostPort": 0,
                          "protocol": "tcp"
                        }
                      ]
                    }
                  ]
                }
              ],
              "services": [
                {
                  "cluster": "prod",
                  "serviceName": "web",
                  "taskDefinition": "web:1",
                  "desiredCount": 2,
                  "launchType": "EC2",
                  "schedulingStrategy": "REPLICA",
                  "deploymentConfiguration": {
                    "minimumHealthyPercent": 100,
                    "maximumPercent": 200,
                    "deploymentCircuitBreaker": {
                      "enable": true,
                      "rollback": true
                    }
                  },
                  "placementStrategy": [
                    {
                      "type": "spread",
                      "field": "attribute:ecs.availability-zone"
                    },
                    {
                      "type": "spread",
                      "field": "instanceId"
                    }
                  ],
                  "healthCheckGracePeriodSeconds": 0
                }
              ]
            }
        "#]],
    );
}

#[test]
fn import_errors_name_the_document_and_the_path() {
    check_import(
        &[("empty.json", "  ")],
        expect![[r#"
        error: empty.json: empty; expected a JSON document
    "#]],
    );
    check_import(
        &[("broken.json", "{\"family\": ")],
        expect![[r#"
            error: broken.json: not valid JSON at line 1 column 11: EOF while parsing a value
        "#]],
    );
    check_import(
        &[("other.json", "{\"hello\": 1}")],
        expect![[r#"
            error: other.json: not a document Flotilla imports; expected a task definition (RegisterTaskDefinition input or describe-task-definition output), a service (CreateService input or describe-services output), describe-container-instances output, an elbv2, route53 or servicediscovery request body the export writes, describe-target-groups or describe-target-health output, or a Flotilla ECS export bundle
        "#]],
    );
    check_import(
        &[(
            "td.json",
            r#"{"family": "web", "containerDefinitions": [{"name": "app", "image": "x", "cpu": "256", "memory": 512}]}"#,
        )],
        expect![[r#"
            error: td.json: containerDefinitions[0].cpu: expected a whole number from 0 to 4294967295, found the string "256"
        "#]],
    );
    check_import(
        &[(
            "td.json",
            r#"{"taskDefinition": {"family": "web", "containerDefinitions": [{"name": "app", "memory": 512}]}}"#,
        )],
        expect![[r#"
            error: td.json: taskDefinition.containerDefinitions[0]: missing field "image"
        "#]],
    );
    check_import(
        &[(
            "service.json",
            r#"{"services": [{"serviceName": "web", "taskDefinition": "arn:aws:ecs:us-east-1:1:task-definition/web:3", "desiredCount": 1}]}"#,
        )],
        expect![[r#"
            error: imported scenario: services[0].taskDefinition: no task definition with family "web" in taskDefinitions; import the task definition too (its describe-task-definition output or RegisterTaskDefinition input), or import into a scenario that has it with --into
        "#]],
    );
    check_import(
        &[(
            "instances.json",
            r#"{"containerInstances": [{"status": "DRAINING", "attributes": [{"name": "ecs.instance-type", "value": "m5.large"}]}]}"#,
        )],
        expect![[r#"
            error: instances.json: containerInstances[0].attributes: needs the ecs.instance-type and ecs.availability-zone attributes
        "#]],
    );
    check_import(
        &[(
            "instances.json",
            r#"{"containerInstances": [{"status": "DRAINING", "agentConnected": false, "attributes": [{"name": "ecs.instance-type", "value": "m5.large"}, {"name": "ecs.availability-zone", "value": "us-east-1b"}]}]}"#,
        )],
        expect![[r#"
            instances.json: containerInstances[0].status: UNSUPPORTED, dropped: "DRAINING" instances are imported as ACTIVE
            {
              "version": 1,
              "name": "imported",
              "seed": 1,
              "fleet": [
                {
                  "instanceType": "m5.large",
                  "availabilityZone": "us-east-1b",
                  "count": 1,
                  "agentConnected": false
                }
              ],
              "taskDefinitions": [],
              "services": []
            }
        "#]],
    );
}

#[test]
fn unknown_members_are_reported_with_their_path_not_dropped_silently() {
    check_import(
        &[(
            "td.json",
            r#"{"family": "web", "volumes": [{"name": "data"}], "containerDefinitions": [{"name": "app", "image": "x", "memory": 512, "environment": [{"name": "A", "value": "1"}], "portMappings": [{"containerPort": 80, "containerPortRange": "81-82"}]}]}"#,
        )],
        expect![[r#"
            td.json: containerDefinitions[0].environment: UNSUPPORTED, dropped: not modelled by the sandbox
            td.json: containerDefinitions[0].portMappings[0].containerPortRange: UNSUPPORTED, dropped: not modelled by the sandbox
            td.json: volumes: UNSUPPORTED, dropped: not modelled by the sandbox
            {
              "version": 1,
              "name": "imported",
              "seed": 1,
              "fleet": [],
              "taskDefinitions": [
                {
                  "family": "web",
                  "containerDefinitions": [
                    {
                      "name": "app",
                      "image": "x",
                      "memory": 512,
                      "portMappings": [
                        {
                          "containerPort": 80
                        }
                      ]
                    }
                  ]
                }
              ],
              "services": []
            }
        "#]],
    );
}

/// Truncations and byte flips of real documents: always a result, never a panic.
#[test]
fn malformed_import_input_never_panics() {
    let mut rng = SimRng::from_seed(6);
    let base = import::empty_scenario("fuzz");
    for fixture in [
        aws("describe-task-definition.json"),
        aws("describe-services.json"),
        aws("describe-container-instances.json"),
        export::ecs_json(&parse(SMALL)).bundle(),
    ] {
        let bytes = fixture.as_bytes();
        for cut in (0..bytes.len()).step_by(7) {
            let text = String::from_utf8_lossy(&bytes[..cut]);
            let _ = import::import(&base, &[("cut.json", &text)]);
        }
        for _ in 0..300 {
            let mut mutated = bytes.to_vec();
            let at = rng.below(mutated.len() as u32) as usize;
            mutated[at] = b"{}[]\":,0a-"[rng.below(10) as usize];
            let text = String::from_utf8_lossy(&mutated);
            let _ = import::import(&base, &[("mutated.json", &text)]);
        }
    }
}

// ---- networkConfiguration of services (awsvpc) ----

#[test]
fn service_network_configuration_is_checked_with_paths() {
    let scenario = parse(SMALL);
    let problems = |scenario: &Scenario| -> String {
        scenario::compile(scenario)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut bridge = scenario.clone();
    bridge.services[0].network_configuration = Some(NetworkConfiguration {
        awsvpc_configuration: AwsvpcConfiguration {
            subnets: vec!["subnet-us-east-1a".into()],
        },
    });
    expect![[r#"services[0].networkConfiguration: Network Configuration is not valid for the given networkMode of this task definition (only awsvpc takes one)"#]]
        .assert_eq(&problems(&bridge));
    let mut awsvpc = parse(
        &std::fs::read_to_string(repo_root().join("tests/export/awsvpc-timeline.json"))
            .expect("readable"),
    );
    assert_eq!(problems(&awsvpc), "");
    awsvpc.services[0].network_configuration = Some(NetworkConfiguration {
        awsvpc_configuration: AwsvpcConfiguration {
            subnets: vec![" ".into()],
        },
    });
    expect![[
        r#"services[0].networkConfiguration.awsvpcConfiguration.subnets[0]: must not be empty"#
    ]]
    .assert_eq(&problems(&awsvpc));
    awsvpc.services[0].network_configuration = Some(NetworkConfiguration {
        awsvpc_configuration: AwsvpcConfiguration { subnets: vec![] },
    });
    expect![[r#"services[0].networkConfiguration.awsvpcConfiguration.subnets: 0 subnets; name 1 to 16 (subnet-us-east-1a lies in us-east-1a)"#]]
        .assert_eq(&problems(&awsvpc));
}

#[test]
fn a_service_runs_only_in_the_zones_of_its_subnets() {
    let scenario = parse(
        &std::fs::read_to_string(repo_root().join("tests/export/awsvpc-timeline.json"))
            .expect("readable"),
    );
    let mut world = flotilla_core::world::World::new(&scenario).expect("builds");
    world.run_until(scenario.horizon());
    let service = world
        .services()
        .iter()
        .find(|s| s.name == "api")
        .expect("api");
    let zones: std::collections::BTreeSet<&str> = world
        .tasks()
        .iter()
        .filter(|task| task.group == service.group())
        .map(|task| task.instance)
        .map(|instance| world.instance(instance).availability_zone.as_str())
        .collect();
    assert_eq!(zones.into_iter().collect::<Vec<_>>(), ["us-east-1b"]);
}

// ---- CloudFormation: constraints and launch templates agree on the AMI ----

/// Every `Expression` in the template, as found (a string or an intrinsic function).
fn expressions(node: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
    match node {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key == "Expression" {
                    out.push(value.clone());
                } else {
                    expressions(value, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| expressions(i, out)),
        _ => {}
    }
}

#[test]
fn constraints_naming_a_fleet_ami_take_the_ami_parameter() {
    for (label, scenario) in every_scenario() {
        let template: serde_json::Value =
            serde_json::from_str(&export::cloudformation(&scenario, Format::Json)).expect("json");
        let mut found = Vec::new();
        expressions(&template["Resources"], &mut found);
        for expression in found {
            if let Some(text) = expression.as_str() {
                let named = scenario
                    .fleet
                    .iter()
                    .filter_map(|entry| entry.ami_id.as_deref())
                    .find(|ami| text.contains(ami));
                assert!(named.is_none(), "{label}: {text} keeps a concrete AMI");
            } else {
                let sub = expression["Fn::Sub"].as_str().expect("Fn::Sub");
                let parameter = sub
                    .split("${")
                    .nth(1)
                    .and_then(|rest| rest.split('}').next())
                    .expect("a parameter");
                assert!(
                    template["Parameters"][parameter]["Type"]
                        .as_str()
                        .is_some_and(|t| t.contains("Image::Id")),
                    "{label}: {sub} names an AMI parameter"
                );
            }
        }
    }
    let placement = builtin::BUILTIN_SCENARIOS
        .iter()
        .find(|b| b.id == "placement")
        .expect("placement");
    let template = export::cloudformation(&parse(placement.json), Format::Yaml);
    assert!(
        template.contains("Fn::Sub: \"attribute:ecs.ami-id == ${ImageIdAmi0f1e2d3c4b5a60002}\""),
        "{template}"
    );
    assert!(template.contains("take it from the same AMI parameter"));
}

#[test]
fn the_manifest_marks_timeline_registrations_as_requests_not_state() {
    let scenario = parse(
        builtin::BUILTIN_SCENARIOS
            .iter()
            .find(|b| b.id == "cicd")
            .expect("cicd")
            .json,
    );
    let ecs = export::ecs_json(&scenario);
    let registration = ecs
        .documents
        .iter()
        .find(|d| {
            d.file_name
                .ends_with("register-task-definition-order-2-at-2m.json")
        })
        .expect("the 2m registration is exported");
    let base = import::empty_scenario("x");
    // Alone, it is a task definition like any other.
    let alone = import::import(&base, &[(&registration.file_name, &registration.json)]);
    assert_eq!(alone.expect("imports").scenario.task_definitions.len(), 1);
    // Beside the manifest, it is a timeline request.
    let outcome = import::import(
        &base,
        &[
            (export::MANIFEST_FILE_NAME, &ecs.manifest),
            (
                &format!("out/{}", registration.file_name),
                &registration.json,
            ),
        ],
    )
    .expect("imports");
    assert!(outcome.scenario.task_definitions.is_empty());
    let notes: Vec<String> = outcome.notes.iter().map(ToString::to_string).collect();
    expect![[r#"
        flotilla-export.json: not imported: the export's manifest: it orders the files beside it and marks the timeline's requests
        out/03-register-task-definition-order-2-at-2m.json: not imported: a timeline request, not state: the scenario's timeline holds actions"#]]
    .assert_eq(&notes.join("\n"));
}
