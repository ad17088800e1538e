//! The PostgreSQL store: read-modify-write in a transaction with `SELECT … FOR UPDATE`, ids
//! from a counter row, the schema created and migrated on first use.

use crate::error::{Error, Result};
use crate::report::model::Incident;
use crate::settings::{SecretUrl, Settings};

pub struct PgStore {
    pub(super) url: SecretUrl,
    client: tokio_postgres::Client,
}

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE incidentctl_incidents (id text PRIMARY KEY, doc jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
     CREATE TABLE incidentctl_incident_ids (day text PRIMARY KEY, last integer NOT NULL);
     CREATE TABLE incidentctl_evidence (incident text NOT NULL REFERENCES incidentctl_incidents (id), name text NOT NULL, body bytea NOT NULL, PRIMARY KEY (incident, name));",
];

fn pg_err(e: &tokio_postgres::Error, url: &SecretUrl) -> Error {
    let e = crate::clients::postgres::pg_error(e, &url.redacted());
    let err = Error::unavailable(format!("incident store {}", e.message));
    match e.hint {
        Some(h) => err.with_hint(h),
        None => err,
    }
}

impl PgStore {
    /// The store's connection and URL (the notification ledger shares them).
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.client
    }

    pub fn url(&self) -> &SecretUrl {
        &self.url
    }

    pub async fn open(url: &SecretUrl, settings: &Settings) -> Result<PgStore> {
        let client = crate::clients::postgres::open_postgres(url, None, settings)
            .await
            .map_err(|e| {
                let err = Error::unavailable(format!("incident store {}", e.message));
                match e.hint {
                    Some(h) => err.with_hint(h),
                    None => err,
                }
            })?;
        let store = PgStore {
            url: url.clone(),
            client,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Creates or upgrades the schema, one process at a time (an advisory lock), each migration
    /// once.
    async fn migrate(&self) -> Result<()> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute(
            "BEGIN; SELECT pg_advisory_xact_lock(7106519201);
                         CREATE TABLE IF NOT EXISTS incidentctl_schema (version integer NOT NULL);",
        )
        .await
        .map_err(err)?;
        let version: i32 = c
            .query_opt("SELECT version FROM incidentctl_schema", &[])
            .await
            .map_err(err)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            c.batch_execute(sql).await.map_err(err)?;
            let v = i as i32 + 1;
            c.execute("DELETE FROM incidentctl_schema", &[])
                .await
                .map_err(err)?;
            c.execute(
                "INSERT INTO incidentctl_schema (version) VALUES ($1)",
                &[&v],
            )
            .await
            .map_err(err)?;
        }
        c.batch_execute("COMMIT").await.map_err(err)?;
        Ok(())
    }

    pub(super) async fn create(
        &self,
        day: &str,
        build: impl FnOnce(String) -> Incident,
    ) -> Result<Incident> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute("BEGIN").await.map_err(err)?;
        let outcome = async {
            // The counter row serialises id allocation across every host.
            let n: i32 = c
                .query_one(
                    "INSERT INTO incidentctl_incident_ids (day, last) VALUES ($1, 1)
                     ON CONFLICT (day) DO UPDATE SET last = incidentctl_incident_ids.last + 1
                     RETURNING last",
                    &[&day],
                )
                .await
                .map_err(err)?
                .get(0);
            let incident = build(format!("INC-{day}-{n:03}"));
            let doc =
                serde_json::to_value(&incident).map_err(|e| Error::Internal(e.to_string()))?;
            c.execute(
                "INSERT INTO incidentctl_incidents (id, doc) VALUES ($1, $2)",
                &[&incident.id, &doc],
            )
            .await
            .map_err(err)?;
            Ok(incident)
        }
        .await;
        self.finish(outcome).await
    }

    async fn finish<T>(&self, outcome: Result<T>) -> Result<T> {
        let end = if outcome.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        self.client
            .batch_execute(end)
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        outcome
    }

    fn decode(&self, id: &str, doc: serde_json::Value) -> Result<Incident> {
        serde_json::from_value(doc).map_err(|e| Error::Data {
            message: format!(
                "incident {id} in {}: not a valid incident ({e})",
                self.url.redacted()
            ),
            hint: Some("the other incidents are unaffected".into()),
        })
    }

    fn not_found(&self, id: &str) -> Error {
        Error::not_found(format!("no incident {id} in {}", self.url.redacted()))
            .with_hint("`incidentctl report list` shows the incidents")
    }

    pub(super) async fn get(&self, id: &str) -> Result<Incident> {
        let row = self
            .client
            .query_opt(
                "SELECT doc FROM incidentctl_incidents WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(|e| pg_err(&e, &self.url))?
            .ok_or_else(|| self.not_found(id))?;
        self.decode(id, row.get(0))
    }

    pub(super) async fn list(&self) -> Result<(Vec<Incident>, Vec<String>)> {
        let rows = self
            .client
            .query("SELECT id, doc FROM incidentctl_incidents ORDER BY id", &[])
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        let mut incidents = Vec::new();
        let mut problems = Vec::new();
        for r in rows {
            let id: String = r.get(0);
            match self.decode(&id, r.get(1)) {
                Ok(i) => incidents.push(i),
                Err(e) => problems.push(e.to_string()),
            }
        }
        Ok((incidents, problems))
    }

    pub(super) async fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut Incident) -> Result<()>,
    ) -> Result<Incident> {
        let c = &self.client;
        let err = |e: tokio_postgres::Error| pg_err(&e, &self.url);
        c.batch_execute("BEGIN").await.map_err(err)?;
        let outcome = async {
            // FOR UPDATE: a second writer waits here until this one commits, then reads the
            // result, so no update is lost.
            let row = c
                .query_opt(
                    "SELECT doc FROM incidentctl_incidents WHERE id = $1 FOR UPDATE",
                    &[&id],
                )
                .await
                .map_err(err)?
                .ok_or_else(|| self.not_found(id))?;
            let mut incident = self.decode(id, row.get(0))?;
            change(&mut incident)?;
            let doc =
                serde_json::to_value(&incident).map_err(|e| Error::Internal(e.to_string()))?;
            c.execute(
                "UPDATE incidentctl_incidents SET doc = $2, updated_at = now() WHERE id = $1",
                &[&id, &doc],
            )
            .await
            .map_err(err)?;
            Ok(incident)
        }
        .await;
        self.finish(outcome).await
    }

    /// Returns false when `name` is taken: evidence is never overwritten.
    pub(super) async fn add_evidence(&self, id: &str, name: &str, body: &[u8]) -> Result<bool> {
        let inserted = self
            .client
            .execute(
                "INSERT INTO incidentctl_evidence (incident, name, body) VALUES ($1, $2, $3)
                 ON CONFLICT (incident, name) DO NOTHING",
                &[&id, &name, &body],
            )
            .await
            .map_err(|e| pg_err(&e, &self.url))?;
        Ok(inserted == 1)
    }
}
