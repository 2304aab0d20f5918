//! A long jump's later shares (`jump`): `RunningJump` owns the world of a `Jump` and runs it
//! towards the target `jump::SHARE_MS` of wall time at a time, handing the thread back to the
//! browser between two shares through a `MessageChannel` (a message is a task of its own, not
//! clamped to 4 ms as a nested `setTimeout` is), so input and rendering go on. After each share
//! it reports progress, keeps a waypoint now and then, and at the target hands the world, not
//! bytes, to the reducer. `components::jump_progress` owns the `RunningJump` while it shows the
//! jump; dropping it (Cancel, a replacing input, an unmount) stops the shares.

use crate::intents::JumpIntents;
use crate::jump::{self, Jump, Share, Waypoints};
use crate::state::JumpReached;
use flotilla_core::{SimTime, World};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageChannel, MessageEvent};
use yew::Callback;

/// A jump running in shares on the page. Dropping it stops the jump.
pub struct RunningJump {
    /// `None` once the jump is done or dropped: a share already queued then does nothing.
    shares: Rc<RefCell<Option<Shares>>>,
    channel: Option<MessageChannel>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

/// What the shares carry from one to the next.
struct Shares {
    id: u64,
    world: World,
    target: SimTime,
    /// Wake-ups popped by this jump so far, the first share included.
    popped: u64,
    waypoints: Waypoints,
    intents: JumpIntents,
    on_progress: Callback<(SimTime, u64)>,
}

impl RunningJump {
    /// Starts running the rest of `jump` (its world is taken out of it). `on_progress` gets the
    /// simulated time reached and the events so far after every share; the rest goes to
    /// `intents`.
    pub fn start(
        jump: Rc<Jump>,
        intents: JumpIntents,
        on_progress: Callback<(SimTime, u64)>,
    ) -> RunningJump {
        let idle = RunningJump {
            shares: Rc::new(RefCell::new(None)),
            channel: None,
            _on_message: None,
        };
        // Taken by an earlier render of the same jump: that one runs it.
        let Some(world) = jump.world.borrow_mut().take() else {
            return idle;
        };
        let shares = Rc::new(RefCell::new(Some(Shares {
            id: jump.id,
            waypoints: Waypoints::new(world.events().len() as u64),
            world,
            target: jump.target,
            popped: jump.popped,
            intents,
            on_progress,
        })));
        let Ok(channel) = MessageChannel::new() else {
            // No MessageChannel (every browser the app runs in has one): the rest in one go,
            // from a task of its own (not inside the render that started it).
            let runner = shares.clone();
            gloo::timers::callback::Timeout::new(0, move || while run_one_share(&runner) {})
                .forget();
            return RunningJump {
                shares,
                channel: None,
                _on_message: None,
            };
        };
        let on_message = {
            let (shares, port) = (shares.clone(), channel.port2());
            Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                if run_one_share(&shares) {
                    // Another share after the browser has had its turn.
                    let _ = port.post_message(&JsValue::NULL);
                }
            })
        };
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let _ = channel.port2().post_message(&JsValue::NULL);
        RunningJump {
            shares,
            channel: Some(channel),
            _on_message: Some(on_message),
        }
    }
}

impl Drop for RunningJump {
    fn drop(&mut self) {
        self.shares.borrow_mut().take();
        if let Some(channel) = &self.channel {
            channel.port1().set_onmessage(None);
            channel.port1().close();
            channel.port2().close();
        }
    }
}

/// Runs one share; true when the jump goes on (another share is wanted).
fn run_one_share(cell: &Rc<RefCell<Option<Shares>>>) -> bool {
    let mut slot = cell.borrow_mut();
    let Some(shares) = slot.as_mut() else {
        return false;
    };
    match jump::run_share(
        &mut shares.world,
        shares.target,
        jump::SHARE_MS,
        shares.popped,
    ) {
        Share::Unfinished { popped } => {
            shares.popped = popped;
            let (world, id) = (&shares.world, shares.id);
            let waypoint = shares.waypoints.take(world).then(|| world.clone());
            let progress = (world.now(), world.events().len() as u64);
            let (intents, on_progress) = (shares.intents.clone(), shares.on_progress.clone());
            // Callbacks after the borrow ends: a dispatch may render and drop this jump.
            drop(slot);
            if let Some(world) = waypoint {
                intents.on_waypoint.emit((id, Box::new(world)));
            }
            on_progress.emit(progress);
            true
        }
        Share::Reached => {
            let Some(done) = slot.take() else {
                return false;
            };
            drop(slot);
            let digest = done.world.digest();
            done.intents.on_reached.emit(Box::new(JumpReached {
                id: done.id,
                world: done.world,
                digest,
            }));
            false
        }
    }
}
