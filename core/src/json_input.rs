//! Reading untrusted JSON, shared by the scenario loader and the AWS import: text to a
//! `serde_json::Value` with a line-and-column message, typed deserialisation that keeps the
//! JSON path of the first error, and small walks over values. Nothing here panics on any input.

use crate::problem::join_path;
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

/// `T` from `value`, or the path segments of the first member that failed (`["services",
/// "[2]", "desiredCount"]`) and serde's message.
pub fn deserialize_at<T: DeserializeOwned>(value: Value) -> Result<T, (Vec<String>, String)> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        let segments = error
            .path()
            .iter()
            .map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => format!("[{index}]"),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => "?".into(),
            })
            .collect();
        (segments, error.inner().to_string())
    })
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
        assert!(message.contains("invalid type"), "{message}");
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
