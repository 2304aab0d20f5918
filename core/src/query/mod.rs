//! The ECS cluster query language used by `memberOf` placement constraints (ecs-semantics §1.6):
//! `parse` turns expression text such as
//! `attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d` into an
//! [`Expression`], and [`Expression::matches`] evaluates it against one container instance seen
//! through the read-only [`InstanceFacts`] trait. Bad text is a [`QueryError`] with a 1-based
//! column, never a panic; everything that can be checked (operator per subject, dates, numbers,
//! regular expressions) is checked once at parse time so that evaluation is a cheap, allocation-free
//! walk that placement can run for every candidate instance.
//!
//! The documentation leaves several points open (ecs-semantics §10.3). Each choice made here is
//! written next to the code as "Assumption (ecs-semantics §10.3)" and has a test:
//!
//! - Assumption (ecs-semantics §10.3): `and` and `or` have no precedence. A chain of only `and`
//!   or only `or` is fine; mixing them at one level without parentheses is a parse error
//!   ("mixing 'and' and 'or' without parentheses is ambiguous; add parentheses").
//! - Assumption (ecs-semantics §10.3): `not`/`!` applies to the one condition, parenthesised group
//!   or `not` that follows it: `not a == b and c == d` is `(not a == b) and c == d`.
//! - Assumption (ecs-semantics §10.3): `=~`/`!~` are Java-style regular expressions that must match
//!   the WHOLE value (Java `Pattern.matches`): `t2.*` matches `t2.small`, `t2` does not. They are
//!   compiled with regex-lite (whose syntax covers the common Java subset) at parse time; an invalid
//!   pattern is a parse error at the pattern's column.
//! - Assumption (ecs-semantics §10.3): all comparisons are case-sensitive, and so are subjects,
//!   operator words and the keywords `and`, `or`, `not` (lower case as written in the spec).
//! - Assumption (ecs-semantics §10.3): `>`, `>=`, `<`, `<=` on `attribute:*` compare as decimal
//!   numbers when both sides are decimal numbers (`-3`, `10`, `2.50`; compared exactly, no floats),
//!   otherwise as strings by code point. `==`/`!=`/`in` on attributes are always string equality.
//! - Assumption (ecs-semantics §10.3): `agentVersion` compares dotted versions numerically
//!   component by component, missing components count as 0 (`1.14 == 1.14.0`, `1.9 < 1.14`); this
//!   applies to `==`/`!=` too.
//! - Assumption (ecs-semantics §10.3): a missing attribute makes `exists`, `==`, `in`, `=~` and the
//!   orderings false and `!exists`, `!=`, `!in`, `!~` true (every negated operator is exactly the
//!   negation of its positive form). A name-only attribute is present with the value `""`.
//! - Assumption (ecs-semantics §10.3): `task:group` accepts `==`, `!=`, `in`, `!in`; `task:group ==
//!   X` is true when the instance hosts at least one task of group X.
//! - Assumption (ecs-semantics §10.3): `registeredAt` literals without a zone are UTC, and `==`
//!   compares whole seconds (`registeredAt == 2018-06-18` means exactly midnight).
//! - Assumption (ecs-semantics §10.3): `in`/`!in` also accept a single value without brackets (a
//!   one-element list). Quoted values have no escapes; a value may contain `'` when it is written in
//!   `"…"` and vice versa. Unquoted values end at whitespace, a quote, `( ) [ ] ,`, `&&` or `||`;
//!   an unquoted pattern after `=~`/`!~` may also hold commas, balanced `( )`/`[ ]` and backslash
//!   escapes (`ami-[0-9a-f]{8}`, `t2\.(micro|small)`); anything else (spaces, say) needs quotes.
//! - Assumption (ecs-semantics §10.3): the canonical text uses symbol comparison operators (`==`,
//!   `!~`, ...) and the documentation's boolean words (`and`, `or`, `not(...)`). It may be longer
//!   than the input when the input had no spaces.

use std::fmt;

mod canonical;
mod date;
mod eval;
mod parser;
mod syntax;
#[cfg(test)]
mod tests;

use parser::parse_with_limit;
use syntax::Node;

/// ECS rejects `memberOf` expressions longer than this (characters).
pub const EXPRESSION_CHARS_MAX: u32 = 2000;
/// How deeply parentheses and `not` may nest; keeps recursion bounded on hostile input.
pub const NESTING_DEPTH_MAX: u32 = 64;
/// Custom attribute names are 1–128 characters (ecs-semantics §1.7).
pub const ATTRIBUTE_NAME_CHARS_MAX: u32 = 128;

/// Parses cluster query language text into an [`Expression`].
pub fn parse(text: &str) -> Result<Expression, QueryError> {
    parse_with_limit(text, Some(EXPRESSION_CHARS_MAX))
}

/// Bad expression text: what is wrong and where (1-based column, counting characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub column: u32,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)
    }
}

impl std::error::Error for QueryError {}

/// A parsed, validated cluster query expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    root: Node,
}

/// What the evaluator may ask about one container instance. Implemented by the placement engine's
/// read-only view; a name-only attribute returns `Some("")`.
pub trait InstanceFacts {
    fn attribute(&self, name: &str) -> Option<&str>;
    fn ec2_instance_id(&self) -> &str;
    fn agent_connected(&self) -> bool;
    fn agent_version(&self) -> &str;
    fn registered_at_epoch_seconds(&self) -> i64;
    fn running_tasks_count(&self) -> u32;
    fn hosts_task_group(&self, group: &str) -> bool;
}

impl Expression {
    /// Does this instance satisfy the expression? Allocation-free (regex-lite reuses its own
    /// matching cache).
    pub fn matches(&self, facts: &impl InstanceFacts) -> bool {
        self.root.evaluate(facts)
    }

    /// Canonical text (normalised spacing, symbol operators) for display/export.
    pub fn to_canonical_string(&self) -> String {
        let mut out = String::new();
        self.root.write_canonical(&mut out);
        out
    }

    /// Names of attributes referenced (lets the placement engine index/cache), sorted, no repeats.
    pub fn referenced_attributes(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.root.collect_attributes(&mut names);
        crate::compact::sort(&mut names);
        names.dedup();
        names
    }

    /// True if result depends on tasks running on the instance (task:group, runningTasksCount) —
    /// placement can't cache those.
    pub fn depends_on_tasks(&self) -> bool {
        self.root.depends_on_tasks()
    }
}

/// Snapshots store an expression as its canonical text and parse it again on load (the compiled
/// patterns are rebuilt; `parse(e.to_canonical_string()) == e`, checked by the snapshot tests).
impl serde::Serialize for Expression {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_canonical_string())
    }
}

impl<'de> serde::Deserialize<'de> for Expression {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Expression, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        parse(&text)
            .map_err(|error| serde::de::Error::custom(format!("expression {text:?}: {error}")))
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical_string())
    }
}
