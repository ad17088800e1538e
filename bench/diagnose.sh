#!/usr/bin/env bash
# Benchmark (not a test): `incidentctl diagnose` against the seed runbook done by hand, on the
# sandbox, in one run. Measures, with hyperfine and GNU time:
#   1. diagnose -o json vs bench/runbook-by-hand.sh (kubectl, psql, redis-cli, curl in sequence)
#      goal: incidentctl at least 10x faster;
#   2. diagnose's wall time vs its slowest single check (from its own JSON), goal: within 1.5x;
#   3. `incidentctl --version`, goal: under 5 ms;
#   4. diagnose's peak RSS, goal: under 50 MB;
#   5. the scale scenario (5,000 pods, 20,000 events): wall time under 3 s, peak RSS under 200 MB.
# Writes the figures, with the date and the machine, to bench/results.md and prints them.
#
# Usage: bench/diagnose.sh            (from anywhere; builds release first)
# Env:   RUNS (default 10), SCALE_RUNS (default 5): hyperfine runs; NO_BUILD=1 measures the
#        release binaries already built (to start measuring the moment a shared machine is quiet);
#        BASELINE=PATH an earlier release's incidentctl, timed in the same hyperfine run beside
#        this one (goal: this one within 1.5x of it).
# Needs: hyperfine, GNU time (/usr/bin/time), jq, and what the sandbox and the runbook script
#        need (PostgreSQL, Redis, Prometheus, Alertmanager, kubectl, psql, redis-cli, curl:
#        scripts/install-deps.sh). Installs nothing itself.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH=bench/diagnose.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
RUNS=${RUNS:-10}
SCALE_RUNS=${SCALE_RUNS:-5}
RESULTS=bench/results.md

require_tools kubectl psql redis-cli curl
build_release

# One diagnose run whose JSON must be complete: the exit code wanted, and no check unknown or in
# error, or the comparison would time a diagnose that skipped work.
diagnose_json() {
  local out=$1 want_rc=$2 rc=0
  local t0=$EPOCHREALTIME
  "$INCIDENTCTL" diagnose -o json >"$out" 2>>"$WORK/diagnose.stderr" || rc=$?
  local t1=$EPOCHREALTIME
  LAST_WALL_MS=$(calc "($t1 - $t0) * 1000" 1) # this run's wall time, seen from outside
  [ "$rc" -eq "$want_rc" ] || die "diagnose exited $rc, expected $want_rc ($(jq -c .summary "$out" 2>/dev/null))"
  local incomplete
  incomplete=$(jq -r '[.checks[] | select(.status == "unknown" or (.error // null) != null) | .id] | join(", ")' "$out")
  [ -z "$incomplete" ] || die "diagnose could not run these checks: $incomplete"
}

# hyperfine must have seen only the exit codes expected: $1 json, $2 command index, $3 jq test.
check_exit_codes() {
  jq -e --argjson i "$2" ".results[\$i].exit_codes | all($3)" "$1" >/dev/null ||
    die "unexpected exit codes for $(jq -r --argjson i "$2" '.results[$i].command' "$1"): $(jq -c --argjson i "$2" '.results[$i].exit_codes' "$1")"
}

# A benchmark on a shared 2-core machine: note any compiler or test run seen alongside, per phase.
BUSY=""
busy_check() {
  local seen
  seen=$(ps -eo comm= | grep -E '^(cargo|rustc|clippy-driver|cc1|ld|cc)$' | sort -u | tr '\n' ' ' || true)
  [ -z "$seen" ] || BUSY="$BUSY${BUSY:+; }$1: ${seen% }"
}
LOAD_START=""

# === The incident scenario =======================================================================
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
start_sandbox incident "${KUBERNETES:-standin}" 180

say "sanity: one diagnose run and one runbook-by-hand run must succeed"
diagnose_json "$WORK/first.json" 2
bash bench/runbook-by-hand.sh || die "bench/runbook-by-hand.sh failed: the comparison would not be real"
checks=$(jq '.checks | length' "$WORK/first.json")

say "hyperfine: diagnose -o json vs the runbook by hand ($RUNS runs each)"
busy_check "before the comparison"
baseline_args=()
if [ -n "${BASELINE:-}" ]; then
  [ -x "$BASELINE" ] || die "BASELINE=$BASELINE is not an executable"
  baseline_args=(-n "baseline diagnose -o json" "$BASELINE diagnose -o json")
fi
hyperfine --warmup 2 --runs "$RUNS" --ignore-failure --export-json "$WORK/compare.json" \
  -n "incidentctl diagnose -o json" "$INCIDENTCTL diagnose -o json" \
  -n "runbook by hand" "bash bench/runbook-by-hand.sh" \
  "${baseline_args[@]}"
busy_check "after the comparison"
check_exit_codes "$WORK/compare.json" 0 '. == 2'
check_exit_codes "$WORK/compare.json" 1 '. == 0'
diag_ms=$(ms '.results[0].median' "$WORK/compare.json")
diag_min=$(ms '.results[0].min' "$WORK/compare.json")
diag_max=$(ms '.results[0].max' "$WORK/compare.json")
hand_ms=$(ms '.results[1].median' "$WORK/compare.json")
hand_min=$(ms '.results[1].min' "$WORK/compare.json")
hand_max=$(ms '.results[1].max' "$WORK/compare.json")
speedup=$(calc "$hand_ms / $diag_ms" 1)
echo "median: incidentctl ${diag_ms} ms, runbook by hand ${hand_ms} ms: ${speedup}x faster"
base_row=""
if [ -n "${BASELINE:-}" ]; then
  check_exit_codes "$WORK/compare.json" 2 '. == 2'
  base_ms=$(ms '.results[2].median' "$WORK/compare.json")
  base_min=$(ms '.results[2].min' "$WORK/compare.json")
  base_max=$(ms '.results[2].max' "$WORK/compare.json")
  base_ratio=$(calc "$diag_ms / $base_ms" 2)
  echo "median: baseline ${base_ms} ms, this one ${diag_ms} ms: ${base_ratio}x"
  base_row="| this diagnose / the baseline's (\\`$BASELINE\\`), same hyperfine run, medians of $RUNS | ≤ 1.5× | ${diag_ms} / ${base_ms} ms (baseline min ${base_min}, max ${base_max}) = ${base_ratio}× | $(pass "$base_ratio <= 1.5") |"
fi

say "wall time vs slowest check: $RUNS runs, each timed from outside and read from its own JSON"
: >"$WORK/walls.tsv"
for i in $(seq "$RUNS"); do
  diagnose_json "$WORK/run$i.json" 2
  jq -r --arg wall "$LAST_WALL_MS" --arg i "$i" \
    '[$wall, .summary.duration_ms, ([.checks[].duration_ms] | max), (.checks | max_by(.duration_ms) | .id), $i] | @tsv' \
    "$WORK/run$i.json" >>"$WORK/walls.tsv"
done
# Medians over the runs (wall, summary, slowest; the ratios per run).
median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
wall_ms=$(cut -f1 "$WORK/walls.tsv" | median)
total_ms=$(cut -f2 "$WORK/walls.tsv" | median)
slowest_ms=$(cut -f3 "$WORK/walls.tsv" | median)
wall_ratio=$(awk -F'\t' '{print $1 / $3}' "$WORK/walls.tsv" | median)
summary_ratio=$(awk -F'\t' '{print $2 / $3}' "$WORK/walls.tsv" | median)
outside_ms=$(awk -F'\t' '{print $1 - $2}' "$WORK/walls.tsv" | median)
slowest_ids=$(cut -f4 "$WORK/walls.tsv" | sort | uniq -c | sort -rn | awk '{printf "%s`%s` ×%s", (NR > 1 ? ", " : ""), $2, $1}')
echo "median of $RUNS: wall ${wall_ms} ms, summary.duration_ms ${total_ms} ms, slowest check ${slowest_ms} ms ($slowest_ids)"
echo "median ratios: wall/slowest ${wall_ratio}x, summary/slowest ${summary_ratio}x; time outside diagnose's own clock ${outside_ms} ms"
# The run closest to the median wall/slowest ratio, for the per-check listing.
J="$WORK/run$(awk -F'\t' -v r="$wall_ratio" '{d = $1 / $3 - r; d = d < 0 ? -d : d; if (NR == 1 || d < best) {best = d; i = $5}} END {print i}' "$WORK/walls.tsv").json"
echo "checks by duration (ms):"
jq -r '.checks | sort_by(-.duration_ms) | .[] | "  \(.duration_ms)\t\(.id)"' "$J"
cp "$J" "$WORK/incident-diagnose.json"

busy_check "after the wall/slowest runs"
say "hyperfine: incidentctl --version"
hyperfine -N --warmup 10 --export-json "$WORK/version.json" "$INCIDENTCTL --version"
version_ms=$(jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$WORK/version.json")

say "peak RSS of diagnose (GNU time, max of 3 runs)"
rss_kb=$(peak_rss_kb 3 "$INCIDENTCTL" diagnose -o json)
rss_mb=$(calc "$rss_kb / 1024" 1)
echo "peak RSS ${rss_mb} MiB"

stop_sandbox

# === The scale scenario ==========================================================================
start_sandbox scale "${KUBERNETES:-standin}" 180
say "sanity: diagnose on the scale scenario"
diagnose_json "$WORK/scale-first.json" 2
scale_pods=$(kubectl get pods -n reconciliation --chunk-size=0 -o name | wc -l)
scale_events=$(kubectl get events -n reconciliation --chunk-size=0 -o name | wc -l)
echo "namespace holds $scale_pods pods and $scale_events events"

say "hyperfine: diagnose on the scale scenario ($SCALE_RUNS runs)"
hyperfine --warmup 1 --runs "$SCALE_RUNS" --ignore-failure --export-json "$WORK/scale.json" \
  -n "incidentctl diagnose -o json (scale)" "$INCIDENTCTL diagnose -o json"
check_exit_codes "$WORK/scale.json" 0 '. == 2'
scale_ms=$(ms '.results[0].median' "$WORK/scale.json")
scale_max=$(ms '.results[0].max' "$WORK/scale.json")
diagnose_json "$WORK/scale-run.json" 2
scale_slowest_id=$(jq -r '.checks | max_by(.duration_ms) | .id' "$WORK/scale-run.json")
scale_slowest_ms=$(jq -r '[.checks[].duration_ms] | max' "$WORK/scale-run.json")
echo "checks by duration (ms):"
jq -r '.checks | sort_by(-.duration_ms) | .[:8][] | "  \(.duration_ms)\t\(.id)"' "$WORK/scale-run.json"

say "peak RSS of diagnose on the scale scenario (max of 3 runs)"
scale_rss_kb=$(peak_rss_kb 3 "$INCIDENTCTL" diagnose -o json)
scale_rss_mb=$(calc "$scale_rss_kb / 1024" 1)
echo "peak RSS ${scale_rss_mb} MiB"

busy_check "after the scale runs"
stop_sandbox
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# === Results ==========================================================================================
{
  echo "# incidentctl diagnose benchmark"
  echo
  echo "Written by \`bench/diagnose.sh\` (hyperfine $(hyperfine --version | awk '{print $2}'), GNU time) on the sandbox."
  echo
  about_run
  echo "| machine load | load average ${LOAD_START} at the start, ${LOAD_END} at the end; other builds or tests seen: ${BUSY:-none} |"
  echo "| reference | bench/runbook-by-hand.sh: kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion), $(psql --version | awk '{print $1, $3}'), $(redis-cli --version | awk '{print $1, $2}'), curl |"
  echo
  echo "| figure | goal | measured | met |"
  echo "| --- | --- | --- | --- |"
  echo "| \`diagnose -o json\`, incident ($checks checks), median of $RUNS | | ${diag_ms} ms (min ${diag_min}, max ${diag_max}) | |"
  echo "| runbook by hand, same steps, median of $RUNS | | ${hand_ms} ms (min ${hand_min}, max ${hand_max}) | |"
  echo "| speed-up over the runbook by hand | ≥ 10× | ${speedup}× | $(pass "$speedup >= 10") |"
  [ -z "$base_row" ] || echo "$base_row"
  echo "| wall time / slowest check: process wall time (timed from outside, bash \\\$EPOCHREALTIME) / max \`checks[].duration_ms\` of the same run, median of $RUNS runs | ≤ 1.5× | ${wall_ms} / ${slowest_ms} ms = ${wall_ratio}× (slowest: $slowest_ids) | $(pass "$wall_ratio <= 1.5") |"
  echo "| the same inside the process: \`summary.duration_ms\` / slowest check, median | | ${total_ms} / ${slowest_ms} ms = ${summary_ratio}× | $(pass "$summary_ratio <= 1.5") |"
  echo "| time outside diagnose's own clock (wall − \`summary.duration_ms\`), median | | ${outside_ms} ms | |"
  echo "| \`incidentctl --version\`, median | < 5 ms | ${version_ms} ms | $(pass "$version_ms < 5") |"
  echo "| peak RSS of diagnose (max of 3) | < 50 MB | ${rss_mb} MiB | $(pass "$rss_kb * 1024 < 50000000") |"
  echo "| scale scenario ($scale_pods pods, $scale_events events): diagnose median of $SCALE_RUNS | < 3 s | ${scale_ms} ms (max ${scale_max}; slowest check \`$scale_slowest_id\` ${scale_slowest_ms} ms) | $(pass "$scale_max < 3000") |"
  echo "| scale scenario: peak RSS (max of 3) | < 200 MB | ${scale_rss_mb} MiB | $(pass "$scale_rss_kb * 1024 < 200000000") |"
  echo
  echo "Incident scenario, the run closest to the median wall/slowest ratio, checks by duration (ms; they all run concurrently):"
  echo
  echo '```'
  jq -r '.checks | sort_by(-.duration_ms) | .[] | "\(.duration_ms)\t\(.id)"' "$WORK/incident-diagnose.json"
  echo '```'
} >"$RESULTS"

say "results ($RESULTS)"
cat "$RESULTS"
