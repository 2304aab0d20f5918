//! Sentence text to [`Claim`], with column-precise errors. The language is a handful of
//! sentence shapes (README "Assertions" and `mod.rs` list them); words are separated by
//! spaces, keywords are case-insensitive, names (services, families, groups, zones, instance
//! types) are case-sensitive and checked here against the scenario, so a typo is an error at
//! its column rather than an assertion that silently never matches.

use super::syntax::{Claim, Comparison, Count, Named, Outcome, Owner, StateFilter, Tasks, Window};
use super::{AssertionError, Names};
use crate::task::TaskState;
use crate::time::{parse_duration, SimTime};

/// Longest sentence accepted, in characters.
pub const SENTENCE_CHARS_MAX: usize = 500;
/// Largest count a sentence may name (a scenario's desired counts are below it).
pub const COUNT_MAX: u32 = 1_000_000;

/// Parses one assertion sentence, resolving its names against the scenario.
pub fn parse(text: &str, names: &Names<'_>) -> Result<Claim, AssertionError> {
    let chars = text.chars().count();
    if chars > SENTENCE_CHARS_MAX {
        return Err(AssertionError::new(
            SENTENCE_CHARS_MAX as u32 + 1,
            format!("the sentence is {chars} characters; the limit is {SENTENCE_CHARS_MAX}"),
        ));
    }
    let mut parser = Parser {
        words: split(text),
        position: 0,
        end_column: chars as u32 + 1,
        names,
    };
    if parser.words.is_empty() {
        return Err(AssertionError::new(1, "the assertion is empty"));
    }
    let claim = parser.claim()?;
    match parser.peek() {
        None => Ok(claim),
        Some(word) => Err(parser.error(
            word,
            format!("unexpected \"{}\" after a complete assertion", word.text),
        )),
    }
}

// ---- helpers -------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Word {
    text: String,
    /// 1-based, in characters.
    column: u32,
}

/// Whitespace-separated words with their columns.
fn split(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    for (index, character) in text.chars().enumerate() {
        if character.is_whitespace() {
            words.extend(current.take());
        } else {
            current
                .get_or_insert_with(|| Word {
                    text: String::new(),
                    column: index as u32 + 1,
                })
                .text
                .push(character);
        }
    }
    words.extend(current);
    words
}

/// Words that start a traffic assertion, which needs the traffic model (not built yet).
const TRAFFIC_WORDS: [&str; 6] = ["5xx", "4xx", "latency", "requests", "error", "errors"];

struct Parser<'n, 'a> {
    words: Vec<Word>,
    position: usize,
    end_column: u32,
    names: &'n Names<'a>,
}

impl Parser<'_, '_> {
    fn claim(&mut self) -> Result<Claim, AssertionError> {
        let first = self.next_word("an assertion")?;
        match first.text.to_ascii_lowercase().as_str() {
            "at" => {
                if self.peek_is("least") || self.peek_is("most") {
                    return Err(self.error(
                        &first,
                        "a count needs a moment or a span: write \"at 5m at least 3 tasks …\" or \
                         \"always at least 3 tasks …\"",
                    ));
                }
                let at = self.time("a moment such as 5m")?;
                let count = self.count()?;
                Ok(Claim::At { at, count })
            }
            word @ ("always" | "never") => {
                let count = self.count()?;
                let window = self.window()?;
                Ok(Claim::Always {
                    count,
                    negated: word == "never",
                    window,
                })
            }
            word @ ("no" | "every") => self.placed(word == "every"),
            "the" => self.deployment(),
            word if TRAFFIC_WORDS.contains(&word) => Err(self.error(
                &first,
                "traffic assertions (5xx rate, latency, requests) come with the traffic \
                 model, which Flotilla does not have yet",
            )),
            _ => {
                self.position -= 1;
                self.steady()
            }
        }
    }

    /// `at least 3 healthy tasks of web RUNNING in us-east-1a on an instance of type m5.large`
    fn count(&mut self) -> Result<Count, AssertionError> {
        let word = self.next_word("a count such as \"at least 3\"")?;
        let lower = word.text.to_ascii_lowercase();
        let comparison = match lower.as_str() {
            "at" => match self.next_word("\"least\" or \"most\"")? {
                w if w.text.eq_ignore_ascii_case("least") => Comparison::AtLeast,
                w if w.text.eq_ignore_ascii_case("most") => Comparison::AtMost,
                w => return Err(self.expected(&w, "\"least\" or \"most\"")),
            },
            "exactly" => Comparison::Exactly,
            "no" => Comparison::Exactly,
            "more" | "fewer" | "less" => {
                self.expect("than")?;
                if lower == "more" {
                    Comparison::MoreThan
                } else {
                    Comparison::FewerThan
                }
            }
            _ => {
                return Err(self.expected(
                    &word,
                    "a count: \"at least N\", \"at most N\", \"exactly N\", \"more than N\", \
                     \"fewer than N\" or \"no\"",
                ))
            }
        };
        let number = if lower == "no" { 0 } else { self.number()? };
        let mut tasks = Tasks::default();
        if let Some(state) = self.peek().and_then(|w| state_word(&w.text)) {
            self.position += 1;
            tasks.state = state;
        }
        let noun = self.next_word("\"tasks\"")?;
        if !matches!(noun.text.to_ascii_lowercase().as_str(), "task" | "tasks") {
            return Err(self.expected(&noun, "\"tasks\""));
        }
        tasks.owner = self.owner()?;
        if let Some(word) = self.peek().cloned() {
            if let Some(state) = state_word(&word.text) {
                if tasks.state != StateFilter::Live {
                    return Err(self.error(&word, "a count takes one state; this one has two"));
                }
                self.position += 1;
                tasks.state = state;
            }
        }
        self.location(&mut tasks)?;
        Ok(Count {
            comparison,
            number,
            tasks,
        })
    }

    /// `no task of batch placed on an instance of type t3.micro`, `every task of web placed in
    /// us-east-1a` (the first word is read).
    fn placed(&mut self, every: bool) -> Result<Claim, AssertionError> {
        let noun = self.next_word("\"task\"")?;
        if !matches!(noun.text.to_ascii_lowercase().as_str(), "task" | "tasks") {
            return Err(self.expected(&noun, "\"task\""));
        }
        let mut tasks = Tasks {
            owner: self.owner()?,
            ..Tasks::default()
        };
        let verb = self.next_word("\"placed\"")?;
        if !verb.text.eq_ignore_ascii_case("placed") {
            return Err(self.expected(&verb, "\"placed\""));
        }
        self.location(&mut tasks)?;
        if tasks.zone.is_none() && tasks.instance_type.is_none() {
            let at = self.peek().cloned();
            let message = "say where: \"in us-east-1a\" or \"on an instance of type t3.micro\"";
            return Err(match at {
                Some(word) => self.expected(&word, message),
                None => AssertionError::new(self.end_column, format!("expected {message}")),
            });
        }
        let window = self.window()?;
        Ok(Claim::Placed {
            every,
            tasks,
            window,
        })
    }

    /// `the deployment of web [started at 6m] completes|fails before 3m` ("the" is read).
    fn deployment(&mut self) -> Result<Claim, AssertionError> {
        self.expect("deployment")?;
        self.expect("of")?;
        let service = self.service()?;
        let mut started_at = None;
        if self.peek_is("started") {
            self.position += 1;
            self.expect("at")?;
            started_at = Some(self.time("the moment the deployment started, such as 2m")?);
        }
        let verb = self.next_word("\"completes\" or \"fails\"")?;
        let outcome = match verb.text.to_ascii_lowercase().as_str() {
            "completes" => Outcome::Completes,
            "fails" => Outcome::Fails,
            _ => return Err(self.expected(&verb, "\"completes\" or \"fails\"")),
        };
        let deadline = self.deadline()?;
        if started_at.is_some_and(|started| started > deadline) {
            return Err(AssertionError::new(
                self.words[self.position - 1].column,
                "the deadline is before the deployment starts",
            ));
        }
        Ok(Claim::Deployment {
            service,
            started_at,
            outcome,
            deadline,
        })
    }

    /// `web reaches a steady state before 2m`.
    fn steady(&mut self) -> Result<Claim, AssertionError> {
        let first = self.peek().cloned();
        let service = self.service().map_err(|error| match &first {
            Some(word) if !self.names.services.contains(&word.text.as_str()) => self.error(
                word,
                format!(
                    "an assertion starts with \"at\", \"always\", \"never\", \"no\", \"every\", \
                     \"the deployment\" or a service name; \"{}\" is none of them ({})",
                    word.text, error.message
                ),
            ),
            _ => error,
        })?;
        for word in ["reaches", "a", "steady", "state"] {
            self.expect(word)?;
        }
        let deadline = self.deadline()?;
        Ok(Claim::Steady { service, deadline })
    }

    /// ` of web`, ` of service web`, ` of family batch`, ` of group nightly`, or nothing.
    fn owner(&mut self) -> Result<Owner, AssertionError> {
        if !self.peek_is("of") {
            return Ok(Owner::Any);
        }
        self.position += 1;
        let word = self.next_word("a service or task-definition family")?;
        let names = self.names;
        match word.text.to_ascii_lowercase().as_str() {
            "service" => Ok(Owner::Service(self.service()?)),
            "family" => {
                let family = self.next_word("a task-definition family")?;
                if names.families.contains(&family.text.as_str()) {
                    Ok(Owner::Family(family.text))
                } else {
                    Err(self.error(
                        &family,
                        format!(
                            "no task-definition family named \"{}\"; families: {}",
                            family.text,
                            list(&names.families)
                        ),
                    ))
                }
            }
            "group" => {
                let group = self.next_word("a task group")?;
                if names.groups.contains(&group.text) {
                    Ok(Owner::Group(group.text))
                } else {
                    Err(self.error(
                        &group,
                        format!(
                            "no runTask in the timeline has the group \"{}\"; groups: {}",
                            group.text,
                            list(&names.groups)
                        ),
                    ))
                }
            }
            _ => {
                if let Some(index) = names.service_index(&word.text) {
                    Ok(Owner::Service(Named {
                        name: word.text,
                        index,
                    }))
                } else if names.families.contains(&word.text.as_str()) {
                    Ok(Owner::Family(word.text))
                } else {
                    Err(self.error(
                        &word,
                        format!(
                            "no service or task-definition family named \"{}\"; services: {}; \
                             families: {}",
                            word.text,
                            list(&names.services),
                            list(&names.families)
                        ),
                    ))
                }
            }
        }
    }

    /// Any of ` in us-east-1a` and ` on an instance of type t3.micro`, each at most once.
    fn location(&mut self, tasks: &mut Tasks) -> Result<(), AssertionError> {
        let names = self.names;
        for _ in 0..2 {
            if self.peek_is("in") && tasks.zone.is_none() {
                self.position += 1;
                let zone = self.next_word("an Availability Zone such as us-east-1a")?;
                if !names.zones.contains(&zone.text.as_str()) {
                    return Err(self.error(
                        &zone,
                        format!(
                            "no instance of the fleet is in \"{}\"; zones: {}",
                            zone.text,
                            list(&names.zones)
                        ),
                    ));
                }
                tasks.zone = Some(zone.text);
            } else if self.peek_is("on") && tasks.instance_type.is_none() {
                self.position += 1;
                if self.peek_is("an") || self.peek_is("a") {
                    self.position += 1;
                }
                let noun = self.next_word("\"instance\"")?;
                if !matches!(
                    noun.text.to_ascii_lowercase().as_str(),
                    "instance" | "instances"
                ) {
                    return Err(self.expected(&noun, "\"instance of type …\""));
                }
                self.expect("of")?;
                self.expect("type")?;
                let instance_type = self.next_word("an instance type such as t3.micro")?;
                if !names.instance_types.contains(&instance_type.text.as_str()) {
                    return Err(self.error(
                        &instance_type,
                        format!(
                            "the fleet has no instance of type \"{}\"; types: {}",
                            instance_type.text,
                            list(&names.instance_types)
                        ),
                    ));
                }
                tasks.instance_type = Some(instance_type.text);
            }
        }
        Ok(())
    }

    /// ` from 1m`, ` after 1m`, ` until 5m`, ` from 1m until 5m`, ` between 1m and 5m`.
    fn window(&mut self) -> Result<Window, AssertionError> {
        let mut window = Window::default();
        if self.peek_is("between") {
            self.position += 1;
            window.from = Some(self.time("the start of the span, such as 1m")?);
            self.expect("and")?;
            window.until = Some(self.time("the end of the span, such as 5m")?);
        } else {
            if self.peek_is("from") || self.peek_is("after") {
                self.position += 1;
                window.from = Some(self.time("the start of the span, such as 1m")?);
            }
            if self.peek_is("until") {
                self.position += 1;
                window.until = Some(self.time("the end of the span, such as 5m")?);
            }
        }
        if let (Some(from), Some(until)) = (window.from, window.until) {
            if until < from {
                return Err(AssertionError::new(
                    self.words[self.position - 1].column,
                    "the span ends before it starts",
                ));
            }
        }
        Ok(window)
    }

    /// ` before 3m` or ` by 3m`: at or before that moment.
    fn deadline(&mut self) -> Result<SimTime, AssertionError> {
        let word = self.next_word("\"before\" and a moment, such as \"before 3m\"")?;
        if !(word.text.eq_ignore_ascii_case("before") || word.text.eq_ignore_ascii_case("by")) {
            return Err(self.expected(&word, "\"before\" and a moment, such as \"before 3m\""));
        }
        self.time("a moment such as 3m")
    }

    fn service(&mut self) -> Result<Named, AssertionError> {
        let word = self.next_word("a service name")?;
        match self.names.service_index(&word.text) {
            Some(index) => Ok(Named {
                name: word.text,
                index,
            }),
            None => Err(self.error(
                &word,
                format!(
                    "no service named \"{}\"; services: {}",
                    word.text,
                    list(&self.names.services)
                ),
            )),
        }
    }

    fn time(&mut self, what: &str) -> Result<SimTime, AssertionError> {
        let word = self.next_word(what)?;
        parse_duration(&word.text)
            .map(SimTime)
            .map_err(|message| self.error(&word, format!("expected {what}: {message}")))
    }

    fn number(&mut self) -> Result<u32, AssertionError> {
        let word = self.next_word("a number")?;
        match word.text.parse::<u32>() {
            Ok(number) if number <= COUNT_MAX => Ok(number),
            Ok(_) => Err(self.error(&word, format!("the limit for a count is {COUNT_MAX}"))),
            Err(_) => Err(self.expected(&word, "a number")),
        }
    }

    fn expect(&mut self, keyword: &str) -> Result<(), AssertionError> {
        let word = self.next_word(&format!("\"{keyword}\""))?;
        if word.text.eq_ignore_ascii_case(keyword) {
            Ok(())
        } else {
            Err(self.expected(&word, &format!("\"{keyword}\"")))
        }
    }

    fn peek(&self) -> Option<&Word> {
        self.words.get(self.position)
    }

    fn peek_is(&self, keyword: &str) -> bool {
        self.peek()
            .is_some_and(|word| word.text.eq_ignore_ascii_case(keyword))
    }

    fn next_word(&mut self, what: &str) -> Result<Word, AssertionError> {
        match self.words.get(self.position) {
            Some(word) => {
                self.position += 1;
                Ok(word.clone())
            }
            None => Err(AssertionError::new(
                self.end_column,
                format!("the assertion ends too soon; expected {what}"),
            )),
        }
    }

    fn expected(&self, word: &Word, what: &str) -> AssertionError {
        self.error(word, format!("expected {what}, found \"{}\"", word.text))
    }

    fn error(&self, word: &Word, message: impl Into<String>) -> AssertionError {
        AssertionError::new(word.column, message)
    }
}

/// `healthy`, or a lifecycle state in any case (`RUNNING`, `running`).
fn state_word(text: &str) -> Option<StateFilter> {
    let upper = text.to_ascii_uppercase();
    if upper == "HEALTHY" {
        return Some(StateFilter::Healthy);
    }
    [
        TaskState::Provisioning,
        TaskState::Pending,
        TaskState::Activating,
        TaskState::Running,
        TaskState::Deactivating,
        TaskState::Stopping,
        TaskState::Deprovisioning,
        TaskState::Stopped,
    ]
    .into_iter()
    .find(|state| state.as_str() == upper)
    .map(StateFilter::State)
}

/// Names for an error message, at most ten of them.
fn list<S: AsRef<str>>(names: &[S]) -> String {
    const LISTED_MAX: usize = 10;
    if names.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<&str> = names.iter().take(LISTED_MAX).map(AsRef::as_ref).collect();
    match names.len().checked_sub(LISTED_MAX) {
        Some(more) if more > 0 => format!("{} and {more} more", shown.join(", ")),
        _ => shown.join(", "),
    }
}
