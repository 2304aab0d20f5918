//! Focused tests for the service scheduler and deployments, one per rule of ecs-semantics
//! §3–4, each named after its section. One `check()` helper: a small scenario (edited per test),
//! run to the end, the trace lines that matter compared with an expect-test snapshot.

use expect_test::{expect, Expect};
use flotilla_core::deploy::{self, RolloutState};
use flotilla_core::{parse_scenario, Action, Scenario, SimTime, World};
use flotilla_tests::run_with_invariants;
use serde_json::{json, Value};

/// Two m5.large per AZ in three AZs; `web` (512 CPU, 1 GiB, dynamic port) and `agent`.
fn base() -> Value {
    json!({
        "version": 1, "name": "check", "seed": 1,
        "fleet": [
            {"instanceType": "m5.large", "availabilityZone": "us-east-1a", "count": 2},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1b", "count": 2},
            {"instanceType": "m5.large", "availabilityZone": "us-east-1c", "count": 2}
        ],
        "taskDefinitions": [
            {"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "web", "image": "web:1",
              "cpu": 512, "memory": 1024, "portMappings": [{"containerPort": 8080, "hostPort": 0}]}]},
            {"family": "agent", "containerDefinitions": [{"name": "agent", "image": "agent:1", "cpu": 128, "memory": 128}]}
        ],
        "revisionBehaviour": [{"taskDefinition": "web:1", "startTime": "10s"}],
        "services": [{"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 2}],
        "timeline": []
    })
}

fn scenario(edit: impl FnOnce(&mut Value)) -> Scenario {
    let mut value = base();
    edit(&mut value);
    parse_scenario(&value.to_string())
        .unwrap_or_else(|errors| panic!("invalid test scenario: {errors:?}"))
}

fn world(edit: impl FnOnce(&mut Value)) -> World {
    World::new(&scenario(edit)).unwrap_or_else(|errors| panic!("world rejected: {errors:?}"))
}

/// The world run to its horizon with the invariants checked after every event.
fn checked_world(edit: impl FnOnce(&mut Value)) -> World {
    let scenario = scenario(edit);
    let mut world =
        World::new(&scenario).unwrap_or_else(|errors| panic!("world rejected: {errors:?}"));
    run_with_invariants(&mut world, scenario.horizon(), "scheduler scenario");
    world
}

/// Runs to the horizon, checks invariants after every event, and compares the trace lines
/// that contain any of `keep` (all lines when empty) with `expect`.
fn check(edit: impl FnOnce(&mut Value), keep: &[&str], expect: Expect) {
    let world = checked_world(edit);
    let trace = world.trace();
    let lines: Vec<&str> = trace
        .lines()
        .filter(|line| keep.is_empty() || keep.iter().any(|k| line.contains(k)))
        .collect();
    expect.assert_eq(&(lines.join("\n") + "\n"));
}

fn timeline(value: &mut Value, entries: Value) {
    value["timeline"] = entries;
}

#[test]
fn s3_1_daemon_runs_one_task_per_active_instance_and_launches_first() {
    check(
        |v| {
            v["services"] = json!([
                {"serviceName": "web", "taskDefinition": "web:1", "desiredCount": 1},
                {"serviceName": "agent", "taskDefinition": "agent:1", "schedulingStrategy": "DAEMON",
                 "placementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.availability-zone != us-east-1c"}]}
            ]);
        },
        &["placed", "desiredCount"],
        expect![[r#"
            00:00:00.000 service web created: web:1, desiredCount 1
            00:00:00.000 service agent created: agent:1, desiredCount 0
            00:00:00.000 service agent desiredCount 0 -> 4
            00:00:00.000 task t0 (agent:1, service agent) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:00:00.000 task t1 (agent:1, service agent) placed on i-06e789e6aa1b965f4 (us-east-1a): PENDING
            00:00:00.000 task t2 (agent:1, service agent) placed on i-006c45d188009454f (us-east-1b): PENDING
            00:00:00.000 task t3 (agent:1, service agent) placed on i-0f88bb8a8724c81ec (us-east-1b): PENDING
            00:00:00.000 task t4 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
        "#]],
    );
}

#[test]
fn s3_1_daemon_deployment_defaults_and_maximum_percent_100() {
    let mut v = base();
    v["services"] = json!([{"serviceName": "agent", "taskDefinition": "agent:1", "schedulingStrategy": "DAEMON",
        "deploymentConfiguration": {"maximumPercent": 200}}]);
    let errors = parse_scenario(&v.to_string()).unwrap_err();
    expect!["services[0].deploymentConfiguration.maximumPercent: DAEMON services require 100, found 200"]
        .assert_eq(&errors[0].to_string());
    // Defaults min 0 / max 100: a daemon deployment stops every old task at once, then starts.
    check(
        |v| {
            v["services"] = json!([{"serviceName": "agent", "taskDefinition": "agent:1", "schedulingStrategy": "DAEMON"}]);
            timeline(
                v,
                json!([{"at": "2m", "action": {"updateService": {"service": "agent", "forceNewDeployment": true}}}]),
            );
        },
        &["has st", "COMPLETED"],
        expect![[r#"
            00:00:00.000 (service agent) has started 6 tasks: (task t0) (task t1) (task t2) (task t3) (task t4) (task t5).
            00:00:51.000 service agent deployment ecs-svc/4337309891992293805 (agent:1): PRIMARY COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:02:00.000 service agent deployment ecs-svc/4337309891992293805 (agent:1): ACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:02:00.000 (service agent) has stopped 6 running tasks: (task t0) (task t1) (task t5) (task t3) (task t2) (task t4).
            00:02:00.000 (service agent) has started 6 tasks: (task t6) (task t7) (task t8) (task t9) (task t10) (task t11).
            00:02:03.000 service agent deployment ecs-svc/4337309891992293805 (agent:1): INACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:02:51.000 service agent deployment ecs-svc/1204690668571248448 (agent:1): PRIMARY COMPLETED: ECS deployment ecs-svc/1204690668571248448 completed.
        "#]],
    );
}

#[test]
fn s3_3_lifecycle_awsvpc_provisions_and_deprovisions_and_stop_timeout_caps_the_stop() {
    check(
        |v| {
            v["taskDefinitions"][0]["networkMode"] = json!("awsvpc");
            v["taskDefinitions"][0]["containerDefinitions"][0]["portMappings"] = json!([]);
            v["taskDefinitions"][0]["containerDefinitions"][0]["stopTimeout"] = json!(5);
            v["revisionBehaviour"][0]["stopTime"] = json!("1m");
            v["services"][0]["desiredCount"] = json!(1);
            timeline(
                v,
                json!([{"at": "2m", "action": {"stopTask": {"task": "t0"}}}]),
            );
        },
        &["t0"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PROVISIONING
            00:00:00.000 (service web) has started 1 tasks: (task t0).
            00:00:01.000 task t0 PROVISIONING -> PENDING
            00:00:11.000 task t0 PENDING -> ACTIVATING
            00:00:12.000 task t0 ACTIVATING -> RUNNING
            00:00:52.000 task t0 counts as healthy: RUNNING for 40s without health checks
            00:02:00.000 action stopTask t0
            00:02:00.000 task t0 desired STOPPED: UserInitiated (Task stopped by user)
            00:02:00.000 task t0 RUNNING -> DEACTIVATING
            00:02:01.000 task t0 DEACTIVATING -> STOPPING
            00:02:06.000 task t0 STOPPING -> DEPROVISIONING
            00:02:07.000 task t0 DEPROVISIONING -> STOPPED
        "#]],
    );
}

#[test]
fn s3_4_without_health_checks_a_task_counts_healthy_40_seconds_after_running() {
    check(
        |_| {},
        &["t0 ", "steady"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:00:10.000 task t0 PENDING -> ACTIVATING
            00:00:11.000 task t0 ACTIVATING -> RUNNING
            00:00:51.000 task t0 counts as healthy: RUNNING for 40s without health checks
            00:00:51.000 (service web) has reached a steady state.
        "#]],
    );
}

#[test]
fn s3_4_container_health_checks_interval_timeout_retries_start_period() {
    // Healthy: first probe one interval after RUNNING. Failing: probes inside the 20 s start
    // period don't count; UNHEALTHY when the 2nd counted probe times out: (2+2-1)×10 s + 3 s.
    check(
        |v| {
            v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] = json!(
                {"command": ["CMD-SHELL", "true"], "interval": 10, "timeout": 3, "retries": 2, "startPeriod": 20});
            v["services"][0]["desiredCount"] = json!(1);
            v["timeline"] = json!([
                {"at": "2m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}, "behaviour": {"healthCheckFailurePercent": 100}}}},
                {"at": "2m", "action": {"updateService": {"service": "web", "taskDefinition": "web:2"}}},
                {"at": "5m", "action": {"updateService": {"service": "web", "desiredCount": 0}}}
            ]);
        },
        &["health", "-> RUNNING"],
        expect![[r#"
            00:00:11.000 task t0 ACTIVATING -> RUNNING
            00:00:21.000 task t0 health HEALTHY
            00:02:11.000 task t1 ACTIVATING -> RUNNING
            00:02:44.000 task t1 health UNHEALTHY
            00:02:44.000 (service web) (task t1) failed container health checks.
            00:02:44.000 task t1 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:02:55.000 task t2 ACTIVATING -> RUNNING
            00:03:28.000 task t2 health UNHEALTHY
            00:03:28.000 (service web) (task t2) failed container health checks.
            00:03:28.000 task t2 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:03:39.000 task t3 ACTIVATING -> RUNNING
            00:04:12.000 task t3 health UNHEALTHY
            00:04:12.000 (service web) (task t3) failed container health checks.
            00:04:12.000 task t3 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:04:23.000 task t4 ACTIVATING -> RUNNING
            00:04:56.000 task t4 health UNHEALTHY
            00:04:56.000 (service web) (task t4) failed container health checks.
            00:04:56.000 task t4 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
        "#]],
    );
}

#[test]
fn s3_4_unhealthy_tasks_are_replaced_start_first_after_the_grace_period() {
    check(
        |v| {
            v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] = json!(
                {"command": ["CMD-SHELL", "true"], "interval": 10, "timeout": 2, "retries": 1});
            v["revisionBehaviour"][0]["healthCheckFailurePercent"] = json!(50);
            v["services"][0]["healthCheckGracePeriodSeconds"] = json!(60);
            v["seed"] = json!(4);
        },
        &["health", "placed", "desired STOPPED", "failed container"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-053cb9f0c747ea2ea (us-east-1c): PENDING
            00:00:00.000 task t1 (web:1, service web) placed on i-06e789e6aa1b965f4 (us-east-1a): PENDING
            00:00:21.000 task t1 health HEALTHY
            00:00:23.000 task t0 health UNHEALTHY
            00:01:11.000 (service web) (task t0) failed container health checks.
            00:01:11.000 task t2 (web:1, service web) placed on i-0f88bb8a8724c81ec (us-east-1b): PENDING
            00:01:34.000 task t2 health UNHEALTHY
            00:02:22.000 (service web) (task t2) failed container health checks.
            00:02:22.000 task t0 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:02:22.000 task t3 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:02:43.000 task t3 health HEALTHY
            00:02:43.000 task t2 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
        "#]],
    );
}

#[test]
fn s3_4_with_maximum_100_unhealthy_tasks_stop_one_by_one_before_replacement() {
    check(
        |v| {
            v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] = json!(
                {"command": ["CMD-SHELL", "true"], "interval": 10, "timeout": 2, "retries": 1});
            v["revisionBehaviour"][0]["healthCheckFailurePercent"] = json!(50);
            v["services"][0]["deploymentConfiguration"] =
                json!({"minimumHealthyPercent": 50, "maximumPercent": 100});
            v["seed"] = json!(4);
        },
        &["placed", "desired STOPPED"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-053cb9f0c747ea2ea (us-east-1c): PENDING
            00:00:00.000 task t1 (web:1, service web) placed on i-06e789e6aa1b965f4 (us-east-1a): PENDING
            00:00:23.000 task t0 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:00:23.000 task t2 (web:1, service web) placed on i-0f88bb8a8724c81ec (us-east-1b): PENDING
            00:00:46.000 task t2 desired STOPPED: ServiceSchedulerInitiated (Task failed container health checks)
            00:00:46.000 task t3 (web:1, service web) placed on i-01b39896a51a8749b (us-east-1c): PENDING
        "#]],
    );
}

#[test]
fn s3_5_draining_stops_pending_tasks_at_once_and_only_active_instances_drain() {
    check(
        |v| {
            v["services"][0]["desiredCount"] = json!(6);
            timeline(
                v,
                json!([
                    {"at": "5s", "action": {"drainInstance": {"instance": "i-0e220a8397b1dcdaf"}}},
                    {"at": "6s", "action": {"drainInstance": {"instance": "i-0e220a8397b1dcdaf"}}},
                    {"at": "7s", "action": {"activateInstance": {"instance": "i-06e789e6aa1b965f4"}}}
                ]),
            );
        },
        &["DRAINING", "action", "i-0e220a8397b1dcdaf"],
        expect![[r#"
            00:00:00.000 container instance i-0e220a8397b1dcdaf registered: m5.large in us-east-1a, 2048 CPU units, 7985 MiB
            00:00:00.000 task t0 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:00:05.000 action drainInstance i-0e220a8397b1dcdaf
            00:00:05.000 container instance i-0e220a8397b1dcdaf (us-east-1a) is DRAINING
            00:00:05.000 task t0 desired STOPPED: ServiceSchedulerInitiated (Container instance is DRAINING)
            00:00:06.000 action drainInstance i-0e220a8397b1dcdaf rejected: container instance i-0e220a8397b1dcdaf is DRAINING; only ACTIVE instances can be drained
            00:00:07.000 action activateInstance i-06e789e6aa1b965f4 rejected: container instance i-06e789e6aa1b965f4 is ACTIVE; only DRAINING instances can be set back to ACTIVE
        "#]],
    );
}

#[test]
fn s3_5_minimum_100_maximum_100_blocks_draining() {
    check(
        |v| {
            v["services"][0]["desiredCount"] = json!(6);
            v["services"][0]["deploymentConfiguration"] =
                json!({"minimumHealthyPercent": 100, "maximumPercent": 100});
            timeline(
                v,
                json!([{"at": "2m", "action": {"drainInstance": {"instance": "i-0e220a8397b1dcdaf"}}}]),
            );
        },
        &["02:00", "unable"],
        expect![[r#"
            00:02:00.000 action drainInstance i-0e220a8397b1dcdaf
            00:02:00.000 container instance i-0e220a8397b1dcdaf (us-east-1a) is DRAINING
            00:02:00.000 (service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.
        "#]],
    );
}

#[test]
fn s3_7_restart_back_off_is_not_triggered_by_tasks_that_ran() {
    // crashAfter: the containers exit after RUNNING; no throttling, replaced at once.
    check(
        |v| {
            v["revisionBehaviour"][0]["crashAfter"] = json!("50s");
            v["services"][0]["desiredCount"] = json!(1);
            timeline(
                v,
                json!([{"at": "3m", "action": {"updateService": {"service": "web", "desiredCount": 0}}}]),
            );
        },
        &["desired STOPPED", "placed", "unable"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:01:01.000 task t0 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:01:01.000 task t1 (web:1, service web) placed on i-0f88bb8a8724c81ec (us-east-1b): PENDING
            00:02:02.000 task t1 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:02:02.000 task t2 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:03:00.000 task t2 desired STOPPED: ServiceSchedulerInitiated (Scaling activity initiated by (deployment ecs-svc/4337309891992293805))
        "#]],
    );
}

#[test]
fn s3_8_steady_state_once_per_change() {
    check(
        |v| {
            timeline(
                v,
                json!([
                    {"at": "2m", "action": {"updateService": {"service": "web", "desiredCount": 3}}},
                    {"at": "2m1s", "action": {"updateService": {"service": "web", "desiredCount": 3}}}
                ]),
            );
        },
        &["steady", "desiredCount"],
        expect![[r#"
            00:00:00.000 service web created: web:1, desiredCount 2
            00:00:51.000 (service web) has reached a steady state.
            00:02:00.000 action updateService web desiredCount=3
            00:02:00.000 service web desiredCount 2 -> 3
            00:02:01.000 action updateService web desiredCount=3
            00:02:51.000 (service web) has reached a steady state.
        "#]],
    );
}

#[test]
fn s4_1_what_starts_a_deployment() {
    check(
        |v| {
            timeline(
                v,
                json!([
                    {"at": "2m", "action": {"updateService": {"service": "web", "desiredCount": 3}}},
                    {"at": "3m", "action": {"updateService": {"service": "web", "deploymentConfiguration": {"minimumHealthyPercent": 50}, "healthCheckGracePeriodSeconds": 30}}},
                    {"at": "4m", "action": {"updateService": {"service": "web", "taskDefinition": "web:1"}}},
                    {"at": "5m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}},
                    {"at": "7m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}}}},
                    {"at": "7m", "action": {"updateService": {"service": "web", "taskDefinition": "web"}}},
                    {"at": "9m", "action": {"updateService": {"service": "web", "taskDefinition": "web:9"}}},
                    {"at": "9m", "action": {"registerTaskDefinition": {"family": "web", "images": {"nope": "x"}}}}
                ]),
            );
        },
        &["action", "PRIMARY IN_PROGRESS"],
        expect![[r#"
            00:00:00.000 service web deployment ecs-svc/4337309891992293805 (web:1): PRIMARY IN_PROGRESS: ECS deployment ecs-svc/4337309891992293805 in progress.
            00:02:00.000 action updateService web desiredCount=3
            00:03:00.000 action updateService web deploymentConfiguration(minimumHealthyPercent=50) healthCheckGracePeriodSeconds=30
            00:04:00.000 action updateService web taskDefinition=web:1
            00:05:00.000 action updateService web forceNewDeployment
            00:05:00.000 service web deployment ecs-svc/1204690668571248448 (web:1): PRIMARY IN_PROGRESS: ECS deployment ecs-svc/1204690668571248448 in progress.
            00:07:00.000 action registerTaskDefinition web web=web:2
            00:07:00.000 action updateService web taskDefinition=web:2
            00:07:00.000 service web deployment ecs-svc/7291380581083951762 (web:2): PRIMARY IN_PROGRESS: ECS deployment ecs-svc/7291380581083951762 in progress.
            00:09:00.000 action updateService web rejected: task definition web:9 does not exist; web has revisions 1-2
            00:09:00.000 action registerTaskDefinition web rejected: web:2 has no container named "nope"
        "#]],
    );
}

#[test]
fn s4_2_configurations_that_allow_no_stop_and_no_start_are_reported() {
    // Official examples: min 75 with desired 2 ⇒ ceil(1.5) = 2 healthy; max 125 with desired 3
    // ⇒ floor(3.75) = 3 tasks.
    for (desired, min, max) in [(2, 75, 100), (3, 100, 125), (4, 100, 100)] {
        let world = checked_world(|v| {
            v["services"][0]["desiredCount"] = json!(desired);
            v["services"][0]["deploymentConfiguration"] =
                json!({"minimumHealthyPercent": min, "maximumPercent": max});
            timeline(
                v,
                json!([{"at": "2m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}}]),
            );
        });
        assert!(
            world.trace().contains(&deploy::deadlock_message("web")),
            "desired {desired}, min {min}, max {max} should deadlock"
        );
        let plan = world.plan_deployment("web", None).unwrap();
        assert_eq!(
            plan.outcome,
            deploy::PlanOutcome::Never {
                reason: deploy::deadlock_message("web")
            }
        );
    }
}

#[test]
fn s4_3_deployments_list_statuses_and_ids() {
    let world = checked_world(|v| {
        timeline(
            v,
            json!([
                {"at": "2m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}},
                {"at": "2m10s", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}}
            ]),
        );
    });
    let service = &world.services()[0];
    let summary: Vec<String> = service
        .deployments
        .iter()
        .map(|d| {
            assert_eq!(d.id.len(), "ecs-svc/".len() + 19);
            format!(
                "{} {} {}",
                d.status.as_str(),
                d.rollout_state.as_str(),
                d.task_definition
            )
        })
        .collect();
    expect![[r#"
        INACTIVE COMPLETED web:1
        INACTIVE IN_PROGRESS web:1
        PRIMARY COMPLETED web:1"#]]
    .assert_eq(&summary.join("\n"));
    // startedBy: every task names the deployment that started it; scale-in reasons name it too.
    assert!(world.trace().contains(&format!(
        "Scaling activity initiated by (deployment {})",
        service.deployments[2].id
    )));
}

#[test]
fn s4_4_circuit_breaker_without_rollback_fails_and_launches_nothing_more() {
    check(
        |v| {
            v["services"][0]["deploymentConfiguration"] =
                json!({"deploymentCircuitBreaker": {"enable": true, "rollback": false}});
            timeline(
                v,
                json!([
                    {"at": "2m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}, "behaviour": {"crashRatePercent": 100}}}},
                    {"at": "2m", "action": {"updateService": {"service": "web", "taskDefinition": "web:2"}}}
                ]),
            );
        },
        &["placed", "FAILED", "unable", "TaskFailedToStart"],
        expect![[r#"
            00:00:00.000 task t0 (web:1, service web) placed on i-0e220a8397b1dcdaf (us-east-1a): PENDING
            00:00:00.000 task t1 (web:1, service web) placed on i-0f88bb8a8724c81ec (us-east-1b): PENDING
            00:02:00.000 task t2 (web:2, service web) placed on i-01b39896a51a8749b (us-east-1c): PENDING
            00:02:00.000 task t3 (web:2, service web) placed on i-06e789e6aa1b965f4 (us-east-1a): PENDING
            00:02:10.000 task t2 desired STOPPED: TaskFailedToStart (Essential container in task exited)
            00:02:10.000 task t3 desired STOPPED: TaskFailedToStart (Essential container in task exited)
            00:02:10.000 task t4 (web:2, service web) placed on i-01b39896a51a8749b (us-east-1c): PENDING
            00:02:10.000 task t5 (web:2, service web) placed on i-06e789e6aa1b965f4 (us-east-1a): PENDING
            00:02:20.000 task t4 desired STOPPED: TaskFailedToStart (Essential container in task exited)
            00:02:20.000 (service web) is unable to consistently start tasks successfully.
            00:02:20.000 service web deployment ecs-svc/1204690668571248448 (web:2): PRIMARY FAILED: ECS deployment circuit breaker: task failed to start.
            00:02:20.000 task t5 desired STOPPED: TaskFailedToStart (Essential container in task exited)
        "#]],
    );
}

#[test]
fn s4_4_tasks_that_exit_after_running_fail_to_start_in_ecs_words() {
    // web:2 has no health check and its essential container exits 15 s after RUNNING
    // (EssentialContainerExited): ECS's only documented breaker reason, "task failed to start.",
    // not the health-check wording (that one is for failed container health checks,
    // tests/corpus/unhealthy-replacement.json).
    check(
        |v| {
            v["services"][0]["deploymentConfiguration"] =
                json!({"deploymentCircuitBreaker": {"enable": true, "rollback": true}});
            timeline(
                v,
                json!([
                    {"at": "2m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}, "behaviour": {"crashAfter": "15s"}}}},
                    {"at": "2m", "action": {"updateService": {"service": "web", "taskDefinition": "web:2"}}}
                ]),
            );
        },
        &["FAILED", "EssentialContainerExited"],
        expect![[r#"
            00:02:26.000 task t2 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:02:26.000 task t3 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:02:52.000 task t4 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:02:52.000 service web deployment ecs-svc/1204690668571248448 (web:2): PRIMARY FAILED: ECS deployment circuit breaker: task failed to start.
            00:02:52.000 service web deployment ecs-svc/1204690668571248448 (web:2): ACTIVE FAILED: ECS deployment circuit breaker: task failed to start.
            00:02:52.000 task t5 desired STOPPED: EssentialContainerExited (Essential container in task exited)
            00:02:55.000 service web deployment ecs-svc/1204690668571248448 (web:2): INACTIVE FAILED: ECS deployment circuit breaker: task failed to start.
        "#]],
    );
}

#[test]
fn s4_4_thresholds_and_reset_on_healthy_task() {
    // web:2 passes its health check 10 s after RUNNING and exits 5 s later; the old task takes
    // 60 s to stop, so the deployment is still in progress. With resetOnHealthyTask (the
    // default) each healthy task resets the count and it never reaches 2; with false it does.
    for reset in [true, false] {
        let world = checked_world(|v| {
            v["taskDefinitions"][0]["containerDefinitions"][0]["healthCheck"] =
                json!({"command": ["CMD-SHELL", "true"], "interval": 10});
            v["taskDefinitions"][0]["containerDefinitions"][0]["stopTimeout"] = json!(120);
            v["revisionBehaviour"][0]["stopTime"] = json!("60s");
            v["services"][0]["desiredCount"] = json!(1);
            v["services"][0]["deploymentConfiguration"] = json!({"deploymentCircuitBreaker": {
                "enable": true, "rollback": true, "resetOnHealthyTask": reset,
                "thresholdConfiguration": {"type": "COUNT", "value": 2}}});
            timeline(
                v,
                json!([
                    {"at": "2m", "action": {"registerTaskDefinition": {"family": "web", "images": {"web": "web:2"}, "behaviour": {"crashAfter": "15s", "stopTime": "2s"}}}},
                    {"at": "2m", "action": {"updateService": {"service": "web", "taskDefinition": "web:2"}}},
                    {"at": "8m", "action": {"updateService": {"service": "web", "desiredCount": 0}}}
                ]),
            );
        });
        let failed = world.services()[0]
            .deployments
            .iter()
            .any(|d| d.rollout_state == RolloutState::Failed);
        assert_eq!(failed, !reset, "resetOnHealthyTask {reset}");
    }
}

#[test]
fn s4_5_an_alarm_already_in_alarm_is_ignored_and_bake_time_delays_completion() {
    check(
        |v| {
            v["services"][0]["deploymentConfiguration"] = json!({"alarms": {"alarmNames": ["a"], "enable": true, "rollback": false}, "bakeTimeInMinutes": 2});
            timeline(
                v,
                json!([
                    {"at": "4m", "action": {"setAlarmState": {"alarmName": "a", "state": "ALARM"}}},
                    {"at": "5m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}},
                    {"at": "6m", "action": {"setAlarmState": {"alarmName": "a", "state": "OK"}}},
                    {"at": "7m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}},
                    {"at": "8m30s", "action": {"setAlarmState": {"alarmName": "a", "state": "ALARM"}}}
                ]),
            );
        },
        &["alarm a", "COMPLETED", "FAILED", "steady"],
        expect![[r#"
            00:00:51.000 (service web) has reached a steady state.
            00:02:51.000 service web deployment ecs-svc/4337309891992293805 (web:1): PRIMARY COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:04:00.000 alarm a is ALARM
            00:05:00.000 service web deployment ecs-svc/4337309891992293805 (web:1): ACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:05:54.000 (service web) has reached a steady state.
            00:05:54.000 service web deployment ecs-svc/1204690668571248448 (web:1): PRIMARY COMPLETED: ECS deployment ecs-svc/1204690668571248448 completed.
            00:05:54.000 service web deployment ecs-svc/4337309891992293805 (web:1): INACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:06:00.000 alarm a is OK
            00:07:00.000 service web deployment ecs-svc/1204690668571248448 (web:1): ACTIVE COMPLETED: ECS deployment ecs-svc/1204690668571248448 completed.
            00:07:54.000 (service web) has reached a steady state.
            00:07:54.000 service web deployment ecs-svc/1204690668571248448 (web:1): INACTIVE COMPLETED: ECS deployment ecs-svc/1204690668571248448 completed.
            00:08:30.000 alarm a is ALARM
            00:08:30.000 service web deployment ecs-svc/7291380581083951762 (web:1): PRIMARY FAILED: ECS deployment alarm: a is in ALARM state.
        "#]],
    );
}

#[test]
fn s4_5_a_completed_deployment_stays_completed_and_alarm_rollback_returns_to_it() {
    // Scaling during the bake and a stopped task afterwards are ordinary scheduling: the first
    // deployment completes when its bake ends and stays COMPLETED, so the alarm that fails the
    // forced deployment at 5m rolls back to it.
    check(
        |v| {
            v["services"][0]["deploymentConfiguration"] = json!({"alarms": {"alarmNames": ["a"], "enable": true, "rollback": true}, "bakeTimeInMinutes": 1});
            timeline(
                v,
                json!([
                    {"at": "1m30s", "action": {"updateService": {"service": "web", "desiredCount": 4}}},
                    {"at": "3m", "action": {"stopTask": {"task": "t0"}}},
                    {"at": "5m", "action": {"updateService": {"service": "web", "forceNewDeployment": true}}},
                    {"at": "5m30s", "action": {"setAlarmState": {"alarmName": "a", "state": "ALARM"}}}
                ]),
            );
        },
        &["web deployment ecs-svc", "action"],
        expect![[r#"
            00:00:00.000 service web deployment ecs-svc/4337309891992293805 (web:1): PRIMARY IN_PROGRESS: ECS deployment ecs-svc/4337309891992293805 in progress.
            00:01:30.000 action updateService web desiredCount=4
            00:01:51.000 service web deployment ecs-svc/4337309891992293805 (web:1): PRIMARY COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:03:00.000 action stopTask t0
            00:05:00.000 action updateService web forceNewDeployment
            00:05:00.000 service web deployment ecs-svc/4337309891992293805 (web:1): ACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
            00:05:00.000 service web deployment ecs-svc/1204690668571248448 (web:1): PRIMARY IN_PROGRESS: ECS deployment ecs-svc/1204690668571248448 in progress.
            00:05:30.000 action setAlarmState a ALARM
            00:05:30.000 service web deployment ecs-svc/1204690668571248448 (web:1): PRIMARY FAILED: ECS deployment alarm: a is in ALARM state.
            00:05:30.000 service web deployment ecs-svc/1204690668571248448 (web:1): ACTIVE FAILED: ECS deployment alarm: a is in ALARM state.
            00:05:30.000 service web deployment ecs-svc/7291380581083951762 (web:1): PRIMARY IN_PROGRESS: ECS deployment alarms: rolling back to deploymentId ecs-svc/4337309891992293805.
            00:05:33.000 service web deployment ecs-svc/1204690668571248448 (web:1): INACTIVE FAILED: ECS deployment alarm: a is in ALARM state.
            00:06:24.000 service web deployment ecs-svc/7291380581083951762 (web:1): PRIMARY COMPLETED: ECS deployment ecs-svc/7291380581083951762 completed.
            00:06:24.000 service web deployment ecs-svc/4337309891992293805 (web:1): INACTIVE COMPLETED: ECS deployment ecs-svc/4337309891992293805 completed.
        "#]],
    );
}

/// The plan preview replays the same rounds as the simulation when nothing fails (§4.2).
#[test]
fn plan_preview_matches_the_simulation() {
    for id in ["rolling-minimal-cost", "rolling-fast", "cicd"] {
        let text = flotilla_core::builtin::find(id).unwrap().json;
        let scenario = parse_scenario(text).unwrap();
        let mut world = World::new(&scenario).unwrap();
        // Just before the first deployment at 2m: the new revision is registered at 2m, so
        // preview a forced deployment of the current one (same resources and timing).
        world.run_until(SimTime(119_999));
        let plan = world
            .plan_deployment(&scenario.services[0].service_name, None)
            .unwrap();
        let deploy::PlanOutcome::Completes { duration_ms } = plan.outcome else {
            panic!("{id}: plan does not complete");
        };
        let start = world.events().len();
        world.run_until(SimTime(120_000 + duration_ms));
        // Rounds of the simulation: tasks placed and tasks stopped by the scheduler, per moment.
        let mut rounds: Vec<(u64, u32, u32)> = Vec::new();
        for event in world.events().iter_from(start) {
            let line = world.describe(event);
            let (started, stopped) = if line.contains(" placed on ") {
                (1, 0)
            } else if line.contains("ServiceSchedulerInitiated") {
                (0, 1)
            } else {
                continue;
            };
            let at = event.at.as_ms() - 120_000;
            match rounds.last_mut() {
                Some(last) if last.0 == at => {
                    last.1 += started;
                    last.2 += stopped;
                }
                _ => rounds.push((at, started, stopped)),
            }
        }
        let planned: Vec<(u64, u32, u32)> = plan
            .rounds
            .iter()
            .map(|r| (r.at_ms, r.started, r.stopped))
            .collect();
        assert_eq!(planned, rounds, "{id}: plan {}", plan.render());
        let completed = world
            .events()
            .iter_from(start)
            .filter(|e| world.describe(e).contains("PRIMARY COMPLETED"))
            .map(|e| e.at.as_ms() - 120_000)
            .next();
        assert_eq!(completed, Some(duration_ms), "{id}");
    }
}

#[test]
fn plan_preview_names_the_worst_moment() {
    let scenario =
        parse_scenario(flotilla_core::builtin::find("rolling-fast").unwrap().json).unwrap();
    let mut world = World::new(&scenario).unwrap();
    world.run_until(SimTime(119_999));
    expect![[r#"
        desiredCount 4, minimumHealthyPercent 100 (at least 4 healthy), maximumPercent 200 (at most 8 tasks)
        nominal timing: launch to healthy 51s, stop 3s; room now for 4 more tasks
        round  at        start  stop  healthy  tasks  stopping
        1      +0s       4      0     4        8      0
        2      +51s      0      4     4        4      4
        worst moment: fewest healthy 4 at +0s; most extra capacity +4 tasks (peak 8 pending or running) at +0s
        expected duration: 54s in 2 rounds
    "#]].assert_eq(&world.plan_deployment("web", None).unwrap().render());
    let scenario = parse_scenario(
        flotilla_core::builtin::find("rolling-minimal-cost")
            .unwrap()
            .json,
    )
    .unwrap();
    let mut world = World::new(&scenario).unwrap();
    world.run_until(SimTime(119_999));
    expect![[r#"
        desiredCount 4, minimumHealthyPercent 50 (at least 2 healthy), maximumPercent 100 (at most 4 tasks)
        nominal timing: launch to healthy 51s, stop 3s; room now for 0 more tasks
        round  at        start  stop  healthy  tasks  stopping
        1      +0s       0      2     2        2      2
        2      +3s       2      0     2        4      0
        3      +54s      0      2     2        2      2
        4      +57s      2      0     2        4      0
        worst moment: fewest healthy 2 at +0s; most extra capacity +0 tasks (peak 4 pending or running) at +0s
        expected duration: 1m48s in 4 rounds
    "#]].assert_eq(&world.plan_deployment("web", None).unwrap().render());
}

/// The preview's peak is what maximumPercent bounds (PENDING or RUNNING), never above it;
/// stopping tasks are counted apart. A maximum below 100 % is refused by the API for REPLICA
/// services; if the preview is asked anyway, its reason names maximumPercent, not the room.
#[test]
fn plan_preview_peak_respects_the_maximum_and_names_the_real_reason() {
    let input = deploy::PlanInput {
        desired: 6,
        minimum_healthy_percent: 50,
        maximum_percent: 100,
        old_tasks: 6,
        free_slots: 35,
        old_task_frees_slot: true,
        start_to_healthy_ms: 51_000,
        stop_ms: 3_000,
    };
    let plan = deploy::plan("order", &input);
    assert!(
        plan.rounds.iter().all(|r| r.tasks <= 6),
        "{}",
        plan.render()
    );
    assert_eq!((plan.peak_tasks, plan.extra_capacity()), (6, 0));
    expect![[r#"
        desiredCount 6, minimumHealthyPercent 50 (at least 3 healthy), maximumPercent 100 (at most 6 tasks)
        nominal timing: launch to healthy 51s, stop 3s; room now for 35 more tasks
        round  at        start  stop  healthy  tasks  stopping
        1      +0s       3      3     3        6      3
        2      +51s      3      3     3        6      3
        worst moment: fewest healthy 3 at +0s; most extra capacity +0 tasks (peak 6 pending or running) at +0s
        expected duration: 1m42s in 2 rounds
    "#]]
    .assert_eq(&plan.render());
    let plan = deploy::plan(
        "order",
        &deploy::PlanInput {
            maximum_percent: 90,
            ..input
        },
    );
    let deploy::PlanOutcome::Never { reason } = &plan.outcome else {
        panic!("max 90 % cannot finish: {}", plan.render());
    };
    expect![
        "maximumPercent 90 allows at most 5 tasks, fewer than the desiredCount 6 (5 of 6 started)"
    ]
    .assert_eq(reason);
}

/// The updateService line says what was set: a breaker turned off reads enable=false.
#[test]
fn update_service_lines_print_the_breaker_and_alarms_as_set() {
    check(
        |v| {
            timeline(
                v,
                json!([
                    {"at": "1m", "action": {"updateService": {"service": "web", "deploymentConfiguration": {
                        "deploymentCircuitBreaker": {"enable": false, "rollback": false}}}}},
                    {"at": "2m", "action": {"updateService": {"service": "web", "deploymentConfiguration": {
                        "minimumHealthyPercent": 50,
                        "deploymentCircuitBreaker": {"enable": true, "rollback": true, "resetOnHealthyTask": false,
                            "thresholdConfiguration": {"type": "COUNT", "value": 4}},
                        "alarms": {"alarmNames": ["a", "b"], "enable": true, "rollback": false}}}}}
                ]),
            );
        },
        &["action"],
        expect![[r#"
            00:01:00.000 action updateService web deploymentConfiguration(deploymentCircuitBreaker(enable=false rollback=false))
            00:02:00.000 action updateService web deploymentConfiguration(minimumHealthyPercent=50 deploymentCircuitBreaker(enable=true rollback=true resetOnHealthyTask=false threshold=COUNT:4) alarms(a,b enable=true rollback=false))
        "#]],
    );
}

#[test]
fn actions_with_bad_targets_are_errors_not_panics() {
    let mut world = world(|_| {});
    let errors: Vec<String> = [
        json!({"drainInstance": {"instance": "i-nope"}}),
        json!({"failAvailabilityZone": {"availabilityZone": "us-west-2a"}}),
        json!({"updateService": {"service": "web", "taskDefinition": "web:7"}}),
        json!({"updateService": {"service": "web", "deploymentConfiguration": {"maximumPercent": 50}}}),
        json!({"registerTaskDefinition": {"family": "nope"}}),
    ]
    .into_iter()
    .map(|action| {
        let action: Action = serde_json::from_value(action).unwrap();
        world.apply(&action).unwrap_err().to_string()
    })
    .collect();
    expect![[r#"
        no container instance with EC2 instance id "i-nope"
        no registered container instances in us-west-2a
        task definition web:7 does not exist; web has revisions 1-1
        deploymentConfiguration.maximumPercent: must be a whole number from 100 to 10000, found 50
        unknown task definition family "nope"; registered: agent, web"#]]
    .assert_eq(&errors.join("\n"));
}
