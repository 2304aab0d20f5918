//! The deployment's progress while it runs, as a small inline SVG (no chart library): RUNNING
//! tasks per revision over time since the PRIMARY deployment began (stacked areas, oldest
//! revision at the bottom), the healthy count against the minimum and the PENDING-or-RUNNING
//! count against the maximum (each bound a wide pale band under its line, so a count running
//! exactly at its bound stays visible), a time axis, a legend, and the same in words for screen
//! readers and tests. The series is `flotilla_core::progress::deployment_progress`, a pure
//! function of the world.

use crate::state::WorldHandle;
use flotilla_core::progress::{deployment_progress, Progress, Sample};
use flotilla_core::service::ServiceId;
use flotilla_core::SimTime;
use yew::prelude::*;

/// Samples drawn at most (the summary is exact whatever this is).
const POINTS_MAX: usize = 240;
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 26.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;
/// Revisions in the order they first ran: the oldest grey, then blues and violets.
const REVISION_COLOURS: [&str; 4] = ["#94a3b8", "#2563eb", "#7c3aed", "#0891b2"];
const HEALTHY_COLOUR: &str = "#059669";
const TOTAL_COLOUR: &str = "#d97706";

#[derive(Properties, PartialEq)]
pub struct DeploymentChartProps {
    pub world: WorldHandle,
    pub service: ServiceId,
}

#[function_component(DeploymentChart)]
pub fn deployment_chart(props: &DeploymentChartProps) -> Html {
    let world = props.world.world();
    let Some(progress) = deployment_progress(&world, props.service, POINTS_MAX) else {
        return html! {};
    };
    let summary = progress.summary();
    let scale = Scale::of(&progress);
    let line = |value: &dyn Fn(&Sample) -> u32| scale.step_path(&progress.samples, value);
    // Revision `index` stacked on the ones before it.
    let below = |index: usize| move |s: &Sample| s.running[..index].iter().sum::<u32>();
    let area = |index: usize| {
        let bottom = below(index);
        let top = below(index + 1);
        scale.area_path(&progress.samples, &top, &bottom)
    };
    let revision_colour = |index: usize| REVISION_COLOURS[index % REVISION_COLOURS.len()];
    let y_ticks = [0, scale.y_max / 2, scale.y_max];
    let until = scale.until();
    let x_ticks = [progress.from, midpoint(progress.from, until), until];
    html! {
        <figure class="deployment-chart" data-testid="deployment-chart">
            <figcaption>{ format!("Progress since {}", short_clock(progress.from)) }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("Deployment progress: {summary}")}>
                <g class="axis">
                    { for y_ticks.iter().map(|&tick| {
                        let y = scale.y(tick);
                        // The bottom count sits above its line, clear of the time labels below
                        // (beside them "0" and "0:02:00" read as one "00:02:00").
                        let label_y = if tick == 0 { y - 2.0 } else { y + 3.0 };
                        html! { <>
                            <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={y.to_string()} y2={y.to_string()} class="grid" />
                            <text data-testid="y-tick" x={(LEFT - 4.0).to_string()} y={label_y.to_string()} text-anchor="end">{ tick }</text>
                        </> }
                    }) }
                    { for x_ticks.iter().enumerate().map(|(index, &at)| html! {
                        <text data-testid="x-tick" x={scale.x(at).to_string()} y={(HEIGHT - 3.0).to_string()}
                            text-anchor={["start", "middle", "end"][index]}>{ short_clock(at) }</text>
                    }) }
                </g>
                { for (0..progress.revisions.len()).map(|index| html! {
                    <path data-testid="series-revision" d={area(index)} fill={revision_colour(index)} class="area" />
                }) }
                <path data-testid="line-minimum" d={line(&|s: &Sample| s.minimum_healthy)} stroke={HEALTHY_COLOUR} class="bound" />
                <path data-testid="line-maximum" d={line(&|s: &Sample| s.maximum)} stroke={TOTAL_COLOUR} class="bound" />
                <path data-testid="series-healthy" d={line(&|s: &Sample| s.healthy)} stroke={HEALTHY_COLOUR} class="series" />
                <path data-testid="series-total" d={line(&|s: &Sample| s.running_or_pending)} stroke={TOTAL_COLOUR} class="series thin" />
            </svg>
            <ul class="legend" data-testid="chart-legend">
                { for progress.revisions.iter().enumerate().map(|(index, revision)| html! {
                    <li><span class="swatch area" style={format!("background:{}", revision_colour(index))} />{ format!("{revision} RUNNING") }</li>
                }) }
                <li><span class="swatch" style={format!("background:{HEALTHY_COLOUR}")} />{ "healthy" }</li>
                <li><span class="swatch band" style={format!("background:{HEALTHY_COLOUR}")} />{ "minimum healthy" }</li>
                <li><span class="swatch" style={format!("background:{TOTAL_COLOUR}")} />{ "PENDING or RUNNING" }</li>
                <li><span class="swatch band" style={format!("background:{TOTAL_COLOUR}")} />{ "maximum" }</li>
            </ul>
            <p class="hint" data-testid="deployment-summary">{ summary }</p>
        </figure>
    }
}

/// The shortest time axis drawn: 10 simulated seconds.
const MIN_SPAN_MS: u64 = 10_000;

/// From counts and simulated times to the SVG's coordinates.
struct Scale {
    from_ms: u64,
    span_ms: u64,
    y_max: u32,
}

impl Scale {
    fn of(progress: &Progress) -> Scale {
        let highest = progress
            .samples
            .iter()
            .flat_map(|s| {
                s.running.iter().copied().chain([
                    s.maximum,
                    s.running_or_pending,
                    s.minimum_healthy,
                ])
            })
            .max()
            .unwrap_or(0);
        Scale {
            from_ms: progress.from.as_ms(),
            // A deployment that has just begun spans no time yet: its axis still needs room
            // for three distinct ticks (and its lines a width to be drawn with).
            span_ms: progress
                .until
                .as_ms()
                .saturating_sub(progress.from.as_ms())
                .max(MIN_SPAN_MS),
            // Even, so the middle tick is a whole number; room above the highest line.
            y_max: (highest + 1).div_ceil(2) * 2,
        }
    }

    /// The right end of the time axis.
    fn until(&self) -> SimTime {
        SimTime(self.from_ms + self.span_ms)
    }

    fn x(&self, at: SimTime) -> f64 {
        let width = WIDTH - LEFT - RIGHT;
        LEFT + width * (at.as_ms().saturating_sub(self.from_ms)) as f64 / self.span_ms as f64
    }

    fn y(&self, count: u32) -> f64 {
        let height = HEIGHT - TOP - BOTTOM;
        TOP + height * (1.0 - f64::from(count) / f64::from(self.y_max.max(1)))
    }

    /// A step line: each value holds until the next sample.
    fn step_path(&self, samples: &[Sample], value: &dyn Fn(&Sample) -> u32) -> String {
        let mut path = String::new();
        for (index, (x, y)) in self.step_points(samples, value).into_iter().enumerate() {
            let command = if index == 0 { 'M' } else { 'L' };
            path.push_str(&format!("{command}{x:.1} {y:.1}"));
        }
        path
    }

    /// The region between two step lines (`top` above `bottom`), closed.
    fn area_path(
        &self,
        samples: &[Sample],
        top: &dyn Fn(&Sample) -> u32,
        bottom: &dyn Fn(&Sample) -> u32,
    ) -> String {
        let mut points = self.step_points(samples, top);
        points.extend(self.step_points(samples, bottom).into_iter().rev());
        let mut path = String::new();
        for (index, (x, y)) in points.into_iter().enumerate() {
            let command = if index == 0 { 'M' } else { 'L' };
            path.push_str(&format!("{command}{x:.1} {y:.1}"));
        }
        path.push('Z');
        path
    }

    /// The corners of a step line: each value holds until the next sample, then jumps.
    fn step_points(&self, samples: &[Sample], value: &dyn Fn(&Sample) -> u32) -> Vec<(f64, f64)> {
        let mut points = Vec::with_capacity(samples.len() * 2);
        for sample in samples {
            let (x, y) = (self.x(sample.at), self.y(value(sample)));
            if let Some(&(_, last_y)) = points.last() {
                points.push((x, last_y));
            }
            points.push((x, y));
        }
        if let (1, Some(&(_, y))) = (samples.len(), points.last()) {
            points.push((WIDTH - RIGHT, y));
        }
        points
    }
}

fn midpoint(from: SimTime, until: SimTime) -> SimTime {
    SimTime(from.as_ms() + (until.as_ms().saturating_sub(from.as_ms())) / 2)
}

/// `0:02:30`: the clock without leading zeros or milliseconds, for axis labels.
fn short_clock(at: SimTime) -> String {
    let seconds = at.as_ms() / 1000;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}
