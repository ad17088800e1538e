//! The one place where text from outside becomes printable. Log lines, event messages, query
//! texts, alert annotations, silence comments, incident titles and error bodies are written by
//! others, and a terminal obeys the control sequences in them: `ESC ] 0 ; … BEL` retitles the
//! window, `ESC [ 2 J` clears the screen, `ESC [ 31 m` colours or hides what follows, a carriage
//! return or backspaces overwrite what was printed, and bidi overrides reorder it. This is the
//! class of kubectl's CVE-2021-25743. [`text`] shows every such character as its escape (`\u{1b}`,
//! `\r`, `\u{202e}`): nothing is lost, nothing is obeyed.
//!
//! By type: everything incidentctl writes to the terminal is a [`Printable`], and the only ways
//! to make one are [`text`] (what `From<&str>`/`From<String>` call), a table whose every cell
//! already is printable ([`Printable::table`], so its colours are incidentctl's own), a JSON
//! document ([`Printable::json`]) and incidentctl's own `&'static str` sequences
//! ([`Printable::own`]). The printer (`src/output/printer.rs`) is the only code allowed to write to
//! stdout or stderr (`clippy.toml` forbids `println!`, `eprintln!`, `std::io::stdout` and
//! `std::io::stderr` everywhere else), and it takes only a `Printable`.
//!
//! What leaves by the network has its format's rules on top: Slack's mrkdwn ([`slack`]), HTML
//! (the report page escapes markup), and JSON, where a string's control characters are escaped
//! by serde and the invisible ones by [`json_escaped`].

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether the place the text goes holds several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Newlines and tabs stay (a page, a table cell with lines, a message body).
    Lines,
    /// One line: a newline is shown as `\n` too (a subject, a Markdown list item, a prompt).
    Line,
}

/// Whether `c` is shown as its escape: C0 and C1 control characters (and DEL) except a newline
/// and a tab where the layout allows them; invisible formatting characters (Unicode's `Cf`:
/// the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
/// U+200E/U+200F/U+061C, zero-width space, word joiner, BOM, the tag characters); and the line
/// and paragraph separators U+2028/U+2029. The zero-width joiner and non-joiner stay: emoji
/// and several scripts (Persian, the Indic ones) need them to be written at all.
pub fn is_escaped(c: char, layout: Layout) -> bool {
    match c {
        '\n' | '\t' => layout == Layout::Line && c == '\n',
        '\u{200c}' | '\u{200d}' => false,
        c if c.is_control() => true,
        c => matches!(
            c.general_category(),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        ),
    }
}

/// Text from outside, as it may be printed: every character [`is_escaped`] shown as its Rust
/// escape (`char::escape_default`: ESC is `\u{1b}`, a carriage return `\r`, U+202E
/// `\u{202e}`), everything else as it was.
pub fn text(text: &str, layout: Layout) -> Cow<'_, str> {
    if !text.chars().any(|c| is_escaped(c, layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_escaped(c, layout) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `text` prints as it is.
pub fn is_printable(text: &str, layout: Layout) -> bool {
    !text.chars().any(|c| is_escaped(c, layout))
}

/// Text for Slack's mrkdwn: printable, and `&`, `<`, `>` escaped as Slack asks, so a title
/// cannot mention `<!channel>` or disguise a link (<https://api.slack.com/reference/surfaces/formatting#escaping>).
pub fn slack(text: &str) -> String {
    self::text(text, Layout::Lines)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for HTML: printable, and markup shown as text.
pub fn html(text: &str) -> String {
    self::text(text, Layout::Lines)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON text with every character [`is_escaped`] inside its strings written as a `\uXXXX`
/// escape: the same document, but no C1 control or bidi override reaches a terminal that
/// shows it (serde escapes only the C0 controls). JSON's own syntax is ASCII, so such a
/// character can only be inside a string.
pub fn json_escaped(json: String) -> String {
    if is_printable(&json, Layout::Lines) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_escaped(c, Layout::Lines) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Text that may be written to a terminal as it is. See the module's documentation for the
/// only ways to make one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printable(String);

impl Printable {
    pub fn new() -> Self {
        Printable(String::new())
    }

    /// incidentctl's own control sequences (`watch` clears the screen): only from the program
    /// text itself, never from a value made at run time.
    pub fn own(sequence: &'static str) -> Self {
        Printable(sequence.to_string())
    }

    /// A rendered table, with the colours incidentctl gave its cells. Every cell must already
    /// be printable (made with [`cell`]): otherwise the whole rendering goes through [`text`],
    /// and the colours show as escapes rather than any cell's sequences being obeyed.
    pub fn table(table: &comfy_table::Table) -> Self {
        let cells_printable = table
            .header()
            .into_iter()
            .chain(table.row_iter())
            .flat_map(|row| row.cell_iter())
            .all(|c| is_printable(&c.content(), Layout::Lines));
        let rendered = table.to_string();
        if cells_printable {
            Printable(rendered)
        } else {
            Printable::from(rendered)
        }
    }

    /// A value as pretty JSON (one trailing newline): control characters escaped by serde,
    /// invisible ones by [`json_escaped`].
    pub fn json<T: Serialize>(value: &T) -> crate::error::Result<Self> {
        let mut text = serde_json::to_string_pretty(value)
            .map_err(|e| crate::error::Error::Internal(format!("cannot write JSON: {e}")))?;
        text.push('\n');
        Ok(Printable(json_escaped(text)))
    }

    /// Appends outside text, made printable.
    pub fn push_str(&mut self, outside: &str) {
        self.0.push_str(&text(outside, Layout::Lines));
    }

    /// Appends what is already printable.
    pub fn push(&mut self, printable: &Printable) {
        self.0.push_str(&printable.0);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A table cell of outside text, made printable (its lines kept).
pub fn cell(outside: impl AsRef<str>) -> comfy_table::Cell {
    comfy_table::Cell::new(text(outside.as_ref(), Layout::Lines))
}

impl From<&str> for Printable {
    fn from(outside: &str) -> Self {
        Printable(text(outside, Layout::Lines).into_owned())
    }
}

impl From<&String> for Printable {
    fn from(outside: &String) -> Self {
        Printable::from(outside.as_str())
    }
}

impl From<String> for Printable {
    fn from(outside: String) -> Self {
        match text(&outside, Layout::Lines) {
            Cow::Borrowed(_) => Printable(outside),
            Cow::Owned(shown) => Printable(shown),
        }
    }
}

impl From<&Printable> for Printable {
    fn from(printable: &Printable) -> Self {
        printable.clone()
    }
}

impl fmt::Display for Printable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every kind of sequence a terminal obeys, with words around it: what the unit tests put
/// wherever outside text goes.
#[cfg(test)]
pub(crate) const PAYLOAD: &str = "a\u{1b}]0;pwned-title\u{7}b\u{1b}[2Jc\u{1b}[31mRED\u{1b}[0m \
    d\u{1b}P1;2|x\u{1b}\\e\u{8}\u{8}f\rg\u{9b}31mh\u{202e}evil\u{202c}i\u{2066}j\u{2069}k\u{200b}l\u{feff}m\u{7f}n\u{2028}o";

/// Asserts that `shown` (where [`PAYLOAD`] went) prints as it is and still holds its words.
#[cfg(test)]
pub(crate) fn assert_shown(shown: &str, layout: Layout) {
    assert!(is_printable(shown, layout), "not printable: {shown:?}");
    for word in ["pwned-title", "RED", "evil"] {
        assert!(shown.contains(word), "{word} lost: {shown:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_control_and_invisible_character_is_shown_as_its_escape() {
        assert_eq!(
            text(PAYLOAD, Layout::Lines),
            "a\\u{1b}]0;pwned-title\\u{7}b\\u{1b}[2Jc\\u{1b}[31mRED\\u{1b}[0m \
             d\\u{1b}P1;2|x\\u{1b}\\e\\u{8}\\u{8}f\\rg\\u{9b}31mh\\u{202e}evil\\u{202c}i\\u{2066}j\\u{2069}k\\u{200b}l\\u{feff}m\\u{7f}n\\u{2028}o"
        );
    }

    #[test]
    fn the_layout_decides_newlines_and_tabs() {
        assert_eq!(text("a\nb\tc", Layout::Lines), "a\nb\tc");
        assert_eq!(text("a\nb\tc", Layout::Line), "a\\nb\tc");
        assert_eq!(text("a\r\nb", Layout::Lines), "a\\r\nb");
    }

    #[test]
    fn our_own_text_and_other_scripts_are_untouched() {
        for s in [
            "✅ ok · ⚠️ warning · 🔴 critical",
            "┌──┬──┐ │ │",
            "👩\u{200d}💻 on call; مي\u{200c}خواهم; naïve café 東京",
            "path C:\\temp\\x and \\u{1b} typed as text",
        ] {
            assert!(matches!(text(s, Layout::Lines), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn formats_escape_their_own_markup_too() {
        assert_eq!(
            slack("<!channel> & <https://x|y>\u{1b}[2J"),
            "&lt;!channel&gt; &amp; &lt;https://x|y&gt;\\u{1b}[2J"
        );
        assert_eq!(
            html("<script>\"x\"</script>\u{7}"),
            "&lt;script&gt;&quot;x&quot;&lt;/script&gt;\\u{7}"
        );
    }

    #[test]
    fn json_keeps_its_value_and_shows_no_invisible_character() {
        let value = serde_json::json!({ "m": PAYLOAD, "tag": "\u{e0041}" });
        let shown = Printable::json(&value).unwrap();
        assert!(is_printable(shown.as_str(), Layout::Lines), "{shown}");
        let back: serde_json::Value = serde_json::from_str(shown.as_str()).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_table_keeps_its_colours_only_when_every_cell_is_printable() {
        let mut t = comfy_table::Table::new();
        t.enforce_styling();
        t.add_row(vec![
            comfy_table::Cell::new("CRITICAL").fg(comfy_table::Color::Red),
            cell(PAYLOAD),
        ]);
        let shown = Printable::table(&t);
        assert!(
            shown.as_str().contains("\u{1b}["),
            "our colour stays: {shown:?}"
        );
        assert!(shown.as_str().contains("pwned-title\\u{7}"), "{shown}");

        let mut raw = comfy_table::Table::new();
        raw.enforce_styling();
        raw.add_row(vec![
            comfy_table::Cell::new("CRITICAL").fg(comfy_table::Color::Red),
            comfy_table::Cell::new(PAYLOAD),
        ]);
        let shown = Printable::table(&raw);
        assert!(is_printable(shown.as_str(), Layout::Lines), "{shown}");
    }

    proptest! {
        /// Whatever the bytes, what is printed holds no control character but newline and
        /// tab, and undoing the escapes gives the text back: nothing is lost.
        #[test]
        fn any_bytes_print_safely_and_nothing_is_lost(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let outside = String::from_utf8_lossy(&bytes);
            for layout in [Layout::Lines, Layout::Line] {
                let shown = text(&outside, layout);
                prop_assert!(shown.chars().all(|c| !is_escaped(c, layout)));
                prop_assert!(shown.chars().all(|c| !c.is_control() || c == '\n' || c == '\t'));
                prop_assert_eq!(unescape(&shown, &outside), outside.to_string());
            }
        }

        #[test]
        fn any_string_prints_safely(outside in any::<String>()) {
            let shown = Printable::from(outside.as_str());
            prop_assert!(shown.as_str().chars().all(|c| !is_escaped(c, Layout::Lines)));
            let json = Printable::json(&outside).unwrap();
            prop_assert!(is_printable(json.as_str(), Layout::Lines));
            let back: String = serde_json::from_str(json.as_str()).unwrap();
            prop_assert_eq!(back, outside);
        }
    }

    /// Reverses [`text`] by walking the original: each escaped character must appear as its
    /// escape, each other one as itself.
    fn unescape(shown: &str, original: &str) -> String {
        let mut rest = shown;
        let mut out = String::new();
        for c in original.chars() {
            let expected: String = if is_escaped(c, Layout::Line) && rest.starts_with('\\') {
                c.escape_default().collect()
            } else {
                c.to_string()
            };
            match rest.strip_prefix(expected.as_str()) {
                Some(r) => {
                    rest = r;
                    out.push(c);
                }
                None => return format!("mismatch at {rest:?}"),
            }
        }
        out
    }
}
