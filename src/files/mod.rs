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

pub mod bounded;
#[cfg(test)]
pub(crate) mod source_scan;

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Owner-only: every file incidentctl writes may hold what an incident revealed.
pub const PRIVATE: u32 = 0o600;

/// The modes of what incidentctl keeps (incidents and their evidence, capture bundles, the
/// audit log): owner-only, as ssh and kubectl keep theirs, unless the config's `[files] mode`
/// shares them. Set exactly (whatever the umask), on what is created; nothing existing is
/// changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    pub file: u32,
    pub dir: u32,
}

impl Modes {
    pub const PRIVATE: Modes = Modes {
        file: PRIVATE,
        dir: 0o700,
    };

    /// A file mode and its directories' mode: searchable where readable (0640 → 0750).
    pub fn of_file_mode(file: u32) -> Modes {
        Modes {
            file,
            dir: file | ((file & 0o444) >> 2),
        }
    }
}

/// A new file at `path`, which must not exist (not even as a dangling link), of `mode`.
pub fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    // Exactly `mode`: the umask may have taken bits a shared mode asks for.
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(file)
}

/// A new file at `path` holding `bytes`, of `mode`, synced.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = create_new(path, mode)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new directory at `path`, of `mode`; an error when anything is there already. Its parents
/// are created as `mkdir -p` would, of the same mode.
pub fn create_dir_new(path: &Path, mode: u32) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs(parent, mode)?;
    }
    make_dir(path, mode)
}

/// `path` and its parents as directories; those it creates are of `mode`, existing ones are
/// kept as they are.
pub fn create_dirs(path: &Path, mode: u32) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs(parent, mode)?;
    }
    match make_dir(path, mode) {
        // Made by another run in between: as good.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        other => other,
    }
}

/// `path` and its parents, those it creates owner-only.
pub fn create_dir_private(path: &Path) -> io::Result<()> {
    create_dirs(path, Modes::PRIVATE.dir)
}

fn make_dir(path: &Path, mode: u32) -> io::Result<()> {
    std::fs::DirBuilder::new().mode(mode).create(path)?;
    // Exactly `mode`, whatever the umask. The directory was just made by this process.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
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
    let placed = write_new(&tmp, bytes, mode).and_then(|()| place(&tmp));
    let _ = std::fs::remove_file(&tmp);
    let placed = placed?;
    // The directory entry itself is durable too.
    if let Ok(d) = OpenOptions::new().read(true).open(dir) {
        let _ = d.sync_all();
    }
    Ok(placed)
}

/// Replaces `path` with a file holding `bytes` (of `mode`): readers see the old or the new
/// file whole, never half of one, and a link at `path` is replaced, not written through.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    via_temporary(path, bytes, mode, |tmp| std::fs::rename(tmp, path))
}

/// Puts a file holding `bytes` (of `mode`) at `path` only if the name is free: it appears
/// whole or not at all, and never over another file or link. False when the name is taken.
pub fn publish_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<bool> {
    via_temporary(path, bytes, mode, |tmp| {
        match std::fs::hard_link(tmp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e),
        }
    })
}

/// Opened with `O_NOFOLLOW`, created of `mode` when missing, and refused unless it is a
/// regular file (a FIFO would block, a device would be written to).
fn open_existing_or_new(path: &Path, options: &mut OpenOptions, mode: u32) -> io::Result<File> {
    let created = path.symlink_metadata().is_err();
    let file = options
        .create(true)
        .mode(mode)
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
    if created {
        // Exactly `mode`, whatever the umask; a file that was there keeps its own.
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    Ok(file)
}

/// A log to append to (every write lands at its end; it can be read, to see how it ends), of
/// `mode` when it is created.
pub fn open_append(path: &Path, mode: u32) -> io::Result<File> {
    open_existing_or_new(path, OpenOptions::new().append(true).read(true), mode)
}

/// A lock file, to hold an advisory lock on, of `mode` when it is created.
pub fn open_lock(path: &Path, mode: u32) -> io::Result<File> {
    open_existing_or_new(path, OpenOptions::new().write(true).truncate(false), mode)
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
            write_new(&planted, b"x", PRIVATE).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert!(open_append(&planted, PRIVATE)
            .unwrap_err()
            .to_string()
            .contains("symbolic link"));
        assert!(open_lock(&planted, PRIVATE).is_err());
        assert!(!publish_new(&planted, b"x", PRIVATE).unwrap());
        assert!(create_dir_new(&planted, 0o700).is_err());
        // A dangling link is a taken name too.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_new(&dangling, b"x", PRIVATE).is_err());
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
        assert!(publish_new(&dir.path().join("y.json"), b"2", PRIVATE).unwrap());
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
        open_append(&log, PRIVATE).unwrap();
        assert_eq!(
            std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(open_lock(&fifo, PRIVATE).is_err());
    }

    /// A shared mode is set exactly, whatever the umask, on what is created; directories get
    /// search where read is allowed.
    #[test]
    fn a_shared_mode_is_set_exactly_on_what_is_created() {
        let modes = Modes::of_file_mode(0o660);
        assert_eq!(modes.dir, 0o770);
        assert_eq!(Modes::of_file_mode(0o640).dir, 0o750);
        assert_eq!(Modes::of_file_mode(0o600), Modes::PRIVATE);
        let dir = tempfile::tempdir().unwrap();
        let mode_of = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        // SAFETY: umask has no preconditions; the old mask is put back below.
        let old = unsafe { libc::umask(0o077) };
        let nested = dir.path().join("a/b");
        create_dirs(&nested, modes.dir).unwrap();
        write_new(&nested.join("f"), b"x", modes.file).unwrap();
        let log = nested.join("log");
        open_append(&log, modes.file).unwrap();
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        assert_eq!(mode_of(&dir.path().join("a")), 0o770);
        assert_eq!(mode_of(&nested), 0o770);
        assert_eq!(mode_of(&nested.join("f")), 0o660);
        assert_eq!(mode_of(&log), 0o660);
        // An existing file keeps its mode.
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o600)).unwrap();
        open_append(&log, 0o640).unwrap();
        assert_eq!(mode_of(&log), 0o600);
    }

    /// Every file write of the crate is one of the functions above: read `src/` and find any
    /// other module that creates, opens for writing, renames or links a file itself.
    #[test]
    fn no_other_module_writes_a_file_itself() {
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
        // bounded.rs opens files read-only: the one reader.
        let found = crate::files::source_scan::lines_with(
            &forbidden,
            &["files/mod.rs", "files/bounded.rs"],
        );
        assert!(
            found.is_empty(),
            "write files through crate::files only:\n{}",
            found.join("\n")
        );
    }
}
