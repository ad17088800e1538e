//! A team whose objects are not named as the seed names them, and no config naming them: the
//! ingress `web`, configmap `payments-env`, secret `payments-db` and policy `allow-office` in
//! namespace `payments`, on the real API server. diagnose finds each by its relation to the
//! app's pods and says how; block-ip edits the policy that selects the app (or says the
//! address is already not admitted, or creates a policy when none selects the app).

use crate::support::{check, incidentctl, Run};
use incidentctl_sandbox::scenario::{Naming, Scenario};
use incidentctl_sandbox::world::{Kubernetes, World};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard, OnceLock};

const NS: &str = "payments";
const POLICIES: &str = "/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies";

/// This module's world: its tests change the network policies, one test at a time.
fn team() -> (&'static World, MutexGuard<'static, ()>) {
    static CELL: OnceLock<Result<World, String>> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let world = CELL.get_or_init(|| {
        incidentctl_sandbox::servers::kill_all_at_exit();
        World::start_named(Scenario::Healthy, NS, Kubernetes::Real, Naming::Team)
    });
    let w = match world {
        Ok(w) => w,
        Err(e) => panic!("the team-named sandbox could not start: {e}"),
    };
    (w, LOCK.lock().unwrap_or_else(|e| e.into_inner()))
}

fn policy(w: &World, name: &str) -> Option<Value> {
    w.kube("GET", &format!("{POLICIES}/{name}"), None).ok()
}

fn excepts(p: &Value) -> Value {
    p["spec"]["ingress"][0]["from"][0]["ipBlock"]["except"].clone()
}

fn run(w: &World, args: &[&str]) -> Run {
    incidentctl(Some(w), args, &[])
}

#[test]
fn diagnose_finds_objects_named_otherwise_and_says_how() {
    let (w, _serial) = team();
    let r = run(w, &["diagnose", "-o", "json"]);
    let doc = r.json();
    for c in doc["checks"].as_array().unwrap() {
        assert_ne!(c["status"], "critical", "{c:#}");
    }
    assert_eq!(
        r.code,
        0,
        "the healthy platform under other names: {}",
        r.all()
    );
    let text = |id: &str| {
        let c = check(&doc, id);
        assert_eq!(c["status"], "ok", "{id}: {c:#}");
        format!("{} {}", c["summary"], c["evidence"])
    };
    let ingress = text("k8s.ingress");
    assert!(
        ingress.contains("ingress web at")
            && ingress.contains("ingress web found: routes to backend, frontend"),
        "{ingress}"
    );
    let config = text("k8s.config");
    assert!(
        config.contains(
            "configmap payments-env found: used by backend (envFrom), frontend (envFrom)"
        ),
        "{config}"
    );
    assert!(
        config.contains("secret payments-db found: used by backend (env)"),
        "{config}"
    );
    assert!(
        !config.contains(incidentctl_sandbox::scenario::SECRET_VALUE),
        "{config}"
    );
    let policy = text("k8s.networkpolicy");
    assert!(
        policy.contains("network policy allow-office found: selects the pods of backend, frontend"),
        "{policy}"
    );
    assert!(text("k8s.endpoints").contains("2 service(s) have ready endpoints"));

    // Named and missing stays a finding.
    let named = run(
        w,
        &[
            "diagnose",
            "app-down",
            "--ingress",
            "reconciliation-ingress",
            "-o",
            "json",
        ],
    )
    .json();
    assert_eq!(check(&named, "k8s.ingress")["status"], "critical");

    // config show and doctor say what was found.
    let shown = run(w, &["config", "show"]);
    assert!(
        shown
            .stdout
            .contains("# app ingress: web (found: routes to backend, frontend)"),
        "{}",
        shown.all()
    );
    let doctor = run(w, &["doctor", "-o", "json"]).json();
    let row = doctor
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "app network policy")
        .unwrap_or_else(|| panic!("no app network policy row: {doctor:#}"));
    assert_eq!(row["status"], "ok", "{row:#}");
    assert!(
        row["detail"]
            .as_str()
            .unwrap()
            .starts_with("allow-office (found: selects the pods of"),
        "{row:#}"
    );
}

#[test]
fn block_ip_edits_the_policy_that_selects_the_app_and_keeps_every_other_rule() {
    let (w, _serial) = team();
    let before = policy(w, "allow-office").expect("the team's policy");
    assert_eq!(excepts(&before), serde_json::json!(["10.0.0.0/24"]));

    let dry = run(w, &["security", "block-ip", "10.7.7.7", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.all()
            .contains("networkpolicy/allow-office found: selects the pods of backend, frontend"),
        "{}",
        dry.all()
    );
    let unchanged = policy(w, "allow-office").unwrap();
    assert_eq!(
        unchanged["metadata"]["resourceVersion"],
        before["metadata"]["resourceVersion"]
    );

    let r = run(w, &["security", "block-ip", "10.7.7.7", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let after = policy(w, "allow-office").unwrap();
    assert_eq!(
        excepts(&after),
        serde_json::json!(["10.0.0.0/24", "10.7.7.7/32"])
    );
    assert_eq!(after["spec"]["podSelector"], before["spec"]["podSelector"]);
    assert_eq!(
        after["spec"]["ingress"][0]["from"][0]["ipBlock"]["cidr"],
        "10.0.0.0/8"
    );

    // No rule admits this address: already true, nothing changed, exit 0.
    let none = run(w, &["security", "block-ip", "198.51.100.7", "--yes"]);
    assert_eq!(none.code, 0, "{}", none.all());
    assert!(
        none.all()
            .contains("198.51.100.7/32 is already not admitted"),
        "{}",
        none.all()
    );
    let same = policy(w, "allow-office").unwrap();
    assert_eq!(
        same["metadata"]["resourceVersion"],
        after["metadata"]["resourceVersion"]
    );

    // A policy named on the command line that does not exist.
    let missing = run(
        w,
        &[
            "security", "block-ip", "10.7.7.8", "--policy", "no-such", "--yes",
        ],
    );
    assert_eq!(missing.code, 66, "{}", missing.all());

    let back = run(w, &["security", "unblock-ip", "10.7.7.7", "--yes"]);
    assert_eq!(back.code, 0, "{}", back.all());
    assert_eq!(
        excepts(&policy(w, "allow-office").unwrap()),
        serde_json::json!(["10.0.0.0/24"])
    );
}

#[test]
fn with_no_policy_selecting_the_app_block_ip_creates_one() {
    let (w, _serial) = team();
    let original = policy(w, "allow-office").expect("the team's policy");
    w.kube("DELETE", &format!("{POLICIES}/allow-office"), None)
        .unwrap_or_else(|e| panic!("{e}"));

    let dry = run(w, &["security", "block-ip", "203.0.113.7", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(
        dry.all()
            .contains("no network policy selects the app's pods, so one is created"),
        "{}",
        dry.all()
    );
    assert!(
        policy(w, "incidentctl-blocked-sources").is_none(),
        "a dry run created the policy"
    );

    let r = run(w, &["security", "block-ip", "203.0.113.7", "--yes"]);
    assert_eq!(r.code, 0, "{}", r.all());
    let created = policy(w, "incidentctl-blocked-sources").expect("the created policy");
    assert_eq!(excepts(&created), serde_json::json!(["203.0.113.7/32"]));
    assert_eq!(created["spec"]["podSelector"]["matchLabels"]["tier"], "app");

    // Put the team's policy back for the other tests.
    w.kube(
        "DELETE",
        &format!("{POLICIES}/incidentctl-blocked-sources"),
        None,
    )
    .unwrap();
    let mut restored = original.clone();
    for key in [
        "resourceVersion",
        "uid",
        "creationTimestamp",
        "managedFields",
        "generation",
    ] {
        restored["metadata"].as_object_mut().unwrap().remove(key);
    }
    w.kube("POST", POLICIES, Some(&restored))
        .unwrap_or_else(|e| panic!("{e}"));
}
