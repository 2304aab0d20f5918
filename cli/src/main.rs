//! `flotilla`: the headless runner. Runs a scenario and prints its event trace, or validates
//! scenario files and prints every error with its JSON path. Thin glue over flotilla-core; all
//! behaviour lives in the core so the CLI, the app and the tests agree. One file per subcommand;
//! this one dispatches and holds the usage text.
//!
//! Exit codes: 0 success; 1 invalid scenario; 2 usage error; 3 a file could not be read (or the
//! output could not be written);
//! 4 "run bound hit": the run stopped at one of its bounds (events kept, tasks launched,
//! wake-ups in one run) before finishing; `check`, `lesson`, `gameday` and `hazards` have their own (0 held,
//! passed or no hazard, 1 broken, below the pass score or hazards found, 2 bad input; see
//! `check.rs`, `lesson.rs`, `gameday.rs`, `hazards.rs`). Output goes through [`out!`] and
//! [`outln!`], never `print!`: when the reader of stdout goes away (`flotilla run x.json | head -1`)
//! the command stops quietly with exit 0 instead of panicking on the broken pipe.

use std::process::ExitCode;

/// `print!` to stdout that ends the process quietly (exit 0) when the reader has gone away.
macro_rules! out {
    ($($arg:tt)*) => { $crate::write_stdout(format_args!($($arg)*)) };
}

/// `println!` to stdout that ends the process quietly (exit 0) when the reader has gone away.
macro_rules! outln {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod args;
mod check;
mod explain;
mod explain_task;
mod export;
mod gameday;
mod hazards;
mod import;
mod lesson;
mod list;
mod load;
mod page;
mod plan;
mod run;
mod traffic;
mod validate;

const USAGE: &str = "\
usage:
  flotilla run <scenario.json | builtin:NAME> [--until <duration>] [--hash]
      Runs the scenario and prints its event trace, one line per event.
      --until 10m   stop at this simulated time (default: the scenario's duration)
      --hash        print only the trace's fingerprint (FNV-1a, hex)
  flotilla validate <scenario.json | builtin:NAME>...
      Checks scenario files; prints every error as `file: path: message`.
  flotilla explain <scenario.json | builtin:NAME> (--service NAME | --task ID | --run-task N) [--at <duration>]
      Explains a placement: every stage, what it removed and why, the ranking, and for a task
      that cannot be placed the verified counterfactuals (smallest changes that would place it).
      --service NAME  where the next task of the service would go at --at (default: the horizon)
      --task ID       why task ID (t7) went where it is: its decision replayed, service or not
      --run-task N    the N-th RunTask/StartTask of the run (0-based), at the time it ran
  flotilla plan <scenario.json | builtin:NAME> --service NAME [--task-definition FAMILY:REV] [--at <duration>]
      Previews the rolling deployment of a service: rounds, worst moment, duration, or why it
      can never finish. The scenario runs to just before its first deployment of the service
      (or to --at, or to its duration); the revision is that deployment's, or --task-definition.
  flotilla check <scenario.json | builtin:NAME | page.html>...
      Runs each scenario headless and checks its assertions; for an HTML page, every
      <flotilla-sandbox> embed (its src relative to the page or its inline JSON, its seed and
      until). Prints each broken assertion with the moment and the evidence. Its own exit
      codes: 0 every assertion held, 1 one broke (or its moment was not reached), 2 bad input.
  flotilla traffic <scenario.json | builtin:NAME> [--at <duration>]
      Runs the scenario to --at (default: its duration) and prints the last minute of traffic
      that ended by then: per route and per target group, requests, rate, 2xx, 5xx, 502/503,
      unresolved, latency percentiles and hosts; then the last minutes' totals.
  flotilla hazards <scenario.json | builtin:NAME>
      Runs the scenario and lists every interval in which traffic reached something that could
      not serve it: interval, cause, requests affected. Its own exit codes: 0 none, 1 at least
      one, 2 bad input, 4 run bound hit.
  flotilla lesson [NAME | lesson.json]...
      Runs lessons (every built-in one without an argument) through show me: per step the
      instruction, the actions, the check with ✓ or ✗ (the moment and the evidence when it
      broke) and the explanation or the hint. Its own exit codes: 0 every step held, 1 a check
      broke or an action was refused, 2 bad input (each problem with its JSON path), 4 run bound.
  flotilla gameday [NAME | gameday.json] [--policy scenario.json]
      Plays a game day (every built-in one without an argument): its campaign runs against the
      policy (the game day's own scenario, or --policy: that scenario edited within what the
      game day allows) and the run is scored on availability, failed launches and
      instance-hours; prints the briefing, the campaign as it hit, the score and every loss
      with its moment. Its own exit codes: 0 played (and passed), 1 below the game day's pass
      score, 2 bad input (a game day or a policy, each problem with its JSON path), 4 run bound.
  flotilla list
      Lists the built-in scenarios.
  flotilla export <scenario.json | builtin:NAME> --format FORMAT [--out DIR]
      Exports the scenario. FORMAT is ecs-json, cloudformation-yaml, cloudformation-json,
      scenario or scenario-card (the scenario and its assertions as a <flotilla-sandbox> HTML
      snippet for a documentation page). Without --out, prints to stdout (ecs-json as one bundle); with --out, writes
      DIR/flotilla-export.json and one file per request (ecs-json) or DIR/<name>.<ext>.
  flotilla import <document.json>... [--into <scenario.json | builtin:NAME>] [--name NAME]
                  [--allow-unsupported]
      Reads task definitions (RegisterTaskDefinition input or describe-task-definition output),
      services (CreateService input or describe-services output), describe-container-instances
      output, or an ecs-json export into a scenario (a new one, or the --into one) and prints
      it. Every dropped member is listed with its path on stderr; members the sandbox does not
      model fail the import unless --allow-unsupported.

environment: FLOTILLA_EVENTS_KEPT_MAX=N lowers the run's bound of events kept (4500000)

exit codes: 0 ok, 1 invalid scenario, 2 usage error, 3 unreadable file, 4 run bound hit (events kept, tasks launched, wake-ups in one run)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("run") => run::main(rest),
        Some("validate") => validate::main(rest),
        Some("check") => check::main(rest),
        Some("lesson") => lesson::main(rest),
        Some("gameday") => gameday::main(rest),
        Some("explain") => explain::main(rest),
        Some("plan") => plan::main(rest),
        Some("traffic") => traffic::main(rest),
        Some("hazards") => hazards::main(rest),
        Some("export") => export::main(rest),
        Some("import") => import::main(rest),
        Some("list") => list::main(),
        Some("-h" | "--help" | "help") => {
            outln!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error(
            "expected a command: run, validate, check, lesson, gameday, explain, plan, traffic, hazards, export, import or list",
        ),
    }
}

/// Writes to stdout; a closed pipe (the reader exited, as `head` does) ends the process with exit
/// 0 and no message, as command-line tools do. Any other write error is reported on stderr with
/// exit 3 (the output could not be written).
pub(crate) fn write_stdout(text: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(text) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("flotilla: cannot write the output: {error}");
        std::process::exit(3);
    }
}

/// Prints a usage problem and the usage text; exit code 2.
pub(crate) fn usage_error(message: &str) -> ExitCode {
    eprintln!("flotilla: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
