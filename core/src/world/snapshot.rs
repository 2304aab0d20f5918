//! An exact, versioned binary snapshot of a `World`, so a run can move between threads (the web
//! app's worker runs long jumps and sends the world back). `World::to_snapshot` writes a small
//! header — magic, format version, payload length, FNV-1a checksum — then the world in
//! `postcard`; `World::from_snapshot` checks all four before decoding, so a truncated or
//! corrupted snapshot is a typed `SnapshotError`, never a panic or a half-valid world.
//!
//! What is stored: everything the world holds, the whole history included (the world a worker
//! hands back is shown with its events), except the placement index's scratch vectors (cleared
//! before every use) and the placement probe. Types in the ECS API shape (task definitions, service definitions,
//! actions) go in as their JSON text, because their serde skips empty members and `postcard` is
//! not self-describing; cluster query expressions go in as their canonical text and are parsed
//! again (that rebuilds the compiled patterns). The queue is stored as a list in pop order and
//! rebuilt moment by moment: wake-ups pop by the unique `(time, seq)`, so the order is the same.
//! Property (tests/src/snapshot.rs, web/tests/browser.rs): snapshot → restore → continue gives
//! the identical trace to the uninterrupted run.

use super::World;
use crate::hash::fnv1a_64;
use std::fmt;

/// First bytes of every snapshot.
const MAGIC: [u8; 4] = *b"FLWS";
/// Bumped whenever the encoding of any type the world holds changes; older snapshots are then
/// refused (they are never stored, only passed between threads of one app version).
pub const SNAPSHOT_VERSION: u16 = 4;
/// Magic, version (u16), payload length (u64), checksum (u64), little-endian.
const HEADER_LEN: usize = 4 + 2 + 8 + 8;

/// Why bytes could not be read as a world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// Shorter than the header, or not starting with the magic bytes.
    NotASnapshot,
    /// Written by another version of the format.
    UnsupportedVersion { found: u16, expected: u16 },
    /// The payload is shorter or longer than the header says.
    Truncated { expected: u64, found: u64 },
    /// The payload does not match its checksum.
    ChecksumMismatch,
    /// The payload did not decode (the message names the member).
    Corrupt(String),
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::NotASnapshot => f.write_str("not a Flotilla world snapshot"),
            SnapshotError::UnsupportedVersion { found, expected } => write!(
                f,
                "snapshot format version {found} is not supported (expected {expected})"
            ),
            SnapshotError::Truncated { expected, found } => write!(
                f,
                "snapshot payload has {found} bytes, its header says {expected}"
            ),
            SnapshotError::ChecksumMismatch => f.write_str("snapshot checksum does not match"),
            SnapshotError::Corrupt(message) => write!(f, "snapshot does not decode: {message}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

impl World {
    /// The whole world as bytes; `World::from_snapshot` gives it back exactly.
    pub fn to_snapshot(&self) -> Vec<u8> {
        // Serialising plain data into a Vec cannot fail: every type the world holds has a
        // derived or total serializer (JSON text of API shapes is infallible for them too).
        let payload = postcard::to_allocvec(self).unwrap_or_else(|error| {
            unreachable!("a world always serialises: {error}");
        });
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
        bytes.extend_from_slice(&MAGIC);
        bytes.extend_from_slice(&SNAPSHOT_VERSION.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&fnv1a_64(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        bytes
    }

    /// A world from `to_snapshot`'s bytes. Never panics on bad input.
    pub fn from_snapshot(bytes: &[u8]) -> Result<World, SnapshotError> {
        if bytes.len() < HEADER_LEN || bytes[..4] != MAGIC {
            return Err(SnapshotError::NotASnapshot);
        }
        let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let u64_at = |at: usize| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(word)
        };
        let version = u16_at(4);
        if version != SNAPSHOT_VERSION {
            return Err(SnapshotError::UnsupportedVersion {
                found: version,
                expected: SNAPSHOT_VERSION,
            });
        }
        let (expected, checksum) = (u64_at(6), u64_at(14));
        let payload = &bytes[HEADER_LEN..];
        if payload.len() as u64 != expected {
            return Err(SnapshotError::Truncated {
                expected,
                found: payload.len() as u64,
            });
        }
        if fnv1a_64(payload) != checksum {
            return Err(SnapshotError::ChecksumMismatch);
        }
        let (world, rest) = postcard::take_from_bytes::<World>(payload)
            .map_err(|error| SnapshotError::Corrupt(error.to_string()))?;
        if !rest.is_empty() {
            return Err(SnapshotError::Corrupt(format!(
                "{} bytes left after the world",
                rest.len()
            )));
        }
        Ok(world)
    }
}

/// The checksum in a snapshot's header: equal worlds give equal snapshots, so this fingerprints
/// a world (the web app shows it, so tests can compare two ways of reaching one moment).
/// `None` if the bytes are too short to hold a header.
pub fn snapshot_fingerprint(bytes: &[u8]) -> Option<u64> {
    let word: [u8; 8] = bytes.get(14..HEADER_LEN)?.try_into().ok()?;
    Some(u64::from_le_bytes(word))
}

/// Serde for members in the ECS API shape (their serde skips empty members, which a
/// non-self-describing format cannot read back): stored as their JSON text.
pub(crate) mod json_text {
    use serde::{
        de::DeserializeOwned, de::Error, Deserialize, Deserializer, Serialize, Serializer,
    };

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::json_input::from_json_text(&text).map_err(D::Error::custom)
    }
}
