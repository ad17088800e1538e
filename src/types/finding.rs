//! What a check found, or why it could not tell.

use super::failure::Cause;
use super::sign::Sign;
use super::status::{Status, Threshold};
use std::fmt;

/// What a check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub status: Status,
    pub summary: String,
    pub value: Option<f64>,
    pub unit: Option<&'static str>,
    pub threshold: Option<Threshold>,
    /// What a human needs to act: pod names, query text, alert names. Already redacted.
    pub evidence: Vec<String>,
    /// Typed facts that may explain an incident or date it (the analysis ranks suspects from
    /// these, never from the words above).
    pub signs: Vec<Sign>,
}

impl Finding {
    pub fn new(status: Status, summary: impl Into<String>) -> Self {
        Finding {
            status,
            summary: summary.into(),
            value: None,
            unit: None,
            threshold: None,
            evidence: Vec::new(),
            signs: Vec::new(),
        }
    }

    pub fn ok(summary: impl Into<String>) -> Self {
        Finding::new(Status::Ok, summary)
    }

    /// A finding whose status comes from `value` against `threshold`.
    pub fn measured(
        value: f64,
        unit: &'static str,
        threshold: Threshold,
        summary: impl Into<String>,
    ) -> Self {
        Finding {
            status: Status::of(value, threshold),
            summary: summary.into(),
            value: Some(value),
            unit: Some(unit),
            threshold: Some(threshold),
            evidence: Vec::new(),
            signs: Vec::new(),
        }
    }

    pub fn value(mut self, value: f64, unit: &'static str) -> Self {
        self.value = Some(value);
        self.unit = Some(unit);
        self
    }

    pub fn evidence(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.evidence.extend(lines);
        self
    }

    pub fn signs(mut self, signs: impl IntoIterator<Item = Sign>) -> Self {
        self.signs.extend(signs);
        self
    }

    /// Raises the status to at least `status`.
    pub fn at_least(mut self, status: Status) -> Self {
        self.status = self.status.max(status);
        self
    }
}

/// Why a check could not tell: the check becomes `unknown`, with the cause and a hint.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    pub message: String,
    pub hint: Option<String>,
    /// What became of the request, when a server was asked (read from the typed error).
    pub cause: Option<Cause>,
}

impl CheckError {
    pub fn new(message: impl Into<String>) -> Self {
        CheckError {
            message: message.into(),
            hint: None,
            cause: None,
        }
    }

    /// A server's failure, with what became of the request.
    pub fn remote(cause: Cause, message: impl Into<String>) -> Self {
        CheckError {
            message: message.into(),
            hint: None,
            cause: Some(cause),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Formats a number for people: no trailing zeros, at most `decimals` places.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(fmt_num(3.25, 2), "3.25");
        assert_eq!(fmt_num(7.0, 2), "7");
    }
}
