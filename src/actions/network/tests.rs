use super::*;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_text_is_a_cidr_or_a_usage_error(text in ".{0,45}") {
        if let Err(e) = parse_cidr(&text) {
            prop_assert_eq!(e.exit_code(), crate::error::ExitCode::Usage);
        }
    }

    #[test]
    fn ipv4_networks_parse_and_contain_their_address(a in any::<[u8; 4]>(), prefix in 0u8..=32) {
        let ip = std::net::Ipv4Addr::from(a);
        match parse_cidr(&format!("{ip}/{prefix}")) {
            Ok(net) => {
                prop_assert!(prefix > 0);
                prop_assert!(net.contains(&std::net::IpAddr::V4(ip)));
                prop_assert_eq!(net.prefix_len(), prefix);
            }
            Err(_) => prop_assert_eq!(prefix, 0, "only /0 (everything) is refused"),
        }
    }
}

#[test]
fn cidrs_parse_normalise_and_refuse_everything() {
    assert_eq!(
        parse_cidr("198.51.100.7").unwrap().to_string(),
        "198.51.100.7/32"
    );
    assert_eq!(
        parse_cidr("10.0.0.5/24").unwrap().to_string(),
        "10.0.0.0/24"
    );
    assert_eq!(
        parse_cidr("2001:db8::1").unwrap().to_string(),
        "2001:db8::1/128"
    );
    assert!(parse_cidr("0.0.0.0/0").is_err());
    assert!(parse_cidr("::/0").is_err());
    assert!(parse_cidr("10.0.0.300").is_err());
    assert!(parse_cidr("10.0.0.0/33").is_err());
    assert!(parse_cidr("bad").is_err());
}

fn policy(name: &str, rv: &str, ingress: Value) -> NetworkPolicy {
    serde_json::from_value(json!({
        "metadata": {"name": name, "resourceVersion": rv},
        "spec": {"podSelector": {}, "ingress": ingress}
    }))
    .unwrap()
}

fn office() -> NetworkPolicy {
    policy(
        "allow-office",
        "77",
        json!([{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/24"]}}]}]),
    )
}

fn read_of(found: Vec<(NetworkPolicy, Option<&str>)>) -> Policies {
    Policies {
        namespace: "payments".into(),
        found: found
            .into_iter()
            .map(|(p, how)| (p, how.map(str::to_string)))
            .collect(),
        templates: Vec::new(),
    }
}

fn cidr(s: &str) -> IpNet {
    parse_cidr(s).unwrap()
}

#[test]
fn blocking_guards_the_patch_with_the_resource_version_read_and_undoes_by_unblocking() {
    let e = plan_edit(&read_of(vec![(office(), None)]), cidr("10.9.9.9"), true).unwrap();
    let p = e.plan();
    assert_eq!(
        p.heading(),
        [
            "security block-ip",
            "networkpolicy/allow-office in payments",
            "block 10.9.9.9/32 in networkpolicy/allow-office (other rules unchanged)"
        ]
    );
    assert_eq!(e.edits.len(), 1);
    assert_eq!(e.edits[0].policy, "allow-office");
    assert_eq!(
        e.edits[0].ops,
        json!([
            {"op": "test", "path": "/metadata/resourceVersion", "value": "77"},
            {"op": "test", "path": "/spec/ingress/0/from/0/ipBlock/cidr", "value": "10.0.0.0/8"},
            {"op": "add", "path": "/spec/ingress/0/from/0/ipBlock/except/-", "value": "10.9.9.9/32"}
        ])
    );
    assert!(EditPolicies::patch(&e.edits[0]).is_ok());
    assert_eq!(
        &p.rows()[0][2..],
        ["[10.0.0.0/24]", "[10.0.0.0/24, 10.9.9.9/32]"]
    );
    assert_eq!(
        p.undo_line(),
        Some("incidentctl security unblock-ip 10.9.9.9/32 -n payments")
    );
    assert!(e.create.is_none());
}

#[test]
fn unblocking_removes_the_entry_behind_tests_and_undoes_by_blocking() {
    let blocked = policy(
        "allow-office",
        "78",
        json!([{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.9.9.9/32"]}}]}]),
    );
    let e = plan_edit(&read_of(vec![(blocked, None)]), cidr("10.9.9.9"), false).unwrap();
    assert_eq!(
        e.edits[0].ops,
        json!([
            {"op": "test", "path": "/metadata/resourceVersion", "value": "78"},
            {"op": "test", "path": "/spec/ingress/0/from/0/ipBlock/except/0", "value": "10.9.9.9/32"},
            {"op": "remove", "path": "/spec/ingress/0/from/0/ipBlock/except/0"}
        ])
    );
    assert_eq!(e.plan().changes[0].to.as_deref(), Some("[]"));
    assert_eq!(
        e.plan().undo_line(),
        Some("incidentctl security block-ip 10.9.9.9/32 -n payments")
    );
}

#[test]
fn several_policies_are_each_edited_labelled_and_found_ones_noted() {
    let other = policy(
        "allow-partners",
        "12",
        json!([{"from": [{"ipBlock": {"cidr": "10.9.0.0/16"}}]}]),
    );
    let read = read_of(vec![(office(), Some("selects app=backend")), (other, None)]);
    let e = plan_edit(&read, cidr("10.9.9.9"), true).unwrap();
    assert_eq!(
        e.plan().target,
        "networkpolicies allow-office, allow-partners in payments"
    );
    let objects: Vec<&str> = e.plan().changes.iter().map(|c| c.object.as_str()).collect();
    assert_eq!(
        objects,
        [
            "allow-office: rule 0 ipBlock 10.0.0.0/8",
            "allow-partners: rule 0 ipBlock 10.9.0.0/16"
        ]
    );
    assert_eq!(
        e.plan().notes,
        ["networkpolicy/allow-office found: selects app=backend"]
    );
    let versions: Vec<&Value> = e.edits.iter().map(|x| &x.ops[0]["value"]).collect();
    assert_eq!(versions, [&json!("77"), &json!("12")]);
}

#[test]
fn an_address_not_admitted_or_not_blocked_is_nothing_to_do() {
    let read = read_of(vec![(office(), None)]);
    let outside = plan_edit(&read, cidr("172.16.0.1"), true).unwrap();
    assert!(outside.plan().changes.is_empty() && outside.edits.is_empty());
    assert_eq!(
        outside.plan().summary,
        "172.16.0.1/32 is already not admitted: no rule of networkpolicy/allow-office admits it"
    );
    let not_blocked = plan_edit(&read, cidr("10.9.9.9"), false).unwrap();
    assert!(not_blocked.plan().changes.is_empty());
    assert_eq!(
        not_blocked.plan().summary,
        "10.9.9.9/32 is not blocked in networkpolicy/allow-office"
    );
}

#[test]
fn a_rule_open_to_every_source_refuses_the_block() {
    let open = policy("open", "3", json!([{"ports": [{"port": 80}]}]));
    let e = plan_edit(&read_of(vec![(open, None)]), cidr("10.9.9.9"), true)
        .err()
        .unwrap();
    assert_eq!(e.exit_code(), crate::error::ExitCode::Usage);
}

#[test]
fn with_no_policy_blocking_creates_one_undone_by_deleting_it_and_unblocking_does_nothing() {
    let mut read = read_of(Vec::new());
    read.templates = vec![crate::discovery::AppTemplate {
        deployment: "backend".into(),
        labels: [("app".to_string(), "backend".to_string())].into(),
        ..Default::default()
    }];
    let e = plan_edit(&read, cidr("203.0.113.7"), true).unwrap();
    assert_eq!(
        e.plan().target,
        "networkpolicy/incidentctl-blocked-sources in payments"
    );
    assert_eq!(e.plan().changes[0].change, "create");
    assert_eq!(
        e.plan().changes[0].to.as_deref(),
        Some(
            r#"selects {"matchLabels":{"app":"backend"}}; admits every source but 203.0.113.7/32"#
        )
    );
    assert_eq!(
        e.plan().undo_line(),
        Some("kubectl delete networkpolicy incidentctl-blocked-sources -n payments")
    );
    let created = e.new_policy().unwrap().unwrap();
    assert_eq!(created.metadata.namespace.as_deref(), Some("payments"));
    let none = plan_edit(&read, cidr("203.0.113.7"), false).unwrap();
    assert!(none.plan().changes.is_empty() && none.create.is_none());
    assert!(none.plan().undo.is_none());
}
