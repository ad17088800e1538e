#!/usr/bin/env bash
# The seed runbook's read-only INVESTIGATION STEPS of Runbooks 1-5, typed one after another as an
# on-call engineer would (kubectl, psql, redis-cli, curl), against a sandbox started with
# `incidentctl-sandbox up`. It is the reference bench/diagnose.sh times `incidentctl diagnose`
# against, so it must really do the work: every command's output goes to /dev/null, and any
# command that fails (a kubectl the stand-in cannot serve, a SQL error, an HTTP error) fails the
# whole script with a message.
#
# Deliberate differences from the runbook text, each making this script faster or runnable, never
# slower:
# - a command that an earlier runbook already ran (`kubectl get pods`, `kubectl top pods`, the
#   active-queries SQL of Runbooks 2, 4 and 5) runs once: the engineer has just seen its output;
# - the engineer keeps one psql session open for all the SQL (plus Runbook 1's connectivity check);
# - `-h postgres-service` / `-h redis-service` / `http://prometheus:9090` become the sandbox's
#   URLs, and PG13+ column names (`mean_exec_time`, not `mean_time`);
# - the 5xx query is a ratio (`sum(rate(5xx)) / sum(rate(all))`), not a rate, and p95 sums by `le`,
#   as incidentctl computes them; Alertmanager is asked on /api/v2 (v1 is gone);
# - `kubectl exec ... netstat` (Runbook 5) is left out: there are no containers to exec into.
#
# Usage: eval "$(incidentctl-sandbox up)" in another shell's environment, then
#   bash bench/runbook-by-hand.sh
set -euo pipefail

for var in KUBECONFIG INCIDENTCTL_POSTGRES_URL INCIDENTCTL_REDIS_URL INCIDENTCTL_PROMETHEUS_URL \
  INCIDENTCTL_ALERTMANAGER_URL; do
  [ -n "${!var:-}" ] || { echo "runbook-by-hand: $var is not set (start incidentctl-sandbox up)" >&2; exit 64; }
done

NS=reconciliation
step=""
trap 'rc=$?; [ $rc -eq 0 ] || echo "runbook-by-hand: FAILED (exit $rc) at: $step" >&2' EXIT

# Runs one command as typed, output discarded; `set -e` stops the script if it fails.
run() {
  step="$*"
  "$@" >/dev/null
}
# `logs_grep POD [KUBECTL-ARGS...] -- GREP-ARGS...`: `kubectl logs ... | grep ...`. A grep that
# matches nothing (exit 1) is fine; a failing kubectl (pipefail) or a grep error (exit 2) is not.
logs_grep() {
  local pod=$1 kargs=()
  shift
  while [ "$1" != "--" ]; do kargs+=("$1"); shift; done
  shift
  step="kubectl logs $pod -n $NS ${kargs[*]} | grep $*"
  kubectl logs "$pod" -n "$NS" "${kargs[@]}" | { grep "$@" || [ $? -eq 1 ]; } >/dev/null
}
prom() {
  step="curl Prometheus query $1"
  local out
  out=$(curl -fsS --get --data-urlencode "query=$1" "$INCIDENTCTL_PROMETHEUS_URL/api/v1/query")
  case "$out" in *'"status":"success"'*) ;; *) echo "runbook-by-hand: query failed: $out" >&2; return 1 ;; esac
}

# --- Runbook 1: application down ----------------------------------------------------------------
step="kubectl get pods -n $NS"
pods=$(kubectl get pods -n "$NS")
backend=$(awk '$1 ~ /^backend-/ {print $1}' <<<"$pods")
frontend=$(awk '$1 ~ /^frontend-/ {print $1}' <<<"$pods")
nginx=$(awk '$1 ~ /^nginx-/ {print $1}' <<<"$pods")
[ -n "$backend" ] && [ -n "$frontend" ] && [ -n "$nginx" ] || {
  echo "runbook-by-hand: no backend/frontend/nginx pods in: $pods" >&2
  exit 1
}
for pod in $backend; do
  run kubectl describe pod "$pod" -n "$NS"
  run kubectl logs "$pod" -n "$NS" --tail=100
done
run kubectl get ingress -n "$NS"
run kubectl describe ingress reconciliation-ingress -n "$NS"
run psql "$INCIDENTCTL_POSTGRES_URL" -X -q -v ON_ERROR_STOP=1 -c 'SELECT 1'
step="redis-cli ping"
[ "$(redis-cli -u "$INCIDENTCTL_REDIS_URL" ping)" = PONG ]

# --- Runbook 2: database issues (and the SQL of Runbooks 4 and 5, same session) ----------------
step="psql session (Runbooks 2, 4, 5)"
psql "$INCIDENTCTL_POSTGRES_URL" -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
\l
\dt
SELECT count(*) FROM pg_stat_activity;
SELECT * FROM pg_stat_activity WHERE state = 'active';
SELECT query, mean_exec_time, calls, total_exec_time
  FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 10;
SELECT * FROM pg_stat_replication;
SELECT pid, pg_blocking_pids(pid), wait_event_type, query
  FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;
SELECT * FROM audit_logs ORDER BY created_at DESC LIMIT 100;
SQL

# --- Runbook 3: high error rate -----------------------------------------------------------------
for pod in $backend $frontend; do
  logs_grep "$pod" --tail=1000 -- ERROR
done
prom 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'
run kubectl top pods -n "$NS"
run kubectl describe nodes
run kubectl get services -n "$NS"
run kubectl get events -n "$NS" --sort-by=.lastTimestamp
run kubectl get configmap reconciliation-config -n "$NS" -o yaml
run kubectl get secret reconciliation-secrets -n "$NS" -o yaml

# --- Runbook 4: performance degradation ---------------------------------------------------------
prom 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'
prom '1 - node_filesystem_avail_bytes / node_filesystem_size_bytes'
run kubectl top nodes
run redis-cli -u "$INCIDENTCTL_REDIS_URL" info stats
run redis-cli -u "$INCIDENTCTL_REDIS_URL" info memory

# --- Runbook 5: security incident ---------------------------------------------------------------
for pod in $backend; do
  logs_grep "$pod" -- -i -E 'security|auth|login'
done
for pod in $nginx; do
  logs_grep "$pod" -- -E '(403|401|404)'
done
prom 'sum(rate(http_requests_total{status="403"}[5m])) / sum(rate(http_requests_total[5m]))'
run kubectl get networkpolicy -n "$NS"

# --- Alerts (Step 1 of the workflow: Prometheus/Alertmanager) ---------------------------------
run curl -fsS "$INCIDENTCTL_ALERTMANAGER_URL/api/v2/alerts"
step=""
