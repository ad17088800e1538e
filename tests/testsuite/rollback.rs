//! `rollback` and `k8s.recent_changes` on a real control plane of its own (kube-apiserver,
//! etcd, the controller manager that numbers revisions and keeps ReplicaSets): the rollout is
//! reported with what it changed, the plan shows the template diff without a value, the dry run
//! changes nothing, `--yes` returns the earlier template and waits for the rollout, and the undo
//! goes back.

use crate::support::{incidentctl, Run};
use incidentctl_sandbox::scenario::Scenario;
use incidentctl_sandbox::world::{Kubernetes, StandaloneCluster};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const BACKEND: &str = "/apis/apps/v1/namespaces/reconciliation/deployments/backend";

struct Own {
    cluster: StandaloneCluster,
    audit: tempfile::NamedTempFile,
}

impl Own {
    fn run(&self, args: &[&str]) -> Run {
        let kubeconfig = self.cluster.kubeconfig.display().to_string();
        let audit = self.audit.path().display().to_string();
        incidentctl(
            None,
            args,
            &[
                ("KUBECONFIG", &kubeconfig),
                ("INCIDENTCTL_AUDIT_LOG", &audit),
            ],
        )
    }

    fn backend(&self) -> Value {
        self.cluster.kube("GET", BACKEND, None).unwrap()
    }

    /// Waits until the controller has numbered the deployment's current template `revision`.
    fn wait_revision(&self, revision: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let d = self.backend();
            let now = &d["metadata"]["annotations"]["deployment.kubernetes.io/revision"];
            if now == revision {
                return d;
            }
            assert!(
                Instant::now() < deadline,
                "revision {revision} never came: {now}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[test]
fn rollback_returns_the_previous_template_through_the_change_pipeline() {
    let own = Own {
        cluster: StandaloneCluster::start(Scenario::Healthy, Kubernetes::Real)
            .unwrap_or_else(|e| panic!("a real control plane could not start: {e}")),
        audit: tempfile::NamedTempFile::new().unwrap(),
    };
    let first = own.wait_revision("1");
    let image_before = first["spec"]["template"]["spec"]["containers"][0]["image"].clone();

    // Revision 2: a new image and a new variable, as a bad deploy would bring.
    own.cluster
        .kube(
            "JSON-PATCH",
            BACKEND,
            Some(&json!([
                {"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "registry.example/backend:broken"},
                {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "FEATURE_TOKEN", "value": "canary-7f3a9"}},
            ])),
        )
        .unwrap();
    let second = own.wait_revision("2");

    // What changed: the rollout, with the variable's name and never its value.
    let changes = own.run(&["diagnose", "--check", "k8s.recent_changes", "-o", "json"]);
    let check = crate::support::check(&changes.json(), "k8s.recent_changes").clone();
    assert_eq!(check["value"], 1.0, "{check:#}");
    let evidence = check["evidence"].to_string();
    assert!(
        evidence.contains("backend revision 2 at")
            && evidence.contains("→ registry.example/backend:broken")
            && evidence.contains("env FEATURE_TOKEN of backend added"),
        "{check:#}"
    );
    assert!(!changes.all().contains("canary-7f3a9"), "{}", changes.all());

    let dry = own.run(&["rollback", "backend", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.stdout
            .contains("from revision 2 to the pod template of revision 1"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("registry.example/backend:broken"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("env FEATURE_TOKEN"), "{}", dry.stdout);
    assert!(
        !dry.all().contains("canary-7f3a9"),
        "a value is shown: {}",
        dry.all()
    );
    assert!(dry.stdout.contains("(server dry run)"), "{}", dry.stdout);
    // The status moves while revision 2 rolls out; the spec must not.
    let after_dry_run = own.backend();
    assert_eq!(
        (
            &after_dry_run["spec"],
            &after_dry_run["metadata"]["generation"]
        ),
        (&second["spec"], &second["metadata"]["generation"]),
        "the dry run changed the deployment"
    );

    let refused = own.run(&["rollback", "backend"]);
    assert_eq!(refused.code, 10, "{}", refused.all());

    let done = own.run(&["rollback", "backend", "--yes", "--wait-timeout", "60s"]);
    assert_eq!(done.code, 0, "{}", done.all());
    assert!(
        done.all().contains("rollout complete"),
        "verified: {}",
        done.all()
    );
    assert!(
        done.stdout
            .contains("To undo: incidentctl rollback backend --to-revision 2"),
        "{}",
        done.stdout
    );
    // The controller gives the old template a new number: 3.
    let back = own.wait_revision("3");
    assert_eq!(
        back["spec"]["template"]["spec"]["containers"][0]["image"],
        image_before
    );
    assert_eq!(back["spec"]["template"], first["spec"]["template"]);

    // Already there: nothing to change.
    let again = own.run(&["rollback", "backend", "--to-revision", "3", "--yes"]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.all().contains("Nothing to change"), "{}", again.all());
    let missing = own.run(&["rollback", "backend", "--to-revision", "9", "--yes"]);
    assert_eq!(missing.code, 66, "{}", missing.all());
    assert!(
        missing.stderr.contains("revisions kept"),
        "{}",
        missing.stderr
    );

    let audit: Vec<Value> = std::fs::read_to_string(own.audit.path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let results: Vec<&str> = audit
        .iter()
        .filter(|l| l["action"] == "rollback")
        .map(|l| l["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results,
        ["dry-run", "refused", "applied", "nothing-to-do"],
        "{audit:#?}"
    );
}

/// The README's tour runs `rollback backend --dry-run` on the sandbox's incident: backend has an
/// earlier revision there to return to, and the dry run shows what it would change.
#[test]
fn the_incident_sandbox_has_an_earlier_backend_revision_to_return_to() {
    let run = incidentctl(
        Some(crate::support::incident()),
        &["rollback", "backend", "--dry-run"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stdout
            .contains("from revision 2 to the pod template of revision 1"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("registry.example/backend:2.3.0"),
        "{}",
        run.stdout
    );
}
