//! Built-in scenarios shipped with every build (compiled in, so the core still does no I/O).
//! The first one is the default the app opens with.

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
];

pub fn default_scenario() -> &'static BuiltinScenario {
    &BUILTIN_SCENARIOS[0]
}

pub fn find(id: &str) -> Option<&'static BuiltinScenario> {
    BUILTIN_SCENARIOS.iter().find(|s| s.id == id)
}
