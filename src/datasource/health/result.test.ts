import { buildHealthResult } from './result';
import type { AccessOutcome, HealthChecks, ReadCheck, RiskCheck } from './types';

const ALLOWED: AccessOutcome = { state: 'allowed' };
const DENIED: AccessOutcome = { state: 'denied' };

const READ_KINDS: Array<[string, boolean]> = [
  ['rollouts.argoproj.io', false],
  ['analysisruns.argoproj.io', false],
  ['experiments.argoproj.io', true],
  ['replicasets.apps', false],
  ['events', false],
  ['namespaces', true],
];

function reads(outcomeOf: (resource: string) => AccessOutcome = () => ALLOWED, namespace?: string): ReadCheck[] {
  return READ_KINDS.map(([resource, optional]) => ({
    resource,
    optional,
    namespace: resource === 'namespaces' ? undefined : namespace,
    outcome: outcomeOf(resource),
  }));
}

function risks(allowed: (check: Omit<RiskCheck, 'outcome'>) => boolean = () => false): RiskCheck[] {
  const checks: Array<Omit<RiskCheck, 'outcome'>> = [
    { risk: 'readsSecrets', verb: 'get', resource: 'secrets' },
    { risk: 'readsSecrets', verb: 'list', resource: 'secrets' },
    ...['create', 'update', 'patch', 'delete'].map((verb) => ({
      risk: 'writes' as const,
      verb,
      resource: 'rollouts.argoproj.io',
    })),
    { risk: 'writes', verb: '*', resource: '*' },
  ];
  return checks.map((check) => ({ ...check, outcome: allowed(check) ? ALLOWED : DENIED }));
}

function healthy(overrides: Partial<HealthChecks> = {}): HealthChecks {
  return {
    connection: { ok: true, version: 'v1.34.1' },
    argo: {
      ok: true,
      groupVersion: 'argoproj.io/v1alpha1',
      served: ['rollouts', 'analysisruns', 'experiments'],
      missing: [],
    },
    invalidNamespaces: [],
    reads: reads(),
    risks: risks(),
    ...overrides,
  };
}

describe('buildHealthResult', () => {
  it('reports success with the version and every check when all is well', () => {
    expect(buildHealthResult(healthy())).toEqual({
      status: 'success',
      message: 'Connected to Kubernetes v1.34.1 with Argo Rollouts; 6/6 resources readable',
      details: {
        verboseMessage: [
          '✓ API server reachable: Kubernetes v1.34.1',
          '✓ Argo Rollouts API argoproj.io/v1alpha1 serves rollouts, analysisruns, experiments',
          '✓ list rollouts.argoproj.io in all namespaces',
          '✓ list analysisruns.argoproj.io in all namespaces',
          '✓ list experiments.argoproj.io in all namespaces',
          '✓ list replicasets.apps in all namespaces',
          '✓ list events in all namespaces',
          '✓ list namespaces in all namespaces',
          '✓ cannot read Secrets',
          '✓ cannot change objects',
        ].join('\n'),
      },
    });
  });

  it('reports the connection error alone when the API server cannot be reached', () => {
    const result = buildHealthResult({
      connection: { ok: false, failure: { kind: 'unreachable', message: 'Grafana could not connect (HTTP 502).' } },
      invalidNamespaces: [],
      reads: [],
      risks: [],
    });

    expect(result).toEqual({
      status: 'error',
      message: 'Grafana could not connect (HTTP 502).',
      details: { verboseMessage: '✗ API server: Grafana could not connect (HTTP 502).' },
    });
  });

  it('fails with the CRD message when argoproj.io is not served', () => {
    const message = 'This cluster does not serve the argoproj.io API: the Argo Rollouts CRDs are not installed.';
    const result = buildHealthResult(
      healthy({ argo: { ok: false, groupVersion: 'argoproj.io/v1alpha1', failure: { kind: 'crdMissing', message } } })
    );

    expect(result.status).toBe('error');
    expect(result.message).toBe(message);
    expect(result.details?.message).toBe('Connected to Kubernetes v1.34.1; 6/6 resources readable');
  });

  it('fails naming the resource, the namespace and the fix when a required list is denied', () => {
    const result = buildHealthResult(
      healthy({ reads: reads((resource) => (resource === 'replicasets.apps' ? DENIED : ALLOWED), 'payments') })
    );

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'This identity cannot list replicasets.apps in namespace payments. Grant it with the read-only ClusterRole ' +
        'from deploy/ bound by a RoleBinding in "payments" (or by a ClusterRoleBinding for every namespace), or ' +
        'with the namespaced Role variant from deploy/.'
    );
    expect(result.details?.verboseMessage).toContain('✗ cannot list replicasets.apps in namespace payments');
    expect(result.details?.message).toBe('Connected to Kubernetes v1.34.1 with Argo Rollouts; 5/6 resources readable');
  });

  it('warns when only an optional kind is not readable', () => {
    const result = buildHealthResult(
      healthy({
        reads: reads((resource) => (resource === 'namespaces' ? { state: 'denied', reason: 'no rule' } : ALLOWED)),
      })
    );

    expect(result.status).toBe('warning');
    expect(result.message).toBe(
      'Connected to Kubernetes v1.34.1 with Argo Rollouts; 5/6 resources readable. Cannot list namespaces in all namespaces (no rule).'
    );
    expect(result.details?.verboseMessage).toContain('! cannot list namespaces in all namespaces (no rule)');
  });

  it('warns that viewers borrow the access when the identity can read Secrets', () => {
    const result = buildHealthResult(healthy({ risks: risks((check) => check.resource === 'secrets') }));

    expect(result.status).toBe('warning');
    expect(result.message).toBe(
      'Connected to Kubernetes v1.34.1 with Argo Rollouts; 6/6 resources readable. This identity can read Secrets, ' +
        'and every viewer of this data source borrows its access. Use a ServiceAccount bound only to the read-only ' +
        'ClusterRole (or Role) from deploy/.'
    );
    expect(result.details?.verboseMessage).toContain(
      '! can get secrets in all namespaces: every viewer of this data source borrows this access'
    );
    expect(result.details?.verboseMessage).toContain('✓ cannot change objects');
  });

  it('warns about write access such as a wildcard role', () => {
    const result = buildHealthResult(healthy({ risks: risks(() => true) }));

    expect(result.status).toBe('warning');
    expect(result.message).toContain('This identity can read Secrets and change objects');
    expect(result.details?.verboseMessage).toContain('! can do everything (* on *) in all namespaces');
    expect(result.details?.verboseMessage).toContain('! can patch rollouts.argoproj.io in all namespaces');
  });

  it('keeps an error ahead of a warning', () => {
    const result = buildHealthResult(
      healthy({ reads: reads((resource) => (resource === 'events' ? DENIED : ALLOWED)), risks: risks(() => true) })
    );

    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /^This identity cannot list events in all namespaces\. Grant it with a ClusterRoleBinding/
    );
  });

  it('warns once when no access review could run', () => {
    const unknown: AccessOutcome = { state: 'unknown', failure: { kind: 'notFound', message: 'no SSAR route' } };
    const result = buildHealthResult(
      healthy({
        reads: reads(() => unknown),
        risks: risks().map((check) => ({ ...check, outcome: unknown })),
      })
    );

    expect(result.status).toBe('warning');
    expect(result.message).toBe(
      'Connected to Kubernetes v1.34.1 with Argo Rollouts. Could not check what this identity may read: no SSAR route'
    );
    expect(result.details?.verboseMessage?.split('\n')).toEqual([
      '✓ API server reachable: Kubernetes v1.34.1',
      '✓ Argo Rollouts API argoproj.io/v1alpha1 serves rollouts, analysisruns, experiments',
      '! could not run access reviews (SelfSubjectAccessReview): no SSAR route',
    ]);
  });

  it('fails on a default namespace that is not a valid name', () => {
    const result = buildHealthResult(healthy({ invalidNamespaces: ['Payments'] }));

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'The default namespace "Payments" is not a valid namespace name; fix it in the data source settings.'
    );
  });

  it('warns when the Argo Rollouts API lacks experiments', () => {
    const result = buildHealthResult(
      healthy({
        argo: {
          ok: true,
          groupVersion: 'argoproj.io/v1alpha1',
          served: ['rollouts', 'analysisruns'],
          missing: ['experiments'],
        },
      })
    );

    expect(result.status).toBe('warning');
    expect(result.details?.verboseMessage).toContain(
      '! Argo Rollouts API argoproj.io/v1alpha1 serves rollouts, analysisruns, but not experiments'
    );
  });

  it('lists the namespaces of a check that covers several', () => {
    const perNamespace = ['payments', 'orders']
      .flatMap((namespace) => reads(() => ALLOWED, namespace))
      .filter(
        (check, index, all) =>
          all.findIndex((other) => other.resource === check.resource && other.namespace === check.namespace) === index
      );
    const result = buildHealthResult(healthy({ reads: perNamespace }));

    expect(result.details?.verboseMessage).toContain('✓ list rollouts.argoproj.io in namespaces payments, orders');
    expect(result.message).toBe('Connected to Kubernetes v1.34.1 with Argo Rollouts; 6/6 resources readable');
  });
});

describe('buildHealthResult: watching', () => {
  const WATCHED = [
    'rollouts.argoproj.io',
    'analysisruns.argoproj.io',
    'experiments.argoproj.io',
    'replicasets.apps',
    'events',
  ];
  const watch = (outcomeOf: (resource: string) => AccessOutcome = () => ALLOWED) => ({
    streaming: true,
    reviews: WATCHED.map((resource) => ({ resource, outcome: outcomeOf(resource) })),
    fallbacks: [],
  });
  const lines = (checks: HealthChecks) => String(buildHealthResult(checks).details?.verboseMessage).split('\n');

  it('says that panels update live when every kind may be watched and the data source can stream', () => {
    const result = buildHealthResult(healthy({ watch: watch() }));
    expect(result.status).toBe('success');
    expect(lines(healthy({ watch: watch() })).slice(-1)).toEqual([
      '✓ watch rollouts.argoproj.io, analysisruns.argoproj.io, experiments.argoproj.io, replicasets.apps, events: panels update as the cluster changes',
    ]);
  });

  it('warns, naming the kind, when the identity may list but not watch it', () => {
    const checks = healthy({ watch: watch((resource) => (resource === 'events' ? DENIED : ALLOWED)) });
    const result = buildHealthResult(checks);
    expect(result.status).toBe('warning');
    expect(result.message).toBe(
      'Connected to Kubernetes v1.34.1 with Argo Rollouts; 6/6 resources readable. Cannot watch events in all namespaces: the panels list again at every refresh and do not update by themselves (grant the watch verb, as deploy/ does).'
    );
    expect(lines(checks).filter((line) => line.includes('watch'))).toEqual([
      '! cannot watch events in all namespaces: the panels list again at every refresh and do not update by themselves (grant the watch verb, as deploy/ does)',
    ]);
  });

  it('warns when the data source cannot stream, and names scopes that fell back to lists with the reason', () => {
    const noStream = healthy({ watch: { ...watch(), streaming: false } });
    expect(buildHealthResult(noStream).status).toBe('warning');
    expect(lines(noStream).slice(-1)).toEqual([
      '! this data source cannot stream responses, so it cannot watch: the panels list again at every refresh and do not update by themselves',
    ]);
    const fellBack = healthy({
      watch: {
        ...watch(),
        fallbacks: [{ resource: 'events', namespace: 'shop', reason: 'watching failed 5 times: HTTP 502' }],
      },
    });
    expect(lines(fellBack).slice(-1)).toEqual([
      '! events in namespace shop is read by a list at every refresh: watching failed 5 times: HTTP 502',
    ]);
    expect(lines(fellBack).some((line) => line.startsWith('✓ watch'))).toBe(false);
  });
});
