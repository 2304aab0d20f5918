//! The session: a run as a tape. The scenario plus every input the user gave (step, next
//! decision, run to a time, apply an action), in order, with checkpoints along it. The world is a
//! pure function of the scenario and the tape, so rewinding is "restore the nearest earlier
//! checkpoint and replay the tape up to the moment" — exact, not an approximation. Seeking back
//! keeps the tape ahead of the cursor (scrubbing forward again redoes it); the next input given at
//! an earlier moment cuts that future off, which is how rewinding before an action undoes it.
//! "Why here?" (`Session::explain_task`) replays a copy with a placement probe on one task. It
//! lives in the core, beside `World`, so the app, the CLI (`flotilla explain --task`) and native
//! property tests share one engine; it holds no browser type and does no I/O.
//!
//! Why consecutive run-to-time inputs can be merged: `World::step`, `step_to_next_decision` and
//! `run_until` all pop wake-ups in `(time, seq)` order and none draws randomness of its own, so
//! after an action the state depends only on how many wake-ups were popped and on the clock.
//! `run_until(b)` after any steps or `run_until(a)` that ended at or before `b` pops exactly what
//! `run_until(b)` alone pops.

use crate::placement::PlacementDecision;
use crate::scenario::TimelineEntry;
use crate::task::TaskId;
use crate::time::{format_duration, parse_duration};
use crate::world::RunReport;
use crate::{
    Action, ActionError, Checkpoint, DecisionReport, RunBound, Scenario, SimTime, SliceEnd, World,
};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Checkpoints kept per run; past this, every other one is dropped (replay stays exact, just
/// longer).
pub const CHECKPOINTS_MAX: usize = 32;
/// ... and past this many bytes of checkpoints (`Checkpoint::bytes_estimate`), too, down to the
/// start and one other: a checkpoint of a world of 10,000 services holds ~60 MB, so 32 of them
/// took a browser tab past 600 MiB. A rewind then replays more, exactly as before.
pub const CHECKPOINT_BYTES_MAX: u64 = 256 << 20;
/// A checkpoint is taken once simulated time has moved this far since the last one.
pub const CHECKPOINT_EVERY_MS: u64 = 20_000;
/// ... or after this many inputs, so a long run of single steps stays cheap to rewind.
pub const CHECKPOINT_EVERY_OPS: usize = 50;
/// A seek that replays inputs and then runs the clock on keeps a checkpoint every this many
/// events on the way (`Session::run_forward_marking`)...
const SEEK_MARK_EVENTS: usize = 8_000;
/// ... doubling the spacing after this many, and keeping at most this many per seek.
const SEEK_MARKS_PER_SPACING: u32 = 4;
const SEEK_MARKS_MAX: u32 = 8;
/// Wake-ups per slice of that run (a moment of a big fleet may hold thousands).
const SEEK_SLICE_WAKEUPS: u64 = 2_000;

/// One input on the tape. Also the saved form (autosave).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Op {
    Step,
    /// "Next decision": `World::step_to_next_decision`.
    NextDecision,
    RunUntil {
        at_ms: u64,
    },
    Apply {
        action: Action,
    },
}

/// An action on the tape, for the timeline strip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TapeAction {
    pub at: SimTime,
    pub action: Action,
    /// After the cursor: undone by a rewind, redone by scrubbing forward past it.
    pub ahead: bool,
}

/// Clone is a branch: the copy shares nothing with the original.
#[derive(Clone)]
pub struct Session {
    pub scenario: Rc<Scenario>,
    world: World,
    tape: Vec<Op>,
    /// `ends[i]`: the clock after `tape[i]`.
    ends: Vec<SimTime>,
    /// Saved states, ascending by (inputs applied, time); always holds the start.
    marks: Vec<Mark>,
    /// Inputs of the tape the world reflects.
    cursor: usize,
    /// After a seek between two inputs: the clock the world was run to beyond `tape[cursor-1]`.
    extra: Option<SimTime>,
    /// `CHECKPOINT_BYTES_MAX` unless a test asks for less.
    checkpoint_bytes_max: u64,
}

impl Session {
    /// A fresh run at time zero. Errors are the core's validation messages, one per line.
    pub fn new(scenario: Scenario) -> Result<Session, String> {
        let world = World::new(&scenario).map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        Ok(Session {
            scenario: Rc::new(scenario),
            marks: vec![Mark {
                index: 0,
                extra: false,
                checkpoint: world.checkpoint(),
            }],
            world,
            tape: Vec::new(),
            ends: Vec::new(),
            cursor: 0,
            extra: None,
            checkpoint_bytes_max: CHECKPOINT_BYTES_MAX,
        })
    }

    /// The session with another bound on its checkpoints' bytes (tests: the thinning without
    /// a world of 10,000 services).
    pub fn with_checkpoint_bytes_max(mut self, bytes: u64) -> Session {
        self.checkpoint_bytes_max = bytes;
        self
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// The inputs up to the cursor, to save and replay later.
    pub fn tape_to_cursor(&self) -> Vec<Op> {
        let mut ops = self.tape[..self.cursor].to_vec();
        if let Some(at) = self.extra {
            ops.push(Op::RunUntil { at_ms: at.as_ms() });
        }
        ops
    }

    /// The latest moment the scrubber can reach: the end of the tape or the clock, if later.
    pub fn head(&self) -> SimTime {
        self.ends
            .last()
            .copied()
            .unwrap_or(SimTime::ZERO)
            .max(self.world.now())
    }

    /// The working scenario with the user's actions up to the cursor added to its timeline at
    /// the times they were applied, so a saved or shared file carries what the user did.
    /// (A timeline action applies when its moment begins, a user's after the moment's other
    /// wake-ups: at one instant the order may differ, never the time.)
    pub fn scenario_with_actions(&self) -> Scenario {
        let mut scenario = (*self.scenario).clone();
        let added: Vec<TimelineEntry> = self
            .actions()
            .into_iter()
            .filter(|a| !a.ahead)
            .map(|a| TimelineEntry {
                at: format_duration(a.at.as_ms()),
                action: a.action,
            })
            .collect();
        if added.is_empty() {
            return scenario;
        }
        scenario.timeline.extend(added);
        // Stable: entries at one time keep their order, the scenario's own first.
        crate::compact::sort_by_key(&mut scenario.timeline, |entry| {
            parse_duration(&entry.at).unwrap_or(u64::MAX)
        });
        scenario
    }

    /// Every action on the tape with the time it was applied.
    pub fn actions(&self) -> Vec<TapeAction> {
        self.tape
            .iter()
            .zip(&self.ends)
            .enumerate()
            .filter_map(|(index, (op, at))| match op {
                Op::Apply { action } => Some(TapeAction {
                    at: *at,
                    action: action.clone(),
                    ahead: index >= self.cursor,
                }),
                _ => None,
            })
            .collect()
    }

    /// Replays one saved input as if the user gave it now.
    pub fn exec(&mut self, op: &Op) -> Result<(), ActionError> {
        match op {
            Op::Step => self.step(),
            Op::NextDecision => {
                self.step_to_next_decision();
            }
            Op::RunUntil { at_ms } => {
                self.run_until(SimTime(*at_ms));
            }
            Op::Apply { action } => self.apply(action.clone())?,
        }
        Ok(())
    }

    pub fn step(&mut self) {
        self.cut_future();
        self.world.step();
        self.push(Op::Step);
    }

    /// Steps until the scheduler or placement engine decides something (bounded; the report
    /// says why it stopped). One input on the tape, so one step back undoes it.
    pub fn step_to_next_decision(&mut self) -> DecisionReport {
        self.cut_future();
        let report = self.world.step_to_next_decision();
        self.push(Op::NextDecision);
        report
    }

    /// Runs the clock forward to `at` (no-op when `at` is not later than now). `bound` in the
    /// report: the run stopped before `at` ("run bound hit").
    pub fn run_until(&mut self, at: SimTime) -> RunReport {
        if at <= self.world.now() {
            return RunReport {
                wakeups: 0,
                events: 0,
                bound: None,
            };
        }
        self.cut_future();
        let report = self.world.run_until(at);
        // Merge with the run-to-time inputs since the last checkpoint (see the module doc).
        let pinned = self.marks.last().map_or(0, |m| m.index);
        while self.tape.len() > pinned
            && matches!(
                self.tape.last(),
                Some(Op::Step | Op::NextDecision | Op::RunUntil { .. })
            )
        {
            self.tape.pop();
            self.ends.pop();
        }
        self.push(Op::RunUntil { at_ms: at.as_ms() });
        report
    }

    /// This session with a smaller run budget than the real one, its saved states included
    /// (tests of what happens at the bound; `World::with_run_budget`).
    #[doc(hidden)]
    pub fn with_run_budget(mut self, budget: crate::world::RunBudget) -> Session {
        self.world = self.world.with_run_budget(budget);
        for mark in &mut self.marks {
            let checkpoint = std::mem::replace(&mut mark.checkpoint, self.world.checkpoint());
            mark.checkpoint = checkpoint.with_run_budget(budget);
        }
        self
    }

    /// The part of the run budget the world has used up, if any (`World::run_bound`): nothing
    /// moves the run on until the user goes back to an earlier moment or changes the scenario.
    pub fn run_bound(&self) -> Option<RunBound> {
        self.world.run_bound()
    }

    /// Applies a user action now; on error nothing changed, the future included.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        self.world.apply(&action)?;
        self.cut_future();
        self.push(Op::Apply { action });
        self.take_checkpoint();
        Ok(())
    }

    /// Moves to the moment `at`: back by restoring a checkpoint and replaying, forward along the
    /// tape (redo) or past its end (running the clock). The tape itself is not changed. The
    /// moment reached is remembered as a checkpoint, so scrubbing back and forth stays cheap.
    pub fn seek(&mut self, at: SimTime) {
        let target = self.ends.partition_point(|end| *end <= at);
        if self.goto(target, Some(at)) {
            self.take_checkpoint();
        }
    }

    /// When `seek(at)` would only run the clock forward from one saved state — the world as it
    /// is or a checkpoint — with no input of the tape to replay: that state's world, to run to
    /// `at` elsewhere (in slices, as the app's long jumps do) and hand back with `finish_seek`. `None` when
    /// the seek replays inputs or goes nowhere; `seek` does those.
    pub fn seek_start(&self, at: SimTime) -> Option<World> {
        let target = self.ends.partition_point(|end| *end <= at);
        // As `goto`: a state at the target input that was run no further than `at`.
        let usable =
            |index: usize, extra: bool, time: SimTime| index == target && (!extra || time <= at);
        let now = self.world.now();
        let here = usable(self.cursor, self.extra.is_some(), now).then_some(now);
        let mark = self
            .marks
            .iter()
            .filter(|m| usable(m.index, m.extra, m.checkpoint.at()))
            .max_by_key(|m| m.checkpoint.at());
        let start = match (here, mark) {
            (Some(here), Some(mark)) if here >= mark.checkpoint.at() => &self.world,
            (Some(_), None) => &self.world,
            (_, Some(mark)) => mark.checkpoint.world(),
            (None, None) => return None,
        };
        (start.now() < at).then(|| start.clone())
    }

    /// Ends a seek started with `seek_start(at)`: `world` is its start run to `at` (or to where
    /// a run bound stopped it), so the run is exactly where `seek(at)` would have left it,
    /// checkpoint included.
    pub fn finish_seek(&mut self, world: World, at: SimTime) {
        self.cursor = self.ends.partition_point(|end| *end <= at);
        // `world.now()` is `at` unless a run bound stopped it short; replaying a run to where
        // the bound stopped it stops at the same wake-up (the bound is a state property).
        self.extra = Some(world.now());
        self.world = world;
        self.take_checkpoint();
    }

    /// Keeps a world that a forward seek (`seek_start`) passed on its way, between two moments,
    /// as a checkpoint: it is exactly what seeking to its clock leaves (the seek started from
    /// the state after the same inputs, and running to `b` after `a <= b` pops what running to
    /// `b` pops). The caller drops waypoints of a seek the tape changed under (a cancelled jump).
    pub fn add_waypoint(&mut self, world: World) {
        let index = self.ends.partition_point(|end| *end <= world.now());
        let mark = Mark {
            index,
            extra: true,
            checkpoint: world.checkpoint(),
        };
        self.insert_mark(mark);
    }

    /// Back to the very start, before every input (actions given at 0:00 included); the tape
    /// stays ahead of the cursor, so scrubbing forward redoes it.
    pub fn rewind_to_start(&mut self) {
        self.goto(0, None);
    }

    /// Back one step: undoes the last Step or Next decision input exactly, or else goes back
    /// to the previous moment something happened.
    pub fn step_back(&mut self) {
        if self.extra.is_none()
            && self.cursor > 0
            && matches!(self.tape[self.cursor - 1], Op::Step | Op::NextDecision)
        {
            self.goto(self.cursor - 1, None);
            return;
        }
        let now = self.world.now();
        let before = self
            .world
            .events()
            .iter()
            .rev()
            .map(|event| event.at)
            .find(|at| *at < now)
            .unwrap_or(SimTime::ZERO);
        self.seek(before);
    }

    /// Why `task` was placed where it is: a copy of the world from the latest checkpoint before
    /// the task existed replays the tape with a probe on it until it is placed (bounded by the
    /// tape up to the cursor). `None` for a task not launched by then, or not placed by the
    /// placement engine (a DAEMON task).
    pub fn explain_task(&self, task: TaskId) -> Option<PlacementDecision> {
        let mark = self
            .marks
            .iter()
            .filter(|m| {
                !m.extra
                    && m.index <= self.cursor
                    && m.checkpoint.tasks_launched() <= task.0 as usize
            })
            .max_by_key(|m| m.index)?;
        let mut world = mark.checkpoint.world().clone();
        world.probe_placement_of(task);
        let probed = |world: &World| world.probed_placement().is_some();
        for op in &self.tape[mark.index..self.cursor] {
            replay_op(&mut world, op, run_until_probed);
            if probed(&world) {
                break;
            }
        }
        if let Some(at) = self.extra.filter(|_| !probed(&world)) {
            run_until_probed(&mut world, at);
        }
        world.probed_placement().cloned()
    }

    // ---- helpers ---------------------------------------------------------------------------

    /// Puts the world at `target` inputs of the tape, then (with `at`) runs the clock to `at`.
    /// Starts from the latest usable state: the world as it is, or a checkpoint. Returns
    /// whether anything was replayed or run.
    fn goto(&mut self, target: usize, at: Option<SimTime>) -> bool {
        // A state is usable if the tape up to `target` can be replayed from it: an exact input
        // boundary before the target, or one at the target that was run no further than `at`.
        let usable = |index: usize, extra: bool, time: SimTime| {
            (index < target && !extra)
                || (index == target && (!extra || at.is_some_and(|at| time <= at)))
        };
        let now = self.world.now();
        let here = usable(self.cursor, self.extra.is_some(), now).then_some((self.cursor, now));
        let best = self
            .marks
            .iter()
            .filter(|m| usable(m.index, m.extra, m.checkpoint.at()))
            .max_by_key(|m| (m.index, m.checkpoint.at()));
        match (here, best) {
            (Some(here), Some(mark)) if here >= (mark.index, mark.checkpoint.at()) => {}
            (Some(_), None) => {}
            (_, Some(mark)) => {
                self.world.restore(&mark.checkpoint);
                self.cursor = mark.index;
                self.extra = mark.extra.then(|| mark.checkpoint.at());
            }
            (None, None) => return false, // the start is always marked; unreachable in practice
        }
        let (cursor_before, now_before) = (self.cursor, self.world.now());
        while self.cursor < target {
            replay_op(&mut self.world, &self.tape[self.cursor], |world, at| {
                world.run_until(at);
            });
            self.cursor += 1;
        }
        if at.is_none() {
            self.extra = None;
        }
        if let Some(at) = at.filter(|at| *at > self.world.now()) {
            self.run_forward_marking(at);
            // `at`, or where a run bound stopped the world (see `finish_seek`).
            self.extra = Some(self.world.now());
        }
        (self.cursor, self.world.now()) != (cursor_before, now_before)
    }

    /// `world.run_until(at)` after the inputs were replayed, in slices, keeping the world at a
    /// slice's end as a checkpoint every `SEEK_MARK_EVENTS` events (the spacing doubling after
    /// every `SEEK_MARKS_PER_SPACING`, at most `SEEK_MARKS_MAX` a seek): a later rewind to a
    /// never-visited moment of a busy stretch then replays a few thousand events from the
    /// nearest one, not the whole stretch from the last input (measured: 290 ms -> under 60 ms at
    /// 1,000 instances / 10,000 tasks). Each is exactly what seeking to its clock leaves, as a
    /// long jump's waypoint is (`add_waypoint`): the slices together pop what one `run_until` pops.
    fn run_forward_marking(&mut self, at: SimTime) {
        let (mut popped, mut marks, mut spacing) = (0, 0, SEEK_MARK_EVENTS);
        let mut events_at_mark = self.world.events().len();
        loop {
            let report = self.world.run_until_sliced(at, SEEK_SLICE_WAKEUPS, popped);
            popped += report.wakeups;
            if report.end != SliceEnd::Paused {
                return;
            }
            let events = self.world.events().len();
            if marks < SEEK_MARKS_MAX && events - events_at_mark >= spacing {
                events_at_mark = events;
                marks += 1;
                if marks % SEEK_MARKS_PER_SPACING == 0 {
                    spacing *= 2;
                }
                let (index, at) = (self.cursor, self.world.now());
                // Cheap test first, as `take_checkpoint`: a seek over the same stretch again
                // pauses at the same moments.
                if !self
                    .marks
                    .iter()
                    .any(|m| (m.index, m.checkpoint.at(), m.extra) == (index, at, true))
                {
                    self.insert_mark(Mark {
                        index,
                        extra: true,
                        checkpoint: self.world.checkpoint(),
                    });
                }
            }
        }
    }

    /// New input at the cursor: the tape ahead of it is dropped, and a seek between two inputs
    /// becomes an input of its own.
    fn cut_future(&mut self) {
        if self.cursor < self.tape.len() {
            self.tape.truncate(self.cursor);
            self.ends.truncate(self.cursor);
            let cursor = self.cursor;
            self.marks.retain(|m| m.index <= cursor);
        }
        if let Some(at) = self.extra.take() {
            self.tape.push(Op::RunUntil { at_ms: at.as_ms() });
            self.ends.push(at);
            self.cursor = self.tape.len();
        }
    }

    fn push(&mut self, op: Op) {
        self.tape.push(op);
        self.ends.push(self.world.now());
        self.cursor = self.tape.len();
        let due = self.marks.last().is_none_or(|m| {
            self.cursor.saturating_sub(m.index) >= CHECKPOINT_EVERY_OPS
                || self
                    .world
                    .now()
                    .as_ms()
                    .saturating_sub(m.checkpoint.at().as_ms())
                    >= CHECKPOINT_EVERY_MS
        });
        if due {
            self.take_checkpoint();
        }
    }

    /// Saves the world as it is (at an input boundary, or run past one by a seek).
    fn take_checkpoint(&mut self) {
        let (index, extra, at) = (self.cursor, self.extra.is_some(), self.world.now());
        // Cheap test first: a clone of a large world costs milliseconds.
        if self
            .marks
            .iter()
            .any(|m| (m.index, m.checkpoint.at(), m.extra) == (index, at, extra))
        {
            return;
        }
        self.insert_mark(Mark {
            index,
            extra,
            checkpoint: self.world.checkpoint(),
        });
    }

    /// Inserts a mark in order, unless one is already saved for the same moment.
    fn insert_mark(&mut self, mark: Mark) {
        let key = |m: &Mark| (m.index, m.checkpoint.at(), m.extra);
        let wanted = key(&mark);
        let position = self.marks.partition_point(|m| key(m) < wanted);
        if self.marks.get(position).is_some_and(|m| key(m) == wanted) {
            return;
        }
        self.marks.insert(position, mark);
        self.thin_marks();
    }

    /// Past `CHECKPOINTS_MAX` marks or `CHECKPOINT_BYTES_MAX` bytes, keeps the start, the
    /// newest (where Back and rewinds near the clock start from) and every other one before
    /// it, as often as it takes (but never fewer than two marks).
    fn thin_marks(&mut self) {
        let bytes =
            |marks: &[Mark]| -> u64 { marks.iter().map(|m| m.checkpoint.bytes_estimate()).sum() };
        while self.marks.len() > CHECKPOINTS_MAX
            || (self.marks.len() > 2 && bytes(&self.marks) > self.checkpoint_bytes_max)
        {
            let last = self.marks.len() - 1;
            let mut position = 0;
            self.marks.retain(|_| {
                let keep = position == 0 || (last - position).is_multiple_of(2);
                position += 1;
                keep
            });
        }
    }
}

/// Replays one recorded input on `world`; `run_until` runs the clock (whole, or in slices that
/// stop early). An action applied when it was recorded, so replay reaches the identical state
/// and its result is not needed.
fn replay_op(world: &mut World, op: &Op, run_until: impl FnOnce(&mut World, SimTime)) {
    match op {
        Op::Step => {
            world.step();
        }
        Op::NextDecision => {
            world.step_to_next_decision();
        }
        Op::RunUntil { at_ms } => run_until(world, SimTime(*at_ms)),
        Op::Apply { action } => {
            let _ = world.apply(action);
        }
    }
}

/// `world.run_until(at)` in slices of simulated time, stopping after the slice in which the
/// probed task was placed: running to `b` after running to `a <= b` pops exactly what running
/// to `b` pops (module doc), so each slice is exact, and a long jump after the placement is not
/// replayed for nothing.
fn run_until_probed(world: &mut World, at: SimTime) {
    const SLICE_MS: u64 = 1_000;
    while world.probed_placement().is_none() && world.now() < at {
        let Some(next) = world.next_wakeup_at().filter(|next| *next <= at) else {
            world.run_until(at);
            return;
        };
        world.run_until(SimTime(next.as_ms().saturating_add(SLICE_MS)).min(at));
    }
}

/// A saved state: the world after `index` inputs, run further by a seek when `extra`.
#[derive(Clone)]
struct Mark {
    index: usize,
    extra: bool,
    checkpoint: Checkpoint,
}

// The tests run built-ins with load balancers and traffic.
#[cfg(all(test, feature = "discovery"))]
mod tests;
