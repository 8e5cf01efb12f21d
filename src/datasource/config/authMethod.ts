import type { AuthMethod } from '../types';
import { type RolloutLensSettings, withSecretCleared } from './settings';

export const AUTH_METHODS: readonly AuthMethod[] = ['token', 'clientCert', 'none'];

/**
 * The auth method the settings describe. Data sources saved or provisioned without `authMethod`
 * are read from Grafana's TLS keys and saved secrets; a new data source starts with a bearer token.
 */
export function effectiveAuthMethod(options: RolloutLensSettings): AuthMethod {
  const { authMethod, tlsAuth } = options.jsonData;
  if (authMethod !== undefined && AUTH_METHODS.includes(authMethod)) {
    return authMethod;
  }
  if (tlsAuth === true) {
    return 'clientCert';
  }
  return 'token';
}

/**
 * Switches the auth method. `tlsAuth` (Grafana's switch for presenting the client certificate) follows
 * the method. The route template sends the saved token with every request whatever the method, so a
 * method other than `token` removes the token; client certificate and key stay saved but unused.
 */
export function withAuthMethod(options: RolloutLensSettings, method: AuthMethod): RolloutLensSettings {
  const switched: RolloutLensSettings = {
    ...options,
    jsonData: { ...options.jsonData, authMethod: method, tlsAuth: method === 'clientCert' },
  };
  return method === 'token' ? switched : withSecretCleared(switched, 'token');
}
