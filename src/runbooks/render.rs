//! Runbooks as people read them: the list, one runbook's page (live on a terminal, or the
//! definition as a wiki page in Markdown), and what `runbook run` did. JSON is the same data
//! (`runbooks::page`), serialized by the console.

use crate::output::printable::{self, Printable};
use crate::runbooks::page::{Page, StepView, Walked};
use crate::types::Status;
use comfy_table::{presets, Cell, ContentArrangement, Table};
use serde::Serialize;

/// One row of `runbook list`.
#[derive(Debug, Serialize)]
pub struct ListRow {
    pub name: String,
    pub title: String,
    pub built_in: bool,
    pub source: String,
    /// The checks its investigation runs (`diagnose NAME`).
    pub checks: Vec<String>,
    pub steps: usize,
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.force_no_tty();
    t.set_content_arrangement(ContentArrangement::Disabled);
    t
}

pub fn list(rows: &[ListRow]) -> String {
    let mut t = table();
    t.set_header(vec!["NAME", "TITLE", "CHECKS", "STEPS", "DEFINED IN"]);
    for r in rows {
        let source = if r.built_in {
            "built in".to_string()
        } else {
            r.source.clone()
        };
        t.add_row(vec![
            r.name.clone(),
            r.title.clone(),
            r.checks.len().to_string(),
            r.steps.to_string(),
            source,
        ]);
    }
    format!("{t}\n")
}

/// Whether a step applies, in a word or three.
fn applies_word(step: &StepView) -> &'static str {
    match step.applies {
        Some(true) => "APPLIES NOW",
        Some(false) => "does not apply now",
        None => "applies",
    }
}

/// The page on a terminal: the definition with what the checks say now (printable, with the
/// table's status colours).
pub fn page_text(page: &Page, color: bool) -> Printable {
    let mut out = format!("{}: {}\n", page.name, page.title);
    let origin = if page.built_in { "built in, " } else { "" };
    out.push_str(&format!(
        "({origin}{}; namespace {})\n",
        page.source, page.namespace
    ));
    section(&mut out, "Symptoms", &page.symptoms, "- ");
    if !page.params.is_empty() {
        out.push_str("\nParams (--set NAME=VALUE)\n");
        for p in &page.params {
            let value = p.value.as_deref().unwrap_or("not set");
            out.push_str(&format!(
                "  {}: {} (e.g. {}): {value}\n",
                p.name, p.description, p.example
            ));
        }
    }
    out.push_str(&format!(
        "\nInvestigation (incidentctl diagnose {})\n",
        page.name
    ));
    let mut printable = Printable::from(std::mem::take(&mut out));
    printable.push(&investigation_table(page, color));
    out.push_str("\nResolution (incidentctl runbook run ");
    out.push_str(&format!("{}; one step: --step N)\n", page.name));
    if page.resolve.is_empty() {
        out.push_str("  (no steps)\n");
    }
    for step in &page.resolve {
        out.push_str(&step_text(step));
    }
    out.push_str(&verification_text(page));
    section(&mut out, "Notes", &page.notes, "- ");
    printable.push_str(&out);
    printable
}

fn section(out: &mut String, title: &str, lines: &[String], bullet: &str) {
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}\n"));
    for l in lines {
        out.push_str(&format!("  {bullet}{l}\n"));
    }
}

fn investigation_table(page: &Page, color: bool) -> Printable {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    if color {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.force_no_tty();
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(vec!["STEP", "STATUS", "CHECK", "FINDING"]);
    for (i, step) in page.investigate.iter().enumerate() {
        for (j, check) in step.checks.iter().enumerate() {
            let title = if j == 0 {
                format!("{}. {}", i + 1, step.title)
            } else {
                String::new()
            };
            let (status, finding) = match &check.result {
                Some(r) => (
                    crate::output::status_cell(r.status, color),
                    r.summary.clone(),
                ),
                None => (Cell::new(""), check.description.clone()),
            };
            t.add_row(vec![
                printable::cell(title),
                status,
                printable::cell(&check.id),
                printable::cell(finding),
            ]);
        }
    }
    let mut printable = Printable::table(&t);
    printable.push_str("\n");
    printable
}

/// One resolution step: its title, whether it applies and why, and the command it runs.
pub fn step_text(step: &StepView) -> String {
    let mut out = format!("  {}. {}: {}\n", step.step, step.title, applies_word(step));
    out.push_str(&format!("     why: {}\n", step.why));
    out.push_str(&format!("     $ {}\n", step.command));
    if let Some(note) = &step.note {
        out.push_str(&format!("     note: {note}\n"));
    }
    out
}

/// The verification lines with what the checks say, and the verdict.
pub fn verification_text(page: &Page) -> String {
    let mut out = String::from("\nVerification (the symptoms are gone when every line holds)\n");
    for v in &page.verify {
        let line = match (v.status, v.met) {
            (Some(s), Some(true)) => format!("  holds     {} (now {s})\n", v.description),
            (Some(s), _) => format!("  NOT YET   {} (now {s})\n", v.description),
            (None, _) => format!("  - {}\n", v.description),
        };
        out.push_str(&line);
    }
    match page.symptoms_gone {
        Some(true) => out.push_str("Symptoms: gone.\n"),
        Some(false) => {
            let open = page.not_holding().count();
            out.push_str(&format!(
                "Symptoms: present ({open} of {} verification lines do not hold).\n",
                page.verify.len()
            ));
        }
        None => {}
    }
    out
}

/// What `runbook run` says before its steps: the runbook and what the investigation found.
pub fn run_intro(page: &Page, dry_run: bool) -> String {
    let mut out = format!("Runbook {}: {}", page.name, page.title);
    if dry_run {
        out.push_str(" (dry run: nothing will be changed)");
    }
    out.push('\n');
    let problems: Vec<String> = page
        .investigate
        .iter()
        .flat_map(|i| i.checks.iter())
        .filter_map(|c| c.result.as_ref())
        .filter(|r| r.status != Status::Ok)
        .map(|r| format!("{} {}", r.id, r.status))
        .collect();
    let total: usize = page.investigate.iter().map(|i| i.checks.len()).sum();
    if problems.is_empty() {
        out.push_str(&format!("Investigation: all {total} checks ok.\n"));
    } else {
        out.push_str(&format!(
            "Investigation: {} of {total} checks not ok: {}\n",
            problems.len(),
            problems.join(", ")
        ));
    }
    out
}

/// The line before a step runs: which, why, and the command.
pub fn step_header(step: &StepView, total: usize, forced: bool) -> String {
    let how = match (step.applies, forced) {
        (Some(true), _) => "applies now",
        (_, true) => "run as asked (--step), though it does not apply now",
        _ => "does not apply now: planned for the dry run only",
    };
    format!(
        "\nStep {}/{total}: {} ({how}: {})\n$ {}\n",
        step.step, step.title, step.why, step.command
    )
}

/// A step left alone, and why.
pub fn step_skipped(step: &StepView, total: usize, why: &str) -> String {
    format!(
        "\nStep {}/{total}: {}: skipped ({why})\n",
        step.step, step.title
    )
}

/// One line per step, as it went.
pub fn walked_text(walked: &[Walked]) -> String {
    let mut out = String::from("\nSteps\n");
    for w in walked {
        let verified = match w.verified {
            Some(true) => ", verified",
            Some(false) => ", NOT verified",
            None => "",
        };
        // A refusal's message starts with its word already.
        let said = match &w.error {
            Some(e) if e.starts_with(&w.result) => e.clone(),
            Some(e) => format!("{}: {e}", w.result),
            None => w.result.clone(),
        };
        out.push_str(&format!("  {}. {}: {said}{verified}\n", w.step, w.title));
    }
    out
}

/// The definition as a wiki page: no live status (a wiki page outlives the incident), every
/// command exact, made from the same definition the tool runs.
pub fn page_markdown(page: &Page) -> String {
    let mut out = format!("# {} (`{}`)\n\n", page.title, page.name);
    let origin = if page.built_in {
        format!("built into incidentctl ({})", page.source)
    } else {
        format!("defined in {}", page.source)
    };
    out.push_str(&format!(
        "> Generated by `incidentctl runbook show {} -o markdown` from the runbook {origin}, namespace `{}`. Change the definition, not this page: the tool runs the definition.\n\n",
        page.name, page.namespace
    ));
    if !page.symptoms.is_empty() {
        out.push_str("## Symptoms\n\n");
        for s in &page.symptoms {
            out.push_str(&format!("- {s}\n"));
        }
        out.push('\n');
    }
    out.push_str("## Investigation\n\n");
    out.push_str(&format!(
        "Every step at once, read-only, each check within `--timeout`: `incidentctl diagnose {}` (exit 0 ok, 1 warning, 2 critical, 3 unknown). Live, with what applies now: `incidentctl runbook show {}`.\n\n",
        page.name, page.name
    ));
    out.push_str(&investigation_markdown(page));
    resolution_markdown(&mut out, page);
    out.push_str("## Verification\n\nThe symptoms are gone when every line holds (`runbook run` checks them after its steps, and again while a change settles):\n\n");
    for v in &page.verify {
        out.push_str(&format!("- `{}` is {}\n", v.check, expect_words(v.expect)));
    }
    if !page.notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in &page.notes {
            out.push_str(&format!("- {n}\n"));
        }
    }
    out
}

/// One table of every investigation step's checks; the levels column only when a check has
/// levels.
fn investigation_markdown(page: &Page) -> String {
    let leveled = page
        .investigate
        .iter()
        .flat_map(|i| i.checks.iter())
        .any(|c| !c.levels.is_empty());
    let mut out = String::from("| Step | Check | What it does |");
    out.push_str(if leveled {
        " Levels (warning / critical) |\n|---|---|---|---|\n"
    } else {
        "\n|---|---|---|\n"
    });
    for (i, step) in page.investigate.iter().enumerate() {
        for (j, c) in step.checks.iter().enumerate() {
            let title = if j == 0 {
                format!("{}. {}", i + 1, cell(&step.title))
            } else {
                String::new()
            };
            out.push_str(&format!(
                "| {title} | `{}` | {} |",
                c.id,
                cell(&c.description)
            ));
            if leveled {
                out.push_str(&format!(" {} |", cell(&c.levels)));
            }
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn resolution_markdown(out: &mut String, page: &Page) {
    out.push_str("## Resolution\n\n");
    out.push_str(&format!(
        "`incidentctl runbook run {0}` walks the steps that apply now, each through its command's own plan, confirmation, apply, verification and audit log; `--dry-run` shows every step's plan and changes nothing; `--step N` runs one step. Without a terminal nothing runs unless `--yes` is given.\n\n",
        page.name
    ));
    if !page.params.is_empty() {
        out.push_str("Params, given with `--set NAME=VALUE`:\n\n");
        for p in &page.params {
            out.push_str(&format!(
                "- `{}`: {} (e.g. `{}`)\n",
                p.name, p.description, p.example
            ));
        }
        out.push('\n');
    }
    for step in &page.resolve {
        let when = if step.when.is_empty() {
            "always applies".to_string()
        } else {
            let each: Vec<String> = step.when.iter().map(|w| code_first_word(w)).collect();
            format!("applies when {}", each.join(" and "))
        };
        let needs: Vec<String> = step
            .needs
            .iter()
            .map(|n| format!("`--set {n}=VALUE`"))
            .collect();
        let needs = if needs.is_empty() {
            String::new()
        } else {
            format!(", with {}", needs.join(" and "))
        };
        out.push_str(&format!(
            "{}. **{}**: {when}{needs}.\n\n",
            step.step, step.title
        ));
        out.push_str(&format!("   ```sh\n   {}\n   ```\n\n", step.command));
        if let Some(note) = &step.note {
            out.push_str(&format!("   {note}\n\n"));
        }
    }
}

/// `k8s.pods is warning or worse` → `` `k8s.pods` is warning or worse ``
fn code_first_word(text: &str) -> String {
    match text.split_once(' ') {
        Some((id, rest)) => format!("`{id}` {rest}"),
        None => format!("`{text}`"),
    }
}

fn expect_words(expect: Status) -> &'static str {
    match expect {
        Status::Warning => "ok or warning",
        _ => "ok",
    }
}

/// Text for a Markdown table cell: no line breaks, no column separators.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wiki_page_has_every_section_and_every_command() {
        let settings = crate::checks::default_settings();
        let runbook = crate::runbooks::find(&settings, "security").unwrap();
        let page = crate::runbooks::page::page(&settings, runbook, &Vec::new(), None);
        let md = page_markdown(&page);
        for heading in [
            "# Security incident (`security`)",
            "## Symptoms",
            "## Investigation",
            "## Resolution",
            "## Verification",
            "## Notes",
        ] {
            assert!(md.contains(heading), "{heading} in\n{md}");
        }
        assert!(
            md.contains("incidentctl security block-ip CIDR -n reconciliation"),
            "{md}"
        );
        assert!(
            md.contains("**Block Suspicious IPs**: always applies, with `--set cidr=VALUE`."),
            "{md}"
        );
        assert!(
            md.contains(
                "**Reset User Sessions**: applies when `k8s.auth_failures` is warning or worse."
            ),
            "{md}"
        );
        assert!(
            md.contains("| 1. Check Security Logs | `k8s.auth_failures` |"),
            "{md}"
        );
        assert!(md.contains("| `prometheus.forbidden_rate` | 403 ratio over 5 minutes | forbidden_rate > 1 / 5 |"), "{md}");
        assert!(
            !md.contains("DOES NOT HOLD"),
            "no live status on a wiki page"
        );
    }
}
