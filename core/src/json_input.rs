//! Reading untrusted JSON, shared by the scenario loader and the AWS import: text to a
//! `serde_json::Value` with a line-and-column message, typed deserialisation that keeps the
//! JSON path of the first error and says it in the scenario format's words (never serde's
//! `struct FleetEntry` or `u32`), quoting of bad values cut short, and small walks over values.
//! Nothing here panics on any input, and the work stays linear in it.

use crate::problem::{join_path, Problem};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Parses JSON text; the error reads `not valid JSON at line L column C: <what>`.
pub fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|error| {
        format!(
            "not valid JSON at line {} column {}: {}",
            error.line(),
            error.column(),
            without_position(&error)
        )
    })
}

/// A versioned JSON document (a scenario file, a lesson file): how its messages name it and
/// what this Flotilla reads, so both loaders refuse a document in the same words.
pub struct DocumentKind {
    /// "scenario", "lesson": the subject of the size and emptiness messages.
    pub noun: &'static str,
    /// What "this Flotilla reads" before the version: "" or "lessons of ".
    pub reads: &'static str,
    pub bytes_max: usize,
    /// The limit in words, e.g. "4 MiB".
    pub bytes_max_words: &'static str,
    pub version: u32,
}

/// Document text to a JSON value: refused when over its size, empty, or not JSON.
pub fn document_value(text: &str, kind: &DocumentKind) -> Result<Value, Vec<Problem>> {
    let error = |message: String| vec![Problem::new("", message)];
    if text.len() > kind.bytes_max {
        return Err(error(format!(
            "{} is {} bytes; the limit is {} bytes ({})",
            kind.noun,
            text.len(),
            kind.bytes_max,
            kind.bytes_max_words
        )));
    }
    if text.trim().is_empty() {
        return Err(error(format!(
            "{} file is empty; expected a JSON object with \"version\": {}",
            kind.noun, kind.version
        )));
    }
    parse_json(text).map_err(error)
}

/// A document's value as its top-level object, once its `version` is the one this Flotilla reads.
pub fn versioned_object(
    value: Value,
    kind: &DocumentKind,
) -> Result<Map<String, Value>, Vec<Problem>> {
    let error = |path: &str, message: String| vec![Problem::new(path, message)];
    let Value::Object(object) = value else {
        return Err(error(
            "",
            format!("expected a JSON object, found {}", json_kind(&value)),
        ));
    };
    match object.get("version") {
        None => Err(error(
            "version",
            format!(
                "missing; this Flotilla reads {}\"version\": {}",
                kind.reads, kind.version
            ),
        )),
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(kind.version)) => Ok(object),
        Some(other) => Err(error(
            "version",
            format!(
                "{other} is not supported; this Flotilla reads {}version {}",
                kind.reads, kind.version
            ),
        )),
    }
}

/// `T` from JSON text, through the same `Value` and the same deserialiser as scenario files
/// (`deserialize_at`), for the app's own stored text (snapshots, autosave, edit history). One
/// deserialiser for every type keeps one copy of each type's serde code in the wasm app instead
/// of one per deserialiser (`serde_json::from_str::<T>` would add a second copy, ~20 KiB gzip).
/// The error is "not valid JSON ...", "<path>: <what is wrong>", or what is wrong with the
/// whole text (no path).
pub fn from_json_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = parse_json(text)?;
    raw_deserialize_at::<T>(&value).map_err(path_message)
}

/// `from_json_text`'s error in words. Not generic and never inlined, so the app holds it once
/// rather than once per type read.
#[inline(never)]
fn path_message((segments, message): (Vec<String>, String)) -> String {
    if segments.is_empty() {
        return message;
    }
    format!("{}: {message}", segments_path("", &segments))
}

/// `T` from `value`, or the path segments of the first member that failed (`["services",
/// "[2]", "desiredCount"]`) and what is wrong in the scenario format's words ([`plain_message`]:
/// "expected an object, found an array", never serde's "expected struct FleetEntry"). An
/// "unknown field" message is left as serde words it, for callers that move the field into the
/// path. The work is linear in the value: on an error about a named choice one more
/// deserialisation of a copy learns the names it accepts.
pub fn deserialize_at<T: DeserializeOwned>(value: Value) -> Result<T, (Vec<String>, String)> {
    match raw_deserialize_at::<T>(&value) {
        Ok(parsed) => Ok(parsed),
        Err(error) => Err(in_plain_words(value, error, raw_error::<T>)),
    }
}

/// The rest of [`deserialize_at`] once serde has failed: its message in the scenario format's
/// words. Not generic (`probe` reads a value as the type being read, to learn the names a
/// choice accepts) and never inlined, so the app holds it once rather than once per type read.
#[inline(never)]
fn in_plain_words(
    mut value: Value,
    (segments, raw): (Vec<String>, String),
    probe: fn(&Value) -> Option<String>,
) -> (Vec<String>, String) {
    // "expected an object with one member": say what the object had instead.
    let members = (raw.contains("map with a single key"))
        .then(|| node_at(&mut value, &segments).map(|node| members_words(node)))
        .flatten();
    let names = if raw.contains("expected string or map") || raw.contains("map with a single key") {
        accepted_names(value, &segments, probe)
    } else {
        None
    };
    let mut message = if raw.starts_with("unknown field") || raw.starts_with("missing field") {
        raw
    } else {
        plain_message(&raw, names.as_deref())
    };
    if let Some(members) = members.filter(|_| message.ends_with(", found an object")) {
        message.truncate(message.len() - "an object".len());
        message.push_str(&members);
    }
    (segments, message)
}

/// How many members an object has and their names (the first few, cut): "an empty object",
/// "an object with 2 members (\"runTask\", \"stopTask\")".
fn members_words(node: &Value) -> String {
    const NAMED_MAX: usize = 4;
    let Some(object) = node.as_object() else {
        return "an object".into();
    };
    if object.is_empty() {
        return "an empty object".into();
    }
    let mut names: Vec<String> = object.keys().take(NAMED_MAX).map(|k| cut(k)).collect();
    if object.len() > NAMED_MAX {
        names.push(format!("and {} more", object.len() - NAMED_MAX));
    }
    format!(
        "an object with {} member{} ({})",
        object.len(),
        if object.len() == 1 { "" } else { "s" },
        names.join(", ")
    )
}

/// serde's message about a value in the scenario format's words: what was expected (an object,
/// a whole number in its range, a string, one of the names) and what was found, with any quoted
/// value cut to [`QUOTED_CHARS_MAX`] characters. `names` lists the accepted names of a choice
/// when they are known.
pub fn plain_message(raw: &str, names: Option<&str>) -> String {
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        let (value, expected) = match rest.split_once(", expected ") {
            Some((value, expected)) => (value, format!("expected {expected}")),
            None => (rest, "there is no choice here".to_string()),
        };
        let expected = expected.replace('`', "\"");
        return format!("unknown name {}; {expected}", cut(value.trim_matches('`')));
    }
    for (prefix, found_is_length) in [
        ("invalid type: ", false),
        ("invalid value: ", false),
        ("invalid length ", true),
    ] {
        let Some(rest) = raw.strip_prefix(prefix) else {
            continue;
        };
        let Some((found, expected)) = rest.rsplit_once(", expected ") else {
            continue;
        };
        let found = if found_is_length && expected.starts_with("struct ") {
            "an array".to_string()
        } else if found_is_length {
            format!("{found} elements")
        } else {
            found_words(found)
        };
        let expected = match names {
            Some(names) if expected == "map with a single key" => {
                format!("an object with one member, named one of {names}")
            }
            Some(names) if expected.contains("map") => format!("one of {names}"),
            _ => expected_words(expected),
        };
        return format!("expected {expected}, found {found}");
    }
    cut_message(&raw.replace('`', "\""))
}

/// The longest quoted value a message repeats; the rest is cut and counted.
pub const QUOTED_CHARS_MAX: usize = 64;

/// `"text"`, or its first [`QUOTED_CHARS_MAX`] characters and how many more there are.
pub fn cut(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS_MAX) {
        None => format!("\"{text}\""),
        Some((end, _)) => format!(
            "\"{}…\" ({} characters)",
            &text[..end],
            text.chars().count()
        ),
    }
}

/// `prefix` followed by path segments as [`deserialize_at`] returns them.
pub fn segments_path(prefix: &str, segments: &[String]) -> String {
    segments.iter().fold(prefix.to_string(), |path, segment| {
        join_path(&path, segment)
    })
}

/// serde_json's message without its trailing " at line L column C" (said once, up front).
pub fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

/// "an array", "a string"...: what a value is, for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Every node of a value, itself included: a bound for loops that walk it.
pub fn count_nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(members) => 1 + members.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

/// `T` from a borrowed value, with serde's own message on failure.
fn raw_deserialize_at<T: DeserializeOwned>(value: &Value) -> Result<T, (Vec<String>, String)> {
    crate::json_tracked::deserialize::<T>(value)
}

/// The names a choice at `segments` accepts (`"bridge", "host", ...`), learnt by putting a name
/// no choice has there and reading serde's "unknown variant" message (`probe` reads a value as
/// the type at hand).
fn accepted_names(
    mut value: Value,
    segments: &[String],
    probe: fn(&Value) -> Option<String>,
) -> Option<String> {
    *node_at(&mut value, segments)? = Value::String("\u{1}".into());
    let raw = probe(&value)?;
    let expected = raw.split_once(", expected one of ")?.1;
    Some(expected.replace('`', "\""))
}

/// serde's message when `value` is read as `T`, if that fails.
fn raw_error<T: DeserializeOwned>(value: &Value) -> Option<String> {
    raw_deserialize_at::<T>(value).err().map(|(_, raw)| raw)
}

/// The node at `segments` (keys and `[index]`es).
fn node_at<'a>(value: &'a mut Value, segments: &[String]) -> Option<&'a mut Value> {
    let mut node = value;
    for segment in segments {
        node = match segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(index) => node.get_mut(index.parse::<usize>().ok()?)?,
            None => node.get_mut(segment.as_str())?,
        };
    }
    Some(node)
}

/// serde's "integer `6`", "string \"abc\"", "map"... as the scenario format says it.
fn found_words(found: &str) -> String {
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|rest| rest.trim_matches(|c| c == '`' || c == '"'))
    };
    if let Some(number) = quoted("integer ").or_else(|| quoted("floating point ")) {
        return format!("the number {}", cut_plain(number));
    }
    if let Some(text) = quoted("string ") {
        return format!("the string {}", cut(text));
    }
    if let Some(flag) = quoted("boolean ") {
        return flag.to_string();
    }
    match found {
        "map" => "an object".into(),
        "sequence" => "an array".into(),
        "unit value" | "null" => "null".into(),
        other => cut_message(other),
    }
}

/// serde's "struct PortMapping", "u32", "string or map"... as the scenario format says it.
fn expected_words(expected: &str) -> String {
    if expected.starts_with("struct ") || expected.starts_with("a map") || expected == "map" {
        return "an object".into();
    }
    let range = |max: u64| format!("a whole number from 0 to {max}");
    match expected {
        "u8" => range(u64::from(u8::MAX)),
        "u16" => range(u64::from(u16::MAX)),
        "u32" => range(u64::from(u32::MAX)),
        "u64" => range(u64::MAX),
        "i32" | "i64" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "string or map" => "a name (a string)".into(),
        "map with a single key" => "an object with one member".into(),
        other => cut_message(&other.replace('`', "\"")),
    }
}

/// A number as serde printed it, cut like a quoted value.
fn cut_plain(text: &str) -> String {
    cut(text).trim_matches('"').to_string()
}

/// A whole message held to a readable length (a message never repeats a megabyte of input).
fn cut_message(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS_MAX * 4) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// After serde's "unknown field `x`, expected one of `a`, `b`" about the member at `segments`:
/// removes every member that is not `a` or `b` from every object of the same kind (the same
/// keys, any array index: `services[*].deployments[*]`), and returns each one removed with its
/// path, in document order. Empty when the message lists no fields.
pub fn remove_unknown_members(
    value: &mut Value,
    segments: &[String],
    message: &str,
) -> Vec<(Vec<String>, Value)> {
    let mut removed = Vec::new();
    let Some((_, parents)) = segments.split_last() else {
        return removed;
    };
    let Some((_, expected)) = message.split_once("expected ") else {
        return removed;
    };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if known.is_empty() {
        return removed;
    }
    let mut at = Vec::new();
    remove_unknown_under(value, parents, &known, &mut at, &mut removed);
    removed
}

fn remove_unknown_under(
    node: &mut Value,
    shape: &[String],
    known: &[&str],
    at: &mut Vec<String>,
    removed: &mut Vec<(Vec<String>, Value)>,
) {
    let Some((first, rest)) = shape.split_first() else {
        if let Value::Object(members) = node {
            let unknown: Vec<String> = members
                .keys()
                .filter(|key| !known.contains(&key.as_str()))
                .cloned()
                .collect();
            for key in unknown {
                if let Some(member) = members.remove(&key) {
                    let mut path = at.clone();
                    path.push(key);
                    removed.push((path, member));
                }
            }
        }
        return;
    };
    if first.starts_with('[') {
        if let Value::Array(items) = node {
            for (index, item) in items.iter_mut().enumerate() {
                at.push(format!("[{index}]"));
                remove_unknown_under(item, rest, known, at, removed);
                at.pop();
            }
        }
    } else if let Some(child) = node.get_mut(first.as_str()) {
        at.push(first.clone());
        remove_unknown_under(child, rest, known, at, removed);
        at.pop();
    }
}

/// Removes the object member at `segments` (keys and `[index]`es); returns it.
pub fn remove_at(value: &mut Value, segments: &[String]) -> Option<Value> {
    let (last, parents) = segments.split_last()?;
    let mut node = value;
    for segment in parents {
        node = match segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(index) => node.get_mut(index.parse::<usize>().ok()?)?,
            None => node.get_mut(segment.as_str())?,
        };
    }
    let object: &mut Map<String, Value> = node.as_object_mut()?;
    object.remove(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        items: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        count: u32,
    }

    #[test]
    fn errors_keep_their_path_and_position() {
        assert_eq!(
            parse_json("{\"a\": ").unwrap_err(),
            "not valid JSON at line 1 column 6: EOF while parsing a value"
        );
        let value = serde_json::json!({"items": [{"count": 1}, {"count": "two"}]});
        let (segments, message) = deserialize_at::<Shape>(value).unwrap_err();
        assert_eq!(segments_path("doc", &segments), "doc.items[1].count");
        assert_eq!(
            message,
            "expected a whole number from 0 to 4294967295, found the string \"two\""
        );
    }

    #[test]
    fn messages_use_the_scenario_formats_words_and_cut_long_values() {
        let cases = [
            "invalid length 0, expected struct FleetEntry with 7 elements",
            "invalid type: integer `5`, expected struct PortMapping",
            "invalid value: integer `-1`, expected u32",
            "invalid type: map, expected a string",
            "invalid type: boolean `true`, expected u64",
        ];
        let plain: Vec<String> = cases.iter().map(|raw| plain_message(raw, None)).collect();
        assert_eq!(
            plain,
            [
                "expected an object, found an array",
                "expected an object, found the number 5",
                "expected a whole number from 0 to 4294967295, found the number -1",
                "expected a string, found an object",
                "expected a whole number from 0 to 18446744073709551615, found true",
            ]
        );
        let long = "x".repeat(1_300_000);
        let message = plain_message(
            &format!("unknown variant `{long}`, expected one of `bridge`, `host`"),
            None,
        );
        assert!(message.len() < 200, "{}", message.len());
        assert!(message.ends_with("(1300000 characters); expected one of \"bridge\", \"host\""));
    }

    #[test]
    fn remove_at_takes_out_one_member() {
        let mut value = serde_json::json!({"items": [{"count": 1, "extra": true}]});
        let segments = ["items", "[0]", "extra"].map(String::from);
        assert_eq!(remove_at(&mut value, &segments), Some(Value::Bool(true)));
        assert_eq!(value, serde_json::json!({"items": [{"count": 1}]}));
        assert_eq!(count_nodes(&value), 4);
        assert_eq!(json_kind(&value), "an object");
    }
}
