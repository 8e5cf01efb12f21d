/**
 * @jest-environment node
 */
import type { SelfSubjectAccessReview } from 'kubernetes-types/authorization/v1';

import { KubeClient } from '../kube/client';
import {
  grafanaAuthenticationFailed,
  type Handler,
  notFound,
  type Reply,
  routes,
  startStandInApiServer,
  type StandInApiServer,
} from '../kube/testing/stand-in-api-server';
import { standInBackendSrvFetch } from '../kube/testing/stand-in-backend-srv';

import { checkHealth, configuredNamespaces, planAccessReviews } from './checkHealth';

const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

type Attributes = NonNullable<NonNullable<SelfSubjectAccessReview['spec']>['resourceAttributes']>;

/** A tiny authorizer: answers each review with `allows(attributes)`, as the API server would. */
function accessReviews(allows: (attributes: Attributes) => boolean): Handler {
  return (request): Reply => {
    const review = request.body as SelfSubjectAccessReview;
    const attributes = review.spec?.resourceAttributes ?? {};
    return {
      status: 201,
      body: {
        ...review,
        metadata: {},
        status: { allowed: allows(attributes), reason: allows(attributes) ? 'RBAC: allowed' : '' },
      },
    };
  };
}

const readOnlyInPayments = (attributes: Attributes) =>
  ['get', 'list', 'watch'].includes(attributes.verb ?? '') &&
  attributes.resource !== 'secrets' &&
  (attributes.namespace === 'payments' || attributes.resource === 'namespaces');

function apiServer(authorizer: Handler, extra: Record<string, Handler> = {}): Handler {
  return routes({
    'GET /version': () => ({
      status: 200,
      body: { major: '1', minor: '34', gitVersion: 'v1.34.1', platform: 'linux/amd64' },
    }),
    'GET /apis/argoproj.io/v1alpha1': () => ({
      status: 200,
      body: {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'argoproj.io/v1alpha1',
        resources: [
          'rollouts',
          'rollouts/status',
          'rollouts/scale',
          'analysisruns',
          'experiments',
          'analysistemplates',
        ].map((name) => ({ name, namespaced: true, kind: 'X', verbs: ['get', 'list'] })),
      },
    }),
    [`POST ${SSAR_PATH}`]: authorizer,
    ...extra,
  });
}

let server: StandInApiServer | undefined;

async function clientFor(handler: Handler) {
  server = await startStandInApiServer(handler);
  const client = new KubeClient({ baseUrl: server.baseUrl, fetch: standInBackendSrvFetch(), sleep: async () => {} });
  return { server, client };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('checkHealth against the stand-in API server', () => {
  it('succeeds for a read-only identity in its configured namespace, and never reads a Secret', async () => {
    const { client, server } = await clientFor(apiServer(accessReviews(readOnlyInPayments)));

    const result = await checkHealth(client, { defaultNamespaces: ['payments'] });

    expect(result.status).toBe('success');
    expect(result.message).toBe('Connected to Kubernetes v1.34.1 with Argo Rollouts; 6/6 resources readable');
    const paths = new Set(server.requests.map((request) => `${request.method} ${request.path}`));
    expect(paths).toEqual(new Set(['GET /version', 'GET /apis/argoproj.io/v1alpha1', `POST ${SSAR_PATH}`]));
    const reviewed = server.requests
      .filter((request) => request.method === 'POST')
      .map((request) => (request.body as SelfSubjectAccessReview).spec?.resourceAttributes);
    expect(reviewed).toContainEqual({
      verb: 'list',
      group: 'argoproj.io',
      resource: 'rollouts',
      namespace: 'payments',
    });
    expect(reviewed).toContainEqual({ verb: 'get', group: '', resource: 'secrets', namespace: 'payments' });
  });

  it('fails when the identity cannot list cluster-wide and no default namespaces are set', async () => {
    const { client } = await clientFor(apiServer(accessReviews(readOnlyInPayments)));

    const result = await checkHealth(client, {});

    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^This identity cannot list rollouts\.argoproj\.io in all namespaces\./);
    expect(result.details?.verboseMessage).toContain('✓ list namespaces in all namespaces');
  });

  it('warns when the identity can read Secrets', async () => {
    const { client } = await clientFor(
      apiServer(accessReviews((attributes) => ['get', 'list', 'watch'].includes(attributes.verb ?? '')))
    );

    const result = await checkHealth(client, {});

    expect(result.status).toBe('warning');
    expect(result.message).toMatch(
      /This identity can read Secrets, and every viewer of this data source borrows its access/
    );
  });

  it('reports the rejected token when Grafana answers Authentication to data source failed', async () => {
    const { client } = await clientFor(() => grafanaAuthenticationFailed());

    const result = await checkHealth(client, {});

    expect(result.status).toBe('error');
    expect(result.message).toMatch(/The API server rejected the token/);
  });

  it('fails with the CRD hint when argoproj.io is not served', async () => {
    const { client } = await clientFor(
      apiServer(
        accessReviews(() => false),
        { 'GET /apis/argoproj.io/v1alpha1': () => notFound() }
      )
    );

    const result = await checkHealth(client, {});

    expect(result.status).toBe('error');
    expect(result.message).toMatch(/Argo Rollouts CRDs are not installed/);
  });
});

describe('configuredNamespaces', () => {
  it('trims, drops blanks and duplicates, and separates invalid names', () => {
    expect(configuredNamespaces({ defaultNamespaces: [' payments ', '', 'payments', 'Orders', 'orders'] })).toEqual({
      valid: ['payments', 'orders'],
      invalid: ['Orders'],
    });
  });
});

describe('planAccessReviews', () => {
  it('reviews namespaced kinds per namespace and namespaces once at cluster scope', () => {
    const { reads } = planAccessReviews(['payments', 'orders']);

    const requests = reads.map((planned) => planned.review);
    expect(requests.filter((request) => request.resource === 'rollouts').map((request) => request.namespace)).toEqual([
      'payments',
      'orders',
    ]);
    expect(requests.filter((request) => request.resource === 'namespaces')).toEqual([
      { verb: 'list', group: '', resource: 'namespaces', namespace: undefined },
    ]);
    expect(requests.every((request) => request.verb === 'list')).toBe(true);
  });

  it('checks secrets and writes in each scope', () => {
    const { risks } = planAccessReviews([undefined]);

    expect(risks.map((planned) => `${planned.review.verb} ${planned.review.group}/${planned.review.resource}`)).toEqual(
      [
        'get /secrets',
        'list /secrets',
        'create argoproj.io/rollouts',
        'update argoproj.io/rollouts',
        'patch argoproj.io/rollouts',
        'delete argoproj.io/rollouts',
        '* */*',
      ]
    );
  });
});
