//! The built-in lessons and game days the app offers, by id, in the order of
//! `flotilla_core::lessons::BUILTIN_LESSONS` and `flotilla_core::gameday::BUILTIN_GAMEDAYS`.
//! The app does not compile their text in (app size): `scripts/build-web.sh` copies
//! `core/lessons/*.json` to `dist/lessons/` and `core/gamedays/*.json` to `dist/gamedays/`, and
//! the app fetches one when it is chosen (`web/src/lesson_files.rs`); the tests below keep these
//! lists and the core's the same. A game day open in a tab is kept where a lesson's id is, as
//! [`GAMEDAY_PREFIX`] and its id.

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

/// Ids of the built-in game days, as the Lessons list shows them.
pub const GAMEDAY_IDS: &[&str] = &["release-day"];

/// What marks a game day where the open lesson's id is kept (`gameday:release-day`).
pub const GAMEDAY_PREFIX: &str = "gameday:";

/// Where the app fetches the file of what `id` names: a lesson, or a game day by
/// [`GAMEDAY_PREFIX`] (`gamedays/<id>.json`).
pub fn file_url(id: &str) -> String {
    match id.strip_prefix(GAMEDAY_PREFIX) {
        Some(gameday) => format!("gamedays/{gameday}.json"),
        None => lesson_url(id),
    }
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

    #[test]
    fn the_app_offers_exactly_the_core_built_in_game_days_from_their_files() {
        let core: Vec<&str> = flotilla_core::gameday::BUILTIN_GAMEDAYS
            .iter()
            .map(|gameday| gameday.id)
            .collect();
        assert_eq!(GAMEDAY_IDS, core.as_slice());
        for id in GAMEDAY_IDS {
            let url = file_url(&format!("{GAMEDAY_PREFIX}{id}"));
            assert_eq!(url, format!("gamedays/{id}.json"));
            let path = format!("{}/../core/{url}", env!("CARGO_MANIFEST_DIR"));
            assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
        }
        assert_eq!(file_url("cicd"), "lessons/cicd.json");
    }
}
