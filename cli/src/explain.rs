//! `flotilla explain`: explains a placement, every stage with what it removed and why, the ranking,
//! and for a task that cannot be placed the verified counterfactuals. `--service NAME` explains
//! where the service's next task would go; `--task ID` why a task went where it is and
//! `--run-task N` the N-th RunTask/StartTask of the run, both replayed through the core's session
//! (`explain_task.rs`).

use crate::args::{self, Arg, Args};
use crate::explain_task;
use crate::load::load_world;
use crate::usage_error;
use flotilla_core::SimTime;
use std::process::ExitCode;

#[derive(Debug, PartialEq)]
struct ExplainArgs {
    file: String,
    at: Option<SimTime>,
    service_name: Option<String>,
    task: Option<String>,
    batch_index: Option<usize>,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<ExplainArgs, String> {
    let mut file = None;
    let mut at = None;
    let mut service_name = None;
    let mut task = None;
    let mut batch_index = None;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("at") => at = Some(args.time("--at", "--at needs a duration, e.g. --at 5m")?),
            Arg::Long("service") => {
                service_name = Some(args.value("--service needs a service name")?)
            }
            Arg::Long("task") => task = Some(args.value("--task needs a task id, e.g. --task t7")?),
            Arg::Long("run-task") => {
                let needs = "--run-task needs a number, e.g. --run-task 0";
                let n = args.value(needs)?.parse::<usize>().map_err(|_| needs)?;
                batch_index = Some(n);
            }
            Arg::Value(path) if file.is_none() => file = Some(args::text(path)),
            Arg::Value(extra) => return Err(args::unexpected(&args::text(extra))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    let file = file.ok_or("explain needs a scenario file")?;
    let asked = [
        service_name.is_some(),
        task.is_some(),
        batch_index.is_some(),
    ];
    if asked.iter().filter(|asked| **asked).count() != 1 {
        return Err(
            "explain needs exactly one of --service NAME, --task ID or --run-task N".to_string(),
        );
    }
    Ok(ExplainArgs {
        file,
        at,
        service_name,
        task,
        batch_index,
    })
}

fn execute(args: ExplainArgs) -> ExitCode {
    let ExplainArgs {
        file,
        at,
        service_name,
        task,
        batch_index,
    } = args;
    if let Some(task) = task {
        return explain_task::explain_task(&file, at, &task);
    }
    if let Some(index) = batch_index {
        return explain_task::explain_run_task(&file, at, index);
    }
    // `parse` let exactly one subject through, and --task and --run-task returned above.
    let Some(name) = service_name else {
        return usage_error("explain needs --service NAME");
    };
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let report = world.run_until(at.unwrap_or_else(|| scenario.horizon()));
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&file, &world, bound));
        return ExitCode::from(4);
    }
    let Some(service) = world.services().iter().find(|s| s.name == name) else {
        let names: Vec<&str> = world.services().iter().map(|s| s.name.as_str()).collect();
        eprintln!("{file}: {}", crate::load::no_service(&name, &names));
        return ExitCode::from(1);
    };
    let decision = world.explain_next_placement(service.id);
    outln!(
        "next task of service {} ({}) at {}, group service:{}",
        service.name,
        service.task_definition,
        world.now(),
        service.name
    );
    let instances = world.instances();
    out!(
        "{}",
        decision
            .explanation
            .render(&|id| explain_task::instance_label(instances, id))
    );
    if decision.chosen.is_none() {
        print_suggestions(&world.counterfactuals_for_service(service.id));
    }
    ExitCode::SUCCESS
}

pub(crate) fn print_suggestions(suggestions: &[flotilla_core::counterfactual::Suggestion]) {
    if suggestions.is_empty() {
        outln!("counterfactuals: none found (no single change verified)");
        return;
    }
    outln!("counterfactuals (smallest verified changes that would place the task, ranked):");
    for (rank, suggestion) in suggestions.iter().enumerate() {
        outln!("  {}. {}", rank + 1, suggestion.describe());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn reads_one_subject_and_a_time() {
        let parsed = parse(&strings(&["a.json", "--service", "web", "--at", "5m"])).unwrap();
        assert_eq!(
            parsed,
            ExplainArgs {
                file: "a.json".to_string(),
                at: Some(SimTime(300_000)),
                service_name: Some("web".to_string()),
                task: None,
                batch_index: None
            }
        );
        let parsed = parse(&strings(&["--run-task", "2", "a.json"])).unwrap();
        assert_eq!(parsed.batch_index, Some(2));
        let parsed = parse(&strings(&["a.json", "--task", "t7"])).unwrap();
        assert_eq!(parsed.task.as_deref(), Some("t7"));
    }

    #[test]
    fn reports_usage_problems_in_words() {
        let error = |args: &[&str]| parse(&strings(args)).unwrap_err();
        assert_eq!(
            error(&["--service", "web"]),
            "explain needs a scenario file"
        );
        let one_of = "explain needs exactly one of --service NAME, --task ID or --run-task N";
        assert_eq!(error(&["a.json"]), one_of);
        assert_eq!(
            error(&["a.json", "--service", "a", "--run-task", "0"]),
            one_of
        );
        let needs_number = "--run-task needs a number, e.g. --run-task 0";
        assert_eq!(
            error(&["a.json", "--task", "t1", "--run-task", "0"]),
            one_of
        );
        assert_eq!(error(&["a.json", "--run-task", "first"]), needs_number);
        assert_eq!(error(&["a.json", "--run-task"]), needs_number);
        assert_eq!(
            error(&["a.json", "--service"]),
            "--service needs a service name"
        );
        assert_eq!(
            error(&["a.json", "--at"]),
            "--at needs a duration, e.g. --at 5m"
        );
    }
}
