//! Outputs for machines that are not scripts reading JSON: JUnit XML for CI test reports,
//! Prometheus text exposition for node_exporter's textfile collector or a Pushgateway, and the
//! Nagios plugin line with perfdata.

use crate::checks::{fmt_num, CheckResult, Status};
use crate::cli::FailOn;
use crate::runbooks::Diagnosis;

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
    r.runbooks
        .iter()
        .map(|b| b.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// One testsuite, one testcase per check. Failing statuses (per `level`) are `<failure>`, checks
/// that could not run are `<error>`.
pub fn junit(d: &Diagnosis, level: FailOn) -> String {
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
    let secs = d.summary.duration_ms as f64 / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"incidentctl diagnose\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{secs:.3}\">\n",
        d.checks.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"incidentctl.diagnose.{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{secs:.3}\">\n",
        xml(&d.namespace),
        d.checks.len()
    ));
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
    out.push_str("  </testsuite>\n</testsuites>\n");
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

/// Prometheus text exposition format (0.0.4).
pub fn prometheus(d: &Diagnosis, now_secs: i64) -> String {
    let ns = label(&d.namespace);
    let mut out = String::new();
    out.push_str("# HELP incidentctl_check_status Status of a diagnose check: 0 ok, 1 warning, 2 critical, 3 unknown.\n");
    out.push_str("# TYPE incidentctl_check_status gauge\n");
    for c in &d.checks {
        out.push_str(&format!(
            "incidentctl_check_status{{namespace=\"{ns}\",check=\"{}\",runbooks=\"{}\"}} {}\n",
            c.id,
            label(&runbooks(c)),
            status_number(c.status)
        ));
    }
    out.push_str("# HELP incidentctl_check_value The value a diagnose check measured, in the unit of its unit label.\n");
    out.push_str("# TYPE incidentctl_check_value gauge\n");
    for c in &d.checks {
        if let Some(v) = c.value.filter(|v| v.is_finite()) {
            out.push_str(&format!(
                "incidentctl_check_value{{namespace=\"{ns}\",check=\"{}\",unit=\"{}\"}} {v}\n",
                c.id,
                label(c.unit.unwrap_or(""))
            ));
        }
    }
    out.push_str("# HELP incidentctl_check_duration_seconds How long a diagnose check took.\n");
    out.push_str("# TYPE incidentctl_check_duration_seconds gauge\n");
    for c in &d.checks {
        out.push_str(&format!(
            "incidentctl_check_duration_seconds{{namespace=\"{ns}\",check=\"{}\"}} {}\n",
            c.id,
            c.duration_ms as f64 / 1000.0
        ));
    }
    let sev = d
        .summary
        .assessment
        .severity
        .map(|s| s as u8 + 1)
        .unwrap_or(0);
    for (name, help, value) in [
        (
            "incidentctl_diagnose_status",
            "Overall diagnose status: 0 ok, 1 warning, 2 critical, 3 unknown.",
            f64::from(status_number(d.summary.overall)),
        ),
        (
            "incidentctl_diagnose_severity",
            "Suggested severity: 1-4 for SEV1-SEV4, 0 for no incident.",
            f64::from(sev),
        ),
        (
            "incidentctl_diagnose_duration_seconds",
            "Wall time of the diagnose run.",
            d.summary.duration_ms as f64 / 1000.0,
        ),
        (
            "incidentctl_diagnose_last_run_timestamp_seconds",
            "When diagnose last ran (Unix time).",
            now_secs as f64,
        ),
    ] {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name}{{namespace=\"{ns}\"}} {value}\n"
        ));
    }
    out
}

/// `INCIDENTCTL CRITICAL - <summary> | 'check'=value[UOM];warn;crit ...` (Nagios plugin
/// guidelines: one line, perfdata after the pipe).
pub fn nagios(d: &Diagnosis) -> String {
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
            let levels = match (c.warning, c.critical) {
                (Some(w), Some(cr)) => format!(";{};{}", fmt_num(w, 6), fmt_num(cr, 6)),
                _ => String::new(),
            };
            Some(format!("'{}'={}{uom}{levels}", c.id, fmt_num(v, 6)))
        })
        .collect();
    let line = line.replace('\n', " ");
    format!("{line} | {}\n", perf.join(" "))
}
