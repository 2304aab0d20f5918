//! `Problem`: the one shape of "what is wrong" with input — a scenario file, an imported
//! document, an edit — as a JSON path (`services[2].deploymentConfiguration.maximumPercent`)
//! and a plain message. Checkers return problems relative to what they check; callers place
//! them with [`Problem::under`], so the path a user reads always starts at the file's root.

/// Where (`fleet[0].instanceType`, or empty for the whole input) and what (`must be at least 1`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The same problem seen from `prefix` (`taskDefinitions[1]` + `cpu` →
    /// `taskDefinitions[1].cpu`).
    pub fn under(self, prefix: &str) -> Problem {
        Problem {
            path: join_path(prefix, &self.path),
            message: self.message,
        }
    }

    /// `(path, message)`, for callers that still take pairs.
    pub fn into_pair(self) -> (String, String) {
        (self.path, self.message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Problem {}

/// Problems from `(path, message)` pairs, each placed under `prefix`.
pub fn from_pairs<P: Into<String>>(
    prefix: &str,
    pairs: impl IntoIterator<Item = (P, String)>,
) -> Vec<Problem> {
    pairs
        .into_iter()
        .map(|(path, message)| Problem::new(path, message).under(prefix))
        .collect()
}

/// Joins two JSON paths: `a` + `b` = `a.b`, `a` + `[0]` = `a[0]`; an empty side disappears.
pub fn join_path(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_as_json_paths() {
        assert_eq!(join_path("", "name"), "name");
        assert_eq!(join_path("fleet", "[0]"), "fleet[0]");
        assert_eq!(join_path("fleet[0]", "count"), "fleet[0].count");
        assert_eq!(join_path("fleet[0]", ""), "fleet[0]");
        let problem = Problem::new("cpu", "too small").under("taskDefinitions[1]");
        assert_eq!(problem.to_string(), "taskDefinitions[1].cpu: too small");
        assert_eq!(Problem::new("", "empty").to_string(), "empty");
    }
}
