//! The root component: owns the sandbox reducer and the play timer, lays out the screen.

use crate::components::{event_log::EventLog, fleet::Fleet, services::Services, toolbar::Toolbar};
use crate::state::{Sandbox, SandboxAction};
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Wall-clock period of the play timer.
const TICK_MS: u32 = 100;

#[function_component(App)]
pub fn app() -> Html {
    let sandbox = use_reducer(Sandbox::with_default_scenario);

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

    let on_step = {
        let sandbox = sandbox.clone();
        Callback::from(move |_| sandbox.dispatch(SandboxAction::Step))
    };
    let on_toggle_play = {
        let sandbox = sandbox.clone();
        Callback::from(move |_| sandbox.dispatch(SandboxAction::SetPlaying(!sandbox.playing)))
    };
    let on_speed = {
        let sandbox = sandbox.clone();
        Callback::from(move |speed| sandbox.dispatch(SandboxAction::SetSpeed(speed)))
    };
    let on_reset = {
        let sandbox = sandbox.clone();
        Callback::from(move |_| sandbox.dispatch(SandboxAction::Reset))
    };

    let world = sandbox.handle();
    let scenario_name = world.world.borrow().scenario_name().to_string();
    html! {
        <div class="flotilla">
            <Toolbar
                scenario_name={scenario_name}
                now={sandbox.now()}
                playing={sandbox.playing}
                speed={sandbox.speed}
                {on_step}
                {on_toggle_play}
                {on_speed}
                {on_reset}
            />
            if let Some(error) = &sandbox.load_error {
                <div class="load-error" role="alert">
                    <strong>{ "The scenario could not be loaded:" }</strong>
                    <pre>{ error }</pre>
                </div>
            }
            <main class="layout">
                <section class="fleet-column">
                    <Services world={world.clone()} />
                    <Fleet world={world.clone()} />
                </section>
                <EventLog world={world} />
            </main>
        </div>
    }
}
