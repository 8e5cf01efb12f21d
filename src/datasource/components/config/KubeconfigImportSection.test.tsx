/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { screen } from '@testing-library/react';

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
} from '../../config/__fixtures__/kubeconfigs';
import { makeSettings } from '../../config/__fixtures__/settings';
import type { RolloutLensSettings } from '../../config/settings';
import { renderConfigEditor } from './testHarness';

const kubeconfigField = () => screen.getByLabelText(/^Kubeconfig/);
const importButton = () => screen.getByRole('button', { name: 'Import' });

async function paste(user: ReturnType<typeof renderConfigEditor>['user'], text: string) {
  await user.click(kubeconfigField());
  await user.paste(text);
}

function expectNoSecretInJsonData(options: RolloutLensSettings) {
  const jsonData = JSON.stringify(options.jsonData);
  for (const line of [CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM, TOKEN].flatMap((secret) => secret.split('\n'))) {
    if (line !== '') {
      expect(jsonData).not.toContain(line);
    }
  }
}

/** jsdom has no IntersectionObserver; Grafana's Select menu uses one for its scroll shadows. */
class NoopIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

beforeAll(() => {
  Object.defineProperty(window, 'IntersectionObserver', {
    configurable: true,
    writable: true,
    value: NoopIntersectionObserver,
  });
});

describe('kubeconfig import', () => {
  it('is open for a new data source and folded away once a URL is set', () => {
    renderConfigEditor(makeSettings({ jsonData: { apiServerUrl: 'https://a.example.com' } }));
    expect(screen.queryByLabelText(/^Kubeconfig/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Expand section Import from kubeconfig' })).toBeInTheDocument();
  });

  it('imports a token user: URL, cluster name and CA flag in jsonData, token and CA in secureJsonData', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings());
    await paste(user, TOKEN_KUBECONFIG);
    await user.click(importButton());

    const options = latestOptions();
    expect(options.jsonData).toMatchObject({
      apiServerUrl: 'https://prod.example.com:6443',
      clusterName: 'prod',
      authMethod: 'token',
      tlsAuth: false,
      tlsAuthWithCACert: true,
      tlsSkipVerify: false,
    });
    expect(options.secureJsonData).toEqual({ token: TOKEN, tlsCACert: CA_PEM });
    expectNoSecretInJsonData(options);
    expect(screen.getByText('Imported context "prod"')).toBeInTheDocument();
    expect(screen.getByLabelText(/^API server URL/)).toHaveValue('https://prod.example.com:6443');
  });

  it('clears the pasted kubeconfig after the import and never puts it into the settings', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings());
    await paste(user, TOKEN_KUBECONFIG);
    await user.click(importButton());

    expect(kubeconfigField()).toHaveValue('');
    const saved = JSON.stringify(latestOptions());
    expect(saved).not.toContain('current-context');
    expect(saved).not.toContain('prod-user');
  });

  it('imports a client certificate user and turns tlsAuth on', async () => {
    const { user, latestOptions } = renderConfigEditor(
      makeSettings({ jsonData: { authMethod: 'token' }, secureJsonFields: { token: true } })
    );
    await paste(user, CLIENT_CERT_KUBECONFIG);
    await user.click(importButton());

    const options = latestOptions();
    expect(options.jsonData).toMatchObject({ authMethod: 'clientCert', tlsAuth: true });
    expect(options.secureJsonData).toEqual({
      token: '',
      tlsCACert: CA_PEM,
      tlsClientCert: CLIENT_CERT_PEM,
      tlsClientKey: CLIENT_KEY_PEM,
    });
    expect(options.secureJsonFields.token).toBe(false);
    expectNoSecretInJsonData(options);
  });

  it.each([
    [
      'an exec user',
      EXEC_KUBECONFIG,
      /gets its credentials by running a command \(aws\).*browser-side data source cannot do/,
    ],
    [
      'an auth-provider user',
      AUTH_PROVIDER_KUBECONFIG,
      /auth-provider plugin "gcp", which a browser-side data source cannot run/,
    ],
  ])(
    'rejects %s with a message pointing to a ServiceAccount token, changing nothing',
    async (_label, text, message) => {
      const { user, onOptionsChange } = renderConfigEditor(makeSettings());
      await paste(user, text);
      await user.click(importButton());

      expect(screen.getByText('Nothing was imported')).toBeInTheDocument();
      expect(screen.getByText(message)).toHaveTextContent(/ServiceAccount token.*deploy\//);
      expect(onOptionsChange).not.toHaveBeenCalled();
      expect(kubeconfigField()).toHaveValue(text);
    }
  );

  it('rejects text that is not a kubeconfig with a message, offering no import and changing nothing', async () => {
    const { user, onOptionsChange } = renderConfigEditor(makeSettings());
    await paste(user, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    expect(screen.getByText(/This is a Kubernetes Deployment, not a kubeconfig/)).toBeInTheDocument();
    expect(importButton()).toBeDisabled();
    await user.clear(kubeconfigField());
    await paste(user, 'clusters: [ {name: broken');
    expect(screen.getByText(/This is not valid YAML/)).toBeInTheDocument();
    expect(importButton()).toBeDisabled();
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('preselects the current context and imports the one picked instead', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings());
    await paste(user, TWO_CONTEXTS_KUBECONFIG);
    expect(screen.getByText('staging')).toBeInTheDocument();

    await user.click(screen.getByLabelText('Context'));
    await user.click(screen.getByText('prod'));
    await user.click(importButton());

    expect(latestOptions().jsonData).toMatchObject({
      apiServerUrl: 'https://prod.example.com:6443',
      clusterName: 'prod',
      serverName: 'kubernetes.default.svc',
      tlsSkipVerify: false,
    });
    expect(latestOptions().secureJsonData?.token).toBe(`prod-${TOKEN}`);
    expect(screen.getByText(/sets namespace "payments"/)).toBeInTheDocument();
  });

  it('imports the current context when none is picked', async () => {
    const { user, latestOptions } = renderConfigEditor(makeSettings());
    await paste(user, TWO_CONTEXTS_KUBECONFIG);
    await user.click(importButton());
    expect(latestOptions().jsonData).toMatchObject({
      apiServerUrl: 'https://staging.example.com',
      tlsSkipVerify: true,
    });
    expect(latestOptions().secureJsonData?.token).toBe(`staging-${TOKEN}`);
  });
});
