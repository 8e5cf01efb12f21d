/**
 * @jest-environment node
 */
import { parse } from 'yaml';

import { CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM, TOKEN } from './__fixtures__/kubeconfigs';
import { makeSettings } from './__fixtures__/settings';
import { buildProvisioningYaml, secretsInUse } from './provisioning';

describe('buildProvisioningYaml', () => {
  it('describes the data source with its jsonData and the configured secrets as environment variables', () => {
    const options = makeSettings({
      jsonData: {
        apiServerUrl: 'https://prod.example.com:6443',
        clusterName: 'prod',
        defaultNamespaces: ['payments', 'checkout'],
        authMethod: 'token',
        tlsAuthWithCACert: true,
      },
      secureJsonFields: { token: true, tlsCACert: true },
    });
    const yaml = buildProvisioningYaml(options);
    expect(parse(yaml)).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: 'Argo Rollouts prod',
          type: 'rolloutlens-argorollouts-datasource',
          uid: 'argo-rollouts-prod',
          access: 'proxy',
          jsonData: {
            apiServerUrl: 'https://prod.example.com:6443',
            clusterName: 'prod',
            defaultNamespaces: ['payments', 'checkout'],
            authMethod: 'token',
            tlsAuthWithCACert: true,
          },
          secureJsonData: { token: '$ROLLOUT_LENS_TOKEN', tlsCACert: '$ROLLOUT_LENS_CA_CERT' },
        },
      ],
    });
    expect(yaml).toMatch(/^# Set ROLLOUT_LENS_TOKEN, ROLLOUT_LENS_CA_CERT in the environment of the Grafana server\./);
  });

  it('never contains a secret value typed since the last save', () => {
    const options = makeSettings({
      jsonData: { authMethod: 'clientCert', tlsAuth: true, tlsAuthWithCACert: true },
      secureJsonData: { tlsCACert: CA_PEM, tlsClientCert: CLIENT_CERT_PEM, tlsClientKey: CLIENT_KEY_PEM, token: TOKEN },
    });
    const yaml = buildProvisioningYaml(options);
    for (const line of [CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM, TOKEN].flatMap((secret) => secret.split('\n'))) {
      if (line !== '') {
        expect(yaml).not.toContain(line);
      }
    }
    expect(parse(yaml).datasources[0].secureJsonData).toEqual({
      tlsCACert: '$ROLLOUT_LENS_CA_CERT',
      tlsClientCert: '$ROLLOUT_LENS_CLIENT_CERT',
      tlsClientKey: '$ROLLOUT_LENS_CLIENT_KEY',
    });
  });

  it('leaves secureJsonData out when no secret is configured', () => {
    const yaml = buildProvisioningYaml(
      makeSettings({ jsonData: { apiServerUrl: 'https://a.example.com', authMethod: 'none' } })
    );
    expect(parse(yaml).datasources[0]).not.toHaveProperty('secureJsonData');
    expect(yaml).not.toContain('#');
  });

  it('writes the effective auth method when none is saved, and leaves empty values out', () => {
    const yaml = buildProvisioningYaml(
      makeSettings({ jsonData: { apiServerUrl: 'https://a.example.com', clusterName: '', defaultNamespaces: [] } })
    );
    expect(parse(yaml).datasources[0].jsonData).toEqual({ apiServerUrl: 'https://a.example.com', authMethod: 'token' });
  });

  it('writes the time limits in the order of the editor, after the connection', () => {
    const yaml = buildProvisioningYaml(
      makeSettings({
        jsonData: { timeout: 60, queryDeadlineSeconds: 50, requestTimeoutSeconds: 20, clusterName: 'prod' },
      })
    );
    expect(Object.keys(parse(yaml).datasources[0].jsonData)).toEqual([
      'clusterName',
      'authMethod',
      'requestTimeoutSeconds',
      'queryDeadlineSeconds',
      'timeout',
    ]);
    expect(yaml).toMatch(/requestTimeoutSeconds: 20\n\s+queryDeadlineSeconds: 50\n\s+timeout: 60\n/);
  });

  it('keeps jsonData keys it does not know, after the known ones', () => {
    const options = makeSettings({ jsonData: { timeout: 30, apiServerUrl: 'https://a.example.com' } as never });
    expect(Object.keys(parse(buildProvisioningYaml(options)).datasources[0].jsonData)).toEqual([
      'apiServerUrl',
      'authMethod',
      'timeout',
    ]);
  });
});

describe('secretsInUse', () => {
  it('leaves out secrets that are set but unused by the current settings', () => {
    const options = makeSettings({
      jsonData: { authMethod: 'token', tlsAuthWithCACert: false },
      secureJsonFields: { token: true, tlsCACert: true, tlsClientCert: true, tlsClientKey: true },
    });
    expect(secretsInUse(options)).toEqual(['token']);
  });

  it('leaves out secrets in use that are neither saved nor typed', () => {
    const options = makeSettings({
      jsonData: { authMethod: 'token', tlsAuthWithCACert: true },
      secureJsonFields: { tlsCACert: true },
    });
    expect(secretsInUse(options)).toEqual(['tlsCACert']);
  });
});
