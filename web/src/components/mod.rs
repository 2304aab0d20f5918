//! One function component per file. `app` owns the reducer; the others render from props.

pub mod app;
pub mod event_log;
pub mod fleet;
pub mod instance_card;
pub mod services;
pub mod toolbar;

/// Colour for a service, by its index: a fixed palette readable on white, cycling after eight.
pub fn service_colour(index: u32) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
    ];
    PALETTE[index as usize % PALETTE.len()]
}
