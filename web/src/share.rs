//! `flotilla_app::share` under the path the components use, and the one thing the browser adds
//! to it: compressing a link's text. The browser's `CompressionStream('deflate-raw')` writes the
//! same raw DEFLATE the app's inflater reads, so the app carries no compressor of its own (about
//! 5 KiB gzip). It is asynchronous, as making a link already is (it goes to the clipboard).
//! Where the browser has no such stream, or it fails, the text goes as stored blocks
//! (`deflate_stored`): a longer link that opens everywhere, never an error.

pub use flotilla_app::share::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

// `new Blob([text])` is the text as UTF-8. `null` where the browser cannot make a raw DEFLATE
// stream: no CompressionStream (before Chrome 80, Firefox 113, Safari 16.4), or one without
// 'deflate-raw' (Chrome 80 to 102), whose constructor throws.
#[wasm_bindgen(inline_js = r#"
export function deflate_raw(text) {
  try {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then((buffer) => new Uint8Array(buffer));
  } catch (_) {
    return null;
  }
}
"#)]
extern "C" {
    /// A promise of `text`'s UTF-8 bytes as raw DEFLATE (a `Uint8Array`), or `None`.
    fn deflate_raw(text: &str) -> Option<js_sys::Promise>;
}

/// `text` as raw DEFLATE, compressed by the browser, or as stored blocks where it cannot.
pub async fn deflate(text: &str) -> Vec<u8> {
    if let Some(compressing) = deflate_raw(text) {
        if let Ok(bytes) = JsFuture::from(compressing).await {
            return js_sys::Uint8Array::new(&bytes).to_vec();
        }
    }
    deflate_stored(text.as_bytes())
}
