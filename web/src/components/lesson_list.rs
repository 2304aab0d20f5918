//! The list of built-in lessons (the toolbar's "Lessons"): each with its title, what it
//! teaches and how far the learner got, and a button that starts or resumes it; then the
//! game days, each with its briefing and a button that starts it; a link to the page
//! instructors project (`www/lessons/`, a link to every step). The files are fetched when
//! the list opens (`lesson_files`); only their title, what they teach (a game day's briefing)
//! and their number of steps (of campaign moments) are read here, as JSON values; the chosen
//! one is checked by `app`.

use crate::instance::use_instance;
use flotilla_app::lessons::{GAMEDAY_IDS, GAMEDAY_PREFIX, LESSON_IDS};
use yew::prelude::*;

/// What the list shows of one lesson or game day (`gameday:<id>`): id, title, what it
/// teaches, how many steps (campaign moments).
type Summary = (String, String, String, usize);

fn summary(id: String, text: &str) -> Option<Summary> {
    let value = flotilla_core::json_input::parse_json(text).ok()?;
    let words = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let steps = (value.get("steps").or_else(|| value.get("campaign")))
        .and_then(|v| v.as_array())
        .map_or(0, Vec::len);
    Some((
        id,
        words("title")?,
        words("teaches").or_else(|| words("briefing"))?,
        steps,
    ))
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    /// Start or resume the lesson with this id.
    pub on_open: Callback<String>,
    pub on_close: Callback<()>,
}

#[function_component(LessonList)]
pub fn lesson_list(props: &LessonListProps) -> Html {
    let instance = use_instance();
    let title_id = instance.dom_id("lessons-title");
    let lessons = use_state(Vec::<Summary>::new);
    {
        let lessons = lessons.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut found = Vec::new();
                let gamedays = GAMEDAY_IDS.iter().map(|id| format!("{GAMEDAY_PREFIX}{id}"));
                for id in LESSON_IDS.iter().map(|id| id.to_string()).chain(gamedays) {
                    if let Ok(text) = crate::lesson_files::fetch_lesson(&id).await {
                        found.extend(summary(id, &text));
                    }
                }
                lessons.set(found);
            });
        });
    }
    let items = lessons.iter().map(|(id, title, teaches, count)| {
        let progress = instance.store.lesson_progress(id);
        let done = progress.held.len();
        let gameday = id.starts_with(GAMEDAY_PREFIX);
        let label = if gameday {
            "Start game day".to_string()
        } else if done == *count {
            "Again".to_string()
        } else if done > 0 || progress.step > 0 {
            format!("Resume at step {}", progress.step + 1)
        } else {
            "Start".to_string()
        };
        let on_open = props.on_open.reform({
            let id = id.to_string();
            move |_: MouseEvent| id.clone()
        });
        html! {
            <li data-testid={if gameday { "gameday-item" } else { "lesson-item" }} data-lesson={id.clone()}>
                <h3>{ if gameday { "Game day: " } else { "" } }{ title }</h3>
                <p class="teaches">{ teaches }</p>
                <p class="lesson-item-foot">
                    <span class="hint">{ if gameday { format!("Game day \u{b7} {count} events, scored") } else { format!("{count} steps \u{b7} {done} done") } }</span>
                    <button class="primary small" data-testid={if gameday { "gameday-open" } else { "lesson-open" }} onclick={on_open}
                        aria-label={format!("{label}: {title}")}>{ label }</button>
                </p>
            </li>
        }
    });
    html! {
        <section class="panel lesson-list" data-testid="lessons" aria-labelledby={title_id.clone()}>
            <div class="lesson-head">
                <h2 id={title_id}>{ "Lessons" }</h2>
                <button class="small" data-testid="lessons-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <p class="hint">{ "Guided walks through ECS scheduling, one idea each, about ten minutes apiece; last, a game day that scores your own settings against a scripted campaign of failures. Each opens its own scenario in this tab; your work is kept as it was." }</p>
            <p class="hint"><a href="lessons/" target="_blank">{ "For instructors: the lesson list to project, with a link to each step" }</a></p>
            if lessons.is_empty() { <p class="hint">{ "Loading the lessons\u{2026}" }</p> }
            <ul>{ for items }</ul>
        </section>
    }
}
