//! `flotilla-embed`: the `<flotilla-sandbox>` element's wasm. A second, small cdylib beside the
//! app (`flotilla-web`): one [`Sandbox`] per embed holds a core `Session` (the run as a tape,
//! so scrubbing back is exact) and draws a few views into the element's shadow root with a
//! hand-written `web-sys` renderer (Yew alone would take the embed over its 300 KiB budget:
//! see the figures in scripts/build-embed.sh). The element, the play timer, the event
//! listeners and the `Flotilla` JS API are the script `www/embed/flotilla-embed.js`; this crate
//! is what it calls. Values cross with serde-wasm-bindgen; every refusal is a `FlotillaError`
//! (a JS `Error` with `name` and `path`), never a panic.

pub mod assertions;
pub mod dom;
pub mod link;
pub mod options;
pub mod state;
pub mod views;

use dom::{append, clear, set, Dom};
use flotilla_core::session::Session;
use flotilla_core::{Action, Problem, SimTime};
use options::{parse_options, Options, View, EVENTS_MAX};
use state::{state_of, State};
use views::timeline::Timeline;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// `advance` runs the clock in slices this long, checking the event bound between them.
const SLICE_MS: u64 = 5_000;

/// Runs when the module is instantiated: a panic is written to the console (each embed has an
/// instance of its own, so a panic stops only the embed it happened in; the script shows it).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("flotilla-embed panicked: {info}").into());
    }));
}

/// One embed: its run, its options and its views.
#[wasm_bindgen]
pub struct Sandbox {
    session: Session,
    options: Options,
    dom: Dom,
    /// `(view, its section)` in the order the `view` option named them.
    sections: Vec<(View, Element)>,
    timeline: Option<Timeline>,
    link: Element,
    /// The assertion badges' list (empty until `check_assertions`).
    badges: Element,
    playing: bool,
    /// Why the run stopped early (the embed's event bound), if it did.
    stopped: Option<String>,
}

#[wasm_bindgen]
impl Sandbox {
    /// Checks `options` (see `options.rs`) and draws the embed into `root` (an element in the
    /// shadow root). Throws a `FlotillaError` naming the bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, options: JsValue) -> Result<Sandbox, JsValue> {
        let value: serde_json::Value = serde_wasm_bindgen::from_value(options)
            .map_err(|error| js_error(&Problem::new("", error.to_string())))?;
        let options = parse_options(&value).map_err(|problem| js_error(&problem))?;
        let session = Session::new(options.scenario.clone())
            .map_err(|message| js_error(&Problem::new("scenario", message)))?;
        let dom = Dom::of(&root).ok_or_else(|| {
            js_error(&Problem::new("element", "the element is not in a document"))
        })?;
        clear(&root);
        let header = dom.el("header", "", "");
        append(&header, &dom.el("strong", "name", &options.scenario.name));
        let link = dom.el("a", "open", "Open in Flotilla");
        set(&link, "target", "_blank");
        set(&link, "rel", "noopener");
        append(&header, &link);
        append(&root, &header);
        let badges = dom.el("ul", "assertions", "");
        set(&badges, "aria-label", "Assertions");
        append(&root, &badges);
        let mut sections = Vec::new();
        let mut timeline = None;
        for &view in &options.views {
            let section = dom.el("section", view.name(), "");
            set(&section, "data-view", view.name());
            if view == View::Timeline {
                timeline = Some(Timeline::build(&dom, &section, options.until_ms));
            }
            append(&root, &section);
            sections.push((view, section));
        }
        let mut sandbox = Sandbox {
            session,
            options,
            dom,
            sections,
            timeline,
            link,
            badges,
            playing: false,
            stopped: None,
        };
        sandbox.render();
        Ok(sandbox)
    }

    /// One step: the next wake-up of the world, unless it lies past `until` (then the clock
    /// moves to `until`). Returns false when the run is already at its end.
    pub fn step(&mut self) -> bool {
        if self.at_end() {
            return false;
        }
        let until = SimTime(self.options.until_ms);
        match self.session.world().next_wakeup_at() {
            Some(next) if next <= until => self.session.step(),
            _ => {
                self.session.run_until(until);
            }
        }
        self.check_bound();
        self.render();
        true
    }

    /// Moves the clock forward by `ms` (the play timer's tick), up to `until`. Returns false
    /// when the run is at its end.
    pub fn advance(&mut self, ms: f64) -> bool {
        if self.at_end() {
            return false;
        }
        let ms = if ms.is_finite() && ms > 0.0 {
            ms as u64
        } else {
            0
        };
        let target = self.session.world().now().as_ms().saturating_add(ms);
        self.run_to(target);
        self.render();
        !self.at_end()
    }

    /// Goes to moment `at` (milliseconds or a duration such as `"1m30s"`), back or forward, up
    /// to `until`.
    pub fn seek(&mut self, at: JsValue) -> Result<(), JsValue> {
        let at = value_of(at, "t")?;
        let at_ms = options::moment_of("t", &at).map_err(|problem| js_error(&problem))?;
        if at_ms > self.options.until_ms {
            let until = SimTime(self.options.until_ms);
            let message = format!(
                "{} is after the end of this embed's run ({until})",
                SimTime(at_ms)
            );
            return Err(js_error(&Problem::new("t", message)));
        }
        let head = self.session.head().as_ms();
        if at_ms <= head {
            self.session.seek(SimTime(at_ms));
            if self.session.world().events().len() <= EVENTS_MAX {
                self.stopped = None;
            }
        } else {
            self.session.seek(SimTime(head));
            self.run_to(at_ms);
        }
        self.render();
        Ok(())
    }

    /// Applies an action (the scenario timeline's shape: `{ "stopTask": { "task": "t3" } }`)
    /// now. A malformed action throws with its path (`action.updateService.desiredCount`); one
    /// the world refuses throws with the world's reason.
    pub fn apply(&mut self, action: JsValue) -> Result<(), JsValue> {
        let value = value_of(action, "action")?;
        let action: Action =
            flotilla_core::json_input::deserialize_at(value).map_err(|(segments, message)| {
                let path = segments.iter().fold("action".to_string(), |path, segment| {
                    flotilla_core::problem::join_path(&path, segment)
                });
                js_error(&Problem::new(path, message))
            })?;
        self.session
            .apply(action)
            .map_err(|error| js_error(&Problem::new("action", error.to_string())))?;
        self.render();
        Ok(())
    }

    /// The world at the cursor as plain data (see `state.rs`).
    pub fn state(&self) -> Result<JsValue, JsValue> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(&self.snapshot(), &serializer)
            .map_err(|error| js_error(&Problem::new("", error.to_string())))
    }

    /// Judges the scenario's assertions over its run to `until` (a world of its own; see
    /// `assertions.rs`), draws a badge for each and returns them (`[]` without assertions). The
    /// script calls it after the first render, so a page shows its embeds before judging.
    #[wasm_bindgen(js_name = checkAssertions)]
    pub fn check_assertions(&self) -> Result<JsValue, JsValue> {
        let badges = assertions::judge(&self.options);
        assertions::render(&self.dom, &self.badges, &badges);
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(&badges.unwrap_or_default(), &serializer)
            .map_err(|error| js_error(&Problem::new("", error.to_string())))
    }

    /// Tells the transport whether the script's play timer runs (the Play/Pause label).
    #[wasm_bindgen(js_name = setPlaying)]
    pub fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
        self.render_timeline(&self.snapshot());
    }

    #[wasm_bindgen(js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.session.world().now().as_ms() as f64
    }

    #[wasm_bindgen(js_name = untilMs)]
    pub fn until_ms(&self) -> f64 {
        self.options.until_ms as f64
    }

    #[wasm_bindgen(js_name = atEnd)]
    pub fn at_end(&self) -> bool {
        self.stopped.is_some() || self.session.world().now().as_ms() >= self.options.until_ms
    }

    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> f64 {
        self.session.world().events().len() as f64
    }

    /// The "Open in Flotilla" address: the scenario with this embed's seed and the actions
    /// taken so far, and the moment (see `link.rs`).
    #[wasm_bindgen(js_name = openLink)]
    pub fn open_link(&self) -> String {
        link::open_link(
            &self.options.app,
            &self.session.scenario_with_actions(),
            self.session.world().now(),
        )
    }
}

impl Sandbox {
    fn snapshot(&self) -> State {
        state_of(
            self.session.world(),
            self.options.scenario.seed,
            self.options.until_ms,
            self.stopped.clone(),
        )
    }

    /// Runs the clock to `target_ms` (at most `until`) in slices, stopping at the event bound.
    fn run_to(&mut self, target_ms: u64) {
        let target_ms = target_ms.min(self.options.until_ms);
        // Bounded: each slice moves the clock by SLICE_MS, and the target is at most 6 h away.
        while self.stopped.is_none() && self.session.world().now().as_ms() < target_ms {
            let next = (self.session.world().now().as_ms() + SLICE_MS).min(target_ms);
            self.session.run_until(SimTime(next));
            self.check_bound();
        }
    }

    fn check_bound(&mut self) {
        if let Some(bound) = self.session.run_bound() {
            self.stopped = Some(format!("run bound hit: {}", bound.message()));
        } else if self.session.world().events().len() > EVENTS_MAX {
            self.stopped = Some(format!(
                "an embed keeps at most {EVENTS_MAX} events; open it in Flotilla to run further"
            ));
        }
    }

    fn render(&mut self) {
        let state = self.snapshot();
        let world = self.session.world();
        let mode = self.options.mode;
        for (view, section) in &self.sections {
            match view {
                View::Timeline => continue,
                View::Fleet => {
                    clear(section);
                    views::fleet::render(&self.dom, section, &state, mode);
                }
                View::Service => {
                    clear(section);
                    let name = self.options.service.as_deref();
                    views::service::render(&self.dom, section, &state, world, name, mode);
                }
                View::Events => {
                    clear(section);
                    views::events::render(&self.dom, section, world);
                }
            }
        }
        self.render_timeline(&state);
        set(&self.link, "href", &self.open_link());
    }

    fn render_timeline(&self, state: &State) {
        if let Some(timeline) = &self.timeline {
            timeline.update(state, self.playing);
        }
    }
}

/// A JS value as JSON (serde-wasm-bindgen), or a `FlotillaError` at `path`.
fn value_of(value: JsValue, path: &str) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|error| js_error(&Problem::new(path, format!("not a JSON value: {error}"))))
}

/// A JS `Error` named `FlotillaError` with the problem's `path`; the element's script turns it
/// into an instance of `Flotilla.FlotillaError`.
fn js_error(problem: &Problem) -> JsValue {
    let error = js_sys::Error::new(&problem.to_string());
    error.set_name("FlotillaError");
    let _ = js_sys::Reflect::set(&error, &"path".into(), &problem.path.as_str().into());
    let _ = js_sys::Reflect::set(&error, &"detail".into(), &problem.message.as_str().into());
    error.into()
}
