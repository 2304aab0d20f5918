//! Mounting more than one app (wasm-bindgen-test in headless Chromium): each instance's storage
//! keys and DOM ids are its own, names are unique on the page, and the reducer leaves the
//! page's share of a long seek to a hook (it changes nothing until the world comes back).

use flotilla_core::builtin::default_scenario;
use flotilla_core::{parse_scenario, SimTime};
use flotilla_web::drafts::Drafts;
use flotilla_web::instance::Instance;
use flotilla_web::persist::{self, Startup, Store};
use flotilla_web::state::{Sandbox, SandboxAction};
use std::rc::Rc;
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn sandbox() -> Rc<Sandbox> {
    let scenario = parse_scenario(default_scenario().json).expect("the default scenario is valid");
    Rc::new(Sandbox::from_startup(Startup {
        scenario,
        tape: Vec::new(),
        notices: Vec::new(),
        drafts: Drafts::default(),
        link_coming: false,
    }))
}

#[wasm_bindgen_test]
fn the_app_keeps_its_keys_and_a_named_instance_gets_its_own() {
    assert_eq!(Store::app().key(persist::AUTOSAVE), "flotilla.autosave");
    assert_eq!(
        Store::app().key(persist::EDITS_BROKEN),
        "flotilla.edits.broken"
    );
    assert_eq!(Store::app().key(persist::LINK), "flotilla.link");
    let named = Store::named("autosave");
    for key in [
        persist::AUTOSAVE,
        persist::LINK,
        persist::BROKEN,
        persist::DRAFTS,
        persist::EDITS,
        persist::EDITS_BROKEN,
    ] {
        assert!(
            named.key(key).starts_with("flotilla@autosave."),
            "{}",
            named.key(key)
        );
        assert_ne!(named.key(key), Store::app().key(key));
    }
}

#[wasm_bindgen_test]
fn one_instance_never_reads_another_instances_autosave() {
    let (a, b) = (Store::named("store-a"), Store::named("store-b"));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(&b.key(persist::AUTOSAVE)).unwrap();
    let mut scenario = parse_scenario(default_scenario().json).unwrap();
    scenario.name = "only in a".into();
    a.save(&scenario, &[]).expect("saved");
    assert_eq!(a.startup().scenario.name, "only in a");
    assert_ne!(b.startup().scenario.name, "only in a");
}

#[wasm_bindgen_test]
fn names_are_unique_on_the_page_and_prefix_every_dom_id() {
    let first = Instance::named("twin").expect("a free name");
    let error = Instance::named("twin").expect_err("the name is taken");
    assert!(error.contains("already mounted"), "{error}");
    assert_eq!(first.dom_id("side-panel"), "flotilla-twin-side-panel");
    assert!(Instance::named("no spaces").is_err());
    assert!(Instance::named("").is_err());
    first.release();
    let again = Instance::named("twin").expect("free again once released");
    assert_ne!(again.serial, first.serial);
    again.release();
}

#[wasm_bindgen_test]
fn a_forward_seek_waits_for_its_page_run_and_a_stale_answer_changes_nothing() {
    let before = sandbox();
    let at = SimTime(120_000);
    let asked = before.clone().reduce(SandboxAction::Seek(at));
    let seek = asked
        .page_seek
        .clone()
        .expect("a forward seek from the start runs on the page");
    assert_eq!(asked.now(), SimTime(0), "nothing moves before the page run");
    assert_eq!(
        asked.version, before.version,
        "the world on screen is unchanged"
    );

    let mut world = seek.world.borrow_mut().take().expect("the seek's start");
    world.run_until(at);
    let stale = asked.clone().reduce(SandboxAction::PageSeekReached {
        id: seek.id + 1,
        world: Box::new(world.clone()),
    });
    assert!(
        Rc::ptr_eq(&stale, &asked),
        "another seek's answer is ignored"
    );
    let reached = asked.reduce(SandboxAction::PageSeekReached {
        id: seek.id,
        world: Box::new(world),
    });
    assert_eq!(reached.now(), at);
    assert!(reached.page_seek.is_none());
}

#[wasm_bindgen_test]
fn the_users_work_comes_from_the_action_not_from_storage() {
    let sandbox = sandbox().reduce(SandboxAction::OpenWork(None));
    assert_eq!(
        sandbox.notices.last().map(|n| n.title.as_str()),
        Some("There is no work of yours in this browser yet.")
    );
}
