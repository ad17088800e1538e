//! The shipped RBAC roles cover every Kubernetes API call incidentctl makes, and nothing more:
//! the calls are recorded by the Kubernetes stand-in while diagnose and every changing command run
//! (the scripted incident from examples/ included), then matched against the rules.

mod support;

use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::standin::RecordedRequest;
use incidentctl_sandbox::world::World;
use serde_json::Value;
use std::collections::BTreeSet;
use support::incidentctl;

/// (API group, resource or resource/subresource, verb), as RBAC names them.
type Permission = (String, String, String);

fn permission(r: &RecordedRequest) -> Option<Permission> {
    let parts: Vec<&str> = r.path.split('/').filter(|s| !s.is_empty()).collect();
    let (group, rest) = match parts.as_slice() {
        ["api", "v1", rest @ ..] => (String::new(), rest),
        ["apis", g, _v, rest @ ..] => (g.to_string(), rest),
        _ => return None, // discovery (/version, /api, /apis): allowed to every authenticated user
    };
    let rest: Vec<&str> = match rest {
        ["namespaces", _ns, tail @ ..] if !tail.is_empty() => tail.to_vec(),
        other => other.to_vec(),
    };
    let (resource, named) = match rest.as_slice() {
        [res] => (res.to_string(), false),
        [res, _name] => (res.to_string(), true),
        [res, _name, sub] => (format!("{res}/{sub}"), true),
        _ => return None,
    };
    let verb = match (r.method.as_str(), named) {
        ("GET", false) if r.query.contains("watch=true") => "watch",
        ("GET", false) => "list",
        ("GET", true) => "get",
        ("PATCH", _) => "patch",
        ("PUT", _) => "update",
        ("POST", _) => "create",
        ("DELETE", _) => "delete",
        _ => return None,
    };
    Some((group, resource, verb.to_string()))
}

/// Every (group, resource, verb) the Roles and ClusterRoles in `file` grant.
fn granted(file: &str) -> BTreeSet<Permission> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap();
    let doc: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let items: Vec<Value> = if doc["kind"] == "List" {
        doc["items"].as_array().unwrap().clone()
    } else {
        vec![doc]
    };
    let mut out = BTreeSet::new();
    for item in items
        .iter()
        .filter(|i| i["kind"] == "Role" || i["kind"] == "ClusterRole")
    {
        for rule in item["rules"].as_array().unwrap() {
            for g in rule["apiGroups"].as_array().unwrap() {
                for r in rule["resources"].as_array().unwrap() {
                    for v in rule["verbs"].as_array().unwrap() {
                        out.insert((
                            g.as_str().unwrap().to_string(),
                            r.as_str().unwrap().to_string(),
                            v.as_str().unwrap().to_string(),
                        ));
                    }
                }
            }
        }
    }
    out
}

fn used(requests: &[RecordedRequest]) -> BTreeSet<Permission> {
    requests.iter().filter_map(permission).collect()
}

#[test]
fn the_shipped_roles_cover_every_call_and_no_more() {
    incidentctl_sandbox::servers::kill_all_at_exit();
    let w = World::start(Scenario::Incident)
        .unwrap_or_else(|e| panic!("the sandbox could not start: {e}"));
    let run = |args: &[&str]| {
        let r = incidentctl(Some(&w), args, &[]);
        assert!(r.code <= 3, "{args:?}: {}", r.all());
    };
    run(&["diagnose"]);
    run(&["security", "config"]);
    let reads = used(&w.standin.requests());

    let before = w.standin.requests().len();
    for args in [
        vec!["restart", "backend", "--dry-run"],
        vec!["restart", "backend", "--yes", "--wait-timeout", "20s"],
        vec![
            "scale",
            "frontend",
            "--replicas",
            "3",
            "--yes",
            "--wait-timeout",
            "20s",
        ],
        vec!["db", "pool-size", "15", "--yes", "--wait-timeout", "20s"],
        vec![
            "db",
            "restart",
            "--yes",
            "--confirm",
            "postgres",
            "--wait-timeout",
            "20s",
        ],
        vec!["security", "block-ip", "10.9.9.9", "--yes"],
        vec!["security", "unblock-ip", "10.9.9.9", "--yes"],
        vec![
            "security",
            "log-level",
            "debug",
            "--yes",
            "--wait-timeout",
            "20s",
        ],
    ] {
        let r = incidentctl(Some(&w), &args, &[]);
        assert_eq!(r.code, 0, "{args:?}: {}", r.all());
    }
    // The scripted incident from examples/, as an operator would run it.
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripted-incident.sh");
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_incidentctl"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .arg(&script)
        .env_clear()
        .env("PATH", path)
        .env("HOME", std::env::temp_dir())
        .envs(w.env())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "examples/scripted-incident.sh: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let changes = used(&w.standin.requests()[before..]);

    let diagnose_role = granted("examples/kubernetes/rbac-diagnose.yaml");
    let actions_role = granted("examples/kubernetes/rbac-actions.yaml");
    let missing: Vec<_> = reads.difference(&diagnose_role).collect();
    assert!(missing.is_empty(), "rbac-diagnose.yaml lacks {missing:?}");
    let unused: Vec<_> = diagnose_role.difference(&reads).collect();
    assert!(
        unused.is_empty(),
        "rbac-diagnose.yaml grants more than diagnose uses: {unused:?}"
    );
    let change_only: BTreeSet<Permission> = changes.difference(&diagnose_role).cloned().collect();
    let missing: Vec<_> = change_only.difference(&actions_role).collect();
    assert!(missing.is_empty(), "rbac-actions.yaml lacks {missing:?}");
    let unused: Vec<_> = actions_role.difference(&changes).collect();
    assert!(
        unused.is_empty(),
        "rbac-actions.yaml grants more than the actions use: {unused:?}"
    );
    assert!(
        changes
            .iter()
            .all(|(_, _, verb)| verb != "delete" && verb != "create"),
        "no command creates or deletes: {changes:?}"
    );
}

#[test]
fn the_example_config_parses_and_states_the_defaults() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incidentctl.toml");
    let with = incidentctl(
        None,
        &[
            "config",
            "show",
            "-o",
            "json",
            "--config",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(with.code, 0, "{}", with.all());
    let without = incidentctl(None, &["config", "show", "-o", "json"], &[]);
    let (mut a, mut b) = (with.json(), without.json());
    a["config_file"] = Value::Null;
    b["config_file"] = Value::Null;
    assert_eq!(a, b, "examples/incidentctl.toml must show the defaults");
}

#[test]
fn doctor_checks_exactly_the_permissions_the_shipped_roles_grant() {
    let run = incidentctl(
        None,
        &["doctor", "-o", "json"],
        &[("KUBECONFIG", "/nonexistent")],
    );
    // Without a cluster doctor cannot ask; the list it would ask is what must match.
    let _ = run;
    let w = World::start(Scenario::Healthy)
        .unwrap_or_else(|e| panic!("the sandbox could not start: {e}"));
    let run = incidentctl(Some(&w), &["doctor", "-o", "json"], &[]);
    let checked: BTreeSet<Permission> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["permission"].as_str())
        .map(|p| {
            let (rest, verb) = p.rsplit_once('/').unwrap();
            let (group, resource) = rest.split_once('/').unwrap();
            (group.to_string(), resource.to_string(), verb.to_string())
        })
        .collect();
    let shipped: BTreeSet<Permission> = granted("examples/kubernetes/rbac-diagnose.yaml")
        .union(&granted("examples/kubernetes/rbac-actions.yaml"))
        .cloned()
        .collect();
    assert_eq!(
        checked, shipped,
        "doctor's permission list and the shipped roles differ"
    );
}
