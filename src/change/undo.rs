//! The command that undoes a change, as it is printed and audited: an engineer pastes it into a
//! shell at 3 a.m., and its words come from servers (a deployment's current env value, a
//! silence's matchers, an id Alertmanager gave). So it is kept as words and shown shell-quoted
//! (`shlex`), never formatted into one string: a value such as `x'; touch P; echo '` stays one
//! word when the line is pasted.

use serde::{Serialize, Serializer};
use std::fmt;

/// A command that undoes a change: its words, and the line a POSIX shell reads back as them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    words: Vec<String>,
    line: String,
}

impl Undo {
    /// `words` as one quoted line; None when a word holds a control character (a newline, an
    /// escape sequence): no quoting makes such a line safe to paste into a terminal, so no
    /// undo is offered rather than a dangerous one.
    pub fn command<I, S>(words: I) -> Option<Undo>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let words: Vec<String> = words.into_iter().map(Into::into).collect();
        if words.iter().any(|w| w.chars().any(char::is_control)) {
            return None;
        }
        let line = shlex::try_join(words.iter().map(String::as_str)).ok()?;
        Some(Undo { words, line })
    }

    /// The line to paste.
    pub fn line(&self) -> &str {
        &self.line
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }
}

impl fmt::Display for Undo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.line)
    }
}

impl Serialize for Undo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_words_stay_words_when_the_line_is_read_back() {
        for hostile in [
            "x'; touch P; echo '",
            "$(touch P)",
            "`touch P`",
            "a  b c",
            "it's \"quoted\"",
            "*",
            "--yes",
            "",
            "…",
        ] {
            let undo = Undo::command(["incidentctl", "security", "log-level", hostile]).unwrap();
            let back = shlex::split(undo.line()).expect("a line a shell can read");
            assert_eq!(back, undo.words(), "{}", undo.line());
            // And a real shell reads the same words, running nothing.
            let dir = tempfile::tempdir().unwrap();
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s\\0' {}", undo.line()))
                .current_dir(dir.path())
                .output()
                .unwrap();
            let words: Vec<String> = String::from_utf8(out.stdout)
                .unwrap()
                .split_terminator('\0')
                .map(str::to_string)
                .collect();
            assert_eq!(words, undo.words(), "{}", undo.line());
            assert!(!dir.path().join("P").exists(), "{}", undo.line());
        }
    }

    #[test]
    fn a_word_with_a_control_character_gets_no_undo() {
        assert!(Undo::command(["incidentctl", "x\ny"]).is_none());
        assert!(Undo::command(["incidentctl", "\u{1b}]0;title\u{7}"]).is_none());
        assert_eq!(
            Undo::command(["incidentctl", "scale", "backend"])
                .unwrap()
                .line(),
            "incidentctl scale backend"
        );
    }
}
