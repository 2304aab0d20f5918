//! World snapshots (`World::to_snapshot` / `World::from_snapshot`): snapshot → restore →
//! continue gives the identical trace to the uninterrupted run, for every corpus scenario at
//! several cut points; a restored world encodes to the same bytes; broken bytes are typed
//! errors, never a panic. Also prints the snapshot's size at 1,000 instances / 10,000 tasks
//! (`cargo test -p flotilla-tests snapshot -- --nocapture`; timings are in flotilla-bench).

use flotilla_core::{parse_scenario, SimTime, SnapshotError, World};
use flotilla_tests::corpus;

fn world_of(text: &str) -> World {
    let scenario = parse_scenario(text).expect("corpus scenario is valid");
    World::new(&scenario).expect("corpus scenario builds")
}

/// Where runs of the scenario stop (its `duration`).
fn horizon_of(text: &str) -> SimTime {
    parse_scenario(text)
        .expect("corpus scenario is valid")
        .horizon()
}

/// Encodes, decodes, checks the bytes are stable, and returns the decoded world.
fn through_snapshot(world: &World) -> World {
    let bytes = world.to_snapshot();
    let restored = World::from_snapshot(&bytes).expect("a fresh snapshot decodes");
    assert_eq!(
        restored.to_snapshot(),
        bytes,
        "a restored world must encode to the same bytes"
    );
    restored
}

#[test]
fn snapshot_restore_and_continue_gives_the_identical_trace_for_every_corpus_scenario() {
    for (name, path) in corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let horizon = horizon_of(&text);
        let mut reference = world_of(&text);
        reference.run_until(horizon);
        let expected = reference.trace();
        let total = reference.events().len();
        let end = reference.now();

        // Cut after a number of steps (between events, queue part-drained) ...
        for fraction in [0, 1, 2, 3] {
            let mut world = world_of(&text);
            while world.events().len() < total * fraction / 4 && !world.step().is_empty() {}
            let mut restored = through_snapshot(&world);
            restored.run_until(horizon);
            assert_eq!(
                restored.trace(),
                expected,
                "{name}: cut after {} events diverged",
                world.events().len()
            );
        }
        // ... and at times (the clock run past the last wake-up, as the app's jumps leave it).
        for part in [1, 2, 3] {
            let at = SimTime(end.as_ms() * part / 4 + 1);
            let mut world = world_of(&text);
            world.run_until(at);
            let mut restored = through_snapshot(&world);
            assert_eq!(restored.now(), at);
            restored.run_until(horizon);
            assert_eq!(restored.trace(), expected, "{name}: cut at {at} diverged");
        }
    }
}

#[test]
fn snapshots_keep_batch_records() {
    let (_, path) = corpus()
        .into_iter()
        .find(|(name, _)| name == "batch-jobs")
        .expect("the batch-jobs built-in");
    let text = std::fs::read_to_string(path).expect("readable");
    let mut world = world_of(&text);
    world.run_until(horizon_of(&text));
    assert!(world.batches().iter().any(|b| !b.started.is_empty()));
    let restored = through_snapshot(&world);
    assert_eq!(
        format!("{:?}", restored.batches()),
        format!("{:?}", world.batches())
    );
}

#[test]
fn broken_snapshots_are_typed_errors_never_panics() {
    let mut world = world_of(flotilla_core::builtin::default_scenario().json);
    world.run_until(SimTime::from_secs(120));
    let bytes = world.to_snapshot();

    assert_eq!(
        World::from_snapshot(b"").err(),
        Some(SnapshotError::NotASnapshot)
    );
    assert_eq!(
        World::from_snapshot(b"{\"version\":1}").err(),
        Some(SnapshotError::NotASnapshot)
    );
    let mut other_version = bytes.clone();
    other_version[4] = 99;
    assert!(matches!(
        World::from_snapshot(&other_version),
        Err(SnapshotError::UnsupportedVersion { found: 99, .. })
    ));
    // Every truncation, and a stray byte at the end.
    for length in 0..bytes.len() {
        assert!(
            World::from_snapshot(&bytes[..length]).is_err(),
            "a snapshot cut to {length} bytes decoded"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        World::from_snapshot(&longer),
        Err(SnapshotError::Truncated { .. })
    ));
    // A flipped bit anywhere in the payload is caught.
    for position in (22..bytes.len()).step_by(97) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0x10;
        assert_eq!(
            World::from_snapshot(&flipped).err(),
            Some(SnapshotError::ChecksumMismatch),
            "flipped byte {position}"
        );
    }
    // A payload that passes the checksum but is not a world: a typed decode error.
    let mut forged = bytes[..22].to_vec();
    let payload = [0xffu8; 64];
    forged[6..14].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    let checksum = flotilla_core::hash::fnv1a_64(&payload);
    forged[14..22].copy_from_slice(&checksum.to_le_bytes());
    forged.extend_from_slice(&payload);
    assert!(matches!(
        World::from_snapshot(&forged),
        Err(SnapshotError::Corrupt(_))
    ));
}

/// The scale the web app's long jumps are built for: 1,000 instances, 10 services of 1,000 tasks.
pub fn large_fleet_scenario() -> String {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let fleet: Vec<String> = zones
        .iter()
        .enumerate()
        .map(|(i, zone)| {
            let count = 1000 / 3 + usize::from(i < 1000 % 3);
            format!(
                r#"{{"instanceType":"m5.4xlarge","availabilityZone":"{zone}","count":{count}}}"#
            )
        })
        .collect();
    let families: Vec<String> = (0..10)
        .map(|i| format!(r#"{{"family":"svc{i}","containerDefinitions":[{{"name":"app","image":"example.com/app:1","cpu":128,"memory":256}}]}}"#))
        .collect();
    let services: Vec<String> = (0..10)
        .map(|i| {
            format!(r#"{{"serviceName":"svc{i}","taskDefinition":"svc{i}:1","desiredCount":1000}}"#)
        })
        .collect();
    format!(
        r#"{{"version":1,"name":"Scale","seed":1,"fleet":[{}],"taskDefinitions":[{}],"services":[{}]}}"#,
        fleet.join(","),
        families.join(","),
        services.join(",")
    )
}

#[test]
fn snapshot_of_a_large_fleet_round_trips_and_reports_its_size() {
    let mut world = world_of(&large_fleet_scenario());
    world.run_until(SimTime::from_secs(120));
    assert_eq!(
        world
            .tasks()
            .iter()
            .filter(|t| t.state == flotilla_core::task::TaskState::Running)
            .count(),
        10_000
    );
    let bytes = world.to_snapshot();
    let mut restored = World::from_snapshot(&bytes).expect("decodes");
    // Timings: `cargo run --release -p flotilla-bench` (tests do not read clocks).
    eprintln!(
        "snapshot at 1,000 instances / 10,000 tasks, {} events: {} bytes",
        world.events().len(),
        bytes.len()
    );
    world.run_until(SimTime::from_secs(600));
    restored.run_until(SimTime::from_secs(600));
    assert_eq!(restored.trace(), world.trace());
}

/// The web app runs long jumps in slices (a world paused inside a moment is resumed later):
/// slicing, pausing and resuming (here also through a snapshot) must pop exactly what one `run_until` pops,
/// and every pause is a moment `run_until` itself could have stopped at.
#[test]
fn sliced_runs_through_snapshots_equal_one_run_until() {
    for (name, path) in corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let target = horizon_of(&text);
        let mut reference = world_of(&text);
        reference.run_until(target);
        let expected = reference.trace();
        for slice in [1, 3, 50] {
            let mut world = world_of(&text);
            let mut popped = 0;
            let mut pauses = 0;
            loop {
                let report = world.run_until_sliced(target, slice, popped);
                popped += report.wakeups;
                match report.end {
                    flotilla_core::SliceEnd::Reached => break,
                    flotilla_core::SliceEnd::Bounded(bound) => panic!("{name}: {bound}"),
                    flotilla_core::SliceEnd::Paused => {
                        pauses += 1;
                        let mut alone = world_of(&text);
                        alone.run_until(world.now());
                        assert_eq!(
                            alone.to_snapshot(),
                            world.to_snapshot(),
                            "{name}: a pause at {} is not what run_until leaves there",
                            world.now()
                        );
                        world = through_snapshot(&world);
                    }
                }
            }
            assert!(slice > 1 || pauses > 0 || reference.events().len() < 3);
            assert_eq!(world.now(), target);
            assert_eq!(
                world.trace(),
                expected,
                "{name}: slices of {slice} diverged"
            );
        }
    }
}

/// The page's share of a jump pauses inside moments too (`run_until_partly`); continuing from
/// such a pause, through a snapshot, still pops exactly what one `run_until` pops.
#[test]
fn runs_paused_inside_moments_continue_exactly_through_snapshots() {
    for (name, path) in corpus() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable");
        let target = horizon_of(&text);
        let mut reference = world_of(&text);
        reference.run_until(target);
        let mut world = world_of(&text);
        let mut popped = 0;
        loop {
            let report = world.run_until_partly(target, 2, popped);
            popped += report.wakeups;
            if report.end != flotilla_core::SliceEnd::Paused {
                break;
            }
            world = through_snapshot(&world);
        }
        assert_eq!(world.trace(), reference.trace(), "{name} diverged");
    }
}
