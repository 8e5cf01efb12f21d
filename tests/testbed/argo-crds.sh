#!/usr/bin/env bash
# Deletes or installs the Argo Rollouts CRDs of the running test bed (a cluster without Argo Rollouts, and back).
# Deleting them deletes every Rollout, AnalysisRun and Experiment of the cluster.
#
#   bash tests/testbed/argo-crds.sh delete    # waits until the API server no longer serves argoproj.io
#   bash tests/testbed/argo-crds.sh install   # server-side apply, as start.sh does; waits until Established
#
# Environment: ROLLOUT_LENS_RUN_DIR (the test bed's run directory), ROLLOUT_LENS_CACHE.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(realpath -m "${ROLLOUT_LENS_RUN_DIR:-$ROLLOUT_LENS_CACHE/run}")
guard_run_dir "$RUN_DIR"
[ -f "$RUN_DIR/admin.kubeconfig" ] || die "no test bed in $RUN_DIR"
kubectl_admin() { "$K8S_BIN_DIR/kubectl" --kubeconfig "$RUN_DIR/admin.kubeconfig" "$@"; }
served() { kubectl_admin get --raw /apis/argoproj.io/v1alpha1 >/dev/null 2>&1; }

case ${1:-} in
  delete)
    kubectl_admin delete --wait=true --timeout=120s -f "$ARGO_BIN_DIR/crds/" >/dev/null
    for _ in $(seq 1 300); do
      served || break
      sleep 0.2
    done
    served && die "argoproj.io/v1alpha1 is still served 60 s after its CRDs were deleted"
    echo "Argo Rollouts CRDs deleted; argoproj.io/v1alpha1 is no longer served"
    ;;
  install)
    kubectl_admin apply --server-side --force-conflicts -f "$ARGO_BIN_DIR/crds/" >/dev/null
    kubectl_admin wait --for=condition=Established --timeout=60s -f "$ARGO_BIN_DIR/crds/" >/dev/null
    echo "Argo Rollouts CRDs installed"
    ;;
  *)
    die "usage: argo-crds.sh delete | install"
    ;;
esac
