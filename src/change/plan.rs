//! What a change will do, before it does it, and how it is shown.

use serde::Serialize;

/// What a change will do, before it does it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The command, e.g. `restart`, `db kill-queries`.
    pub action: String,
    /// What it acts on, e.g. `deployment/backend in reconciliation`.
    pub target: String,
    pub summary: String,
    pub changes: Vec<Change>,
    /// How the objects were chosen, when they were found rather than named (`found: …`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Things the engineer should know before saying yes.
    pub warnings: Vec<String>,
    /// How strongly the change must be confirmed.
    pub confirm: Confirm,
    /// A command that undoes the change, when there is one.
    pub undo: Option<super::Undo>,
}

impl Plan {
    pub fn new(action: &str, target: &str, summary: &str) -> Self {
        Plan {
            action: action.into(),
            target: target.into(),
            summary: summary.into(),
            changes: Vec::new(),
            notes: Vec::new(),
            warnings: Vec::new(),
            confirm: Confirm::YesNo,
            undo: None,
        }
    }
}

#[cfg(test)]
impl Plan {
    /// [action, target, summary].
    pub fn heading(&self) -> [&str; 3] {
        [&self.action, &self.target, &self.summary]
    }

    /// The undo command's line, when there is one.
    pub fn undo_line(&self) -> Option<&str> {
        self.undo.as_ref().map(super::Undo::line)
    }

    /// Each change as [object, change, from, to] (absent as ""), for a test to compare whole.
    pub fn rows(&self) -> Vec<[&str; 4]> {
        self.changes
            .iter()
            .map(|c| {
                [
                    c.object.as_str(),
                    c.change.as_str(),
                    c.from.as_deref().unwrap_or(""),
                    c.to.as_deref().unwrap_or(""),
                ]
            })
            .collect()
    }
}

/// One object, row set or key set that changes, and how.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub object: String,
    pub change: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Change {
    pub fn new(object: impl Into<String>, change: impl Into<String>) -> Self {
        Change {
            object: object.into(),
            change: change.into(),
            from: None,
            to: None,
        }
    }

    pub fn was_now(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self.to = Some(to.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum Confirm {
    /// y/N on a terminal; --yes otherwise.
    YesNo,
    /// The most destructive changes: type this name on a terminal; --yes --confirm NAME otherwise.
    TypeName(String),
}

/// The plan as people read it: what, then each change, then warnings.
pub fn render_plan(plan: &Plan) -> String {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.force_no_tty();
    table.set_header(vec!["OBJECT", "CHANGE", "FROM", "TO"]);
    for c in &plan.changes {
        table.add_row(vec![
            c.object.clone(),
            c.change.clone(),
            c.from.clone().unwrap_or_default(),
            c.to.clone().unwrap_or_default(),
        ]);
    }
    let mut out = format!("Plan: {}\n", plan.summary);
    for n in &plan.notes {
        out.push_str(&format!("  {n}\n"));
    }
    if !plan.changes.is_empty() {
        out.push_str(&format!("{table}\n"));
    }
    for w in &plan.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}
