use super::*;

fn query(pid: i32, secs: f64, sql: &str) -> ActiveQuery {
    ActiveQuery {
        pid,
        query_start: format!("2026-12-06 10:00:00.{pid}+00"),
        user: "app".into(),
        database: "orders".into(),
        running_secs: secs,
        query: sql.into(),
    }
}

const FIVE_MINUTES: Duration = Duration::from_secs(300);

#[test]
fn killing_queries_lists_each_backend_with_its_age_and_redacted_query() {
    let queries = [
        query(4242, 754.0, "SELECT * FROM orders WHERE card = '4111 1111'"),
        query(4243, 3700.0, "UPDATE   stock\n SET n = n - 1"),
    ];
    let k = plan_kill_queries("orders", &queries, FIVE_MINUTES, false);
    assert_eq!(k.plan.action, "db kill-queries");
    assert_eq!(k.plan.target, "database orders");
    assert_eq!(
        k.plan.summary,
        "terminate the sessions of 2 active queries older than 5m"
    );
    let rows: Vec<(&str, &str)> = k
        .plan
        .changes
        .iter()
        .map(|c| (c.object.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "pid 4242 app@orders running 12m34s",
                "terminate session (pg_terminate_backend): SELECT * FROM orders WHERE card = '…'"
            ),
            (
                "pid 4243 app@orders running 1h01m",
                "terminate session (pg_terminate_backend): UPDATE stock SET n = n - 1"
            ),
        ]
    );
    // Each backend is ended by pid and query start, as read.
    let ids: Vec<(i32, &str)> = k
        .backends
        .iter()
        .map(|b| (b.pid, b.query_start.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (4242, "2026-12-06 10:00:00.4242+00"),
            (4243, "2026-12-06 10:00:00.4243+00")
        ]
    );
    assert!(k.plan.warnings[0].starts_with("terminating ends the whole session"));
    assert_eq!(k.plan.confirm, Confirm::YesNo);
}

#[test]
fn terminating_many_sessions_needs_the_database_name_typed_but_cancelling_does_not() {
    let many: Vec<ActiveQuery> = (1..=4).map(|p| query(p, 400.0, "SELECT 1")).collect();
    let terminate = plan_kill_queries("orders", &many, FIVE_MINUTES, false);
    assert_eq!(terminate.plan.confirm, Confirm::TypeName("orders".into()));
    let three = plan_kill_queries("orders", &many[..3], FIVE_MINUTES, false);
    assert_eq!(three.plan.confirm, Confirm::YesNo);
    let cancel = plan_kill_queries("orders", &many, FIVE_MINUTES, true);
    assert_eq!(cancel.plan.action, "db kill-queries --cancel");
    assert_eq!(cancel.plan.confirm, Confirm::YesNo);
    assert!(cancel.plan.warnings.is_empty());
    assert!(cancel.cancel);
    assert!(cancel.plan.changes[0]
        .change
        .starts_with("cancel query (pg_cancel_backend): "));
    assert_eq!(cancel.plan.summary, "cancel 4 active queries older than 5m");
}

#[test]
fn no_long_query_is_nothing_to_do() {
    let none = plan_kill_queries("orders", &[], FIVE_MINUTES, false);
    assert!(none.plan.changes.is_empty());
    assert!(none.backends.is_empty());
    let one = plan_kill_queries("orders", &[query(7, 301.0, "SELECT 1")], FIVE_MINUTES, true);
    assert_eq!(one.plan.summary, "cancel 1 active query older than 5m");
}

#[test]
fn a_backend_is_signalled_only_if_it_still_runs_the_query_planned() {
    let terminate = signal_sql(false);
    assert!(terminate.starts_with("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"));
    assert!(
        terminate.contains("pid = $1 AND query_start::text = $2"),
        "{terminate}"
    );
    assert!(
        terminate.contains("backend_type = 'client backend'"),
        "{terminate}"
    );
    assert!(signal_sql(true).starts_with("SELECT pg_cancel_backend(pid)"));
}

fn sessions(matching: i64, total: i64) -> SessionCount {
    SessionCount {
        table: "auth.sessions".into(),
        column: "created_at".into(),
        cutoff: "2026-12-06 09:00:00.5+00".into(),
        matching,
        total,
    }
}

#[test]
fn resetting_sessions_deletes_the_rows_counted_before_the_cutoff_read() {
    let r = plan_reset_sessions(sessions(120, 500), Duration::from_secs(3600));
    assert_eq!(
        r.plan.heading(),
        [
            "security reset-sessions",
            "table auth.sessions",
            "delete 120 of 500 session(s) created more than 1h ago (before 2026-12-06 09:00:00.5+00)"
        ]
    );
    assert_eq!(
        r.plan.rows(),
        [[
            "table auth.sessions",
            "DELETE rows with created_at before 2026-12-06 09:00:00.5+00",
            "500 rows",
            "380 rows"
        ]]
    );
    // Deleted rows cannot come back: the table's name is typed, and there is no undo.
    assert_eq!(r.plan.confirm, Confirm::TypeName("auth.sessions".into()));
    assert!(r.plan.undo.is_none());
    // The delete is checked against the count: a different number rolls back as stale.
    assert_eq!(r.expected, 120);
    assert_eq!(r.cutoff, "2026-12-06 09:00:00.5+00");
}

#[test]
fn no_old_session_is_nothing_to_do() {
    let r = plan_reset_sessions(sessions(0, 500), Duration::from_secs(3600));
    assert!(r.plan.changes.is_empty());
    assert_eq!(r.expected, 0);
}

#[test]
fn session_statements_quote_every_identifier_and_bind_the_cutoff() {
    assert_eq!(
        delete_sql("auth.sessions", "created_at"),
        "DELETE FROM \"auth\".\"sessions\" WHERE \"created_at\" < $1::text::timestamptz"
    );
    assert_eq!(
        count_sql("sessions", "made\"at"),
        "SELECT count(*), (SELECT count(*) FROM \"sessions\") FROM \"sessions\" WHERE \"made\"\"at\" < $1::text::timestamptz"
    );
}
