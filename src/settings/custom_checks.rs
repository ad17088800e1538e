//! `[[check]]`: checks a team declares in the config file, next to its runbook, with no Rust.
//! A definition is checked here, whole, before anything runs: a bad one is a configuration
//! error naming its table and key.

use super::SecretUrl;
use crate::error::{Error, Result};
use crate::types::runbook::Origin;
use serde::{Deserialize, Serialize};

/// Where a custom check reads its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// A PromQL instant query: the highest series.
    Promql,
    /// A read-only SQL query: one number, or the count of its rows.
    Sql,
    /// An HTTP GET: its latency in ms, judged; the status and body must be as expected.
    Http,
    /// Kubernetes objects of a kind: their count, or the sum of a numeric field.
    Kubernetes,
}

impl CheckKind {
    fn name(self) -> &'static str {
        match self {
            CheckKind::Promql => "promql",
            CheckKind::Sql => "sql",
            CheckKind::Http => "http",
            CheckKind::Kubernetes => "kubernetes",
        }
    }
}

/// Whether a value is bad when high (a queue depth) or when low (ready replicas).
pub use crate::types::Direction;

/// One `[[check]]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckDefinition {
    /// Lowercase and dotted (`payments.queue_depth`); not a built-in check's id.
    pub id: String,
    /// Runbooks whose investigation it joins, built in or a team's (a `[[runbook]]` may name it
    /// in its `investigate` instead).
    #[serde(default)]
    pub runbooks: Vec<String>,
    #[serde(default)]
    pub description: String,
    pub kind: CheckKind,
    /// promql and sql.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// http.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<SecretUrl>,
    /// http: the status the endpoint must answer (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<u16>,
    /// http: a regular expression the body must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_regex: Option<String>,
    /// kubernetes: `group/version/Kind` (`apps/v1/Deployment`) or `version/Kind` (`v1/Pod`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// kubernetes: a label selector (`app=payments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// kubernetes: a JSON pointer to a number in each object (`/status/readyReplicas`),
    /// summed; without it the objects are counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Shown with the value.
    #[serde(default)]
    pub unit: String,
    pub warning: f64,
    pub critical: f64,
    #[serde(default)]
    pub direction: Direction,
    /// Where its `runbooks` were written (its table, when it names none), for errors about them.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

impl CheckDefinition {
    /// The keys this kind takes, beyond those every check has.
    fn allowed(&self) -> &'static [&'static str] {
        match self.kind {
            CheckKind::Promql | CheckKind::Sql => &["query"],
            CheckKind::Http => &["url", "expect_status", "body_regex"],
            CheckKind::Kubernetes => &["resource", "selector", "field"],
        }
    }

    /// The kind-specific keys given.
    fn given(&self) -> Vec<&'static str> {
        [
            ("query", self.query.is_some()),
            ("url", self.url.is_some()),
            ("expect_status", self.expect_status.is_some()),
            ("body_regex", self.body_regex.is_some()),
            ("resource", self.resource.is_some()),
            ("selector", self.selector.is_some()),
            ("field", self.field.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, given)| given.then_some(k))
        .collect()
    }

    /// `check[2] (payments.queue_depth).query`: where an error points.
    fn key(&self, index: usize, key: &str) -> String {
        format!("check[{index}] ({}).{key}", self.id)
    }

    /// Everything about one definition that can be checked without the other checks.
    pub fn validate(&self, index: usize) -> Result<()> {
        let fail = |key: &str, why: String| Err(Error::config(self.key(index, key), why));
        if !is_check_id(&self.id) {
            return fail("id", format!("'{}' is not a check id: lowercase letters, digits and '_', in dotted parts (payments.queue_depth)", self.id));
        }
        for key in self.given() {
            if !self.allowed().contains(&key) {
                return fail(
                    key,
                    format!(
                        "not a key of a {} check (it takes {})",
                        self.kind.name(),
                        self.allowed().join(", ")
                    ),
                );
            }
        }
        let required = match self.kind {
            CheckKind::Promql | CheckKind::Sql => (
                "query",
                self.query.as_ref().is_some_and(|q| !q.trim().is_empty()),
            ),
            CheckKind::Http => ("url", self.url.is_some()),
            CheckKind::Kubernetes => ("resource", self.resource.is_some()),
        };
        if !required.1 {
            return fail(
                required.0,
                format!("a {} check needs {}", self.kind.name(), required.0),
            );
        }
        if let Some(url) = &self.url {
            if !url.expose().starts_with("http://") && !url.expose().starts_with("https://") {
                return fail("url", format!("'{}' is not an http(s) URL", url.redacted()));
            }
        }
        if let Some(pattern) = &self.body_regex {
            if let Err(e) = regex::Regex::new(pattern) {
                return fail("body_regex", format!("not a regular expression: {e}"));
            }
        }
        if let Some(resource) = &self.resource {
            let parts = resource.split('/').count();
            if !(2..=3).contains(&parts) || resource.split('/').any(str::is_empty) {
                return fail("resource", format!("'{resource}' is not group/version/Kind (apps/v1/Deployment) or version/Kind (v1/Pod)"));
            }
        }
        if let Some(field) = &self.field {
            if !field.starts_with('/') {
                return fail(
                    "field",
                    format!("'{field}' is not a JSON pointer (/status/readyReplicas)"),
                );
            }
        }
        self.validate_levels(index)
    }

    fn validate_levels(&self, index: usize) -> Result<()> {
        let (w, c) = (self.warning, self.critical);
        if !(w.is_finite() && c.is_finite()) {
            return Err(Error::config(
                self.key(index, "warning"),
                "levels must be numbers",
            ));
        }
        let ordered = match self.direction {
            Direction::Above => w <= c,
            Direction::Below => w >= c,
        };
        if !ordered {
            let why = match self.direction {
                Direction::Above => format!("warning ({w}) is above critical ({c}); with direction = \"below\" a low value is bad"),
                Direction::Below => format!("warning ({w}) is below critical ({c}): with direction = \"below\" critical is the lower level"),
            };
            return Err(Error::config(self.key(index, "critical"), why));
        }
        Ok(())
    }
}

/// Whether `sql` looks like one statement: no `;` but at its end, outside string literals
/// (with `E'…'` backslash escapes), quoted identifiers, comments and dollar-quoted strings.
/// Only a hint, said early: the server is what keeps a check to one statement (see
/// `checks::custom`), since a client's reading of PostgreSQL's quoting can be wrong.
pub fn is_single_statement(sql: &str) -> bool {
    let sql = sql.trim_end().trim_end_matches(';');
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b';' => return false,
            quote @ (b'\'' | b'"') => {
                // E'…' (not part of a longer word): a backslash escapes the next character.
                let escapes = quote == b'\''
                    && i > 0
                    && b[i - 1].eq_ignore_ascii_case(&b'e')
                    && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
                i += 1;
                while i < b.len() && b[i] != quote {
                    if escapes && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match sql[i + 2..].find("*/") {
                Some(end) => i += end + 3,
                None => return false,
            },
            b'$' => {
                // $tag$ … $tag$ (the tag may be empty).
                let tag_end = sql[i + 1..].find('$').map(|e| i + 1 + e);
                let tag = tag_end.map(|e| &sql[i..=e]);
                let is_tag = |t: &&str| {
                    t[1..t.len() - 1]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_')
                };
                if let Some(tag) = tag.filter(is_tag) {
                    match sql[i + tag.len()..].find(tag) {
                        Some(end) => i += tag.len() + end + tag.len() - 1,
                        None => return false,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    true
}

/// Warnings about `[[check]]` definitions that are valid but will not work as written: a sql
/// query that looks like more than one statement (the server will refuse it).
pub fn hints(checks: &[CheckDefinition]) -> Vec<String> {
    checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == CheckKind::Sql)
        .filter(|(_, c)| !c.query.as_deref().is_some_and(is_single_statement))
        .map(|(i, c)| {
            format!(
                "{}: looks like more than one statement; PostgreSQL will refuse it (a sql check runs one SELECT, read-only)",
                c.key(i, "query")
            )
        })
        .collect()
}

/// `payments.queue_depth`: at least two dotted parts of lowercase letters, digits and '_'.
pub fn is_check_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    id.len() <= 64
        && parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.starts_with(|c: char| c.is_ascii_lowercase())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Every definition, and ids unique among them.
pub fn validate_all(checks: &[CheckDefinition]) -> Result<()> {
    for (i, c) in checks.iter().enumerate() {
        c.validate(i)?;
        if checks[..i].iter().any(|earlier| earlier.id == c.id) {
            return Err(Error::config(
                c.key(i, "id"),
                format!("'{}' is declared twice", c.id),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<CheckDefinition, String> {
        let d: CheckDefinition = toml::from_str(text).map_err(|e| e.to_string())?;
        d.validate(0).map_err(|e| e.to_string())?;
        Ok(d)
    }

    const PROMQL: &str = "id = \"payments.queue_depth\"\nrunbooks = [\"performance\"]\nkind = \"promql\"\nquery = 'sum(queue_depth)'\nwarning = 100\ncritical = 1000\n";

    #[test]
    fn a_promql_definition_parses() {
        let d = parse(PROMQL).unwrap();
        assert_eq!(d.kind, CheckKind::Promql);
        assert_eq!(d.direction, Direction::Above);
        assert_eq!(d.runbooks, vec!["performance".to_string()]);
    }

    #[test]
    fn bad_definitions_name_their_key() {
        let unknown = parse(&format!("{PROMQL}quer = 'x'\n")).unwrap_err();
        assert!(unknown.contains("unknown field `quer`"), "{unknown}");
        let foreign = parse(&format!("{PROMQL}url = 'http://x'\n")).unwrap_err();
        assert_eq!(
            foreign,
            "check[0] (payments.queue_depth).url: not a key of a promql check (it takes query)"
        );
        let id = parse(&PROMQL.replace("payments.queue_depth", "Payments")).unwrap_err();
        assert!(
            id.starts_with("check[0] (Payments).id: 'Payments' is not a check id"),
            "{id}"
        );
        let levels = parse(&PROMQL.replace("critical = 1000", "critical = 10")).unwrap_err();
        assert!(
            levels.starts_with(
                "check[0] (payments.queue_depth).critical: warning (100) is above critical (10)"
            ),
            "{levels}"
        );
        let below = PROMQL.replace("critical = 1000", "critical = 10\ndirection = \"below\"");
        assert!(parse(&below).is_ok());
        let sql = PROMQL
            .replace("promql", "sql")
            .replace("query = 'sum(queue_depth)'\n", "");
        assert_eq!(
            parse(&sql).unwrap_err(),
            "check[0] (payments.queue_depth).query: a sql check needs query"
        );
        let k8s = "id = \"payments.ready\"\nrunbooks = [\"app-down\"]\nkind = \"kubernetes\"\nresource = \"Deployment\"\nwarning = 1\ncritical = 0\ndirection = \"below\"\n";
        assert!(parse(k8s)
            .unwrap_err()
            .contains("is not group/version/Kind"));
    }

    #[test]
    fn a_sql_query_is_one_statement() {
        assert!(is_single_statement(
            "SELECT count(*) FROM invoices WHERE state = 'open';"
        ));
        assert!(is_single_statement(
            "SELECT ';' AS semi, \"a;b\" FROM t -- a; comment\n"
        ));
        assert!(is_single_statement("SELECT $$;$$, $x$ ; $x$ /* ; */"));
        assert!(!is_single_statement("SELECT 1; DELETE FROM invoices"));
        assert!(!is_single_statement("COMMIT; DELETE FROM invoices;"));
        assert!(!is_single_statement("SELECT 1 /* unclosed ; "));
        assert!(!is_single_statement("SELECT $$ unclosed ; "));
        // The finding of issue 30: E'\'' is one quote inside an escaped literal.
        assert!(!is_single_statement(
            "SELECT E'\\'' ; COMMIT; DELETE FROM t; SELECT ''"
        ));
        assert!(is_single_statement("SELECT e'it\\'s; fine', 'x\\'"));
        assert!(is_single_statement("SELECT type'x;y'"));
    }

    #[test]
    fn ids_are_unique_and_dotted() {
        assert!(is_check_id("payments.queue_depth"));
        assert!(is_check_id("team.db.invariant_2"));
        assert!(!is_check_id("payments"));
        assert!(!is_check_id("payments..x"));
        assert!(!is_check_id("payments.Queue"));
        let d: CheckDefinition = toml::from_str(PROMQL).unwrap();
        let err = validate_all(&[d.clone(), d]).unwrap_err().to_string();
        assert_eq!(
            err,
            "check[1] (payments.queue_depth).id: 'payments.queue_depth' is declared twice"
        );
    }
}
