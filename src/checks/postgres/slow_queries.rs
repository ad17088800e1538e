//! The seed's `psql ... pg_stat_statements ORDER BY mean_time DESC` step: the statements with
//! the highest mean execution time, whatever the extension's version calls that column.

use super::{client, column, where_};
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::postgres::pg_error;
use crate::output::redact;
use crate::settings::Settings;
use tokio_postgres::error::SqlState;

/// The seed's slow-query alert: mean execution time of the slowest statement.
pub const SLOW_QUERY_MEAN: Level = Level::new(
    "slow_query_mean",
    2.0,
    5.0,
    "seconds, mean execution time of the slowest statement (pg_stat_statements)",
);
pub const LEVELS: &[&Level] = &[&SLOW_QUERY_MEAN];

/// One row of pg_stat_statements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub mean_ms: f64,
    pub calls: i64,
    pub total_ms: f64,
    /// The normalized statement as the server has it (redacted when shown).
    pub query: String,
}

/// What pg_stat_statements could tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Statements {
    /// The extension is not created in this database.
    NotInstalled,
    /// The view has neither `mean_exec_time` (1.8+) nor `mean_time` (before 1.8).
    NoMeanColumn { version: String },
    /// The slowest statements by mean time, slowest first (`postgres.slow_query_limit` of them).
    Recorded {
        version: String,
        statements: Vec<Statement>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub statements: Statements,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let where_ = where_(r.settings());
    let db = client(r).await?;
    let installed = db
        .query_opt(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_))?;
    let Some(row) = installed else {
        return Ok(Snapshot {
            statements: Statements::NotInstalled,
        });
    };
    let version: String = column(&row, 0, &where_)?;
    // Column names follow the extension's version, not the server's: 1.8 renamed mean_time to
    // mean_exec_time. Read the view's columns instead of guessing.
    let columns = db
        .query(
            "SELECT attname::text FROM pg_attribute
             WHERE attrelid = 'pg_stat_statements'::regclass AND attnum > 0 AND NOT attisdropped",
            &[],
        )
        .await
        .map_err(|e| pg_error(&e, &where_))?
        .iter()
        .map(|row| column(row, 0, &where_))
        .collect::<Result<Vec<String>, CheckError>>()?;
    let Some((mean, total)) = timing_columns(&columns) else {
        return Ok(Snapshot {
            statements: Statements::NoMeanColumn { version },
        });
    };
    // The identifiers come from the fixed pair above, never from input.
    let sql = format!(
        "SELECT {mean}::float8, calls::int8, {total}::float8, coalesce(query, '')
         FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY {mean} DESC NULLS LAST LIMIT $1"
    );
    let rows = db
        .query(&sql, &[&r.settings().postgres.slow_query_limit])
        .await
        .map_err(|e| {
            let err = pg_error(&e, &where_);
            // 55000: the extension exists, but its library was not preloaded.
            if e.code() == Some(&SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE) {
                err.hint(
                    "add pg_stat_statements to shared_preload_libraries and restart PostgreSQL",
                )
            } else {
                err
            }
        })?;
    let statements = rows
        .iter()
        .map(|row| -> Result<Statement, CheckError> {
            Ok(Statement {
                mean_ms: column(row, 0, &where_)?,
                calls: column(row, 1, &where_)?,
                total_ms: column(row, 2, &where_)?,
                query: column(row, 3, &where_)?,
            })
        })
        .collect::<Result<Vec<_>, CheckError>>()?;
    Ok(Snapshot {
        statements: Statements::Recorded {
            version,
            statements,
        },
    })
}

/// The (mean, total) time columns of the view: 1.8 renamed mean_time to mean_exec_time.
fn timing_columns(columns: &[String]) -> Option<(&'static str, &'static str)> {
    if columns.iter().any(|c| c == "mean_exec_time") {
        Some(("mean_exec_time", "total_exec_time"))
    } else if columns.iter().any(|c| c == "mean_time") {
        Some(("mean_time", "total_time"))
    } else {
        None
    }
}

/// The slowest statement's mean time, in seconds, judged by [`SLOW_QUERY_MEAN`]; no extension
/// (or one of an unknown shape) means we cannot tell.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let (version, statements) = match &s.statements {
        Statements::NotInstalled => {
            return Err(
                CheckError::new("pg_stat_statements is not installed in this database").hint(
                    "CREATE EXTENSION pg_stat_statements; (needs shared_preload_libraries = 'pg_stat_statements' and a restart)",
                ),
            )
        }
        Statements::NoMeanColumn { version } => {
            return Err(CheckError::new(format!(
                "pg_stat_statements {version} has neither mean_exec_time nor mean_time"
            )))
        }
        Statements::Recorded {
            version,
            statements,
        } => (version, statements),
    };
    let Some(top) = statements.first() else {
        return Ok(Finding::ok(format!(
            "pg_stat_statements {version}: no statements recorded yet"
        )));
    };
    let worst_secs = top.mean_ms / 1000.0;
    let evidence = statements.iter().map(|st| {
        format!(
            "mean {} ms, {} calls, total {} ms: {}",
            fmt_num(st.mean_ms, 1),
            st.calls,
            fmt_num(st.total_ms, 0),
            redact::query(&st.query, 140)
        )
    });
    Ok(Finding::measured(
        worst_secs,
        "s",
        settings.thresholds.level(&SLOW_QUERY_MEAN),
        format!(
            "slowest statement averages {} s ({} calls)",
            fmt_num(worst_secs, 2),
            top.calls
        ),
    )
    .evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status, Threshold};

    fn statement(mean_ms: f64, calls: i64) -> Statement {
        Statement {
            mean_ms,
            calls,
            total_ms: mean_ms * calls as f64,
            query: "SELECT * FROM ledger WHERE id = $1".into(),
        }
    }

    fn recorded(statements: Vec<Statement>) -> Snapshot {
        Snapshot {
            statements: Statements::Recorded {
                version: "1.10".into(),
                statements,
            },
        }
    }

    fn status(mean_ms: f64) -> Status {
        assess(&recorded(vec![statement(mean_ms, 10)]), &default_settings())
            .expect("a finding")
            .status
    }

    #[test]
    fn fast_statements_are_ok_with_their_evidence() {
        let s = recorded(vec![statement(812.34, 40), statement(3.0, 1000)]);
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "slowest statement averages 0.81 s (40 calls)");
        assert_eq!(f.value, Some(812.34 / 1000.0));
        assert_eq!(f.unit, Some("s"));
        assert_eq!(f.threshold, Some(Threshold::new(2.0, 5.0)));
        assert_eq!(
            f.evidence,
            vec![
                "mean 812.3 ms, 40 calls, total 32494 ms: SELECT * FROM ledger WHERE id = $1"
                    .to_string(),
                "mean 3 ms, 1000 calls, total 3000 ms: SELECT * FROM ledger WHERE id = $1"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn levels_are_strictly_above() {
        assert_eq!(status(2000.0), Status::Ok);
        assert_eq!(status(2001.0), Status::Warning);
        assert_eq!(status(5000.0), Status::Warning);
        assert_eq!(status(5001.0), Status::Critical);
    }

    #[test]
    fn a_very_slow_statement_is_critical() {
        let f = assess(&recorded(vec![statement(12_345.0, 3)]), &default_settings())
            .expect("a finding");
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "slowest statement averages 12.35 s (3 calls)");
    }

    #[test]
    fn literals_and_secrets_in_statements_are_not_shown() {
        let s = recorded(vec![Statement {
            mean_ms: 10.0,
            calls: 1,
            total_ms: 10.0,
            query: "ALTER ROLE app PASSWORD 'hunter2'".into(),
        }]);
        let f = assess(&s, &default_settings()).expect("a finding");
        assert_eq!(
            f.evidence,
            vec!["mean 10 ms, 1 calls, total 10 ms: ALTER ROLE app PASSWORD '…'".to_string()]
        );
    }

    #[test]
    fn nothing_recorded_yet_is_ok_without_a_value() {
        let f = assess(&recorded(Vec::new()), &default_settings()).expect("a finding");
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "pg_stat_statements 1.10: no statements recorded yet"
        );
        assert_eq!(f.value, None);
        assert_eq!(f.threshold, None);
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn no_extension_cannot_tell_and_says_how_to_install_it() {
        let s = Snapshot {
            statements: Statements::NotInstalled,
        };
        let err = assess(&s, &default_settings()).expect_err("cannot tell");
        assert_eq!(
            err.message,
            "pg_stat_statements is not installed in this database"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("CREATE EXTENSION pg_stat_statements; (needs shared_preload_libraries = 'pg_stat_statements' and a restart)")
        );
        assert_eq!(err.cause, None);
    }

    #[test]
    fn an_extension_without_a_mean_column_cannot_tell() {
        let s = Snapshot {
            statements: Statements::NoMeanColumn {
                version: "0.9".into(),
            },
        };
        let err = assess(&s, &default_settings()).expect_err("cannot tell");
        assert_eq!(
            err.message,
            "pg_stat_statements 0.9 has neither mean_exec_time nor mean_time"
        );
        assert_eq!(err.hint, None);
    }

    #[test]
    fn the_time_columns_follow_the_extension_version() {
        let names = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            timing_columns(&names(&["calls", "mean_exec_time", "total_exec_time"])),
            Some(("mean_exec_time", "total_exec_time"))
        );
        assert_eq!(
            timing_columns(&names(&["calls", "mean_time", "total_time"])),
            Some(("mean_time", "total_time"))
        );
        assert_eq!(timing_columns(&names(&["calls", "rows"])), None);
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("slow_query_mean".into(), Threshold::new(0.5, 0.8));
        let f = assess(&recorded(vec![statement(812.34, 40)]), &settings).expect("a finding");
        assert_eq!(f.status, Status::Critical);
    }
}
