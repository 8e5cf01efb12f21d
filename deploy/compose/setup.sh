#!/bin/sh
# docker-compose.yaml's one-shot `setup` service (kubectl of the rancher/k3s image): installs Argo Rollouts from
# its release manifest, applies the read-only identity from deploy/, writes its token and the cluster CA to
# /rollout-lens/ for Grafana, and creates the demo rollouts.
set -eu
# k3s writes a kubeconfig for 127.0.0.1; from this container the server is the `k3s` service.
sed 's#https://127.0.0.1:6443#https://k3s:6443#' /output/kubeconfig.yaml > /tmp/kubeconfig
export KUBECONFIG=/tmp/kubeconfig

echo "setup: Argo Rollouts from $ARGO_ROLLOUTS_INSTALL_URL"
kubectl create namespace argo-rollouts --dry-run=client -o yaml | kubectl apply -f -
# Server-side apply: the CRDs are too large for the client-side last-applied annotation.
kubectl apply --server-side --force-conflicts -n argo-rollouts -f "$ARGO_ROLLOUTS_INSTALL_URL"
kubectl wait --for condition=established --timeout=120s crd/rollouts.argoproj.io crd/analysistemplates.argoproj.io
kubectl -n argo-rollouts rollout status deployment/argo-rollouts --timeout=300s

echo "setup: the read-only identity (deploy/namespace.yaml, deploy/cluster-reader.yaml)"
kubectl apply -f /deploy/namespace.yaml -f /deploy/cluster-reader.yaml
i=0
until [ -n "$(kubectl -n rollout-lens get secret rollout-lens-reader-token -o jsonpath='{.data.token}' 2>/dev/null)" ]; do
  i=$((i + 1)); [ "$i" -lt 120 ] || { echo "setup: the token Secret was not filled in" >&2; exit 1; }
  sleep 1
done
kubectl -n rollout-lens get secret rollout-lens-reader-token -o go-template='{{.data.token | base64decode}}' > /rollout-lens/token
kubectl -n rollout-lens get secret rollout-lens-reader-token -o go-template='{{index .data "ca.crt" | base64decode}}' > /rollout-lens/ca.crt
chmod 644 /rollout-lens/token /rollout-lens/ca.crt

echo "setup: demo rollouts (deploy/compose/demo-rollouts.yaml, demo-metrics.yaml)"
kubectl apply -f /deploy/compose/demo-rollouts.yaml
kubectl apply -f /deploy/compose/demo-metrics.yaml
echo "setup: done"
