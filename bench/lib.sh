# Shared by the benchmark scripts (sourced, not run): messages, the tools check, the release
# build, a work dir, the sandbox started in the background and always stopped, figures.
# The sourcing script sets BENCH (its name, for messages) and ROOT, and runs from ROOT.

# Where cargo puts the release binaries (CARGO_TARGET_DIR when set, as cargo reads it).
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
INCIDENTCTL=$TARGET_DIR/release/incidentctl
SANDBOX=$TARGET_DIR/release/incidentctl-sandbox

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "$BENCH" "$*" >&2; exit 1; }

# require_tools TOOL...: hyperfine, GNU time, jq and the named tools, or a list of what to install.
require_tools() {
  local missing=() tool
  command -v hyperfine >/dev/null || missing+=("hyperfine: apt-get install hyperfine (Debian 12+), or cargo install hyperfine")
  { [ -x /usr/bin/time ] && /usr/bin/time --version 2>&1 | grep -q GNU; } ||
    missing+=("GNU time at /usr/bin/time: apt-get install time")
  command -v jq >/dev/null || missing+=("jq: apt-get install jq")
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool: scripts/install-deps.sh")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s: missing tools, install them first:\n' "$BENCH" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 69
  fi
}

# The release binaries: built, or with NO_BUILD=1 as they are.
build_release() {
  if [ "${NO_BUILD:-0}" = 1 ]; then
    [ -x "$INCIDENTCTL" ] && [ -x "$SANDBOX" ] || die "NO_BUILD=1 but $INCIDENTCTL or $SANDBOX is missing"
    say "NO_BUILD=1: measuring the release binaries as built"
  else
    say "cargo build --release --workspace"
    cargo build --release --workspace
  fi
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/incidentctl-bench.XXXXXX")
SANDBOX_PID=""

stop_sandbox() {
  [ -n "$SANDBOX_PID" ] || return 0
  if kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$SANDBOX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SANDBOX_PID" 2>/dev/null && kill -KILL "$SANDBOX_PID" 2>/dev/null || true
  fi
  wait "$SANDBOX_PID" 2>/dev/null || true
  SANDBOX_PID=""
}
bench_cleanup() {
  local rc=$?
  stop_sandbox
  rm -rf "$WORK"
  [ $rc -eq 0 ] || printf '%s: failed (exit %s); everything started was stopped\n' "$BENCH" "$rc" >&2
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_sandbox SCENARIO KUBERNETES SECONDS: `incidentctl-sandbox up` in the background, its
# environment loaded once it is ready (SEED_SECONDS: how long that took).
start_sandbox() {
  local scenario=$1 kubernetes=$2 wait_s=$3 env_file="$WORK/$1.env" t0=$SECONDS
  say "starting the sandbox (scenario $scenario, Kubernetes: $kubernetes)"
  "$SANDBOX" up --scenario "$scenario" --kubernetes "$kubernetes" --env-file "$env_file" >"$WORK/$scenario.out" 2>"$WORK/$scenario.log" &
  SANDBOX_PID=$!
  for _ in $(seq $((wait_s * 10))); do
    [ -s "$env_file" ] && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/$scenario.log" >&2; die "the sandbox exited before it was ready"; }
    sleep 0.1
  done
  [ -s "$env_file" ] || { cat "$WORK/$scenario.log" >&2; die "the sandbox was not ready in $wait_s s"; }
  SEED_SECONDS=$((SECONDS - t0))
  # shellcheck disable=SC1090
  . "$env_file"
}

# peak_rss_kb N COMMAND...: the largest "Maximum resident set size" of GNU time over N runs.
peak_rss_kb() {
  local n=$1 max=0 kb
  shift
  for _ in $(seq "$n"); do
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>&1 || true
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
    [ -n "$kb" ] || die "no RSS figure from /usr/bin/time: $(cat "$WORK/time.txt")"
    [ "$kb" -gt "$max" ] && max=$kb
  done
  echo "$max"
}

ms() { jq -r "$1 * 1000 | . * 10 | round / 10" "$2"; } # seconds in a hyperfine JSON -> ms, 0.1
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
pass() { awk "BEGIN { exit !($1) }" && echo "yes" || echo "**NO**"; }

# The rows every results file starts its table with: date, machine, OS, the binary and commit.
about_run() {
  local rev
  rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  # The results file being written is not a local change.
  git diff --quiet HEAD -- . ":(exclude)${RESULTS:-}" 2>/dev/null || rev="$rev + local changes"
  echo "| | |"
  echo "| --- | --- |"
  echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
  echo "| machine | $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores, $(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB |"
  echo "| OS / kernel | $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}") / $(uname -r) |"
  echo "| incidentctl | $("$INCIDENTCTL" --version) (release), commit $rev |"
}
