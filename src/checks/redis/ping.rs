//! The seed's `redis-cli ping` step (App Down): Redis answers, and how fast.

use super::where_;
use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::redis::redis_error;
use crate::settings::Settings;
use std::time::Instant;

pub const LEVELS: &[&Level] = &[];

/// Redis's reply to PING and the round trip it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// "PONG" from a healthy server.
    pub reply: String,
    pub rtt_ms: f64,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let mut conn = r.ctx.redis().await?;
    // Timed from after connecting: the check measures the command, not the handshake.
    let t0 = Instant::now();
    let reply: String = redis::cmd("PING")
        .query_async(&mut conn)
        .await
        .map_err(|e| redis_error(&e, &where_(r.settings())))?;
    let rtt_ms = t0.elapsed().as_secs_f64() * 1000.0;
    Ok(Snapshot { reply, rtt_ms })
}

/// Reaching Redis is what this check checks: an answer is ok (an unreachable server is an error
/// from `read`, which the check table reports as critical).
pub fn assess(s: &Snapshot, _settings: &Settings) -> CheckOutcome {
    Ok(Finding::ok(format!("{} in {} ms", s.reply, fmt_num(s.rtt_ms, 1))).value(s.rtt_ms, "ms"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status};

    #[test]
    fn an_answer_is_ok_with_its_round_trip() {
        let s = Snapshot {
            reply: "PONG".into(),
            rtt_ms: 0.4321,
        };
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(f.summary, "PONG in 0.4 ms");
        assert_eq!(f.value, Some(0.4321));
        assert_eq!(f.unit, Some("ms"));
        assert_eq!(f.threshold, None);
        assert!(f.evidence.is_empty());
    }

    #[test]
    fn whole_milliseconds_lose_their_decimals() {
        let s = Snapshot {
            reply: "PONG".into(),
            rtt_ms: 12.0,
        };
        assert_eq!(
            assess(&s, &default_settings()).unwrap().summary,
            "PONG in 12 ms"
        );
    }
}
