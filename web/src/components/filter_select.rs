//! One filter of the event log: a `<select>` of "All …" and the names to filter by. A component
//! of its own so that it re-renders only when its names or the filter change, not on every step:
//! the container instance filter of a 5,000-instance fleet is 5,000 options, which cost more to
//! rebuild and diff each tick of play than the rest of the page. A long list (`LAZY_MIN`) holds
//! only "All …" and the current choice until the select is first focused or pressed: the
//! service filter of a 10,000-service scenario made opening the Events tab take a second.

use crate::state::EventFilter;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Which field of the filter a select sets.
#[derive(Clone, Copy, PartialEq)]
pub enum FilterField {
    Service,
    Instance,
    Kind,
}

impl FilterField {
    fn get(self, filter: &EventFilter) -> &Option<String> {
        match self {
            FilterField::Service => &filter.service,
            FilterField::Instance => &filter.instance,
            FilterField::Kind => &filter.kind,
        }
    }

    fn set(self, filter: &mut EventFilter, value: Option<String>) {
        match self {
            FilterField::Service => filter.service = value,
            FilterField::Instance => filter.instance = value,
            FilterField::Kind => filter.kind = value,
        }
    }
}

/// Past this many names the options are put in the page when the select is first used.
pub const LAZY_MIN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct FilterSelectProps {
    /// Plural noun: "All {label}" and the select's accessible name.
    pub label: &'static str,
    pub testid: &'static str,
    pub field: FilterField,
    pub options: Vec<String>,
    pub filter: EventFilter,
    pub on_filter: Callback<EventFilter>,
}

#[function_component(FilterSelect)]
pub fn filter_select(props: &FilterSelectProps) -> Html {
    let current = props.field.get(&props.filter);
    let used = use_state_eq(|| false);
    let every = *used || props.options.len() <= LAZY_MIN;
    // Focus comes before the list opens, for a pointer (pointerdown) and a keyboard alike.
    let on_use = {
        let used = used.clone();
        Callback::from(move |()| used.set(true))
    };
    let on_change = {
        let (filter, field) = (props.filter.clone(), props.field);
        props.on_filter.reform(move |event: Event| {
            let value = event
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let mut filter = filter.clone();
            field.set(&mut filter, (!value.is_empty()).then_some(value));
            filter
        })
    };
    html! {
        <select data-testid={props.testid} aria-label={props.label} onchange={on_change}
            onfocus={on_use.reform(|_: FocusEvent| ())} onpointerdown={on_use.reform(|_: PointerEvent| ())}>
            <option value="" selected={current.is_none()}>{ format!("All {}", props.label) }</option>
            if every {
                { for props.options.iter().map(|option| html! {
                    <option selected={current.as_ref() == Some(option)} value={option.clone()}>{ option.clone() }</option>
                }) }
            } else if let Some(current) = current {
                <option selected=true value={current.clone()}>{ current.clone() }</option>
            }
        </select>
    }
}
