//! Pretty JSON from compact JSON text, byte for byte what `serde_json::to_string_pretty` writes
//! (two-space indent, `": "` after keys, `[]` and `{}` for empty ones). The app serialises every
//! type with the compact writer only: a second, pretty, serializer would instantiate every type's
//! serde code a second time, which the wasm app pays for in download size (~5 KiB gzip for the
//! scenario types). Re-indenting the compact text is linear in it and allocation-light.

/// `compact` (valid JSON as `serde_json::to_string` writes it) laid out as
/// `serde_json::to_string_pretty` would have.
pub fn pretty(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut at = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'"' => {
                // A string, escapes included, copied as it is.
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at = (at + 1).min(bytes.len());
                out.push_str(&compact[start..at]);
                continue;
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                if bytes.get(at + 1) == Some(&close) {
                    out.push(byte as char);
                    out.push(close as char);
                    at += 2;
                    continue;
                }
                out.push(byte as char);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(byte as char);
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            _ => {
                // A number or a literal: up to the next structural byte.
                let start = at;
                while at < bytes.len() && !matches!(bytes[at], b',' | b'}' | b']' | b':') {
                    at += 1;
                }
                out.push_str(&compact[start..at]);
                continue;
            }
        }
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pretty;
    use serde_json::json;

    #[test]
    fn pretty_is_what_serde_json_writes() {
        let value = json!({
            "name": "a \"quoted\" {name}, [with] : and ,",
            "empty": {}, "none": [], "n": -1.5e-7, "big": 18446744073709551615u64,
            "list": [1, {"a": [true, false, null]}, [], {}, "x\\\"y"],
            "nested": {"deeper": {"deepest": [[1, 2], [3]]}},
            "unicode": "é ✓ \u{1}",
        });
        let compact = serde_json::to_string(&value).unwrap();
        assert_eq!(
            pretty(&compact),
            serde_json::to_string_pretty(&value).unwrap()
        );
        for scalar in ["1", "\"s\"", "null", "[]", "{}"] {
            assert_eq!(pretty(scalar), scalar);
        }
    }

    #[test]
    fn every_builtin_scenario_prints_as_before() {
        for builtin in crate::builtin::BUILTIN_SCENARIOS {
            let scenario = match crate::parse_scenario(builtin.json) {
                Ok(scenario) => scenario,
                // A build without `discovery` refuses the built-ins that use it.
                Err(_) if cfg!(not(feature = "discovery")) => continue,
                Err(problems) => panic!("{}: {problems:?}", builtin.id),
            };
            let name = builtin.id;
            let compact = serde_json::to_string(&scenario).unwrap();
            let expected = serde_json::to_string_pretty(&scenario).unwrap();
            assert_eq!(pretty(&compact), expected, "{name}");
        }
    }
}
