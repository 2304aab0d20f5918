//! Actions: the only way users, scenario timelines and the UI change a running world
//! (`World::apply`). Each names its target the way the user sees it (service name, EC2
//! instance id, task id) so the same action reads the same in a file, the UI and the CLI.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// `UpdateService`: the members the sandbox models so far.
    UpdateService(UpdateService),
    /// `StopTask` on one task, by id (`t7`).
    StopTask { task: String },
    /// Terminate the EC2 instance behind a container instance, by EC2 instance id.
    TerminateInstance { instance: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateService {
    pub service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_count: Option<u32>,
}

/// Why an action could not be applied. The world is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionError(pub String);

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ActionError {}
