//! Durations as people write and read them: `5s`, `250ms`, `2m`, `1h30m`, `1.5s` (jiff's
//! "friendly" format), or a bare number of seconds; shown as `5s`, `1500ms`, `4m12s`, `2h05m`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::Duration;

/// A duration given in a flag, the environment or the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dur(pub Duration);

impl Dur {
    pub const fn secs(s: u64) -> Self {
        Dur(Duration::from_secs(s))
    }
}

/// The longest duration anything here accepts.
const MAX: Duration = Duration::from_secs(365 * 86_400);

/// Parses `5s`, `250ms`, `2m`, `1h30m`, `1.5s` (jiff's friendly format); a bare number means
/// seconds. Refused: negative, over 365 days, no unit on a compound value.
pub fn parse_duration(input: &str) -> Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration (expected e.g. 5s, 250ms, 2m)".into());
    }
    let duration = match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=MAX.as_secs_f64()).contains(&secs) => {
            Duration::from_nanos((secs * 1e9).round() as u64)
        }
        Ok(_) => return Err(out_of_range(input)),
        Err(_) => {
            let invalid =
                || format!("invalid duration '{input}' (expected e.g. 5s, 250ms, 2m, 1h30m)");
            let span: jiff::Span = s.parse().map_err(|_| invalid())?;
            // A day is 24 hours here; months and years have no fixed length and are refused.
            let exact = span
                .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
                .map_err(|_| invalid())?;
            Duration::try_from(exact).map_err(|_| out_of_range(input))?
        }
    };
    if duration > MAX {
        return Err(out_of_range(input));
    }
    Ok(duration)
}

fn out_of_range(input: &str) -> String {
    format!("duration '{input}' is out of range (0 to 365 days)")
}

impl std::str::FromStr for Dur {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_duration(s).map(Dur)
    }
}

/// In the one unit that says it exactly: `2h`, `5m`, `5s`, `1500ms`.
impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(3_600_000) && ms > 0 {
            write!(f, "{}h", ms / 3_600_000)
        } else if ms.is_multiple_of(60_000) && ms > 0 {
            write!(f, "{}m", ms / 60_000)
        } else if ms.is_multiple_of(1000) {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Seconds(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
            Raw::Seconds(n) => parse_duration(&n.to_string())
                .map(Dur)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// An age or an elapsed time, to the second: `38s`, `4m12s`, `2h05m`.
pub fn fmt_age(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_parse_in_every_written_form() {
        for (text, ms) in [
            ("5s", 5_000),
            ("250ms", 250),
            ("2m", 120_000),
            ("1h30m", 5_400_000),
            ("1.5s", 1_500),
            ("5", 5_000),
            ("0.25", 250),
            (" 10m ", 600_000),
            ("1d", 86_400_000),
            ("1m30s", 90_000),
        ] {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
        for bad in ["", "soon", "-5s", "5x", "400d", "inf", "NaN"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(fmt_age(38.2), "38s");
        assert_eq!(fmt_age(252.0), "4m12s");
        assert_eq!(fmt_age(7500.0), "2h05m");
    }

    proptest! {
        #[test]
        fn any_duration_shown_reads_back_as_itself(ms in 0u64..(365 * 86_400_000)) {
            let shown = Dur(Duration::from_millis(ms)).to_string();
            prop_assert_eq!(parse_duration(&shown), Ok(Duration::from_millis(ms)), "{}", shown);
        }

        #[test]
        fn any_text_is_a_duration_in_range_or_an_error(text in "\\PC{0,20}") {
            if let Ok(d) = parse_duration(&text) {
                prop_assert!(d <= MAX);
            }
        }
    }
}
