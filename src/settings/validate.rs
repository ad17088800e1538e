//! Checks on the resolved settings: everything wrong is a configuration (or usage) error naming
//! the key, before anything is contacted.

use super::{AppObject, Settings};
use crate::error::{Error, Result};
use crate::types::{MetricsChoice, RequestQuery, Status};

impl Settings {
    pub(super) fn validate(&self) -> Result<()> {
        if self.timeout.0.is_zero() {
            return Err(Error::Usage {
                message: "invalid value for --timeout: must be more than 0".into(),
                hint: None,
            });
        }
        if !is_dns_label(&self.namespace) {
            return Err(Error::Usage {
                message: format!(
                    "invalid namespace '{}': a namespace is lower-case letters, digits and '-', at most 63 characters",
                    self.namespace
                ),
                hint: None,
            });
        }
        self.validate_thresholds()?;
        self.validate_kubernetes()?;
        self.validate_postgres()?;
        self.validate_prometheus()?;
        super::custom_checks::validate_all(&self.checks)?;
        super::runbooks::validate(&self.runbooks, &self.checks)?;
        for (i, r) in self.severity.rules.iter().enumerate() {
            if !matches!(r.status, Status::Warning | Status::Critical) {
                return Err(Error::config(
                    format!("severity.rules[{i}]"),
                    "status must be \"warning\" or \"critical\"",
                ));
            }
        }
        self.validate_actions()
    }

    fn validate_thresholds(&self) -> Result<()> {
        for (key, th) in &self.thresholds.0 {
            if !(th.warning.is_finite() && th.critical.is_finite()) || th.warning < 0.0 {
                return Err(Error::config(
                    format!("thresholds.{key}"),
                    "levels must be non-negative numbers",
                ));
            }
            if th.warning > th.critical {
                return Err(Error::config(
                    format!("thresholds.{key}"),
                    format!(
                        "warning ({}) is above critical ({})",
                        th.warning, th.critical
                    ),
                ));
            }
        }
        Ok(())
    }

    fn validate_kubernetes(&self) -> Result<()> {
        for (key, pattern) in [
            ("kubernetes.error_pattern", &self.kubernetes.error_pattern),
            ("kubernetes.auth_pattern", &self.kubernetes.auth_pattern),
            (
                "kubernetes.access_denied_pattern",
                &self.kubernetes.access_denied_pattern,
            ),
        ] {
            log_regex(pattern).map_err(|e| {
                Error::config(
                    key,
                    format!("invalid regular expression: {}", first_line(&e.to_string())),
                )
            })?;
        }
        if self.kubernetes.deployments.is_empty() {
            return Err(Error::config(
                "kubernetes.deployments",
                "at least one deployment is needed",
            ));
        }
        let k = &self.kubernetes;
        let names = k
            .deployments
            .iter()
            .map(|d| (AppObject::Deployments, d))
            .chain([
                (AppObject::Ingress, &k.ingress),
                (AppObject::ConfigMap, &k.configmap),
                (AppObject::Secret, &k.secret),
                (AppObject::NetworkPolicy, &k.network_policy),
            ]);
        for (object, name) in names {
            if !is_dns_subdomain(name) {
                return Err(Error::config(
                    format!("kubernetes.{}", object.key()),
                    format!("'{name}' is not a Kubernetes name: {NAME_RULE}"),
                ));
            }
        }
        if !(1..=10_000).contains(&self.kubernetes.page_size) {
            return Err(Error::config(
                "kubernetes.page_size",
                "must be between 1 and 10000",
            ));
        }
        if !(1..=100_000).contains(&self.kubernetes.log_tail_lines) {
            return Err(Error::config(
                "kubernetes.log_tail_lines",
                "must be between 1 and 100000",
            ));
        }
        Ok(())
    }

    /// `custom` needs every request query; a placeholder is known and inside a double-quoted
    /// label value, so its value can be escaped for where it stands.
    fn validate_prometheus(&self) -> Result<()> {
        let p = &self.prometheus;
        for kind in RequestQuery::ALL {
            let key = format!("prometheus.{}", kind.key());
            match p.query(kind) {
                Some(query) => {
                    crate::types::promql::placeholders(query)
                        .map_err(|e| Error::config(&key, e))?;
                }
                None if p.metrics == MetricsChoice::Custom => {
                    return Err(Error::config(
                        key,
                        "is needed with prometheus.metrics = \"custom\" (or choose a family, or \"auto\")",
                    ));
                }
                None => {}
            }
        }
        if let Some(query) = &self.impact.users_query {
            crate::types::promql::placeholders(&crate::types::promql::with_range(query, 60))
                .map_err(|e| Error::config("impact.users_query", e))?;
        }
        Ok(())
    }

    fn validate_postgres(&self) -> Result<()> {
        if !(1..=1000).contains(&self.postgres.slow_query_limit) {
            return Err(Error::config(
                "postgres.slow_query_limit",
                "must be between 1 and 1000",
            ));
        }
        if !is_sql_identifier_path(&self.postgres.audit_table) {
            return Err(Error::config(
                "postgres.audit_table",
                format!(
                    "'{}' is not a table name (letters, digits, '_', optionally schema.table)",
                    self.postgres.audit_table
                ),
            ));
        }
        Ok(())
    }

    fn validate_actions(&self) -> Result<()> {
        let a = &self.actions;
        if a.scale_min < 0 || a.scale_min > a.scale_max {
            return Err(Error::config(
                "actions.scale_min",
                format!("must be between 0 and actions.scale_max ({})", a.scale_max),
            ));
        }
        if !is_sql_identifier_path(&a.sessions_table) {
            return Err(Error::config(
                "actions.sessions_table",
                format!("'{}' is not a table name", a.sessions_table),
            ));
        }
        if !is_sql_identifier_path(&a.sessions_column) || a.sessions_column.contains('.') {
            return Err(Error::config(
                "actions.sessions_column",
                format!("'{}' is not a column name", a.sessions_column),
            ));
        }
        Ok(())
    }
}

/// A log pattern compiled once per process: validation and the checks that grep the logs share
/// it (compiling the auth pattern is a measurable share of a diagnose run).
pub fn log_regex(pattern: &str) -> std::result::Result<regex::Regex, regex::Error> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COMPILED: OnceLock<Mutex<HashMap<String, regex::Regex>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let re = regex::Regex::new(pattern)?;
    // A run has three patterns; the bound keeps a long-lived caller (the fuzzer) from growing it.
    if let Ok(mut c) = cache.lock() {
        if c.len() < 16 {
            c.insert(pattern.to_string(), re.clone());
        }
    }
    Ok(re)
}
fn first_line(s: &str) -> String {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
        .to_string()
}
const NAME_RULE: &str = "lower-case letters, digits, '-' and '.', at most 253 characters";

/// A Kubernetes object name (RFC 1123 subdomain): dot-separated DNS labels, at most 253.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}
fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
/// `table` or `schema.table`, each part a plain SQL identifier.
pub fn is_sql_identifier_path(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 63
                && p.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}
