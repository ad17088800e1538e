//! Keeps secrets out of everything incidentctl prints. Evidence comes from logs, queries and error
//! messages that incidentctl does not control, so it is scrubbed before it becomes a finding.

use regex::Regex;
use std::sync::LazyLock;

static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@]*):([^@\s/]+)@").expect("static regex")
});
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|authorization))(["']?\s*[=:]\s*["']?)([^\s"'&,;]+)"#,
    )
    .expect("static regex")
});
static BEARER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}").expect("static regex")
});
static SLACK_WEBHOOK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)https://hooks\.slack\.com/[A-Za-z0-9/_-]+").expect("static regex")
});
static SQL_STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"'(?:[^']|'')*'").expect("static regex"));

/// Replaces credentials in URLs, `password=…`-style pairs, bearer tokens and Slack webhook URLs.
pub fn secrets(text: &str) -> String {
    let text = SLACK_WEBHOOK.replace_all(text, "https://hooks.slack.com/***");
    let text = URL_CREDENTIALS.replace_all(&text, "${1}${2}:***@");
    // Bearer first: "Authorization: Bearer x" would otherwise hide only the word "Bearer".
    let text = BEARER.replace_all(&text, "${1} ***");
    let text = KEY_VALUE.replace_all(&text, "${1}${2}***");
    text.into_owned()
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
    let scrubbed = secrets(&SQL_STRING.replace_all(&folded, "'…'"));
    truncate(&scrubbed, max)
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

    #[test]
    fn url_passwords_are_hidden() {
        let out = secrets("connect to postgres://app:hunter2@db:5432/x failed");
        assert_eq!(out, "connect to postgres://app:***@db:5432/x failed");
    }

    #[test]
    fn key_value_secrets_are_hidden() {
        for line in [
            "login failed password=hunter2 user=bob",
            "config {\"token\": \"hunter2\"}",
            "DB_PASSWORD: hunter2",
            "Authorization: Bearer hunter2hunter2",
        ] {
            assert!(
                !secrets(line).contains("hunter2"),
                "{line} -> {}",
                secrets(line)
            );
        }
        assert!(secrets("user=bob").contains("bob"));
    }

    #[test]
    fn slack_webhooks_are_hidden() {
        let out = secrets("posting to https://hooks.slack.com/services/T000/B000/XXXX");
        assert!(!out.contains("T000"), "{out}");
    }

    #[test]
    fn sql_literals_are_hidden() {
        let q = query(
            "SELECT * FROM users WHERE email = 'a@b.c' AND pw = 'x''y'",
            200,
        );
        assert_eq!(q, "SELECT * FROM users WHERE email = '…' AND pw = '…'");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
