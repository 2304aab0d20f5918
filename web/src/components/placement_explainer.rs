//! Why a task goes where it goes: each stage of the placement pipeline (resources, constraints,
//! strategies), the instances it removed and why, and the instances still tied at the end.
//! Takes a `PlacementDecision`, so richer explanations (counterfactuals) can slot in here.

use flotilla_core::placement::{PlacementDecision, Rejection};
use yew::prelude::*;

/// Each container instance's label for `PlacementExplainerProps::labels`, by `InstanceId`:
/// `i-0abc… (us-east-1a)`.
pub fn instance_labels(world: &flotilla_core::World) -> Vec<String> {
    world
        .instances()
        .iter()
        .map(flotilla_core::cluster::ContainerInstance::label)
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct PlacementExplainerProps {
    pub decision: PlacementDecision,
    /// Display name of each container instance, indexed by `InstanceId`.
    pub labels: Vec<String>,
    pub title: AttrValue,
    /// A decision already carried out (a task's placement), not a prediction.
    #[prop_or_default]
    pub placed: bool,
}

#[function_component(PlacementExplainer)]
pub fn placement_explainer(props: &PlacementExplainerProps) -> Html {
    let label = |id: flotilla_core::cluster::InstanceId| {
        props
            .labels
            .get(id.0 as usize)
            .cloned()
            .unwrap_or_else(|| format!("instance {}", id.0))
    };
    let explanation = &props.decision.explanation;
    html! {
        <div class="explainer" data-testid="placement-explainer">
            <h3>{ props.title.clone() }</h3>
            <p data-testid="placement-outcome" class={classes!("outcome", props.decision.chosen.is_none().then_some("failed"))}>
                { match props.decision.chosen {
                    Some(id) if props.placed => format!("Placed on {}{}", label(id), drawn(explanation.tied.len())),
                    Some(id) => format!("Would place on {}{}", label(id), drawn(explanation.tied.len())),
                    None => match props.decision.closest_match() {
                        Some((id, why)) => format!("Cannot place: the closest match {} — {}", label(id), why.describe()),
                        None => "Cannot place: no container instance is registered.".to_string(),
                    },
                } }
            </p>
            <ol class="stages">
                <li class="stage"><span class="stage-name">{ "Candidates" }</span><span class="count">{ explanation.candidates_before }</span></li>
                { for explanation.stages.iter().map(|stage| html! {
                    <li class="stage" data-testid="placement-stage">
                        <span class="stage-name">{ &stage.name }</span>
                        <span class="count" title="candidates left">{ stage.candidates_after }</span>
                        if !stage.removed.is_empty() {
                            <ul class="removed">
                                { for stage.removed.iter().map(|(id, why)| html! {
                                    <li><code>{ label(*id) }</code>{ " — " }{ reason(why) }
                                        if !why.failure_reason().is_empty() {
                                            <span class="badge">{ why.failure_reason() }</span>
                                        }
                                    </li>
                                }) }
                            </ul>
                        }
                    </li>
                }) }
            </ol>
            if explanation.tied.len() > 1 {
                <p class="tied" data-testid="placement-tied">
                    { format!("Tied after the last strategy, picked at random: {}", explanation.tied.iter().map(|id| label(*id)).collect::<Vec<_>>().join(", ")) }
                </p>
            }
        </div>
    }
}

/// After the chosen instance: how it was drawn when strategies left a tie. The draw that would
/// place the next task is made with a copy of the run's random generator, so it is the one the
/// run will make unless something changes first.
fn drawn(tied: usize) -> String {
    if tied > 1 {
        format!(", drawn at random from the {tied} instances tied after the last strategy")
    } else {
        String::new()
    }
}

/// Why an instance was removed, in words; a strategy's ranking says which way it counts.
fn reason(why: &Rejection) -> String {
    match why {
        Rejection::Outranked { score, best } => {
            format!("outranked: score {score}, the best is {best} (lower wins)")
        }
        other => other.describe(),
    }
}
