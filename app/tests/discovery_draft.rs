//! The discovery and traffic editor's draft (native): a member's text is what the scenario file
//! writes; an edit reports every problem at once with its path from the file's root (syntax with
//! line and column, shape, then the whole scenario's compile problems); every Add template
//! compiles; removing a member something still names gives the problems instead; a draft whose
//! member is gone says so; drafts survive storage.

use expect_test::{expect, Expect};
use flotilla_app::discovery_draft::{
    can_add, member_rows, remove_member, Checked, MemberDraft, MemberKind,
};
use flotilla_app::drafts::Drafts;
use flotilla_core::builtin::default_scenario;
use flotilla_core::json_input::from_json_text;
use flotilla_core::{parse_scenario, Scenario};

fn microservices() -> Scenario {
    parse_scenario(default_scenario().json).expect("the default scenario is valid")
}

fn edit(scenario: &Scenario, kind: MemberKind, name: &str) -> MemberDraft {
    MemberDraft::edit(scenario, kind, name).expect("the member exists")
}

/// The draft's problems, one `path: message` a line.
fn check_problems(draft: &MemberDraft, scenario: &Scenario, expected: Expect) {
    match draft.check(scenario) {
        Checked::Problems(problems) => {
            let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            expected.assert_eq(&lines.join("\n"));
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

fn ready(draft: &MemberDraft, scenario: &Scenario) -> Scenario {
    match draft.check(scenario) {
        Checked::Ready(edited) => *edited,
        other => panic!("expected the draft to apply, got {other:?}"),
    }
}

#[test]
fn a_member_reads_as_the_scenario_file_writes_it_and_applies_unchanged() {
    let scenario = microservices();
    let draft = edit(&scenario, MemberKind::TargetGroup, "order");
    expect![[r#"
        {
          "name": "order",
          "protocol": "HTTP",
          "port": 8080,
          "healthCheck": {
            "path": "/health"
          },
          "attributes": {
            "deregistrationDelaySeconds": 30
          }
        }"#]]
    .assert_eq(&draft.text);
    assert_eq!(
        draft.title(&scenario),
        "Target group \u{201c}order\u{201d} (targetGroups[0])"
    );
    assert!(draft.is_unchanged(&scenario));
    let typed = MemberDraft {
        text: draft.text.replace("8080", "8081"),
        ..draft.clone()
    };
    assert!(!typed.is_unchanged(&scenario));
    assert!(!MemberDraft::add(&scenario, MemberKind::TargetGroup).is_unchanged(&scenario));
    for kind in MemberKind::ALL {
        for row in member_rows(&scenario, kind) {
            let draft = edit(&scenario, kind, &row.name);
            assert_eq!(ready(&draft, &scenario), scenario, "{} unchanged", row.path);
        }
    }
}

#[test]
fn rows_say_each_member_in_plain_words() {
    let scenario = microservices();
    let rows: Vec<String> = MemberKind::ALL
        .iter()
        .flat_map(|kind| member_rows(&scenario, *kind))
        .map(|row| format!("{} | {}", row.path, row.summary))
        .collect();
    expect![[r#"
        loadBalancers[0] | web-alb · ALB · 1 listener :80 HTTP · 3 rules
        targetGroups[0] | order · HTTP :8080 · health check /health · deregistration delay 30 s
        targetGroups[1] | user · HTTP :8080 · health check /health · deregistration delay 30 s
        targetGroups[2] | shipping · HTTP :8080 · health check /health · deregistration delay 30 s
        route53.hostedZones[0] | example.com · 1 record: api.example.com A → web-alb
        traffic | 1 entry point: shoppers → api.example.com · 2 calls: order → user, order → shipping"#]]
    .assert_eq(&rows.join("\n"));
}

#[test]
fn an_edit_applies_what_was_typed() {
    let scenario = microservices();
    let mut draft = edit(&scenario, MemberKind::TargetGroup, "order");
    draft.text = draft.text.replace(
        "\"deregistrationDelaySeconds\": 30",
        "\"deregistrationDelaySeconds\": 0",
    );
    let edited = ready(&draft, &scenario);
    let delay = edited.target_groups[0]
        .attributes
        .as_ref()
        .and_then(|a| a.deregistration_delay_seconds);
    assert_eq!(delay, Some(0));
    assert_eq!(
        edited.target_groups[1..],
        scenario.target_groups[1..],
        "only the edited member changed"
    );
}

#[test]
fn every_problem_of_an_edit_is_reported_at_once_with_its_path() {
    let scenario = microservices();
    // A weight over ELB's 999 and a target group that does not exist, in one load balancer.
    let mut draft = edit(&scenario, MemberKind::LoadBalancer, "web-alb");
    draft.text = draft.text.replacen(
        "\"targetGroup\": \"user\"",
        "\"targetGroup\": \"user\",\n\"weight\": 1000",
        1,
    );
    draft.text = draft.text.replacen(
        "\"targetGroup\": \"shipping\"",
        "\"targetGroup\": \"shiping\"",
        1,
    );
    check_problems(
        &draft,
        &scenario,
        expect![[r#"
            loadBalancers[0].listeners[0].rules[1].forward[0].weight: must be from 0 to 999, found 1000
            loadBalancers[0].listeners[0].rules[2].forward[0].targetGroup: no target group named "shiping" in targetGroups"#]],
    );
    // Route 53's weights end at 255; an alias must name a load balancer of the scenario.
    let mut zone = edit(&scenario, MemberKind::HostedZone, "example.com");
    zone.text = zone
        .text
        .replace(
            "\"loadBalancer\": \"web-alb\"",
            "\"loadBalancer\": \"api-alb\"",
        )
        .replace(
            "\"type\": \"A\",",
            "\"type\": \"A\",\n\"setIdentifier\": \"blue\",\n\"weight\": 300,",
        );
    check_problems(
        &zone,
        &scenario,
        expect![[r#"
            route53.hostedZones[0].records[0].weight: must be from 0 to 255, found 300
            route53.hostedZones[0].records[0].alias.loadBalancer: no load balancer named "api-alb" in loadBalancers"#]],
    );
}

#[test]
fn a_shape_error_is_reported_at_its_path() {
    let scenario = microservices();
    let mut draft = edit(&scenario, MemberKind::TargetGroup, "user");
    draft.text = draft
        .text
        .replace("\"port\": 8080", "\"port\": \"eighty\", \"colour\": 1");
    check_problems(
        &draft,
        &scenario,
        expect![[r#"
            targetGroups[1].colour: unknown field; expected one of name, targetType, protocol, port, healthCheck, attributes
            targetGroups[1].port: expected a whole number from 0 to 4294967295, found the string "eighty""#]],
    );
}

#[test]
fn malformed_json_says_its_line_and_column() {
    let scenario = microservices();
    let mut draft = edit(&scenario, MemberKind::TargetGroup, "order");
    // The comma after "protocol": "HTTP" taken out: line 4 starts with a key where ',' belongs.
    draft.text = draft.text.replacen("\"HTTP\",", "\"HTTP\"", 1);
    check_problems(
        &draft,
        &scenario,
        expect![[r#"not valid JSON at line 4 column 3: expected `,` or `}`"#]],
    );
    for text in [
        "",
        "{",
        "[1,",
        "\u{0}",
        "{\"name\": \"\u{1F600}\"}",
        "null",
        "42",
    ] {
        draft.text = text.to_string();
        assert!(
            matches!(draft.check(&scenario), Checked::Problems(p) if !p.is_empty()),
            "{text:?}"
        );
    }
}

#[test]
fn every_add_template_compiles_with_a_name_no_member_has() {
    let scenario = microservices();
    let mut without_traffic = scenario.clone();
    without_traffic.traffic = None;
    assert!(
        !can_add(&scenario, MemberKind::Traffic),
        "one traffic member"
    );
    for kind in MemberKind::ALL {
        let base = if kind == MemberKind::Traffic {
            &without_traffic
        } else {
            &scenario
        };
        assert!(can_add(base, kind));
        let draft = MemberDraft::add(base, kind);
        let added = ready(&draft, base);
        let rows = member_rows(&added, kind);
        assert_eq!(
            rows.len(),
            member_rows(base, kind).len() + 1,
            "{kind:?} added"
        );
        if kind == MemberKind::Traffic {
            let second = MemberDraft::add(&added, kind).check(&added);
            assert!(matches!(second, Checked::Gone(_)), "one traffic member");
            continue;
        }
        // A second one gets another name and compiles too.
        let again = ready(&MemberDraft::add(&added, kind), &added);
        assert_eq!(member_rows(&again, kind).len(), rows.len() + 1);
    }
    let zone = ready(
        &MemberDraft::add(&scenario, MemberKind::HostedZone),
        &scenario,
    );
    expect!["example-2.com · 1 record: www.example-2.com A → web-alb"]
        .assert_eq(&member_rows(&zone, MemberKind::HostedZone)[1].summary);
}

#[test]
fn removing_a_target_group_something_names_gives_the_problems_instead() {
    let scenario = microservices();
    let problems =
        remove_member(&scenario, MemberKind::TargetGroup, "user").expect_err("still named");
    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    expect![[r#"
        services[1].loadBalancers[0].targetGroupArn: no target group named "user" in targetGroups
        loadBalancers[0].listeners[0].rules[1].forward[0].targetGroup: no target group named "user" in targetGroups"#]]
    .assert_eq(&lines.join("\n"));
    // Traffic goes as a whole; nothing names it.
    let quiet = remove_member(&scenario, MemberKind::Traffic, "traffic").expect("traffic goes");
    assert_eq!(quiet.traffic, None);
    assert!(
        !quiet.to_json().contains("\"traffic\""),
        "no traffic member at all"
    );
    // One nothing names goes.
    let added = ready(
        &MemberDraft::add(&scenario, MemberKind::TargetGroup),
        &scenario,
    );
    let removed =
        remove_member(&added, MemberKind::TargetGroup, "my-target-group").expect("unused");
    assert_eq!(removed, scenario);
}

#[test]
fn a_draft_whose_member_is_gone_says_so() {
    let scenario = microservices();
    let added = ready(
        &MemberDraft::add(&scenario, MemberKind::TargetGroup),
        &scenario,
    );
    let draft = edit(&added, MemberKind::TargetGroup, "my-target-group");
    // Removed behind the draft's back (or another scenario opened, or Undo).
    let Checked::Gone(gone) = draft.check(&scenario) else {
        panic!("the draft's member is gone");
    };
    expect!["The target group “my-target-group” this draft edits is no longer in the scenario (removed, renamed or another scenario opened): discard the draft, or Add a new one and paste the text there."]
        .assert_eq(&gone.message);
    assert_eq!(
        draft.title(&scenario),
        "Target group \u{201c}my-target-group\u{201d}"
    );
    // Added as a new one, it applies again.
    let again = MemberDraft {
        name: None,
        ..draft
    };
    assert_eq!(ready(&again, &scenario), added);
    // A draft follows its member by name when one before it goes.
    let two = ready(&MemberDraft::add(&added, MemberKind::TargetGroup), &added);
    let mut second = edit(&two, MemberKind::TargetGroup, "my-target-group-2");
    assert_eq!(
        second.title(&two),
        "Target group \u{201c}my-target-group-2\u{201d} (targetGroups[4])"
    );
    let one = remove_member(&two, MemberKind::TargetGroup, "my-target-group").expect("unused");
    assert_eq!(
        second.title(&one),
        "Target group \u{201c}my-target-group-2\u{201d} (targetGroups[3])"
    );
    second.text = second.text.replace("8080", "9090");
    let edited = ready(&second, &one);
    assert_eq!(edited.target_groups.len(), 4);
    assert_eq!(edited.target_groups[3].port, 9090);
}

#[test]
fn a_draft_survives_storage_and_older_drafts_still_read() {
    let scenario = microservices();
    let mut drafts = Drafts::default();
    let mut draft = edit(&scenario, MemberKind::LoadBalancer, "web-alb");
    draft.text.push_str("\n{ half typed");
    drafts.discovery = Some(draft);
    let stored = serde_json::to_string(&drafts).expect("drafts serialise");
    assert_eq!(from_json_text::<Drafts>(&stored), Ok(drafts));
    let older: Drafts =
        from_json_text("{\"fleet\": {\"count\": \"2\"}}").expect("an older draft reads");
    assert_eq!(older.discovery, None);
}
