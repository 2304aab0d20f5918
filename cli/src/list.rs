//! `flotilla list`: the built-in scenarios, one `builtin:ID<TAB>name` line each.

use flotilla_core::builtin;
use flotilla_core::parse_scenario;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    for scenario in builtin::BUILTIN_SCENARIOS {
        let name = parse_scenario(scenario.json)
            .map(|s| s.name)
            .unwrap_or_default();
        outln!("builtin:{}\t{}", scenario.id, name);
    }
    ExitCode::SUCCESS
}
