//! The symptoms over the incident's window: the error rate, p95 latency and every `[[check]]` of
//! kind promql, each its own query judged by its own levels, read with `query_range` — a coarse
//! pass over the whole window, then a fine one around the onset and the recovery it found.

use super::episode::{self, Coverage, Episode, Levels, Point};
use super::suspects::Symptom;
use super::Window;
use crate::checks::prometheus::request_metrics;
use crate::checks::{CheckError, Readings};
use crate::clients::prometheus::range::{range_query, Series};
use crate::settings::{CheckKind, Direction};
use crate::types::RequestQuery;
use serde::{Deserialize, Serialize};

/// The fine pass's step: finer than any scrape interval the sandbox or a cluster uses.
pub const FINE_STEP: i64 = 5;
/// Points of the coarse pass over the window, at most (a minute apart over 6 h: the fine pass
/// finds the times; this one only finds the episode, and costs diagnose little).
const COARSE_POINTS: i64 = 360;

/// A symptom's definition: what it measures, its query, its levels in its unit, and how its
/// query's values become that unit (`scale`: a 0–1 ratio is judged in %).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub signal: String,
    pub what: String,
    pub unit: String,
    pub query: String,
    pub levels: Levels,
    pub scale: f64,
    pub symptom: Symptom,
}

/// A symptom over the window, as read: its points (in its unit; only values, no NaN), what the
/// data covers, and its episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymptomSeries {
    pub signal: String,
    pub what: String,
    pub unit: String,
    pub query: String,
    pub warning: f64,
    pub critical: f64,
    pub below: bool,
    pub symptom: Symptom,
    pub step: i64,
    pub points: Vec<Point>,
    pub coverage: Coverage,
    pub episode: Option<Episode>,
    pub error: Option<String>,
}

impl SymptomSeries {
    pub fn levels(&self) -> Levels {
        Levels {
            warning: self.warning,
            critical: self.critical,
            below: self.below,
        }
    }
}

/// The symptoms the settings define: the request checks' queries (when the app's request
/// metrics are found), then each promql `[[check]]`. A request query that cannot be written is
/// returned as its error.
pub async fn definitions(r: &Readings) -> Vec<Result<Definition, (String, CheckError)>> {
    use crate::checks::prometheus::{error_rate, latency_p95};
    let settings = r.settings();
    let mut out = Vec::new();
    let requests = [
        (
            RequestQuery::ErrorRate,
            "prometheus.error_rate",
            "5xx error rate",
            "%",
            settings.thresholds.level(&error_rate::ERROR_RATE),
            100.0,
            Symptom::Errors,
        ),
        (
            RequestQuery::LatencyP95,
            "prometheus.latency_p95",
            "p95 latency",
            "s",
            settings.thresholds.level(&latency_p95::LATENCY_P95),
            1.0,
            Symptom::Latency,
        ),
    ];
    for (kind, signal, what, unit, t, scale, symptom) in requests {
        out.push(match request_metrics::asked(r, kind).await {
            Ok(asked) => Ok(Definition {
                signal: signal.into(),
                what: what.into(),
                unit: unit.into(),
                query: asked.query,
                levels: Levels {
                    warning: t.warning,
                    critical: t.critical,
                    below: false,
                },
                scale,
                symptom,
            }),
            Err(e) => Err((signal.to_string(), e)),
        });
    }
    for def in settings
        .checks
        .iter()
        .filter(|d| d.kind == CheckKind::Promql)
    {
        out.push(Ok(Definition {
            signal: def.id.clone(),
            what: if def.description.is_empty() {
                def.id.clone()
            } else {
                def.description.clone()
            },
            unit: def.unit.clone(),
            query: def.query.clone().unwrap_or_default(),
            levels: Levels {
                warning: def.warning,
                critical: def.critical,
                below: def.direction == Direction::Below,
            },
            scale: 1.0,
            symptom: Symptom::Other,
        }));
    }
    out
}

/// The coarse pass's step for a window: at most [`COARSE_POINTS`] points, a multiple of 15 s.
pub fn coarse_step(window: &Window) -> i64 {
    let span = window.secs().max(1);
    let step = (span + COARSE_POINTS - 1) / COARSE_POINTS;
    (step.max(15) + 14) / 15 * 15
}

/// The worst value at each time across the series a query answered (as the checks judge the
/// highest series), scaled to the symptom's unit; NaN where every series was.
pub fn worst(series: &[Series], scale: f64, below: bool) -> Vec<Point> {
    let mut by_time: std::collections::BTreeMap<i64, f64> = std::collections::BTreeMap::new();
    for s in series {
        for &(t, v) in &s.points {
            let v = v * scale;
            let slot = by_time.entry(t.round() as i64).or_insert(f64::NAN);
            let better = |a: f64, b: f64| if below { a < b } else { a > b };
            if slot.is_nan() || (v.is_finite() && better(v, *slot)) {
                *slot = v;
            }
        }
    }
    by_time.into_iter().collect()
}

/// Reads one symptom over `window`; `reference` chooses its episode (the detection, or now).
pub async fn read(r: &Readings, def: &Definition, window: Window, reference: i64) -> SymptomSeries {
    let step = coarse_step(&window);
    let end = window.end.as_second();
    // Counted back from the end, so the last point is the window's end: a symptom that had
    // just recovered when the window closed (the incident resolved) has its recovery in it.
    let start = end - (end - window.start.as_second()) / step * step;
    let mut out = SymptomSeries {
        signal: def.signal.clone(),
        what: def.what.clone(),
        unit: def.unit.clone(),
        query: def.query.clone(),
        warning: def.levels.warning,
        critical: def.levels.critical,
        below: def.levels.below,
        symptom: def.symptom,
        step,
        points: Vec::new(),
        coverage: Coverage::default(),
        episode: None,
        error: None,
    };
    let coarse = match range_query(&r.ctx, &def.query, start, end, step).await {
        Ok(series) => worst(&series, def.scale, def.levels.below),
        Err(e) => {
            out.error = Some(e.message);
            return out;
        }
    };
    let (finite, coverage) = episode::coverage(&coarse, step);
    out.coverage = coverage;
    out.points = finite;
    out.episode = episode::find(&coarse, def.levels, reference, step);
    if let Some(e) = out.episode.clone() {
        out.episode = Some(refine(r, def, e, step, (start, end)).await);
    }
    out
}

/// The coarse episode's onset and recovery, found again at [`FINE_STEP`] around where the
/// coarse pass put them. A fine query that fails leaves the coarse times.
async fn refine(
    r: &Readings,
    def: &Definition,
    mut e: Episode,
    step: i64,
    (start, end): (i64, i64),
) -> Episode {
    let fine = |from: i64, to: i64| async move {
        range_query(&r.ctx, &def.query, from.max(start), to.min(end), FINE_STEP)
            .await
            .map(|s| worst(&s, def.scale, def.levels.below))
    };
    // The foot (the top) is the last evaluation before the first sample that changed the
    // rate: the change came between that sample and the one before it, so the time is moved
    // back by half the samples' interval, which the fine series shows as its steps.
    let half = |points: &[Point]| {
        episode::sample_interval(points)
            .filter(|i| *i >= 2 * FINE_STEP)
            .map_or(0, |i| i / 2)
    };
    if e.onset_bounded {
        let (from, to) = (e.onset - step, e.crossed_warning_at + 2 * step);
        if let Ok(points) = fine(from, to).await {
            if let Some(f) = episode::find(&points, def.levels, to, FINE_STEP) {
                if f.onset_bounded {
                    e.onset = f.onset - half(&points);
                    e.crossed_warning_at = f.crossed_warning_at;
                }
            }
        }
    }
    if let (Some(top), Some(below)) = (e.recovery, e.below_at) {
        let (from, to) = (top - step, below + step);
        if let Ok(points) = fine(from, to).await {
            if let Some(f) = episode::find(&points, def.levels, from, FINE_STEP) {
                if let Some(r) = f.recovery {
                    e.recovery = Some(r - half(&points));
                    e.below_at = f.below_at;
                }
            }
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coarse_step_keeps_a_window_under_its_points_in_multiples_of_15s() {
        let at = |s: i64| jiff::Timestamp::from_second(s).unwrap();
        let six_hours = Window {
            start: at(0),
            end: at(6 * 3600),
        };
        assert_eq!(coarse_step(&six_hours), 60);
        let ten_minutes = Window {
            start: at(0),
            end: at(600),
        };
        assert_eq!(coarse_step(&ten_minutes), 15);
        let week = Window {
            start: at(0),
            end: at(7 * 86_400),
        };
        assert!(7 * 86_400 / coarse_step(&week) <= COARSE_POINTS);
    }

    #[test]
    fn the_worst_series_at_each_time_is_kept_and_scaled() {
        let s = |v: &[(f64, f64)]| Series {
            labels: vec![],
            points: v.to_vec(),
        };
        let points = worst(
            &[
                s(&[(0.0, 0.01), (15.0, f64::NAN)]),
                s(&[(0.0, 0.03), (15.0, 0.02)]),
            ],
            100.0,
            false,
        );
        assert_eq!(points, vec![(0, 3.0), (15, 2.0)]);
        let below = worst(&[s(&[(0.0, 1.0)]), s(&[(0.0, 3.0)])], 1.0, true);
        assert_eq!(below, vec![(0, 1.0)]);
    }
}
