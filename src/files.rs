//! Every file incidentctl writes goes through here, and every file it must open with care. The
//! places it writes (an evidence bundle, the incident store, the audit log) may sit in a
//! directory others can write, so no write may follow a link someone planted or land on a name
//! someone took first:
//! - new files are created with `O_CREAT | O_EXCL | O_NOFOLLOW` (`create_new`), never opened
//!   over what is there;
//! - a file replaced whole is written to a new file of a random name and renamed into place
//!   (a rename replaces a link; it never writes through one);
//! - a file kept open for appending or locking is opened with `O_NOFOLLOW` and must be a
//!   regular file.
//!
//! A unit test below reads `src/` and fails when any other module writes a file itself.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Owner-only: every file incidentctl writes may hold what an incident revealed.
pub const PRIVATE: u32 = 0o600;

/// A new file at `path`, which must not exist (not even as a dangling link).
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// A new private file at `path` holding `bytes`, synced.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_new_with_mode(path, bytes, PRIVATE)
}

fn write_new_with_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = create_new(path, mode)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new directory at `path`, owner-only; an error when anything is there already. Its
/// parents are created as `mkdir -p` would.
pub fn create_dir_new(path: &Path) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_private(parent)?;
    }
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

/// `path` and its parents as directories, those it creates owner-only; existing ones are kept.
pub fn create_dir_private(path: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
}

/// A name no one can guess in advance: `.{prefix}.{random}.tmp`.
fn temporary_name(dir: &Path, prefix: &str) -> io::Result<PathBuf> {
    let mut random = [0u8; 12];
    getrandom::fill(&mut random).map_err(io::Error::other)?;
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!(".{prefix}.{hex}.tmp")))
}

/// Writes `bytes` to a new file of a random name in `path`'s directory, then runs `place`
/// on it; the temporary file is gone afterwards whatever happened.
fn via_temporary<T>(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    place: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = temporary_name(dir, &name)?;
    let placed = write_new_with_mode(&tmp, bytes, mode).and_then(|()| place(&tmp));
    let _ = std::fs::remove_file(&tmp);
    let placed = placed?;
    // The directory entry itself is durable too.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(placed)
}

/// Replaces `path` with a file holding `bytes` (of `mode`): readers see the old or the new
/// file whole, never half of one, and a link at `path` is replaced, not written through.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    via_temporary(path, bytes, mode, |tmp| std::fs::rename(tmp, path))
}

/// Puts a file holding `bytes` at `path` only if the name is free: it appears whole or not at
/// all, and never over another file or link. False when the name is taken.
pub fn publish_new(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    via_temporary(path, bytes, PRIVATE, |tmp| {
        match std::fs::hard_link(tmp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    })
}

/// Opened with `O_NOFOLLOW`, created owner-only when missing, and refused unless it is a
/// regular file (a FIFO would block, a device would be written to).
fn open_existing_or_new(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    let file = options
        .create(true)
        .mode(PRIVATE)
        // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader forever.
        // It changes nothing for a regular file.
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a symbolic link; incidentctl does not write through links",
            ),
            Some(libc::ENXIO) => {
                io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file")
            }
            _ => e,
        })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(file)
}

/// A file to read that must be a regular file: opened without waiting on a FIFO planted under
/// its name (O_NONBLOCK), and refused, saying so, when it is not one.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(file)
}

/// A small file of the user's own that must stay private (a key): read through no link, and
/// refused unless it is a regular file, owned by the user, that nobody else may read, of at
/// most `limit` bytes.
pub fn read_private(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if !meta.is_file() || meta.uid() != me || meta.mode() & 0o077 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "not a private regular file of yours (chmod 600 it, or remove it)",
        ));
    }
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A log to append to (every write lands at its end; it can be read, to see how it ends).
pub fn open_append(path: &Path) -> io::Result<File> {
    open_existing_or_new(path, OpenOptions::new().append(true).read(true))
}

/// A lock file, to hold an advisory lock on.
pub fn open_lock(path: &Path) -> io::Result<File> {
    open_existing_or_new(path, OpenOptions::new().write(true).truncate(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn nothing_is_written_through_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "kept").unwrap();
        let planted = dir.path().join("planted");
        symlink(&victim, &planted).unwrap();

        assert_eq!(
            write_new(&planted, b"x").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(open_append(&planted)
            .unwrap_err()
            .to_string()
            .contains("symbolic link"));
        assert!(open_lock(&planted).is_err());
        assert!(!publish_new(&planted, b"x").unwrap());
        assert!(create_dir_new(&planted).is_err());
        // A dangling link is a taken name too.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_new(&dangling, b"x").is_err());
        assert!(!dir.path().join("nowhere").exists());

        replace(&planted, b"new", PRIVATE).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "kept");
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "new");
        assert!(!std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[test]
    fn temporary_names_cannot_be_guessed_and_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let a = temporary_name(dir.path(), "x.json").unwrap();
        let b = temporary_name(dir.path(), "x.json").unwrap();
        assert_ne!(a, b);
        replace(&dir.path().join("x.json"), b"1", PRIVATE).unwrap();
        assert!(publish_new(&dir.path().join("y.json"), b"2").unwrap());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn files_are_private_and_a_fifo_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audit.jsonl");
        open_append(&log).unwrap();
        assert_eq!(
            std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(open_lock(&fifo).is_err());
    }

    /// Every file write of the crate is one of the functions above: read `src/` and find any
    /// other module that creates, opens for writing, renames or links a file itself.
    #[test]
    fn no_other_module_writes_a_file_itself() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let forbidden = [
            "fs::write(",
            "File::create(",
            "OpenOptions::new(",
            "fs::rename(",
            "hard_link(",
            "fs::copy(",
            "create_dir_all(",
            "DirBuilder::new(",
        ];
        let mut found = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let skipped = path.ends_with("src/files.rs") || path.ends_with("tests.rs");
                if path.extension().is_none_or(|e| e != "rs") || skipped {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Test modules write their fixtures as they like.
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for (n, line) in code.lines().enumerate() {
                    if forbidden.iter().any(|f| line.contains(f))
                        && !line.trim_start().starts_with("//")
                    {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "write files through crate::files only:\n{}",
            found.join("\n")
        );
    }
}
