//! Reading outside input with a limit: a file, a pipe or a server that sends without end
//! (`--from-diagnose /dev/zero`, a runaway audit log, a proxy streaming a page) must end in a
//! clear error naming the limit, not fill memory or never return.

use std::io::{self, BufRead, Read};
use std::path::Path;

/// 1 MiB, 16 MiB: the limit as people read it.
pub fn size(limit: u64) -> String {
    if limit >= 1024 * 1024 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit / 1024)
    }
}

/// The whole file as text, or an error when it is larger than `limit` bytes (its kind is
/// `FileTooLarge`, its text names the limit).
pub fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    read_text(std::fs::File::open(path)?, limit)
}

/// Everything `reader` gives as text, or an error when it is more than `limit` bytes.
pub fn read_text(reader: impl Read, limit: u64) -> io::Result<String> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {}", size(limit)),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// The lines of a file, each read with at most `max_line` bytes kept (the rest of an over-long
/// line is skipped, and the line given as None): memory stays bounded by one line, whatever the
/// file's size.
pub fn for_each_line(
    path: &Path,
    max_line: usize,
    mut each: impl FnMut(Option<&str>),
) -> io::Result<()> {
    let mut reader = io::BufReader::new(std::fs::File::open(path)?);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut too_long = false;
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            if line.len() + chunk.len() > max_line {
                too_long = true;
            } else {
                line.extend_from_slice(chunk);
            }
            let used = done.unwrap_or(buf.len());
            reader.consume(used);
            if done.is_some() {
                break;
            }
        }
        if line.is_empty() && !too_long {
            // End of the file (or an empty line).
            if reader.fill_buf()?.is_empty() {
                return Ok(());
            }
            continue;
        }
        if too_long {
            each(None);
        } else {
            each(std::str::from_utf8(&line).ok());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_file_ends_in_an_error_naming_the_limit() {
        let e = read_to_string(Path::new("/dev/zero"), 64 * 1024).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("64 KiB"), "{e}");
    }

    #[test]
    fn lines_are_read_one_at_a_time_and_over_long_ones_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let long = "x".repeat(100);
        std::fs::write(&path, format!("one\n{long}\n\nthree")).unwrap();
        let mut seen = Vec::new();
        for_each_line(&path, 10, |l| seen.push(l.map(str::to_string))).unwrap();
        assert_eq!(
            seen,
            vec![Some("one".into()), None, Some("three".into())],
            "the empty line is skipped, the long one reported as None"
        );
    }
}
