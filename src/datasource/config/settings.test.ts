import { makeSettings } from './__fixtures__/settings';
import { isSecretConfigured, isSecretSet, withJsonData, withSecret, withSecretCleared } from './settings';

describe('settings helpers', () => {
  it('withJsonData returns new settings with the patch merged, leaving the input untouched', () => {
    const options = makeSettings({ jsonData: { clusterName: 'prod', apiServerUrl: 'https://a.example.com' } });
    const updated = withJsonData(options, { clusterName: 'prod-eu' });
    expect(updated.jsonData).toEqual({ clusterName: 'prod-eu', apiServerUrl: 'https://a.example.com' });
    expect(options.jsonData.clusterName).toBe('prod');
  });

  it('isSecretConfigured is true only for secrets Grafana reports as saved', () => {
    const options = makeSettings({
      secureJsonFields: { token: true, tlsCACert: false },
      secureJsonData: { tlsCACert: 'x' },
    });
    expect(isSecretConfigured(options, 'token')).toBe(true);
    expect(isSecretConfigured(options, 'tlsCACert')).toBe(false);
  });

  it('isSecretSet is true for a saved secret and for one typed since the last save', () => {
    const options = makeSettings({ secureJsonFields: { token: true }, secureJsonData: { tlsCACert: 'pem' } });
    expect(isSecretSet(options, 'token')).toBe(true);
    expect(isSecretSet(options, 'tlsCACert')).toBe(true);
    expect(isSecretSet(options, 'tlsClientKey')).toBe(false);
  });

  it('withSecret stores the value and marks the secret as not saved yet', () => {
    const updated = withSecret(makeSettings({ secureJsonFields: { token: true } }), 'token', 'new-token');
    expect(updated.secureJsonData).toEqual({ token: 'new-token' });
    expect(updated.secureJsonFields).toEqual({ token: false });
  });

  it('withSecretCleared empties a saved secret', () => {
    const updated = withSecretCleared(makeSettings({ secureJsonFields: { token: true } }), 'token');
    expect(updated.secureJsonData).toEqual({ token: '' });
    expect(updated.secureJsonFields).toEqual({ token: false });
  });

  it('withSecretCleared returns the same settings when the secret is not set', () => {
    const options = makeSettings();
    expect(withSecretCleared(options, 'token')).toBe(options);
  });
});
