//! One mounted app's identity on the page: its name, the prefix of every DOM id it renders
//! (ids that labels and ARIA need must be unique on a page that holds two apps), and its
//! browser storage (`persist::Store`). Components read it from a context (`use_instance`).
//! Also the page's one shared fact about instances: which one the user used last, so that a
//! shortcut pressed with the focus outside every app (on the page's body) goes to one app only.

use crate::persist::Store;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The name of the app that `start` mounts into `#app`.
pub const APP_NAME: &str = "app";

#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// Unique among the instances mounted on this page (checked by `Instance::claim`).
    pub name: Rc<str>,
    /// Where this instance's work is kept in browser storage.
    pub store: Store,
    /// Put before every DOM id the instance renders: none for the app at `#app` (its ids are
    /// as they always were), `flotilla-<name>-` for a mounted one.
    pub id_prefix: Rc<str>,
    /// A number no other instance on this page has had, for the "last used" rule.
    pub serial: u32,
}

impl Instance {
    /// The app at `#app`: storage keys as they have always been, so saved work still loads.
    pub fn app() -> Result<Instance, String> {
        Instance::claim(APP_NAME, Store::app(), "")
    }

    /// An instance mounted under `name`, with storage of its own (`flotilla@<name>.…`).
    pub fn named(name: &str) -> Result<Instance, String> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(format!(
                "an instance name must be 1 to 64 letters, digits, '-' or '_'; got {name:?}"
            ));
        }
        Instance::claim(name, Store::named(name), &format!("flotilla-{name}-"))
    }

    /// A DOM id for `what` that no other instance on the page renders.
    pub fn dom_id(&self, what: &str) -> String {
        format!("{}{what}", self.id_prefix)
    }

    /// Gives up the name (the instance was unmounted), so it can be mounted again.
    pub fn release(&self) {
        NAMES.with(|names| names.borrow_mut().retain(|n| **n != *self.name));
        if LAST_USED.get() == Some(self.serial) {
            LAST_USED.set(None);
        }
    }

    /// Marks this instance as the one the user used last (a pointer or the focus inside it).
    pub fn mark_used(&self) {
        LAST_USED.set(Some(self.serial));
    }

    /// True when a shortcut pressed outside every instance belongs to this one: the one used
    /// last, or, before any was used, the first one that asked (the only one, on the full app's
    /// own page).
    pub fn owns_unfocused_keys(&self) -> bool {
        match LAST_USED.get() {
            Some(serial) => serial == self.serial,
            None => {
                LAST_USED.set(Some(self.serial));
                true
            }
        }
    }

    fn claim(name: &str, store: Store, id_prefix: &str) -> Result<Instance, String> {
        NAMES.with(|names| {
            let mut names = names.borrow_mut();
            if names.iter().any(|n| **n == *name) {
                return Err(format!(
                    "an instance named {name:?} is already mounted on this page; give each a name of its own"
                ));
            }
            let name: Rc<str> = name.into();
            names.push(name.clone());
            let serial = NEXT_SERIAL.get();
            NEXT_SERIAL.set(serial + 1);
            Ok(Instance {
                name,
                store,
                id_prefix: id_prefix.into(),
                serial,
            })
        })
    }
}

thread_local! {
    /// Names of the instances mounted on this page.
    static NAMES: RefCell<Vec<Rc<str>>> = const { RefCell::new(Vec::new()) };
    static NEXT_SERIAL: Cell<u32> = const { Cell::new(1) };
    /// The instance the user used last, if any.
    static LAST_USED: Cell<Option<u32>> = const { Cell::new(None) };
}

/// The instance this component is mounted in (the root provides it).
#[hook]
pub fn use_instance() -> Instance {
    use_context::<Instance>()
        .expect("components are mounted inside an app root that provides its Instance")
}
