#![allow(clippy::disallowed_macros)] // cargo reads a build script's stdout: the console rule is for incidentctl
//! Puts the git revision into `incidentctl --version`, so a bug report names the exact build.
//! Outside a git checkout (a crates.io install) the revision reads "unknown".
//!
//! `-dirty` means the files the binary is built from (`src/`, `build.rs`, `Cargo.toml`,
//! `Cargo.lock`) differ from the commit. The script runs again when one of them changes and
//! when the commit does (HEAD, the branch's ref, packed refs, the index, found with `git
//! rev-parse`, so a worktree's own HEAD is watched, not a `.git` that is a file there): a binary
//! built again after a commit is never left saying `-dirty` from before it.

use std::path::PathBuf;
use std::process::Command;

/// The binary's own sources, as paths git and cargo both understand.
const SOURCES: [&str; 4] = ["src", "build.rs", "Cargo.toml", "Cargo.lock"];

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

fn main() {
    let rev = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let mut status = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    status.extend(SOURCES);
    let dirty = Command::new("git")
        .args(&status)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let version = env!("CARGO_PKG_VERSION");
    let suffix = if dirty { "-dirty" } else { "" };
    println!("cargo:rustc-env=INCIDENTCTL_VERSION={version} (git {rev}{suffix})");
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
    }
    let git_dir = git(&["rev-parse", "--git-dir"]).map(PathBuf::from);
    let common = git(&["rev-parse", "--git-common-dir"]).map(PathBuf::from);
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let mut watched = Vec::new();
    if let Some(dir) = &git_dir {
        watched.push(dir.join("HEAD"));
        watched.push(dir.join("index"));
    }
    if let Some(dir) = &common {
        watched.push(dir.join("packed-refs"));
        if let Some(branch) = &branch {
            watched.push(dir.join(branch));
        }
    }
    for path in watched.into_iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
