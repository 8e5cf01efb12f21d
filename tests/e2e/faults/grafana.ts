/**
 * The data sources the fault checks query, as the STAND-IN for Grafana's server (tests/grafana-stand-in; Grafana
 * itself cannot be built here, see docs/testing.md) hands them to the browser: every request of the plugin goes
 * through its data source proxy, as tests/e2e/plugin/dashboards.e2e.test.ts does.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { DataSourceInstanceSettings } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource, kubeClientFor } from '../../../src/datasource/datasource';
import type { KubeClientOptions } from '../../../src/datasource/kube/client';
import type { InformerOptions } from '../../../src/datasource/kube/informer';
import type { ReplaceVariables } from '../../../src/datasource/query/interpolate';
import type { RolloutLensJsonData } from '../../../src/datasource/types';
import { readJsonLines } from '../lib/json-lines.mjs';
import { type GrafanaConnection, grafanaFetch } from '../plugin/grafana-fetch';
import { runDir } from './cluster';

export const DATASOURCE_TYPE = 'rolloutlens-argorollouts-datasource';
/** Provisioned by tests/e2e/grafana-setup.mjs from provisioning/examples/in-cluster-datasource.yaml. */
export const PROVISIONED_UID = 'argo-rollouts-in-cluster';

export type Grafana = ReturnType<typeof grafanaFetch> & { connection: GrafanaConnection };

export function connectGrafana(): Grafana {
  const url = process.env.GRAFANA_URL;
  if (!url) {
    throw new Error('GRAFANA_URL must name the running Grafana stand-in (tests/e2e/run.sh sets it)');
  }
  const password = fs.readFileSync(path.join(runDir(), 'grafana-admin-password'), 'utf8').trim();
  const connection = { url, user: 'admin', password };
  return { ...grafanaFetch(connection), connection };
}

export async function grafanaApi<T = any>(grafana: Grafana, method: string, url: string, data?: unknown): Promise<T> {
  const response = await lastValueFrom(grafana.fetch<T>({ method, url, data }));
  return response.data;
}

/** The instance settings the browser gets for a data source, as Grafana's frontend settings list them. */
export async function instanceSettings(grafana: Grafana, uid: string) {
  const boot = await grafanaApi<{ datasources: Record<string, DataSourceInstanceSettings<RolloutLensJsonData>> }>(
    grafana,
    'GET',
    '/api/frontend/settings'
  );
  const settings = Object.values(boot.datasources).find((ds) => ds.uid === uid);
  if (!settings || settings.type !== DATASOURCE_TYPE) {
    throw new Error(`the Grafana stand-in has no ${DATASOURCE_TYPE} data source ${uid}`);
  }
  return settings;
}

/** The plugin's DataSource for a data source of the stand-in, with the kube client its settings ask for. */
export async function pluginDataSource(
  grafana: Grafana,
  uid: string,
  replaceVariables: ReplaceVariables = (target) => target,
  kubeOptions: Omit<KubeClientOptions, 'baseUrl' | 'fetch'> = {},
  informerOptions: Omit<InformerOptions, 'client'> = {}
): Promise<DataSource> {
  const settings = await instanceSettings(grafana, uid);
  return new DataSource(
    settings,
    replaceVariables,
    kubeClientFor(settings, grafana.fetch, kubeOptions),
    informerOptions
  );
}

export interface NewDataSource {
  name: string;
  jsonData: RolloutLensJsonData;
  secureJsonData: Record<string, string>;
}

/** Adds a data source the way "Add new data source" and "Save & test" do; returns its uid. */
export async function createDataSource(grafana: Grafana, ds: NewDataSource): Promise<string> {
  const existing = await grafanaApi<Array<{ uid: string; name: string }>>(grafana, 'GET', '/api/datasources');
  for (const old of existing.filter((item) => item.name === ds.name)) {
    await grafanaApi(grafana, 'DELETE', `/api/datasources/uid/${old.uid}`);
  }
  const created = await grafanaApi<{ datasource: { uid: string } }>(grafana, 'POST', '/api/datasources', {
    ...ds,
    type: DATASOURCE_TYPE,
    access: 'proxy',
  });
  return created.datasource.uid;
}

export async function deleteDataSource(grafana: Grafana, uid: string): Promise<void> {
  await grafanaApi(grafana, 'DELETE', `/api/datasources/uid/${uid}`);
}

/** What the stand-in's proxy logged for a data source since `since` (Grafana logs transport errors the same way). */
export function proxyLog(uid: string, since: Date): Array<Record<string, any>> {
  return readJsonLines(path.join(runDir(), 'grafana', 'forward.log')).filter(
    (entry) => entry.uid === uid && Date.parse(entry.time) >= since.getTime()
  );
}
