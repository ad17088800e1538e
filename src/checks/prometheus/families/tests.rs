//! Every built-in query of every family, read back by a real PromQL parser: it parses, and every
//! selector in it selects the app's series only, whatever its namespace and names hold.

use super::*;
use promql_parser::label::MatchOp;
use promql_parser::parser::{self, Expr, VectorSelector};

/// A scope no one would choose: quotes, backslashes, a line break, regex characters.
fn hostile() -> AppScope {
    AppScope {
        namespace: "we\"ird\\ns\n} or vector(1) #".into(),
        services: vec!["backend".into(), "front\"end".into()],
        workloads: vec!["backend".into(), "api.v2".into()],
        how: None,
    }
}

fn selectors(e: &Expr, out: &mut Vec<VectorSelector>) {
    match e {
        Expr::Aggregate(a) => {
            selectors(&a.expr, out);
            if let Some(p) = &a.param {
                selectors(p, out);
            }
        }
        Expr::Unary(u) => selectors(&u.expr, out),
        Expr::Binary(b) => {
            selectors(&b.lhs, out);
            selectors(&b.rhs, out);
        }
        Expr::Paren(p) => selectors(&p.expr, out),
        Expr::Subquery(s) => selectors(&s.expr, out),
        Expr::VectorSelector(v) => out.push(v.clone()),
        Expr::MatrixSelector(m) => out.push(m.vs.clone()),
        Expr::Call(c) => c.args.args.iter().for_each(|a| selectors(a, out)),
        _ => {}
    }
}

/// The value of the selector's `label` matcher, and whether it is a regular expression.
fn matcher(v: &VectorSelector, label: &str) -> Option<(String, bool)> {
    v.matchers
        .matchers
        .iter()
        .find(|m| m.name == label)
        .map(|m| (m.value.clone(), matches!(m.op, MatchOp::Re(_))))
}

/// Whether Prometheus's regex matcher (anchored at both ends) takes `value`.
fn takes(pattern: &str, value: &str) -> bool {
    regex::Regex::new(&format!("^(?:{pattern})$"))
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
        .is_match(value)
}

#[test]
fn every_built_in_query_parses_and_every_selector_is_the_apps() {
    let scope = hostile();
    for family in MetricFamily::ALL {
        let n = names(family);
        for kind in RequestQuery::ALL {
            let q = query(family, kind, &scope);
            let expr = parser::parse(&q).unwrap_or_else(|e| panic!("{family} {kind:?}: {e}\n{q}"));
            let mut found = Vec::new();
            selectors(&expr, &mut found);
            let expected = if kind == RequestQuery::LatencyP95 {
                1
            } else {
                2
            };
            assert_eq!(found.len(), expected, "{family} {kind:?}: {q}");
            for v in &found {
                let metric = v.name.as_deref().unwrap_or("");
                assert!([n.requests, n.buckets].contains(&metric), "{metric}");
                for (label, value) in n.fixed {
                    assert_eq!(matcher(v, label), Some((value.to_string(), false)));
                }
                match n.namespace {
                    Some(label) => {
                        assert_eq!(
                            matcher(v, label),
                            Some((scope.namespace.clone(), false)),
                            "{q}"
                        )
                    }
                    None => assert!(matches!(n.app, AppLabel::TraefikService)),
                }
                let (label, names, others): (&str, &[String], &[&str]) = match n.app {
                    AppLabel::Service(l) => (l, &scope.services, &["backend-admin", "frontend"]),
                    AppLabel::Workload(l) => (l, &scope.workloads, &["api-v2", "backend2"]),
                    AppLabel::TraefikService => ("service", &[], &[]),
                };
                let (pattern, is_regex) = matcher(v, label).expect("the app's label");
                assert!(is_regex, "{q}");
                if let AppLabel::TraefikService = n.app {
                    let ns = &scope.namespace;
                    for svc in &scope.services {
                        for provider in ["kubernetes", "kubernetescrd"] {
                            let value = format!("{ns}-{svc}-8080@{provider}");
                            assert!(takes(&pattern, &value), "{pattern} / {value}");
                        }
                    }
                    for other in [
                        format!("{ns}-backend-admin-80@kubernetes"),
                        "payments-backend-80@kubernetes".to_string(),
                        format!("{ns}-backend-80@file"),
                    ] {
                        assert!(!takes(&pattern, &other), "{pattern} / {other}");
                    }
                } else {
                    for name in names {
                        assert!(takes(&pattern, name), "{pattern} / {name}");
                    }
                    for other in others {
                        assert!(!takes(&pattern, other), "{pattern} / {other}");
                    }
                }
            }
        }
    }
}

#[test]
fn ratios_sum_both_sides_and_istio_latency_is_read_in_seconds() {
    let scope = AppScope {
        namespace: "shop".into(),
        services: vec!["api".into()],
        workloads: vec!["api".into()],
        how: None,
    };
    assert_eq!(
        query(MetricFamily::Incidentctl, RequestQuery::ErrorRate, &scope),
        r#"sum(rate(http_requests_total{namespace="shop",service=~"api",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="shop",service=~"api"}[5m]))"#
    );
    assert_eq!(
        query(MetricFamily::Istio, RequestQuery::LatencyP95, &scope),
        r#"histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="shop",destination_workload=~"api"}[5m]))) / 1000"#
    );
    assert_eq!(
        query(MetricFamily::Traefik, RequestQuery::ForbiddenRate, &scope),
        r#"sum(rate(traefik_service_requests_total{service=~"shop-(?:api)-[^-@]+@kubernetes[a-z]*",code="403"}[5m])) / sum(rate(traefik_service_requests_total{service=~"shop-(?:api)-[^-@]+@kubernetes[a-z]*"}[5m]))"#
    );
}
