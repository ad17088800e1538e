//! Signs: typed facts a check saw that may explain an incident (a rollout, a lock chain, a full
//! cache) or date its start (a firing alert). Checks attach them to their findings; the analysis
//! ranks suspects from them, never from the findings' words.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One fact, with when it happened when the server says so. A condition seen now (a lock chain,
/// connections near the limit) carries `since`: the oldest start the server shows, a lower
/// bound (it may have begun earlier, with other sessions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "sign", rename_all = "kebab-case")]
pub enum Sign {
    /// A deployment rolled out a revision, and what differs from the revision before (image,
    /// environment variable names, references; never a value).
    Rollout {
        deployment: String,
        revision: i64,
        at: Timestamp,
        /// The revision it replaced, when that one is still kept.
        previous: Option<i64>,
        changes: Vec<String>,
    },
    /// A configmap or secret of the app changed (its managedFields' latest time).
    ConfigChange {
        object: String,
        at: Timestamp,
        manager: String,
    },
    /// A HorizontalPodAutoscaler at its maximum: it cannot add capacity.
    HpaAtMax {
        hpa: String,
        target: String,
        max_replicas: i32,
        since: Option<Timestamp>,
    },
    /// A container restarting in a loop; `at` is its last exit.
    CrashLoop {
        pod: String,
        container: String,
        restarts: i32,
        at: Option<Timestamp>,
    },
    /// A container killed for exceeding its memory limit, at its last exit.
    OomKilled {
        pod: String,
        container: String,
        at: Option<Timestamp>,
    },
    /// A node condition under pressure (MemoryPressure, DiskPressure, PIDPressure).
    NodePressure {
        node: String,
        condition: String,
        since: Option<Timestamp>,
    },
    /// Sessions waiting on another session's locks.
    LockChain {
        blocked: usize,
        blockers: Vec<String>,
        since: Option<Timestamp>,
    },
    /// Sessions idle inside an open transaction (they hold locks and a connection).
    IdleInTransaction {
        sessions: usize,
        since: Option<Timestamp>,
    },
    /// Client connections near `max_connections`.
    ConnectionsNearLimit { used: f64, max: f64 },
    /// App log lines saying the database connection pool is exhausted.
    PoolExhausted {
        pods: Vec<String>,
        lines: usize,
        sample: String,
    },
    /// Redis at maxmemory with a policy that refuses writes instead of evicting.
    RedisFull { used: f64, max: f64, policy: String },
    /// A certificate near its expiry (or past it).
    CertificateExpiring {
        name: String,
        expires: Timestamp,
        source: String,
    },
    /// The app's request rate well above its own earlier baseline.
    TrafficSpike {
        at: Timestamp,
        rate: f64,
        baseline: f64,
    },
    /// A firing alert: it dates the incident's start and explains nothing by itself.
    AlertFiring {
        name: String,
        severity: String,
        starts_at: Timestamp,
    },
}
