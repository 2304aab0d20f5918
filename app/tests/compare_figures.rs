//! The comparison's figures (native): a side's figures per service and per Availability Zone,
//! where the events after the fork start and which ones the other side lacks.

use flotilla_app::compare_figures::{fork_start, has_event, logs_shared, side_figures};
use flotilla_core::builtin::default_scenario;
use flotilla_core::cluster::InstanceStatus;
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
