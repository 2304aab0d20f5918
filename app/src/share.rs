//! Share links: a scenario file deflated (raw DEFLATE, RFC 1951) and base64url-encoded into the
//! URL fragment, `#s=...`, optionally followed by `&t=<duration>`, the moment to open at (the
//! embed's "Open in Flotilla" link carries it). Pure functions with typed errors: a link is user
//! input like any file, so decoding never panics and the text it gives is validated by the core
//! afterwards.
//!
//! Compressing is not here: the browser does it (`CompressionStream('deflate-raw')`, in
//! flotilla-web's `share.rs`), and these functions take the deflated bytes, so the app carries no
//! compressor (about 5 KiB gzip of wasm). Where the browser has none, the text goes as stored
//! (uncompressed) blocks, [`deflate_stored`], as the embed's links do. Any raw DEFLATE stream
//! opens, whichever compressor and level wrote it. Reading a link is in two steps: the
//! synchronous one here ([`fragment_payload`], [`payload_bytes`]: the key, the length bound,
//! base64url) and the inflation, which the browser does in the app
//! (`DecompressionStream('deflate-raw')`, flotilla-web's `share::inflate`, bounded like
//! [`unpack`]), so the app carries no inflater either (about 5 KiB gzip). [`unpack`] and
//! [`decode_fragment`] inflate with `miniz_oxide` for native callers (the tests, the embed's
//! checks); both paths word their errors with [`LinkError::too_large`] and
//! [`LinkError::damaged`].

use flotilla_core::scenario::SCENARIO_BYTES_MAX;

/// The fragment key for a shared scenario: `#s=<base64url(deflate(json))>`.
pub const FRAGMENT_KEY: &str = "s=";
/// The fragment key of the moment a link opens at: `&t=1m30s`.
pub const MOMENT_KEY: &str = "t=";
/// The latest moment a link may open at: opening runs the world there, so it is bounded like the
/// embed's own run (`flotilla_embed::options::UNTIL_MS_MAX`).
pub const MOMENT_MS_MAX: u64 = 6 * 3600 * 1000;
/// A link longer than this is refused before decoding (browsers cap URLs around 2 MB).
pub const FRAGMENT_CHARS_MAX: usize = 2 * 1024 * 1024;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// A stored block holds at most this many bytes (its length is 16 bits).
const STORED_BLOCK_BYTES_MAX: usize = 0xFFFF;

/// Why a link's scenario could not be read (before validation of the scenario itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError(pub String);

impl LinkError {
    /// The inflated text would be larger than `bytes_max`.
    pub fn too_large(bytes_max: usize) -> LinkError {
        LinkError(format!("the link's data is larger than {bytes_max} bytes"))
    }

    /// The deflated data cannot be inflated; `why` is the inflater's own word for it.
    pub fn damaged(why: &str) -> LinkError {
        LinkError(format!(
            "the link's data is damaged or incomplete (deflate: {why}); was it cut off when copied?"
        ))
    }
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fragment (without `#`) for a scenario file's text, given deflated (raw DEFLATE).
pub fn encode_fragment(deflated: &[u8]) -> String {
    format!("{FRAGMENT_KEY}{}", pack_deflated(deflated))
}

/// A link's payload (the scenario, a lesson link's run) from its text deflated (raw DEFLATE):
/// base64url-encoded.
pub fn pack_deflated(deflated: &[u8]) -> String {
    base64url_encode(deflated)
}

/// `bytes` as a raw DEFLATE stream of stored blocks (RFC 1951 §3.2.4: no compression): what a
/// link carries where the browser cannot compress. About a third longer than the text once
/// base64url-encoded, and read by [`unpack`] like any other stream.
pub fn deflate_stored(bytes: &[u8]) -> Vec<u8> {
    let blocks = bytes.len().div_ceil(STORED_BLOCK_BYTES_MAX).max(1);
    let mut out = Vec::with_capacity(bytes.len() + blocks * 5);
    let mut chunks = bytes.chunks(STORED_BLOCK_BYTES_MAX).peekable();
    if chunks.peek().is_none() {
        // One empty final block.
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        // BFINAL in bit 0, BTYPE 00 (stored) in bits 1-2; the rest of the byte is padding.
        out.push(u8::from(last));
        let length = chunk.len() as u16;
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(&(!length).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// A payload's ([`pack_deflated`]) deflated bytes, before the length of the link is trusted.
pub fn payload_bytes(payload: &str) -> Result<Vec<u8>, LinkError> {
    if payload.len() > FRAGMENT_CHARS_MAX {
        return Err(LinkError(format!(
            "the link is {} characters long; the limit is {FRAGMENT_CHARS_MAX}",
            payload.len()
        )));
    }
    base64url_decode(payload)
}

/// Inflated bytes as the link's text.
pub fn text_of(bytes: Vec<u8>) -> Result<String, LinkError> {
    String::from_utf8(bytes).map_err(|_| LinkError("the link's data is not UTF-8 text".into()))
}

/// The text in a payload ([`pack_deflated`]) of at most `bytes_max` bytes once inflated,
/// inflated with `miniz_oxide` (native callers; the app inflates in the browser).
pub fn unpack(payload: &str, bytes_max: usize) -> Result<String, LinkError> {
    inflate(&payload_bytes(payload)?, bytes_max)
}

/// Raw DEFLATE to the text it holds, at most `bytes_max` bytes, with `miniz_oxide` (native
/// callers; the app's is flotilla-web's `share::browser_inflate`).
pub fn inflate(deflated: &[u8], bytes_max: usize) -> Result<String, LinkError> {
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, bytes_max).map_err(
        |error| {
            if error.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
                LinkError::too_large(bytes_max)
            } else {
                LinkError::damaged(&error.to_string())
            }
        },
    )?;
    text_of(bytes)
}

/// The deflated scenario in a fragment (with or without the leading `#`), to inflate into at
/// most [`SCENARIO_BYTES_MAX`] bytes; `Ok(None)` when the fragment holds no shared scenario.
pub fn fragment_payload(fragment: &str) -> Result<Option<Vec<u8>>, LinkError> {
    scenario_payload(fragment).map(payload_bytes).transpose()
}

/// The scenario text in a fragment (with or without the leading `#`), inflated with
/// `miniz_oxide`; `Ok(None)` when the fragment holds no shared scenario.
pub fn decode_fragment(fragment: &str) -> Result<Option<String>, LinkError> {
    scenario_payload(fragment)
        .map(|payload| unpack(payload, SCENARIO_BYTES_MAX))
        .transpose()
}

/// The scenario's payload in a fragment, without the parameters after it (`&t=...`, read by
/// [`decode_moment`]).
fn scenario_payload(fragment: &str) -> Option<&str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let payload = fragment.strip_prefix(FRAGMENT_KEY)?;
    Some(payload.split('&').next().unwrap_or(payload))
}

/// The moment in a share link's fragment (`#s=...&t=1m30s`) in ms; `Ok(None)` when it names
/// none. Bounded by [`MOMENT_MS_MAX`].
pub fn decode_moment(fragment: &str) -> Result<Option<u64>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(text) = fragment
        .split('&')
        .skip(1)
        .find_map(|parameter| parameter.strip_prefix(MOMENT_KEY))
    else {
        return Ok(None);
    };
    let at_ms = flotilla_core::time::parse_duration(text)
        .map_err(|message| LinkError(format!("the link's moment (t=): {message}")))?;
    if at_ms > MOMENT_MS_MAX {
        return Err(LinkError(format!(
            "the link's moment (t=) is {}; a link opens at most {} in",
            flotilla_core::time::format_duration(at_ms),
            flotilla_core::time::format_duration(MOMENT_MS_MAX)
        )));
    }
    Ok(Some(at_ms))
}

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [n >> 18, n >> 12, n >> 6, n];
        for sextet in &sextets[..chunk.len() + 1] {
            out.push(ALPHABET[(sextet & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded (or padded) base64url; the error names the first bad character's position.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, LinkError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for (position, byte) in text.bytes().enumerate() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else {
            return Err(LinkError(format!(
                "the link has an unexpected character {:?} at position {}; was it changed when copied?",
                char::from(byte),
                position + 1
            )));
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if text.len() % 4 == 1 {
        return Err(LinkError("the link's data is cut off".into()));
    }
    Ok(out)
}
