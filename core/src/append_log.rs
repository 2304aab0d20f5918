//! `AppendLog<T>`: a persistent, append-only sequence in fixed-size chunks, and `LogView`, the
//! read-only window onto it that callers get instead of a slice.
//!
//! A run's history (its event log, later its per-minute metrics) grows for the whole run while
//! the world around it is cloned again and again: every checkpoint, every jump's waypoint. A
//! plain `Vec` (even behind a copy-on-write `Arc`) ends up copied once per clone that is written
//! after, so memory grew as checkpoints × entries. Here full chunks are sealed, shared and
//! immutable, and only the short, still-filling tail is ever copied: a clone copies the
//! chunk pointers and shares the tail until one side appends, so memory is entries +
//! clones × chunk. Every clone keeps exactly its own entries, so going back to an older clone and
//! forward again to a newer one needs no replay.

use std::ops::{Bound, Index, RangeBounds};
use std::sync::Arc;

/// Entries per sealed chunk: large enough that the chunk pointers cost nothing, small enough
/// that the one tail a diverging clone copies stays cheap.
pub const CHUNK_LEN: usize = 4096;

#[derive(Debug)]
pub struct AppendLog<T> {
    /// Full chunks, each exactly `CHUNK_LEN` entries, shared by every clone that has them.
    sealed: Vec<Arc<Vec<T>>>,
    /// The entries after the last full chunk (fewer than `CHUNK_LEN`), copied on the first write
    /// while a clone shares it. Sealed as it is once full, so sealing copies no entry.
    tail: Arc<Vec<T>>,
}

impl<T> Default for AppendLog<T> {
    fn default() -> Self {
        AppendLog {
            sealed: Vec::new(),
            tail: Arc::new(Vec::new()),
        }
    }
}

impl<T> Clone for AppendLog<T> {
    fn clone(&self) -> Self {
        AppendLog {
            sealed: self.sealed.clone(),
            tail: Arc::clone(&self.tail),
        }
    }
}

impl<T: Clone> AppendLog<T> {
    pub fn push(&mut self, entry: T) {
        let tail = Arc::make_mut(&mut self.tail);
        if tail.capacity() == 0 {
            // A new chunk gets its room at once: grown by doubling, its entries were copied
            // once more on the way to full.
            tail.reserve_exact(CHUNK_LEN);
        }
        tail.push(entry);
        if tail.len() == CHUNK_LEN {
            // A tail copied from a clone's grew by doubling from where the copy began, and may
            // have room for more than a chunk: given back before it is sealed.
            tail.shrink_to_fit();
            self.sealed.push(std::mem::take(&mut self.tail));
        }
    }
}

impl<T: Clone> FromIterator<T> for AppendLog<T> {
    fn from_iter<I: IntoIterator<Item = T>>(entries: I) -> Self {
        let mut log = AppendLog::default();
        for entry in entries {
            log.push(entry);
        }
        log
    }
}

impl<T> AppendLog<T> {
    pub fn len(&self) -> usize {
        self.sealed.len() * CHUNK_LEN + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole log as a view (no allocation).
    pub fn view(&self) -> LogView<'_, T> {
        LogView {
            log: self,
            start: 0,
            end: self.len(),
        }
    }

    /// Entries this log holds that no clone taken before the last write can share: the tail, if
    /// this log owns it alone. For measuring what checkpoints cost.
    pub fn unshared_tail_len(&self) -> usize {
        if Arc::strong_count(&self.tail) == 1 {
            self.tail.len()
        } else {
            0
        }
    }

    /// The sealed chunks, for counting how many distinct chunks a set of clones holds.
    pub fn sealed_chunks(&self) -> impl Iterator<Item = &Arc<Vec<T>>> {
        self.sealed.iter()
    }

    /// The shared tail, for the same counting.
    pub fn tail(&self) -> &Arc<Vec<T>> {
        &self.tail
    }

    fn entry(&self, index: usize) -> &T {
        let chunk = index / CHUNK_LEN;
        match self.sealed.get(chunk) {
            Some(sealed) => &sealed[index % CHUNK_LEN],
            None => &self.tail[index - self.sealed.len() * CHUNK_LEN],
        }
    }

    /// The contiguous runs of entries in `start..end`, chunk by chunk.
    fn slices(&self, start: usize, end: usize) -> impl Iterator<Item = &[T]> {
        let sealed_len = self.sealed.len() * CHUNK_LEN;
        let first_chunk = start / CHUNK_LEN;
        let sealed = self
            .sealed
            .iter()
            .enumerate()
            .skip(first_chunk)
            .take_while(move |(chunk, _)| chunk * CHUNK_LEN < end)
            .map(move |(chunk, entries)| {
                let base = chunk * CHUNK_LEN;
                &entries[start.max(base) - base..end.min(base + CHUNK_LEN) - base]
            });
        let tail = (end > sealed_len)
            .then(|| &self.tail[start.max(sealed_len) - sealed_len..end - sealed_len]);
        sealed.chain(tail)
    }
}

impl<T: serde::Serialize> serde::Serialize for AppendLog<T> {
    /// One sequence of every entry, the same bytes a `Vec<T>` gives.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.view().iter())
    }
}

impl<'de, T: serde::Deserialize<'de> + Clone> serde::Deserialize<'de> for AppendLog<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<T>::deserialize(deserializer)?.into_iter().collect())
    }
}

/// A read-only window `start..end` onto an `AppendLog`: what a slice was, without one
/// contiguous buffer behind it. Copying a view copies three words.
#[derive(Debug)]
pub struct LogView<'a, T> {
    log: &'a AppendLog<T>,
    start: usize,
    end: usize,
}

impl<T> Clone for LogView<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for LogView<'_, T> {}

impl<'a, T> LogView<'a, T> {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn get(&self, index: usize) -> Option<&'a T> {
        (index < self.len()).then(|| self.log.entry(self.start + index))
    }

    pub fn first(&self) -> Option<&'a T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&'a T> {
        self.len().checked_sub(1).and_then(|index| self.get(index))
    }

    pub fn iter(&self) -> LogIter<'a, T> {
        LogIter {
            log: self.log,
            front: self.start,
            back: self.end,
        }
    }

    /// The entries from `index` on (none if `index` is past the end), like `slice[index..]`
    /// without the panic.
    pub fn iter_from(&self, index: usize) -> LogIter<'a, T> {
        self.range(index.min(self.len())..).iter()
    }

    /// The sub-view `range`, like slicing; panics where slicing would.
    pub fn range(&self, range: impl RangeBounds<usize>) -> LogView<'a, T> {
        self.get_range(range).unwrap_or_else(|| {
            panic!(
                "range out of bounds for a log view of {} entries",
                self.len()
            )
        })
    }

    /// The sub-view `range`, or `None` where slicing would panic (like `slice::get(range)`).
    pub fn get_range(&self, range: impl RangeBounds<usize>) -> Option<LogView<'a, T>> {
        let from = match range.start_bound() {
            Bound::Included(&i) => i,
            Bound::Excluded(&i) => i.checked_add(1)?,
            Bound::Unbounded => 0,
        };
        let to = match range.end_bound() {
            Bound::Included(&i) => i.checked_add(1)?,
            Bound::Excluded(&i) => i,
            Bound::Unbounded => self.len(),
        };
        (from <= to && to <= self.len()).then_some(LogView {
            log: self.log,
            start: self.start + from,
            end: self.start + to,
        })
    }

    /// The index of the first entry for which `pred` is false, the entries being partitioned
    /// (all true, then all false): a binary search across chunks, like `slice::partition_point`.
    pub fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            if pred(self.log.entry(self.start + mid)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }

    /// The view's entries as contiguous slices, chunk by chunk, for callers that want slice speed.
    pub fn slices(&self) -> impl Iterator<Item = &'a [T]> {
        self.log.slices(self.start, self.end)
    }

    pub fn to_vec(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.iter().cloned().collect()
    }
}

impl<'a, T> Index<usize> for LogView<'a, T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        self.get(index).unwrap_or_else(|| {
            panic!(
                "index {index} out of bounds for a log view of {} entries",
                self.len()
            )
        })
    }
}

impl<'a, T> IntoIterator for LogView<'a, T> {
    type Item = &'a T;
    type IntoIter = LogIter<'a, T>;

    fn into_iter(self) -> LogIter<'a, T> {
        self.iter()
    }
}

impl<'a, T> IntoIterator for &LogView<'a, T> {
    type Item = &'a T;
    type IntoIter = LogIter<'a, T>;

    fn into_iter(self) -> LogIter<'a, T> {
        self.iter()
    }
}

impl<T: PartialEq> PartialEq<[T]> for LogView<'_, T> {
    fn eq(&self, other: &[T]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for LogView<'_, T> {
    fn eq(&self, other: &[T; N]) -> bool {
        *self == other[..]
    }
}

/// The entries of a view in order, from either end.
#[derive(Debug)]
pub struct LogIter<'a, T> {
    log: &'a AppendLog<T>,
    front: usize,
    back: usize,
}

impl<T> Clone for LogIter<'_, T> {
    fn clone(&self) -> Self {
        LogIter { ..*self }
    }
}

impl<'a, T> Iterator for LogIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        (self.front < self.back).then(|| {
            self.front += 1;
            self.log.entry(self.front - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.back - self.front;
        (len, Some(len))
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<'a, T> DoubleEndedIterator for LogIter<'a, T> {
    fn next_back(&mut self) -> Option<&'a T> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.log.entry(self.back)
        })
    }
}

impl<T> ExactSizeIterator for LogIter<'_, T> {}
impl<T> std::iter::FusedIterator for LogIter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the random sizes are the same every run.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    fn log_of(n: usize) -> AppendLog<usize> {
        (0..n).collect()
    }

    #[test]
    fn pushing_across_chunk_boundaries_keeps_every_entry_in_order() {
        for n in [
            0,
            1,
            CHUNK_LEN - 1,
            CHUNK_LEN,
            CHUNK_LEN + 1,
            3 * CHUNK_LEN + 7,
        ] {
            let log = log_of(n);
            assert_eq!(log.len(), n);
            assert_eq!(log.sealed.len(), n / CHUNK_LEN);
            assert_eq!(log.tail.len(), n % CHUNK_LEN);
            let view = log.view();
            assert_eq!(view.to_vec(), (0..n).collect::<Vec<_>>());
            assert_eq!(
                view.iter().rev().copied().collect::<Vec<_>>(),
                (0..n).rev().collect::<Vec<_>>()
            );
            assert_eq!(view.iter().len(), n);
            assert_eq!(view.last(), n.checked_sub(1).as_ref());
            assert_eq!(view.first(), (n > 0).then_some(&0));
            assert_eq!(view.get(n), None);
            assert_eq!(view.slices().flatten().count(), n);
        }
    }

    #[test]
    fn clones_diverge_both_ways_and_keep_exactly_their_own_entries() {
        let mut live = log_of(CHUNK_LEN + 10);
        let checkpoint = live.clone();
        for i in 0..CHUNK_LEN {
            live.push(1_000_000 + i);
        }
        // Back: the checkpoint still holds only what it had, and diverging from it leaves the
        // live log alone.
        let mut rewound = checkpoint.clone();
        rewound.push(7);
        assert_eq!(
            checkpoint.view().to_vec(),
            (0..CHUNK_LEN + 10).collect::<Vec<_>>()
        );
        let mut expected_rewound: Vec<usize> = (0..CHUNK_LEN + 10).collect();
        expected_rewound.push(7);
        assert_eq!(rewound.view().to_vec(), expected_rewound);
        // Forward again: the later log is intact after the rewind went its own way.
        let mut expected_live: Vec<usize> = (0..CHUNK_LEN + 10).collect();
        expected_live.extend((0..CHUNK_LEN).map(|i| 1_000_000 + i));
        assert_eq!(live.view().to_vec(), expected_live);
        // The full chunk before the fork is one allocation shared by all three.
        assert!(Arc::ptr_eq(&live.sealed[0], &checkpoint.sealed[0]));
        assert!(Arc::ptr_eq(&rewound.sealed[0], &checkpoint.sealed[0]));
    }

    #[test]
    fn a_clone_shares_the_tail_until_one_side_writes() {
        let mut live = log_of(5);
        let checkpoint = live.clone();
        assert!(Arc::ptr_eq(&live.tail, &checkpoint.tail));
        assert_eq!(live.unshared_tail_len(), 0);
        live.push(5);
        assert!(!Arc::ptr_eq(&live.tail, &checkpoint.tail));
        assert_eq!(live.unshared_tail_len(), 6);
        assert_eq!(checkpoint.len(), 5);
    }

    #[test]
    fn views_match_a_plain_vec_over_random_sizes_and_ranges() {
        let mut rng = Lcg(42);
        for _ in 0..40 {
            let n = rng.below(4 * CHUNK_LEN);
            let plain: Vec<usize> = (0..n).map(|i| i / 3).collect();
            let log: AppendLog<usize> = plain.iter().copied().collect();
            let whole = log.view();
            for _ in 0..20 {
                let a = rng.below(n + 1);
                let b = a + rng.below(n + 1 - a);
                let view = whole.range(a..b);
                let slice = &plain[a..b];
                assert_eq!(view.len(), slice.len());
                assert_eq!(view.to_vec(), slice);
                assert_eq!(view.slices().collect::<Vec<_>>().concat(), slice);
                assert_eq!(
                    view.iter_from(3).copied().collect::<Vec<_>>(),
                    slice.get(3..).unwrap_or(&[])
                );
                assert_eq!(
                    view.iter().rev().collect::<Vec<_>>(),
                    slice.iter().rev().collect::<Vec<_>>()
                );
                let i = rng.below(slice.len() + 2);
                assert_eq!(view.get(i), slice.get(i));
                assert_eq!(view.last(), slice.last());
                let c = rng.below(n / 3 + 2);
                assert_eq!(
                    view.partition_point(|x| *x < c),
                    slice.partition_point(|x| *x < c)
                );
                assert!(whole.get_range(a..n + 1).is_none());
                assert_eq!(whole.get_range(a..).map(|v| v.len()), Some(n - a));
            }
        }
    }

    #[test]
    fn it_serializes_as_the_one_sequence_a_vec_would() {
        let plain: Vec<u32> = (0..(CHUNK_LEN as u32 + 3)).collect();
        let log: AppendLog<u32> = plain.iter().copied().collect();
        let bytes = postcard::to_allocvec(&log).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&plain).unwrap());
        let back: AppendLog<u32> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.view().to_vec(), plain);
    }
}
