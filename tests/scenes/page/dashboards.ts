// Where the page finds the bundled dashboards: the app plugin's `includes` of type dashboard, read from the files
// the Grafana server serves for the plugin (dist/dashboards/*.json), as an app's dashboards are shipped.
import { getBackendSrv } from '@grafana/runtime';

import type { DashboardJson } from './dashboardToScene';

export const APP_ID = 'rolloutlens-argorollouts-app';

interface Include {
  type: string;
  name: string;
  path?: string;
}

export interface BundledDashboard {
  name: string;
  path: string;
  json: DashboardJson;
}

export async function bundledDashboards(): Promise<BundledDashboard[]> {
  const settings = await getBackendSrv().get<{ includes?: Include[] }>(`/api/plugins/${APP_ID}/settings`);
  const includes = (settings.includes ?? []).filter((i) => i.type === 'dashboard' && i.path);
  return Promise.all(
    includes.map(async (include) => ({
      name: include.name,
      path: include.path!,
      json: await getBackendSrv().get<DashboardJson>(`/public/plugins/${APP_ID}/${include.path}`),
    }))
  );
}
