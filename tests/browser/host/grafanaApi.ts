import type { DataSourceInstanceSettings, DataSourcePluginMeta, DataSourceSettings } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';

/** The HTTP calls Grafana's own frontend makes for a data source, against the Grafana server behind the host. */

export function getDataSourceSettings(uid: string): Promise<DataSourceSettings> {
  return getBackendSrv().get<DataSourceSettings>(`/api/datasources/uid/${encodeURIComponent(uid)}`);
}

/** Grafana's data source page saves the whole settings object with PUT, then reloads it. */
export async function saveDataSourceSettings(settings: DataSourceSettings): Promise<DataSourceSettings> {
  await getBackendSrv().put(`/api/datasources/uid/${encodeURIComponent(settings.uid)}`, settings, {
    showErrorAlert: false,
  });
  return getDataSourceSettings(settings.uid);
}

/** Plugin settings as `/api/plugins/<id>/settings` answers them (`module` is the path of the plugin's module.js). */
export type PluginSettings = DataSourcePluginMeta & { module?: string };

export function getPluginSettings(pluginId: string): Promise<PluginSettings> {
  return getBackendSrv().get<PluginSettings>(`/api/plugins/${encodeURIComponent(pluginId)}/settings`);
}

/** What Grafana's frontend settings give the data source class: the proxy URL instead of the upstream one. */
export function toInstanceSettings<T extends DataSourceSettings>(
  settings: T,
  meta: DataSourcePluginMeta
): DataSourceInstanceSettings<T['jsonData']> {
  return {
    id: settings.id,
    uid: settings.uid,
    type: settings.type,
    name: settings.name,
    meta,
    url: `/api/datasources/proxy/uid/${settings.uid}`,
    access: settings.access === 'direct' ? 'direct' : 'proxy',
    jsonData: settings.jsonData,
    readOnly: settings.readOnly,
    isDefault: settings.isDefault,
  };
}
