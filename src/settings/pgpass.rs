//! libpq's password file (PGPASSFILE, else ~/.pgpass): `host:port:database:user:password` lines,
//! `*` matching anything, `\:` and `\\` escaping. Like libpq, a file others can read is ignored
//! with a warning: the on-call's database password must not be world-readable.

use std::path::{Path, PathBuf};

/// What the URL connects to, as the password file matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// The password file to read: PGPASSFILE, else ~/.pgpass; None when neither is set.
pub fn location(pgpassfile: Option<String>, home: Option<String>) -> Option<PathBuf> {
    pgpassfile
        .map(PathBuf::from)
        .or_else(|| home.map(|h| Path::new(&h).join(".pgpass")))
}

/// The first matching line's password, from the file's text.
pub fn find_password(text: &str, target: &Target<'_>) -> Option<String> {
    let port = target.port.to_string();
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .filter_map(split_fields)
        .find(|fields| {
            let wanted = [target.host, &port, target.database, target.user];
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// Five fields with `\:` and `\\` unescaped; a line with fewer is skipped (as libpq does).
fn split_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut()?.push(next);
                }
            }
            // The password is the rest of the line, colons included.
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    (fields.len() == 5).then_some(fields)
}

/// Whether people other than the owner can read or write the file (libpq then ignores it).
pub fn is_exposed(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Target<'static> = Target {
        host: "db.internal",
        port: 5432,
        database: "app",
        user: "oncall",
    };

    #[test]
    fn the_first_matching_line_wins_and_stars_match_anything() {
        let text =
            "# comment\nother:5432:app:oncall:nope\n*:5432:app:oncall:first\n*:*:*:*:second\n";
        assert_eq!(find_password(text, &TARGET).as_deref(), Some("first"));
    }

    #[test]
    fn escaped_colons_and_backslashes_are_part_of_a_field() {
        let text = "db.internal:5432:app:oncall:pa\\:ss\\\\word:tail";
        assert_eq!(
            find_password(text, &TARGET).as_deref(),
            Some("pa:ss\\word:tail")
        );
    }

    #[test]
    fn short_lines_and_other_ports_do_not_match() {
        assert_eq!(find_password("db.internal:5432:app", &TARGET), None);
        assert_eq!(
            find_password("db.internal:5433:app:oncall:x", &TARGET),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panic(text in "(?s).{0,120}") {
            let _ = find_password(&text, &TARGET);
        }
    }
}
