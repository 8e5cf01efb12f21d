import {
  ANALYSIS_RUNS,
  EVENTS,
  EXPERIMENTS,
  groupVersionPath,
  isValidNamespace,
  isValidObjectName,
  listPath,
  NAMESPACES,
  objectPath,
  qualifiedName,
  READ_RESOURCES,
  REPLICA_SETS,
  ROLLOUTS,
} from './resources';

describe('listPath', () => {
  it.each([
    [ROLLOUTS, undefined, '/apis/argoproj.io/v1alpha1/rollouts'],
    [ROLLOUTS, 'payments', '/apis/argoproj.io/v1alpha1/namespaces/payments/rollouts'],
    [ANALYSIS_RUNS, 'payments', '/apis/argoproj.io/v1alpha1/namespaces/payments/analysisruns'],
    [EXPERIMENTS, undefined, '/apis/argoproj.io/v1alpha1/experiments'],
    [REPLICA_SETS, 'payments', '/apis/apps/v1/namespaces/payments/replicasets'],
    [EVENTS, 'payments', '/api/v1/namespaces/payments/events'],
    [EVENTS, undefined, '/api/v1/events'],
    [NAMESPACES, undefined, '/api/v1/namespaces'],
  ])('builds the path of %o in namespace %s', (resource, namespace, expected) => {
    expect(listPath(resource, namespace)).toBe(expected);
  });

  it('treats an empty namespace as all namespaces', () => {
    expect(listPath(ROLLOUTS, '')).toBe('/apis/argoproj.io/v1alpha1/rollouts');
  });

  it.each([
    '../secrets',
    'payments/../../api',
    'Payments',
    'pay ments',
    'payments?x=1',
    'payments%2F..',
    '-payments',
    'a'.repeat(64),
  ])('rejects the namespace %j', (namespace) => {
    expect(() => listPath(ROLLOUTS, namespace)).toThrow(RangeError);
  });

  it('rejects a namespace for a cluster-scoped kind', () => {
    expect(() => listPath(NAMESPACES, 'payments')).toThrow(/not namespaced/);
  });
});

describe('objectPath', () => {
  it('appends a valid name to the collection path', () => {
    expect(objectPath(ROLLOUTS, 'checkout-api', 'payments')).toBe(
      '/apis/argoproj.io/v1alpha1/namespaces/payments/rollouts/checkout-api'
    );
    expect(objectPath(NAMESPACES, 'payments')).toBe('/api/v1/namespaces/payments');
  });

  it.each(['..', 'a/b', 'checkout api', 'x?watch=true', ''])('rejects the name %j', (name) => {
    expect(() => objectPath(ROLLOUTS, name, 'payments')).toThrow(RangeError);
  });

  it('needs a namespace for a namespaced kind', () => {
    expect(() => objectPath(ROLLOUTS, 'checkout-api')).toThrow(/namespaced/);
  });
});

describe('name validation', () => {
  it('accepts DNS-1123 labels as namespaces and subdomains as object names', () => {
    expect(isValidNamespace('kube-system')).toBe(true);
    expect(isValidNamespace('a'.repeat(63))).toBe(true);
    expect(isValidObjectName('checkout-api.17f3a5b2c4d6e8f0')).toBe(true);
    expect(isValidObjectName('a.'.repeat(127) + 'a')).toBe(false);
  });
});

describe('resource descriptors', () => {
  it('lists the six kinds the plugin reads', () => {
    expect(READ_RESOURCES.map(qualifiedName)).toEqual([
      'rollouts.argoproj.io',
      'analysisruns.argoproj.io',
      'experiments.argoproj.io',
      'replicasets.apps',
      'events',
      'namespaces',
    ]);
  });

  it('maps the core group to /api and named groups to /apis', () => {
    expect(groupVersionPath('', 'v1')).toBe('/api/v1');
    expect(groupVersionPath('apps', 'v1')).toBe('/apis/apps/v1');
  });
});
