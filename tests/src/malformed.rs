//! Bad input never panics and always says where and what: empty files, wrong types, huge
//! numbers, deep nesting, oversized files, unknown fields, and thousands of mutated files.

use flotilla_core::builtin::default_scenario;
use flotilla_core::{parse_scenario, SimTime, World};
use flotilla_tests::errors_of;

fn default_json() -> serde_json::Value {
    serde_json::from_str(default_scenario().json).expect("default scenario is JSON")
}

fn with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value = default_json();
    edit(&mut value);
    value.to_string()
}

#[test]
fn empty_and_non_object_files() {
    expect_test::expect![[r#"scenario file is empty; expected a JSON object with "version": 1"#]]
        .assert_eq(&errors_of(""));
    expect_test::expect!["expected a JSON object, found an array"].assert_eq(&errors_of("[1, 2]"));
    expect_test::expect!["not valid JSON at line 1 column 13: EOF while parsing an object"]
        .assert_eq(&errors_of("{\"version\": 1"));
    expect_test::expect![[r#"version: missing; this Flotilla reads "version": 1"#]]
        .assert_eq(&errors_of("{}"));
    expect_test::expect!["version: 2 is not supported; this Flotilla reads version 1"]
        .assert_eq(&errors_of(r#"{"version": 2}"#));
}

#[test]
fn unknown_fields_are_named_with_their_path() {
    let text = with(|v| {
        v["services"][2]["deploymentConfiguration"] = serde_json::json!({"maximumPercnt": 200})
    });
    expect_test::expect!["services[2].deploymentConfiguration.maximumPercnt: unknown field; expected one of minimumHealthyPercent, maximumPercent, deploymentCircuitBreaker, alarms, bakeTimeInMinutes"]
        .assert_eq(&errors_of(&text));
    let text = with(|v| v["colour"] = serde_json::json!("blue"));
    expect_test::expect![
        "colour: unknown field; expected one of version, name, description, seed, duration"
    ]
    .assert_eq(&errors_of(&text));
}

#[test]
fn wrong_shapes_are_said_in_the_scenario_formats_words() {
    let text = with(|v| {
        v["fleet"][0] = serde_json::json!([]);
        v["taskDefinitions"][0]["networkMode"] = serde_json::json!(6);
        v["timeline"] = serde_json::json!([{"at": "1m", "action": {}}]);
    });
    expect_test::expect![[r#"
        fleet[0]: expected an object, found an array
        taskDefinitions[0].networkMode: expected one of "bridge", "host", "awsvpc", "none", found the number 6
        timeline[0].action: expected an object with one member, named one of "createService", "updateService", "registerTaskDefinition", "stopTask", "terminateInstance", "runTask", "startTask", "drainInstance", "activateInstance", "failAvailabilityZone", "setAlarmState", "changeResourceRecordWeight", found an empty object"#]]
    .assert_eq(&errors_of(&text));
    // Two actions in one entry: the message says which two.
    let text = with(|v| {
        v["timeline"] =
            serde_json::json!([{"at": "1m", "action": {"stopTask": {}, "runTask": {}}}]);
    });
    assert!(
        errors_of(&text).ends_with(r#"found an object with 2 members ("runTask", "stopTask")"#),
        "{}",
        errors_of(&text)
    );
    let text = with(|v| {
        v["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] = serde_json::json!([5]);
    });
    expect_test::expect!["taskDefinitions[0].containerDefinitions[0].portMappings[0]: expected an object, found the number 5"]
    .assert_eq(&errors_of(&text));
    // A 1.3 MB bad value is cut in the message, in every place that quotes it.
    let long = "x".repeat(1_300_000);
    let text = with(|v| {
        v["taskDefinitions"][0]["networkMode"] = serde_json::json!(long);
        v["fleet"][0]["instanceType"] = serde_json::json!(long);
    });
    let errors = errors_of(&text);
    assert!(errors.len() < 1_000, "{} bytes of errors", errors.len());
    assert!(errors.contains("(1300000 characters)"), "{errors}");
}

#[test]
fn every_broken_element_is_reported_not_just_the_first() {
    let text = with(|v| {
        v["fleet"][0]["instanceType"] = serde_json::json!("m5.lrage");
        v["fleet"][1]["count"] = serde_json::json!("two");
        v["services"][0]["desiredCount"] = serde_json::json!(-1);
        v["services"][1]["placementConstraints"] =
            serde_json::json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type"}]);
    });
    expect_test::expect![[r#"
        fleet[1].count: expected a whole number from 0 to 4294967295, found the string "two"
        services[0].desiredCount: expected a whole number from 0 to 4294967295, found the number -1"#]]
    .assert_eq(&errors_of(&text));
    // Once the shapes are right, the semantic checks report everything at once.
    let text = with(|v| {
        v["fleet"][0]["instanceType"] = serde_json::json!("m5.lrage");
        v["services"][1]["placementConstraints"] =
            serde_json::json!([{"type": "memberOf", "expression": "attribute:ecs.instance-type"}]);
        v["services"][2]["taskDefinition"] = serde_json::json!("shipping:9");
    });
    expect_test::expect![[r#"
        fleet[0].instanceType: unknown instance type "m5.lrage"; did you mean m5.large, m5.xlarge, m5a.large?
        services[1].placementConstraints[0]: expected an operator after 'attribute:ecs.instance-type' at column 28
        services[2].taskDefinition: shipping:9 does not exist; shipping has revisions 1-1"#]]
    .assert_eq(&errors_of(&text));
}

#[test]
fn ami_ids_must_look_like_ec2_ami_ids() {
    let text = with(|v| v["fleet"][0]["amiId"] = serde_json::json!("ami-0legacy000000001"));
    expect_test::expect![[r#"fleet[0].amiId: "ami-0legacy000000001" is not an AMI ID: expected ami- and 8 or 17 lowercase hex digits"#]]
        .assert_eq(&errors_of(&text));
    let text = with(|v| v["fleet"][0]["amiId"] = serde_json::json!("ami-0f1e2d3c4b5a60002"));
    assert!(flotilla_core::parse_scenario(&text).is_ok());
}

#[test]
fn health_checks_outside_the_api_ranges_are_named_with_their_field() {
    let text = with(|v| {
        v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] = serde_json::json!(
            {"command": ["curl -f http://localhost/"], "interval": 2, "timeout": 61, "retries": 0, "startPeriod": 301}
        );
    });
    expect_test::expect![[r#"
        taskDefinitions[0].containerDefinitions[0].healthCheck.command: must be ["CMD-SHELL", "<shell command>"] or ["CMD", "<executable>", ...]
        taskDefinitions[0].containerDefinitions[0].healthCheck.interval: must be a whole number from 5 to 300 seconds, found 2
        taskDefinitions[0].containerDefinitions[0].healthCheck.timeout: must be a whole number from 2 to 60 seconds, found 61
        taskDefinitions[0].containerDefinitions[0].healthCheck.retries: must be a whole number from 1 to 10, found 0
        taskDefinitions[0].containerDefinitions[0].healthCheck.startPeriod: must be a whole number from 0 to 300 seconds, found 301"#]]
    .assert_eq(&errors_of(&text));
    let text = with(|v| {
        v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] = serde_json::json!(
            {"command": ["CMD", "/bin/check", "--quick"], "interval": 5, "timeout": 60, "retries": 10, "startPeriod": 0}
        );
    });
    assert!(
        flotilla_core::parse_scenario(&text).is_ok(),
        "the range ends are accepted"
    );
}

#[test]
fn a_task_definition_ecs_would_refuse_is_named_with_every_path() {
    // Empty image, a container's hard memory above the task's, and reservations summing above
    // it: RegisterTaskDefinition refuses each, so the scenario reports all of them at once.
    let text = with(|v| {
        let definition = &mut v["taskDefinitions"][0];
        definition["memory"] = serde_json::json!("10");
        definition["containerDefinitions"][0]["image"] = serde_json::json!("  ");
    });
    expect_test::expect![[r#"
        taskDefinitions[0].containerDefinitions[0].image: Container.image should not be null or empty.
        taskDefinitions[0].containerDefinitions[0].memory: The 'memory' setting for container 'order' is greater than for the task (1024 MiB > 10 MiB).
        taskDefinitions[0].memory: The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory' (512 MiB > 10 MiB)."#]]
    .assert_eq(&errors_of(&text));
    // Equal to the task's memory is accepted, as ECS accepts it.
    let text = with(|v| v["taskDefinitions"][0]["memory"] = serde_json::json!("1024"));
    assert!(
        parse_scenario(&text).is_ok(),
        "container memory equal to the task's is accepted"
    );
}

#[test]
fn a_registered_revision_with_a_bad_behaviour_is_refused_and_changes_nothing() {
    let scenario = parse_scenario(default_scenario().json).expect("default scenario parses");
    let mut world = World::new(&scenario).expect("default scenario builds");
    world.run_until(SimTime::from_secs(60));
    let events = world.events().len();
    let action: flotilla_core::Action = serde_json::from_value(serde_json::json!(
        {"registerTaskDefinition": {"family": "user", "behaviour": {"crashAfter": "soon", "crashRatePercent": 101}}}
    ))
    .expect("the shape is right");
    let error = world.apply(&action).expect_err("a bad duration is refused");
    expect_test::expect![[
        r#"behaviour.crashAfter: expected a number at position 1 of duration "soon""#
    ]]
    .assert_eq(&error.to_string());
    assert_eq!(world.events().len(), events, "nothing was recorded");
    assert_eq!(
        world
            .task_definitions()
            .resolve("user")
            .unwrap()
            .to_string(),
        "user:1"
    );
}

#[test]
fn huge_numbers_and_limits() {
    let text = with(|v| v["seed"] = serde_json::json!(1e300));
    assert!(
        errors_of(&text).starts_with(
            "seed: expected a whole number from 0 to 18446744073709551615, found the number 1e"
        ),
        "{}",
        errors_of(&text)
    );
    let text = with(|v| v["fleet"][0]["count"] = serde_json::json!(99_999_999_999u64));
    assert!(
        errors_of(&text).starts_with(
            "fleet[0].count: expected a whole number from 0 to 4294967295, found the number 99999999999"
        ),
        "{}",
        errors_of(&text)
    );
    let text = with(|v| v["fleet"][0]["count"] = serde_json::json!(20_000));
    expect_test::expect!["fleet: 20004 instances; the limit is 10000"].assert_eq(&errors_of(&text));
    let text = with(|v| v["services"][0]["desiredCount"] = serde_json::json!(4_000_000_000u64));
    expect_test::expect![
        "services[0].desiredCount: 4000000000 is above the sandbox limit of 100000"
    ]
    .assert_eq(&errors_of(&text));
    let text = with(|v| v["timeline"][0]["at"] = serde_json::json!("9999d"));
    expect_test::expect![[
        r#"timeline[0].at: duration "9999d" is longer than the limit of 400 days"#
    ]]
    .assert_eq(&errors_of(&text));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    expect_test::expect!["not valid JSON at line 1 column 128: recursion limit exceeded"]
        .assert_eq(&errors_of(&deep));
    let deep_in_field = with(|v| {
        let mut nested = serde_json::json!(1);
        for _ in 0..100 {
            nested = serde_json::json!([nested]);
        }
        v["name"] = nested;
    });
    assert_eq!(
        errors_of(&deep_in_field),
        "name: expected a string, found an array"
    );
}

#[test]
fn a_ten_megabyte_file_is_refused_with_the_limit() {
    let padding = " ".repeat(10 * 1024 * 1024);
    let text = format!("{{\"version\": 1,{padding}\"name\": \"big\"}}");
    expect_test::expect!["scenario is 10485788 bytes; the limit is 4194304 bytes (4 MiB)"]
        .assert_eq(&errors_of(&text));
}

/// Deterministic mutation fuzzing of the default scenario.
#[test]
fn mutated_scenarios_never_panic() {
    let parsed = mutate_and_run(default_scenario().json.as_bytes(), 3000);
    assert!(
        parsed > 50,
        "too few mutations parsed ({parsed}) for this test to exercise the world"
    );
}

/// The discovery members (target groups, load balancers, service `loadBalancers[]` and
/// `serviceRegistries[]`, Route 53, Cloud Map) under the same mutations.
#[test]
fn mutated_discovery_scenarios_never_panic() {
    let parsed = mutate_and_run(include_bytes!("../discovery/shop.json"), 3000);
    assert!(
        parsed > 50,
        "too few mutations parsed ({parsed}) for this test to exercise the world"
    );
}

/// The same mutations over the default scenario with every traffic shape in it: entry points
/// of each profile, calls, client caching, and per-revision 5xx, latency and CPU.
#[test]
fn mutated_traffic_scenarios_never_panic() {
    let text = with(|v| {
        v["traffic"] = traffic_member();
        v["revisionBehaviour"][0]["errorRatePercent"] = serde_json::json!(2.5);
        v["revisionBehaviour"][0]["latencyMs"] =
            serde_json::json!({"p50": 30, "p90": 80, "p99": 250});
        v["revisionBehaviour"][1]["cpuPerRequestMs"] = serde_json::json!(1.25);
    });
    parse_scenario(&text).expect("the traffic scenario is valid");
    let parsed = mutate_and_run(text.as_bytes(), 2000);
    assert!(
        parsed > 30,
        "too few mutations parsed ({parsed}) for this test to exercise the world"
    );
}

fn traffic_member() -> serde_json::Value {
    serde_json::json!({
        "clients": {"longCachePercent": 5, "longCacheMultiplier": 10},
        "entryPoints": [
            {"name": "public", "target": {"dns": "api.example.com"},
             "profile": {"dailyCycle": {"mean": 100, "amplitude": 40, "peakAt": "14h"}}},
            {"name": "ramp", "target": {"listener": "web-alb:80"},
             "profile": {"ramp": {"from": 0, "to": 50, "over": "10m"}}},
            {"name": "spike", "target": {"listener": "web-alb:80"},
             "profile": {"spike": {"base": 10, "peak": 500, "at": "2m", "duration": "30s"}}},
            {"name": "steady", "target": {"dns": "api.example.com"}, "profile": {"constant": 20}}
        ],
        "calls": [{"from": "order", "to": "user", "perRequest": 1.5},
                  {"from": "order", "to": "shipping", "perRequest": 1}]
    })
}

#[test]
fn traffic_members_are_checked_with_their_paths() {
    let text = with(|v| {
        v["traffic"] = traffic_member();
        v["traffic"]["entryPoints"][0]["profile"] = serde_json::json!({"sine": 3});
        v["traffic"]["calls"][1]["to"] = serde_json::json!("billing");
        v["revisionBehaviour"][0]["latencyMs"] =
            serde_json::json!({"p50": 30, "p90": 20, "p99": 250});
        v["revisionBehaviour"][1]["errorRatePercent"] = serde_json::json!(100.5);
    });
    // Shapes first: a wrong shape stops the file before the rules run.
    expect_test::expect![[r#"traffic.entryPoints[0].profile: unknown name "sine"; expected one of "constant", "ramp", "dailyCycle", "spike""#]]
        .assert_eq(&errors_of(&text));
    let text = with(|v| {
        v["traffic"] = traffic_member();
        v["traffic"]["calls"][1]["to"] = serde_json::json!("billing");
        v["revisionBehaviour"][0]["latencyMs"] =
            serde_json::json!({"p50": 30, "p90": 20, "p99": 250});
        v["revisionBehaviour"][1]["errorRatePercent"] = serde_json::json!(100.5);
    });
    expect_test::expect![[r#"
        revisionBehaviour[0].latencyMs.p90: must be at least p50 (30), found 20
        revisionBehaviour[1].errorRatePercent: must be a number from 0 to 100, found 100.5
        traffic.calls[1].to: no service named "billing""#]]
    .assert_eq(&errors_of(&text));
    let text = with(|v| v["revisionBehaviour"][0]["cpuPerRequestMs"] = serde_json::json!(-1));
    expect_test::expect![
        "revisionBehaviour[0].cpuPerRequestMs: must be a number from 0 to 42949672, found -1"
    ]
    .assert_eq(&errors_of(&text));
    let text = with(|v| v["traffic"] = serde_json::json!({"entryPoint": []}));
    expect_test::expect![
        "traffic.entryPoint: unknown field; expected one of clients, entryPoints, calls"
    ]
    .assert_eq(&errors_of(&text));
}

/// Deterministic mutation fuzzing of `original`: truncations, byte flips, spliced tokens.
/// Nothing may panic; whatever parses must also build and run without panicking. Returns how
/// many mutations parsed.
fn mutate_and_run(original: &[u8], rounds: u32) -> u32 {
    let tokens: [&[u8]; 12] = [
        b"-1",
        b"1e999",
        b"null",
        b"\"\"",
        b"[]",
        b"{}",
        b"\"t99\"",
        b"0",
        b"\"us-east-1z\"",
        b"4294967296",
        b"\"x:y\"",
        b"true",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0;
    for round in 0..rounds {
        let mut bytes = original.to_vec();
        match round % 3 {
            0 => bytes.truncate((next() % original.len() as u64) as usize),
            1 => {
                for _ in 0..1 + next() % 4 {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = (next() % 128) as u8;
                }
            }
            _ => {
                let at = (next() % bytes.len() as u64) as usize;
                let end = (at + (next() % 12) as usize).min(bytes.len());
                let token = tokens[(next() % tokens.len() as u64) as usize];
                bytes.splice(at..end, token.iter().copied());
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Ok(scenario) = parse_scenario(&text) {
            parsed += 1;
            if let Ok(mut world) = World::new(&scenario) {
                world.run_until(SimTime::from_secs(600));
                world
                    .check_invariants()
                    .unwrap_or_else(|broken| panic!("round {round}: {broken}"));
            }
        }
    }
    parsed
}

/// Oversized values in every place that echoes or compares them: each must be refused with a
/// short message, in work and memory proportional to the input (the did-you-mean once aligned
/// a 4-million-character instance type with every catalogue name: 21 s and 475 MB).
fn oversized_inputs() -> Vec<(&'static str, String)> {
    let long = "m5.large".repeat(500_000);
    let field = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = default_json();
        edit(&mut value);
        value.to_string()
    };
    vec![
        (
            "instanceType",
            field(&|v| v["fleet"][0]["instanceType"] = serde_json::json!(long)),
        ),
        (
            "availabilityZone",
            field(&|v| v["fleet"][0]["availabilityZone"] = serde_json::json!(long)),
        ),
        (
            "networkMode",
            field(&|v| v["taskDefinitions"][0]["networkMode"] = serde_json::json!(long)),
        ),
        (
            "many unknown instance types",
            field(&|v| {
                let entry = v["fleet"][0].clone();
                let fleet: Vec<serde_json::Value> = (0..20_000)
                    .map(|n| {
                        let mut entry = entry.clone();
                        entry["instanceType"] = serde_json::json!(format!("m5.lrage{n}"));
                        entry
                    })
                    .collect();
                v["fleet"] = serde_json::json!(fleet);
            }),
        ),
        (
            "duration",
            field(&|v| v["duration"] = serde_json::json!(long)),
        ),
    ]
}

#[test]
fn oversized_values_are_refused_in_bounded_work_and_memory() {
    for (what, text) in oversized_inputs() {
        let (errors, usage) = crate::memory::measure(|| errors_of(&text));
        // The text itself and its parsed value are a few times its size; 16× is a generous
        // bound that the quadratic suggestion (100× and more) broke. Allocations measure the
        // work without a clock: one per 2 input bytes is a few times what parsing makes.
        assert!(
            usage.peak_bytes < 16 * text.len() && usage.allocations < text.len() / 2,
            "{what}: {usage:?} for {} bytes of input",
            text.len()
        );
        let longest_line = errors.lines().map(str::len).max().unwrap_or(0);
        assert!(longest_line < 400, "{what}: a {longest_line}-byte message");
    }
}

#[test]
fn import_output_is_held_to_the_scenario_size_limit() {
    let documents: Vec<(String, String)> = (0..3)
        .map(|n| {
            let document = serde_json::json!({
                "family": format!("f{n}"),
                "containerDefinitions": [{"name": "app", "image": "x".repeat(3_000_000), "memory": 512}],
            });
            (format!("doc{n}.json"), document.to_string())
        })
        .collect();
    let documents: Vec<(&str, &str)> = documents
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let (outcome, usage) = crate::memory::measure(|| {
        flotilla_core::import::import(
            &flotilla_core::import::empty_scenario("imported"),
            &documents,
        )
    });
    let errors = outcome.expect_err("a 9 MB scenario is refused");
    expect_test::expect!["imported scenario: would be 9000615 bytes; a scenario's limit is 4194304 bytes (4 MiB): import fewer or smaller documents"]
        .assert_eq(&errors[0].to_string());
    assert!(usage.peak_bytes < 16 * 9_000_000, "{usage:?}");
}

#[test]
fn import_says_what_to_do_next() {
    let import = |documents: &[(&str, &str)]| {
        flotilla_core::import::import(
            &flotilla_core::import::empty_scenario("imported"),
            documents,
        )
    };
    // A request that is not state is noted without an empty path.
    let outcome = import(&[
        ("td.json", r#"{"family": "web", "containerDefinitions": [{"name": "app", "image": "x", "memory": 512}]}"#),
        ("doc1.json", r#"{"taskDefinition": "web:1", "count": 2}"#),
    ])
    .expect("imports");
    let notes: Vec<String> = outcome.notes.iter().map(|n| n.to_string()).collect();
    expect_test::expect![[r#"
        ["doc1.json: not imported: a request, not state: the scenario's timeline holds actions"]"#]]
    .assert_eq(&format!("{notes:?}"));
    // describe-services alone: say which documents would bring its task definition.
    let errors = import(&[(
        "services.json",
        r#"{"services": [{"serviceName": "web", "taskDefinition": "web:3", "desiredCount": 1}]}"#,
    )])
    .expect_err("no task definition");
    expect_test::expect!["imported scenario: services[0].taskDefinition: no task definition with family \"web\" in taskDefinitions; import the task definition too (its describe-task-definition output or RegisterTaskDefinition input), or import into a scenario that has it with --into"]
        .assert_eq(&errors[0].to_string());
}

#[test]
fn two_behaviours_for_one_revision_are_an_error_with_both_paths() {
    let text = with(|v| {
        v["revisionBehaviour"] = serde_json::json!([
            {"taskDefinition": "order:1", "startTime": "10s"},
            {"taskDefinition": "order:1", "startTime": "20s"}
        ]);
    });
    expect_test::expect!["revisionBehaviour[1].taskDefinition: order:1 already has its behaviour in revisionBehaviour[0]; give each revision one entry"]
        .assert_eq(&errors_of(&text));
}

#[test]
fn import_of_many_unknown_members_is_linear_work() {
    // 20,000 members the sandbox does not model, in 40 containers: each kind of object is
    // cleared in one round (one round per member took 5,000 rounds for 5,000 members).
    let containers: Vec<serde_json::Value> = (0..40)
        .map(|c| {
            let mut container =
                serde_json::json!({"name": format!("c{c}"), "image": "x", "memory": 16});
            for m in 0..500 {
                container[format!("unknown{m}")] = serde_json::json!(m);
            }
            container
        })
        .collect();
    let text = serde_json::json!({"family": "f", "containerDefinitions": containers}).to_string();
    let (outcome, usage) = crate::memory::measure(|| {
        flotilla_core::import::import(
            &flotilla_core::import::empty_scenario("imported"),
            &[("many.json", text.as_str())],
        )
    });
    let outcome = outcome.expect("imports");
    assert_eq!(outcome.unsupported().count(), 20_000);
    assert!(
        usage.allocations < 40 * text.len() && usage.peak_bytes < 64 * text.len(),
        "{usage:?} for {} bytes",
        text.len()
    );
}

/// Small files that ask for too much work: services × tasks far past what a tab can run (100
/// services of 100,000 tasks is an 8 KB file that took over a minute to reach 1 s), DAEMON
/// services on a full fleet, a timeline that scales up. Each is refused by `validate` with the
/// figure and the path `services`, before any world is built: work and memory in proportion to
/// the file, not to the tasks it asks for.
fn too_much_work() -> Vec<(String, String)> {
    let mut inputs = Vec::new();
    let services = |count: usize, edit: &dyn Fn(usize, &mut serde_json::Value)| {
        let mut value = default_json();
        let definition = value["taskDefinitions"][0].clone();
        let service = value["services"][0].clone();
        value["taskDefinitions"] = serde_json::json!((0..count)
            .map(|i| {
                let mut definition = definition.clone();
                definition["family"] = serde_json::json!(format!("f{i}"));
                definition
            })
            .collect::<Vec<_>>());
        value["services"] = serde_json::json!((0..count)
            .map(|i| {
                let mut service = service.clone();
                service["serviceName"] = serde_json::json!(format!("s{i}"));
                service["taskDefinition"] = serde_json::json!(format!("f{i}:1"));
                edit(i, &mut service);
                service
            })
            .collect::<Vec<_>>());
        value.as_object_mut().map(|v| v.remove("timeline"));
        value.as_object_mut().map(|v| v.remove("revisionBehaviour"));
        value
    };
    for count in [11, 100, 1_000] {
        let value = services(count, &|_, s| {
            s["desiredCount"] = serde_json::json!(100_000)
        });
        inputs.push((
            format!("{count} services of 100,000 tasks"),
            value.to_string(),
        ));
    }
    for count in [101, 1_000] {
        let mut value = services(count, &|_, s| {
            s["schedulingStrategy"] = serde_json::json!("DAEMON");
            s.as_object_mut().map(|s| s.remove("desiredCount"));
            s.as_object_mut()
                .map(|s| s.remove("deploymentConfiguration"));
        });
        value["fleet"][0]["count"] = serde_json::json!(9_990);
        inputs.push((
            format!("{count} DAEMON services on 10,000 instances"),
            value.to_string(),
        ));
    }
    let mut value = services(20, &|_, s| s["desiredCount"] = serde_json::json!(1));
    value["timeline"] = serde_json::json!((0..20)
        .map(|i| serde_json::json!({"at": "1m", "action": {"updateService": {"service": format!("s{i}"), "desiredCount": 100_000}}}))
        .collect::<Vec<_>>());
    inputs.push((
        "a timeline that scales 20 services to 100,000".into(),
        value.to_string(),
    ));
    inputs
}

#[test]
fn scenarios_that_ask_for_too_much_work_are_refused_with_the_figure_in_bounded_memory() {
    for (what, text) in too_much_work() {
        let (errors, usage) = crate::memory::measure(|| errors_of(&text));
        let work = errors
            .lines()
            .find(|line| line.starts_with("services: the services ask for "))
            .unwrap_or_else(|| panic!("{what}: no total-work error in\n{errors}"));
        assert!(
            work.contains("the limit is 1000000 tasks across services"),
            "{what}: {work}"
        );
        // Compiling holds the file, its parsed value and the compiled model: a few dozen
        // bytes per input byte, and nothing that grows with the tasks asked for.
        assert!(
            usage.peak_bytes < 64 * text.len() + (1 << 20) && usage.allocations < 4 * text.len(),
            "{what}: {usage:?} for {} bytes of input",
            text.len()
        );
    }
}
