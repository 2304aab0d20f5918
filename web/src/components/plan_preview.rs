//! The plan preview of a rolling deployment: the bounds with their rounding spelled out, the
//! rounds, the fewest healthy tasks against the minimum, the peak of PENDING or RUNNING tasks
//! against the maximum (stopping tasks are shown apart: they do not count against it), and the
//! expected duration or why it can never finish.

use flotilla_core::deploy::{self, Plan, PlanOutcome};
use flotilla_core::time::format_duration;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlanPreviewProps {
    pub plan: Plan,
}

#[function_component(PlanPreview)]
pub fn plan_preview(props: &PlanPreviewProps) -> Html {
    let plan = &props.plan;
    let input = &plan.input;
    let bounds = deploy::bounds(
        input.desired,
        input.minimum_healthy_percent,
        input.maximum_percent,
    );
    let (minimum, maximum) = crate::service_draft::bound_lines(
        input.desired,
        &input.desired.to_string(),
        (input.minimum_healthy_percent, false),
        (input.maximum_percent, false),
    );
    let at = |ms: u64| format!("+{}", format_duration(ms));
    html! {
        <div class="plan" data-testid="plan-preview">
            <h4>{ "Plan preview" }<span class="hint">{ "nominal timing, nothing fails" }</span></h4>
            <ul class="bounds">
                <li data-testid="plan-min">{ minimum }</li>
                <li data-testid="plan-max">{ maximum }</li>
                <li>{ format!("launch to healthy {}, stop {}; room now for {} more tasks", format_duration(input.start_to_healthy_ms), format_duration(input.stop_ms), input.free_slots) }</li>
            </ul>
            if !plan.rounds.is_empty() {
            <table class="rounds" data-testid="plan-rounds">
                <thead><tr><th>{ "Round" }</th><th>{ "At" }</th><th>{ "Start" }</th><th>{ "Stop" }</th><th>{ "Healthy" }</th><th title="PENDING or RUNNING: what maximumPercent bounds">{ "Tasks" }</th><th title="told to stop, not yet STOPPED: not counted against maximumPercent">{ "Stopping" }</th></tr></thead>
                <tbody>
                    { for plan.rounds.iter().enumerate().map(|(index, round)| html! {
                        <tr data-testid="plan-round">
                            <td class="num">{ index + 1 }</td><td>{ at(round.at_ms) }</td>
                            <td class="num">{ round.started }</td><td class="num">{ round.stopped }</td>
                            <td class={classes!("num", (round.healthy < bounds.min_healthy).then_some("bad"))}>{ round.healthy }</td>
                            <td class="num">{ round.tasks }</td>
                            <td class="num">{ round.stopping }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            }
            <p data-testid="plan-worst">
                { format!("Fewest healthy: {} (minimum {}) at {}. Peak: {} tasks pending or running (maximum {}, {} extra) at {}.",
                    plan.fewest_healthy, bounds.min_healthy, at(plan.fewest_healthy_at_ms),
                    plan.peak_tasks, bounds.max_tasks, plan.extra_capacity(), at(plan.peak_tasks_at_ms)) }
            </p>
            <p data-testid="plan-outcome" class={classes!("outcome", matches!(plan.outcome, PlanOutcome::Never { .. }).then_some("failed"))}>
                { match &plan.outcome {
                    PlanOutcome::Completes { duration_ms } => format!("Expected to finish in {} ({} rounds).", format_duration(*duration_ms), plan.rounds.len()),
                    PlanOutcome::Never { reason } => format!("Never finishes: {reason}"),
                } }
            </p>
        </div>
    }
}
