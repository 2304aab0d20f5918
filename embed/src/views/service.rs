//! One service: its counts (desired, RUNNING, PENDING), its deployments (id, status, rollout
//! state, revision) and the deployment chart — RUNNING tasks per revision stacked, the healthy
//! count against the minimum and the PENDING-or-RUNNING count against the maximum since the
//! PRIMARY deployment began (`flotilla_core::progress`), drawn as SVG with presentation
//! attributes (no inline styles, which a strict CSP refuses). Interactive embeds add − and + to
//! scale the service (`updateService desiredCount`).

use crate::dom::{append, set, Dom};
use crate::options::Mode;
use crate::state::State;
use flotilla_core::progress::{deployment_progress, Progress, Sample};
use flotilla_core::service::ServiceId;
use flotilla_core::World;
use web_sys::Element;

/// Samples drawn at most (the summary is exact whatever this is).
const POINTS_MAX: usize = 160;
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 140.0;
const LEFT: f64 = 26.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;
/// The shortest time axis drawn: 10 simulated seconds.
const SPAN_MS_MIN: u64 = 10_000;
/// Revisions in the order they first ran: the oldest grey, then blues and violets (the app's).
const REVISION_COLOURS: [&str; 4] = ["#94a3b8", "#2563eb", "#7c3aed", "#0891b2"];
const HEALTHY_COLOUR: &str = "#059669";
const TOTAL_COLOUR: &str = "#d97706";
/// Scaling buttons stop here; a page's reader does not need a thousand tasks.
const SCALE_MAX: u32 = 50;

pub fn render(
    dom: &Dom,
    section: &Element,
    state: &State,
    world: &World,
    name: Option<&str>,
    mode: Mode,
) {
    let found = name.and_then(|name| state.services.iter().position(|s| s.name == name));
    let Some(index) = found else {
        append(section, &dom.el("h3", "", "Service"));
        append(
            section,
            &dom.el("p", "empty", "the scenario has no service"),
        );
        return;
    };
    let service = &state.services[index];
    append(
        section,
        &dom.el("h3", "", &format!("Service {}", service.name)),
    );
    let counts = dom.el("p", "counts", "");
    let words = format!(
        "desired {} · RUNNING {} · PENDING {} · {}",
        service.desired_count, service.running, service.pending, service.task_definition
    );
    append(&counts, &dom.el("span", "", &words));
    if mode == Mode::Interactive {
        let down = service.desired_count.saturating_sub(1);
        let up = (service.desired_count + 1).min(SCALE_MAX);
        for (text, count) in [("−", down), ("+", up)] {
            if count != service.desired_count {
                let label = format!("Scale {} to {count}", service.name);
                let count = count.to_string();
                let data = [
                    ("act", "scale"),
                    ("service", &service.name),
                    ("count", &count),
                ];
                append(&counts, &dom.button(text, &label, &data));
            }
        }
    }
    append(section, &counts);
    if let Some(progress) = deployment_progress(world, ServiceId(index as u32), POINTS_MAX) {
        append(section, &chart(dom, &progress));
    }
    let deployments = dom.el("ul", "deployments", "");
    for d in &service.deployments {
        let line = format!(
            "{} {} {} {}",
            d.id, d.status, d.rollout_state, d.task_definition
        );
        append(&deployments, &dom.el("li", "", &line));
    }
    append(section, &deployments);
}

fn chart(dom: &Dom, progress: &Progress) -> Element {
    let figure = dom.el("figure", "chart", "");
    let summary = progress.summary();
    let scale = Scale::of(progress);
    let view_box = format!("0 0 {} {}", tenths(WIDTH), tenths(HEIGHT));
    let svg = dom.svg("svg", &[("viewBox", &view_box), ("role", "img")]);
    set(
        &svg,
        "aria-label",
        &format!("Deployment progress: {summary}"),
    );
    for tick in [0, scale.y_max / 2, scale.y_max] {
        let y = tenths(scale.y(tick));
        let (x1, x2) = (tenths(LEFT), tenths(WIDTH - RIGHT));
        let grid = [("x1", &x1[..]), ("x2", &x2), ("y1", &y), ("y2", &y)];
        let line = dom.svg("line", &grid);
        set(&line, "class", "grid");
        append(&svg, &line);
        let label_y = tenths(scale.y(tick) + if tick == 0 { -2.0 } else { 3.0 });
        let x = tenths(LEFT - 4.0);
        let attributes = [("x", &x[..]), ("y", &label_y), ("text-anchor", "end")];
        let text = dom.svg("text", &attributes);
        text.set_text_content(Some(&tick.to_string()));
        append(&svg, &text);
    }
    let until = scale.from_ms + scale.span_ms;
    let ticks = [scale.from_ms, scale.from_ms + scale.span_ms / 2, until];
    for (index, at) in ticks.into_iter().enumerate() {
        let x = tenths(scale.x(at));
        let y = tenths(HEIGHT - 3.0);
        let anchor = ["start", "middle", "end"][index];
        let text = dom.svg("text", &[("x", &x), ("y", &y), ("text-anchor", anchor)]);
        text.set_text_content(Some(&short_clock(at)));
        append(&svg, &text);
    }
    for index in 0..progress.revisions.len() {
        let below = |s: &Sample| s.running[..index].iter().sum::<u32>();
        let top = |s: &Sample| s.running[..=index].iter().sum::<u32>();
        let d = scale.area_path(&progress.samples, &top, &below);
        let colour = REVISION_COLOURS[index % REVISION_COLOURS.len()];
        append(
            &svg,
            &dom.svg("path", &[("d", &d), ("fill", colour), ("class", "area")]),
        );
    }
    let lines: [(&Count, &str, &str); 4] = [
        (&|s| s.minimum_healthy, HEALTHY_COLOUR, "bound"),
        (&|s| s.maximum, TOTAL_COLOUR, "bound"),
        (&|s| s.healthy, HEALTHY_COLOUR, "series"),
        (&|s| s.running_or_pending, TOTAL_COLOUR, "series thin"),
    ];
    for (value, colour, class) in lines {
        let d = scale.step_path(&progress.samples, value);
        let path = [
            ("d", &d[..]),
            ("stroke", colour),
            ("fill", "none"),
            ("class", class),
        ];
        append(&svg, &dom.svg("path", &path));
    }
    append(&figure, &svg);
    let legend = dom.el("ul", "legend", "");
    for (index, revision) in progress.revisions.iter().enumerate() {
        let colour = REVISION_COLOURS[index % REVISION_COLOURS.len()];
        append(
            &legend,
            &legend_item(dom, colour, &format!("{revision} RUNNING")),
        );
    }
    append(
        &legend,
        &legend_item(dom, HEALTHY_COLOUR, "healthy / minimum"),
    );
    append(
        &legend,
        &legend_item(dom, TOTAL_COLOUR, "PENDING or RUNNING / maximum"),
    );
    append(&figure, &legend);
    append(&figure, &dom.el("figcaption", "", &summary));
    figure
}

/// One of a sample's counts.
type Count = dyn Fn(&Sample) -> u32;

/// A legend entry: a small SVG swatch (a fill attribute, not an inline style) and its words.
fn legend_item(dom: &Dom, colour: &str, words: &str) -> Element {
    let item = dom.el("li", "", "");
    let swatch = dom.svg(
        "svg",
        &[("width", "10"), ("height", "10"), ("aria-hidden", "true")],
    );
    let rect = [("width", "10"), ("height", "10"), ("fill", colour)];
    append(&swatch, &dom.svg("rect", &rect));
    append(&item, &swatch);
    append(&item, &dom.el("span", "", words));
    item
}

/// From counts and simulated times to the SVG's coordinates (the app's chart geometry).
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
        let from_ms = progress.from.as_ms();
        Scale {
            from_ms,
            span_ms: progress
                .until
                .as_ms()
                .saturating_sub(from_ms)
                .max(SPAN_MS_MIN),
            y_max: (highest + 1).div_ceil(2) * 2,
        }
    }

    fn x(&self, at_ms: u64) -> f64 {
        let width = WIDTH - LEFT - RIGHT;
        LEFT + width * (at_ms.saturating_sub(self.from_ms)) as f64 / self.span_ms as f64
    }

    fn y(&self, count: u32) -> f64 {
        let height = HEIGHT - TOP - BOTTOM;
        TOP + height * (1.0 - f64::from(count) / f64::from(self.y_max.max(1)))
    }

    fn step_path(&self, samples: &[Sample], value: &dyn Fn(&Sample) -> u32) -> String {
        path_of(self.step_points(samples, value), false)
    }

    fn area_path(
        &self,
        samples: &[Sample],
        top: &dyn Fn(&Sample) -> u32,
        bottom: &dyn Fn(&Sample) -> u32,
    ) -> String {
        let mut points = self.step_points(samples, top);
        points.extend(self.step_points(samples, bottom).into_iter().rev());
        path_of(points, true)
    }

    /// The corners of a step line: each value holds until the next sample, then jumps.
    fn step_points(&self, samples: &[Sample], value: &dyn Fn(&Sample) -> u32) -> Vec<(f64, f64)> {
        let mut points = Vec::with_capacity(samples.len() * 2);
        for sample in samples {
            let (x, y) = (self.x(sample.at.as_ms()), self.y(value(sample)));
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

fn path_of(points: Vec<(f64, f64)>, closed: bool) -> String {
    let mut path = String::new();
    for (index, (x, y)) in points.into_iter().enumerate() {
        let command = if index == 0 { 'M' } else { 'L' };
        path.push(command);
        path.push_str(&tenths(x));
        path.push(' ');
        path.push_str(&tenths(y));
    }
    if closed {
        path.push('Z');
    }
    path
}

/// `12.3`: a coordinate to one decimal, written with integers (the float formatter would add
/// about 18 KB of wasm to the embed). Coordinates here are never negative.
fn tenths(value: f64) -> String {
    let tenths = (value.max(0.0) * 10.0 + 0.5) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `0:02:30`: the clock without milliseconds, for axis labels.
fn short_clock(at_ms: u64) -> String {
    let seconds = at_ms / 1000;
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}
