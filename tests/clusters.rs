//! Diagnosing several clusters at once: three Kubernetes stand-ins behind one kubeconfig, one of
//! them down. Each cluster is reported under its context and the down one hides nothing.

mod support;

use incidentctl_sandbox::scenario::{kube_fixture, Scenario};
use incidentctl_sandbox::standin;
use std::net::SocketAddr;
use support::{closed_port, healthy, incidentctl};

fn kubeconfig(clusters: &[(&str, String)]) -> String {
    let mut text = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for (name, server) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: {server}\n"
        ));
    }
    text.push_str("users:\n- name: u\n  user:\n    token: t\ncontexts:\n");
    for (name, _) in clusters {
        text.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}\n    user: u\n"
        ));
    }
    text.push_str(&format!("current-context: {}\n", clusters[0].0));
    text
}

#[test]
fn three_clusters_one_down_are_each_reported_under_their_context() {
    let w = healthy();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let now = jiff::Timestamp::now().as_second();
    let any = SocketAddr::from(([127, 0, 0, 1], 0));
    let ok = rt
        .block_on(standin::start(kube_fixture(Scenario::Healthy, now), any))
        .unwrap();
    let bad = rt
        .block_on(standin::start(kube_fixture(Scenario::Incident, now), any))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubeconfig");
    std::fs::write(
        &path,
        kubeconfig(&[
            ("prod-eu", ok.url()),
            ("prod-us", bad.url()),
            ("prod-ap", format!("http://127.0.0.1:{}", closed_port())),
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
