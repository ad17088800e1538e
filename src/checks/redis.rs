//! Redis: the seed's `redis-cli ping` and `info stats` / `info memory`.

use super::{fmt_num, CheckOutcome, Finding, Status};
use crate::context::{redis_error, Context};
use std::collections::HashMap;
use std::time::Instant;

fn where_(ctx: &Context) -> String {
    ctx.settings.redis.url.redacted()
}

pub async fn ping(ctx: &Context) -> CheckOutcome {
    let mut conn = ctx.redis().await?;
    let t0 = Instant::now();
    let reply: String = redis::cmd("PING")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &where_(ctx)))?;
    let rtt_ms = t0.elapsed().as_secs_f64() * 1000.0;
    Ok(Finding::ok(format!("{reply} in {} ms", fmt_num(rtt_ms, 1))).value(rtt_ms, "ms"))
}

/// Parses `INFO` output (`key:value` lines) into a map.
fn parse_info(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn num(info: &HashMap<String, String>, key: &str) -> Option<f64> {
    info.get(key).and_then(|v| v.parse().ok())
}

pub async fn memory(ctx: &Context) -> CheckOutcome {
    let mut conn = ctx.redis().await?;
    let memory: String = redis::cmd("INFO")
        .arg("memory")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &where_(ctx)))?;
    let stats: String = redis::cmd("INFO")
        .arg("stats")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &where_(ctx)))?;
    let mem = parse_info(&memory);
    let st = parse_info(&stats);
    let used = num(&mem, "used_memory").unwrap_or(0.0);
    let max = num(&mem, "maxmemory").unwrap_or(0.0);
    let policy = mem.get("maxmemory_policy").cloned().unwrap_or_default();
    let evicted = num(&st, "evicted_keys").unwrap_or(0.0);
    let hits = num(&st, "keyspace_hits").unwrap_or(0.0);
    let misses = num(&st, "keyspace_misses").unwrap_or(0.0);
    let hit_rate = if hits + misses > 0.0 {
        format!("{}%", fmt_num(hits / (hits + misses) * 100.0, 1))
    } else {
        "n/a (no lookups yet)".to_string()
    };
    let mib = |b: f64| fmt_num(b / 1024.0 / 1024.0, 1);
    let evidence = vec![
        format!(
            "used {} MiB, peak {} MiB",
            mib(used),
            mib(num(&mem, "used_memory_peak").unwrap_or(0.0))
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
        ctx.settings.thresholds.redis_memory,
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
    Ok(finding)
}

#[cfg(test)]
mod tests {
    #[test]
    fn info_lines_parse() {
        let m =
            super::parse_info("# Memory\r\nused_memory:1024\r\nmaxmemory_policy:noeviction\r\n");
        assert_eq!(m.get("used_memory").map(String::as_str), Some("1024"));
        assert_eq!(
            m.get("maxmemory_policy").map(String::as_str),
            Some("noeviction")
        );
    }
}
