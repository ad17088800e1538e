//! The small parsers behind flags and config values, in one target: the first byte picks the
//! parser, the rest is its input. No input may panic, and each parser's output is checked against
//! a property it promises (round trips, bounds, redaction).
#![no_main]

use clap::ValueEnum;
use incidentctl::actions::cache::check_pattern;
use incidentctl::actions::network::parse_cidr;
use incidentctl::actions::scale::check_replicas;
use incidentctl::checks::k8s::parse_quantity;
use incidentctl::cli::SeverityArg;
use incidentctl::output::redact;
use incidentctl::report::parse_time;
use incidentctl::report::store::check_id;
use incidentctl::settings::{is_sql_identifier_path, parse_duration, Dur, SecretUrl, Settings};
use incidentctl::types::Severity;
use incidentctl_fuzz::assert_url_redacted;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use std::time::Duration;

/// The parsers, by the selector byte (its value modulo the count).
const PARSERS: [&str; 12] = [
    "duration",
    "cidr",
    "replicas",
    "severity",
    "incident_id",
    "url",
    "secrets",
    "time",
    "threshold",
    "quantity",
    "sql_identifier",
    "key_pattern",
];

/// Parsers left out, from FUZZ_SKIP (names, comma-separated): lets a run go on fuzzing the others
/// while a crash already reported in one of them is open.
static SKIPPED: LazyLock<Vec<String>> = LazyLock::new(|| {
    let skip = std::env::var("FUZZ_SKIP").unwrap_or_default();
    skip.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let parser = PARSERS[usize::from(selector) % PARSERS.len()];
    if SKIPPED.iter().any(|s| s == parser) {
        return;
    }
    // Flags and config values arrive as Rust strings: clap and the TOML parser refuse bytes that
    // are not UTF-8 before any of these parsers sees them. Numbers are taken from the raw bytes.
    let text = std::str::from_utf8(input).ok();
    match (parser, text) {
        ("duration", Some(s)) => duration(s),
        ("cidr", Some(s)) => cidr(s),
        ("replicas", _) => replicas(input),
        ("severity", Some(s)) => severity(s),
        ("incident_id", Some(s)) => incident_id(s),
        ("url", Some(s)) => url(s),
        ("secrets", Some(s)) => secrets(s),
        ("time", _) => time(input),
        ("threshold", _) => threshold(input),
        ("quantity", Some(s)) => {
            let _ = parse_quantity(s);
        }
        ("sql_identifier", Some(s)) => sql_identifier(s),
        ("key_pattern", Some(s)) => key_pattern(s),
        _ => {}
    }
});

/// `--timeout`, `timeout = "5s"`, `--detected-at 15m`: within 0..=365 days, and what Display
/// prints (whole milliseconds) parses back to the same value truncated to milliseconds.
fn duration(s: &str) {
    let Ok(d) = parse_duration(s) else { return };
    assert!(
        d <= Duration::from_secs(365 * 86_400),
        "{s:?} parsed beyond 365 days: {d:?}"
    );
    let shown = Dur(d).to_string();
    let back = parse_duration(&shown).unwrap_or_else(|e| {
        panic!("{s:?} -> {d:?} displays as {shown:?}, which does not parse: {e}")
    });
    let whole_ms = Duration::from_millis(d.as_millis() as u64);
    assert_eq!(back, whole_ms, "{s:?} -> {d:?} -> {shown:?} -> {back:?}");
}

/// `security block-ip CIDR`: never every address, normalised to its network, and its display
/// parses back to itself.
fn cidr(s: &str) {
    let Ok(net) = parse_cidr(s) else { return };
    assert!(net.prefix_len() > 0, "{s:?} blocks every address");
    assert_eq!(net, net.trunc(), "{s:?} is not normalised to its network");
    let shown = net.to_string();
    let back =
        parse_cidr(&shown).unwrap_or_else(|e| panic!("{s:?} -> {shown:?} does not parse: {e:?}"));
    assert_eq!(back, net, "{s:?} -> {shown:?} -> {back}");
}

/// `scale --replicas N [--allow-zero]` against actions.scale_min / scale_max.
fn replicas(input: &[u8]) {
    let mut bytes = [0u8; 25];
    let n = input.len().min(bytes.len());
    bytes[..n].copy_from_slice(&input[..n]);
    let i64_at = |at: usize| i64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let (replicas, min, max, allow_zero) = (i64_at(0), i64_at(8), i64_at(16), bytes[24] & 1 == 1);
    let Ok(n) = check_replicas(replicas, allow_zero, min, max) else {
        return;
    };
    assert_eq!(i64::from(n), replicas);
    assert!(n >= 0);
    assert!(n != 0 || allow_zero, "0 replicas without --allow-zero");
    assert!(
        n == 0 || (min..=max).contains(&replicas),
        "{replicas} outside {min}..={max}"
    );
}

/// `--severity SEV1` (clap) and `"severity": "SEV1"` (diagnose JSON, config rules) agree.
fn severity(s: &str) {
    let from_flag = SeverityArg::from_str(s, false).ok();
    let from_json: Option<Severity> =
        serde_json::from_value(serde_json::Value::String(s.into())).ok();
    if let Some(sev) = from_json {
        assert_eq!(sev.label(), s);
        assert!(
            from_flag.is_some(),
            "{s:?} is a severity in JSON but not as a flag"
        );
    }
    if from_flag.is_some() {
        let upper = s.to_ascii_uppercase();
        let json: Option<Severity> = serde_json::from_value(serde_json::Value::String(upper)).ok();
        assert!(json.is_some(), "--severity {s:?} has no JSON form");
    }
}

/// `cache flush --pattern GLOB`: refused when empty, over 1024 bytes or holding a control
/// character, accepted otherwise.
fn key_pattern(s: &str) {
    let accepted = check_pattern(s).is_ok();
    let expected = !s.trim().is_empty() && s.len() <= 1024 && !s.chars().any(char::is_control);
    assert_eq!(accepted, expected, "check_pattern({s:?})");
}

/// `INC-YYYYMMDD-NNN`, refused before it reaches a path or a query.
fn incident_id(s: &str) {
    let accepted = check_id(s).is_ok();
    let b = s.as_bytes();
    let expected = b.len() >= 16
        && b.starts_with(b"INC-")
        && b[4..12].iter().all(u8::is_ascii_digit)
        && b[12] == b'-'
        && b[13..].iter().all(u8::is_ascii_digit);
    assert_eq!(accepted, expected, "check_id({s:?})");
}

/// URLs in the config and environment: shown only redacted.
fn url(s: &str) {
    assert_url_redacted(s);
    let u = SecretUrl::new(s);
    let _ = u.has_password();
    assert_eq!(u.to_string(), u.redacted());
    let _ = format!("{u:?}");
}

/// Evidence scrubbing: whatever surrounds them, planted credentials never survive.
fn secrets(s: &str) {
    let _ = redact::secrets(s);
    let _ = redact::query(s, 200);
    const PLANTED: &str = "Zq9xK2mPw7";
    if s.contains(PLANTED) {
        return;
    }
    for planted in [
        format!("{s} postgres://app:{PLANTED}@db:5432/app {s}"),
        format!("{s} password={PLANTED} {s}"),
        format!("{s}\nAuthorization: Bearer {PLANTED}abc\n{s}"),
    ] {
        let scrubbed = redact::secrets(&planted);
        assert!(
            !scrubbed.contains(PLANTED),
            "secrets({planted:?}) = {scrubbed:?}"
        );
    }
}

/// `--detected-at`: RFC 3339 or relative, never in the future; "now" anywhere in jiff's range.
fn time(input: &[u8]) {
    let mut now_bytes = [0u8; 8];
    let n = input.len().min(8);
    now_bytes[..n].copy_from_slice(&input[..n]);
    let Ok(s) = std::str::from_utf8(&input[n..]) else {
        return;
    };
    let min = jiff::Timestamp::MIN.as_second();
    let max = jiff::Timestamp::MAX.as_second();
    let raw = i64::from_le_bytes(now_bytes);
    let secs = if (min..=max).contains(&raw) {
        raw
    } else {
        min + raw.rem_euclid(max - min + 1)
    };
    let Ok(now) = jiff::Timestamp::from_second(secs) else {
        return;
    };
    let Ok(t) = parse_time(s, now, "--detected-at") else {
        return;
    };
    assert!(
        t.as_second() <= now.as_second() + 60,
        "{s:?} at {now} gave {t}, in the future"
    );
}

/// A `[thresholds]` entry: accepted exactly when both levels are finite, warning is not negative
/// and not above critical; accepted values are kept as written.
fn threshold(input: &[u8]) {
    // Every level a check judges by (`cpu`, `error_rate`, …), as `config show` lists them.
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let defaults = Settings::from_config_text("").expect("the defaults are valid");
        incidentctl::checks::effective_thresholds(&defaults)
            .0
            .into_keys()
            .collect()
    });
    let mut bytes = [0u8; 17];
    let n = input.len().min(bytes.len());
    bytes[..n].copy_from_slice(&input[..n]);
    let key = &keys[bytes[0] as usize % keys.len()];
    let warning = f64::from_le_bytes(bytes[1..9].try_into().expect("8 bytes"));
    let critical = f64::from_le_bytes(bytes[9..17].try_into().expect("8 bytes"));
    let toml_float = |v: f64| {
        if v.is_nan() {
            "nan".to_string()
        } else if v.is_infinite() {
            if v > 0.0 { "inf" } else { "-inf" }.to_string()
        } else {
            format!("{v:?}") // shortest form that reads back exactly; TOML accepts it
        }
    };
    let text = format!(
        "[thresholds]\n{key} = {{ warning = {}, critical = {} }}\n",
        toml_float(warning),
        toml_float(critical)
    );
    let valid =
        warning.is_finite() && critical.is_finite() && warning >= 0.0 && warning <= critical;
    match Settings::from_config_text(&text) {
        Ok(settings) => {
            assert!(valid, "accepted {text:?}");
            let kept = settings.thresholds.0[key.as_str()];
            assert_eq!(
                (kept.warning, kept.critical),
                (warning, critical),
                "{text:?}"
            );
        }
        Err(e) => assert!(!valid, "refused {text:?}: {e}"),
    }
}

/// `postgres.audit_table`, `actions.sessions_table`: what is accepted is a plain identifier path.
fn sql_identifier(s: &str) {
    if is_sql_identifier_path(s) {
        assert!(
            s.len() <= 127
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        );
        assert!(!s.starts_with('.') && !s.ends_with('.') && !s.contains(".."));
    }
}
