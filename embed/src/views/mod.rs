//! The embed's views, each a function that fills one `<section>` from the [`State`] (or the
//! world, for the chart and the event log): `fleet`, `service`, `events`, `timeline`. They are
//! redrawn whole after every change except the timeline's controls, which are built once and
//! updated in place so a slider being dragged is never replaced under the pointer. Actions are
//! buttons with `data-act` attributes; the element's script turns a click into `handle.apply`.

pub mod events;
pub mod fleet;
pub mod service;
pub mod timeline;
