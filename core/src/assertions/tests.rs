//! The assertion language's tests: every sentence shape and its canonical text, errors with
//! their columns, and evaluation over the built-in scenarios — held and broken claims with
//! their moments and evidence, the healthy count agreeing with the deployment chart's
//! (`progress.rs`), and incremental evaluation (step by step, rewinds) agreeing with the
//! one-shot form. `check` and `check_run` are the helpers; `UPDATE_EXPECT=1` rewrites the
//! snapshots.

use super::*;
use crate::builtin;
use crate::scenario::{compile as compile_scenario, parse_scenario, Scenario};
use crate::time::SimTime;
use crate::world::World;
use expect_test::{expect, Expect};

fn builtin_scenario(id: &str) -> Scenario {
    parse_scenario(builtin::find(id).expect("built-in").json).expect("built-in parses")
}

/// Each sentence parsed against the scenario: its canonical text, or the error.
fn check(id: &str, sentences: &[&str], expected: Expect) {
    let scenario = builtin_scenario(id);
    let names = crate::scenario::assertion_names(&scenario);
    let mut out = String::new();
    for sentence in sentences {
        match parse(sentence, &names) {
            Ok(claim) => {
                let canonical = claim.to_string();
                assert_eq!(
                    parse(&canonical, &names).as_ref(),
                    Ok(&claim),
                    "the canonical text parses back: {canonical}"
                );
                out.push_str(&format!("{sentence}\n  = {canonical}\n"));
            }
            Err(error) => out.push_str(&format!("{sentence}\n  ! {error}\n")),
        }
    }
    expected.assert_eq(&out);
}

/// The built-in with these assertions, run to `until`, every verdict on a line.
fn check_run(id: &str, sentences: &[&str], until: &str, expected: Expect) {
    let verdicts = run(id, sentences, until);
    let out: String = verdicts
        .iter()
        .map(|v| format!("{}\n  {:?}\n", v.sentence, v.status))
        .collect();
    expected.assert_eq(&out);
}

fn run(id: &str, sentences: &[&str], until: &str) -> Vec<Verdict> {
    let mut scenario = builtin_scenario(id);
    scenario.assertions = sentences
        .iter()
        .map(|s| AssertionEntry {
            name: None,
            assert: s.to_string(),
        })
        .collect();
    let compiled = compile_scenario(&scenario).expect("compiles");
    let mut world = World::from_compiled(&compiled);
    world.run_until(SimTime(crate::time::parse_duration(until).unwrap()));
    evaluate(&compiled.assertions, &world)
}

#[test]
fn every_sentence_shape_parses_to_its_canonical_text() {
    check(
        "batch-jobs",
        &[
            "at 5m at least 3 tasks of web RUNNING in us-east-1a",
            "AT 5m AT LEAST 3 running tasks of service web",
            "at 90s exactly 1 task of web on an instance of type m5.xlarge in us-east-1b",
            "at 1m no tasks of family thumbnail STOPPED",
            "always at least 2 healthy tasks of web",
            "never fewer than 2 healthy tasks of web",
            "never more than 6 tasks of web between 1m and 5m",
            "always at most 4 tasks of queue-worker from 30s until 9m",
            "always more than 0 tasks after 1m",
            "no task of transcode placed on an instance of type m5.xlarge",
            "no task of group transcode placed in us-east-1a until 5m",
            "every task of family thumbnail placed on instances of type m5.xlarge",
            "the deployment of web completes before 3m",
            "the deployment of web started at 0s fails by 3m",
            "web reaches a steady state before 2m",
            "the deployment of web completes",
            "web reaches a steady state",
        ],
        expect![[r#"
            at 5m at least 3 tasks of web RUNNING in us-east-1a
              = at 5m at least 3 tasks of web RUNNING in us-east-1a
            AT 5m AT LEAST 3 running tasks of service web
              = at 5m at least 3 tasks of web RUNNING
            at 90s exactly 1 task of web on an instance of type m5.xlarge in us-east-1b
              = at 1m30s exactly 1 task of web in us-east-1b on an instance of type m5.xlarge
            at 1m no tasks of family thumbnail STOPPED
              = at 1m exactly 0 tasks of family thumbnail STOPPED
            always at least 2 healthy tasks of web
              = always at least 2 healthy tasks of web
            never fewer than 2 healthy tasks of web
              = never fewer than 2 healthy tasks of web
            never more than 6 tasks of web between 1m and 5m
              = never more than 6 tasks of web between 1m and 5m
            always at most 4 tasks of queue-worker from 30s until 9m
              = always at most 4 tasks of queue-worker between 30s and 9m
            always more than 0 tasks after 1m
              = always more than 0 tasks from 1m
            no task of transcode placed on an instance of type m5.xlarge
              ! no service or task-definition family named "transcode"; services: web, queue-worker; families: web, queue-worker, thumbnail, backup, video at column 12
            no task of group transcode placed in us-east-1a until 5m
              = no task of group transcode placed in us-east-1a until 5m
            every task of family thumbnail placed on instances of type m5.xlarge
              = every task of family thumbnail placed on an instance of type m5.xlarge
            the deployment of web completes before 3m
              = the deployment of web completes before 3m
            the deployment of web started at 0s fails by 3m
              = the deployment of web started at 0s fails before 3m
            web reaches a steady state before 2m
              = web reaches a steady state before 2m
            the deployment of web completes
              = the deployment of web completes
            web reaches a steady state
              = web reaches a steady state
        "#]],
    );
}

#[test]
fn errors_say_what_and_at_which_column() {
    check(
        "batch-jobs",
        &[
            "",
            "at least 3 tasks of web",
            "at soon at least 3 tasks of web",
            "at 5m about 3 tasks of web",
            "at 5m at least three tasks of web",
            "at 5m at least 3 tasks of wbe",
            "at 5m at least 3 healthy tasks of web RUNNING",
            "at 5m at least 3 tasks of web in us-east-1d",
            "at 5m at least 3 tasks of web on an instance of type t3.micro",
            "no task of web placed",
            "never fewer than 2 tasks of web between 5m and 1m",
            "the deployment of web completes after 3m",
            "the deployment of web completes before",
            "the deployment of api completes before 3m",
            "wbe reaches a steady state before 2m",
            "5xx rate of web under 1 % over every minute",
            "at 5m at least 3 tasks of web please",
        ],
        expect![[r#"

              ! the assertion is empty at column 1
            at least 3 tasks of web
              ! a count needs a moment or a span: write "at 5m at least 3 tasks …" or "always at least 3 tasks …" at column 1
            at soon at least 3 tasks of web
              ! expected a moment such as 5m: expected a number at position 1 of duration "soon" at column 4
            at 5m about 3 tasks of web
              ! expected a count: "at least N", "at most N", "exactly N", "more than N", "fewer than N" or "no", found "about" at column 7
            at 5m at least three tasks of web
              ! expected a number, found "three" at column 16
            at 5m at least 3 tasks of wbe
              ! no service or task-definition family named "wbe"; services: web, queue-worker; families: web, queue-worker, thumbnail, backup, video at column 27
            at 5m at least 3 healthy tasks of web RUNNING
              ! a count takes one state; this one has two at column 39
            at 5m at least 3 tasks of web in us-east-1d
              ! no instance of the fleet is in "us-east-1d"; zones: us-east-1a, us-east-1b at column 34
            at 5m at least 3 tasks of web on an instance of type t3.micro
              ! the fleet has no instance of type "t3.micro"; types: m5.xlarge at column 54
            no task of web placed
              ! expected say where: "in us-east-1a" or "on an instance of type t3.micro" at column 22
            never fewer than 2 tasks of web between 5m and 1m
              ! the span ends before it starts at column 48
            the deployment of web completes after 3m
              ! expected "before" and a moment, such as "before 3m", found "after" at column 33
            the deployment of web completes before
              ! the assertion ends too soon; expected a moment such as 3m at column 39
            the deployment of api completes before 3m
              ! no service named "api"; services: web, queue-worker at column 19
            wbe reaches a steady state before 2m
              ! an assertion starts with "at", "always", "never", "no", "every", "the deployment" or a service name; "wbe" is none of them (no service named "wbe"; services: web, queue-worker) at column 1
            5xx rate of web under 1 % over every minute
              ! traffic assertions (5xx rate, latency, requests) come with the traffic model, which Flotilla does not have yet at column 1
            at 5m at least 3 tasks of web please
              ! unexpected "please" after a complete assertion at column 31
        "#]],
    );
}

#[test]
fn a_rolling_deployment_at_minimal_cost_halves_capacity_and_completes() {
    check_run(
        "rolling-minimal-cost",
        &[
            "never fewer than 2 healthy tasks of web",
            "never fewer than 3 healthy tasks of web",
            "always at least 4 healthy tasks of web until 2m",
            "never more than 4 tasks of web",
            "at 5m exactly 4 tasks of web RUNNING",
            "at 5m at least 3 tasks of web RUNNING in us-east-1a",
            "the deployment of web completes before 5m",
            "the deployment of web completes before 2m30s",
            "the deployment of web fails before 10m",
            "web reaches a steady state before 1m",
            "web reaches a steady state before 10s",
        ],
        "10m",
        expect![[r#"
            never fewer than 2 healthy tasks of web
              Held
            never fewer than 3 healthy tasks of web
              Broken { at: SimTime(120000), evidence: "at 2:00 web had 2 healthy tasks (needs ≥ 3)" }
            always at least 4 healthy tasks of web until 2m
              Broken { at: SimTime(120000), evidence: "at 2:00 web had 2 healthy tasks (needs ≥ 4)" }
            never more than 4 tasks of web
              Held
            at 5m exactly 4 tasks of web RUNNING
              Held
            at 5m at least 3 tasks of web RUNNING in us-east-1a
              Broken { at: SimTime(300000), evidence: "at 5:00 web had 2 tasks RUNNING in us-east-1a (needs ≥ 3)" }
            the deployment of web completes before 5m
              Held
            the deployment of web completes before 2m30s
              Broken { at: SimTime(150000), evidence: "at 2:30 the deployment of web started at 2:00 (ecs-svc/3507977639456296570) was still IN_PROGRESS" }
            the deployment of web fails before 10m
              Broken { at: SimTime(600000), evidence: "the deployment of web started at 2:00 (ecs-svc/3507977639456296570) COMPLETED at 3:48" }
            web reaches a steady state before 1m
              Held
            web reaches a steady state before 10s
              Broken { at: SimTime(10000), evidence: "web had not reached a steady state by 0:10" }
        "#]],
    );
}

#[test]
fn the_circuit_breaker_fails_the_bad_build_and_the_fix_completes() {
    check_run(
        "cicd",
        &[
            "the deployment of order completes before 6m",
            "the deployment of order started at 6m fails before 12m",
            "the deployment of order completes before 11m",
            "the deployment of order completes before 20m",
            "never fewer than 3 healthy tasks of order",
            "the deployment of order completes",
            "order reaches a steady state",
        ],
        "20m",
        expect![[r#"
            the deployment of order completes before 6m
              Held
            the deployment of order started at 6m fails before 12m
              Held
            the deployment of order completes before 11m
              Broken { at: SimTime(660000), evidence: "the deployment of order started at 6:00 (ecs-svc/8174400731603666599) FAILED at 6:20: ECS deployment circuit breaker: task failed to start." }
            the deployment of order completes before 20m
              Held
            never fewer than 3 healthy tasks of order
              Held
            the deployment of order completes
              Held
            order reaches a steady state
              Held
        "#]],
    );
}

#[test]
fn placements_are_checked_one_by_one() {
    check_run(
        "placement",
        &[
            "no task of api placed on an instance of type t3.large",
            "no task of worker placed on an instance of type t3.large",
            "every task of group reports placed in us-east-1a",
            "no task of group reports placed in us-east-1c",
            "at 5m exactly 3 tasks of cache RUNNING",
        ],
        "10m",
        expect![[r#"
            no task of api placed on an instance of type t3.large
              Held
            no task of worker placed on an instance of type t3.large
              Broken { at: SimTime(0), evidence: "at 0:00 task t11 of worker was placed on i-053cb9f0c747ea2ea (t3.large in us-east-1b)" }
            every task of group reports placed in us-east-1a
              Broken { at: SimTime(60000), evidence: "at 1:00 task t17 of group reports was placed on i-053cb9f0c747ea2ea (t3.large in us-east-1b)" }
            no task of group reports placed in us-east-1c
              Held
            at 5m exactly 3 tasks of cache RUNNING
              Held
        "#]],
    );
}

#[test]
fn a_moment_after_the_run_is_not_reached_and_a_claim_never_true_is_broken() {
    check_run(
        "rolling-minimal-cost",
        &[
            "at 5m at least 1 task of web",
            "always at least 5 tasks of web",
            "always at least 5 tasks of web from 1m",
            "always at least 5 tasks of web from 4m",
            "the deployment of web completes",
            "the deployment of web started at 2m fails",
            "web reaches a steady state",
        ],
        "2m30s",
        expect![[r#"
            at 5m at least 1 task of web
              NotReached { needs: SimTime(300000) }
            always at least 5 tasks of web
              Broken { at: SimTime(150000), evidence: "up to 2:30 web never had at least 5 tasks (it had 4)" }
            always at least 5 tasks of web from 1m
              Broken { at: SimTime(60000), evidence: "at 1:00 web had 4 tasks (needs ≥ 5)" }
            always at least 5 tasks of web from 4m
              NotReached { needs: SimTime(240000) }
            the deployment of web completes
              Broken { at: SimTime(150000), evidence: "at 2:30 the deployment of web started at 2:00 (ecs-svc/3507977639456296570) was still IN_PROGRESS" }
            the deployment of web started at 2m fails
              Broken { at: SimTime(150000), evidence: "at 2:30 the deployment of web started at 2:00 (ecs-svc/3507977639456296570) was still IN_PROGRESS" }
            web reaches a steady state
              Held
        "#]],
    );
}

/// The healthy count is the scheduler's and the deployment chart's: the fewest healthy
/// tasks the chart reports since the deployment began is exactly where "always at least N
/// healthy tasks from then" stops holding.
#[test]
fn the_healthy_count_agrees_with_the_deployment_chart() {
    for id in ["rolling-minimal-cost", "rolling-fast", "cicd"] {
        let scenario = builtin_scenario(id);
        let mut world = World::new(&scenario).unwrap();
        world.run_until(scenario.horizon());
        let service = crate::service::ServiceId(0);
        let progress = crate::progress::deployment_progress(&world, service, 1000).unwrap();
        let name = &world.service(service).name;
        let from = time_text(progress.from);
        let fewest = progress.fewest_healthy;
        let verdicts = run(
            id,
            &[
                &format!(
                    "always at least {} healthy tasks of {name} from {from}",
                    fewest.count
                ),
                &format!(
                    "always at least {} healthy tasks of {name} from {from}",
                    fewest.count + 1
                ),
            ],
            &time_text(scenario.horizon()),
        );
        assert_eq!(verdicts[0].status, Status::Held, "{id}: {:?}", verdicts[0]);
        match &verdicts[1].status {
            Status::Broken { at, .. } => assert_eq!(*at, fewest.at, "{id}"),
            other => panic!("{id}: expected broken at {}, got {other:?}", fewest.at),
        }
    }
}

/// The healthy count is the scheduler's on load-balanced services too (§3.4: a task counts
/// when its targets are healthy, with container checks when both are): after every step the
/// assertions' count, the deployment chart's and the world's own agree. Microservices runs
/// its own timeline plus a drain; then with container checks on order (its targets pass
/// first) and on user (its container passes first); then with order:2 failing its target
/// checks from 4m (never healthy, replaced until the circuit breaker rolls back).
#[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
#[test]
fn the_healthy_count_is_the_schedulers_on_load_balanced_services() {
    let plain: serde_json::Value =
        serde_json::from_str(builtin::find("microservices").unwrap().json).unwrap();
    let mut drained = plain.clone();
    drained["timeline"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"at": "1m30s", "action": {"drainInstance": {"instance": "i-0f88bb8a8724c81ec"}}}));
    let mut checked = plain.clone();
    for (family, interval) in [(0, 60), (1, 5)] {
        checked["taskDefinitions"][family]["containerDefinitions"][0]["healthCheck"] = serde_json::json!(
            {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], "interval": interval}
        );
    }
    let mut failing = plain.clone();
    failing["services"][0]["deploymentConfiguration"] = serde_json::json!(
        {"deploymentCircuitBreaker": {"enable": true, "rollback": true}}
    );
    failing["timeline"] = serde_json::json!([
        {"at": "4m", "action": {"registerTaskDefinition": {"family": "order", "images": {"order": "example.com/order:2.0.0"}, "behaviour": {"healthCheckFailurePercent": 100}}}},
        {"at": "4m", "action": {"updateService": {"service": "order", "taskDefinition": "order:2"}}}
    ]);
    let mut seen = Vec::new();
    for (name, json) in [
        ("drained", drained),
        ("container checks", checked),
        ("failing targets", failing),
    ] {
        let mut scenario = parse_scenario(&json.to_string()).expect(name);
        scenario.assertions = scenario
            .services
            .iter()
            .map(|service| AssertionEntry {
                name: None,
                assert: format!(
                    "always at least 0 healthy tasks of {}",
                    service.service_name
                ),
            })
            .collect();
        let compiled = compile_scenario(&scenario).expect(name);
        let mut world = World::from_compiled(&compiled);
        let mut monitor = Monitor::new(compiled.assertions.clone());
        while world
            .next_wakeup_at()
            .is_some_and(|at| at <= compiled.horizon)
        {
            world.step();
            monitor.observe(&world);
            for (service, counted) in world.services().iter().zip(monitor.counts()) {
                let scheduler = world
                    .tasks()
                    .iter()
                    .filter(|t| {
                        t.service == Some(service.id)
                            && t.desired_running
                            && t.counted_healthy
                            && !t.unhealthy
                    })
                    .count() as u32;
                let chart = crate::progress::deployment_progress(&world, service.id, 10)
                    .unwrap()
                    .samples
                    .last()
                    .unwrap()
                    .healthy;
                let context = format!("{name}, {} at {}", service.name, world.now());
                assert_eq!(counted, scheduler, "assertions: {context}");
                assert_eq!(chart, scheduler, "deployment chart: {context}");
            }
        }
        seen.push((name, world.trace()));
    }
    // The runs went through what the test is about.
    let lines = |name: &str, text: &str| {
        let (_, trace) = seen.iter().find(|(n, _)| *n == name).unwrap();
        trace.lines().filter(|line| line.contains(text)).count()
    };
    assert!(
        lines(
            "drained",
            "counts as healthy: its load balancer targets are healthy"
        ) >= 8
    );
    assert!(lines("drained", "is DRAINING") == 1);
    assert!(lines("container checks", "health HEALTHY") >= 6);
    assert!(lines("failing targets", "is unhealthy in (target-group") >= 2);
}

/// Observing after every step, and after a rewind, gives what one evaluation gives.
#[test]
fn incremental_evaluation_agrees_with_the_one_shot_form() {
    let sentences = [
        "never fewer than 3 healthy tasks of order",
        "the deployment of order started at 6m fails before 12m",
        "at 5m exactly 3 tasks of order RUNNING",
        "always at most 6 tasks of order",
        "order reaches a steady state before 1m",
        "the deployment of order completes",
    ];
    let mut scenario = builtin_scenario("cicd");
    scenario.assertions = sentences
        .iter()
        .map(|s| AssertionEntry {
            name: Some(format!("named {s}")),
            assert: s.to_string(),
        })
        .collect();
    let compiled = compile_scenario(&scenario).unwrap();
    let mut world = World::from_compiled(&compiled);
    let mut monitor = Monitor::new(compiled.assertions.clone());
    let mut checkpoint = None;
    for _ in 0..1_000_000 {
        if world.now() >= SimTime(20 * 60_000) || world.next_wakeup_at().is_none() {
            break;
        }
        world.step();
        monitor.observe(&world);
        if checkpoint.is_none() && world.now() >= SimTime(7 * 60_000) {
            checkpoint = Some(world.checkpoint());
        }
    }
    assert_eq!(monitor.conclude(), evaluate(&compiled.assertions, &world));
    assert!(monitor.conclude()[0].label.starts_with("named "));
    // Rewind to the checkpoint: the monitor notices and starts over.
    let earlier = checkpoint.unwrap().world().clone();
    monitor.observe(&earlier);
    assert_eq!(monitor.conclude(), evaluate(&compiled.assertions, &earlier));
}

#[test]
fn scenario_files_report_assertion_problems_with_their_paths() {
    let mut value: serde_json::Value =
        serde_json::from_str(builtin::find("rolling-fast").unwrap().json).unwrap();
    value["assertions"] = serde_json::json!([
        "never fewer than 4 healthy tasks of web",
        {"name": "", "assert": "at 5m at least 3 tasks of wbe"},
        {"assert": 3},
        {"asert": "x"},
        7
    ]);
    let text = value.to_string();
    let problems: Vec<String> = parse_scenario(&text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    expect![[r#"
        [
            "assertions[2].assert: expected a sentence (a string), found a number",
            "assertions[3].asert: unknown field; expected name or assert",
            "assertions[4]: expected a sentence or {\"name\": …, \"assert\": …}, found a number",
        ]
    "#]]
    .assert_debug_eq(&problems);
    // Shapes are checked first, as for every list; sentences when every shape is right.
    value["assertions"] = serde_json::json!([
        "never fewer than 4 healthy tasks of web",
        {"name": "", "assert": "at 5m at least 3 tasks of wbe"}
    ]);
    let text = value.to_string();
    let problems: Vec<String> = parse_scenario(&text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    expect![[r#"
        [
            "assertions[1].name: must not be empty; leave it out to show the sentence",
            "assertions[1].assert: no service or task-definition family named \"wbe\"; services: web; families: web at column 27",
        ]
    "#]].assert_debug_eq(&problems);
}

/// Random sentences from the language's own words (and a few strangers) never panic, errors
/// always point inside the sentence or just past it, and every sentence that parses reads back
/// to itself through its canonical text.
#[test]
fn random_sentences_never_panic_and_parsed_ones_read_back() {
    const WORDS: [&str; 48] = [
        "at",
        "least",
        "most",
        "exactly",
        "more",
        "fewer",
        "than",
        "no",
        "every",
        "always",
        "never",
        "the",
        "deployment",
        "of",
        "started",
        "completes",
        "fails",
        "before",
        "by",
        "reaches",
        "a",
        "steady",
        "state",
        "task",
        "tasks",
        "healthy",
        "RUNNING",
        "pending",
        "placed",
        "in",
        "on",
        "an",
        "instance",
        "type",
        "from",
        "after",
        "until",
        "between",
        "and",
        "web",
        "family",
        "group",
        "transcode",
        "us-east-1a",
        "m5.xlarge",
        "3",
        "5m",
        "é\u{0}<",
    ];
    let scenario = builtin_scenario("batch-jobs");
    let names = crate::scenario::assertion_names(&scenario);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: u64| {
        state = crate::hash::splitmix64(state);
        state % bound
    };
    const SEEDS: [&str; 6] = [
        "at 5m at least 3 tasks of web RUNNING in us-east-1a",
        "never fewer than 2 healthy tasks of web between 1m and 5m",
        "no task of group transcode placed on an instance of type m5.xlarge from 1m",
        "the deployment of web started at 0s completes before 3m",
        "web reaches a steady state before 2m",
        "always at most 4 tasks of family thumbnail PENDING until 9m",
    ];
    let mut parsed = 0;
    for _ in 0..20_000 {
        // Half random words, half a valid sentence with one word replaced, dropped or added.
        let mut words: Vec<&str> = if next(2) == 0 {
            (0..1 + next(12))
                .map(|_| WORDS[next(48) as usize])
                .collect()
        } else {
            SEEDS[next(6) as usize].split(' ').collect()
        };
        let at = next(words.len() as u64) as usize;
        match next(4) {
            0 => words[at] = WORDS[next(48) as usize],
            1 => drop(words.remove(at)),
            2 => words.insert(at, WORDS[next(48) as usize]),
            _ => {}
        }
        let sentence = words.join(" ");
        match parse(&sentence, &names) {
            Ok(claim) => {
                parsed += 1;
                assert_eq!(parse(&claim.to_string(), &names), Ok(claim), "{sentence}");
            }
            Err(error) => {
                let chars = sentence.chars().count() as u32;
                assert!(
                    error.column >= 1 && error.column <= chars + 1,
                    "{sentence}: {error}"
                );
            }
        }
    }
    assert!(
        parsed > 2_000,
        "many mutated sentences still parse: {parsed}"
    );
}
