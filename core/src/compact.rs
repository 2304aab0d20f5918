//! Building `BTreeSet`s and `BTreeMap`s, and sorting, with code compiled once rather than once per
//! item type, for the browser app's size (its gzip budget, PRODUCT.md).
//!
//! `collect()` into a B-tree (`FromIterator`) sorts the items first with the standard library's
//! stable sort, and `sort_by_key` compiles that sort again for every key closure: about 5 KB of
//! wasm each. `set_of` and `map_of` insert one item at a time instead (the same set or map: for
//! equal keys the last value wins, as with `collect()`), from the B-tree code every map already
//! has; `sort_by_key` sorts positions with one shared stable sort behind a `&dyn` comparison and
//! then moves the items, giving exactly `slice::sort_by_key`'s order. Use these for small
//! collections off the hot paths (the scheduler and the placement index keep the standard ones).
//!
//! `SortedMap` is a map kept as a vector sorted by key (`SortedSet` a set), for small maps off the hot paths: each
//! `BTreeMap<K, V>` compiles its own node code for every key and value type (4-12 KB of wasm
//! per pair), a `SortedMap` a binary search and a vector insert. It iterates in key order, as a
//! `BTreeMap` does, so swapping one for the other changes no output.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

/// The set of `items`, as `items.collect::<BTreeSet<T>>()` would give it.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The map of `pairs`, as `pairs.collect::<BTreeMap<K, V>>()` would give it: a key given twice
/// keeps its last value.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Sorts `items` stably by `key`, in the order `items.sort_by_key(key)` gives; `key` is called
/// once per item.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = stable_order(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    reorder(items, order);
}

/// Sorts `items` stably, in the order `items.sort()` gives (and `items.sort_unstable()` too
/// when equal items are indistinguishable, as numbers and strings are).
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    let order = stable_order(items.len(), &|a, b| items[a].cmp(&items[b]));
    reorder(items, order);
}

/// A map as a vector of pairs sorted by key, each key once: a `BTreeMap`'s order and answers
/// with less code per key and value type; lookups are a binary search, inserts move the pairs
/// after the new one (fine for the tens of entries it is meant for).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap::new()
    }
}

/// `SortedMap::iter`'s iterator.
pub type Iter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

impl<K, V> SortedMap<K, V> {
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, value)| value)
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        search(self.entries.len(), &|at| {
            self.entries[at].0.borrow().cmp(key)
        })
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let at = self.position(key).ok()?;
        Some(&self.entries[at].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let at = self.position(key).ok()?;
        Some(&mut self.entries[at].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.position(key).is_ok()
    }

    /// Sets `key`'s value; the value it had, if any (the key itself is kept, as
    /// `BTreeMap::insert` keeps it).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// `key`'s value, inserted by `make` first if the map has none: `entry(key).or_insert_with(make)`.
    pub fn or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.position(&key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key, make()));
                at
            }
        };
        &mut self.entries[at].1
    }

    /// `key`'s value, the default inserted first if the map has none: `entry(key).or_default()`.
    pub fn or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.or_insert_with(key, V::default)
    }

    /// The map of `pairs`, sorted once (n log n, where inserting them one by one could move
    /// n² pairs): the values of equal keys folded in their order by `merge(kept, next)`.
    pub fn from_pairs(mut pairs: Vec<(K, V)>, mut merge: impl FnMut(&mut V, V)) -> Self {
        let order = stable_order(pairs.len(), &|a, b| pairs[a].0.cmp(&pairs[b].0));
        reorder(&mut pairs, order);
        let mut entries: Vec<(K, V)> = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            match entries.last_mut() {
                Some((last, kept)) if *last == key => merge(kept, value),
                _ => entries.push((key, value)),
            }
        }
        SortedMap { entries }
    }

    /// Keeps the pairs `keep` says yes to, in order: `BTreeMap::retain`.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(key, value)| keep(key, value));
    }

    /// Takes `key` out; its value, if it had one.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let at = self.position(key).ok()?;
        Some(self.entries.remove(at).1)
    }
}

/// A set as a sorted vector, each item once: a `BTreeSet`'s order and answers with less code per
/// item type (a `SortedMap` to nothing).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SortedSet<T> {
    items: SortedMap<T, ()>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet::new()
    }
}

impl<T> SortedSet<T> {
    pub const fn new() -> Self {
        SortedSet {
            items: SortedMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.keys()
    }
}

impl<T: Ord> SortedSet<T> {
    /// Adds `item`; false if the set had it already (and keeps the one it had).
    pub fn insert(&mut self, item: T) -> bool {
        self.items.insert_new(item)
    }

    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.items.contains_key(item)
    }

    /// Takes `item` out: whether the set had it.
    pub fn remove<Q: Ord + ?Sized>(&mut self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.items.remove(item).is_some()
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.insert(item);
        }
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    /// The set of `items`, as `collect::<BTreeSet<T>>()` gives it.
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(items);
        set
    }
}

impl<K: Ord> SortedMap<K, ()> {
    /// Adds `key` unless the map has it (keeping the key it had): whether it was new.
    fn insert_new(&mut self, key: K) -> bool {
        match self.position(&key) {
            Ok(_) => false,
            Err(at) => {
                self.entries.insert(at, (key, ()));
                true
            }
        }
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V> {
    type Output = V;

    /// The value of `key`; panics if there is none, as `BTreeMap`'s index does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    /// As a `BTreeMap` prints: `{"a": 1, "b": 2}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    /// As a `BTreeSet` prints: `{"a", "b"}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// The map of `pairs`, as `collect::<BTreeMap<K, V>>()` gives it: a key given twice keeps
    /// its last value.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = SortedMap::new();
        for (key, value) in pairs {
            map.insert(key, value);
        }
        map
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

/// Serialised as a map, entry by entry in key order: the bytes and text a `BTreeMap` gives.
impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Read as a `BTreeMap` reads: from a map, a key given twice keeping its last value, and the
/// same words when it is not a map ("expected a map"). Every format the app reads hands keys
/// over in order (a JSON object through `serde_json::Map`, a snapshot as written), so each
/// insert appends.
impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for SortedMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for Pairs<K, V> {
            type Value = SortedMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SortedMap::new();
                while let Some((key, value)) = access.next_entry()? {
                    map.insert(key, value);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Pairs(PhantomData))
    }
}

/// Binary search over positions `0..len`: `compare(at)` orders the item at `at` against the
/// one sought. One instance shared by every `SortedMap`.
fn search(len: usize, compare: &dyn Fn(usize) -> Ordering) -> Result<usize, usize> {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        match compare(middle) {
            Ordering::Less => low = middle + 1,
            Ordering::Greater => high = middle,
            Ordering::Equal => return Ok(middle),
        }
    }
    Err(low)
}

/// Moves `items` into `order` (positions, each once).
fn reorder<T>(items: &mut Vec<T>, order: Vec<usize>) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|index| slots[index].take()));
}

/// The positions `0..len` sorted stably by `compare`: the one instance of the standard stable
/// sort that `sort_by_key` uses for every item type.
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_collect_with_duplicates_and_disorder() {
        let items = ["b", "a", "c", "a", "b"];
        assert_eq!(set_of(items), items.into_iter().collect::<BTreeSet<_>>());
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let collected: BTreeMap<_, _> = pairs.into_iter().collect();
        assert_eq!(map_of(pairs), collected);
        assert_eq!(map_of(pairs)["a"], 5);
        assert!(set_of(Vec::<u32>::new()).is_empty());
    }

    #[test]
    fn sorted_map_answers_as_a_btree_map() {
        // Keys inserted in a scrambled order with repeats: the same pairs, order and answers.
        let mut state = 99_u64;
        let mut ours = SortedMap::new();
        let mut theirs = BTreeMap::new();
        for step in 0..500_u32 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let key = format!("k{}", (state >> 33) % 40);
            match step % 3 {
                0 => assert_eq!(ours.insert(key.clone(), step), theirs.insert(key, step)),
                1 => {
                    *ours.or_default(key.clone()) += 1;
                    *theirs.entry(key).or_default() += 1;
                }
                _ => assert_eq!(ours.get(key.as_str()), theirs.get(key.as_str())),
            }
        }
        assert!(ours.iter().eq(theirs.iter()));
        assert!(ours.keys().eq(theirs.keys()) && ours.values().eq(theirs.values()));
        assert_eq!((ours.len(), ours.is_empty()), (theirs.len(), false));
        assert_eq!(ours["k7"], theirs["k7"]);
        assert!(ours.contains_key("k3") && !ours.contains_key("x"));
        *ours.get_mut("k3").unwrap() = 0;
        assert_eq!(ours.get("k3"), Some(&0));
        assert!(ours.into_iter().map(|(k, _)| k).eq(theirs.into_keys()));
        assert!(SortedMap::<u8, u8>::default().is_empty());
        let mut ours = SortedMap::new();
        let mut theirs = BTreeMap::new();
        for key in [5, 1, 9, 1, 7] {
            ours.insert(key, key * 2);
            theirs.insert(key, key * 2);
        }
        assert_eq!(
            (ours.remove(&1), ours.remove(&2)),
            (theirs.remove(&1), theirs.remove(&2))
        );
        assert!(ours.iter().eq(theirs.iter()));
        // Built at once: equal keys summed in order, or the last kept as `collect()` keeps it.
        let pairs = vec![("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        let summed = SortedMap::from_pairs(pairs.clone(), |sum, n| *sum += n);
        assert!(summed.iter().eq([(&"a", &7), (&"b", &4), (&"c", &4)]));
        let last = SortedMap::from_pairs(pairs.clone(), |kept, n| *kept = n);
        assert!(last.iter().eq(map_of(pairs).iter()));
    }

    #[test]
    fn sorted_map_reads_writes_and_prints_as_a_btree_map() {
        let text = r#"{"b":"2","a":"1","c":"3","a":"4"}"#;
        let ours: SortedMap<String, String> = crate::json_input::from_json_text(text).unwrap();
        let theirs: BTreeMap<String, String> = serde_json::from_str(text).unwrap();
        assert!(ours.iter().eq(theirs.iter()));
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        assert_eq!(
            postcard::to_allocvec(&ours).unwrap(),
            postcard::to_allocvec(&theirs).unwrap()
        );
        let bytes = postcard::to_allocvec(&theirs).unwrap();
        assert_eq!(
            postcard::from_bytes::<SortedMap<String, String>>(&bytes).unwrap(),
            ours
        );
        for bad in ["[1]", "3", r#"{"a":1}"#, "null"] {
            assert_eq!(
                crate::json_input::from_json_text::<SortedMap<String, String>>(bad),
                crate::json_input::from_json_text::<BTreeMap<String, String>>(bad)
                    .map(|map| map.into_iter().collect()),
                "{bad}"
            );
        }
        let set: SortedSet<&str> = ["b", "a"].into_iter().collect();
        assert_eq!(format!("{set:?}"), r#"{"a", "b"}"#);
        assert_eq!(
            SortedMap::from([(2, 'b'), (1, 'a')]),
            map_of([(1, 'a'), (2, 'b')]).into_iter().collect()
        );
    }

    #[test]
    fn sorted_set_answers_as_a_btree_set() {
        let items = ["b", "a", "c", "a", "b", "d"];
        let mut ours = SortedSet::new();
        let mut theirs = BTreeSet::new();
        for item in items {
            assert_eq!(ours.insert(item), theirs.insert(item));
        }
        assert!(ours.iter().eq(theirs.iter()));
        assert_eq!((ours.len(), ours.is_empty()), (theirs.len(), false));
        assert!(ours.contains("c") && !ours.contains("e"));
        assert_eq!(
            (ours.remove("c"), ours.remove("e")),
            (theirs.remove("c"), theirs.remove("e"))
        );
        ours.extend(["e", "a"]);
        theirs.extend(["e", "a"]);
        assert!(ours.iter().eq(theirs.iter()));
        let collected: BTreeSet<_> = items.into_iter().collect();
        assert!(items
            .into_iter()
            .collect::<SortedSet<_>>()
            .iter()
            .eq(collected.iter()));
        assert!(SortedSet::<u8>::default().is_empty());
    }

    #[test]
    fn sort_by_key_is_the_standard_stable_sort() {
        // Pairs with many equal keys: stability shows in the second member.
        let mut state = 12_345_u64;
        for len in [0, 1, 2, 7, 20, 33, 100, 1_000] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|index| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1);
                    ((state >> 33) % 5, index)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
            let mut sorted = items;
            sort_by_key(&mut sorted, |(key, _)| std::cmp::Reverse(*key));
            assert_eq!(sorted, expected, "length {len}");
        }
        let mut words = vec!["b".to_string(), "a".into(), "c".into(), "a".into()];
        sort_by_key(&mut words, |word| word.clone());
        assert_eq!(words, ["a", "a", "b", "c"]);
        let mut numbers = vec![5_u16, 1, 4, 1, 5, 9, 2, 6];
        let mut expected = numbers.clone();
        expected.sort_unstable();
        sort(&mut numbers);
        assert_eq!(numbers, expected);
    }
}
