//! The app's ties to the page, each an opt-in hook that a root component composes: the
//! keyboard shortcuts, the share link in the address bar, the browser storage of the user's
//! work and the play timer. The full app (`components::app`) uses them all; an embed can mount
//! the same components without them. None of them lives inside the reducer, which does no I/O.
//! `page_seek` (the page's share of a long seek, timed by the wall clock) is needed by any root.
//! `live_import` is not a page tie: it is the Import dialog's asynchronous import, kept apart
//! from the dialog's markup.

pub mod link;
pub mod live_import;
pub mod page_seek;
pub mod play_timer;
pub mod shortcuts;
pub mod storage;
pub mod visible_rows;
