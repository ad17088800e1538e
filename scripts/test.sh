#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Debian/Ubuntu packages), then runs every
# unit and end-to-end test. The end-to-end tests start their own real servers on free loopback
# ports in temp dirs; nothing needs to be running beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo test --workspace --no-fail-fast
