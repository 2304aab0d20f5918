//! `flotilla_app::service_draft` under the path the components use: the logic moved to the
//! native-tested app-model crate; nothing here adds browser behaviour.

pub use flotilla_app::service_draft::*;
