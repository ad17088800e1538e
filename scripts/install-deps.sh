#!/usr/bin/env bash
# Install what incidentctl's sandbox and tests need on a Debian/Ubuntu machine, and only what is
# missing: PostgreSQL (with pg_stat_statements), Redis, Prometheus (+ promtool), Alertmanager,
# etcd, hyperfine, zsh, fish and xmllint (for the completion and JUnit tests), Debian's aiosmtpd (the
# SMTP server the notification tests send mail to) and faketime (a clock in the past for the
# escalation tests), chromium (the HTML report is rendered in a real headless browser),
# and kubectl when no kubectl is on PATH; then a real Kubernetes control plane (kube-apiserver and
# kube-controller-manager 1.20.2), built once per machine from Debian's source package by
# scripts/build-kubernetes.sh (about 7 minutes the first time). Idempotent; quick when everything
# is there.
#
# Usage: scripts/install-deps.sh [--dry-run] [--without-kubernetes]
#   --dry-run              report what is missing and simulate the install (apt-get -s); change nothing.
#   --without-kubernetes   skip the control-plane build (the demo runs on the Kubernetes stand-in).
set -euo pipefail

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

dry_run=0
kubernetes=1
for arg in "$@"; do
  case "$arg" in
    --dry-run|-n) dry_run=1 ;;
    --without-kubernetes) kubernetes=0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

have() { command -v "$1" >/dev/null 2>&1; }

# True when a glob matches at least one existing file.
exists_glob() {
  local f
  for f in $1; do
    [ -e "$f" ] && return 0
  done
  return 1
}

postgres_present() { exists_glob '/usr/lib/postgresql/*/bin/postgres'; }
pg_stat_statements_present() { exists_glob '/usr/share/postgresql/*/extension/pg_stat_statements.control'; }
alertmanager_present() { [ -x /usr/bin/prometheus-alertmanager ] || have alertmanager; }

# --- what is missing -------------------------------------------------------------------------
missing=()
if postgres_present; then log "postgresql: present"; else log "postgresql: missing"; missing+=(postgresql); fi
if pg_stat_statements_present; then
  log "pg_stat_statements: present"
else
  log "pg_stat_statements: missing (postgresql-contrib)"
  missing+=(postgresql-contrib)
fi
if have redis-server; then log "redis-server: present"; else log "redis-server: missing"; missing+=(redis-server); fi
if have prometheus && have promtool; then
  log "prometheus + promtool: present"
else
  log "prometheus + promtool: missing"
  missing+=(prometheus)
fi
if alertmanager_present; then log "alertmanager: present"; else log "alertmanager: missing"; missing+=(prometheus-alertmanager); fi
if have etcd; then log "etcd: present"; else log "etcd: missing (etcd-server)"; missing+=(etcd-server); fi
if have hyperfine; then log "hyperfine: present"; else log "hyperfine: missing"; missing+=(hyperfine); fi
# The shells and the XML checker the tests load completions and JUnit output into.
for tool in zsh fish; do
  if have "$tool"; then log "$tool: present"; else log "$tool: missing"; missing+=("$tool"); fi
done
if have xmllint; then log "xmllint: present"; else log "xmllint: missing (libxml2-utils)"; missing+=(libxml2-utils); fi
# A real browser renders the HTML post-mortem (report render --format html) to PNG in the tests.
if have chromium; then log "chromium: present"; else log "chromium: missing"; missing+=(chromium); fi
# The tests start aiosmtpd with Debian's own interpreter: a python3 earlier on PATH may lack it.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  log "aiosmtpd: present"
else
  log "aiosmtpd: missing (python3-aiosmtpd)"
  missing+=(python3-aiosmtpd)
fi
if have faketime; then log "faketime: present"; else log "faketime: missing"; missing+=(faketime); fi
# The docs' commands pipe JSON through jq (tests/testsuite/docs_commands.rs runs them).
if have jq; then log "jq: present"; else log "jq: missing"; missing+=(jq); fi
# Debian's kubernetes-client conflicts with a kubectl installed by another package: only when absent.
if have kubectl; then log "kubectl: present ($(command -v kubectl))"; else log "kubectl: missing"; missing+=(kubernetes-client); fi

# --- install ---------------------------------------------------------------------------------
unavailable=()
if [ "${#missing[@]}" -gt 0 ]; then
  have apt-get || die "need to install ${missing[*]} but apt-get is not available (not Debian/Ubuntu?); install them by hand"
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if have sudo; then
      as_root=(sudo)
    elif [ "$dry_run" -eq 0 ]; then
      die "need root to install ${missing[*]}: run as root or install sudo"
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)

  if [ "$dry_run" -eq 1 ]; then
    log "dry run: would run: ${as_root[*]:+${as_root[*]} }apt-get update"
  else
    log "apt-get update"
    "${as_root[@]}" apt-get -q -o DPkg::Lock::Timeout=300 update >&2
  fi

  # Keep only packages this distribution has, so one absent package does not fail the rest.
  # One `apt-cache policy` for all of them (each call reads the whole cache: ~1 s).
  declare -A candidate=()
  current=""
  while IFS= read -r line; do
    if [[ "$line" =~ ^([^[:space:]]+):$ ]]; then
      current="${BASH_REMATCH[1]}"
    elif [[ -n "$current" && "$line" =~ ^[[:space:]]+Candidate:[[:space:]]+([^[:space:]]+) ]]; then
      candidate["$current"]="${BASH_REMATCH[1]}"
    fi
  done < <(apt-cache policy "${missing[@]}" 2>/dev/null || true)
  to_install=()
  for pkg in "${missing[@]}"; do
    if [[ -n "${candidate[$pkg]:-}" && "${candidate[$pkg]}" != "(none)" ]]; then
      to_install+=("$pkg")
    else
      unavailable+=("$pkg")
      log "package $pkg: not available from the configured apt sources"
    fi
  done

  if [ "${#to_install[@]}" -gt 0 ]; then
    if [ "$dry_run" -eq 1 ]; then
      log "dry run: apt-get -s install ${apt_opts[*]} ${to_install[*]}"
      apt-get -s "${apt_opts[@]}" install "${to_install[@]}" | grep '^Inst ' >&2 || true
    else
      log "apt-get install ${to_install[*]}"
      "${as_root[@]}" apt-get "${apt_opts[@]}" install "${to_install[@]}" >&2
    fi
  fi

  if [ "$dry_run" -eq 0 ]; then
    # --no-install-recommends must still have brought the pieces the tests rely on.
    postgres_present || die "postgresql installed, but no /usr/lib/postgresql/*/bin/postgres"
    pg_stat_statements_present \
      || die "no /usr/share/postgresql/*/extension/pg_stat_statements.control after install (install postgresql-contrib)"
    log "pg_stat_statements: present"
  fi
else
  log "all system packages present; nothing to install"
fi

# --- Rust toolchain --------------------------------------------------------------------------
if have cargo; then
  log "cargo: present ($(cargo --version 2>/dev/null || echo 'version unknown'))"
elif [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  die "cargo is installed in ${CARGO_HOME:-$HOME/.cargo}/bin but not on PATH: run '. \"${CARGO_HOME:-$HOME/.cargo}/env\"'"
else
  die "cargo not found: install Rust with rustup (https://rustup.rs):
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"\$HOME/.cargo/env\""
fi

if [ "${#unavailable[@]}" -gt 0 ]; then
  if [ " ${unavailable[*]} " = " kubernetes-client " ]; then
    die "kubectl is missing and this distribution has no kubernetes-client package: install kubectl (https://kubernetes.io/docs/tasks/tools/)"
  fi
  die "not available from apt: ${unavailable[*]}"
fi

# --- Kubernetes control plane (built from Debian's source, cached outside the repository) ------
kube_dir=$(bash "$(dirname "$0")/build-kubernetes.sh" --print-dir)
if [ "$kubernetes" -eq 0 ]; then
  log "kube-apiserver, kube-controller-manager: not built (--without-kubernetes)"
elif [ "$dry_run" -eq 1 ]; then
  if [ -x "$kube_dir/bin/kube-apiserver" ] && [ -x "$kube_dir/bin/kube-controller-manager" ]; then
    log "kube-apiserver, kube-controller-manager: present in $kube_dir/bin"
  else
    log "dry run: would build kube-apiserver and kube-controller-manager into $kube_dir/bin (scripts/build-kubernetes.sh, about 7 minutes)"
  fi
else
  bash "$(dirname "$0")/build-kubernetes.sh" || die "the Kubernetes control plane could not be built (see above)"
fi
log "done"
