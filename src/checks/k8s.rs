//! Kubernetes: the seed's `kubectl get pods / describe / logs / get ingress / get events / top`.

use super::{fmt_age, fmt_num, CheckError, CheckOutcome, Finding, Status};
use crate::context::{AppWorkload, Context};
use crate::failure::Cause;
use crate::redact;
use crate::settings::{Settings, Threshold};
use futures::stream::{self, StreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Event, Node, Pod, Secret, Service};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use kube::api::{Api, ApiResource, DynamicObject, ListParams, LogParams};
use regex::Regex;
use std::collections::BTreeMap;

/// Pods whose logs are read per deployment: unhealthy pods first. Reading every pod of a large
/// deployment would take longer than the on-call engineer can wait.
const MAX_LOG_PODS_PER_DEPLOYMENT: usize = 20;
/// Concurrent requests for logs: enough to hide latency, few enough not to hammer the API server.
const LOG_CONCURRENCY: usize = 16;

/// One line naming what failed, from a Kubernetes client error; its cause and hint are read
/// from the error's type and the API's status code.
pub fn kube_error(e: kube::Error, what: &str) -> CheckError {
    let cause = crate::failure::of_kube(&e);
    match e {
        kube::Error::Api(status) => {
            let err = CheckError::remote(
                cause,
                format!(
                    "{what}: {} from the API server: {}",
                    status.code,
                    redact::secrets(&status.message)
                ),
            );
            match status.code {
                401 => err.hint("the API server rejected the credentials; check the kubeconfig user or refresh the token"),
                403 => err.hint(format!("the identity lacks permission for this ({what}); see the RBAC roles in examples/")),
                404 => err.hint("the resource type or namespace does not exist on this cluster"),
                _ => err,
            }
        }
        kube::Error::SerdeError(e) => CheckError::remote(cause, format!(
            "{what}: the API server's answer is not valid Kubernetes JSON ({e})"
        ))
        .hint("something answers at the cluster address, but not the Kubernetes API: check the kubeconfig's server"),
        other => {
            let text = redact::error_chain(&other);
            match cause {
                // The kubeconfig holds the cluster's CA and the client certificate, not our
                // config file: point there.
                Cause::Tls(_) => CheckError::remote(
                    cause,
                    format!("{what}: cannot reach the API server: TLS: {text}"),
                )
                .hint("check the cluster's certificate-authority(-data) and the user's client certificate in the kubeconfig (kubectl config view)"),
                Cause::Lost | Cause::TimedOut => CheckError::remote(
                    cause,
                    format!("{what}: the connection to the API server failed ({}): {text}", cause.label()),
                )
                .hint("the API server may be overloaded or restarting; try again, or raise --timeout"),
                _ => CheckError::remote(cause, format!("{what}: cannot reach the API server: {text}"))
                    .hint("check the cluster address in the kubeconfig (kubectl cluster-info)"),
            }
        }
    }
}

/// Reads the configured deployments and the pods their selectors match.
pub async fn fetch_app_workloads(
    client: kube::Client,
    settings: &Settings,
) -> Result<Vec<AppWorkload>, CheckError> {
    let ns = &settings.namespace;
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    let pods: Api<Pod> = Api::namespaced(client, ns);
    let reads = settings.kubernetes.deployments.iter().map(|name| {
        let deployments = deployments.clone();
        let pods = pods.clone();
        async move {
            let deployment = deployments
                .get_opt(name)
                .await
                .map_err(|e| kube_error(e, &format!("get deployment {name}")))?;
            let Some(deployment) = deployment else {
                return Ok(AppWorkload {
                    name: name.clone(),
                    deployment: None,
                    pods: Vec::new(),
                });
            };
            let selector = deployment
                .spec
                .as_ref()
                .and_then(|s| s.selector.match_labels.as_ref())
                .map(|labels| {
                    labels
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            let list = if selector.is_empty() {
                Vec::new()
            } else {
                pods.list(&ListParams::default().labels(&selector))
                    .await
                    .map_err(|e| kube_error(e, &format!("list pods of {name}")))?
                    .items
            };
            let mut list = list;
            list.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            Ok(AppWorkload {
                name: name.clone(),
                deployment: Some(deployment),
                pods: list,
            })
        }
    });
    futures::future::join_all(reads).await.into_iter().collect()
}

fn name_of(meta: &kube::api::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("?")
}

/// What is wrong with a pod, if anything: (problem description, is it not ready).
fn pod_problems(pod: &Pod, restart_warning: i32) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(status) = &pod.status else {
        return vec!["no status".into()];
    };
    let phase = status.phase.as_deref().unwrap_or("Unknown");
    if phase != "Running" && phase != "Succeeded" {
        problems.push(format!("phase {phase}"));
    }
    for cs in status.container_statuses.iter().flatten() {
        let state = cs.state.as_ref();
        if let Some(reason) = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
        {
            problems.push(format!("{}: {reason}", cs.name));
        }
        if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
            problems.push(format!(
                "{}: terminated ({}, exit {})",
                cs.name,
                t.reason.as_deref().unwrap_or("?"),
                t.exit_code
            ));
        }
        if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
            if t.reason.as_deref() == Some("OOMKilled") {
                problems.push(format!("{}: last exit OOMKilled", cs.name));
            }
        }
        if cs.restart_count >= restart_warning {
            problems.push(format!("{}: {} restarts", cs.name, cs.restart_count));
        }
    }
    if !is_ready(pod) && phase == "Running" {
        problems.push("not ready".into());
    }
    problems
}

fn is_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|conds| {
            conds
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        })
}

fn desired_replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

pub async fn pods(ctx: &Context) -> CheckOutcome {
    let workloads = ctx.app_workloads().await?;
    let restart_warning = ctx.settings.kubernetes.restart_warning;
    let mut evidence = Vec::new();
    let mut unhealthy = 0usize;
    let mut total = 0usize;
    let mut without_ready_pod = Vec::new();
    for w in workloads.iter() {
        let Some(deployment) = &w.deployment else {
            continue;
        };
        let ready = w.pods.iter().filter(|p| is_ready(p)).count();
        if ready == 0 && desired_replicas(deployment) > 0 {
            without_ready_pod.push(w.name.clone());
        }
        for pod in &w.pods {
            total += 1;
            let problems = pod_problems(pod, restart_warning);
            if !problems.is_empty() {
                unhealthy += 1;
                evidence.push(format!(
                    "{}: {}",
                    name_of(&pod.metadata),
                    problems.join(", ")
                ));
            }
        }
    }
    let status = if !without_ready_pod.is_empty() {
        Status::Critical
    } else if unhealthy > 0 {
        Status::Warning
    } else {
        Status::Ok
    };
    let summary = if !without_ready_pod.is_empty() {
        format!("no ready pod for {}", without_ready_pod.join(", "))
    } else if unhealthy > 0 {
        format!("{unhealthy} of {total} app pods unhealthy")
    } else {
        format!("all {total} app pods running and ready")
    };
    Ok(Finding::new(status, summary)
        .value(unhealthy as f64, "pods")
        .evidence(evidence))
}

pub async fn deployments(ctx: &Context) -> CheckOutcome {
    let workloads = ctx.app_workloads().await?;
    let mut status = Status::Ok;
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    for w in workloads.iter() {
        let Some(d) = &w.deployment else {
            status = Status::Critical;
            problems.push(format!("{} not found", w.name));
            evidence.push(format!(
                "deployment {} not found in namespace {}",
                w.name, ctx.settings.namespace
            ));
            continue;
        };
        let desired = desired_replicas(d);
        let st = d.status.clone().unwrap_or_default();
        let available = st.available_replicas.unwrap_or(0);
        evidence.push(format!(
            "{}: {available}/{desired} available (ready {}, updated {})",
            w.name,
            st.ready_replicas.unwrap_or(0),
            st.updated_replicas.unwrap_or(0)
        ));
        if desired == 0 {
            status = status.max(Status::Warning);
            problems.push(format!("{} scaled to 0", w.name));
        } else if available == 0 {
            status = Status::Critical;
            problems.push(format!("{} has 0/{desired} available", w.name));
        } else if available < desired {
            status = status.max(Status::Warning);
            problems.push(format!("{} has {available}/{desired} available", w.name));
        }
    }
    let summary = if problems.is_empty() {
        format!("{} deployments at desired replicas", workloads.len())
    } else {
        problems.join("; ")
    };
    Ok(Finding::new(status, summary).evidence(evidence))
}

/// The services an ingress routes to.
fn ingress_backends(ingress: &Ingress) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(spec) = &ingress.spec {
        if let Some(svc) = spec
            .default_backend
            .as_ref()
            .and_then(|b| b.service.as_ref())
        {
            names.push(svc.name.clone());
        }
        for rule in spec.rules.iter().flatten() {
            for path in rule.http.iter().flat_map(|h| h.paths.iter()) {
                if let Some(svc) = &path.backend.service {
                    names.push(svc.name.clone());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

pub async fn ingress(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let ns = &ctx.settings.namespace;
    let name = &ctx.settings.kubernetes.ingress;
    let ingresses: Api<Ingress> = Api::namespaced(client.clone(), ns);
    let Some(ing) = ingresses
        .get_opt(name)
        .await
        .map_err(|e| kube_error(e, &format!("get ingress {name}")))?
    else {
        return Ok(Finding::new(
            Status::Critical,
            format!("ingress {name} not found in namespace {ns}"),
        ));
    };
    let addresses: Vec<String> = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|list| {
            list.iter()
                .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                .collect()
        })
        .unwrap_or_default();
    let backends = ingress_backends(&ing);
    let services: Api<Service> = Api::namespaced(client, ns);
    let mut missing = Vec::new();
    for svc in &backends {
        if services
            .get_opt(svc)
            .await
            .map_err(|e| kube_error(e, &format!("get service {svc}")))?
            .is_none()
        {
            missing.push(svc.clone());
        }
    }
    let mut evidence = vec![
        format!(
            "address: {}",
            if addresses.is_empty() {
                "none".to_string()
            } else {
                addresses.join(", ")
            }
        ),
        format!("backends: {}", backends.join(", ")),
    ];
    let finding = if !missing.is_empty() {
        evidence.push(format!("missing services: {}", missing.join(", ")));
        Finding::new(
            Status::Critical,
            format!("backend service(s) missing: {}", missing.join(", ")),
        )
    } else if addresses.is_empty() {
        Finding::new(Status::Warning, format!("ingress {name} has no address"))
    } else {
        Finding::ok(format!(
            "ingress {name} at {} routes to {} service(s)",
            addresses.join(", "),
            backends.len()
        ))
    };
    Ok(finding.evidence(evidence))
}

pub async fn endpoints(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let ns = &ctx.settings.namespace;
    let k = &ctx.settings.kubernetes;
    let services = if !k.services.is_empty() {
        k.services.clone()
    } else {
        let ingresses: Api<Ingress> = Api::namespaced(client.clone(), ns);
        match ingresses
            .get_opt(&k.ingress)
            .await
            .map_err(|e| kube_error(e, &format!("get ingress {}", k.ingress)))?
        {
            Some(ing) if !ingress_backends(&ing).is_empty() => ingress_backends(&ing),
            _ => k.deployments.clone(),
        }
    };
    let api: Api<Endpoints> = Api::namespaced(client, ns);
    let mut evidence = Vec::new();
    let mut empty = Vec::new();
    for svc in &services {
        let ep = api
            .get_opt(svc)
            .await
            .map_err(|e| kube_error(e, &format!("get endpoints {svc}")))?;
        let (ready, not_ready) = ep
            .as_ref()
            .map(|e| {
                e.subsets.iter().flatten().fold((0, 0), |(r, n), s| {
                    (
                        r + s.addresses.as_ref().map_or(0, Vec::len),
                        n + s.not_ready_addresses.as_ref().map_or(0, Vec::len),
                    )
                })
            })
            .unwrap_or((0, 0));
        if ep.is_none() {
            evidence.push(format!("{svc}: no endpoints object"));
        } else {
            evidence.push(format!("{svc}: {ready} ready, {not_ready} not ready"));
        }
        if ready == 0 {
            empty.push(svc.clone());
        }
    }
    let finding = if empty.is_empty() {
        Finding::ok(format!(
            "{} service(s) have ready endpoints",
            services.len()
        ))
    } else {
        Finding::new(
            Status::Critical,
            format!("no ready endpoints for {}", empty.join(", ")),
        )
    };
    Ok(finding
        .value(empty.len() as f64, "services")
        .evidence(evidence))
}

/// When an event last happened: lastTimestamp may be empty, so fall back as kubectl does.
fn event_time(e: &Event) -> Option<jiff::Timestamp> {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| e.event_time.as_ref().map(|t| t.0))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(|t| t.0))
}

pub async fn events(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let api: Api<Event> = Api::namespaced(client, &ctx.settings.namespace);
    let list = api
        .list(&ListParams::default().fields("type!=Normal"))
        .await
        .map_err(|e| kube_error(e, "list events"))?;
    // The run's clock (INCIDENTCTL_NOW replays an incident), as every other age here.
    let now = ctx.settings.now();
    let window = ctx.settings.kubernetes.events_window.0.as_secs_f64();
    let mut recent: Vec<(jiff::Timestamp, &Event)> = list
        .items
        .iter()
        .filter(|e| e.type_.as_deref() != Some("Normal"))
        .filter_map(|e| event_time(e).map(|t| (t, e)))
        .filter(|(t, _)| (now.as_second() - t.as_second()) as f64 <= window)
        .collect();
    recent.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    let evidence: Vec<String> = recent
        .iter()
        .take(10)
        .map(|(t, e)| {
            let age = fmt_age((now.as_second() - t.as_second()) as f64);
            let obj = format!(
                "{}/{}",
                e.involved_object.kind.as_deref().unwrap_or("?"),
                e.involved_object.name.as_deref().unwrap_or("?")
            );
            let count = e
                .count
                .filter(|c| *c > 1)
                .map(|c| format!(" (x{c})"))
                .unwrap_or_default();
            format!(
                "{age} ago {} {obj}: {}{count}",
                e.reason.as_deref().unwrap_or("?"),
                redact::truncate(&redact::secrets(e.message.as_deref().unwrap_or("")), 160)
            )
        })
        .collect();
    let n = recent.len();
    let window_text = ctx.settings.kubernetes.events_window;
    let finding = if n == 0 {
        Finding::ok(format!("no Warning events in the last {window_text}"))
    } else {
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, e) in &recent {
            *reasons
                .entry(e.reason.as_deref().unwrap_or("?"))
                .or_default() += 1;
        }
        let mut top: Vec<(&str, usize)> = reasons.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = top
            .iter()
            .take(3)
            .map(|(r, c)| format!("{r} x{c}"))
            .collect();
        Finding::new(
            Status::Warning,
            format!(
                "{n} Warning events in the last {window_text}: {}",
                top.join(", ")
            ),
        )
    };
    Ok(finding.value(n as f64, "events").evidence(evidence))
}

/// The log tail of one container of one pod.
#[derive(Debug, Clone)]
pub struct PodLog {
    pub pod: String,
    pub container: String,
    pub text: String,
}

/// Pods worth reading, unhealthy first, at most `MAX_LOG_PODS_PER_DEPLOYMENT` per deployment.
fn pods_to_read(workloads: &[AppWorkload], restart_warning: i32) -> (Vec<&Pod>, usize) {
    let mut chosen = Vec::new();
    let mut skipped = 0;
    for w in workloads {
        let mut pods: Vec<&Pod> = w.pods.iter().collect();
        pods.sort_by_key(|p| pod_problems(p, restart_warning).is_empty());
        skipped += pods.len().saturating_sub(MAX_LOG_PODS_PER_DEPLOYMENT);
        chosen.extend(pods.into_iter().take(MAX_LOG_PODS_PER_DEPLOYMENT));
    }
    (chosen, skipped)
}

async fn read_logs(
    client: kube::Client,
    ns: &str,
    pods: Vec<&Pod>,
    tail: i64,
) -> Result<Vec<PodLog>, CheckError> {
    let api: Api<Pod> = Api::namespaced(client, ns);
    let mut jobs = Vec::new();
    for pod in pods {
        let name = name_of(&pod.metadata).to_string();
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            jobs.push((name.clone(), c.name.clone()));
        }
    }
    let results: Vec<Result<PodLog, CheckError>> = stream::iter(jobs)
        .map(|(pod, container)| {
            let api = api.clone();
            async move {
                let params = LogParams {
                    container: Some(container.clone()),
                    tail_lines: Some(tail),
                    ..LogParams::default()
                };
                match api.logs(&pod, &params).await {
                    Ok(text) => Ok(PodLog {
                        pod,
                        container,
                        text,
                    }),
                    // A container that has not started yet has no log: nothing to read.
                    Err(kube::Error::Api(s)) if s.code == 400 => Ok(PodLog {
                        pod,
                        container,
                        text: String::new(),
                    }),
                    Err(e) => Err(kube_error(e, &format!("logs of {pod}/{container}"))),
                }
            }
        })
        .buffer_unordered(LOG_CONCURRENCY)
        .collect()
        .await;
    let mut logs: Vec<PodLog> = results.into_iter().collect::<Result<_, _>>()?;
    logs.sort_by(|a, b| (&a.pod, &a.container).cmp(&(&b.pod, &b.container)));
    Ok(logs)
}

/// Lines of `logs` matching `pattern`: (count per pod/container, newest few samples, redacted).
fn grep_logs(
    logs: &[PodLog],
    pattern: &Regex,
    samples_per_pod: usize,
) -> (usize, Vec<String>, Vec<(String, usize)>) {
    let mut total = 0;
    let mut samples = Vec::new();
    let mut per_pod = Vec::new();
    for log in logs {
        let hits: Vec<&str> = log.text.lines().filter(|l| pattern.is_match(l)).collect();
        if hits.is_empty() {
            continue;
        }
        total += hits.len();
        let label = format!("{}/{}", log.pod, log.container);
        per_pod.push((label.clone(), hits.len()));
        for line in hits.iter().rev().take(samples_per_pod).rev() {
            samples.push(format!(
                "{label}: {}",
                redact::truncate(&redact::secrets(line.trim()), 200)
            ));
        }
    }
    (total, samples, per_pod)
}

fn compile(pattern: &str, key: &str) -> Result<Regex, CheckError> {
    crate::settings::log_regex(pattern).map_err(|e| CheckError::new(format!("invalid {key}: {e}")))
}

pub async fn log_errors(ctx: &Context) -> CheckOutcome {
    let k = &ctx.settings.kubernetes;
    let pattern = compile(&k.error_pattern, "kubernetes.error_pattern")?;
    let workloads = ctx.app_workloads().await?;
    let (pods, skipped) = pods_to_read(&workloads, k.restart_warning);
    let n_pods = pods.len();
    let logs = read_logs(
        ctx.kube().await?,
        &ctx.settings.namespace,
        pods,
        k.log_tail_lines,
    )
    .await?;
    let (total, samples, per_pod) = grep_logs(&logs, &pattern, 3);
    let worst = per_pod.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let threshold = ctx.settings.thresholds.log_errors;
    let summary = if total == 0 {
        format!(
            "no error lines in the last {} lines of {n_pods} pod(s)",
            k.log_tail_lines
        )
    } else {
        let pods_text: Vec<String> = per_pod.iter().map(|(p, n)| format!("{p} {n}")).collect();
        format!("{total} error lines: {}", pods_text.join(", "))
    };
    let mut finding =
        Finding::measured(worst as f64, "lines", threshold, summary).evidence(samples);
    finding.value = Some(total as f64);
    // The levels apply to the worst pod; the value shown is the total.
    finding.status = Status::of(worst as f64, threshold);
    if skipped > 0 {
        finding.evidence.push(format!(
            "read {n_pods} pods; {skipped} healthy pods not read"
        ));
    }
    Ok(finding)
}

pub async fn auth_failures(ctx: &Context) -> CheckOutcome {
    let k = &ctx.settings.kubernetes;
    let auth = compile(&k.auth_pattern, "kubernetes.auth_pattern")?;
    let denied = compile(&k.access_denied_pattern, "kubernetes.access_denied_pattern")?;
    let client = ctx.kube().await?;
    let ns = &ctx.settings.namespace;
    let workloads = ctx.app_workloads().await?;
    let (app_pods, _) = pods_to_read(&workloads, k.restart_warning);
    let access_pods: Vec<Pod> = Api::<Pod>::namespaced(client.clone(), ns)
        .list(&ListParams::default().labels(&k.access_log_selector))
        .await
        .map_err(|e| kube_error(e, &format!("list pods {}", k.access_log_selector)))?
        .items;
    let app_logs = read_logs(client.clone(), ns, app_pods, k.log_tail_lines).await?;
    let access_logs = read_logs(
        client,
        ns,
        access_pods
            .iter()
            .take(MAX_LOG_PODS_PER_DEPLOYMENT)
            .collect(),
        k.log_tail_lines,
    )
    .await?;
    let (app_total, mut samples, _) = grep_logs(&app_logs, &auth, 2);
    let (access_total, access_samples, _) = grep_logs(&access_logs, &denied, 2);
    samples.extend(access_samples);
    let total = app_total + access_total;
    let summary = format!(
        "{access_total} denied requests (401/403) in {} access log(s), {app_total} auth failures in app logs",
        access_logs.len()
    );
    Ok(Finding::measured(
        total as f64,
        "lines",
        ctx.settings.thresholds.auth_failures,
        summary,
    )
    .evidence(samples))
}

pub async fn config(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let ns = &ctx.settings.namespace;
    let k = &ctx.settings.kubernetes;
    let cm = Api::<ConfigMap>::namespaced(client.clone(), ns)
        .get_opt(&k.configmap)
        .await
        .map_err(|e| kube_error(e, &format!("get configmap {}", k.configmap)))?;
    let secret = Api::<Secret>::namespaced(client, ns)
        .get_opt(&k.secret)
        .await
        .map_err(|e| kube_error(e, &format!("get secret {}", k.secret)))?;
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    match &cm {
        Some(cm) => {
            let keys: Vec<&String> = cm.data.iter().flat_map(|d| d.keys()).collect();
            evidence.push(format!(
                "configmap {}: {} key(s): {}",
                k.configmap,
                keys.len(),
                keys.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        None => missing.push(format!("configmap {}", k.configmap)),
    }
    match &secret {
        Some(s) => {
            // Key names only: values (and the last-applied annotation that repeats them) never
            // leave this function.
            let mut keys: Vec<&String> = s.data.iter().flat_map(|d| d.keys()).collect();
            keys.extend(s.string_data.iter().flat_map(|d| d.keys()));
            evidence.push(format!(
                "secret {}: {} key(s): {} (values not shown)",
                k.secret,
                keys.len(),
                keys.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        None => missing.push(format!("secret {}", k.secret)),
    }
    let finding = if missing.is_empty() {
        Finding::ok(format!(
            "configmap {} and secret {} exist",
            k.configmap, k.secret
        ))
    } else {
        Finding::new(
            Status::Critical,
            format!("{} not found", missing.join(" and ")),
        )
    };
    Ok(finding.evidence(evidence))
}

/// Parses a Kubernetes quantity into base units (cores or bytes): `250m`, `1.5`, `128Mi`, `1G`.
pub fn parse_quantity(q: &str) -> Option<f64> {
    let q = q.trim();
    let split = q
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        _ => return None,
    };
    Some(n * factor)
}

fn fmt_cpu(cores: f64) -> String {
    if cores < 1.0 {
        format!("{}m", (cores * 1000.0).round())
    } else {
        fmt_num(cores, 2)
    }
}

fn fmt_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "Ki", "Mi", "Gi", "Ti"];
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{}{}", fmt_num(v, 1), UNITS[i])
}

/// Usage as a percentage of a limit, classified by the CPU or memory levels; the worst wins.
struct Usage {
    status: Status,
    percent: f64,
    threshold: Threshold,
}

fn worst_usage(items: &[(f64, Threshold)]) -> Option<Usage> {
    items
        .iter()
        .map(|(pct, th)| Usage {
            status: Status::of(*pct, *th),
            percent: *pct,
            threshold: *th,
        })
        .max_by(|a, b| {
            a.status
                .cmp(&b.status)
                .then(a.percent.total_cmp(&b.percent))
        })
}

fn metrics_resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: "metrics.k8s.io".into(),
        version: "v1beta1".into(),
        api_version: "metrics.k8s.io/v1beta1".into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

fn metrics_error(e: kube::Error, what: &str) -> CheckError {
    match e {
        kube::Error::Api(s) if s.code == 404 || s.code == 503 => CheckError::new(format!(
            "{what}: the metrics API (metrics.k8s.io) is not available ({})",
            s.code
        ))
        .hint("install metrics-server, as `kubectl top` needs"),
        other => kube_error(other, what),
    }
}

pub async fn pod_resources(ctx: &Context) -> CheckOutcome {
    let workloads = ctx.app_workloads().await?;
    let client = ctx.kube().await?;
    let ar = metrics_resource("PodMetrics", "pods");
    let api: Api<DynamicObject> = Api::namespaced_with(client, &ctx.settings.namespace, &ar);
    let metrics = api
        .list(&ListParams::default())
        .await
        .map_err(|e| metrics_error(e, "list pod metrics"))?;
    let usage: BTreeMap<String, &serde_json::Value> = metrics
        .items
        .iter()
        .filter_map(|m| Some((m.metadata.name.clone()?, m.data.get("containers")?)))
        .collect();
    let th = &ctx.settings.thresholds;
    let mut measured = Vec::new();
    let mut evidence = Vec::new();
    let mut no_limits = 0;
    for pod in workloads.iter().flat_map(|w| w.pods.iter()) {
        let pod_name = name_of(&pod.metadata);
        let Some(containers) = usage.get(pod_name).and_then(|c| c.as_array()) else {
            continue;
        };
        for c in pod.spec.iter().flat_map(|s| s.containers.iter()) {
            let used = containers
                .iter()
                .find(|u| u.get("name").and_then(|n| n.as_str()) == Some(c.name.as_str()))
                .and_then(|u| u.get("usage"));
            let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
            let Some(used) = used else { continue };
            let Some(limits) = limits else {
                no_limits += 1;
                continue;
            };
            let mut parts = Vec::new();
            let mut items = Vec::new();
            for (resource, level, fmt) in [
                ("cpu", th.cpu, fmt_cpu as fn(f64) -> String),
                ("memory", th.memory, fmt_bytes as fn(f64) -> String),
            ] {
                let u = used
                    .get(resource)
                    .and_then(|v| v.as_str())
                    .and_then(parse_quantity);
                let l = limits.get(resource).and_then(|q| parse_quantity(&q.0));
                if let (Some(u), Some(l)) = (u, l) {
                    if l > 0.0 {
                        let pct = u / l * 100.0;
                        items.push((pct, level));
                        parts.push(format!(
                            "{resource} {} of {} ({}%)",
                            fmt(u),
                            fmt(l),
                            fmt_num(pct, 0)
                        ));
                    }
                }
            }
            if let Some(w) = worst_usage(&items) {
                if w.status.is_problem() {
                    evidence.push(format!("{pod_name}/{}: {}", c.name, parts.join(", ")));
                }
                measured.push(w);
            }
        }
    }
    if no_limits > 0 {
        evidence.push(format!(
            "{no_limits} container(s) without limits not compared"
        ));
    }
    let Some(worst) = measured.into_iter().max_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(a.percent.total_cmp(&b.percent))
    }) else {
        return Ok(
            Finding::new(Status::Unknown, "no usage metrics for app pods with limits")
                .evidence(evidence),
        );
    };
    let summary = format!(
        "highest container use {}% of its limit",
        fmt_num(worst.percent, 0)
    );
    let mut finding =
        Finding::measured(worst.percent, "%", worst.threshold, summary).evidence(evidence);
    finding.status = worst.status;
    Ok(finding)
}

pub async fn nodes(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let nodes = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await
        .map_err(|e| kube_error(e, "list nodes"))?;
    let ar = metrics_resource("NodeMetrics", "nodes");
    let metrics = Api::<DynamicObject>::all_with(client, &ar)
        .list(&ListParams::default())
        .await;
    let th = &ctx.settings.thresholds;
    let mut status = Status::Ok;
    let mut evidence = Vec::new();
    let mut measured = Vec::new();
    let usage: BTreeMap<String, serde_json::Value> = match metrics {
        Ok(list) => list
            .items
            .iter()
            .filter_map(|m| Some((m.metadata.name.clone()?, m.data.get("usage")?.clone())))
            .collect(),
        Err(e) => {
            // Say why: a missing metrics-server and a missing permission need different fixes.
            let why = metrics_error(e, "list node metrics").message;
            evidence.push(format!("node metrics unavailable, conditions only: {why}"));
            BTreeMap::new()
        }
    };
    for node in &nodes.items {
        let name = name_of(&node.metadata);
        for c in node
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
        {
            let bad = match c.type_.as_str() {
                "Ready" => (c.status != "True").then_some(Status::Critical),
                "MemoryPressure" | "DiskPressure" | "PIDPressure" | "NetworkUnavailable" => {
                    (c.status == "True").then_some(Status::Warning)
                }
                _ => None,
            };
            if let Some(s) = bad {
                status = status.max(s);
                evidence.push(format!("{name}: {} is {}", c.type_, c.status));
            }
        }
        let allocatable = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
        if let (Some(used), Some(alloc)) = (usage.get(name), allocatable) {
            let mut items = Vec::new();
            let mut parts = Vec::new();
            for (resource, level) in [("cpu", th.cpu), ("memory", th.memory)] {
                let u = used
                    .get(resource)
                    .and_then(|v| v.as_str())
                    .and_then(parse_quantity);
                let a = alloc.get(resource).and_then(|q| parse_quantity(&q.0));
                if let (Some(u), Some(a)) = (u, a) {
                    if a > 0.0 {
                        items.push((u / a * 100.0, level));
                        parts.push(format!("{resource} {}%", fmt_num(u / a * 100.0, 0)));
                    }
                }
            }
            if let Some(w) = worst_usage(&items) {
                if w.status.is_problem() {
                    evidence.push(format!("{name}: {}", parts.join(", ")));
                }
                measured.push(w);
            }
        }
    }
    let worst = measured.into_iter().max_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(a.percent.total_cmp(&b.percent))
    });
    let n = nodes.items.len();
    let mut finding = match &worst {
        Some(w) => Finding::measured(
            w.percent,
            "%",
            w.threshold,
            format!(
                "{n} node(s); highest use {}% of allocatable",
                fmt_num(w.percent, 0)
            ),
        ),
        None => Finding::ok(format!("{n} node(s)")),
    };
    finding.status = status.max(worst.map_or(Status::Ok, |w| w.status));
    if status == Status::Critical {
        finding.summary = format!("{n} node(s); some not Ready");
    }
    Ok(finding.evidence(evidence))
}

pub async fn network_policy(ctx: &Context) -> CheckOutcome {
    let client = ctx.kube().await?;
    let ns = &ctx.settings.namespace;
    let name = &ctx.settings.kubernetes.network_policy;
    let Some(policy) = Api::<NetworkPolicy>::namespaced(client, ns)
        .get_opt(name)
        .await
        .map_err(|e| kube_error(e, &format!("get networkpolicy {name}")))?
    else {
        return Ok(Finding::new(
            Status::Warning,
            format!("network policy {name} not found: nothing restricts ingress to the app"),
        ));
    };
    let mut allowed = Vec::new();
    let mut blocked = Vec::new();
    let rules = policy
        .spec
        .as_ref()
        .and_then(|s| s.ingress.as_ref())
        .cloned()
        .unwrap_or_default();
    for rule in &rules {
        for peer in rule.from.iter().flatten() {
            if let Some(block) = &peer.ip_block {
                allowed.push(block.cidr.clone());
                blocked.extend(block.except.iter().flatten().cloned());
            }
        }
    }
    let mut evidence = vec![format!("{} ingress rule(s)", rules.len())];
    if !allowed.is_empty() {
        evidence.push(format!("allowed CIDRs: {}", allowed.join(", ")));
    }
    evidence.push(format!(
        "blocked CIDRs: {}",
        if blocked.is_empty() {
            "none".to_string()
        } else {
            blocked.join(", ")
        }
    ));
    Ok(Finding::ok(format!(
        "network policy {name}: {} rule(s), {} blocked CIDR(s)",
        rules.len(),
        blocked.len()
    ))
    .value(blocked.len() as f64, "cidrs")
    .evidence(evidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_to_base_units() {
        assert_eq!(parse_quantity("250m"), Some(0.25));
        assert_eq!(parse_quantity("2"), Some(2.0));
        assert_eq!(parse_quantity("128Mi"), Some(128.0 * 1024.0 * 1024.0));
        assert_eq!(parse_quantity("1G"), Some(1e9));
        assert_eq!(parse_quantity("1500000n"), Some(0.0015));
        assert_eq!(parse_quantity("12Zi"), None);
        assert_eq!(fmt_bytes(1.5 * 1024.0 * 1024.0 * 1024.0), "1.5Gi");
        assert_eq!(fmt_cpu(0.25), "250m");
    }
}
