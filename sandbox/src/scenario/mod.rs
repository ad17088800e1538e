//! The data a sandbox starts with: a realistic incident on the seed's platform, or the same
//! platform healthy (the "ok" side of every check), or a large namespace for the benchmark.
//!
//! `fixture` is what Kubernetes holds (objects, pods' logs and metrics), built from the
//! `objects` of the seed's platform; the servers' data is [`database_setup`] and `history`.

mod fixture;
mod objects;

pub use fixture::{kube_fixture, move_to_namespace, rename_for_team, Fixture, Naming, TEAM_NAMES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A backend pod in CrashLoopBackOff, ERROR lines, Warning events, a long-running query,
    /// blocked sessions, held connections, Redis near maxmemory, ~7% 5xx, p95 ~3 s, alerts.
    Incident,
    /// Everything within its thresholds.
    Healthy,
    /// The incident with the app's backend deployment at 5,000 replicas, and 20,000 events in
    /// the namespace (benchmark).
    Scale,
    /// The same with 20,000 replicas and 80,000 events (benchmark: memory stays flat as the app
    /// grows).
    ScaleLarge,
    /// The incident, with a terminal's control sequences ([`CONTROL_PAYLOAD`]) in what servers
    /// and people wrote: a log line, an event message, a running query's text and an alert's
    /// annotation and label (issue 29: nothing printed may take over the terminal).
    Hostile,
    /// A healthy platform but for backend's revision 2, rolled out 12 minutes before the app's
    /// 5xx rate rose from 0.5 % to 8 % (`bad_rollout`).
    BadRollout,
}

impl Scenario {
    /// The backend's replicas and the events in the namespace, for the benchmark's scenarios.
    fn size(self) -> Option<(usize, usize)> {
        match self {
            Scenario::Scale => Some((5_000, 20_000)),
            Scenario::ScaleLarge => Some((20_000, 80_000)),
            Scenario::Incident | Scenario::Healthy | Scenario::Hostile | Scenario::BadRollout => {
                None
            }
        }
    }

    /// The seeded incident (a crash loop, locks, held connections, Redis near full, 7 % 5xx):
    /// every scenario but the healthy platform and the bad rollout.
    pub fn has_incident(self) -> bool {
        matches!(
            self,
            Scenario::Incident | Scenario::Scale | Scenario::ScaleLarge | Scenario::Hostile
        )
    }
}

impl std::str::FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "incident" => Ok(Scenario::Incident),
            "healthy" => Ok(Scenario::Healthy),
            "scale" => Ok(Scenario::Scale),
            "scale-large" => Ok(Scenario::ScaleLarge),
            "bad-rollout" => Ok(Scenario::BadRollout),
            "hostile" => Ok(Scenario::Hostile),
            other => Err(format!(
                "unknown scenario '{other}' (incident, healthy, scale, scale-large, bad-rollout, hostile)"
            )),
        }
    }
}

pub use crate::history::{alerts, openmetrics};

pub const NAMESPACE: &str = "reconciliation";
/// Password of the app's database user; tests check it never appears in any output.
pub const PG_PASSWORD: &str = "sandbox-pg-password-7Hq2";
/// A Kubernetes secret value; tests check it never appears in any output.
pub const SECRET_VALUE: &str = "sandbox-secret-value-Zx91";

/// What an attacker gets into a log line, an event or a query by sending a crafted request (a
/// User-Agent, a user name, a path): a window title (OSC … BEL), a clear screen and a colour
/// (CSI), a device control string (DCS), backspaces and a carriage return that overwrite, a C1
/// CSI (U+009B) and a right-to-left override. Its words ([`CONTROL_PAYLOAD_WORDS`]) must still
/// be readable wherever it is shown.
pub const CONTROL_PAYLOAD: &str = "\u{1b}]0;pwned-title\u{7}\u{1b}[2J\u{1b}[31mRED\u{1b}[0m \u{1b}P1$rdcs-string\u{1b}\\ x\u{8}\u{8}\roverwritten \u{9b}31mc1-csi \u{202e}evil-bidi\u{202c} all checks ok";
/// The words of [`CONTROL_PAYLOAD`].
pub const CONTROL_PAYLOAD_WORDS: &[&str] = &[
    "pwned-title",
    "RED",
    "dcs-string",
    "overwritten",
    "c1-csi",
    "evil-bidi",
];

pub(crate) fn ts(now: i64, offset_secs: i64) -> String {
    jiff::Timestamp::from_second(now + offset_secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| "2026-01-01T00:00:00Z".into())
}

/// SQL run as the superuser: the app's role, database and tables (incl. the seed's audit_logs
/// and sessions), and pg_stat_statements.
pub fn database_setup(scenario: Scenario) -> Vec<(&'static str, String)> {
    let failures = if scenario.has_incident() { 40 } else { 2 };
    vec![
        ("postgres", format!("CREATE ROLE reconciliation_user LOGIN PASSWORD '{PG_PASSWORD}'")),
        ("postgres", "CREATE DATABASE reconciliation_app OWNER reconciliation_user".to_string()),
        ("postgres", "GRANT pg_monitor, pg_signal_backend TO reconciliation_user".to_string()),
        ("reconciliation_app", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements".to_string()),
        ("reconciliation_app", "CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL, balance numeric NOT NULL DEFAULT 0);
             INSERT INTO accounts (name, balance) SELECT 'account ' || g, g * 10 FROM generate_series(1, 1000) g;
             CREATE TABLE sessions (id bigserial PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO sessions (user_id, created_at) SELECT g % 50, now() - (g || ' minutes')::interval FROM generate_series(1, 200) g;
             CREATE TABLE audit_logs (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), actor text, action text, ip inet, detail text);
             ALTER TABLE accounts OWNER TO reconciliation_user; ALTER TABLE sessions OWNER TO reconciliation_user; ALTER TABLE audit_logs OWNER TO reconciliation_user;".to_string()),
        ("reconciliation_app", format!(
            "INSERT INTO audit_logs (created_at, actor, action, ip, detail)
               SELECT now() - (g || ' seconds')::interval, 'user' || (g % 7), 'login_failed', '198.51.100.7', 'invalid password'
               FROM generate_series(1, {failures}) g;
             INSERT INTO audit_logs (created_at, actor, action, ip, detail)
               SELECT now() - (g || ' seconds')::interval, 'user' || (g % 20), 'login', ('10.2.0.' || (g % 50))::inet, 'ok'
               FROM generate_series(1, 100) g;")),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn incident_error_ratio_is_about_seven_percent() {
        let ratio: f64 = (5.0 + 2.0) / (93.0 + 5.0 + 2.0 + 3.0);
        assert!((0.06..0.08).contains(&ratio));
    }
}
