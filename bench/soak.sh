#!/usr/bin/env bash
# Soak (a benchmark-style run, not a test): incidentctl as cron runs it, for a long time, while
# its targets come and go. Every INTERVAL seconds (2) for DURATION seconds (1800) it runs
# `incidentctl diagnose -o json` against the sandbox (real PostgreSQL, Redis, Prometheus,
# Alertmanager and the real Kubernetes control plane), while a fault loop takes targets away
# and brings them back, one after another:
#   - Redis killed, then started again on its port (its data gone);
#   - PostgreSQL restarted (pg_ctl restart -m fast);
#   - Prometheus blackholed for a minute (SIGSTOP: it accepts connections and never answers),
#     then SIGCONT;
#   - the API server stopped (killed), then started again with the same command line.
# Each run records: wall time, exit code, peak RSS (GNU time), the most open file descriptors
# and child processes seen (sampled from /proc every 20 ms), and the temp files it left
# (TMPDIR is a directory of the run's own). The results (min / median / max, the trend from
# the first tenth of the runs to the last, each goal) go to bench/soak-results.md; every run's
# row to bench/soak-runs.tsv.
#
# Goals (issue 25): no growth in RSS, fds or children across the soak; every run exits within
# its timeout plus 1 s; no temp file left.
#
# Usage: bench/soak.sh                (builds release first)
# Env:   DURATION (s, default 1800), INTERVAL (s, default 2), NO_BUILD=1, TIMEOUT (incidentctl's
#        --timeout, default 5s), FAULT_GAP (s between faults, default 60: shorter to try it).
# Needs: GNU time, jq, ss, and the real control plane (scripts/install-deps.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BENCH=bench/soak.sh
# shellcheck source=bench/lib.sh
. bench/lib.sh
DURATION=${DURATION:-1800}
INTERVAL=${INTERVAL:-2}
TIMEOUT=${TIMEOUT:-5s}
# Seconds between faults (and Prometheus' blackhole): 60; shorter only to try the script.
FAULT_GAP=${FAULT_GAP:-60}
TIMEOUT_S=${TIMEOUT%s}
RESULTS=bench/soak-results.md
RUNS_TSV=bench/soak-runs.tsv

require_tools ss
build_release
start_sandbox incident real 300

# The process listening on loopback port $1 (a server the sandbox started).
pid_on_port() {
  ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}
port_of() { sed -E 's#.*://([^/@]*@)?[^:/]*:([0-9]+).*#\2#' <<<"$1"; }

REDIS_PORT=$(port_of "$INCIDENTCTL_REDIS_URL")
PG_PORT=$(port_of "$INCIDENTCTL_POSTGRES_URL")
PROM_PORT=$(port_of "$INCIDENTCTL_PROMETHEUS_URL")
API_PORT=$(port_of "$(awk '/server:/ {print $2; exit}' "$KUBECONFIG")")
for name in REDIS_PORT PG_PORT PROM_PORT API_PORT; do
  [ -n "${!name}" ] || die "could not find $name in the sandbox's environment"
  [ -n "$(pid_on_port "${!name}")" ] || die "nothing listens on ${!name} ($name)"
done

# Servers this script started again itself (not the sandbox's children): stopped at the end.
# Their PIDs go to a file, since the fault loop that starts them is a subshell.
RESTARTED=$WORK/restarted.pids
: >"$RESTARTED"
FAULT_LOG=$WORK/faults.log
soak_cleanup() {
  local pid
  [ -n "${FAULT_PID:-}" ] && kill "$FAULT_PID" 2>/dev/null || true
  while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done <"$RESTARTED"
  kill -CONT "$(pid_on_port "$PROM_PORT")" 2>/dev/null || true
  if [ -n "${PG_DATA:-}" ]; then
    runuser -u postgres -- "$PG_CTL" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
}

# The command line of process $1, as a bash array in $CMDLINE.
read_cmdline() { mapfile -d '' CMDLINE <"/proc/$1/cmdline"; }

# Kills what listens on $1 and starts the same command line again, in the same directory.
restart_same() {
  local port=$1 pid cwd
  pid=$(pid_on_port "$port")
  [ -n "$pid" ] || { echo "$(date +%s) nothing listens on $port to restart" >>"$FAULT_LOG"; return 1; }
  read_cmdline "$pid"
  cwd=$(readlink "/proc/$pid/cwd")
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  sleep "${2:-0}"
  (cd "$cwd" && exec "${CMDLINE[@]}") >>"$WORK/restarted.log" 2>&1 &
  echo $! >>"$RESTARTED"
}

# Redis names itself `redis-server 127.0.0.1:PORT` in /proc/PID/cmdline, so its command line
# cannot be run again as read: it is started again as the sandbox starts it (servers.rs), with
# the memory limit it had.
require_tools redis-cli
REDIS_DIR=$(readlink "/proc/$(pid_on_port "$REDIS_PORT")/cwd")
REDIS_MAXMEMORY=$(redis-cli -u "$INCIDENTCTL_REDIS_URL" CONFIG GET maxmemory | sed -n 2p)
REDIS_POLICY=$(redis-cli -u "$INCIDENTCTL_REDIS_URL" CONFIG GET maxmemory-policy | sed -n 2p)
restart_redis() {
  local pid
  pid=$(pid_on_port "$REDIS_PORT")
  [ -n "$pid" ] || { echo "$(date +%s) nothing listens on $REDIS_PORT to restart" >>"$FAULT_LOG"; return 1; }
  kill -TERM "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  sleep "${1:-0}"
  (cd "$REDIS_DIR" && exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' \
    --appendonly no --dir "$REDIS_DIR" --maxmemory "$REDIS_MAXMEMORY" \
    --maxmemory-policy "$REDIS_POLICY") >>"$WORK/restarted.log" 2>&1 &
  echo $! >>"$RESTARTED"
}

PG_PID=$(pid_on_port "$PG_PORT")
PG_DATA=$(readlink "/proc/$PG_PID/cwd")
PG_CTL=$(dirname "$(readlink "/proc/$PG_PID/exe")")/pg_ctl

fault_loop() {
  # A step that fails (a server not back yet) is logged, and the loop goes on: it must not
  # end the faults silently.
  set +e
  trap 'echo "$(date +%s) fault step failed: $BASH_COMMAND" >>"$FAULT_LOG"' ERR
  while :; do
    echo "$(date +%s) redis killed" >>"$FAULT_LOG"
    restart_redis 20
    echo "$(date +%s) redis back" >>"$FAULT_LOG"
    sleep "$FAULT_GAP"
    echo "$(date +%s) postgres restart" >>"$FAULT_LOG"
    runuser -u postgres -- "$PG_CTL" -D "$PG_DATA" -m fast -w restart >>"$WORK/pg.log" 2>&1 || true
    echo "$(date +%s) postgres back" >>"$FAULT_LOG"
    sleep "$FAULT_GAP"
    echo "$(date +%s) prometheus blackholed" >>"$FAULT_LOG"
    kill -STOP "$(pid_on_port "$PROM_PORT")"
    sleep "$FAULT_GAP"
    kill -CONT "$(pid_on_port "$PROM_PORT")" 2>/dev/null || true
    echo "$(date +%s) prometheus back" >>"$FAULT_LOG"
    sleep "$FAULT_GAP"
    echo "$(date +%s) api server stopped" >>"$FAULT_LOG"
    restart_same "$API_PORT" 20
    echo "$(date +%s) api server started" >>"$FAULT_LOG"
    sleep "$FAULT_GAP"
  done
}

# One diagnose run, sampled while it runs. Prints: start wall_ms exit rss_kb max_fds
# max_children temp_left
one_run() {
  local tmp=$WORK/tmp/$1 t0 t1 rc=0 pid child fds kids max_fds=0 max_kids=0 timefile=$WORK/time.$1
  mkdir -p "$tmp"
  t0=$EPOCHREALTIME
  TMPDIR=$tmp /usr/bin/time -f '%M' -o "$timefile" \
    "$INCIDENTCTL" diagnose -o json --timeout "$TIMEOUT" >"$WORK/last.json" 2>>"$WORK/diagnose.stderr" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    # The process may end between two reads of /proc: a failed read is no sample, not an
    # error (set -e, pipefail).
    child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | awk '{print $1}' || true)
    if [ -n "$child" ]; then
      fds=$(find "/proc/$child/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l || true)
      kids=$(cat /proc/"$child"/task/*/children 2>/dev/null | wc -w || true)
      [ "$fds" -gt "$max_fds" ] && max_fds=$fds
      [ "$kids" -gt "$max_kids" ] && max_kids=$kids
    fi
    sleep 0.02
  done
  wait "$pid" || rc=$?
  t1=$EPOCHREALTIME
  local left
  left=$(find "$tmp" -mindepth 1 | wc -l)
  rm -rf "$tmp"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s)" "$(calc "($t1 - $t0) * 1000" 0)" "$rc" \
    "$(tail -1 "$timefile")" "$max_fds" "$max_kids" "$left"
}

# set +e: the trap's own steps must not end it before bench_cleanup, which reads the status.
trap 'rc=$?; set +e; soak_cleanup; (exit $rc); bench_cleanup' EXIT
say "soak: diagnose every ${INTERVAL} s for ${DURATION} s, faults every minute"
fault_loop &
FAULT_PID=$!
printf 'time\twall_ms\texit\trss_kb\tmax_fds\tmax_children\ttemp_left\n' >"$WORK/runs.tsv"
end=$((SECONDS + DURATION))
n=0
while [ "$SECONDS" -lt "$end" ]; do
  next=$(calc "$EPOCHREALTIME + $INTERVAL" 3)
  n=$((n + 1))
  one_run "$n" >>"$WORK/runs.tsv"
  wait_s=$(calc "$next - $EPOCHREALTIME" 3)
  awk "BEGIN { exit !($wait_s > 0) }" && sleep "$wait_s"
done
kill "$FAULT_PID" 2>/dev/null || true
wait "$FAULT_PID" 2>/dev/null || true
cp "$WORK/runs.tsv" "$RUNS_TSV"
# Processes the runs left behind: none may outlive its diagnose.
orphans=$(pgrep -f "^$INCIDENTCTL " | wc -l || true)

# Column $1 of the runs, one value a line.
col() { awk -F'\t' -v c="$1" 'NR > 1 { print $c }' "$WORK/runs.tsv"; }
# The median of the numbers on stdin (no gawk needed: Debian's awk is mawk).
median_of() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# The medians of the first and the last tenth of the runs of column $1: "FIRST LAST".
tenths() {
  local n k
  n=$(col "$1" | wc -l)
  k=$((n / 10))
  [ "$k" -ge 1 ] || k=1
  echo "$(col "$1" | head -n "$k" | median_of) $(col "$1" | tail -n "$k" | median_of)"
}
# min | median | max | the trend, first tenth's median → last tenth's.
stats() {
  local t
  read -r -a t <<<"$(tenths "$1")"
  printf '%s | %s | %s | %s → %s' "$(col "$1" | sort -n | head -1)" "$(col "$1" | median_of)" \
    "$(col "$1" | sort -n | tail -1)" "${t[0]}" "${t[1]}"
}
runs=$(($(wc -l <"$WORK/runs.tsv") - 1))
limit_ms=$(((TIMEOUT_S + 1) * 1000))
late=$(awk -F'\t' -v l="$limit_ms" 'NR > 1 && $2 > l' "$WORK/runs.tsv" | wc -l)
left=$(awk -F'\t' 'NR > 1 { s += $7 } END { print s + 0 }' "$WORK/runs.tsv")
exits=$(awk -F'\t' 'NR > 1 { c[$3]++ } END { for (k in c) printf "%s×%s ", k, c[k] }' "$WORK/runs.tsv")
growth() { # the last tenth's median over the first tenth's: at most 10 % (+1) more
  local t
  read -r -a t <<<"$(tenths "$1")"
  if awk "BEGIN { exit !(${t[1]} <= ${t[0]} * 1.1 + 1) }"; then echo yes; else echo '**NO**'; fi
}
{
  echo "# Soak: diagnose every ${INTERVAL} s for $((DURATION / 60)) minutes while targets come and go"
  echo
  echo "Written by \`bench/soak.sh\` (method: [docs/faults.md](../docs/faults.md#soak-cron-for-half-an-hour)); every run's row is in \`bench/soak-runs.tsv\`."
  echo
  about_run
  echo "| load average at the end | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  echo "| per run ($runs runs) | min | median | max | trend: first tenth → last tenth (medians) | no growth |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| wall (ms) | $(stats 2) | |"
  echo "| peak RSS (KiB) | $(stats 4) | $(growth 4) |"
  echo "| open fds (most seen) | $(stats 5) | $(growth 5) |"
  echo "| child processes (most seen) | $(stats 6) | $(growth 6) |"
  echo "| temp files left | $(stats 7) | |"
  echo
  echo "| goal | result | met |"
  echo "| --- | --- | --- |"
  echo "| every run exits within its timeout + 1 s (${limit_ms} ms) | $late of $runs later | $([ "$late" -eq 0 ] && echo yes || echo '**NO**') |"
  echo "| no temp file left | $left left | $([ "$left" -eq 0 ] && echo yes || echo '**NO**') |"
  echo "| no process outlives its run | $orphans found after the soak | $([ "$orphans" -eq 0 ] && echo yes || echo '**NO**') |"
  echo
  echo "Exit codes: $exits(2 critical: the incident; 3 unknown: a target away)."
  echo
  echo "Faults, in seconds from the start:"
  echo
  awk -v t0="$(awk -F'\t' 'NR == 2 {print $1}' "$WORK/runs.tsv")" '{ $1 = $1 - t0; print "- " $0 }' "$FAULT_LOG"
} >"$RESULTS"
say "results ($RESULTS)"
cat "$RESULTS"
