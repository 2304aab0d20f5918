//! `flotilla`: the headless runner. Runs a scenario and prints its event trace, or validates
//! scenario files and prints every error with its JSON path. Thin glue over flotilla-core; all
//! behaviour lives in the core so the CLI, the app and the tests agree.
//!
//! Exit codes: 0 success; 1 invalid scenario; 2 usage error; 3 a file could not be read;
//! 4 the run hit the wake-up bound before finishing.

use flotilla_core::builtin;
use flotilla_core::time::{format_duration, parse_duration};
use flotilla_core::{parse_scenario, trace_hash, Action, Scenario, SimTime, World};
use std::process::ExitCode;

mod explain_task;
mod export;
mod import;

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
      --service NAME  where the next task of the service would go at --at (default: run to idle)
      --task ID       why task ID (t7) went where it is: its decision replayed, service or not
      --run-task N    the N-th RunTask/StartTask of the run (0-based), at the time it ran
  flotilla plan <scenario.json | builtin:NAME> --service NAME [--task-definition FAMILY:REV] [--at <duration>]
      Previews the rolling deployment of a service: rounds, worst moment, duration, or why it
      can never finish. The scenario runs to just before its first deployment of the service
      (or to --at, or until idle); the revision is that deployment's, or --task-definition.
  flotilla bench deployments [--iterations N]
      50 services, one simulated hour of rolling deployments at 1 s resolution; prints the time.
  flotilla list
      Lists the built-in scenarios.
  flotilla export <scenario.json | builtin:NAME> --format FORMAT [--out DIR]
      Exports the scenario. FORMAT is ecs-json, cloudformation-yaml, cloudformation-json or
      scenario. Without --out, prints to stdout (ecs-json as one bundle); with --out, writes
      DIR/flotilla-export.json and one file per request (ecs-json) or DIR/<name>.<ext>.
  flotilla import <document.json>... [--into <scenario.json | builtin:NAME>] [--name NAME]
                  [--allow-unsupported]
      Reads task definitions (RegisterTaskDefinition input or describe-task-definition output),
      services (CreateService input or describe-services output), describe-container-instances
      output, or an ecs-json export into a scenario (a new one, or the --into one) and prints
      it. Every dropped member is listed with its path on stderr; members the sandbox does not
      model fail the import unless --allow-unsupported.

exit codes: 0 ok, 1 invalid scenario, 2 usage error, 3 unreadable file, 4 run bound reached";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("explain") => explain(&args[1..]),
        Some("plan") => plan(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("export") => export::run(&args[1..]),
        Some("import") => import::run(&args[1..]),
        Some("list") => {
            for scenario in builtin::BUILTIN_SCENARIOS {
                let name = parse_scenario(scenario.json)
                    .map(|s| s.name)
                    .unwrap_or_default();
                println!("builtin:{}\t{}", scenario.id, name);
            }
            ExitCode::SUCCESS
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error(
            "expected a command: run, validate, explain, plan, bench, export, import or list",
        ),
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut until = None;
    let mut hash_only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--until" => match rest.next().map(|text| parse_duration(text)) {
                Some(Ok(ms)) => until = Some(SimTime(ms)),
                Some(Err(message)) => return usage_error(&format!("--until: {message}")),
                None => return usage_error("--until needs a duration, e.g. --until 10m"),
            },
            "--hash" => hash_only = true,
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return usage_error(&format!("unexpected argument {extra}")),
        }
    }
    let Some(file) = file else {
        return usage_error("run needs a scenario file");
    };
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let report = world.run_until(until.unwrap_or_else(|| scenario.horizon()));
    let trace = world.trace();
    if hash_only {
        println!("{:016x}", trace_hash(&trace));
    } else {
        print!("{trace}");
    }
    if report.bounded {
        eprintln!(
            "{file}: stopped at {} after {} wake-ups, the limit for one run",
            world.now(),
            report.wakeups
        );
        return ExitCode::from(4);
    }
    if let Some(until) = until {
        eprintln!(
            "{file}: ran to {} ({})",
            until,
            format_duration(until.as_ms())
        );
    }
    ExitCode::SUCCESS
}

fn explain(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut at = None;
    let mut service_name = None;
    let mut batch_index: Option<usize> = None;
    let mut task = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--at" => match rest.next().map(|text| parse_duration(text)) {
                Some(Ok(ms)) => at = Some(SimTime(ms)),
                Some(Err(message)) => return usage_error(&format!("--at: {message}")),
                None => return usage_error("--at needs a duration, e.g. --at 5m"),
            },
            "--service" => match rest.next() {
                Some(name) => service_name = Some(name.clone()),
                None => return usage_error("--service needs a service name"),
            },
            "--task" => match rest.next() {
                Some(id) => task = Some(id.clone()),
                None => return usage_error("--task needs a task id, e.g. --task t7"),
            },
            "--run-task" => match rest.next().map(|n| n.parse::<usize>()) {
                Some(Ok(n)) => batch_index = Some(n),
                _ => return usage_error("--run-task needs a number, e.g. --run-task 0"),
            },
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return usage_error(&format!("unexpected argument {extra}")),
        }
    }
    let Some(file) = file else {
        return usage_error("explain needs a scenario file");
    };
    let asked = [
        service_name.is_some(),
        task.is_some(),
        batch_index.is_some(),
    ];
    if asked.iter().filter(|asked| **asked).count() != 1 {
        return usage_error(
            "explain needs exactly one of --service NAME, --task ID or --run-task N",
        );
    }
    if let Some(task) = task {
        return explain_task::explain_task(&file, at, &task);
    }
    if let Some(index) = batch_index {
        return explain_task::explain_run_task(&file, at, index);
    }
    let (_, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let report = match at {
        Some(at) => world.run_until(at),
        None => world.run_until_idle(),
    };
    if report.bounded {
        eprintln!("{file}: stopped at {} (wake-up bound)", world.now());
        return ExitCode::from(4);
    }
    // Exactly one was asked for, and --task and --run-task returned above.
    let Some(name) = service_name else {
        return usage_error("explain needs --service NAME");
    };
    let Some(service) = world.services().iter().find(|s| s.name == name) else {
        let names: Vec<&str> = world.services().iter().map(|s| s.name.as_str()).collect();
        eprintln!(
            "{file}: no service named \"{name}\"; services: {}",
            names.join(", ")
        );
        return ExitCode::from(1);
    };
    let decision = world.explain_next_placement(service.id);
    println!(
        "next task of service {} ({}) at {}, group service:{}",
        service.name,
        service.task_definition,
        world.now(),
        service.name
    );
    let instances = world.instances();
    print!(
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

fn print_suggestions(suggestions: &[flotilla_core::counterfactual::Suggestion]) {
    if suggestions.is_empty() {
        println!("counterfactuals: none found (no single change verified)");
        return;
    }
    println!("counterfactuals (smallest verified changes that would place the task, ranked):");
    for (rank, suggestion) in suggestions.iter().enumerate() {
        println!("  {}. {}", rank + 1, suggestion.describe());
    }
}

fn plan(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut service = None;
    let mut task_definition = None;
    let mut at = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--service" => match rest.next() {
                Some(name) => service = Some(name.clone()),
                None => return usage_error("--service needs a service name"),
            },
            "--task-definition" => match rest.next() {
                Some(name) => task_definition = Some(name.clone()),
                None => return usage_error("--task-definition needs family:revision"),
            },
            "--at" => match rest.next().map(|text| parse_duration(text)) {
                Some(Ok(ms)) => at = Some(SimTime(ms)),
                Some(Err(message)) => return usage_error(&format!("--at: {message}")),
                None => return usage_error("--at needs a duration, e.g. --at 5m"),
            },
            flag if flag.starts_with("--") => {
                return usage_error(&format!("unknown option {flag}"))
            }
            path if file.is_none() => file = Some(path.to_string()),
            extra => return usage_error(&format!("unexpected argument {extra}")),
        }
    }
    let (Some(file), Some(service)) = (file, service) else {
        return usage_error("plan needs a scenario file and --service NAME");
    };
    let (scenario, mut world) = match load_world(&file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // The first timeline deployment of this service: run to just before it, plan its revision.
    let first_deployment = scenario
        .timeline
        .iter()
        .find_map(|entry| match &entry.action {
            Action::UpdateService(update)
                if update.service == service
                    && (update.task_definition.is_some()
                        || update.force_new_deployment == Some(true)) =>
            {
                parse_duration(&entry.at)
                    .ok()
                    .map(|ms| (ms, update.task_definition.clone()))
            }
            _ => None,
        });
    let stop_at = at.or(first_deployment
        .as_ref()
        .map(|(ms, _)| SimTime(ms.saturating_sub(1))));
    let report = match stop_at {
        Some(until) => world.run_until(until),
        None => world.run_until_idle(),
    };
    if report.bounded {
        eprintln!("{file}: the run hit the wake-up bound at {}", world.now());
        return ExitCode::from(4);
    }
    // The revision registered by the timeline may not exist yet: register the latest known.
    let revision = task_definition.or_else(|| first_deployment.and_then(|(_, td)| td));
    let revision = revision.map(|text| {
        if world.task_definitions().resolve(&text).is_ok() {
            text
        } else {
            // Registered later by the timeline (CI/CD): preview with the family's latest now.
            text.split(':').next().unwrap_or_default().to_string()
        }
    });
    match world.plan_deployment(&service, revision.as_deref()) {
        Ok(plan) => {
            println!(
                "plan for service {service} at {} ({}):",
                world.now(),
                revision.as_deref().unwrap_or("forceNewDeployment")
            );
            print!("{}", plan.render());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{file}: {error}");
            ExitCode::from(1)
        }
    }
}

/// The deployment-engine budget (PRODUCT.md): 50 services, one simulated hour of rolling
/// deployments at 1 s resolution, under 200 ms native. The wall clock is read here, in the
/// glue, never in the core.
#[allow(clippy::disallowed_types)]
fn bench(args: &[String]) -> ExitCode {
    let mut iterations = 5u32;
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("deployments") => {}
        _ => return usage_error("bench needs a workload: deployments"),
    }
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.next().and_then(|n| n.parse().ok())) {
            ("--iterations", Some(n)) if n > 0 => iterations = n,
            _ => return usage_error("bench deployments [--iterations N]"),
        }
    }
    let scenario = match parse_scenario(&bench_scenario()) {
        Ok(scenario) => scenario,
        Err(errors) => {
            for error in errors {
                eprintln!("bench scenario: {error}");
            }
            return ExitCode::from(1);
        }
    };
    let mut times_ms = Vec::new();
    let mut summary = String::new();
    for _ in 0..iterations {
        let Ok(mut world) = World::new(&scenario) else {
            return ExitCode::from(1);
        };
        let started = std::time::Instant::now();
        for second in 1..=3600u64 {
            world.run_until(SimTime::from_secs(second));
        }
        times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let completed = world
            .services()
            .iter()
            .flat_map(|s| s.deployments.iter())
            .filter(|d| d.rollout_state == flotilla_core::deploy::RolloutState::Completed)
            .count();
        summary = format!(
            "{} events, {} tasks launched, {completed} deployments completed",
            world.events().len(),
            world.tasks().len()
        );
    }
    times_ms.sort_by(f64::total_cmp);
    println!(
        "bench deployments: 50 services x 4 tasks, 1 h simulated at 1 s resolution, 300 rolling deployments: {summary}"
    );
    println!(
        "time per run: min {:.1} ms, median {:.1} ms over {iterations} runs (budget 200 ms)",
        times_ms[0],
        times_ms[times_ms.len() / 2]
    );
    ExitCode::SUCCESS
}

/// 50 services on 30 instances; every service deploys a new image every 10 minutes, half with
/// minimum 50 % / maximum 100 %, half with 100 % / 200 %.
fn bench_scenario() -> String {
    let mut definitions = Vec::new();
    let mut services = Vec::new();
    let mut timeline = Vec::new();
    for i in 0..50 {
        definitions.push(format!(
            r#"{{"family": "svc{i}", "containerDefinitions": [{{"name": "app", "image": "example.com/svc{i}:0", "cpu": 256, "memory": 512, "portMappings": [{{"containerPort": 8080, "hostPort": 0}}]}}]}}"#
        ));
        let (min, max) = if i % 2 == 0 { (50, 100) } else { (100, 200) };
        services.push(format!(
            r#"{{"serviceName": "svc{i}", "taskDefinition": "svc{i}:1", "desiredCount": 4, "deploymentConfiguration": {{"minimumHealthyPercent": {min}, "maximumPercent": {max}}}}}"#
        ));
        for k in 0..6 {
            let at_s = 120 + i * 11 + k * 600;
            timeline.push(format!(
                r#"{{"at": "{at_s}s", "action": {{"registerTaskDefinition": {{"family": "svc{i}", "images": {{"app": "example.com/svc{i}:{}"}}}}}}}}"#,
                k + 1
            ));
            timeline.push(format!(
                r#"{{"at": "{at_s}s", "action": {{"updateService": {{"service": "svc{i}", "taskDefinition": "svc{i}"}}}}}}"#
            ));
        }
    }
    format!(
        r#"{{"version": 1, "name": "bench: 50 services rolling", "seed": 42,
  "fleet": [{{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1a", "count": 10}},
            {{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1b", "count": 10}},
            {{"instanceType": "m5.xlarge", "availabilityZone": "us-east-1c", "count": 10}}],
  "taskDefinitions": [{}], "services": [{}], "timeline": [{}]}}"#,
        definitions.join(",\n"),
        services.join(",\n"),
        timeline.join(",\n")
    )
}

fn validate(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("validate needs at least one scenario file");
    }
    let mut worst = ExitCode::SUCCESS;
    for file in files {
        match load(file) {
            Ok(scenario) => println!("{file}: ok ({})", scenario.name),
            Err(code) => worst = code,
        }
    }
    worst
}

/// Reads a scenario file and builds its world, printing every error with its path.
fn load_world(file: &str) -> Result<(Scenario, World), ExitCode> {
    let scenario = load(file)?;
    match World::new(&scenario) {
        Ok(world) => Ok((scenario, world)),
        Err(errors) => {
            for error in errors {
                eprintln!("{file}: {error}");
            }
            Err(ExitCode::from(1))
        }
    }
}

/// Reads and validates a scenario file, printing every error with its path.
pub(crate) fn load(file: &str) -> Result<Scenario, ExitCode> {
    let text = match file.strip_prefix("builtin:") {
        Some(id) => match builtin::find(id) {
            Some(scenario) => scenario.json.to_string(),
            None => {
                eprintln!(
                    "{file}: no built-in scenario named \"{id}\"; `flotilla list` shows them"
                );
                return Err(ExitCode::from(1));
            }
        },
        None => match std::fs::read(file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!(
                        "{file}: not UTF-8 text (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    );
                    return Err(ExitCode::from(1));
                }
            },
            Err(error) => {
                eprintln!("{file}: cannot read: {error}");
                return Err(ExitCode::from(3));
            }
        },
    };
    parse_scenario(&text).map_err(|errors| {
        for error in &errors {
            eprintln!("{file}: {error}");
        }
        eprintln!(
            "{file}: {} error{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(1)
    })
}

pub(crate) fn usage_error(message: &str) -> ExitCode {
    eprintln!("flotilla: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
