import type { SecureFieldName } from '../types';
import type { ImportedConnection } from './kubeconfig';
import { type RolloutLensSettings, SECURE_FIELD_NAMES, withSecret, withSecretCleared } from './settings';

/**
 * Replaces connection, TLS and credentials with an imported kubeconfig context. Secrets the context does
 * not provide are removed, so credentials of the previous cluster are never sent to the new one.
 * Only secrets go to secureJsonData; jsonData gets nothing secret.
 */
export function applyImportedConnection(
  options: RolloutLensSettings,
  connection: ImportedConnection
): RolloutLensSettings {
  const { auth } = connection;
  const secrets: Partial<Record<SecureFieldName, string>> = {
    tlsCACert: connection.caCert,
    token: auth.method === 'token' ? auth.token : undefined,
    tlsClientCert: auth.method === 'clientCert' ? auth.clientCert : undefined,
    tlsClientKey: auth.method === 'clientCert' ? auth.clientKey : undefined,
  };
  let updated: RolloutLensSettings = {
    ...options,
    jsonData: {
      ...options.jsonData,
      apiServerUrl: connection.apiServerUrl,
      clusterName: connection.clusterName,
      authMethod: auth.method,
      tlsAuth: auth.method === 'clientCert',
      tlsAuthWithCACert: connection.caCert !== undefined,
      tlsSkipVerify: connection.tlsSkipVerify,
      serverName: connection.serverName,
    },
  };
  for (const key of SECURE_FIELD_NAMES) {
    const value = secrets[key];
    updated = value === undefined ? withSecretCleared(updated, key) : withSecret(updated, key, value);
  }
  return updated;
}
