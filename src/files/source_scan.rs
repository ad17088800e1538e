//! For the tests that hold the crate to a rule by reading its own source ("no other module
//! writes a file itself", "… reads one"): every line of `src/` outside test code.

use std::path::{Path, PathBuf};

/// The lines of `src/` that any of `needles` is in, outside test code (`#[cfg(test)]` modules,
/// `tests.rs` files) and comments, of the files `skipped` does not name: `path:line: text`.
pub fn lines_with(needles: &[&str], skipped: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let skip = path.ends_with("tests.rs")
                || skipped.iter().any(|s| path.ends_with(format!("src/{s}")));
            if path.extension().is_none_or(|e| e != "rs") || skip {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                if needles.iter().any(|f| line.contains(f)) && !line.trim_start().starts_with("//")
                {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    found
}
