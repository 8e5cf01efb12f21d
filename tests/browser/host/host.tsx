// Entry of the host page (index.html). It stands in for Grafana's own UI, which cannot be built here: it
// provides Grafana's shared modules to plugins through SystemJS, wires @grafana/runtime's services to the Grafana
// server behind the host, imports the plugin's built module.js the way Grafana does and renders one page.
import React, { type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { type DataSourceApi } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { Alert } from '@grafana/ui';

import { createBackendSrv } from './backendSrv';
import { getDataSourceSettings, getPluginSettings, toInstanceSettings } from './grafanaApi';
import { AnnotationsPage } from './pages/AnnotationsPage';
import { ConfigPage } from './pages/ConfigPage';
import { TablePage } from './pages/TablePage';
import './pageStatus';
import { importDataSourcePlugin, moduleUrlOf } from './pluginLoader';
import { registerSharedModules } from './sharedModules';
import { createTemplateSrv } from './templateSrv';
import { Themed } from './Themed';

const params = new URLSearchParams(window.location.search);

function required(name: string): string {
  const value = params.get(name);
  if (!value) {
    throw new Error(`the host page needs ?${name}=`);
  }
  return value;
}

function jsonParam<T>(name: string): T | undefined {
  const value = params.get(name);
  return value ? (JSON.parse(value) as T) : undefined;
}

async function renderPage(): Promise<{ node: ReactNode; moduleUrl: string }> {
  const pluginId = required('plugin');
  const uid = required('uid');
  const page = required('page');
  const [settings, meta] = await Promise.all([getDataSourceSettings(uid), getPluginSettings(pluginId)]);
  const moduleUrl = moduleUrlOf(meta.module, `public/plugins/${pluginId}/module.js`);
  const plugin = await importDataSourcePlugin(moduleUrl);
  plugin.meta = { ...meta, ...plugin.meta };
  if (page === 'config') {
    return { node: <ConfigPage plugin={plugin} meta={meta} initial={settings} />, moduleUrl };
  }
  const DataSourceClass = plugin.DataSourceClass;
  const dataSource = new DataSourceClass(toInstanceSettings(settings, meta)) as DataSourceApi<DataQuery>;
  const query = jsonParam<DataQuery>('query') ?? { refId: 'A' };
  if (page === 'annotations') {
    return { node: <AnnotationsPage dataSource={dataSource} initialTarget={query} />, moduleUrl };
  }
  if (page === 'table') {
    return { node: <TablePage plugin={plugin} dataSource={dataSource} initialQuery={query} />, moduleUrl };
  }
  throw new Error(`unknown page "${page}"`);
}

async function main() {
  const root = createRoot(document.getElementById('root')!);
  window.hostStatus = { ready: false, sharedModules: registerSharedModules() };
  setBackendSrv(createBackendSrv());
  setTemplateSrv(createTemplateSrv());
  try {
    const { node, moduleUrl } = await renderPage();
    window.hostStatus.moduleUrl = moduleUrl;
    root.render(<Themed>{node}</Themed>);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    window.hostStatus.error = message;
    root.render(
      <Themed>
        <Alert severity="error" title="The host page could not load the plugin">
          {message}
        </Alert>
      </Themed>
    );
  }
  window.hostStatus.ready = true;
}

main();
