//! The page's side of the jump worker (`www/worker.js`): start a worker with a jump's snapshot,
//! decode what it sends (progress, waypoints, the world reached) and hand worlds, not bytes, to
//! the app; when no worker starts, finish the jump on the page. One spare worker is kept loaded,
//! so a jump does not wait for a worker to compile the app: a pool of one, shared by every app on
//! the page and safe to share (a jump takes the spare for itself and a new spare starts; each
//! running jump owns its worker and terminates it). `components::jump_progress` owns the
//! `RunningJump` while it shows the jump.

use crate::intents::JumpIntents;
use crate::jump::{self, Jump};
use crate::persist::Notice;
use crate::state::JumpReached;
use flotilla_core::{SimTime, World};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// A worker running one jump. Dropping it terminates the worker.
pub struct RunningJump {
    worker: Option<Worker>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl RunningJump {
    /// Starts `jump` in a worker (the spare one if ready). `on_progress` gets the simulated time
    /// reached and the events so far as the worker reports them; the rest goes to `intents`.
    pub fn start(
        jump: Rc<Jump>,
        intents: JumpIntents,
        on_progress: Callback<(SimTime, u64)>,
    ) -> RunningJump {
        let id = jump.id;
        let failed = {
            let (jump, intents) = (jump.clone(), intents.clone());
            move |message: String| finish_on_page(&jump, &intents, message)
        };
        let worker = match new_worker() {
            Ok(worker) => worker,
            Err(message) => {
                fail_later(failed, message);
                return RunningJump {
                    worker: None,
                    _on_message: None,
                    _on_error: None,
                };
            }
        };
        let on_message = {
            let failed = failed.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok();
                let number = |name: &str| field(name).and_then(|v| v.as_f64()).unwrap_or(0.0);
                match field("kind").and_then(|kind| kind.as_string()).as_deref() {
                    Some("progress") => on_progress
                        .emit((SimTime(number("reachedMs") as u64), number("events") as u64)),
                    Some("waypoint") => {
                        // A waypoint that does not decode is only a missed shortcut for later
                        // rewinds.
                        let world = field("snapshot")
                            .and_then(|s| s.dyn_into::<Uint8Array>().ok())
                            .and_then(|bytes| World::from_snapshot(&bytes.to_vec()).ok());
                        if let Some(world) = world {
                            intents.on_waypoint.emit((id, Box::new(world)));
                        }
                    }
                    Some("done") => {
                        match field("snapshot").and_then(|s| s.dyn_into::<Uint8Array>().ok()) {
                            Some(bytes) => take_in(id, &bytes.to_vec(), &intents),
                            None => failed("the worker's answer had no snapshot".into()),
                        }
                    }
                    Some("error") => failed(
                        field("message")
                            .and_then(|m| m.as_string())
                            .unwrap_or_else(|| "unknown error".into()),
                    ),
                    _ => failed("the worker sent a message the page does not know".into()),
                }
            })
        };
        let on_error = {
            let failed = failed.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                failed("worker.js could not be loaded or crashed".into())
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if let Err(message) = post_jump(&worker, &jump) {
            worker.terminate();
            fail_later(failed, message);
        }
        RunningJump {
            worker: Some(worker),
            _on_message: Some(on_message),
            _on_error: Some(on_error),
        }
    }
}

impl Drop for RunningJump {
    fn drop(&mut self) {
        if let Some(worker) = &self.worker {
            worker.terminate();
        }
    }
}

/// Decodes the world the worker reached (timing it) and hands it to the reducer.
fn take_in(id: u64, snapshot: &[u8], intents: &JumpIntents) {
    let started = jump::wall_ms();
    match World::from_snapshot(snapshot) {
        Ok(world) => {
            let fingerprint = flotilla_core::world::snapshot_fingerprint(snapshot).unwrap_or(0);
            let take_in_ms = (jump::wall_ms() - started) as u32;
            intents.on_reached.emit(Box::new(JumpReached {
                id,
                world,
                fingerprint,
                ran_in: "worker",
                take_in_ms,
                notice: None,
            }));
        }
        Err(error) => intents.on_abandoned.emit((
            id,
            Notice::error(
                "The jump could not be finished; the run is where it was:",
                error.to_string(),
            ),
        )),
    }
}

/// No worker could run the jump (`message` says why): finishes it on the page.
fn finish_on_page(jump: &Jump, intents: &JumpIntents, message: String) {
    match jump::run_rest_on_page(jump) {
        Ok(world) => {
            let fingerprint =
                flotilla_core::world::snapshot_fingerprint(&world.to_snapshot()).unwrap_or(0);
            intents.on_reached.emit(Box::new(JumpReached {
                id: jump.id,
                world,
                fingerprint,
                ran_in: "page",
                take_in_ms: 0,
                notice: Some(Notice::info(
                    "The jump ran on the page, which may have paused, because the background worker could not start:",
                    message,
                )),
            }));
        }
        Err(error) => intents.on_abandoned.emit((
            jump.id,
            Notice::error(
                "The jump could not be finished; the run is where it was:",
                error,
            ),
        )),
    }
}

/// Reports a failure from a fresh task: effects run inside a render, not where a dispatch
/// should start a long synchronous run.
fn fail_later(failed: impl FnOnce(String) + 'static, message: String) {
    gloo::timers::callback::Timeout::new(0, move || failed(message)).forget();
}

thread_local! {
    /// A worker that has loaded (or is loading) the wasm and waits for a jump. Starting a
    /// worker compiles the whole app again (~100–200 ms): a rewind handed over after the page's
    /// 40 ms would pay that every time, so one is kept ready and replaced as soon as it is used.
    static SPARE_WORKER: std::cell::RefCell<Option<Worker>> = const { std::cell::RefCell::new(None) };
}

/// Starts the spare worker, if there is none yet. The app calls this once it has rendered, so
/// the first long jump or rewind already finds one ready.
pub fn warm_spare_worker() {
    SPARE_WORKER.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.is_none() {
            // No worker support: `new_worker` will say so when a jump needs one.
            *spare = spawn_worker().ok();
        }
    });
}

/// The spare worker if one is ready, else a new one; a new spare is started either way.
fn new_worker() -> Result<Worker, String> {
    let spare = SPARE_WORKER.with(|spare| spare.borrow_mut().take());
    let worker = match spare {
        Some(worker) => worker,
        None => spawn_worker()?,
    };
    warm_spare_worker();
    Ok(worker)
}

/// A module worker running `worker.js` beside the page. Its first message is the page's own
/// compiled wasm module, so the worker neither downloads nor compiles the app a second time
/// (without it every page load fetched the ~650 KiB wasm twice, once for the spare worker).
fn spawn_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options("worker.js", &options).map_err(describe)?;
    worker
        .post_message(&wasm_bindgen::module())
        .map_err(describe)?;
    Ok(worker)
}

/// Sends the jump to the worker; the snapshot's buffer is transferred, not copied.
fn post_jump(worker: &Worker, jump: &Jump) -> Result<(), String> {
    let bytes = Uint8Array::from(jump.snapshot.as_slice());
    let message = Object::new();
    for (name, value) in [
        ("snapshot", JsValue::from(bytes.clone())),
        ("targetMs", JsValue::from_f64(jump.target.as_ms() as f64)),
        ("popped", JsValue::from_f64(jump.popped as f64)),
    ] {
        Reflect::set(&message, &JsValue::from_str(name), &value).map_err(describe)?;
    }
    worker
        .post_message_with_transfer(&message, &Array::of1(&bytes.buffer()))
        .map_err(describe)
}

fn describe(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{error:?}"))
}
