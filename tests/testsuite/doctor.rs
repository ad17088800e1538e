//! `incidentctl doctor` on the sandbox, and on a deliberately under-privileged database role and
//! Kubernetes identity (a user of the real API server, bound to a role short of three
//! permissions): each missing privilege is named with its fix.

use crate::support;
use crate::support::{healthy, incidentctl};
use serde_json::{json, Value};

fn rows(run: &support::Run) -> Vec<Value> {
    run.json().as_array().cloned().unwrap_or_default()
}

fn find<'a>(rows: &'a [Value], requirement: &str) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["requirement"]
                .as_str()
                .is_some_and(|t| t.contains(requirement))
        })
        .unwrap_or_else(|| panic!("no row {requirement:?} in {rows:#?}"))
}

#[test]
fn doctor_passes_on_the_sandbox() {
    let run = incidentctl(Some(healthy()), &["doctor", "-o", "json"], &[]);
    let all = rows(&run);
    let bad: Vec<&Value> = all.iter().filter(|r| r["status"] != "ok").collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(all.len() > 20, "one row per requirement: {}", all.len());
    assert!(
        !run.all().contains("services/SANDBOX/WEBHOOK"),
        "the webhook URL is never shown"
    );
}

#[test]
fn an_under_privileged_role_and_identity_are_named_with_the_fix() {
    let w = healthy();
    w.postgres
        .psql("reconciliation_app", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'weak_monitor') THEN CREATE ROLE weak_monitor LOGIN PASSWORD 'weak-pass-123'; END IF; END $$")
        .expect("create a weak role");
    let url = format!(
        "postgres://weak_monitor:weak-pass-123@127.0.0.1:{}/reconciliation_app",
        w.postgres.port
    );
    // A real identity with the shipped permissions but three: it may not read secrets (diagnose
    // needs that), patch deployments or update their scale (the changes need those).
    let real = w.cluster.real().expect("a real API server");
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "limited", "namespace": "reconciliation"},
        "rules": [
            {"apiGroups": [""], "resources": ["pods", "events"], "verbs": ["list"]},
            {"apiGroups": [""], "resources": ["pods/log", "services", "endpoints", "configmaps"], "verbs": ["get"]},
            {"apiGroups": ["apps"], "resources": ["deployments", "statefulsets", "deployments/scale"], "verbs": ["get"]},
            {"apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["patch"]},
            {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "networkpolicies"], "verbs": ["get"]},
            {"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies"], "verbs": ["patch"]},
            {"apiGroups": ["metrics.k8s.io"], "resources": ["pods"], "verbs": ["list"]}]});
    let binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "limited", "namespace": "reconciliation"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "limited"},
        "subjects": [{"kind": "User", "name": "limited-user", "apiGroup": "rbac.authorization.k8s.io"}]});
    for (path, obj) in [
        (
            "/apis/rbac.authorization.k8s.io/v1/namespaces/reconciliation/roles",
            &role,
        ),
        (
            "/apis/rbac.authorization.k8s.io/v1/namespaces/reconciliation/rolebindings",
            &binding,
        ),
    ] {
        let _ = w.kube("POST", path, Some(obj));
    }
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        real.user_kubeconfig("limited-user", &[], "limited", "reconciliation")
            .unwrap(),
    )
    .unwrap();
    support::wait_for_access(
        w,
        "limited-user",
        &[],
        json!({"namespace": "reconciliation", "resource": "pods", "verb": "list"}),
        true,
    );
    let run = incidentctl(
        Some(w),
        &["doctor", "-o", "json"],
        &[
            ("INCIDENTCTL_POSTGRES_URL", &url),
            ("KUBECONFIG", kubeconfig.to_str().unwrap()),
        ],
    );
    let all = rows(&run);
    for role in ["pg_monitor", "pg_signal_backend"] {
        let r = find(&all, &format!("has {role}"));
        assert_eq!(r["status"], "critical", "{r:#}");
        assert_eq!(r["fix"], format!("GRANT {role} TO weak_monitor;"), "{r:#}");
    }
    let secrets = find(&all, "can get secrets");
    assert_eq!(
        secrets["status"], "critical",
        "diagnose needs it: {secrets:#}"
    );
    assert!(
        secrets["fix"]
            .as_str()
            .unwrap()
            .contains("rbac-diagnose.yaml"),
        "{secrets:#}"
    );
    for (requirement, status) in [
        ("can patch apps/deployments in", "warning"),
        ("can update apps/deployments/scale", "warning"),
        ("can list pods", "ok"),
        ("can patch apps/statefulsets", "ok"),
    ] {
        assert_eq!(find(&all, requirement)["status"], status, "{requirement}");
    }
    assert!(find(&all, "can patch apps/deployments in")["fix"]
        .as_str()
        .unwrap()
        .contains("rbac-actions.yaml"));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.all().contains("weak-pass-123"), "{}", run.all());
    let table = incidentctl(
        Some(w),
        &["doctor"],
        &[
            ("INCIDENTCTL_POSTGRES_URL", &url),
            ("KUBECONFIG", kubeconfig.to_str().unwrap()),
        ],
    );
    assert!(
        table.stdout.contains("GRANT pg_monitor TO weak_monitor;"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_config_file_with_a_secret_readable_by_others_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let w = healthy();
    let path = w
        .write_config(
            "secret-in-file.toml",
            &[(
                "redis",
                &format!(
                    "url = \"redis://:file-secret-pw@{}\"",
                    w.redis.url().trim_start_matches("redis://")
                ),
            )],
        )
        .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = [
        ("INCIDENTCTL_CONFIG", path.to_str().unwrap()),
        ("INCIDENTCTL_REDIS_URL", ""),
    ];
    let run = incidentctl(Some(w), &["doctor", "-o", "json"], &env);
    let all = rows(&run);
    let r = find(&all, "config file with secrets is private");
    assert_eq!(r["status"], "warning", "{r:#}");
    assert!(r["fix"].as_str().unwrap().starts_with("chmod 600"), "{r:#}");
    assert!(!run.all().contains("file-secret-pw"), "{}", run.all());
    // Every command says so, on stderr, without the secret.
    let shown = incidentctl(Some(w), &["diagnose", "--list"], &env);
    assert!(
        shown
            .stderr
            .contains("holds a secret and is readable by others")
            && shown.stderr.contains("chmod 600"),
        "{}",
        shown.stderr
    );
    assert!(!shown.all().contains("file-secret-pw"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let quiet = incidentctl(Some(w), &["diagnose", "--list"], &env);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let private = incidentctl(Some(w), &["doctor", "-o", "json"], &env);
    let all = rows(&private);
    assert_eq!(find(&all, "config file")["status"], "ok");
}
