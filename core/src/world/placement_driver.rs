//! Placement on the World: the one driver every placement goes through (`Placer::place`: probe,
//! fast path, debug check against the oracle, oracle fallback), the service's placement-failure
//! event, and the read-only placement questions (next placement, counterfactuals, task holds).

use super::*;
use crate::placement_index::Plan;
use crate::service::{PlacementConstraintSpec, PlacementStrategySpec};
use std::sync::Arc;

impl World {
    /// Where the next task of `service` would go now, with the full explanation. Uses a copy of
    /// the RNG so asking never changes the run.
    pub fn explain_next_placement(&self, service: ServiceId) -> PlacementDecision {
        self.with_next_task_request(service, |request| {
            placement::place(&self.instances, request, &mut self.rngs.placement.clone())
        })
    }

    /// Smallest verified changes that would let the next task of `service` be placed; empty
    /// when it can be placed now.
    pub fn counterfactuals_for_service(
        &self,
        service: ServiceId,
    ) -> Vec<crate::counterfactual::Suggestion> {
        self.with_next_task_request(service, |request| {
            crate::counterfactual::suggest(&self.instances, &self.task_holds(), request)
        })
    }

    /// Answers `question` about the placement request of the service's next task (its current
    /// revision, group, constraints, strategies and subnets), for the read-only questions above.
    fn with_next_task_request<R>(
        &self,
        service: ServiceId,
        question: impl FnOnce(&PlacementRequest<'_>) -> R,
    ) -> R {
        let service = &self.services[service.0 as usize];
        let requirements = self.requirements_of(&service.task_definition);
        let group = service.group();
        let subnet_zones = service.definition.subnet_zones();
        question(&PlacementRequest {
            requirements: &requirements,
            group: &group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &subnet_zones,
        })
    }

    /// What each live task holds, for counterfactuals ("stop which tasks").
    pub fn task_holds(&self) -> Vec<crate::counterfactual::TaskHold> {
        self.tasks
            .iter()
            .filter(|t| t.state != TaskState::Stopped)
            .map(Task::hold)
            .collect()
    }

    /// Captures the placement decision of `task` (not launched yet) with the oracle's full
    /// explanation when it is placed, for "why did this task go there": a copy of a world from
    /// before the task is replayed with the probe on. The oracle runs on a copy of the RNG and
    /// decides exactly as the fast path does, so the run is unchanged.
    pub fn probe_placement_of(&mut self, task: TaskId) {
        self.placer.probe = Some((task, None));
    }

    /// The decision captured by [`World::probe_placement_of`], once the task has been placed.
    pub fn probed_placement(&self) -> Option<&PlacementDecision> {
        self.placer.probe.as_ref().and_then(|(_, d)| d.as_ref())
    }

    /// Where the next task of a service goes (`Placer::place`); a failure comes with the
    /// oracle's explanation. `plan` is the round's fast-path plan, made for its first task.
    pub(super) fn place_for_service(
        &mut self,
        id: ServiceId,
        requirements: &crate::taskdef::ResourceRequirements,
        group: &str,
        plan: &mut Option<Plan>,
    ) -> Result<InstanceId, PlacementDecision> {
        let service = &self.services[id.0 as usize];
        let subnet_zones = service.definition.subnet_zones();
        let request = PlacementRequest {
            requirements,
            group,
            constraints: &service.constraints,
            strategies: &service.strategies,
            subnet_zones: &subnet_zones,
        };
        let plan = plan.get_or_insert_with(|| self.placer.index.plan(&self.instances, &request));
        let next_task = TaskId(self.tasks.len() as u32);
        self.placer
            .place(
                &self.instances,
                &mut self.rngs.placement,
                next_task,
                &request,
                Chooser::Engine(Some(plan)),
                &service.name,
            )
            .map(|(instance, _)| instance)
    }

    /// ECS's event for an unplaceable service task (§1.8). ECS suppresses a duplicate service
    /// event "until the cause is resolved or 6 hours pass". Assumption (§1.8 does not define
    /// "resolved"): the cause is resolved when a scheduler round leaves the service missing no
    /// task (or the deployment changes); an event worded differently is a new cause. A
    /// duplicate is logged again only when the service retries 6 hours or more after the last
    /// one was logged; no wake-up is queued just to repeat it.
    pub(super) fn report_placement_failure(&mut self, id: ServiceId, decision: &PlacementDecision) {
        let event = ServiceEvent::UnableToPlace {
            closest: decision
                .closest_match()
                .map(|(instance, why)| Box::new((instance, why.clone()))),
        };
        // Compared as worded: ECS repeats the event only when its text would change (the
        // closest rejection's numbers may change without changing the sentence).
        let line = self.service_event_line(id, &event);
        let now = self.now;
        let runtime = &mut self.services[id.0 as usize].runtime;
        let duplicate = runtime.last_placement_failure.as_deref() == Some(line.as_str())
            && runtime
                .last_placement_failure_at
                .is_some_and(|at| now < at.plus_ms(DUPLICATE_SERVICE_EVENT_MS));
        if !duplicate {
            runtime.last_placement_failure = Some(line);
            runtime.last_placement_failure_at = Some(now);
            self.record_service_event(id, event);
        }
    }
}

/// The world's placement sub-state: the fast path's indexes (kept current by `lifecycle.rs` on
/// every reserve, release and status change) and the probe of one task's decision ("why here?",
/// the one way a decision is explained after the fact: `session::Session::explain_task`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(super) struct Placer {
    pub(super) index: PlacementIndex,
    /// The one task whose placement decision to capture with its full explanation, and the
    /// decision once it is made ([`World::probe_placement_of`]).
    /// Transient (only scratch copies of a run carry a probe), so not in snapshots.
    #[serde(skip)]
    pub(super) probe: Option<(TaskId, Option<PlacementDecision>)>,
    /// The last RunTask call's placement as given and as parsed: calls that give the same (a
    /// timeline of them) parse it once and share the parsed lists. Derived from what was
    /// given, so not in snapshots.
    #[serde(skip)]
    last_run_task_placement: Option<(GivenPlacement, SharedPlacement)>,
}

/// A parsed RunTask placement, shared by the calls that give the same one (and by their batch
/// records): its constraints, and its strategies with RunTask's default (`random`) when none
/// was given.
pub(super) type SharedPlacement = (Arc<[Constraint]>, Arc<[Strategy]>);

/// Who chooses a task's container instance.
#[derive(Clone, Copy, Debug)]
pub(super) enum Chooser<'a> {
    /// The placement engine, with the request's fast-path plan when the caller made one for
    /// the several tasks it places with the same request (`None`: made for this task).
    Engine(Option<&'a Plan>),
    /// The container instance StartTask names.
    Named(InstanceId),
}

/// A RunTask call's placement as given: its constraints and strategies, and how many
/// constraints its task definition adds (they count toward the limit).
type GivenPlacement = (
    Vec<PlacementConstraintSpec>,
    Vec<PlacementStrategySpec>,
    usize,
);

impl Placer {
    /// `action::parse_placement` of a RunTask call with RunTask's default strategies when it
    /// gives none, the last call's result when it was given the same placement.
    pub(super) fn parse_run_task_placement(
        &mut self,
        constraints: &[PlacementConstraintSpec],
        strategies: &[PlacementStrategySpec],
        definition_constraints: usize,
    ) -> Result<SharedPlacement, Vec<(String, String)>> {
        if let Some(((given_constraints, given_strategies, given_definition), parsed)) =
            &self.last_run_task_placement
        {
            if given_constraints == constraints
                && given_strategies == strategies
                && *given_definition == definition_constraints
            {
                return Ok(parsed.clone());
            }
        }
        let (parsed_constraints, mut parsed_strategies) =
            action::parse_placement(constraints, strategies, definition_constraints)?;
        if parsed_strategies.is_empty() {
            parsed_strategies = Strategy::run_task_default();
        }
        let parsed: SharedPlacement = (parsed_constraints.into(), parsed_strategies.into());
        let given = (
            constraints.to_vec(),
            strategies.to_vec(),
            definition_constraints,
        );
        self.last_run_task_placement = Some((given, parsed.clone()));
        Ok(parsed)
    }

    /// The one placement driver, for service tasks and RunTask/StartTask alike. In order:
    /// record the probe's decision when it is on `next_task` (on a copy of the RNG); place with
    /// the fast path when the request has a supported shape and no instance is named (debug builds first check its tied set against the oracle's);
    /// otherwise with the oracle — `placement::place`, or `place_on` the instance named by
    /// StartTask. Both draw from `rng` identically, so the trace never depends on which ran.
    /// Returns the chosen instance with the oracle's decision when the oracle decided, or the
    /// oracle's decision when nothing fits.
    pub(super) fn place(
        &mut self,
        instances: &[ContainerInstance],
        rng: &mut SimRng,
        next_task: TaskId,
        request: &PlacementRequest<'_>,
        chooser: Chooser<'_>,
        what: &str,
    ) -> Result<(InstanceId, Option<PlacementDecision>), PlacementDecision> {
        let on = match chooser {
            Chooser::Engine(_) => None,
            Chooser::Named(instance) => Some(instance),
        };
        self.capture_probe(next_task, instances, rng, request, on);
        if let Chooser::Engine(plan) = chooser {
            #[cfg(debug_assertions)]
            self.check_fast_path(instances, request, what);
            #[cfg(not(debug_assertions))]
            let _ = what;
            let plan = match plan {
                Some(plan) => *plan,
                None => self.index.plan(instances, request),
            };
            if let Some(Some(chosen)) = self.index.place_planned(instances, request, &plan, rng) {
                return Ok((chosen, None));
            }
        }
        let decision = match on {
            None => placement::place(instances, request, rng),
            Some(instance) => placement::place_on(instances, instance, request, rng),
        };
        match decision.chosen {
            Some(chosen) => Ok((chosen, Some(decision))),
            None => Err(decision),
        }
    }

    /// With a probe on `next` (the next task to launch), records the oracle's decision for
    /// `request` (on one named instance for StartTask), drawing from a copy of the RNG.
    fn capture_probe(
        &mut self,
        next: TaskId,
        instances: &[ContainerInstance],
        rng: &SimRng,
        request: &PlacementRequest<'_>,
        on: Option<InstanceId>,
    ) {
        let Some((task, decision @ None)) = &mut self.probe else {
            return;
        };
        if *task != next {
            return;
        }
        let mut rng = rng.clone();
        let made = match on {
            None => placement::place(instances, request, &mut rng),
            Some(instance) => placement::place_on(instances, instance, request, &mut rng),
        };
        // A failed placement launches nothing, so `next` goes to a later, successful one.
        if made.chosen.is_some() {
            *decision = Some(made);
        }
    }

    /// Debug builds: the fast path's tied set must be the oracle's, element for element, or
    /// the two paths would draw differently and traces would depend on which one ran.
    #[cfg(debug_assertions)]
    fn check_fast_path(
        &mut self,
        instances: &[ContainerInstance],
        request: &PlacementRequest<'_>,
        what: &str,
    ) {
        if let Some(tied) = self.index.tied(instances, request) {
            let oracle = placement::place(instances, request, &mut SimRng::from_seed(0));
            assert_eq!(
                tied, oracle.explanation.tied,
                "the fast path's tied set differs from the oracle's for {what}"
            );
        }
    }
}
