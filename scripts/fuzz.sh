#!/usr/bin/env bash
# Fuzzing run (a benchmark, not CI): builds the cargo-fuzz targets in fuzz/ once, runs each for a
# fixed time, one after the other, and reports executions, speed, crashes and corpus size.
# Goal: zero crashes in ten million executions per target; no panic reachable from any input.
# Writes the table, with the date, commit and machine load, to bench/fuzz-results.md and prints it.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 300)
# Env:   TARGETS="config_file parsers" runs only those; FUZZ_SKIP=incident_id,... leaves parsers
#        out of the `parsers` target (to keep fuzzing the others while a reported crash is open);
#        NO_BUILD=1 runs the binaries already built; RESULTS=FILE writes the table elsewhere
#        (two runs side by side, one target each, use the two cores).
# Needs: the nightly toolchain (cargo +nightly); installs cargo-fuzz if it is missing.
# Exit:  0 when no target crashed, 1 when one did (reproducers in fuzz/artifacts/TARGET/).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SECONDS_PER_TARGET=${1:-300}
TARGETS=${TARGETS:-config_file diagnose_json parsers}
FUZZ=fuzz
RESULTS=${RESULTS:-bench/fuzz-results.md}

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'scripts/fuzz.sh: error: %s\n' "$*" >&2; exit 2; }

[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || die "SECONDS_PER_TARGET must be a whole number of seconds, got '$SECONDS_PER_TARGET'"
cargo +nightly --version >/dev/null 2>&1 || die "the nightly toolchain is needed: rustup toolchain install nightly"
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo install cargo-fuzz --locked"
  cargo install cargo-fuzz --locked
fi

# No sanitizer: the code under test is safe Rust, where AddressSanitizer finds little and halves
# the executions per second. Panics (and overflow checks: cargo-fuzz builds with debug assertions)
# are what is looked for. nice: the machine is shared with other builds.
if [ "${NO_BUILD:-0}" = 1 ]; then
  say "NO_BUILD=1: running the fuzz targets as built"
else
  say "cargo +nightly fuzz build -s none (release, debug assertions)"
  nice -n 10 cargo +nightly fuzz build --fuzz-dir "$FUZZ" -s none
fi
HOST=$(rustc +nightly -vV | awk '/^host:/ {print $2}')
BIN_DIR=$FUZZ/target/$HOST/release

# A benchmark on a shared 2-core machine: note the compilers and test runs seen alongside.
BUSY=""
busy_check() {
  local seen
  seen=$(ps -eo comm= | grep -E '^(cargo|rustc|clippy-driver|cc1|ld|cc|rust-lld)$' | sort -u | tr '\n' ' ' || true)
  [ -z "$seen" ] || BUSY="$BUSY${BUSY:+; }$1: ${seen% }"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
CRASH_NOTES=()
TOTAL_CRASHES=0
mkdir -p "$FUZZ/logs"
for target in $TARGETS; do
  bin=$BIN_DIR/$target
  [ -x "$bin" ] || die "$bin is missing (built without NO_BUILD=1?)"
  corpus=$FUZZ/corpus/$target
  artifacts=$FUZZ/artifacts/$target
  # One log per run: two runs of one target side by side must not share it.
  log=$FUZZ/logs/$target.$$.log
  mkdir -p "$corpus" "$artifacts"
  # The tracked seeds go into the (untracked) corpus the runs grow; what is there is kept.
  for seed in "$FUZZ/seeds/$target"/*; do
    [ -e "$corpus/$(basename "$seed")" ] || cp "$seed" "$corpus/"
  done
  marker=$(mktemp)
  say "$target: ${SECONDS_PER_TARGET} s"
  busy_check "before $target"
  t0=$EPOCHREALTIME
  # -timeout: an input that runs 10 s is a hang, saved as a timeout-* artifact.
  rc=0
  "$bin" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=10 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  busy_check "after $target"
  wall=$(awk "BEGIN { printf \"%.0f\", $t1 - $t0 }")
  execs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
  speed=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
  [ -n "$execs" ] || { tail -20 "$log" >&2; die "$target: no final stats from libFuzzer (see $log)"; }
  # Crashes, out-of-memory and hangs of this run: the artifacts newer than its start.
  mapfile -t found < <(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) -newer "$marker" | sort)
  rm -f "$marker"
  crashes=${#found[@]}
  [ "$rc" -eq 0 ] || [ "$crashes" -gt 0 ] || die "$target: libFuzzer exited $rc without an artifact (see $log)"
  TOTAL_CRASHES=$((TOTAL_CRASHES + crashes))
  for artifact in "${found[@]}"; do
    # Where it panicked, from the log (libFuzzer stops at the first crash).
    where=$(grep -m1 -A1 'panicked at' "$log" | tr '\n' ' ' | sed 's/thread [^ ]* ([0-9]*) //' || true)
    CRASH_NOTES+=("\`$target\`: \`$artifact\` (base64 \`$(base64 -w0 "$artifact" | cut -c1-200)\`): ${where:-see $log}")
  done
  corpus_files=$(find "$corpus" -type f | wc -l)
  ROWS+=("| \`$target\` | $wall | $execs | $speed | $crashes | $corpus_files |")
  printf '%s: %s executions in %s s (%s/s), %s crash(es), corpus %s files\n' \
    "$target" "$execs" "$wall" "$speed" "$crashes" "$corpus_files" >&2
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || rev="$rev + local changes"
{
  echo "# incidentctl fuzzing run"
  echo
  echo "Written by \`scripts/fuzz.sh $SECONDS_PER_TARGET\` (cargo-fuzz, libFuzzer, no sanitizer, debug assertions on); one target at a time."
  echo "Goal: zero crashes in ten million executions per target."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
  echo "| machine | $cpu, $(nproc) cores, ${mem_gib} GiB |"
  echo "| toolchain | $(rustc +nightly --version), $(cargo fuzz --version) |"
  echo "| commit | $rev |"
  echo "| machine load | load average ${LOAD_START} at the start, ${LOAD_END} at the end; other builds or tests seen: ${BUSY:-none} |"
  [ -z "${FUZZ_SKIP:-}" ] || echo "| left out of \`parsers\` | FUZZ_SKIP=$FUZZ_SKIP |"
  echo
  echo "| target | seconds | executions | execs/s | crashes | corpus size (files) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  if [ ${#CRASH_NOTES[@]} -gt 0 ]; then
    echo
    echo "Crashes (reproduce with \`fuzz/target/$HOST/release/TARGET ARTIFACT\`):"
    echo
    printf -- '- %s\n' "${CRASH_NOTES[@]}"
  fi
} >"$RESULTS"

say "results ($RESULTS)"
cat "$RESULTS"
[ "$TOTAL_CRASHES" -eq 0 ] || exit 1
