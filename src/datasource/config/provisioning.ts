import { Document } from 'yaml';

import { DATASOURCE_TYPE } from '../../constants';
import type { RolloutLensJsonData, SecureFieldName } from '../types';
import { effectiveAuthMethod } from './authMethod';
import { type RolloutLensSettings, isSecretSet } from './settings';

/** Environment variables of the Grafana server that stand in for secrets in provisioning files. */
export const SECRET_ENV_VARS: Readonly<Record<SecureFieldName, string>> = {
  token: 'ROLLOUT_LENS_TOKEN',
  tlsCACert: 'ROLLOUT_LENS_CA_CERT',
  tlsClientCert: 'ROLLOUT_LENS_CLIENT_CERT',
  tlsClientKey: 'ROLLOUT_LENS_CLIENT_KEY',
};

const JSON_DATA_ORDER: ReadonlyArray<keyof RolloutLensJsonData> = [
  'apiServerUrl',
  'clusterName',
  'defaultNamespaces',
  'authMethod',
  'tlsAuth',
  'tlsAuthWithCACert',
  'tlsSkipVerify',
  'serverName',
  'requestTimeoutSeconds',
  'queryDeadlineSeconds',
  'timeout',
];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** jsonData as it would be provisioned: the known keys first, empty values left out. */
function provisionedJsonData(options: RolloutLensSettings): Record<string, unknown> {
  const source: Record<string, unknown> = { ...options.jsonData, authMethod: effectiveAuthMethod(options) };
  const known: readonly string[] = JSON_DATA_ORDER;
  const keys = [...known, ...Object.keys(source).filter((key) => !known.includes(key))];
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    if (!isEmpty(source[key])) {
      result[key] = source[key];
    }
  }
  return result;
}

/** Secrets that are set and that the current settings use. */
export function secretsInUse(options: RolloutLensSettings): SecureFieldName[] {
  const method = effectiveAuthMethod(options);
  const used: SecureFieldName[] = [];
  if (method === 'token') {
    used.push('token');
  }
  if (options.jsonData.tlsAuthWithCACert === true) {
    used.push('tlsCACert');
  }
  if (method === 'clientCert') {
    used.push('tlsClientCert', 'tlsClientKey');
  }
  return used.filter((key) => isSecretSet(options, key));
}

/**
 * A Grafana provisioning file for the current settings. Secret values are never read: each secret in
 * use is replaced by a reference to an environment variable that Grafana expands when it provisions.
 */
export function buildProvisioningYaml(options: RolloutLensSettings): string {
  const secrets = secretsInUse(options);
  const datasource: Record<string, unknown> = {
    name: options.name,
    type: DATASOURCE_TYPE,
    uid: options.uid,
    access: 'proxy',
    jsonData: provisionedJsonData(options),
  };
  if (secrets.length > 0) {
    datasource.secureJsonData = Object.fromEntries(secrets.map((key) => [key, `$${SECRET_ENV_VARS[key]}`]));
  }
  const document = new Document({ apiVersion: 1, datasources: [datasource] });
  if (secrets.length > 0) {
    const variables = secrets.map((key) => SECRET_ENV_VARS[key]).join(', ');
    document.commentBefore = ` Set ${variables} in the environment of the Grafana server.`;
  }
  return document.toString();
}
