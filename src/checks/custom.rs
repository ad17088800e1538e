//! Checks declared in the config file (`[[check]]`, see `settings::CheckDefinition`): a
//! PromQL query, a read-only SQL query, an HTTP endpoint, or a count of Kubernetes objects,
//! judged against the definition's levels. They run like the built-in checks (concurrently,
//! under `--timeout`, in every output format and in the severity rules); `read` gets the
//! number, `assess` judges it.

use super::{Check, CheckError, CheckOutcome, Finding, Readings, Status, Target, Threshold};
use crate::clients::http::{body_text, http_error};
use crate::clients::kube::kube_error;
use crate::clients::postgres::pg_error;
use crate::clients::prometheus::{highest, instant_query};
use crate::output::redact;
use crate::settings::{CheckDefinition, CheckKind, Direction, HttpAuth, Settings, TlsFiles};
use futures::future::BoxFuture;
use kube::api::{Api, DynamicObject, GroupVersionKind, ListParams};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Evidence lines shown: the first few series, rows or objects.
const SHOWN: usize = 5;

/// The checks the config file declares, as checks. Each definition becomes a `Check` once per
/// process: the table of checks holds `&'static` entries, and a run has a handful.
pub fn declared(settings: &Settings) -> Vec<&'static Check> {
    static MADE: Mutex<Vec<(CheckDefinition, &'static Check)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    settings
        .checks
        .iter()
        .map(|def| {
            if let Some((_, check)) = made.iter().find(|(d, _)| d == def) {
                return *check;
            }
            let check: &'static Check = Box::leak(Box::new(Check {
                id: leak(&def.id),
                target: target(def.kind),
                // Reaching an HTTP endpoint is what its check checks.
                reachability: def.kind == CheckKind::Http,
                description: leak(&description(def)),
                levels: &[],
                // The declared kind's resource name is known only from the API server's
                // discovery: granting it is the team's, and doctor asks for the built-in ones.
                kube_permissions: &[],
                run,
            }));
            made.push((def.clone(), check));
            check
        })
        .collect()
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn target(kind: CheckKind) -> Target {
    match kind {
        CheckKind::Promql => Target::Prometheus,
        CheckKind::Sql => Target::Postgres,
        CheckKind::Http => Target::Http,
        CheckKind::Kubernetes => Target::Kubernetes,
    }
}

fn description(def: &CheckDefinition) -> String {
    if def.description.trim().is_empty() {
        def.id.clone()
    } else {
        def.description.clone()
    }
}

/// What a custom check read: its number (None: no data), evidence lines, and for an HTTP check
/// what was wrong with the answer besides its latency.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub value: Option<f64>,
    pub evidence: Vec<String>,
    pub problem: Option<String>,
}

fn run(readings: Arc<Readings>, check: &'static Check) -> BoxFuture<'static, CheckOutcome> {
    Box::pin(async move {
        let settings = readings.settings();
        let def = settings
            .checks
            .iter()
            .find(|d| d.id == check.id)
            .ok_or_else(|| CheckError::new(format!("{}: no longer declared", check.id)))?;
        let reading = read(&readings, def).await?;
        assess(def, &reading)
    })
}

pub async fn read(r: &Readings, def: &CheckDefinition) -> Result<Reading, CheckError> {
    match def.kind {
        CheckKind::Promql => read_promql(r, def.query.as_deref().unwrap_or_default()).await,
        CheckKind::Sql => read_sql(r, def.query.as_deref().unwrap_or_default()).await,
        CheckKind::Http => read_http(r, def).await,
        CheckKind::Kubernetes => read_kubernetes(r, def).await,
    }
}

async fn read_promql(r: &Readings, query: &str) -> Result<Reading, CheckError> {
    let samples = instant_query(&r.ctx, query).await?;
    let evidence = samples
        .iter()
        .take(SHOWN)
        .map(|s| {
            let labels: Vec<String> = s.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{{{}}} {}", labels.join(", "), super::fmt_num(s.value, 3))
        })
        .collect();
    Ok(Reading {
        value: highest(&samples).map(|s| s.value),
        evidence,
        problem: None,
    })
}

/// The cursor a team's query runs in, inside its own read-only transaction.
const CURSOR: &str = "incidentctl_check";

/// A team's query, run so that the server itself keeps it read-only and alone:
/// - it travels in one extended-protocol Parse message (`DECLARE … CURSOR FOR <query>`), which
///   the server refuses when it holds more than one statement (42601), whatever quoting a
///   client-side reading could get wrong; it is never sent as a simple query;
/// - inside `BEGIN READ ONLY` … `ROLLBACK`, with statement and lock timeouts inside the
///   check's, set by parameter; a cursor cannot hold a data-modifying `WITH`, and the
///   transaction refuses any write a function would make (25006); the rollback undoes any
///   setting the query changed;
/// - its rows are fetched a few at a time and the rest counted by `MOVE`, so a query returning
///   millions of rows costs no memory.
///
/// The connection is the declared checks' own, used by one check at a time (a transaction
/// spans several requests, and no other query may run inside it).
async fn read_sql(r: &Readings, query: &str) -> Result<Reading, CheckError> {
    let settings = r.settings();
    let where_ = settings.postgres.url.redacted();
    let fail = |e: tokio_postgres::Error| sql_error(&e, &where_);
    let connection = r.declared_sql().await?;
    let mut db = connection.lock().await;
    let tx = db
        .build_transaction()
        .read_only(true)
        .start()
        .await
        .map_err(fail)?;
    // The server gives up first, so the check reports its answer, not only our timeout.
    let limit = format!("{}ms", settings.timeout.0.as_millis() * 4 / 5);
    tx.execute(
        "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)",
        &[&limit],
    )
    .await
    .map_err(fail)?;
    let declare = format!(
        "DECLARE {CURSOR} NO SCROLL CURSOR FOR {}",
        query.trim().trim_end_matches(';')
    );
    tx.execute(declare.as_str(), &[]).await.map_err(fail)?;
    let fetched = tx
        .simple_query(&format!("FETCH FORWARD {} FROM {CURSOR}", SHOWN + 1))
        .await
        .map_err(fail)?;
    let rest = tx
        .simple_query(&format!("MOVE FORWARD ALL FROM {CURSOR}"))
        .await
        .map_err(fail)?;
    tx.rollback().await.map_err(fail)?;
    let rows: Vec<Vec<Option<String>>> = fetched
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).map(str::to_string))
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    let moved = rest
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::CommandComplete(n) => Some(*n),
            _ => None,
        })
        .unwrap_or(0);
    Ok(sql_reading(&rows, rows.len() as u64 + moved))
}

/// A failed team query: refused as more than one statement, or as not a query, gets a hint
/// saying what a sql check runs; anything else as every PostgreSQL error.
fn sql_error(e: &tokio_postgres::Error, where_: &str) -> CheckError {
    use tokio_postgres::error::SqlState;
    let err = pg_error(e, where_);
    match e.code() {
        Some(code) if *code == SqlState::SYNTAX_ERROR => err.hint(
            "a sql check's query is one SELECT (or VALUES, or WITH … SELECT): it runs as a cursor in a read-only transaction",
        ),
        Some(code) if *code == SqlState::READ_ONLY_SQL_TRANSACTION => {
            err.hint("a sql check only reads: its transaction is read-only")
        }
        _ => err,
    }
}

/// One row of one number is that number; anything else is counted (`total` rows, of which
/// `rows` are the first few).
pub fn sql_reading(rows: &[Vec<Option<String>>], total: u64) -> Reading {
    let single = match rows {
        [row] if row.len() == 1 && total == 1 => {
            row[0].as_deref().and_then(|v| v.trim().parse::<f64>().ok())
        }
        _ => None,
    };
    let shown = rows.iter().take(SHOWN).map(|row| {
        let cells: Vec<String> = row
            .iter()
            .map(|c| c.as_deref().unwrap_or("NULL").to_string())
            .collect();
        redact::truncate(&redact::secrets(&cells.join(" | ")), 160)
    });
    match single {
        Some(value) => Reading {
            value: Some(value),
            evidence: Vec::new(),
            problem: None,
        },
        None => Reading {
            value: Some(total as f64),
            evidence: std::iter::once(format!("{total} row(s)"))
                .chain(shown)
                .collect(),
            problem: None,
        },
    }
}

async fn read_http(r: &Readings, def: &CheckDefinition) -> Result<Reading, CheckError> {
    let Some(url) = &def.url else {
        return Err(CheckError::new(format!("{}: no url", def.id)));
    };
    let where_ = url.redacted();
    let key = format!("check {}", def.id);
    let client = crate::clients::http::http_client(
        r.settings().timeout.0,
        url,
        &TlsFiles::default(),
        &HttpAuth::default(),
        &key,
    )?;
    let started = Instant::now();
    let response = client
        .get(url.expose())
        .send()
        .await
        .map_err(|e| http_error(e, &where_, &key))?;
    let status = response.status().as_u16();
    let body = body_text(response, &where_, &key).await?;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(http_reading(def, &where_, status, &body, latency_ms))
}

/// The latency is the value; a status or body other than expected is a problem (critical).
pub fn http_reading(
    def: &CheckDefinition,
    where_: &str,
    status: u16,
    body: &str,
    latency_ms: f64,
) -> Reading {
    let expected = def.expect_status.unwrap_or(200);
    let mut problem = None;
    if status != expected {
        problem = Some(format!("{where_} answered {status}, expected {expected}"));
    } else if let Some(pattern) = &def.body_regex {
        let matched = regex::Regex::new(pattern).is_ok_and(|re| re.is_match(body));
        if !matched {
            problem = Some(format!("{where_}: the body does not match /{pattern}/"));
        }
    }
    Reading {
        value: Some(latency_ms),
        evidence: vec![format!(
            "{where_}: HTTP {status} in {} ms",
            super::fmt_num(latency_ms, 1)
        )],
        problem,
    }
}

/// `apps/v1/Deployment` or `v1/Pod`.
pub fn group_version_kind(resource: &str) -> Option<GroupVersionKind> {
    match resource.split('/').collect::<Vec<_>>().as_slice() {
        [version, kind] => Some(GroupVersionKind::gvk("", version, kind)),
        [group, version, kind] => Some(GroupVersionKind::gvk(group, version, kind)),
        _ => None,
    }
}

async fn read_kubernetes(r: &Readings, def: &CheckDefinition) -> Result<Reading, CheckError> {
    let resource = def.resource.as_deref().unwrap_or_default();
    let gvk = group_version_kind(resource).ok_or_else(|| {
        CheckError::new(format!(
            "{}: resource '{resource}' is not group/version/Kind",
            def.id
        ))
    })?;
    let client = r.ctx.kube().await?;
    let (ar, caps) = kube::discovery::pinned_kind(&client, &gvk)
        .await
        .map_err(|e| kube_error(e, &format!("find the resource {resource}")))?;
    let api: Api<DynamicObject> = match caps.scope {
        kube::discovery::Scope::Namespaced => {
            Api::namespaced_with(client, &r.settings().namespace, &ar)
        }
        kube::discovery::Scope::Cluster => Api::all_with(client, &ar),
    };
    let mut params = ListParams::default();
    if let Some(selector) = &def.selector {
        params = params.labels(selector);
    }
    let list =
        crate::clients::kube::list::list_all(&api, &params, r.settings().kubernetes.page_size)
            .await
            .map_err(|e| kube_error(e, &format!("list {}", ar.plural)))?;
    let objects: Vec<serde_json::Value> = list
        .iter()
        .filter_map(|o| serde_json::to_value(o).ok())
        .collect();
    Ok(kubernetes_reading(&objects, def.field.as_deref()))
}

/// The objects counted, or the sum of `field` over them (objects without it count as 0).
pub fn kubernetes_reading(objects: &[serde_json::Value], field: Option<&str>) -> Reading {
    let name = |o: &serde_json::Value| o["metadata"]["name"].as_str().unwrap_or("?").to_string();
    match field {
        None => Reading {
            value: Some(objects.len() as f64),
            evidence: objects.iter().take(SHOWN).map(name).collect(),
            problem: None,
        },
        Some(pointer) => {
            let values: Vec<(String, f64)> = objects
                .iter()
                .map(|o| {
                    (
                        name(o),
                        o.pointer(pointer).and_then(|v| v.as_f64()).unwrap_or(0.0),
                    )
                })
                .collect();
            Reading {
                value: Some(values.iter().map(|(_, v)| v).sum()),
                evidence: values
                    .iter()
                    .take(SHOWN)
                    .map(|(n, v)| format!("{n}: {pointer} = {}", super::fmt_num(*v, 3)))
                    .collect(),
                problem: None,
            }
        }
    }
}

/// Judges the number against the definition's levels, above or below.
pub fn assess(def: &CheckDefinition, reading: &Reading) -> CheckOutcome {
    let what = description(def);
    let threshold = match def.direction {
        Direction::Above => Threshold::new(def.warning, def.critical),
        Direction::Below => Threshold::below(def.warning, def.critical),
    };
    let Some(value) = reading.value else {
        return Ok(Finding::new(
            Status::Unknown,
            format!("no data: {what}: the query returned no series"),
        )
        .evidence(reading.evidence.clone()));
    };
    let mut status = Status::of(value, threshold);
    let mut evidence = reading.evidence.clone();
    if let Some(problem) = &reading.problem {
        status = Status::Critical;
        evidence.insert(0, problem.clone());
    }
    let unit = if def.unit.is_empty() {
        ""
    } else {
        leak(&def.unit)
    };
    let shown = match def.kind {
        CheckKind::Http => format!("{} ms", super::fmt_num(value, 1)),
        _ => format!(
            "{}{}",
            super::fmt_num(value, 3),
            if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            }
        ),
    };
    let mut finding = Finding::new(status, format!("{what}: {shown}")).value(
        value,
        if def.kind == CheckKind::Http {
            "ms"
        } else {
            unit
        },
    );
    finding.threshold = Some(threshold);
    Ok(finding.evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(text: &str) -> CheckDefinition {
        toml::from_str(text).expect("a definition")
    }

    fn queue() -> CheckDefinition {
        def("id = \"payments.queue_depth\"\nrunbooks = [\"performance\"]\ndescription = \"jobs waiting in the payments queue\"\nkind = \"promql\"\nquery = 'sum(queue_depth)'\nwarning = 100\ncritical = 1000\n")
    }

    fn value(v: f64) -> Reading {
        Reading {
            value: Some(v),
            ..Reading::default()
        }
    }

    #[test]
    fn above_levels_are_strictly_above() {
        let d = queue();
        assert_eq!(assess(&d, &value(100.0)).unwrap().status, Status::Ok);
        assert_eq!(assess(&d, &value(100.5)).unwrap().status, Status::Warning);
        assert_eq!(assess(&d, &value(1000.0)).unwrap().status, Status::Warning);
        let f = assess(&d, &value(1001.0)).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "jobs waiting in the payments queue: 1001");
        assert_eq!(f.threshold, Some(Threshold::new(100.0, 1000.0)));
    }

    #[test]
    fn below_levels_are_strictly_below() {
        let d = def("id = \"payments.ready\"\nrunbooks = [\"app-down\"]\nkind = \"kubernetes\"\nresource = \"apps/v1/Deployment\"\nfield = \"/status/readyReplicas\"\nwarning = 2\ncritical = 1\ndirection = \"below\"\nunit = \"replicas\"\n");
        assert_eq!(assess(&d, &value(2.0)).unwrap().status, Status::Ok);
        assert_eq!(assess(&d, &value(1.0)).unwrap().status, Status::Warning);
        let f = assess(&d, &value(0.0)).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(f.summary, "payments.ready: 0 replicas");
        assert_eq!(f.unit, Some("replicas"));
    }

    #[test]
    fn no_series_is_no_data() {
        let f = assess(&queue(), &Reading::default()).unwrap();
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(
            f.summary,
            "no data: jobs waiting in the payments queue: the query returned no series"
        );
    }

    #[test]
    fn sql_answers_are_one_number_or_counted_rows_redacted() {
        let one = sql_reading(&[vec![Some("42".into())]], 1);
        assert_eq!(one.value, Some(42.0));
        let rows = sql_reading(
            &[
                vec![Some("7".into()), Some("password=hunter2".into())],
                vec![Some("8".into()), None],
            ],
            2,
        );
        assert_eq!(rows.value, Some(2.0));
        assert_eq!(
            rows.evidence,
            vec!["2 row(s)", "7 | password=***", "8 | NULL"]
        );
        assert_eq!(sql_reading(&[], 0).value, Some(0.0));
        // Counted past the rows fetched: one number among many rows is not the answer.
        let many = sql_reading(&[vec![Some("1".into())]], 1_000_000);
        assert_eq!(many.value, Some(1_000_000.0));
        assert_eq!(many.evidence[0], "1000000 row(s)");
    }

    #[test]
    fn an_http_answer_other_than_expected_is_critical() {
        let d = def("id = \"payments.health\"\nrunbooks = [\"app-down\"]\nkind = \"http\"\nurl = \"http://payments/healthz\"\nbody_regex = \"ok\"\nwarning = 500\ncritical = 2000\n");
        let good = http_reading(&d, "http://payments/healthz", 200, "all ok", 12.0);
        assert_eq!(assess(&d, &good).unwrap().status, Status::Ok);
        let bad = http_reading(&d, "http://payments/healthz", 503, "", 12.0);
        let f = assess(&d, &bad).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.evidence[0],
            "http://payments/healthz answered 503, expected 200"
        );
        let body = http_reading(&d, "http://payments/healthz", 200, "degraded", 12.0);
        assert_eq!(assess(&d, &body).unwrap().status, Status::Critical);
        let slow = http_reading(&d, "http://payments/healthz", 200, "ok", 600.0);
        let f = assess(&d, &slow).unwrap();
        assert_eq!(f.status, Status::Warning);
        assert_eq!(f.summary, "payments.health: 600 ms");
    }

    #[test]
    fn kubernetes_objects_are_counted_or_a_field_summed() {
        let objects = vec![
            serde_json::json!({"metadata": {"name": "a"}, "status": {"readyReplicas": 2}}),
            serde_json::json!({"metadata": {"name": "b"}, "status": {}}),
        ];
        assert_eq!(kubernetes_reading(&objects, None).value, Some(2.0));
        let summed = kubernetes_reading(&objects, Some("/status/readyReplicas"));
        assert_eq!(summed.value, Some(2.0));
        assert_eq!(
            summed.evidence,
            vec![
                "a: /status/readyReplicas = 2",
                "b: /status/readyReplicas = 0"
            ]
        );
        let gvk = group_version_kind("apps/v1/Deployment").unwrap();
        assert_eq!(
            (gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str()),
            ("apps", "v1", "Deployment")
        );
        assert_eq!(group_version_kind("v1/Pod").unwrap().group, "");
    }
}
