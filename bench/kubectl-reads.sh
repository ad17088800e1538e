#!/usr/bin/env bash
# The Kubernetes reads `incidentctl diagnose` makes, done with kubectl as a script would (one
# kubectl per read, kubectl's own defaults: lists in chunks of 500), against a sandbox started
# with `incidentctl-sandbox up`. bench/big-namespace.sh times it beside diagnose. Only the
# Kubernetes side: diagnose's PostgreSQL, Redis and Prometheus reads are left out, so the
# comparison favours kubectl.
#
# The reads, for the sandbox's object names (incidentctl's defaults):
#   the app's deployments, and each one's pods by its selector; the access-log pods (app=nginx);
#   Warning events (every type but Normal); each deployment's ReplicaSets; the ingress, the
#   services it routes to and their endpoints; the configmap, the secret (names only: kubectl
#   reads it whole either way), the network policy; nodes; pod and node metrics (kubectl top);
#   the log tail of at most 20 of the app's and the access-log pods each.
#
# Usage: eval "$(incidentctl-sandbox up --scenario scale)" first, then bash bench/kubectl-reads.sh
set -euo pipefail

[ -n "${KUBECONFIG:-}" ] || { echo "kubectl-reads: KUBECONFIG is not set (start incidentctl-sandbox up)" >&2; exit 64; }
NS=reconciliation
step=""
trap 'rc=$?; [ $rc -eq 0 ] || echo "kubectl-reads: FAILED (exit $rc) at: $step" >&2' EXIT

run() {
  step="$*"
  "$@" >/dev/null
}

run kubectl get deployment backend frontend -n "$NS" -o json
for app in backend frontend; do
  run kubectl get pods -n "$NS" -l "app=$app" -o json
  run kubectl get replicasets -n "$NS" -l "app=$app" -o json
done
run kubectl get pods -n "$NS" -l app=nginx -o json
run kubectl get events -n "$NS" --field-selector type!=Normal -o json
run kubectl get ingress reconciliation-ingress -n "$NS" -o json
run kubectl get services backend frontend -n "$NS" -o json
run kubectl get endpoints backend frontend -n "$NS" -o json
run kubectl get configmap reconciliation-config -n "$NS" -o json
run kubectl get secret reconciliation-secrets -n "$NS" -o name
run kubectl get networkpolicy reconciliation-network-policy -n "$NS" -o json
run kubectl get nodes -o json
run kubectl top nodes
for app in backend frontend; do
  run kubectl top pods -n "$NS" -l "app=$app"
done
# The log tails of at most 20 pods per app, as k8s.log_errors reads (it picks the unhealthy
# ones first; a script takes the first 20): with an app of 20,000 replicas, every pod's log
# would be hours of kubectl, not the same reads.
for app in backend frontend nginx; do
  step="kubectl get pods -l app=$app (names, for their logs)"
  pods=$(kubectl get pods -n "$NS" -l "app=$app" -o name | awk 'NR <= 20')
  for pod in $pods; do
    run kubectl logs "$pod" -n "$NS" --tail=1000
  done
done
