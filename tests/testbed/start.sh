#!/usr/bin/env bash
# Starts the real test bed on 127.0.0.1: etcd, kube-apiserver (TLS, token auth, RBAC), kube-controller-manager,
# kube-scheduler, kwok (one fake Node) and the Argo Rollouts controller. Builds missing binaries first.
#
#   bash tests/testbed/start.sh          # then: bash tests/testbed/stop.sh
#
# Environment:
#   ROLLOUT_LENS_CACHE      build cache (default $HOME/.cache/rollout-lens)
#   ROLLOUT_LENS_RUN_DIR    run directory (default $ROLLOUT_LENS_CACHE/run); wiped at start
#   ROLLOUT_LENS_EVENT_TTL  kube-apiserver --event-ttl (default 1h)
#
# Run directory contents used by tests:
#   apiserver-url     https://127.0.0.1:<port>
#   ca.crt            CA of the API server certificate (generated at start)
#   plugin-token      token of ServiceAccount rollout-lens/rollout-lens-reader (from deploy/, via its token Secret)
#   plugin-token-request  a TokenRequest token of the same ServiceAccount (1 h)
#   plugin.kubeconfig kubeconfig with that token (least privilege)
#   admin-token, admin.kubeconfig  static admin identity for the test driver only
#   env               the above as shell variables; logs/ has one log per process
#   audit/audit.log   kube-apiserver audit log (metadata) of the ServiceAccounts in namespace rollout-lens
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR=$(realpath -m "${ROLLOUT_LENS_RUN_DIR:-$ROLLOUT_LENS_CACHE/run}")
mkdir -p "$(dirname "$RUN_DIR")"
guard_run_dir "$RUN_DIR"
EVENT_TTL=${ROLLOUT_LENS_EVENT_TTL:-1h}
KWOK_NODE=kwok-node-0
READER_NS=rollout-lens
READER_SA=rollout-lens-reader
READER_SECRET=rollout-lens-reader-token

t_start=$(date +%s.%N)
elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

bash "$TESTBED_DIR/build.sh"

# A previous run that crashed may have left processes or files behind: stop exactly what it recorded.
if [ -d "$RUN_DIR" ]; then
  ROLLOUT_LENS_RUN_DIR=$RUN_DIR bash "$TESTBED_DIR/stop.sh" --quiet
fi
t_start=$(date +%s.%N)   # start time is measured from here: binaries built, old run gone
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"/{pki,etcd,logs,pids,cert-dir}
chmod 700 "$RUN_DIR"

# --- free ports on 127.0.0.1 ---------------------------------------------------------------------------------
# Below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default): a port picked there is
# free when picked but may be taken by an outgoing connection before the component binds it.
read -r P_ETCD P_ETCD_PEER P_APISERVER P_KCM P_SCHED P_ARGO_METRICS P_ARGO_HEALTHZ P_KWOK <<<"$(node -e '
  const net = require("net"); const n = 8; const low = 20000; const high = 32767; const servers = []; const ports = [];
  const next = () => {
    if (servers.length === n) { servers.forEach(s => s.close()); console.log(ports.join(" ")); return; }
    const port = low + Math.floor(Math.random() * (high - low + 1));
    const s = net.createServer();
    s.once("error", next);
    s.listen(port, "127.0.0.1", () => { ports.push(port); servers.push(s); next(); });
  };
  next();')"
[ -n "$P_KWOK" ] || die "could not pick free ports"

# --- certificates and credentials ------------------------------------------------------------------------------
PKI=$RUN_DIR/pki
log "generating CA, serving certificate and service-account key"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=rollout-lens-testbed-ca" \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n' > "$PKI/apiserver.ext"
openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 2 \
  -extfile "$PKI/apiserver.ext" -out "$PKI/apiserver.crt" 2>/dev/null
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
cp "$PKI/ca.crt" "$RUN_DIR/ca.crt"

ADMIN_TOKEN=$(openssl rand -hex 32)
printf '%s\n' "$ADMIN_TOKEN" > "$RUN_DIR/admin-token"
# token,user,uid,"groups": the admin identity of the test driver and of the control-plane components.
printf '%s,testbed-admin,testbed-admin,"system:masters"\n' "$ADMIN_TOKEN" > "$PKI/tokens.csv"
chmod 600 "$PKI"/*.key "$PKI/tokens.csv" "$RUN_DIR/admin-token"

# --- component versions, as the binaries report them ------------------------------------------------------------
k8s_v=$("$K8S_BIN_DIR/kube-apiserver" --version | awk '{print $2}')
kcm_v=$("$K8S_BIN_DIR/kube-controller-manager" --version | awk '{print $2}')
sched_v=$("$K8S_BIN_DIR/kube-scheduler" --version | awk '{print $2}')
etcd_v=v$("$ETCD_BIN_DIR/etcd" --version | awk '/^etcd Version:/ {print $3}')
kwok_v=$("$KWOK_BIN_DIR/kwok" --version | awk '{print $3}')
argo_v=$("$ARGO_BIN_DIR/rollouts-controller" --version | head -n 1)
cat > "$RUN_DIR/components.json" <<JSON
[
  {"name": "kube-apiserver", "version": "$k8s_v"},
  {"name": "kube-controller-manager", "version": "$kcm_v"},
  {"name": "kube-scheduler", "version": "$sched_v"},
  {"name": "etcd", "version": "$etcd_v"},
  {"name": "kwok", "version": "$kwok_v"},
  {"name": "argo-rollouts", "version": "$argo_v"}
]
JSON

API_URL=https://127.0.0.1:$P_APISERVER
printf '%s\n' "$API_URL" > "$RUN_DIR/apiserver-url"

write_kubeconfig() { # file token-file
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: $API_URL
    certificate-authority: $RUN_DIR/ca.crt
users:
- name: user
  user:
    tokenFile: $2
contexts:
- name: testbed
  context: {cluster: testbed, user: user}
current-context: testbed
KC
}
write_kubeconfig "$RUN_DIR/admin.kubeconfig" "$RUN_DIR/admin-token"
ADMIN_KC=$RUN_DIR/admin.kubeconfig

# --- process management ----------------------------------------------------------------------------------------
# start_proc NAME BINARY ARGS...: runs in the background, records PID and binary in pids/ for stop.sh, and the
# arguments (one per line) for tests/testbed/apiserver.sh, which restarts kube-apiserver with the same flags.
start_proc() {
  local name=$1 bin=$2; shift 2
  nohup "$bin" "$@" > "$RUN_DIR/logs/$name.log" 2>&1 < /dev/null 8>&- 9>&- &
  local pid=$!
  printf '%s\n' "$pid" > "$RUN_DIR/pids/$name.pid"
  printf '%s\n' "$bin" > "$RUN_DIR/pids/$name.exe"
  printf '%s\n' "$@" > "$RUN_DIR/pids/$name.args"
  log "$name started (pid $pid, log $RUN_DIR/logs/$name.log)"
}

STARTED=0
on_exit() {
  [ "$STARTED" = 1 ] && return
  log "start failed after $(elapsed) s; last log lines:"
  local f
  for f in "$RUN_DIR"/logs/*.log; do
    [ -f "$f" ] || continue
    echo "--- $f" >&2; tail -n 15 "$f" >&2
  done
  ROLLOUT_LENS_RUN_DIR=$RUN_DIR bash "$TESTBED_DIR/stop.sh" --quiet || true
}
trap on_exit EXIT

# wait_for DESCRIPTION TIMEOUT_S PROCESS_NAME COMMAND...: polls COMMAND; fails early if the process died.
wait_for() {
  local what=$1 timeout=$2 proc=$3; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$proc" ] && ! kill -0 "$(cat "$RUN_DIR/pids/$proc.pid")" 2>/dev/null; then
      die "$proc exited while waiting for $what"
    fi
    [ $SECONDS -lt $deadline ] || die "timed out after ${timeout}s waiting for $what"
    sleep 0.2
  done
  log "$what ($(elapsed) s)"
}

kubectl_admin() { "$K8S_BIN_DIR/kubectl" --kubeconfig "$ADMIN_KC" "$@"; }
api_get() { curl -fsS --cacert "$RUN_DIR/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$API_URL$1"; }

# --- etcd ----------------------------------------------------------------------------------------------------------
start_proc etcd "$ETCD_BIN_DIR/etcd" \
  --name=testbed --data-dir="$RUN_DIR/etcd" \
  --listen-client-urls="http://127.0.0.1:$P_ETCD" --advertise-client-urls="http://127.0.0.1:$P_ETCD" \
  --listen-peer-urls="http://127.0.0.1:$P_ETCD_PEER" --initial-advertise-peer-urls="http://127.0.0.1:$P_ETCD_PEER" \
  --initial-cluster="testbed=http://127.0.0.1:$P_ETCD_PEER" \
  --auto-compaction-retention=1 --quota-backend-bytes=2147483648 --unsafe-no-fsync=true --log-level=warn
etcd_healthy() { curl -fsS "http://127.0.0.1:$P_ETCD/health" | grep -q '"health":"true"'; }
wait_for "etcd healthy" 30 etcd etcd_healthy

# --- kube-apiserver ------------------------------------------------------------------------------------------------
# Audit log of the plugin's identities only (ServiceAccounts of namespace rollout-lens), metadata level: lets
# tests prove which requests reached the API server with the plugin's token (tests/e2e/grafana.mjs).
mkdir -p "$RUN_DIR/audit"
cat > "$RUN_DIR/audit/policy.yaml" <<'POLICY'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
    userGroups: ["system:serviceaccounts:rollout-lens"]
  - level: None
POLICY
start_proc kube-apiserver "$K8S_BIN_DIR/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$P_ETCD" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$P_APISERVER" \
  --cert-dir="$RUN_DIR/cert-dir" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --token-auth-file="$PKI/tokens.csv" \
  --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 --endpoint-reconciler-type=none \
  --allow-privileged=true --event-ttl="$EVENT_TTL" --profiling=false \
  --enable-priority-and-fairness=false \
  --audit-policy-file="$RUN_DIR/audit/policy.yaml" --audit-log-path="$RUN_DIR/audit/audit.log" --audit-log-format=json
apiserver_ready() { [ "$(api_get /readyz)" = ok ]; }
wait_for "kube-apiserver ready" 90 kube-apiserver apiserver_ready
APISERVER_READY_S=$(elapsed)

# --- kube-controller-manager, kube-scheduler, kwok -----------------------------------------------------------------
# The fault checks (tests/e2e/faults/) stop the API server for up to a minute; kwok cannot renew its Node's lease
# meanwhile. A node monitor grace period of 5 minutes (default 50 s) keeps that from marking the Node NotReady and
# its Pods unready, which would change the Rollouts the checks compare before and after the fault.
start_proc kube-controller-manager "$K8S_BIN_DIR/kube-controller-manager" \
  --kubeconfig="$ADMIN_KC" --authentication-kubeconfig="$ADMIN_KC" --authorization-kubeconfig="$ADMIN_KC" \
  --bind-address=127.0.0.1 --secure-port="$P_KCM" --cert-dir="$RUN_DIR/cert-dir" \
  --leader-elect=false --use-service-account-credentials=false \
  --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --node-monitor-grace-period=5m \
  --profiling=false
start_proc kube-scheduler "$K8S_BIN_DIR/kube-scheduler" \
  --kubeconfig="$ADMIN_KC" --authentication-kubeconfig="$ADMIN_KC" --authorization-kubeconfig="$ADMIN_KC" \
  --bind-address=127.0.0.1 --secure-port="$P_SCHED" --cert-dir="$RUN_DIR/cert-dir" \
  --leader-elect=false --profiling=false
kwok_stages=$(find "$KWOK_BIN_DIR/stages" -name '*.yaml' | sort | paste -sd, -)
start_proc kwok "$KWOK_BIN_DIR/kwok" \
  --kubeconfig="$ADMIN_KC" --config="$kwok_stages" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.0/16 --node-ip=10.0.0.2 --node-lease-duration-seconds=40 \
  --server-address="127.0.0.1:$P_KWOK"

# --- cluster objects: CRDs, fake Node, namespaces ---------------------------------------------------------------
log "applying Argo Rollouts CRDs (server-side) and the kwok Node"
kubectl_admin apply --server-side --force-conflicts -f "$ARGO_BIN_DIR/crds/" >/dev/null
kubectl_admin apply -f "$TESTBED_DIR/manifests/kwok-node.yaml" -f "$TESTBED_DIR/manifests/argo-rollouts-namespace.yaml" >/dev/null
kubectl_admin wait --for=condition=Established --timeout=60s -f "$ARGO_BIN_DIR/crds/" >/dev/null
log "CRDs established ($(elapsed) s)"

# --- Argo Rollouts controller ----------------------------------------------------------------------------------------
# Its configuration, read once at its start: Argo Rollouts' e2e step plugin as step plugin `step/e2e-test`, from a
# file:// location, which the controller copies to plugin-bin/step/e2e-test under its working directory (its
# directory in the run directory) and runs over go-plugin's RPC.
kubectl_admin apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: argo-rollouts-config
  namespace: argo-rollouts
data:
  stepPlugins: |-
    - name: step/e2e-test
      location: file://$ARGO_STEP_PLUGIN_BIN_DIR/step-plugin-e2e
YAML
mkdir -p "$RUN_DIR/argo-rollouts"
(
  cd "$RUN_DIR/argo-rollouts"
  POD_NAMESPACE=argo-rollouts start_proc argo-rollouts "$ARGO_BIN_DIR/rollouts-controller" \
    --kubeconfig="$ADMIN_KC" --leader-elect=false --ingress-api-version=networking/v1 \
    --metricsPort="$P_ARGO_METRICS" --healthzPort="$P_ARGO_HEALTHZ" --loglevel=info --logformat=text
)

node_ready() {
  [ "$(kubectl_admin get node "$KWOK_NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}
wait_for "kwok Node Ready" 60 kwok node_ready
wait_for "default ServiceAccount created by kube-controller-manager" 60 kube-controller-manager \
  kubectl_admin -n default get serviceaccount default
wait_for "kube-scheduler healthy" 60 kube-scheduler curl -fsSk "https://127.0.0.1:$P_SCHED/healthz"
wait_for "argo-rollouts controller healthy" 60 argo-rollouts curl -fsS "http://127.0.0.1:$P_ARGO_HEALTHZ/healthz"

# --- the plugin's least-privilege identity from deploy/ ---------------------------------------------------------------
DEPLOY_DIR=$REPO_ROOT/deploy
for f in namespace.yaml cluster-reader.yaml; do
  [ -f "$DEPLOY_DIR/$f" ] || die "missing $DEPLOY_DIR/$f (the plugin's RBAC manifests)"
done
kubectl_admin apply -f "$DEPLOY_DIR/namespace.yaml" >/dev/null
kubectl_admin apply -f "$DEPLOY_DIR/cluster-reader.yaml" >/dev/null
token_populated() {
  [ -n "$(kubectl_admin -n "$READER_NS" get secret "$READER_SECRET" -o jsonpath='{.data.token}')" ]
}
wait_for "token Secret $READER_NS/$READER_SECRET populated" 60 kube-controller-manager token_populated
kubectl_admin -n "$READER_NS" get secret "$READER_SECRET" -o jsonpath='{.data.token}' | base64 -d > "$RUN_DIR/plugin-token"
kubectl_admin -n "$READER_NS" create token "$READER_SA" --duration=1h > "$RUN_DIR/plugin-token-request"
chmod 600 "$RUN_DIR/plugin-token" "$RUN_DIR/plugin-token-request"
write_kubeconfig "$RUN_DIR/plugin.kubeconfig" "$RUN_DIR/plugin-token"

cat > "$RUN_DIR/env" <<ENV
ROLLOUT_LENS_RUN_DIR=$RUN_DIR
ROLLOUT_LENS_APISERVER_URL=$API_URL
ROLLOUT_LENS_CA_FILE=$RUN_DIR/ca.crt
ROLLOUT_LENS_PLUGIN_TOKEN_FILE=$RUN_DIR/plugin-token
ROLLOUT_LENS_ADMIN_TOKEN_FILE=$RUN_DIR/admin-token
ROLLOUT_LENS_EVENT_TTL=$EVENT_TTL
ENV
cat > "$RUN_DIR/timings.json" <<JSON
{"apiserverReadySeconds": $APISERVER_READY_S, "testbedReadySeconds": $(elapsed)}
JSON
STARTED=1
log "test bed ready in $(elapsed) s (API server ready after $APISERVER_READY_S s): $API_URL, run dir $RUN_DIR"
