//! The recursive-descent parser: expression text to the syntax tree, with every check (operator per
//! subject, attribute names, numbers, dates, regular expressions) done here once so evaluation never
//! fails. Errors carry a 1-based column.

#[cfg(feature = "regex")]
use regex_lite::RegexBuilder;

use super::date::parse_date_epoch_seconds;
use super::syntax::*;
use super::{Expression, QueryError, ATTRIBUTE_NAME_CHARS_MAX, NESTING_DEPTH_MAX};

pub(super) fn parse_with_limit(
    text: &str,
    chars_max: Option<u32>,
) -> Result<Expression, QueryError> {
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
pub(super) enum Join {
    And,
    Or,
}

pub(super) struct Parser {
    chars: Vec<char>,
    position: usize,
}

impl Parser {
    /// `chain := unary (BOOL unary)*` with one kind of BOOL per chain.
    ///
    /// Assumption (ecs-semantics §10.3): mixing `and` and `or` at one level is ambiguous and
    /// rejected rather than given a precedence.
    pub(super) fn parse_chain(&mut self, depth: u32) -> Result<Node, QueryError> {
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
    pub(super) fn parse_unary(&mut self, depth: u32) -> Result<Node, QueryError> {
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
    pub(super) fn parse_condition(
        &mut self,
        word: String,
        column: u32,
    ) -> Result<Condition, QueryError> {
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

    pub(super) fn parse_argument(
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
    pub(super) fn parse_list(&mut self, subject: &Subject) -> Result<Vec<Value>, QueryError> {
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
    pub(super) fn parse_literal(&mut self, pattern: bool) -> Result<Option<String>, QueryError> {
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
    pub(super) fn peek_join(&self) -> Option<(Join, usize)> {
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

    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    pub(super) fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.position.checked_add(offset)?).copied()
    }

    pub(super) fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
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

    pub(super) fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    pub(super) fn column(&self) -> u32 {
        u32::try_from(self.position.saturating_add(1)).unwrap_or(u32::MAX)
    }

    pub(super) fn error_here(&self, message: String) -> QueryError {
        QueryError {
            column: self.column(),
            message,
        }
    }

    /// The token at the cursor, quoted and shortened, for "found ..." messages.
    pub(super) fn describe_here(&self) -> String {
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

pub(super) fn parse_subject(word: &str, column: u32) -> Result<Subject, QueryError> {
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
pub(super) fn validate_attribute_name(
    name: &str,
    subject_column: u32,
) -> Result<String, QueryError> {
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

pub(super) fn display_subject(subject: &Subject) -> String {
    match subject {
        Subject::Attribute(name) => format!("attribute:{name}"),
        other => other.name().to_string(),
    }
}

/// Checks a literal against what the subject compares with and keeps its parsed meaning.
pub(super) fn typed_value(
    subject: &Subject,
    text: String,
    column: u32,
) -> Result<Value, QueryError> {
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
#[cfg(feature = "regex")]
pub(super) fn compile_pattern(text: String, column: u32) -> Result<Pattern, QueryError> {
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

/// Without the `regex` feature (the embed's build) a pattern is refused where it stands.
#[cfg(not(feature = "regex"))]
pub(super) fn compile_pattern(text: String, column: u32) -> Result<Pattern, QueryError> {
    Err(QueryError {
        column,
        message: format!(
            "regular expressions ('{text}') are not available in this build of Flotilla (the embed leaves them out to stay small); open the scenario in the full app"
        ),
    })
}

/// Characters of a subject word (validated afterwards, so typos get a precise message).
pub(super) fn is_subject_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c, '(' | ')' | '[' | ']' | ',' | '\'' | '"')
        && !is_operator_symbol(c)
        && c != '&'
        && c != '|'
}

pub(super) fn is_operator_symbol(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '~')
}

pub(super) fn is_operator_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Length of the unquoted value at the start of `chars`. A value ends at whitespace, a quote,
/// `( ) [ ] ,`, `&&` or `||`. An unquoted regular expression (`pattern`) may also contain commas,
/// balanced `( )`/`[ ]` (with `&&`/`||` inside them) and backslash escapes, so that
/// `attribute:ecs.ami-id =~ ami-[0-9a-f]{8}` and `not(ec2InstanceId =~ i-(a|b).*)` read naturally.
pub(super) fn bare_length(chars: &[char], pattern: bool) -> usize {
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
