//! A diagnosis rendered: checks return data; this turns it into a table, JSON, Markdown or a
//! monitoring format (JUnit, Prometheus, Nagios) once, and prints it through the console.

pub mod automation;
pub mod causes;
pub mod compare;
pub mod markdown;
pub mod table;

use crate::checks::{Check, CheckResult};
use crate::diagnose::Diagnosis;
use crate::output::console::Console;
use crate::output::json;
use crate::output::printable::Printable;
use crate::settings::{Settings, Verbosity};
use crate::types::finding::fmt_num;
use crate::types::output::OutputFormat;

/// A diagnosis with its comparison to a baseline: the JSON of `diagnose --baseline`, still a
/// saved diagnosis itself (the next run's baseline).
#[derive(serde::Serialize)]
struct Compared<'a> {
    #[serde(flatten)]
    diagnosis: &'a Diagnosis,
    comparison: &'a crate::diagnose::compare::Comparison,
}

/// Writes the diagnosis (and its comparison with a baseline, if any) to stdout in the chosen
/// format.
pub fn write_diagnosis(
    console: &Console,
    diagnosis: &Diagnosis,
    comparison: Option<&crate::diagnose::compare::Comparison>,
    settings: &Settings,
    fail_on: crate::types::output::FailOn,
    explain: bool,
) -> crate::error::Result<()> {
    let text: Printable = match (settings.output, comparison) {
        (OutputFormat::Table, None) => table::diagnosis_explained(diagnosis, settings, explain),
        (OutputFormat::Table, Some(c)) => {
            let mut text = table::diagnosis_explained(diagnosis, settings, explain);
            text.push_str(&format!("\n{}", compare::table(c, false)));
            text
        }
        (OutputFormat::Json, None) => json::to_string(diagnosis)?.into(),
        (OutputFormat::Json, Some(comparison)) => json::to_string(&Compared {
            diagnosis,
            comparison,
        })?
        .into(),
        (OutputFormat::Markdown, c) => {
            let mut text = markdown::diagnosis(diagnosis, settings.verbosity == Verbosity::Verbose);
            text.push_str(&causes::markdown(diagnosis));
            if let Some(c) = c {
                text.push('\n');
                text.push_str(&compare::markdown(c, false));
            }
            text.into()
        }
        (OutputFormat::Junit, _) => automation::junit(&[(None, diagnosis)], fail_on).into(),
        (OutputFormat::Prometheus, _) => {
            automation::prometheus(&[(None, diagnosis)], settings.now().as_second()).into()
        }
        (OutputFormat::Nagios, _) => automation::nagios(&[(None, diagnosis)]).into(),
    };
    console.data(text)
}

/// Diagnoses of several clusters: one document, grouped by context.
#[derive(serde::Serialize)]
pub struct ByContext<'a> {
    pub schema: &'static str,
    pub overall: crate::types::Status,
    pub contexts: Vec<ContextResult<'a>>,
}

#[derive(serde::Serialize)]
pub struct ContextResult<'a> {
    pub context: &'a str,
    pub diagnosis: &'a Diagnosis,
}

pub fn write_diagnoses(
    console: &Console,
    runs: &[(String, Diagnosis)],
    overall: crate::types::Status,
    settings: &Settings,
    fail_on: crate::types::output::FailOn,
) -> crate::error::Result<()> {
    let refs: Vec<automation::Run> = runs.iter().map(|(c, d)| (Some(c.as_str()), d)).collect();
    let text: Printable = match settings.output {
        OutputFormat::Table | OutputFormat::Markdown => {
            let mut text = Printable::new();
            for (c, d) in runs {
                if settings.output == OutputFormat::Table {
                    text.push_str(&format!("Context {c}:\n"));
                    text.push(&table::diagnosis(d, settings));
                    text.push_str("\n");
                } else {
                    let body = markdown::diagnosis(d, settings.verbosity == Verbosity::Verbose);
                    text.push_str(&format!("# Context `{c}`\n\n{body}\n"));
                }
            }
            text
        }
        OutputFormat::Json => json::to_string(&ByContext {
            schema: "incidentctl.diagnose-contexts/v1",
            overall,
            contexts: runs
                .iter()
                .map(|(c, d)| ContextResult {
                    context: c,
                    diagnosis: d,
                })
                .collect(),
        })?
        .into(),
        OutputFormat::Junit => automation::junit(&refs, fail_on).into(),
        OutputFormat::Prometheus => {
            automation::prometheus(&refs, settings.now().as_second()).into()
        }
        OutputFormat::Nagios => automation::nagios(&refs).into(),
    };
    console.data(text)
}

/// "7.12% (warn >1, crit >5)" — the measured value with its levels, compared as the check
/// compares them ("3 replicas (warn <4, crit <1)" for a check whose low values are bad).
pub fn value_text(r: &CheckResult) -> String {
    let Some(v) = r.value else {
        return String::new();
    };
    let unit = r.unit.unwrap_or("");
    let joined = |x: f64| match unit {
        "%" | "s" | "ms" => format!("{}{unit}", fmt_num(x, 2)),
        "" => fmt_num(x, 2),
        _ => format!("{} {unit}", fmt_num(x, 2)),
    };
    match (r.warning, r.critical) {
        (Some(w), Some(c)) => {
            let sign = r.direction.sign();
            format!(
                "{} (warn {sign}{}, crit {sign}{})",
                joined(v),
                fmt_num(w, 2),
                fmt_num(c, 2)
            )
        }
        _ => joined(v),
    }
}

/// `diagnose --list`: the checks that would run, with what each does.
pub fn write_check_list(
    console: &Console,
    checks: &[&Check],
    settings: &Settings,
) -> crate::error::Result<()> {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        id: &'a str,
        runbooks: Vec<String>,
        target: crate::checks::Target,
        description: &'a str,
        /// Warning / critical, as configured.
        levels: String,
        /// Declared in the config file (`[[check]]`), not built in.
        declared: bool,
    }
    let rows: Vec<Row> = checks
        .iter()
        .map(|c| Row {
            id: c.id,
            runbooks: crate::runbooks::of_check(settings, c.id),
            target: c.target,
            description: c.description,
            levels: crate::checks::levels_text(c, settings),
            declared: settings.checks.iter().any(|d| d.id == c.id),
        })
        .collect();
    let text = match settings.output {
        OutputFormat::Json
        | OutputFormat::Junit
        | OutputFormat::Prometheus
        | OutputFormat::Nagios => json::to_string(&rows)?,
        OutputFormat::Markdown => {
            let mut out =
                String::from("| Check | Runbooks | What it does | Levels |\n|---|---|---|---|\n");
            for r in &rows {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    r.id,
                    r.runbooks.join(", "),
                    r.description,
                    r.levels
                ));
            }
            out
        }
        OutputFormat::Table => {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::NOTHING);
            t.set_header(vec!["CHECK", "RUNBOOKS", "WHAT IT DOES", "LEVELS"]);
            for r in &rows {
                t.add_row(vec![
                    r.id.to_string(),
                    r.runbooks.join(","),
                    r.description.to_string(),
                    r.levels.clone(),
                ]);
            }
            format!("{t}\n")
        }
    };
    console.data(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Direction, Status};

    fn result(value: f64, direction: Direction) -> CheckResult {
        CheckResult {
            id: "payments.ready",
            runbooks: vec!["app-down".into()],
            status: Status::Warning,
            summary: "ready replicas: 3".into(),
            value: Some(value),
            unit: Some("replicas"),
            warning: Some(4.0),
            critical: Some(1.0),
            direction,
            evidence: vec![],
            error: None,
            hint: None,
            duration_ms: 1,
            signs: vec![],
        }
    }

    #[test]
    fn the_value_column_compares_as_the_check_does() {
        assert_eq!(
            value_text(&result(3.0, Direction::Below)),
            "3 replicas (warn <4, crit <1)"
        );
        let mut above = result(7.12, Direction::Above);
        above.unit = Some("%");
        (above.warning, above.critical) = (Some(1.0), Some(5.0));
        assert_eq!(value_text(&above), "7.12% (warn >1, crit >5)");
    }

    #[test]
    fn nagios_ranges_alert_below_a_level_for_a_check_whose_low_values_are_bad() {
        let d = Diagnosis {
            schema: crate::diagnose::DIAGNOSE_SCHEMA,
            namespace: "ns".into(),
            runbooks: vec!["app-down".into()],
            checks: vec![result(3.0, Direction::Below)],
            summary: crate::diagnose::run::summarise(&[], &[], std::time::Instant::now()),
            onset: None,
            suspects: vec![],
            symptoms: vec![],
        };
        let line = automation::nagios(&[(None, &d)]);
        assert!(line.contains("'payments.ready'=3;4:;1:"), "{line}");
    }
}
