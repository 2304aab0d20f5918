//! Flotilla's app model: the parts of the app that are plain logic over the core and need no
//! browser, so they are tested natively (`cargo test -p flotilla-app`) and the Yew app
//! (`flotilla-web`) only renders them and wires them to storage and events. Editor drafts and
//! their conversion to scenario edits (`drafts`, `service_draft`, `taskdef_draft`,
//! `discovery_draft`, `deploy_form`), undo/redo of edits (`edit_history`), the share-link codec (`share`), notices
//! (`notice`), the built-in lessons offered (`lessons`) and instructor links to them (`lesson_link`), the comparison's figures (`compare_figures`), actions in words (`action_words`) and counts with thousands separated (`numbers`). The rewind engine is the core's
//! `session`. No browser crate here: `flotilla-tests`' boundaries test holds it to that.

pub mod action_words;
pub mod compare_figures;
pub mod deploy_form;
pub mod discovery_draft;
pub mod drafts;
pub mod edit_history;
pub mod lesson_link;
pub mod lessons;
pub mod notice;
pub mod numbers;
pub mod service_draft;
pub mod share;
pub mod taskdef_draft;
pub mod unplaced;
