//! Keeps secrets out of everything incidentctl prints or keeps. Evidence comes from logs,
//! events, queries and error messages that incidentctl does not control, so it is scrubbed
//! before it becomes a finding or a file.
//!
//! Two ways in, one set of patterns:
//! - text (a log line, an error): [`secrets`];
//! - a JSON document (an evidence file, `config show`): [`json`], field by field before it is
//!   serialized, so what comes out is still valid JSON, and a field named like a secret
//!   (`password_hash`, `apiKey`) is hidden whatever its value looks like.

use regex::{Captures, Regex};
use serde_json::Value;
use std::sync::LazyLock;

/// What a hidden value is replaced by.
pub const HIDDEN: &str = "***";

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static regex")
}

/// Webhook URLs are the secret themselves: Slack (and its GovSlack host), Discord, Teams.
static WEBHOOK: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?i)(https://(?:hooks\.slack(?:-gov)?\.com|(?:canary\.|ptb\.)?discord(?:app)?\.com/api/webhooks|[a-z0-9.-]*\.webhook\.office\.com))/[^\s"'<>]+"#,
    )
});
/// `scheme://user:password@host`: the password may hold `/` or `@` (the last `@` before the
/// end of the word ends it).
static URL_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@"'<>]*):([^\s"'<>]*)@"#));
/// `scheme://TOKEN@host`: a user part long enough to be a token, not a name.
static URL_TOKEN_USER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b([a-z][a-z0-9+.-]*://)[A-Za-z0-9._~%+-]{20,}@"));
/// Tokens known by their prefix: GitHub, GitLab, Slack, AWS access keys, OpenAI-style keys.
static KNOWN_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,})",
    )
});
/// A header whose whole value is a credential, whatever its scheme (`Bearer`, `Token`,
/// `Basic`, a cookie list): to the end of the line or the enclosing quote.
static CREDENTIAL_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?i)\b((?:proxy-)?authorization|set-cookie|cookie|x-api-key|x-auth-token)(\s*:\s*)([^\r\n"]+)"#,
    )
});
/// `Bearer abc…` / `Basic abc…` outside a header.
static BEARER: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"));
/// A name that says its value is a secret: `password`, `db_password_enc`, `passwordHash`,
/// `apiKey`, `?sig=`.
const SECRET_NAME: &str = r"[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|authorization|cookie)[a-z0-9_.-]*|sig|signature|x-amz-signature|x-amz-credential|x-goog-signature|x-goog-credential";
/// `name=value`, `name: "value with spaces"`, `"name": "value"`, `name=\"value\"`.
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r#"(?i)\b({SECRET_NAME})(["']?\s*[=:]\s*)(\\"[^"]*"|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s"'&,;]+)"#
    ))
});
static SECRET_KEY: LazyLock<Regex> = LazyLock::new(|| regex(&format!(r"(?i)^(?:{SECRET_NAME})$")));
static PRIVATE_KEY_PEM: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)")
});

/// Replaces credentials: URL passwords and token user parts, webhook URLs, credential headers,
/// bearer tokens, known token formats, private keys and `secret-name = value` pairs.
pub fn secrets(text: &str) -> String {
    let text = PRIVATE_KEY_PEM.replace_all(text, "-----BEGIN ${1}PRIVATE KEY----- *** (redacted)");
    let text = WEBHOOK.replace_all(&text, format!("${{1}}/{HIDDEN}"));
    let text = URL_PASSWORD.replace_all(&text, format!("${{1}}${{2}}:{HIDDEN}@"));
    let text = URL_TOKEN_USER.replace_all(&text, format!("${{1}}{HIDDEN}@"));
    let text = KNOWN_TOKEN.replace_all(&text, HIDDEN);
    // Headers before bearer: "Authorization: Bearer x" would otherwise hide only the token.
    let text = CREDENTIAL_HEADER.replace_all(&text, format!("${{1}}${{2}}{HIDDEN}"));
    let text = BEARER.replace_all(&text, format!("${{1}} {HIDDEN}"));
    let text = KEY_VALUE.replace_all(&text, |c: &Captures| {
        let value = &c[3];
        // A quoted value keeps its quotes, so the text around it still reads (and parses).
        let hidden = match value.chars().next() {
            Some('\\') => format!("\\\"{HIDDEN}\\\""),
            Some(q @ ('"' | '\'')) => format!("{q}{HIDDEN}{q}"),
            _ => HIDDEN.to_string(),
        };
        format!("{}{}{hidden}", &c[1], &c[2])
    });
    text.into_owned()
}

/// Whether a field of this name holds a secret (`password_hash`, `apiKey`, `token`); a field
/// naming where a secret is kept (`password_file`, `token_path`) holds a path, not a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_KEY.is_match(name) && !(lower.ends_with("file") || lower.ends_with("path"))
}

/// Redacts a document from outside (an event, a row, a log's JSON) in place, field by field:
/// every string through [`secrets`], and the value of every field named like a secret hidden
/// whole.
pub fn json(value: &mut Value) {
    walk(value, true);
}

/// Redacts a document of incidentctl's own (its settings) in place: every string through
/// [`secrets`]. Field names are its own, and some name a secret without holding one
/// (`kubernetes.secret` is the name of a Secret object); real secrets are redacted by type.
pub fn json_strings(value: &mut Value) {
    walk(value, false);
}

fn walk(value: &mut Value, by_name: bool) {
    match value {
        Value::String(s) => *s = secrets(s),
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, by_name)),
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                match field {
                    Value::String(_) | Value::Number(_) if by_name && is_secret_name(name) => {
                        *field = Value::String(HIDDEN.into())
                    }
                    _ => walk(field, by_name),
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// An error and its causes as one line ("a: b: c"), each cause once, secrets scrubbed: the
/// useful part of a network error ("Connection refused") is usually at the bottom of the chain.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text = format!("{text}: {s_text}");
        }
        source = s.source();
    }
    secrets(&text)
}

/// A query as it may be shown: string literals replaced (they may hold personal data or
/// passwords), secrets scrubbed, whitespace folded, cut to `max` characters.
pub fn query(sql: &str, max: usize) -> String {
    let folded = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&secrets(&sql_literals_hidden(&folded)), max)
}

/// Every SQL literal as `'…'`: standard (`'it''s'`), escaped (`E'it\'s'`) and dollar-quoted
/// (`$$…$$`, `$tag$…$tag$`) strings, and one cut off by the end of the text (PostgreSQL keeps
/// only the first kilobyte of a query's text, so a literal may never close).
fn sql_literals_hidden(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(['\'', '$']) {
        let (before, at) = rest.split_at(i);
        out.push_str(before);
        let literal_end = if at.starts_with('\'') {
            let escapes = before
                .strip_suffix(['e', 'E'])
                .is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric() || c == '_'));
            Some(quoted_end(at, escapes))
        } else {
            dollar_quoted_end(at)
        };
        match literal_end {
            Some(end) => {
                out.push_str("'…'");
                rest = &at[end..];
            }
            None => {
                out.push('$');
                rest = &at[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the literal starting at `s[0] == '\''` ends (past its closing quote, or the end).
fn quoted_end(s: &str, backslash_escapes: bool) -> usize {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' if backslash_escapes => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    s.len()
}

/// Where the dollar-quoted string starting at `s` ends, when `s` starts one (`$1` does not).
fn dollar_quoted_end(s: &str) -> Option<usize> {
    let close = s[1..].find('$')? + 1;
    let tag = &s[..=close];
    let body = &tag[1..tag.len() - 1];
    let is_tag = body.is_empty()
        || (body.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && body.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if !is_tag {
        return None;
    }
    Some(match s[tag.len()..].find(tag) {
        Some(end) => tag.len() + end + tag.len(),
        None => s.len(),
    })
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line holds the canary `hunter2` (or a token) where a secret sits; none may survive.
    const LEAKS: &[&str] = &[
        "connect to postgres://app:hunter2@db:5432/x failed",
        "login failed password=hunter2 user=bob",
        "config {\"token\": \"hunter2\"}",
        "DB_PASSWORD: hunter2",
        "Authorization: Bearer hunter2hunter2",
        // Issue 30, finding 8, each gap:
        "Authorization: Token ghp_hunter2hunter2hunter2hunter2abcd",
        "authorization: hunter2",
        "postgres://app:hunter2/with/slashes@db:5432/x",
        "postgres://app:p@ss-hunter2@db:5432/x",
        "password_hash=hunter2",
        "passwordHash: hunter2",
        "db_password_enc=hunter2",
        "password=\"hunter2 with spaces\"",
        "secret: 'hunter2 with spaces'",
        "Cookie: session=hunter2; theme=dark",
        "Set-Cookie: sid=hunter2; HttpOnly",
        "posting to https://discord.com/api/webhooks/123/hunter2",
        "posting to https://hooks.slack-gov.com/services/T0/B0/hunter2",
        "posting to https://hooks.slack.com/services/T000/B000/hunter2",
        "GET https://acct.blob.core.windows.net/c/b?sv=2020&sig=hunter2%3D&se=x",
        "clone https://hunter2hunter2hunter2hunter2@github.com/org/repo",
        "clone https://ghp_hunter2hunter2hunter2hunter2x@github.com/org/repo",
        "event: password=\\\"hunter2-EVT\\\"",
        // Finding 9: a key=value DSN.
        "host=db user=app password=hunter2 dbname=app",
        "-----BEGIN RSA PRIVATE KEY-----\nhunter2\n-----END RSA PRIVATE KEY-----",
    ];

    #[test]
    fn every_known_shape_of_secret_is_hidden() {
        for line in LEAKS {
            let out = secrets(line);
            assert!(
                !out.contains("hunter2") && !out.contains("ghp_"),
                "{line} -> {out}"
            );
        }
    }

    #[test]
    fn what_is_not_secret_stays_readable() {
        for line in [
            "user=bob",
            "design=minimal signed=yes",
            "postgres://app@db:5432/x",
            "http://prometheus:9090/api/v1/query?query=up",
            "token expired for user bob",
        ] {
            assert_eq!(secrets(line), line);
        }
        assert_eq!(
            secrets("postgres://app:p/w@d@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            secrets("password=\"a b\" next"),
            "password=\"***\" next",
            "quotes are kept"
        );
    }

    #[test]
    fn a_json_document_is_redacted_field_by_field_and_stays_json() {
        let mut doc = serde_json::json!({
            "message": "auth failed password=\"hunter2-EVT\"",
            "password_hash": "hunter2",
            "nested": [{"apiKey": "hunter2", "url": "redis://:hunter2@cache:6379"}],
            "count": 3,
        });
        json(&mut doc);
        let text = serde_json::to_string(&doc).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["message"], "auth failed password=\"***\"");
        assert_eq!(back["password_hash"], "***");
        assert_eq!(back["count"], 3);
        assert!(!is_secret_name("password_file") && is_secret_name("db_password_enc"));
    }

    #[test]
    fn sql_literals_are_hidden() {
        let cases = [
            (
                "SELECT * FROM users WHERE email = 'a@b.c' AND pw = 'x''y'",
                "SELECT * FROM users WHERE email = '…' AND pw = '…'",
            ),
            (
                r"UPDATE u SET pw = E'hunter2\'s' WHERE id = $1",
                "UPDATE u SET pw = E'…' WHERE id = $1",
            ),
            (
                "SELECT $$hunter2$$, $tag$hunter2 $$ inner$tag$, 1",
                "SELECT '…', '…', 1",
            ),
            // Cut off by PostgreSQL's query-text limit: the literal never closes.
            (
                "INSERT INTO t VALUES ('hunter2 and more",
                "INSERT INTO t VALUES ('…'",
            ),
            ("SELECT $$hunter2", "SELECT '…'"),
        ];
        for (sql, shown) in cases {
            assert_eq!(query(sql, 200), shown, "{sql}");
        }
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
