#!/usr/bin/env bash
# The main job on a local incident: installs what the sandbox needs (Debian/Ubuntu packages),
# builds incidentctl, starts the sandbox (real PostgreSQL, Redis, Prometheus, Alertmanager and the
# Kubernetes stand-in, all on loopback in a temp dir), runs `incidentctl diagnose` against it, and
# tears it down. Exits with diagnose's exit code (2: the seeded incident is critical).
# Extra arguments go to diagnose: scripts/demo.sh -o json, scripts/demo.sh database
#
# The demo uses the Kubernetes stand-in because a new user gets there fastest: it needs no build
# (the real control plane is a 7-minute build, done by scripts/test.sh) and starts in 5 s, not 13.
# KUBERNETES=real scripts/demo.sh runs it on the real control plane (building it if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
kubernetes=${KUBERNETES:-standin}
if [ "$kubernetes" = real ]; then
  bash scripts/install-deps.sh
else
  bash scripts/install-deps.sh --without-kubernetes
fi
echo "demo: building incidentctl and the sandbox (a few minutes the first time)..." >&2
cargo build --quiet --workspace --bins
exec target/debug/incidentctl-sandbox run --kubernetes "$kubernetes" -- target/debug/incidentctl diagnose "$@"
