#!/usr/bin/env bash
# A scripted response to "backend down" (Runbook 1): open the incident from diagnose, preview
# each change, apply it with --yes, and keep everything in the incident's timeline. Each step
# stops the script if it fails (exit codes: see `incidentctl --help`).
set -euo pipefail

id=$(incidentctl report new --title "Backend down (scripted response)" --from-diagnose)
export INCIDENTCTL_INCIDENT=$id          # every command below records itself in $id
incidentctl report ack "$id"

# Preview, then apply: nothing changes without --yes when no one is at a terminal.
incidentctl restart backend --dry-run
incidentctl restart backend --yes --wait-timeout 5m

incidentctl scale backend --replicas 3 --dry-run
incidentctl scale backend --replicas 3 --yes

# Re-check; diagnose exits 1-3 on findings, which must not stop the script here.
incidentctl diagnose app-down || true
incidentctl report log "$id" "restarted and scaled backend to 3 replicas"
incidentctl report notify "$id"
incidentctl report status "$id" monitoring
