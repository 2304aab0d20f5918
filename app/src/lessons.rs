//! The built-in lessons the app offers, by id, in the order of `flotilla_core::lessons::
//! BUILTIN_LESSONS`. The app does not compile their text in (app size): `scripts/build-web.sh`
//! copies `core/lessons/*.json` to `dist/lessons/` and the app fetches one when it is chosen
//! (`web/src/lesson_files.rs`); the test below keeps this list and the core's the same.

/// Ids of the built-in lessons, as the list shows them.
pub const LESSON_IDS: &[&str] = &[
    "rolling-minimal-cost",
    "rolling-fast",
    "placement",
    "batch-jobs",
    "cicd",
    "draining-az-loss",
    "unplaceable",
];

/// Where the app fetches lesson `id`'s file from, relative to the page.
pub fn lesson_url(id: &str) -> String {
    format!("lessons/{id}.json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::lessons::BUILTIN_LESSONS;

    #[test]
    fn the_app_offers_exactly_the_core_built_in_lessons_in_order() {
        let core: Vec<&str> = BUILTIN_LESSONS.iter().map(|lesson| lesson.id).collect();
        assert_eq!(LESSON_IDS, core.as_slice());
    }

    #[test]
    fn every_offered_lesson_is_a_file_the_build_copies() {
        for id in LESSON_IDS {
            let path = format!("{}/../core/lessons/{id}.json", env!("CARGO_MANIFEST_DIR"));
            assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
        }
    }
}
