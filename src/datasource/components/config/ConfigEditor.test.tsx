/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

import { makeSettings } from '../../config/__fixtures__/settings';
import { ConfigEditor } from './ConfigEditor';
import { renderConfigEditor } from './testHarness';

/** Grafana's Field puts the description inside the label, so labels are matched by their start. */
const FIELD_SELECTOR = 'input:not([type="radio"]), textarea';
const field = (label: string) => screen.getByLabelText(new RegExp(`^${label}`), { selector: FIELD_SELECTOR });
const queryField = (label: string) => screen.queryByLabelText(new RegExp(`^${label}`), { selector: FIELD_SELECTOR });
const radio = (name: string) => screen.getByRole('radio', { name });

const configuredEverything = () =>
  makeSettings({
    jsonData: {
      apiServerUrl: 'https://prod.example.com:6443',
      clusterName: 'prod',
      defaultNamespaces: ['payments'],
      authMethod: 'token',
      tlsAuthWithCACert: true,
      serverName: 'kubernetes.default.svc',
    },
    secureJsonFields: { token: true, tlsCACert: true },
  });

describe('ConfigEditor', () => {
  it('does not change the settings on mount, for a new or a configured data source', () => {
    const onOptionsChange = jest.fn();
    const { unmount } = render(<ConfigEditor options={makeSettings()} onOptionsChange={onOptionsChange} />);
    unmount();
    render(<ConfigEditor options={configuredEverything()} onOptionsChange={onOptionsChange} />);
    expect(onOptionsChange).not.toHaveBeenCalled();
  });

  it('links to the plugin documentation', () => {
    render(<ConfigEditor options={makeSettings()} onOptionsChange={jest.fn()} />);
    expect(screen.getByRole('link', { name: 'view the documentation' })).toHaveAttribute(
      'href',
      '/plugins/rolloutlens-argorollouts-app'
    );
  });

  // Every change comes back as new frozen props (see testHarness), so a mutation anywhere throws.
  it.each<[string, (user: UserEvent) => Promise<void>]>([
    [
      'connection',
      async (user) => {
        await user.type(field('API server URL'), '/');
        await user.tab();
        await user.type(field('Cluster display name'), '-eu');
        await user.type(field('Default namespaces'), 'checkout{Enter}');
        await user.click(screen.getByRole('button', { name: 'Remove tag: payments' }));
      },
    ],
    [
      'authentication',
      async (user) => {
        await user.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
        await user.type(field('Bearer token'), 'abc');
        await user.click(radio('Client certificate'));
        await user.click(radio('None'));
      },
    ],
    [
      'TLS',
      async (user) => {
        await user.click(radio('System CAs'));
        await user.click(field('Skip TLS certificate verification'));
        await user.type(field('TLS server name'), 'x');
      },
    ],
    [
      'time limits',
      async (user) => {
        await user.type(field('Request timeout'), '9');
        await user.type(field('Query deadline'), '30');
      },
    ],
  ])('never mutates its frozen props while the %s section is edited', async (_section, edit) => {
    const { user, onOptionsChange } = renderConfigEditor(configuredEverything());
    await edit(user);
    expect(onOptionsChange).toHaveBeenCalled();
  });

  describe('connection', () => {
    it('keeps an invalid URL as typed and says what to fix', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(field('API server URL'));
      await user.paste('https://k8s.example.com/api');
      await user.tab();
      expect(screen.getByText(/Remove the path/)).toBeInTheDocument();
      expect(field('API server URL')).toHaveValue('https://k8s.example.com/api');
      expect(latestOptions().jsonData.apiServerUrl).toBe('https://k8s.example.com/api');
    });

    it.each([
      ['k8s.example.com', /Start the URL with https:\/\//],
      ['https://admin:pw@k8s.example.com', /Remove the user name and password/],
      ['https://k8s.example.com?watch=1', /Remove the query string/],
      ['https://k8s.example.com#x', /Remove the fragment/],
      ['https://k8s.example.com/..', /Remove "\.\."/],
    ])('shows a message for %s', async (url, message) => {
      const { user } = renderConfigEditor(makeSettings());
      await user.click(field('API server URL'));
      await user.paste(url);
      expect(screen.getByText(message)).toBeInTheDocument();
    });

    it('removes the trailing slash of a valid URL when the field is left', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(field('API server URL'));
      await user.paste('https://k8s.example.com:6443/');
      expect(latestOptions().jsonData.apiServerUrl).toBe('https://k8s.example.com:6443/');
      await user.tab();
      expect(latestOptions().jsonData.apiServerUrl).toBe('https://k8s.example.com:6443');
      expect(field('API server URL')).toHaveValue('https://k8s.example.com:6443');
    });

    it('asks for the URL only after the empty field was left', async () => {
      const { user } = renderConfigEditor(makeSettings());
      expect(screen.queryByText(/Enter the URL of the Kubernetes API server/)).not.toBeInTheDocument();
      await user.click(field('API server URL'));
      await user.tab();
      expect(screen.getByText(/Enter the URL of the Kubernetes API server/)).toBeInTheDocument();
    });

    it('warns that a token over http:// travels unencrypted', () => {
      render(
        <ConfigEditor
          options={makeSettings({ jsonData: { apiServerUrl: 'http://10.0.0.1:8080', authMethod: 'token' } })}
          onOptionsChange={jest.fn()}
        />
      );
      expect(screen.getByText('The token travels unencrypted')).toBeInTheDocument();
    });

    it('stores the cluster display name and suggests one', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      const input = field('Cluster display name');
      expect(input).toHaveAttribute('placeholder', expect.stringMatching(/prod/));
      await user.click(input);
      await user.paste('prod-eu');
      expect(latestOptions().jsonData.clusterName).toBe('prod-eu');
    });

    it('stores default namespaces and flags names Kubernetes would reject', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.type(field('Default namespaces'), 'payments{Enter}Team_A{Enter}');
      expect(latestOptions().jsonData.defaultNamespaces).toEqual(['payments', 'Team_A']);
      expect(screen.getByText(/"Team_A" is not a valid namespace name/)).toBeInTheDocument();
    });
  });

  describe('time limits', () => {
    it('shows the defaults and stores what is typed as numbers of seconds', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      expect(field('Request timeout')).toHaveAttribute('placeholder', '15');
      expect(field('Query deadline')).toHaveAttribute('placeholder', '45');
      expect(field('Timeout')).toHaveAttribute('placeholder', '30');
      await user.type(field('Request timeout'), '10');
      await user.type(field('Query deadline'), '60');
      expect(latestOptions().jsonData).toMatchObject({ requestTimeoutSeconds: 10, queryDeadlineSeconds: 60 });
      await user.clear(field('Request timeout'));
      expect(latestOptions().jsonData.requestTimeoutSeconds).toBeUndefined();
    });

    it('says when Grafana’s proxy would give up before the request timeout', async () => {
      const { user } = renderConfigEditor(makeSettings());
      await user.type(field('Request timeout'), '40');
      expect(screen.getByText(/gives up after 30 s \(Timeout below\) and answers 504 first/)).toBeInTheDocument();
      await user.type(field('Timeout'), '60');
      expect(screen.queryByText(/answers 504 first/)).not.toBeInTheDocument();
    });
  });

  describe('secrets', () => {
    it('shows saved secrets as configured, without any value, with a Reset button each', () => {
      render(<ConfigEditor options={configuredEverything()} onOptionsChange={jest.fn()} />);
      expect(field('Bearer token')).toHaveValue('configured');
      expect(field('Bearer token')).toBeDisabled();
      expect(field('CA certificate')).toHaveValue('configured');
      expect(screen.getAllByRole('button', { name: 'Reset' })).toHaveLength(2);
    });

    it('resets a saved token: not saved any more, and emptied', async () => {
      const { user, latestOptions } = renderConfigEditor(
        makeSettings({ jsonData: { authMethod: 'token' }, secureJsonFields: { token: true } })
      );
      await user.click(screen.getByRole('button', { name: 'Reset' }));
      expect(latestOptions().secureJsonFields.token).toBe(false);
      expect(latestOptions().secureJsonData?.token).toBe('');
      expect(field('Bearer token')).toHaveValue('');
      expect(field('Bearer token')).toBeEnabled();
    });

    it('resets a saved CA certificate', async () => {
      const { user, latestOptions } = renderConfigEditor(
        makeSettings({
          jsonData: { authMethod: 'none', tlsAuthWithCACert: true },
          secureJsonFields: { tlsCACert: true },
        })
      );
      await user.click(screen.getByRole('button', { name: 'Reset' }));
      expect(latestOptions().secureJsonFields.tlsCACert).toBe(false);
      expect(latestOptions().secureJsonData?.tlsCACert).toBe('');
    });

    it('keeps a typed token in a password field and in secureJsonData only', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(field('Bearer token'));
      await user.paste('s3cr3t-token');
      expect(field('Bearer token')).toHaveAttribute('type', 'password');
      expect(latestOptions().secureJsonData).toEqual({ token: 's3cr3t-token' });
      expect(JSON.stringify(latestOptions().jsonData)).not.toContain('s3cr3t-token');
    });
  });

  describe('authentication method', () => {
    it('switching from a saved token to None removes the token and keeps tlsAuth off', async () => {
      const { user, latestOptions } = renderConfigEditor(
        makeSettings({ jsonData: { authMethod: 'token' }, secureJsonFields: { token: true } })
      );
      await user.click(radio('None'));
      expect(latestOptions().jsonData).toMatchObject({ authMethod: 'none', tlsAuth: false });
      expect(latestOptions().secureJsonFields.token).toBe(false);
      expect(latestOptions().secureJsonData?.token).toBe('');
      expect(queryField('Bearer token')).not.toBeInTheDocument();
    });

    it('switching to client certificate turns tlsAuth on and asks for certificate and key', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(radio('Client certificate'));
      expect(latestOptions().jsonData).toMatchObject({ authMethod: 'clientCert', tlsAuth: true });
      await user.click(field('Client certificate'));
      await user.paste('CERT');
      await user.type(field('Client key'), 'KEY');
      expect(latestOptions().secureJsonData).toEqual({ tlsClientCert: 'CERT', tlsClientKey: 'KEY' });
    });

    it('switching back from client certificate to token turns tlsAuth off', async () => {
      const { user, latestOptions } = renderConfigEditor(
        makeSettings({ jsonData: { authMethod: 'clientCert', tlsAuth: true } })
      );
      await user.click(radio('Bearer token'));
      expect(latestOptions().jsonData).toMatchObject({ authMethod: 'token', tlsAuth: false });
    });

    it('explains why switching away removes the saved token', () => {
      render(<ConfigEditor options={makeSettings()} onOptionsChange={jest.fn()} />);
      expect(screen.getByText(/choosing another method removes the saved token when you save/)).toBeInTheDocument();
    });
  });

  describe('TLS', () => {
    it('shows a warning while certificate verification is skipped', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      expect(screen.queryByText('TLS certificate verification is off')).not.toBeInTheDocument();
      await user.click(field('Skip TLS certificate verification'));
      expect(latestOptions().jsonData.tlsSkipVerify).toBe(true);
      expect(screen.getByText('TLS certificate verification is off')).toBeInTheDocument();
    });

    it('uses a pasted CA certificate instead of the system CAs', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(radio('Cluster CA certificate'));
      expect(latestOptions().jsonData.tlsAuthWithCACert).toBe(true);
      await user.type(field('CA certificate'), 'PEM');
      expect(latestOptions().secureJsonData).toEqual({ tlsCACert: 'PEM' });
    });

    it('stores the TLS server name in jsonData', async () => {
      const { user, latestOptions } = renderConfigEditor(makeSettings());
      await user.click(field('TLS server name'));
      await user.paste('kubernetes');
      expect(latestOptions().jsonData.serverName).toBe('kubernetes');
    });
  });

  describe('provisioning preview', () => {
    it('shows the provisioning YAML with configured secrets as environment variables', async () => {
      const { user } = renderConfigEditor(configuredEverything());
      await user.click(screen.getByRole('button', { name: 'Expand section Provisioning' }));
      const yaml = screen.getByLabelText('Provisioning YAML').textContent ?? '';
      expect(yaml).toContain('type: rolloutlens-argorollouts-datasource');
      expect(yaml).toContain('apiServerUrl: https://prod.example.com:6443');
      expect(yaml).toContain('token: $ROLLOUT_LENS_TOKEN');
      expect(yaml).toContain('tlsCACert: $ROLLOUT_LENS_CA_CERT');
      expect(yaml).not.toContain('tlsClientKey');
      expect(screen.getByRole('button', { name: /Copy YAML/ })).toBeInTheDocument();
    });

    it('never shows a secret typed since the last save', async () => {
      const { user } = renderConfigEditor(makeSettings({ jsonData: { apiServerUrl: 'https://a.example.com' } }));
      await user.click(field('Bearer token'));
      await user.paste('typed-secret-token');
      await user.click(screen.getByRole('button', { name: 'Expand section Provisioning' }));
      const preview = screen.getByLabelText('Provisioning YAML');
      expect(within(preview).getByText(/token: \$ROLLOUT_LENS_TOKEN/)).toBeInTheDocument();
      expect(document.body.textContent).not.toContain('typed-secret-token');
    });
  });
});
