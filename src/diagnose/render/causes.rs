//! "Likely causes" under the diagnosis (the ranked suspects, and the onset they are placed
//! against), and the sparklines of the symptoms in the table.

use crate::diagnose::analysis::suspects::{Suspect, Timing};
use crate::diagnose::analysis::Onset;
use crate::diagnose::Diagnosis;
use crate::types::duration::fmt_age;

fn clock(t: jiff::Timestamp) -> String {
    t.strftime("%H:%M:%SZ").to_string()
}

/// `12m00s before onset`, `after onset`, or nothing when it cannot be placed.
fn when(s: &Suspect) -> String {
    match (s.timing, s.seconds_before_onset) {
        (Timing::Before, Some(b)) => format!("{} before onset", fmt_age(b as f64)),
        (Timing::After, Some(b)) => format!("{} after onset", fmt_age(-b as f64)),
        (_, _) => match s.at {
            Some(t) => format!("seen since {}", clock(t)),
            None => "seen now".to_string(),
        },
    }
}

/// The onset line: `onset 02:10:05Z (prometheus.error_rate)`, `at or before` when the data
/// begins already bad.
pub fn onset_line(onset: Option<&Onset>) -> String {
    match onset {
        Some(o) => format!(
            "Onset: {}{} ({})",
            if o.bounded { "" } else { "at or before " },
            clock(o.at),
            o.signal
        ),
        None => "Onset: none found (no symptom crossed its warning level in the last 6h)".into(),
    }
}

/// The section under the table: the onset, then each suspect with when, what and the next
/// command; with `explain`, every evidence line and why it ranks where it does.
pub fn text(d: &Diagnosis, explain: bool) -> String {
    let mut out = String::new();
    if d.suspects.is_empty() && d.onset.is_none() && !explain {
        return "Likely causes: no suspects (nothing with evidence)\n".into();
    }
    out.push_str(&onset_line(d.onset.as_ref()));
    out.push('\n');
    if explain {
        for note in d.onset.iter().flat_map(|o| o.notes.iter()) {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    if d.suspects.is_empty() {
        out.push_str("Likely causes: no suspects (nothing with evidence)\n");
        return out;
    }
    out.push_str("Likely causes:\n");
    for s in &d.suspects {
        let first = s
            .evidence
            .first()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}. {} ({}, {}){first}\n",
            s.rank,
            s.what,
            s.kind.name(),
            when(s),
        ));
        if explain {
            for e in s.evidence.iter().skip(1) {
                out.push_str(&format!("       {e}\n"));
            }
            out.push_str(&format!("     ranks here: {}\n", s.why.join("; ")));
        }
        out.push_str(&format!("     next: {}\n", s.next));
    }
    if !explain {
        out.push_str("  (suspected, not confirmed; --explain says why each ranks where it does)\n");
    }
    out
}

/// The same as Markdown.
pub fn markdown(d: &Diagnosis) -> String {
    let mut out = format!("\n## Likely causes\n\n{}\n\n", onset_line(d.onset.as_ref()));
    if d.suspects.is_empty() {
        out.push_str("No suspects: nothing with evidence.\n");
        return out;
    }
    for s in &d.suspects {
        out.push_str(&format!(
            "{}. **{}** ({}, {}): {}; next: `{}`\n",
            s.rank,
            s.what,
            s.kind.name(),
            when(s),
            s.evidence.join("; "),
            s.next
        ));
    }
    out.push_str("\n_Suspected, not confirmed._\n");
    out
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A series over `from`..`to` (unix seconds) as `width` block characters, each the worst
/// value of its slice, scaled from zero (or the lowest value, when negative) to the highest
/// value or `top` (the symptom's level), whichever is higher; a slice without data is a space.
pub fn sparkline(points: &[(i64, f64)], (from, to): (i64, i64), width: usize, top: f64) -> String {
    let finite: Vec<&(i64, f64)> = points.iter().filter(|p| p.1.is_finite()).collect();
    if finite.is_empty() || width == 0 {
        return String::new();
    }
    let lo = finite.iter().map(|p| p.1).fold(0.0, f64::min);
    let hi = finite.iter().map(|p| p.1).fold(top, f64::max);
    let span = (to - from).max(1) as f64;
    let mut slots: Vec<Option<f64>> = vec![None; width];
    for &&(t, v) in &finite {
        let i = (((t - from) as f64 / span) * (width - 1) as f64).round();
        let slot = &mut slots[(i.max(0.0) as usize).min(width - 1)];
        *slot = Some(slot.map_or(v, |w| w.max(v)));
    }
    slots
        .iter()
        .map(|s| match s {
            None => ' ',
            Some(_) if hi <= lo => BARS[0],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round().clamp(0.0, 7.0) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_scales_from_low_to_high_and_leaves_holes() {
        let points: Vec<(i64, f64)> = (0..8).map(|i| (i * 15, i as f64)).collect();
        assert_eq!(sparkline(&points, (0, 105), 8, 1.0), "▁▂▃▄▅▆▇█");
        // Scaled up to the level: a flat 2 under a level of 8 stays low.
        let flat: Vec<(i64, f64)> = (0..4).map(|i| (i * 15, 2.0)).collect();
        assert_eq!(sparkline(&flat, (0, 45), 4, 8.0), "▃▃▃▃");
        // Data that begins late leaves the start of the window blank.
        assert_eq!(sparkline(&flat, (-45, 45), 7, 2.0), "   ████");
        let holes = vec![(0, 1.0), (15, f64::NAN), (30, f64::NAN), (45, 2.0)];
        assert_eq!(sparkline(&holes, (0, 45), 4, 1.0), "▅  █");
        assert_eq!(sparkline(&[], (0, 45), 4, 1.0), "");
    }
}
