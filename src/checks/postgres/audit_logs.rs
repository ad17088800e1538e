//! The seed's `psql ... "SELECT * FROM audit_logs WHERE created_at > now() - interval '1 hour'"`
//! step (Security): recent audit rows, and those marking a failed or denied action.

use super::{client, column, where_};
use crate::checks::{CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::postgres::pg_error;
use crate::output::redact;
use crate::settings::Settings;
use tokio_postgres::error::SqlState;

/// Audit rows in the window matching `postgres.audit_failure_pattern`.
pub const AUDIT_FAILURES: Level = Level::new(
    "audit_failures",
    10.0,
    100.0,
    "audit rows in the window matching postgres.audit_failure_pattern",
);
pub const LEVELS: &[&Level] = &[&AUDIT_FAILURES];

/// What the audit table held in the window (`postgres.audit_window`).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub table: AuditTable,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuditTable {
    /// `postgres.audit_table` is not a table in this database.
    Missing,
    Window {
        rows: i64,
        /// Rows whose JSON form matches the failure pattern (ILIKE).
        failures: i64,
        /// `created_at` of the newest row in the window, as PostgreSQL prints it.
        latest: Option<String>,
        /// The newest matching rows as JSON, at most 5 (redacted when shown).
        samples: Vec<String>,
    },
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let pg = &r.settings().postgres;
    let table = &pg.audit_table;
    let db = client(r).await?;
    let row = db
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[table])
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let exists: bool = column(&row, 0, &where_)?;
    if !exists {
        return Ok(Snapshot {
            table: AuditTable::Missing,
        });
    }
    let quoted = quoted_identifier_path(table);
    let window = pg.audit_window.0.as_secs_f64();
    let summary_sql = format!(
        "SELECT count(*),
                count(*) FILTER (WHERE row_to_json(a)::text ILIKE $2),
                max(created_at)::text
         FROM {quoted} a WHERE created_at > now() - make_interval(secs => $1)"
    );
    let row = db
        .query_one(&summary_sql, &[&window, &pg.audit_failure_pattern])
        .await
        .map_err(|e| {
            let err = pg_error(&e, &where_);
            // 42703: the table has no created_at column to window by.
            if e.code() == Some(&SqlState::UNDEFINED_COLUMN) {
                err.hint(format!(
                    "{table} needs a created_at column, as in the seed runbook"
                ))
            } else {
                err
            }
        })?;
    let (rows, failures, latest): (i64, i64, Option<String>) = (
        column(&row, 0, &where_)?,
        column(&row, 1, &where_)?,
        column(&row, 2, &where_)?,
    );
    let sample_sql = format!(
        "SELECT row_to_json(a)::text FROM {quoted} a
         WHERE created_at > now() - make_interval(secs => $1) AND row_to_json(a)::text ILIKE $2
         ORDER BY created_at DESC LIMIT 5"
    );
    let samples = db
        .query(&sample_sql, &[&window, &pg.audit_failure_pattern])
        .await
        .map_err(|e| pg_error(&e, &where_))?
        .iter()
        .map(|row| column(row, 0, &where_))
        .collect::<Result<Vec<String>, CheckError>>()?;
    Ok(Snapshot {
        table: AuditTable::Window {
            rows,
            failures,
            latest,
            samples,
        },
    })
}

/// The table name is a validated identifier path (settings::is_sql_identifier_path): each part
/// is quoted so that case and reserved words are kept; values are always parameters.
fn quoted_identifier_path(table: &str) -> String {
    table
        .split('.')
        .map(|part| format!("\"{part}\""))
        .collect::<Vec<_>>()
        .join(".")
}

/// The failed actions in the window, judged by [`AUDIT_FAILURES`]; no table means we cannot
/// tell.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let pg = &settings.postgres;
    let (rows, failures, latest, samples) = match &s.table {
        AuditTable::Missing => {
            return Err(CheckError::new(format!(
                "table {} does not exist in this database",
                pg.audit_table
            ))
            .hint("set postgres.audit_table to the application's audit table"))
        }
        AuditTable::Window {
            rows,
            failures,
            latest,
            samples,
        } => (rows, failures, latest, samples),
    };
    // Audit rows are the application's text: they may carry tokens or passwords.
    let evidence: Vec<String> = samples
        .iter()
        .map(|sample| redact::truncate(&redact::secrets(sample), 200))
        .chain(latest.as_ref().map(|t| format!("latest row at {t}")))
        .collect();
    Ok(Finding::measured(
        *failures as f64,
        "rows",
        settings.thresholds.level(&AUDIT_FAILURES),
        format!(
            "{rows} audit rows in the last {}, {failures} matching '{}'",
            pg.audit_window, pg.audit_failure_pattern
        ),
    )
    .evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status, Threshold};

    fn snapshot(table: AuditTable) -> Snapshot {
        Snapshot { table }
    }

    fn window(failures: i64) -> Snapshot {
        snapshot(AuditTable::Window {
            rows: 120,
            failures,
            latest: Some("2024-05-01 10:00:00+00".into()),
            samples: Vec::new(),
        })
    }

    fn status(failures: i64) -> Status {
        assess(&window(failures), &default_settings())
            .expect("a finding")
            .status
    }

    #[test]
    fn few_failures_are_ok() {
        let f = assess(&window(3), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "120 audit rows in the last 1h, 3 matching '%fail%'"
        );
        assert_eq!(f.value, Some(3.0));
        assert_eq!(f.unit, Some("rows"));
        assert_eq!(f.threshold, Some(Threshold::new(10.0, 100.0)));
        assert_eq!(
            f.evidence,
            vec!["latest row at 2024-05-01 10:00:00+00".to_string()]
        );
    }

    #[test]
    fn levels_are_strictly_above() {
        assert_eq!(status(10), Status::Ok);
        assert_eq!(status(11), Status::Warning);
        assert_eq!(status(100), Status::Warning);
        assert_eq!(status(101), Status::Critical);
    }

    #[test]
    fn an_empty_window_has_no_latest_row() {
        let s = snapshot(AuditTable::Window {
            rows: 0,
            failures: 0,
            latest: None,
            samples: Vec::new(),
        });
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "0 audit rows in the last 1h, 0 matching '%fail%'"
        );
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn samples_are_shown_redacted_and_cut_before_the_latest_row() {
        let long = format!(
            "{{\"action\":\"export failed\",\"detail\":\"{}\"}}",
            "x".repeat(300)
        );
        let s = snapshot(AuditTable::Window {
            rows: 500,
            failures: 150,
            latest: Some("2024-05-01 10:00:00+00".into()),
            samples: vec![
                "{\"action\":\"login failed\",\"note\":\"password=hunter2\"}".into(),
                long,
            ],
        });
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "500 audit rows in the last 1h, 150 matching '%fail%'"
        );
        assert_eq!(f.evidence.len(), 3);
        assert_eq!(
            f.evidence[0],
            "{\"action\":\"login failed\",\"note\":\"password=***\"}"
        );
        assert!(f.evidence.iter().all(|line| !line.contains("hunter2")));
        assert_eq!(f.evidence[1].chars().count(), 200);
        assert!(f.evidence[1].ends_with("x…"), "{}", f.evidence[1]);
        assert_eq!(f.evidence[2], "latest row at 2024-05-01 10:00:00+00");
    }

    #[test]
    fn a_missing_table_cannot_tell_and_says_what_to_set() {
        let mut settings = default_settings();
        settings.postgres.audit_table = "app.audit".into();
        let err = assess(&snapshot(AuditTable::Missing), &settings).expect_err("cannot tell");
        assert_eq!(
            err.message,
            "table app.audit does not exist in this database"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("set postgres.audit_table to the application's audit table")
        );
    }

    #[test]
    fn each_part_of_the_table_name_is_quoted() {
        assert_eq!(quoted_identifier_path("audit_logs"), "\"audit_logs\"");
        assert_eq!(quoted_identifier_path("app.Audit"), "\"app\".\"Audit\"");
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("audit_failures".into(), Threshold::new(1.0, 2.0));
        let f = assess(&window(3), &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
    }
}
