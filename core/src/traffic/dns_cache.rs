//! Clients following a weighted DNS record set through their caches.
//!
//! A record set changes its weights at moments in time (versions). Each client keeps the
//! answer it got for its cache lifetime `L` (the TTL, or `TTL × multiplier` for the share of
//! clients that keep answers longer), and clients refresh uniformly over that lifetime: the age
//! of a client's cached answer is uniform on `[0, L)`. So at time `t` the share of a class of
//! clients still resolving under a version that was current during `[since, until)` is the
//! length of `[t − L, t) ∩ [since, until)` over `L`. For one change at `t0` that is
//! `max(0, 1 − (t − t0)/L)` on the old answer, the rest on the new one. A record with TTL 0
//! (or clients with `L = 0`) follows every change at once. Before the first version counts as
//! the first version (the record existed before the run began).
//!
//! Within a version, requests follow the weights (Route 53: weight / sum of weights; all-zero
//! weights mean equal shares). Everything here is plain arithmetic on `f64`: deterministic.

use crate::scenario::Clients;

/// One version of a record set's weights: in force from `since_ms` until the next version's.
/// `weights` is its range in the caller's flat weight list (one weight per answer, 0–255).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordVersion {
    pub since_ms: u64,
    pub weights_start: u32,
    pub weights_len: u32,
}

/// Share of requests resolved under each version at `now_ms`, written into `shares` (one per
/// version, summing to 1). `versions` is sorted by `since_ms` and not empty.
pub fn version_shares(
    now_ms: u64,
    versions: &[RecordVersion],
    ttl_ms: u64,
    clients: Clients,
    shares: &mut [f64],
) {
    assert!(
        !versions.is_empty(),
        "a record set has at least one version"
    );
    assert_eq!(shares.len(), versions.len(), "one share per version");
    shares.fill(0.0);
    for (class_share, lifetime_ms) in classes(ttl_ms, clients) {
        if class_share <= 0.0 {
            continue;
        }
        add_class(now_ms, versions, lifetime_ms, class_share, shares);
    }
}

/// The two classes of clients: those that keep an answer for its TTL and those that keep it
/// longer, each as (share of all clients, how long it keeps an answer in ms).
fn classes(ttl_ms: u64, clients: Clients) -> [(f64, u64); 2] {
    let long = f64::from(clients.long_cache_percent.min(100)) / 100.0;
    [
        (1.0 - long, ttl_ms),
        (
            long,
            ttl_ms.saturating_mul(u64::from(clients.long_cache_multiplier)),
        ),
    ]
}

/// One class of clients as it follows a record set at some moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClientClass {
    /// Its share of all clients (0–1).
    pub share: f64,
    /// How long its clients keep an answer: the oldest a cached answer gets, in ms.
    pub lifetime_ms: u64,
    /// The share of its clients (0–1) whose cached answer is from the current version.
    pub on_current: f64,
}

/// How each class of clients ([`classes`]: the TTL's, then the long-caching one) follows the
/// record set at `now_ms`: what the traffic view shows beside a record set, computed as the
/// tick computes the shares (`version_shares`). `versions` is sorted and not empty.
pub fn client_classes(
    now_ms: u64,
    versions: &[RecordVersion],
    ttl_ms: u64,
    clients: Clients,
) -> [ClientClass; 2] {
    let current = versions
        .iter()
        .rposition(|version| version.since_ms <= now_ms)
        .unwrap_or(0);
    let mut shares = vec![0.0; versions.len()];
    classes(ttl_ms, clients).map(|(share, lifetime_ms)| {
        shares.fill(0.0);
        add_class(now_ms, versions, lifetime_ms, 1.0, &mut shares);
        ClientClass {
            share,
            lifetime_ms,
            on_current: shares[current],
        }
    })
}

/// Share of requests sent to each answer at `now_ms` (`out`, one per answer; the answers are
/// the same list in every version), using `version_scratch` (one per version) as scratch.
/// Returns the share that reaches answers whose weight in the current (last) version is zero
/// — clients still following an older version to an answer taken out of rotation.
pub fn answer_shares(
    now_ms: u64,
    versions: &[RecordVersion],
    weights: &[u8],
    ttl_ms: u64,
    clients: Clients,
    version_scratch: &mut [f64],
    out: &mut [f64],
) -> f64 {
    version_shares(now_ms, versions, ttl_ms, clients, version_scratch);
    out.fill(0.0);
    for (version, &share) in versions.iter().zip(version_scratch.iter()) {
        if share <= 0.0 {
            continue;
        }
        let start = version.weights_start as usize;
        let version_weights = &weights[start..start + version.weights_len as usize];
        assert_eq!(version_weights.len(), out.len(), "one weight per answer");
        let total: u32 = version_weights.iter().map(|&w| u32::from(w)).sum();
        for (slot, &weight) in out.iter_mut().zip(version_weights) {
            *slot += if total == 0 {
                share / version_weights.len() as f64
            } else {
                share * f64::from(weight) / f64::from(total)
            };
        }
    }
    let current = versions[versions.len() - 1];
    let start = current.weights_start as usize;
    let current_weights = &weights[start..start + current.weights_len as usize];
    let current_total: u32 = current_weights.iter().map(|&w| u32::from(w)).sum();
    if current_total == 0 {
        return 0.0;
    }
    out.iter()
        .zip(current_weights)
        .filter(|(_, &weight)| weight == 0)
        .map(|(share, _)| share)
        .sum()
}

/// Adds `class_share` spread over the versions by the overlap of `[now − lifetime, now)` with
/// each version's time span (newest first; stops at the first version older than the window).
fn add_class(
    now_ms: u64,
    versions: &[RecordVersion],
    lifetime_ms: u64,
    class_share: f64,
    shares: &mut [f64],
) {
    // The version current at `now` (the first if `now` is before every version).
    let current = versions
        .iter()
        .rposition(|version| version.since_ms <= now_ms)
        .unwrap_or(0);
    if lifetime_ms == 0 {
        shares[current] += class_share;
        return;
    }
    let window_start = now_ms.saturating_sub(lifetime_ms);
    let mut until = now_ms;
    let mut covered = 0u64;
    for index in (0..=current).rev() {
        let since = if index == 0 {
            window_start
        } else {
            versions[index].since_ms.max(window_start)
        };
        let span = until.saturating_sub(since);
        shares[index] += class_share * span as f64 / lifetime_ms as f64;
        covered += span;
        until = since;
        if since <= window_start {
            break;
        }
    }
    // The window before the run began counts as the first version.
    if covered < lifetime_ms {
        shares[0] += class_share * (lifetime_ms - covered) as f64 / lifetime_ms as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERYONE_FOLLOWS_TTL: Clients = Clients {
        long_cache_percent: 0,
        long_cache_multiplier: 1,
    };

    fn versions(since: &[u64], answers: u32) -> Vec<RecordVersion> {
        since
            .iter()
            .enumerate()
            .map(|(index, &since_ms)| RecordVersion {
                since_ms,
                weights_start: index as u32 * answers,
                weights_len: answers,
            })
            .collect()
    }

    fn shares_at(now_ms: u64, since: &[u64], ttl_ms: u64, clients: Clients) -> Vec<f64> {
        let versions = versions(since, 1);
        let mut shares = vec![0.0; versions.len()];
        version_shares(now_ms, &versions, ttl_ms, clients, &mut shares);
        shares
    }

    fn close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len());
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-9, "{actual:?} != {expected:?}");
        }
    }

    #[test]
    fn the_old_answer_fades_linearly_over_the_ttl() {
        let change = 100_000;
        let ttl = 60_000;
        close(
            &shares_at(change - 1, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[1.0, 0.0],
        );
        close(
            &shares_at(change, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[1.0, 0.0],
        );
        close(
            &shares_at(change + 15_000, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[0.75, 0.25],
        );
        close(
            &shares_at(change + 30_000, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[0.5, 0.5],
        );
        close(
            &shares_at(change + 60_000, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[0.0, 1.0],
        );
        close(
            &shares_at(change + 99_000, &[0, change], ttl, EVERYONE_FOLLOWS_TTL),
            &[0.0, 1.0],
        );
    }

    #[test]
    fn long_caching_clients_follow_ttl_times_their_multiplier() {
        let clients = Clients {
            long_cache_percent: 10,
            long_cache_multiplier: 10,
        };
        // 30 s after the change: 90 % of clients are half way (TTL 60 s), the 10 % who keep
        // answers for 600 s are 5 % of the way.
        let shares = shares_at(130_000, &[0, 100_000], 60_000, clients);
        close(&shares, &[0.9 * 0.5 + 0.1 * 0.95, 0.9 * 0.5 + 0.1 * 0.05]);
        // After one TTL only the long-caching clients are left on the old answer.
        let shares = shares_at(160_000, &[0, 100_000], 60_000, clients);
        close(&shares, &[0.1 * 0.9, 0.9 + 0.1 * 0.1]);
        // After ten TTLs everyone has moved.
        close(
            &shares_at(700_000, &[0, 100_000], 60_000, clients),
            &[0.0, 1.0],
        );
    }

    #[test]
    fn each_class_of_clients_says_how_old_its_answers_get_and_how_many_have_the_change() {
        let clients = Clients {
            long_cache_percent: 10,
            long_cache_multiplier: 10,
        };
        let versions = versions(&[0, 100_000], 1);
        let view = |now_ms| {
            client_classes(now_ms, &versions, 60_000, clients)
                .map(|class| (class.share, class.lifetime_ms, class.on_current))
        };
        // Before the change everyone has the current answer (the first version).
        let [most, long] = view(50_000);
        assert_eq!((most.1, long.1), (60_000, 600_000));
        close(&[most.0, most.2, long.0, long.2], &[0.9, 1.0, 0.1, 1.0]);
        // 30 s after it: half of the TTL's clients, 5 % of the long-caching ones (the same
        // figures the shares above are made of).
        let [most, long] = view(130_000);
        close(&[most.2, long.2], &[0.5, 0.05]);
        // One TTL after it: all of the TTL's clients, a tenth of the others.
        let [most, long] = view(160_000);
        close(&[most.2, long.2], &[1.0, 0.1]);
    }

    #[test]
    fn quick_successive_changes_split_by_overlap_and_ttl_zero_follows_at_once() {
        // Versions at 0, 100 s and 110 s; at 120 s with TTL 40 s: the window is [80, 120).
        close(
            &shares_at(
                120_000,
                &[0, 100_000, 110_000],
                40_000,
                EVERYONE_FOLLOWS_TTL,
            ),
            &[0.5, 0.25, 0.25],
        );
        close(
            &shares_at(120_000, &[0, 100_000, 110_000], 0, EVERYONE_FOLLOWS_TTL),
            &[0.0, 0.0, 1.0],
        );
        // Early in the run the window reaching before time zero counts as the first version.
        close(
            &shares_at(10_000, &[0], 60_000, EVERYONE_FOLLOWS_TTL),
            &[1.0],
        );
    }

    #[test]
    fn answers_follow_weights_and_the_stale_share_is_reported() {
        // Blue/green: 100/0, then at 100 s 0/100; TTL 60 s; 30 s later half are on green.
        let versions = versions(&[0, 100_000], 2);
        let weights = [100, 0, 0, 100];
        let mut scratch = [0.0; 2];
        let mut out = [0.0; 2];
        let stale = answer_shares(
            130_000,
            &versions,
            &weights,
            60_000,
            EVERYONE_FOLLOWS_TTL,
            &mut scratch,
            &mut out,
        );
        close(&out, &[0.5, 0.5]);
        assert!((stale - 0.5).abs() < 1e-9);
        // All-zero weights: equal shares (Route 53), and nothing counts as stale.
        let zero = [0, 0, 0, 0];
        let stale = answer_shares(
            130_000,
            &versions,
            &zero,
            60_000,
            EVERYONE_FOLLOWS_TTL,
            &mut scratch,
            &mut out,
        );
        close(&out, &[0.5, 0.5]);
        assert_eq!(stale, 0.0);
    }
}
