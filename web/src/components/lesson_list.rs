//! The list of built-in lessons (the toolbar's "Lessons"): each with its title, what it
//! teaches and how far the learner got, and a button that starts or resumes it; a link to the
//! page instructors project (`www/lessons/`, a link to every step). The files are
//! fetched when the list opens (`lesson_files`); only their title, what they teach and their
//! number of steps are read here, as JSON values; the chosen one is checked by `app`.

use crate::instance::use_instance;
use flotilla_app::lessons::LESSON_IDS;
use yew::prelude::*;

/// What the list shows of one lesson: id, title, what it teaches, how many steps.
type Summary = (&'static str, String, String, usize);

fn summary(id: &'static str, text: &str) -> Option<Summary> {
    let value = flotilla_core::json_input::parse_json(text).ok()?;
    let words = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let steps = value
        .get("steps")
        .and_then(|v| v.as_array())
        .map_or(0, Vec::len);
    Some((id, words("title")?, words("teaches")?, steps))
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
                for id in LESSON_IDS {
                    if let Ok(text) = crate::lesson_files::fetch_lesson(id).await {
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
        let label = if done == *count {
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
            <li data-testid="lesson-item" data-lesson={id.to_string()}>
                <h3>{ title }</h3>
                <p class="teaches">{ teaches }</p>
                <p class="lesson-item-foot">
                    <span class="hint">{ format!("{count} steps \u{b7} {done} done") }</span>
                    <button class="primary small" data-testid="lesson-open" onclick={on_open}
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
            <p class="hint">{ "Guided walks through ECS scheduling, one idea each, about ten minutes apiece. Each opens its own scenario in this tab; your work is kept as it was." }</p>
            <p class="hint"><a href="lessons/" target="_blank">{ "For instructors: the lesson list to project, with a link to each step" }</a></p>
            if lessons.is_empty() { <p class="hint">{ "Loading the lessons\u{2026}" }</p> }
            <ul>{ for items }</ul>
        </section>
    }
}
