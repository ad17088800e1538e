//! A comparison of two diagnoses (`--baseline`, `diagnose diff`, `--watch`) as a table,
//! Markdown, JSON, or one line per change.

use crate::diagnose::compare::{CheckChange, CheckState, Comparison, DIFF_SCHEMA};
use crate::types::finding::fmt_num;

/// "critical 96.2%" — a status with its value, as a column of the comparison.
fn state_text(s: Option<&CheckState>) -> String {
    let Some(s) = s else {
        return "-".into();
    };
    match s.value {
        Some(v) => {
            let unit = s.unit.as_deref().unwrap_or("");
            let sep = if unit.is_empty() || ["%", "s", "ms"].contains(&unit) {
                ""
            } else {
                " "
            };
            format!("{} {}{sep}{unit}", s.status, fmt_num(v, 2))
        }
        None => s.status.to_string(),
    }
}

/// What the check says now (or said last, when gone).
fn finding(c: &CheckChange) -> &str {
    c.after
        .as_ref()
        .or(c.before.as_ref())
        .map_or("", |s| s.summary.as_str())
}

/// "1 new, 1 worse, 22 same, 1 resolved"; the kinds that did not happen are left out.
pub fn counts_text(c: &Comparison) -> String {
    let n = &c.counts;
    let parts: Vec<String> = [
        (n.new, "new"),
        (n.worse, "worse"),
        (n.same, "same"),
        (n.better, "better"),
        (n.resolved, "resolved"),
        (n.gone, "gone"),
    ]
    .iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, name)| format!("{count} {name}"))
    .collect();
    if parts.is_empty() {
        "no checks".into()
    } else {
        parts.join(", ")
    }
}

/// The rows shown: those that moved, or every check with `all` (`diagnose diff --all`).
fn shown(c: &Comparison, all: bool) -> Vec<&CheckChange> {
    c.checks
        .iter()
        .filter(|x| all || x.change != crate::diagnose::compare::Change::Same)
        .collect()
}

/// The checks that moved, as a table (all of them with `all`).
pub fn table(c: &Comparison, all: bool) -> String {
    let mut out = format!("Compared with {}: {}\n", c.baseline, counts_text(c));
    let rows = shown(c, all);
    if rows.is_empty() {
        return out;
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING);
    t.set_header(vec!["CHANGE", "CHECK", "BEFORE", "NOW", "FINDING"]);
    for r in rows {
        t.add_row(vec![
            r.change.as_str().to_uppercase(),
            r.id.clone(),
            state_text(r.before.as_ref()),
            state_text(r.after.as_ref()),
            finding(r).to_string(),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out
}

pub fn markdown(c: &Comparison, all: bool) -> String {
    let mut out = format!(
        "## Compared with `{}`\n\n{}\n\n",
        c.baseline,
        counts_text(c)
    );
    let rows = shown(c, all);
    if rows.is_empty() {
        return out;
    }
    out.push_str("| Change | Check | Before | Now | Finding |\n|---|---|---|---|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.change.as_str(),
            r.id,
            state_text(r.before.as_ref()),
            state_text(r.after.as_ref()),
            finding(r).replace('|', "\\|").replace('\n', " ")
        ));
    }
    out
}

/// `diagnose diff -o json`: the comparison as its own document.
pub fn json(c: &Comparison) -> crate::error::Result<String> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        schema: &'static str,
        #[serde(flatten)]
        comparison: &'a Comparison,
    }
    crate::output::json::to_string(&Doc {
        schema: DIFF_SCHEMA,
        comparison: c,
    })
}

/// One line per check that moved, for a log or a pipe (`--watch` without a terminal).
pub fn lines(c: &Comparison, at: &str) -> String {
    c.moved()
        .map(|r| {
            format!(
                "{at} {} {}: {} -> {}: {}\n",
                r.id,
                r.change.as_str(),
                state_text(r.before.as_ref()),
                state_text(r.after.as_ref()),
                finding(r)
            )
        })
        .collect()
}
