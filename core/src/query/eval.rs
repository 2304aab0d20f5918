//! Evaluation of a parsed expression against one container instance seen through
//! [`InstanceFacts`]: the per-operator semantics (decimal and dotted-version ordering, missing
//! attributes, `task:group`). Kept apart from parsing because it runs for every candidate instance
//! during placement and must stay allocation-free.

use std::cmp::Ordering;

use super::syntax::{Actual, Argument, Condition, Node, Operator, Subject, Typed, Value};
use super::InstanceFacts;

impl Node {
    pub(super) fn evaluate(&self, facts: &impl InstanceFacts) -> bool {
        match self {
            Node::All(items) => items.iter().all(|item| item.evaluate(facts)),
            Node::Any(items) => items.iter().any(|item| item.evaluate(facts)),
            Node::Not(item) => !item.evaluate(facts),
            Node::Condition(condition) => condition.evaluate(facts),
        }
    }

    pub(super) fn collect_attributes<'a>(&'a self, names: &mut Vec<&'a str>) {
        match self {
            Node::All(items) | Node::Any(items) => {
                items.iter().for_each(|item| item.collect_attributes(names))
            }
            Node::Not(item) => item.collect_attributes(names),
            Node::Condition(condition) => {
                if let Subject::Attribute(name) = &condition.subject {
                    names.push(name);
                }
            }
        }
    }

    pub(super) fn depends_on_tasks(&self) -> bool {
        match self {
            Node::All(items) | Node::Any(items) => items.iter().any(Node::depends_on_tasks),
            Node::Not(item) => item.depends_on_tasks(),
            Node::Condition(condition) => matches!(
                condition.subject,
                Subject::TaskGroup | Subject::RunningTasksCount
            ),
        }
    }
}

impl Condition {
    pub(super) fn evaluate(&self, facts: &impl InstanceFacts) -> bool {
        let (positive, negated) = self.operator.split_negation();
        let holds = match &self.subject {
            Subject::TaskGroup => task_group_holds(positive, &self.argument, facts),
            subject => {
                let actual = match subject {
                    Subject::AgentConnected => Actual::Text(bool_text(facts.agent_connected())),
                    Subject::AgentVersion => Actual::Version(facts.agent_version()),
                    Subject::Attribute(name) => match facts.attribute(name) {
                        Some(value) => Actual::Text(value),
                        None => Actual::Missing,
                    },
                    Subject::Ec2InstanceId => Actual::Text(facts.ec2_instance_id()),
                    Subject::RegisteredAt => {
                        Actual::EpochSeconds(facts.registered_at_epoch_seconds())
                    }
                    Subject::RunningTasksCount => {
                        Actual::Count(u64::from(facts.running_tasks_count()))
                    }
                    Subject::TaskGroup => Actual::Missing,
                };
                actual_holds(actual, positive, &self.argument)
            }
        };
        holds != negated
    }
}

/// `agentConnected` compares as the text `true`/`false`, so `=~` and `in` work on it too.
pub(super) fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Assumption (ecs-semantics §10.3): `task:group == X` holds when the instance hosts a task of
/// group X; `in` when it hosts a task of any listed group.
pub(super) fn task_group_holds(
    operator: Operator,
    argument: &Argument,
    facts: &impl InstanceFacts,
) -> bool {
    match (operator, argument) {
        (Operator::Equals, Argument::Value(value)) => facts.hosts_task_group(&value.text),
        (Operator::In, Argument::List(values)) => values
            .iter()
            .any(|value| facts.hosts_task_group(&value.text)),
        _ => false,
    }
}

/// Evaluates a positive operator; a missing attribute makes every positive operator false.
pub(super) fn actual_holds(actual: Actual<'_>, operator: Operator, argument: &Argument) -> bool {
    if let Actual::Missing = actual {
        return false;
    }
    match (operator, argument) {
        (Operator::Exists, _) => true,
        (Operator::Equals, Argument::Value(value)) => equal(actual, value),
        (Operator::In, Argument::List(values)) => values.iter().any(|value| equal(actual, value)),
        (Operator::Matches, Argument::Pattern(pattern)) => match actual {
            #[cfg(feature = "regex")]
            Actual::Text(text) | Actual::Version(text) => pattern.regex.is_match(text),
            // Without the `regex` feature no pattern is ever parsed (`compile_pattern`).
            #[cfg(not(feature = "regex"))]
            Actual::Text(_) | Actual::Version(_) => {
                let _ = pattern;
                false
            }
            _ => false,
        },
        (
            Operator::GreaterThan
            | Operator::GreaterThanEqual
            | Operator::LessThan
            | Operator::LessThanEqual,
            Argument::Value(value),
        ) => match compare(actual, value) {
            Some(ordering) => match operator {
                Operator::GreaterThan => ordering == Ordering::Greater,
                Operator::GreaterThanEqual => ordering != Ordering::Less,
                Operator::LessThan => ordering == Ordering::Less,
                _ => ordering != Ordering::Greater,
            },
            None => false,
        },
        _ => false,
    }
}

pub(super) fn equal(actual: Actual<'_>, value: &Value) -> bool {
    match (actual, value.typed) {
        (Actual::Text(text), _) => text == value.text,
        (Actual::Version(version), _) => compare_versions(version, &value.text) == Ordering::Equal,
        (Actual::Count(count), Typed::Count(expected)) => count == expected,
        (Actual::EpochSeconds(seconds), Typed::EpochSeconds(expected)) => seconds == expected,
        _ => false,
    }
}

/// Ordering of the instance's value relative to the literal.
pub(super) fn compare(actual: Actual<'_>, value: &Value) -> Option<Ordering> {
    match (actual, value.typed) {
        (Actual::Text(text), _) => Some(
            compare_decimals(text, &value.text).unwrap_or_else(|| text.cmp(value.text.as_str())),
        ),
        (Actual::Version(version), _) => Some(compare_versions(version, &value.text)),
        (Actual::Count(count), Typed::Count(expected)) => Some(count.cmp(&expected)),
        (Actual::EpochSeconds(seconds), Typed::EpochSeconds(expected)) => {
            Some(seconds.cmp(&expected))
        }
        _ => None,
    }
}

/// A decimal number `[+-]?digits(.digits)?`, borrowed, normalised for exact comparison.
pub(super) struct Decimal<'a> {
    negative: bool,
    /// Integer digits without leading zeros.
    whole: &'a str,
    /// Fraction digits without trailing zeros.
    fraction: &'a str,
}

impl<'a> Decimal<'a> {
    pub(super) fn parse(text: &'a str) -> Option<Decimal<'a>> {
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..)?),
            Some(b'+') => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !fraction.is_none_or(all_digits) {
            return None;
        }
        Some(Decimal {
            negative,
            whole: whole.trim_start_matches('0'),
            fraction: fraction.unwrap_or("").trim_end_matches('0'),
        })
    }

    pub(super) fn is_zero(&self) -> bool {
        self.whole.is_empty() && self.fraction.is_empty()
    }

    pub(super) fn cmp_magnitude(&self, other: &Decimal<'_>) -> Ordering {
        compare_digit_strings(self.whole, other.whole)
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

/// `Some` when both sides are decimal numbers; compares exactly, without floats.
pub(super) fn compare_decimals(left: &str, right: &str) -> Option<Ordering> {
    let left = Decimal::parse(left)?;
    let right = Decimal::parse(right)?;
    let left_negative = left.negative && !left.is_zero();
    let right_negative = right.negative && !right.is_zero();
    Some(match (left_negative, right_negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => left.cmp_magnitude(&right),
        (true, true) => right.cmp_magnitude(&left),
    })
}

/// Compares non-negative integers written as digit strings without leading zeros.
pub(super) fn compare_digit_strings(left: &str, right: &str) -> Ordering {
    left.len().cmp(&right.len()).then_with(|| left.cmp(right))
}

/// Dotted versions, component by component; numeric components compare as numbers, others as
/// text (after numbers); a missing component counts as `0`.
pub(super) fn compare_versions(left: &str, right: &str) -> Ordering {
    let mut left_parts = left.split('.');
    let mut right_parts = right.split('.');
    // Each round consumes a component of at least one side; the bound documents that.
    for _ in 0..=left.len().max(right.len()) {
        let (l, r) = match (left_parts.next(), right_parts.next()) {
            (None, None) => return Ordering::Equal,
            (l, r) => (l.unwrap_or("0"), r.unwrap_or("0")),
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let ordering = match (numeric(l), numeric(r)) {
            (true, true) => {
                compare_digit_strings(l.trim_start_matches('0'), r.trim_start_matches('0'))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => l.cmp(r),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}
