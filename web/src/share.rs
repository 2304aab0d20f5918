//! `flotilla_app::share` under the path the components use, and the two things the browser adds
//! to it: compressing a link's text and inflating it again. The browser's
//! `CompressionStream('deflate-raw')` and `DecompressionStream('deflate-raw')` do it, so the app
//! carries neither a compressor nor an inflater of its own (about 5 KiB gzip each). Both are
//! asynchronous: making a link already was (it goes to the clipboard), and opening one happens
//! just after the app's first render (`hooks::link`), which stays hidden until then.
//! Where the browser has no compression stream, or it fails, the text goes as stored blocks
//! (`deflate_stored`): a longer link, never an error. A browser without the decompression stream
//! (before Chrome 103, Firefox 113, Safari 16.4) cannot open a link and says so.

pub use flotilla_app::share::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

// `new Blob([text])` is the text as UTF-8. `null` where the browser cannot make a raw DEFLATE
// stream: no CompressionStream (before Chrome 80, Firefox 113, Safari 16.4), or one without
// 'deflate-raw' (Chrome 80 to 102), whose constructor throws.
#[wasm_bindgen(inline_js = r#"
export async function inflate_raw(bytes, max) {
  let reader;
  try {
    reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  } catch (_) {
    return 'unsupported';
  }
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        reader.cancel();
        return 'large';
      }
      chunks.push(value);
    }
  } catch (error) {
    return { damaged: String(error && error.message || error) };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
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
    /// A promise of `bytes` inflated (a `Uint8Array`), or of why not: `'unsupported'` (no
    /// stream), `'large'` (more than `max` bytes), `{damaged: message}`.
    fn inflate_raw(bytes: &[u8], max: usize) -> js_sys::Promise;
}

/// Raw DEFLATE to the text it holds, at most `bytes_max` bytes, inflated by the browser; the
/// errors read as the native inflater's (`flotilla_app::share::inflate`).
pub async fn browser_inflate(deflated: &[u8], bytes_max: usize) -> Result<String, LinkError> {
    let outcome = JsFuture::from(inflate_raw(deflated, bytes_max))
        .await
        .unwrap_or_default();
    if let Some(bytes) = outcome.dyn_ref::<js_sys::Uint8Array>() {
        return text_of(bytes.to_vec());
    }
    Err(match outcome.as_string().as_deref() {
        Some("large") => LinkError::too_large(bytes_max),
        Some("unsupported") => LinkError(
            "this browser cannot inflate a link (it has no DecompressionStream('deflate-raw')); open it in a current Chrome, Firefox or Safari".into(),
        ),
        _ => LinkError::damaged(
            &js_sys::Reflect::get(&outcome, &"damaged".into())
                .ok()
                .and_then(|why| why.as_string())
                .unwrap_or_default(),
        ),
    })
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
