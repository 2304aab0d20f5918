//! The transport: back to the start, one step, play/pause, a slider from 0 to `until` and the
//! clock. Built once and updated in place (value, label, disabled), so scrubbing keeps the
//! slider under the pointer. The clicks and slider moves go to the element's script
//! (`data-act`), which owns the play timer.

use crate::dom::{append, set, Dom};
use crate::state::State;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

pub struct Timeline {
    slider: Option<HtmlInputElement>,
    clock: Element,
    play: Element,
    step: Element,
}

impl Timeline {
    pub fn build(dom: &Dom, section: &Element, until_ms: u64) -> Timeline {
        let controls = dom.el("div", "controls", "");
        append(
            &controls,
            &dom.button("Start", "Back to the start", &[("act", "start")]),
        );
        let step = dom.button("Step", "Step: the next event", &[("act", "step")]);
        append(&controls, &step);
        let play = dom.button("Play", "Play", &[("act", "play")]);
        append(&controls, &play);
        let slider = dom.el("input", "", "");
        for (name, value) in [
            ("type", "range"),
            ("min", "0"),
            ("max", &until_ms.to_string()),
            ("step", "1000"),
            ("value", "0"),
            ("aria-label", "Simulated time"),
            ("data-act", "seek"),
        ] {
            set(&slider, name, value);
        }
        append(&controls, &slider);
        let clock = dom.el("span", "clock", "");
        append(&controls, &clock);
        append(section, &controls);
        Timeline {
            slider: slider.dyn_into::<HtmlInputElement>().ok(),
            clock,
            play,
            step,
        }
    }

    pub fn update(&self, state: &State, playing: bool) {
        if let Some(slider) = &self.slider {
            slider.set_value(&state.now_ms.to_string());
        }
        let until = flotilla_core::SimTime(state.until_ms);
        let mut clock = format!("{} / {until}", state.now);
        if let Some(why) = &state.stopped {
            clock.push_str(&format!(" · stopped: {why}"));
        }
        self.clock.set_text_content(Some(&clock));
        let word = if playing { "Pause" } else { "Play" };
        self.play.set_text_content(Some(word));
        set(&self.play, "aria-label", word);
        set(
            &self.play,
            "aria-pressed",
            if playing { "true" } else { "false" },
        );
        for button in [&self.play, &self.step] {
            if state.at_end {
                set(button, "disabled", "");
            } else {
                let _ = button.remove_attribute("disabled");
            }
        }
    }
}
