//! `cache flush` (Runbook 4): the seed's `redis-cli FLUSHALL`, narrowed where possible. A pattern
//! deletes with SCAN + UNLINK in batches (never KEYS, never blocking the server); `--db N` flushes
//! one database; FLUSHALL only when neither is given.

use super::POLL_INTERVAL;
use crate::change::{Action, Applied, Change, Confirm, Plan};
use crate::context::{redis_error, Context};
use crate::error::{Error, Result};
use crate::types::failure::{Cause, Refusal};
use redis::aio::MultiplexedConnection;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const SCAN_BATCH: usize = 500;

#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Db(i64),
    Pattern { db: i64, glob: String },
}

pub struct Flush {
    plan: Plan,
    scope: Scope,
}

async fn conn(ctx: &Context) -> Result<MultiplexedConnection> {
    ctx.redis().await.map_err(|e| e.into_error("Redis"))
}

/// A connection of its own to database `db` (the shared one stays where it is).
async fn conn_in(ctx: &Context, db: i64) -> Result<MultiplexedConnection> {
    ctx.redis_in_db(db).await.map_err(|e| e.into_error("Redis"))
}

/// A Redis failure, typed by its error kind and server code.
fn redis_err(e: &redis::RedisError, ctx: &Context) -> Error {
    let err = redis_error(e, &ctx.settings.redis.url.redacted()).into_error("");
    match err.cause() {
        Some(Cause::Refused(Refusal::ReadOnly)) => {
            err.with_hint("this is a replica; flush the primary")
        }
        _ => err,
    }
}

/// Whether the server knows `command` by that name (`COMMAND INFO` answers nil for a command
/// renamed or disabled with rename-command). Unknown (COMMAND itself renamed) counts as yes.
async fn knows_command(c: &mut MultiplexedConnection, command: &str) -> bool {
    let answer: redis::RedisResult<Vec<redis::Value>> = redis::cmd("COMMAND")
        .arg("INFO")
        .arg(command)
        .query_async(c)
        .await;
    match answer {
        Ok(entries) => !matches!(entries.first(), Some(redis::Value::Nil)),
        Err(_) => true,
    }
}

/// Keys per database from `INFO keyspace` (`db0:keys=12,expires=0,...`).
fn keyspace(info: &str) -> BTreeMap<i64, i64> {
    info.lines()
        .filter_map(|l| {
            let (db, rest) = l.split_once(':')?;
            let n = db.strip_prefix("db")?.parse().ok()?;
            let keys = rest
                .split(',')
                .find_map(|kv| kv.strip_prefix("keys="))?
                .parse()
                .ok()?;
            Some((n, keys))
        })
        .collect()
}

async fn info(c: &mut MultiplexedConnection, section: &str, ctx: &Context) -> Result<String> {
    redis::cmd("INFO")
        .arg(section)
        .query_async(c)
        .await
        .map_err(|e| redis_err(&e, ctx))
}

/// One SCAN step: the next cursor and a batch of keys matching `glob`. SCAN never blocks the
/// server the way KEYS does.
async fn scan(
    c: &mut MultiplexedConnection,
    cursor: u64,
    glob: &str,
    ctx: &Context,
) -> Result<(u64, Vec<String>)> {
    redis::cmd("SCAN")
        .arg(cursor)
        .arg("MATCH")
        .arg(glob)
        .arg("COUNT")
        .arg(SCAN_BATCH)
        .query_async(c)
        .await
        .map_err(|e| redis_err(&e, ctx))
}

/// Counts keys matching `glob` in the selected database by a full SCAN.
async fn count_matching(c: &mut MultiplexedConnection, glob: &str, ctx: &Context) -> Result<i64> {
    let mut cursor: u64 = 0;
    let mut count = 0i64;
    loop {
        let (next, keys) = scan(c, cursor, glob, ctx).await?;
        count += keys.len() as i64;
        cursor = next;
        if cursor == 0 {
            return Ok(count);
        }
    }
}

/// The server as read before a flush.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// host:port, what the engineer types to confirm.
    pub address: String,
    /// Whether the flush's command is known by its name (not renamed or disabled).
    pub knows_command: bool,
    /// Keys per database (`INFO keyspace`).
    pub keys: BTreeMap<i64, i64>,
    pub replica: bool,
    /// The `save` setting (empty: no RDB snapshots).
    pub save: Option<String>,
    /// Keys matching the pattern, when the scope is one.
    pub matching: Option<i64>,
}

/// The command a flush of `scope` needs.
fn command_for(scope: &Scope) -> &'static str {
    match scope {
        Scope::All => "FLUSHALL",
        Scope::Db(_) => "FLUSHDB",
        Scope::Pattern { .. } => "UNLINK",
    }
}

pub async fn flush(ctx: &Context, scope: Scope) -> Result<Flush> {
    let server = read(ctx, &scope).await?;
    plan_flush(&server, scope)
}

/// Reads what a flush of `scope` would delete, and what the engineer should know.
pub async fn read(ctx: &Context, scope: &Scope) -> Result<Server> {
    let mut c = conn(ctx).await?;
    let knows = knows_command(&mut c, command_for(scope)).await;
    let keyspace_info = info(&mut c, "keyspace", ctx).await?;
    let replication = info(&mut c, "replication", ctx).await?;
    let persistence: Vec<String> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("save")
        .query_async(&mut c)
        .await
        .unwrap_or_default();
    let matching = match scope {
        Scope::Pattern { db, glob } if knows => {
            Some(count_matching(&mut conn_in(ctx, *db).await?, glob, ctx).await?)
        }
        _ => None,
    };
    let address = url::Url::parse(ctx.settings.redis.url.expose())
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port().unwrap_or(6379))))
        .unwrap_or_else(|| "redis".into());
    Ok(Server {
        address,
        knows_command: knows,
        keys: keyspace(&keyspace_info),
        replica: replication.lines().any(|l| l.trim() == "role:slave"),
        save: persistence.get(1).cloned(),
        matching,
    })
}

fn all_keys(db: i64, n: i64) -> Change {
    Change::new(format!("db{db}"), "delete all keys").was_now(format!("{n} keys"), "0 keys")
}

/// The flush of `scope` on the server as read.
pub fn plan_flush(read: &Server, scope: Scope) -> Result<Flush> {
    let server = &read.address;
    if !read.knows_command {
        let needed = command_for(&scope);
        return Err(Error::remote(
            Cause::Refused(Refusal::Other),
            format!("Redis does not know {needed}: it is renamed or disabled on this server"),
        )
        .with_hint("the command is renamed or disabled (rename-command) on this server; ask its operators for the flush procedure"));
    }
    let mut plan = match &scope {
        Scope::All => {
            let total: i64 = read.keys.values().sum();
            let mut p = Plan::new(
                "cache flush",
                &format!("redis {server}"),
                &format!("FLUSHALL: delete every key of every database on {server} ({total} keys)"),
            );
            p.changes = read.keys.iter().map(|(db, n)| all_keys(*db, *n)).collect();
            p
        }
        Scope::Db(db) => {
            let n = read.keys.get(db).copied().unwrap_or(0);
            let mut p = Plan::new(
                "cache flush",
                &format!("redis {server} db{db}"),
                &format!("FLUSHDB: delete the {n} keys of db{db} on {server}"),
            );
            if n > 0 {
                p.changes.push(all_keys(*db, n));
            }
            p
        }
        Scope::Pattern { db, glob } => {
            let n = read.matching.unwrap_or(0);
            let in_db = read.keys.get(db).copied().unwrap_or(0);
            let mut p = Plan::new(
                "cache flush",
                &format!("redis {server} db{db} keys {glob}"),
                &format!("delete the {n} keys matching '{glob}' in db{db} on {server} (SCAN + UNLINK in batches of {SCAN_BATCH})"),
            );
            if n > 0 {
                p.changes.push(
                    Change::new(format!("db{db} keys '{glob}'"), "UNLINK")
                        .was_now(format!("{in_db} keys"), format!("{} keys", in_db - n)),
                );
            }
            p
        }
    };
    if read.replica {
        plan.warnings
            .push("this server is a replica: writes are refused; flush the primary instead".into());
    }
    if let Some(save) = read.save.as_deref().filter(|v| !v.trim().is_empty()) {
        if !matches!(scope, Scope::Pattern { .. }) {
            plan.warnings.push(format!(
                "persistence is on (save \"{save}\"): the flush also writes an empty RDB snapshot, replacing the last one"
            ));
        }
    }
    plan.warnings.push("the application will miss the cache until it refills: expect slower responses and more database load".into());
    // Typed confirmation for every flush: the server's host:port.
    plan.confirm = Confirm::TypeName(server.clone());
    Ok(Flush { plan, scope })
}

impl Action for Flush {
    fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn apply(&self, ctx: &Context) -> Result<Applied> {
        let detail = match &self.scope {
            Scope::All => {
                redis::cmd("FLUSHALL")
                    .query_async::<()>(&mut conn(ctx).await?)
                    .await
                    .map_err(|e| redis_err(&e, ctx))?;
                "FLUSHALL done".to_string()
            }
            Scope::Db(db) => {
                redis::cmd("FLUSHDB")
                    .query_async::<()>(&mut conn_in(ctx, *db).await?)
                    .await
                    .map_err(|e| redis_err(&e, ctx))?;
                format!("FLUSHDB of db{db} done")
            }
            Scope::Pattern { db, glob } => {
                let mut c = conn_in(ctx, *db).await?;
                let mut cursor: u64 = 0;
                let mut deleted: i64 = 0;
                loop {
                    let batch = async {
                        let (next, keys) = scan(&mut c, cursor, glob, ctx).await?;
                        let n: i64 = if keys.is_empty() {
                            0
                        } else {
                            redis::cmd("UNLINK")
                                .arg(&keys)
                                .query_async(&mut c)
                                .await
                                .map_err(|e| redis_err(&e, ctx))?
                        };
                        Ok::<_, crate::error::Error>((next, n))
                    };
                    match batch.await {
                        Ok((next, n)) => {
                            deleted += n;
                            cursor = next;
                        }
                        // Batches already unlinked stay unlinked: report a partial change, not
                        // a failure that would read as "nothing changed".
                        Err(e) if deleted > 0 => {
                            let mut applied = Applied::default();
                            applied.ok(format!(
                                "unlinked {deleted} key(s) matching '{glob}' in db{db}, then stopped"
                            ));
                            applied.failed("the other matching keys were not removed", e);
                            return Ok(applied);
                        }
                        Err(e) => return Err(e),
                    }
                    if cursor == 0 {
                        break;
                    }
                }
                format!("unlinked {deleted} key(s) matching '{glob}' in db{db}")
            }
        };
        Ok(Applied::done(vec![detail]))
    }

    async fn verify(&self, ctx: &Context, timeout: Duration) -> Result<Vec<String>> {
        let mut c = match &self.scope {
            Scope::Pattern { db, .. } => conn_in(ctx, *db).await?,
            _ => conn(ctx).await?,
        };
        let started = Instant::now();
        loop {
            let remaining = match &self.scope {
                Scope::All => keyspace(&info(&mut c, "keyspace", ctx).await?)
                    .values()
                    .sum::<i64>(),
                Scope::Db(db) => keyspace(&info(&mut c, "keyspace", ctx).await?)
                    .get(db)
                    .copied()
                    .unwrap_or(0),
                Scope::Pattern { glob, .. } => count_matching(&mut c, glob, ctx).await?,
            };
            if remaining == 0 {
                return Ok(vec!["verified: no matching key left".into()]);
            }
            if started.elapsed() >= timeout {
                return Err(Error::VerifyFailed(format!("{remaining} matching key(s) remain (the application may be writing them again)")));
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    fn verifies(&self) -> bool {
        true
    }
}

/// A `--pattern` glob as SCAN MATCH takes it. Empty, over-long, or holding control characters (a
/// pasted newline) is refused before anything is read.
pub fn check_pattern(glob: &str) -> Result<()> {
    if glob.trim().is_empty() {
        return Err(Error::usage("--pattern is empty"));
    }
    if glob.len() > 1024 {
        return Err(Error::usage(format!(
            "--pattern is {} bytes long; at most 1024",
            glob.len()
        )));
    }
    if let Some(c) = glob.chars().find(|c| c.is_control()) {
        return Err(Error::usage(format!(
            "--pattern holds a control character ({c:?}); key patterns are globs like 'session:*'"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(keys: &[(i64, i64)]) -> Server {
        Server {
            address: "cache.internal:6380".into(),
            knows_command: true,
            keys: keys.iter().copied().collect(),
            ..Server::default()
        }
    }

    #[test]
    fn flushall_empties_every_database_and_needs_the_server_typed() {
        let f = plan_flush(&server(&[(0, 12), (3, 5)]), Scope::All).unwrap();
        assert_eq!(f.plan.target, "redis cache.internal:6380");
        assert_eq!(
            f.plan.summary,
            "FLUSHALL: delete every key of every database on cache.internal:6380 (17 keys)"
        );
        assert_eq!(
            f.plan.rows(),
            [
                ["db0", "delete all keys", "12 keys", "0 keys"],
                ["db3", "delete all keys", "5 keys", "0 keys"]
            ]
        );
        assert_eq!(
            f.plan.confirm,
            Confirm::TypeName("cache.internal:6380".into())
        );
        assert!(f.plan.undo.is_none(), "a flush cannot be undone");
        assert_eq!(f.plan.warnings.len(), 1, "{:?}", f.plan.warnings);
    }

    #[test]
    fn flushdb_empties_one_database_and_an_empty_one_is_nothing_to_do() {
        let keys = server(&[(0, 12), (3, 5)]);
        let f = plan_flush(&keys, Scope::Db(3)).unwrap();
        assert_eq!(f.plan.target, "redis cache.internal:6380 db3");
        assert_eq!(
            f.plan.rows(),
            [["db3", "delete all keys", "5 keys", "0 keys"]]
        );
        let empty = plan_flush(&keys, Scope::Db(7)).unwrap();
        assert!(empty.plan.changes.is_empty());
        assert_eq!(
            empty.plan.summary,
            "FLUSHDB: delete the 0 keys of db7 on cache.internal:6380"
        );
    }

    #[test]
    fn a_pattern_unlinks_only_the_matching_keys() {
        let mut read = server(&[(2, 40)]);
        read.matching = Some(15);
        let scope = Scope::Pattern {
            db: 2,
            glob: "session:*".into(),
        };
        let f = plan_flush(&read, scope.clone()).unwrap();
        assert_eq!(
            f.plan.target,
            "redis cache.internal:6380 db2 keys session:*"
        );
        assert_eq!(
            f.plan.rows(),
            [["db2 keys 'session:*'", "UNLINK", "40 keys", "25 keys"]]
        );
        read.matching = Some(0);
        assert!(plan_flush(&read, scope).unwrap().plan.changes.is_empty());
    }

    #[test]
    fn a_replica_and_persistence_are_warned_about() {
        let mut read = server(&[(0, 1)]);
        read.replica = true;
        read.save = Some("3600 1 300 100".into());
        let f = plan_flush(&read, Scope::All).unwrap();
        assert_eq!(
            f.plan.warnings[..2],
            [
                "this server is a replica: writes are refused; flush the primary instead",
                "persistence is on (save \"3600 1 300 100\"): the flush also writes an empty RDB snapshot, replacing the last one"
            ]
        );
        // UNLINK writes no snapshot; and an empty save is no persistence.
        read.matching = Some(1);
        let pattern = Scope::Pattern {
            db: 0,
            glob: "*".into(),
        };
        let f = plan_flush(&read, pattern).unwrap();
        assert!(!f.plan.warnings.iter().any(|w| w.contains("persistence")));
        read.save = Some(" ".into());
        let f = plan_flush(&read, Scope::Db(0)).unwrap();
        assert!(!f.plan.warnings.iter().any(|w| w.contains("persistence")));
    }

    #[test]
    fn a_renamed_command_is_refused_before_anything_is_planned() {
        let mut read = server(&[(0, 12)]);
        read.knows_command = false;
        let e = plan_flush(&read, Scope::Db(0)).err().unwrap();
        assert_eq!(
            e.to_string(),
            "Redis does not know FLUSHDB: it is renamed or disabled on this server"
        );
        assert_eq!(e.cause(), Some(Cause::Refused(Refusal::Other)));
        let e = plan_flush(&read, Scope::All).err().unwrap();
        assert!(
            e.to_string().starts_with("Redis does not know FLUSHALL"),
            "{e}"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_pattern_text_is_accepted_or_refused_without_panic(text in "(?s)\\PC{0,40}|[\\x00-\\x1f]{0,3}") {
            if super::check_pattern(&text).is_ok() {
                proptest::prop_assert!(!text.trim().is_empty());
                proptest::prop_assert!(!text.chars().any(char::is_control));
            }
        }
    }

    #[test]
    fn pattern_checks_name_what_is_wrong() {
        assert!(super::check_pattern("session:*").is_ok());
        assert!(super::check_pattern("  ")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        assert!(super::check_pattern("a\nb")
            .unwrap_err()
            .to_string()
            .contains("control"));
    }

    #[test]
    fn keyspace_lines_parse() {
        let k = super::keyspace(
            "# Keyspace\r\ndb0:keys=12,expires=1,avg_ttl=0\r\ndb3:keys=5,expires=0,avg_ttl=0\r\n",
        );
        assert_eq!(k.get(&0), Some(&12));
        assert_eq!(k.get(&3), Some(&5));
    }
}
