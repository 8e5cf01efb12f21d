#!/usr/bin/env bash
# Builds the test bed binaries from the Go module proxy and caches them outside the repository,
# keyed by version: $ROLLOUT_LENS_CACHE/bin/<component>-v<version>/ (default cache: $HOME/.cache/rollout-lens).
# A component whose cache directory is complete is not rebuilt.
#
#   bash tests/testbed/build.sh                 # every component
#   bash tests/testbed/build.sh kubernetes argo-rollouts
#
# Components: kubernetes (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl), etcd, kwok,
# argo-rollouts (rollouts-controller + CRDs), argo-step-plugin (Argo Rollouts' own e2e step plugin).
# Builds run one after another (one Go build at a time).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
go_env

# Runs a build step and reports how long it took.
timed() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  log "$name: built in $((SECONDS - t0)) s"
}

# Moves a finished staging dir into place; a partly built dir never looks complete.
publish() {
  local staging=$1 final=$2
  touch "$staging/.complete"
  rm -rf "$final"
  mv "$staging" "$final"
}

is_built() { [ -f "$1/.complete" ]; }

fresh_wrapper() {
  local dir=$1 module=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && go mod init "$module" >/dev/null 2>&1)
}

build_kubernetes() {
  local v=$K8S_VERSION minor staging_version upstream_gomod work out
  minor=$(echo "$v" | cut -d. -f2)
  staging_version=0.${v#1.}
  work=$CACHE_WORK/kubernetes-v$v
  out=$K8S_BIN_DIR.partial
  log "kubernetes v$v: preparing wrapper module in $work"
  fresh_wrapper "$work" local/kubernetes-wrapper
  rm -rf "$out"; mkdir -p "$out"
  upstream_gomod=$(mod_field "k8s.io/kubernetes@v$v" GoMod)
  [ -n "$upstream_gomod" ] || die "cannot download k8s.io/kubernetes@v$v"
  (
    cd "$work"
    # Every staging module k8s.io/kubernetes maps to ./staging/src/... is replaced by its published v0.X.Y.
    local m n=0
    for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\)[[:space:]].*=>[[:space:]]*\./staging/src/.*#\1#p' "$upstream_gomod"); do
      go mod edit -replace="$m=$m@v$staging_version"
      n=$((n + 1))
    done
    [ "$n" -gt 0 ] || die "no staging replaces found in $upstream_gomod"
    log "kubernetes v$v: $n staging modules replaced by v$staging_version"
    go mod edit -go="$(sed -n 's/^go //p' "$upstream_gomod")"
    # Keep upstream's GODEBUG defaults.
    awk '/^godebug \(/{b=1} b{print} b&&/^\)/{b=0} /^godebug [^(]/{print}' "$upstream_gomod" >> go.mod
    log "kubernetes v$v: resolving modules (go get)"
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$v" "k8s.io/kubernetes/cmd/kube-controller-manager@v$v" \
      "k8s.io/kubernetes/cmd/kube-scheduler@v$v" "k8s.io/kubernetes/cmd/kubectl@v$v"
    go mod tidy
    local p ldflags="" build_date
    build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags="$ldflags -X $p.gitVersion=v$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
      ldflags="$ldflags -X $p.gitCommit=module-v$v -X $p.buildDate=$build_date"
    done
    log "kubernetes v$v: compiling kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (one go build)"
    go build -v -trimpath -ldflags "-s -w$ldflags" -o "$out/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl 2>&1 | progress "kubernetes v$v"
  )
  # The output is read whole first: with pipefail, `grep -q` closing the pipe early fails a multi-line writer (SIGPIPE).
  [[ $("$out/kube-apiserver" --version) == *"v$v"* ]] || die "kube-apiserver does not report v$v"
  publish "$out" "$K8S_BIN_DIR"
}

build_etcd() {
  local v=$ETCD_VERSION work out
  work=$CACHE_WORK/etcd-v$v
  out=$ETCD_BIN_DIR.partial
  log "etcd v$v: preparing wrapper module in $work"
  fresh_wrapper "$work" local/etcd-wrapper
  rm -rf "$out"; mkdir -p "$out"
  (
    cd "$work"
    cat > main.go <<'GO'
// Command etcd runs the etcd server of the required go.etcd.io/etcd/server/v3 version.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    log "etcd v$v: resolving modules (go get)"
    go get "go.etcd.io/etcd/server/v3@v$v"
    go mod tidy
    log "etcd v$v: compiling"
    go build -v -trimpath -ldflags "-s -w" -o "$out/etcd" . 2>&1 | progress "etcd v$v"
  )
  [[ $("$out/etcd" --version) == *"$v"* ]] || die "etcd does not report $v"
  publish "$out" "$ETCD_BIN_DIR"
}

build_kwok() {
  local v=$KWOK_VERSION work out
  work=$CACHE_WORK/kwok-v$v
  out=$KWOK_BIN_DIR.partial
  log "kwok v$v: preparing wrapper module in $work"
  fresh_wrapper "$work" local/kwok-wrapper
  rm -rf "$out"; mkdir -p "$out"
  (
    cd "$work"
    log "kwok v$v: resolving modules (go get)"
    go get -tool "sigs.k8s.io/kwok/cmd/kwok@v$v"
    go mod tidy
    log "kwok v$v: compiling"
    go build -v -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$v" -o "$out/" \
      sigs.k8s.io/kwok/cmd/kwok 2>&1 | progress "kwok v$v"
  )
  # kwok needs Stage definitions: the release's "fast" set (node/fast, node/heartbeat-with-lease, pod/fast).
  local kwok_dir
  kwok_dir=$(mod_field "sigs.k8s.io/kwok@v$v" Dir)
  mkdir -p "$out/stages"
  local f
  for f in "$kwok_dir"/kustomize/stage/{node/fast,node/heartbeat-with-lease,pod/fast}/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || cp "$f" "$out/stages/"
  done
  chmod -R u+w "$out/stages"
  publish "$out" "$KWOK_BIN_DIR"
}

ARGO_MODULE=github.com/argoproj/argo-rollouts

# Copies the replace and exclude directives and the go line of Argo Rollouts' go.mod into the wrapper module of
# the current directory: they only apply in the main module.
copy_argo_directives() {
  local upstream_gomod=$1
  awk '/^replace \(/{b=1} b{print} b&&/^\)/{b=0} /^replace [^(]/{print}' "$upstream_gomod" >> go.mod
  awk '/^exclude \(/{b=1} b{print} b&&/^\)/{b=0} /^exclude [^(]/{print}' "$upstream_gomod" >> go.mod
  go mod edit -go="$(sed -n 's/^go //p' "$upstream_gomod")"
}

# -ldflags of Argo Rollouts' Makefile: the version of the release in utils/version.
argo_ldflags() {
  local v=$1 p=$ARGO_MODULE/utils/version
  printf '%s' "-s -w -X $p.version=v$v -X $p.gitTag=v$v -X $p.gitCommit=module-v$v -X $p.gitTreeState=clean -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

build_argo_rollouts() {
  local v=$ARGO_ROLLOUTS_VERSION work out upstream_gomod upstream_dir mod=$ARGO_MODULE
  work=$CACHE_WORK/argo-rollouts-v$v
  out=$ARGO_BIN_DIR.partial
  log "argo-rollouts v$v: preparing wrapper module in $work"
  fresh_wrapper "$work" local/argo-rollouts-wrapper
  rm -rf "$out"; mkdir -p "$out/crds"
  upstream_gomod=$(mod_field "$mod@v$v" GoMod)
  upstream_dir=$(mod_field "$mod@v$v" Dir)
  [ -n "$upstream_gomod" ] && [ -n "$upstream_dir" ] || die "cannot download $mod@v$v"
  (
    cd "$work"
    copy_argo_directives "$upstream_gomod"
    # The controller hard-codes 0.0.0.0 for its metrics and healthz listeners; the test bed binds 127.0.0.1
    # only, so the build uses a copy of the released module with that one constant changed.
    rm -rf src; cp -r "$upstream_dir" src; chmod -R u+w src
    sed -i 's/listenAddr *= "0.0.0.0:%d"/listenAddr = "127.0.0.1:%d"/' src/controller/controller.go
    grep -q 'listenAddr *= "127.0.0.1:%d"' src/controller/controller.go || die "argo-rollouts: listenAddr patch did not apply"
    go mod edit -replace="$mod=./src"
    log "argo-rollouts v$v: $(grep -c '=>' go.mod) replace directives; resolving modules (go get)"
    go get -tool "$mod/cmd/rollouts-controller@v$v"
    go mod tidy
    log "argo-rollouts v$v: compiling rollouts-controller"
    go build -v -trimpath -ldflags "$(argo_ldflags "$v")" \
      -o "$out/" "$mod/cmd/rollouts-controller" 2>&1 | progress "argo-rollouts v$v"
  )
  cp "$upstream_dir"/manifests/crds/*-crd.yaml "$out/crds/"
  chmod -R u+w "$out/crds"
  publish "$out" "$ARGO_BIN_DIR"
}

# The step plugin Argo Rollouts' own e2e tests register (test/cmd/step-plugin-e2e of the released module, unchanged):
# each step's `config` says what it returns (`return: Successful|Failed|Running|Error`, `requeue: 1m`, and the
# same for `abort` and `terminate`). The controller runs it through go-plugin's RPC (tests/testbed/start.sh
# registers it in the controller's ConfigMap).
build_argo_step_plugin() {
  local v=$ARGO_ROLLOUTS_VERSION work out upstream_gomod mod=$ARGO_MODULE built_from
  work=$CACHE_WORK/argo-step-plugin-v$v
  out=$ARGO_STEP_PLUGIN_BIN_DIR.partial
  log "argo-step-plugin v$v: preparing wrapper module in $work"
  fresh_wrapper "$work" local/argo-step-plugin-wrapper
  rm -rf "$out"; mkdir -p "$out"
  upstream_gomod=$(mod_field "$mod@v$v" GoMod)
  [ -n "$upstream_gomod" ] || die "cannot download $mod@v$v"
  (
    cd "$work"
    copy_argo_directives "$upstream_gomod"
    log "argo-step-plugin v$v: resolving modules (go get)"
    go get -tool "$mod/test/cmd/step-plugin-e2e@v$v"
    go mod tidy
    log "argo-step-plugin v$v: compiling step-plugin-e2e"
    go build -v -trimpath -ldflags "$(argo_ldflags "$v")" \
      -o "$out/" "$mod/test/cmd/step-plugin-e2e" 2>&1 | progress "argo-step-plugin v$v"
  )
  # A go-plugin binary has no --version: its build information names the module it was built from.
  built_from=$(go version -m "$out/step-plugin-e2e" | awk '$1 == "mod" { print $2 "@" $3 }')
  [ "$built_from" = "$mod@v$v" ] || die "step-plugin-e2e was built from '$built_from', not $mod@v$v"
  publish "$out" "$ARGO_STEP_PLUGIN_BIN_DIR"
}

# `go build -v` prints each package as it is compiled: show a count every 100 packages.
progress() {
  local name=$1 n=0 line
  while IFS= read -r line; do
    case $line in
      *' '*|*:*) printf '%s\n' "$line" >&2 ;;  # compiler messages; package paths have neither
      *) n=$((n + 1)); [ $((n % 100)) -eq 0 ] && log "$name: $n packages compiled" ;;
    esac
  done
  log "$name: $n packages compiled"
}

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kubernetes etcd kwok argo-rollouts argo-step-plugin)
mkdir -p "$CACHE_BIN" "$CACHE_WORK"
# One build at a time, also across concurrent invocations (they share the wrapper directories).
exec 9>"$ROLLOUT_LENS_CACHE/build.lock"
if ! flock -n 9; then
  log "another build is running; waiting for it"
  flock 9
fi
for c in "${components[@]}"; do
  case $c in
    kubernetes) dir=$K8S_BIN_DIR; fn=build_kubernetes ;;
    etcd) dir=$ETCD_BIN_DIR; fn=build_etcd ;;
    kwok) dir=$KWOK_BIN_DIR; fn=build_kwok ;;
    argo-rollouts) dir=$ARGO_BIN_DIR; fn=build_argo_rollouts ;;
    argo-step-plugin) dir=$ARGO_STEP_PLUGIN_BIN_DIR; fn=build_argo_step_plugin ;;
    *) die "unknown component: $c" ;;
  esac
  if is_built "$dir"; then
    log "$c: cached in $dir"
  else
    log "$c: not cached, building (this takes minutes on a cold Go cache)"
    timed "$c" "$fn"
  fi
done
