//! Branch and compare: fork the run at any moment, change this run (scale, stop, edit the
//! scenario, lose an AZ...), and compare the two side by side at the same simulated time — per
//! service desired / running / pending, a compact fleet per Availability Zone and the events
//! since the fork, with every figure that differs between the two highlighted. The headline
//! (`compare_headline`) leads: the policy each side runs, the fewest healthy tasks and for how
//! long, when the deployment finished, the peak, unplaced tasks and the events that differ. The figures are
//! gathered by pure functions (`side_figures`) so a 1,000-instance fleet costs one pass.

use crate::components::compare_headline::headline_table;
use crate::components::service_colour;
use crate::instance::use_instance;
use crate::state::WorldHandle;
pub use flotilla_app::compare_figures::{
    fork_start, has_event, headline, logs_shared, side_figures, InstanceFigures, ServiceFigures,
    SideFigures, StatusCounts, ZoneFigures,
};
use flotilla_core::cluster::InstanceStatus;
use flotilla_core::compact::SortedMap;
use flotilla_core::{SimTime, World};
use yew::prelude::*;

/// An Availability Zone lists its instances one by one up to this many; past it, only the
/// zone's totals are shown (a thousand rows per side would be unreadable and slow to diff).
pub const INSTANCES_LISTED_MAX: usize = 12;

/// The newest events since the fork shown per side.
pub const EVENTS_SHOWN_MAX: usize = 30;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub world: WorldHandle,
    pub branch: Option<WorldHandle>,
    /// When the branch was made: simulated time and the number of events both runs share.
    pub fork: (SimTime, usize),
    pub on_branch: Callback<()>,
    pub on_drop_branch: Callback<()>,
}

/// Which side a column shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Fork,
    This,
}

impl Which {
    fn title(self) -> &'static str {
        match self {
            Which::Fork => "Fork (as it was branched, run to the same time)",
            Which::This => "This run (changed)",
        }
    }
    fn testid(self) -> &'static str {
        match self {
            Which::Fork => "compare-fork",
            Which::This => "compare-this-run",
        }
    }
}

#[function_component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let instance = use_instance();
    let on_branch = props.on_branch.reform(|_: MouseEvent| ());
    let Some(branch) = &props.branch else {
        return html! {
            <section class="panel compare" data-testid="compare" aria-label="Compare">
                <h2>{ "Compare" }</h2>
                <p class="hint">{ "Fork the run at this moment, then change this run (scale, stop a task, lose an AZ, edit the scenario) and compare the two side by side at the same simulated time." }</p>
                <button data-testid="branch" class="primary" onclick={on_branch}>{ "Branch here" }</button>
            </section>
        };
    };
    let on_drop = props.on_drop_branch.reform(|_: MouseEvent| ());
    let this = props.world.world();
    let fork = branch.world();
    let fork_at = props.fork.0;
    let shared = logs_shared(&fork, &this, props.fork.1);
    let (fork_since, this_since) = (
        fork_start(&fork, shared, props.fork),
        fork_start(&this, shared, props.fork),
    );
    let fork_side = side_figures(&fork, fork_since);
    let this_side = side_figures(&this, this_since);
    let fork_headline = headline(&fork, fork_since, fork_at, (&this, this_since));
    let this_headline = headline(&this, this_since, fork_at, (&fork, fork_since));
    let column = |which: Which| {
        let (own, other, world, since) = match which {
            Which::Fork => (
                &fork_side,
                &this_side,
                (&*fork, fork_since),
                (&*this, this_since),
            ),
            Which::This => (
                &this_side,
                &fork_side,
                (&*this, this_since),
                (&*fork, fork_since),
            ),
        };
        let heading = instance.dom_id(&format!("{}-heading", which.testid()));
        side_view(which, &heading, own, other, world, since)
    };
    html! {
        <section class="panel compare" data-testid="compare" aria-label="Compare">
            <h2>{ "Compare" }<span class="hint">{ format!("both at {}, forked at {fork_at}", this.now()) }</span></h2>
            <p class="hint compare-legend"><span class="differs-sample">{ "Highlighted" }</span>{ ": differs from the other side. " }<span class="only-here-sample">{ "Marked events" }</span>{ ": not on the other side." }</p>
            { headline_table(&fork_headline, &this_headline) }
            <div class="compare-sides">
                { column(Which::Fork) }
                { column(Which::This) }
            </div>
            <div class="actions-menu">
                <button data-testid="branch" onclick={on_branch} title="Replace the fork with this run as it is now">{ "Branch again here" }</button>
                <button data-testid="drop-branch" onclick={on_drop}>{ "Drop the branch" }</button>
            </div>
        </section>
    }
}

/// A figure, highlighted (and said so to screen readers) when the other side's differs.
fn figure(value: u32, other: Option<u32>, testid: &'static str) -> Html {
    let differs = other != Some(value);
    html! {
        <span data-testid={testid} data-value={value.to_string()} class={classes!("figure", differs.then_some("differs"))}>
            { value }
            if differs { <span class="visually-hidden">{ " (differs)" }</span> }
        </span>
    }
}

/// A stacked bar of task counts by service, in the services' colours.
fn task_bar(tasks: &SortedMap<String, u32>, side: &SideFigures, scale: u32) -> Html {
    let scale = scale.max(1);
    html! {
        <span class="compare-bar" aria-hidden="true">
            { for tasks.iter().map(|(name, count)| {
                let colour = side.services.get(name).map_or("#64748b", |s| service_colour(s.colour));
                let width = f64::from(*count) * 100.0 / f64::from(scale);
                html! { <span style={format!("width:{width:.1}%;background:{colour}")}></span> }
            }) }
        </span>
    }
}

/// Task counts by service in words, each one highlighted when the other side's differs.
fn task_words(tasks: &SortedMap<String, u32>, other: Option<&SortedMap<String, u32>>) -> Html {
    if tasks.is_empty() {
        return html! { <span class="hint">{ "no tasks" }</span> };
    }
    html! {
        { for tasks.iter().map(|(name, count)| {
            let theirs = other.map(|o| o.get(name).copied().unwrap_or(0));
            html! { <span class="task-count" data-service={name.clone()}>{ format!("{name} ") }{ figure(*count, theirs, "zone-tasks") }{ " " }</span> }
        }) }
    }
}

fn side_view(
    which: Which,
    heading: &str,
    own: &SideFigures,
    other: &SideFigures,
    (world, since): (&World, usize),
    (other_world, other_since): (&World, usize),
) -> Html {
    let busiest = own
        .zones
        .values()
        .flat_map(|z| z.listed.iter())
        .map(|i| i.tasks.values().sum::<u32>())
        .chain(
            other
                .zones
                .values()
                .flat_map(|z| z.listed.iter())
                .map(|i| i.tasks.values().sum::<u32>()),
        )
        .max()
        .unwrap_or(1);
    let fullest_zone = own
        .zones
        .values()
        .chain(other.zones.values())
        .map(|z| z.tasks.values().sum::<u32>())
        .max()
        .unwrap_or(1);
    let events = world.events();
    let since = events.range(since.min(events.len())..);
    let shown = since.iter().rev().take(EVENTS_SHOWN_MAX);
    let statuses = |counts: StatusCounts, theirs: Option<StatusCounts>| {
        html! {
            <>
                { figure(counts.active, theirs.map(|t| t.active), "instances-active") }{ " active, " }
                { figure(counts.draining, theirs.map(|t| t.draining), "instances-draining") }{ " draining, " }
                { figure(counts.inactive, theirs.map(|t| t.inactive), "instances-inactive") }{ " inactive" }
            </>
        }
    };
    html! {
        <section class={classes!("compare-side", format!("side-{}", which.testid()))} data-testid={which.testid()} aria-labelledby={heading.to_string()}>
            <h3 id={heading.to_string()}>{ which.title() }</h3>
            <p class="compare-policy hint" data-testid="compare-side-policy">
                { for world.services().iter().map(|s| html! { <span>{ format!("{}: {}", s.name, flotilla_app::compare_figures::policy_words(s)) }</span> }) }
            </p>
            <table class="compare-services">
                <caption class="visually-hidden">{ format!("Services — {}", which.title()) }</caption>
                <thead><tr><th scope="col">{ "Service" }</th><th scope="col" class="num">{ "Desired" }</th><th scope="col" class="num">{ "Running" }</th><th scope="col" class="num">{ "Pending" }</th></tr></thead>
                <tbody>
                    { for own.services.iter().map(|(name, s)| {
                        let theirs = other.services.get(name);
                        html! {
                            <tr data-testid="compare-service" data-service={name.clone()}>
                                <th scope="row"><span class="swatch" style={format!("background:{}", service_colour(s.colour))}></span>{ name }</th>
                                <td class="num">{ figure(s.desired, theirs.map(|t| t.desired), "desired") }</td>
                                <td class="num">{ figure(s.running, theirs.map(|t| t.running), "running") }</td>
                                <td class="num">{ figure(s.pending, theirs.map(|t| t.pending), "pending") }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <h4>{ "Fleet" }</h4>
            <p class="compare-instances" data-testid="compare-instances">
                { statuses(own.instances, Some(other.instances)) }{ " container instances" }
            </p>
            { for own.zones.iter().map(|(zone, figures)| {
                let theirs = other.zones.get(zone);
                let total: u32 = figures.tasks.values().sum();
                html! {
                    <div class="compare-zone" data-testid="compare-zone" data-az={zone.clone()}>
                        <div class="compare-zone-head">
                            <strong>{ zone }</strong>
                            <span class="hint">{ statuses(figures.instances, theirs.map(|t| t.instances)) }</span>
                        </div>
                        <div class="compare-row">
                            { task_bar(&figures.tasks, own, fullest_zone) }
                            <span class="compare-words">{ format!("{total} tasks: ") }{ task_words(&figures.tasks, Some(theirs.map(|t| &t.tasks).unwrap_or(&SortedMap::new()))) }</span>
                        </div>
                        if figures.listed.len() <= INSTANCES_LISTED_MAX {
                            <ul class="compare-instances-list">
                                { for figures.listed.iter().map(|instance| {
                                    let counts: Vec<String> = instance.tasks.iter().map(|(n, c)| format!("{n} {c}")).collect();
                                    let words = if counts.is_empty() { "no tasks".to_string() } else { counts.join(", ") };
                                    html! {
                                        <li class={classes!("compare-row", (instance.status != InstanceStatus::Active).then_some("not-active"))} data-testid="compare-instance">
                                            <span class="mini-id">{ &instance.ec2_instance_id }</span>
                                            { task_bar(&instance.tasks, own, busiest) }
                                            <span class="compare-words">
                                                if instance.status != InstanceStatus::Active { <span class="badge">{ instance.status.as_str() }</span>{ " " } }
                                                { words }
                                            </span>
                                        </li>
                                    }
                                }) }
                            </ul>
                        } else {
                            <p class="hint" data-testid="compare-zone-summarised">{ format!("{} instances: too many to list, the totals above cover them all", figures.listed.len()) }</p>
                        }
                    </div>
                }
            }) }
            <h4>{ "Events since the fork " }{ figure(own.events_since_fork as u32, Some(other.events_since_fork as u32), "events-since") }</h4>
            if own.events_since_fork > EVENTS_SHOWN_MAX {
                <p class="hint">{ format!("The newest {EVENTS_SHOWN_MAX} of {}, newest first:", own.events_since_fork) }</p>
            }
            <ol class="mini-log compare-events" data-testid="compare-events" tabindex="0" aria-label={format!("Events since the fork, newest first — {}", which.title())}>
                { for shown.map(|event| {
                    let only_here = !has_event(other_world, other_since, event);
                    html! {
                        <li data-testid="compare-event" class={classes!(only_here.then_some("only-here"))}>
                            <time>{ event.at.to_string() }</time>{ " " }{ world.describe(event) }
                            if only_here { <span class="visually-hidden">{ " (not on the other side)" }</span> }
                        </li>
                    }
                }) }
            </ol>
            if since.is_empty() {
                <p class="hint">{ "None yet." }</p>
            }
        </section>
    }
}
