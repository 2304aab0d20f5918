//! Placement engine (ecs-semantics §1–2): limits and validation with their messages, the
//! explanation text, counterfactuals, and properties over random clusters from a tiny
//! deterministic generator (no instance over-committed, binpack never picks an instance with
//! more remaining than another that fits, unconstrained spread keeps max − min ≤ 1). The rule
//! by rule traces live in `tests/corpus/placement-s*.json`.

use flotilla_core::catalogue;
use flotilla_core::cluster::{ContainerInstance, InstanceId, NewInstance};
use flotilla_core::placement::{
    self, BinpackField, Constraint, PlacementRequest, SpreadField, Strategy,
};
use flotilla_core::rng::SimRng;
use flotilla_core::taskdef::ResourceRequirements;
use flotilla_core::{parse_scenario, World};
use flotilla_tests::run_with_invariants;
use std::collections::BTreeMap;

/// `path: message` lines of a scenario that must be rejected, or "ok".
fn check(scenario: serde_json::Value) -> String {
    match parse_scenario(&scenario.to_string()) {
        Ok(_) => "ok".into(),
        Err(errors) => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn batch_scenario(action: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "version": 1, "name": "limits", "seed": 1,
        "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}],
        "taskDefinitions": [{"family": "job", "containerDefinitions": [
            {"name": "app", "image": "busybox", "cpu": 128, "memory": 128}],
            "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.os-type == linux"}]}],
        "timeline": [{"at": "1s", "action": action}]
    })
}

/// §1.3 limits: count ≤ 10, constraints ≤ 10 counting the task definition's, strategies ≤ 5,
/// StartTask ≤ 10 instances; §1.4: distinctInstance never with an expression, never in a task
/// definition; expressions ≤ 2000 characters and a bad one says where.
#[test]
fn s1_3_and_s1_4_limits_are_checked_with_paths() {
    let memberships: Vec<serde_json::Value> = (0..10)
        .map(|_| serde_json::json!({"type": "memberOf", "expression": "attribute:a exists"}))
        .collect();
    let strategies: Vec<serde_json::Value> = (0..6)
        .map(|_| serde_json::json!({"type": "random"}))
        .collect();
    let actual = check(batch_scenario(serde_json::json!({"runTask": {
        "taskDefinition": "job", "count": 11, "group": "",
        "placementConstraints": memberships, "placementStrategy": strategies}})));
    expect_test::expect![[r#"
        timeline[0].action.runTask.count: 11 tasks; RunTask starts at most 10 per call
        timeline[0].action.runTask.group: a task group name is 1-255 characters
        timeline[0].action.runTask.placementConstraints: 11 constraints counting the task definition's; the limit is 10
        timeline[0].action.runTask.placementStrategy: 6 strategies; the limit is 5"#]]
    .assert_eq(&actual);

    let actual = check(batch_scenario(serde_json::json!({"runTask": {
        "taskDefinition": "job",
        "placementConstraints": [
            {"type": "distinctInstance", "expression": "attribute:a exists"},
            {"type": "memberOf", "expression": format!("attribute:a == {}", "x".repeat(2000))},
            {"type": "memberOf", "expression": "attribute:ecs.instance-type"}],
        "placementStrategy": [{"type": "binpack", "field": "disk"}]}})));
    expect_test::expect![[r#"
        timeline[0].action.runTask.placementConstraints[0]: distinctInstance must not have an expression
        timeline[0].action.runTask.placementConstraints[1]: expression is 2015 characters; the limit is 2000
        timeline[0].action.runTask.placementConstraints[2]: expected an operator after 'attribute:ecs.instance-type' at column 28
        timeline[0].action.runTask.placementStrategy[0]: binpack field must be cpu or memory, found "disk""#]]
    .assert_eq(&actual);

    let instances: Vec<String> = (0..11).map(|i| format!("i-{i}")).collect();
    let actual = check(batch_scenario(serde_json::json!({"startTask": {
        "taskDefinition": "job", "containerInstances": instances}})));
    expect_test::expect!["timeline[0].action.startTask.containerInstances: 11 container instances; StartTask takes at most 10"]
        .assert_eq(&actual);

    let mut scenario = batch_scenario(serde_json::json!({"runTask": {"taskDefinition": "job"}}));
    scenario["taskDefinitions"][0]["placementConstraints"] =
        serde_json::json!([{"type": "distinctInstance"}]);
    expect_test::expect![[r#"taskDefinitions[0].placementConstraints[0].type: task definitions accept only memberOf constraints, found "distinctInstance""#]]
    .assert_eq(&check(scenario));
}

/// §2.1: GPU requirements must be whole numbers.
#[test]
fn s2_1_gpu_values_are_validated() {
    let mut scenario = batch_scenario(serde_json::json!({"runTask": {"taskDefinition": "job"}}));
    scenario["taskDefinitions"][0]["containerDefinitions"][0]["resourceRequirements"] =
        serde_json::json!([{"type": "GPU", "value": "ALL"}, {"type": "TPU", "value": "1"}]);
    expect_test::expect![[r#"
        taskDefinitions[0].containerDefinitions[0].resourceRequirements[0].value: GPU value "ALL" must be a whole number of GPUs, at least 1
        taskDefinitions[0].containerDefinitions[0].resourceRequirements[1].type: unknown resource requirement type "TPU"; expected GPU"#]]
    .assert_eq(&check(scenario));
}

/// §1.1 explanations: the stages of the built-in placement scenario's failing cache task, and
/// the counterfactuals (§ issue 3, verified by re-running placement).
#[test]
fn s1_1_explanation_and_counterfactuals_for_the_placement_scenario() {
    let scenario = parse_scenario(flotilla_core::builtin::find("placement").unwrap().json).unwrap();
    let mut world = World::new(&scenario).unwrap();
    world.run_until(scenario.horizon());
    let cache = world.services().iter().find(|s| s.name == "cache").unwrap();
    let decision = world.explain_next_placement(cache.id);
    assert_eq!(decision.chosen, None);
    let instances = world.instances();
    let text = decision
        .explanation
        .render(&|id| instances[id.0 as usize].instance_type.name.to_string());
    expect_test::expect![[r#"
        6 container instances considered
          resources (status, agent, attributes, CPU, memory, GPU, ports, ENI): 2 remain
            - m5.large host port 6379 is already in use
            - m5.large host port 6379 is already in use
            - m5.large host port 6379 is already in use
            - t3.large needs 512 CPU units, 0 available (short by 512)
          constraint distinctInstance: 2 remain
          constraint memberOf(attribute:ecs.instance-type == m5.large): 0 remain
            - c5.large fails memberOf(attribute:ecs.instance-type == m5.large): attribute:ecs.instance-type is "c5.large"
            - t3.large fails memberOf(attribute:ecs.instance-type == m5.large): attribute:ecs.instance-type is "t3.large"
          no container instance met all of the task's requirements
    "#]]
    .assert_eq(&text);
    let suggestions = world.counterfactuals_for_service(cache.id);
    let first = suggestions
        .first()
        .map(|s| s.describe())
        .unwrap_or_default();
    expect_test::expect!["add a m5.large in us-east-1a with attributes stack=prod (launched like i-0e220a8397b1dcdaf) -> verified: placed on the new instance"]
        .assert_eq(&first);
    assert!(suggestions.len() >= 3, "{suggestions:?}");
}

/// "Stop tasks" never names a task of the service being placed: its scheduler would replace the
/// stopped task and take the room back. Tasks of other services are still suggested.
#[test]
fn counterfactual_stop_tasks_skips_the_services_own_tasks() {
    let scenario = |services: serde_json::Value| {
        let text = serde_json::json!({
            "version": 1, "name": "full", "seed": 3,
            "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a"}],
            "taskDefinitions": [
                {"family": "big", "containerDefinitions": [{"name": "app", "image": "a", "cpu": 1024, "memory": 512}]},
                {"family": "small", "containerDefinitions": [{"name": "app", "image": "a", "cpu": 1024, "memory": 512}]}
            ],
            "services": services,
        });
        parse_scenario(&text.to_string()).unwrap()
    };
    let stops = |scenario: &flotilla_core::Scenario| {
        let mut world = World::new(scenario).unwrap();
        world.run_until(scenario.horizon());
        let big = world
            .services()
            .iter()
            .find(|s| s.name == "big")
            .unwrap()
            .id;
        let suggestions = world.counterfactuals_for_service(big);
        assert!(!suggestions.is_empty(), "adding an instance always helps");
        suggestions
            .iter()
            .filter_map(|s| match &s.change {
                flotilla_core::counterfactual::Change::StopTasks { tasks, .. } => {
                    Some(tasks.clone())
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    // Two of big's three tasks fill the instance: stopping one of them would not help.
    let alone = scenario(serde_json::json!([
        {"serviceName": "big", "taskDefinition": "big:1", "desiredCount": 3}
    ]));
    assert_eq!(stops(&alone), Vec::<Vec<String>>::new());
    // small holds half the instance: stopping its task makes room for big's second one.
    let shared = scenario(serde_json::json!([
        {"serviceName": "small", "taskDefinition": "small:1", "desiredCount": 1},
        {"serviceName": "big", "taskDefinition": "big:1", "desiredCount": 2}
    ]));
    let suggested = stops(&shared);
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    let world = {
        let mut world = World::new(&shared).unwrap();
        world.run_until(shared.horizon());
        world
    };
    let small_task = world
        .tasks()
        .iter()
        .find(|t| t.group.as_str() == "service:small")
        .map(|t| t.id.to_string())
        .unwrap();
    assert_eq!(suggested[0], vec![small_task]);
}

/// "Why did this task go there": a world replayed with a probe on one task captures the
/// oracle's decision for it, which names the instance the task was placed on, and the probe
/// changes nothing in the run (service tasks, RunTask and StartTask).
#[test]
fn a_probe_explains_where_each_task_went_without_changing_the_run() {
    for name in ["microservices", "placement", "batch-jobs", "cicd"] {
        let scenario = parse_scenario(flotilla_core::builtin::find(name).unwrap().json).unwrap();
        let until = flotilla_core::SimTime(15 * 60_000);
        let mut world = World::new(&scenario).unwrap();
        world.run_until(until);
        let mut probed = 0;
        for task in world.tasks() {
            let daemon = task.service.is_some_and(|s| world.service(s).is_daemon());
            if daemon {
                continue;
            }
            let mut replay = World::new(&scenario).unwrap();
            replay.probe_placement_of(task.id);
            replay.run_until(until);
            assert_eq!(
                replay.trace(),
                world.trace(),
                "{name}: the probe changed the run"
            );
            let decision = replay
                .probed_placement()
                .unwrap_or_else(|| panic!("{name}: task {} was not probed", task.id));
            assert_eq!(
                decision.chosen,
                Some(task.instance),
                "{name}: task {}",
                task.id
            );
            assert!(decision.explanation.candidates_before > 0);
            probed += 1;
        }
        assert!(probed > 3, "{name}: only {probed} tasks probed");
    }
}

// ---- properties over random clusters ------------------------------------------------------

/// splitmix64: a tiny deterministic generator for test inputs.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        flotilla_core::hash::splitmix64(self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_cluster(gen: &mut Gen) -> Vec<ContainerInstance> {
    let count = 1 + gen.below(12);
    random_cluster_of(gen, count)
}

fn random_cluster_of(gen: &mut Gen, count: u64) -> Vec<ContainerInstance> {
    let types = ["t3.large", "m5.large", "m5.xlarge", "c5.large", "r5.large"];
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let none = flotilla_core::compact::SortedMap::new();
    (0..count)
        .map(|i| {
            ContainerInstance::new(
                InstanceId(i as u32),
                NewInstance {
                    instance_type: catalogue::lookup(types[gen.below(5) as usize]).unwrap(),
                    availability_zone: zones[gen.below(3) as usize],
                    ami_id: "ami-1",
                    custom_attributes: &none,
                    registered_at_epoch_seconds: 0,
                    awsvpc_trunking: false,
                    agent_connected: true,
                },
            )
        })
        .collect()
}

fn random_requirements(gen: &mut Gen) -> ResourceRequirements {
    ResourceRequirements {
        cpu_units: 128 * (1 + gen.below(8) as u32),
        memory_mib: 256 * (1 + gen.below(8) as u32),
        ..ResourceRequirements::default()
    }
}

/// Places tasks until one fails, checking `property` before each launch.
fn place_until_full(
    seed: u64,
    strategies: &[Strategy],
    mut property: impl FnMut(&[ContainerInstance], &ResourceRequirements, InstanceId),
) -> Vec<ContainerInstance> {
    let mut gen = Gen(seed);
    let mut instances = random_cluster(&mut gen);
    let requirements = random_requirements(&mut gen);
    let mut rng = SimRng::from_seed(seed);
    for n in 0..500 {
        let request = PlacementRequest {
            requirements: &requirements,
            group: "family:p",
            constraints: &[],
            strategies,
            subnet_zones: &[],
        };
        let Some(chosen) = placement::place(&instances, &request, &mut rng).chosen else {
            break;
        };
        property(&instances, &requirements, chosen);
        instances[chosen.0 as usize].reserve(&requirements, "family:p", format!("t{n}"));
    }
    instances
}

#[test]
fn property_no_instance_is_ever_over_committed() {
    for seed in 0..300 {
        let strategies = [
            vec![Strategy::Random],
            vec![Strategy::Binpack(BinpackField::Cpu)],
            Strategy::service_default(),
        ][seed as usize % 3]
            .clone();
        let instances = place_until_full(seed, &strategies, |_, _, _| {});
        for i in &instances {
            assert!(
                i.remaining_cpu_units <= i.registered_cpu_units
                    && i.remaining_memory_mib <= i.registered_memory_mib,
                "seed {seed}: {} over-committed",
                i.ec2_instance_id
            );
        }
        // Full means full: nothing fits anywhere any more.
        let mut gen = Gen(seed);
        let _ = random_cluster(&mut gen);
        let requirements = random_requirements(&mut gen);
        assert!(
            instances
                .iter()
                .all(|i| i.remaining_cpu_units < requirements.cpu_units
                    || i.remaining_memory_mib < requirements.memory_mib),
            "seed {seed}: stopped placing while an instance still had room"
        );
    }
}

#[test]
fn property_binpack_never_picks_an_instance_with_more_remaining_than_one_that_fits() {
    for seed in 0..300 {
        place_until_full(
            seed,
            &[Strategy::Binpack(BinpackField::Memory)],
            |instances, requirements, chosen| {
                let picked = instances[chosen.0 as usize].remaining_memory_mib;
                for other in instances {
                    let fits = other.remaining_cpu_units >= requirements.cpu_units
                        && other.remaining_memory_mib >= requirements.memory_mib;
                    assert!(
                        !fits || other.remaining_memory_mib >= picked,
                        "seed {seed}: binpack picked {picked} MiB remaining over {} with {}",
                        other.ec2_instance_id,
                        other.remaining_memory_mib
                    );
                }
            },
        );
    }
}

#[test]
fn property_unconstrained_spread_keeps_max_minus_min_at_most_one() {
    for seed in 0..300 {
        let mut gen = Gen(seed);
        let instances = random_cluster(&mut gen);
        // Small tasks so that capacity never binds: spread alone decides.
        let requirements = ResourceRequirements {
            cpu_units: 1,
            memory_mib: 1,
            ..ResourceRequirements::default()
        };
        for (strategy, key) in [
            (
                Strategy::Spread(SpreadField::Instance),
                "instance" as &'static str,
            ),
            (
                Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
                "zone",
            ),
        ] {
            let mut cluster = instances.clone();
            let mut rng = SimRng::from_seed(seed);
            for n in 0..40 {
                let strategies = [strategy.clone()];
                let request = PlacementRequest {
                    requirements: &requirements,
                    group: "family:s",
                    constraints: &[],
                    strategies: &strategies,
                    subnet_zones: &[],
                };
                let chosen = placement::place(&cluster, &request, &mut rng)
                    .chosen
                    .unwrap();
                cluster[chosen.0 as usize].reserve(&requirements, "family:s", format!("t{n}"));
                let mut counts: BTreeMap<String, u32> = BTreeMap::new();
                for i in &cluster {
                    let value = if key == "instance" {
                        i.ec2_instance_id.clone()
                    } else {
                        i.availability_zone.clone()
                    };
                    *counts.entry(value).or_default() += i.tasks_in_group("family:s");
                }
                let max = counts.values().max().unwrap();
                let min = counts.values().min().unwrap();
                assert!(max - min <= 1, "seed {seed}, spread by {key}: {counts:?}");
            }
        }
    }
}

/// §1.4: distinctInstance and memberOf are binding — a placed task never violates them.
#[test]
fn property_constraints_are_binding() {
    let distinct = Constraint::DistinctInstance;
    let member =
        Constraint::from_api("memberOf", Some("attribute:ecs.instance-type != t3.large")).unwrap();
    for seed in 0..200 {
        let mut gen = Gen(seed);
        let mut instances = random_cluster(&mut gen);
        let requirements = random_requirements(&mut gen);
        let mut rng = SimRng::from_seed(seed);
        let constraints = [distinct.clone(), member.clone()];
        for n in 0..20 {
            let request = PlacementRequest {
                requirements: &requirements,
                group: "family:d",
                constraints: &constraints,
                strategies: &[Strategy::Random],
                subnet_zones: &[],
            };
            let Some(chosen) = placement::place(&instances, &request, &mut rng).chosen else {
                break;
            };
            let instance = &mut instances[chosen.0 as usize];
            assert_eq!(instance.tasks_in_group("family:d"), 0, "seed {seed}");
            assert_ne!(instance.instance_type.name, "t3.large", "seed {seed}");
            instance.reserve(&requirements, "family:d", format!("t{n}"));
        }
    }
}

/// The fast path (`PlacementIndex`) computes exactly the oracle's final tied set (in id order)
/// and draws from the RNG exactly as the oracle does, on random clusters, for every supported
/// strategy shape, with static and task-dependent constraints, through incremental updates
/// after each launch, stop, drain and termination. The count-and-select trees run with leaf
/// blocks of 1 to 16 instances, so small clusters exercise their descent too.
#[test]
fn property_fast_path_agrees_with_the_oracle() {
    for seed in 0..400u64 {
        let mut gen = Gen(seed);
        let count = 1 + gen.below(12);
        let leaf = [1, 2, 3, 16][seed as usize % 4];
        fast_path_agrees_with_the_oracle(seed, gen, count, leaf, 150);
    }
}

/// The same on clusters of 20 to 150 instances (trees many blocks deep), placing until the
/// cluster is exhausted while tasks stop, instances drain, come back, lose their agent and
/// leave (INACTIVE).
#[test]
fn property_fast_path_agrees_with_the_oracle_on_larger_clusters() {
    for seed in 0..48u64 {
        let mut gen = Gen(seed ^ 0x5eed);
        let count = 20 + gen.below(131);
        let leaf = [1, 4, 5, 16][seed as usize % 4];
        fast_path_agrees_with_the_oracle(seed, gen, count, leaf, 700);
    }
}

fn fast_path_agrees_with_the_oracle(seed: u64, mut gen: Gen, count: u64, leaf: u32, tasks: u32) {
    use flotilla_core::cluster::{Held, InstanceStatus};
    use flotilla_core::placement_index::PlacementIndex;
    let zone = || Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into()));
    let shapes: Vec<Vec<Strategy>> = vec![
        vec![zone(), Strategy::Binpack(BinpackField::Memory)],
        vec![Strategy::Binpack(BinpackField::Memory)],
        Strategy::service_default(),
        vec![zone(), Strategy::Binpack(BinpackField::Cpu)],
        vec![Strategy::Binpack(BinpackField::Cpu)],
        vec![Strategy::Random],
        vec![Strategy::Spread(SpreadField::Instance)],
        vec![zone()],
        vec![Strategy::Random, zone(), Strategy::Random],
        Vec::new(),
    ];
    let member =
        Constraint::from_api("memberOf", Some("attribute:ecs.instance-type != c5.large")).unwrap();
    let busy = Constraint::from_api("memberOf", Some("runningTasksCount < 6")).unwrap();
    // Static, but the one static fact that can change: the view is refreshed on agent changes.
    let connected = Constraint::from_api("memberOf", Some("agentConnected == true")).unwrap();
    {
        let mut instances = random_cluster_of(&mut gen, count);
        let mut requirements = random_requirements(&mut gen);
        if seed % 7 == 3 {
            // A static host port: at most one such task per instance.
            requirements.static_host_ports = vec![8080];
        }
        let strategies = &shapes[seed as usize % shapes.len()];
        let constraints: Vec<Constraint> = match (seed / 10) % 5 {
            0 => vec![member.clone()],
            1 => vec![member.clone(), Constraint::DistinctInstance],
            2 => vec![busy.clone()],
            3 => vec![connected.clone()],
            _ => Vec::new(),
        };
        if seed.is_multiple_of(3) {
            // Some agents start disconnected and may reconnect later.
            for instance in instances.iter_mut().skip(1).step_by(3) {
                instance.agent_connected = false;
            }
        }
        let groups = ["service:fast", "service:other"];
        let mut index = PlacementIndex::new(&instances).with_leaf_instances(leaf);
        let mut placed: Vec<(InstanceId, &str)> = Vec::new();
        let mut rng = SimRng::from_seed(seed);
        for n in 0..tasks {
            let group = groups[(n % 5 == 4) as usize];
            let request = PlacementRequest {
                requirements: &requirements,
                group,
                constraints: &constraints,
                strategies,
                subnet_zones: &[],
            };
            let mut oracle_rng = rng.clone();
            let oracle = placement::place(&instances, &request, &mut oracle_rng);
            let tied = index.tied(&instances, &request).expect("supported shape");
            assert_eq!(
                tied, oracle.explanation.tied,
                "seed {seed}, task {n}: tied sets differ"
            );
            let chosen = index
                .place(&instances, &request, &mut rng)
                .expect("supported shape");
            assert_eq!(chosen, oracle.chosen, "seed {seed}, task {n}");
            assert_eq!(
                rng.next_u64(),
                oracle_rng.next_u64(),
                "seed {seed}, task {n}: the RNG streams diverged"
            );
            if let Some(chosen) = chosen {
                let instance = &mut instances[chosen.0 as usize];
                instance.reserve(&requirements, group, format!("t{n}"));
                index.instance_changed(instance);
                index.group_changed(group, chosen, 1);
                placed.push((chosen, group));
            }
            // Now and then a task stops, an instance drains or is terminated, an agent disconnects.
            match gen.below(12) {
                0 | 1 if !placed.is_empty() => {
                    let (at, group) = placed.remove(gen.below(placed.len() as u64) as usize);
                    let instance = &mut instances[at.0 as usize];
                    instance.running_tasks_count -= 1;
                    instance.release(
                        &Held {
                            cpu_units: requirements.cpu_units,
                            memory_mib: requirements.memory_mib,
                            gpus: requirements.gpus,
                            eni: requirements.needs_eni(),
                            static_host_ports: &requirements.static_host_ports,
                            group,
                        },
                        &format!("stop{n}"),
                    );
                    index.instance_changed(instance);
                    index.group_changed(group, at, -1);
                }
                2 => {
                    let at = gen.below(instances.len() as u64) as usize;
                    let instance = &mut instances[at];
                    instance.status = match instance.status {
                        InstanceStatus::Active => InstanceStatus::Draining,
                        InstanceStatus::Draining if n % 2 == 0 => InstanceStatus::Active,
                        _ => InstanceStatus::Inactive,
                    };
                    index.instance_changed(instance);
                }
                3 => {
                    let at = gen.below(instances.len() as u64) as usize;
                    let instance = &mut instances[at];
                    instance.agent_connected = !instance.agent_connected;
                    index.instance_changed(instance);
                }
                _ => {}
            }
        }
    }
}

/// §2 accounting in the world: invariants (CPU, memory, GPUs, ENIs, reserved ports, group counts)
/// hold after every event of every placement corpus scenario and built-in, across seeds.
#[test]
fn invariants_hold_after_every_event_in_placement_scenarios() {
    for (name, path) in flotilla_tests::corpus() {
        if !(name.starts_with("placement") || name == "batch-jobs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("corpus file");
        for seed in 0..20 {
            let mut scenario = parse_scenario(&text).expect("valid scenario");
            scenario.seed = seed;
            let mut world = World::new(&scenario).expect("world");
            run_with_invariants(
                &mut world,
                scenario.horizon(),
                &format!("{name} seed {seed}"),
            );
        }
    }
}

/// A RunTask call's cluster at its first failed placement is kept in a compact form
/// (`ClusterAtFailure`: live tasks and each instance's status, agent and runningTasksCount);
/// `World::cluster_at_failure` gives back exactly the instances and task holds of that moment,
/// however much the cluster changed afterwards (tasks stopped, instances lost, more placed).
#[test]
fn the_cluster_at_a_batch_failure_is_rebuilt_exactly_later() {
    let scenario =
        parse_scenario(flotilla_core::builtin::find("batch-jobs").unwrap().json).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    let mut captured = Vec::new();
    for _ in 0..200_000 {
        let events = world.step();
        if events.is_empty() {
            break;
        }
        let failed_batch = events.iter().any(|e| {
            matches!(&e.kind, flotilla_core::event::EventKind::BatchLaunched { failures, .. } if !failures.is_empty())
        });
        if failed_batch {
            let index = world.batches().len() - 1;
            // Right after the call: nothing was launched after its first failure.
            let then = format!("{:?}", (world.instances(), world.task_holds()));
            captured.push((index, then));
        }
    }
    assert!(
        !captured.is_empty(),
        "batch-jobs has a RunTask call that fails"
    );
    let now = format!("{:?}", (world.instances(), world.task_holds()));
    assert!(
        captured.iter().any(|(_, then)| *then != now),
        "the cluster changed after a failure, so the rebuild is not just today's cluster"
    );
    for (index, then) in captured {
        let batch = &world.batches()[index];
        let rebuilt = world
            .cluster_at_failure(batch)
            .expect("a failed call keeps its cluster");
        assert_eq!(format!("{rebuilt:?}"), then, "batch {index}");
    }
}

/// A RunTask call whose task fits nowhere lists each instance once in `failures[]` however many
/// tasks it asked for (the later ones get the same decision and are not placed again), and
/// calls that fail alike, one after another, share one `failures[]` — record and event — and
/// one cluster at the failure instead of a copy each (a full cluster's memory per call).
#[test]
fn run_task_calls_that_fail_alike_list_each_instance_once_and_share_their_failures() {
    let mut scenario = batch_scenario(serde_json::json!({"runTask": {
        "taskDefinition": "job", "count": 10}}));
    scenario["fleet"] = serde_json::json!([
        {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2}]);
    scenario["taskDefinitions"][0]["containerDefinitions"][0]["memory"] = 10_000.into();
    let again = scenario["timeline"][0].clone();
    scenario["timeline"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"at": "2s", "action": again["action"]}));
    let scenario = parse_scenario(&scenario.to_string()).expect("valid");
    let mut world = World::new(&scenario).expect("builds");
    world.run_until(flotilla_core::SimTime::from_secs(3));
    let trace = world.trace();
    let lines: Vec<&str> = trace.lines().filter(|l| l.contains("runTask")).collect();
    expect_test::expect![[r#"
        00:00:01.000 runTask job:1 count=10 group=family:job: started [], failures [i-0e220a8397b1dcdaf RESOURCE:MEMORY; i-06e789e6aa1b965f4 RESOURCE:MEMORY]
        00:00:02.000 runTask job:1 count=10 group=family:job: started [], failures [i-0e220a8397b1dcdaf RESOURCE:MEMORY; i-06e789e6aa1b965f4 RESOURCE:MEMORY]"#]]
    .assert_eq(&lines.join("\n"));
    let [first, second] = world.batches() else {
        panic!("two calls")
    };
    assert!(std::sync::Arc::ptr_eq(&first.failures, &second.failures));
    let shared = world.events().iter().filter(|e| {
        matches!(&e.kind, flotilla_core::event::EventKind::BatchLaunched { failures, .. }
            if std::sync::Arc::ptr_eq(failures, &first.failures))
    });
    assert_eq!(shared.count(), 2, "both events hold the records' list");
    assert_eq!(
        format!("{:?}", world.cluster_at_failure(first)),
        format!("{:?}", world.cluster_at_failure(second))
    );
}
