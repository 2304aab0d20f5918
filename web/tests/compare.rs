//! The components' pure decisions (wasm-bindgen-test in headless Chromium): the tablist's arrow
//! keys and the inline "not a time" text. The comparison's figures are tested natively in
//! flotilla-app (`app/tests/compare_figures.rs`).

use flotilla_core::SimTime;
use flotilla_web::components::side_panel::tab_reached;
use flotilla_web::components::transport::{not_a_time, parse_time};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn arrow_keys_move_between_tabs_and_wrap() {
    assert_eq!(tab_reached("ArrowRight", 0, 5), Some(1));
    assert_eq!(tab_reached("ArrowRight", 4, 5), Some(0));
    assert_eq!(tab_reached("ArrowLeft", 0, 5), Some(4));
    assert_eq!(tab_reached("Home", 3, 5), Some(0));
    assert_eq!(tab_reached("End", 1, 5), Some(4));
    assert_eq!(tab_reached("Enter", 1, 5), None);
}

#[wasm_bindgen_test]
fn a_bad_time_says_what_was_typed_and_what_works() {
    let error = parse_time("-5s").expect_err("negative");
    assert_eq!(
        not_a_time("-5s", &error),
        "\u{201c}-5s\u{201d} is not a time (a time cannot be negative): use 2m30s or 0:02:30"
    );
    let error = parse_time("soon").expect_err("not a duration");
    assert!(not_a_time("soon", &error).starts_with("\u{201c}soon\u{201d} is not a time ("));
    assert_eq!(
        not_a_time("  ", "ignored"),
        "No time given: type a time such as 2m30s or 0:02:30"
    );
    assert_eq!(parse_time("0:02:30"), Ok(SimTime(150_000)));
    assert_eq!(parse_time("2m30s"), Ok(SimTime(150_000)));
}
