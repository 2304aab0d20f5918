//! Tests of the cluster query language: the spec's examples, every subject and operator against a
//! two-instance fleet, the documented assumptions, canonical round trips and error columns, as
//! expect-test snapshots.

use super::date::parse_date_epoch_seconds;
use super::eval::{compare_decimals, compare_versions};
use super::*;
use expect_test::{expect, Expect};
use std::cmp::Ordering;
use std::collections::BTreeMap;

struct FakeInstance {
    name: &'static str,
    attributes: BTreeMap<&'static str, &'static str>,
    ec2_instance_id: &'static str,
    agent_connected: bool,
    agent_version: &'static str,
    registered_at_epoch_seconds: i64,
    running_tasks_count: u32,
    task_groups: Vec<&'static str>,
}

impl InstanceFacts for FakeInstance {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).copied()
    }
    fn ec2_instance_id(&self) -> &str {
        self.ec2_instance_id
    }
    fn agent_connected(&self) -> bool {
        self.agent_connected
    }
    fn agent_version(&self) -> &str {
        self.agent_version
    }
    fn registered_at_epoch_seconds(&self) -> i64 {
        self.registered_at_epoch_seconds
    }
    fn running_tasks_count(&self) -> u32 {
        self.running_tasks_count
    }
    fn hosts_task_group(&self, group: &str) -> bool {
        self.task_groups.contains(&group)
    }
}

/// Two instances that differ in every subject.
fn fleet() -> [FakeInstance; 2] {
    [
        FakeInstance {
            name: "web-1",
            attributes: BTreeMap::from([
                ("ecs.instance-type", "t2.small"),
                ("ecs.availability-zone", "us-east-1a"),
                ("ecs.os-family", "LINUX"),
                ("ecs.ami-id", "ami-eca289fb"),
                ("ecs.capability.task-eni", ""),
                ("stack", "prod"),
                ("weight", "9"),
            ]),
            ec2_instance_id: "i-abcd1234",
            agent_connected: true,
            agent_version: "1.14.4",
            // 2018-02-01T00:00:00Z
            registered_at_epoch_seconds: 1_517_443_200,
            running_tasks_count: 1,
            task_groups: vec!["service:production"],
        },
        FakeInstance {
            name: "db-1",
            attributes: BTreeMap::from([
                ("ecs.instance-type", "g2.2xlarge"),
                ("ecs.availability-zone", "us-east-1d"),
                ("ecs.os-family", "WINDOWS_SERVER_2022_FULL"),
                ("ecs.ami-id", "ami-0000beef"),
                ("stack", "Prod"),
                ("weight", "10"),
            ]),
            ec2_instance_id: "i-wxyx7890",
            agent_connected: false,
            agent_version: "1.20.0",
            // 2018-06-18T22:28:28Z
            registered_at_epoch_seconds: 1_529_360_908,
            running_tasks_count: 3,
            task_groups: vec!["database", "family:batch"],
        },
    ]
}

/// Parses, checks that the canonical text reads back to the same expression, and shows the
/// canonical text with the result on each fake instance, or the error under a caret.
fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text));
}

fn render(text: &str) -> String {
    match parse(text) {
        Ok(expression) => {
            let canonical = expression.to_canonical_string();
            assert_eq!(canonical, expression.to_string());
            let reparsed = parse(&canonical).expect("canonical text parses");
            assert_eq!(
                reparsed, expression,
                "canonical text {canonical:?} reads back"
            );
            let results: Vec<String> = fleet()
                .iter()
                .map(|instance| format!("{}={}", instance.name, expression.matches(instance)))
                .collect();
            format!("{canonical}\n{}\n", results.join(" "))
        }
        Err(error) => {
            let shown: String = text.chars().take(80).collect();
            let caret = " ".repeat(error.column.saturating_sub(1) as usize);
            format!("{shown}\n{caret}^ {error}\n")
        }
    }
}

#[test]
fn spec_examples() {
    check(
        "attribute:ecs.instance-type == t2.small",
        expect![[r#"
            attribute:ecs.instance-type == t2.small
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
        expect![[r#"
            attribute:ecs.availability-zone in [us-east-1a, us-east-1b]
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
        expect![[r#"
            attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d
            web-1=false db-1=false
        "#]],
    );
    check(
        "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1a",
        expect![[r#"
            attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1a
            web-1=false db-1=true
        "#]],
    );
    check(
        "task:group == service:production",
        expect![[r#"
            task:group == service:production
            web-1=true db-1=false
        "#]],
    );
    check(
        "not(task:group == database)",
        expect![[r#"
            not(task:group == database)
            web-1=true db-1=false
        "#]],
    );
    check(
        "runningTasksCount == 1",
        expect![[r#"
            runningTasksCount == 1
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentVersion < 1.14.5",
        expect![[r#"
            agentVersion < 1.14.5
            web-1=true db-1=false
        "#]],
    );
    check(
        "registeredAt < 2018-02-13",
        expect![[r#"
            registeredAt < 2018-02-13
            web-1=true db-1=false
        "#]],
    );
    check(
        "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
        expect![[r#"
            ec2InstanceId in [i-abcd1234, i-wxyx7890]
            web-1=true db-1=true
        "#]],
    );
    check(
        "(task:group == database or runningTasksCount == 1) and agentConnected == true",
        expect![[r#"
            (task:group == database or runningTasksCount == 1) and agentConnected == true
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:ecs.os-family == WINDOWS_SERVER_2022_FULL",
        expect![[r#"
            attribute:ecs.os-family == WINDOWS_SERVER_2022_FULL
            web-1=false db-1=true
        "#]],
    );
}

#[test]
fn agent_connected() {
    check(
        "agentConnected == true",
        expect![[r#"
            agentConnected == true
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentConnected != true",
        expect![[r#"
            agentConnected != true
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentConnected in [false]",
        expect![[r#"
            agentConnected in [false]
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentConnected not_in [true, false]",
        expect![[r#"
            agentConnected !in [true, false]
            web-1=false db-1=false
        "#]],
    );
    check(
        "agentConnected =~ t.*",
        expect![[r#"
            agentConnected =~ t.*
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentConnected !~ t.*",
        expect![[r#"
            agentConnected !~ t.*
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentConnected == TRUE",
        expect![[r#"
            agentConnected == TRUE
                              ^ agentConnected compares with true or false, found 'TRUE' at column 19
        "#]],
    );
    check(
        "agentConnected > true",
        expect![[r#"
            agentConnected > true
                           ^ operator '>' is not valid for agentConnected (valid: ==, !=, in, !in, =~, !~) at column 16
        "#]],
    );
}

#[test]
fn agent_version() {
    check(
        "agentVersion == 1.14.4",
        expect![[r#"
            agentVersion == 1.14.4
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentVersion equals 1.20",
        expect![[r#"
            agentVersion == 1.20
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentVersion != 1.20.0",
        expect![[r#"
            agentVersion != 1.20.0
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentVersion > 1.9",
        expect![[r#"
            agentVersion > 1.9
            web-1=true db-1=true
        "#]],
    );
    check(
        "agentVersion >= 1.20.0",
        expect![[r#"
            agentVersion >= 1.20.0
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentVersion less_than_equal 1.14.4",
        expect![[r#"
            agentVersion <= 1.14.4
            web-1=true db-1=false
        "#]],
    );
    check(
        "agentVersion =~ 1.*",
        expect![[r#"
            agentVersion =~ 1.*
                         ^ operator '=~' is not valid for agentVersion (valid: ==, !=, >, >=, <, <=) at column 14
        "#]],
    );
    check(
        "agentVersion < v1.2",
        expect![[r#"
            agentVersion < v1.2
                           ^ agentVersion compares with a version such as 1.14.5, found 'v1.2' at column 16
        "#]],
    );
}

#[test]
fn version_comparison() {
    let cases = [
        ("1.14.5", "1.14.5", Ordering::Equal),
        ("1.14", "1.14.0", Ordering::Equal),
        ("1.9", "1.14", Ordering::Less),
        ("1.014", "1.14", Ordering::Equal),
        ("2", "1.99.99", Ordering::Greater),
        ("1.14.5-beta", "1.14.5", Ordering::Greater),
        ("", "0", Ordering::Greater),
    ];
    for (left, right, expected) in cases {
        assert_eq!(compare_versions(left, right), expected, "{left} vs {right}");
        assert_eq!(
            compare_versions(right, left),
            expected.reverse(),
            "{right} vs {left}"
        );
    }
}

#[test]
fn attributes() {
    check(
        "attribute:stack == prod",
        expect![[r#"
            attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:stack not_equals prod",
        expect![[r#"
            attribute:stack != prod
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:ecs.capability.task-eni exists",
        expect![[r#"
            attribute:ecs.capability.task-eni exists
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:ecs.capability.task-eni !exists",
        expect![[r#"
            attribute:ecs.capability.task-eni !exists
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:ecs.capability.task-eni not_exists || attribute:stack == ''",
        expect![[r#"
            attribute:ecs.capability.task-eni !exists or attribute:stack == ''
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:ecs.availability-zone !in [us-east-1a, us-east-1b]",
        expect![[r#"
            attribute:ecs.availability-zone !in [us-east-1a, us-east-1b]
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:ecs.availability-zone in us-east-1d",
        expect![[r#"
            attribute:ecs.availability-zone in [us-east-1d]
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:ecs.ami-id matches ami-[0-9a-f]{8}",
        expect![[r#"
            attribute:ecs.ami-id =~ ami-[0-9a-f]{8}
            web-1=true db-1=true
        "#]],
    );
    check(
        "attribute:ecs.ami-id matches 'ami-[0-9a-f]{8}'",
        expect![[r#"
            attribute:ecs.ami-id =~ ami-[0-9a-f]{8}
            web-1=true db-1=true
        "#]],
    );
    check(
        "attribute:ecs.ami-id not_matches \"ami-e.*\"",
        expect![[r#"
            attribute:ecs.ami-id !~ ami-e.*
            web-1=false db-1=true
        "#]],
    );
}

#[test]
fn attribute_ordering_is_numeric_when_both_sides_are_numbers() {
    // "9" > "10" as strings; numerically 9 < 10.
    check(
        "attribute:weight > 9.5",
        expect![[r#"
            attribute:weight > 9.5
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:weight greater_than_equal 09",
        expect![[r#"
            attribute:weight >= 09
            web-1=true db-1=true
        "#]],
    );
    check(
        "attribute:weight < 10.0",
        expect![[r#"
            attribute:weight < 10.0
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:weight <= -1",
        expect![[r#"
            attribute:weight <= -1
            web-1=false db-1=false
        "#]],
    );
    // Not numbers: code-point order, so upper case sorts first.
    check(
        "attribute:stack < prod",
        expect![[r#"
            attribute:stack < prod
            web-1=false db-1=true
        "#]],
    );
    let cases = [
        ("10", "9", Some(Ordering::Greater)),
        ("-0", "0.000", Some(Ordering::Equal)),
        ("-2.5", "-2.25", Some(Ordering::Less)),
        ("+3", "3.0", Some(Ordering::Equal)),
        ("0.5", "0.51", Some(Ordering::Less)),
        ("123456789012345678901234567890", "1e3", None),
        ("1.", "1", None),
        (".5", "1", None),
        ("-", "1", None),
    ];
    for (left, right, expected) in cases {
        assert_eq!(compare_decimals(left, right), expected, "{left} vs {right}");
        let reversed = expected.map(Ordering::reverse);
        assert_eq!(compare_decimals(right, left), reversed, "{right} vs {left}");
    }
}

/// Assumption (ecs-semantics §10.3): a missing attribute fails every positive operator and
/// passes every negated one.
#[test]
fn missing_attribute() {
    check(
        "attribute:gpu exists or attribute:gpu == x or attribute:gpu in [x] or attribute:gpu =~ .* \
         or attribute:gpu > 0 or attribute:gpu >= 0 or attribute:gpu < 0 or attribute:gpu <= 0",
        expect![[r#"
            attribute:gpu exists or attribute:gpu == x or attribute:gpu in [x] or attribute:gpu =~ .* or attribute:gpu > 0 or attribute:gpu >= 0 or attribute:gpu < 0 or attribute:gpu <= 0
            web-1=false db-1=false
        "#]],
    );
    check(
        "attribute:gpu !exists and attribute:gpu != x and attribute:gpu !in [x] and attribute:gpu !~ .*",
        expect![[r#"
            attribute:gpu !exists and attribute:gpu != x and attribute:gpu !in [x] and attribute:gpu !~ .*
            web-1=true db-1=true
        "#]],
    );
}

#[test]
fn case_sensitive() {
    check(
        "attribute:stack == Prod",
        expect![[r#"
            attribute:stack == Prod
            web-1=false db-1=true
        "#]],
    );
    check(
        "attribute:STACK exists",
        expect![[r#"
            attribute:STACK exists
            web-1=false db-1=false
        "#]],
    );
    check(
        "AgentConnected == true",
        expect![[r#"
            AgentConnected == true
            ^ unknown subject 'AgentConnected'; expected one of agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount, task:group at column 1
        "#]],
    );
    check(
        "attribute:stack EQUALS prod",
        expect![[r#"
            attribute:stack EQUALS prod
                            ^ unknown operator 'EQUALS'; expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ (or a word form such as not_equals) at column 17
        "#]],
    );
    check(
        "attribute:stack == prod AND attribute:weight == 9",
        expect![[r#"
            attribute:stack == prod AND attribute:weight == 9
                                    ^ expected 'and', 'or' or the end of the expression, found 'AND' at column 25
        "#]],
    );
}

/// Assumption (ecs-semantics §10.3): `=~` must match the whole value.
#[test]
fn regular_expressions_match_the_whole_value() {
    check(
        "attribute:ecs.instance-type =~ t2.*",
        expect![[r#"
            attribute:ecs.instance-type =~ t2.*
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:ecs.instance-type =~ t2",
        expect![[r#"
            attribute:ecs.instance-type =~ t2
            web-1=false db-1=false
        "#]],
    );
    check(
        "attribute:ecs.instance-type =~ small",
        expect![[r#"
            attribute:ecs.instance-type =~ small
            web-1=false db-1=false
        "#]],
    );
    check(
        "attribute:ecs.instance-type =~ 't2\\.(micro|small)|g2\\..*'",
        expect![[r#"
            attribute:ecs.instance-type =~ t2\.(micro|small)|g2\..*
            web-1=true db-1=true
        "#]],
    );
    // Unbalanced parentheses must not escape the anchors.
    check(
        "attribute:stack =~ 'x)|(.*'",
        expect![[r#"
            attribute:stack =~ 'x)|(.*'
                               ^ invalid regular expression 'x)|(.*': found closing ')' without matching '(' at column 20
        "#]],
    );
    check(
        "ec2InstanceId =~ i-[0-9",
        expect![[r#"
            ec2InstanceId =~ i-[0-9
                             ^ invalid regular expression 'i-[0-9': found unclosed character class at column 18
        "#]],
    );
    check(
        "ec2InstanceId =~ 'i-[0-9'",
        expect![[r#"
            ec2InstanceId =~ 'i-[0-9'
                             ^ invalid regular expression 'i-[0-9': found unclosed character class at column 18
        "#]],
    );
    // Unquoted patterns keep balanced brackets, commas and escapes; a closing parenthesis that
    // was not opened inside the pattern ends it.
    check(
        "not(ec2InstanceId =~ i-(a|w)[a-z]{1,3}\\d+.* || attribute:stack =~ (a&&b||p)r\\)?od)",
        expect![[r#"
            not(ec2InstanceId =~ i-(a|w)[a-z]{1,3}\d+.* or attribute:stack =~ (a&&b||p)r\)?od)
            web-1=false db-1=false
        "#]],
    );
    check(
        "attribute:stack =~ 'p rod' or attribute:stack =~ \"it's\" or attribute:stack =~ \"[ ]?prod\"",
        expect![[r#"
            attribute:stack =~ 'p rod' or attribute:stack =~ "it's" or attribute:stack =~ '[ ]?prod'
            web-1=true db-1=false
        "#]],
    );
    check(
        "ec2InstanceId =~ '(?i)I-ABCD.*'",
        expect![[r#"
            ec2InstanceId =~ (?i)I-ABCD.*
            web-1=true db-1=false
        "#]],
    );
    check(
        "ec2InstanceId =~ 'a{1000}{1000}'",
        expect![[r#"
            ec2InstanceId =~ 'a{1000}{1000}'
                             ^ invalid regular expression 'a{1000}{1000}': compiled regex exceeded size limit at column 18
        "#]],
    );
}

#[test]
fn ec2_instance_id() {
    check(
        "ec2InstanceId == 'i-abcd1234'",
        expect![[r#"
            ec2InstanceId == i-abcd1234
            web-1=true db-1=false
        "#]],
    );
    check(
        "ec2InstanceId != i-abcd1234",
        expect![[r#"
            ec2InstanceId != i-abcd1234
            web-1=false db-1=true
        "#]],
    );
    check(
        "ec2InstanceId not_in [\"i-abcd1234\"]",
        expect![[r#"
            ec2InstanceId !in [i-abcd1234]
            web-1=false db-1=true
        "#]],
    );
    check(
        "ec2InstanceId !~ i-w.*",
        expect![[r#"
            ec2InstanceId !~ i-w.*
            web-1=true db-1=false
        "#]],
    );
    check(
        "ec2InstanceId exists",
        expect![[r#"
            ec2InstanceId exists
                          ^ operator 'exists' is not valid for ec2InstanceId (valid: ==, !=, in, !in, =~, !~) at column 15
        "#]],
    );
    check(
        "ec2InstanceId < i-1",
        expect![[r#"
            ec2InstanceId < i-1
                          ^ operator '<' is not valid for ec2InstanceId (valid: ==, !=, in, !in, =~, !~) at column 15
        "#]],
    );
}

#[test]
fn registered_at() {
    check(
        "registeredAt == 2018-06-18T22:28:28Z",
        expect![[r#"
            registeredAt == 2018-06-18T22:28:28Z
            web-1=false db-1=true
        "#]],
    );
    check(
        "registeredAt == 2018-06-19T00:28:28+02:00",
        expect![[r#"
            registeredAt == 2018-06-19T00:28:28+02:00
            web-1=false db-1=true
        "#]],
    );
    check(
        "registeredAt != 2018-06-18T22:28:28",
        expect![[r#"
            registeredAt != 2018-06-18T22:28:28
            web-1=true db-1=false
        "#]],
    );
    check(
        "registeredAt >= 2018-02-01",
        expect![[r#"
            registeredAt >= 2018-02-01
            web-1=true db-1=true
        "#]],
    );
    check(
        "registeredAt greater_than 2018-02-01",
        expect![[r#"
            registeredAt > 2018-02-01
            web-1=false db-1=true
        "#]],
    );
    check(
        "registeredAt <= 2018-06-18T22:28:27+00:00",
        expect![[r#"
            registeredAt <= 2018-06-18T22:28:27+00:00
            web-1=true db-1=false
        "#]],
    );
    check(
        "registeredAt < 2018-02-30",
        expect![[r#"
            registeredAt < 2018-02-30
                           ^ registeredAt compares with a date such as 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18, found '2018-02-30' at column 16
        "#]],
    );
    check(
        "registeredAt in [2018-02-01]",
        expect![[r#"
            registeredAt in [2018-02-01]
                         ^ operator 'in' is not valid for registeredAt (valid: ==, !=, >, >=, <, <=) at column 14
        "#]],
    );
}

#[test]
fn date_formats() {
    let cases = [
        ("2018-06-18T22:28:28+00:00", Some(1_529_360_908)),
        ("2018-06-18T22:28:28Z", Some(1_529_360_908)),
        ("2018-06-18T22:28:28", Some(1_529_360_908)),
        ("2018-06-18T18:28:28-04:00", Some(1_529_360_908)),
        ("2018-06-18", Some(1_529_280_000)),
        ("1970-01-01", Some(0)),
        ("1969-12-31T23:59:59Z", Some(-1)),
        ("2000-02-29", Some(951_782_400)),
        ("2024-02-29T12:00:00Z", Some(1_709_208_000)),
        ("0000-03-01", Some(-62_162_035_200)),
        ("9999-12-31T23:59:59Z", Some(253_402_300_799)),
        ("1900-02-29", None),
        ("2018-13-01", None),
        ("2018-00-10", None),
        ("2018-06-00", None),
        ("2018-06-18T24:00:00", None),
        ("2018-06-18T22:60:00", None),
        ("2018-06-18T22:28:60", None),
        ("2018-06-18t22:28:28", None),
        ("2018-06-18T22:28:28z", None),
        ("2018-06-18T22:28:28.5Z", None),
        ("2018-06-18T22:28:28+0000", None),
        ("2018-06-18T22:28", None),
        ("2018-6-18", None),
        ("18-06-18", None),
        ("2018-06-18 22:28:28", None),
        ("２０１８-06-18", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_date_epoch_seconds(text), expected, "{text}");
    }
}

#[test]
fn running_tasks_count() {
    check(
        "runningTasksCount != 1",
        expect![[r#"
            runningTasksCount != 1
            web-1=false db-1=true
        "#]],
    );
    check(
        "runningTasksCount > 1",
        expect![[r#"
            runningTasksCount > 1
            web-1=false db-1=true
        "#]],
    );
    check(
        "runningTasksCount>=3",
        expect![[r#"
            runningTasksCount >= 3
            web-1=false db-1=true
        "#]],
    );
    check(
        "runningTasksCount < 3",
        expect![[r#"
            runningTasksCount < 3
            web-1=true db-1=false
        "#]],
    );
    check(
        "runningTasksCount <= 0003",
        expect![[r#"
            runningTasksCount <= 0003
            web-1=true db-1=true
        "#]],
    );
    check(
        "runningTasksCount =~ x",
        expect![[r#"
            runningTasksCount =~ x
                              ^ operator '=~' is not valid for runningTasksCount (valid: ==, !=, >, >=, <, <=) at column 19
        "#]],
    );
    check(
        "runningTasksCount == -1",
        expect![[r#"
            runningTasksCount == -1
                                 ^ runningTasksCount compares with a whole number, found '-1' at column 22
        "#]],
    );
    check(
        "runningTasksCount == 99999999999999999999999",
        expect![[r#"
            runningTasksCount == 99999999999999999999999
                                 ^ runningTasksCount compares with a whole number, found '99999999999999999999999' at column 22
        "#]],
    );
}

#[test]
fn task_group() {
    check(
        "task:group != database",
        expect![[r#"
            task:group != database
            web-1=true db-1=false
        "#]],
    );
    check(
        "task:group in [family:batch, service:production]",
        expect![[r#"
            task:group in [family:batch, service:production]
            web-1=true db-1=true
        "#]],
    );
    check(
        "task:group !in [family:batch, service:web]",
        expect![[r#"
            task:group !in [family:batch, service:web]
            web-1=true db-1=false
        "#]],
    );
    check(
        "!task:group == database",
        expect![[r#"
            not(task:group == database)
            web-1=true db-1=false
        "#]],
    );
    check(
        "task:group =~ data.*",
        expect![[r#"
            task:group =~ data.*
                       ^ operator '=~' is not valid for task:group (valid: ==, !=, in, !in) at column 12
        "#]],
    );
}

#[test]
fn boolean_structure() {
    check(
        "agentConnected == true && runningTasksCount < 5 && attribute:stack == prod",
        expect![[r#"
            agentConnected == true and runningTasksCount < 5 and attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:stack == Prod || attribute:stack == prod or runningTasksCount == 9",
        expect![[r#"
            attribute:stack == Prod or attribute:stack == prod or runningTasksCount == 9
            web-1=true db-1=true
        "#]],
    );
    check(
        "((attribute:stack == prod))",
        expect![[r#"
            attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "(attribute:stack == prod and runningTasksCount == 1) and agentConnected == true",
        expect![[r#"
            (attribute:stack == prod and runningTasksCount == 1) and agentConnected == true
            web-1=true db-1=false
        "#]],
    );
    // `not` binds to what follows it, not to the whole chain.
    check(
        "not task:group == database and runningTasksCount == 3",
        expect![[r#"
            not(task:group == database) and runningTasksCount == 3
            web-1=false db-1=false
        "#]],
    );
    check(
        "not (task:group == database and runningTasksCount == 3)",
        expect![[r#"
            not(task:group == database and runningTasksCount == 3)
            web-1=true db-1=false
        "#]],
    );
    check(
        "!!not(runningTasksCount==1)",
        expect![[r#"
            not(not(not(runningTasksCount == 1)))
            web-1=false db-1=true
        "#]],
    );
    check(
        "agentConnected==true&&attribute:stack==prod",
        expect![[r#"
            agentConnected == true and attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "runningTasksCount == 1 and(attribute:stack == prod)",
        expect![[r#"
            runningTasksCount == 1 and attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "attribute:q == 'a && b' or attribute:q == \"it's\" or attribute:q == 'x,y]'",
        expect![[r#"
            attribute:q == 'a && b' or attribute:q == "it's" or attribute:q == 'x,y]'
            web-1=false db-1=false
        "#]],
    );
    check(
        "\tattribute:stack\n==\r\nprod ",
        expect![[r#"
            attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
}

/// Assumption (ecs-semantics §10.3): no precedence between `and` and `or`.
#[test]
fn mixing_and_or_needs_parentheses() {
    check(
        "runningTasksCount == 1 and agentConnected == true or attribute:stack == prod",
        expect![[r#"
            runningTasksCount == 1 and agentConnected == true or attribute:stack == prod
                                                              ^ mixing 'and' and 'or' without parentheses is ambiguous; add parentheses at column 51
        "#]],
    );
    check(
        "runningTasksCount == 1 || agentConnected == true && attribute:stack == prod",
        expect![[r#"
            runningTasksCount == 1 || agentConnected == true && attribute:stack == prod
                                                             ^ mixing 'and' and 'or' without parentheses is ambiguous; add parentheses at column 50
        "#]],
    );
    check(
        "(runningTasksCount == 1 and agentConnected == true) or attribute:stack == prod",
        expect![[r#"
            (runningTasksCount == 1 and agentConnected == true) or attribute:stack == prod
            web-1=true db-1=false
        "#]],
    );
    check(
        "runningTasksCount == 1 and (agentConnected == true or attribute:stack == prod)",
        expect![[r#"
            runningTasksCount == 1 and (agentConnected == true or attribute:stack == prod)
            web-1=true db-1=false
        "#]],
    );
    check(
        "not(runningTasksCount == 1 or agentConnected == true) and attribute:stack == prod",
        expect![[r#"
            not(runningTasksCount == 1 or agentConnected == true) and attribute:stack == prod
            web-1=false db-1=false
        "#]],
    );
}

#[test]
fn errors() {
    check(
        "attribute:ecs.instance-type",
        expect![[r#"
            attribute:ecs.instance-type
                                       ^ expected an operator after 'attribute:ecs.instance-type' at column 28
        "#]],
    );
    check(
        "foo == bar",
        expect![[r#"
            foo == bar
            ^ unknown subject 'foo'; expected one of agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount, task:group at column 1
        "#]],
    );
    check(
        "attribute:stack ==",
        expect![[r#"
            attribute:stack ==
                              ^ expected a value after '==', found the end of the expression at column 19
        "#]],
    );
    check(
        "(attribute:stack == ) and agentConnected == true",
        expect![[r#"
            (attribute:stack == ) and agentConnected == true
                                ^ expected a value after '==', found ')' at column 21
        "#]],
    );
    check(
        "ec2InstanceId == 'i-abcd1234",
        expect![[r#"
            ec2InstanceId == 'i-abcd1234
                             ^ unterminated quoted value; add the closing ' at column 18
        "#]],
    );
    check(
        "(attribute:stack == prod",
        expect![[r#"
            (attribute:stack == prod
                                    ^ missing ')' to close the '(' at column 1 at column 25
        "#]],
    );
    check(
        "attribute:stack == prod)",
        expect![[r#"
            attribute:stack == prod)
                                   ^ unexpected ')' without a matching '(' at column 24
        "#]],
    );
    check(
        "(attribute:stack == prod x)",
        expect![[r#"
            (attribute:stack == prod x)
                                     ^ expected 'and', 'or' or ')', found 'x' at column 26
        "#]],
    );
    check(
        "attribute:stack == [prod]",
        expect![[r#"
            attribute:stack == [prod]
                               ^ a list is only valid with 'in' or '!in', not '==' at column 20
        "#]],
    );
    check(
        "attribute:stack in []",
        expect![[r#"
            attribute:stack in []
                                ^ the list is empty at column 21
        "#]],
    );
    check(
        "attribute:stack in [a,]",
        expect![[r#"
            attribute:stack in [a,]
                                  ^ expected a value in the list, found ']' at column 23
        "#]],
    );
    check(
        "attribute:stack in [a b]",
        expect![[r#"
            attribute:stack in [a b]
                                  ^ expected ',' or ']' in the list, found 'b' at column 23
        "#]],
    );
    check(
        "attribute:stack in [a, b",
        expect![[r#"
            attribute:stack in [a, b
                                    ^ missing ']' to close the list at column 20 at column 25
        "#]],
    );
    check(
        "attribute:stack exists prod",
        expect![[r#"
            attribute:stack exists prod
                                   ^ 'exists' takes no value, found 'prod' at column 24
        "#]],
    );
    check(
        "attribute:stack = prod",
        expect![[r#"
            attribute:stack = prod
                            ^ unknown operator '='; expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ (or a word form such as not_equals) at column 17
        "#]],
    );
    check(
        "attribute:stack !inn [a]",
        expect![[r#"
            attribute:stack !inn [a]
                            ^ unknown operator '!inn'; expected one of ==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ (or a word form such as not_equals) at column 17
        "#]],
    );
    check(
        "attribute: == x",
        expect![[r#"
            attribute: == x
                      ^ expected an attribute name after 'attribute:' at column 11
        "#]],
    );
    check(
        "attribute:ecs@type == x",
        expect![[r#"
            attribute:ecs@type == x
                         ^ attribute names may contain only letters, digits, '-', '_', '/' and '.', found '@' at column 14
        "#]],
    );
    check(
        "== x",
        expect![[r#"
            == x
            ^ expected a subject, '(' or 'not', found '==' at column 1
        "#]],
    );
    check(
        "attribute:stack == prod and",
        expect![[r#"
            attribute:stack == prod and
                                       ^ expected a subject, '(' or 'not', found the end of the expression at column 28
        "#]],
    );
    check(
        "and attribute:stack == prod",
        expect![[r#"
            and attribute:stack == prod
            ^ expected a subject, '(' or 'not', found 'and' at column 1
        "#]],
    );
    check(
        "attribute:stack == prod attribute:weight == 9",
        expect![[r#"
            attribute:stack == prod attribute:weight == 9
                                    ^ expected 'and', 'or' or the end of the expression, found 'attribute:weight' at column 25
        "#]],
    );
    check(
        "",
        expect![[r#"

            ^ expression is empty at column 1
        "#]],
    );
    check(
        "()",
        expect![[r#"
            ()
             ^ expected a subject, '(' or 'not', found ')' at column 2
        "#]],
    );
}

#[test]
fn whitespace_only_is_empty() {
    let error = parse("  \t\n ").unwrap_err();
    assert_eq!(error.to_string(), "expression is empty at column 6");
}

#[test]
fn attribute_name_length() {
    let name = "n".repeat(128);
    assert!(parse(&format!("attribute:{name} exists")).is_ok());
    let error = parse(&format!("attribute:{name}x exists")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "attribute name is 129 characters; the limit is 128 at column 11"
    );
}

#[test]
fn expression_length_limit() {
    let condition = "runningTasksCount == 1";
    let at_limit = format!("{condition}{}", " ".repeat(2000 - condition.len()));
    assert!(parse(&at_limit).is_ok());
    let text = format!("{condition}{}", " ".repeat(2345 - condition.len()));
    let error = parse(&text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "expression is 2345 characters; the limit is 2000 at column 2001"
    );
    // Characters, not bytes.
    let wide = format!("attribute:x == '{}'", "é".repeat(1980));
    assert_eq!(wide.chars().count(), 1997);
    assert!(parse(&wide).is_ok());
}

#[test]
fn nesting_depth_limit() {
    let nested = |depth: usize| {
        format!(
            "{}agentConnected == true{}",
            "(".repeat(depth),
            ")".repeat(depth)
        )
    };
    assert!(parse(&nested(64)).is_ok());
    assert_eq!(
        parse(&nested(65)).unwrap_err().to_string(),
        "expression nests parentheses and 'not' more than 64 deep at column 65"
    );
    let nots = |depth: usize| format!("{}agentConnected == true", "!".repeat(depth));
    assert!(parse(&nots(64)).is_ok());
    assert_eq!(parse(&nots(1970)).unwrap_err().column, 65);
    let mixed = "not(".repeat(40) + "!(".repeat(40).as_str();
    assert_eq!(parse(&mixed).unwrap_err().column, 4 * 32 + 1);
}

#[test]
fn referenced_attributes_and_task_dependence() {
    let expression = parse(
        "(attribute:zone in [a, b] and not(attribute:os exists)) or (attribute:zone == c and agentVersion > 1)",
    )
    .unwrap();
    assert_eq!(expression.referenced_attributes(), ["os", "zone"]);
    assert!(!expression.depends_on_tasks());
    for text in [
        "not(task:group == db)",
        "agentConnected == true or runningTasksCount < 2",
    ] {
        let expression = parse(text).unwrap();
        assert!(expression.depends_on_tasks(), "{text}");
        assert!(expression.referenced_attributes().is_empty());
    }
}

/// xorshift64*: deterministic, no dependency; the seed is printed by the failing assertion.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TOKENS: &[&str] = &[
    "agentConnected",
    "agentVersion",
    "attribute:ecs.instance-type",
    "attribute:stack",
    "attribute:weight",
    "attribute:",
    "ec2InstanceId",
    "registeredAt",
    "runningTasksCount",
    "task:group",
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "exists",
    "!exists",
    "not_exists",
    "in",
    "!in",
    "not_in",
    "=~",
    "!~",
    "matches",
    "not_matches",
    "equals",
    "greater_than_equal",
    "&&",
    "||",
    "and",
    "or",
    "not",
    "!",
    "(",
    ")",
    "[",
    "]",
    ",",
    "'",
    "\"",
    "true",
    "false",
    "t2.small",
    "g2.*",
    "1.14.5",
    "2018-06-18",
    "2018-06-18T22:28:28Z",
    "1",
    "-2.5",
    "prod",
    "'quoted value'",
    "\"it's\"",
    "service:production",
    "[a, b]",
    "'(a|b)*'",
    "x{9999}",
    " ",
    " ",
    " ",
    "\t",
    "&",
    "|",
    "=",
    "~",
    "é",
    "日",
    "\u{0}",
    "\u{202e}",
    "😀",
];

const VALID: &[&str] = &[
    "attribute:ecs.instance-type == t2.small",
    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
    "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
    "not(task:group == database)",
    "registeredAt < 2018-02-13 || agentVersion >= 1.14.5",
    "ec2InstanceId in ['i-abcd1234', \"i-wxyx7890\"]",
    "(runningTasksCount == 1 or attribute:x exists) and !(agentConnected != true)",
    "attribute:q == 'a && b' or attribute:q =~ '(x|y)+' or attribute:w <= -1.5",
];

fn assert_round_trip(text: &str, seed: u64) {
    let fleet = fleet();
    let char_count = text.chars().count() as u32;
    match parse(text) {
        Ok(expression) => {
            let canonical = expression.to_canonical_string();
            let reparsed = parse_with_limit(&canonical, None)
                .unwrap_or_else(|error| panic!("seed {seed}: {text:?} -> {canonical:?}: {error}"));
            assert_eq!(
                reparsed, expression,
                "seed {seed}: {text:?} -> {canonical:?}"
            );
            for instance in &fleet {
                assert_eq!(
                    reparsed.matches(instance),
                    expression.matches(instance),
                    "seed {seed}"
                );
            }
            let _ = (
                expression.referenced_attributes(),
                expression.depends_on_tasks(),
            );
        }
        Err(error) => {
            assert!(
                (1..=char_count.max(EXPRESSION_CHARS_MAX) + 1).contains(&error.column),
                "seed {seed}: {text:?}: column {} out of range",
                error.column
            );
            assert!(!error.message.is_empty());
        }
    }
}

/// Property: no input panics, error columns lie inside the text, and every successful parse
/// reads back from its canonical text as an equal expression with equal results.
#[test]
fn random_inputs_never_panic_and_round_trip() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut inputs = 0u32;
    let mut parsed = 0u32;
    for case in 0..20_000u64 {
        let mut text = String::new();
        for _ in 0..rng.below(24) {
            if rng.below(8) == 0 {
                text.push(char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'));
            } else {
                text.push_str(rng.pick(TOKENS));
                if rng.below(3) != 0 {
                    text.push(' ');
                }
            }
        }
        parsed += u32::from(parse(&text).is_ok());
        assert_round_trip(&text, case);
        inputs += 1;
    }
    // Mutations of valid expressions: every truncation, and random edits.
    for (index, valid) in VALID.iter().enumerate() {
        let chars: Vec<char> = valid.chars().collect();
        for cut in 0..=chars.len() {
            let truncated: String = chars[..cut].iter().collect();
            assert_round_trip(&truncated, index as u64);
            let tail: String = chars[cut..].iter().collect();
            assert_round_trip(&tail, index as u64);
            inputs += 2;
        }
        for edit in 0..500u64 {
            let mut edited = chars.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(edited.len() + 1);
                let token: Vec<char> = rng.pick(TOKENS).chars().collect();
                match rng.below(3) {
                    0 if at < edited.len() => {
                        edited.remove(at);
                    }
                    1 => {
                        edited.splice(at..at, token);
                    }
                    _ => {
                        let end = (at + token.len()).min(edited.len());
                        edited.splice(at..end, token);
                    }
                }
            }
            let edited: String = edited.into_iter().collect();
            parsed += u32::from(parse(&edited).is_ok());
            assert_round_trip(&edited, edit);
            inputs += 1;
        }
    }
    assert!(inputs >= 20_000, "{inputs} inputs");
    // The generator must reach the evaluator, not only the error paths.
    assert!(parsed >= 500, "only {parsed} of {inputs} inputs parsed");
}
