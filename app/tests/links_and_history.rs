//! The link codec and the edit history (native): base64url and DEFLATE round trips, bad links
//! as errors; undo/redo, its bounds, and a damaged stored history as an error naming where.

use flotilla_core::parse_scenario;

#[test]
fn share_links_round_trip_and_bad_links_are_errors() {
    use flotilla_app::share::{
        base64url_decode, base64url_encode, decode_fragment, decode_moment, encode_fragment,
    };

    for bytes in [
        &b""[..],
        b"f",
        b"fo",
        b"foo",
        b"foob",
        &[0, 255, 128, 7, 63],
    ] {
        assert_eq!(
            base64url_decode(&base64url_encode(bytes)).as_deref(),
            Ok(bytes)
        );
    }
    let json = include_str!("../../core/scenarios/microservices.json");
    let fragment = encode_fragment(json);
    assert!(fragment.len() < json.len(), "deflate shortens the scenario");
    assert_eq!(
        decode_fragment(&format!("#{fragment}")),
        Ok(Some(json.to_string()))
    );
    assert_eq!(decode_fragment("#other"), Ok(None));
    // The embed's link adds the moment after the scenario.
    let with_moment = format!("#{fragment}&t=1m30s");
    assert_eq!(decode_fragment(&with_moment), Ok(Some(json.to_string())));
    assert_eq!(decode_moment(&with_moment), Ok(Some(90_000)));
    assert_eq!(decode_moment(&format!("#{fragment}")), Ok(None));
    assert_eq!(
        decode_moment("#s=AAAA&t=soon").map_err(|e| e.to_string()),
        Err("the link's moment (t=): expected a number at position 1 of duration \"soon\"".into())
    );
    assert!(
        decode_moment("#s=AAAA&t=7h").is_err(),
        "a moment past 6h is refused"
    );
    for bad in ["#s=not*base64", "#s=AAAA", "#s=A", "#s=%%"] {
        assert!(decode_fragment(bad).is_err(), "{bad} was accepted");
    }
}

#[test]
fn edit_history_undoes_redoes_is_bounded_and_a_damaged_one_is_an_error() {
    use flotilla_app::edit_history::{EditHistory, Snapshot, EDITS_MAX};

    let base = parse_scenario(include_str!("../../core/scenarios/microservices.json"))
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let with_seed = |seed: u64| {
        let mut scenario = base.clone();
        scenario.seed = seed;
        scenario
    };
    let mut history = EditHistory::default();
    assert_eq!(history.undo_label(), None);
    for seed in 0..(EDITS_MAX as u64 + 5) {
        history.record(Snapshot {
            label: format!("edit {seed}"),
            scenario: with_seed(seed),
            tape: vec![],
        });
    }
    assert_eq!(history.undo_label(), Some("edit 54"));
    let back = history
        .undo((with_seed(999), vec![]))
        .unwrap_or_else(|| panic!("something to undo"));
    assert_eq!((back.label.as_str(), back.scenario.seed), ("edit 54", 54));
    assert_eq!(history.redo_label(), Some("edit 54"));
    let forward = history
        .redo((back.scenario, vec![]))
        .unwrap_or_else(|| panic!("something to redo"));
    assert_eq!(
        forward.scenario.seed, 999,
        "redo returns to the state undo left"
    );

    // Only the newest EDITS_MAX are kept: undoing all of them ends at seed 5.
    let mut count = 0;
    let mut last = None;
    while let Some(back) = history.undo((with_seed(0), vec![])) {
        count += 1;
        last = Some(back.scenario.seed);
    }
    assert_eq!((count, last), (EDITS_MAX, Some(5)));

    // Stored and read back; damaged text is an error naming where.
    let text = history.to_json();
    let read = EditHistory::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read, history);
    let error = EditHistory::from_json(
        r#"{"version": 1, "undo": [{"label": "x", "scenario": {"version": 1}, "tape": []}], "redo": []}"#,
    )
    .expect_err("a scenario without a name is damaged");
    assert!(error.starts_with("undo[0].scenario:"), "{error}");
    assert!(EditHistory::from_json("{").is_err());

    // The stored form is bounded: with three ~440 KB entries, the oldest is dropped.
    let mut big = EditHistory::default();
    for seed in 0..3 {
        big.record(Snapshot {
            label: format!("long run {seed}"),
            scenario: with_seed(seed),
            tape: vec![flotilla_core::session::Op::Step; 60_000],
        });
    }
    let text = big.to_json();
    assert!(
        text.len() <= flotilla_app::edit_history::STORED_BYTES_MAX,
        "{}",
        text.len()
    );
    let mut read = EditHistory::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    let labels: Vec<String> = std::iter::from_fn(|| read.undo((with_seed(9), vec![])))
        .map(|s| s.label)
        .collect();
    assert_eq!(labels, ["long run 2", "long run 1"]);
    assert!(
        EditHistory::from_json(r#"{"version": 7, "undo": [], "redo": []}"#)
            .is_err_and(|e| e.contains("version 7"))
    );
}
