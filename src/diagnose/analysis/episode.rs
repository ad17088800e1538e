//! When a symptom went bad and came back, from its series over the incident's window: pure, so
//! every case of a real series (gaps, NaN, no data, data that begins late) is a unit test.
//!
//! A symptom's query (`rate(…[5m])`) smooths a change over its window: the level crossing says
//! *that* the symptom went bad, the start of the slope that crossed it says *when* its cause took
//! effect. So the onset is the foot of the rise that crossed the warning level, and the recovery
//! the top of the fall that took it back below; the raw crossings are kept beside them.

use serde::{Deserialize, Serialize};

/// A symptom's levels, in the unit of its points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    pub warning: f64,
    pub critical: f64,
    /// A value is bad above the levels (an error rate) or below them (ready replicas).
    pub below: bool,
}

impl Levels {
    /// Strictly past a level, compared at 6 decimal places as the checks compare.
    fn past(&self, value: f64, level: f64) -> bool {
        let v = (value * 1e6).round() / 1e6;
        if self.below {
            v < level
        } else {
            v > level
        }
    }

    /// `a` is worse than `b` in this symptom's direction.
    fn worse(&self, a: f64, b: f64) -> bool {
        if self.below {
            a < b
        } else {
            a > b
        }
    }
}

/// One evaluation of a symptom's query: unix seconds and the value (NaN: no traffic).
pub type Point = (i64, f64);

/// What the series covers: where its data begins and ends, and its holes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Stretches longer than two steps without a value: `(last before, first after)`.
    pub gaps: Vec<(i64, i64)>,
    /// Evaluations that were NaN (0/0: no requests), counted as no data.
    pub nan: usize,
}

/// The symptom's bad stretch that the incident is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// The foot of the rise that crossed the warning level: when it started.
    pub onset: i64,
    /// False when the series was already bad at its first value: it started then or earlier.
    pub onset_bounded: bool,
    pub crossed_warning_at: i64,
    pub crossed_critical_at: Option<i64>,
    /// The worst value and when.
    pub peak: Point,
    /// The top of the fall that brought it back below the warning level (None: still bad).
    pub recovery: Option<i64>,
    /// The first value back below the warning level.
    pub below_at: Option<i64>,
    /// Earlier bad stretches of the window, not part of this one.
    pub earlier: usize,
}

/// Bad stretches closer than this are one episode (a symptom flapping around its level).
pub const MERGE_SECS: i64 = 300;

/// The finite points and what the series covers, `step` apart when nothing is missing.
pub fn coverage(points: &[Point], step: i64) -> (Vec<Point>, Coverage) {
    let finite: Vec<Point> = points.iter().copied().filter(|p| p.1.is_finite()).collect();
    let gaps = finite
        .windows(2)
        .filter(|w| w[1].0 - w[0].0 > 2 * step)
        .map(|w| (w[0].0, w[1].0))
        .collect();
    let cov = Coverage {
        first: finite.first().map(|p| p.0),
        last: finite.last().map(|p| p.0),
        gaps,
        nan: points.iter().filter(|p| p.1.is_nan()).count(),
    };
    (finite, cov)
}

/// How close two values must be to be the same level: float noise, signed the way `levels`
/// judge (added to a value makes it worse).
fn tolerance(v: f64, levels: &Levels) -> f64 {
    let t = 1e-9 * v.abs().max(1.0);
    if levels.below {
        -t
    } else {
        t
    }
}

/// The bad stretches of `pts` as index ranges (inclusive), merged when closer than
/// [`MERGE_SECS`]. A hole in the data never ends a stretch: only a good value does.
fn stretches(pts: &[Point], levels: &Levels) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (i, p) in pts.iter().enumerate() {
        let bad = levels.past(p.1, levels.warning);
        match (bad, open) {
            (true, None) => open = Some(i),
            (false, Some(start)) => {
                out.push((start, i - 1));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push((start, pts.len() - 1));
    }
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for s in out {
        match merged.last_mut() {
            Some(last) if pts[s.0].0 - pts[last.1].0 < MERGE_SECS => last.1 = s.1,
            _ => merged.push(s),
        }
    }
    merged
}

/// The episode of `points` the incident is about: the last bad stretch that began at or before
/// `reference` (the detection, or the window's end), else the first after it. `step` is the
/// query's step: points further apart are a gap, which the onset is never walked across.
pub fn find(points: &[Point], levels: Levels, reference: i64, step: i64) -> Option<Episode> {
    let (pts, _) = coverage(points, step);
    let all = stretches(&pts, &levels);
    let chosen = all
        .iter()
        .rposition(|s| pts[s.0].0 <= reference)
        .or_else(|| (!all.is_empty()).then_some(0))?;
    let (first, last) = all[chosen];
    let adjacent = |i: usize| pts[i].0 - pts[i - 1].0 <= 2 * step;
    // The foot of the rise: back from the crossing while the values do not rise (a rate over
    // samples 15 s apart climbs in steps), then the latest point at the lowest of them.
    let onset_bounded = first > 0 && adjacent(first);
    let mut start = first;
    while start > 0 && adjacent(start) && !levels.worse(pts[start - 1].1, pts[start].1) {
        start -= 1;
    }
    let foot = (start..=first)
        .rev()
        .find(|&i| !levels.worse(pts[i].1, pts[start].1 + tolerance(pts[start].1, &levels)))
        .unwrap_or(start);
    let peak = pts[first..=last].iter().copied().fold(pts[first], |w, p| {
        if levels.worse(p.1, w.1) {
            p
        } else {
            w
        }
    });
    let crossed_critical_at = pts[first..=last]
        .iter()
        .find(|p| levels.past(p.1, levels.critical))
        .map(|p| p.0);
    let below_at = pts.get(last + 1).map(|p| p.0);
    // The top of the fall: back from the last bad value while the values do not fall, then
    // the latest point at the highest of them.
    let recovery = below_at.map(|_| {
        let mut start = last;
        while start > first && adjacent(start) && !levels.worse(pts[start].1, pts[start - 1].1) {
            start -= 1;
        }
        let top = (start..=last)
            .rev()
            .find(|&i| !levels.worse(pts[start].1 - tolerance(pts[start].1, &levels), pts[i].1))
            .unwrap_or(start);
        pts[top].0
    });
    Some(Episode {
        onset: if onset_bounded {
            pts[foot].0
        } else {
            pts[first].0
        },
        onset_bounded,
        crossed_warning_at: pts[first].0,
        crossed_critical_at,
        peak,
        recovery,
        below_at,
        earlier: chosen,
    })
}

/// The spacing of the samples under a rate evaluated more often than they come: a rate steps
/// once per new sample, so the median time between the value's changes is the scrape
/// interval. None with fewer than three changes.
pub fn sample_interval(points: &[Point]) -> Option<i64> {
    let changes: Vec<i64> = points
        .windows(2)
        .filter(|w| w[0].1.is_finite() && w[1].1.is_finite())
        .filter(|w| (w[1].1 - w[0].1).abs() > 1e-9 * w[0].1.abs().max(1.0))
        .map(|w| w[1].0)
        .collect();
    let mut gaps: Vec<i64> = changes.windows(2).map(|c| c[1] - c[0]).collect();
    if gaps.len() < 2 {
        return None;
    }
    gaps.sort_unstable();
    Some(gaps[gaps.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABOVE: Levels = Levels {
        warning: 1.0,
        critical: 5.0,
        below: false,
    };

    /// Points every 15 s from t=0.
    fn series(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 * 15, *v))
            .collect()
    }

    #[test]
    fn onset_is_the_foot_of_the_rise_and_recovery_the_top_of_the_fall() {
        // 0.5 % until t=45, smoothed rise to 8 %, plateau, smoothed fall back to 0.5 %.
        let s = series(&[
            0.5, 0.5, 0.5, 0.5, 0.9, 2.0, 4.0, 6.0, 8.0, 8.0, 8.0, 6.0, 3.0, 1.5, 0.8, 0.5,
        ]);
        let e = find(&s, ABOVE, 1000, 15).unwrap();
        assert_eq!(e.onset, 45, "the last 0.5 before the rise");
        assert!(e.onset_bounded);
        assert_eq!(e.crossed_warning_at, 75);
        assert_eq!(e.crossed_critical_at, Some(105));
        assert_eq!(e.peak, (120, 8.0));
        assert_eq!(e.recovery, Some(150), "the last 8.0 before the fall");
        assert_eq!(e.below_at, Some(210));
        assert_eq!(e.earlier, 0);
    }

    #[test]
    fn a_rise_in_steps_is_walked_back_to_its_foot() {
        // A 5 s evaluation of a rate over samples 15 s apart: each step holds three points.
        let s = series(&[
            0.5, 0.5, 0.5, 0.9, 0.9, 0.9, 1.3, 1.3, 1.3, 1.7, 1.7, 1.3, 0.9, 0.9, 0.5,
        ]);
        let e = find(&s, ABOVE, 1000, 15).unwrap();
        assert_eq!(e.onset, 30, "the last 0.5 before the steps");
        assert_eq!(e.crossed_warning_at, 90);
        assert_eq!(e.recovery, Some(150), "the last 1.7 before the fall");
        assert_eq!(e.below_at, Some(180));
    }

    #[test]
    fn the_sample_interval_is_how_often_a_rate_steps() {
        // Evaluated every 5 s, sampled every 15 s: a step every third point.
        let s: Vec<Point> = (0..12).map(|i| (i * 5, (i / 3) as f64)).collect();
        assert_eq!(sample_interval(&s), Some(15));
        // Evaluated as often as sampled: every point a step.
        let s: Vec<Point> = (0..6).map(|i| (i * 15, i as f64)).collect();
        assert_eq!(sample_interval(&s), Some(15));
        assert_eq!(sample_interval(&series(&[1.0, 1.0, 1.0])), None);
    }

    #[test]
    fn a_value_exactly_at_the_level_does_not_reach_it() {
        let s = series(&[0.5, 1.0, 1.0, 0.5]);
        assert_eq!(find(&s, ABOVE, 1000, 15), None);
        let s = series(&[0.5, 1.0000001, 0.5]);
        assert_eq!(find(&s, ABOVE, 1000, 15), None, "6 decimal places");
    }

    #[test]
    fn bad_from_the_first_value_is_an_onset_at_or_before_the_data() {
        let s = series(&[7.0, 7.0, 7.0]);
        let e = find(&s, ABOVE, 1000, 15).unwrap();
        assert_eq!(e.onset, 0);
        assert!(!e.onset_bounded);
        assert_eq!(e.recovery, None, "still bad: no recovery");
        assert_eq!(e.below_at, None);
    }

    #[test]
    fn no_data_and_only_nan_have_no_episode() {
        assert_eq!(find(&[], ABOVE, 1000, 15), None);
        let s = series(&[f64::NAN, f64::NAN]);
        assert_eq!(find(&s, ABOVE, 1000, 15), None);
        let (_, cov) = coverage(&s, 15);
        assert_eq!(cov.nan, 2);
        assert_eq!(cov.first, None);
    }

    #[test]
    fn nan_is_a_hole_that_neither_starts_nor_ends_an_episode() {
        let s = series(&[0.5, 0.5, 3.0, f64::NAN, 3.0, 0.5]);
        let e = find(&s, ABOVE, 1000, 15).unwrap();
        assert_eq!(e.crossed_warning_at, 30);
        assert_eq!(e.below_at, Some(75));
        let (_, cov) = coverage(&s, 15);
        assert_eq!((cov.nan, cov.gaps.clone()), (1, vec![]), "one step missing");
    }

    #[test]
    fn the_onset_is_not_walked_back_across_a_gap() {
        // Data missing between 30 and 300: the rise may have begun anywhere in it.
        let s = vec![(0, 0.5), (15, 0.5), (30, 0.6), (300, 3.0), (315, 6.0)];
        let e = find(&s, ABOVE, 1000, 15).unwrap();
        assert_eq!(e.crossed_warning_at, 300);
        assert!(!e.onset_bounded, "the last value before the gap was fine");
        assert_eq!(e.onset, 300);
        let (_, cov) = coverage(&s, 15);
        assert_eq!(cov.gaps, vec![(30, 300)]);
    }

    #[test]
    fn data_that_begins_late_is_said_by_the_coverage() {
        // A window from t=0; Prometheus keeps data only from t=3600.
        let s: Vec<Point> = (240..250).map(|i| (i * 15, 0.5)).collect();
        let (_, cov) = coverage(&s, 15);
        assert_eq!(cov.first, Some(3600));
        assert_eq!(find(&s, ABOVE, 10_000, 15), None);
    }

    #[test]
    fn stretches_closer_than_five_minutes_are_one_episode_and_older_ones_are_counted() {
        let mut values = vec![0.5; 100];
        values[5] = 2.0; // a blip, 20 minutes before the incident
        for v in &mut values[85..90] {
            *v = 6.0;
        }
        values[92] = 3.0; // flapping: 45 s after, the same episode
        let s = series(&values);
        let e = find(&s, ABOVE, 99 * 15, 15).unwrap();
        assert_eq!(e.crossed_warning_at, 85 * 15);
        assert_eq!(e.earlier, 1);
        assert_eq!(e.below_at, Some(93 * 15));
    }

    #[test]
    fn the_episode_at_the_reference_time_is_chosen() {
        let mut values = vec![0.5; 60];
        for v in &mut values[10..15] {
            *v = 3.0;
        }
        for v in &mut values[50..55] {
            *v = 3.0;
        }
        let s = series(&values);
        // Detected at t=20 steps: the first episode; at the end: the second.
        assert_eq!(
            find(&s, ABOVE, 20 * 15, 15).unwrap().crossed_warning_at,
            150
        );
        assert_eq!(
            find(&s, ABOVE, 59 * 15, 15).unwrap().crossed_warning_at,
            750
        );
        // Detected before both: the first one after.
        assert_eq!(find(&s, ABOVE, 0, 15).unwrap().crossed_warning_at, 150);
    }

    #[test]
    fn a_symptom_bad_below_its_levels_is_judged_downwards() {
        let below = Levels {
            warning: 2.0,
            critical: 1.0,
            below: true,
        };
        let s = series(&[3.0, 3.0, 1.5, 0.0, 0.0, 2.5, 3.0]);
        let e = find(&s, below, 1000, 15).unwrap();
        assert_eq!(e.onset, 15);
        assert_eq!(e.crossed_warning_at, 30);
        assert_eq!(e.crossed_critical_at, Some(45));
        assert_eq!(e.peak, (45, 0.0));
        assert_eq!(e.recovery, Some(60));
        assert_eq!(e.below_at, Some(75));
    }
}
