//! The fleet: one card per container instance (EC2 id, type, Availability Zone, status) with a
//! chip per live task (service, revision, state). Interactive embeds add Drain and Terminate to
//! each ACTIVE instance and make each task chip a "stop this task" button.

use crate::dom::{append, set, Dom};
use crate::options::Mode;
use crate::state::{instance_active, State};
use web_sys::Element;

/// Cards drawn at most; the rest are counted ("and 12 more instances").
const INSTANCES_SHOWN_MAX: usize = 48;
/// Task chips per card at most.
const TASKS_SHOWN_MAX: usize = 32;

pub fn render(dom: &Dom, section: &Element, state: &State, mode: Mode) {
    append(section, &dom.el("h3", "", "Fleet"));
    let list = dom.el("ul", "instances", "");
    for instance in state.instances.iter().take(INSTANCES_SHOWN_MAX) {
        let card = dom.el(
            "li",
            &format!("instance {}", instance.status.to_lowercase()),
            "",
        );
        set(&card, "data-instance", &instance.id);
        let head = dom.el("div", "head", "");
        append(&head, &dom.el("span", "id", &instance.id));
        append(&head, &dom.el("span", "type", instance.instance_type));
        append(&head, &dom.el("span", "az", &instance.availability_zone));
        append(&head, &dom.el("span", "status", instance.status));
        if mode == Mode::Interactive && instance_active(instance.status) {
            for (act, word) in [("drain", "Drain"), ("terminate", "Terminate")] {
                let label = format!("{word} {}", instance.id);
                append(
                    &head,
                    &dom.button(word, &label, &[("act", act), ("instance", &instance.id)]),
                );
            }
        }
        append(&card, &head);
        let tasks = dom.el("ul", "tasks", "");
        for task in instance.tasks.iter().take(TASKS_SHOWN_MAX) {
            let item = dom.el("li", "", "");
            let words = format!("{} {} {}", task.id, task.task_definition, task.state);
            let chip = if mode == Mode::Interactive && task.state != "STOPPING" {
                dom.button(
                    &task.service,
                    &format!("Stop task {words}"),
                    &[("act", "stop"), ("task", &task.id)],
                )
            } else {
                let chip = dom.el("span", "", &task.service);
                set(&chip, "title", &words);
                chip
            };
            chip.set_class_name(&format!("task {}", task.state.to_lowercase()));
            append(&item, &chip);
            append(&tasks, &item);
        }
        if instance.tasks.len() > TASKS_SHOWN_MAX {
            let more = format!("+{}", instance.tasks.len() - TASKS_SHOWN_MAX);
            append(&tasks, &dom.el("li", "more", &more));
        }
        if instance.tasks.is_empty() {
            append(&tasks, &dom.el("li", "empty", "no tasks"));
        }
        append(&card, &tasks);
        append(&list, &card);
    }
    append(section, &list);
    if state.instances.len() > INSTANCES_SHOWN_MAX {
        let more = format!(
            "and {} more instances",
            state.instances.len() - INSTANCES_SHOWN_MAX
        );
        append(section, &dom.el("p", "more", &more));
    }
}
