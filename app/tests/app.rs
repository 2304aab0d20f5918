//! flotilla-app's tests, one native binary: the editors' drafts, the comparison's figures, the
//! link codec, instructor links and the edit history. Each module holds one area's tests.
//!
//! The app leaves compressing a link to the browser (`CompressionStream('deflate-raw')`), so the
//! tests make links with [`deflate`], a Rust compressor of the same raw DEFLATE format.

mod compare_figures;
mod discovery_draft;
mod lesson_link;
mod lesson_progress;
mod links_and_history;
mod service_draft;
mod taskdef_draft;

/// `text` as raw DEFLATE (`miniz_oxide`, level 9), standing in for the browser's
/// `CompressionStream('deflate-raw')` when a test makes a link.
fn deflate(text: &str) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9)
}
