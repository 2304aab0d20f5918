//! The lesson panel, above the fleet while a lesson is open: the lesson's title, step N of M,
//! the step's instruction and what to watch (outlined on screen, `lesson_watch`), the check's
//! verdict on the learner's own run ("not yet" until the clock reaches the step's end, then held
//! or broken with the evidence, judged at the step's end: `flotilla_app::lessons::StepJudge`),
//! the hint after a broken check, the explanation and its references after a held one, Back /
//! Next, "Restart step" (the run rebuilt from `lessons::tape_to_step`, undoable like an edit)
//! and "Show me" (the step's actions applied as the user's own, then the run to the step's end),
//! and "Link to this step" (an instructor link, `lesson_link`, copied with a notice that shows
//! it). Progress is kept per lesson in browser storage, and follows the run: a step is done only
//! while its check holds on the run as it stands (`flotilla_app::lessons::follow_progress`), so
//! a step broken later (rewound and changed) loses its mark.

use crate::components::lesson_watch::{self, Reach};
use crate::components::toolbar::offer_link;
use crate::instance::use_instance;
use crate::intents::Intents;
use crate::persist::{self, LessonProgress};
use crate::share;
use crate::state::WorldHandle;
use flotilla_app::lesson_link::{lesson_link_fragment, lesson_link_run};
use flotilla_app::lessons::{follow_progress, StepJudge};
use flotilla_core::assertions::clock_text;
use flotilla_core::lessons::{tape_to_step, Lesson, StepStatus};
use std::rc::Rc;
use yew::prelude::*;

/// A checked lesson, compared by identity (parsed once per opening, `app`).
#[derive(Clone)]
pub struct LessonRef(pub Rc<Lesson>);

impl PartialEq for LessonRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub id: String,
    pub lesson: LessonRef,
    pub world: WorldHandle,
    /// The app's root: watch targets are looked for inside it.
    pub root: NodeRef,
    pub intents: Intents,
    /// Opens the list of lessons.
    pub on_list: Callback<()>,
}

/// The check's standing for the panel: the status word, and the sentence under it.
/// `judged`: the check at the step's end on the run (`None`: the run does not reach it).
fn verdict(
    lesson: &Lesson,
    index: usize,
    world: &WorldHandle,
    judged: Option<&StepStatus>,
) -> (&'static str, String) {
    let step = &lesson.steps[index];
    let now = world.world().now();
    if now < step.run_until {
        // Before the step's start too: "Restart step" goes there.
        let text = format!(
            "Judged when the clock reaches {} (this step starts at {}); the clock is at {}.",
            clock_text(step.run_until),
            clock_text(step.starts_at),
            clock_text(now)
        );
        return ("not-yet", text);
    }
    // The clock is at or past the step's end, so the run reaches it.
    let Some(judged) = judged else {
        return ("not-yet", String::new());
    };
    match judged.clone() {
        StepStatus::Held => (
            "held",
            "Well done: the run did what the step asked. Why, below.".into(),
        ),
        StepStatus::Broken { at, evidence } => (
            "broken",
            format!("Broken at {}: {evidence}", clock_text(at)),
        ),
        StepStatus::ActionRejected { message, .. } => ("broken", message),
        StepStatus::RunBound(bound) => ("broken", bound.describe()),
    }
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let instance = use_instance();
    let (store, title_id) = (instance.store.clone(), instance.dom_id("lesson-title"));
    let progress = {
        let (store, id) = (store.clone(), props.id.clone());
        use_state(move || store.lesson_progress(&id))
    };
    let lesson = &props.lesson.0;
    let count = lesson.steps.len();
    let index = (progress.step as usize).min(count - 1);
    let step = &lesson.steps[index];
    // Every step's check at its end on the run as it stands, and whether the run changed.
    let judge = use_mut_ref(StepJudge::default);
    let (judged, changed) = judge.borrow_mut().look(lesson, &props.world.run());
    let (status, detail) = verdict(lesson, index, &props.world, judged[index].as_ref());
    let held_now = {
        let ends: Vec<_> = lesson.steps.iter().map(|s| s.run_until).collect();
        let judged: Vec<_> = judged
            .iter()
            .map(|s| s.as_ref().map(|s| *s == StepStatus::Held))
            .collect();
        follow_progress(&progress.held, &ends, &judged, changed)
    };
    let held_count = held_now.len();

    // After every render (the services and fleet render after this panel, hence the timer):
    // what the step watches outlined, and the steps done as the run now stands remembered.
    {
        let (root, watch) = (props.root.clone(), step.watch.clone());
        let (progress, store, id) = (progress.clone(), store.clone(), props.id.clone());
        use_effect(move || {
            if held_now != progress.held {
                let next = LessonProgress {
                    held: held_now,
                    ..(*progress).clone()
                };
                store.set_lesson_progress(&id, &next);
                progress.set(next);
            }
            let timer =
                gloo::timers::callback::Timeout::new(0, move || lesson_watch::mark(&root, &watch));
            move || drop(timer)
        });
        let root = props.root.clone();
        use_effect_with((), move |_| move || lesson_watch::unmark(&root));
    }

    let go = |to: usize| {
        let (progress, store, id) = (progress.clone(), store.clone(), props.id.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*progress).clone();
            next.step = to as u32;
            store.set_lesson_progress(&id, &next);
            progress.set(next);
        })
    };
    let on_restart = {
        let (lesson, on_run) = (lesson.clone(), props.intents.on_restart_step.clone());
        Callback::from(move |_: MouseEvent| {
            let tape = tape_to_step(&lesson, index);
            on_run.emit((lesson.scenario.clone(), tape));
        })
    };
    let on_show_me = {
        // The lesson, not a copy of the step (cloning a compiled check costs app size).
        let (lesson, on_show_me) = (lesson.clone(), props.intents.on_show_me.clone());
        Callback::from(move |_: MouseEvent| {
            let step = &lesson.steps[index];
            on_show_me.emit((step.starts_at, step.show_me.clone(), step.run_until))
        })
    };
    let on_link = {
        let (lesson, id, world) = (lesson.clone(), props.id.clone(), props.world.clone());
        let on_notify = props.intents.on_notify.clone();
        Callback::from(move |_: MouseEvent| {
            // The run as it is at the click; the link is ready once the browser has compressed
            // it (nothing to compress when the run is the lesson's own, which is not carried).
            let run = lesson_link_run(&lesson, index, &world.run().tape_to_cursor());
            let (id, on_notify) = (id.clone(), on_notify.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let run = match run {
                    Some(run) => Some(share::deflate(&run).await),
                    None => None,
                };
                let link = persist::page_url(&lesson_link_fragment(&id, index, run.as_deref()));
                let what = format!("Link to step {}", index + 1);
                offer_link(link, what, "Whoever opens it gets this lesson at this step, with the same clock and world as yours now; their own work stays as it was.", on_notify);
            });
        })
    };
    let watch = step.watch.iter().map(|w| {
        let (before, name, after, reach) = lesson_watch::describe(w, &props.world);
        let (intents, root, w) = (props.intents.clone(), props.root.clone(), w.clone());
        let show = Callback::from(move |_: MouseEvent| {
            match reach {
                Some(Reach::Select(selection)) => intents.on_select.emit(selection),
                Some(Reach::Tab(tab)) => intents.on_set_tab.emit(tab),
                None => {}
            }
            lesson_watch::scroll_to(&root, &w);
        });
        html! {
            <li><span>{ before }<strong>{ name }</strong>{ after }</span><button class="small" data-testid="lesson-watch-show" onclick={show}>{ "Show" }</button></li>
        }
    });
    let complete = held_count == count;
    html! {
        <section class="panel lesson" data-testid="lesson-panel" data-lesson={props.id.clone()} data-step={index.to_string()} aria-labelledby={title_id.clone()}>
            <div class="lesson-head">
                <h2 id={title_id}>{ "Lesson: " }{ &lesson.title }</h2>
                <button class="small" data-testid="lesson-list" onclick={props.on_list.reform(|_: MouseEvent| ())}>{ "All lessons" }</button>
                <button class="small" data-testid="lesson-leave" onclick={props.intents.on_leave_lesson.reform(|_: MouseEvent| ())}
                    title="Close the lesson; its progress is kept">{ "Leave lesson" }</button>
            </div>
            <p class="lesson-progress">
                <span data-testid="lesson-step">{ format!("Step {} of {count}", index + 1) }</span>
                <progress max={count.to_string()} value={held_count.to_string()} aria-label="Steps done" />
                <span class="hint">{ format!("{held_count} of {count} done") }{ if complete { " \u{2014} lesson complete!" } else { "" } }</span>
            </p>
            <p class="lesson-instruction" data-testid="lesson-instruction">{ &step.instruction }</p>
            if !step.watch.is_empty() {
                <div class="lesson-watch"><span class="hint">{ "Watch: " }</span><ul>{ for watch }</ul></div>
            }
            <div class="lesson-check" data-testid="lesson-check" data-status={status} role="status">
                <span class={classes!("badge", status)}>{ match status { "held" => "\u{2713} Held", "broken" => "\u{2717} Broken", _ => "Not yet" } }</span>
                { " The check: " }<span class="lesson-claim">{ &step.check_text }</span>
                <p class="hint" data-testid="lesson-check-detail">{ detail }</p>
            </div>
            if status == "broken" {
                <p class="lesson-hint" data-testid="lesson-hint"><strong>{ "Hint: " }</strong>{ &step.hint }</p>
            }
            if status == "held" {
                <div class="lesson-explanation" data-testid="lesson-explanation">
                    <p>{ &step.explanation }</p>
                    if !step.references.is_empty() {
                        <p class="hint">{ "Read more: " }{ for step.references.iter().map(|r| reference(r)) }</p>
                    }
                </div>
            }
            <div class="lesson-actions">
                <button data-testid="lesson-back" disabled={index == 0} onclick={go(index.saturating_sub(1))}>{ "\u{2190} Back" }</button>
                <button data-testid="lesson-restart" onclick={on_restart} title="Go back to the start of this step, as the lesson left it">{ "Restart step" }</button>
                <button data-testid="lesson-show-me" onclick={on_show_me} title="Do this step for me, then run the clock to its end">{ "Show me" }</button>
                <button data-testid="lesson-link" onclick={on_link} title="Copy a link that opens this lesson at this step, as your run stands: for a room">{ "Link to this step" }</button>
                <button class="primary" data-testid="lesson-next" disabled={index + 1 >= count} onclick={go(index + 1)}>{ "Next \u{2192}" }</button>
            </div>
        </section>
    }
}

/// A reference: a link for a URL, words for a section of the sandbox's notes.
fn reference(text: &str) -> Html {
    if text.starts_with("https://") {
        // The page's name: `…/deployment-type-ecs.html` reads "deployment-type-ecs".
        let label = text
            .rsplit('/')
            .next()
            .unwrap_or(text)
            .trim_end_matches(".html");
        html! { <a class="reference" href={text.to_string()} target="_blank" rel="noopener">{ label.to_string() }</a> }
    } else {
        html! { <span class="reference">{ text }</span> }
    }
}
