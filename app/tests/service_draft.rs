//! The service editor's draft (native): a new service becomes an
//! EC2 service in the scenario; the core's validation errors land on the fields they concern;
//! DAEMON drops the desired count; the deployment bounds read as the core computes them; removing
//! a service takes the timeline actions naming it; an older saved draft keeps what it lacked;
//! every field's error is reported at once.

use flotilla_app::service_draft::{remove_service, ServiceDraft};
use flotilla_core::builtin::default_scenario;
use flotilla_core::service::{LaunchType, SchedulingStrategy};
use flotilla_core::{parse_scenario, Scenario};

fn microservices() -> Scenario {
    parse_scenario(default_scenario().json).expect("the default scenario is valid")
}

fn draft_of(scenario: &Scenario, name: &str) -> ServiceDraft {
    let definition = scenario
        .services
        .iter()
        .find(|s| s.service_name == name)
        .expect("the service exists");
    ServiceDraft::from_definition(definition)
}

fn fields(result: Result<Scenario, Vec<flotilla_app::drafts::FieldError>>) -> Vec<&'static str> {
    result
        .expect_err("the draft should not apply")
        .iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_new_service_is_an_ec2_service_with_the_chosen_revision() {
    let scenario = microservices();
    let draft = ServiceDraft {
        name: "payments".into(),
        task_definition: "user:1".into(),
        desired_count: "4".into(),
        minimum_healthy_percent: "50".into(),
        alarm_names: "pay-5xx, pay-latency".into(),
        alarms_enable: true,
        ..ServiceDraft::new_service(&scenario)
    };
    let edited = draft.apply_to(&scenario).expect("a valid new service");
    let created = edited.services.last().expect("one more service");
    assert_eq!(edited.services.len(), scenario.services.len() + 1);
    assert_eq!(created.service_name, "payments");
    assert_eq!(created.task_definition, "user:1");
    assert_eq!(created.desired_count, Some(4));
    assert_eq!(created.launch_type, Some(LaunchType::Ec2));
    let config = created
        .deployment_configuration
        .as_ref()
        .expect("configured");
    assert_eq!(config.minimum_healthy_percent, Some(50));
    assert_eq!(config.maximum_percent, None, "left empty: the API default");
    let alarms = config.alarms.as_ref().expect("alarms");
    assert_eq!(alarms.alarm_names, ["pay-5xx", "pay-latency"]);
    assert!(alarms.enable && !alarms.rollback);
}

#[test]
fn core_errors_land_on_their_fields() {
    let scenario = microservices();
    let clash = ServiceDraft {
        name: "order".into(),
        ..ServiceDraft::new_service(&scenario)
    };
    assert_eq!(fields(clash.apply_to(&scenario)), ["name"]);
    let error = clash.apply_to(&scenario).unwrap_err().remove(0);
    assert_eq!(error.message, "a service named \"order\" already exists");

    let mut order = draft_of(&scenario, "order");
    order.maximum_percent = "90".into();
    assert_eq!(fields(order.apply_to(&scenario)), ["maximum_percent"]);
    order.maximum_percent = "200".into();
    order.minimum_healthy_percent = "150".into();
    assert_eq!(
        fields(order.apply_to(&scenario)),
        ["minimum_healthy_percent"]
    );
    order.minimum_healthy_percent = "half".into();
    assert_eq!(
        fields(order.apply_to(&scenario)),
        ["minimum_healthy_percent"]
    );
    order.minimum_healthy_percent = String::new();
    order.alarms_enable = true;
    assert_eq!(
        fields(order.apply_to(&scenario)),
        ["alarm_names"],
        "enabled alarms need a name"
    );
}

#[test]
fn daemon_has_no_desired_count_and_requires_max_100() {
    let scenario = microservices();
    let mut shipping = draft_of(&scenario, "shipping");
    shipping.scheduling_strategy = "DAEMON".into();
    shipping.desired_count = "not read".into();
    let edited = shipping
        .apply_to(&scenario)
        .expect("a valid DAEMON service");
    let definition = &edited.services[2];
    assert_eq!(
        definition.scheduling_strategy,
        Some(SchedulingStrategy::Daemon)
    );
    assert_eq!(definition.desired_count, None);
    shipping.maximum_percent = "200".into();
    assert_eq!(fields(shipping.apply_to(&scenario)), ["maximum_percent"]);
}

#[test]
fn bounds_are_spelled_out_with_the_rounding() {
    let scenario = microservices();
    let mut order = draft_of(&scenario, "order");
    order.desired_count = "4".into();
    order.minimum_healthy_percent = "50".into();
    let words = order.bounds_in_words(&scenario).expect("readable numbers");
    assert_eq!(
        words.minimum, "min 50 % of 4 = 2 tasks must stay healthy",
        "nothing to round, so no \"(rounded up)\""
    );
    assert_eq!(words.maximum, "max 200 % (default) of 4 = 8 tasks at most");
    assert_eq!(words.deadlock, None);

    order.desired_count = "3".into();
    order.maximum_percent = "125".into();
    let words = order.bounds_in_words(&scenario).expect("readable numbers");
    assert_eq!(
        words.minimum,
        "min 50 % of 3 = 1.5 → 2 tasks must stay healthy (rounded up)"
    );
    assert_eq!(
        words.maximum,
        "max 125 % of 3 = 3.75 → 3 tasks at most (rounded down)"
    );
    assert!(
        words.deadlock.is_none(),
        "2 healthy of 3 lets one old task stop"
    );

    order.minimum_healthy_percent = "100".into();
    let words = order.bounds_in_words(&scenario).expect("readable numbers");
    assert!(words
        .deadlock
        .expect("min 100 % with no room above 3 cannot move")
        .starts_with("(service order) was unable to stop or start tasks"));

    order.desired_count = "three".into();
    assert_eq!(order.bounds_in_words(&scenario), None);
}

#[test]
fn removing_a_service_drops_the_timeline_actions_and_traffic_calls_naming_it() {
    let scenario = microservices();
    let removal = remove_service(&scenario, "order").expect("valid without order");
    assert_eq!(
        removal.timeline_actions, 1,
        "the timeline scales order once"
    );
    assert_eq!(removal.traffic_calls, 2, "order calls user and shipping");
    let edited = &removal.scenario;
    assert!(edited.services.iter().all(|s| s.service_name != "order"));
    assert_eq!(edited.timeline.len(), scenario.timeline.len() - 1);
    assert_eq!(edited.traffic.as_ref().map(|t| t.calls.len()), Some(0));
    assert_eq!(
        removal.note().as_deref(),
        Some("(with the 1 timeline action and the 2 traffic calls naming it)")
    );
    // Shipping is only called: its call goes, order's call to user stays.
    let removal = remove_service(&scenario, "shipping").expect("valid without shipping");
    assert_eq!((removal.timeline_actions, removal.traffic_calls), (1, 1));
    assert_eq!(
        removal.note().as_deref(),
        Some("(with the 1 timeline action and the 1 traffic call naming it)")
    );
    let removal = remove_service(&scenario, "user").expect("valid without user");
    assert_eq!(
        removal.note().as_deref(),
        Some("(with the 1 traffic call naming it)")
    );
}

#[test]
fn an_older_saved_draft_keeps_what_it_lacked() {
    let mut scenario = microservices();
    let order = &mut scenario.services[0];
    order.deployment_configuration = Some(flotilla_core::service::DeploymentConfiguration {
        minimum_healthy_percent: Some(50),
        ..Default::default()
    });
    // What the editor saved before it covered deployments.
    let saved: ServiceDraft = serde_json::from_str(
        r#"{"service":"order","desired_count":"5","strategies":"binpack(memory)","distinct_instance":false,"member_of":""}"#,
    )
    .expect("an old draft still reads");
    let draft = saved.completed(&scenario.services[0]);
    assert_eq!(draft.desired_count, "5");
    assert_eq!(draft.strategies, "binpack(memory)");
    assert_eq!(draft.task_definition, "order:1");
    assert_eq!(draft.minimum_healthy_percent, "50");
    let edited = draft.apply_to(&scenario).expect("valid");
    assert_eq!(
        edited.services[0]
            .deployment_configuration
            .as_ref()
            .and_then(|c| c.minimum_healthy_percent),
        Some(50),
        "applying an old draft keeps the configuration it did not know about"
    );
}

#[test]
fn every_field_error_is_reported_at_once() {
    // A number that does not parse no longer hides the core's errors for the other fields,
    // and every bad strategy is named, not just the first.
    let scenario = microservices();
    let mut order = draft_of(&scenario, "order");
    order.desired_count = "-1".into();
    order.minimum_healthy_percent = "300".into();
    order.maximum_percent = "50".into();
    order.strategies = "spread(colour), binpack(disk)".into();
    let mut found = fields(order.apply_to(&scenario));
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "desired_count",
            "maximum_percent",
            "minimum_healthy_percent",
            "strategies",
            "strategies"
        ]
    );
}
