//! The one place incidentctl talks to the person or the pipe in front of it: results on stdout
//! (in the chosen format), notes and progress on stderr (never with `-q`), and questions asked
//! on a terminal — behind a [`Prompter`] so tests can answer them.
//!
//! It writes through [`printer`], the only code allowed to touch stdout and stderr
//! (`clippy.toml`), and only [`Printable`] text: whatever came from outside has been through [`crate::output::printable::text`].

use super::printer;
use crate::error::{Error, Result};
pub use crate::output::printable::Printable;
use crate::types::output::{OutputFormat, Verbosity};
use std::sync::{Arc, Mutex};

/// Where output goes, decided once from the settings.
#[derive(Clone)]
pub struct Console {
    pub format: OutputFormat,
    pub verbosity: Verbosity,
    pub prompter: Arc<dyn Prompter>,
    /// When set, JSON documents are kept here instead of printed: a command run as part of
    /// another (a runbook's step) gives its document to the one that prints.
    kept: Option<Arc<Mutex<Vec<serde_json::Value>>>>,
    sink: Sink,
}

/// Where the words go: the process's stdout and stderr, or memory (a test reads them back).
#[derive(Clone)]
enum Sink {
    Process,
    Memory(Arc<Mutex<Captured>>),
}

/// What a console built [`Console::in_memory`] was given to print.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Captured {
    pub stdout: String,
    pub stderr: String,
}

/// The handle a test keeps on an in-memory console's output.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Captured>>);

impl Capture {
    /// What was printed so far.
    pub fn get(&self) -> Captured {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Console {
    /// The process's stdout and stderr, and the terminal to ask (settings' `output` and
    /// `verbosity`).
    pub fn new(format: OutputFormat, verbosity: Verbosity) -> Self {
        Console {
            format,
            verbosity,
            prompter: Arc::new(printer::Terminal),
            kept: None,
            sink: Sink::Process,
        }
    }

    /// A console that prints into memory and asks `prompter`: a command's whole conversation,
    /// for a unit test to read back from the returned [`Capture`].
    pub fn in_memory(
        format: OutputFormat,
        verbosity: Verbosity,
        prompter: Arc<dyn Prompter>,
    ) -> (Self, Capture) {
        let capture = Capture::default();
        let console = Console {
            format,
            verbosity,
            prompter,
            kept: None,
            sink: Sink::Memory(capture.0.clone()),
        };
        (console, capture)
    }

    /// The same console, keeping its JSON documents for `kept` to return.
    pub fn keeping_documents(&self) -> Self {
        Console {
            kept: Some(Arc::default()),
            ..self.clone()
        }
    }

    /// Whether JSON documents are kept rather than printed.
    pub fn keeps_documents(&self) -> bool {
        self.kept.is_some()
    }

    /// The documents kept so far (taken).
    pub fn kept(&self) -> Vec<serde_json::Value> {
        self.kept
            .as_ref()
            .map(|k| std::mem::take(&mut *k.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default()
    }

    /// Whether results are one JSON document (then nothing else goes to stdout).
    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Results, on stdout; a reader that went away (`| head`) is not an error.
    pub fn data(&self, text: impl Into<Printable>) -> Result<()> {
        match &self.sink {
            Sink::Process => printer::stdout(text),
            Sink::Memory(m) => {
                let text = text.into();
                lock(m).stdout.push_str(text.as_str());
                Ok(())
            }
        }
    }

    /// A JSON document on stdout (pretty, one trailing newline), or kept (`keeping_documents`).
    pub fn document<T: serde::Serialize>(&self, value: &T) -> Result<()> {
        if let Some(kept) = &self.kept {
            let value = serde_json::to_value(value)
                .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
            kept.lock().unwrap_or_else(|e| e.into_inner()).push(value);
            return Ok(());
        }
        self.data(Printable::json(value)?)
    }

    /// Text for people on stdout, unless the results are JSON (then only the document).
    pub fn text(&self, text: impl Into<Printable>) -> Result<()> {
        if self.json() {
            Ok(())
        } else {
            self.data(text)
        }
    }

    /// A note on stderr for the person at the keyboard: never with `-q` or JSON output.
    pub fn note(&self, text: impl Into<Printable>) {
        if self.verbosity != Verbosity::Quiet && !self.json() {
            self.line(text);
        }
    }

    /// "warning: …" on stderr: something went wrong beside the results, which still stand.
    /// Shown with JSON output (stdout stays one document), hidden only by `-q`.
    pub fn warn(&self, text: impl std::fmt::Display) {
        self.done(format!("warning: {text}"));
    }

    /// What was done beside the results (findings attached, evidence stored): on stderr with
    /// JSON output too (stdout stays one document), hidden only by `-q`.
    pub fn done(&self, text: impl Into<Printable>) {
        if self.verbosity != Verbosity::Quiet {
            self.line(text);
        }
    }

    /// What must be said even with `-q` (an interrupt being handled).
    pub fn alert(&self, text: impl Into<Printable>) {
        self.line(text);
    }

    /// Whether progress may be drawn: on a terminal's stderr, never with `-q` or into memory.
    pub fn draws_progress(&self) -> bool {
        matches!(self.sink, Sink::Process)
            && self.verbosity != Verbosity::Quiet
            && printer::stderr_is_terminal()
    }

    fn line(&self, text: impl Into<Printable>) {
        match &self.sink {
            Sink::Process => printer::stderr_line(text),
            Sink::Memory(m) => {
                let text = text.into();
                let mut m = lock(m);
                m.stderr.push_str(text.as_str());
                m.stderr.push('\n');
            }
        }
    }
}

fn lock(m: &Mutex<Captured>) -> std::sync::MutexGuard<'_, Captured> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A document as pretty JSON, printable ([`Printable::json`]). Our own types always
/// serialize: a failure here is a bug.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    Printable::json(value).map(|p| p.as_str().to_string())
}

/// Asks the person at the terminal. Without one, nothing is ever asked.
pub trait Prompter: Send + Sync {
    /// Whether there is someone to ask (stdin and stderr are a terminal).
    fn interactive(&self) -> bool;
    /// Shows `question` and reads one line (blocking: called off the async threads).
    fn ask(&self, question: &str) -> std::io::Result<String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console(format: OutputFormat, verbosity: Verbosity) -> (Console, Capture) {
        Console::in_memory(
            format,
            verbosity,
            crate::output::scripted::terminal(false, "n"),
        )
    }

    #[test]
    fn data_goes_to_stdout_and_talk_to_stderr() {
        let (c, out) = console(OutputFormat::Table, Verbosity::Normal);
        c.data("result\n").unwrap();
        c.note("a note");
        c.warn("a warning");
        let got = out.get();
        assert_eq!(got.stdout, "result\n");
        assert_eq!(got.stderr, "a note\nwarning: a warning\n");
        assert!(!c.draws_progress(), "no progress is drawn into memory");
    }

    #[test]
    fn quiet_hides_notes_and_warnings_but_not_results_or_alerts() {
        let (c, out) = console(OutputFormat::Table, Verbosity::Quiet);
        c.data("result\n").unwrap();
        c.note("a note");
        c.warn("a warning");
        c.done("findings attached");
        c.alert("interrupted");
        let got = out.get();
        assert_eq!(got.stdout, "result\n");
        assert_eq!(got.stderr, "interrupted\n");
    }

    #[test]
    fn json_keeps_stdout_one_document_and_still_warns() {
        let (c, out) = console(OutputFormat::Json, Verbosity::Normal);
        c.text("for people\n").unwrap();
        c.document(&serde_json::json!({"a": 1})).unwrap();
        c.note("a note");
        c.done("findings attached");
        c.warn("a warning");
        let got = out.get();
        let doc: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
        assert_eq!(doc["a"], 1);
        assert_eq!(got.stderr, "findings attached\nwarning: a warning\n");
    }

    #[test]
    fn text_from_outside_is_made_printable_in_memory_too() {
        let (c, out) = console(OutputFormat::Table, Verbosity::Normal);
        c.note(Printable::from("evil\u{1b}[2Jline"));
        assert!(!out.get().stderr.contains('\u{1b}'));
    }
}
