//! The app's single reducer: the running world, the scenario it came from, and play state.
//! The world sits behind `Rc<RefCell<_>>` so a step mutates it in place instead of cloning it;
//! `version` changes on every action so components re-render (Yew 0.23 skips a re-render when
//! `reduce` returns the same `Rc`).

use flotilla_core::builtin::default_scenario;
use flotilla_core::{parse_scenario, Scenario, SimTime, World};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// Simulated seconds per wall-clock second offered by the speed selector.
pub const SPEEDS: [u32; 4] = [1, 10, 30, 120];
pub const DEFAULT_SPEED: u32 = 10;

pub struct Sandbox {
    pub world: Rc<RefCell<World>>,
    scenario: Rc<Scenario>,
    pub version: u64,
    pub playing: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: u32,
    /// Why the scenario could not be loaded, if it could not.
    pub load_error: Option<String>,
}

pub enum SandboxAction {
    /// Process wake-ups until at least one event happens.
    Step,
    /// The play timer fired after `wall_ms` of real time.
    Advance {
        wall_ms: u32,
    },
    SetPlaying(bool),
    SetSpeed(u32),
    /// Back to the scenario's start.
    Reset,
}

impl Sandbox {
    pub fn with_default_scenario() -> Sandbox {
        match parse_scenario(default_scenario().json)
            .map_err(|errors| {
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .and_then(|scenario| {
                let world = World::new(&scenario).map_err(|errors| {
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                })?;
                Ok((scenario, world))
            }) {
            Ok((scenario, world)) => Sandbox {
                world: Rc::new(RefCell::new(world)),
                scenario: Rc::new(scenario),
                version: 0,
                playing: false,
                speed: DEFAULT_SPEED,
                load_error: None,
            },
            Err(message) => Sandbox::failed(message),
        }
    }

    fn failed(message: String) -> Sandbox {
        let empty = Scenario {
            version: 1,
            name: "empty".into(),
            description: String::new(),
            seed: 0,
            fleet: vec![],
            task_definitions: vec![],
            revision_behaviour: vec![],
            services: vec![],
            timeline: vec![],
        };
        let world =
            World::new(&empty).unwrap_or_else(|_| unreachable!("an empty scenario is valid"));
        Sandbox {
            world: Rc::new(RefCell::new(world)),
            scenario: Rc::new(empty),
            version: 0,
            playing: false,
            speed: DEFAULT_SPEED,
            load_error: Some(message),
        }
    }

    fn next(&self, playing: bool, speed: u32) -> Rc<Sandbox> {
        Rc::new(Sandbox {
            world: self.world.clone(),
            scenario: self.scenario.clone(),
            version: self.version + 1,
            playing,
            speed,
            load_error: self.load_error.clone(),
        })
    }
}

impl Reducible for Sandbox {
    type Action = SandboxAction;

    fn reduce(self: Rc<Self>, action: SandboxAction) -> Rc<Self> {
        match action {
            SandboxAction::Step => {
                self.world.borrow_mut().step();
                self.next(self.playing, self.speed)
            }
            SandboxAction::Advance { wall_ms } => {
                let mut world = self.world.borrow_mut();
                let target = world
                    .now()
                    .plus_ms(u64::from(wall_ms) * u64::from(self.speed));
                world.run_until(target);
                drop(world);
                self.next(self.playing, self.speed)
            }
            SandboxAction::SetPlaying(playing) => self.next(playing, self.speed),
            SandboxAction::SetSpeed(speed) => self.next(self.playing, speed),
            SandboxAction::Reset => {
                if let Ok(world) = World::new(&self.scenario) {
                    *self.world.borrow_mut() = world;
                }
                self.next(false, self.speed)
            }
        }
    }
}

/// What components receive: the world plus the version it is at, so props compare cheaply.
#[derive(Clone)]
pub struct WorldHandle {
    pub world: Rc<RefCell<World>>,
    pub version: u64,
}

impl PartialEq for WorldHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.world, &other.world) && self.version == other.version
    }
}

impl Sandbox {
    pub fn handle(&self) -> WorldHandle {
        WorldHandle {
            world: self.world.clone(),
            version: self.version,
        }
    }

    pub fn now(&self) -> SimTime {
        self.world.borrow().now()
    }
}
