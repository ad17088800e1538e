//! A Kubernetes list's JSON cut into its items as it arrives, so that memory holds one object,
//! never a page: `{"kind": …, "metadata": {"continue": …}, "items": [{…}, {…}]}` fed in pieces
//! (network reads) hands each element of `items` over as its own bytes once it is complete,
//! keeps `metadata` (small) for its continue token, and skips anything else. It only finds
//! where values begin and end (strings, escapes, nesting); each item is then parsed by serde.

/// Where the splitter is in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    KeyOrEnd,
    Key { escaped: bool },
    Colon,
    Value,
    InValue,
    AfterValue,
    ItemOrEnd,
    InItem,
    AfterItem,
    Done,
}

/// Where one JSON value ends: its nesting, and whether the scan is inside a string.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A number, true, false or null: it ends at the first delimiter.
    literal: bool,
}

enum Step {
    More,
    /// This byte ends the value.
    Ends,
    /// The value ended before this byte (a literal), which belongs to what follows.
    EndedBefore,
}

impl Scan {
    /// A scan of the value that `first` begins (never complete on its first byte: a value is
    /// at least two bytes, or a literal that ends at a delimiter).
    fn start(first: u8) -> Scan {
        let mut scan = Scan::default();
        match first {
            b'{' | b'[' => scan.depth = 1,
            b'"' => scan.in_string = true,
            _ => scan.literal = true,
        }
        scan
    }

    #[inline]
    fn push(&mut self, b: u8) -> Step {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.depth == 0 {
                    return Step::Ends;
                }
            }
            return Step::More;
        }
        if self.literal {
            return match b {
                b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t' => Step::EndedBefore,
                _ => Step::More,
            };
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Step::Ends;
                }
            }
            _ => {}
        }
        Step::More
    }
}

/// What a value at the top of the list is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Metadata,
    /// `"items": null`, as some servers write an empty list.
    NullItems,
    Skipped,
}

pub struct ListSplitter {
    state: State,
    key: Vec<u8>,
    scan: Scan,
    purpose: Purpose,
    /// The bytes of the value or item being read.
    value: Vec<u8>,
    metadata: Option<Vec<u8>>,
    saw_items: bool,
}

fn error(message: &str) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

impl Default for ListSplitter {
    fn default() -> Self {
        ListSplitter {
            state: State::Start,
            key: Vec::new(),
            scan: Scan::default(),
            purpose: Purpose::Skipped,
            value: Vec::new(),
            metadata: None,
            saw_items: false,
        }
    }
}

impl ListSplitter {
    /// Reads `chunk`, handing each item completed in it to `item`.
    pub fn feed(
        &mut self,
        chunk: &[u8],
        item: &mut impl FnMut(&[u8]) -> Result<(), serde_json::Error>,
    ) -> Result<(), serde_json::Error> {
        let mut i = 0;
        while i < chunk.len() {
            if self.state == State::InItem {
                // The bulk of a list: scan to the item's end, copying it in one piece.
                let start = i;
                let mut ended = None;
                while i < chunk.len() {
                    match self.scan.push(chunk[i]) {
                        Step::More => i += 1,
                        Step::Ends => {
                            i += 1;
                            ended = Some(i);
                            break;
                        }
                        Step::EndedBefore => {
                            ended = Some(i);
                            break;
                        }
                    }
                }
                match ended {
                    Some(end) => {
                        self.value.extend_from_slice(&chunk[start..end]);
                        item(&self.value)?;
                        self.value.clear();
                        self.state = State::AfterItem;
                    }
                    None => self.value.extend_from_slice(&chunk[start..]),
                }
                continue;
            }
            self.step(chunk[i])?;
            i += 1;
        }
        Ok(())
    }

    /// One byte outside an item. A literal's end is found on the byte after it, which is then
    /// read again in the state that follows.
    fn step(&mut self, b: u8) -> Result<(), serde_json::Error> {
        match self.state {
            State::Start if is_space(b) => {}
            State::Start if b == b'{' => self.state = State::KeyOrEnd,
            State::Start => return Err(error("not a Kubernetes list (not a JSON object)")),
            State::KeyOrEnd if is_space(b) => {}
            State::KeyOrEnd if b == b'"' => {
                self.key.clear();
                self.state = State::Key { escaped: false };
            }
            State::KeyOrEnd if b == b'}' => self.state = State::Done,
            State::Key { escaped } => {
                if !escaped && b == b'"' {
                    self.state = State::Colon;
                } else {
                    self.key.push(b);
                    self.state = State::Key {
                        escaped: !escaped && b == b'\\',
                    };
                }
            }
            State::Colon if is_space(b) => {}
            State::Colon if b == b':' => self.state = State::Value,
            State::Value if is_space(b) => {}
            State::Value => self.begin_value(b)?,
            State::InValue => match self.scan.push(b) {
                Step::More => self.keep(b),
                Step::Ends => {
                    self.keep(b);
                    self.end_value()?;
                }
                Step::EndedBefore => {
                    self.end_value()?;
                    return self.step(b);
                }
            },
            State::AfterValue if is_space(b) => {}
            State::AfterValue if b == b',' => self.state = State::KeyOrEnd,
            State::AfterValue if b == b'}' => self.state = State::Done,
            State::ItemOrEnd if is_space(b) => {}
            State::ItemOrEnd if b == b']' => self.state = State::AfterValue,
            State::ItemOrEnd => {
                self.scan = Scan::start(b);
                self.value.clear();
                self.value.push(b);
                self.state = State::InItem;
            }
            State::AfterItem if is_space(b) => {}
            State::AfterItem if b == b',' => self.state = State::ItemOrEnd,
            State::AfterItem if b == b']' => self.state = State::AfterValue,
            State::Done if is_space(b) => {}
            State::Done => return Err(error("trailing characters after the list")),
            _ => return Err(error("not a Kubernetes list (malformed JSON)")),
        }
        Ok(())
    }

    fn keep(&mut self, b: u8) {
        if self.purpose != Purpose::Skipped {
            self.value.push(b);
        }
    }

    fn begin_value(&mut self, b: u8) -> Result<(), serde_json::Error> {
        if self.key == b"items" {
            self.saw_items = true;
            match b {
                b'[' => {
                    self.state = State::ItemOrEnd;
                    return Ok(());
                }
                b'n' => self.purpose = Purpose::NullItems,
                _ => return Err(error("the list's items are not a JSON array")),
            }
        } else if self.key == b"metadata" {
            self.purpose = Purpose::Metadata;
        } else {
            self.purpose = Purpose::Skipped;
        }
        self.scan = Scan::start(b);
        self.value.clear();
        self.keep(b);
        self.state = State::InValue;
        Ok(())
    }

    fn end_value(&mut self) -> Result<(), serde_json::Error> {
        match self.purpose {
            Purpose::Metadata => self.metadata = Some(std::mem::take(&mut self.value)),
            Purpose::NullItems if self.value != b"null" => {
                return Err(error("the list's items are not a JSON array"))
            }
            Purpose::NullItems | Purpose::Skipped => {}
        }
        self.value.clear();
        self.state = State::AfterValue;
        Ok(())
    }

    /// At the end of the answer: the list's `metadata.continue`, or an error when the answer
    /// was not a whole list.
    pub fn finish(self) -> Result<Option<String>, serde_json::Error> {
        if self.state != State::Done {
            return Err(error("the list ended before it was complete"));
        }
        if !self.saw_items {
            return Err(<serde_json::Error as serde::de::Error>::missing_field(
                "items",
            ));
        }
        #[derive(serde::Deserialize)]
        struct PageMeta {
            #[serde(rename = "continue")]
            continue_token: Option<String>,
        }
        match self.metadata {
            Some(bytes) => {
                Ok(serde_json::from_slice::<Option<PageMeta>>(&bytes)?
                    .and_then(|m| m.continue_token))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items and continue token of `text`, fed `chunk` bytes at a time.
    fn split(text: &str, chunk: usize) -> Result<(Vec<String>, Option<String>), serde_json::Error> {
        let mut splitter = ListSplitter::default();
        let mut items = Vec::new();
        for piece in text.as_bytes().chunks(chunk.max(1)) {
            splitter.feed(piece, &mut |item| {
                items.push(String::from_utf8(item.to_vec()).unwrap());
                Ok(())
            })?;
        }
        Ok((items, splitter.finish()?))
    }

    #[test]
    fn items_come_out_whole_whatever_the_pieces() {
        let text = r#" {"kind": "PodList", "n": -1.5e3, "t": true, "metadata": {"resourceVersion": "7", "continue": "c\"x"},
            "items": [ {"a": "}]\"{", "b": [1, {"c": null}]} , {"d": "\\"}, 42 ,"s"],
            "z": null } "#;
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (items, token) = split(text, chunk).unwrap();
            assert_eq!(
                items,
                vec![
                    r#"{"a": "}]\"{", "b": [1, {"c": null}]}"#.to_string(),
                    r#"{"d": "\\"}"#.to_string(),
                    "42".to_string(),
                    r#""s""#.to_string()
                ],
                "chunk {chunk}"
            );
            assert_eq!(token.as_deref(), Some("c\"x"), "chunk {chunk}");
        }
    }

    #[test]
    fn what_is_not_a_whole_list_is_an_error() {
        for text in [
            r#"{"metadata": {}}"#,
            r#"{"items": {"a": 1}}"#,
            r#"{"items": nul}"#,
            r#"[]"#,
            r#"{"items": []} trailing"#,
            r#"{"items": [{"a": 1}"#,
            r#"{"items": [], "metadata": {"continue": 5}}"#,
            "",
        ] {
            assert!(split(text, 3).is_err(), "{text}");
        }
        assert_eq!(split(r#"{"items": null}"#, 2).unwrap(), (vec![], None));
    }

    proptest::proptest! {
        /// Any list serde can write is split into exactly the items serde reads back.
        #[test]
        fn any_list_splits_into_its_items(
            items in proptest::collection::vec(
                proptest::collection::btree_map("[a-z\"\\\\{}\\[\\] ]{0,6}", "[ -~]{0,8}", 0..4), 0..5),
            token in proptest::option::of("[ -~]{0,10}"),
            chunk in 1usize..40,
        ) {
            let doc = serde_json::json!({"kind": "L", "metadata": {"continue": token}, "items": items});
            let text = serde_json::to_string_pretty(&doc).unwrap();
            let (split_items, split_token) = split(&text, chunk).unwrap();
            let parsed: Vec<std::collections::BTreeMap<String, String>> = split_items
                .iter()
                .map(|i| serde_json::from_str(i).unwrap())
                .collect();
            proptest::prop_assert_eq!(parsed, items);
            proptest::prop_assert_eq!(split_token, token);
        }
    }
}
