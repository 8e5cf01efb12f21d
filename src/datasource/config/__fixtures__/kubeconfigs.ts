import { stringify } from 'yaml';

/** Fake credentials: shaped like the real thing, valid for nothing. */
export const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\n-----END CERTIFICATE-----\n';
export const CLIENT_CERT_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIIY2xpZW50LWNlcnQtZmFrZTAKBggqhkjOPQQDAjAjMSEw\n-----END CERTIFICATE-----\n';
export const CLIENT_KEY_PEM =
  '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIGNsaWVudC1rZXktZmFrZS1jbGllbnQta2V5LWZha2UtY2xpZW50oAoG\n-----END EC PRIVATE KEY-----\n';
export const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2UifQ.c2VydmljZWFjY291bnQtZmFrZQ.c2lnbmF0dXJl';

export const base64 = (text: string) => btoa(text);

/** One context `prod` → cluster `prod-cluster` (https://prod.example.com:6443, CA) → user `prod-user`. */
export function kubeconfigWithUser(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'prod',
    clusters: [
      {
        name: 'prod-cluster',
        cluster: {
          server: 'https://prod.example.com:6443',
          'certificate-authority-data': base64(CA_PEM),
          ...cluster,
        },
      },
    ],
    contexts: [{ name: 'prod', context: { cluster: 'prod-cluster', user: 'prod-user' } }],
    users: [{ name: 'prod-user', user }],
  });
}

export const TOKEN_KUBECONFIG = kubeconfigWithUser({ token: TOKEN });

export const CLIENT_CERT_KUBECONFIG = kubeconfigWithUser({
  'client-certificate-data': base64(CLIENT_CERT_PEM),
  'client-key-data': base64(CLIENT_KEY_PEM),
});

export const EXEC_KUBECONFIG = kubeconfigWithUser({
  exec: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', 'prod'],
  },
});

export const AUTH_PROVIDER_KUBECONFIG = kubeconfigWithUser({
  'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud' } },
});

/** Two contexts; `current-context` is `staging`. */
export const TWO_CONTEXTS_KUBECONFIG = `apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example.com:6443/
    certificate-authority-data: ${base64(CA_PEM)}
    tls-server-name: kubernetes.default.svc
- name: staging-cluster
  cluster:
    server: https://staging.example.com
    insecure-skip-tls-verify: true
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: prod-reader
    namespace: payments
- name: staging
  context:
    cluster: staging-cluster
    user: staging-admin
users:
- name: prod-reader
  user:
    token: prod-${TOKEN}
- name: staging-admin
  user:
    token: staging-${TOKEN}
`;
