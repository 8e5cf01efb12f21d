/**
 * @jest-environment node
 */
import {
  AUTH_PROVIDER_KUBECONFIG,
  CA_PEM,
  CLIENT_CERT_KUBECONFIG,
  CLIENT_CERT_PEM,
  CLIENT_KEY_PEM,
  EXEC_KUBECONFIG,
  TOKEN,
  TOKEN_KUBECONFIG,
  TWO_CONTEXTS_KUBECONFIG,
  base64,
  kubeconfigWithUser,
} from './__fixtures__/kubeconfigs';
import {
  type ContextImportResult,
  type Kubeconfig,
  decodePemData,
  defaultContextName,
  importKubeconfigContext,
  parseKubeconfig,
} from './kubeconfig';

function parsed(text: string): Kubeconfig {
  const result = parseKubeconfig(text);
  if (!result.ok) {
    throw new Error(`fixture did not parse: ${result.message}`);
  }
  return result.kubeconfig;
}

function problemsOf(result: ContextImportResult): string[] {
  if (result.ok) {
    throw new Error('expected the import to fail');
  }
  return result.problems;
}

function importCurrent(text: string): ContextImportResult {
  const kubeconfig = parsed(text);
  return importKubeconfigContext(kubeconfig, defaultContextName(kubeconfig));
}

describe('parseKubeconfig', () => {
  it('lists the contexts with their cluster, user and namespace, and the current context', () => {
    const kubeconfig = parsed(TWO_CONTEXTS_KUBECONFIG);
    expect(kubeconfig.contexts).toEqual([
      { name: 'prod', cluster: 'prod-cluster', user: 'prod-reader', namespace: 'payments' },
      { name: 'staging', cluster: 'staging-cluster', user: 'staging-admin', namespace: undefined },
    ]);
    expect(kubeconfig.currentContext).toBe('staging');
  });

  it('preselects the first context when current-context names none of them', () => {
    const kubeconfig = parsed(TWO_CONTEXTS_KUBECONFIG.replace('current-context: staging', 'current-context: gone'));
    expect(kubeconfig.currentContext).toBeUndefined();
    expect(defaultContextName(kubeconfig)).toBe('prod');
  });

  it('accepts a kubeconfig written as JSON', () => {
    const json = JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://c.example.com' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      users: [{ name: 'u', user: { token: 't' } }],
    });
    expect(parsed(json).contexts.map((context) => context.name)).toEqual(['ctx']);
  });

  it.each([
    ['broken YAML', 'clusters: [ {name: a', /^This is not valid YAML: /],
    ['two YAML documents', 'a: 1\n---\nb: 2\n', /^This is not valid YAML: /],
    ['plain text', 'hello world', /^This is not a kubeconfig/],
    ['a list', '- a\n- b\n', /^This is not a kubeconfig/],
    ['a mapping without clusters and contexts', 'foo: bar\n', /^This is not a kubeconfig/],
    [
      'a Kubernetes manifest',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
      /This is a Kubernetes Deployment, not a kubeconfig/,
    ],
    ['a kubeconfig without contexts', 'kind: Config\nclusters: []\ncontexts: []\n', /has no contexts/],
  ])('rejects %s with a message', (_label, text, message) => {
    const result = parseKubeconfig(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('reports an alias bomb as invalid YAML instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`
      );
    }
    const result = parseKubeconfig(lines.join('\n'));
    expect(result.ok).toBe(false);
  });
});

describe('importKubeconfigContext', () => {
  it('imports server, CA, cluster name and token of a token user', () => {
    const result = importCurrent(TOKEN_KUBECONFIG);
    expect(result).toEqual({
      ok: true,
      connection: {
        contextName: 'prod',
        apiServerUrl: 'https://prod.example.com:6443',
        clusterName: 'prod',
        tlsSkipVerify: false,
        serverName: undefined,
        caCert: CA_PEM,
        auth: { method: 'token', token: TOKEN },
        notes: [],
      },
    });
  });

  it('decodes the client certificate and key of a certificate user', () => {
    const result = importCurrent(CLIENT_CERT_KUBECONFIG);
    expect(result.ok && result.connection.auth).toEqual({
      method: 'clientCert',
      clientCert: CLIENT_CERT_PEM,
      clientKey: CLIENT_KEY_PEM,
    });
  });

  it('prefers the client certificate when a user also has a token, and says so', () => {
    const result = importCurrent(
      kubeconfigWithUser({
        token: TOKEN,
        'client-certificate-data': base64(CLIENT_CERT_PEM),
        'client-key-data': base64(CLIENT_KEY_PEM),
      })
    );
    expect(result.ok && result.connection.auth.method).toBe('clientCert');
    expect(result.ok && result.connection.notes).toEqual([expect.stringMatching(/also has a token/)]);
  });

  it('imports the chosen context, its TLS settings, and notes its namespace', () => {
    const kubeconfig = parsed(TWO_CONTEXTS_KUBECONFIG);
    const prod = importKubeconfigContext(kubeconfig, 'prod');
    expect(prod.ok && prod.connection).toMatchObject({
      apiServerUrl: 'https://prod.example.com:6443',
      clusterName: 'prod',
      serverName: 'kubernetes.default.svc',
      tlsSkipVerify: false,
      caCert: CA_PEM,
      auth: { method: 'token', token: `prod-${TOKEN}` },
      notes: [expect.stringMatching(/sets namespace "payments"/)],
    });
    const staging = importKubeconfigContext(kubeconfig, 'staging');
    expect(staging.ok && staging.connection).toMatchObject({
      apiServerUrl: 'https://staging.example.com',
      tlsSkipVerify: true,
      caCert: undefined,
      auth: { method: 'token', token: `staging-${TOKEN}` },
    });
  });

  it('imports a user without credentials as anonymous, with a note', () => {
    const result = importCurrent(kubeconfigWithUser({}));
    expect(result.ok && result.connection.auth).toEqual({ method: 'none' });
    expect(result.ok && result.connection.notes).toEqual([expect.stringMatching(/no credentials/)]);
  });

  it('notes a proxy-url that Grafana will not use', () => {
    const result = importCurrent(kubeconfigWithUser({ token: TOKEN }, { 'proxy-url': 'socks5://localhost:1080' }));
    expect(result.ok && result.connection.notes).toEqual([expect.stringMatching(/proxy-url/)]);
  });

  it('rejects an exec user, naming the command and pointing to a ServiceAccount token', () => {
    const [problem, ...others] = problemsOf(importCurrent(EXEC_KUBECONFIG));
    expect(others).toEqual([]);
    expect(problem).toMatch(/User "prod-user" gets its credentials by running a command \(aws\) \(exec\)/);
    expect(problem).toMatch(/browser-side data source cannot/);
    expect(problem).toMatch(/ServiceAccount token.*deploy\//);
  });

  it('rejects an auth-provider user, naming the provider and pointing to a ServiceAccount token', () => {
    const [problem] = problemsOf(importCurrent(AUTH_PROVIDER_KUBECONFIG));
    expect(problem).toMatch(/auth-provider plugin "gcp", which a browser-side data source cannot run/);
    expect(problem).toMatch(/ServiceAccount token.*deploy\//);
  });

  it.each([
    [
      'a tokenFile',
      { tokenFile: '/var/run/token' },
      /token from the file \/var\/run\/token, which a browser cannot read/,
    ],
    [
      'client certificate and key files',
      { 'client-certificate': '/home/me/.kube/me.crt', 'client-key': '/home/me/.kube/me.key' },
      /client certificate from the file \/home\/me\/\.kube\/me\.crt, which a browser cannot read\. Run `kubectl config view --raw --minify --flatten --context prod`/,
    ],
    ['basic auth', { username: 'admin', password: 'secret' }, /basic authentication/],
    ['impersonation', { token: TOKEN, as: 'system:admin' }, /impersonates/],
    ['a certificate without key', { 'client-certificate-data': base64(CLIENT_CERT_PEM) }, /certificate without a key/],
    [
      'client-key-data that is not base64 PEM',
      { 'client-certificate-data': base64(CLIENT_CERT_PEM), 'client-key-data': 'not-base64!' },
      /client-key-data .* is not a base64-encoded PEM key/,
    ],
  ])('rejects a user with %s', (_label, user, message) => {
    expect(problemsOf(importCurrent(kubeconfigWithUser(user)))).toEqual(
      expect.arrayContaining([expect.stringMatching(message)])
    );
  });

  it('never repeats a password in its messages', () => {
    const problems = problemsOf(importCurrent(kubeconfigWithUser({ username: 'admin', password: 'hunter2' })));
    expect(problems.join(' ')).not.toContain('hunter2');
  });

  it('rejects a CA read from a file, saying a browser cannot read it', () => {
    const text = kubeconfigWithUser(
      { token: TOKEN },
      { 'certificate-authority-data': undefined, 'certificate-authority': '/etc/k8s/ca.crt' }
    );
    expect(problemsOf(importCurrent(text))).toEqual([
      expect.stringMatching(/CA certificate from the file \/etc\/k8s\/ca\.crt, which a browser cannot read/),
    ]);
  });

  it('rejects CA data that is not a base64-encoded PEM certificate', () => {
    const text = kubeconfigWithUser({ token: TOKEN }, { 'certificate-authority-data': base64('just text') });
    expect(problemsOf(importCurrent(text))).toEqual([
      expect.stringMatching(/certificate-authority-data .* is not a base64-encoded PEM/),
    ]);
  });

  it('rejects a server URL the data source cannot use, without repeating it', () => {
    const text = kubeconfigWithUser(
      { token: TOKEN },
      { server: 'https://admin:hunter2@rancher.example.com/k8s/clusters/c-1' }
    );
    const problems = problemsOf(importCurrent(text));
    expect(problems).toEqual([
      expect.stringMatching(/server URL of cluster "prod-cluster" cannot be used\. Remove the user name/),
    ]);
    expect(problems.join(' ')).not.toContain('hunter2');
  });

  it('rejects a cluster without server', () => {
    const text = kubeconfigWithUser({ token: TOKEN }, { server: undefined });
    expect(problemsOf(importCurrent(text))).toEqual([expect.stringMatching(/has no server URL/)]);
  });

  it('rejects a context whose cluster or user is missing', () => {
    const text = TWO_CONTEXTS_KUBECONFIG.replace('cluster: staging-cluster', 'cluster: gone').replace(
      'user: staging-admin',
      'user: nobody'
    );
    expect(importKubeconfigContext(parsed(text), 'staging')).toEqual({
      ok: false,
      problems: [
        'Context "staging" refers to cluster "gone", which is not in the kubeconfig.',
        'Context "staging" refers to user "nobody", which is not in the kubeconfig.',
      ],
    });
  });

  it('reports every problem at once', () => {
    const text = kubeconfigWithUser(
      { exec: { command: 'gke-gcloud-auth-plugin' } },
      { 'certificate-authority-data': undefined, 'certificate-authority': '/ca.crt' }
    );
    expect(problemsOf(importCurrent(text))).toHaveLength(2);
  });
});

describe('decodePemData', () => {
  it('decodes base64 of PEM, ignoring line breaks in the base64', () => {
    const encoded = base64(CA_PEM).replace(/(.{20})/g, '$1\n');
    expect(decodePemData(encoded)).toBe(CA_PEM);
  });

  it.each(['', 'not base64!', base64('plain text, no PEM')])('returns undefined for %j', (value) => {
    expect(decodePemData(value)).toBeUndefined();
  });
});
