//! Argument parsing shared by the subcommands: a thin layer over `lexopt` that words every
//! problem the same way in every subcommand ("--until needs a duration", "unknown option --x",
//! "unexpected argument y"). A subcommand's `parse` returns its typed arguments or that message,
//! which `main` prints with the usage text and exit code 2; parsing never touches a file.

use flotilla_core::time::parse_duration;
use flotilla_core::SimTime;
pub use lexopt::Arg;

/// The arguments of one subcommand, read front to back.
pub struct Args {
    parser: lexopt::Parser,
}

impl Args {
    pub fn new(args: &[String]) -> Args {
        Args {
            parser: lexopt::Parser::from_args(args.iter().cloned()),
        }
    }

    /// The next option (`--name`, `-n`) or positional argument; `None` after the last one.
    pub fn next(&mut self) -> Result<Option<Arg<'_>>, String> {
        self.parser.next().map_err(|error| error.to_string())
    }

    /// The value of the option just read (`--name VALUE` or `--name=VALUE`); `missing` is the
    /// message when there is none.
    pub fn value(&mut self, missing: &str) -> Result<String, String> {
        match self.parser.value() {
            Ok(value) => Ok(value.to_string_lossy().into_owned()),
            Err(_) => Err(missing.to_string()),
        }
    }

    /// A simulated time given as a duration (`10m`, `1h30m`) for `option` (e.g. `--until`).
    pub fn time(&mut self, option: &str, missing: &str) -> Result<SimTime, String> {
        let text = self.value(missing)?;
        parse_duration(&text)
            .map(SimTime)
            .map_err(|message| format!("{option}: {message}"))
    }
}

/// The text of a positional argument (arguments arrive as `String`s, so this is lossless).
pub fn text(value: std::ffi::OsString) -> String {
    value.to_string_lossy().into_owned()
}

/// Every argument as a positional value, for a subcommand that takes no option (`check`,
/// `lesson`); any option is refused with `unknown_option`'s words.
pub fn positionals(args: &[String]) -> Result<Vec<String>, String> {
    let mut values = Vec::new();
    let mut args = Args::new(args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(value) => values.push(text(value)),
            option => return Err(unknown_option(&option)),
        }
    }
    Ok(values)
}

/// The message for an option the subcommand does not take.
pub fn unknown_option(arg: &Arg<'_>) -> String {
    match arg {
        Arg::Long(name) => format!("unknown option --{name}"),
        Arg::Short(letter) => format!("unknown option -{letter}"),
        Arg::Value(value) => format!("unexpected argument {}", value.to_string_lossy()),
    }
}

/// The message for a positional argument beyond those the subcommand takes.
pub fn unexpected(value: &str) -> String {
    format!("unexpected argument {value}")
}

#[cfg(test)]
pub(crate) fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}
