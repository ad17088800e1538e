//! The plain types everything else is built from — statuses and thresholds, findings, what
//! became of a request, severity levels and the escalation ladder, runbooks, durations — with no
//! dependency on the rest of incidentctl, so each can be read and tested alone.

pub mod audience;
pub mod duration;
pub mod failure;
pub mod finding;
pub mod kube_permission;
pub mod metrics;
pub mod output;
pub mod promql;
pub mod runbook;
pub mod severity;
pub mod sign;
pub mod status;

pub use audience::Audience;
pub use duration::Dur;
pub use failure::Cause;
pub use finding::{CheckError, Finding};
pub use kube_permission::{KubePermission, KubePermissions};
pub use metrics::{MetricFamily, MetricsChoice, RequestQuery};
pub use runbook::RunbookDefinition;
pub use severity::Severity;
pub use status::{Direction, Level, Status, Threshold};
