import { type DataSourceApi, type DataSourceJsonData, DataSourcePlugin } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

import { systemJs } from './systemjs';

/** A data source plugin of any type, as the host sees it. */
export type AnyDataSourcePlugin = DataSourcePlugin<DataSourceApi<DataQuery, DataSourceJsonData>>;

/** Imports a plugin's module.js through SystemJS, as Grafana does, and returns its `plugin` export. */
export async function importDataSourcePlugin(moduleUrl: string): Promise<AnyDataSourcePlugin> {
  const exports = await systemJs().import(moduleUrl);
  const plugin = exports.plugin;
  if (!(plugin instanceof DataSourcePlugin)) {
    throw new Error(`${moduleUrl} does not export a DataSourcePlugin named "plugin"`);
  }
  return plugin as AnyDataSourcePlugin;
}

/** `module` from the plugin settings (e.g. "public/plugins/<id>/module.js") as an absolute path. */
export function moduleUrlOf(module: string | undefined, fallback: string): string {
  const path = module && module.length > 0 ? module : fallback;
  return path.startsWith('/') || /^https?:/.test(path) ? path : `/${path}`;
}
