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

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

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
