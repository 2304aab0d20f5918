//! Tests of the traffic tick: conservation over random snapshots, each hazard cause from a
//! small routing picture, counters, determinism and allocation-free steady state.

use super::*;
use crate::hash::splitmix64;
use crate::rng::Stream;
use crate::scenario::Clients;
use crate::traffic::dns_cache::RecordVersion;
use crate::traffic::flow::{Algorithm, Forward, RecordSet, Route, Rule, Target, TargetGroup};
use crate::traffic::profile::Profile;
use crate::traffic::revision::TrafficBehaviour;

fn target(state: TargetState, revision: u32) -> Target {
    Target {
        state,
        task_stopped: false,
        revision,
        state_since_ms: 0,
        draining_until_ms: 0,
    }
}

/// One listener rule forwarding to `groups` (weights), each group with its targets.
fn listener(rate: u32, groups: &[(u32, Vec<Target>)]) -> RoutingSnapshot {
    let mut snapshot = RoutingSnapshot {
        routes: vec![Route {
            entry: Entry::Rule(0),
            rate: RateSource::Profile {
                profile: Profile::Constant { rate },
                from_ms: 0,
            },
        }],
        rules: vec![Rule {
            forwards_start: 0,
            forwards_len: groups.len() as u32,
        }],
        revisions: vec![
            TrafficBehaviour::default(),
            TrafficBehaviour {
                error_rate_basis_points: 200,
                ..TrafficBehaviour::default()
            },
        ],
        clients: Clients::default(),
        ..RoutingSnapshot::default()
    };
    for (index, (weight, targets)) in groups.iter().enumerate() {
        snapshot.forwards.push(Forward {
            group: index as u32,
            weight: *weight,
        });
        snapshot.groups.push(TargetGroup {
            members_start: snapshot.members.len() as u32,
            members_len: targets.len() as u32,
            algorithm: Algorithm::RoundRobin,
            slow_start_ms: 0,
            deleted: false,
        });
        for target in targets {
            snapshot.members.push(snapshot.targets.len() as u32);
            snapshot.targets.push(*target);
        }
    }
    snapshot
}

fn rng() -> SimRng {
    SimRng::stream(42, Stream::Traffic)
}

fn run(
    snapshot: &RoutingSnapshot,
    seconds: std::ops::Range<u64>,
    state: &mut TrafficState,
) -> TickSummary {
    let mut rng = rng();
    let mut total = TickSummary::default();
    for second in seconds {
        let summary = tick(SimTime::from_secs(second), snapshot, state, &mut rng);
        assert_eq!(summary.classes(), summary.requests);
        total.requests += summary.requests;
        total.count_2xx += summary.count_2xx;
        total.target_5xx += summary.target_5xx;
        total.elb_5xx += summary.elb_5xx;
        total.dns_failures += summary.dns_failures;
        total.hazards_open = summary.hazards_open;
    }
    total
}

#[test]
fn an_entry_point_sends_nothing_before_its_start() {
    let mut snapshot = listener(100, &[(1, vec![target(TargetState::Healthy, 0)])]);
    snapshot.routes[0].rate = RateSource::Profile {
        profile: Profile::Constant { rate: 100 },
        from_ms: 30_000,
    };
    let mut state = TrafficState::default();
    let before = run(&snapshot, 0..30, &mut state);
    assert_eq!(before.requests, 0, "{before:?}");
    run(&snapshot, 30..121, &mut state);
    let first = state.counters.route(0, 0).expect("minute 0 closed at 60 s");
    let second = state
        .counters
        .route(1, 0)
        .expect("minute 1 closed at 120 s");
    // Seconds 30-59 of the first minute at about 100 a second (the model's noise around the
    // rate), all sixty of the second.
    assert!(first.requests.abs_diff(3_000) < 150, "{first:?}");
    assert!(second.requests.abs_diff(6_000) < 300, "{second:?}");
}

#[test]
fn healthy_targets_serve_everything_and_a_bad_revision_answers_its_5xx_share() {
    let snapshot = listener(
        100,
        &[(
            1,
            vec![
                target(TargetState::Healthy, 0),
                target(TargetState::Healthy, 1),
            ],
        )],
    );
    let mut state = TrafficState::default();
    let total = run(&snapshot, 0..120, &mut state);
    assert_eq!(total.elb_5xx + total.dns_failures, 0);
    assert!(state.hazards.all().next().is_none());
    let minute = state.counters.group(0, 0).expect("minute 0 closed at 60 s");
    // Half the requests reach the 2 % revision: about 1 % of all are its 5xx, exactly 2 % of
    // what it served (carried remainders).
    assert_eq!(minute.requests, minute.count_2xx + minute.target_5xx);
    let served_by_bad = minute.requests / 2;
    assert!(
        minute.target_5xx.abs_diff(served_by_bad / 50) <= 2,
        "{minute:?}"
    );
    assert_eq!(minute.healthy_hosts, 2);
    assert!((state.target_load_per_second(0) - 50.0).abs() < 5.0);
    let route = state.counters.route(0, 0).unwrap();
    assert_eq!(route.requests, minute.requests);
}

#[test]
fn a_stopped_task_still_registered_gets_502s_and_a_hazard_interval() {
    let mut stopped = target(TargetState::Healthy, 0);
    stopped.task_stopped = true;
    let mut snapshot = listener(
        90,
        &[(
            1,
            vec![
                target(TargetState::Healthy, 0),
                target(TargetState::Healthy, 0),
                stopped,
            ],
        )],
    );
    let mut state = TrafficState::default();
    let mut rng = rng();
    for second in 0..10 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    // The target is deregistered at 10 s: the hazard ends at 9 s.
    snapshot.targets[2].state = TargetState::Gone;
    snapshot.targets[2].task_stopped = true;
    for second in 10..20 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    let hazards: Vec<_> = state.hazards.all().copied().collect();
    assert_eq!(hazards.len(), 1, "{hazards:?}");
    assert_eq!(
        hazards[0].cause,
        HazardCause::TaskStoppedWhileRegistered { target: 2 }
    );
    assert_eq!((hazards[0].start_s, hazards[0].end_s), (0, 9));
    assert!((250..350).contains(&hazards[0].requests), "{hazards:?}");
}

#[test]
fn an_empty_group_gets_503s_and_an_all_unhealthy_group_fails_open() {
    let snapshot = listener(
        100,
        &[
            (1, vec![]),
            (
                1,
                vec![
                    target(TargetState::Unhealthy, 0),
                    target(TargetState::Draining, 0),
                ],
            ),
        ],
    );
    let mut state = TrafficState::default();
    let total = run(&snapshot, 0..61, &mut state);
    let causes: Vec<HazardCause> = state.hazards.all().map(|h| h.cause).collect();
    assert_eq!(
        causes,
        [
            HazardCause::EmptyTargetGroup { group: 0 },
            HazardCause::AllTargetsUnhealthy { group: 1 }
        ]
    );
    // Half get 503 from the load balancer; the other half reach the unhealthy target.
    // (Each second's split is within one of half; over a minute the sum wanders a little.)
    assert!(
        total.elb_5xx.abs_diff(total.requests / 2) <= 10,
        "{total:?}"
    );
    assert_eq!(
        state.target_received(1),
        0,
        "a draining target receives nothing new"
    );
    let minute = state.counters.group(0, 1).unwrap();
    assert_eq!((minute.healthy_hosts, minute.unhealthy_hosts), (0, 1));
}

#[test]
fn clients_follow_a_weight_change_as_their_caches_expire() {
    // api.example.com: blue (rule 0 → group 0) 100 / green (rule 1 → group 1) 0, then at
    // 60 s 0 / 100 with TTL 60 s; then blue's group empties at 90 s.
    let mut snapshot = listener(
        200,
        &[
            (1, vec![target(TargetState::Healthy, 0)]),
            (1, vec![target(TargetState::Healthy, 0)]),
        ],
    );
    snapshot.rules = vec![
        Rule {
            forwards_start: 0,
            forwards_len: 1,
        },
        Rule {
            forwards_start: 1,
            forwards_len: 1,
        },
    ];
    snapshot.routes[0].entry = Entry::Dns(0);
    snapshot.record_sets = vec![RecordSet {
        ttl_ms: 60_000,
        answers_start: 0,
        answers_len: 2,
        versions_start: 0,
        versions_len: 2,
    }];
    snapshot.answers = vec![Answer::Rule(0), Answer::Rule(1)];
    snapshot.record_versions = vec![
        RecordVersion {
            since_ms: 0,
            weights_start: 0,
            weights_len: 2,
        },
        RecordVersion {
            since_ms: 60_000,
            weights_start: 2,
            weights_len: 2,
        },
    ];
    snapshot.record_weights = vec![100, 0, 0, 100];
    snapshot.clients = Clients {
        long_cache_percent: 10,
        long_cache_multiplier: 10,
    };
    let mut state = TrafficState::default();
    let mut rng = rng();
    for second in 0..90 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    // 30 s after the change about half the clients have moved to green.
    let green_share = f64::from(state.target_received(1))
        / f64::from(state.target_received(0) + state.target_received(1));
    assert!((green_share - 0.45).abs() < 0.1, "{green_share}");
    snapshot.targets[0].state = TargetState::Gone;
    for second in 90..800 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    let hazards: Vec<_> = state.hazards.all().copied().collect();
    let stale = HazardCause::StaleDnsAnswer {
        record_set: 0,
        answer: 0,
    };
    assert!(hazards.iter().all(|h| h.cause == stale), "{hazards:?}");
    assert_eq!(hazards[0].start_s, 90);
    // The long-caching tenth keeps blue until 60 s + 600 s; near the end its share is under
    // one request a second, so the last seconds come as short separate intervals.
    let last = hazards.last().unwrap();
    assert!((600..=660).contains(&last.end_s), "{hazards:?}");
    assert!(hazards[0].end_s > 500, "{hazards:?}");
}

#[test]
fn a_short_deregistration_delay_cuts_slow_requests_in_flight() {
    let mut draining = target(TargetState::Healthy, 2);
    let mut snapshot = listener(100, &[(1, vec![draining])]);
    snapshot.revisions.push(TrafficBehaviour {
        latency_ms: crate::traffic::revision::LatencyMs {
            p50: 500,
            p90: 2_000,
            p99: 5_000,
        },
        ..TrafficBehaviour::default()
    });
    let mut state = TrafficState::default();
    let mut rng = rng();
    for second in 0..10 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    draining.state = TargetState::Draining;
    draining.state_since_ms = 10_000;
    draining.draining_until_ms = 11_000;
    snapshot.targets[0] = draining;
    for second in 10..15 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    let hazards: Vec<_> = state.hazards.all().copied().collect();
    let cut = hazards
        .iter()
        .find(|h| h.cause == HazardCause::DrainedPastDelay { target: 0 })
        .expect("a drain of 1 s cuts requests slower than 1 s");
    assert_eq!((cut.start_s, cut.end_s), (11, 11));
    // P(latency > 1 s) is about 30 % here.
    assert!((15..45).contains(&cut.requests), "{cut:?}");
}

#[test]
fn every_request_lands_in_exactly_one_class_over_random_snapshots() {
    for case in 0..200u64 {
        let mut seed = splitmix64(case);
        let mut next = |bound: u64| {
            seed = splitmix64(seed);
            seed % bound
        };
        let states = [
            TargetState::Initial,
            TargetState::Healthy,
            TargetState::Unhealthy,
            TargetState::Draining,
            TargetState::Gone,
        ];
        let mut groups = Vec::new();
        for _ in 0..1 + next(4) {
            let targets: Vec<Target> = (0..next(5))
                .map(|_| Target {
                    state: states[next(5) as usize],
                    task_stopped: next(6) == 0,
                    revision: next(2) as u32,
                    state_since_ms: next(30_000),
                    draining_until_ms: next(30_000),
                })
                .collect();
            groups.push((next(4) as u32, targets));
        }
        let mut snapshot = listener(next(5_000) as u32, &groups);
        for group in &mut snapshot.groups {
            group.deleted = next(8) == 0;
            group.slow_start_ms = next(2) * 20_000;
            if next(2) == 0 {
                group.algorithm = Algorithm::LeastOutstandingRequests;
            }
        }
        // A call edge from the listener route, and a DNS route with a gone answer.
        snapshot.routes.push(Route {
            entry: Entry::Rule(0),
            rate: RateSource::Call {
                upstream: 0,
                per_request_hundredths: 150,
            },
        });
        snapshot.routes.push(Route {
            entry: Entry::Dns(0),
            rate: RateSource::Profile {
                profile: Profile::Constant {
                    rate: next(300) as u32,
                },
                from_ms: 0,
            },
        });
        snapshot.record_sets = vec![RecordSet {
            ttl_ms: next(120_000),
            answers_start: 0,
            answers_len: 3,
            versions_start: 0,
            versions_len: 2,
        }];
        snapshot.answers = vec![Answer::Rule(0), Answer::Gone, Answer::Target(0)];
        if snapshot.targets.is_empty() {
            snapshot.answers[2] = Answer::Gone;
        }
        snapshot.record_versions = vec![
            RecordVersion {
                since_ms: 0,
                weights_start: 0,
                weights_len: 3,
            },
            RecordVersion {
                since_ms: next(30_000),
                weights_start: 3,
                weights_len: 3,
            },
        ];
        snapshot.record_weights = (0..6).map(|_| next(4) as u8).collect();
        let mut state = TrafficState::default();
        let mut rng = rng();
        let mut requests = 0;
        for second in 0..90 {
            let summary = tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
            assert_eq!(
                summary.classes(),
                summary.requests,
                "case {case} second {second}"
            );
            requests += summary.requests;
        }
        let routed: u64 = state
            .counters
            .route_records()
            .iter()
            .map(|r| u64::from(r.requests))
            .sum();
        let classes: u64 = state
            .counters
            .route_records()
            .iter()
            .map(|r| u64::from(r.count_2xx + r.target_5xx + r.elb_5xx + r.dns_failures))
            .sum();
        assert_eq!(routed, classes, "case {case}");
        assert!(routed <= requests);
    }
}

#[test]
fn the_same_seed_gives_the_same_seconds_and_steady_state_allocates_nothing() {
    let snapshot = listener(
        1_000,
        &[
            (3, vec![target(TargetState::Healthy, 0); 4]),
            (1, vec![target(TargetState::Healthy, 1); 2]),
        ],
    );
    let mut first = TrafficState::default();
    let mut second = TrafficState::default();
    let (mut a, mut b) = (rng(), rng());
    let mut bytes_after_warm_up = 0;
    for s in 0..200 {
        let x = tick(SimTime::from_secs(s), &snapshot, &mut first, &mut a);
        let y = tick(SimTime::from_secs(s), &snapshot, &mut second, &mut b);
        assert_eq!(x, y);
        if s == 5 {
            bytes_after_warm_up = first.heap_bytes();
        }
    }
    assert_eq!(first.heap_bytes(), bytes_after_warm_up);
    assert_eq!(
        first.counters.group_records().to_vec(),
        second.counters.group_records().to_vec()
    );
}

#[test]
fn a_state_restored_from_its_bytes_continues_exactly() {
    let mut stopped = target(TargetState::Healthy, 1);
    stopped.task_stopped = true;
    let snapshot = listener(300, &[(1, vec![target(TargetState::Healthy, 1), stopped])]);
    let mut state = TrafficState::default();
    let mut rng = rng();
    for second in 0..100 {
        tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
    }
    let bytes = postcard::to_allocvec(&state).expect("the state serializes");
    let mut restored: TrafficState = postcard::from_bytes(&bytes).expect("and reads back");
    let mut rng_again = rng.clone();
    for second in 100..200 {
        let a = tick(SimTime::from_secs(second), &snapshot, &mut state, &mut rng);
        let b = tick(
            SimTime::from_secs(second),
            &snapshot,
            &mut restored,
            &mut rng_again,
        );
        assert_eq!(a, b);
    }
    assert_eq!(
        state.counters.route_records().to_vec(),
        restored.counters.route_records().to_vec()
    );
    assert_eq!(
        state.hazards.all().copied().collect::<Vec<_>>(),
        restored.hazards.all().copied().collect::<Vec<_>>()
    );
}
