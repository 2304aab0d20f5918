//! One function component per file. `app` owns the reducer; the others render from props and
//! send `SandboxAction`s back through `on_dispatch`.

pub mod app;
pub mod compare;
pub mod deploy_panel;
pub mod deployments;
pub mod details;
pub mod event_log;
pub mod export_menu;
pub mod fleet;
pub mod fleet_editor;
pub mod import_dialog;
pub mod instance_card;
pub mod instance_details;
pub mod jobs;
pub mod jump_progress;
pub mod notices;
pub mod placement_explainer;
pub mod plan_preview;
pub mod service_details;
pub mod service_editor;
pub mod services;
pub mod side_panel;
pub mod suggestions;
pub mod task_details;
pub mod timeline_strip;
pub mod toolbar;
pub mod transport;

/// Colour for a service, by its index: a fixed palette readable on white, cycling after eight.
pub fn service_colour(index: u32) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
    ];
    PALETTE[index as usize % PALETTE.len()]
}
