//! Built-in lessons, compiled in from `core/lessons/*.json` (the core still does no I/O), one
//! per modelled scenario of the source talk. Each is checked and run through "show me" by the
//! tests, so a core change that breaks a lesson fails the build.

pub struct BuiltinLesson {
    /// Short id used by the CLI (`flotilla lesson rolling-fast`) and in links.
    pub id: &'static str,
    pub json: &'static str,
}

pub const BUILTIN_LESSONS: &[BuiltinLesson] = &[
    BuiltinLesson {
        id: "rolling-minimal-cost",
        json: include_str!("../../lessons/rolling-minimal-cost.json"),
    },
    BuiltinLesson {
        id: "rolling-fast",
        json: include_str!("../../lessons/rolling-fast.json"),
    },
    BuiltinLesson {
        id: "placement",
        json: include_str!("../../lessons/placement.json"),
    },
    BuiltinLesson {
        id: "batch-jobs",
        json: include_str!("../../lessons/batch-jobs.json"),
    },
    BuiltinLesson {
        id: "cicd",
        json: include_str!("../../lessons/cicd.json"),
    },
    BuiltinLesson {
        id: "draining-az-loss",
        json: include_str!("../../lessons/draining-az-loss.json"),
    },
    BuiltinLesson {
        id: "unplaceable",
        json: include_str!("../../lessons/unplaceable.json"),
    },
];

pub fn find(id: &str) -> Option<&'static BuiltinLesson> {
    BUILTIN_LESSONS.iter().find(|lesson| lesson.id == id)
}
