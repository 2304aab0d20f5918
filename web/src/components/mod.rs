//! One function component per file. `app` owns the reducer; the others render from props and
//! ask for changes through intent-named callbacks (`intents`), never the reducer's action enum.

pub mod about;
pub mod alarms;
pub mod app;
pub mod assertions_editor;
pub mod compare;
pub mod compare_headline;
pub mod deploy_panel;
pub mod deployment_chart;
pub mod deployments;
pub mod details;
pub mod discovery_editor;
pub mod event_log;
pub mod export_menu;
pub mod filter_select;
pub mod fleet;
pub mod fleet_editor;
pub mod gameday_panel;
pub mod import_dialog;
pub mod instance_card;
pub mod instance_details;
pub mod jobs;
pub mod jump_progress;
pub mod lesson_list;
pub mod lesson_panel;
pub mod lesson_watch;
pub mod member_editor;
pub mod next_steps;
pub mod notices;
pub mod placement_explainer;
pub mod plan_preview;
pub mod scenario_editor;
pub mod service_details;
pub mod service_editor;
pub mod services;
pub mod side_panel;
pub mod suggestions;
pub mod target_groups;
pub mod task_details;
pub mod taskdef_editor;
pub mod timeline_strip;
pub mod toolbar;
pub mod tour;
pub mod traffic;
pub mod transport;
pub mod undo_redo;

/// Colour for a service, by its index: a fixed palette cycling after eight, each colour at least
/// 4.5:1 against white both ways (white chip text on it, it as text on white), as WCAG AA asks
/// of small text (checked by axe in `tests/e2e/a11y.test.mjs`).
pub fn service_colour(index: u32) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#2563eb", "#b45309", "#047857", "#be185d", "#7c3aed", "#0e7490", "#4d7c0f", "#dc2626",
    ];
    if index == u32::MAX {
        return STANDALONE_COLOUR;
    }
    PALETTE[index as usize % PALETTE.len()]
}

/// Tasks of no service (RunTask, StartTask): a neutral slate no service gets.
pub const STANDALONE_COLOUR: &str = "#475569";
