//! The root component: owns the sandbox reducer, the play timer (the app's only wall clock),
//! the keyboard shortcuts and the autosave, and lays out the screen.

use crate::components::{
    fleet::Fleet,
    jump_progress::{self, JumpProgress},
    notices::Notices,
    services::Services,
    side_panel::{SidePanel, SIDE_PANEL_ID},
    timeline_strip::TimelineStrip,
    toolbar::Toolbar,
    transport::Transport,
};
use crate::persist::{self, Notice};
use crate::state::{Sandbox, SandboxAction, Tab};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Wall-clock period of the play timer.
const TICK_MS: u32 = 100;

#[function_component(App)]
pub fn app() -> Html {
    let sandbox = use_reducer(|| {
        let mut startup = persist::startup();
        let replaced = startup.replaced.take();
        Sandbox::from_startup(startup).with_edits(persist::load_edits(), replaced)
    });

    // The only wall clock in the app: while playing, each tick advances simulated time.
    // Dropping the interval (on pause or unmount) cancels it.
    {
        let dispatcher = sandbox.dispatcher();
        use_effect_with(sandbox.playing, move |playing| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    dispatcher.dispatch(SandboxAction::Advance { wall_ms: TICK_MS })
                })
            });
            move || drop(interval)
        });
    }

    // Keyboard: space play/pause, → step, Shift+→ next decision, ← step back, Ctrl+Z undo,
    // Ctrl+Shift+Z / Ctrl+Y redo; never while typing in a field (where the browser's own text
    // undo must keep working), nor ←/→ on the side panel's tabs (they move between tabs there).
    {
        let dispatcher = sandbox.dispatcher();
        use_effect_with((), move |_| {
            // Not passive: space must not also scroll the page.
            let options = EventListenerOptions::enable_prevent_default();
            let document = gloo::utils::document();
            let listener =
                EventListener::new_with_options(&document, "keydown", options, move |event| {
                    let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if event.alt_key() || typing(event) {
                        return;
                    }
                    let action = if event.ctrl_key() || event.meta_key() {
                        match event.key().as_str() {
                            "z" | "Z" if event.shift_key() => SandboxAction::Redo,
                            "z" | "Z" => SandboxAction::Undo,
                            "y" | "Y" => SandboxAction::Redo,
                            _ => return,
                        }
                    } else {
                        match event.key().as_str() {
                            " " => SandboxAction::TogglePlay,
                            "ArrowRight" if event.shift_key() => SandboxAction::NextDecision,
                            "ArrowRight" => SandboxAction::Step,
                            "ArrowLeft" => SandboxAction::StepBack,
                            _ => return,
                        }
                    };
                    event.prevent_default();
                    dispatcher.dispatch(action);
                });
            move || drop(listener)
        });
    }

    // A share link pasted into the address bar of the open app changes only the fragment.
    {
        let dispatcher = sandbox.dispatcher();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                if let Some(link) = persist::take_link() {
                    dispatcher.dispatch(SandboxAction::OpenLink(link));
                }
            });
            move || drop(listener)
        });
    }

    // A worker ready for the first long jump or rewind, started a second after the first render
    // so that loading it does not compete with the page's own start.
    use_effect_with((), |_| {
        let timer = gloo::timers::callback::Timeout::new(1_000, jump_progress::warm_spare_worker);
        move || drop(timer)
    });

    // Autosave whenever the scenario or the inputs changed (not on every play tick).
    {
        let run = sandbox.run.clone();
        let dispatcher = sandbox.dispatcher();
        use_effect_with(sandbox.saved, move |_| {
            let run = run.borrow();
            if let Err(error) = persist::save(&run.scenario, &run.tape_to_cursor()) {
                dispatcher.dispatch(SandboxAction::Notify(Notice::error(
                    "Your work could not be saved in this browser:",
                    error,
                )));
            }
        });
    }

    // The edit history is stored apart from the autosave, only when it changed.
    {
        let edits = sandbox.edits.clone();
        let dispatcher = sandbox.dispatcher();
        use_effect_with(sandbox.edits_saved, move |_| {
            if let Err(error) = persist::save_edits(&edits) {
                dispatcher.dispatch(SandboxAction::Notify(Notice::error(
                    "Your undo history could not be saved in this browser:",
                    error,
                )));
            }
        });
    }

    use_effect_with(sandbox.drafts.clone(), |drafts| {
        persist::save_drafts(drafts)
    });

    // One callback for the app's lifetime, so children's props compare equal between renders.
    let dispatch = {
        let dispatcher = sandbox.dispatcher();
        let dispatch = use_memo((), move |_| {
            Callback::from(move |action: SandboxAction| dispatcher.dispatch(action))
        });
        (*dispatch).clone()
    };
    let world = sandbox.handle();
    let scenario_name = sandbox.run.borrow().scenario.name.clone();
    // Comparing needs two columns of figures: the side panel widens while it shows them.
    let comparing = sandbox.tab == Tab::Compare && sandbox.branch.is_some();
    // Keyboard users skip the toolbar and up to 1,000 instance cards; the focus goes to the
    // selected tab (focused directly: a `#fragment` would be read as a share link).
    let on_skip = Callback::from(|event: MouseEvent| {
        event.prevent_default();
        let tab = gloo::utils::document()
            .query_selector(&format!("#{SIDE_PANEL_ID} [role=tab][tabindex=\"0\"]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(tab) = tab {
            let _ = tab.focus();
        }
    });
    html! {
        <div class="flotilla">
            <a class="skip-link" data-testid="skip-to-side-panel" href={format!("#{SIDE_PANEL_ID}")} onclick={on_skip}>{ "Skip to side panel" }</a>
            <Toolbar
                {scenario_name}
                undo={sandbox.edits.undo_label().map(str::to_string)}
                redo={sandbox.edits.redo_label().map(str::to_string)}
                run={sandbox.run.clone()}
                on_dispatch={dispatch.clone()}
            />
            <div class="playbar">
                <Transport
                    now={sandbox.now()}
                    playing={sandbox.playing}
                    speed={sandbox.speed}
                    busy={sandbox.jump.is_some()}
                    on_dispatch={dispatch.clone()}
                />
                <TimelineStrip world={world.clone()} on_dispatch={dispatch.clone()} />
                <JumpProgress jump={sandbox.jump.clone()} last={sandbox.last_jump.clone()}
                    on_dispatch={dispatch.clone()} />
            </div>
            <Notices notices={sandbox.notices.clone()} on_dispatch={dispatch.clone()} />
            <main class={classes!("layout", comparing.then_some("comparing"))}>
                <section class="fleet-column">
                    <Services world={world.clone()} selection={sandbox.selection} on_dispatch={dispatch.clone()} />
                    <Fleet world={world.clone()} selection={sandbox.selection} on_dispatch={dispatch.clone()} />
                </section>
                <SidePanel
                    {world}
                    tab={sandbox.tab}
                    selection={sandbox.selection}
                    filter={sandbox.filter.clone()}
                    drafts={sandbox.drafts.clone()}
                    branch={sandbox.branch_handle()}
                    branch_fork={sandbox.branch_fork}
                    on_dispatch={dispatch}
                />
            </main>
        </div>
    }
}

/// True when the key went to a text field, a select or a button (space clicks those), or is an
/// arrow key on a tab (the tablist moves between its tabs with them).
fn typing(event: &KeyboardEvent) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select")
        || (tag == "button" && event.key() == " ")
        || (element.get_attribute("role").as_deref() == Some("tab")
            && matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight"))
        || element.is_content_editable()
}
