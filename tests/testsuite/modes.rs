//! Private by default (issues 25 and 30): what incidentctl keeps (the incident store's files,
//! evidence attached to an incident, a `--capture` bundle) is created 0600 in 0700 directories
//! whatever the umask, as ssh and kubectl keep theirs; a team that shares them sets
//! `[files] mode` and gets exactly that mode (and search on the directories where read is set).

use crate::support::{incident, Run};
use incidentctl_sandbox::world::World;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;

/// incidentctl against `w` under `umask`, with `env`.
fn run_with_umask(w: &World, umask: u32, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_incidentctl"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .envs(w.env())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    // SAFETY: umask is async-signal-safe and cannot fail.
    unsafe {
        cmd.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    let started = std::time::Instant::now();
    let out = cmd.output().expect("run incidentctl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// Every file and directory under `root` (itself included) whose mode is not the one wanted.
fn wrong_modes(root: &Path, file: u32, dir: u32) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        let want = if meta.is_dir() { dir } else { file };
        if mode != want {
            wrong.push(format!("{} is {mode:04o}, not {want:04o}", path.display()));
        }
        if meta.is_dir() {
            for e in std::fs::read_dir(&path).unwrap() {
                stack.push(e.unwrap().path());
            }
        }
    }
    wrong
}

/// An incident, a diagnosis and a capture bundle attached to it as evidence, and a dry run in
/// the audit log, made under `umask` with `config` added: the directories they were kept in.
fn keep_everything(w: &World, umask: u32, config: &str) -> (tempfile::TempDir, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("team/incidents");
    let bundle = tmp.path().join("evidence/bundle");
    let audit = tmp.path().join("audit/audit.jsonl");
    let config_path = tmp.path().join("config.toml");
    // The sandbox's own config, with the case's lines.
    let base = std::fs::read_to_string(
        &w.env()
            .iter()
            .find(|(k, _)| k == "INCIDENTCTL_CONFIG")
            .unwrap()
            .1,
    )
    .unwrap();
    std::fs::write(&config_path, format!("{base}\n{config}")).unwrap();
    let (store_s, config_s, audit_s) = (
        store.display().to_string(),
        config_path.display().to_string(),
        audit.display().to_string(),
    );
    let env = [
        ("INCIDENTCTL_REPORT_STORE", store_s.as_str()),
        ("INCIDENTCTL_CONFIG", config_s.as_str()),
        ("INCIDENTCTL_AUDIT_LOG", audit_s.as_str()),
    ];
    let new = run_with_umask(
        w,
        umask,
        &["report", "new", "--title", "t", "--severity", "sev2"],
        &env,
    );
    assert_eq!(new.code, 0, "{}", new.all());
    let id = new.stdout.trim().to_string();
    let bundle_s = bundle.display().to_string();
    let captured = run_with_umask(
        w,
        umask,
        &[
            "diagnose",
            "--check",
            "redis.ping",
            "--incident",
            &id,
            "--capture",
            &bundle_s,
            "-o",
            "json",
        ],
        &env,
    );
    assert!(captured.code <= 3, "{}", captured.all());
    // A dry run is recorded too: the audit log and its directory.
    let dry = run_with_umask(w, umask, &["restart", "backend", "--dry-run"], &env);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(audit.is_file(), "{}", dry.all());
    let evidence = store.join(&id);
    assert!(
        std::fs::read_dir(&evidence).unwrap().count() > 3,
        "evidence stored with the incident"
    );
    // From the store's own directory down, the bundle's and the audit log's.
    let kept = vec![
        store.display().to_string(),
        bundle.display().to_string(),
        audit.parent().unwrap().display().to_string(),
    ];
    (tmp, kept)
}

#[test]
fn what_is_kept_is_owner_only_whatever_the_umask() {
    let w = incident();
    // A permissive umask (000) must not open them up.
    let (_tmp, kept) = keep_everything(w, 0o000, "");
    for root in &kept {
        let wrong = wrong_modes(Path::new(root), 0o600, 0o700);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

#[test]
fn a_team_sets_a_shared_mode_in_the_config_and_gets_exactly_it() {
    let w = incident();
    // A strict umask (077) must not close them either.
    let (_tmp, kept) = keep_everything(w, 0o077, "[files]\nmode = \"0640\"\n");
    for root in &kept {
        let wrong = wrong_modes(Path::new(root), 0o640, 0o750);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

#[test]
fn a_mode_that_lets_others_write_or_the_owner_not_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (mode, says) in [
        ("0666", "others may never write"),
        ("0400", "the owner must be able to read and write"),
        ("0750", "no x bits"),
        ("rw-r-----", "not an octal file mode"),
    ] {
        let path = dir.path().join("c.toml");
        std::fs::write(&path, format!("[files]\nmode = \"{mode}\"\n")).unwrap();
        let r = crate::support::incidentctl(
            None,
            &["config", "show", "--config", path.to_str().unwrap()],
            &[],
        );
        assert_eq!(r.code, 78, "{mode}: {}", r.all());
        assert!(r.stderr.contains(says), "{mode}: {}", r.stderr);
    }
}
