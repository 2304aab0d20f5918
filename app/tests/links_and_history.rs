//! The link codec and the edit history (native): base64url and DEFLATE round trips, links from
//! other compressors and from stored blocks, bad links as errors; undo/redo, its bounds, and a
//! damaged stored history as an error naming where.

use crate::deflate;
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
    let fragment = encode_fragment(&deflate(json));
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
fn links_from_any_deflate_stream_open_to_the_same_text() {
    use flotilla_app::share::{decode_fragment, deflate_stored, encode_fragment, unpack};

    // Another compressor than the tests' own: zlib 1.2.13, which browsers' CompressionStream
    // ('deflate-raw') runs, at its default level (6), written by Python:
    //   c = zlib.compressobj(6, zlib.DEFLATED, -15, 8, STRATEGY)
    //   base64.urlsafe_b64encode(c.compress(TEXT.encode()) + c.flush()).rstrip(b'=')
    // On this text the default strategy writes the bytes miniz_oxide writes; Z_FIXED (fixed
    // Huffman codes, a block type miniz_oxide does not write here) and Z_HUFFMAN_ONLY (no
    // matches) write others.
    const TEXT: &str = r#"[{"apply":{"at_ms":0,"action":{"updateService":{"service":"orders","desiredCount":6}}}},{"runUntil":{"at_ms":60000}},{"apply":{"at_ms":60000,"action":{"updateService":{"service":"orders","desiredCount":3}}}},{"runUntil":{"at_ms":120000}},{"apply":{"at_ms":120000,"action":{"drainInstance":{"instance":"i-0a1b2c3d4e5f60001"}}}},{"runUntil":{"at_ms":180000}},{"step":null},{"step":null},{"runUntil":{"at_ms":240000}}]"#;
    let by_zlib = [
        ("Z_DEFAULT_STRATEGY", "pY7NCsJADITfJecKba1F9urJs3gSkbUbIbCmy25WkOK72x8sRa0Xc5rMMPlyaEA7Z--gWiGnawCVJqAroZo7LzqjBXfob1RhZ4SXhNob9AESMBjIo9nUkQVU-WgnacBH3rOQnVwu03b68J3ZJ_9xl_PcLJ8FD9GUbLwm3nIQzQOZRg20SHV2zqulKXB16Z7O4Ad2PWKDoAPF0drP7UszL4bm8Qk"),
        ("Z_FIXED", "i65WSiwoyKlUsgIySuJzi5WsDHSUEpNLMvPzQGKlBSmJJanBqUVlmcmpIIFiGFMpvygltahYSUcpJbU4syg1xTm_NK9EycqsFgh0qpWKSvNC80oyc5BMNjMAArAkup1gGcrsNcZtr6ERToshUsg2pxQlZuZ55hWXJOZBbM6Es5UydQ0SDZOMko1TTFJN00CONlTCY60F3NriktQCJau80pwcTB4WnUYmEJ2xAA"),
        ("Z_HUFFMAN_ONLY", "BcHBahwxDAbgd_nPLmg26VJ0zannsKdQBsdWweDRDLa8sAi9e77vy5Gvq7_Ajmz7McGUkIu1U8GOddVs8inj2YqAHVPGsxUB4xxVxkRCldmG1I9zqYHvERHJMZY-1FoHO7LtxwTfiYgikiNfV3-BHdn2Y4LvREQJuVg7FexYV80mnzKerQjYMWU8WxEwzlFlTCRUmW1I_TiXGvgtIiI5xtKHWutgR7b9mODtRkQUkRz5uvoL7Mi2HxO83YiIEnKxdirYUUdu-lenZS0CdjSdlrUIGO0X5e37Vt7qu_z-fyeiDRERyTGWPtRaBzuy7ccEb3-IiCKSY5pcYF29R3JMkwusq_dIjrH0odY62JFtPyb49k5EFPHvBw"),
    ];
    let ours = flotilla_app::share::pack_deflated(&deflate(TEXT));
    for (strategy, payload) in by_zlib {
        assert_eq!(unpack(payload, 1024).as_deref(), Ok(TEXT), "{strategy}");
        if strategy != "Z_DEFAULT_STRATEGY" {
            assert_ne!(payload, ours, "{strategy} writes another stream");
        }
    }

    let json = include_str!("../../core/scenarios/microservices.json");
    let ours = deflate(json);
    // miniz_oxide's fastest level, and stored blocks (what the app writes where the browser
    // cannot compress): other bytes, the same text.
    let fastest = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 1);
    assert_ne!(fastest, ours, "the levels write different streams");
    let stored = deflate_stored(json.as_bytes());
    for (name, deflated) in [("level 9", ours), ("level 1", fastest), ("stored", stored)] {
        assert_eq!(
            decode_fragment(&format!("#{}", encode_fragment(&deflated))),
            Ok(Some(json.to_string())),
            "{name}"
        );
    }
}

#[test]
fn stored_blocks_open_at_every_size() {
    use flotilla_app::share::{deflate_stored, pack_deflated, unpack};

    for size in [0_usize, 1, 65_534, 65_535, 65_536, 200_000] {
        let text: String = (0..size)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect();
        let deflated = deflate_stored(text.as_bytes());
        let blocks = size.div_ceil(65_535).max(1);
        assert_eq!(deflated.len(), size + 5 * blocks, "{size} bytes");
        assert_eq!(
            unpack(&pack_deflated(&deflated), 256 * 1024).as_deref(),
            Ok(text.as_str()),
            "{size} bytes"
        );
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
