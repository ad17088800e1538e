//! Two engineers at once (issue 25), on the real control plane: the same change started twice
//! in the same second is applied once; the other run changes nothing and exits 11 (stale plan),
//! whichever of them reads the object first.

use crate::actions::{deployment, healthy, serial};
use crate::support::{incidentctl, Run, Terminal};
use incidentctl_sandbox::world::World;
use std::sync::{Arc, Barrier};
use std::time::Duration;

/// `args` run twice, started at the same instant; both runs.
fn twice_at_once(w: &'static World, args: &'static [&'static str]) -> (Run, Run) {
    let barrier = Arc::new(Barrier::new(2));
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                incidentctl(Some(w), args, &[])
            })
        })
        .collect();
    let mut runs = runs.into_iter().map(|h| h.join().unwrap());
    (runs.next().unwrap(), runs.next().unwrap())
}

/// Exit codes 0 and 11, one each, whatever the order.
fn one_applied_one_stale(a: &Run, b: &Run, what: &str) {
    let mut codes = [a.code, b.code];
    codes.sort();
    assert_eq!(
        codes,
        [0, 11],
        "{what}: one apply and one stale plan:\n--- first\n{}\n--- second\n{}",
        a.all(),
        b.all()
    );
    let stale = if a.code == 11 { a } else { b };
    assert!(
        stale.stderr.contains("nothing was applied"),
        "{what}: {}",
        stale.stderr
    );
}

#[test]
fn restart_twice_in_the_same_second_applies_once_and_the_other_exits_11() {
    let _serial = serial();
    let w = healthy();
    let generation = |w: &World| deployment(w, "backend")["metadata"]["generation"].as_i64();
    let before = generation(w).expect("a generation");
    let (a, b) = twice_at_once(w, &["restart", "backend", "--yes", "--wait-timeout", "30s"]);
    one_applied_one_stale(&a, &b, "restart backend --yes, twice");
    assert_eq!(
        generation(w),
        Some(before + 1),
        "one rollout, not two: {}\n{}",
        a.all(),
        b.all()
    );
}

/// Two engineers each look at the same plan on their terminal and say yes in the same instant.
fn both_say_yes(w: &World, args: &str) -> (Run, Run) {
    let mut a = Terminal::start(args, &w.env());
    let mut b = Terminal::start(args, &w.env());
    a.wait_for_question();
    b.wait_for_question();
    a.answer("y\n");
    b.answer("y\n");
    (a.finish(), b.finish())
}

#[test]
fn scale_confirmed_by_two_engineers_at_once_applies_once_and_the_other_exits_11() {
    let _serial = serial();
    let w = healthy();
    let (a, b) = both_say_yes(w, "scale backend --replicas 3 --wait-timeout 30s");
    one_applied_one_stale(&a, &b, "scale backend --replicas 3, twice");
    assert_eq!(deployment(w, "backend")["spec"]["replicas"], 3);
    let back = incidentctl(
        Some(w),
        &[
            "scale",
            "backend",
            "--replicas",
            "2",
            "--yes",
            "--wait-timeout",
            "30s",
        ],
        &[],
    );
    assert_eq!(back.code, 0, "{}", back.all());
}

#[test]
fn rollback_confirmed_by_two_engineers_at_once_applies_once_and_the_other_exits_11() {
    let _serial = serial();
    let w = healthy();
    // A revision to go back to. A restart stamped within the last second is someone else's
    // (refused, 11): the tests before may have just restarted it.
    std::thread::sleep(Duration::from_secs(2));
    let restart = incidentctl(
        Some(w),
        &["restart", "backend", "--yes", "--wait-timeout", "30s"],
        &[],
    );
    assert_eq!(restart.code, 0, "{}", restart.all());
    let generation = |w: &World| deployment(w, "backend")["metadata"]["generation"].as_i64();
    let before = generation(w).expect("a generation");
    let (a, b) = both_say_yes(w, "rollback backend --wait-timeout 30s");
    one_applied_one_stale(&a, &b, "rollback backend, twice");
    assert_eq!(
        generation(w),
        Some(before + 1),
        "rolled back once, not back and forth"
    );
}
