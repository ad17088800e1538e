//! Diagnosing several clusters at once: two real control planes and one that is down, behind one
//! kubeconfig. Each cluster is reported under its context and the down one hides nothing.

use crate::support::{closed_port, healthy, incidentctl};
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::world::{Kubernetes, StandaloneCluster};
use serde_json::{json, Value};

/// One kubeconfig of several, each one's only cluster, user and context renamed to `name`.
fn merged(kubeconfigs: &[(&str, String)]) -> String {
    let mut merged = json!({"apiVersion": "v1", "kind": "Config", "clusters": [], "users": [], "contexts": [],
                            "current-context": kubeconfigs[0].0});
    for (name, text) in kubeconfigs {
        let doc: Value = serde_saphyr::from_str(text).expect("a kubeconfig");
        let mut cluster = doc["clusters"][0].clone();
        cluster["name"] = json!(name);
        let mut user = doc["users"][0].clone();
        user["name"] = json!(name);
        merged["clusters"].as_array_mut().unwrap().push(cluster);
        merged["users"].as_array_mut().unwrap().push(user);
        merged["contexts"].as_array_mut().unwrap().push(
            json!({"name": name, "context": {"cluster": name, "user": name, "namespace": "reconciliation"}}),
        );
    }
    // JSON is YAML.
    merged.to_string()
}

#[test]
fn three_clusters_one_down_are_each_reported_under_their_context() {
    let w = healthy();
    let bad = StandaloneCluster::start(Scenario::Incident, Kubernetes::Real)
        .unwrap_or_else(|e| panic!("a second cluster could not start: {e}"));
    let down = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n    server: https://127.0.0.1:{}\nusers:\n- name: x\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: x\n    user: x\ncurrent-context: x\n",
        closed_port()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    std::fs::write(
        &path,
        merged(&[
            ("prod-eu", std::fs::read_to_string(&w.kubeconfig).unwrap()),
            ("prod-us", std::fs::read_to_string(&bad.kubeconfig).unwrap()),
            ("prod-ap", down),
        ]),
    )
    .unwrap();
    let env = [("KUBECONFIG", path.to_str().unwrap())];
    let args = [
        "diagnose",
        "app-down",
        "--context",
        "prod-eu",
        "--context",
        "prod-us",
        "--context",
        "prod-ap",
        "-o",
        "json",
    ];
    let run = incidentctl(Some(w), &args, &env);
    let doc = run.json();
    assert_eq!(doc["schema"], "incidentctl.diagnose-contexts/v1");
    let status = |ctx: &str, id: &str| -> String {
        let d = doc["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["context"] == ctx)
            .unwrap_or_else(|| panic!("{ctx} missing"));
        let c = d["diagnosis"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        c["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status("prod-eu", "k8s.pods"), "ok");
    assert_eq!(status("prod-us", "k8s.pods"), "warning");
    assert_eq!(status("prod-us", "k8s.deployments"), "warning");
    for id in [
        "k8s.pods",
        "k8s.deployments",
        "k8s.ingress",
        "k8s.endpoints",
        "k8s.events",
    ] {
        assert_eq!(status("prod-ap", id), "unknown", "{id} in the down cluster");
    }
    for ctx in ["prod-eu", "prod-us", "prod-ap"] {
        assert_eq!(
            status(ctx, "postgres.ping"),
            "ok",
            "the other targets still answer for {ctx}"
        );
    }
    assert_eq!(doc["overall"], "unknown");
    assert_eq!(run.code, 3, "the worst across the clusters: {}", run.stderr);
    assert!(
        run.elapsed < std::time::Duration::from_secs(10),
        "{:?}",
        run.elapsed
    );

    let all = incidentctl(Some(w), &["diagnose", "app-down", "--all-contexts"], &env);
    for ctx in ["Context prod-eu:", "Context prod-us:", "Context prod-ap:"] {
        assert!(all.stdout.contains(ctx), "{ctx}: {}", all.stdout);
    }
    assert_eq!(all.code, 3);
    let prom = incidentctl(
        Some(w),
        &["diagnose", "app-down", "--all-contexts", "-o", "prometheus"],
        &env,
    );
    assert!(
        prom.stdout.contains("context=\"prod-us\""),
        "{}",
        prom.stdout
    );
    let changes = incidentctl(
        Some(w),
        &[
            "restart",
            "--context",
            "prod-eu",
            "--context",
            "prod-us",
            "--dry-run",
        ],
        &env,
    );
    assert_eq!(
        changes.code,
        64,
        "a change goes to one cluster: {}",
        changes.all()
    );
}
