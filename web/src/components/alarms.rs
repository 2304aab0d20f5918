//! CloudWatch alarm controls on a running world (§4.5): each alarm a deployment watches (or an
//! action has set) with its state, OK or ALARM, the services watching it and what an ALARM would
//! do now, and a button to flip it. The button applies `Action::SetAlarmState`, which goes on
//! the run's tape like every action, so rewinding before it undoes it.

use crate::state::WorldHandle;
use flotilla_core::action::AlarmState;
use flotilla_core::compact::SortedSet;
use flotilla_core::deploy::RolloutState;
use flotilla_core::service::{Service, ServiceId};
use flotilla_core::{Action, World};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AlarmsProps {
    pub world: WorldHandle,
    /// Only this service's deployment alarms; `None`: every alarm in the run.
    #[prop_or_default]
    pub service: Option<ServiceId>,
    pub on_apply: Callback<Action>,
}

/// The alarm names a service's deployment configuration lists.
fn watched_by(service: &Service) -> &[String] {
    service
        .deployment_configuration
        .alarms
        .as_ref()
        .map_or(&[], |a| a.alarm_names.as_slice())
}

/// What an ALARM would do to this service's deployment right now, in words.
fn consequence(world: &World, service: &Service) -> String {
    let Some(alarms) = &service.deployment_configuration.alarms else {
        return String::new();
    };
    let primary = service.primary();
    if !alarms.enable {
        return format!(
            "{}: monitoring is off (enable is false); an ALARM changes nothing.",
            service.name
        );
    }
    if primary.rollout_state != RolloutState::InProgress {
        return format!(
            "{}: no deployment in progress ({} is {}); an ALARM fails nothing now.",
            service.name,
            primary.id,
            primary.rollout_state.as_str()
        );
    }
    if primary.alarms_ignored {
        return format!(
            "{}: deployment {} ignores alarms (one was in ALARM when it started).",
            service.name, primary.id
        );
    }
    let baking = match primary.bake_until {
        Some(until) if until > world.now() => format!(" (baking until {until})"),
        _ => String::new(),
    };
    let then = match (alarms.rollback, service.last_completed()) {
        (false, _) => " and leaves it as it is (rollback is off)".to_string(),
        (true, Some(completed)) => format!(" and rolls back to {}", completed.id),
        (true, None) => " (no completed deployment to roll back to)".to_string(),
    };
    format!(
        "{}: an ALARM now fails deployment {}{baking}{then}.",
        service.name, primary.id
    )
}

#[function_component(Alarms)]
pub fn alarms(props: &AlarmsProps) -> Html {
    let world = props.world.world();
    let services: Vec<&Service> = match props.service {
        Some(id) => world.services().get(id.0 as usize).into_iter().collect(),
        None => world.services().iter().collect(),
    };
    let mut names: SortedSet<String> = services
        .iter()
        .flat_map(|s| watched_by(s).iter().cloned())
        .collect();
    if props.service.is_none() {
        names.extend(world.alarm_states().keys().cloned());
    }
    if names.is_empty() {
        return html! {};
    }
    let watchers: Vec<&Service> = services
        .iter()
        .copied()
        .filter(|s| !watched_by(s).is_empty())
        .collect();
    html! {
        <section class="alarms" data-testid="alarms" aria-label="CloudWatch alarms">
            <h3>{ "Alarms" }<span class="hint">{ "setting one goes on the timeline" }</span></h3>
            <ul>
                { for names.iter().map(|name| {
                    let state = world.alarm_state(name);
                    let next = match state {
                        AlarmState::Ok => AlarmState::Alarm,
                        AlarmState::Alarm => AlarmState::Ok,
                    };
                    let action = Action::SetAlarmState { alarm_name: name.clone(), state: next };
                    let on_click = props.on_apply.reform(move |_: MouseEvent| action.clone());
                    let by: Vec<&str> = watchers.iter().filter(|s| watched_by(s).contains(name)).map(|s| s.name.as_str()).collect();
                    html! {
                        <li data-testid="alarm" data-alarm={name.clone()} data-state={state.as_str()}>
                            <span class="mono">{ name }</span>
                            <span class={classes!("alarm-state", (state == AlarmState::Alarm).then_some("in-alarm"))} data-testid="alarm-state">{ state.as_str() }</span>
                            if !by.is_empty() && props.service.is_none() {
                                <span class="hint">{ format!("watched by {}", by.join(", ")) }</span>
                            }
                            <button class={classes!("small", (next == AlarmState::Alarm).then_some("danger"))} onclick={on_click}
                                aria-label={format!("Set alarm {name} to {}", next.as_str())}
                                title={format!("SetAlarmState {name} {} (on the timeline; rewind to undo)", next.as_str())}>
                                { format!("Set {}", next.as_str()) }
                            </button>
                        </li>
                    }
                }) }
            </ul>
            <ul class="hint alarm-effects" data-testid="alarm-effects">
                { for watchers.iter().map(|s| html! { <li>{ consequence(&world, s) }</li> }) }
            </ul>
        </section>
    }
}
