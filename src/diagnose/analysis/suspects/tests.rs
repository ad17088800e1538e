//! The ranking rules as table tests over synthetic timelines: each row is what the checks saw
//! (signs, minutes from the onset) and the order the suspects must come in.

use super::*;

const ONSET: &str = "2026-12-02T02:00:00Z";

fn at(minutes: i64) -> Timestamp {
    let onset: Timestamp = ONSET.parse().unwrap();
    onset
        .checked_add(jiff::SignedDuration::from_mins(minutes))
        .unwrap()
}

fn rollout(deployment: &str, minutes: i64) -> Seen {
    seen(
        Sign::Rollout {
            deployment: deployment.into(),
            revision: 2,
            at: at(minutes),
            previous: Some(1),
            changes: vec![format!("image of {deployment}: app:1 → app:2")],
        },
        Status::Ok,
    )
}

fn seen(sign: Sign, status: Status) -> Seen {
    Seen {
        sign,
        status,
        check: "test.check",
    }
}

fn node_pressure(minutes: Option<i64>) -> Seen {
    seen(
        Sign::NodePressure {
            node: "node-1".into(),
            condition: "MemoryPressure".into(),
            since: minutes.map(at),
        },
        Status::Warning,
    )
}

fn locks(minutes: Option<i64>, status: Status) -> Seen {
    seen(
        Sign::LockChain {
            blocked: 2,
            blockers: vec!["42".into()],
            since: minutes.map(at),
        },
        status,
    )
}

fn connections() -> Seen {
    seen(
        Sign::ConnectionsNearLimit {
            used: 21.0,
            max: 25.0,
        },
        Status::Warning,
    )
}

fn crash_loop(minutes: i64) -> Seen {
    seen(
        Sign::CrashLoop {
            pod: "backend-1".into(),
            container: "backend".into(),
            restarts: 12,
            at: Some(at(minutes)),
        },
        Status::Critical,
    )
}

fn pool(status: Status) -> Seen {
    seen(
        Sign::PoolExhausted {
            pods: vec!["backend-1".into()],
            lines: 60,
            sample: "ERROR db: connection pool exhausted".into(),
        },
        status,
    )
}

fn alert() -> Seen {
    seen(
        Sign::AlertFiring {
            name: "HighErrorRate".into(),
            severity: "critical".into(),
            starts_at: at(5),
        },
        Status::Critical,
    )
}

fn objects(suspects: &[Suspect]) -> Vec<String> {
    suspects
        .iter()
        .map(|s| format!("{:?} {}", s.kind, s.object))
        .collect()
}

#[test]
fn the_rules_rank_synthetic_timelines() {
    let errors = Some(Symptom::Errors);
    let latency = Some(Symptom::Latency);
    #[allow(clippy::type_complexity)]
    let rows: Vec<(&str, Option<Symptom>, Vec<Seen>, Vec<&str>)> = vec![
        (
            "a rollout 12 min before the onset is the first suspect",
            errors,
            vec![rollout("backend", -12)],
            vec!["Rollout deployment/backend"],
        ),
        (
            "of two rollouts before the onset, the closest ranks first",
            errors,
            vec![rollout("frontend", -40), rollout("backend", -12)],
            vec!["Rollout deployment/backend", "Rollout deployment/frontend"],
        ),
        (
            "a change after the onset ranks below what was there before",
            errors,
            vec![rollout("backend", 3), locks(Some(-20), Status::Warning)],
            vec!["LockChain postgres", "Rollout deployment/backend"],
        ),
        (
            "a change older than the look-back is no suspect",
            errors,
            vec![rollout("backend", -7 * 60)],
            vec![],
        ),
        (
            "node pressure cannot make errors: a matching kind ranks higher in the same timing",
            errors,
            vec![node_pressure(Some(-2)), rollout("backend", -12)],
            vec!["Rollout deployment/backend", "NodePressure node/node-1"],
        ),
        (
            "for latency, node pressure matches and the closer one ranks first",
            latency,
            vec![rollout("backend", -12), node_pressure(Some(-2))],
            vec!["NodePressure node/node-1", "Rollout deployment/backend"],
        ),
        (
            "conditions seen now rank by status, then kind; a crash loop after the onset last",
            errors,
            vec![
                crash_loop(170),
                connections(),
                locks(Some(175), Status::Warning),
                pool(Status::Critical),
            ],
            vec![
                "PoolExhausted postgres",
                "LockChain postgres",
                "ConnectionsNearLimit postgres",
                "CrashLoop pod/backend-1",
            ],
        ),
        (
            "a firing alert dates the onset and is never a suspect",
            errors,
            vec![alert()],
            vec![],
        ),
        ("no signs: no suspects", errors, vec![], vec![]),
        (
            "without an onset nothing is placed in time: status, then the newest",
            None,
            vec![rollout("backend", -12), connections(), crash_loop(1)],
            vec![
                "CrashLoop pod/backend-1",
                "ConnectionsNearLimit postgres",
                "Rollout deployment/backend",
            ],
        ),
    ];
    for (name, symptom, signs, want) in rows {
        let cx = Context {
            onset: symptom.map(|s| (at(0), s)),
            look_back_secs: 6 * 3600,
            namespace: "shop",
        };
        let got = rank(&signs, &cx);
        assert_eq!(objects(&got), want, "{name}");
        for (i, s) in got.iter().enumerate() {
            assert_eq!(s.rank, i + 1, "{name}");
        }
    }
}

#[test]
fn a_suspect_says_when_what_changed_and_what_to_run() {
    let cx = Context {
        onset: Some((at(0), Symptom::Errors)),
        look_back_secs: 6 * 3600,
        namespace: "shop",
    };
    let s = &rank(&[rollout("backend", -12)], &cx)[0];
    assert_eq!(s.what, "backend revision 2 rolled out");
    assert_eq!(s.seconds_before_onset, Some(720));
    assert_eq!(s.timing, Timing::Before);
    assert_eq!(s.evidence, vec!["image of backend: app:1 → app:2"]);
    assert_eq!(s.next, "incidentctl rollback backend --to-revision 1");
    assert_eq!(
        s.why,
        vec![
            "happened 12m00s before the onset",
            "a rollout can cause errors",
            "test.check is ok"
        ]
    );
    let later = &rank(&[locks(Some(30), Status::Critical)], &cx)[0];
    assert_eq!(later.timing, Timing::Ongoing);
    assert_eq!(
        later.why[0],
        "seen since 30m00s after the onset (it may have begun earlier)"
    );
}
