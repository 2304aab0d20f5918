//! Running a game day headless: the learner's policy checked and applied to the stage
//! (`policy.rs`), a [`Session`] on the result at time zero, then for each campaign moment the
//! clock run to it and its actions applied there as a user's are (`Session::apply`, after the
//! moment's other wake-ups), each target resolved against the world at that moment; then the
//! clock run to the game day's end and the run scored (`score.rs`). Pure and deterministic:
//! the stage's seed and the policy decide everything, so the same policy always gets the same
//! score. The session's tape ([`Played::tape`]) is exactly what the app replays to show the
//! run, so the learner can scrub through the moments the score names.

use super::check::GameDay;
use super::policy::check_policy;
use super::score::{score, Score};
use super::shape::{CampaignAction, Target};
use crate::action::Action;
use crate::cluster::InstanceStatus;
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::session::{Op, Session};
use crate::world::{RunBound, RunBudget, World};

/// A game day played: the scenario that ran, the session at the run's end, what each campaign
/// action did, and the score.
pub struct Played {
    /// The stage with the learner's policy: what ran.
    pub scenario: Scenario,
    pub session: Session,
    /// Per campaign moment, per action: the action as applied (its target resolved), or why
    /// the world refused it.
    pub happened: Vec<Vec<Result<Action, String>>>,
    /// The run stopped at one of its bounds before the end (the score covers the run so far).
    pub bound: Option<RunBound>,
    pub score: Score,
}

impl Played {
    /// The inputs that rebuild this run on a session of [`Played::scenario`].
    pub fn tape(&self) -> Vec<Op> {
        self.session.tape_to_cursor()
    }
}

/// Plays the game day against `policy` with the normal run budget; problems when the policy
/// changes something the game day does not allow.
pub fn play(gameday: &GameDay, policy: &Scenario) -> Result<Played, Vec<Problem>> {
    play_with_budget(gameday, policy, RunBudget::default())
}

/// [`play`] with another run budget (the CLI's `FLOTILLA_EVENTS_KEPT_MAX`, tests).
pub fn play_with_budget(
    gameday: &GameDay,
    policy: &Scenario,
    budget: RunBudget,
) -> Result<Played, Vec<Problem>> {
    let scenario = check_policy(gameday, policy)?;
    let mut session = Session::new(scenario.clone())
        .map_err(|message| vec![Problem::new("", message)])?
        .with_run_budget(budget);
    let mut happened = Vec::with_capacity(gameday.campaign.len());
    let mut bound = None;
    for moment in &gameday.campaign {
        bound = session.run_until(moment.at).bound;
        if bound.is_some() {
            break;
        }
        let applied = moment
            .actions
            .iter()
            .map(|action| {
                let resolved = resolve(session.world(), action)?;
                session
                    .apply(resolved.clone())
                    .map(|()| resolved)
                    .map_err(|error| error.to_string())
            })
            .collect();
        happened.push(applied);
    }
    if bound.is_none() {
        bound = session.run_until(gameday.run_until).bound;
    }
    let score = score(gameday, session.world());
    Ok(Played {
        scenario,
        session,
        happened,
        bound,
        score,
    })
}

/// The action with its target, if any, chosen in `world` as it stands: the ACTIVE instance
/// (for a drain; any registered one for a termination) or the zone running the most tasks of
/// the service not told to stop, ties to the first in the fleet's order (an instance or zone
/// with none still counts, so the campaign still hits the fleet).
pub fn resolve(world: &World, action: &CampaignAction) -> Result<Action, String> {
    let Some(Target { most_tasks_of }) = &action.target else {
        return Ok(action.action.clone());
    };
    let drain = matches!(action.action, Action::DrainInstance { .. });
    let usable = |status: InstanceStatus| match drain {
        true => status == InstanceStatus::Active,
        false => status != InstanceStatus::Inactive,
    };
    let service = world.services().iter().find(|s| s.name == *most_tasks_of);
    let mut per_instance = vec![0_u32; world.instances().len()];
    for task in world.tasks() {
        if task.desired_running && service.is_some_and(|s| task.service == Some(s.id)) {
            per_instance[task.instance.0 as usize] += 1;
        }
    }
    let candidates = world.instances().iter().filter(|i| usable(i.status));
    let zone = matches!(action.action, Action::FailAvailabilityZone { .. });
    let chosen = if zone {
        let mut zones: Vec<(&str, u32)> = Vec::new();
        for instance in candidates {
            let count = per_instance[instance.id.0 as usize];
            match zones.iter_mut().find(|z| z.0 == instance.availability_zone) {
                Some(entry) => entry.1 += count,
                None => zones.push((&instance.availability_zone, count)),
            }
        }
        // The first of the most: `max_by_key` keeps the last of equals, so go in reverse.
        zones
            .iter()
            .rev()
            .max_by_key(|z| z.1)
            .map(|z| z.0.to_string())
    } else {
        candidates
            .rev()
            .max_by_key(|i| per_instance[i.id.0 as usize])
            .map(|i| i.ec2_instance_id.clone())
    };
    let Some(chosen) = chosen else {
        return Err(match (zone, drain) {
            (true, _) => "no Availability Zone with registered container instances is left to fail",
            (false, true) => "no ACTIVE container instance is left to drain",
            (false, false) => "no registered container instance is left to terminate",
        }
        .to_string());
    };
    Ok(match &action.action {
        Action::DrainInstance { .. } => Action::DrainInstance { instance: chosen },
        Action::TerminateInstance { .. } => Action::TerminateInstance { instance: chosen },
        _ => Action::FailAvailabilityZone {
            availability_zone: chosen,
        },
    })
}
