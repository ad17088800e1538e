#!/bin/sh
# Cron wrapper: diagnose every few minutes, leave Prometheus metrics for node_exporter's textfile
# collector (written atomically: a scrape never sees half a file), keep the last JSON for people,
# and page only when the worst finding is critical.
#   */5 * * * * /usr/local/bin/diagnose-cron.sh
set -u
textfile_dir=${TEXTFILE_DIR:-/var/lib/prometheus/node-exporter}
state_dir=${STATE_DIR:-/var/lib/incidentctl}
mkdir -p "$state_dir"

incidentctl diagnose -o prometheus -q --timeout 5s > "$textfile_dir/incidentctl.prom.$$"
mv "$textfile_dir/incidentctl.prom.$$" "$textfile_dir/incidentctl.prom"

incidentctl diagnose -o json -q --timeout 5s > "$state_dir/last.json.$$"
code=$?
mv "$state_dir/last.json.$$" "$state_dir/last.json"
case $code in
  0|1) ;;                                   # ok, or warnings: the metrics show them
  2) logger -t incidentctl "CRITICAL: $(jq -r '.summary.reasons | join("; ")' "$state_dir/last.json")" ;;
  3) logger -t incidentctl "UNKNOWN: some checks could not run" ;;
  *) logger -t incidentctl "incidentctl failed with exit code $code (usage or configuration)"; exit "$code" ;;
esac
