#!/usr/bin/env bash
# The main job on a local incident: installs what the sandbox needs (Debian/Ubuntu packages),
# builds incidentctl, starts the sandbox (real PostgreSQL, Redis, Prometheus, Alertmanager and a
# simulated Kubernetes API, all on loopback in a temp dir), runs `incidentctl diagnose` against
# it, and tears it down. Exits with diagnose's exit code (2: the seeded incident is critical).
# Extra arguments go to diagnose: scripts/demo.sh -o json, scripts/demo.sh database
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "demo: building incidentctl and the sandbox (a few minutes the first time)..." >&2
cargo build --quiet --workspace --bins
exec target/debug/incidentctl-sandbox run -- target/debug/incidentctl diagnose "$@"
