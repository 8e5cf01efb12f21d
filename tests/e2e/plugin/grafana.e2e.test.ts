/**
 * The plugin's own code against the STAND-IN for Grafana's server (tests/grafana-stand-in; Grafana cannot be
 * built here, see docs/testing.md) and, behind it, the real test bed. Instance settings come from the stand-in's
 * /api/frontend/settings, requests go over HTTP to its data source proxy. Every check reports "real": false.
 * Needs GRAFANA_URL (tests/e2e/grafana-suite.sh starts the stand-in and writes <run dir>/grafana-url); without it
 * the checks fail and say so, rather than being skipped.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { DataSourceInstanceSettings } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient, kubeProxyBaseUrl } from '../../../src/datasource/kube/client';
import { classifyFailure } from '../../../src/datasource/kube/errors';
import type { RolloutLensJsonData } from '../../../src/datasource/types';
import { KUBE_API } from '../lib/components.mjs';
import { check } from './checks';
import { type GrafanaConnection, grafanaFetch, grafanaStreamFetch } from './grafana-fetch';

const GRAFANA_URL = process.env.GRAFANA_URL;
const REAL = { real: false, grafana: 'stand-in (tests/grafana-stand-in), not Grafana' };
const UIDS = {
  inCluster: 'argo-rollouts-in-cluster',
  wrongToken: 'e2e-wrong-token',
  overPrivileged: 'e2e-over-privileged',
};
const AUTH_FAILED = 'Authentication to data source failed';

function connection(): GrafanaConnection {
  if (!GRAFANA_URL) {
    throw new Error('GRAFANA_URL is not set: the Grafana stand-in did not start (see tests/e2e/grafana-suite.sh)');
  }
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  const password =
    process.env.GRAFANA_ADMIN_PASSWORD ??
    (runDir ? fs.readFileSync(path.join(runDir, 'grafana-admin-password'), 'utf8').trim() : '');
  return { url: GRAFANA_URL, user: 'admin', password };
}

interface FrontendSettings {
  datasources: Record<string, DataSourceInstanceSettings<RolloutLensJsonData>>;
}

/**
 * The data source as Grafana's frontend would build it: settings from boot data, requests via the proxy, and a
 * streaming fetch for watches as in the browser.
 */
async function dataSourceFromGrafana(uid: string) {
  const { fetch, requests } = grafanaFetch(connection());
  const boot = await lastValueFrom(fetch<FrontendSettings>({ url: '/api/frontend/settings' }));
  const settings = Object.values(boot.data.datasources).find((ds) => ds.uid === uid);
  if (!settings) {
    throw new Error(`data source ${uid} is not in the stand-in's frontend settings`);
  }
  const kube = createKubeClient({
    baseUrl: kubeProxyBaseUrl(settings.url ?? ''),
    fetch,
    streamFetch: grafanaStreamFetch(connection()),
    cacheTtlMs: 0,
  });
  const dataSource = new DataSource(settings, (target) => target, kube);
  return { dataSource, settings, fetch, requests };
}

describe('the plugin through the Grafana stand-in', () => {
  check(
    'grafana/health-check',
    async (details) => {
      Object.assign(details, REAL);
      const leastPrivilege = await dataSourceFromGrafana(UIDS.inCluster);
      const healthy = await leastPrivilege.dataSource.testDatasource();
      expect(leastPrivilege.settings.url).toBe(`/api/datasources/proxy/uid/${UIDS.inCluster}`);
      expect(healthy.status).toBe('success');
      expect(healthy.message).toMatch(/Kubernetes v1\.\d+/);
      expect(healthy.message).toMatch(/Argo Rollouts/);
      // The identity may watch what the panels read, and the data source can stream: panels update live.
      expect(String(healthy.details?.verboseMessage)).toContain(
        '✓ watch rollouts.argoproj.io, analysisruns.argoproj.io, experiments.argoproj.io, replicasets.apps, events: panels update as the cluster changes'
      );
      // Every request went through the stand-in's proxy and none failed there.
      expect(leastPrivilege.requests.filter((r) => r.url.includes('/api/datasources/proxy/')).length).toBeGreaterThan(
        0
      );

      const overPrivileged = await dataSourceFromGrafana(UIDS.overPrivileged);
      const warned = await overPrivileged.dataSource.testDatasource();
      expect(warned.status).toBe('warning');
      expect(warned.message).toMatch(/read Secrets/);
      return {
        ...REAL,
        leastPrivilege: { status: healthy.status, message: healthy.message },
        overPrivileged: { status: warned.status, message: warned.message },
      };
    },
    { against: ['grafana-stand-in', ...KUBE_API] }
  );

  check(
    'grafana/bad-token-message',
    async (details) => {
      Object.assign(details, REAL);
      const { dataSource, settings, fetch } = await dataSourceFromGrafana(UIDS.wrongToken);
      // The raw answer of the proxy: the API server's 401 rewritten by Grafana's rule.
      const raw = await lastValueFrom(fetch({ url: `${settings.url}/kube/version` })).then(
        () => ({ status: 200, data: undefined as unknown }),
        (error: { status: number; data: unknown }) => ({ status: error.status, data: error.data })
      );
      expect(raw).toEqual({ status: 400, data: AUTH_FAILED });
      const classified = classifyFailure(raw, { path: '/version', verb: 'get' });
      expect(classified.kind).toBe('unauthorized');
      const result = await dataSource.testDatasource();
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/rejected the token/);
      return { ...REAL, raw, kind: classified.kind, healthCheck: { status: result.status, message: result.message } };
    },
    { against: ['grafana-stand-in', ...KUBE_API] }
  );
});
