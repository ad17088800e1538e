//! Errors that end a command, and the one place they become exit codes.
//!
//! A failing *check* is not an error: it is a finding with status `unknown`. These are the
//! failures that stop incidentctl from doing what was asked at all.

use crate::types::failure::{Cause, Refusal};
use crate::types::CheckError;
use std::fmt;

/// Process exit codes. `diagnose` uses 0–3 (Nagios convention); everything else stays out of
/// that range so a script can never mistake a usage error for a diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
    /// A change was not confirmed: no terminal and no --yes, or the answer was no.
    NotConfirmed = 10,
    /// The plan went stale (someone else changed the object): nothing was applied.
    Conflict = 11,
    /// Of several targets, some were changed and some failed; of the notifications due
    /// (`report escalate`), some failed or may have been sent.
    PartialFailure = 12,
    /// The change was applied but verification (--wait) did not see it complete.
    VerifyFailed = 13,
    /// The server accepted the change, but the value is not in effect (something reverted it).
    NotInEffect = 14,
    Usage = 64,
    /// Stored data (an incident file, a saved diagnosis) is unreadable or invalid.
    DataError = 65,
    /// A named object (deployment, table, policy) does not exist.
    NotFound = 66,
    /// The identity lacks permission (401/403 from the server).
    PermissionDenied = 77,
    /// A server the command needs could not be reached (`report escalate`: no channel's server
    /// answered and nothing was sent).
    Unavailable = 69,
    Internal = 70,
    /// The audit log could not be written, so nothing was applied.
    AuditLog = 73,
    Config = 78,
    /// incidentctl itself panicked: a bug, reported with a hint on how to file it.
    Panic = 101,
    Interrupted = 130,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A diagnosis's (or doctor's) overall status as the exit code monitoring systems read: 0 to 3,
/// as Nagios plugins exit.
impl From<crate::types::Status> for ExitCode {
    fn from(status: crate::types::Status) -> Self {
        use crate::types::Status;
        match status {
            Status::Ok => ExitCode::Ok,
            Status::Warning => ExitCode::Warning,
            Status::Critical => ExitCode::Critical,
            Status::Unknown => ExitCode::Unknown,
        }
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

    /// The change needs confirmation that was not given; why decides the hint.
    #[error("{0}")]
    NotConfirmed(Unconfirmed),

    /// The object changed since the plan was made.
    #[error("{message}")]
    Conflict {
        message: String,
        hint: Option<String>,
    },

    /// A named object does not exist.
    #[error("{message}")]
    NotFound {
        message: String,
        hint: Option<String>,
    },

    /// Stored data is unreadable or invalid.
    #[error("{message}")]
    Data {
        message: String,
        hint: Option<String>,
    },

    /// The identity lacks a permission (401/403).
    #[error("{message}")]
    PermissionDenied {
        message: String,
        hint: Option<String>,
    },

    /// A server could not be reached, refused the request, or the connection failed. `cause`
    /// says which, read from the client library's typed error (None: not a server's failure).
    #[error("{message}")]
    Unavailable {
        message: String,
        hint: Option<String>,
        cause: Option<Cause>,
    },

    /// Some targets failed (each already reported).
    #[error("{0}")]
    PartialFailure(String),

    /// Applied, but not seen to complete.
    #[error("{0}")]
    VerifyFailed(String),

    /// The server accepted the change, but the value is not in effect (reverted by an admission
    /// webhook or a controller).
    #[error("{0}")]
    NotInEffect(String),

    /// Ctrl-C: the message says what was and was not changed.
    #[error("{0}")]
    Interrupted(String),

    /// The audit log could not be written.
    #[error("audit log {path}: {message}")]
    AuditLog { path: String, message: String },

    /// Output could not be written (a closed pipe is not an error and never gets here).
    /// Only the output writers make this: other I/O failures say what they were reading or
    /// writing.
    #[error("could not write output: {0}")]
    Output(std::io::Error),

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

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound {
            message: message.into(),
            hint: None,
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Error::Unavailable {
            message: message.into(),
            hint: None,
            cause: None,
        }
    }

    /// A server's failure, typed by what became of the request: a refusal with its own exit
    /// code (conflict 11, not found 66, permission 77) or unavailable (69).
    pub fn remote(cause: Cause, message: impl Into<String>) -> Self {
        let message = message.into();
        match cause {
            Cause::Refused(Refusal::Conflict) => Error::Conflict {
                message,
                hint: None,
            },
            Cause::Refused(Refusal::NotFound) => Error::NotFound {
                message,
                hint: None,
            },
            Cause::Refused(Refusal::Forbidden | Refusal::Unauthenticated) => {
                Error::PermissionDenied {
                    message,
                    hint: None,
                }
            }
            cause => Error::Unavailable {
                message,
                hint: None,
                cause: Some(cause),
            },
        }
    }

    /// What became of the request this error is about, when it is about a server's answer or
    /// the lack of one. Refusals are their own variants; Unavailable carries its cause.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Error::Conflict { .. } => Some(Cause::Refused(Refusal::Conflict)),
            Error::NotFound { .. } => Some(Cause::Refused(Refusal::NotFound)),
            Error::PermissionDenied { .. } => Some(Cause::Refused(Refusal::Forbidden)),
            Error::Unavailable { cause, .. } => *cause,
            _ => None,
        }
    }

    /// The object changed since the plan was shown, so nothing was applied (exit 11).
    pub fn stale(object: impl fmt::Display) -> Self {
        Error::Conflict {
            message: format!("{object} changed since the plan; nothing was applied"),
            hint: Some("run the command again to see a fresh plan".into()),
        }
    }

    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Usage { hint, .. }
            | Error::Config { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::PermissionDenied { hint, .. }
            | Error::Data { hint, .. }
            | Error::Unavailable { hint, .. } => *hint = Some(text.into()),
            _ => {}
        }
        self
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Usage { hint, .. }
            | Error::Config { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::PermissionDenied { hint, .. }
            | Error::Data { hint, .. }
            | Error::Unavailable { hint, .. } => hint.as_deref(),
            Error::NotConfirmed(why) => why.hint(),
            Error::AuditLog { .. } => Some("nothing was applied; fix the path or set audit.path / INCIDENTCTL_AUDIT_LOG"),
            Error::NotInEffect(_) => Some("look for an admission webhook or a controller that owns this field (kubectl get mutatingwebhookconfigurations; the object's managedFields)"),
            Error::PartialFailure(_)
            | Error::VerifyFailed(_)
            | Error::Interrupted(_)
            | Error::Output(_) => None,
            Error::Internal(_) => {
                Some("this is a bug in incidentctl; please report it with the command you ran")
            }
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage { .. } => ExitCode::Usage,
            Error::Config { .. } => ExitCode::Config,
            Error::NotConfirmed(_) => ExitCode::NotConfirmed,
            Error::Conflict { .. } => ExitCode::Conflict,
            Error::NotFound { .. } => ExitCode::NotFound,
            Error::Unavailable { .. } => ExitCode::Unavailable,
            Error::PermissionDenied { .. } => ExitCode::PermissionDenied,
            Error::Data { .. } => ExitCode::DataError,
            Error::PartialFailure(_) => ExitCode::PartialFailure,
            Error::VerifyFailed(_) => ExitCode::VerifyFailed,
            Error::NotInEffect(_) => ExitCode::NotInEffect,
            Error::Interrupted(_) => ExitCode::Interrupted,
            Error::AuditLog { .. } => ExitCode::AuditLog,
            Error::Output(_) | Error::Internal(_) => ExitCode::Internal,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file that could not be read: configuration (a config, kubeconfig, secret, password or PEM
/// file) is 78; data (a saved diagnosis, an incident, evidence) is 66 when missing, else 65.
impl From<crate::files::bounded::InputError> for Error {
    fn from(e: crate::files::bounded::InputError) -> Self {
        use crate::files::bounded::Problem;
        let hint = Some(e.hint());
        if e.input.is_configuration() {
            return Error::Config {
                source_name: e.key.clone().unwrap_or_else(|| e.input.name().to_string()),
                message: e.describe(),
                hint,
            };
        }
        let message = e.to_string();
        match e.problem {
            Problem::Missing => Error::NotFound { message, hint },
            _ => Error::Data { message, hint },
        }
    }
}

/// Why a change was not confirmed. Each has its own hint: what was given is never asked for
/// again, and an engineer who answered no is not told to find a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unconfirmed {
    /// No terminal to ask on, and no --yes.
    NoTerminal,
    /// --yes without a terminal, for a change that also needs the target's name: --confirm
    /// was missing (None) or named something else.
    NameNeeded { name: String, given: Option<String> },
    /// Asked on a terminal, the engineer did not answer yes.
    Declined,
    /// Asked on a terminal to type the target's name, the engineer typed something else.
    WrongName { name: String, typed: String },
    /// The answer could not be read from the terminal.
    Unreadable(String),
}

impl Unconfirmed {
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Unconfirmed::NoTerminal | Unconfirmed::Unreadable(_) => Some(
                "run it on a terminal to be asked, or pass --yes after checking the plan (--dry-run shows it)",
            ),
            Unconfirmed::NameNeeded { .. } => Some(
                "add --confirm with the name the error shows, after checking the plan (--dry-run shows it)",
            ),
            Unconfirmed::WrongName { .. } => {
                Some("run it again and type the name exactly as the question shows it")
            }
            Unconfirmed::Declined => None,
        }
    }
}

impl fmt::Display for Unconfirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unconfirmed::NoTerminal => {
                f.write_str("refused: no terminal to confirm on and no --yes; nothing was changed")
            }
            Unconfirmed::NameNeeded { name, given: None } => write!(
                f,
                "refused: this change is destructive; without a terminal it needs --yes --confirm {name}; nothing was changed"
            ),
            Unconfirmed::NameNeeded {
                name,
                given: Some(given),
            } => write!(
                f,
                "refused: --confirm {given} does not name the target {name}; nothing was changed"
            ),
            Unconfirmed::Declined => f.write_str("not confirmed; nothing was changed"),
            Unconfirmed::WrongName { name, typed } => {
                write!(f, "'{typed}' is not {name}; nothing was changed")
            }
            Unconfirmed::Unreadable(e) => {
                write!(f, "could not read an answer: {e}; nothing was changed")
            }
        }
    }
}

impl CheckError {
    /// As an error that ends a command, keeping the cause (and so the exit code it implies).
    pub fn into_error(self, prefix: &str) -> Error {
        let message = if prefix.is_empty() {
            self.message
        } else {
            format!("{prefix}: {}", self.message)
        };
        let err = match self.cause {
            Some(cause) => Error::remote(cause, message),
            None => Error::unavailable(message),
        };
        match self.hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}
