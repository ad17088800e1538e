//! The seed's `redis-cli info memory` and `info stats` steps (Performance): used memory against
//! maxmemory, evictions and the hit rate.

use super::where_;
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings, Status};
use crate::clients::redis::redis_error;
use crate::settings::Settings;
use crate::types::sign::Sign;
use redis::InfoDict;

pub const REDIS_MEMORY: Level = Level::new("redis_memory", 85.0, 95.0, "% of maxmemory used");
pub const LEVELS: &[&Level] = &[&REDIS_MEMORY];

/// The numbers read from `INFO memory` and `INFO stats`; None where the server did not give the
/// field (or gave something that is not a number).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Bytes.
    pub used_memory: Option<f64>,
    /// Bytes.
    pub used_memory_peak: Option<f64>,
    /// Bytes; 0 means no limit.
    pub maxmemory: Option<f64>,
    pub maxmemory_policy: Option<String>,
    pub evicted_keys: Option<f64>,
    pub keyspace_hits: Option<f64>,
    pub keyspace_misses: Option<f64>,
}

impl Snapshot {
    /// The fields this check uses, from the answers to `INFO memory` and `INFO stats`.
    pub fn from_info(memory: &InfoDict, stats: &InfoDict) -> Self {
        Snapshot {
            used_memory: memory.get("used_memory"),
            used_memory_peak: memory.get("used_memory_peak"),
            maxmemory: memory.get("maxmemory"),
            maxmemory_policy: memory.get("maxmemory_policy"),
            evicted_keys: stats.get("evicted_keys"),
            keyspace_hits: stats.get("keyspace_hits"),
            keyspace_misses: stats.get("keyspace_misses"),
        }
    }
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let mut conn = r.ctx.redis().await?;
    let server = where_(r.settings());
    let memory: InfoDict = redis::cmd("INFO")
        .arg("memory")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &server))?;
    let stats: InfoDict = redis::cmd("INFO")
        .arg("stats")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &server))?;
    Ok(Snapshot::from_info(&memory, &stats))
}

/// Used memory in % of maxmemory against the redis_memory level; without a maxmemory there is
/// nothing to fill, so it is ok. A field Redis did not give reads as 0.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    let used = s.used_memory.unwrap_or(0.0);
    let max = s.maxmemory.unwrap_or(0.0);
    let policy = s.maxmemory_policy.as_deref().unwrap_or("");
    let evicted = s.evicted_keys.unwrap_or(0.0);
    let hit_rate = hit_rate(s);
    let evidence = vec![
        format!(
            "used {} MiB, peak {} MiB",
            mib(used),
            mib(s.used_memory_peak.unwrap_or(0.0))
        ),
        format!("maxmemory {} MiB, policy {policy}", mib(max)),
        format!("evicted keys {evicted}, hit rate {hit_rate}"),
    ];
    if max <= 0.0 {
        return Ok(Finding::new(
            Status::Ok,
            format!("{} MiB used; no maxmemory limit set", mib(used)),
        )
        .value(used, "bytes")
        .evidence(evidence));
    }
    let pct = used / max * 100.0;
    let mut finding = Finding::measured(
        pct,
        "%",
        settings.thresholds.level(&REDIS_MEMORY),
        format!(
            "{} of {} MiB used ({}%), {evicted} evictions, hit rate {hit_rate}",
            mib(used),
            mib(max),
            fmt_num(pct, 1)
        ),
    )
    .evidence(evidence);
    // With noeviction a full cache rejects writes: say so when it is close.
    if policy == "noeviction" && finding.status.is_problem() {
        finding
            .evidence
            .push("policy noeviction: writes fail with OOM once maxmemory is reached".into());
    }
    // At the critical level the cache is full for practical purposes: with noeviction every
    // write that needs memory fails.
    if policy == "noeviction" && finding.status == Status::Critical {
        finding.signs.push(Sign::RedisFull {
            used,
            max,
            policy: policy.to_string(),
        });
    }
    Ok(finding)
}

/// Hits in % of lookups, or why there is no rate.
fn hit_rate(s: &Snapshot) -> String {
    let hits = s.keyspace_hits.unwrap_or(0.0);
    let misses = s.keyspace_misses.unwrap_or(0.0);
    if hits + misses > 0.0 {
        format!("{}%", fmt_num(hits / (hits + misses) * 100.0, 1))
    } else {
        "n/a (no lookups yet)".to_string()
    }
}

/// Bytes in MiB, one decimal at most.
fn mib(bytes: f64) -> String {
    fmt_num(bytes / 1024.0 / 1024.0, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Threshold};

    const MIB: f64 = 1024.0 * 1024.0;

    /// 100 MiB of maxmemory, `used_mib` of it used, 900 hits and 100 misses.
    fn snapshot(used_mib: f64, policy: &str) -> Snapshot {
        Snapshot {
            used_memory: Some(used_mib * MIB),
            used_memory_peak: Some(60.0 * MIB),
            maxmemory: Some(100.0 * MIB),
            maxmemory_policy: Some(policy.into()),
            evicted_keys: Some(3.0),
            keyspace_hits: Some(900.0),
            keyspace_misses: Some(100.0),
        }
    }

    fn status_at(used_bytes: f64) -> Status {
        let s = Snapshot {
            used_memory: Some(used_bytes),
            maxmemory: Some(100.0),
            ..Snapshot::default()
        };
        assess(&s, &default_settings()).unwrap().status
    }

    #[test]
    fn info_lines_parse() {
        let memory =
            InfoDict::new("# Memory\r\nused_memory:1024\r\nmaxmemory_policy:noeviction\r\n");
        let s = Snapshot::from_info(&memory, &InfoDict::new(""));
        assert_eq!(s.used_memory, Some(1024.0));
        assert_eq!(s.maxmemory_policy.as_deref(), Some("noeviction"));
        assert_eq!(s.maxmemory, None);
        assert_eq!(s.keyspace_hits, None);
    }

    #[test]
    fn info_memory_and_stats_fill_the_snapshot() {
        let memory = InfoDict::new(
            "# Memory\r\nused_memory:52428800\r\nused_memory_human:50.00M\r\nused_memory_peak:62914560\r\n\
             maxmemory:104857600\r\nmaxmemory_policy:allkeys-lru\r\n",
        );
        let stats = InfoDict::new(
            "# Stats\r\nevicted_keys:3\r\nkeyspace_hits:900\r\nkeyspace_misses:100\r\n",
        );
        assert_eq!(
            Snapshot::from_info(&memory, &stats),
            snapshot(50.0, "allkeys-lru")
        );
        let odd = InfoDict::new("used_memory:lots\r\n");
        assert_eq!(Snapshot::from_info(&odd, &stats).used_memory, None);
    }

    #[test]
    fn half_full_is_ok_with_exact_evidence() {
        let f = assess(&snapshot(50.0, "allkeys-lru"), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "50 of 100 MiB used (50%), 3 evictions, hit rate 90%"
        );
        assert_eq!(f.value, Some(50.0));
        assert_eq!(f.unit, Some("%"));
        assert_eq!(f.threshold, Some(Threshold::new(85.0, 95.0)));
        assert_eq!(
            f.evidence,
            vec![
                "used 50 MiB, peak 60 MiB",
                "maxmemory 100 MiB, policy allkeys-lru",
                "evicted keys 3, hit rate 90%",
            ]
        );
    }

    #[test]
    fn the_levels_are_strictly_above_85_and_95_percent() {
        assert_eq!(status_at(85.0), Status::Ok);
        assert_eq!(status_at(85.5), Status::Warning);
        assert_eq!(status_at(95.0), Status::Warning);
        assert_eq!(status_at(95.5), Status::Critical);
    }

    #[test]
    fn near_full_with_noeviction_warns_that_writes_will_fail() {
        let f = assess(&snapshot(97.5, "noeviction"), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "97.5 of 100 MiB used (97.5%), 3 evictions, hit rate 90%"
        );
        assert_eq!(
            f.evidence.last().map(String::as_str),
            Some("policy noeviction: writes fail with OOM once maxmemory is reached")
        );
        // Below the levels the policy is not worth a line.
        let f = assess(&snapshot(50.0, "noeviction"), &default_settings()).unwrap();
        assert_eq!(f.evidence.len(), 3);
    }

    #[test]
    fn without_maxmemory_there_is_nothing_to_fill() {
        let s = Snapshot {
            maxmemory: Some(0.0),
            ..snapshot(1.5, "noeviction")
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "1.5 MiB used; no maxmemory limit set");
        assert_eq!(f.value, Some(1.5 * MIB));
        assert_eq!(f.unit, Some("bytes"));
        assert_eq!(f.threshold, None);
    }

    #[test]
    fn missing_fields_read_as_zero() {
        let f = assess(&Snapshot::default(), &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "0 MiB used; no maxmemory limit set");
        assert_eq!(
            f.evidence,
            vec![
                "used 0 MiB, peak 0 MiB",
                "maxmemory 0 MiB, policy ",
                "evicted keys 0, hit rate n/a (no lookups yet)",
            ]
        );
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        let s = snapshot(55.0, "allkeys-lru");
        assert_eq!(assess(&s, &settings).unwrap().status, Status::Ok);
        settings
            .thresholds
            .0
            .insert("redis_memory".into(), Threshold::new(50.0, 60.0));
        assert_eq!(assess(&s, &settings).unwrap().status, Status::Warning);
    }
}
