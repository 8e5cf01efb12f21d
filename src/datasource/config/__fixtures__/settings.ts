import type { RolloutLensJsonData, RolloutLensSecureJsonData } from '../../types';
import type { RolloutLensSettings } from '../settings';

/** Freezes an object and everything it holds, so that any mutation throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

export interface SettingsOverrides {
  jsonData?: RolloutLensJsonData;
  secureJsonData?: RolloutLensSecureJsonData;
  secureJsonFields?: Record<string, boolean>;
}

/** Settings as Grafana hands them to the config editor, deeply frozen. */
export function makeSettings(overrides: SettingsOverrides = {}): RolloutLensSettings {
  return deepFreeze({
    id: 7,
    uid: 'argo-rollouts-prod',
    orgId: 1,
    name: 'Argo Rollouts prod',
    typeLogoUrl: '',
    type: 'rolloutlens-argorollouts-datasource',
    typeName: 'Argo Rollouts',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: overrides.jsonData ?? {},
    secureJsonData: overrides.secureJsonData,
    secureJsonFields: overrides.secureJsonFields ?? {},
    readOnly: false,
    withCredentials: false,
    version: 3,
  });
}
