//! The printer and what every printout shares: the console (data on stdout, talk on stderr,
//! questions), printable text, secrets redacted, JSON documents, progress and status cells.
//! What each command prints is rendered beside its data: `diagnose::render`,
//! `runbooks::render`, `report::render`, `report::escalation::render`.

pub mod console;
pub mod json;
pub mod printable;
pub mod printer;
pub mod redact;
#[cfg(test)]
pub mod scripted;

use crate::types::Status;
use comfy_table::{Attribute, Cell, Color};

/// A check's status as a table cell, coloured when colour is on.
pub fn status_cell(status: Status, color: bool) -> Cell {
    let cell = Cell::new(status.as_str().to_uppercase());
    if !color {
        return cell;
    }
    match status {
        Status::Ok => cell.fg(Color::Green),
        Status::Warning => cell.fg(Color::Yellow).add_attribute(Attribute::Bold),
        Status::Critical => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Status::Unknown => cell.fg(Color::Magenta),
    }
}

/// Progress on stderr while checks run: only on a terminal and never with -q.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn start(total: usize, console: &console::Console) -> Self {
        if !console.draws_progress() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} running checks {pos}/{len} {msg}")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        Progress(Some(bar))
    }

    pub fn done(&self, id: &str) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            bar.set_message(
                crate::output::printable::text(id, crate::output::printable::Layout::Line)
                    .into_owned(),
            );
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
