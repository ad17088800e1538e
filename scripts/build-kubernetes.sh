#!/usr/bin/env bash
# Builds a real Kubernetes control plane (kube-apiserver and kube-controller-manager 1.20.2) from
# Debian bookworm's own `kubernetes` source package, once per machine, into a cache outside the
# repository. The sandbox and the tests run these binaries with etcd (Debian's etcd-server).
#
# Nothing is downloaded but Debian packages: the source package carries the full upstream tree
# with its vendored Go modules, and Debian's Go (1.19) builds it offline. One fix is applied:
# Go >= 1.18 crashes the vendored github.com/modern-go/reflect2 1.0.1 (the API server dies on its
# first list of pods), so it is replaced by Debian's 1.0.2.
#
# Cold: about 5 minutes of build on 2 cores (plus the downloads); warm: instant.
#
# Usage: scripts/build-kubernetes.sh [--print-dir]
#   --print-dir   print the cache directory (where bin/ is) and exit; build nothing.
# Environment: INCIDENTCTL_KUBERNETES_DIR overrides the cache directory.
set -euo pipefail

VERSION=1.20.2
# Bump when the recipe changes, so a cache built by an older recipe is rebuilt.
RECIPE=1
cache="${INCIDENTCTL_KUBERNETES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/incidentctl/kubernetes-$VERSION}"

case "${1:-}" in
  "") ;;
  --print-dir) echo "$cache"; exit 0 ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
  *) echo "build-kubernetes: unknown argument: $1 (try --help)" >&2; exit 1 ;;
esac

step="starting"
log() { printf 'build-kubernetes: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || log "failed at step: $step (exit $rc); see the output above"' EXIT

have() { command -v "$1" >/dev/null 2>&1; }
stamp="$cache/recipe"
if [ -x "$cache/bin/kube-apiserver" ] && [ -x "$cache/bin/kube-controller-manager" ] \
   && [ "$(cat "$stamp" 2>/dev/null)" = "$VERSION/$RECIPE" ]; then
  log "kube-apiserver and kube-controller-manager $VERSION: present in $cache/bin"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  have sudo || die "need root (or sudo) to install Debian packages for the Kubernetes build"
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)

log "building kube-apiserver and kube-controller-manager $VERSION from Debian's source package into $cache"
log "this takes about 5 minutes on 2 cores, once per machine"

step="adding a deb-src entry for Debian bookworm main"
if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Version: .*1\.20\.2'; then
  grep -q '^VERSION_CODENAME=bookworm' /etc/os-release \
    || die "the Kubernetes build recipe is for Debian 12 (bookworm); this is $(. /etc/os-release; echo "$PRETTY_NAME")"
  log "$step (/etc/apt/sources.list.d/incidentctl-deb-src.sources)"
  "${as_root[@]}" tee /etc/apt/sources.list.d/incidentctl-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  step="apt-get update (for the source index)"
  log "$step"
  "${as_root[@]}" apt-get -q -o DPkg::Lock::Timeout=300 update >&2
  apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Version: .*1\.20\.2' \
    || die "Debian's source index has no kubernetes 1.20.2"
fi

step="installing the build tools (golang-go, Debian's reflect2, rsync, jq, dpkg-dev)"
need=()
have go || need+=(golang-go)
[ -f /usr/share/gocode/src/github.com/modern-go/reflect2/reflect2.go ] || need+=(golang-github-modern-go-reflect2-dev)
have rsync || need+=(rsync)
have jq || need+=(jq)
have dpkg-source || need+=(dpkg-dev)
have make || need+=(make)
if [ "${#need[@]}" -gt 0 ]; then
  log "$step: ${need[*]}"
  "${as_root[@]}" apt-get "${apt_opts[@]}" install "${need[@]}" >&2
fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
cleanup() { rm -rf "$work"; }
trap 'rc=$?; cleanup; [ $rc -eq 0 ] || log "failed at step: $step (exit $rc); see the output above"' EXIT

step="downloading the kubernetes source package"
log "$step"
(cd "$work" && apt-get source -q --download-only kubernetes >&2)
dsc=$(ls "$work"/kubernetes_*.dsc)

step="unpacking the source (with Debian's patches)"
log "$step"
(cd "$work" && dpkg-source --no-check -x "$dsc" src >&2)
src="$work/src"

step="replacing the vendored reflect2 1.0.1 with Debian's 1.0.2 (Go >= 1.18 crashes 1.0.1)"
log "$step"
reflect2="$src/vendor/github.com/modern-go/reflect2"
[ -d "$reflect2" ] || die "no $reflect2 in the source tree"
rm -rf "$reflect2"
mkdir -p "$reflect2"
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2/. "$reflect2/"
# Every mention, including the replace directive (`reflect2 v1.0.1 => reflect2 v1.0.1`).
sed -i 's#github.com/modern-go/reflect2 v1\.0\.1#github.com/modern-go/reflect2 v1.0.2#g' \
  "$src/vendor/modules.txt" "$src/go.mod"
if grep -q 'modern-go/reflect2 v1\.0\.1' "$src/vendor/modules.txt" "$src/go.mod"; then
  die "vendor/modules.txt or go.mod still names reflect2 v1.0.1 after the fix"
fi

step="building kube-apiserver and kube-controller-manager (go build, offline)"
log "$step"
mkdir -p "$src/.go/src/k8s.io" "$work/home"
ln -sfn ../../.. "$src/.go/src/k8s.io/kubernetes"
started=$(date +%s)
(
  cd "$src/.go/src/k8s.io/kubernetes"
  GOPATH="$src/.go" GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 HOME="$work/home" \
    GOCACHE="$work/gocache" KUBE_GIT_VERSION="v$VERSION" \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >&2
)
log "built in $(( $(date +%s) - started )) s"

step="installing the binaries into $cache/bin"
mkdir -p "$cache/bin"
for b in kube-apiserver kube-controller-manager; do
  built=$(ls "$src"/_output/local/bin/*/*/"$b" "$src"/_output/bin/"$b" 2>/dev/null | head -n 1 || true)
  [ -n "$built" ] || die "the build produced no $b"
  install -m 0755 "$built" "$cache/bin/.$b.new"
  mv -f "$cache/bin/.$b.new" "$cache/bin/$b"
done
"$cache/bin/kube-apiserver" --version >&2
echo "$VERSION/$RECIPE" > "$stamp"
step="done"
log "done: $cache/bin"
