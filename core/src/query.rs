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

use std::cmp::Ordering;
use std::fmt;

use regex_lite::{Regex, RegexBuilder};

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
        names.sort_unstable();
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

// ---------------------------------------------------------------------------------------------
// Syntax tree

#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// A chain joined by `and`/`&&` (at least two items).
    All(Vec<Node>),
    /// A chain joined by `or`/`||` (at least two items).
    Any(Vec<Node>),
    Not(Box<Node>),
    Condition(Condition),
}

#[derive(Clone, Debug, PartialEq)]
struct Condition {
    subject: Subject,
    operator: Operator,
    argument: Argument,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Subject {
    AgentConnected,
    AgentVersion,
    Attribute(String),
    Ec2InstanceId,
    RegisteredAt,
    RunningTasksCount,
    TaskGroup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
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
enum Argument {
    None,
    Value(Value),
    List(Vec<Value>),
    Pattern(Pattern),
}

/// A literal as written (kept for the canonical text) plus its meaning for the subject.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Value {
    text: String,
    typed: Typed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Typed {
    /// Compared as text (attributes, ids, groups, `true`/`false`) or as a dotted version.
    Text,
    Count(u64),
    EpochSeconds(i64),
}

/// A full-match regular expression; equal when the source text is equal.
#[derive(Clone)]
struct Pattern {
    text: String,
    regex: Regex,
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
enum Actual<'a> {
    Missing,
    Text(&'a str),
    Version(&'a str),
    Count(u64),
    EpochSeconds(i64),
}

const SUBJECTS_HELP: &str = "agentConnected, agentVersion, attribute:<name>, ec2InstanceId, \
                             registeredAt, runningTasksCount, task:group";
const OPERATORS_HELP: &str = "==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ \
                              (or a word form such as not_equals)";
const DATE_HELP: &str = "2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 \
                         or 2018-06-18";
/// Compiled-program budget for one pattern; far above any real placement pattern, low enough that
/// a hostile `a{1000}{1000}` fails fast instead of building a huge automaton.
const PATTERN_SIZE_BYTES_MAX: usize = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Evaluation

impl Node {
    fn evaluate(&self, facts: &impl InstanceFacts) -> bool {
        match self {
            Node::All(items) => items.iter().all(|item| item.evaluate(facts)),
            Node::Any(items) => items.iter().any(|item| item.evaluate(facts)),
            Node::Not(item) => !item.evaluate(facts),
            Node::Condition(condition) => condition.evaluate(facts),
        }
    }

    fn collect_attributes<'a>(&'a self, names: &mut Vec<&'a str>) {
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

    fn depends_on_tasks(&self) -> bool {
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
    fn evaluate(&self, facts: &impl InstanceFacts) -> bool {
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
fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Assumption (ecs-semantics §10.3): `task:group == X` holds when the instance hosts a task of
/// group X; `in` when it hosts a task of any listed group.
fn task_group_holds(operator: Operator, argument: &Argument, facts: &impl InstanceFacts) -> bool {
    match (operator, argument) {
        (Operator::Equals, Argument::Value(value)) => facts.hosts_task_group(&value.text),
        (Operator::In, Argument::List(values)) => values
            .iter()
            .any(|value| facts.hosts_task_group(&value.text)),
        _ => false,
    }
}

/// Evaluates a positive operator; a missing attribute makes every positive operator false.
fn actual_holds(actual: Actual<'_>, operator: Operator, argument: &Argument) -> bool {
    if let Actual::Missing = actual {
        return false;
    }
    match (operator, argument) {
        (Operator::Exists, _) => true,
        (Operator::Equals, Argument::Value(value)) => equal(actual, value),
        (Operator::In, Argument::List(values)) => values.iter().any(|value| equal(actual, value)),
        (Operator::Matches, Argument::Pattern(pattern)) => match actual {
            Actual::Text(text) | Actual::Version(text) => pattern.regex.is_match(text),
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

fn equal(actual: Actual<'_>, value: &Value) -> bool {
    match (actual, value.typed) {
        (Actual::Text(text), _) => text == value.text,
        (Actual::Version(version), _) => compare_versions(version, &value.text) == Ordering::Equal,
        (Actual::Count(count), Typed::Count(expected)) => count == expected,
        (Actual::EpochSeconds(seconds), Typed::EpochSeconds(expected)) => seconds == expected,
        _ => false,
    }
}

/// Ordering of the instance's value relative to the literal.
fn compare(actual: Actual<'_>, value: &Value) -> Option<Ordering> {
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
struct Decimal<'a> {
    negative: bool,
    /// Integer digits without leading zeros.
    whole: &'a str,
    /// Fraction digits without trailing zeros.
    fraction: &'a str,
}

impl<'a> Decimal<'a> {
    fn parse(text: &'a str) -> Option<Decimal<'a>> {
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

    fn is_zero(&self) -> bool {
        self.whole.is_empty() && self.fraction.is_empty()
    }

    fn cmp_magnitude(&self, other: &Decimal<'_>) -> Ordering {
        compare_digit_strings(self.whole, other.whole)
            .then_with(|| self.fraction.cmp(other.fraction))
    }
}

/// `Some` when both sides are decimal numbers; compares exactly, without floats.
fn compare_decimals(left: &str, right: &str) -> Option<Ordering> {
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
fn compare_digit_strings(left: &str, right: &str) -> Ordering {
    left.len().cmp(&right.len()).then_with(|| left.cmp(right))
}

/// Dotted versions, component by component; numeric components compare as numbers, others as
/// text (after numbers); a missing component counts as `0`.
fn compare_versions(left: &str, right: &str) -> Ordering {
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

// ---------------------------------------------------------------------------------------------
// Canonical text

impl Node {
    fn write_canonical(&self, out: &mut String) {
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

fn write_chain(items: &[Node], separator: &str, out: &mut String) {
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
    fn write_canonical(&self, out: &mut String) {
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
fn write_literal(text: &str, pattern: bool, out: &mut String) {
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
    fn name(&self) -> &'static str {
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
    fn operators_help(&self) -> Option<&'static str> {
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId => Some("==, !=, in, !in, =~, !~"),
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => {
                Some("==, !=, >, >=, <, <=")
            }
            Subject::TaskGroup => Some("==, !=, in, !in"),
            Subject::Attribute(_) => None,
        }
    }

    fn allows(&self, operator: Operator) -> bool {
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
    fn symbol(self) -> &'static str {
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

    fn from_text(text: &str) -> Option<Operator> {
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
    fn split_negation(self) -> (Operator, bool) {
        match self {
            Operator::NotEquals => (Operator::Equals, true),
            Operator::NotExists => (Operator::Exists, true),
            Operator::NotIn => (Operator::In, true),
            Operator::NotMatches => (Operator::Matches, true),
            positive => (positive, false),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

fn parse_with_limit(text: &str, chars_max: Option<u32>) -> Result<Expression, QueryError> {
    let char_count = text.chars().count();
    if let Some(limit) = chars_max {
        if char_count > limit as usize {
            return Err(QueryError {
                column: limit.saturating_add(1),
                message: format!("expression is {char_count} characters; the limit is {limit}"),
            });
        }
    }
    let mut parser = Parser {
        chars: text.chars().collect(),
        position: 0,
    };
    parser.skip_whitespace();
    if parser.peek().is_none() {
        return Err(parser.error_here("expression is empty".to_string()));
    }
    let root = parser.parse_chain(0)?;
    parser.skip_whitespace();
    match parser.peek() {
        None => Ok(Expression { root }),
        Some(')') => Err(parser.error_here("unexpected ')' without a matching '('".to_string())),
        Some(_) => Err(parser.error_here(format!(
            "expected 'and', 'or' or the end of the expression, found {}",
            parser.describe_here()
        ))),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    And,
    Or,
}

struct Parser {
    chars: Vec<char>,
    position: usize,
}

impl Parser {
    /// `chain := unary (BOOL unary)*` with one kind of BOOL per chain.
    ///
    /// Assumption (ecs-semantics §10.3): mixing `and` and `or` at one level is ambiguous and
    /// rejected rather than given a precedence.
    fn parse_chain(&mut self, depth: u32) -> Result<Node, QueryError> {
        let first = self.parse_unary(depth)?;
        let mut rest = Vec::new();
        let mut join: Option<Join> = None;
        // Every round consumes a BOOL and a non-empty unary, so the input length bounds it.
        for _ in 0..=self.chars.len() {
            self.skip_whitespace();
            let column = self.column();
            let Some((next, length)) = self.peek_join() else {
                break;
            };
            if join.is_some_and(|join| join != next) {
                return Err(QueryError {
                    column,
                    message: "mixing 'and' and 'or' without parentheses is ambiguous; \
                              add parentheses"
                        .to_string(),
                });
            }
            join = Some(next);
            self.position += length;
            rest.push(self.parse_unary(depth)?);
        }
        if rest.is_empty() {
            return Ok(first);
        }
        rest.insert(0, first);
        Ok(match join {
            Some(Join::Or) => Node::Any(rest),
            _ => Node::All(rest),
        })
    }

    /// `unary := "(" chain ")" | NOT unary | condition`.
    fn parse_unary(&mut self, depth: u32) -> Result<Node, QueryError> {
        self.skip_whitespace();
        let column = self.column();
        let nested = || -> Result<u32, QueryError> {
            let depth = depth + 1;
            if depth > NESTING_DEPTH_MAX {
                return Err(QueryError {
                    column,
                    message: format!(
                        "expression nests parentheses and 'not' more than {NESTING_DEPTH_MAX} deep"
                    ),
                });
            }
            Ok(depth)
        };
        match self.peek() {
            Some('(') => {
                let inner_depth = nested()?;
                self.position += 1;
                let node = self.parse_chain(inner_depth)?;
                self.skip_whitespace();
                match self.peek() {
                    Some(')') => {
                        self.position += 1;
                        Ok(node)
                    }
                    None => {
                        Err(self
                            .error_here(format!("missing ')' to close the '(' at column {column}")))
                    }
                    Some(_) => Err(self.error_here(format!(
                        "expected 'and', 'or' or ')', found {}",
                        self.describe_here()
                    ))),
                }
            }
            Some('!') if !matches!(self.peek_at(1), Some('=' | '~')) => {
                let inner_depth = nested()?;
                self.position += 1;
                Ok(Node::Not(Box::new(self.parse_unary(inner_depth)?)))
            }
            Some(c) if is_subject_char(c) => {
                let word = self.take_while(is_subject_char);
                match word.as_str() {
                    "not" => {
                        let inner_depth = nested()?;
                        Ok(Node::Not(Box::new(self.parse_unary(inner_depth)?)))
                    }
                    "and" | "or" => Err(QueryError {
                        column,
                        message: format!("expected a subject, '(' or 'not', found '{word}'"),
                    }),
                    _ => self.parse_condition(word, column).map(Node::Condition),
                }
            }
            _ => Err(self.error_here(format!(
                "expected a subject, '(' or 'not', found {}",
                self.describe_here()
            ))),
        }
    }

    /// `condition := subject operator [argument]`; the subject word is already consumed.
    fn parse_condition(&mut self, word: String, column: u32) -> Result<Condition, QueryError> {
        let subject = parse_subject(&word, column)?;
        self.skip_whitespace();
        let operator_column = self.column();
        let operator_text = match self.peek() {
            Some(c) if is_operator_symbol(c) => {
                let mut text = self.take_while(is_operator_symbol);
                if text == "!" && self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    text.push_str(&self.take_while(is_operator_word_char));
                }
                text
            }
            Some(c) if c.is_ascii_alphabetic() => self.take_while(is_operator_word_char),
            _ => {
                return Err(self.error_here(format!("expected an operator after '{word}'")));
            }
        };
        let Some(operator) = Operator::from_text(&operator_text) else {
            return Err(QueryError {
                column: operator_column,
                message: format!(
                    "unknown operator '{operator_text}'; expected one of {OPERATORS_HELP}"
                ),
            });
        };
        if !subject.allows(operator) {
            let valid = subject.operators_help().unwrap_or(OPERATORS_HELP);
            return Err(QueryError {
                column: operator_column,
                message: format!(
                    "operator '{operator_text}' is not valid for {} (valid: {valid})",
                    display_subject(&subject)
                ),
            });
        }
        let argument = self.parse_argument(&subject, operator, &operator_text)?;
        Ok(Condition {
            subject,
            operator,
            argument,
        })
    }

    fn parse_argument(
        &mut self,
        subject: &Subject,
        operator: Operator,
        operator_text: &str,
    ) -> Result<Argument, QueryError> {
        self.skip_whitespace();
        let column = self.column();
        if let Operator::Exists | Operator::NotExists = operator {
            let at_boundary = matches!(self.peek(), None | Some(')')) || self.peek_join().is_some();
            if !at_boundary {
                return Err(self.error_here(format!(
                    "'{operator_text}' takes no value, found {}",
                    self.describe_here()
                )));
            }
            return Ok(Argument::None);
        }
        let is_list_operator = matches!(operator, Operator::In | Operator::NotIn);
        let is_pattern_operator = matches!(operator, Operator::Matches | Operator::NotMatches);
        if self.peek() == Some('[') && !is_pattern_operator {
            if !is_list_operator {
                return Err(self.error_here(format!(
                    "a list is only valid with 'in' or '!in', not '{operator_text}'"
                )));
            }
            return self.parse_list(subject).map(Argument::List);
        }
        let Some(text) = self.parse_literal(is_pattern_operator)? else {
            return Err(self.error_here(format!(
                "expected a value after '{operator_text}', found {}",
                self.describe_here()
            )));
        };
        match operator {
            Operator::Matches | Operator::NotMatches => {
                compile_pattern(text, column).map(Argument::Pattern)
            }
            _ => {
                let value = typed_value(subject, text, column)?;
                Ok(if is_list_operator {
                    Argument::List(vec![value])
                } else {
                    Argument::Value(value)
                })
            }
        }
    }

    /// `"[" literal ("," literal)* "]"`; the cursor is on `[`.
    fn parse_list(&mut self, subject: &Subject) -> Result<Vec<Value>, QueryError> {
        let open_column = self.column();
        self.position += 1;
        let mut values = Vec::new();
        // Every round consumes a non-empty literal, so the input length bounds it.
        for _ in 0..=self.chars.len() {
            self.skip_whitespace();
            let column = self.column();
            if values.is_empty() && self.peek() == Some(']') {
                return Err(self.error_here("the list is empty".to_string()));
            }
            let Some(text) = self.parse_literal(false)? else {
                return Err(self.error_here(match self.peek() {
                    None => format!("missing ']' to close the list at column {open_column}"),
                    Some(_) => format!(
                        "expected a value in the list, found {}",
                        self.describe_here()
                    ),
                }));
            };
            values.push(typed_value(subject, text, column)?);
            self.skip_whitespace();
            match self.peek() {
                Some(',') => self.position += 1,
                Some(']') => {
                    self.position += 1;
                    return Ok(values);
                }
                None => {
                    return Err(self.error_here(format!(
                        "missing ']' to close the list at column {open_column}"
                    )))
                }
                Some(_) => {
                    return Err(self.error_here(format!(
                        "expected ',' or ']' in the list, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
        Err(self.error_here("the list is too long".to_string()))
    }

    /// A quoted or bare literal; `None` when no literal starts here.
    fn parse_literal(&mut self, pattern: bool) -> Result<Option<String>, QueryError> {
        match self.peek() {
            Some(quote @ ('\'' | '"')) => {
                let column = self.column();
                let start = self.position + 1;
                let rest = self.chars.get(start..).unwrap_or(&[]);
                match rest.iter().position(|&c| c == quote) {
                    Some(length) => {
                        self.position = start + length + 1;
                        Ok(Some(rest.iter().take(length).collect()))
                    }
                    None => Err(QueryError {
                        column,
                        message: format!("unterminated quoted value; add the closing {quote}"),
                    }),
                }
            }
            _ => {
                let rest = self.chars.get(self.position..).unwrap_or(&[]);
                let length = bare_length(rest, pattern);
                let text: String = rest.iter().take(length).collect();
                self.position += length;
                Ok(if text.is_empty() { None } else { Some(text) })
            }
        }
    }

    /// `&&`, `||`, or the word `and`/`or` (a whole word).
    fn peek_join(&self) -> Option<(Join, usize)> {
        match (self.peek()?, self.peek_at(1)) {
            ('&', Some('&')) => return Some((Join::And, 2)),
            ('|', Some('|')) => return Some((Join::Or, 2)),
            _ => {}
        }
        let rest = self.chars.get(self.position..)?;
        let word_length = rest.iter().take_while(|&&c| is_subject_char(c)).count();
        let word = rest.get(..word_length)?;
        match word {
            ['a', 'n', 'd'] => Some((Join::And, 3)),
            ['o', 'r'] => Some((Join::Or, 2)),
            _ => None,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.position.checked_add(offset)?).copied()
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.position;
        while self.peek().is_some_and(&keep) {
            self.position += 1;
        }
        self.chars
            .get(start..self.position)
            .unwrap_or(&[])
            .iter()
            .collect()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    fn column(&self) -> u32 {
        u32::try_from(self.position.saturating_add(1)).unwrap_or(u32::MAX)
    }

    fn error_here(&self, message: String) -> QueryError {
        QueryError {
            column: self.column(),
            message,
        }
    }

    /// The token at the cursor, quoted and shortened, for "found ..." messages.
    fn describe_here(&self) -> String {
        const SHOWN_CHARS_MAX: usize = 24;
        let rest = self.chars.get(self.position..).unwrap_or(&[]);
        if rest.is_empty() {
            return "the end of the expression".to_string();
        }
        let length = bare_length(rest, false).max(1);
        let shown: String = rest.iter().take(length.min(SHOWN_CHARS_MAX)).collect();
        let ellipsis = if length > SHOWN_CHARS_MAX { "…" } else { "" };
        format!("'{shown}{ellipsis}'")
    }
}

fn parse_subject(word: &str, column: u32) -> Result<Subject, QueryError> {
    let subject = match word {
        "agentConnected" => Subject::AgentConnected,
        "agentVersion" => Subject::AgentVersion,
        "ec2InstanceId" => Subject::Ec2InstanceId,
        "registeredAt" => Subject::RegisteredAt,
        "runningTasksCount" => Subject::RunningTasksCount,
        "task:group" => Subject::TaskGroup,
        _ => match word.strip_prefix("attribute:") {
            Some(name) => Subject::Attribute(validate_attribute_name(name, column)?),
            None => {
                return Err(QueryError {
                    column,
                    message: format!("unknown subject '{word}'; expected one of {SUBJECTS_HELP}"),
                })
            }
        },
    };
    Ok(subject)
}

/// Attribute names are 1–128 characters of `[A-Za-z0-9-_/.]` (ecs-semantics §1.7).
fn validate_attribute_name(name: &str, subject_column: u32) -> Result<String, QueryError> {
    const PREFIX_CHARS: u32 = "attribute:".len() as u32;
    let name_column = subject_column.saturating_add(PREFIX_CHARS);
    if name.is_empty() {
        return Err(QueryError {
            column: name_column,
            message: "expected an attribute name after 'attribute:'".to_string(),
        });
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.');
    if let Some((offset, bad)) = name.chars().enumerate().find(|&(_, c)| !valid(c)) {
        return Err(QueryError {
            column: name_column.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX)),
            message: format!(
                "attribute names may contain only letters, digits, '-', '_', '/' and '.', \
                 found '{bad}'"
            ),
        });
    }
    let length = name.chars().count();
    if length > ATTRIBUTE_NAME_CHARS_MAX as usize {
        return Err(QueryError {
            column: name_column,
            message: format!(
                "attribute name is {length} characters; the limit is {ATTRIBUTE_NAME_CHARS_MAX}"
            ),
        });
    }
    Ok(name.to_string())
}

fn display_subject(subject: &Subject) -> String {
    match subject {
        Subject::Attribute(name) => format!("attribute:{name}"),
        other => other.name().to_string(),
    }
}

/// Checks a literal against what the subject compares with and keeps its parsed meaning.
fn typed_value(subject: &Subject, text: String, column: u32) -> Result<Value, QueryError> {
    let invalid = |message: String| QueryError { column, message };
    let typed = match subject {
        Subject::AgentConnected => {
            if text != "true" && text != "false" {
                return Err(invalid(format!(
                    "agentConnected compares with true or false, found '{text}'"
                )));
            }
            Typed::Text
        }
        Subject::AgentVersion => {
            let is_version = text
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
            if !is_version {
                return Err(invalid(format!(
                    "agentVersion compares with a version such as 1.14.5, found '{text}'"
                )));
            }
            Typed::Text
        }
        Subject::RunningTasksCount => {
            let count = match text.bytes().all(|b| b.is_ascii_digit()) {
                true => text.parse::<u64>().ok(),
                false => None,
            };
            match count {
                Some(count) => Typed::Count(count),
                None => {
                    return Err(invalid(format!(
                        "runningTasksCount compares with a whole number, found '{text}'"
                    )))
                }
            }
        }
        Subject::RegisteredAt => match parse_date_epoch_seconds(&text) {
            Some(seconds) => Typed::EpochSeconds(seconds),
            None => {
                return Err(invalid(format!(
                    "registeredAt compares with a date such as {DATE_HELP}, found '{text}'"
                )))
            }
        },
        Subject::Attribute(_) | Subject::Ec2InstanceId | Subject::TaskGroup => Typed::Text,
    };
    Ok(Value { text, typed })
}

/// Assumption (ecs-semantics §10.3): full match, compiled as `^(?:pattern)$`. The pattern is
/// first compiled alone so that unbalanced parentheses (`a)|(b`) cannot escape the anchors.
fn compile_pattern(text: String, column: u32) -> Result<Pattern, QueryError> {
    let build = |source: &str| {
        RegexBuilder::new(source)
            .size_limit(PATTERN_SIZE_BYTES_MAX)
            .build()
    };
    let anchored = build(&text).and_then(|_| build(&format!("^(?:{text})$")));
    match anchored {
        Ok(regex) => Ok(Pattern { text, regex }),
        Err(error) => Err(QueryError {
            column,
            message: format!("invalid regular expression '{text}': {error}"),
        }),
    }
}

/// The four documented `registeredAt` formats, converted to Unix epoch seconds (UTC when no zone).
fn parse_date_epoch_seconds(text: &str) -> Option<i64> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, rest @ ..] = text.as_bytes() else {
        return None;
    };
    let year = digits(&[*y1, *y2, *y3, *y4])?;
    let month = digits(&[*m1, *m2])?;
    let day = digits(&[*d1, *d2])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (seconds_of_day, zone) = match rest {
        [] => (0, &[][..]),
        [b'T', h1, h2, b':', n1, n2, b':', s1, s2, zone @ ..] => {
            let hour = digits(&[*h1, *h2])?;
            let minute = digits(&[*n1, *n2])?;
            let second = digits(&[*s1, *s2])?;
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            (hour * 3600 + minute * 60 + second, zone)
        }
        _ => return None,
    };
    let offset_seconds = match zone {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', n1, n2] => {
            let hour = digits(&[*h1, *h2])?;
            let minute = digits(&[*n1, *n2])?;
            if hour > 23 || minute > 59 {
                return None;
            }
            let magnitude = hour * 3600 + minute * 60;
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + seconds_of_day - offset_seconds)
}

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + i64::from(b - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Characters of a subject word (validated afterwards, so typos get a precise message).
fn is_subject_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c, '(' | ')' | '[' | ']' | ',' | '\'' | '"')
        && !is_operator_symbol(c)
        && c != '&'
        && c != '|'
}

fn is_operator_symbol(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '~')
}

fn is_operator_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Length of the unquoted value at the start of `chars`. A value ends at whitespace, a quote,
/// `( ) [ ] ,`, `&&` or `||`. An unquoted regular expression (`pattern`) may also contain commas,
/// balanced `( )`/`[ ]` (with `&&`/`||` inside them) and backslash escapes, so that
/// `attribute:ecs.ami-id =~ ami-[0-9a-f]{8}` and `not(ec2InstanceId =~ i-(a|b).*)` read naturally.
fn bare_length(chars: &[char], pattern: bool) -> usize {
    let mut depth = 0u32;
    let mut length = 0;
    while let Some(&c) = chars.get(length) {
        let next = chars.get(length + 1).copied();
        if c.is_whitespace() || c == '\'' || c == '"' {
            break;
        }
        let at_join = matches!((c, next), ('&', Some('&')) | ('|', Some('|')));
        if at_join && depth == 0 {
            break;
        }
        match c {
            '(' | '[' if pattern => depth += 1,
            ')' | ']' if pattern && depth > 0 => depth -= 1,
            ',' if pattern => {}
            '\\' if pattern && next.is_some_and(|n| !n.is_whitespace()) => length += 1,
            '(' | ')' | '[' | ']' | ',' => break,
            _ => {}
        }
        length += 1;
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};
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
                let reparsed = parse_with_limit(&canonical, None).unwrap_or_else(|error| {
                    panic!("seed {seed}: {text:?} -> {canonical:?}: {error}")
                });
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
}
