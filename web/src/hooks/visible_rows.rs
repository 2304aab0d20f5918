//! Which rows of a long list of fixed-height rows are on screen: the fleet's virtual grid and
//! the services list of a large scenario. Each Availability Zone is a column of instance cards
//! (the services list is one column of table rows); a long column renders only the rows that
//! meet the browser's viewport, plus a margin, and pads the column above and below so its
//! scroll height stays that of every row (`Rows::padding`). The rows are measured
//! from each column's box (`getBoundingClientRect`) after every render, on any scroll on the page
//! (captured at the window, so whichever element scrolls the fleet) and on resize. The range moves
//! in steps of `STEP_ROWS`, so scrolling re-renders the fleet every few rows, not every pixel.
//! Columns that wrap under one another (narrow windows) are measured each on its own.

use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Height of one card in a virtual column of the fleet (`.zones.virtual .instance` in
/// style.css), in CSS px.
pub const CARD_PX: u32 = 124;
/// Card height plus the gap between cards (`.zones.virtual .rows` gap): the fleet's row.
pub const ROW_PX: u32 = CARD_PX + 8;
/// Rows rendered beyond each edge of the viewport (a keyboard user tabbing on, a quick scroll),
/// and the step by which the range moves.
pub const STEP_ROWS: u32 = 6;
/// Rows rendered before the first measure.
const FIRST_ROWS: u32 = 16;

/// The rows `first..end` of a column to render.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rows {
    pub first: u32,
    pub end: u32,
}

impl Rows {
    /// CSS padding (top, bottom) standing in for the rows not rendered, of `len` in the column
    /// of rows `row_px` tall.
    pub fn padding(self, len: u32, row_px: u32) -> (u32, u32) {
        (self.first * row_px, len.saturating_sub(self.end) * row_px)
    }

    /// The rows of a column of `len` rows `row_px` tall whose first row starts `top` px below
    /// the top of a viewport `height` px tall (negative when scrolled past).
    pub fn in_view(len: u32, top: f64, height: f64, row_px: u32) -> Rows {
        let row = f64::from(row_px);
        let clamp = |x: f64| x.max(0.0).min(f64::from(len)) as u32;
        let first = clamp((-top / row).floor());
        let end = clamp(((height - top) / row).ceil());
        let first = (first.saturating_sub(STEP_ROWS) / STEP_ROWS * STEP_ROWS).min(len);
        let end = ((end + STEP_ROWS).div_ceil(STEP_ROWS) * STEP_ROWS).min(len);
        Rows {
            first,
            end: end.max(first),
        }
    }

    fn first_screen(len: u32) -> Rows {
        Rows {
            first: 0,
            end: len.min(FIRST_ROWS),
        }
    }
}

/// For columns of `lengths` rows `row_px` tall: the rows of each to render, and the refs to
/// attach to each column's rows box (the element whose top is the first row's, padded by
/// `Rows::padding`).
#[hook]
pub fn use_visible_rows(lengths: Vec<u32>, row_px: u32) -> (Vec<Rows>, Vec<NodeRef>) {
    let refs = use_mut_ref(Vec::<NodeRef>::new);
    refs.borrow_mut()
        .resize_with(lengths.len(), NodeRef::default);
    let shared_lengths = use_mut_ref(Vec::new);
    *shared_lengths.borrow_mut() = lengths.clone();
    let rows = use_state_eq(Vec::<Rows>::new);

    {
        let (refs, lengths, rows) = (refs.clone(), shared_lengths.clone(), rows.clone());
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let update = Rc::new(move || rows.set(measure(&refs, &lengths, row_px)));
            let options = EventListenerOptions {
                phase: EventListenerPhase::Capture,
                passive: true,
            };
            let on_scroll = update.clone();
            let scroll =
                EventListener::new_with_options(&window, "scroll", options, move |_| on_scroll());
            let resize = EventListener::new(&window, "resize", move |_| update());
            move || drop((scroll, resize))
        });
    }
    {
        let (refs, lengths, rows) = (refs.clone(), shared_lengths, rows.clone());
        // After every render: the layout above the fleet or the fleet itself may have moved.
        use_effect(move || rows.set(measure(&refs, &lengths, row_px)));
    }

    let current = lengths
        .iter()
        .enumerate()
        .map(|(i, &len)| match rows.get(i) {
            Some(rows) => Rows {
                first: rows.first.min(len),
                end: rows.end.min(len),
            },
            None => Rows::first_screen(len),
        })
        .collect();
    let refs = refs.borrow().clone();
    (current, refs)
}

fn measure(refs: &RefCell<Vec<NodeRef>>, lengths: &RefCell<Vec<u32>>, row_px: u32) -> Vec<Rows> {
    let height = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(1_000.0);
    let refs = refs.borrow();
    lengths
        .borrow()
        .iter()
        .enumerate()
        .map(
            |(i, &len)| match refs.get(i).and_then(NodeRef::cast::<web_sys::Element>) {
                Some(element) => Rows::in_view(
                    len,
                    element.get_bounding_client_rect().top(),
                    height,
                    row_px,
                ),
                // Not in the page (not rendered yet): the first screenful.
                None => Rows::first_screen(len),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_view_cover_the_viewport_with_a_margin() {
        // The column starts 300 px below the top of a 1,000 px viewport: rows 0..6 are visible.
        let rows = Rows::in_view(5_000, 300.0, 1_000.0, ROW_PX);
        assert_eq!(rows, Rows { first: 0, end: 12 });
        // Scrolled 100 rows down: rows 100..108 are visible.
        let rows = Rows::in_view(5_000, -(100.0 * f64::from(ROW_PX)), 1_000.0, ROW_PX);
        assert!(rows.first <= 100 - STEP_ROWS && rows.first >= 100 - 2 * STEP_ROWS);
        assert!(rows.end >= 108 + STEP_ROWS && rows.end <= 108 + 2 * STEP_ROWS);
        assert_eq!(
            rows.padding(5_000, ROW_PX),
            (rows.first * ROW_PX, (5_000 - rows.end) * ROW_PX)
        );
        // Scrolled past the end: the last rows, and the padding keeps the column's height.
        let end = Rows::in_view(100, -1e9, 1_000.0, ROW_PX);
        assert_eq!(
            end,
            Rows {
                first: 90,
                end: 100
            }
        );
        assert_eq!(end.padding(100, ROW_PX), (90 * ROW_PX, 0));
        // Rows of another height (the services list's): 500 px of a viewport show rows 0..16.
        let short = Rows::in_view(10_000, 300.0, 800.0, 32);
        assert_eq!(short, Rows { first: 0, end: 24 });
        assert_eq!(short.padding(10_000, 32), (0, (10_000 - 24) * 32));
        // A column far below the viewport: only a margin of its first rows.
        let below = Rows::in_view(100, 5_000.0, 1_000.0, ROW_PX);
        assert_eq!(
            below,
            Rows {
                first: 0,
                end: STEP_ROWS
            }
        );
    }
}
