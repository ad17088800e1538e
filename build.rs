#![allow(clippy::disallowed_macros)] // cargo reads a build script's stdout: the console rule is for incidentctl
//! Puts the git revision into `incidentctl --version`, so a bug report names the exact build.
//! Outside a git checkout (a crates.io install) the revision reads "unknown".

use std::process::Command;

fn main() {
    let rev = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "unknown".into());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| !o.stdout.is_empty());
    let version = env!("CARGO_PKG_VERSION");
    let suffix = if dirty { "-dirty" } else { "" };
    println!("cargo:rustc-env=INCIDENTCTL_VERSION={version} (git {rev}{suffix})");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
}
