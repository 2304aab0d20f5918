//! Lessons: every built-in passes through "show me"; broken checks name the step and the
//! evidence; malformed files give path-precise problems and never panic; runs are
//! deterministic; the tape to a step rebuilds the runner's world.
