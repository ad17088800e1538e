//! PromQL written from values that come from outside (a namespace, service names, a team's
//! query with placeholders). Every value lands inside a double-quoted string literal through
//! [`escape_string`], and every selector the built-in checks ask is written by [`selector`], so
//! no value can end the literal and add PromQL of its own.

use std::ops::Range;

/// `value` as the inside of a PromQL double-quoted string: `\`, `"` and line breaks escaped
/// (a raw line break ends the query with "unterminated quoted string").
pub fn escape_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            _ => out.push(c),
        }
    }
    out
}

/// A regular expression (RE2, as Prometheus reads it) matching exactly one of `values`, each
/// taken literally. No value matches nothing (never the empty string, which would also match
/// series without the label).
pub fn one_of(values: &[String]) -> String {
    if values.is_empty() {
        return NOTHING.to_string();
    }
    let each: Vec<String> = values.iter().map(|v| regex::escape(v)).collect();
    each.join("|")
}

/// A regular expression no string matches.
const NOTHING: &str = r"[^\s\S]";

/// One label matcher of a selector. Label names are the families' own (constants); values come
/// from anywhere.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// `label="value"`.
    Is(&'static str, String),
    /// `label=~"a|b"`: one of the values, each literally.
    OneOf(&'static str, Vec<String>),
    /// `label=~"pattern"`: a regular expression of incidentctl's own making.
    Matches(&'static str, String),
}

impl Matcher {
    fn render(&self) -> String {
        match self {
            Matcher::Is(label, value) => format!("{label}=\"{}\"", escape_string(value)),
            Matcher::OneOf(label, values) => {
                format!("{label}=~\"{}\"", escape_string(&one_of(values)))
            }
            Matcher::Matches(label, pattern) => {
                format!("{label}=~\"{}\"", escape_string(pattern))
            }
        }
    }
}

/// `metric{a="b",c=~"d|e"}`: the one writer of the built-in queries' selectors.
pub fn selector(metric: &str, matchers: &[Matcher]) -> String {
    let each: Vec<String> = matchers.iter().map(Matcher::render).collect();
    format!("{metric}{{{}}}", each.join(","))
}

/// `query` with `{{range}}` (the impact window, where a range duration goes: `[{{range}}]`)
/// written as whole seconds: digits and `s`, nothing a value could smuggle in.
pub fn with_range(query: &str, secs: i64) -> String {
    query.replace("{{range}}", &format!("{}s", secs.max(1)))
}

/// A placeholder a team's query may hold for the app's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `{{namespace}}`: the namespace.
    Namespace,
    /// `{{service}}`: the app's services, as a regular expression (`=~`).
    Service,
    /// `{{workload}}`: the app's deployments, as a regular expression (`=~`).
    Workload,
}

impl Placeholder {
    pub const ALL: [Placeholder; 3] = [
        Placeholder::Namespace,
        Placeholder::Service,
        Placeholder::Workload,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Namespace => "namespace",
            Placeholder::Service => "service",
            Placeholder::Workload => "workload",
        }
    }
}

/// Where each placeholder of `query` is, or why the query cannot be filled safely: an unknown
/// `{{name}}`, or a placeholder outside a double-quoted string (there its value could be PromQL;
/// in a single-quoted or raw string the escaping would differ).
pub fn placeholders(query: &str) -> Result<Vec<(Range<usize>, Placeholder)>, String> {
    #[derive(PartialEq)]
    enum In {
        Code,
        Quoted(char),
    }
    let mut state = In::Code;
    let mut found = Vec::new();
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        match state {
            In::Quoted(q) if c == '\\' && q != '`' => i += 1,
            In::Quoted(q) if c == q => state = In::Code,
            In::Code if matches!(c, '"' | '\'' | '`') => state = In::Quoted(c),
            _ if bytes[i..].starts_with(b"{{") => {
                if let Some((len, name)) = placeholder_at(&query[i..]) {
                    let known = Placeholder::ALL.into_iter().find(|p| p.name() == name);
                    let Some(p) = known else {
                        let names: Vec<String> = Placeholder::ALL
                            .iter()
                            .map(|p| format!("{{{{{}}}}}", p.name()))
                            .collect();
                        return Err(format!(
                            "unknown placeholder {{{{{name}}}}}; known: {}",
                            names.join(", ")
                        ));
                    };
                    if state != In::Quoted('"') {
                        return Err(format!(
                            "{{{{{name}}}}} must be inside a double-quoted label value, e.g. namespace=\"{{{{namespace}}}}\""
                        ));
                    }
                    found.push((i..i + len, p));
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(found)
}

/// `{{name}}` at the start of `text`: its length and name (lower-case letters and `_`).
fn placeholder_at(text: &str) -> Option<(usize, &str)> {
    let rest = text.strip_prefix("{{")?;
    let end = rest.find("}}")?;
    let name = &rest[..end];
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    plain.then_some((end + 4, name))
}

/// `query` with each placeholder replaced by `value(placeholder)`, escaped for the string it
/// stands in.
pub fn fill(query: &str, value: impl Fn(Placeholder) -> String) -> Result<String, String> {
    let mut out = String::with_capacity(query.len());
    let mut last = 0;
    for (range, p) in placeholders(query)? {
        out.push_str(&query[last..range.start]);
        out.push_str(&escape_string(&value(p)));
        last = range.end;
    }
    out.push_str(&query[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_escapes_backslash_quote_and_line_breaks() {
        assert_eq!(escape_string("plain-ns"), "plain-ns");
        assert_eq!(escape_string(r#"a"b"#), r#"a\"b"#);
        assert_eq!(escape_string(r"a\b"), r"a\\b");
        assert_eq!(escape_string("a\nb\rc"), r"a\nb\rc");
        // The backslash is escaped first: `\"` in the value is `\\\"`, not a closing quote.
        assert_eq!(
            escape_string(r#"x\"} or vector(1) #"#),
            r#"x\\\"} or vector(1) #"#
        );
    }

    #[test]
    fn a_namespace_holding_a_quote_stays_inside_its_matcher() {
        let hostile = r#"prod"} or vector(1) or up{job=""#;
        let s = selector(
            "http_requests_total",
            &[Matcher::Is("namespace", hostile.into())],
        );
        assert_eq!(
            s,
            r#"http_requests_total{namespace="prod\"} or vector(1) or up{job=\""}"#
        );
        // One string literal: every quote inside it is escaped.
        let inside = &s["http_requests_total{namespace=\"".len()..s.len() - 2];
        let unescaped_quotes = inside
            .char_indices()
            .filter(|(i, c)| *c == '"' && !inside[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped_quotes, 0, "{s}");
    }

    #[test]
    fn one_of_takes_each_value_literally_and_none_matches_nothing() {
        assert_eq!(one_of(&["backend".into(), "a.b".into()]), r"backend|a\.b");
        let re = regex::Regex::new(&format!("^(?:{})$", one_of(&[]))).expect("a valid expression");
        assert!(!re.is_match(""));
        assert!(!re.is_match("backend"));
        let s = selector("m", &[Matcher::OneOf("service", vec![r#"q"\"#.into()])]);
        assert_eq!(s, r#"m{service=~"q\"\\\\"}"#);
    }

    #[test]
    fn placeholders_are_filled_escaped_inside_double_quotes_only() {
        let q = r#"sum(rate(x{namespace="{{namespace}}",service=~"{{service}}"}[5m]))"#;
        let filled = fill(q, |p| match p {
            Placeholder::Namespace => r#"we"ird"#.into(),
            Placeholder::Service => "a|b".into(),
            Placeholder::Workload => unreachable!(),
        })
        .unwrap();
        assert_eq!(
            filled,
            r#"sum(rate(x{namespace="we\"ird",service=~"a|b"}[5m]))"#
        );
        // No placeholder: the query as written.
        assert_eq!(fill("vector(1)", |_| unreachable!()).unwrap(), "vector(1)");
        // A `{{` that is not a placeholder's name is left alone.
        assert_eq!(placeholders(r#"x{a=~"b{{2,}}"}"#).unwrap(), vec![]);
    }

    #[test]
    fn a_placeholder_outside_a_double_quoted_string_or_unknown_is_refused() {
        for (query, says) in [
            (
                "x{namespace={{namespace}}}",
                "must be inside a double-quoted",
            ),
            (
                "x{namespace='{{namespace}}'}",
                "must be inside a double-quoted",
            ),
            (
                "x{namespace=`{{namespace}}`}",
                "must be inside a double-quoted",
            ),
            (
                r#"x{a="\"",b={{service}}}"#,
                "must be inside a double-quoted",
            ),
            (
                r#"x{namespace="{{namespce}}"}"#,
                "unknown placeholder {{namespce}}",
            ),
        ] {
            let err = placeholders(query).unwrap_err();
            assert!(err.contains(says), "{query}: {err}");
        }
        assert!(placeholders(r#"x{a="\\",b="{{workload}}"}"#).is_ok());
    }
}
