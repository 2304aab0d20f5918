//! The app's short labels for actions on the running world ("Scale web to 4", "Drain i-0ab…"),
//! shown on the timeline strip and in notices. The trace words actions in the ECS API's own
//! verbs (`Action::label`, `world/trace.rs`); these are the same actions in a person's words,
//! kept in one place so every part of the app names an action alike.

use flotilla_core::Action;

/// A short label for an action, in a person's words ("Scale web to 4").
pub fn describe_action(action: &Action) -> String {
    match action {
        Action::CreateService(create) => format!("Create {}", create.numbered_names_text()),
        Action::UpdateService(update) => match (update.desired_count, &update.task_definition) {
            (Some(count), _) => format!("Scale {} to {count}", update.service),
            (None, Some(revision)) => format!("Deploy {revision} to {}", update.service),
            (None, None) if update.force_new_deployment == Some(true) => {
                format!("Force new deployment of {}", update.service)
            }
            (None, None) => format!("UpdateService {}", update.service),
        },
        Action::StopTask { task } => format!("Stop task {task}"),
        Action::TerminateInstance { instance } => format!("Terminate {instance}"),
        Action::RegisterTaskDefinition(register) => {
            crate::taskdef_draft::describe_register(register)
        }
        Action::RunTask(run) => format!("RunTask {}", run.task_definition),
        Action::StartTask(start) => format!("StartTask {}", start.task_definition),
        Action::DrainInstance { instance } => format!("Drain {instance}"),
        Action::ActivateInstance { instance } => format!("Activate {instance}"),
        Action::FailAvailabilityZone { availability_zone } => {
            format!("Lose {availability_zone}")
        }
        Action::SetAlarmState { alarm_name, state } => {
            format!("Alarm {alarm_name} {}", state.as_str())
        }
        Action::ChangeResourceRecordWeight(change) => format!(
            "Weight {} {} to {}",
            change.name, change.set_identifier, change.weight
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flotilla_core::action::UpdateService;

    fn update(service: &str) -> UpdateService {
        serde_json::from_value(serde_json::json!({ "service": service })).expect("update")
    }

    #[test]
    fn every_update_reads_as_what_it_does() {
        let mut scale = update("web");
        scale.desired_count = Some(4);
        assert_eq!(
            describe_action(&Action::UpdateService(scale)),
            "Scale web to 4"
        );
        let mut deploy = update("web");
        deploy.task_definition = Some("web:2".into());
        assert_eq!(
            describe_action(&Action::UpdateService(deploy)),
            "Deploy web:2 to web"
        );
        let mut force = update("web");
        force.force_new_deployment = Some(true);
        assert_eq!(
            describe_action(&Action::UpdateService(force)),
            "Force new deployment of web"
        );
        assert_eq!(
            describe_action(&Action::DrainInstance {
                instance: "i-0ab".into()
            }),
            "Drain i-0ab"
        );
    }
}
