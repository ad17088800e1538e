//! How many requests a counter counted between two times, from its raw samples: pure, so the
//! cases a real counter has (a reset when a pod restarts, a missed scrape, a series that begins
//! or ends inside the interval) are unit tests.
//!
//! Prometheus's `increase()` extrapolates the window's average slope to its edges, which is off
//! when the rate changes at an edge (the onset is exactly where it does). Here each edge is
//! interpolated between the samples around it instead.

/// A raw sample: unix seconds (fractional) and the counter's value.
pub type Sample = (f64, f64);

/// The counter made monotonic: after a drop (a reset to zero) the value before the drop is
/// added to every later sample, as Prometheus's `rate()` reads a reset.
fn without_resets(samples: &[Sample]) -> Vec<Sample> {
    let mut offset = 0.0;
    let mut previous: Option<f64> = None;
    samples
        .iter()
        .filter(|s| s.1.is_finite())
        .map(|&(t, v)| {
            if let Some(p) = previous {
                if v < p {
                    offset += p;
                }
            }
            previous = Some(v);
            (t, v + offset)
        })
        .collect()
}

/// The monotonic counter at `t`: interpolated between the samples around it; before the first
/// sample, the first value (the series did not count yet); after the last, the last.
fn at(samples: &[Sample], t: f64) -> Option<f64> {
    let first = samples.first()?;
    let last = samples.last()?;
    if t <= first.0 {
        return Some(first.1);
    }
    if t >= last.0 {
        return Some(last.1);
    }
    let i = samples.partition_point(|s| s.0 <= t);
    let (a, b) = (samples[i - 1], samples[i]);
    Some(a.1 + (b.1 - a.1) * (t - a.0) / (b.0 - a.0))
}

/// What one counter series counted between `from` and `to`; None without a sample.
pub fn increase(samples: &[Sample], from: f64, to: f64) -> Option<f64> {
    let mono = without_resets(samples);
    Some(at(&mono, to)? - at(&mono, from)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10 per second from t=0, a sample every 15 s.
    fn steady(until: i64) -> Vec<Sample> {
        (0..=until / 15)
            .map(|i| ((i * 15) as f64, (i * 150) as f64))
            .collect()
    }

    #[test]
    fn an_interval_between_samples_is_interpolated_at_both_edges() {
        let s = steady(300);
        assert_eq!(increase(&s, 20.0, 200.0), Some(1800.0));
        assert_eq!(increase(&s, 0.0, 300.0), Some(3000.0));
    }

    #[test]
    fn a_reset_counts_what_came_after_it_too() {
        // 0, 150, 300, then the pod restarts: 50, 200.
        let s = vec![
            (0.0, 0.0),
            (15.0, 150.0),
            (30.0, 300.0),
            (45.0, 50.0),
            (60.0, 200.0),
        ];
        assert_eq!(increase(&s, 0.0, 60.0), Some(500.0));
        // Two resets.
        let s = vec![(0.0, 100.0), (15.0, 5.0), (30.0, 10.0), (45.0, 2.0)];
        assert_eq!(increase(&s, 0.0, 45.0), Some(12.0));
    }

    #[test]
    fn a_missed_scrape_is_bridged_by_the_counter_itself() {
        let mut s = steady(300);
        s.retain(|(t, _)| !(60.0..=150.0).contains(t));
        assert_eq!(increase(&s, 0.0, 300.0), Some(3000.0));
        assert_eq!(increase(&s, 45.0, 165.0), Some(1200.0));
    }

    #[test]
    fn a_series_that_begins_or_ends_inside_the_interval_counts_only_where_it_exists() {
        let s: Vec<Sample> = steady(300)
            .into_iter()
            .filter(|(t, _)| *t >= 150.0)
            .collect();
        assert_eq!(increase(&s, 0.0, 300.0), Some(1500.0));
        let s: Vec<Sample> = steady(300)
            .into_iter()
            .filter(|(t, _)| *t <= 150.0)
            .collect();
        assert_eq!(increase(&s, 100.0, 300.0), Some(500.0));
    }

    #[test]
    fn no_samples_or_only_nan_is_no_count() {
        assert_eq!(increase(&[], 0.0, 10.0), None);
        assert_eq!(increase(&[(0.0, f64::NAN)], 0.0, 10.0), None);
        assert_eq!(increase(&[(5.0, 7.0)], 0.0, 10.0), Some(0.0));
    }
}
