//! Fetching a built-in lesson's file (`dist/lessons/<id>.json`, copied there by
//! `scripts/build-web.sh`) instead of compiling the seven texts into the app (app size: ~10 KiB
//! gzip); the text is then checked by the core (`lessons::parse_lesson`) as any lesson is.

use flotilla_app::lessons::lesson_url;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Lesson `id`'s file as text, or why it could not be had.
pub async fn fetch_lesson(id: &str) -> Result<String, String> {
    let url = lesson_url(id);
    let failed = || format!("the lesson file {url} could not be loaded");
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
    flotilla_core::lessons::parse_lesson(&text).map_err(|problems| {
        let words: Vec<String> = problems.iter().map(ToString::to_string).collect();
        words.join("\n")
    })
}
