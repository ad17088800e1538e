//! Outputs for machines that are not scripts reading JSON: JUnit XML for CI test reports,
//! Prometheus text exposition for node_exporter's textfile collector or a Pushgateway, and the
//! Nagios plugin line with perfdata.

use crate::checks::CheckResult;
use crate::diagnose::Diagnosis;
use crate::types::finding::fmt_num;
use crate::types::output::FailOn;
use crate::types::Status;

fn xml(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            other => other.to_string(),
        })
        .collect()
}

/// Whether a status fails the gate at `level` (unknown always does: it could not be ruled out).
pub fn fails(status: Status, level: FailOn) -> bool {
    match status {
        Status::Ok => false,
        Status::Unknown | Status::Critical => true,
        Status::Warning => level == FailOn::Warning,
    }
}

fn runbooks(r: &CheckResult) -> String {
    r.runbooks.join(",")
}

/// A diagnosis and the kube context it was made in (None: the only one).
pub type Run<'a> = (Option<&'a str>, &'a Diagnosis);

fn counts(d: &Diagnosis, level: FailOn) -> (usize, usize) {
    let failures = d
        .checks
        .iter()
        .filter(|c| c.status != Status::Unknown && fails(c.status, level))
        .count();
    let errors = d
        .checks
        .iter()
        .filter(|c| c.status == Status::Unknown)
        .count();
    (failures, errors)
}

/// One testsuite per cluster, one testcase per check. Failing statuses (per `level`) are
/// `<failure>`, checks that could not run are `<error>`.
pub fn junit(runs: &[Run], level: FailOn) -> String {
    let tests: usize = runs.iter().map(|(_, d)| d.checks.len()).sum();
    let (failures, errors) = runs
        .iter()
        .map(|(_, d)| counts(d, level))
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let secs = runs
        .iter()
        .map(|(_, d)| d.summary.duration_ms)
        .max()
        .unwrap_or(0) as f64
        / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"incidentctl diagnose\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{secs:.3}\">\n"
    ));
    for (context, d) in runs {
        out.push_str(&suite(*context, d, level));
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(context: Option<&str>, d: &Diagnosis, level: FailOn) -> String {
    let (failures, errors) = counts(d, level);
    let secs = d.summary.duration_ms as f64 / 1000.0;
    let name = match context {
        Some(c) => format!("incidentctl.diagnose.{c}.{}", d.namespace),
        None => format!("incidentctl.diagnose.{}", d.namespace),
    };
    let mut out = format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{secs:.3}\">\n",
        xml(&name),
        d.checks.len()
    );
    for c in &d.checks {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">\n",
            xml(&runbooks(c)),
            xml(c.id),
            c.duration_ms as f64 / 1000.0
        ));
        let body = c
            .evidence
            .iter()
            .chain(c.hint.iter())
            .map(|e| xml(e))
            .collect::<Vec<_>>()
            .join("\n");
        if c.status == Status::Unknown {
            out.push_str(&format!(
                "      <error message=\"{}\" type=\"unknown\">{body}</error>\n",
                xml(&c.summary)
            ));
        } else if fails(c.status, level) {
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{body}</failure>\n",
                xml(&c.summary),
                c.status
            ));
        } else {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&format!("{}: {}", c.status, c.summary))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    out
}

fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn status_number(s: Status) -> u8 {
    match s {
        Status::Ok => 0,
        Status::Warning => 1,
        Status::Critical => 2,
        Status::Unknown => 3,
    }
}

/// Prometheus text exposition format (0.0.4); a `context` label when several clusters ran.
pub fn prometheus(runs: &[Run], now_secs: i64) -> String {
    let labels = |context: Option<&str>, d: &Diagnosis| match context {
        Some(c) => format!(
            "context=\"{}\",namespace=\"{}\"",
            label(c),
            label(&d.namespace)
        ),
        None => format!("namespace=\"{}\"", label(&d.namespace)),
    };
    let mut out = String::new();
    let mut family = |name: &str, help: &str, rows: Vec<String>| {
        out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n"));
        for r in rows {
            out.push_str(&format!("{name}{r}\n"));
        }
    };
    let per_check = |f: &dyn Fn(&str, &CheckResult) -> Option<String>| -> Vec<String> {
        runs.iter()
            .flat_map(|(c, d)| {
                let l = labels(*c, d);
                d.checks.iter().filter_map(move |check| f(&l, check))
            })
            .collect()
    };
    family(
        "incidentctl_check_status",
        "Status of a diagnose check: 0 ok, 1 warning, 2 critical, 3 unknown.",
        per_check(&|l, c| {
            Some(format!(
                "{{{l},check=\"{}\",runbooks=\"{}\"}} {}",
                c.id,
                label(&runbooks(c)),
                status_number(c.status)
            ))
        }),
    );
    family(
        "incidentctl_check_value",
        "The value a diagnose check measured, in the unit of its unit label.",
        per_check(&|l, c| {
            let v = c.value.filter(|v| v.is_finite())?;
            Some(format!(
                "{{{l},check=\"{}\",unit=\"{}\"}} {v}",
                c.id,
                label(c.unit.unwrap_or(""))
            ))
        }),
    );
    family(
        "incidentctl_check_duration_seconds",
        "How long a diagnose check took.",
        per_check(&|l, c| {
            Some(format!(
                "{{{l},check=\"{}\"}} {}",
                c.id,
                c.duration_ms as f64 / 1000.0
            ))
        }),
    );
    type Summary = fn(&Diagnosis, i64) -> f64;
    let summaries: [(&str, &str, Summary); 4] = [
        (
            "incidentctl_diagnose_status",
            "Overall diagnose status: 0 ok, 1 warning, 2 critical, 3 unknown.",
            |d, _| f64::from(status_number(d.summary.overall)),
        ),
        (
            "incidentctl_diagnose_severity",
            "Suggested severity: 1-4 for SEV1-SEV4, 0 for no incident.",
            |d, _| {
                f64::from(
                    d.summary
                        .assessment
                        .severity
                        .map(|s| s as u8 + 1)
                        .unwrap_or(0),
                )
            },
        ),
        (
            "incidentctl_diagnose_duration_seconds",
            "Wall time of the diagnose run.",
            |d, _| d.summary.duration_ms as f64 / 1000.0,
        ),
        (
            "incidentctl_diagnose_last_run_timestamp_seconds",
            "When diagnose last ran (Unix time).",
            |_, now| now as f64,
        ),
    ];
    for (name, help, value) in summaries {
        let rows = runs
            .iter()
            .map(|(c, d)| format!("{{{}}} {}", labels(*c, d), value(d, now_secs)))
            .collect();
        family(name, help, rows);
    }
    out
}

/// `INCIDENTCTL CRITICAL - <summary> | 'check'=value[UOM];warn;crit ...` (Nagios plugin
/// guidelines: one line, perfdata after the pipe).
pub fn nagios(runs: &[Run]) -> String {
    if let [(None, d)] = runs {
        return nagios_one(d, "");
    }
    // Several clusters: the worst status leads, each cluster's line is joined, perfdata labels
    // carry the context.
    let worst = runs
        .iter()
        .map(|(_, d)| d.summary.overall)
        .max_by_key(|s| match s {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Unknown => 2,
            Status::Critical => 3,
        });
    let word = match worst.unwrap_or(Status::Ok) {
        Status::Ok => "OK",
        Status::Warning => "WARNING",
        Status::Critical => "CRITICAL",
        Status::Unknown => "UNKNOWN",
    };
    let mut texts = Vec::new();
    let mut perfs = Vec::new();
    for (c, d) in runs {
        let prefix = c.map(|c| format!("{c}/")).unwrap_or_default();
        let line = nagios_one(d, &prefix);
        let (text, perf) = line
            .trim_end()
            .split_once(" | ")
            .unwrap_or((line.trim_end(), ""));
        texts.push(format!(
            "{}: {}",
            c.unwrap_or("-"),
            text.split_once(" - ").map(|x| x.1).unwrap_or(text)
        ));
        if !perf.is_empty() {
            perfs.push(perf.to_string());
        }
    }
    format!(
        "INCIDENTCTL {word} - {} | {}\n",
        texts.join("; "),
        perfs.join(" ")
    )
}

fn nagios_one(d: &Diagnosis, prefix: &str) -> String {
    let s = &d.summary;
    let word = match s.overall {
        Status::Ok => "OK",
        Status::Warning => "WARNING",
        Status::Critical => "CRITICAL",
        Status::Unknown => "UNKNOWN",
    };
    let worst: Vec<String> = d
        .checks
        .iter()
        .filter(|c| c.status == s.overall && c.status != Status::Ok)
        .map(|c| format!("{}: {}", c.id, c.summary.replace('|', "/")))
        .take(5)
        .collect();
    let mut line = format!(
        "INCIDENTCTL {word} - {} critical, {} warning, {} unknown, {} ok",
        s.critical, s.warning, s.unknown, s.ok
    );
    if let Some(sev) = s.assessment.severity {
        line.push_str(&format!(", suggested {}", sev.label()));
    }
    if !worst.is_empty() {
        line.push_str(&format!("; {}", worst.join("; ")));
    }
    let perf: Vec<String> = d
        .checks
        .iter()
        .filter_map(|c| {
            let v = c.value.filter(|v| v.is_finite())?;
            // Only the plugin guidelines' units; counts are unitless.
            let uom = match c.unit {
                Some("%") => "%",
                Some("s") => "s",
                Some("ms") => "ms",
                Some("bytes") => "B",
                _ => "",
            };
            // The guidelines' ranges: `N` alerts above N, `N:` below N.
            let range = |level: f64| match c.direction {
                crate::types::Direction::Above => fmt_num(level, 6),
                crate::types::Direction::Below => format!("{}:", fmt_num(level, 6)),
            };
            let levels = match (c.warning, c.critical) {
                (Some(w), Some(cr)) => format!(";{};{}", range(w), range(cr)),
                _ => String::new(),
            };
            Some(format!("'{prefix}{}'={}{uom}{levels}", c.id, fmt_num(v, 6)))
        })
        .collect();
    let line = line.replace('\n', " ");
    format!("{line} | {}\n", perf.join(" "))
}
