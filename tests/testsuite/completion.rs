//! Completion in real shells, with the committed scripts (completions/): bash, zsh and fish ask
//! the binary, which completes commands and flags from the clap tree and names from the
//! sandbox's API server and incident store, honouring the `-n` already typed; with the API
//! server hung, a completion offers no name and returns within its budget.

use crate::support::{healthy, hung_server, incidentctl};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(name)
}

/// Runs `script` in `program` with incidentctl on PATH and `env`; its output.
fn shell(program: &str, script: &str, env: &[(String, String)]) -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_incidentctl"))
        .parent()
        .unwrap();
    let out = Command::new(program)
        .args(["-c", script])
        .env_clear()
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", std::env::temp_dir())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test (scripts/install-deps.sh installs it): {e}")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program}: {text}");
    text
}

/// What bash offers for the last word of `words` (as the shell calls the function on <TAB>).
fn bash(words: &[&str], env: &[(String, String)]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let out = shell(
        "bash",
        &format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_TYPE=9; _clap_complete_incidentctl incidentctl '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script("incidentctl.bash").display(),
            quoted.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        ),
        env,
    );
    // An empty COMPREPLY prints one empty line.
    out.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn world_env() -> Vec<(String, String)> {
    healthy().env()
}

#[test]
fn names_come_from_the_cluster_and_the_store_in_bash_zsh_and_fish() {
    let w = healthy();
    let mut env = world_env();
    // An incident of its own store, to complete.
    let store = tempfile::tempdir().unwrap();
    let store_s = store.path().display().to_string();
    env.retain(|(k, _)| k != "INCIDENTCTL_REPORT_STORE");
    env.push(("INCIDENTCTL_REPORT_STORE".into(), store_s.clone()));
    let new = incidentctl(
        Some(w),
        &[
            "report",
            "new",
            "--title",
            "t",
            "--severity",
            "sev3",
            "-o",
            "json",
        ],
        &[("INCIDENTCTL_REPORT_STORE", &store_s)],
    );
    let id = new.json()["id"].as_str().unwrap().to_string();

    let restart = bash(&["incidentctl", "restart", ""], &env);
    for name in ["backend", "frontend"] {
        assert!(
            restart.contains(&name.to_string()),
            "restart <TAB>: {restart:?}"
        );
    }
    let scale = bash(&["incidentctl", "scale", "back"], &env);
    assert_eq!(scale, ["backend"], "scale back<TAB>");
    let namespaces = bash(&["incidentctl", "-n", ""], &env);
    for ns in ["reconciliation", "default"] {
        assert!(
            namespaces.contains(&ns.to_string()),
            "-n <TAB>: {namespaces:?}"
        );
    }
    // The -n already typed is the namespace asked: none of the app's deployments there.
    let elsewhere = bash(&["incidentctl", "-n", "default", "restart", ""], &env);
    assert!(!elsewhere.contains(&"backend".to_string()), "{elsewhere:?}");
    let contexts = bash(&["incidentctl", "--context", ""], &env);
    assert_eq!(contexts, ["sandbox"], "--context <TAB>");
    let incidents = bash(&["incidentctl", "report", "show", ""], &env);
    assert!(incidents.contains(&id), "report show <TAB>: {incidents:?}");
    let checks = bash(&["incidentctl", "diagnose", "--check", "redis."], &env);
    assert_eq!(
        checks,
        ["redis.ping", "redis.memory"],
        "--check redis.<TAB>"
    );

    // zsh: the script defines its completer; asked as it asks, the binary offers the names.
    let zsh = shell(
        "zsh",
        &format!(
            "autoload -U compinit && compinit -u -D; source {}; print -r -- $+functions[_clap_dynamic_completer_incidentctl]; _CLAP_IFS=$'\\n' _CLAP_COMPLETE_INDEX=2 INCIDENTCTL_COMPLETE=zsh incidentctl -- incidentctl restart ''",
            script("_incidentctl").display()
        ),
        &env,
    );
    let mut lines = zsh.lines();
    assert_eq!(lines.next(), Some("1"), "{zsh}");
    assert!(lines.any(|l| l == "backend"), "{zsh}");

    // fish: its own completion engine, through the script.
    let fish = shell(
        "fish",
        &format!(
            "source {}; complete -C 'incidentctl restart '",
            script("incidentctl.fish").display()
        ),
        &env,
    );
    assert!(fish.lines().any(|l| l.starts_with("backend")), "{fish}");
}

#[test]
fn runbook_names_and_step_numbers_complete_the_teams_too() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("incidentctl.toml");
    std::fs::write(
        &config,
        "[[runbook]]\nname = \"payments-backlog\"\ntitle = \"Payments queue backlog\"\n\n[[runbook.resolve]]\ntitle = \"Scale the workers out\"\naction = \"scale\"\nargs = [\"payments-worker\", \"--replicas\", \"6\"]\n\n[[runbook.resolve]]\ntitle = \"Restart the workers\"\naction = \"restart\"\n",
    )
    .unwrap();
    let env = vec![(
        "INCIDENTCTL_CONFIG".to_string(),
        config.display().to_string(),
    )];
    let names = bash(&["incidentctl", "runbook", "show", ""], &env);
    for name in ["app-down", "security", "payments-backlog"] {
        assert!(
            names.contains(&name.to_string()),
            "runbook show <TAB>: {names:?}"
        );
    }
    assert_eq!(
        bash(&["incidentctl", "runbook", "run", "pay"], &env),
        ["payments-backlog"]
    );
    assert_eq!(
        bash(&["incidentctl", "diagnose", "err"], &env),
        ["error-rate"]
    );
    let steps = bash(
        &[
            "incidentctl",
            "runbook",
            "run",
            "payments-backlog",
            "--step",
            "",
        ],
        &env,
    );
    assert_eq!(steps, ["1", "2"], "--step <TAB>");
    let steps = bash(
        &[
            "incidentctl",
            "runbook",
            "run",
            "--yes",
            "performance",
            "--step",
            "",
        ],
        &env,
    );
    assert_eq!(steps, ["1", "2", "3", "4", "5"], "--step <TAB>");
}

#[test]
fn a_hung_api_server_gets_no_names_and_no_wait() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n    server: https://{}\n    insecure-skip-tls-verify: true\nusers:\n- name: x\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: x\n    user: x\ncurrent-context: x\n",
            hung_server()
        ),
    )
    .unwrap();
    let env = vec![("KUBECONFIG".to_string(), kubeconfig.display().to_string())];
    let started = Instant::now();
    let offered = bash(&["incidentctl", "restart", "b"], &env);
    let took = started.elapsed();
    assert!(offered.is_empty(), "{offered:?}");
    // The completer gives the server 0.7 s; the rest is two process starts.
    assert!(took < Duration::from_secs(2), "took {took:?}");
}
