import { DataSourcePlugin } from '@grafana/data';

import { systemJs } from './systemjs';

/** Imports a plugin's module.js through SystemJS, as Grafana does, and returns its `plugin` export. */
export async function importDataSourcePlugin(moduleUrl: string): Promise<DataSourcePlugin> {
  const exports = await systemJs().import(moduleUrl);
  const plugin = exports.plugin;
  if (!(plugin instanceof DataSourcePlugin)) {
    throw new Error(`${moduleUrl} does not export a DataSourcePlugin named "plugin"`);
  }
  return plugin;
}

/** `module` from the plugin settings (e.g. "public/plugins/<id>/module.js") as an absolute path. */
export function moduleUrlOf(module: string | undefined, fallback: string): string {
  const path = module && module.length > 0 ? module : fallback;
  return path.startsWith('/') || /^https?:/.test(path) ? path : `/${path}`;
}
