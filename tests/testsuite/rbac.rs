//! The shipped RBAC roles, on a real API server's RBAC: applied as they are (service account,
//! roles and bindings from examples/kubernetes/), they let diagnose, every changing command and
//! the scripted incident run as the service account; every permission they grant is needed
//! (take it away and diagnose loses a check, or the command that needs it fails with exit 77
//! naming the verb and the resource: the command that declares it); and doctor asks for exactly
//! these permissions, which are those the checks and commands declare.

use crate::support;
use crate::support::incidentctl;
use incidentctl_sandbox::scenario::{Naming, Scenario, NAMESPACE};
use incidentctl_sandbox::world::{Kubernetes, World};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (API group, resource or resource/subresource, verb), as RBAC names them.
type Permission = (String, String, String);

fn example(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let doc: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    if doc["kind"] == "List" {
        doc["items"].as_array().unwrap().clone()
    } else {
        vec![doc]
    }
}

/// Every (group, resource, verb) a role grants.
fn role_permissions(role: &Value) -> Vec<Permission> {
    let mut out = Vec::new();
    for rule in role["rules"].as_array().unwrap() {
        for g in rule["apiGroups"].as_array().unwrap() {
            for r in rule["resources"].as_array().unwrap() {
                for v in rule["verbs"].as_array().unwrap() {
                    out.push((
                        g.as_str().unwrap().to_string(),
                        r.as_str().unwrap().to_string(),
                        v.as_str().unwrap().to_string(),
                    ));
                }
            }
        }
    }
    out
}

/// Every (group, resource, verb) the Roles and ClusterRoles in `file` grant.
fn granted(file: &str) -> BTreeSet<Permission> {
    example(file)
        .iter()
        .filter(|i| i["kind"] == "Role" || i["kind"] == "ClusterRole")
        .flat_map(role_permissions)
        .collect()
}

fn collection(obj: &Value) -> String {
    let plural = match obj["kind"].as_str().unwrap() {
        "ServiceAccount" => "serviceaccounts",
        "Role" => "roles",
        "ClusterRole" => "clusterroles",
        "RoleBinding" => "rolebindings",
        "ClusterRoleBinding" => "clusterrolebindings",
        other => panic!("unexpected kind {other} in the examples"),
    };
    let api_version = obj["apiVersion"].as_str().unwrap();
    let base = if api_version.contains('/') {
        format!("/apis/{api_version}")
    } else {
        format!("/api/{api_version}")
    };
    match obj["metadata"]["namespace"].as_str() {
        Some(ns) => format!("{base}/namespaces/{ns}/{plural}"),
        None => format!("{base}/{plural}"),
    }
}

/// Creates the object, or replaces it when it exists.
fn apply(w: &World, obj: &Value) {
    let path = collection(obj);
    let name = obj["metadata"]["name"].as_str().unwrap();
    if w.kube("GET", &format!("{path}/{name}"), None).is_ok() {
        w.kube("PUT", &format!("{path}/{name}"), Some(obj))
            .unwrap_or_else(|e| panic!("{e}"));
    } else {
        w.kube("POST", &path, Some(obj))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

const SUBJECT: &str = "system:serviceaccount:reconciliation:incidentctl";

const POLICIES: &str = "/apis/networking.k8s.io/v1/namespaces/reconciliation/networkpolicies";

/// Runs `f` with no network policy in the app's namespace, then puts the namespace's policies
/// back as they were (and removes the one block-ip may have made).
fn without_policies(w: &World, f: impl FnOnce()) {
    let list = w
        .kube("GET", POLICIES, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let policies: Vec<Value> = list["items"].as_array().cloned().unwrap_or_default();
    for p in &policies {
        let name = p["metadata"]["name"].as_str().unwrap();
        w.kube("DELETE", &format!("{POLICIES}/{name}"), None)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    f();
    let _ = w.kube(
        "DELETE",
        &format!("{POLICIES}/incidentctl-blocked-sources"),
        None,
    );
    for p in policies {
        let mut p = p.clone();
        let meta = p["metadata"].as_object_mut().unwrap();
        for field in [
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "managedFields",
            "generation",
        ] {
            meta.remove(field);
        }
        p["apiVersion"] = json!("networking.k8s.io/v1");
        p["kind"] = json!("NetworkPolicy");
        w.kube("POST", POLICIES, Some(&p))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Waits until the API server's RBAC says `want` for the service account doing `p`.
fn wait_allowed(w: &World, p: &Permission, namespaced: bool, want: bool) {
    wait_allowed_in(w, p, namespaced.then_some(NAMESPACE), want);
}

/// As [`wait_allowed`], in `namespace` (None: cluster-wide).
fn wait_allowed_in(w: &World, p: &Permission, namespace: Option<&str>, want: bool) {
    let (group, resource) = (&p.0, &p.1);
    let (resource, sub) = resource.split_once('/').unwrap_or((resource, ""));
    let mut attrs = json!({"group": group, "resource": resource, "verb": p.2});
    if !sub.is_empty() {
        attrs["subresource"] = json!(sub);
    }
    if let Some(ns) = namespace {
        attrs["namespace"] = json!(ns);
    }
    let groups = [
        "system:serviceaccounts",
        "system:serviceaccounts:reconciliation",
        "system:authenticated",
    ];
    support::wait_for_access(w, SUBJECT, &groups, attrs, want);
}

/// A second namespace whose deployment is not named as the seed names it: diagnose there has
/// to list the namespace's deployments to find the app.
const OTHER: &str = "team";

/// `obj` (a Role or RoleBinding of the app's namespace) in [`OTHER`].
fn in_other_namespace(obj: &Value) -> Value {
    let mut copy = obj.clone();
    copy["metadata"]["namespace"] = json!(OTHER);
    copy
}

/// The diagnose Role and its binding, in [`OTHER`] too.
fn namespaced_diagnose_objects() -> Vec<Value> {
    example("examples/kubernetes/rbac-diagnose.yaml")
        .into_iter()
        .filter(|o| o["kind"] == "Role" || o["kind"] == "RoleBinding")
        .map(|o| in_other_namespace(&o))
        .collect()
}

/// The namespace [`OTHER`] with one deployment, `api`.
fn create_other_namespace(w: &World) {
    w.kube(
        "POST",
        "/api/v1/namespaces",
        Some(&json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": OTHER}})),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": OTHER},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{"name": "api", "image": "api:1"}]}}}});
    w.kube(
        "POST",
        &format!("/apis/apps/v1/namespaces/{OTHER}/deployments"),
        Some(&deployment),
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// The shipped service account, the diagnose roles and their bindings. Returns a kubeconfig
/// with the account's token.
fn install_service_account(w: &World) -> PathBuf {
    let mut objects = example("examples/kubernetes/serviceaccount.yaml");
    objects.extend(example("examples/kubernetes/rbac-diagnose.yaml"));
    create_other_namespace(w);
    objects.extend(namespaced_diagnose_objects());
    for obj in &objects {
        apply(w, obj);
    }
    // The token controller gives the account a token secret, as in any 1.20 cluster.
    let mut token = None;
    for _ in 0..100 {
        let secrets = w
            .kube("GET", "/api/v1/namespaces/reconciliation/secrets", None)
            .unwrap_or_else(|e| panic!("{e}"));
        token = secrets["items"].as_array().unwrap().iter().find_map(|s| {
            (s["type"] == "kubernetes.io/service-account-token"
                && s["metadata"]["annotations"]["kubernetes.io/service-account.name"]
                    == "incidentctl")
                .then(|| s["data"]["token"].as_str().map(str::to_string))
                .flatten()
        });
        if token.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD
        .decode(token.expect("the service account got a token"))
        .expect("base64 token");
    let token = String::from_utf8(token).expect("token text");
    let plane = w.cluster.real().expect("a real API server");
    let path = w.dir().join("incidentctl-sa.kubeconfig");
    std::fs::write(
        &path,
        plane.token_kubeconfig(&token, "incidentctl-sa", NAMESPACE),
    )
    .unwrap();
    for (p, namespaced) in [
        (("".into(), "pods".into(), "list".into()), true),
        (("".into(), "nodes".into(), "list".into()), false),
    ] {
        wait_allowed(w, &p, namespaced, true);
    }
    path
}

/// The shipped actions role, bound to the same account (the example leaves whom to bind it to
/// to the reader).
fn install_actions_role(w: &World) {
    let mut objects = example("examples/kubernetes/rbac-actions.yaml");
    objects.push(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "incidentctl-actions", "namespace": NAMESPACE},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "incidentctl-actions"},
        "subjects": [{"kind": "ServiceAccount", "name": "incidentctl", "namespace": NAMESPACE}]}));
    for obj in &objects {
        apply(w, obj);
    }
    for p in granted("examples/kubernetes/rbac-actions.yaml") {
        wait_allowed(w, &p, true, true);
    }
}

fn as_account(kubeconfig: &Path) -> [(&'static str, &str); 1] {
    [("KUBECONFIG", kubeconfig.to_str().unwrap())]
}

fn with_role_without(w: &World, file: &str, name: &str, without: &Permission) -> Value {
    let original = example(file)
        .into_iter()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap();
    apply(w, &reduced_role(&original, without));
    original
}

/// `role` without one permission.
fn reduced_role(role: &Value, without: &Permission) -> Value {
    let mut reduced = role.clone();
    let rules: Vec<Value> = role_permissions(role)
        .into_iter()
        .filter(|p| p != without)
        .map(|(g, r, v)| json!({"apiGroups": [g], "resources": [r], "verbs": [v]}))
        .collect();
    reduced["rules"] = Value::Array(rules);
    reduced
}

/// The permissions of a declaration, as RBAC names them.
fn declared(permissions: incidentctl::types::KubePermissions) -> BTreeSet<Permission> {
    incidentctl::types::kube_permission::each(permissions)
        .map(|p| (p.group.to_string(), p.rbac_resource(), p.verb.to_string()))
        .collect()
}

/// How a changing command is run to see it refused for want of a permission it declares.
fn run_without_a_permission(command: &str) -> Vec<&'static str> {
    match command {
        "restart" => vec!["restart", "frontend", "--yes", "--no-wait"],
        "db restart" => vec![
            "db",
            "restart",
            "--yes",
            "--confirm",
            "postgres",
            "--no-wait",
        ],
        "scale" => vec!["scale", "frontend", "--replicas", "2", "--yes"],
        "security block-ip" => vec!["security", "block-ip", "10.9.9.8", "--yes"],
        other => panic!("`{other}` declares a permission no other command does: say how to run it"),
    }
}

#[test]
fn the_shipped_roles_let_a_service_account_diagnose_and_make_every_change() {
    incidentctl_sandbox::servers::kill_all_at_exit();
    // Named as a team might: diagnose finds the ingress, the policy, the configmap and the
    // secret by their relation to the app's pods, with the permissions that takes.
    let w = World::start_named(
        Scenario::Incident,
        NAMESPACE,
        Kubernetes::Real,
        Naming::Team,
    )
    .unwrap_or_else(|e| panic!("the sandbox could not start: {e}"));
    let kubeconfig = install_service_account(&w);
    let env = as_account(&kubeconfig);

    let admin = incidentctl(Some(&w), &["diagnose", "-o", "json"], &[]).json();
    let account = incidentctl(Some(&w), &["diagnose", "-o", "json"], &env);
    assert_eq!(account.code, 2, "{}", account.all());
    let statuses = |doc: &Value| -> Vec<(String, String)> {
        doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].to_string(), c["status"].to_string()))
            .collect()
    };
    assert_eq!(
        statuses(&account.json()),
        statuses(&admin),
        "the diagnose role sees what the admin sees"
    );
    let config = incidentctl(Some(&w), &["security", "config"], &env);
    assert_eq!(config.code, 0, "{}", config.all());

    // Every permission of the diagnose roles is needed: without it some check cannot run.
    for (file, name, namespaced) in [
        (
            "examples/kubernetes/rbac-diagnose.yaml",
            "incidentctl-diagnose",
            true,
        ),
        (
            "examples/kubernetes/rbac-diagnose.yaml",
            "incidentctl-diagnose-nodes",
            false,
        ),
    ] {
        let role = example(file)
            .into_iter()
            .find(|o| o["metadata"]["name"] == name)
            .unwrap();
        for p in role_permissions(&role) {
            let original = with_role_without(&w, file, name, &p);
            if namespaced {
                apply(&w, &in_other_namespace(&reduced_role(&original, &p)));
                wait_allowed_in(&w, &p, Some(OTHER), false);
            }
            wait_allowed(&w, &p, namespaced, false);
            // Diagnose in the app's namespace, and in one where the app's deployments must be
            // found: a permission is needed when either loses a check.
            let mut lost = 0;
            for args in [
                vec!["diagnose", "-o", "json"],
                vec!["diagnose", "app-down", "-n", OTHER, "-o", "json"],
            ] {
                let doc = incidentctl(Some(&w), &args, &env).json();
                // A check that could not run, or one that says what it could not read.
                lost += doc["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| {
                        (c["status"] == "unknown" && c["error"].to_string().contains("403"))
                            || c["evidence"].to_string().contains("403")
                    })
                    .count();
            }
            assert!(
                lost > 0,
                "without {p:?} every check still ran: {name} grants more than diagnose needs"
            );
            apply(&w, &original);
            if namespaced {
                apply(&w, &in_other_namespace(&original));
                wait_allowed_in(&w, &p, Some(OTHER), true);
            }
            wait_allowed(&w, &p, namespaced, true);
        }
    }

    install_actions_role(&w);
    for args in [
        vec!["restart", "backend", "--dry-run"],
        vec!["restart", "backend", "--yes", "--wait-timeout", "30s"],
        vec![
            "scale",
            "frontend",
            "--replicas",
            "3",
            "--yes",
            "--wait-timeout",
            "30s",
        ],
        vec!["db", "pool-size", "15", "--yes", "--wait-timeout", "30s"],
        vec![
            "db",
            "restart",
            "--yes",
            "--confirm",
            "postgres",
            "--wait-timeout",
            "30s",
        ],
        vec!["security", "block-ip", "10.9.9.9", "--yes"],
        vec!["security", "unblock-ip", "10.9.9.9", "--yes"],
        vec![
            "security",
            "log-level",
            "debug",
            "--yes",
            "--wait-timeout",
            "30s",
        ],
        vec!["rollback", "backend", "--yes", "--wait-timeout", "30s"],
    ] {
        let r = incidentctl(Some(&w), &args, &env);
        assert_eq!(r.code, 0, "{args:?} as the service account: {}", r.all());
    }

    // block-ip where no policy selects the app's pods creates one: `create networkpolicies`.
    without_policies(&w, || {
        let r = incidentctl(
            Some(&w),
            &["security", "block-ip", "10.9.9.10", "--yes"],
            &env,
        );
        assert_eq!(
            r.code,
            0,
            "block-ip with no policy, as the service account: {}",
            r.all()
        );
        assert!(
            w.kube(
                "GET",
                &format!("{POLICIES}/incidentctl-blocked-sources"),
                None
            )
            .is_ok(),
            "the policy was created: {}",
            r.all()
        );
    });

    // The scripted incident from examples/, as an operator would run it.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scripted-incident.sh");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_incidentctl"))
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
        .env("KUBECONFIG", &kubeconfig)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "examples/scripted-incident.sh as the service account: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Every permission the actions role adds is needed by a command, which without it fails
    // with exit 77 naming the verb and the resource.
    let diagnose = granted("examples/kubernetes/rbac-diagnose.yaml");
    let actions = granted("examples/kubernetes/rbac-actions.yaml");
    let command_for = |p: &Permission| -> Vec<&'static str> {
        let declared_by = incidentctl::actions::KUBE_COMMANDS
            .iter()
            .find(|c| declared(c.permissions).contains(p))
            .unwrap_or_else(|| panic!("no command declares {p:?}: is the rule needed?"));
        run_without_a_permission(declared_by.command)
    };
    for p in actions.difference(&diagnose) {
        let original = with_role_without(
            &w,
            "examples/kubernetes/rbac-actions.yaml",
            "incidentctl-actions",
            p,
        );
        wait_allowed(&w, p, true, false);
        let args = command_for(p);
        // Creating is what block-ip does when no policy selects the app's pods.
        let r = if p.2 == "create" {
            let mut r = None;
            without_policies(&w, || r = Some(incidentctl(Some(&w), &args, &env)));
            r.unwrap()
        } else {
            incidentctl(Some(&w), &args, &env)
        };
        assert_eq!(r.code, 77, "{args:?} without {p:?}: {}", r.all());
        let (resource, sub) = p.1.split_once('/').unwrap_or((&p.1, ""));
        let first = r.stderr.lines().next().unwrap_or("");
        assert!(
            r.stderr.contains(&format!("`{}`", p.2))
                && first.contains(resource)
                && first.contains(sub),
            "{args:?} without {p:?} must name the verb and resource: {}",
            r.stderr
        );
        apply(&w, &original);
        wait_allowed(&w, p, true, true);
    }
}

/// A config file that says it shows the defaults: `config show` with it is `config show`
/// without it, and the same incident gets the same suggested severity for the same reasons (a
/// `[[severity.rules]]` left in it would replace every built-in rule).
fn states_the_defaults(name: &str, file: &Path) {
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
    assert_eq!(with.code, 0, "{name}: {}", with.all());
    let without = incidentctl(None, &["config", "show", "-o", "json"], &[]);
    let (mut a, mut b) = (with.json(), without.json());
    a["config_file"] = Value::Null;
    b["config_file"] = Value::Null;
    assert_eq!(a, b, "{name} must show the defaults");
    let w = support::incident();
    let severity = |config: &str| {
        let run = incidentctl(
            Some(w),
            &["diagnose", "-o", "json"],
            &[("INCIDENTCTL_CONFIG", config)],
        );
        let doc = run.json();
        (
            doc["summary"]["severity"].clone(),
            doc["summary"]["reasons"].clone(),
        )
    };
    // An empty file: the defaults, and not the sandbox's own config.
    let empty = tempfile::NamedTempFile::new().unwrap();
    let (with, without) = (
        severity(file.to_str().unwrap()),
        severity(empty.path().to_str().unwrap()),
    );
    assert!(
        without.0.is_string(),
        "the incident has a severity: {without:?}"
    );
    assert_eq!(with, without, "{name} must judge as the defaults do");
}

#[test]
fn the_example_config_parses_and_states_the_defaults() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incidentctl.toml");
    states_the_defaults("examples/incidentctl.toml", &file);
}

#[test]
fn the_config_file_of_the_configuration_page_states_the_defaults() {
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md"),
    )
    .unwrap();
    let (_, from) = page
        .split_once("```toml\nnamespace = ")
        .expect("configuration.md's file with every section");
    let (block, _) = from.split_once("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("every-section.toml");
    std::fs::write(&file, format!("namespace = {block}")).unwrap();
    states_the_defaults("configuration.md's config file", &file);
}

#[test]
fn doctor_checks_exactly_the_permissions_the_shipped_roles_grant() {
    let w = support::healthy();
    let run = incidentctl(Some(w), &["doctor", "-o", "json"], &[]);
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
    // And what it asks is what the checks and commands declare.
    let declarations: BTreeSet<Permission> = incidentctl::checks::CHECKS
        .iter()
        .map(|c| c.kube_permissions)
        .chain(
            incidentctl::actions::KUBE_COMMANDS
                .iter()
                .map(|c| c.permissions),
        )
        .flat_map(declared)
        .collect();
    assert_eq!(checked, declarations, "doctor asks other than declared");
}
