//! The deployment chart's series (`progress::deployment_progress`): after every step of
//! deployment scenarios, its counts at "now" equal what the world itself counts; thinning keeps
//! the extremes; the rolling-fast deployment reads as the source talk tells it.

use expect_test::expect;
use flotilla_core::builtin::find;
use flotilla_core::progress::deployment_progress;
use flotilla_core::service::ServiceId;
use flotilla_core::task::TaskState;
use flotilla_core::{deploy, parse_scenario, World};

fn world(json: &str) -> World {
    World::new(&parse_scenario(json).expect("valid")).expect("world builds")
}

/// The series' last sample against the world's own counts, for every REPLICA service.
fn check_against_the_world(world: &World, context: &str) {
    for service in world.services().iter().filter(|s| !s.is_daemon()) {
        let progress = deployment_progress(world, service.id, 50).expect("a PRIMARY deployment");
        let last = progress.samples.last().expect("samples");
        assert_eq!(last.at, world.now(), "{context}");
        let live = world
            .tasks()
            .iter()
            .filter(|t| t.service == Some(service.id) && t.state != TaskState::Stopped);
        let wanted = live.clone().filter(|t| t.desired_running);
        let healthy = wanted
            .clone()
            .filter(|t| t.counted_healthy && !t.unhealthy)
            .count() as u32;
        assert_eq!(last.healthy, healthy, "{context}: {} healthy", service.name);
        assert_eq!(
            last.running_or_pending,
            wanted.count() as u32,
            "{context}: {} PENDING or RUNNING",
            service.name
        );
        for (revision, running) in progress.revisions.iter().zip(&last.running) {
            let truth = live
                .clone()
                .filter(|t| t.task_definition == *revision && t.state == TaskState::Running)
                .count() as u32;
            assert_eq!(*running, truth, "{context}: {} {revision}", service.name);
        }
        let bounds = deploy::bounds(
            service.desired_count,
            service.minimum_healthy_percent(),
            service.maximum_percent(),
        );
        assert_eq!(
            (last.minimum_healthy, last.maximum),
            (bounds.min_healthy, bounds.max_tasks)
        );
        assert!(
            progress.samples.len() <= 51,
            "{context}: thinned to 50 spans"
        );
    }
}

#[test]
fn the_series_ends_at_what_the_world_counts_after_every_step() {
    for id in [
        "rolling-fast",
        "rolling-minimal-cost",
        "cicd",
        "microservices",
    ] {
        let json = find(id).expect("built-in").json;
        let horizon = parse_scenario(json).expect("valid").horizon();
        let mut world = world(json);
        for step in 0..5_000 {
            check_against_the_world(&world, &format!("{id} step {step}"));
            if world.next_wakeup_at().is_none_or(|at| at > horizon) {
                break;
            }
            world.step();
        }
    }
}

/// The same for the load-balancer corpus: targets decide when a task counts healthy and
/// when it is unhealthy (§3.4, §5.1).
#[test]
fn the_series_follows_load_balancer_health_after_every_step() {
    for name in [
        "discovery-registration-timing",
        "discovery-fail-open",
        "discovery-elb-unhealthy-replacement",
    ] {
        let path = flotilla_tests::repo_root().join(format!("tests/corpus/{name}.json"));
        let json = std::fs::read_to_string(path).expect("corpus scenario reads");
        let horizon = parse_scenario(&json).expect("valid").horizon();
        let mut world = world(&json);
        for step in 0..5_000 {
            check_against_the_world(&world, &format!("{name} step {step}"));
            if world.next_wakeup_at().is_none_or(|at| at > horizon) {
                break;
            }
            world.step();
        }
    }
}

#[test]
fn unhealthy_and_crashing_tasks_leave_the_healthy_count() {
    let json = r#"{"version": 1, "name": "flaky", "seed": 4,
        "fleet": [{"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 3}],
        "taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "web:1",
            "cpu": 256, "memory": 256,
            "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 10, "timeout": 2, "retries": 1}}]}],
        "revisionBehaviour": [{"taskDefinition": "web:1", "healthCheckFailurePercent": 50, "crashAfter": "3m"}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 3,
            "healthCheckGracePeriodSeconds": 30}]}"#;
    let mut world = world(json);
    let horizon = flotilla_core::SimTime(15 * 60 * 1000);
    for step in 0..3_000 {
        check_against_the_world(&world, &format!("flaky step {step}"));
        if world.next_wakeup_at().is_none_or(|at| at > horizon) {
            break;
        }
        world.step();
    }
}

#[test]
fn a_fast_rolling_deployment_keeps_four_healthy_and_peaks_at_eight() {
    let json = find("rolling-fast").expect("built-in").json;
    let mut world = world(json);
    world.run_until(parse_scenario(json).expect("valid").horizon());
    let web = ServiceId(0);
    let progress = deployment_progress(&world, web, 200).expect("progress");
    expect!["fewest healthy 4 (minimum 4) at 00:02:00.000; peak 8 (maximum 8) at 00:02:00.000"]
        .assert_eq(&progress.summary());
    let revisions: Vec<String> = progress.revisions.iter().map(|r| r.to_string()).collect();
    assert_eq!(revisions, ["web:1", "web:2"]);
    let first = &progress.samples[0];
    assert_eq!(first.running, [4, 0], "the window opens with the old tasks");
    let last = progress.samples.last().expect("samples");
    assert_eq!(last.running, [0, 4], "and ends with the new ones");
    let thin = deployment_progress(&world, web, 3).expect("progress");
    assert!(thin.samples.len() <= 4, "{:?}", thin.samples);
    assert_eq!(
        thin.summary(),
        progress.summary(),
        "thinning keeps the extremes"
    );
    assert_eq!(
        thin.samples.iter().map(|s| s.healthy).min(),
        progress.samples.iter().map(|s| s.healthy).min()
    );
    assert_eq!(
        thin.samples.iter().map(|s| s.running_or_pending).max(),
        progress.samples.iter().map(|s| s.running_or_pending).max()
    );
}

#[test]
fn a_first_deployment_starts_from_the_service_as_created() {
    let mut world = world(find("microservices").expect("built-in").json);
    world.run_until(flotilla_core::SimTime(60_000));
    let order = ServiceId(0);
    let progress = deployment_progress(&world, order, 100).expect("progress");
    let first = &progress.samples[0];
    assert_eq!(first.at, flotilla_core::SimTime::ZERO);
    assert_eq!(
        (
            first.minimum_healthy,
            first.maximum,
            first.running_or_pending
        ),
        (3, 6, 3),
        "the bounds of desired 3 at 100 %/200 %, with the first three tasks placed"
    );
    expect!["fewest healthy 0 (minimum 3) at 00:00:00.000; peak 3 (maximum 6) at 00:00:00.000"]
        .assert_eq(&progress.summary());
}
