//! What became of a change, decided once from what happened (and from the typed cause of a
//! failure, never its wording).

use crate::error::Error;

/// What a change did, decided once and told the same way on the terminal, in `-o json` and in
/// the audit log (`result`, `verified`), each with its exit code (docs/changes.md: "Outcomes").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The plan had no changes.
    NothingToDo,
    DryRun,
    /// Not confirmed (no terminal and no --yes, or the answer was no).
    NotConfirmed,
    /// Ctrl-C at the confirmation: nothing was sent.
    InterruptedAtPrompt,
    /// Provably nothing was changed: the server was never reached, or it refused.
    NotApplied(NotApplied),
    /// The request may have gone out and its answer was lost.
    Unknown,
    /// Ctrl-C twice while the change was being sent: it may be partly or wholly done.
    InterruptedWhileApplying,
    /// The server took the change, but its answer shows the value is not there (an admission
    /// webhook or a controller put it back).
    AcceptedNotInEffect,
    /// Some targets were changed and some failed.
    Partial,
    /// Applied; `verified` is Some when it was waited for (false: not seen in time).
    Applied {
        verified: Option<bool>,
    },
}

/// How it is proven that nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplied {
    Unreached,
    Refused,
}

impl Outcome {
    /// The audit log's and `-o json`'s `result`.
    pub fn result(&self) -> &'static str {
        match self {
            Outcome::NothingToDo => "nothing-to-do",
            Outcome::DryRun => "dry-run",
            Outcome::NotConfirmed => "refused",
            Outcome::InterruptedAtPrompt | Outcome::InterruptedWhileApplying => "interrupted",
            Outcome::NotApplied(_) => "failed",
            Outcome::Unknown => "unknown",
            Outcome::AcceptedNotInEffect => "not-in-effect",
            Outcome::Partial => "partial",
            Outcome::Applied { .. } => "applied",
        }
    }

    pub fn verified(&self) -> Option<bool> {
        match self {
            Outcome::Applied { verified } => *verified,
            _ => None,
        }
    }

    /// The sentence that says what became of the change, when it did not simply happen.
    pub fn statement(&self) -> Option<&'static str> {
        Some(match self {
            Outcome::NotApplied(NotApplied::Unreached) => "nothing was changed: the server could not be reached",
            Outcome::NotApplied(NotApplied::Refused) => "nothing was changed: the server refused it",
            Outcome::Unknown => "the outcome is unknown: the connection failed after the request may have been sent; check before trying again (--dry-run shows what is left to change)",
            Outcome::AcceptedNotInEffect => "the server accepted the change, but the value is not in effect (an admission webhook or a controller may have put it back); nothing needs undoing, and trying again will not help until that is found",
            _ => return None,
        })
    }

    /// What a failed apply says about the change, from the error's cause (never its wording).
    pub fn after_failure(e: &Error) -> Outcome {
        use crate::types::failure::Cause;
        match (e, e.cause()) {
            (Error::NotInEffect(_), _) => Outcome::AcceptedNotInEffect,
            // A password withheld from an unverified server ends the connection before it is
            // made, as a failed TLS handshake does.
            (_, Some(Cause::NotReached(_) | Cause::Tls(_) | Cause::PasswordWithheld(_))) => {
                Outcome::NotApplied(NotApplied::Unreached)
            }
            (_, Some(Cause::Refused(_))) => Outcome::NotApplied(NotApplied::Refused),
            (_, Some(Cause::NotTheProtocol | Cause::Lost | Cause::TimedOut)) => Outcome::Unknown,
            // Refused by incidentctl itself before anything was sent (bad input, configuration).
            (Error::Usage { .. } | Error::Config { .. } | Error::Data { .. }, None) => {
                Outcome::NotApplied(NotApplied::Refused)
            }
            // A failure without a known cause: saying "nothing changed" could be a lie.
            _ => Outcome::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::execute::worst_failure;
    use crate::types::failure::{Cause, NotReached, Refusal, TlsProblem};

    #[test]
    fn only_an_unreached_or_refusing_server_proves_nothing_changed() {
        let remote = |c: Cause| Outcome::after_failure(&Error::remote(c, "x"));
        for unreached in [
            Cause::NotReached(NotReached::ConnectionRefused),
            Cause::NotReached(NotReached::NameNotResolved),
            Cause::Tls(TlsProblem::UnknownIssuer),
            Cause::PasswordWithheld(crate::types::failure::WeakAuth::Md5),
        ] {
            assert_eq!(
                remote(unreached),
                Outcome::NotApplied(NotApplied::Unreached)
            );
        }
        for refused in [
            Refusal::Conflict,
            Refusal::Forbidden,
            Refusal::Locked,
            Refusal::ServerError,
            Refusal::ReadOnly,
        ] {
            assert_eq!(
                remote(Cause::Refused(refused)),
                Outcome::NotApplied(NotApplied::Refused),
                "{refused:?}"
            );
        }
        for unknown in [Cause::Lost, Cause::TimedOut, Cause::NotTheProtocol] {
            assert_eq!(remote(unknown), Outcome::Unknown, "{unknown:?}");
        }
        assert_eq!(
            Outcome::after_failure(&Error::NotInEffect("reverted".into())),
            Outcome::AcceptedNotInEffect
        );
        assert_eq!(
            Outcome::after_failure(&Error::unavailable("no cause known")),
            Outcome::Unknown
        );
        assert_eq!(
            Outcome::after_failure(&Error::Internal("bug".into())),
            Outcome::Unknown
        );
        assert_eq!(
            Outcome::after_failure(&Error::usage("bad input")),
            Outcome::NotApplied(NotApplied::Refused)
        );
    }

    #[test]
    fn every_outcome_has_its_audit_word() {
        let all = [
            (Outcome::NothingToDo, "nothing-to-do"),
            (Outcome::DryRun, "dry-run"),
            (Outcome::NotConfirmed, "refused"),
            (Outcome::InterruptedAtPrompt, "interrupted"),
            (Outcome::NotApplied(NotApplied::Unreached), "failed"),
            (Outcome::Unknown, "unknown"),
            (Outcome::InterruptedWhileApplying, "interrupted"),
            (Outcome::AcceptedNotInEffect, "not-in-effect"),
            (Outcome::Partial, "partial"),
            (
                Outcome::Applied {
                    verified: Some(false),
                },
                "applied",
            ),
        ];
        for (outcome, word) in all {
            assert_eq!(outcome.result(), word, "{outcome:?}");
        }
    }

    #[test]
    fn of_several_failures_an_unknown_one_is_reported() {
        let worst = worst_failure(vec![
            Error::remote(Cause::Refused(Refusal::Conflict), "a"),
            Error::remote(Cause::Lost, "b"),
        ]);
        assert_eq!(Outcome::after_failure(&worst), Outcome::Unknown);
    }
}
