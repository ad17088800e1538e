//! How results are written: the output formats, how much is said beside them, and the levels
//! that fail a gate or end a watch.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One row per check, for people
    Table,
    /// One JSON document (schema incidentctl.diagnose/v1), for scripts
    Json,
    /// Markdown to paste into an incident channel or report
    Markdown,
    /// JUnit XML, one testcase per check (diagnose; failures per --fail-on)
    Junit,
    /// Prometheus text exposition, for node_exporter's textfile collector or a Pushgateway (diagnose)
    Prometheus,
    /// One Nagios plugin line with perfdata (diagnose)
    Nagios,
}

/// With `--fail-on`, the least status that fails a CI gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warning,
    Critical,
}

/// `--until`: the level every check must be at or below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UntilLevel {
    Ok,
    Warning,
}

/// How much is said beside the results: `-q`, the default, `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}
