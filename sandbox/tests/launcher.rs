//! The launcher's command line: help for each mode, and no sandbox started by asking for it.

use std::process::Command;
use std::time::{Duration, Instant};

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn launcher(args: &[&str]) -> Ran {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_incidentctl-sandbox"))
        .args(args)
        .output()
        .expect("the launcher runs");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: started.elapsed(),
    }
}

#[test]
fn help_describes_each_mode_and_starts_nothing() {
    let top = launcher(&["--help"]);
    assert_eq!(top.code, 0, "{}{}", top.stdout, top.stderr);
    for mode in ["run", "up"] {
        assert!(top.stdout.contains(&format!("  {mode} ")), "{}", top.stdout);
    }
    for (args, flag) in [
        (["up", "--help"], "--env-file"),
        (["run", "--help"], "--scenario"),
    ] {
        let help = launcher(&args);
        assert_eq!(help.code, 0, "{args:?}: {}{}", help.stdout, help.stderr);
        assert!(help.stdout.contains(flag), "{args:?}: {}", help.stdout);
        assert!(help.stdout.contains("--kubernetes"), "{}", help.stdout);
        // A sandbox takes seconds and says it is starting: help does neither.
        assert!(!help.stderr.contains("starting"), "{}", help.stderr);
        assert!(
            help.took < Duration::from_secs(5),
            "{args:?} took {:?}",
            help.took
        );
    }
}

#[test]
fn a_wrong_mode_or_none_is_a_usage_error() {
    for args in [&[][..], &["bogus"], &["up", "--scenario", "nope"]] {
        let r = launcher(args);
        assert_eq!(r.code, 64, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(!r.stderr.contains("starting"), "{}", r.stderr);
    }
}
