//! Typed deserialisation from a `serde_json::Value` that keeps the JSON path of the first error
//! (`services`, `[2]`, `desiredCount`), for `json_input`. It walks the `Value` the way
//! serde_json's own `&Value` deserialiser does (the same visitor calls and the same error
//! messages), and records the path on a stack: a segment is pushed before a member is read and
//! popped once it was read, so after an error the stack holds the path to it.
//!
//! Why not `serde_path_to_error`: it wraps another deserialiser, so every type's serde code is
//! instantiated for the wrapper's visitor as well as for the wrapped one; in the wasm app that was
//! 160 KB of code before wasm-opt. Walking the `Value` directly keeps one instantiation per type.

use serde::de::{
    self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Error, Map, Value};
use std::cell::RefCell;

/// One step of a path: an array index or an object member (or an enum variant) name.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Index(usize),
    Key(&'a str),
}

type Path<'a> = RefCell<Vec<Segment<'a>>>;

/// `T` from `value`, or the path segments to the first error (`[2]` for an index) and serde's
/// message, as `serde_path_to_error` gives them.
pub fn deserialize<'a, T: de::Deserialize<'a>>(
    value: &'a Value,
) -> Result<T, (Vec<String>, String)> {
    let path = RefCell::new(Vec::new());
    T::deserialize(Tracked { value, path: &path }).map_err(|error| path_and_message(path, &error))
}

/// The path's segments as words and the error's message. Not generic, and never inlined, so
/// the code is in the app once rather than once per deserialised type (as are `push`, `pop`,
/// `invalid_type` and `leftover` below).
#[inline(never)]
fn path_and_message(path: Path<'_>, error: &Error) -> (Vec<String>, String) {
    let segments = path
        .into_inner()
        .into_iter()
        .map(|segment| match segment {
            Segment::Index(index) => format!("[{index}]"),
            Segment::Key(key) => key.to_string(),
        })
        .collect();
    (segments, error.to_string())
}

#[derive(Clone, Copy)]
struct Tracked<'a, 'p> {
    value: &'a Value,
    path: &'p Path<'a>,
}

/// Reads `value` as member `segment`: the segment stays on the path if reading fails.
fn member<'a, 'p, S: DeserializeSeed<'a>>(
    seed: S,
    value: &'a Value,
    segment: Segment<'a>,
    path: &'p Path<'a>,
) -> Result<S::Value, Error> {
    push(path, segment);
    let read = seed.deserialize(Tracked { value, path })?;
    pop(path);
    Ok(read)
}

#[inline(never)]
fn push<'a>(path: &Path<'a>, segment: Segment<'a>) {
    path.borrow_mut().push(segment);
}

#[inline(never)]
fn pop(path: &Path<'_>) {
    path.borrow_mut().pop();
}

/// serde's "invalid type" error about `value`.
#[inline(never)]
fn invalid_type(value: &Value, expected: &dyn de::Expected) -> Error {
    de::Error::invalid_type(unexpected(value), expected)
}

/// serde's words when `value` is not what `expected` names (`invalid type: string "x",
/// expected u32`), for shapes read by hand in the derive's words.
#[cfg(feature = "discovery")]
pub(crate) fn invalid_type_words(value: &Value, expected: &str) -> String {
    invalid_type(value, &expected).to_string()
}

/// The error when a variant with content was given as a bare name.
#[inline(never)]
fn unit_variant_error(expected: &'static str) -> Error {
    de::Error::invalid_type(Unexpected::UnitVariant, &expected)
}

/// The error when a visitor left `len` of `total` elements unread.
#[inline(never)]
fn leftover(total: usize, expected: &'static str) -> Error {
    de::Error::invalid_length(total, &expected)
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'a, 'p> Tracked<'a, 'p> {
    fn number<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Number(_) => de::Deserializer::deserialize_any(self, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn invalid_type<'de, V: Visitor<'de>>(self, visitor: &V) -> Error {
        invalid_type(self.value, visitor)
    }

    fn array<V: Visitor<'a>>(self, items: &'a [Value], visitor: V) -> Result<V::Value, Error> {
        let mut seq = Items {
            items: items.iter().enumerate(),
            path: self.path,
        };
        let read = visitor.visit_seq(&mut seq)?;
        if seq.items.len() == 0 {
            Ok(read)
        } else {
            Err(leftover(items.len(), "fewer elements in array"))
        }
    }

    fn object<V: Visitor<'a>>(
        self,
        members: &'a Map<String, Value>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut map = Members {
            members: members.iter(),
            value: None,
            path: self.path,
        };
        let read = visitor.visit_map(&mut map)?;
        if map.members.len() == 0 {
            Ok(read)
        } else {
            Err(leftover(members.len(), "fewer elements in map"))
        }
    }
}

impl<'a, 'p> de::Deserializer<'a> for Tracked<'a, 'p> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.array(items, visitor),
            Value::Object(members) => self.object(members, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => self.array(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => self.array(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(members) => self.object(members, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Unlike serde_json, a struct is read from an object only: the scenario formats never
        // write one as an array, and accepting `[...]` positionally would read a mistake as
        // data (and put every struct's sequence visitor in the wasm).
        match self.value {
            Value::Object(members) => self.object(members, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, value) = match self.value {
            Value::Object(members) => {
                let mut iter = members.iter();
                match (iter.next(), iter.next()) {
                    (Some((variant, value)), None) => (variant.as_str(), Some(value)),
                    _ => {
                        return Err(de::Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ))
                    }
                }
            }
            Value::String(variant) => (variant.as_str(), None),
            other => return Err(invalid_type(other, &"string or map")),
        };
        visitor.visit_enum(Variant {
            variant,
            value,
            path: self.path,
        })
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_i8<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i16<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u8<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u16<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }
    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_i128<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u128<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
}

struct Items<'a, 'p> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    path: &'p Path<'a>,
}

impl<'a, 'p> SeqAccess<'a> for Items<'a, 'p> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'a>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            Some((index, value)) => member(seed, value, Segment::Index(index), self.path).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'a, 'p> {
    members: serde_json::map::Iter<'a>,
    /// The member whose key was read and whose value is next.
    value: Option<(&'a str, &'a Value)>,
    path: &'p Path<'a>,
}

impl<'a, 'p> MapAccess<'a> for Members<'a, 'p> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.members.next() {
            Some((key, value)) => {
                self.value = Some((key.as_str(), value));
                // As serde_path_to_error: an error about a key (an unknown field) is at the key.
                push(self.path, Segment::Key(key.as_str()));
                let name: de::value::BorrowedStrDeserializer<'a, Error> =
                    de::value::BorrowedStrDeserializer::new(key.as_str());
                let read = seed.deserialize(name)?;
                pop(self.path);
                Ok(Some(read))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value, Error> {
        match self.value.take() {
            Some((key, value)) => member(seed, value, Segment::Key(key), self.path),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

struct Variant<'a, 'p> {
    variant: &'a str,
    value: Option<&'a Value>,
    path: &'p Path<'a>,
}

impl<'a, 'p> EnumAccess<'a> for Variant<'a, 'p> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'a>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name: de::value::BorrowedStrDeserializer<'a, Error> =
            de::value::BorrowedStrDeserializer::new(self.variant);
        seed.deserialize(name).map(|read| (read, self))
    }
}

impl<'a, 'p> Variant<'a, 'p> {
    /// Reads the variant's content with the variant's name on the path.
    fn content<T>(
        self,
        read: impl FnOnce(Tracked<'a, 'p>) -> Result<T, Error>,
        expected: &'static str,
    ) -> Result<T, Error> {
        // serde_path_to_error puts the variant on the path of any error about its content.
        push(self.path, Segment::Key(self.variant));
        let Some(value) = self.value else {
            return Err(unit_variant_error(expected));
        };
        let read = read(Tracked {
            value,
            path: self.path,
        })?;
        pop(self.path);
        Ok(read)
    }
}

impl<'a, 'p> VariantAccess<'a> for Variant<'a, 'p> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(_) => self.content(de::Deserialize::deserialize, "unit"),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'a>>(self, seed: S) -> Result<S::Value, Error> {
        self.content(|content| seed.deserialize(content), "newtype variant")
    }

    fn tuple_variant<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.content(
            |content| match content.value {
                Value::Array(items) if items.is_empty() => visitor.visit_unit(),
                Value::Array(items) => content.array(items, visitor),
                other => Err(invalid_type(other, &"tuple variant")),
            },
            "tuple variant",
        )
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.content(
            |content| match content.value {
                Value::Object(members) => content.object(members, visitor),
                other => Err(invalid_type(other, &"struct variant")),
            },
            "struct variant",
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use serde_json::{json, Value};

    fn path_to_error(value: &Value) -> Result<Scenario, (Vec<String>, String)> {
        serde_path_to_error::deserialize::<_, Scenario>(value).map_err(|error| {
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

    /// Every node of `value` replaced, one at a time, by each of a few values of other kinds.
    fn mutations(value: &Value) -> Vec<Value> {
        let replacements = [
            Value::Null,
            json!(7),
            json!(-3),
            json!(1.5),
            json!("x"),
            json!(true),
            json!([]),
            json!({}),
            json!([1, 2]),
            json!({"a": 1, "b": 2}),
        ];
        let mut pointers = Vec::new();
        fn walk(value: &Value, at: String, pointers: &mut Vec<String>) {
            pointers.push(at.clone());
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, format!("{at}/{i}"), pointers);
                    }
                }
                Value::Object(members) => {
                    for (key, item) in members {
                        walk(item, format!("{at}/{key}"), pointers);
                    }
                }
                _ => {}
            }
        }
        walk(value, String::new(), &mut pointers);
        let mut out = Vec::new();
        for pointer in pointers {
            for replacement in &replacements {
                let mut mutated = value.clone();
                *mutated.pointer_mut(&pointer).unwrap() = replacement.clone();
                out.push(mutated);
            }
        }
        out
    }

    #[test]
    fn same_results_paths_and_messages_as_serde_path_to_error() {
        let (mut checked, mut struct_arrays) = (0, 0);
        for builtin in crate::builtin::BUILTIN_SCENARIOS {
            let value: Value = serde_json::from_str(builtin.json).unwrap();
            for mutated in std::iter::once(value.clone()).chain(mutations(&value)) {
                let ours = super::deserialize::<Scenario>(&mutated);
                let theirs = path_to_error(&mutated);
                // The one deliberate difference: a struct given as an array is an error here
                // (serde_json reads it positionally, and `[]` as a struct of defaults).
                if let Err((_, message)) = &ours {
                    if message.starts_with("invalid type: sequence, expected struct ") {
                        struct_arrays += 1;
                        continue;
                    }
                }
                match (ours, theirs) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b),
                    (Err(a), Err(b)) => assert_eq!(a, b, "{mutated}"),
                    (a, b) => panic!(
                        "ours {:?}, serde_path_to_error {:?}, on {mutated}",
                        a.err(),
                        b.err()
                    ),
                }
                checked += 1;
            }
        }
        assert!(checked > 1_000, "{checked} inputs");
        assert!(
            struct_arrays > 10,
            "{struct_arrays} structs given as arrays"
        );
    }

    #[cfg(feature = "discovery")] // needs the default built-in (load balancers, traffic)
    #[test]
    fn a_struct_given_as_an_array_is_an_error_at_its_path() {
        let mut value: Value =
            serde_json::from_str(crate::builtin::BUILTIN_SCENARIOS[0].json).unwrap();
        for array in [json!([]), json!([1, 2])] {
            value["services"][0] = array;
            let (path, message) = super::deserialize::<Scenario>(&value).unwrap_err();
            assert_eq!(path, ["services", "[0]"]);
            assert!(
                message.starts_with("invalid type: sequence, expected struct "),
                "{message}"
            );
        }
    }
}
