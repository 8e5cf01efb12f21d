import {
  classifyFailure,
  deadlinePassedError,
  describeRequest,
  KubeError,
  parseForbiddenMessage,
  type RequestContext,
} from './errors';

const listRollouts: RequestContext = {
  path: '/apis/argoproj.io/v1alpha1/namespaces/payments/rollouts',
  verb: 'list',
  resource: 'rollouts.argoproj.io',
  namespace: 'payments',
};
const listEvents: RequestContext = { path: '/api/v1/events', verb: 'list', resource: 'events' };

const FORBIDDEN_IN_NAMESPACE = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'rollouts.argoproj.io is forbidden: User "system:serviceaccount:rollout-lens:rollout-lens-reader" cannot list ' +
    'resource "rollouts" in API group "argoproj.io" in the namespace "payments"',
  reason: 'Forbidden',
  details: { group: 'argoproj.io', kind: 'rollouts' },
  code: 403,
};

describe('classifyFailure', () => {
  it('returns KubeErrors that keep the HTTP status and path', () => {
    const error = classifyFailure({ status: 500, data: '' }, listRollouts);
    expect(error).toBeInstanceOf(KubeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(500);
    expect(error.path).toBe(listRollouts.path);
  });

  it('reads Grafana\u2019s 400 "Authentication to data source failed" as a rejected token', () => {
    const error = classifyFailure({ status: 400, data: 'Authentication to data source failed' }, listRollouts);
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/create a new ServiceAccount token/i);
  });

  it('reads a plain 401 as a rejected token too', () => {
    expect(classifyFailure({ status: 401, data: { message: 'Unauthorized' } }, listRollouts).kind).toBe('unauthorized');
  });

  it('reads Grafana\u2019s "Unable to load TLS certificate" as a TLS settings problem', () => {
    const error = classifyFailure({ status: 400, data: { message: 'Unable to load TLS certificate' } }, listRollouts);
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/PEM/);
  });

  it('reads an empty 502 as an unreachable API server and names the settings to check', () => {
    const error = classifyFailure({ status: 502, data: '' }, listRollouts);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/API server URL/);
    expect(error.message).toMatch(/TLS server name/);
  });

  it('reads an empty 504 as a timeout', () => {
    expect(classifyFailure({ status: 504, data: '' }, listRollouts).kind).toBe('timeout');
  });

  it('reads a failure without any HTTP status as unreachable', () => {
    expect(classifyFailure({ status: undefined }, listRollouts).kind).toBe('unreachable');
  });

  it('names user, verb, resource and namespace of an RBAC refusal and how to grant it', () => {
    const error = classifyFailure({ status: 403, data: FORBIDDEN_IN_NAMESPACE }, listRollouts);
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(
      'Kubernetes RBAC does not allow "system:serviceaccount:rollout-lens:rollout-lens-reader" to list ' +
        'rollouts.argoproj.io in namespace "payments". Grant it with the read-only ClusterRole from deploy/ bound by ' +
        'a RoleBinding in "payments" (or by a ClusterRoleBinding for every namespace), or with the namespaced Role ' +
        'variant from deploy/.'
    );
    expect(error.detail).toBe(FORBIDDEN_IN_NAMESPACE.message);
    expect(error.kubeStatus).toEqual(FORBIDDEN_IN_NAMESPACE);
  });

  it('suggests a ClusterRoleBinding or default namespaces for a refusal at cluster scope', () => {
    const body = {
      ...FORBIDDEN_IN_NAMESPACE,
      message:
        'events is forbidden: User "system:serviceaccount:rollout-lens:rollout-lens-reader" cannot list resource ' +
        '"events" in API group "" at the cluster scope',
      details: { kind: 'events' },
    };
    const error = classifyFailure({ status: 403, data: body }, listEvents);
    expect(error.message).toMatch(/to list events across all namespaces \(cluster scope\)/);
    expect(error.message).toMatch(/ClusterRoleBinding/);
    expect(error.message).toMatch(/default namespaces/);
  });

  it('falls back to the request when a 403 does not come from Kubernetes', () => {
    const error = classifyFailure({ status: 403, data: { message: 'plugin proxy route access denied' } }, listRollouts);
    expect(error.kind).toBe('forbidden');
    expect(error.message).toMatch(/before it reached Kubernetes: plugin proxy route access denied/);
  });

  it('reads a 404 under argoproj.io as missing Argo Rollouts CRDs', () => {
    const error = classifyFailure({ status: 404, data: '404 page not found' }, listRollouts);
    expect(error.kind).toBe('crdMissing');
  });

  it('reads a 404 Status elsewhere as notFound', () => {
    const body = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'namespaces "x" not found',
      code: 404,
    };
    expect(classifyFailure({ status: 404, data: body }, listEvents).kind).toBe('notFound');
  });

  it('reads an HTML 404 outside argoproj.io as a URL that is no API server', () => {
    const error = classifyFailure({ status: 404, data: '<html><body>Not Found</body></html>' }, listEvents);
    expect(error.kind).toBe('badResponse');
    expect(error.message).toMatch(/does not look like a Kubernetes API server/);
  });

  it('keeps the Kubernetes message of a rejected selector', () => {
    const body = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: "unable to parse requirement: found '=', expected: identifier",
      reason: 'BadRequest',
      code: 400,
    };
    const error = classifyFailure({ status: 400, data: body }, listRollouts);
    expect(error.kind).toBe('invalidRequest');
    expect(error.message).toMatch(/unable to parse requirement/);
    expect(error.message).toMatch(/label selector/);
  });

  it('reads 429 as tooManyRequests and 410 as expired', () => {
    expect(classifyFailure({ status: 429, data: '' }, listRollouts).kind).toBe('tooManyRequests');
    expect(classifyFailure({ status: 410, data: '' }, listRollouts).kind).toBe('expired');
  });

  it('reads a Kubernetes 504 Timeout Status as a timeout with its message', () => {
    const body = {
      kind: 'Status',
      message: 'Timeout: request did not complete within requested timeout',
      reason: 'Timeout',
      code: 504,
    };
    const error = classifyFailure({ status: 504, data: body }, listRollouts);
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/request did not complete/);
  });
});

describe('parseForbiddenMessage', () => {
  it('leaves parts undefined when the sentence has another shape', () => {
    expect(parseForbiddenMessage('forbidden')).toEqual({
      user: undefined,
      verb: undefined,
      resource: undefined,
      group: undefined,
      namespace: undefined,
      clusterScope: false,
    });
  });
});

describe('messages that name the request', () => {
  it('describes a list by verb, resource and scope, and anything else by method and path', () => {
    expect(describeRequest(listRollouts)).toBe(
      'list rollouts.argoproj.io in namespace "payments" (GET /apis/argoproj.io/v1alpha1/namespaces/payments/rollouts)'
    );
    expect(describeRequest(listEvents)).toBe('list events in all namespaces (GET /api/v1/events)');
    expect(describeRequest({ path: '/version', verb: 'get' })).toBe('GET /version');
  });

  it('says which limit ended a request that got no answer', () => {
    expect(classifyFailure({ timedOut: { afterMs: 15_000, limit: 'request' } }, listEvents)).toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(
        /^The Kubernetes API server did not answer list events in all namespaces \(GET \/api\/v1\/events\) within 15 s, the request timeout of this data source\. /
      ),
    });
    expect(classifyFailure({ timedOut: { afterMs: 4_250, limit: 'deadline' } }, listEvents).message).toMatch(
      /^The Kubernetes API server did not answer list events in all namespaces \(GET \/api\/v1\/events\) within 4\.3 s\. Check/
    );
  });

  it('names the request and the log line that says why for an empty 502', () => {
    const error = classifyFailure({ status: 502, data: '' }, listEvents);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(
      /^Grafana could not connect to the Kubernetes API server, or could not verify its TLS certificate \(HTTP 502 Bad Gateway\), for list events in all namespaces \(GET \/api\/v1\/events\)\. .*"x509: certificate signed by unknown authority"/
    );
  });

  it('points at the request timeout when Grafana\u2019s proxy gave up first (504)', () => {
    expect(classifyFailure({ status: 504, data: '' }, listEvents).message).toMatch(
      /\(HTTP 504 Gateway Timeout from Grafana's data source proxy, which waits 10 s to connect and for the TLS handshake, then 30 s for the answer unless its Timeout is set\)\. Keep the request timeout of this data source below that Timeout/
    );
  });

  it('names the throttled request and where a cluster admin looks', () => {
    expect(
      classifyFailure({ status: 429, data: 'Too many requests, please try again later.' }, listEvents)
    ).toMatchObject({
      kind: 'tooManyRequests',
      message: expect.stringMatching(
        /^The Kubernetes API server is throttling this identity \(HTTP 429 Too Many Requests\) for list events in all namespaces .* API Priority and Fairness/
      ),
    });
  });

  it('says when the deadline left no time to send a request', () => {
    expect(deadlinePassedError(listEvents, 45).message).toBe(
      'The query deadline of 45 s (a data source setting) passed before list events in all namespaces ' +
        "(GET /api/v1/events) could be sent: the requests before it took all the time. Check the API server's " +
        'load, or raise the query deadline.'
    );
  });
});
