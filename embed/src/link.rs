//! "Open in Flotilla": the app's own share-link format (`flotilla_app::share`: `#s=` + base64url
//! of raw DEFLATE) for the scenario as the embed runs it — its seed applied and the reader's
//! actions added to the timeline (`Session::scenario_with_actions`) — followed by
//! `&t=<duration>`, the moment the embed shows, which the app opens at.
//!
//! The DEFLATE stream is written as stored blocks (RFC 1951 §3.2.4: no compression), which the
//! app's inflater reads like any other: the compressor would add about 8 KiB gzip to an embed
//! whose budget is 300 KiB, and a link only gets about a third longer than the text. The few
//! lines of base64url and stored blocks are the app's own (`flotilla_app::share`, whose
//! `deflate_stored` is what the app itself writes where the browser cannot compress), not a
//! dependency: flotilla-app would turn the core's `regex` feature back on. The tests decode with
//! the app's code and compare with its writers.

use flotilla_core::time::format_duration;
use flotilla_core::{Scenario, SimTime};

/// The app's fragment key (`flotilla_app::share::FRAGMENT_KEY`).
const FRAGMENT_KEY: &str = "s=";
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A stored block holds at most this many bytes (its length is 16 bits).
const STORED_BLOCK_BYTES_MAX: usize = 0xFFFF;

/// `app` (validated by `options.rs`: a path or an http(s) address) with the fragment.
pub fn open_link(app: &str, scenario: &Scenario, now: SimTime) -> String {
    let base = app.split('#').next().unwrap_or(app);
    let deflated = deflate_stored(scenario.to_json().as_bytes());
    format!(
        "{base}#{FRAGMENT_KEY}{}&t={}",
        base64url_encode(&deflated),
        format_duration(now.as_ms())
    )
}

/// `bytes` as a raw DEFLATE stream of stored blocks.
pub fn deflate_stored(bytes: &[u8]) -> Vec<u8> {
    let blocks = bytes.len().div_ceil(STORED_BLOCK_BYTES_MAX).max(1);
    let mut out = Vec::with_capacity(bytes.len() + blocks * 5);
    let mut chunks = bytes.chunks(STORED_BLOCK_BYTES_MAX).peekable();
    if chunks.peek().is_none() {
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

/// Unpadded base64url, as `flotilla_app::share::base64url_encode` writes it.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for shift in [18, 12, 6, 0].into_iter().take(chunk.len() + 1) {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_app::share::{decode_fragment, decode_moment};

    #[test]
    fn the_app_reads_the_embed_link() {
        let text = include_str!("../../core/scenarios/microservices.json");
        let scenario = flotilla_core::parse_scenario(text).unwrap();
        let link = open_link("/app/#old", &scenario, SimTime(90_000));
        let fragment = link.strip_prefix("/app/").unwrap();
        assert!(fragment.starts_with("#s="), "{fragment}");
        assert_eq!(decode_fragment(fragment), Ok(Some(scenario.to_json())));
        assert_eq!(decode_moment(fragment), Ok(Some(90_000)));
    }

    /// The docs' microservices page embeds a copy without the load balancer and traffic, which
    /// the embed leaves out; its link to the full scenario opens the built-in in the app. When the
    /// built-in changes, write the link again: raw DEFLATE of core/scenarios/microservices.json,
    /// base64url without padding, after `#s=` (Python: `zlib.compressobj(9, zlib.DEFLATED, -15)`).
    #[test]
    fn the_docs_link_to_the_full_microservices_scenario_opens_the_built_in() {
        let page = include_str!("../../www/docs/microservices.html");
        let (_, after) = page
            .split_once("class=\"full-scenario\" href=\"../")
            .expect("the page links to the full scenario");
        let fragment = after.split('"').next().unwrap_or_default();
        let text = decode_fragment(fragment)
            .expect("the link decodes")
            .expect("the link carries a scenario");
        let built_in = include_str!("../../core/scenarios/microservices.json");
        assert_eq!(
            flotilla_core::parse_scenario(&text),
            flotilla_core::parse_scenario(built_in)
        );
    }

    #[test]
    fn base64url_is_the_apps() {
        for size in 0..10 {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 37 + 200) as u8).collect();
            assert_eq!(
                base64url_encode(&bytes),
                flotilla_app::share::base64url_encode(&bytes)
            );
        }
        assert_eq!(FRAGMENT_KEY, flotilla_app::share::FRAGMENT_KEY);
    }

    #[test]
    fn stored_blocks_are_the_apps() {
        for size in [0, 1, 65_535, 65_536, 200_000] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            assert_eq!(
                deflate_stored(&bytes),
                flotilla_app::share::deflate_stored(&bytes),
                "{size} bytes"
            );
        }
    }

    #[test]
    fn stored_blocks_round_trip_at_every_size() {
        for size in [0, 1, 65_534, 65_535, 65_536, 200_000] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let back = miniz_oxide::inflate::decompress_to_vec(&deflate_stored(&bytes)).unwrap();
            assert_eq!(back, bytes, "{size} bytes");
        }
    }
}
