//! The benchmark workloads, free of any clock so native (`src/main.rs`) and wasm
//! (`web/tests/bench.rs`) run identical code: a cluster of c5.18xlarge container instances in
//! three Availability Zones, three in four tagged `stack=prod`, and small tasks placed with
//! `memberOf(attribute:stack == prod)` and each of `index_strategies` through the fast path
//! ([`PlacementIndex`]), updating the indexes incrementally after each launch; and the world
//! scenarios of `WORLD_WORKLOADS` (a service with the default or another strategy list, or
//! RunTask calls with RunTask's default) placed through `World`.

pub mod deployments;
pub mod traffic;
pub mod traffic_world;

use flotilla_core::catalogue;
use flotilla_core::cluster::{ContainerInstance, GroupRef, InstanceId, NewInstance};
use flotilla_core::compact::SortedMap;
use flotilla_core::placement::{BinpackField, Constraint, PlacementRequest, SpreadField, Strategy};
use flotilla_core::placement_index::PlacementIndex;
use flotilla_core::rng::SimRng;
use flotilla_core::taskdef::ResourceRequirements;

/// The world-level workloads: label, service tasks?, RunTask calls?, strategies (`[]` = the
/// default: the service's `[spread AZ, spread instanceId]`, RunTask's `random`).
pub const WORLD_WORKLOADS: &[(&str, bool, bool, &str)] = &[
    (
        "service [spread AZ, spread instanceId] (default)",
        true,
        false,
        "[]",
    ),
    (
        "service [spread AZ, binpack memory]",
        true,
        false,
        r#"[{"type":"spread","field":"attribute:ecs.availability-zone"},{"type":"binpack","field":"memory"}]"#,
    ),
    (
        "service [binpack memory]",
        true,
        false,
        r#"[{"type":"binpack","field":"memory"}]"#,
    ),
    ("service [random]", true, false, r#"[{"type":"random"}]"#),
    ("RunTask x10 [random] (default)", false, true, "[]"),
];

pub const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// `count` c5.18xlarge instances (72 vCPU, ~143,700 MiB registered) round-robin over three
/// AZs; every fourth one is `stack=dev`, the rest `stack=prod`.
pub fn cluster(count: u32) -> Vec<ContainerInstance> {
    let instance_type = catalogue::lookup("c5.18xlarge").expect("c5.18xlarge is catalogued");
    let prod: SortedMap<String, String> = [("stack".to_string(), "prod".to_string())].into();
    let dev: SortedMap<String, String> = [("stack".to_string(), "dev".to_string())].into();
    (0..count)
        .map(|i| {
            ContainerInstance::new(
                InstanceId(i),
                NewInstance {
                    instance_type,
                    availability_zone: ZONES[(i % 3) as usize],
                    ami_id: "ami-0bench",
                    custom_attributes: if i % 4 == 3 { &dev } else { &prod },
                    registered_at_epoch_seconds: 0,
                    awsvpc_trunking: false,
                    agent_connected: true,
                },
            )
        })
        .collect()
}

/// One placed task in the C1M table: its instance and interned group, 8 bytes.
#[derive(Clone, Copy, Debug)]
pub struct PlacedTask {
    pub instance: u32,
    pub group: u32,
}

/// The strategy lists the index-alone benchmark runs: the C1M list, ECS's service default and
/// RunTask's default.
pub fn index_strategies() -> Vec<(&'static str, Vec<Strategy>)> {
    vec![
        (
            "[spread AZ, binpack memory]",
            vec![
                Strategy::Spread(SpreadField::Attribute("ecs.availability-zone".into())),
                Strategy::Binpack(BinpackField::Memory),
            ],
        ),
        (
            "[spread AZ, spread instanceId]",
            Strategy::service_default(),
        ),
        ("[random]", Strategy::run_task_default()),
    ]
}

/// Places `tasks` tasks of `cpu_units`/`memory_mib` one by one on the fast path with
/// `memberOf(attribute:stack == prod)` and `strategies` (ties drawn from a seeded RNG as the
/// world does), launching each (resources taken, indexes updated). Returns the task table;
/// stops early if the cluster is full.
pub fn place_tasks(
    instances: &mut [ContainerInstance],
    tasks: u32,
    cpu_units: u32,
    memory_mib: u32,
    strategies: &[Strategy],
) -> Vec<PlacedTask> {
    let requirements = ResourceRequirements {
        cpu_units,
        memory_mib,
        ..ResourceRequirements::default()
    };
    let constraints = [
        Constraint::from_api("memberOf", Some("attribute:stack == prod"))
            .expect("the benchmark expression parses"),
    ];
    let group = "service:bench";
    let mut index = PlacementIndex::new(instances);
    let group_id = index.intern(group);
    let mut rng = SimRng::from_seed(7);
    let mut table = Vec::with_capacity(tasks as usize);
    for n in 0..tasks {
        let request = PlacementRequest {
            requirements: &requirements,
            group,
            constraints: &constraints,
            strategies,
            subnet_zones: &[],
        };
        let Some(Some(chosen)) = index.place(instances, &request, &mut rng) else {
            break;
        };
        let instance = &mut instances[chosen.0 as usize];
        let interned = GroupRef {
            id: group_id,
            name: group,
        };
        instance.reserve_in(&requirements, interned, n);
        index.instance_changed(instance);
        index.group_id_changed(group_id, chosen, 1);
        table.push(PlacedTask {
            instance: chosen.0,
            group: group_id,
        });
    }
    table
}

/// A scenario JSON for the world-level benchmark: `instances` c5.18xlarge instances over three
/// AZs (every fourth `stack=dev`), one task definition of 256 CPU units / 512 MiB, and either
/// one service of `service_tasks` tasks with `strategies` (a JSON array, `[]` = the service
/// default) or none, plus `run_task_calls` RunTask calls of 10 tasks each, one per second,
/// with the same strategies (`[]` = RunTask's default, random).
pub fn world_scenario(
    instances: u32,
    service_tasks: u32,
    run_task_calls: u32,
    strategies: &str,
    member_of: bool,
) -> String {
    let fleet: Vec<String> = ZONES
        .iter()
        .flat_map(|zone| {
            let per_zone = instances.div_ceil(3);
            let dev = per_zone / 4;
            [
                format!(r#"{{"instanceType":"c5.18xlarge","availabilityZone":"{zone}","count":{},"attributes":{{"stack":"prod"}}}}"#, per_zone - dev),
                format!(r#"{{"instanceType":"c5.18xlarge","availabilityZone":"{zone}","count":{dev},"attributes":{{"stack":"dev"}}}}"#),
            ]
        })
        .collect();
    let constraints = if member_of {
        r#"[{"type":"memberOf","expression":"attribute:stack == prod"}]"#
    } else {
        "[]"
    };
    let services = if service_tasks > 0 {
        format!(
            r#"[{{"serviceName":"bench","taskDefinition":"bench","desiredCount":{service_tasks},"placementConstraints":{constraints},"placementStrategy":{strategies}}}]"#
        )
    } else {
        "[]".into()
    };
    let timeline: Vec<String> = (0..run_task_calls)
        .map(|n| {
            format!(
                r#"{{"at":"{}s","action":{{"runTask":{{"taskDefinition":"bench","count":10,"placementConstraints":{constraints},"placementStrategy":{strategies}}}}}}}"#,
                n + 1
            )
        })
        .collect();
    format!(
        r#"{{"version":1,"name":"bench","seed":7,"fleet":[{}],"taskDefinitions":[{{"family":"bench","containerDefinitions":[{{"name":"app","image":"busybox","cpu":256,"memory":512}}]}}],"services":{services},"timeline":[{}]}}"#,
        fleet.join(","),
        timeline.join(",")
    )
}

/// Steps `world` until `tasks` tasks exist (placed) or nothing is left to do; returns the
/// number of tasks placed.
pub fn step_until_placed(world: &mut flotilla_core::World, tasks: u32) -> u32 {
    let mut steps = 0u32;
    while (world.tasks().len() as u32) < tasks && steps < 10_000_000 {
        if world.step().is_empty() {
            break;
        }
        steps += 1;
    }
    world.tasks().len() as u32
}

/// RunTask's workload with only the calls timed, as the service workloads time only their
/// placements: before the call at `n` s, every wake-up due earlier runs untimed — the lifecycle
/// steps (PENDING → ACTIVATING → RUNNING) of the tasks earlier calls launched, which a service
/// workload's window never holds because it places everything in one round at 0 s — then
/// `step` runs the call's own wake-up, the first of its moment (the timeline was queued before
/// anything else), which places and launches its ten tasks and records them. The run is the
/// same as `step_until_placed`'s: the same wake-ups in the same order.
///
/// Returns the tasks placed, the seconds `clock` counted inside the calls less what reading the
/// clock itself costs (one read per window: the mean of back-to-back reads, measured here, as
/// a CPU-time clock is a system call that can cost microseconds), and that cost per read. The
/// mean is the least of several batches': a wall clock (wasm's) also counts the time the
/// thread waited for a core, and one wait of milliseconds in a single batch of 2,000 reads,
/// subtracted once per call, took a whole run's figure to nothing.
pub fn step_calls_timed(
    world: &mut flotilla_core::World,
    calls: u32,
    clock: impl Fn() -> f64,
) -> (u32, f64, f64) {
    const CALIBRATION_BATCHES: u32 = 20;
    const READS_PER_BATCH: u32 = 100;
    let mut per_read = f64::MAX;
    for _ in 0..CALIBRATION_BATCHES {
        let started = clock();
        for _ in 0..READS_PER_BATCH {
            std::hint::black_box(clock());
        }
        per_read = per_read.min((clock() - started) / f64::from(READS_PER_BATCH + 1));
    }
    let mut seconds = 0.0;
    for n in 1..=u64::from(calls) {
        world.run_until(flotilla_core::SimTime(n * 1000 - 1));
        let started = clock();
        let events = world.step();
        seconds += clock() - started;
        assert!(
            events
                .iter()
                .any(|e| matches!(e.kind, flotilla_core::EventKind::BatchLaunched { .. })),
            "the wake-up timed at {n} s is the RunTask call"
        );
    }
    let seconds = (seconds - per_read * f64::from(calls)).max(f64::MIN_POSITIVE);
    (world.tasks().len() as u32, seconds, per_read)
}

/// A benchmark binary's arguments: `--iterations N` (N > 0), `default` without it.
pub fn parse_iterations(
    args: impl IntoIterator<Item = String>,
    default: u32,
) -> Result<u32, String> {
    use lexopt::Arg;
    let mut iterations = default;
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Arg::Long("iterations") => {
                let value = parser.value().map_err(|error| error.to_string())?;
                iterations = value
                    .to_str()
                    .and_then(|text| text.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--iterations needs a positive number")?;
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(iterations)
}
