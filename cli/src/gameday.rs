//! `flotilla gameday`: plays a game day headless (`gameday::play`) against a policy — the game
//! day's own scenario, or a scenario file given with `--policy` (what the app saves) — and
//! prints the briefing, what the learner may change, the campaign as it hit (targets
//! resolved), and the score with every loss and its moment. The same policy always gets the
//! same score, so CI can hold a policy to a game day's pass score.
//!
//! Exit codes (this subcommand's own, like `lesson`): 0 played (and reached the pass score,
//! when the game day sets one); 1 the score is below the game day's pass score; 2 bad input —
//! usage, an unreadable file, a game day or a policy with problems (each printed with its
//! JSON path; a policy that changes what the game day does not allow is bad input); 4 a run
//! stopped at its bound.

use crate::args::{self, Arg, Args};
use crate::usage_error;
use flotilla_core::assertions::clock_text;
use flotilla_core::gameday::{self, GameDay, LossKind, BUILTIN_GAMEDAYS};
use flotilla_core::world::RunBudget;
use flotilla_core::{parse_scenario, Scenario};
use std::process::ExitCode;

pub fn main(args: &[String]) -> ExitCode {
    let (names, policy) = match parse(args) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error(&message),
    };
    let budget = match crate::load::run_budget() {
        Ok(budget) => budget,
        Err(code) => return code,
    };
    let names = match names {
        Some(name) => vec![name],
        None => BUILTIN_GAMEDAYS.iter().map(|g| g.id.to_string()).collect(),
    };
    let mut worst = Worst::Passed;
    for name in &names {
        let outcome = match load(name) {
            Ok(gameday) => play(name, &gameday, policy.as_deref(), budget),
            Err(()) => Worst::BadInput,
        };
        worst = worst.max(outcome);
    }
    match worst {
        Worst::Passed => ExitCode::SUCCESS,
        Worst::Failed => ExitCode::from(1),
        Worst::Bound => ExitCode::from(4),
        Worst::BadInput => ExitCode::from(2),
    }
}

/// How a game day went, ordered so the worst of several decides the exit code.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Worst {
    Passed,
    Failed,
    Bound,
    BadInput,
}

/// The game day (none: every built-in) and the policy file.
fn parse(args: &[String]) -> Result<(Option<String>, Option<String>), String> {
    let (mut name, mut policy) = (None, None);
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Long("policy") => {
                policy = Some(args.value("--policy needs a scenario file (the learner's policy)")?)
            }
            Arg::Value(value) if name.is_none() => name = Some(args::text(value)),
            Arg::Value(value) => return Err(args::unexpected(&args::text(value))),
            option => return Err(args::unknown_option(&option)),
        }
    }
    if policy.is_some() && name.is_none() {
        return Err("--policy needs the game day it is for (a name or a game day file)".into());
    }
    Ok((name, policy))
}

/// A built-in game day by name, or a game day file (a name with a `/` or ending in `.json`);
/// every problem printed on stderr with the name and its path.
fn load(name: &str) -> Result<GameDay, ()> {
    let builtins: Vec<(&str, &str)> = BUILTIN_GAMEDAYS.iter().map(|g| (g.id, g.json)).collect();
    crate::load::builtin_or_file(name, "game day", &builtins, gameday::parse_gameday)
}

fn load_policy(file: &str) -> Result<Scenario, ()> {
    let text = crate::load::read_text(file).map_err(|_| ())?;
    parse_scenario(&text).map_err(|problems| {
        for problem in &problems {
            eprintln!("{file}: {problem}");
        }
    })
}

fn play(name: &str, gameday: &GameDay, policy_file: Option<&str>, budget: RunBudget) -> Worst {
    outln!(
        "{name}: {} (on {}, seed {}, runs until {})",
        gameday.title,
        gameday.scenario_source,
        gameday.stage.seed,
        clock_text(gameday.run_until)
    );
    outln!("  {}", gameday.briefing);
    let fleet = &gameday.fleet;
    let services = gameday.services.join(", ");
    outln!(
        "  you may change: {}the fleet ({} in {}; at most {} instances)",
        if services.is_empty() {
            String::new()
        } else {
            format!("the deployment configuration and placement strategy of {services}; ")
        },
        fleet.instance_types.join(", "),
        fleet.availability_zones.join(", "),
        fleet.instances_max
    );
    let (policy, policy_name) = match policy_file {
        Some(file) => match load_policy(file) {
            Ok(policy) => (policy, file.to_string()),
            Err(()) => return Worst::BadInput,
        },
        None => (
            gameday.stage.clone(),
            format!("the game day's own ({})", gameday.scenario_source),
        ),
    };
    outln!("  policy: {policy_name}");
    let played = match gameday::play_with_budget(gameday, &policy, budget) {
        Ok(played) => played,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{policy_name}: {problem}");
            }
            return Worst::BadInput;
        }
    };
    outln!("  campaign:");
    for (moment, happened) in gameday.campaign.iter().zip(&played.happened) {
        let actions: Vec<String> = happened
            .iter()
            .map(|result| match result {
                Ok(action) => action.label(),
                Err(message) => format!("refused: {message}"),
            })
            .collect();
        outln!(
            "    {}  {}: {}",
            clock_text(moment.at),
            moment.name,
            actions.join(", ")
        );
    }
    if let Some(bound) = played.bound {
        eprintln!(
            "{name}: the run stopped at {}: {}",
            clock_text(played.session.world().now()),
            bound.message()
        );
        return Worst::Bound;
    }
    let score = &played.score;
    let lost: Vec<String> = LossKind::ALL
        .iter()
        .zip(score.lost_by_kind())
        .map(|(kind, points)| format!("{} \u{2212}{points}", kind.as_str()))
        .collect();
    let verdict = match (score.pass_score, score.passed()) {
        (Some(pass), Some(true)) => format!("; passed (pass score {pass})"),
        (Some(pass), _) => format!("; not passed (pass score {pass})"),
        _ => String::new(),
    };
    outln!(
        "  score: {} / {} ({}){verdict}",
        score.total,
        score.out_of,
        lost.join(", ")
    );
    for loss in &score.losses {
        outln!("    {}", loss.line());
    }
    if score.passed() == Some(false) {
        Worst::Failed
    } else {
        Worst::Passed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::strings;

    #[test]
    fn takes_one_game_day_and_a_policy() {
        assert_eq!(parse(&[]).unwrap(), (None, None));
        assert_eq!(
            parse(&strings(&["release-day", "--policy", "p.json"])).unwrap(),
            (Some("release-day".into()), Some("p.json".into()))
        );
        assert_eq!(
            parse(&strings(&["a", "b"])).unwrap_err(),
            "unexpected argument b"
        );
        assert_eq!(
            parse(&strings(&["--policy", "p.json"])).unwrap_err(),
            "--policy needs the game day it is for (a name or a game day file)"
        );
        assert_eq!(
            parse(&strings(&["--fast"])).unwrap_err(),
            "unknown option --fast"
        );
    }
}
