//! The assertion tree: what one sentence of the assertion language means, with every name
//! already resolved against the scenario (a service is its index, an instance type is a
//! catalogue name the fleet has), so evaluation never looks anything up by text that could be
//! wrong. `Display` writes the canonical sentence (`parse(canonical) == assertion`), which
//! the CLI, badges and error reports show.

use crate::time::SimTime;
use std::fmt;

/// One parsed assertion sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// `at 5m at least 3 tasks of web RUNNING in us-east-1a`: the count at one moment.
    At { at: SimTime, count: Count },
    /// `always at least 2 healthy tasks of web` / `never fewer than 2 healthy tasks of web`:
    /// the count at every moment of the window. `negated` is the `never` form.
    Always {
        count: Count,
        negated: bool,
        window: Window,
    },
    /// `no task of batch placed on an instance of type t3.micro` (`every` = false) or
    /// `every task of batch placed in us-east-1a` (`every` = true): every placement in the
    /// window.
    Placed {
        every: bool,
        tasks: Tasks,
        window: Window,
    },
    /// `the deployment of web completes before 3m`.
    Deployment {
        service: Named,
        started_at: Option<SimTime>,
        outcome: Outcome,
        deadline: SimTime,
    },
    /// `web reaches a steady state before 2m`.
    Steady { service: Named, deadline: SimTime },
}

/// A name with its index in the scenario's list (services: `ServiceId`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub index: u32,
}

/// `at least 3 tasks of web RUNNING in us-east-1a`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub comparison: Comparison,
    pub number: u32,
    pub tasks: Tasks,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    AtMost,
    Exactly,
    MoreThan,
    FewerThan,
    /// Only as the negation of `exactly` (`never exactly 3`); never written.
    OtherThan,
}

/// Which tasks: whose, in what state, where.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Tasks {
    pub owner: Owner,
    pub state: StateFilter,
    pub zone: Option<String>,
    pub instance_type: Option<String>,
}

/// Whose tasks. A bare name is a service when the scenario has one by that name, else a
/// task-definition family; `family`, `group` and `service` say which explicitly.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Owner {
    /// Every task in the cluster.
    #[default]
    Any,
    Service(Named),
    Family(String),
    Group(String),
}

/// The lifecycle filter of a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum StateFilter {
    /// Placed and not yet STOPPED.
    #[default]
    Live,
    /// What the scheduler counts healthy (§3.4): desiredStatus RUNNING, counted healthy and not
    /// found unhealthy — the count minimumHealthyPercent bounds.
    Healthy,
    /// `lastStatus` is exactly this state.
    State(crate::task::TaskState),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// rolloutState COMPLETED.
    Completes,
    /// rolloutState FAILED (the circuit breaker or an alarm).
    Fails,
}

/// The moments an `always`/`never`/placement claim covers. Without `from` (or `between`), an
/// `always` claim must first come true and then never stop being true.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Window {
    pub from: Option<SimTime>,
    pub until: Option<SimTime>,
}

impl Comparison {
    /// Whether `count` satisfies the comparison with `number`.
    pub fn holds(self, count: u32, number: u32) -> bool {
        match self {
            Comparison::AtLeast => count >= number,
            Comparison::AtMost => count <= number,
            Comparison::Exactly => count == number,
            Comparison::MoreThan => count > number,
            Comparison::FewerThan => count < number,
            Comparison::OtherThan => count != number,
        }
    }

    /// The comparison that holds exactly when this one does not (`never fewer than 2` is
    /// `always at least 2`).
    pub fn negation(self) -> Comparison {
        match self {
            Comparison::AtLeast => Comparison::FewerThan,
            Comparison::FewerThan => Comparison::AtLeast,
            Comparison::AtMost => Comparison::MoreThan,
            Comparison::MoreThan => Comparison::AtMost,
            Comparison::Exactly => Comparison::OtherThan,
            Comparison::OtherThan => Comparison::Exactly,
        }
    }

    /// The words of the sentence (`at least`).
    pub fn words(self) -> &'static str {
        match self {
            Comparison::AtLeast => "at least",
            Comparison::AtMost => "at most",
            Comparison::Exactly => "exactly",
            Comparison::MoreThan => "more than",
            Comparison::FewerThan => "fewer than",
            Comparison::OtherThan => "other than",
        }
    }

    /// The symbol evidence uses (`needs ≥ 2`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::AtMost => "≤",
            Comparison::Exactly => "=",
            Comparison::MoreThan => ">",
            Comparison::FewerThan => "<",
            Comparison::OtherThan => "≠",
        }
    }
}

impl Claim {
    /// The latest moment the claim needs the run to reach to be decided (`at`, a deadline,
    /// the end of a window); `None` when the run's own end decides it.
    pub fn needs_until(&self) -> Option<SimTime> {
        match self {
            Claim::At { at, .. } => Some(*at),
            Claim::Always { window, .. } | Claim::Placed { window, .. } => window.until,
            Claim::Deployment { deadline, .. } | Claim::Steady { deadline, .. } => Some(*deadline),
        }
    }
}

/// A time as sentences write it: `5m`, `1h30m`, `90s` come back as `5m`, `1h30m`, `1m30s`.
pub fn time_text(at: SimTime) -> String {
    crate::time::format_duration(at.as_ms())
}

/// A moment as evidence shows it to a reader: `2:14`, `0:40.500`, `1:02:03`.
pub fn clock_text(at: SimTime) -> String {
    let ms = at.as_ms();
    let (seconds, millis) = (ms / 1000, ms % 1000);
    let (hours, minutes, seconds) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    let mut text = if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    };
    if millis > 0 {
        text.push_str(&format!(".{millis:03}"));
    }
    text
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::At { at, count } => write!(f, "at {} {count}", time_text(*at)),
            Claim::Always {
                count,
                negated,
                window,
            } => {
                let word = if *negated { "never" } else { "always" };
                write!(f, "{word} {count}{window}")
            }
            Claim::Placed {
                every,
                tasks,
                window,
            } => {
                let word = if *every { "every" } else { "no" };
                write!(f, "{word} task{} placed", tasks.owner)?;
                tasks.write_location(f)?;
                write!(f, "{window}")
            }
            Claim::Deployment {
                service,
                started_at,
                outcome,
                deadline,
            } => {
                write!(f, "the deployment of {}", service.name)?;
                if let Some(started_at) = started_at {
                    write!(f, " started at {}", time_text(*started_at))?;
                }
                let verb = match outcome {
                    Outcome::Completes => "completes",
                    Outcome::Fails => "fails",
                };
                write!(f, " {verb} before {}", time_text(*deadline))
            }
            Claim::Steady { service, deadline } => write!(
                f,
                "{} reaches a steady state before {}",
                service.name,
                time_text(*deadline)
            ),
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.comparison.words(), self.number)?;
        if self.tasks.state == StateFilter::Healthy {
            f.write_str(" healthy")?;
        }
        let plural = if self.number == 1 { "" } else { "s" };
        write!(f, " task{plural}{}", self.tasks.owner)?;
        if let StateFilter::State(state) = self.tasks.state {
            write!(f, " {}", state.as_str())?;
        }
        self.tasks.write_location(f)
    }
}

impl Tasks {
    fn write_location(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(zone) = &self.zone {
            write!(f, " in {zone}")?;
        }
        if let Some(instance_type) = &self.instance_type {
            write!(f, " on an instance of type {instance_type}")?;
        }
        Ok(())
    }
}

/// ` of web`, ` of family batch`, or nothing for every task.
impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Any => Ok(()),
            Owner::Service(service) => write!(f, " of {}", service.name),
            Owner::Family(family) => write!(f, " of family {family}"),
            Owner::Group(group) => write!(f, " of group {group}"),
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (Some(from), Some(until)) => {
                write!(f, " between {} and {}", time_text(from), time_text(until))
            }
            (Some(from), None) => write!(f, " from {}", time_text(from)),
            (None, Some(until)) => write!(f, " until {}", time_text(until)),
            (None, None) => Ok(()),
        }
    }
}

impl Owner {
    /// How evidence names the owner: `web`, `family batch`, `group nightly`, `the cluster`.
    pub fn subject(&self) -> String {
        match self {
            Owner::Any => "the cluster".to_string(),
            Owner::Service(service) => service.name.clone(),
            Owner::Family(family) => format!("family {family}"),
            Owner::Group(group) => format!("group {group}"),
        }
    }
}
