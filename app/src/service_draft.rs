//! The service editor's draft: every `CreateService` member the sandbox models, kept as the text
//! the user typed, for an existing service or a new one; its conversion to a scenario edit with
//! each core validation error mapped to the field it belongs to; removing a service; and the
//! rolling-deployment bounds spelled out in words from `deploy::bounds`.

use crate::drafts::{checked, checked_with, field, whole_number_error, FieldError};
use flotilla_core::deploy;
use flotilla_core::query;
use flotilla_core::service::{
    default_maximum_percent, default_minimum_healthy_percent, DeploymentAlarms,
    DeploymentCircuitBreaker, DeploymentConfiguration, LaunchType, PlacementConstraintSpec,
    PlacementStrategySpec, SchedulingStrategy, ServiceDefinition,
};
use flotilla_core::Scenario;
use serde::{Deserialize, Serialize};

/// The editable parts of one service. `service` names the existing service edited; with
/// `creating` the draft is a new service called `name` instead. Number fields left empty take
/// the API's default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceDraft {
    pub service: String,
    pub creating: bool,
    /// The new service's name (only while `creating`).
    pub name: String,
    /// `family:revision`.
    pub task_definition: String,
    /// `REPLICA` or `DAEMON`.
    pub scheduling_strategy: String,
    pub desired_count: String,
    pub minimum_healthy_percent: String,
    pub maximum_percent: String,
    pub circuit_breaker_enable: bool,
    pub circuit_breaker_rollback: bool,
    /// `web-5xx, web-latency`
    pub alarm_names: String,
    pub alarms_enable: bool,
    pub alarms_rollback: bool,
    pub bake_time_in_minutes: String,
    pub health_check_grace_period_seconds: String,
    /// Strategies as the details panel writes them: `spread(attribute:ecs.availability-zone), binpack(memory)`.
    pub strategies: String,
    pub distinct_instance: bool,
    /// A memberOf expression in the cluster query language (empty: none).
    pub member_of: String,
    /// The draft carries every member above. Drafts saved before the editor covered the task
    /// definition, scheduling and deployment lack it (and those members): see `completed`.
    pub all_members: bool,
}

const REPLICA: &str = "REPLICA";
const DAEMON: &str = "DAEMON";

fn optional_number(value: Option<u32>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl ServiceDraft {
    pub fn from_definition(definition: &ServiceDefinition) -> ServiceDraft {
        let strategies = definition
            .placement_strategy
            .iter()
            .map(|s| match &s.field {
                Some(field) => format!("{}({field})", s.kind),
                None => s.kind.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let constraint = |kind: &str| {
            definition
                .placement_constraints
                .iter()
                .find(|c| c.kind == kind)
        };
        let config = definition
            .deployment_configuration
            .clone()
            .unwrap_or_default();
        let breaker = config.deployment_circuit_breaker.as_ref();
        let alarms = config.alarms.as_ref();
        let daemon = definition.scheduling_strategy == Some(SchedulingStrategy::Daemon);
        ServiceDraft {
            service: definition.service_name.clone(),
            creating: false,
            name: String::new(),
            task_definition: definition.task_definition.clone(),
            scheduling_strategy: if daemon { DAEMON } else { REPLICA }.into(),
            desired_count: definition.desired_count.unwrap_or(0).to_string(),
            minimum_healthy_percent: optional_number(config.minimum_healthy_percent),
            maximum_percent: optional_number(config.maximum_percent),
            circuit_breaker_enable: breaker.is_some_and(|b| b.enable),
            circuit_breaker_rollback: breaker.is_some_and(|b| b.rollback),
            alarm_names: alarms.map(|a| a.alarm_names.join(", ")).unwrap_or_default(),
            alarms_enable: alarms.is_some_and(|a| a.enable),
            alarms_rollback: alarms.is_some_and(|a| a.rollback),
            bake_time_in_minutes: optional_number(config.bake_time_in_minutes),
            health_check_grace_period_seconds: optional_number(
                definition.health_check_grace_period_seconds,
            ),
            strategies,
            distinct_instance: constraint("distinctInstance").is_some(),
            member_of: constraint("memberOf")
                .and_then(|c| c.expression.clone())
                .unwrap_or_default(),
            all_members: true,
        }
    }

    /// This draft of `definition`'s service, with what an older saved draft lacks taken from
    /// the service as it is (so applying it never clears a member the user could not see).
    pub fn completed(self, definition: &ServiceDefinition) -> ServiceDraft {
        if self.all_members || self.creating {
            return self;
        }
        ServiceDraft {
            desired_count: self.desired_count,
            strategies: self.strategies,
            distinct_instance: self.distinct_instance,
            member_of: self.member_of,
            ..ServiceDraft::from_definition(definition)
        }
    }

    /// A blank new REPLICA service of one task of the scenario's first family, latest revision.
    pub fn new_service(scenario: &Scenario) -> ServiceDraft {
        let revisions = revision_names(scenario);
        ServiceDraft {
            creating: true,
            task_definition: revisions.last().cloned().unwrap_or_default(),
            scheduling_strategy: REPLICA.into(),
            desired_count: "1".into(),
            all_members: true,
            ..ServiceDraft::default()
        }
    }

    pub fn is_daemon(&self) -> bool {
        self.scheduling_strategy == DAEMON
    }

    /// The memberOf expression's parse error: (1-based column, message).
    pub fn member_of_error(&self) -> Option<(u32, String)> {
        if self.member_of.trim().is_empty() {
            return None;
        }
        query::parse(&self.member_of)
            .err()
            .map(|e| (e.column, e.message))
    }

    /// The scenario with this service created or edited, validated by the core.
    pub fn apply_to(&self, scenario: &Scenario) -> Result<Scenario, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut edited = scenario.clone();
        let index = if self.creating {
            edited.services.push(ServiceDefinition {
                cluster: None,
                service_name: self.name.trim().to_string(),
                task_definition: String::new(),
                desired_count: None,
                launch_type: Some(LaunchType::Ec2),
                scheduling_strategy: None,
                deployment_configuration: None,
                placement_constraints: Vec::new(),
                placement_strategy: Vec::new(),
                network_configuration: None,
                health_check_grace_period_seconds: None,
                load_balancers: Vec::new(),
                service_registries: Vec::new(),
            });
            edited.services.len() - 1
        } else {
            match edited
                .services
                .iter()
                .position(|s| s.service_name == self.service)
            {
                Some(index) => index,
                None => return Err(vec![field("service", "choose a service")]),
            }
        };
        let definition = &mut edited.services[index];
        definition.task_definition = self.task_definition.trim().to_string();
        let daemon = self.is_daemon();
        // REPLICA is the API's default; an existing service that never named one keeps it unnamed.
        definition.scheduling_strategy = match (daemon, definition.scheduling_strategy) {
            (true, _) => Some(SchedulingStrategy::Daemon),
            (false, None) if !self.creating => None,
            (false, _) => Some(SchedulingStrategy::Replica),
        };
        definition.desired_count = if daemon {
            // DAEMON services have no desired count of their own: one task per instance (§3.6).
            None
        } else {
            match self.desired_count.trim().parse::<u32>() {
                Ok(count) => Some(count),
                Err(_) => {
                    errors.push(field(
                        "desired_count",
                        &whole_number_error(0, None, self.desired_count.trim()),
                    ));
                    None
                }
            }
        };
        let mut number = |text: &str, name: &'static str, low: u32, high: Option<u32>| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            text.parse::<u32>().map(Some).unwrap_or_else(|_| {
                errors.push(field(name, &whole_number_error(low, high, text)));
                None
            })
        };
        let minimum_healthy_percent = number(
            &self.minimum_healthy_percent,
            "minimum_healthy_percent",
            0,
            Some(100),
        );
        let maximum_percent = number(&self.maximum_percent, "maximum_percent", 100, None);
        let bake_time_in_minutes = number(&self.bake_time_in_minutes, "bake_time", 0, Some(1440));
        definition.health_check_grace_period_seconds = number(
            &self.health_check_grace_period_seconds,
            "grace_period",
            0,
            None,
        );
        definition.deployment_configuration = Some(
            self.deployment_configuration(
                definition
                    .deployment_configuration
                    .clone()
                    .unwrap_or_default(),
                minimum_healthy_percent,
                maximum_percent,
                bake_time_in_minutes,
            ),
        )
        .filter(|config| *config != DeploymentConfiguration::default());
        match parse_strategies(&self.strategies) {
            Ok(strategies) => definition.placement_strategy = strategies,
            Err(messages) => errors.extend(messages.into_iter().map(|message| FieldError {
                field: "strategies",
                message,
            })),
        }
        if let Some((column, message)) = self.member_of_error() {
            errors.push(FieldError {
                field: "member_of",
                message: format!("column {column}: {message}"),
            });
        }
        definition
            .placement_constraints
            .retain(|c| c.kind != "distinctInstance" && c.kind != "memberOf");
        if self.distinct_instance {
            definition
                .placement_constraints
                .push(PlacementConstraintSpec {
                    kind: "distinctInstance".into(),
                    expression: None,
                });
        }
        if !self.member_of.trim().is_empty() {
            definition
                .placement_constraints
                .push(PlacementConstraintSpec {
                    kind: "memberOf".into(),
                    expression: Some(self.member_of.trim().to_string()),
                });
        }
        let prefix = format!("services[{index}].");
        checked_with(edited, errors, |path| {
            let rest = path.strip_prefix(prefix.as_str())?;
            let config = rest.strip_prefix("deploymentConfiguration.");
            Some(match rest {
                "serviceName" => "name",
                "taskDefinition" => "task_definition",
                "desiredCount" => "desired_count",
                "schedulingStrategy" => "scheduling_strategy",
                _ if rest.starts_with("placementStrategy") => "strategies",
                _ if rest.starts_with("placementConstraints") => "member_of",
                _ => match config? {
                    "minimumHealthyPercent" => "minimum_healthy_percent",
                    "maximumPercent" => "maximum_percent",
                    "bakeTimeInMinutes" => "bake_time",
                    c if c.starts_with("deploymentCircuitBreaker") => "circuit_breaker",
                    c if c.starts_with("alarms") => "alarm_names",
                    _ => return None,
                },
            })
        })
    }

    /// `base` (the service's current configuration) with the form's members; what the form does
    /// not show (the circuit breaker's threshold) is kept.
    fn deployment_configuration(
        &self,
        base: DeploymentConfiguration,
        minimum_healthy_percent: Option<u32>,
        maximum_percent: Option<u32>,
        bake_time_in_minutes: Option<u32>,
    ) -> DeploymentConfiguration {
        let breaker_on = self.circuit_breaker_enable || self.circuit_breaker_rollback;
        let deployment_circuit_breaker = match base.deployment_circuit_breaker {
            Some(breaker) => Some(DeploymentCircuitBreaker {
                enable: self.circuit_breaker_enable,
                rollback: self.circuit_breaker_rollback,
                ..breaker
            }),
            None if breaker_on => Some(DeploymentCircuitBreaker {
                enable: self.circuit_breaker_enable,
                rollback: self.circuit_breaker_rollback,
                reset_on_healthy_task: None,
                threshold_configuration: None,
            }),
            None => None,
        };
        let alarm_names = split_names(&self.alarm_names);
        // Clearing every alarm field removes the member rather than leaving an empty one.
        let alarms = Some(DeploymentAlarms {
            alarm_names,
            enable: self.alarms_enable,
            rollback: self.alarms_rollback,
        })
        .filter(|a| !a.alarm_names.is_empty() || a.enable || a.rollback);
        DeploymentConfiguration {
            minimum_healthy_percent,
            maximum_percent,
            deployment_circuit_breaker,
            alarms,
            bake_time_in_minutes,
        }
    }

    /// The deployment bounds this draft gives, spelled out; `None` while a number is unreadable.
    pub fn bounds_in_words(&self, scenario: &Scenario) -> Option<BoundsInWords> {
        let strategy = if self.is_daemon() {
            SchedulingStrategy::Daemon
        } else {
            SchedulingStrategy::Replica
        };
        let percent = |text: &str, default: u32| -> Option<(u32, bool)> {
            match text.trim() {
                "" => Some((default, true)),
                text => text.parse().ok().map(|n| (n, false)),
            }
        };
        let (min, min_default) = percent(
            &self.minimum_healthy_percent,
            default_minimum_healthy_percent(strategy),
        )?;
        let (max, max_default) = percent(&self.maximum_percent, default_maximum_percent(strategy))?;
        let (desired, of) = if self.is_daemon() {
            let instances: u32 = scenario.fleet.iter().map(|e| e.count).sum();
            (instances, format!("{instances} (one task per instance)"))
        } else {
            let desired = self.desired_count.trim().parse::<u32>().ok()?;
            (desired, desired.to_string())
        };
        let (minimum, maximum) = bound_lines(desired, &of, (min, min_default), (max, max_default));
        // The core's own first round of a deployment: can it move at all with these bounds?
        let first_round = deploy::next_round(&deploy::RoundView {
            desired,
            minimum_healthy_percent: min,
            maximum_percent: max,
            old_live: desired,
            old_healthy: desired,
            can_launch: true,
            may_replace: true,
            ..deploy::RoundView::default()
        });
        let name = if self.creating {
            self.name.trim()
        } else {
            &self.service
        };
        Some(BoundsInWords {
            minimum,
            maximum,
            deadlock: first_round.blocked.then(|| deploy::deadlock_message(name)),
        })
    }
}

/// The rolling bounds of a draft in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundsInWords {
    /// `min 50 % of 3 = 1.5 → 2 tasks must stay healthy (rounded up)`; no "(rounded up)" when
    /// the share was whole (`min 50 % of 4 = 2 tasks must stay healthy`).
    pub minimum: String,
    /// `max 200 % of 4 = 8 tasks at most`
    pub maximum: String,
    /// ECS's message when a deployment could neither stop nor start a task.
    pub deadlock: Option<String>,
}

/// The two rolling bounds in words, as the service editor and the plan preview both say them:
/// `min 50 % of 3 = 1.5 → 2 tasks must stay healthy (rounded up)`,
/// `max 200 % (default) of 4 = 8 tasks at most`. `of` is how the desired count is written;
/// each percent comes with whether it is the API's default.
pub fn bound_lines(
    desired: u32,
    of: &str,
    (min, min_default): (u32, bool),
    (max, max_default): (u32, bool),
) -> (String, String) {
    let bounds = deploy::bounds(desired, min, max);
    let tasks = |n: u32| {
        if n == 1 {
            "1 task".into()
        } else {
            format!("{n} tasks")
        }
    };
    let default = |yes: bool| if yes { " (default)" } else { "" };
    // "(rounded up)" only when there was a fraction to round.
    let rounded = |share: &str, how: &str| {
        if share.is_empty() {
            String::new()
        } else {
            format!(" ({how})")
        }
    };
    let min_share = exact_share(desired, min, bounds.min_healthy);
    let max_share = exact_share(desired, max, bounds.max_tasks);
    let minimum = format!(
        "min {min} %{} of {of} = {min_share}{} must stay healthy{}",
        default(min_default),
        tasks(bounds.min_healthy),
        rounded(&min_share, "rounded up"),
    );
    let maximum = format!(
        "max {max} %{} of {of} = {max_share}{} at most{}",
        default(max_default),
        tasks(bounds.max_tasks),
        rounded(&max_share, "rounded down"),
    );
    (minimum, maximum)
}

/// `desired × percent / 100` before rounding, shown only when rounding changed it:
/// `"1.5 → "` (then the rounded count follows).
fn exact_share(desired: u32, percent: u32, rounded: u32) -> String {
    let hundredths = u64::from(desired) * u64::from(percent);
    if hundredths == u64::from(rounded) * 100 {
        return String::new();
    }
    let fraction = format!("{:02}", hundredths % 100);
    format!("{}.{} → ", hundredths / 100, fraction.trim_end_matches('0'))
}

/// `a, b ,, c` → `[a, b, c]`.
fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every task definition revision the scenario registers, `family:revision`, in file order.
pub fn revision_names(scenario: &Scenario) -> Vec<String> {
    let mut seen = flotilla_core::compact::SortedMap::<&str, u32>::new();
    scenario
        .task_definitions
        .iter()
        .map(|d| {
            let revision = seen.or_default(d.family.as_str());
            *revision += 1;
            format!("{}:{revision}", d.family)
        })
        .collect()
}

/// A service removed: the edited scenario, and how many timeline actions and traffic calls
/// went with it because they named it.
#[derive(Clone, Debug)]
pub struct Removal {
    pub scenario: Scenario,
    pub timeline_actions: usize,
    pub traffic_calls: usize,
}

impl Removal {
    /// What else went, for the note beside the button: "(with the 1 timeline action and the 2
    /// traffic calls naming it)"; none when nothing else did.
    pub fn note(&self) -> Option<String> {
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let parts: Vec<String> = [
            (self.timeline_actions, "timeline action"),
            (self.traffic_calls, "traffic call"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, one)| format!("the {}", plural(n, one)))
        .collect();
        (!parts.is_empty()).then(|| format!("(with {} naming it)", parts.join(" and ")))
    }
}

/// The scenario without the service `name` and without the timeline actions and traffic calls
/// that name it (they could not run), validated by the core.
pub fn remove_service(scenario: &Scenario, name: &str) -> Result<Removal, Vec<FieldError>> {
    let mut edited = scenario.clone();
    edited.services.retain(|s| s.service_name != name);
    let before = edited.timeline.len();
    edited.timeline.retain(|entry| match &entry.action {
        flotilla_core::Action::UpdateService(update) => update.service != name,
        _ => true,
    });
    let timeline_actions = before - edited.timeline.len();
    let mut traffic_calls = 0;
    if let Some(traffic) = edited.traffic.as_mut() {
        let before = traffic.calls.len();
        traffic
            .calls
            .retain(|call| call.from != name && call.to != name);
        traffic_calls = before - traffic.calls.len();
    }
    checked(edited, |_| None).map(|scenario| Removal {
        scenario,
        timeline_actions,
        traffic_calls,
    })
}

/// `spread(attribute:ecs.availability-zone), binpack(memory), random` → the API's shape, or
/// one message for every part that is wrong (not just the first).
pub fn parse_strategies(text: &str) -> Result<Vec<PlacementStrategySpec>, Vec<String>> {
    let mut strategies = Vec::new();
    let mut errors = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = rest.find(['(', ',']).unwrap_or(rest.len());
        let kind = rest[..end].trim().to_string();
        let mut field = None;
        rest = &rest[end..];
        if let Some(inner) = rest.strip_prefix('(') {
            let Some(close) = inner.find(')') else {
                // Nothing after an unclosed parenthesis can be read as a part of its own.
                errors.push(format!("{kind}( is missing its closing parenthesis"));
                break;
            };
            field = Some(inner[..close].trim().to_string());
            rest = &inner[close + 1..];
        }
        match flotilla_core::placement::Strategy::from_api(&kind, field.as_deref()) {
            Ok(_) => strategies.push(PlacementStrategySpec { kind, field }),
            Err(message) => errors.push(format!("{kind}: {message}")),
        }
        rest = rest.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    if errors.is_empty() {
        Ok(strategies)
    } else {
        Err(errors)
    }
}
