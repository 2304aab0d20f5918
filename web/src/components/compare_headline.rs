//! The comparison's headline, above the side-by-side details: per service, the policy each side
//! runs, the fewest healthy tasks between the fork and now and for how long, when the newest
//! deployment finished, the peak of tasks, tasks that could not be placed; then the events only
//! one side has. Each figure that differs from the other side's is highlighted. The figures are
//! `flotilla_app::compare_figures::headline`'s.

use flotilla_app::compare_figures::{DeploymentOutcome, Headline, ServiceHeadline};
use flotilla_core::time::format_duration;
use flotilla_core::SimTime;
use yew::prelude::*;

/// The headline table: one group of rows per service, a column per side.
pub fn headline_table(fork: &Headline, this: &Headline) -> Html {
    let names = fork.services.keys().chain(
        this.services
            .keys()
            .filter(|name| !fork.services.contains_key(*name)),
    );
    html! {
        <table class="compare-headline" data-testid="compare-headline">
            <caption>{ "Headline: between the fork and now" }</caption>
            <thead><tr><th scope="col">{ "" }</th><th scope="col">{ "Fork" }</th><th scope="col">{ "This run (changed)" }</th></tr></thead>
            { for names.map(|name| {
                let (a, b) = (fork.services.get(name), this.services.get(name));
                let row = |label: &'static str, cell: fn(&ServiceHeadline) -> (String, String), testid: &'static str| {
                    let (a, b) = (a.map(cell), b.map(cell));
                    let differs = a.as_ref().map(|(_, key)| key) != b.as_ref().map(|(_, key)| key);
                    let td = |side: Option<(String, String)>, which: &'static str| match side {
                        Some((words, key)) => html! {
                            <td data-testid={testid} data-side={which} data-value={key}>
                                <span class={classes!("figure", differs.then_some("differs"))}>{ words }
                                    if differs { <span class="visually-hidden">{ " (differs)" }</span> }
                                </span>
                            </td>
                        },
                        None => html! { <td data-testid={testid} data-side={which} class="hint">{ "no such service" }</td> },
                    };
                    html! { <tr><th scope="row">{ label }</th>{ td(a, "fork") }{ td(b, "this-run") }</tr> }
                };
                html! {
                    <tbody data-testid="headline-service" data-service={name.clone()}>
                        <tr class="headline-service"><th scope="rowgroup" colspan="3">{ name }</th></tr>
                        { row("Policy", |s| (s.policy.clone(), s.policy.clone()), "headline-policy") }
                        { row("Fewest healthy", fewest_healthy, "headline-fewest-healthy") }
                        { row("Deployment", deployment, "headline-deployment") }
                        { row("Peak tasks", |s| (format!("{} (PENDING or RUNNING)", s.peak), s.peak.to_string()), "headline-peak") }
                        { row("Could not be placed", |s| (s.unplaced.to_string(), s.unplaced.to_string()), "headline-unplaced") }
                    </tbody>
                }
            }) }
            <tbody>
                <tr>
                    <th scope="row">{ "Events only on this side" }</th>
                    { events_cell(fork.events_only_here, "fork") }
                    { events_cell(this.events_only_here, "this-run") }
                </tr>
            </tbody>
        </table>
    }
}

/// "0 of 4 for 54s"; keyed by count and time so either difference highlights it.
fn fewest_healthy(s: &ServiceHeadline) -> (String, String) {
    let words = if s.fewest_healthy_ms == 0 {
        format!("{} of {} (now)", s.fewest_healthy, s.desired)
    } else {
        format!(
            "{} of {} for {}",
            s.fewest_healthy,
            s.desired,
            format_duration(s.fewest_healthy_ms)
        )
    };
    (
        words,
        format!("{}/{}", s.fewest_healthy, s.fewest_healthy_ms),
    )
}

/// "finished at 00:02:54.000, 54s after it began"; keyed by its outcome and finish, and the
/// deployments that failed before it (the one shown is then their rollback or a later one).
fn deployment(s: &ServiceHeadline) -> (String, String) {
    let (words, key) = newest_deployment(s);
    match s.failed_deployments {
        0 => (words, key),
        failed => (
            format!("{failed} failed, then the newest {words}"),
            format!("{key} after {failed} failed"),
        ),
    }
}

fn newest_deployment(s: &ServiceHeadline) -> (String, String) {
    let took = |started: SimTime, at: SimTime| format_duration(at.as_ms() - started.as_ms());
    match s.deployment {
        Some(DeploymentOutcome::Finished { started, at }) => (
            format!(
                "finished at {at}, {} after it began at {started}",
                took(started, at)
            ),
            format!("finished {}", at.as_ms()),
        ),
        Some(DeploymentOutcome::Failed { started, at }) => (
            format!(
                "failed at {at}, {} after it began at {started}",
                took(started, at)
            ),
            format!("failed {}", at.as_ms()),
        ),
        Some(DeploymentOutcome::InProgress { started }) => (
            format!("in progress since {started}, not finished yet"),
            format!("in-progress {}", started.as_ms()),
        ),
        None => ("none".into(), "none".into()),
    }
}

/// Highlighted when this side has events the other lacks.
fn events_cell(own: usize, which: &'static str) -> Html {
    let differs = own > 0;
    html! {
        <td data-testid="headline-events-only-here" data-side={which} data-value={own.to_string()}>
            <span class={classes!("figure", differs.then_some("differs"))}>{ own }
                if differs { <span class="visually-hidden">{ " (differs)" }</span> }
            </span>
        </td>
    }
}
