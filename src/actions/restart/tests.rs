use super::*;

#[test]
fn a_restart_stamped_this_second_or_the_last_is_someone_elses() {
    let now: jiff::Timestamp = "2026-12-06T10:00:05.300Z".parse().unwrap();
    let e = refuse_a_second_restart(Kind::Deployment, "backend", "2026-12-06T10:00:05Z", now)
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::error::ExitCode::Conflict);
    assert!(e.to_string().contains("restarted 0 s ago"), "{e}");
    assert!(refuse_a_second_restart(Kind::Deployment, "b", "2026-12-06T10:00:04Z", now).is_err());
    for earlier in ["2026-12-06T10:00:03Z", "never", "2026-12-06T10:00:09Z"] {
        assert!(refuse_a_second_restart(Kind::Deployment, "b", earlier, now).is_ok());
    }
}

use serde_json::json;

fn deployment(status: Value) -> Value {
    json!({"metadata": {"generation": 2}, "spec": {"replicas": 2}, "status": status})
}

#[test]
fn a_deployment_is_complete_only_when_old_replicas_are_gone_and_new_ones_available() {
    let new_pods_counted_old_still_there = deployment(json!({
        "observedGeneration": 2, "replicas": 3, "updatedReplicas": 2,
        "readyReplicas": 2, "availableReplicas": 2}));
    assert!(matches!(
        rollout_state(Kind::Deployment, &new_pods_counted_old_still_there, None),
        Rollout::Waiting(w) if w.contains("old replica")
    ));
    let unseen = deployment(json!({"observedGeneration": 1, "replicas": 2,
        "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}));
    assert!(matches!(
        rollout_state(Kind::Deployment, &unseen, None),
        Rollout::Waiting(_)
    ));
    let done = deployment(json!({"observedGeneration": 2, "replicas": 2,
        "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}));
    assert_eq!(
        rollout_state(Kind::Deployment, &done, None),
        Rollout::Complete { ready: 2, want: 2 }
    );
    assert!(matches!(
        rollout_state(Kind::Deployment, &done, Some(3)),
        Rollout::Waiting(_)
    ));
    let stuck = deployment(
        json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 1,
        "conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]}),
    );
    assert!(matches!(
        rollout_state(Kind::Deployment, &stuck, None),
        Rollout::Failed(_)
    ));
}

#[test]
fn a_statefulset_is_complete_when_ready_at_the_update_revision_without_available_replicas() {
    // Kubernetes 1.20 has no status.availableReplicas on StatefulSets.
    let sts = |current: &str, ready: i64| {
        json!({"metadata": {"generation": 3}, "spec": {"replicas": 1},
               "status": {"observedGeneration": 3, "readyReplicas": ready,
                          "currentRevision": current, "updateRevision": "postgres-b"}})
    };
    assert_eq!(
        rollout_state(Kind::StatefulSet, &sts("postgres-b", 1), None),
        Rollout::Complete { ready: 1, want: 1 }
    );
    assert!(matches!(
        rollout_state(Kind::StatefulSet, &sts("postgres-a", 1), None),
        Rollout::Waiting(_)
    ));
    assert!(matches!(
        rollout_state(Kind::StatefulSet, &sts("postgres-b", 0), None),
        Rollout::Waiting(_)
    ));
}

fn object(
    name: &str,
    rv: &str,
    replicas: Option<i64>,
    restarted_at: Option<&str>,
) -> DynamicObject {
    let mut obj = json!({
        "metadata": {"name": name, "resourceVersion": rv},
        "spec": {"template": {"metadata": {}}},
        "status": {"availableReplicas": 2}
    });
    if let Some(r) = replicas {
        obj["spec"]["replicas"] = json!(r);
    }
    if let Some(at) = restarted_at {
        obj["spec"]["template"]["metadata"]["annotations"] = json!({RESTARTED_AT: at});
    }
    serde_json::from_value(obj).unwrap()
}

fn read_of(kind: Kind, objects: &[DynamicObject]) -> Workloads {
    Workloads {
        namespace: "payments".into(),
        kind,
        items: objects
            .iter()
            .map(|o| Workload::of(o.metadata.name.as_deref().unwrap(), o))
            .collect(),
    }
}

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_workload_is_read_with_its_version_replicas_and_last_restart() {
    let w = Workload::of(
        "backend",
        &object("backend", "41", Some(3), Some("2026-12-01T08:00:00Z")),
    );
    assert_eq!(w.resource_version, "41");
    assert_eq!((w.replicas, w.available), (3, 2));
    assert_eq!(w.restarted_at.as_deref(), Some("2026-12-01T08:00:00Z"));
    // The API server defaults replicas to 1; never restarted before.
    let fresh = Workload::of("worker", &object("worker", "7", None, None));
    assert_eq!((fresh.replicas, fresh.restarted_at), (1, None));
}

#[test]
fn a_restart_plan_stamps_each_deployment_and_shows_the_last_restart() {
    let read = read_of(
        Kind::Deployment,
        &[
            object("backend", "41", Some(3), Some("2026-12-01T08:00:00Z")),
            object("worker", "7", Some(2), None),
        ],
    );
    let r = plan_restart(&read, "restart", at("2026-12-06T10:00:05.9Z")).unwrap();
    assert_eq!(
        r.plan.heading().join(" | "),
        "restart | deployment/backend,worker in payments | rolling restart of 2 deployment(s) in namespace payments"
    );
    assert_eq!(
        r.plan.rows(),
        [
            [
                "deployment/backend",
                "replace its 3 pod(s) one by one (2 available now)",
                "restartedAt 2026-12-01T08:00:00Z",
                "restartedAt 2026-12-06T10:00:05Z"
            ],
            [
                "deployment/worker",
                "replace its 2 pod(s) one by one (2 available now)",
                "restartedAt never",
                "restartedAt 2026-12-06T10:00:05Z"
            ],
        ]
    );
    assert!(r.plan.warnings.is_empty(), "{:?}", r.plan.warnings);
    assert_eq!(r.plan.confirm, Confirm::YesNo);
    // A restart has no undo: the old pods are gone.
    assert!(r.plan.undo.is_none());
}

#[test]
fn a_restart_patch_carries_the_resource_version_it_was_planned_on() {
    let read = read_of(Kind::Deployment, &[object("backend", "41", Some(3), None)]);
    let r = plan_restart(&read, "restart", at("2026-12-06T10:00:05Z")).unwrap();
    assert_eq!(
        r.patch_body(&r.targets[0]),
        json!({
            "metadata": {"resourceVersion": "41"},
            "spec": {"template": {"metadata": {"annotations":
                {"kubectl.kubernetes.io/restartedAt": "2026-12-06T10:00:05Z"}}}}
        })
    );
}

#[test]
fn a_single_replica_is_warned_about_and_a_fresh_restart_refused() {
    let read = read_of(Kind::Deployment, &[object("backend", "41", Some(1), None)]);
    let r = plan_restart(&read, "restart", at("2026-12-06T10:00:05Z")).unwrap();
    assert_eq!(
        r.plan.warnings,
        ["deployment/backend has a single replica: it is unavailable while its pod is replaced"]
    );
    let just_restarted = read_of(
        Kind::Deployment,
        &[
            object("worker", "7", Some(2), None),
            object("backend", "41", Some(3), Some("2026-12-06T10:00:04Z")),
        ],
    );
    let e = plan_restart(&just_restarted, "restart", at("2026-12-06T10:00:05Z"))
        .err()
        .unwrap();
    assert_eq!(e.exit_code(), crate::error::ExitCode::Conflict);
    assert!(
        e.to_string()
            .starts_with("deployment/backend was restarted 1 s ago"),
        "{e}"
    );
}

#[test]
fn a_database_restart_needs_its_name_typed_and_warns_of_dropped_connections() {
    let sts = read_of(Kind::StatefulSet, &[object("postgres", "9", Some(1), None)]);
    let r = plan_database_restart(&sts, at("2026-12-06T10:00:05Z")).unwrap();
    assert_eq!(r.plan.action, "db restart");
    assert_eq!(r.plan.target, "statefulset/postgres in payments");
    assert_eq!(r.plan.confirm, Confirm::TypeName("postgres".into()));
    assert_eq!(r.plan.changes[0].object, "statefulset/postgres");
    assert_eq!(
        r.plan.warnings.last().unwrap(),
        "restarting the database drops every connection: the application errors until it reconnects"
    );
    let deployment = read_of(Kind::Deployment, &[object("postgres", "9", Some(1), None)]);
    let r = plan_database_restart(&deployment, at("2026-12-06T10:00:05Z")).unwrap();
    assert!(
        r.plan
            .warnings
            .last()
            .unwrap()
            .ends_with("; a Deployment may run old and new database pods at once"),
        "{:?}",
        r.plan.warnings
    );
}
