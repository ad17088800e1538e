//! What every change implements: a plan, a validation that changes nothing, one apply, a wait.

use super::Plan;
use crate::clients::Context;
use crate::error::{Error, Result};
use std::time::Duration;

/// What applying did.
#[derive(Debug, Default)]
pub struct Applied {
    /// One line per object changed, skipped or failed.
    pub details: Vec<String>,
    /// The failures, each whole (every one is in `details` and the audit log, not only the
    /// first).
    pub failures: Vec<Error>,
    /// How many parts were done. Failures with nothing done are a failure of the change.
    pub succeeded: usize,
    /// The undo command when only applying could tell it (the id a server gave); else the
    /// plan's.
    pub undo: Option<super::Undo>,
}

impl Applied {
    /// Everything done, one line per part.
    pub fn done(details: Vec<String>) -> Self {
        Applied {
            succeeded: details.len(),
            details,
            failures: Vec::new(),
            undo: None,
        }
    }

    /// One part done.
    pub fn ok(&mut self, line: String) {
        self.details.push(line);
        self.succeeded += 1;
    }

    /// One part left alone (nothing to do for it any more).
    pub fn skipped(&mut self, line: String) {
        self.details.push(line);
    }

    /// One part failed: its line, and the error.
    pub fn failed(&mut self, target: &str, e: Error) {
        self.details.push(format!("{target}: {e}"));
        self.failures.push(e);
    }
}

/// A change incidentctl can make: it has a plan, can be validated without changing anything,
/// applied once, and verified.
// Used only inside this crate with concrete types, so the futures' Send bounds need no spelling.
#[allow(async_fn_in_trait)]
pub trait Action {
    fn plan(&self) -> &Plan;

    /// Validates the change without applying it (Kubernetes server-side dry run). Returns a note
    /// for the engineer, e.g. "(server dry run) accepted by the API server". PostgreSQL and
    /// Redis have no such mode: their plan is the validation.
    async fn validate(&self, _ctx: &Context) -> Result<Option<String>> {
        Ok(None)
    }

    /// Applies exactly the plan. Preconditions (resourceVersion, current replicas) make a stale
    /// plan fail instead of clobbering.
    async fn apply(&self, ctx: &Context) -> Result<Applied>;

    /// Waits until the change is seen complete, within `timeout`.
    async fn verify(&self, _ctx: &Context, _timeout: Duration) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// Whether `verify` does anything (and so whether --wait means something).
    fn verifies(&self) -> bool {
        false
    }
}
