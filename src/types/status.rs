//! A check's status, and the levels a measured value is judged against.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Unknown,
    Warning,
    Critical,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Unknown => "unknown",
            Status::Warning => "warning",
            Status::Critical => "critical",
        }
    }

    /// Warning or critical: something is wrong (unknown means we could not tell).
    pub fn is_problem(self) -> bool {
        matches!(self, Status::Warning | Status::Critical)
    }

    /// Classifies a measured value: strictly past a level (above it, or below it for a
    /// threshold whose direction is Below) reaches it. Values are compared rounded to 6
    /// decimal places so that float noise (0.01 * 100) never tips a boundary.
    pub fn of(value: f64, threshold: Threshold) -> Status {
        let v = (value * 1e6).round() / 1e6;
        let past = |level: f64| match threshold.direction {
            Direction::Above => v > level,
            Direction::Below => v < level,
        };
        if past(threshold.critical) {
            Status::Critical
        } else if past(threshold.warning) {
            Status::Warning
        } else {
            Status::Ok
        }
    }

    /// critical > unknown > warning > ok: unknown means "could not rule out a problem".
    pub fn overall(statuses: impl IntoIterator<Item = Status>) -> Status {
        let seen: Vec<Status> = statuses.into_iter().collect();
        let has = |s: Status| seen.contains(&s);
        if has(Status::Critical) {
            Status::Critical
        } else if has(Status::Unknown) {
            Status::Unknown
        } else if has(Status::Warning) {
            Status::Warning
        } else {
            Status::Ok
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A warning and a critical level; a value strictly above a level reaches it (strictly
/// below, for a threshold whose direction is Below).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub warning: f64,
    pub critical: f64,
    /// Every built-in level is Above; a `[[check]]` may be Below (a ready-replica count).
    #[serde(skip)]
    pub direction: Direction,
}

impl Threshold {
    pub const fn new(warning: f64, critical: f64) -> Self {
        Threshold {
            warning,
            critical,
            direction: Direction::Above,
        }
    }

    /// Levels a value reaches by falling strictly below them.
    pub const fn below(warning: f64, critical: f64) -> Self {
        Threshold {
            warning,
            critical,
            direction: Direction::Below,
        }
    }
}

/// Whether a value is bad when high (a queue depth) or when low (ready replicas).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Above,
    Below,
}

impl Direction {
    pub fn is_above(&self) -> bool {
        *self == Direction::Above
    }

    /// The comparison a level is reached by: `>` or `<`.
    pub fn sign(self) -> &'static str {
        match self {
            Direction::Above => ">",
            Direction::Below => "<",
        }
    }
}

/// A threshold a check judges by: its key under `[thresholds]` in the config file, its
/// default (the seed's alert thresholds, or incidentctl's own where the seed is silent) and
/// what the number measures. Each check declares the levels it uses, so a new check brings
/// its own threshold without touching the settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub key: &'static str,
    pub default: Threshold,
    pub measures: &'static str,
}

impl Level {
    pub const fn new(
        key: &'static str,
        warning: f64,
        critical: f64,
        measures: &'static str,
    ) -> Self {
        Level {
            key,
            default: Threshold::new(warning, critical),
            measures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_strictly_above() {
        let t = Threshold::new(1.0, 5.0);
        assert_eq!(Status::of(1.0, t), Status::Ok);
        assert_eq!(Status::of(1.0001, t), Status::Warning);
        assert_eq!(Status::of(5.0, t), Status::Warning);
        assert_eq!(Status::of(5.01, t), Status::Critical);
        let low = Threshold::below(4.0, 1.0);
        assert_eq!(Status::of(4.0, low), Status::Ok);
        assert_eq!(Status::of(3.0, low), Status::Warning);
        assert_eq!(Status::of(1.0, low), Status::Warning);
        assert_eq!(Status::of(0.0, low), Status::Critical);
        // 0.01 and 0.05 as ratios, scaled to percent, land exactly on the levels.
        assert_eq!(Status::of(0.01 * 100.0, t), Status::Ok);
        assert_eq!(Status::of(0.05 * 100.0, t), Status::Warning);
        assert_eq!(Status::of(0.07 * 100.0, t), Status::Critical);
    }

    #[test]
    fn unknown_outranks_warning_but_not_critical() {
        use Status::*;
        assert_eq!(Status::overall([Ok, Warning, Unknown]), Unknown);
        assert_eq!(Status::overall([Unknown, Critical]), Critical);
        assert_eq!(Status::overall([]), Ok);
    }
}
