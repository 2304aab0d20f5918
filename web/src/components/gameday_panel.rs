//! The game day panel, above the fleet while a game day is open (in a lesson's place): the
//! briefing, what the learner may change (with the way to the editors), the campaign and how
//! the run is scored; "Run the campaign" plays it against the open scenario
//! (`gameday::play`) and hands its tape to the run (the lesson machinery), so the clock ends at
//! the run's end and the learner can scrub back through it; then the score, each loss a button
//! that moves the clock to its moment and says so where it was clicked, with the way to the
//! services and fleet at that moment ("Open the editors" likewise brings the service editor
//! into view: in a small window both are far below the panel). A policy the game day does not allow gets its problems
//! instead; a score stays shown, marked out of date, once the scenario changes.

use crate::components::lesson_watch::scroll_to_selector;
use crate::intents::Intents;
use crate::state::{Tab, WorldHandle};
use flotilla_core::assertions::clock_text;
use flotilla_core::gameday::{play, GameDay, LossKind, Score};
use flotilla_core::{Scenario, SimTime};
use std::rc::Rc;
use yew::prelude::*;

/// A checked game day, compared by identity (parsed once per opening, `app`).
#[derive(Clone)]
pub struct GameDayRef(pub Rc<GameDay>);

impl PartialEq for GameDayRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct GameDayPanelProps {
    pub gameday: GameDayRef,
    pub world: WorldHandle,
    pub intents: Intents,
    pub on_seek: Callback<SimTime>,
    /// The app's root: what the panel brings into view is looked for inside it.
    pub root: NodeRef,
    /// Opens the list of lessons and game days.
    pub on_list: Callback<()>,
}

/// The last run's result: the score and the scenario it was for, or the policy's problems.
type Outcome = Result<(Rc<Score>, Rc<Scenario>), Vec<String>>;

#[function_component(GameDayPanel)]
pub fn gameday_panel(props: &GameDayPanelProps) -> Html {
    let outcome = use_state(|| None::<Outcome>);
    // The loss whose moment the clock was moved to (its index), told where it was clicked.
    let chosen = use_state(|| None::<usize>);
    let gameday = &props.gameday.0;
    let scenario = props.world.run().scenario.clone();
    let on_run = {
        let (gameday, outcome, chosen) = (gameday.clone(), outcome.clone(), chosen.clone());
        let on_run = props.intents.on_lesson_run.clone();
        Callback::from(move |_: MouseEvent| match play(&gameday, &scenario) {
            Ok(played) => {
                let ran = Rc::new(played.scenario.clone());
                outcome.set(Some(Ok((Rc::new(played.score.clone()), ran))));
                chosen.set(None);
                on_run.emit((None, played.scenario.clone(), played.tape()));
            }
            Err(problems) => outcome.set(Some(Err(problems
                .iter()
                .map(ToString::to_string)
                .collect()))),
        })
    };
    let fleet = &gameday.fleet;
    let scoring = &gameday.scoring;
    let required: Vec<String> = (scoring.required.iter())
        .map(|r| {
            format!(
                "at least {} healthy tasks of {}",
                r.healthy_tasks, r.service
            )
        })
        .collect();
    let prices: Vec<String> = (scoring.points_per_instance_hour.iter())
        .map(|(name, points)| format!("{points} for an {name}"))
        .collect();
    let show_run = {
        let root = props.root.clone();
        Callback::from(move |_: MouseEvent| scroll_to_selector(&root, "section.services"))
    };
    let open_editors = {
        let (root, on_set_tab) = (props.root.clone(), props.intents.on_set_tab.clone());
        Callback::from(move |_: MouseEvent| {
            on_set_tab.emit(Tab::Edit);
            scroll_to_selector(&root, "[data-testid=service-editor]");
        })
    };
    let result = match &*outcome {
        None => html! {},
        Some(Err(problems)) => html! {
            <div class="lesson-check" data-status="broken" role="alert" data-testid="gameday-problems">
                <strong>{ "The game day does not allow this policy:" }</strong>
                <ul>{ for problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
            </div>
        },
        Some(Ok((score, ran))) => {
            let stale = **ran != *props.world.run().scenario;
            let lost: Vec<String> = (LossKind::ALL.iter().zip(score.lost_by_kind()))
                .map(|(kind, points)| format!("{} \u{2212}{points}", kind.as_str()))
                .collect();
            let status = if score.passed() == Some(false) {
                "broken"
            } else {
                "held"
            };
            html! {
                <div class="lesson-check" data-status={status} role="status" data-testid="gameday-score">
                    <strong data-testid="gameday-total">{ format!("Score: {} / {}", score.total, score.out_of) }</strong>
                    { match score.pass_score { Some(pass) => format!(" \u{2014} {} (pass score {pass})", if status == "held" { "passed" } else { "not passed" }), None => String::new() } }
                    { format!(" \u{b7} lost: {}", lost.join(", ")) }
                    if stale { <p data-testid="gameday-stale"><strong>{ "The scenario changed since this run: run the campaign again to score it." }</strong></p> }
                    <p>{ "Each loss below moves the clock to its moment." }</p>
                    <ul class="gameday-losses">{ for score.losses.iter().enumerate().map(|(index, loss)| {
                        let at = loss.from;
                        let (on_seek, choose) = (props.on_seek.clone(), chosen.clone());
                        let onclick = Callback::from(move |_: MouseEvent| {
                            choose.set(Some(index));
                            on_seek.emit(at);
                        });
                        let here = *chosen == Some(index) && props.world.world().now() == at;
                        html! { <li><button data-testid="gameday-loss" data-at={at.as_ms().to_string()} aria-pressed={here.to_string()} {onclick}>
                            <span class="mono">{ loss.when() }</span><strong>{ format!("\u{2212}{}", loss.points) }</strong>
                            <span>{ format!("{}: {}", loss.kind.as_str(), loss.cause) }</span>
                        </button>
                        if here {
                            <p class="hint" data-testid="gameday-at-loss" role="status">{ format!("The clock is at {}, where this loss begins: the services, the fleet and the event log show the run at that moment (Step or Play move it on). ", clock_text(at)) }
                                <button class="small" data-testid="gameday-show-run" onclick={show_run.clone()}>{ "Show the services and fleet" }</button></p>
                        }
                        </li> }
                    }) }</ul>
                </div>
            }
        }
    };
    html! {
        <section class="panel lesson" data-testid="gameday-panel" aria-label="Game day">
            <div class="lesson-head">
                <h2>{ "Game day: " }{ &gameday.title }</h2>
                <button class="small" data-testid="lesson-list" onclick={props.on_list.reform(|_: MouseEvent| ())}>{ "All lessons" }</button>
                <button class="small" data-testid="lesson-leave" onclick={props.intents.on_leave_lesson.reform(|_: MouseEvent| ())}>{ "Leave game day" }</button>
            </div>
            <p class="lesson-instruction">{ &gameday.briefing }</p>
            <p><strong>{ "You may change: " }</strong>
                { if gameday.services.is_empty() { String::new() } else { format!("the deployment settings and placement strategy of {}; ", gameday.services.join(", ")) } }
                { format!("the fleet ({} in {}; at most {} instances). ", fleet.instance_types.join(" or "), fleet.availability_zones.join(", "), fleet.instances_max) }
                <button class="small" data-testid="gameday-edit" onclick={open_editors}>{ "Open the editors" }</button>
            </p>
            <p><strong>{ "The campaign" }</strong>{ format!(" (the run ends at {}):", clock_text(gameday.run_until)) }</p>
            <ol class="gameday-campaign">{ for gameday.campaign.iter().map(|m| html! { <li><span class="mono">{ clock_text(m.at) }</span>{ " " }{ &m.name }</li> }) }</ol>
            <p><strong>{ "Scoring" }</strong>{ format!(" ({} points; from {}, {} must stay up): you lose {} points for each minute a required task is missing, {} for each failed launch (a task that never became healthy, or could not be placed) and, for each hour an instance runs, {}.{}",
                scoring.points, clock_text(scoring.from), required.join(" and "), scoring.points_per_missing_task_minute, scoring.points_per_failed_launch, prices.join(", "),
                scoring.pass_score.map_or(String::new(), |pass| format!(" Pass: {pass}."))) }</p>
            <div class="lesson-actions">
                <button class="primary" data-testid="gameday-run" onclick={on_run}>{ "Run the campaign" }</button>
                if outcome.is_none() { <span class="hint">{ "Run it as it is first, to see what each moment costs; then change the settings and run it again." }</span> }
            </div>
            { result }
        </section>
    }
}
