#!/usr/bin/env bash
# Benchmark (not a test): `incidentctl diagnose` on a big app served by a real kube-apiserver
# (1.20, etcd, kube-controller-manager: the sandbox's real control plane, whose controllers
# create every pod), beside kubectl doing the same Kubernetes reads, in one hyperfine run per
# size:
#   scale        the app's backend deployment at  5,000 replicas, 20,000 events (2,000 Warning)
#   scale-large  the app's backend deployment at 20,000 replicas, 80,000 events (8,000 Warning)
# Goals (issues 16 and 25): on `scale` a median under 0.4 s and a peak RSS under 64 MB; on
# `scale-large` a peak RSS within 10 % of `scale`'s (memory flat with the app's size).
# hyperfine compares, in one run: diagnose -o json, the REFERENCE build's (when given),
# bench/kubectl-reads.sh, and the single biggest read the server answers (every Warning event,
# one request, no chunks): what the server itself needs. Peak RSS is GNU time's, max of 3 runs.
# With REFERENCE=/path/to/an/older/incidentctl, both binaries are measured side by side in the
# same runs, and every check's status (and every k8s.* check's value) must be the same.
# Writes the figures, with the date and the machine, to bench/big-namespace-results.md.
#
# Usage: bench/big-namespace.sh                    (builds release first)
# Env:   RUNS (default 10); SCENARIOS (default "scale-large scale"); NO_BUILD=1 measures the
#        release binaries already built; REFERENCE as above.
# Needs: hyperfine, GNU time, jq, kubectl, and the real control plane (scripts/install-deps.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH=bench/big-namespace.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=${RUNS:-10}
# scale-large first: run second, just after the first control plane was stopped, its whole
# diagnoses timed out reading the events (3 runs of 3), which they never did run first.
SCENARIOS=${SCENARIOS:-scale-large scale}
RESULTS=bench/big-namespace-results.md

require_tools kubectl
if [ -n "${REFERENCE:-}" ]; then
  [ -x "$REFERENCE" ] || die "REFERENCE=$REFERENCE is not an executable"
fi
build_release

# One diagnose run whose JSON must be complete (exit 2: the incident is critical; no check
# unknown or in error), or the timing would be of a diagnose that skipped work.
diagnose_json() {
  local bin=$1 out=$2 rc=0
  "$bin" diagnose -o json >"$out" 2>>"$WORK/diagnose.stderr" || rc=$?
  [ "$rc" -eq 2 ] || die "$bin diagnose exited $rc, expected 2 ($(jq -c .summary "$out" 2>/dev/null))"
  local incomplete
  incomplete=$(jq -r '[.checks[] | select(.status == "unknown" or (.error // null) != null) | "\(.id) (\(.summary))"] | join(", ")' "$out")
  [ -z "$incomplete" ] || die "diagnose could not run these checks: $incomplete"
}

# diagnose_json of this build, asked again (5 times at most, 5 s apart): on a loaded machine
# one diagnose may still time out after the three complete ones that settled the server.
complete_diagnose() {
  local try
  for try in 1 2 3 4 5; do
    if (diagnose_json "$INCIDENTCTL" "$1"); then return 0; fi
    echo "diagnose incomplete (try $try of 5)" >&2
    sleep 5
  done
  die "diagnose did not complete in 5 tries after the server settled"
}

busy() { ps -eo comm= | grep -E '^(cargo|rustc|clippy-driver|cc1|ld)$' | sort -u | tr '\n' ' ' || true; }

ROWS=()
declare -A RSS_OF
for scenario in $SCENARIOS; do
  say "the real control plane seeds the namespace: minutes"
  start_sandbox "$scenario" real 900
  SEED_DONE=$SECONDS
  SERVER_VERSION=$(kubectl version -o json 2>/dev/null | jq -r .serverVersion.gitVersion)
  pods=$(kubectl get pods -n reconciliation -o name | wc -l)
  replicas=$(kubectl get deployment backend -n reconciliation -o jsonpath='{.spec.replicas}')
  events=$(kubectl get events -n reconciliation -o name | wc -l)
  warnings=$(kubectl get events -n reconciliation --field-selector type!=Normal -o name | wc -l)
  echo "namespace: $pods pods, $events events ($warnings not Normal); seeded in ${SEED_SECONDS} s"

  # Just after 100,000 objects were written the control plane is still busy (the controllers
  # go through every new pod): reading every event can then take longer than diagnose's 5 s
  # check timeout (seen on scale-large: k8s.events "timed out after 5s" in the first whole
  # diagnoses, even once the check alone passed). Wait until three whole diagnoses in a row
  # run every check, as they do on a settled server.
  say "waiting for the control plane to settle (3 complete diagnoses in a row, up to 600 s)"
  passed=0
  deadline=$((SECONDS + 600))
  while [ "$passed" -lt 3 ] && [ "$SECONDS" -lt "$deadline" ]; do
    # diagnose exits 2 for the incident: its JSON decides, not its exit code.
    if { "$INCIDENTCTL" diagnose -o json 2>/dev/null || true; } |
      jq -e '[.checks[] | select(.status == "unknown")] | length == 0' >/dev/null; then
      passed=$((passed + 1))
    else
      passed=0
      sleep 5
    fi
  done
  [ "$passed" -ge 3 ] || die "diagnose did not run every check 3 times in a row within 600 s: the server did not settle"
  SETTLE_SECONDS=$((SECONDS - SEED_DONE))
  say "sanity: diagnose and the kubectl reads must succeed"
  complete_diagnose "$WORK/$scenario.json"
  bash bench/kubectl-reads.sh || die "bench/kubectl-reads.sh failed: the comparison would not be real"
  same="not compared (no REFERENCE)"
  if [ -n "${REFERENCE:-}" ]; then
    # The previous build may not finish every check on a big app: that is a result, not a
    # reason to stop.
    "$REFERENCE" diagnose -o json >"$WORK/$scenario.reference.json" 2>>"$WORK/diagnose.stderr" || true
    complete_diagnose "$WORK/$scenario.json"
    shape='[.checks[] | {id, status, value: (if (.id | startswith("k8s.")) then .value else null end)}] | sort_by(.id)'
    if diff <(jq -S "$shape" "$WORK/$scenario.reference.json") <(jq -S "$shape" "$WORK/$scenario.json") >"$WORK/diff.txt"; then
      same="same ($(jq '.checks | length' "$WORK/$scenario.json") checks' statuses, k8s.* values)"
    else
      cat "$WORK/diff.txt" >&2
      same="**DIFFERENT**: $(grep '^[<>]' "$WORK/diff.txt" | tr -s ' ' | tr '\n' ' ' | cut -c1-300)"
    fi
    echo "results against $REFERENCE: $same"
  fi

  say "hyperfine ($RUNS runs): diagnose (and REFERENCE's), kubectl's same reads, the server's biggest single read"
  seen_before=$(busy)
  reference_cmd=()
  if [ -n "${REFERENCE:-}" ]; then
    reference_cmd=(-n "REFERENCE diagnose -o json" "$REFERENCE diagnose -o json")
  fi
  hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$WORK/$scenario.hf.json" \
    -n "incidentctl diagnose -o json" "$INCIDENTCTL diagnose -o json" \
    "${reference_cmd[@]}" \
    -n "kubectl, the same Kubernetes reads" "bash bench/kubectl-reads.sh" \
    -n "Warning events in one request" "kubectl get --raw /api/v1/namespaces/reconciliation/events?fieldSelector=type%21%3DNormal"
  seen_after=$(busy)
  r=0
  [ -n "${REFERENCE:-}" ] && r=1
  jq -e '.results[0].exit_codes | all(. == 2)' "$WORK/$scenario.hf.json" >/dev/null || die "diagnose exited other than 2 under hyperfine"
  jq -e ".results[$((1 + r))].exit_codes | all(. == 0)" "$WORK/$scenario.hf.json" >/dev/null || die "kubectl-reads.sh failed under hyperfine"
  d_med=$(ms '.results[0].median' "$WORK/$scenario.hf.json")
  d_min=$(ms '.results[0].min' "$WORK/$scenario.hf.json")
  d_max=$(ms '.results[0].max' "$WORK/$scenario.hf.json")
  k_med=$(ms ".results[$((1 + r))].median" "$WORK/$scenario.hf.json")
  e_med=$(ms ".results[$((2 + r))].median" "$WORK/$scenario.hf.json")
  ref_wall="—"
  if [ "$r" = 1 ]; then
    ref_med=$(ms '.results[1].median' "$WORK/$scenario.hf.json")
    ref_wall="${ref_med} ms (this build $(calc "$d_med / $ref_med" 2)× of it)"
  fi
  slowest=$(jq -r '.checks | max_by(.duration_ms) | "\(.id) \(.duration_ms) ms"' "$WORK/$scenario.json")

  say "peak RSS (GNU time, max of 3)"
  rss_kb=$(peak_rss_kb 3 "$INCIDENTCTL" diagnose -o json)
  k_rss_kb=$(peak_rss_kb 3 bash bench/kubectl-reads.sh)
  rss_mb=$(calc "$rss_kb / 1024")
  echo "diagnose: ${rss_mb} MiB; kubectl (largest process): $(calc "$k_rss_kb / 1024") MiB"
  ref_rss="—"
  if [ -n "${REFERENCE:-}" ]; then
    ref_kb=$(peak_rss_kb 3 "$REFERENCE" diagnose -o json)
    ref_rss="$(calc "$ref_kb / 1024") MiB (this build $(calc "$rss_kb / $ref_kb" 2)× of it)"
  fi
  RSS_OF[$scenario]=$rss_kb

  wall_goal="" wall_met=""
  if [ "$scenario" = scale ]; then wall_goal="< 400 ms"; wall_met=$(pass "$d_med < 400"); fi
  ROWS+=("| $scenario: backend at $replicas replicas; $pods pods, $events events ($warnings not Normal) | $RUNS | ${d_med} ms (min ${d_min}, max ${d_max}); slowest check $slowest | $ref_wall | $wall_goal | $wall_met | ${rss_mb} MiB | $ref_rss | < 64 MB: $(pass "$rss_kb * 1024 < 64000000") | ${k_med} ms ($(calc "$k_med / $d_med")× diagnose's); $(calc "$k_rss_kb / 1024") MiB | ${e_med} ms | $same | ${SEED_SECONDS} s + ${SETTLE_SECONDS} s | ${seen_before:-none} / ${seen_after:-none} |")
  stop_sandbox
done

{
  echo "# incidentctl diagnose on a big namespace (real kube-apiserver)"
  echo
  echo "Written by \`bench/big-namespace.sh\` (hyperfine $(hyperfine --version | awk '{print $2}'), GNU time)."
  echo
  about_run
  echo "| Kubernetes | the sandbox's real control plane, all on this machine: kube-apiserver and kube-controller-manager $SERVER_VERSION built from Debian's source, etcd from Debian |"
  echo "| kubectl | $(kubectl version --client -o json | jq -r .clientVersion.gitVersion) |"
  echo
  echo "| app and namespace | runs | diagnose -o json, median | previous build (REFERENCE), median | goal | met | peak RSS, max of 3 | previous build, peak RSS | goal | kubectl, same reads: median; RSS | Warning events, one request | results | seeding + settling | builds seen before / after |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
  if [ -n "${RSS_OF[scale]:-}" ] && [ -n "${RSS_OF[scale-large]:-}" ]; then
    echo
    echo "Memory flat with the app's size: scale-large's peak RSS is $(calc "${RSS_OF[scale-large]} / ${RSS_OF[scale]}" 3)× scale's (goal: within 10 %: $(pass "${RSS_OF[scale-large]} <= ${RSS_OF[scale]} * 1.1"))."
  fi
  echo
  echo "\"kubectl, same reads\" is bench/kubectl-reads.sh (one kubectl per read, chunks of 500);"
  echo "\"Warning events, one request\" is the single biggest read, answered whole: what the server"
  echo "itself needs for the slowest part of the diagnosis. diagnose also reads PostgreSQL, Redis,"
  echo "Prometheus and Alertmanager in the same time."
} >"$RESULTS"
say "results ($RESULTS)"
cat "$RESULTS"
