#!/usr/bin/env bash
# Peak memory of `report show` with a large audit log: the log is read line by line, keeping
# only the incident's lines, so memory must not grow with the log.
#
# Writes an audit log of SIZE_MB (default 200) of other incidents' changes, with a few lines of
# one incident among them, then runs `incidentctl report show ID` under GNU time and prints the
# peak RSS and wall time. BASELINE=/path/to/another/incidentctl runs that binary too, in the
# same run, for a side-by-side ratio.
#
# Usage: bench/audit-log-memory.sh   (builds a release binary first unless NO_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-200}
BIN=${BIN:-target/release/incidentctl}
[ "${NO_BUILD:-0}" = 1 ] || cargo build --release --quiet --bin incidentctl
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/incidents"
export INCIDENTCTL_NOW=2026-11-26T03:10:00Z
id=$("$BIN" report --store "$store" new --title "memory bench" --severity SEV2 --detected-at 2026-11-26T03:00:00Z)

python3 - "$work/audit.jsonl" "$SIZE_MB" "$id" <<'EOF'
import json, sys
path, size_mb, incident = sys.argv[1], int(sys.argv[2]), sys.argv[3]
other = json.dumps({"time": "2026-11-26T03:01:00Z", "user": "oncall", "incident": "INC-20261126-999",
                    "result": "applied", "verified": True, "target": "deployment/backend in reconciliation",
                    "plan": {"summary": "rolling restart of 1 deployment(s)", "changes": [{"object": "deployment/backend", "change": "x" * 300}]}})
mine = json.dumps({"time": "2026-11-26T03:02:00Z", "user": "oncall", "incident": incident,
                   "result": "applied", "verified": True, "target": "deployment/backend in reconciliation",
                   "plan": {"summary": "restarted backend for the bench"}})
target = size_mb * 1024 * 1024
written = 0
with open(path, "w") as f:
    n = 0
    while written < target:
        line = (mine if n % 100000 == 0 else other) + "\n"
        f.write(line)
        written += len(line)
        n += 1
EOF

measure() {
  local bin=$1 label=$2
  /usr/bin/time -f "%M %e" -o "$work/time" \
    env INCIDENTCTL_AUDIT_LOG="$work/audit.jsonl" "$bin" report --store "$store" show "$id" -o json > "$work/out.json"
  grep -q "restarted backend for the bench" "$work/out.json" || { echo "$label: the incident's change was not found" >&2; exit 1; }
  read -r kb secs < "$work/time"
  printf '%-10s peak RSS %6.1f MiB, wall %s s\n' "$label" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$secs" >&2
  echo "$kb"
}

echo "audit log: $(du -m "$work/audit.jsonl" | cut -f1) MB, $(wc -l < "$work/audit.jsonl") lines" >&2
now=$(measure "$BIN" "this")
if [ -n "${BASELINE:-}" ]; then
  base=$(measure "$BASELINE" "baseline")
  printf 'ratio (baseline / this): %.1f x\n' "$(awk -v b="$base" -v n="$now" 'BEGIN{print b/n}')" >&2
fi
