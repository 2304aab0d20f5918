//! Fetching a built-in lesson's or game day's file (`dist/lessons/<id>.json`,
//! `dist/gamedays/<id>.json`, copied there by `scripts/build-web.sh`) instead of compiling the
//! texts into the app (app size: ~10 KiB gzip); the text is then checked by the core
//! (`lessons::parse_lesson`, `gameday::parse_gameday`) as any file is.

use flotilla_app::lessons::file_url;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The file of lesson `id` (or of a game day: `gameday:<id>`) as text, or why it could not be
/// had.
pub async fn fetch_lesson(id: &str) -> Result<String, String> {
    let url = file_url(id);
    let failed = || format!("the file {url} could not be loaded");
    let response = JsFuture::from(gloo::utils::window().fetch_with_str(&url))
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
    flotilla_core::lessons::parse_lesson(&text).map_err(|problems| joined(&problems))
}

/// Game day `gameday:<id>`, fetched and checked.
pub async fn load_gameday(id: &str) -> Result<flotilla_core::gameday::GameDay, String> {
    let text = fetch_lesson(id).await?;
    flotilla_core::gameday::parse_gameday(&text).map_err(|problems| joined(&problems))
}

fn joined(problems: &[flotilla_core::Problem]) -> String {
    let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
    words.join("\n")
}
