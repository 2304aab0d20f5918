//! The root component of the full app: owns the sandbox reducer, provides the `Instance` it is
//! mounted as, composes the page ties (keyboard shortcuts, the share link in the address bar,
//! browser storage, the play timer: `hooks/`), and lays out the screen. Components below get
//! intent-named callbacks (`intents`), never the reducer's action enum.

use crate::components::{
    about::About,
    fleet::Fleet,
    gameday_panel::{GameDayPanel, GameDayRef},
    jump_progress::JumpProgress,
    lesson_list::LessonList,
    lesson_panel::{LessonPanel, LessonRef},
    next_steps::NextSteps,
    notices::Notices,
    services::Services,
    side_panel::SidePanel,
    timeline_strip::TimelineStrip,
    toolbar::Toolbar,
    tour::{claim_first_run, Tour},
    transport::Transport,
};
use crate::hooks::{
    link::use_link_in_hash,
    page_seek::use_page_seek,
    play_timer::use_play_timer,
    shortcuts::{use_shortcuts, EditShortcuts},
    storage::use_storage,
};
use crate::instance::Instance;
use crate::intents::JumpIntents;
use crate::intents::{Intents, TimeIntents};
use crate::persist::Notice;
use crate::state::{Sandbox, Tab};
use flotilla_app::lesson_link::{LessonLink, LessonLinkError};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub instance: Instance,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let instance = props.instance.clone();
    let sandbox = use_reducer(|| {
        let startup = instance.store.startup();
        let edits_broken = instance.store.key(crate::persist::EDITS_BROKEN);
        Sandbox::from_startup(startup).with_edits(instance.store.load_edits(), &edits_broken)
    });
    let root = use_node_ref();
    let side_panel = use_node_ref();
    // The tour's step while it is open: by itself once in a browser (the first app on the page
    // that has not shown it), and whenever the toolbar's Tour asks.
    let tour = {
        let store = instance.store.clone();
        use_state(move || (!store.tour_seen() && claim_first_run()).then_some(0_usize))
    };
    // Stable callbacks (made once), so the toolbar's props still compare equal: start, go to a
    // step, close (finished or skipped: not shown by itself again).
    let (on_tour_start, on_tour_step, on_tour_close) = {
        let (set, store) = (tour.setter(), instance.store.clone());
        (*use_memo((), move |_| {
            let (start, step) = (set.clone(), set.clone());
            (
                Callback::from(move |()| start.set(Some(0))),
                Callback::from(move |n: usize| step.set(Some(n))),
                Callback::from(move |()| {
                    store.set_tour_seen();
                    set.set(None);
                }),
            )
        }))
        .clone()
    };

    // The lesson list while it is open (the toolbar's Lessons).
    let choosing = use_state(|| false);
    let (on_lessons, on_lessons_close) = {
        let set = choosing.setter();
        (*use_memo((), move |_| {
            let open = set.clone();
            (
                Callback::from(move |()| open.set(true)),
                Callback::from(move |()| set.set(false)),
            )
        }))
        .clone()
    };

    // One set of callbacks for the app's lifetime, so children's props compare equal.
    let intents = {
        let (dispatcher, store) = (sandbox.dispatcher(), instance.store.clone());
        (*use_memo((), move |_| Intents::from_dispatcher(&dispatcher, &store))).clone()
    };
    let time = {
        let dispatcher = sandbox.dispatcher();
        (*use_memo((), move |_| TimeIntents::from_dispatcher(&dispatcher))).clone()
    };
    let jumps = {
        let dispatcher = sandbox.dispatcher();
        (*use_memo((), move |_| JumpIntents::from_dispatcher(&dispatcher))).clone()
    };

    use_play_timer(sandbox.playing, time.on_advance.clone());
    use_page_seek(&sandbox);
    use_shortcuts(
        root.clone(),
        instance.clone(),
        time.clone(),
        EditShortcuts {
            on_undo: intents.on_undo.clone(),
            on_redo: intents.on_redo.clone(),
        },
    );
    use_storage(&sandbox, instance.store.clone(), intents.on_notify.clone());

    // The name is this instance's until it is unmounted.
    {
        let instance = instance.clone();
        use_effect_with((), move |_| move || instance.release());
    }

    let world = sandbox.handle();
    // The lesson or game day open in this tab (its document is the one shown), fetched and
    // checked once per opening (`lesson_files`); the panel shows when the checked one is the
    // open one.
    let lesson_id = instance.store.lesson();
    let loaded = use_state(|| None::<(String, Opened)>);
    {
        let (loaded, on_notify) = (loaded.clone(), intents.on_notify.clone());
        let store = instance.store.clone();
        use_effect_with(lesson_id.clone(), move |id| {
            let wanted = id
                .clone()
                .filter(|id| loaded.as_ref().is_none_or(|(have, _)| have != id));
            if let Some(id) = wanted {
                load_lesson(id, store, loaded.setter(), on_notify, None);
            }
        });
    }
    // Open a lesson from the list (at the step its progress names) or from an instructor link.
    let open_lesson = {
        let (on_run, on_notify, store, choosing, loaded) = (
            intents.on_lesson_run.clone(),
            intents.on_notify.clone(),
            instance.store.clone(),
            choosing.setter(),
            loaded.setter(),
        );
        Callback::from(move |(id, link): (String, Option<LessonLink>)| {
            choosing.set(false);
            let open = Some((on_run.clone(), link));
            load_lesson(id, store.clone(), loaded.clone(), on_notify.clone(), open);
        })
    };
    let on_open_lesson = open_lesson.reform(|id| (id, None));
    let on_lesson_link = {
        let on_notify = intents.on_notify.clone();
        Callback::from(move |link: Result<LessonLink, _>| match link {
            Ok(link) => open_lesson.emit((link.id.to_string(), Some(link))),
            Err(error) => on_notify.emit(lesson_link_failed(error)),
        })
    };
    use_link_in_hash(
        instance.store.clone(),
        intents.on_open_link.clone(),
        on_lesson_link,
    );
    // Keyed by the opening (each loads its own copy), so a link to another step of the open
    // lesson shows that step: the panel reads the progress when it mounts.
    let lesson = loaded
        .as_ref()
        .filter(|(id, _)| Some(id) == lesson_id.as_ref())
        .map(|(id, opened)| (id.clone(), opened.clone(), opened.opening()));
    let scenario_name = world.run().scenario.name.clone();
    let description = world.run().scenario.description.clone();
    // Comparing needs two columns of figures: the side panel widens while it shows them.
    let comparing = sandbox.tab == Tab::Compare && sandbox.branch_handle().is_some();
    let side_panel_id = instance.dom_id("side-panel");
    // Keyboard users skip the toolbar and up to 1,000 instance cards; the focus goes to the
    // selected tab (focused directly: a `#fragment` would be read as a share link).
    let on_skip = {
        let side_panel = side_panel.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            let tab = side_panel
                .cast::<web_sys::Element>()
                .and_then(|panel| panel.query_selector("[role=tab][tabindex=\"0\"]").ok())
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(tab) = tab {
                let _ = tab.focus();
            }
        })
    };
    html! {
        <ContextProvider<Instance> context={instance.clone()}>
        <div class={classes!("flotilla", sandbox.opening_link.then_some("opening-link"))} ref={root.clone()}
            data-instance={instance.name.to_string()} aria-busy={sandbox.opening_link.then_some("true")}>
            <a class="skip-link" data-testid="skip-to-side-panel" href={format!("#{side_panel_id}")} onclick={on_skip}>{ "Skip to side panel" }</a>
            <Toolbar
                scenario_name={scenario_name.clone()}
                undo={sandbox.edits.undo_label().map(str::to_string)}
                redo={sandbox.edits.redo_label().map(str::to_string)}
                run={world.clone()}
                intents={intents.clone()}
                on_tour={on_tour_start}
                on_lessons={on_lessons.clone()}
            />
            <div class="playbar">
                <Transport
                    now={sandbox.now()}
                    playing={sandbox.playing}
                    speed={sandbox.speed}
                    busy={sandbox.jump.is_some()}
                    time={time.clone()}
                />
                <TimelineStrip world={world.clone()} on_seek={time.on_seek.clone()} />
                <JumpProgress jump={sandbox.jump.clone()} last={sandbox.last_jump.clone()}
                    intents={jumps} />
            </div>
            <Notices notices={sandbox.notices.clone()} on_dismiss={intents.on_dismiss.clone()} />
            <main class={classes!("layout", comparing.then_some("comparing"))}>
                <section class="fleet-column">
                    if *choosing {
                        <LessonList on_open={on_open_lesson} on_close={on_lessons_close} />
                    }
                    if let Some((id, Opened::Lesson(lesson), opening)) = lesson {
                        <LessonPanel key={opening} id={id.clone()} {lesson} world={world.clone()} root={root.clone()}
                            intents={intents.clone()} on_list={on_lessons} />
                    } else if let Some((_, Opened::GameDay(gameday), opening)) = lesson {
                        <GameDayPanel key={opening} {gameday} world={world.clone()} intents={intents.clone()} root={root.clone()}
                            on_seek={time.on_seek.clone()} on_list={on_lessons} />
                    } else {
                        <About name={scenario_name} {description} />
                    }
                    <NextSteps world={world.clone()} drafts={sandbox.drafts.clone()}
                        on_set_drafts={intents.on_set_drafts.clone()} on_set_tab={intents.on_set_tab.clone()} />
                    <Services world={world.clone()} selection={sandbox.selection} on_select={intents.on_select.clone()} />
                    <Fleet world={world.clone()} selection={sandbox.selection}
                        on_select={intents.on_select.clone()} on_apply={intents.on_apply.clone()} />
                </section>
                <SidePanel
                    {world}
                    tab={sandbox.tab}
                    selection={sandbox.selection}
                    filter={sandbox.filter.clone()}
                    drafts={sandbox.drafts.clone()}
                    branch={sandbox.branch_handle()}
                    branch_fork={sandbox.branch_fork}
                    panel_ref={side_panel}
                    {intents}
                    on_seek={time.on_seek.clone()}
                />
            </main>
            if let Some(step) = *tour {
                <Tour {step} root={root.clone()} on_step={on_tour_step} on_close={on_tour_close} />
            }
        </div>
        </ContextProvider<Instance>>
    }
}

/// A lesson or a game day, checked.
#[derive(Clone)]
enum Opened {
    Lesson(LessonRef),
    GameDay(GameDayRef),
}

impl Opened {
    /// Which opening this is (each opening loads its own copy), to key the panel by.
    fn opening(&self) -> usize {
        match self {
            Opened::Lesson(lesson) => std::rc::Rc::as_ptr(&lesson.0) as usize,
            Opened::GameDay(gameday) => std::rc::Rc::as_ptr(&gameday.0) as usize,
        }
    }
}

/// The lesson being opened's run: the intent that opens it, and the instructor link it comes
/// from, if any.
type OpenLesson = (
    Callback<(Option<String>, flotilla_core::Scenario, Vec<crate::run::Op>)>,
    Option<LessonLink>,
);

/// Told when an instructor link cannot be opened (the app stays as it was).
fn lesson_link_failed(error: LessonLinkError) -> Notice {
    Notice::error(
        "The lesson link could not be opened; what was open stays open.",
        error.to_string(),
    )
}

/// Fetches and checks lesson `id` (or game day `gameday:<id>`) into `loaded`; with `open`, also
/// opens its stage: a lesson's at the step its progress names (`lessons::tape_to_step`) or at
/// an instructor link's step with the link's run (that step becomes the lesson's progress), a
/// game day's at time zero. A failure is a notice. `store`: the lesson's progress, and which
/// lesson the tab shows when the file arrives.
fn load_lesson(
    id: String,
    store: crate::persist::Store,
    loaded: UseStateSetter<Option<(String, Opened)>>,
    on_notify: Callback<Notice>,
    open: Option<OpenLesson>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let failed = |error| {
            store.drop_pending();
            on_notify.emit(Notice::error("The lesson could not be opened:", error))
        };
        let opened = if id.starts_with(flotilla_app::lessons::GAMEDAY_PREFIX) {
            let gameday = match crate::lesson_files::load_gameday(&id).await {
                Ok(gameday) => gameday,
                Err(error) => return failed(error),
            };
            if let Some((on_run, _)) = open {
                on_run.emit((Some(id.clone()), gameday.stage.clone(), Vec::new()));
            }
            Opened::GameDay(GameDayRef(std::rc::Rc::new(gameday)))
        } else {
            let lesson = match crate::lesson_files::load_lesson(&id).await {
                Ok(lesson) => lesson,
                Err(error) => return failed(error),
            };
            if let Some((on_run, link)) = open {
                let mut progress = store.lesson_progress(&id);
                let count = lesson.steps.len();
                let mut step = (progress.step as usize).min(count - 1);
                let mut tape = None;
                if let Some(link) = link {
                    step = match link.step_index(count) {
                        Ok(step) => step,
                        Err(error) => {
                            store.drop_pending();
                            return on_notify.emit(lesson_link_failed(error));
                        }
                    };
                    progress.step = step as u32;
                    store.set_lesson_progress(&id, &progress);
                    tape = link.run;
                    let what = format!("{}, step {}", lesson.title, step + 1);
                    on_notify.emit(crate::persist::link_opened(&what, store.has_work()));
                }
                let tape =
                    tape.unwrap_or_else(|| flotilla_core::lessons::tape_to_step(&lesson, step));
                on_run.emit((Some(id.clone()), lesson.scenario.clone(), tape));
            }
            Opened::Lesson(LessonRef(std::rc::Rc::new(lesson)))
        };
        // A file that arrives after the tab opened another lesson (a link opened while the
        // lesson of a reload was still on its way) is not the one to show.
        if store.lesson().as_deref() == Some(id.as_str()) {
            loaded.set(Some((id, opened)));
        }
    });
}
