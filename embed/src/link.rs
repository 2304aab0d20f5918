//! "Open in Flotilla": the app's own share link (`flotilla_app::share`, `#s=` + base64url of
//! the deflated scenario file) for the scenario as the embed runs it — its seed applied and the
//! reader's actions added to the timeline (`Session::scenario_with_actions`) — followed by
//! `&t=<duration>`, the moment the embed shows, which the app seeks to after opening the link.

use flotilla_core::time::format_duration;
use flotilla_core::{Scenario, SimTime};

/// `app` (validated by `options.rs`: a path or an http(s) address) with the fragment.
pub fn open_link(app: &str, scenario: &Scenario, now: SimTime) -> String {
    let base = app.split('#').next().unwrap_or(app);
    let fragment = flotilla_app::share::encode_fragment(&scenario.to_json());
    format!("{base}#{fragment}&t={}", format_duration(now.as_ms()))
}
