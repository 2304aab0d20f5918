//! Fetching a built-in lesson's, game day's or scenario's file (`dist/lessons/<id>.json`,
//! `dist/gamedays/<id>.json`, `dist/scenarios/<id>.json`, copied there by
//! `scripts/build-web.sh`) instead of compiling the texts into the app (app size: ~10 KiB gzip
//! for lessons, ~5 for the scenarios but the default); the text is then checked by the core
//! (`lessons::check_lesson_with`, `gameday::check_gameday_with`, `parse_scenario`) as any file
//! is, a lesson's or game day's `builtin:NAME` with the scenario file fetched for it.

use flotilla_app::lessons::file_url;
use flotilla_core::builtin::{BUILTIN_NAMES, DEFAULT_SCENARIO_JSON};
use flotilla_core::lessons::ScenarioSource;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The file of lesson `id` (or of a game day: `gameday:<id>`) as text, or why it could not be
/// had.
pub async fn fetch_lesson(id: &str) -> Result<String, String> {
    fetch_text(&file_url(id)).await
}

/// The text of built-in scenario `id` (the default is in the app; the others are fetched).
pub async fn fetch_builtin(id: &str) -> Result<String, String> {
    if id == BUILTIN_NAMES[0].0 {
        return Ok(DEFAULT_SCENARIO_JSON.to_string());
    }
    fetch_text(&format!("scenarios/{id}.json")).await
}

/// The built-in a lesson or game day names, fetched: `(id, text)`, or `None` when it names none
/// (an inline scenario, or a name that is no built-in, which the check then reports).
async fn named_builtin(source: &ScenarioSource) -> Result<Option<(String, String)>, String> {
    let ScenarioSource::Builtin(text) = source else {
        return Ok(None);
    };
    let Some(id) = text
        .strip_prefix("builtin:")
        .filter(|id| flotilla_core::builtin::is_builtin(id))
    else {
        return Ok(None);
    };
    Ok(Some((id.to_string(), fetch_builtin(id).await?)))
}

/// `builtins` for the core's checks: the one fetched text, by its id.
fn only(named: Option<(String, String)>) -> impl Fn(&str) -> Option<String> {
    move |id| {
        named
            .as_ref()
            .filter(|(name, _)| name == id)
            .map(|(_, text)| text.clone())
    }
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let failed = || format!("the file {url} could not be loaded");
    let response = JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(|_| failed())?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| failed())?;
    if !response.ok() {
        return Err(format!("{} (HTTP {})", failed(), response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    text.as_string().ok_or_else(failed)
}

/// Lesson `id`, fetched and checked.
pub async fn load_lesson(id: &str) -> Result<flotilla_core::lessons::Lesson, String> {
    let text = fetch_lesson(id).await?;
    let file = flotilla_core::lessons::parse_lesson_file(&text).map_err(|p| joined(&p))?;
    let builtin = named_builtin(&file.scenario).await?;
    flotilla_core::lessons::check_lesson_with(file, &only(builtin)).map_err(|p| joined(&p))
}

/// Game day `gameday:<id>`, fetched and checked.
pub async fn load_gameday(id: &str) -> Result<flotilla_core::gameday::GameDay, String> {
    let text = fetch_lesson(id).await?;
    let file = flotilla_core::gameday::parse_gameday_file(&text).map_err(|p| joined(&p))?;
    let builtin = named_builtin(&file.scenario).await?;
    flotilla_core::gameday::check_gameday_with(file, &only(builtin)).map_err(|p| joined(&p))
}

fn joined(problems: &[flotilla_core::Problem]) -> String {
    let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
    words.join("\n")
}
