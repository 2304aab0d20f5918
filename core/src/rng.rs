//! The simulation's only source of randomness: xoshiro256++ (a named, portable algorithm that
//! gives the same stream on wasm32 and x86_64), seeded from the scenario. The world owns it as
//! named streams (`Streams`), one per subsystem, each derived from the seed and the stream's
//! name, so a subsystem's draws never shift another's: adding traffic noise later changes no
//! placement. Decision functions borrow a stream. Draws return `u32`/`u64`, never `usize`.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimRng(Xoshiro256PlusPlus);

/// The subsystems that draw randomness, each from its own stream. The names are part of every
/// trace: renaming one changes the draws of its subsystem. Names for subsystems to come are
/// reserved here so that their streams are fixed before they exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Ties after the placement strategies, scale-in choice, DAEMON placement.
    Placement,
    /// Lifecycle timing (reserved: start and stop times are fixed per revision today).
    Lifecycle,
    /// Whether a launched task will fail to start or fail its health checks.
    Failures,
    /// Deployment ids (`ecs-svc/` + 19 digits).
    Deployments,
    /// Reserved for traffic.
    Traffic,
    /// Reserved for DNS clients.
    DnsClients,
}

impl Stream {
    pub const ALL: [Stream; 6] = [
        Stream::Placement,
        Stream::Lifecycle,
        Stream::Failures,
        Stream::Deployments,
        Stream::Traffic,
        Stream::DnsClients,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stream::Placement => "placement",
            Stream::Lifecycle => "lifecycle",
            Stream::Failures => "failures",
            Stream::Deployments => "deployments",
            Stream::Traffic => "traffic",
            Stream::DnsClients => "dns-clients",
        }
    }
}

/// The world's streams in use, each `SimRng::stream(seed, …)`. A subsystem that starts drawing
/// adds its member here, from its reserved `Stream`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Streams {
    pub placement: SimRng,
    pub failures: SimRng,
    pub deployments: SimRng,
}

impl Streams {
    pub fn new(seed: u64) -> Streams {
        Streams {
            placement: SimRng::stream(seed, Stream::Placement),
            failures: SimRng::stream(seed, Stream::Failures),
            deployments: SimRng::stream(seed, Stream::Deployments),
        }
    }
}

impl SimRng {
    pub fn from_seed(seed: u64) -> SimRng {
        SimRng(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// The stream `stream` of a run seeded `seed`: seeded from the seed mixed with the FNV-1a
    /// hash of the stream's name (xoshiro's seeding then spreads it with SplitMix64).
    pub fn stream(seed: u64, stream: Stream) -> SimRng {
        SimRng::from_seed(seed ^ crate::hash::fnv1a_64(stream.name().as_bytes()))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..bound` (Lemire's multiply-and-reject, unbiased). `bound` must be non-zero.
    pub fn below(&mut self, bound: u32) -> u32 {
        assert!(bound > 0, "SimRng::below needs a non-empty range");
        let bound = u64::from(bound);
        let threshold = (u64::from(u32::MAX) + 1 - bound) % bound;
        loop {
            let product = (self.next_u64() >> 32) * bound;
            if (product & 0xffff_ffff) >= threshold {
                return (product >> 32) as u32;
            }
        }
    }

    /// True with probability `percent`/100 (0..=100).
    pub fn chance_percent(&mut self, percent: u32) -> bool {
        percent > 0 && self.below(100) < percent.min(100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_fixed_for_a_seed() {
        // Pinned values: if these change, every recorded trace changes with them.
        let mut rng = SimRng::from_seed(42);
        let draws: Vec<u32> = (0..6).map(|_| rng.below(1000)).collect();
        let mut again = SimRng::from_seed(42);
        let again: Vec<u32> = (0..6).map(|_| again.below(1000)).collect();
        assert_eq!(draws, again);
        expect_test::expect!["[814, 318, 983, 701, 793, 588]"].assert_eq(&format!("{draws:?}"));
    }

    #[test]
    fn streams_are_fixed_for_a_seed_and_differ_from_each_other() {
        // Pinned values: if these change, every recorded trace changes with them.
        let first_draws: Vec<u32> = Stream::ALL
            .iter()
            .map(|&stream| SimRng::stream(42, stream).below(1000))
            .collect();
        expect_test::expect!["[726, 359, 91, 589, 332, 501]"]
            .assert_eq(&format!("{first_draws:?}"));
        let words: Vec<u64> = Stream::ALL
            .iter()
            .map(|&stream| SimRng::stream(42, stream).next_u64())
            .collect();
        let mut unique = words.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), words.len(), "two streams start alike");
        // Drawing from one stream leaves another where it was.
        let mut streams = Streams::new(42);
        let untouched = streams.placement.clone().next_u64();
        for _ in 0..100 {
            streams.failures.next_u64();
            streams.deployments.next_u64();
        }
        assert_eq!(streams.placement.next_u64(), untouched);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SimRng::from_seed(7);
        for bound in 1..200 {
            assert!(rng.below(bound) < bound);
        }
        assert!(!rng.chance_percent(0));
        assert!(rng.chance_percent(100));
    }
}
