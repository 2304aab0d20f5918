//! `World::digest`: a short fingerprint of the world's state, to compare two ways of reaching
//! one moment (a long jump in slices against the same moment reached in steps, natively and in
//! wasm) without encoding the world. It reads the clock, the event count, every task's place
//! and state, every instance's remaining resources and the next draw of each named RNG stream
//! (drawn from a clone: the world is not touched). Two worlds whose runs diverged almost surely
//! differ in one of those; a digest is a test's and a data attribute's evidence, not a checksum
//! of every field (`snapshot_fingerprint` is that, where the snapshot is already made).

use super::World;
use crate::hash::fnv1a_64;

impl World {
    pub fn digest(&self) -> u64 {
        let mut bytes: Vec<u8> = Vec::with_capacity(64 + self.tasks.len() * 6);
        let mut put = |word: u64| bytes.extend_from_slice(&word.to_le_bytes());
        put(self.now.as_ms());
        put(self.events().len() as u64);
        for rng in [
            &self.rngs.placement,
            &self.rngs.failures,
            &self.rngs.deployments,
        ] {
            put(rng.clone().next_u64());
        }
        for instance in &self.instances {
            put(u64::from(instance.remaining_cpu_units) << 32
                | u64::from(instance.remaining_memory_mib));
        }
        put(self.tasks.len() as u64);
        for task in &self.tasks {
            bytes.extend_from_slice(&task.instance.0.to_le_bytes());
            bytes.push(task.state as u8);
            bytes.push(u8::from(task.desired_running));
        }
        fnv1a_64(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use crate::{SimTime, World};

    /// A built-in without discovery members, so the tests also run in the core without the
    /// `discovery` feature (the embed's build).
    fn world() -> World {
        let text = crate::builtin::find("rolling-fast").expect("built-in").json;
        let scenario: Scenario = serde_json::from_str(text).expect("scenario");
        World::new(&scenario).expect("world")
    }

    #[test]
    fn equal_runs_have_equal_digests_and_a_step_changes_it() {
        let (mut one, mut two) = (world(), world());
        one.run_until(SimTime::from_secs(90));
        two.run_until(SimTime::from_secs(30));
        two.run_until(SimTime::from_secs(90));
        assert_eq!(one.digest(), two.digest());
        let before = one.digest();
        one.run_until(SimTime::from_secs(120));
        assert_ne!(one.digest(), before);
    }

    #[test]
    fn a_snapshot_round_trip_keeps_the_digest() {
        let mut world = world();
        world.run_until(SimTime::from_secs(90));
        let restored = World::from_snapshot(&world.to_snapshot()).expect("snapshot");
        assert_eq!(restored.digest(), world.digest());
    }
}
