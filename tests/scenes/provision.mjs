// The data source of the scenes/problems-visible check: the plugin's read-only identity as a cluster that grants it
// per namespace only, with deploy/namespaced/namespace-reader.yaml (Role and RoleBinding) applied to every scenario
// namespace but one. Called by tests/e2e/grafana-setup.mjs while it writes the stand-in's provisioning, after the
// scenarios have created their namespaces.
//
// Writes <grafana dir>/namespaced-token (1 h token) and <grafana dir>/namespaced.json:
//   {uid, serviceAccount, namespaces: [every scenario namespace, the data source's default namespaces],
//    forbidden: the one namespace the identity may not read}
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import YAML from 'yaml';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAMESPACE_READER = path.join(REPO_ROOT, 'deploy/namespaced/namespace-reader.yaml');
const SA_NAMESPACE = 'rollout-lens';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

export const NAMESPACED = {
  uid: 'e2e-namespaced',
  name: 'Argo Rollouts (e2e namespaced)',
  serviceAccount: 'rollout-lens-e2e-namespaced',
};

/** The namespaces of the scenarios (e2e-*) that hold rollouts, sorted: what the scenes checks look at. */
export async function scenarioNamespaces(admin) {
  const list = await admin.get('/apis/argoproj.io/v1alpha1/rollouts');
  return [...new Set(list.items.map((r) => r.metadata.namespace).filter((ns) => ns.startsWith('e2e-')))].sort();
}

async function createOrKeep(admin, collectionPath, obj) {
  const res = await admin.request('POST', collectionPath, { body: obj, allowError: true });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating ${obj.kind} ${obj.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The Role and RoleBinding of namespace-reader.yaml for `namespace`, bound to our ServiceAccount. */
function namespaceReader(namespace) {
  return YAML.parseAllDocuments(fs.readFileSync(NAMESPACE_READER, 'utf8'))
    .map((doc) => doc.toJS())
    .map((obj) => ({
      ...obj,
      metadata: { ...obj.metadata, namespace },
      ...(obj.kind === 'RoleBinding'
        ? { subjects: [{ kind: 'ServiceAccount', name: NAMESPACED.serviceAccount, namespace: SA_NAMESPACE }] }
        : {}),
    }));
}

/**
 * Creates the ServiceAccount, binds it in every scenario namespace except the last one, and returns the
 * provisioning entry (a variant of `base`, the in-cluster example) with all of them as default namespaces. Without
 * scenario namespaces (no scenario ran) the identity is bound nowhere and `forbidden` is undefined.
 */
export async function provisionNamespacedDataSource(admin, grafanaDir, base) {
  const namespaces = await scenarioNamespaces(admin);
  const forbidden = namespaces.at(-1);
  await createOrKeep(admin, `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: NAMESPACED.serviceAccount, namespace: SA_NAMESPACE },
  });
  for (const namespace of namespaces.filter((ns) => ns !== forbidden)) {
    for (const obj of namespaceReader(namespace)) {
      const plural = obj.kind === 'Role' ? 'roles' : 'rolebindings';
      await createOrKeep(admin, `${RBAC}/namespaces/${namespace}/${plural}`, obj);
    }
  }
  const review = await admin.create(
    `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts/${NAMESPACED.serviceAccount}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }
  );
  const tokenFile = path.join(grafanaDir, 'namespaced-token');
  fs.writeFileSync(tokenFile, review.status.token + '\n', { mode: 0o600 });
  fs.writeFileSync(
    path.join(grafanaDir, 'namespaced.json'),
    JSON.stringify({ ...NAMESPACED, namespaces, forbidden }, null, 2) + '\n'
  );
  return {
    ...base,
    name: NAMESPACED.name,
    uid: NAMESPACED.uid,
    jsonData: { ...base.jsonData, defaultNamespaces: namespaces },
    secureJsonData: { ...base.secureJsonData, token: `$__file{${tokenFile}}` },
  };
}
