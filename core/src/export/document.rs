//! An ordered JSON-like tree ([`Node`]) and its two writers: pretty JSON and block-style YAML.
//! Exports build a `Node` so that keys come out in the order a reader expects (`Type` before
//! `Properties`, `Parameters` before `Resources`) instead of `serde_json::Value`'s alphabetical
//! order, and so that both CloudFormation formats come from the same tree.
//!
//! The YAML writer is hand-written rather than a library. `serde_yaml` is unmaintained and
//! archived; `serde_yml` is deprecated (its last release only forwards to another crate);
//! `serde_norway` is a maintained fork but pulls in `unsafe-libyaml`, a C-to-Rust translation,
//! into a core that ships to the browser with a size budget. What exports need is small: block
//! mappings and sequences of strings, integers and booleans, written deterministically. Strings
//! are written plain only when they cannot be read as anything else (a letter first, then
//! letters, digits, `.`, `_`, `/`, `-`, `:`; never `true`/`no`/`null`-like words); the rest is
//! double-quoted with escapes that YAML 1.1 and 1.2 read the same way. The test command checks
//! that PyYAML loads every YAML export into exactly the JSON export's data.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt::Write as _;

/// A JSON value whose objects keep insertion order.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn map() -> Node {
        Node::Map(Vec::new())
    }

    pub fn string(text: impl Into<String>) -> Node {
        Node::String(text.into())
    }

    pub fn number(value: u64) -> Node {
        Node::Number(value.into())
    }

    /// Appends `key: value` to a map (builder style). On a non-map this is a no-op.
    pub fn with(mut self, key: &str, value: Node) -> Node {
        self.insert(key, value);
        self
    }

    /// Appends `key: value` to a map, replacing an existing entry with the same key in place.
    pub fn insert(&mut self, key: &str, value: Node) {
        if let Node::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Any serialisable value as a tree, keeping the order in which serde writes its fields
    /// (struct declaration order). Returns `Node::Null` for values JSON cannot hold.
    pub fn from_serialize<T: Serialize>(value: &T) -> Node {
        serde_json::to_string(value)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Node::Null)
    }

    pub fn to_json_pretty(&self) -> String {
        let mut text = crate::json_pretty::pretty(&serde_json::to_string(self).unwrap_or_default());
        text.push('\n');
        text
    }

    /// Block-style YAML with two-space indentation; ends with a newline.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
            Node::List(items) if !items.is_empty() => write_list(&mut out, items, 0),
            scalar => {
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
        out
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(value) => serializer.serialize_bool(*value),
            Node::Number(value) => value.serialize(serializer),
            Node::String(value) => serializer.serialize_str(value),
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Number(value.into()))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Node::Null, Node::Number))
    }
    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::String(value.to_string()))
    }
    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::String(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (key, value) in entries {
        pad(out, indent);
        out.push_str(&scalar_string(key));
        out.push(':');
        write_value_after_key(out, value, indent);
    }
}

fn write_list(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            // A map inside a list starts on the dash's line: `- Key: value`.
            Node::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                let (first_key, first_value) = &entries[0];
                out.push_str(&scalar_string(first_key));
                out.push(':');
                write_value_after_key(out, first_value, indent + 2);
                write_map(out, &entries[1..], indent + 2);
            }
            Node::List(inner) if !inner.is_empty() => {
                out.push('\n');
                write_list(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// After `key:` — a scalar on the same line, a collection on the following lines.
fn write_value_after_key(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_map(out, entries, indent + 2);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            write_list(out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

fn inline(node: &Node) -> String {
    match node {
        Node::Null => "null".into(),
        Node::Bool(value) => value.to_string(),
        Node::Number(value) => value.to_string(),
        Node::String(value) => scalar_string(value),
        Node::List(_) => "[]".into(),
        Node::Map(_) => "{}".into(),
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Plain when unambiguous, otherwise double-quoted.
fn scalar_string(text: &str) -> String {
    if plain_is_safe(text) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// Words that YAML 1.1 (PyYAML, cfn-lint) reads as booleans or null when plain.
const RESERVED_WORDS: [&str; 12] = [
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "~",
];

fn plain_is_safe(text: &str) -> bool {
    let mut bytes = text.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    // A colon is plain only between non-spaces (`AWS::ECS::Service`); `: ` would start a map.
    first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"._/-:".contains(&b))
        && !text.ends_with(':')
        && !RESERVED_WORDS.contains(&text.to_ascii_lowercase().as_str())
}

/// A double-quoted scalar. Escapes `"`, `\` and every character outside YAML's printable set,
/// using only escapes that JSON shares (`\n`, `\t`, `\uXXXX`, ...).
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if printable_beyond_ascii(c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04X}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// YAML's printable set above ASCII, minus U+0085 (a line break in YAML 1.1) and the BOM.
fn printable_beyond_ascii(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..) && c != '\u{FEFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_in_both_formats() {
        let node = Node::map()
            .with("Type", Node::string("AWS::ECS::Cluster"))
            .with(
                "Properties",
                Node::map()
                    .with("Cpu", Node::string("512"))
                    .with("Count", Node::number(3))
                    .with("Empty", Node::List(vec![])),
            )
            .with(
                "List",
                Node::List(vec![
                    Node::map()
                        .with("A", Node::string("yes"))
                        .with("B", Node::Bool(true)),
                    Node::string("attribute:ecs.instance-type =~ t3.*"),
                ]),
            );
        assert_eq!(
            node.to_yaml(),
            "Type: AWS::ECS::Cluster\nProperties:\n  Cpu: \"512\"\n  Count: 3\n  Empty: []\nList:\n  - A: \"yes\"\n    B: true\n  - \"attribute:ecs.instance-type =~ t3.*\"\n"
        );
        assert!(node.to_json_pretty().find("Type") < node.to_json_pretty().find("Properties"));
    }

    #[test]
    fn quotes_what_yaml_would_misread() {
        for text in [
            "", "512", "1.0", "true", "No", "null", "-x", ".inf", "a b", "a: b", "#x", "a:",
        ] {
            assert!(scalar_string(text).starts_with('"'), "{text}");
        }
        assert_eq!(scalar_string("m5.large"), "m5.large");
        assert_eq!(
            scalar_string("tab\there\u{7f}\u{85}é"),
            "\"tab\\there\\u007F\\u0085é\""
        );
    }
}
