//! Reads a snapshot's payload (`postcard`'s wire format, which `World::to_snapshot` writes) back
//! into a `World`. The format as postcard 1 defines it: unsigned integers as LEB128 varints,
//! signed ones zigzag-encoded first, `u8`/`i8` and `bool` as one byte, floats as little-endian
//! bits, strings and byte strings as a varint length then the bytes, `Option` as a 0/1 byte, a
//! sequence or map as a varint count then its items, structs and tuples as their fields in order,
//! an enum as its variant index (varint) then its fields; nothing self-describing.
//!
//! Why not `postcard::from_bytes`: postcard inlines its varint and length reads into every field
//! of every derived visitor, which made `World`'s decoding the largest function of the app
//! (~62 KB of wasm before gzip). Here each read is one small function the visitors call, so the
//! derived code per field is a call. Decoding gives the same values postcard would (the snapshot
//! round-trip tests in tests/src/snapshot.rs and web/tests/browser.rs compare whole worlds), and
//! bad bytes are an error, never a panic.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

/// What went wrong in the payload, in words.
#[derive(Debug)]
pub struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DecodeError(message.to_string())
    }
}

type Result<T> = std::result::Result<T, DecodeError>;

/// The payload and how much of it has been read.
pub struct SnapshotReader<'de> {
    bytes: &'de [u8],
}

impl<'de> SnapshotReader<'de> {
    pub fn new(bytes: &'de [u8]) -> Self {
        SnapshotReader { bytes }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'de [u8] {
        self.bytes
    }

    #[inline(never)]
    fn take(&mut self, count: usize) -> Result<&'de [u8]> {
        if count > self.bytes.len() {
            return Err(DecodeError(format!(
                "{count} bytes wanted, {} left",
                self.bytes.len()
            )));
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(taken)
    }

    #[inline(never)]
    fn byte(&mut self) -> Result<u8> {
        let (&first, rest) = self
            .bytes
            .split_first()
            .ok_or_else(|| DecodeError("the payload ended early".into()))?;
        self.bytes = rest;
        Ok(first)
    }

    /// A LEB128 varint of at most `bits` bits (postcard's limit: the bytes a value of that
    /// width needs, and no bits beyond the width in the last one).
    #[inline(never)]
    fn varint(&mut self, bits: u32) -> Result<u128> {
        let mut value: u128 = 0;
        let mut shift = 0;
        loop {
            let byte = self.byte()?;
            let carry = u128::from(byte & 0x7F);
            // The last byte a width allows carries only the bits left of it.
            let room = bits - shift;
            if room < 7 && carry >> room != 0 {
                return Err(DecodeError(format!("a varint wider than {bits} bits")));
            }
            value |= carry << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift >= bits {
                return Err(DecodeError(format!("a varint longer than {bits} bits")));
            }
        }
    }

    fn unsigned(&mut self, bits: u32) -> Result<u64> {
        self.varint(bits).map(|value| value as u64)
    }

    /// Zigzag: 0, -1, 1, -2, … as 0, 1, 2, 3, …
    fn signed(&mut self, bits: u32) -> Result<i64> {
        let value = self.unsigned(bits)?;
        Ok((value >> 1) as i64 ^ -((value & 1) as i64))
    }

    #[inline(never)]
    fn length(&mut self) -> Result<usize> {
        let length = self.unsigned(usize::BITS)?;
        usize::try_from(length).map_err(|_| DecodeError(format!("length {length} too large")))
    }

    #[inline(never)]
    fn str(&mut self) -> Result<&'de str> {
        let length = self.length()?;
        std::str::from_utf8(self.take(length)?)
            .map_err(|_| DecodeError("a string is not UTF-8".into()))
    }

    fn unsupported<T>(what: &str) -> Result<T> {
        Err(DecodeError(format!("{what} is not in the snapshot format")))
    }
}

impl<'de> de::Deserializer<'de> for &mut SnapshotReader<'de> {
    type Error = DecodeError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        SnapshotReader::unsupported("a self-describing value")
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        SnapshotReader::unsupported("an ignored value")
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        SnapshotReader::unsupported("a member name")
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.byte()? {
            0 => visitor.visit_bool(false),
            1 => visitor.visit_bool(true),
            other => Err(DecodeError(format!("{other} is not a bool"))),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i8(self.byte()? as i8)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i16(self.signed(16)? as i16)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i32(self.signed(32)? as i32)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i64(self.signed(64)?)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.varint(128)?;
        visitor.visit_i128((value >> 1) as i128 ^ -((value & 1) as i128))
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u8(self.byte()?)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u16(self.unsigned(16)? as u16)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u32(self.unsigned(32)? as u32)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.unsigned(64)?)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u128(self.varint(128)?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut bits = [0u8; 4];
        bits.copy_from_slice(self.take(4)?);
        visitor.visit_f32(f32::from_le_bytes(bits))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut bits = [0u8; 8];
        bits.copy_from_slice(self.take(8)?);
        visitor.visit_f64(f64::from_le_bytes(bits))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let text = self.str()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(one), None) => visitor.visit_char(one),
            _ => Err(DecodeError(format!("{text:?} is not one character"))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.str()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.str()?)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let length = self.length()?;
        visitor.visit_borrowed_bytes(self.take(length)?)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.byte()? {
            0 => visitor.visit_none(),
            1 => visitor.visit_some(self),
            other => Err(DecodeError(format!("{other} is not an option's tag"))),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let left = self.length()?;
        visitor.visit_seq(Items { reader: self, left })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        visitor.visit_seq(Items {
            reader: self,
            left: len,
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let left = self.length()?;
        visitor.visit_map(Items { reader: self, left })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_tuple(fields.len(), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }
}

/// The items of a sequence, tuple, struct or map, `left` of them still to read.
struct Items<'a, 'de> {
    reader: &'a mut SnapshotReader<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = DecodeError;

    // Not inlined: one call per field in the derived visitors, rather than the read itself.
    #[inline(never)]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::EnumAccess<'de> for &mut SnapshotReader<'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let index = self.unsigned(32)? as u32;
        let variant =
            seed.deserialize(IntoDeserializer::<DecodeError>::into_deserializer(index))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut SnapshotReader<'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_tuple(self, fields.len(), visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Empty,
        Wrapped(u64),
        Pair(i32, String),
        Named { flag: bool, ratio: f64 },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        small: u8,
        tiny: i8,
        short: i16,
        medium: u32,
        negative: i32,
        large: u64,
        most_negative: i64,
        huge: u128,
        signed_huge: i128,
        half: f32,
        letter: char,
        text: String,
        bytes: serde_bytes_like::Bytes,
        maybe: Option<u16>,
        none: Option<u16>,
        unit: (),
        list: Vec<Shape>,
        map: BTreeMap<String, (u8, bool)>,
        tuple: (u16, String, i64),
    }

    /// A `Vec<u8>` serialised as serde bytes (postcard writes those as length + bytes).
    mod serde_bytes_like {
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #[derive(Debug, PartialEq)]
        pub struct Bytes(pub Vec<u8>);

        impl Serialize for Bytes {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for Bytes {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let bytes: &[u8] = Deserialize::deserialize(deserializer)?;
                Ok(Bytes(bytes.to_vec()))
            }
        }
    }

    fn sample(seed: u64) -> Sample {
        Sample {
            small: 255,
            tiny: -128,
            short: i16::MIN,
            medium: u32::MAX - seed as u32,
            negative: -1_000_000,
            large: u64::MAX - seed,
            most_negative: i64::MIN,
            huge: u128::MAX,
            signed_huge: i128::MIN + 1,
            half: 0.5,
            letter: 'é',
            text: "ŧext ✓".repeat(seed as usize % 50),
            bytes: serde_bytes_like::Bytes(vec![0, 1, 127, 128, 255]),
            maybe: Some(300),
            none: None,
            unit: (),
            list: vec![
                Shape::Empty,
                Shape::Wrapped(seed << 40),
                Shape::Pair(-7, "p".into()),
                Shape::Named {
                    flag: true,
                    ratio: -2.25,
                },
            ],
            map: [
                ("a".to_string(), (1, false)),
                ("b".to_string(), (200, true)),
            ]
            .into(),
            tuple: (128, String::new(), -64),
        }
    }

    #[test]
    fn reads_what_postcard_writes_every_kind_of_value() {
        for seed in [0, 1, 127, 128, 16_383, 16_384, 1 << 35] {
            let value = sample(seed);
            let bytes = postcard::to_allocvec(&value).unwrap();
            let mut reader = SnapshotReader::new(&bytes);
            let back = Sample::deserialize(&mut reader).unwrap();
            assert_eq!(back, value);
            assert!(reader.rest().is_empty());
        }
    }

    #[test]
    fn bad_bytes_are_errors() {
        let bytes = postcard::to_allocvec(&sample(3)).unwrap();
        for cut in 0..bytes.len() {
            let mut reader = SnapshotReader::new(&bytes[..cut]);
            assert!(Sample::deserialize(&mut reader).is_err(), "cut at {cut}");
        }
        // A u32 varint of six bytes, and one whose fifth byte carries bits past 32.
        for bytes in [
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x01][..],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0x1F],
        ] {
            let mut reader = SnapshotReader::new(bytes);
            assert!(u32::deserialize(&mut reader).is_err());
        }
        let mut reader = SnapshotReader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        assert_eq!(u32::deserialize(&mut reader).unwrap(), u32::MAX);
        let mut reader = SnapshotReader::new(&[2]);
        assert!(bool::deserialize(&mut reader).is_err());
        let mut reader = SnapshotReader::new(&[2, 0xC3, 0x28]);
        assert!(String::deserialize(&mut reader).is_err());
    }
}
