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
];

pub fn find(id: &str) -> Option<&'static BuiltinLesson> {
    BUILTIN_LESSONS.iter().find(|lesson| lesson.id == id)
}
