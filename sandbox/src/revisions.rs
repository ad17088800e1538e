//! A deployment's earlier revisions, as a scenario keeps them: its ReplicaSets, one per
//! revision, the way the deployment controller leaves them.

use crate::scenario::{ts, NAMESPACE};
use serde_json::{json, Value};

/// The deployment `name` (already in `objects`) at revision 2, with the ReplicaSet of each
/// revision as the deployment controller keeps them: revision 1 ran `image_before`, so
/// `rollback` has an earlier template to return to. A real control plane numbers them itself:
/// the seeder rolls the deployment through revision 1 first (`kubernetes::seed`).
pub(crate) fn earlier_revision(objects: &mut Vec<Value>, name: &str, image_before: &str, now: i64) {
    const REVISION: &str = "deployment.kubernetes.io/revision";
    let Some(d) = objects
        .iter_mut()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == name)
    else {
        return;
    };
    d["metadata"]["annotations"] = json!({REVISION: "2"});
    let (uid, current) = (d["metadata"]["uid"].clone(), d["spec"].clone());
    let mut before = current.clone();
    before["template"]["spec"]["containers"][0]["image"] =
        json!(format!("registry.example/{name}:{image_before}"));
    for (revision, spec, hash, replicas, created) in [
        (1, before, "5d8f9c7b6", 0, -86_400),
        (2, current, "7c9d8f6b5", 2, 0),
    ] {
        let rs = format!("{name}-{hash}");
        objects.push(json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": rs, "namespace": NAMESPACE, "uid": format!("uid-rs-{rs}"),
                         "labels": {"app": name, "pod-template-hash": hash},
                         "annotations": {REVISION: revision.to_string()},
                         "creationTimestamp": ts(now, created),
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                             "name": name, "uid": uid, "controller": true}]},
            "spec": {"replicas": replicas, "selector": spec["selector"], "template": spec["template"]},
        }));
    }
}
