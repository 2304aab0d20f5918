//! The syntax tree of a parsed cluster query expression: nodes, conditions, subjects, operators
//! and typed literals, shared by the parser that builds it, the evaluator that walks it and the
//! canonical printer. Nothing here does work; it is the data the three other parts agree on.

use std::fmt;

#[cfg(feature = "regex")]
use regex_lite::Regex;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    /// A chain joined by `and`/`&&` (at least two items).
    All(Vec<Node>),
    /// A chain joined by `or`/`||` (at least two items).
    Any(Vec<Node>),
    Not(Box<Node>),
    Condition(Condition),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Condition {
    pub(super) subject: Subject,
    pub(super) operator: Operator,
    pub(super) argument: Argument,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Subject {
    AgentConnected,
    AgentVersion,
    Attribute(String),
    Ec2InstanceId,
    RegisteredAt,
    RunningTasksCount,
    TaskGroup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operator {
    Equals,
    NotEquals,
    GreaterThan,
    GreaterThanEqual,
    LessThan,
    LessThanEqual,
    Exists,
    NotExists,
    In,
    NotIn,
    Matches,
    NotMatches,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Argument {
    None,
    Value(Value),
    List(Vec<Value>),
    Pattern(Pattern),
}

/// A literal as written (kept for the canonical text) plus its meaning for the subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Value {
    pub(super) text: String,
    pub(super) typed: Typed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Typed {
    /// Compared as text (attributes, ids, groups, `true`/`false`) or as a dotted version.
    Text,
    Count(u64),
    EpochSeconds(i64),
}

/// A full-match regular expression; equal when the source text is equal.
#[derive(Clone)]
pub(super) struct Pattern {
    pub(super) text: String,
    #[cfg(feature = "regex")]
    pub(super) regex: Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.text == other.text
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.text)
    }
}

/// The subject's value on one instance, borrowed from the facts.
#[derive(Clone, Copy)]
pub(super) enum Actual<'a> {
    Missing,
    Text(&'a str),
    Version(&'a str),
    Count(u64),
    EpochSeconds(i64),
}

pub(super) const SUBJECTS_HELP: &str =
    "agentConnected, agentVersion, attribute:<name>, ec2InstanceId, \
                             registeredAt, runningTasksCount, task:group";
pub(super) const OPERATORS_HELP: &str = "==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ \
                              (or a word form such as not_equals)";
pub(super) const DATE_HELP: &str =
    "2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 \
                         or 2018-06-18";
/// Compiled-program budget for one pattern; far above any real placement pattern, low enough that
/// a hostile `a{1000}{1000}` fails fast instead of building a huge automaton.
#[cfg(feature = "regex")]
pub(super) const PATTERN_SIZE_BYTES_MAX: usize = 1 << 20;
