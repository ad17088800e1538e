//! The seed's `df -h` step, read from node metrics through Prometheus (Performance): how full
//! each filesystem is, the fullest first.

use crate::checks::{fmt_num, CheckError, CheckOutcome, Finding, Level, Readings};
use crate::clients::prometheus::{instant_query, Sample};
use crate::settings::Settings;

pub const DISK: Level = Level::new("disk", 80.0, 90.0, "% used of the fullest filesystem");
pub const LEVELS: &[&Level] = &[&DISK];

/// Filesystems shown as evidence: the fullest ones are what needs attention.
const MAX_SHOWN: usize = 10;

/// The query asked (prometheus.disk_usage_query, a 0–1 ratio per filesystem) and the series
/// Prometheus answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub query: String,
    pub samples: Vec<Sample>,
}

pub async fn read(r: &Readings) -> Result<Snapshot, CheckError> {
    let query = r.settings().prometheus.disk_usage_query.clone();
    let samples = instant_query(&r.ctx, &query).await?;
    Ok(Snapshot { query, samples })
}

/// The fullest filesystem against the disk level; the evidence lists the fullest ones.
pub fn assess(s: &Snapshot, settings: &Settings) -> CheckOutcome {
    // NaN (a filesystem of size 0) and infinities say nothing about how full a disk is.
    let mut filesystems: Vec<&Sample> =
        s.samples.iter().filter(|fs| fs.value.is_finite()).collect();
    // Stable: filesystems equally full stay in the order Prometheus gave them.
    filesystems.sort_by(|a, b| b.value.total_cmp(&a.value));
    let Some(fullest) = filesystems.first() else {
        return Err(
            CheckError::new("no data: the disk usage query returned no series")
                .hint("is node_exporter scraped? Adjust prometheus.disk_usage_query"),
        );
    };
    let evidence = filesystems
        .iter()
        .take(MAX_SHOWN)
        .map(|fs| format!("{}: {}% used", name(fs), fmt_num(fs.value * 100.0, 1)));
    Ok(Finding::measured(
        fullest.value * 100.0,
        "%",
        settings.thresholds.level(&DISK),
        format!(
            "fullest filesystem {}% used ({}), {} filesystem(s)",
            fmt_num(fullest.value * 100.0, 1),
            name(fullest),
            filesystems.len()
        ),
    )
    .evidence(evidence))
}

/// "instance mountpoint", with `?` for a label the series lacks.
fn name(s: &Sample) -> String {
    format!(
        "{} {}",
        s.label("instance").unwrap_or("?"),
        s.label("mountpoint").unwrap_or("?")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{default_settings, Status, Threshold};
    use crate::clients::prometheus::sample;

    fn filesystem(instance: &str, mountpoint: &str, ratio: f64) -> Sample {
        sample(&[("instance", instance), ("mountpoint", mountpoint)], ratio)
    }

    fn snapshot(samples: Vec<Sample>) -> Snapshot {
        Snapshot {
            query: "1 - node_filesystem_avail_bytes / node_filesystem_size_bytes".into(),
            samples,
        }
    }

    fn status_at(ratio: f64) -> Status {
        let s = snapshot(vec![filesystem("node-1:9100", "/", ratio)]);
        assess(&s, &default_settings()).unwrap().status
    }

    #[test]
    fn roomy_filesystems_are_ok_fullest_first() {
        let s = snapshot(vec![
            filesystem("node-1:9100", "/", 0.25),
            filesystem("node-2:9100", "/var", 0.625),
            filesystem("node-3:9100", "/data", f64::NAN),
        ]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "fullest filesystem 62.5% used (node-2:9100 /var), 2 filesystem(s)"
        );
        assert_eq!(f.value, Some(62.5));
        assert_eq!(f.unit, Some("%"));
        assert_eq!(f.threshold, Some(Threshold::new(80.0, 90.0)));
        assert_eq!(
            f.evidence,
            vec!["node-2:9100 /var: 62.5% used", "node-1:9100 /: 25% used"]
        );
    }

    #[test]
    fn the_levels_are_strictly_above_eighty_and_ninety_percent() {
        assert_eq!(status_at(0.8), Status::Ok);
        assert_eq!(status_at(0.801), Status::Warning);
        assert_eq!(status_at(0.9), Status::Warning);
        assert_eq!(status_at(0.901), Status::Critical);
    }

    #[test]
    fn a_full_disk_is_critical_and_missing_labels_read_as_question_marks() {
        let s = snapshot(vec![
            filesystem("node-1:9100", "/", 0.5),
            sample(&[], 0.96875),
        ]);
        let f = assess(&s, &default_settings()).unwrap();
        assert_eq!(f.status, Status::Critical);
        assert_eq!(
            f.summary,
            "fullest filesystem 96.9% used (? ?), 2 filesystem(s)"
        );
        assert_eq!(f.evidence[0], "? ?: 96.9% used");
    }

    #[test]
    fn only_the_ten_fullest_are_shown_but_all_are_counted() {
        let samples = (0_u32..12)
            .map(|i| filesystem(&format!("node-{i}:9100"), "/", f64::from(i) / 100.0))
            .collect();
        let f = assess(&snapshot(samples), &default_settings()).unwrap();
        assert_eq!(f.evidence.len(), 10);
        assert_eq!(f.evidence[0], "node-11:9100 /: 11% used");
        assert!(f.summary.ends_with(", 12 filesystem(s)"), "{}", f.summary);
    }

    #[test]
    fn no_series_is_no_data() {
        let err = assess(&snapshot(vec![]), &default_settings()).unwrap_err();
        assert_eq!(
            err.message,
            "no data: the disk usage query returned no series"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("is node_exporter scraped? Adjust prometheus.disk_usage_query")
        );
    }

    #[test]
    fn a_configured_level_changes_the_verdict() {
        let mut settings = default_settings();
        settings
            .thresholds
            .0
            .insert("disk".into(), Threshold::new(50.0, 60.0));
        let s = snapshot(vec![filesystem("node-1:9100", "/", 0.55)]);
        assert_eq!(assess(&s, &settings).unwrap().status, Status::Warning);
    }
}
