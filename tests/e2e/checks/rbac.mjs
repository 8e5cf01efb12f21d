// rbac/least-privilege: the ServiceAccount from deploy/cluster-reader.yaml (token from its token Secret, and a
// TokenRequest token) can list and watch everything the plugin reads, and gets 403 on Secrets and on every
// write. Writes are sent with dryRun=All, so a wrongly granted permission still changes nothing.
import { KubeClient, paths } from '../lib/kube.mjs';
import { CheckFailure } from '../lib/report.mjs';

export const id = 'rbac/least-privilege';
/** RBAC is the API server's; kube-controller-manager writes the token of the ServiceAccount's Secret. */
export const against = ['kube-apiserver', 'etcd', 'kube-controller-manager'];

const EXPECTED_USER = 'system:serviceaccount:rollout-lens:rollout-lens-reader';

// What the plugin reads (cluster-wide and in one namespace); each must answer 200.
function readRequests(ns) {
  const reads = [];
  for (const scope of [undefined, ns]) {
    for (const p of [
      paths.rollouts(scope),
      paths.analysisruns(scope),
      paths.experiments(scope),
      paths.replicasets(scope),
      paths.events(scope),
      paths.eventsV1(scope),
    ]) {
      reads.push(['GET', `${p}?limit=5`]);
    }
  }
  reads.push(['GET', paths.namespaces()]);
  reads.push(['GET', paths.namespace(ns)]);
  reads.push(['GET', `${paths.events(ns)}?fieldSelector=${encodeURIComponent('involvedObject.kind=Rollout')}`]);
  reads.push(['GET', `${paths.rollouts()}?watch=true&timeoutSeconds=1`]);
  reads.push(['GET', `${paths.events()}?watch=true&timeoutSeconds=1`]);
  return reads;
}

// Requests that must be refused with 403.
function refusedRequests(ns) {
  const dry = '?dryRun=All';
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'rbac-probe' }, spec: {} };
  const merge = { metadata: { labels: { probe: 'x' } } };
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'rbac-probe' },
    involvedObject: { kind: 'Rollout', name: 'x', namespace: ns },
    reason: 'Probe',
  };
  return [
    ['GET', paths.secrets()],
    ['GET', paths.secrets(ns)],
    ['GET', paths.secrets('rollout-lens')],
    ['GET', `${paths.secrets('rollout-lens')}/rollout-lens-reader-token`],
    ['GET', `${paths.secrets()}?watch=true&timeoutSeconds=1`],
    ['POST', `${paths.rollouts(ns)}${dry}`, rollout],
    ['PUT', `${paths.rollout(ns, 'rbac-probe')}${dry}`, rollout],
    ['PATCH', `${paths.rollout(ns, 'rbac-probe')}${dry}`, merge],
    ['PATCH', `${paths.rollout(ns, 'rbac-probe')}/status${dry}`, { status: { abort: true } }],
    ['DELETE', `${paths.rollout(ns, 'rbac-probe')}${dry}`],
    ['DELETE', `${paths.rollouts(ns)}${dry}`],
    ['POST', `${paths.analysisruns(ns)}${dry}`, { ...rollout, kind: 'AnalysisRun' }],
    ['DELETE', `${paths.analysisruns(ns)}/rbac-probe${dry}`],
    ['POST', `${paths.experiments(ns)}${dry}`, { ...rollout, kind: 'Experiment' }],
    ['PATCH', `${paths.replicasets(ns)}/rbac-probe${dry}`, merge],
    ['PATCH', `${paths.replicasets(ns)}/rbac-probe/scale${dry}`, { spec: { replicas: 0 } }],
    ['DELETE', `${paths.replicasets(ns)}/rbac-probe${dry}`],
    ['POST', `${paths.events(ns)}${dry}`, ev],
    ['PATCH', `${paths.events(ns)}/rbac-probe${dry}`, merge],
    ['DELETE', `${paths.events(ns)}/rbac-probe${dry}`],
    [
      'POST',
      `${paths.eventsV1(ns)}${dry}`,
      { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'rbac-probe' } },
    ],
    ['POST', `${paths.namespaces()}${dry}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rbac-probe' } }],
    ['PATCH', `${paths.namespace(ns)}${dry}`, merge],
    ['DELETE', `${paths.namespace(ns)}${dry}`],
    ['POST', `${paths.secrets(ns)}${dry}`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rbac-probe' } }],
    [
      'POST',
      `/api/v1/namespaces/${ns}/configmaps${dry}`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rbac-probe' } },
    ],
    [
      'POST',
      `/api/v1/namespaces/${ns}/pods${dry}`,
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rbac-probe' } },
    ],
    [
      'POST',
      `/api/v1/namespaces/rollout-lens/serviceaccounts/rollout-lens-reader/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    ],
    ['PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/rollout-lens-reader${dry}`, merge],
    [
      'POST',
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings${dry}`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'rbac-probe' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [],
      },
    ],
  ];
}

function contentTypeFor(method) {
  return method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
}

async function probe(client, [method, urlPath, body]) {
  const res = await client.request(method, urlPath, { body, contentType: contentTypeFor(method), allowError: true });
  return { request: `${method} ${urlPath}`, status: res.status };
}

async function checkIdentity(client, ns) {
  const review = await client.create('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  });
  const user = review.status?.userInfo?.username;
  const reads = await Promise.all(readRequests(ns).map((r) => probe(client, r)));
  const refused = await Promise.all(refusedRequests(ns).map((r) => probe(client, r)));
  // The plugin's health check asks the API server what it may do; every authenticated user may ask.
  const ssar = await probe(client, [
    'POST',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { group: 'argoproj.io', resource: 'rollouts', verb: 'list' } },
    },
  ]);
  return { user, reads, refused, ssar };
}

/** ctx: {runDir, rbacNamespace} */
export async function run(ctx) {
  const ns = ctx.rbacNamespace;
  const details = { identities: {} };
  const problems = [];
  for (const identity of ['plugin', 'plugin-token-request']) {
    const client = KubeClient.fromRunDir(ctx.runDir, identity);
    try {
      const r = await checkIdentity(client, ns);
      const readFailures = r.reads.filter((x) => x.status !== 200);
      const notRefused = r.refused.filter((x) => x.status !== 403);
      details.identities[identity] = {
        user: r.user,
        reads: r.reads.length,
        readFailures,
        refused: r.refused.length,
        notRefused,
        selfSubjectAccessReview: r.ssar.status,
      };
      if (r.user !== EXPECTED_USER) {
        problems.push(`${identity}: authenticated as ${r.user}, expected ${EXPECTED_USER}`);
      }
      if (readFailures.length) {
        problems.push(`${identity}: ${readFailures.length} reads not allowed`);
      }
      if (notRefused.length) {
        problems.push(`${identity}: ${notRefused.length} requests not refused with 403`);
      }
      if (r.ssar.status !== 201) {
        problems.push(`${identity}: SelfSubjectAccessReview answered ${r.ssar.status}`);
      }
    } finally {
      client.close();
    }
  }
  details.checkedReads = readRequests(ns).map(([m, p]) => `${m} ${p}`);
  details.checkedRefusals = refusedRequests(ns).map(([m, p]) => `${m} ${p}`);
  if (problems.length) {
    throw new CheckFailure(problems.join('; '), details);
  }
  return details;
}
