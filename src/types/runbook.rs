//! The seed's five runbooks.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runbook {
    AppDown,
    Database,
    ErrorRate,
    Performance,
    Security,
}

impl Runbook {
    pub const ALL: &'static [Runbook] = &[
        Runbook::AppDown,
        Runbook::Database,
        Runbook::ErrorRate,
        Runbook::Performance,
        Runbook::Security,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Runbook::AppDown => "app-down",
            Runbook::Database => "database",
            Runbook::ErrorRate => "error-rate",
            Runbook::Performance => "performance",
            Runbook::Security => "security",
        }
    }
}
