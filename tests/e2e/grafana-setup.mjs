// Prepares the run directory for the STAND-IN Grafana server (tests/grafana-stand-in; Grafana itself cannot be
// built here, see docs/testing.md): an over-privileged ServiceAccount for the health-check warning, and the
// provisioning files, generated from OUR provisioning/plugins/apps.yaml and
// provisioning/examples/in-cluster-datasource.yaml by replacing only the in-cluster API server URL and the two
// `$__file{}` paths, so the example's shape is what is tested.
//
//   ROLLOUT_LENS_RUN_DIR=<run dir> node tests/e2e/grafana-setup.mjs
//
// Data sources (uids are stable; tests and the browser harness use them):
//   argo-rollouts-in-cluster  the example as is: least-privilege token and CA through $__file{}
//   e2e-wrong-token           the example with a token the API server rejects, read through $__env{}
//   e2e-over-privileged       the example with the token of a ServiceAccount that can also read Secrets, and the
//                             API server URL through ${VAR}
//   e2e-namespaced            the example with an identity bound per namespace to every scenario namespace but one
//                             (tests/scenes/provision.mjs), for the scenes/problems-visible check
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import YAML from 'yaml';

import { NAMESPACED, provisionNamespacedDataSource } from '../scenes/provision.mjs';
import { KubeClient } from './lib/kube.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NS = 'rollout-lens';
export const OVER_PRIVILEGED_SA = 'rollout-lens-e2e-overprivileged';
export const DATA_SOURCES = {
  inCluster: 'argo-rollouts-in-cluster',
  wrongToken: 'e2e-wrong-token',
  overPrivileged: 'e2e-over-privileged',
  namespaced: NAMESPACED.uid,
};
const IN_CLUSTER_URL = 'https://kubernetes.default.svc';
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const IN_CLUSTER_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

function replaceExactlyOnce(text, search, replacement, what) {
  const count = text.split(search).length - 1;
  if (count !== 1) {
    throw new Error(
      `provisioning/examples/in-cluster-datasource.yaml: expected ${what} (${search}) once, found ${count}`
    );
  }
  return text.replace(search, () => replacement);
}

async function applyObject(admin, collectionPath, obj) {
  const res = await admin.request('POST', collectionPath, { body: obj, allowError: true });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating ${obj.kind} ${obj.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** A ServiceAccount with the plugin's read-only ClusterRole plus get/list on Secrets; returns a 1 h token. */
async function overPrivilegedToken(admin) {
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await applyObject(admin, `/api/v1/namespaces/${NS}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: OVER_PRIVILEGED_SA, namespace: NS },
  });
  await applyObject(admin, `${rbac}/clusterroles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: `${OVER_PRIVILEGED_SA}-secrets` },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  });
  for (const role of ['rollout-lens-reader', `${OVER_PRIVILEGED_SA}-secrets`]) {
    await applyObject(admin, `${rbac}/clusterrolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${OVER_PRIVILEGED_SA}-${role}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: OVER_PRIVILEGED_SA, namespace: NS }],
    });
  }
  const review = await admin.create(`/api/v1/namespaces/${NS}/serviceaccounts/${OVER_PRIVILEGED_SA}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  return review.status.token;
}

async function main() {
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  if (!runDir || !fs.existsSync(path.join(runDir, 'apiserver-url'))) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  const apiServerUrl = fs.readFileSync(path.join(runDir, 'apiserver-url'), 'utf8').trim();
  const g = path.join(runDir, 'grafana');
  const prov = path.join(g, 'provisioning');
  fs.rmSync(prov, { recursive: true, force: true });
  fs.mkdirSync(path.join(prov, 'plugins'), { recursive: true });
  fs.mkdirSync(path.join(prov, 'datasources'), { recursive: true });

  const admin = KubeClient.fromRunDir(runDir, 'admin');
  try {
    const overToken = await overPrivilegedToken(admin);
    fs.writeFileSync(path.join(g, 'overprivileged-token'), overToken + '\n', { mode: 0o600 });
  } finally {
    admin.close();
  }
  // Read by the stand-in through $__env{} and ${} (see DATA_SOURCES).
  const wrongToken = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(
    path.join(g, 'stand-in.env'),
    `ROLLOUT_LENS_E2E_WRONG_TOKEN=${wrongToken}\nROLLOUT_LENS_E2E_APISERVER_URL=${apiServerUrl}\n`,
    { mode: 0o600 }
  );

  fs.copyFileSync(path.join(REPO_ROOT, 'provisioning/plugins/apps.yaml'), path.join(prov, 'plugins/apps.yaml'));

  const example = fs.readFileSync(path.join(REPO_ROOT, 'provisioning/examples/in-cluster-datasource.yaml'), 'utf8');
  let inCluster = replaceExactlyOnce(example, IN_CLUSTER_URL, apiServerUrl, 'the in-cluster API server URL');
  inCluster = replaceExactlyOnce(inCluster, IN_CLUSTER_TOKEN, path.join(runDir, 'plugin-token'), 'the token path');
  inCluster = replaceExactlyOnce(inCluster, IN_CLUSTER_CA, path.join(runDir, 'ca.crt'), 'the CA path');
  fs.writeFileSync(path.join(prov, 'datasources/in-cluster-datasource.yaml'), inCluster);

  // More data sources of the same shape: only name, uid, and where the token / URL come from differ.
  const doc = YAML.parse(inCluster);
  const base = doc.datasources[0];
  if (base.uid !== DATA_SOURCES.inCluster) {
    throw new Error(`the example's uid is ${base.uid}, the tests expect ${DATA_SOURCES.inCluster}`);
  }
  const variant = (name, uid, token, url) => ({
    ...base,
    name,
    uid,
    jsonData: { ...base.jsonData, apiServerUrl: url ?? base.jsonData.apiServerUrl },
    secureJsonData: { ...base.secureJsonData, token },
  });
  const extra = {
    apiVersion: 1,
    datasources: [
      variant('Argo Rollouts (e2e wrong token)', DATA_SOURCES.wrongToken, '$__env{ROLLOUT_LENS_E2E_WRONG_TOKEN}'),
      variant(
        'Argo Rollouts (e2e over-privileged)',
        DATA_SOURCES.overPrivileged,
        `$__file{${path.join(g, 'overprivileged-token')}}`,
        '${ROLLOUT_LENS_E2E_APISERVER_URL}'
      ),
    ],
  };
  const reader = KubeClient.fromRunDir(runDir, 'admin');
  try {
    extra.datasources.push(await provisionNamespacedDataSource(reader, g, base));
  } finally {
    reader.close();
  }
  fs.writeFileSync(
    path.join(prov, 'datasources/e2e-variants.yaml'),
    '# Generated by tests/e2e/grafana-setup.mjs from provisioning/examples/in-cluster-datasource.yaml\n' +
      YAML.stringify(extra)
  );
  console.log(`grafana-setup: provisioning written to ${prov}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
