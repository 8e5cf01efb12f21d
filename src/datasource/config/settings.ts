import type { DataSourceSettings } from '@grafana/data';

import type { RolloutLensJsonData, RolloutLensSecureJsonData, SecureFieldName } from '../types';

/** The data source settings the config editor edits. */
export type RolloutLensSettings = DataSourceSettings<RolloutLensJsonData, RolloutLensSecureJsonData>;

export const SECURE_FIELD_NAMES: readonly SecureFieldName[] = ['token', 'tlsCACert', 'tlsClientCert', 'tlsClientKey'];

export function withJsonData(options: RolloutLensSettings, patch: Partial<RolloutLensJsonData>): RolloutLensSettings {
  return { ...options, jsonData: { ...options.jsonData, ...patch } };
}

/** True when Grafana holds a saved value for the secret (the value itself never reaches the browser). */
export function isSecretConfigured(options: RolloutLensSettings, key: SecureFieldName): boolean {
  return options.secureJsonFields?.[key] === true;
}

/** True when the secret is saved, or was typed since the last save. */
export function isSecretSet(options: RolloutLensSettings, key: SecureFieldName): boolean {
  return isSecretConfigured(options, key) || (options.secureJsonData?.[key] ?? '') !== '';
}

/** Sets a new secret value; it replaces any saved one when the settings are saved. */
export function withSecret(options: RolloutLensSettings, key: SecureFieldName, value: string): RolloutLensSettings {
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, [key]: false },
    secureJsonData: { ...options.secureJsonData, [key]: value },
  };
}

/**
 * Removes a secret: Grafana stores the empty value on save, so the proxy stops using it.
 * Returns the options unchanged when the secret is neither saved nor typed.
 */
export function withSecretCleared(options: RolloutLensSettings, key: SecureFieldName): RolloutLensSettings {
  return isSecretSet(options, key) ? withSecret(options, key, '') : options;
}
