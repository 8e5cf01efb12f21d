import { makeSettings } from './__fixtures__/settings';
import { effectiveAuthMethod, withAuthMethod } from './authMethod';

describe('effectiveAuthMethod', () => {
  it('returns the saved method', () => {
    expect(effectiveAuthMethod(makeSettings({ jsonData: { authMethod: 'none' } }))).toBe('none');
  });

  it('reads client certificate auth from tlsAuth when no method is saved', () => {
    expect(effectiveAuthMethod(makeSettings({ jsonData: { tlsAuth: true } }))).toBe('clientCert');
  });

  it('starts a new data source with a bearer token', () => {
    expect(effectiveAuthMethod(makeSettings())).toBe('token');
  });
});

describe('withAuthMethod', () => {
  it('turns tlsAuth on only for client certificate auth', () => {
    const options = makeSettings();
    expect(withAuthMethod(options, 'clientCert').jsonData).toMatchObject({ authMethod: 'clientCert', tlsAuth: true });
    expect(withAuthMethod(options, 'token').jsonData).toMatchObject({ authMethod: 'token', tlsAuth: false });
    expect(withAuthMethod(options, 'none').jsonData).toMatchObject({ authMethod: 'none', tlsAuth: false });
  });

  it.each(['clientCert', 'none'] as const)('removes a saved token when switching to %s', (method) => {
    const options = makeSettings({ jsonData: { authMethod: 'token' }, secureJsonFields: { token: true } });
    const updated = withAuthMethod(options, method);
    expect(updated.secureJsonFields.token).toBe(false);
    expect(updated.secureJsonData?.token).toBe('');
  });

  it('removes a token typed but not saved when switching away from token', () => {
    const options = makeSettings({ jsonData: { authMethod: 'token' }, secureJsonData: { token: 'typed' } });
    expect(withAuthMethod(options, 'none').secureJsonData?.token).toBe('');
  });

  it('keeps a saved client certificate and key when switching to token, unused because tlsAuth is off', () => {
    const options = makeSettings({
      jsonData: { authMethod: 'clientCert', tlsAuth: true },
      secureJsonFields: { tlsClientCert: true, tlsClientKey: true },
    });
    const updated = withAuthMethod(options, 'token');
    expect(updated.secureJsonFields).toEqual({ tlsClientCert: true, tlsClientKey: true });
    expect(updated.jsonData.tlsAuth).toBe(false);
  });

  it('leaves the other settings as they were', () => {
    const options = makeSettings({ jsonData: { apiServerUrl: 'https://a.example.com', tlsAuthWithCACert: true } });
    expect(withAuthMethod(options, 'none').jsonData).toMatchObject({
      apiServerUrl: 'https://a.example.com',
      tlsAuthWithCACert: true,
    });
  });
});
