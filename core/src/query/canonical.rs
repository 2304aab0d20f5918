//! The canonical text of an expression (normalised spacing, symbol operators, `and`/`or`/`not(...)`)
//! used for display, export and snapshots; `parse(canonical) == expression` is the invariant the
//! tests check.

use super::parser::bare_length;
use super::syntax::{Argument, Condition, Node, Operator, Subject};

impl Node {
    pub(super) fn write_canonical(&self, out: &mut String) {
        match self {
            Node::All(items) => write_chain(items, " and ", out),
            Node::Any(items) => write_chain(items, " or ", out),
            Node::Not(item) => {
                out.push_str("not(");
                item.write_canonical(out);
                out.push(')');
            }
            Node::Condition(condition) => condition.write_canonical(out),
        }
    }
}

pub(super) fn write_chain(items: &[Node], separator: &str, out: &mut String) {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        let grouped = matches!(item, Node::All(_) | Node::Any(_));
        if grouped {
            out.push('(');
        }
        item.write_canonical(out);
        if grouped {
            out.push(')');
        }
    }
}

impl Condition {
    pub(super) fn write_canonical(&self, out: &mut String) {
        out.push_str(self.subject.name());
        if let Subject::Attribute(name) = &self.subject {
            out.push_str(name);
        }
        out.push(' ');
        out.push_str(self.operator.symbol());
        match &self.argument {
            Argument::None => {}
            Argument::Value(value) => {
                out.push(' ');
                write_literal(&value.text, false, out);
            }
            Argument::List(values) => {
                out.push_str(" [");
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    write_literal(&value.text, false, out);
                }
                out.push(']');
            }
            Argument::Pattern(pattern) => {
                out.push(' ');
                write_literal(&pattern.text, true, out);
            }
        }
    }
}

/// Bare when it would read back as the same bare value, otherwise quoted (a value that is not
/// bare came from quotes, so it cannot contain both quote characters).
pub(super) fn write_literal(text: &str, pattern: bool, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    let bare = !chars.is_empty() && bare_length(&chars, pattern) == chars.len();
    if bare {
        out.push_str(text);
    } else {
        let quote = if text.contains('\'') { '"' } else { '\'' };
        out.push(quote);
        out.push_str(text);
        out.push(quote);
    }
}

impl Subject {
    /// The subject as written; for attributes only the `attribute:` prefix.
    pub(super) fn name(&self) -> &'static str {
        match self {
            Subject::AgentConnected => "agentConnected",
            Subject::AgentVersion => "agentVersion",
            Subject::Attribute(_) => "attribute:",
            Subject::Ec2InstanceId => "ec2InstanceId",
            Subject::RegisteredAt => "registeredAt",
            Subject::RunningTasksCount => "runningTasksCount",
            Subject::TaskGroup => "task:group",
        }
    }

    /// Valid operators per subject (ecs-semantics §1.6 table; `task:group` per the assumption on
    /// `task_group_holds`). `None` means every operator.
    pub(super) fn operators_help(&self) -> Option<&'static str> {
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId => Some("==, !=, in, !in, =~, !~"),
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => {
                Some("==, !=, >, >=, <, <=")
            }
            Subject::TaskGroup => Some("==, !=, in, !in"),
            Subject::Attribute(_) => None,
        }
    }

    pub(super) fn allows(&self, operator: Operator) -> bool {
        use Operator::*;
        match self {
            Subject::Attribute(_) => true,
            Subject::AgentConnected | Subject::Ec2InstanceId => {
                matches!(
                    operator,
                    Equals | NotEquals | In | NotIn | Matches | NotMatches
                )
            }
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => matches!(
                operator,
                Equals | NotEquals | GreaterThan | GreaterThanEqual | LessThan | LessThanEqual
            ),
            Subject::TaskGroup => matches!(operator, Equals | NotEquals | In | NotIn),
        }
    }
}

impl Operator {
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Operator::Equals => "==",
            Operator::NotEquals => "!=",
            Operator::GreaterThan => ">",
            Operator::GreaterThanEqual => ">=",
            Operator::LessThan => "<",
            Operator::LessThanEqual => "<=",
            Operator::Exists => "exists",
            Operator::NotExists => "!exists",
            Operator::In => "in",
            Operator::NotIn => "!in",
            Operator::Matches => "=~",
            Operator::NotMatches => "!~",
        }
    }

    pub(super) fn from_text(text: &str) -> Option<Operator> {
        Some(match text {
            "==" | "equals" => Operator::Equals,
            "!=" | "not_equals" => Operator::NotEquals,
            ">" | "greater_than" => Operator::GreaterThan,
            ">=" | "greater_than_equal" => Operator::GreaterThanEqual,
            "<" | "less_than" => Operator::LessThan,
            "<=" | "less_than_equal" => Operator::LessThanEqual,
            "exists" => Operator::Exists,
            "!exists" | "not_exists" => Operator::NotExists,
            "in" => Operator::In,
            "!in" | "not_in" => Operator::NotIn,
            "=~" | "matches" => Operator::Matches,
            "!~" | "not_matches" => Operator::NotMatches,
            _ => return None,
        })
    }

    /// Every negated operator is the exact negation of a positive one.
    pub(super) fn split_negation(self) -> (Operator, bool) {
        match self {
            Operator::NotEquals => (Operator::Equals, true),
            Operator::NotExists => (Operator::Exists, true),
            Operator::NotIn => (Operator::In, true),
            Operator::NotMatches => (Operator::Matches, true),
            positive => (positive, false),
        }
    }
}
