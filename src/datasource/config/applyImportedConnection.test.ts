/**
 * @jest-environment node
 */
import { CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM, TOKEN } from './__fixtures__/kubeconfigs';
import { makeSettings } from './__fixtures__/settings';
import { applyImportedConnection } from './applyImportedConnection';
import type { ImportedConnection } from './kubeconfig';

const connection: ImportedConnection = {
  contextName: 'prod',
  apiServerUrl: 'https://prod.example.com:6443',
  clusterName: 'prod',
  tlsSkipVerify: false,
  serverName: 'kubernetes.default.svc',
  caCert: CA_PEM,
  auth: { method: 'token', token: TOKEN },
  notes: [],
};

describe('applyImportedConnection', () => {
  it('puts URL, cluster name and TLS flags in jsonData and the token and CA in secureJsonData', () => {
    const updated = applyImportedConnection(
      makeSettings({ jsonData: { defaultNamespaces: ['payments'] } }),
      connection
    );
    expect(updated.jsonData).toEqual({
      defaultNamespaces: ['payments'],
      apiServerUrl: 'https://prod.example.com:6443',
      clusterName: 'prod',
      authMethod: 'token',
      tlsAuth: false,
      tlsAuthWithCACert: true,
      tlsSkipVerify: false,
      serverName: 'kubernetes.default.svc',
    });
    expect(updated.secureJsonData).toEqual({ tlsCACert: CA_PEM, token: TOKEN });
    expect(updated.secureJsonFields).toEqual({ tlsCACert: false, token: false });
  });

  it('stores client certificate and key, turns tlsAuth on and removes the saved token and CA of the previous cluster', () => {
    const options = makeSettings({
      jsonData: { authMethod: 'token', tlsAuthWithCACert: true },
      secureJsonFields: { token: true, tlsCACert: true },
    });
    const updated = applyImportedConnection(options, {
      ...connection,
      caCert: undefined,
      auth: { method: 'clientCert', clientCert: CLIENT_CERT_PEM, clientKey: CLIENT_KEY_PEM },
    });
    expect(updated.jsonData).toMatchObject({ authMethod: 'clientCert', tlsAuth: true, tlsAuthWithCACert: false });
    expect(updated.secureJsonData).toEqual({
      token: '',
      tlsCACert: '',
      tlsClientCert: CLIENT_CERT_PEM,
      tlsClientKey: CLIENT_KEY_PEM,
    });
    expect(updated.secureJsonFields).toEqual({
      token: false,
      tlsCACert: false,
      tlsClientCert: false,
      tlsClientKey: false,
    });
  });

  it('puts nothing secret into jsonData', () => {
    const updated = applyImportedConnection(makeSettings(), {
      ...connection,
      auth: { method: 'clientCert', clientCert: CLIENT_CERT_PEM, clientKey: CLIENT_KEY_PEM },
    });
    const jsonData = JSON.stringify(updated.jsonData);
    for (const line of [CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM, TOKEN].flatMap((secret) => secret.split('\n'))) {
      if (line !== '') {
        expect(jsonData).not.toContain(line);
      }
    }
  });
});
