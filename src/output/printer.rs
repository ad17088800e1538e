//! The process's stdout, stderr and terminal: the only code allowed to touch them (`clippy.toml`).
//! It writes only [`Printable`] text; which words go where, and when `-q` hides them, is the
//! [`Console`](super::console::Console)'s to decide.

use super::console::Prompter;
use super::printable::Printable;
use crate::error::{Error, Result};
use std::io::{IsTerminal, Write};

/// Writes to stdout; a reader that went away (`| head`) is not an error.
#[allow(clippy::disallowed_methods)] // the one place that writes to stdout
pub fn stdout(text: impl Into<Printable>) -> Result<()> {
    let text = text.into();
    let mut out = std::io::stdout().lock();
    match out
        .write_all(text.as_str().as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(e)),
        Ok(()) => Ok(()),
    }
}

/// Whether stdout is a terminal (colours, `--watch` drawing in place).
#[allow(clippy::disallowed_methods)] // asks, writes nothing
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether stderr is a terminal (progress, questions).
#[allow(clippy::disallowed_methods)] // asks, writes nothing
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// One line on stderr (talk: warnings, errors, hints), made printable.
#[allow(clippy::disallowed_macros)] // the one place that writes lines to stderr
pub fn stderr_line(text: impl Into<Printable>) {
    eprintln!("{}", text.into());
}

/// `eprintln!` through the printer, for main's last-resort paths (a panic, an error before a
/// console exists): the line is made printable ([`stderr_line`]).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::printer::stderr_line(::std::format!($($arg)*))
    };
}

/// The real terminal.
pub struct Terminal;

impl Prompter for Terminal {
    fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && stderr_is_terminal()
    }

    #[allow(clippy::disallowed_macros)] // the question is shown printable, on one line
    fn ask(&self, question: &str) -> std::io::Result<String> {
        eprint!(
            "{}",
            super::printable::text(question, super::printable::Layout::Line)
        );
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    }
}
