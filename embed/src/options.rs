//! What a `<flotilla-sandbox>` element or a `Flotilla.mount(element, options)` call asks for,
//! checked once into typed [`Options`]: the scenario (text or object), `seed`, `until`, `view`,
//! `service`, `mode` and `app`. Values arrive as JSON (the element's attributes are strings, the
//! JS API's are any JS value converted by serde-wasm-bindgen), so one pure checker serves both
//! and is tested natively; every refusal is a [`Problem`] naming the option (`seed`,
//! `scenario.fleet[0].count`, `view[1]`).

use flotilla_core::json_input::{cut, json_kind};
use flotilla_core::scenario::SCENARIO_BYTES_MAX;
use flotilla_core::time::{format_duration, parse_duration};
use flotilla_core::{parse_scenario, Problem, Scenario};
use serde_json::Value;

/// The longest run an embed shows: a page illustrates a moment, not a day.
pub const UNTIL_MS_MAX: u64 = 6 * 3600 * 1000;
/// An embed stops running once its world has recorded this many events (the core's run budget
/// is not on main yet; this bounds the embed's memory and each render on its own).
pub const EVENTS_MAX: usize = 100_000;
/// JS numbers are exact below 2^53; a seed above cannot be written in a page and read back.
pub const SEED_MAX: u64 = (1 << 53) - 1;
/// The option names a mount accepts, in the order the docs list them.
pub const OPTION_NAMES: [&str; 8] = [
    "scenario", "seed", "until", "view", "service", "mode", "app", "src",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Fleet,
    Service,
    Events,
    Timeline,
}

impl View {
    pub const ALL: [View; 4] = [View::Fleet, View::Service, View::Events, View::Timeline];

    pub fn name(self) -> &'static str {
        match self {
            View::Fleet => "fleet",
            View::Service => "service",
            View::Events => "events",
            View::Timeline => "timeline",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Watch and scrub: transport controls only.
    ReadOnly,
    /// Also act on the world: stop a task, drain or terminate an instance, scale a service.
    Interactive,
}

#[derive(Clone, Debug)]
pub struct Options {
    /// With `seed` applied.
    pub scenario: Scenario,
    pub until_ms: u64,
    pub views: Vec<View>,
    /// The service the `service` view shows (validated against the scenario).
    pub service: Option<String>,
    pub mode: Mode,
    /// Where "Open in Flotilla" points: the app's address (`/` by default).
    pub app: String,
}

/// Checks `options` (a JSON object). `src` is accepted and ignored here: the element's script
/// fetches it and passes the text as `scenario`.
pub fn parse_options(options: &Value) -> Result<Options, Problem> {
    let Value::Object(members) = options else {
        return Err(Problem::new(
            "",
            format!("options must be an object, found {}", json_kind(options)),
        ));
    };
    if let Some(unknown) = members.keys().find(|k| !OPTION_NAMES.contains(&k.as_str())) {
        return Err(Problem::new(
            unknown.chars().take(64).collect::<String>(),
            format!(
                "unknown option; expected one of {}",
                OPTION_NAMES.join(", ")
            ),
        ));
    }
    let present = |name: &str| members.get(name).filter(|v| !v.is_null());
    let mut scenario = scenario(present("scenario"))?;
    if let Some(seed) = present("seed") {
        scenario.seed = seed_of(seed)?;
    }
    let horizon_ms = scenario.horizon().as_ms();
    let until_ms = match present("until") {
        Some(until) => until_of(until)?,
        None => horizon_ms.min(UNTIL_MS_MAX),
    };
    let views = match present("view") {
        Some(view) => views_of(view)?,
        None => vec![View::Timeline, View::Fleet],
    };
    let service = match present("service") {
        Some(Value::String(name)) => {
            if !scenario.services.iter().any(|s| s.service_name == *name) {
                return Err(Problem::new(
                    "service",
                    format!(
                        "the scenario has no service named {}; it has {}",
                        cut(name),
                        service_names(&scenario)
                    ),
                ));
            }
            Some(name.clone())
        }
        Some(other) => return Err(expected("service", "a service name", other)),
        None => scenario.services.first().map(|s| s.service_name.clone()),
    };
    let mode = match present("mode").map(|m| (m, m.as_str())) {
        None | Some((_, Some("read-only"))) => Mode::ReadOnly,
        Some((_, Some("interactive"))) => Mode::Interactive,
        Some((value, _)) => {
            return Err(expected("mode", "\"read-only\" or \"interactive\"", value))
        }
    };
    let app = match present("app") {
        None => "/".to_string(),
        Some(Value::String(app)) if app_address_ok(app) => app.clone(),
        Some(other) => {
            return Err(expected(
                "app",
                "the app's address, starting with /, ./, ../, https:// or http://",
                other,
            ))
        }
    };
    Ok(Options {
        scenario,
        until_ms,
        views,
        service,
        mode,
        app,
    })
}

/// A moment as the JS API takes it (`seek(t)`): milliseconds or a duration such as `"1m30s"`.
pub fn moment_of(path: &str, value: &Value) -> Result<u64, Problem> {
    match value {
        Value::Number(n) => n.as_u64().filter(|&ms| ms <= SEED_MAX).ok_or_else(|| {
            Problem::new(
                path,
                format!("expected whole milliseconds at least 0, found {n}"),
            )
        }),
        Value::String(text) => parse_duration(text).map_err(|message| Problem::new(path, message)),
        other => Err(expected(
            path,
            "milliseconds or a duration such as \"1m30s\"",
            other,
        )),
    }
}

fn scenario(value: Option<&Value>) -> Result<Scenario, Problem> {
    let text = match value {
        Some(Value::String(text)) => text.clone(),
        Some(value @ Value::Object(_)) => value.to_string(),
        Some(other) => return Err(expected("scenario", "a scenario (JSON text or object)", other)),
        None => {
            return Err(Problem::new(
                "scenario",
                "no scenario: give the element a src attribute or a child <script type=\"application/json\">, or pass options.scenario",
            ))
        }
    };
    if text.len() > SCENARIO_BYTES_MAX {
        return Err(Problem::new(
            "scenario",
            format!(
                "the scenario is {} bytes; the limit is {SCENARIO_BYTES_MAX} bytes",
                text.len()
            ),
        ));
    }
    let scenario = parse_scenario(&text).map_err(|problems| {
        let count = problems.len();
        let first = problems
            .into_iter()
            .next()
            .unwrap_or_else(|| Problem::new("", "the scenario is not valid"));
        let more = match count {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        Problem::new(
            flotilla_core::problem::join_path("scenario", &first.path),
            format!("{}{more}", first.message),
        )
    })?;
    // Compile once here so a scenario that parses but does not compile is refused with its path.
    if let Some(first) = flotilla_core::scenario::validate(&scenario)
        .into_iter()
        .next()
    {
        return Err(first.under("scenario"));
    }
    Ok(scenario)
}

fn seed_of(value: &Value) -> Result<u64, Problem> {
    let seed = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    seed.filter(|&seed| seed <= SEED_MAX).ok_or_else(|| {
        expected(
            "seed",
            &format!("a whole number from 0 to {SEED_MAX}"),
            value,
        )
    })
}

fn until_of(value: &Value) -> Result<u64, Problem> {
    let until_ms = moment_of("until", value)?;
    if until_ms == 0 {
        return Err(Problem::new("until", "must be longer than 0s"));
    }
    if until_ms > UNTIL_MS_MAX {
        return Err(Problem::new(
            "until",
            format!(
                "{} is longer than an embed runs; the limit is {}",
                format_duration(until_ms),
                format_duration(UNTIL_MS_MAX)
            ),
        ));
    }
    Ok(until_ms)
}

fn views_of(value: &Value) -> Result<Vec<View>, Problem> {
    let names: Vec<(String, String)> = match value {
        Value::String(text) => text
            .split(',')
            .enumerate()
            .map(|(i, name)| (format!("view[{i}]"), name.trim().to_string()))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(name) => Ok((format!("view[{i}]"), name.clone())),
                other => Err(expected(&format!("view[{i}]"), "a view name", other)),
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(expected(
                "view",
                "view names such as \"fleet,events\"",
                other,
            ))
        }
    };
    let mut views = Vec::new();
    for (path, name) in names {
        let Some(view) = View::ALL.into_iter().find(|v| v.name() == name) else {
            let known: Vec<&str> = View::ALL.iter().map(|v| v.name()).collect();
            return Err(Problem::new(
                path,
                format!(
                    "unknown view {}; expected one of {}",
                    cut(&name),
                    known.join(", ")
                ),
            ));
        };
        if !views.contains(&view) {
            views.push(view);
        }
    }
    if views.is_empty() {
        return Err(Problem::new("view", "name at least one view"));
    }
    Ok(views)
}

fn app_address_ok(app: &str) -> bool {
    ["/", "./", "../", "https://", "http://"]
        .iter()
        .any(|prefix| app.starts_with(prefix))
        && !app.starts_with("//")
        && app.len() <= 2048
}

fn service_names(scenario: &Scenario) -> String {
    if scenario.services.is_empty() {
        return "none".into();
    }
    let names: Vec<String> = scenario
        .services
        .iter()
        .take(10)
        .map(|s| cut(&s.service_name))
        .collect();
    names.join(", ")
}

fn expected(path: &str, what: &str, found: &Value) -> Problem {
    let found = match found {
        Value::String(text) => format!("found {}", cut(text)),
        Value::Number(n) => format!("found {n}"),
        other => format!("found {}", json_kind(other)),
    };
    Problem::new(path, format!("expected {what}, {found}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SCENARIO: &str = include_str!("../../core/scenarios/rolling-fast.json");

    fn check(options: Value) -> String {
        match parse_options(&options) {
            Ok(o) => format!(
                "seed {} until {} views {:?} service {:?} mode {:?} app {}",
                o.scenario.seed,
                format_duration(o.until_ms),
                o.views,
                o.service,
                o.mode,
                o.app
            ),
            Err(problem) => format!("{}: {}", problem.path, problem.message),
        }
    }

    #[test]
    fn attributes_as_strings() {
        let out = check(json!({"scenario": SCENARIO, "seed": "7", "until": "5m",
            "view": "fleet, events,timeline", "mode": "interactive"}));
        assert!(
            out.starts_with("seed 7 until 5m views [Fleet, Events, Timeline]"),
            "{out}"
        );
        assert!(out.ends_with("mode Interactive app /"), "{out}");
    }

    #[test]
    fn bad_values_name_their_option() {
        let cases = [
            (json!({"scenario": SCENARIO, "seed": "seven"}), "seed: expected a whole number from 0 to 9007199254740991, found \"seven\""),
            (json!({"scenario": SCENARIO, "seed": -1}), "seed: expected a whole number from 0 to 9007199254740991, found -1"),
            (json!({"scenario": SCENARIO, "until": "5parsecs"}), "until: unknown unit \"parsecs\" in duration \"5parsecs\"; use ms, s, m, h or d"),
            (json!({"scenario": SCENARIO, "until": "7h"}), "until: 7h is longer than an embed runs; the limit is 6h"),
            (json!({"scenario": SCENARIO, "until": "0s"}), "until: must be longer than 0s"),
            (json!({"scenario": SCENARIO, "view": "fleet,map"}), "view[1]: unknown view \"map\"; expected one of fleet, service, events, timeline"),
            (json!({"scenario": SCENARIO, "view": [1]}), "view[0]: expected a view name, found 1"),
            (json!({"scenario": SCENARIO, "mode": "god"}), "mode: expected \"read-only\" or \"interactive\", found \"god\""),
            (json!({"scenario": SCENARIO, "service": "nope"}), "service: the scenario has no service named \"nope\"; it has \"web\""),
            (json!({"scenario": SCENARIO, "app": "javascript:alert(1)"}), "app: expected the app's address, starting with /, ./, ../, https:// or http://, found \"javascript:alert(1)\""),
            (json!({"scenario": SCENARIO, "colour": "red"}), "colour: unknown option; expected one of scenario, seed, until, view, service, mode, app, src"),
            (json!({"scenario": "{\"version\": 1,"}), "scenario: not valid JSON at line 1 column 14: EOF while parsing a value"),
            (json!({}), "scenario: no scenario: give the element a src attribute or a child <script type=\"application/json\">, or pass options.scenario"),
            (json!([]), ": options must be an object, found an array"),
        ];
        for (options, want) in cases {
            assert_eq!(check(options), want);
        }
    }

    #[test]
    fn scenario_problems_carry_the_scenario_path() {
        let mut scenario: Value = serde_json::from_str(SCENARIO).unwrap();
        scenario["fleet"][0]["count"] = json!("many");
        let out = check(json!({ "scenario": scenario }));
        assert!(out.starts_with("scenario.fleet[0].count: "), "{out}");
    }

    #[test]
    fn moments() {
        assert_eq!(moment_of("t", &json!("1m30s")), Ok(90_000));
        assert_eq!(moment_of("t", &json!(500)), Ok(500));
        assert_eq!(
            moment_of("t", &json!(true)).unwrap_err().to_string(),
            "t: expected milliseconds or a duration such as \"1m30s\", found a boolean"
        );
    }
}
