//! Built-in game days, compiled in from `core/gamedays/*.json` (the core still does no I/O).
//! Each is checked and played by the tests with the policies the docs quote, so a core change
//! that moves a score fails the build.

pub struct BuiltinGameDay {
    /// Short id used by the CLI (`flotilla gameday release-day`) and the app.
    pub id: &'static str,
    pub json: &'static str,
}

pub const BUILTIN_GAMEDAYS: &[BuiltinGameDay] = &[BuiltinGameDay {
    id: "release-day",
    json: include_str!("../../gamedays/release-day.json"),
}];

pub fn find(id: &str) -> Option<&'static BuiltinGameDay> {
    BUILTIN_GAMEDAYS.iter().find(|gameday| gameday.id == id)
}
