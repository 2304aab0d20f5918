//! Built-in scenarios shipped with every build (compiled in, so the core still does no I/O).
//! The first one is the default the app opens with. The app carries only that one
//! ([`DEFAULT_SCENARIO_JSON`]) and the list of ids and names ([`BUILTIN_NAMES`]); it fetches the
//! others' files (`dist/scenarios/<id>.json`) when the Library, a lesson or a game day names
//! one, so it never refers to [`BUILTIN_SCENARIOS`] (tests/src/boundaries.rs).

pub struct BuiltinScenario {
    /// Short id used by the CLI (`builtin:microservices`) and in links.
    pub id: &'static str,
    pub json: &'static str,
}

/// A `static`, not a `const`: every use of a `const` may get its own copy of the texts, and the
/// app carried them twice (19 KB of JSON; -3.5 KiB gzip).
pub static BUILTIN_SCENARIOS: &[BuiltinScenario] = &[
    BuiltinScenario {
        id: "microservices",
        json: include_str!("../scenarios/microservices.json"),
    },
    // Source talk scenario 4: placement constraints, attributes and strategies.
    BuiltinScenario {
        id: "placement",
        json: include_str!("../scenarios/placement.json"),
    },
    // Source talk scenario 5: RunTask and StartTask beside long-running services.
    BuiltinScenario {
        id: "batch-jobs",
        json: include_str!("../scenarios/batch-jobs.json"),
    },
    BuiltinScenario {
        id: "rolling-minimal-cost",
        json: include_str!("../scenarios/rolling-minimal-cost.json"),
    },
    BuiltinScenario {
        id: "rolling-fast",
        json: include_str!("../scenarios/rolling-fast.json"),
    },
    // Source talk scenario 3: blue/green by Route 53 weights, and the TTL's lag.
    BuiltinScenario {
        id: "blue-green-dns",
        json: include_str!("../scenarios/blue-green-dns.json"),
    },
    BuiltinScenario {
        id: "cicd",
        json: include_str!("../scenarios/cicd.json"),
    },
    // Source talk scenario 8: from 10 to 10,000 services on the timeline (`createService`),
    // new tasks becoming discoverable behind the ALB and in Cloud Map, traffic throughout.
    BuiltinScenario {
        id: "discovery-at-scale",
        json: include_str!("../scenarios/discovery-at-scale.json"),
    },
];

/// Each built-in's id and its scenario's `name`, in [`BUILTIN_SCENARIOS`]'s order, without the
/// texts (a test keeps them equal to the files).
pub static BUILTIN_NAMES: &[(&str, &str)] = &[
    ("microservices", "Order, User and Shipping microservices"),
    ("placement", "Placement constraints and attributes"),
    ("batch-jobs", "Batch jobs beside long-running services"),
    (
        "rolling-minimal-cost",
        "Rolling deploy at minimal resource cost (min 50 %, max 100 %)",
    ),
    (
        "rolling-fast",
        "Fast rolling deploy without losing capacity (min 100 %, max 200 %)",
    ),
    ("blue-green-dns", "Blue/green by Route 53 weights"),
    (
        "cicd",
        "CI/CD: new image tag, new revision, UpdateService, deployment",
    ),
    ("discovery-at-scale", "Service discovery at scale"),
];

/// The default scenario's text, the same file as `BUILTIN_SCENARIOS[0]`'s, on its own so that a
/// build can carry it without the others.
pub static DEFAULT_SCENARIO_JSON: &str = include_str!("../scenarios/microservices.json");

/// Whether `id` names a built-in scenario (without reading any text).
pub fn is_builtin(id: &str) -> bool {
    BUILTIN_NAMES.iter().any(|(name, _)| *name == id)
}

/// The text of built-in `id`, for lessons and game days that name one (`builtin:NAME`).
pub fn json_of(id: &str) -> Option<String> {
    find(id).map(|builtin| builtin.json.to_string())
}

pub fn default_scenario() -> &'static BuiltinScenario {
    &BUILTIN_SCENARIOS[0]
}

pub fn find(id: &str) -> Option<&'static BuiltinScenario> {
    BUILTIN_SCENARIOS.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_list_and_the_default_text_match_the_files() {
        let from_files: Vec<(&str, String)> = BUILTIN_SCENARIOS
            .iter()
            // The name as the file has it: a build without the discovery feature (the
            // embed's) refuses the built-ins with load balancers, but lists them all the same.
            .map(|b| {
                let file: serde_json::Value =
                    serde_json::from_str(b.json).expect("a built-in is JSON");
                (b.id, file["name"].as_str().unwrap_or_default().to_string())
            })
            .collect();
        let listed: Vec<(&str, String)> = BUILTIN_NAMES
            .iter()
            .map(|(id, name)| (*id, name.to_string()))
            .collect();
        assert_eq!(listed, from_files);
        assert_eq!(DEFAULT_SCENARIO_JSON, BUILTIN_SCENARIOS[0].json);
    }
}
