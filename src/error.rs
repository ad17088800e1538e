//! Errors that end a command, and the one place they become exit codes.
//!
//! A failing *check* is not an error: it is a finding with status `unknown`. These are the
//! failures that stop incidentctl from doing what was asked at all.

use std::fmt;

/// Process exit codes. `diagnose` uses 0–3 (Nagios convention); everything else stays out of
/// that range so a script can never mistake a usage error for a diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
    Usage = 64,
    Internal = 70,
    Config = 78,
    Interrupted = 130,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad flag, argument or value on the command line.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    /// A bad config file, config key or environment variable.
    #[error("{source_name}: {message}")]
    Config {
        /// Where the bad value came from: a config key (`postgres.url`), a file or a variable.
        source_name: String,
        message: String,
        hint: Option<String>,
    },

    /// Output could not be written (a closed pipe is not an error and never gets here).
    #[error("could not write output: {0}")]
    Output(#[from] std::io::Error),

    /// Something incidentctl itself got wrong.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn config(source_name: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::Config {
            source_name: source_name.into(),
            message: message.to_string(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Usage { hint, .. } | Error::Config { hint, .. } => *hint = Some(text.into()),
            Error::Output(_) | Error::Internal(_) => {}
        }
        self
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Usage { hint, .. } | Error::Config { hint, .. } => hint.as_deref(),
            Error::Output(_) => None,
            Error::Internal(_) => {
                Some("this is a bug in incidentctl; please report it with the command you ran")
            }
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage { .. } => ExitCode::Usage,
            Error::Config { .. } => ExitCode::Config,
            Error::Output(_) | Error::Internal(_) => ExitCode::Internal,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
