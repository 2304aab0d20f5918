//! The comparison's figures (native): a side's figures per service and per Availability Zone,
//! where the events after the fork start and which ones the other side lacks; the headline
//! (fewest healthy and for how long, the deployment's finish, peak, unplaced tasks) and the
//! unplaced tasks of a service.

use flotilla_app::compare_figures::{
    fork_start, has_event, headline, logs_shared, policy_words, side_figures, task_counts,
    DeploymentOutcome, Headline,
};
use flotilla_app::unplaced::unplaced;
use flotilla_core::action::UpdateService;
use flotilla_core::builtin::default_scenario;
use flotilla_core::cluster::InstanceStatus;
use flotilla_core::progress::{progress, Window};
use flotilla_core::service::DeploymentConfiguration;
use flotilla_core::task::TaskState;
use flotilla_core::{parse_scenario, Action, SimTime, World};

fn world_at(ms: u64) -> World {
    let scenario = parse_scenario(default_scenario().json).expect("the default scenario is valid");
    let mut world = World::new(&scenario).expect("it builds");
    world.run_until(SimTime(ms));
    world
}

#[test]
fn a_lost_zone_shows_in_the_changed_side_only() {
    let fork = world_at(60_000);
    let fork_point = (fork.now(), fork.events().len());
    let mut this = fork.clone();
    let mut fork = fork;
    this.apply(&Action::FailAvailabilityZone {
        availability_zone: "us-east-1a".into(),
    })
    .expect("the zone has instances");
    this.run_until(SimTime(120_000));
    fork.run_until(SimTime(120_000));

    assert!(logs_shared(&fork, &this, fork_point.1));
    let (fork_since, this_since) = (
        fork_start(&fork, true, fork_point),
        fork_start(&this, true, fork_point),
    );
    assert_eq!((fork_since, this_since), (fork_point.1, fork_point.1));
    let (a, b) = (
        side_figures(&fork, fork_since),
        side_figures(&this, this_since),
    );
    let zone = |side: &flotilla_app::compare_figures::SideFigures| side.zones["us-east-1a"].clone();
    assert_eq!(zone(&a).instances.active, 2);
    assert_eq!(zone(&b).instances.inactive, 2);
    assert!(zone(&b).tasks.is_empty(), "no live task in a lost zone");
    assert!(zone(&b)
        .listed
        .iter()
        .all(|i| i.status == InstanceStatus::Inactive && i.tasks.is_empty()));
    // Every live task is counted once, in the zone of its instance.
    for (side, world) in [(&a, &fork), (&b, &this)] {
        let in_zones: u32 = side.zones.values().flat_map(|z| z.tasks.values()).sum();
        let live = world
            .tasks()
            .iter()
            .filter(|t| t.state != flotilla_core::task::TaskState::Stopped)
            .count();
        assert_eq!(in_zones as usize, live);
        let per_service: u32 = side.services.values().map(|s| s.running + s.pending).sum();
        assert!(per_service as usize <= live);
    }
    // The loss is the first event after the fork, and only this run has it.
    let loss = this
        .events()
        .get(this_since)
        .expect("an event after the fork");
    assert!(this.describe(loss).contains("us-east-1a"));
    assert!(!has_event(&fork, fork_since, loss));
    assert_eq!(b.events_since_fork, this.events().len() - fork_point.1);
    // An event both runs recorded is found on the other side.
    let shared = fork
        .events()
        .range(fork_since..)
        .iter()
        .find(|e| has_event(&this, this_since, e));
    assert!(shared.is_some() || fork.events().len() == fork_since);
}

#[test]
fn a_log_that_diverged_before_the_fork_starts_after_the_fork_time() {
    let world = world_at(120_000);
    // A fork point whose last event this log does not have: only the time counts.
    let fork_point = (SimTime(60_000), world.events().len() + 5);
    let other = world_at(60_000);
    assert!(!logs_shared(&world, &other, fork_point.1));
    let start = fork_start(&world, false, fork_point);
    assert!(world
        .events()
        .range(start..)
        .iter()
        .all(|e| e.at > SimTime(60_000)));
    assert!(world
        .events()
        .range(..start)
        .iter()
        .all(|e| e.at <= SimTime(60_000)));
}

fn builtin_world(id: &str) -> World {
    let builtin = flotilla_core::builtin::find(id).expect("a built-in scenario");
    let scenario = parse_scenario(builtin.json).expect("the built-in scenario is valid");
    World::new(&scenario).expect("it builds")
}

fn headlines(fork: &World, this: &World, fork_point: (SimTime, usize)) -> (Headline, Headline) {
    let shared = logs_shared(fork, this, fork_point.1);
    let (a, b) = (
        fork_start(fork, shared, fork_point),
        fork_start(this, shared, fork_point),
    );
    (
        headline(fork, a, fork_point.0, (this, b)),
        headline(this, b, fork_point.0, (fork, a)),
    )
}

/// Issue 13 item 15's example: rolling 50/100 against 0/100 — the 0 % run has no healthy task
/// for about 54 s and finishes at 2:54 instead of 3:48; the two sides' policies say why.
#[test]
fn the_headline_shows_what_a_lower_minimum_costs_and_saves() {
    let mut fork = builtin_world("rolling-minimal-cost");
    fork.run_until(SimTime(60_000));
    let fork_point = (fork.now(), fork.events().len());
    let mut this = fork.clone();
    this.apply(&Action::UpdateService(UpdateService {
        service: "web".into(),
        deployment_configuration: Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(0),
            ..DeploymentConfiguration::default()
        }),
        ..UpdateService::default()
    }))
    .expect("the update applies");
    for world in [&mut fork, &mut this] {
        world.run_until(SimTime(240_000));
    }
    let (a, b) = headlines(&fork, &this, fork_point);
    let (a, b) = (&a.services["web"], &b.services["web"]);
    assert_eq!(a.policy, "rolling min 50 % / max 100 %");
    assert_eq!(b.policy, "rolling min 0 % / max 100 %");
    assert_eq!((a.fewest_healthy, b.fewest_healthy), (2, 0));
    assert_eq!(
        (a.peak, b.peak),
        (4, 4),
        "max 100 % never starts an extra task"
    );
    assert_eq!((a.unplaced, b.unplaced), (0, 0));
    assert_eq!(
        a.deployment,
        Some(DeploymentOutcome::Finished {
            started: SimTime(120_000),
            at: SimTime(228_000)
        }),
        "50 %: two rounds, finished at 3:48"
    );
    assert_eq!(
        b.deployment,
        Some(DeploymentOutcome::Finished {
            started: SimTime(120_000),
            at: SimTime(174_000)
        }),
        "0 %: one round, finished at 2:54"
    );
    assert_eq!(b.fewest_healthy_ms, 54_000, "no healthy task for 54 s");
    assert!(
        a.fewest_healthy_ms >= 2 * 50_000,
        "two rounds at half capacity: {} ms",
        a.fewest_healthy_ms
    );
    // Before the fork both were the same run; only the changed one's deployment differs after.
    let (ha, hb) = headlines(&fork, &this, fork_point);
    assert!(ha.events_only_here > 0 && hb.events_only_here > 0);
}

/// The headline counts healthy and PENDING-or-RUNNING tasks as the deployment chart does:
/// for every service of several built-ins and windows, its fewest and peak equal
/// `progress::progress`'s over the same window.
#[test]
fn the_headline_counts_as_the_deployment_chart_does() {
    for id in [
        "rolling-fast",
        "rolling-minimal-cost",
        "cicd",
        "microservices",
    ] {
        let mut world = builtin_world(id);
        for (from_ms, until_ms) in [(0, 30_000), (60_000, 200_000), (125_000, 400_000)] {
            world.run_until(SimTime(until_ms));
            let figures = headline(&world, 0, SimTime(from_ms), (&world, 0));
            assert_eq!(figures.events_only_here, 0, "{id}: a world against itself");
            for service in world.services() {
                if service.is_daemon() {
                    continue;
                }
                let chart = progress(
                    &Window {
                        service: service.id,
                        from: SimTime(from_ms),
                        until: world.now(),
                        minimum_healthy_percent: service.minimum_healthy_percent(),
                        maximum_percent: service.maximum_percent(),
                    },
                    &world,
                    usize::MAX / 2,
                );
                let ours = &figures.services[&service.name];
                let at = format!("{id} {} {from_ms}..{until_ms}", service.name);
                assert_eq!(ours.fewest_healthy, chart.fewest_healthy.count, "{at}");
                assert_eq!(ours.peak, chart.peak.count, "{at}");
                // The time at the fewest is the chart's samples at that count, each held
                // until the next one.
                let mut ms = 0;
                for pair in chart.samples.windows(2) {
                    if pair[0].healthy == ours.fewest_healthy {
                        ms += pair[1].at.as_ms() - pair[0].at.as_ms().max(from_ms);
                    }
                }
                assert_eq!(ours.fewest_healthy_ms, ms, "{at}");
            }
        }
    }
}

/// A task that cannot be placed is counted, with the closest instance and why.
#[test]
fn a_service_that_cannot_place_a_task_says_how_many_and_why() {
    let scenario = parse_scenario(
        r#"{"version":1,"name":"Too small","seed":1,
        "fleet":[{"instanceType":"m5.large","availabilityZone":"us-east-1a","count":1}],
        "taskDefinitions":[{"family":"web","containerDefinitions":[{"name":"web","image":"x","cpu":1024,"memory":1024}]}],
        "services":[{"serviceName":"web","taskDefinition":"web:1","desiredCount":3}]}"#,
    )
    .expect("valid");
    let mut world = World::new(&scenario).expect("it builds");
    let web = world.services()[0].id;
    assert_eq!(unplaced(&world, web), None, "nothing tried yet");
    world.run_until(SimTime(30_000));
    let missing = unplaced(&world, web).expect("one task does not fit");
    assert_eq!(missing.count, 1);
    assert_eq!(missing.headline(), "1 task could not be placed");
    let closest = &world.instances()[0].ec2_instance_id;
    assert_eq!(
        missing.reason,
        format!(
            "The closest matching container-instance {closest} has insufficient CPU units available"
        )
    );
    // Scaled to what fits, nothing is missing any more.
    world
        .apply(&Action::UpdateService(UpdateService {
            service: "web".into(),
            desired_count: Some(2),
            ..UpdateService::default()
        }))
        .expect("applies");
    world.run_until(SimTime(60_000));
    assert_eq!(unplaced(&world, web), None);
    let figures = headline(&world, 0, SimTime(0), (&world, 0));
    assert_eq!(figures.services["web"].unplaced, 0);
}

/// A deployment the circuit breaker failed and rolled back: the headline counts the failure and
/// the deployment it shows is the rollback, from the failure to its completion (cicd: order:3
/// fails at 6:20, the rollback to order:2 completes at 7:24).
#[test]
fn a_failed_deployment_is_counted_and_the_rollback_is_the_one_shown() {
    let mut world = builtin_world("cicd");
    world.run_until(SimTime(480_000));
    let figures = headline(&world, 0, SimTime(300_000), (&world, 0));
    let order = &figures.services["order"];
    assert_eq!(order.failed_deployments, 1);
    assert_eq!(
        order.deployment,
        Some(DeploymentOutcome::Finished {
            started: SimTime(380_000),
            at: SimTime(444_000)
        })
    );
    // Seen from after the failure, no failure is in the window.
    let later = headline(&world, 0, SimTime(400_000), (&world, 0));
    assert_eq!(later.services["order"].failed_deployments, 0);
    // The service's first deployment, before any new one: it finished at 1:01.
    let mut early = builtin_world("cicd");
    early.run_until(SimTime(119_000));
    let figures = headline(&early, 0, SimTime(0), (&early, 0));
    assert_eq!(
        figures.services["order"].deployment,
        Some(DeploymentOutcome::Finished {
            started: SimTime(0),
            at: SimTime(61_000)
        })
    );
}

/// The policy in words names what a deployment of the service does: its bounds, and the circuit
/// breaker or alarms when it has them; a DAEMON service says so.
#[test]
fn the_policy_in_words_names_bounds_breaker_alarms_and_daemon() {
    let cicd = builtin_world("cicd");
    assert_eq!(
        policy_words(&cicd.services()[0]),
        "rolling min 100 % / max 200 %, circuit breaker with rollback"
    );
    let scenario = parse_scenario(
        r#"{"version":1,"name":"Policies","seed":1,
        "fleet":[{"instanceType":"m5.large","availabilityZone":"us-east-1a","count":1}],
        "taskDefinitions":[{"family":"web","containerDefinitions":[{"name":"web","image":"x","cpu":128,"memory":128}]}],
        "services":[
          {"serviceName":"agent","taskDefinition":"web:1","schedulingStrategy":"DAEMON"},
          {"serviceName":"web","taskDefinition":"web:1","desiredCount":1,
           "deploymentConfiguration":{"minimumHealthyPercent":50,"maximumPercent":150,
             "alarms":{"alarmNames":["web-5xx"],"enable":true,"rollback":true}}}]}"#,
    )
    .expect("valid");
    let world = World::new(&scenario).expect("it builds");
    assert_eq!(
        policy_words(&world.services()[0]),
        "daemon, rolling min 0 % / max 100 %"
    );
    assert_eq!(
        policy_words(&world.services()[1]),
        "rolling min 50 % / max 150 %, alarms (web-5xx)"
    );
}

/// `task_counts` reads a service's live tasks; after every step of a run that launches, stops
/// (a lost zone) and replaces tasks it equals a count over all of the world's tasks.
#[test]
fn task_counts_from_live_tasks_equal_a_count_over_every_task() {
    let mut world = world_at(30_000);
    world
        .apply(&Action::FailAvailabilityZone {
            availability_zone: "us-east-1a".into(),
        })
        .expect("the zone has instances");
    let mut stopped_seen = false;
    for _ in 0..20_000 {
        if world.now() > SimTime(300_000) || world.step().is_empty() {
            break;
        }
        for service in world.services() {
            let mut expected = (0, 0);
            for task in world
                .tasks()
                .iter()
                .filter(|t| t.service == Some(service.id) && t.desired_running)
            {
                match task.state {
                    TaskState::Running => expected.0 += 1,
                    TaskState::Provisioning | TaskState::Pending | TaskState::Activating => {
                        expected.1 += 1
                    }
                    _ => {}
                }
            }
            assert_eq!(
                task_counts(&world, service.id),
                expected,
                "service {} at {}",
                service.name,
                world.now()
            );
        }
        stopped_seen |= world.tasks().iter().any(|t| t.state == TaskState::Stopped);
    }
    assert!(
        stopped_seen,
        "the lost zone stopped tasks, so stopped ones were skipped"
    );
}
