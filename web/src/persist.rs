//! Keeping the user's work: the autosave in `localStorage` (working scenario plus the inputs of
//! the run), share links and instructor links (`flotilla_app::lesson_link`) in the URL fragment,
//! and scenario file downloads. This is the app's
//! browser-storage glue; everything read here is untrusted and becomes a typed error, and
//! nothing the user made is overwritten without a copy (a damaged autosave is kept for
//! inspection). A share link never touches the user's work: it opens as its own document, kept
//! in this tab's `sessionStorage` (so a reload of the tab keeps it and other tabs never see it),
//! and the user's work in `localStorage` stays as it was, one click away ("Back to your work").

use crate::drafts::Drafts;
use crate::edit_history::EditHistory;
use crate::run::Op;
use crate::share;
use flotilla_app::lesson_link::{read_lesson_link, LessonLinkError, PackedLessonLink};
pub use flotilla_app::notice::{Notice, NoticeKind};
use flotilla_core::builtin::DEFAULT_SCENARIO_JSON;
use flotilla_core::json_input::from_json_text;
use flotilla_core::{parse_scenario, Scenario};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// The namespace of the app mounted into `#app` by `start`: its keys are the ones Flotilla has
/// always used (`flotilla.autosave`, `flotilla.edits`...), so users' saved work still loads.
pub const APP_NAMESPACE: &str = "flotilla";
/// The autosave (working scenario plus run inputs), under the instance's namespace.
pub const AUTOSAVE: &str = "autosave";
/// The prefix, in `sessionStorage`, of the document a link opened in this tab (its autosave and
/// edit history: `<namespace>.link.autosave`, `<namespace>.link.edits`).
pub const LINK: &str = "link";
/// Where an autosave that could not be restored is kept.
pub const BROKEN: &str = "autosave.broken";
/// Where an earlier version kept the user's work when a share link replaced it (before links
/// became documents of their own). Still read, never written: the library offers it.
pub const PREVIOUS: &str = "autosave.previous";
/// Half-filled editor forms.
pub const DRAFTS: &str = "drafts";
/// The undo/redo history of edits, and where one that could not be read is kept.
pub const EDITS: &str = "edits";
pub const EDITS_BROKEN: &str = "edits.broken";
/// Set once the first-run tour was finished or skipped in this browser (`components/tour.rs`);
/// kept in `localStorage` even while a link's document is open, so a link never shows it again.
pub const TOUR: &str = "tour";
/// The scenarios (by name) whose "About this scenario" block the user opened (`+name`) or
/// collapsed (`-name`), newest last.
pub const ABOUT: &str = "about";
/// How many scenarios' choices are remembered (the oldest is forgotten first).
pub const ABOUT_MAX: usize = 50;
/// The built-in lesson open in this tab (its id), kept beside the link document in
/// `sessionStorage` (`<namespace>.link.lesson`): a lesson's stage is a document of its own.
pub const LESSON: &str = "lesson";
/// The prefix, in `localStorage`, of each lesson's progress (`<namespace>.lessons.<id>`).
pub const LESSONS: &str = "lessons";
pub const SAVED_VERSION: u32 = 1;

/// The browser storage of one mounted instance: every key it reads or writes is
/// `<namespace>.<name>`, so two instances on one page never read or overwrite each other's work.
/// While a link's document is open, every clone of the store writes to it (`on_link`).
#[derive(Clone, Debug)]
pub struct Store {
    namespace: std::rc::Rc<str>,
    on_link: std::rc::Rc<std::cell::Cell<bool>>,
    /// The app opened with an instructor link in a browser with no work of its own: the tab is
    /// the link's document from the start (the lesson opens once its file is fetched), so what
    /// shows meanwhile is not kept as the user's work; `drop_pending` if it cannot be opened.
    pending: std::rc::Rc<std::cell::Cell<bool>>,
    /// The share link the app opened with, taken from the address at startup and opened by
    /// `hooks::link` once the browser has inflated it.
    incoming: std::rc::Rc<std::cell::RefCell<Option<SharedLink>>>,
}

/// A share link read from the address, its scenario still deflated.
#[derive(Debug)]
pub struct SharedLink {
    pub deflated: Vec<u8>,
    /// The moment it opens at (`&t=`), in ms.
    pub moment: Option<u64>,
}

/// A share link's scenario, valid, to open as this tab's link document.
pub struct OpenedLink {
    pub scenario: Scenario,
    /// The moment it opens at (`&t=`), in ms.
    pub moment: Option<u64>,
    /// Whether the user has work of their own to go back to.
    pub has_work: bool,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        self.namespace == other.namespace
    }
}
impl Eq for Store {}

/// The user's own work as stored: the scenario, the run's inputs and the edit history.
pub struct Work {
    pub scenario: Scenario,
    pub tape: Vec<Op>,
    pub edits: Option<Result<EditHistory, String>>,
}

/// What the app opens with.
pub struct Startup {
    pub scenario: Scenario,
    pub tape: Vec<Op>,
    pub notices: Vec<Notice>,
    pub drafts: Drafts,
    /// A share link is on its way (`Store::take_incoming_link`): the app stays hidden until it
    /// has opened or failed, so the work it opens over never flashes by.
    pub link_coming: bool,
}

/// A lesson's progress, kept per lesson in `localStorage` so that neither a reload nor leaving
/// the lesson loses it: the step shown and the steps whose check held, stored as plain text
/// (`"2 0,1"`: step 2, steps 0 and 1 held; no serde code for it in the app).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonProgress {
    pub step: u32,
    pub held: Vec<u32>,
}

impl LessonProgress {
    fn to_text(&self) -> String {
        let held: Vec<String> = self.held.iter().map(u32::to_string).collect();
        format!("{} {}", self.step, held.join(","))
    }

    /// `None` for text this did not write (then the lesson starts over).
    fn from_text(text: &str) -> Option<LessonProgress> {
        let (step, held) = text.split_once(' ')?;
        let held: Result<Vec<u32>, _> = held
            .split(',')
            .filter(|n| !n.is_empty())
            .map(str::parse)
            .collect();
        Some(LessonProgress {
            step: step.parse().ok()?,
            held: held.ok()?,
        })
    }
}

#[derive(Serialize)]
struct SavedOut<'a> {
    version: u32,
    scenario: &'a Scenario,
    tape: &'a [Op],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedIn {
    version: u32,
    scenario: serde_json::Value,
    #[serde(default)]
    tape: Vec<Op>,
}

impl Store {
    /// The store of the app that `start` mounts into `#app` (the keys Flotilla has always used).
    pub fn app() -> Store {
        Store {
            namespace: APP_NAMESPACE.into(),
            on_link: Default::default(),
            pending: Default::default(),
            incoming: Default::default(),
        }
    }

    /// The store of an instance mounted with `name`: keys `flotilla@<name>.autosave` and so on
    /// (`@` never occurs in the app's own keys, so no name reaches them).
    pub fn named(name: &str) -> Store {
        Store {
            namespace: format!("{APP_NAMESPACE}@{name}").into(),
            on_link: Default::default(),
            pending: Default::default(),
            incoming: Default::default(),
        }
    }

    /// The full key of `name` (`AUTOSAVE`, `EDITS`...) in this store.
    pub fn key(&self, name: &str) -> String {
        format!("{}.{name}", self.namespace)
    }

    /// Reads the link and the autosave: a link is taken from the address for `hooks::link` to
    /// open as its own document once inflated (the user's work is left as it was), a bad one
    /// leaves the work open with an error banner; a reload of a tab on a link's document reopens
    /// that document.
    pub fn startup(&self) -> Startup {
        let drafts = storage_get(&self.key(DRAFTS))
            .and_then(|text| from_json_text(&text).ok())
            .unwrap_or_default();
        Startup {
            drafts,
            ..self.startup_scenario()
        }
    }

    /// Drafts are kept as typed; a failure to store them is not worth a banner on every keystroke.
    pub fn save_drafts(&self, drafts: &Drafts) {
        if let Ok(text) = serde_json::to_string(drafts) {
            storage_set(&self.key(DRAFTS), &text);
        }
    }

    fn startup_scenario(&self) -> Startup {
        let mut notices = Vec::new();
        let link_coming = match self.take_link() {
            Some(Ok(link)) => {
                *self.incoming.borrow_mut() = Some(link);
                true
            }
            Some(Err(error)) => {
                notices.push(link_failed(error));
                false
            }
            None => false,
        };
        let startup = self.startup_work(notices);
        Startup {
            link_coming,
            ..startup
        }
    }

    /// The document the app opens with besides a share link: the tab's link document on a
    /// reload, the user's work, or the default scenario.
    fn startup_work(&self, notices: Vec<Notice>) -> Startup {
        let mut notices = notices;
        let link_document = session_get(&self.link_key(AUTOSAVE));
        if link_document.is_none()
            && !self.has_work()
            && location_hash().is_some_and(|hash| matches!(read_lesson_link(&hash), Ok(Some(_))))
        {
            self.on_link.set(true);
            self.pending.set(true);
        }
        if let Some(Ok((scenario, tape))) = link_document.map(|t| read_saved(&t)) {
            self.on_link.set(true);
            return Startup {
                scenario,
                tape,
                notices,
                drafts: Drafts::default(),
                link_coming: false,
            };
        }
        match storage_get(&self.key(AUTOSAVE)).map(|text| read_saved(&text).map_err(|e| (text, e)))
        {
            Some(Ok((scenario, tape))) => Startup {
                scenario,
                tape,
                notices,
                drafts: Drafts::default(),
                link_coming: false,
            },
            Some(Err((text, error))) => {
                let broken = self.key(BROKEN);
                storage_set(&broken, &text);
                notices.push(Notice::error(
                format!("Your autosaved work could not be restored; it is kept in browser storage under {broken}."),
                error,
            ));
                default_startup(notices)
            }
            None => default_startup(notices),
        }
    }

    /// The share link in the page's fragment, if there is one, its scenario still deflated; the
    /// fragment is then cleared (a reload reopens the stored document, not the link again).
    /// The moment the link names (`&t=`, the embed's "Open in Flotilla") comes with it, in ms.
    pub fn take_link(&self) -> Option<Result<SharedLink, String>> {
        let hash = location_hash()?;
        let link = match share::fragment_payload(&hash) {
            Ok(None) => return None,
            Ok(Some(deflated)) => share::decode_moment(&hash)
                .map(|moment| SharedLink { deflated, moment })
                .map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        clear_hash();
        Some(link)
    }

    /// The share link the app opened with (`Startup::link_coming`), once.
    pub fn take_incoming_link(&self) -> Option<SharedLink> {
        self.incoming.borrow_mut().take()
    }

    /// A share link's scenario text as the browser inflated it, validated. A valid link
    /// becomes this tab's link document: from here on the store writes there, never over the
    /// user's work.
    pub fn open_link(
        &self,
        text: Result<String, share::LinkError>,
        moment: Option<u64>,
    ) -> Result<OpenedLink, String> {
        let text = text.map_err(|error| error.to_string())?;
        let scenario = parse_scenario(&text).map_err(|errors| join(&errors))?;
        self.on_link.set(true);
        self.drop_link_document();
        Ok(OpenedLink {
            scenario,
            moment,
            has_work: self.has_work(),
        })
    }

    /// The instructor link in the page's fragment (`#lesson=…&step=…`), if there is one, its
    /// run still deflated; the fragment is then cleared. Opening it is the app's (it needs the
    /// lesson's file first).
    pub fn take_lesson_link(&self) -> Option<Result<PackedLessonLink, LessonLinkError>> {
        let link = read_lesson_link(&location_hash()?).transpose()?;
        clear_hash();
        Some(link)
    }

    /// True while this instance shows a link's document rather than the user's work.
    pub fn on_link(&self) -> bool {
        self.on_link.get()
    }

    /// True when the user has work of their own in this browser (an autosave).
    pub fn has_work(&self) -> bool {
        storage_get(&self.key(AUTOSAVE)).is_some()
    }

    /// The user's own work, to go back to from a link's document; once it is read, the link's
    /// document is dropped and the store writes to the user's work again. `None` when there is
    /// none; an error (the link's document stays open) when it cannot be read.
    pub fn open_work(&self) -> Option<Result<Work, String>> {
        let text = storage_get(&self.key(AUTOSAVE))?;
        let work = read_saved(&text).map(|(scenario, tape)| Work {
            scenario,
            tape,
            edits: None,
        });
        if work.is_ok() {
            self.on_link.set(false);
            self.drop_link_document();
        }
        Some(work.map(|work| Work {
            edits: self.load_edits(),
            ..work
        }))
    }

    /// True when an earlier version kept work of the user's aside for a link (`PREVIOUS`).
    pub fn has_previous(&self) -> bool {
        storage_get(&self.key(PREVIOUS)).is_some()
    }

    /// The work an earlier version kept aside when a link replaced it, to open as the working
    /// scenario (Undo goes back); `None` when there is none. The copy stays where it is.
    pub fn load_previous(&self) -> Option<Result<Work, String>> {
        let text = storage_get(&self.key(PREVIOUS))?;
        Some(read_saved(&text).map(|(scenario, tape)| Work {
            scenario,
            tape,
            edits: None,
        }))
    }

    /// Writes the autosave; the error says why the browser refused (storage full or disabled).
    pub fn save(&self, scenario: &Scenario, tape: &[Op]) -> Result<(), String> {
        let text = serde_json::to_string(&SavedOut {
            version: SAVED_VERSION,
            scenario,
            tape,
        })
        .map_err(|e| e.to_string())?;
        let (storage, key) = self.document(AUTOSAVE)?;
        storage
            .set_item(&key, &text)
            .map_err(|_| "the browser refused to store it (storage full or disabled)".to_string())
    }

    /// The stored undo/redo history, if any; one that cannot be read is kept under
    /// `<namespace>.edits.broken` and reported (the working scenario is unaffected).
    pub fn load_edits(&self) -> Option<Result<EditHistory, String>> {
        let (storage, key) = self.document(EDITS).ok()?;
        let text = storage.get_item(&key).ok().flatten()?;
        Some(
            EditHistory::from_json(&text)
                .inspect_err(|_| storage_set(&self.key(EDITS_BROKEN), &text)),
        )
    }

    /// Stores the undo/redo history (bounded by `edit_history::STORED_BYTES_MAX`).
    pub fn save_edits(&self, history: &EditHistory) -> Result<(), String> {
        let (storage, key) = self.document(EDITS)?;
        storage
            .set_item(&key, &history.to_json())
            .map_err(|_| "the browser refused to store it (storage full or disabled)".to_string())
    }

    /// True once this browser finished or skipped the first-run tour of this instance.
    pub fn tour_seen(&self) -> bool {
        storage_get(&self.key(TOUR)).is_some()
    }

    /// Remembers that the tour was finished or skipped (view state: a failure is not reported).
    pub fn set_tour_seen(&self) {
        storage_set(&self.key(TOUR), "done");
    }

    /// Whether the user left the "About this scenario" block of the scenario `name` open
    /// (`Some(true)`) or collapsed; `None` when they never chose.
    pub fn about_open(&self, name: &str) -> Option<bool> {
        self.about_choices()
            .iter()
            .find(|choice| choice.get(1..) == Some(name))
            .map(|choice| choice.starts_with('+'))
    }

    /// Remembers the block of the scenario `name` as open or collapsed (bounded, view state).
    pub fn set_about_open(&self, name: &str, open: bool) {
        let mut choices = self.about_choices();
        choices.retain(|choice| choice.get(1..) != Some(name));
        choices.push(format!("{}{name}", if open { '+' } else { '-' }));
        let first_kept = choices.len().saturating_sub(ABOUT_MAX);
        if let Ok(text) = serde_json::to_string(&choices[first_kept..]) {
            storage_set(&self.key(ABOUT), &text);
        }
    }

    fn about_choices(&self) -> Vec<String> {
        storage_get(&self.key(ABOUT))
            .and_then(|text| from_json_text(&text).ok())
            .unwrap_or_default()
    }

    /// Opens lesson `id`'s stage as this tab's own document, as a link opens: from here on the
    /// store writes there, never over the user's work ("Back to your work" returns to it).
    pub fn begin_lesson(&self, id: &str) {
        self.on_link.set(true);
        self.pending.set(false);
        self.drop_link_document();
        if let Some(storage) = session_storage() {
            let _ = storage.set_item(&self.link_key(LESSON), id);
        }
    }

    /// The lesson open in this tab, if its document is the one shown.
    pub fn lesson(&self) -> Option<String> {
        self.on_link
            .get()
            .then(|| session_get(&self.link_key(LESSON)))
            .flatten()
    }

    /// Leaves the lesson's document without work of the user's to go back to: the store writes
    /// to the user's own work again (the lesson's progress stays).
    pub fn end_lesson(&self) {
        self.on_link.set(false);
        self.drop_link_document();
    }

    /// The instructor link the app opened with could not be opened: if the tab became its
    /// document for it (`pending`), the store writes to the user's own work again.
    pub fn drop_pending(&self) {
        if self.pending.replace(false) {
            self.end_lesson();
        }
    }

    /// Lesson `id`'s progress (none yet, or unreadable: from the start).
    pub fn lesson_progress(&self, id: &str) -> LessonProgress {
        storage_get(&self.key(&format!("{LESSONS}.{id}")))
            .and_then(|text| LessonProgress::from_text(&text))
            .unwrap_or_default()
    }

    /// Remembers lesson `id`'s progress (a failure to store it is not reported).
    pub fn set_lesson_progress(&self, id: &str, progress: &LessonProgress) {
        storage_set(&self.key(&format!("{LESSONS}.{id}")), &progress.to_text());
    }

    fn drop_link_document(&self) {
        session_remove(&self.link_key(AUTOSAVE));
        session_remove(&self.link_key(EDITS));
        session_remove(&self.link_key(LESSON));
    }

    /// Where the open document's `name` (`AUTOSAVE`, `EDITS`) is kept: the user's work in
    /// `localStorage`, or this tab's link document in `sessionStorage`.
    fn document(&self, name: &str) -> Result<(web_sys::Storage, String), String> {
        if self.on_link.get() {
            let storage = session_storage().ok_or("this tab's browser storage is not available")?;
            Ok((storage, self.link_key(name)))
        } else {
            let storage = local_storage().ok_or("browser storage is not available")?;
            Ok((storage, self.key(name)))
        }
    }

    fn link_key(&self, name: &str) -> String {
        self.key(&format!("{LINK}.{name}"))
    }
}

/// The subject of the notice about an opened link (one at a time).
pub const LINK_SUBJECT: &str = "link";

/// Told when a link opened `what` (a scenario's name, a lesson's title and step); `has_work`
/// says whether the user has work of their own to go back to.
pub fn link_opened(what: &str, has_work: bool) -> Notice {
    let detail = if has_work {
        "It opened as its own document in this tab; your work is kept as it was: \u{201c}Back to your work\u{201d} in the top bar opens it."
    } else {
        "It opened as its own document in this tab; your edits to it are kept while the tab is open."
    };
    Notice::info(
        format!("Opened \u{201c}{what}\u{201d} from the link."),
        detail,
    )
    .about(LINK_SUBJECT)
}

pub fn link_failed(error: String) -> Notice {
    Notice::error(
        "The link's scenario could not be opened; your work is still open.",
        error,
    )
}

/// This page's address with the scenario in the fragment, once the browser has compressed it
/// (`share::deflate`).
pub async fn share_url(scenario: &Scenario) -> String {
    page_url(&share::encode_fragment(
        &share::deflate(&scenario.to_json()).await,
    ))
}

/// This page's address with `fragment` (a share link's, an instructor link's).
pub fn page_url(fragment: &str) -> String {
    let location = gloo::utils::window().location();
    format!(
        "{}{}#{fragment}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Offers `text` as a file download named `file_name`.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not create the file")?;
    let anchor = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("the browser could not start the download")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A file name for a scenario: its name in lower case, words joined by dashes.
pub fn file_name(scenario: &Scenario) -> String {
    let slug: String = scenario
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.json", if slug.is_empty() { "scenario" } else { &slug })
}

pub fn join(errors: &[flotilla_core::ScenarioError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- helpers -------------------------------------------------------------------------------

fn default_startup(notices: Vec<Notice>) -> Startup {
    let scenario = parse_scenario(DEFAULT_SCENARIO_JSON).unwrap_or_else(|_| empty_scenario());
    Startup {
        scenario,
        tape: Vec::new(),
        notices,
        drafts: Drafts::default(),
        link_coming: false,
    }
}

/// A valid scenario with nothing in it: the fallback if even the built-in fails to parse.
pub fn empty_scenario() -> Scenario {
    Scenario {
        version: 1,
        name: "empty".into(),
        description: String::new(),
        seed: 0,
        duration: None,
        fleet: vec![],
        task_definitions: vec![],
        revision_behaviour: vec![],
        services: vec![],
        timeline: vec![],
        target_groups: Vec::new(),
        load_balancers: Vec::new(),
        route53: Default::default(),
        cloud_map: Default::default(),
        assertions: vec![],
        traffic: None,
    }
}

fn read_saved(text: &str) -> Result<(Scenario, Vec<Op>), String> {
    let saved: SavedIn =
        from_json_text(text).map_err(|e| format!("the saved data is not readable: {e}"))?;
    if saved.version != SAVED_VERSION {
        return Err(format!(
            "saved with format version {}; this Flotilla reads version {SAVED_VERSION}",
            saved.version
        ));
    }
    let scenario =
        flotilla_core::scenario::from_value(saved.scenario).map_err(|errors| join(&errors))?;
    Ok((scenario, saved.tape))
}

fn local_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().session_storage().ok().flatten()
}

fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

fn session_remove(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

fn storage_set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn location_hash() -> Option<String> {
    let hash = gloo::utils::window().location().hash().ok()?;
    (!hash.is_empty()).then_some(hash)
}

fn clear_hash() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
