//! The run loops: `step`, `run_until` (whole or in slices), `run_until_idle` and "next
//! decision", plus checkpoints. Every loop pops through one `pop_one`, which moves the clock
//! and hands the wake-up to its subsystem (`handle`), so the loops differ only in when they stop.

use super::*;

impl World {
    /// Processes wake-ups until at least one event is recorded (or the queue is empty, or the
    /// run's budget is used up: `run_bound`) and returns the new events.
    pub fn step(&mut self) -> EventLog<'_> {
        let first = self.history.len();
        for _ in 0..STEP_WAKEUPS_MAX {
            if self.run_bound().is_some() || !self.pop_one() || self.history.len() > first {
                break;
            }
        }
        self.history.events().range(first..)
    }

    /// Processes every wake-up due at or before `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: SimTime) -> RunReport {
        let first = self.history.len();
        let mut wakeups = 0;
        let mut bound = None;
        while self.queue.next_at().is_some_and(|at| at <= until) {
            bound = self.bound_before_wakeup(wakeups);
            if bound.is_some() {
                break;
            }
            self.pop_one();
            wakeups += 1;
        }
        if bound.is_none() {
            self.now = self.now.max(until);
        }
        RunReport {
            wakeups,
            events: (self.history.len() - first) as u64,
            bound,
        }
    }

    /// `run_until` in slices, for callers that must stay responsive (the web app's jumps): pops
    /// the wake-ups due at or before `until` like `run_until`, but pauses once `slice_wakeups`
    /// were popped and the next one is later than the clock, so a paused world is exactly what
    /// `run_until(self.now())` would leave (a moment a run can be checkpointed at or resumed
    /// from). Calling it again continues; the slices together pop exactly what one
    /// `run_until(until)` pops, and `RUN_WAKEUPS_MAX` counts across them through `popped_before`
    /// (the wake-ups the earlier slices of this run popped).
    pub fn run_until_sliced(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
    ) -> SliceReport {
        self.run_slice(until, slice_wakeups, popped_before, true)
    }

    /// As `run_until_sliced`, but pauses after `slice_wakeups` even inside a moment (one moment
    /// can be 10,000 task launches). A world paused there is only good for continuing — with
    /// either method, here or from its snapshot — not for a checkpoint of the run.
    pub fn run_until_partly(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
    ) -> SliceReport {
        self.run_slice(until, slice_wakeups, popped_before, false)
    }

    /// True when no wake-up is due at the clock: the world is between two moments, exactly what
    /// `run_until(self.now())` leaves, so it can be kept as a checkpoint (a world that
    /// `run_until_partly` paused inside a moment cannot).
    pub fn is_between_moments(&self) -> bool {
        self.queue.next_at().is_none_or(|at| at > self.now)
    }

    /// Runs until nothing is left to happen, or until the wake-up bound is hit. A world with
    /// traffic always has something left to happen (its tick comes every second for as long as
    /// the world runs, past the horizon too), so for it this ends only at the bound: batch runs
    /// stop at the scenario's horizon (`run_until`) instead, and only worlds without periodic
    /// work go idle.
    pub fn run_until_idle(&mut self) -> RunReport {
        let mut total = RunReport {
            wakeups: 0,
            events: 0,
            bound: None,
        };
        // Handling wake-ups schedules later ones, so run to the latest queued one until none is left.
        while let Some(last) = self.queue.last_at() {
            let report = self.run_until(last);
            total.wakeups += report.wakeups;
            total.events += report.events;
            if report.bound.is_some() || total.wakeups >= RUN_WAKEUPS_MAX {
                total.bound = report.bound.or(Some(RunBound::WakeupsPerCall));
                break;
            }
        }
        total
    }

    /// Processes wake-ups until one records a decision (`EventKind::is_decision`), nothing is
    /// left, the next wake-up lies beyond `DECISION_HORIZON_MS` (the clock then moves to that
    /// horizon), `DECISION_WAKEUPS_MAX` went by, or the run's budget is used up. Otherwise the clock ends at the last wake-up
    /// processed, like `step`: it pops wake-ups in order and draws no randomness of its own,
    /// so it replays exactly.
    pub fn step_to_next_decision(&mut self) -> DecisionReport {
        let first = self.history.len();
        let horizon = self.now.plus_ms(DECISION_HORIZON_MS);
        let mut wakeups = 0;
        let stop = loop {
            if wakeups == DECISION_WAKEUPS_MAX {
                break DecisionStop::Bounded;
            }
            if let Some(bound) = self.run_bound() {
                break DecisionStop::RunBound(bound);
            }
            match self.queue.next_at() {
                None => break DecisionStop::Idle,
                Some(at) if at > horizon => {
                    // The clock moves to the horizon, so asking again looks further ahead.
                    self.now = horizon;
                    break DecisionStop::Horizon;
                }
                Some(_) => {}
            }
            let checked = self.history.len();
            self.pop_one();
            wakeups += 1;
            if self
                .history
                .events()
                .iter_from(checked)
                .any(|e| e.kind.is_decision())
            {
                break DecisionStop::Decision;
            }
        };
        DecisionReport {
            stop,
            wakeups,
            events: (self.history.len() - first) as u64,
        }
    }

    /// The world as it is now; restoring it and replaying gives the identical trace. Cheap:
    /// the history is shared, not copied (`history.rs`).
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint(self.clone())
    }

    /// Back (or forward) to exactly the world `checkpoint` saved, its history included.
    pub fn restore(&mut self, checkpoint: &Checkpoint) {
        *self = checkpoint.0.clone();
    }

    fn run_slice(
        &mut self,
        until: SimTime,
        slice_wakeups: u64,
        popped_before: u64,
        between_moments: bool,
    ) -> SliceReport {
        let first = self.history.len();
        let mut wakeups = 0;
        let report = |world: &World, wakeups, end| SliceReport {
            wakeups,
            events: (world.history.len() - first) as u64,
            end,
        };
        while let Some(at) = self.queue.next_at().filter(|at| *at <= until) {
            if let Some(bound) = self.bound_before_wakeup(popped_before + wakeups) {
                return report(self, wakeups, SliceEnd::Bounded(bound));
            }
            if wakeups >= slice_wakeups && (!between_moments || at > self.now) {
                return report(self, wakeups, SliceEnd::Paused);
            }
            self.pop_one();
            wakeups += 1;
        }
        self.now = self.now.max(until);
        report(self, wakeups, SliceEnd::Reached)
    }

    /// The bound that stops a run before its next wake-up, `popped` wake-ups into the call:
    /// the world's budget first, then the wake-ups one call may pop.
    fn bound_before_wakeup(&self, popped: u64) -> Option<RunBound> {
        self.run_bound()
            .or((popped >= RUN_WAKEUPS_MAX).then_some(RunBound::WakeupsPerCall))
    }

    /// Pops the next wake-up, moves the clock to it and runs it; false when nothing is queued.
    /// The one place a wake-up leaves the queue.
    fn pop_one(&mut self) -> bool {
        let Some(wakeup) = self.queue.pop() else {
            return false;
        };
        self.now = wakeup.at;
        self.handle(wakeup.kind);
        true
    }

    /// Hands a wake-up to the subsystem that scheduled it.
    fn handle(&mut self, kind: WakeupKind) {
        match kind {
            WakeupKind::Reconcile { service } => {
                self.services[service.0 as usize].runtime.reconcile_queued = false;
                self.reconcile(service);
            }
            WakeupKind::Advance { task, from } => {
                if self.tasks[task.0 as usize].state == from {
                    self.advance(task);
                }
            }
            WakeupKind::Health { task, step } => self.health_step(task, step),
            WakeupKind::Throttle { service } => {
                self.services[service.0 as usize].runtime.throttle_wakeup = None;
                self.queue_reconcile(service);
            }
            WakeupKind::BakeEnd {
                service,
                deployment,
            } => self.end_bake(service, deployment),
            WakeupKind::Timeline { action } => self.apply_from_timeline(&action),
            #[cfg(feature = "discovery")]
            WakeupKind::Discovery(step) => self.discovery_step(step),
            #[cfg(feature = "discovery")]
            WakeupKind::TrafficTick => self.traffic_tick(),
        }
    }
}

// The tests run the default built-in, which has load balancers and traffic.
#[cfg(all(test, feature = "discovery"))]
mod tests {
    use super::*;

    fn default_world() -> World {
        let scenario = crate::parse_scenario(crate::builtin::default_scenario().json)
            .expect("the default built-in parses");
        World::new(&scenario).expect("the default built-in builds")
    }

    #[test]
    fn restoring_back_and_then_forward_again_gives_each_moment_exactly() {
        let mut world = default_world();
        world.run_until(SimTime::from_secs(20));
        let early = world.checkpoint();
        let early_trace = world.trace();
        world.run_until(SimTime::from_secs(90));
        let late = world.checkpoint();
        let late_trace = world.trace();
        assert!(late_trace.len() > early_trace.len());

        world.restore(&early);
        assert_eq!(world.trace(), early_trace);
        // A different future after the rewind must not leak into the later checkpoint.
        world
            .apply(&Action::DrainInstance {
                instance: world.instances()[0].ec2_instance_id.clone(),
            })
            .expect("an ACTIVE instance drains");
        world.run_until(SimTime::from_secs(30));
        world.restore(&late);
        assert_eq!(world.trace(), late_trace);
        assert_eq!(world.now(), SimTime::from_secs(90));
        world.restore(&early);
        assert_eq!(world.trace(), early_trace);
        assert_eq!(early.world().events().len(), world.events().len());
    }

    /// Events held by a set of worlds, each shared chunk and tail counted once.
    fn events_owned(worlds: &[&World]) -> usize {
        let mut chunks = std::collections::BTreeSet::new();
        let mut tails = std::collections::BTreeSet::new();
        let mut owned = 0;
        for world in worlds {
            let log = world.history.log();
            for chunk in log.sealed_chunks() {
                if chunks.insert(std::sync::Arc::as_ptr(chunk)) {
                    owned += chunk.len();
                }
            }
            if tails.insert(std::sync::Arc::as_ptr(log.tail())) {
                owned += log.tail().len();
            }
        }
        owned
    }

    /// Steps `world` through the next `ms` of simulated time, checkpointing it each time
    /// another 1,000 events are in.
    fn step_checkpointing(
        world: &mut World,
        ms: u64,
        checkpoints: &mut Vec<Checkpoint>,
        next: &mut usize,
    ) {
        let until = world.now().plus_ms(ms);
        while world.next_wakeup_at().is_some_and(|at| at <= until) {
            world.step();
            if world.events().len() >= *next {
                checkpoints.push(world.checkpoint());
                *next += 1_000;
            }
        }
    }

    /// Issue 10: checkpoints share the history. A long run checkpointed every 1,000 events
    /// holds each event once plus at most one unsealed chunk per checkpoint; a log copied
    /// whole on the first write after each checkpoint held the sum of every checkpoint's log.
    /// The default built-in has traffic, so its queue never empties (the tick comes every
    /// second): each drain and each activate gets two minutes of simulated time, long enough
    /// for the drained tasks' replacements to pass their target health checks and the drained
    /// ones to finish their deregistration delay.
    #[test]
    fn checkpoints_every_thousand_events_share_the_history() {
        const HALF_ROUND_MS: u64 = 2 * 60_000;
        let mut world = default_world();
        let mut checkpoints = Vec::new();
        let mut next = 1_000;
        let mut rounds = 0;
        while world.events().len() < 40_000 && rounds < 3_000 {
            // Keep the run busy: a drain and an activate each reschedule the service's tasks.
            let instance = world.instances()[rounds % world.instances().len()]
                .ec2_instance_id
                .clone();
            let _ = world.apply(&Action::DrainInstance {
                instance: instance.clone(),
            });
            step_checkpointing(&mut world, HALF_ROUND_MS, &mut checkpoints, &mut next);
            let _ = world.apply(&Action::ActivateInstance { instance });
            step_checkpointing(&mut world, HALF_ROUND_MS, &mut checkpoints, &mut next);
            rounds += 1;
        }
        let events = world.events().len();
        let mut held: Vec<&World> = checkpoints.iter().map(|c| c.world()).collect();
        held.push(&world);
        let owned = events_owned(&held);
        let copied_whole: usize = held.iter().map(|w| w.events().len()).sum();
        assert!(checkpoints.len() >= 20, "the run is long enough to measure");
        // Measured: 40,002 events (906 rounds, 60 hours of simulated time) and 40 checkpoints
        // hold 122,746 events, against 860,026.
        let figures = format!(
            "{events} events, {} checkpoints: {owned} held (copied whole: {copied_whole})",
            checkpoints.len()
        );
        assert!(
            owned <= events + checkpoints.len() * crate::append_log::CHUNK_LEN,
            "{figures}"
        );
        assert!(owned * 4 < copied_whole, "{figures}");
    }

    /// The events of `world` up to `until`.
    fn events_until(world: &World, until: SimTime) -> Vec<Event> {
        world
            .events()
            .iter()
            .take_while(|event| event.at <= until)
            .cloned()
            .collect()
    }

    /// Every run loop pops the same wake-ups in the same order. The default built-in has
    /// traffic, whose tick comes every second for as long as the world runs (the app and
    /// `run --until` go past the horizon), so its queue never empties and "until idle" never
    /// comes: each loop runs to the horizon, as batch runs do, and the events up to it agree.
    /// Stepping and "next decision" stop after a wake-up, so they may go a little past it.
    #[test]
    fn every_run_loop_pops_in_the_same_order() {
        let scenario = crate::parse_scenario(crate::builtin::default_scenario().json)
            .expect("the default built-in parses");
        assert!(
            scenario.traffic.is_some(),
            "the default built-in has traffic"
        );
        let horizon = scenario.horizon();
        let mut ran = default_world();
        assert_eq!(ran.run_until(horizon).bound, None);
        assert!(
            ran.next_wakeup_at().is_some(),
            "a world with traffic is never idle"
        );
        let expected = events_until(&ran, horizon);
        assert_eq!(expected.len(), ran.events().len());

        let mut stepped = default_world();
        while stepped.next_wakeup_at().is_some_and(|at| at <= horizon) {
            stepped.step();
        }
        let mut decided = default_world();
        while decided.next_wakeup_at().is_some_and(|at| at <= horizon) {
            decided.step_to_next_decision();
        }
        let mut sliced = default_world();
        let mut popped = 0;
        let end = loop {
            let report = sliced.run_until_sliced(horizon, 97, popped);
            popped += report.wakeups;
            if report.end != SliceEnd::Paused {
                break report.end;
            }
        };
        assert_eq!(end, SliceEnd::Reached);
        for (name, world) in [
            ("step", &stepped),
            ("next decision", &decided),
            ("sliced", &sliced),
        ] {
            assert!(world.now() >= horizon, "{name} stopped at {}", world.now());
            assert!(events_until(world, horizon) == expected, "{name}");
        }
    }

    /// Without traffic nothing in a world is periodic (target health is one wake-up per change
    /// of state, `discovery.rs`), so the same load-balanced services settle and the world goes
    /// idle before the horizon; every loop, `run_until_idle` included, ends there with the
    /// same trace.
    #[test]
    fn load_balanced_services_without_traffic_go_idle_alike_in_every_loop() {
        let mut scenario = crate::parse_scenario(crate::builtin::default_scenario().json)
            .expect("the default built-in parses");
        assert!(!scenario.target_groups.is_empty(), "load-balanced services");
        scenario.traffic = None;
        let world = || World::new(&scenario).expect("builds without traffic");
        let mut idle = world();
        assert_eq!(idle.run_until_idle().bound, None);
        assert_eq!(idle.next_wakeup_at(), None);
        assert!(idle.now() <= scenario.horizon(), "idle at {}", idle.now());
        let mut stepped = world();
        for _ in 0..100_000 {
            if stepped.step().is_empty() {
                break;
            }
        }
        let mut decided = world();
        for _ in 0..100_000 {
            if decided.step_to_next_decision().stop == DecisionStop::Idle {
                break;
            }
        }
        assert_eq!(stepped.trace(), idle.trace());
        assert_eq!(decided.trace(), idle.trace());
        assert!(
            idle.trace()
                .contains("counts as healthy: its load balancer targets are healthy"),
            "the services are load-balanced"
        );
    }
}
