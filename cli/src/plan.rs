//! `flotilla plan`: previews the rolling deployment of a service: rounds, worst moment, duration,
//! or why it can never finish. The scenario runs to just before its first deployment of the
//! service (or to `--at`, or to the scenario's horizon); the revision is that deployment's, or
//! `--task-definition`.

use crate::args::{self, Arg, Args};
use crate::load::load_world;
use crate::usage_error;
use flotilla_core::time::parse_duration;
use flotilla_core::{Action, SimTime};
use std::process::ExitCode;

#[derive(Debug, PartialEq)]
struct PlanArgs {
    file: String,
    service: String,
    task_definition: Option<String>,
    at: Option<SimTime>,
}

pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(args) => execute(args),
        Err(message) => usage_error(&message),
    }
}

fn parse(args: &[String]) -> Result<PlanArgs, String> {
    let mut file = None;
    let mut service = None;
    let mut task_definition = None;
    let mut at = None;
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("service") => service = Some(args.value("--service needs a service name")?),
            Arg::Long("task-definition") => {
                task_definition = Some(args.value("--task-definition needs family:revision")?)
            }
            Arg::Long("at") => at = Some(args.time("--at", "--at needs a duration, e.g. --at 5m")?),
            Arg::Value(path) if file.is_none() => file = Some(args::text(path)),
            Arg::Value(extra) => return Err(args::unexpected(&args::text(extra))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    let (Some(file), Some(service)) = (file, service) else {
        return Err("plan needs a scenario file and --service NAME".to_string());
    };
    Ok(PlanArgs {
        file,
        service,
        task_definition,
        at,
    })
}

fn execute(args: PlanArgs) -> ExitCode {
    let PlanArgs {
        file,
        service,
        task_definition,
        at,
    } = args;
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
    let report = world.run_until(stop_at.unwrap_or_else(|| scenario.horizon()));
    if let Some(bound) = report.bound {
        eprintln!("{}", crate::load::bound_hit(&file, &world, bound));
        return ExitCode::from(4);
    }
    if !world.services().iter().any(|s| s.name == service) {
        let names: Vec<&str> = world.services().iter().map(|s| s.name.as_str()).collect();
        eprintln!("{file}: {}", crate::load::no_service(&service, &names));
        return ExitCode::from(1);
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
            outln!(
                "plan for service {service} at {} ({}):",
                world.now(),
                revision.as_deref().unwrap_or("forceNewDeployment")
            );
            out!("{}", plan.render());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{file}: {error}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn reads_a_service_revision_and_time() {
        let args = [
            "a.json",
            "--service",
            "web",
            "--task-definition",
            "web:3",
            "--at",
            "1m",
        ];
        assert_eq!(
            parse(&strings(&args)).unwrap(),
            PlanArgs {
                file: "a.json".to_string(),
                service: "web".to_string(),
                task_definition: Some("web:3".to_string()),
                at: Some(SimTime(60_000))
            }
        );
    }

    #[test]
    fn reports_usage_problems_in_words() {
        let error = |args: &[&str]| parse(&strings(args)).unwrap_err();
        let needs = "plan needs a scenario file and --service NAME";
        assert_eq!(error(&["a.json"]), needs);
        assert_eq!(error(&["--service", "web"]), needs);
        assert_eq!(
            error(&["a.json", "--task-definition"]),
            "--task-definition needs family:revision"
        );
        assert_eq!(error(&["a.json", "--dry-run"]), "unknown option --dry-run");
    }
}
