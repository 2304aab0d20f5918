//! flotilla-app's tests, one native binary: the editors' drafts, the comparison's figures, the
//! link codec, instructor links and the edit history. Each module holds one area's tests.

mod compare_figures;
mod lesson_link;
mod lesson_progress;
mod links_and_history;
mod service_draft;
mod taskdef_draft;
