//! Suspects: what may have caused the incident, each from a sign a check saw, ranked by a few
//! rules (docs/diagnose.md#likely-causes), pure and table-tested:
//!
//! 1. **Timing.** What began before the onset, within the look-back, ranks first, the closest
//!    to the onset first; then conditions seen now whose start is unknown or after the onset
//!    (a condition's start is only a lower bound); then changes made after the onset (more
//!    likely a consequence, or the fix). Without an onset nothing can be placed in time.
//! 2. **Kind.** Within a timing, a suspect whose kind can cause the symptom that gave the onset
//!    (errors, latency) ranks above one that cannot (node pressure does not make 5xx).
//! 3. **Strength.** Then the worse check status first, then the newest.
//!
//! A sign is needed for a suspect: with none, there are no suspects, never a guess.

use crate::types::sign::Sign;
use crate::types::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What kind of cause, in the order ties are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Rollout,
    ConfigChange,
    HpaAtMax,
    OomKilled,
    CrashLoop,
    NodePressure,
    PoolExhausted,
    LockChain,
    ConnectionsNearLimit,
    IdleInTransaction,
    RedisFull,
    TrafficSpike,
    CertificateExpiring,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rollout => "rollout",
            Kind::ConfigChange => "config change",
            Kind::HpaAtMax => "autoscaler at its maximum",
            Kind::OomKilled => "OOMKilled",
            Kind::CrashLoop => "crash loop",
            Kind::NodePressure => "node pressure",
            Kind::PoolExhausted => "connection pool exhausted",
            Kind::LockChain => "lock chain",
            Kind::ConnectionsNearLimit => "connections near the limit",
            Kind::IdleInTransaction => "idle in transaction",
            Kind::RedisFull => "Redis full (noeviction)",
            Kind::TrafficSpike => "traffic spike",
            Kind::CertificateExpiring => "certificate expiring",
        }
    }

    /// Whether this kind of cause can produce `symptom`.
    pub fn can_cause(self, symptom: Symptom) -> bool {
        use Kind::*;
        match symptom {
            Symptom::Other => true,
            Symptom::Errors => !matches!(self, HpaAtMax | NodePressure | IdleInTransaction),
            Symptom::Latency => !matches!(
                self,
                CrashLoop | ConnectionsNearLimit | RedisFull | CertificateExpiring
            ),
        }
    }
}

/// What the symptom that gave the onset measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Symptom {
    Errors,
    Latency,
    /// A team's own check or an alert: any kind may cause it.
    Other,
}

/// Where a suspect stands in time against the onset, in rank order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    /// Began (or was already present) before the onset, within the look-back.
    Before,
    /// A condition seen now; its start is unknown or after the onset.
    Ongoing,
    /// No onset is known: nothing can be placed in time.
    Unplaced,
    /// A change made after the onset.
    After,
}

/// A sign, with the status of the check that saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub sign: Sign,
    pub status: Status,
    pub check: &'static str,
}

/// One suspect, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suspect {
    pub rank: usize,
    pub kind: Kind,
    /// `deployment/backend`, `postgres`, `node/node-1`.
    pub object: String,
    pub what: String,
    /// When it happened, or since when it is seen (a lower bound for a condition).
    pub at: Option<Timestamp>,
    pub seconds_before_onset: Option<i64>,
    pub timing: Timing,
    pub matches_symptom: bool,
    pub status: Status,
    pub check: String,
    pub evidence: Vec<String>,
    /// The command that confirms it or undoes it.
    pub next: String,
    /// Why it ranks where it does, for `diagnose --explain`.
    pub why: Vec<String>,
}

/// What the ranking is told about the incident.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub onset: Option<(Timestamp, Symptom)>,
    /// How far before the onset a change still counts.
    pub look_back_secs: i64,
    pub namespace: &'a str,
}

/// One sign as a suspect before ranking: kind, object, what, time, whether the time is an
/// event's (false: a condition's lower bound), evidence and the next command.
struct Candidate {
    kind: Kind,
    object: String,
    what: String,
    at: Option<Timestamp>,
    event: bool,
    evidence: Vec<String>,
    next: String,
}

impl Candidate {
    fn new(
        kind: Kind,
        object: String,
        what: String,
        at: Option<Timestamp>,
        event: bool,
        next: String,
    ) -> Self {
        Candidate {
            kind,
            object,
            what,
            at,
            event,
            evidence: Vec::new(),
            next,
        }
    }
}

fn candidate(sign: &Sign, ns: &str) -> Option<Candidate> {
    workload_candidate(sign, ns).or_else(|| dependency_candidate(sign, ns))
}

/// Changes and troubles of the app's workloads and nodes.
fn workload_candidate(sign: &Sign, ns: &str) -> Option<Candidate> {
    let c = Candidate::new;
    Some(match sign {
        Sign::Rollout {
            deployment,
            revision,
            at,
            previous,
            changes,
        } => {
            let back = previous.map_or(String::new(), |p| format!(" --to-revision {p}"));
            let mut s = c(
                Kind::Rollout,
                format!("deployment/{deployment}"),
                format!("{deployment} revision {revision} rolled out"),
                Some(*at),
                true,
                format!("incidentctl rollback {deployment}{back}"),
            );
            s.evidence = if changes.is_empty() {
                vec!["the revision before is no longer kept".into()]
            } else {
                changes.clone()
            };
            s
        }
        Sign::ConfigChange {
            object,
            at,
            manager,
        } => {
            let mut s = c(
                Kind::ConfigChange,
                object.clone(),
                format!("{object} changed"),
                Some(*at),
                true,
                format!("kubectl -n {ns} get {object} --show-managed-fields -o yaml"),
            );
            s.evidence = vec![format!("last written by {manager} (managedFields)")];
            if object.starts_with("secret/") {
                s.next = "incidentctl security config".into();
            }
            s
        }
        Sign::HpaAtMax {
            hpa,
            target,
            max_replicas,
            since,
        } => c(
            Kind::HpaAtMax,
            format!("hpa/{hpa}"),
            format!("{hpa} holds {target} at its maximum of {max_replicas} replicas"),
            *since,
            false,
            format!("kubectl -n {ns} describe hpa {hpa}"),
        ),
        Sign::CrashLoop {
            pod,
            container,
            restarts,
            at,
        } => c(
            Kind::CrashLoop,
            format!("pod/{pod}"),
            format!("{container} in {pod} crash-looping ({restarts} restarts)"),
            *at,
            at.is_some(),
            format!("kubectl -n {ns} logs {pod} -c {container} --previous"),
        ),
        Sign::OomKilled { pod, container, at } => c(
            Kind::OomKilled,
            format!("pod/{pod}"),
            format!("{container} in {pod} was OOMKilled"),
            *at,
            at.is_some(),
            format!("kubectl -n {ns} describe pod {pod}"),
        ),
        Sign::NodePressure {
            node,
            condition,
            since,
        } => c(
            Kind::NodePressure,
            format!("node/{node}"),
            format!("{node} has {condition}"),
            *since,
            false,
            format!("kubectl describe node {node}"),
        ),
        _ => return None,
    })
}

/// The app's dependencies (PostgreSQL, Redis, certificates) and its traffic.
fn dependency_candidate(sign: &Sign, ns: &str) -> Option<Candidate> {
    let c = Candidate::new;
    Some(match sign {
        Sign::LockChain {
            blocked,
            blockers,
            since,
        } => c(
            Kind::LockChain,
            "postgres".into(),
            format!(
                "{blocked} session(s) waiting on locks held by pid {}",
                blockers.join(", ")
            ),
            *since,
            false,
            "incidentctl diagnose database --check postgres.locks -v".into(),
        ),
        Sign::IdleInTransaction { sessions, since } => c(
            Kind::IdleInTransaction,
            "postgres".into(),
            format!("{sessions} session(s) idle in an open transaction"),
            *since,
            false,
            "incidentctl diagnose database --check postgres.idle_in_transaction -v".into(),
        ),
        Sign::ConnectionsNearLimit { used, max } => c(
            Kind::ConnectionsNearLimit,
            "postgres".into(),
            format!("{used} of {max} connections in use"),
            None,
            false,
            "incidentctl diagnose database --check postgres.connections -v".into(),
        ),
        Sign::PoolExhausted {
            pods,
            lines,
            sample,
        } => {
            let mut s = c(
                Kind::PoolExhausted,
                "postgres".into(),
                format!(
                    "the app's database connection pool is exhausted ({lines} log lines in {})",
                    pods.join(", ")
                ),
                None,
                false,
                "incidentctl db pool-size N --dry-run".into(),
            );
            s.evidence = vec![sample.clone()];
            s
        }
        Sign::RedisFull { used, max, policy } => c(
            Kind::RedisFull,
            "redis".into(),
            format!(
                "Redis at {:.0}% of maxmemory with maxmemory-policy {policy}: writes fail",
                used / max * 100.0
            ),
            None,
            false,
            "incidentctl cache flush --pattern 'PATTERN' --dry-run".into(),
        ),
        Sign::CertificateExpiring {
            name,
            expires,
            source,
        } => {
            let mut s = c(
                Kind::CertificateExpiring,
                format!("certificate/{name}"),
                format!("certificate {name} expires {expires}"),
                None,
                false,
                format!("kubectl -n {ns} describe certificate {name}"),
            );
            s.evidence = vec![format!("from {source}")];
            s
        }
        Sign::TrafficSpike { at, rate, baseline } => c(
            Kind::TrafficSpike,
            "traffic".into(),
            format!(
                "requests at {rate:.1}/s, {:.1}× their baseline of {baseline:.1}/s",
                rate / baseline
            ),
            Some(*at),
            true,
            "incidentctl scale DEPLOYMENT --replicas N --dry-run".into(),
        ),
        _ => return None,
    })
}

/// `5m`, `1h02m`: how far before (or after) the onset.
fn distance(secs: i64) -> String {
    crate::types::duration::fmt_age(secs.unsigned_abs() as f64)
}

/// Places a candidate in time against the onset; None when it is too old to count.
fn place(c: &Candidate, cx: &Context) -> Option<(Timing, Option<i64>, String)> {
    let Some((onset, _)) = cx.onset else {
        return Some((Timing::Unplaced, None, "no onset is known".into()));
    };
    let Some(at) = c.at else {
        return Some((
            Timing::Ongoing,
            None,
            "seen now; when it began is unknown".into(),
        ));
    };
    let before = onset.as_second() - at.as_second();
    if before > cx.look_back_secs {
        return None;
    }
    Some(if before >= 0 {
        let how = if c.event {
            "happened"
        } else {
            "already present"
        };
        (
            Timing::Before,
            Some(before),
            format!("{how} {} before the onset", distance(before)),
        )
    } else if c.event {
        (
            Timing::After,
            Some(before),
            format!("happened {} after the onset", distance(before)),
        )
    } else {
        (
            Timing::Ongoing,
            Some(before),
            format!(
                "seen since {} after the onset (it may have begun earlier)",
                distance(before)
            ),
        )
    })
}

/// The suspects of `seen`, ranked.
pub fn rank(seen: &[Seen], cx: &Context) -> Vec<Suspect> {
    let symptom = cx.onset.map_or(Symptom::Other, |o| o.1);
    let mut out: Vec<Suspect> = seen
        .iter()
        .filter_map(|s| {
            let c = candidate(&s.sign, cx.namespace)?;
            let (timing, before, when) = place(&c, cx)?;
            let matches = c.kind.can_cause(symptom);
            let mut why = vec![when];
            why.push(match (cx.onset.is_some(), matches) {
                (false, _) => "no symptom to match its kind against".to_string(),
                (true, true) => format!("a {} can cause {}", c.kind.name(), symptom_text(symptom)),
                (true, false) => {
                    format!(
                        "a {} does not cause {}",
                        c.kind.name(),
                        symptom_text(symptom)
                    )
                }
            });
            why.push(format!("{} is {}", s.check, s.status));
            Some(Suspect {
                rank: 0,
                kind: c.kind,
                object: c.object,
                what: c.what,
                at: c.at,
                seconds_before_onset: before,
                timing,
                matches_symptom: matches,
                status: s.status,
                check: s.check.to_string(),
                evidence: c.evidence,
                next: c.next,
                why,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        let closeness = |s: &Suspect| match s.timing {
            Timing::Before => s.seconds_before_onset.unwrap_or(i64::MAX),
            _ => 0,
        };
        let newest = |s: &Suspect| std::cmp::Reverse(s.at.map(|t| t.as_second()));
        (a.timing, !a.matches_symptom, closeness(a))
            .cmp(&(b.timing, !b.matches_symptom, closeness(b)))
            .then(b.status.cmp(&a.status))
            .then(newest(a).cmp(&newest(b)))
            .then(a.kind.cmp(&b.kind))
            .then(a.object.cmp(&b.object))
    });
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    out
}

fn symptom_text(s: Symptom) -> &'static str {
    match s {
        Symptom::Errors => "errors",
        Symptom::Latency => "latency",
        Symptom::Other => "the symptom",
    }
}

#[cfg(test)]
mod tests;
