/**
 * Real-stack checks of issue 8: every query of the bundled dashboards (panel targets and annotation queries of this
 * plugin) runs against the test bed with the dashboard's variables filled in as Grafana would fill them, using the
 * dashboard's own variable queries, and returns data without errors. With GRAFANA_URL set (tests/e2e/run.sh), the
 * data source is the one provisioned into the STAND-IN for Grafana's server (Grafana itself cannot be built here,
 * see docs/testing.md) and every request goes through its data source proxy; the stand-in must also serve the
 * dashboards as files of the loaded app plugin. Without it, the in-process proxy of testbed.ts is used.
 */
import fs from 'node:fs';
import path from 'node:path';

import {
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  dateMath,
  type DataSourceInstanceSettings,
  type DateTime,
  type MetricFindValue,
} from '@grafana/data';
import { firstValueFrom, lastValueFrom } from 'rxjs';

import type { VariableQuery } from '../../../src/datasource/query/variableQuery';
import type { RolloutLensJsonData, RolloutLensQuery } from '../../../src/datasource/types';
import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient, kubeProxyBaseUrl } from '../../../src/datasource/kube/client';
import type { ReplaceVariables } from '../../../src/datasource/query/interpolate';
import { check } from './checks';
import { TEST_BED } from '../lib/components.mjs';
import { templateReplacer, type VariableValue } from './dashboard-variables';
import { grafanaFetch } from './grafana-fetch';
import { testbedDataSource } from './testbed';

const APP_ID = 'rolloutlens-argorollouts-app';
const DATASOURCE_TYPE = 'rolloutlens-argorollouts-datasource';
/** Provisioned by tests/e2e/grafana-setup.mjs from provisioning/examples/in-cluster-datasource.yaml. */
const GRAFANA_DATASOURCE_UID = 'argo-rollouts-in-cluster';
const GRAFANA_URL = process.env.GRAFANA_URL;
/** Through the Grafana stand-in's proxy when it runs, else the in-process one (see dashboardDataSource). */
const DASHBOARDS_AGAINST = [GRAFANA_URL ? 'grafana-stand-in' : 'proxy-stand-in', ...TEST_BED];
const SCENARIO_NAMESPACE = /^e2e-/;
/** The detail dashboard is checked on a rollout that has analysis runs, so that every one of its tables has rows. */
const DETAIL_NAMESPACE = 'e2e-analysis-success';

interface DataSourceRef {
  type?: string;
  uid?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets?: Array<RolloutLensQuery & { datasource?: DataSourceRef }>;
}
interface Variable {
  type: string;
  name: string;
  query?: VariableQuery | string;
  datasource?: DataSourceRef;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
}
interface Dashboard {
  uid: string;
  title: string;
  time: { from: string; to: string };
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Array<AnnotationQuery<RolloutLensQuery> & { datasource?: DataSourceRef }> };
}

const loadDashboard = (file: string): Dashboard =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../src/dashboards', file), 'utf8'));

const isOurs = (ref: DataSourceRef | undefined) => ref?.type === DATASOURCE_TYPE;

function request(dashboard: Dashboard, targets: RolloutLensQuery[]): DataQueryRequest<RolloutLensQuery> {
  const from = dateMath.parse(dashboard.time.from) as DateTime;
  const to = dateMath.parse(dashboard.time.to, true) as DateTime;
  return {
    requestId: `e2e-${dashboard.uid}`,
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: dashboard.time.from, to: dashboard.time.to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}

async function runFrames(dataSource: DataSource, dashboard: Dashboard, targets: RolloutLensQuery[]) {
  const response = await firstValueFrom(dataSource.query(request(dashboard, targets)));
  expect(response.errors ?? []).toEqual([]);
  return response.data as DataFrame[];
}

const texts = (values: MetricFindValue[]) => values.map((value) => String(value.value ?? value.text));

/** The data source variable is the cluster; every other query of the dashboard must use it. */
function expectEveryQueryUsesTheClusterVariable(dashboard: Dashboard) {
  const clusterVariable = dashboard.templating.list.find((v) => v.type === 'datasource');
  expect(clusterVariable).toMatchObject({ name: 'datasource', query: DATASOURCE_TYPE });
  const refs = [
    ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => v.datasource),
    ...dashboard.panels
      .filter((p) => p.type === 'table')
      .flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
    ...dashboard.annotations.list.filter((a) => !a.builtIn).map((a) => a.datasource),
  ];
  refs.forEach((ref) => expect(ref).toEqual({ type: DATASOURCE_TYPE, uid: '${datasource}' }));
}

/**
 * Runs every panel target and annotation query of this plugin in the dashboard; the variables must already be set.
 * Returns rows per panel title and annotations per annotation query name.
 */
async function runDashboard(dataSource: DataSource, dashboard: Dashboard) {
  const panels: Record<string, number> = {};
  const builtIn: string[] = [];
  for (const panel of dashboard.panels) {
    if (!isOurs(panel.datasource)) {
      expect(panel.datasource).toEqual({ type: 'datasource', uid: 'grafana' });
      builtIn.push(panel.title);
      continue;
    }
    const frames = await runFrames(dataSource, dashboard, panel.targets ?? []);
    expect(frames.length).toBe(panel.targets?.length);
    const rows = frames.reduce((sum, frame) => sum + frame.length, 0);
    panels[panel.title] = rows;
  }
  const annotations: Record<string, number> = {};
  for (const annotation of dashboard.annotations.list.filter((a) => isOurs(a.datasource))) {
    const prepared = dataSource.annotations.prepareAnnotation!(annotation);
    const frames = await runFrames(dataSource, dashboard, [prepared.target as RolloutLensQuery]);
    annotations[annotation.name] = frames.reduce((sum, frame) => sum + frame.length, 0);
  }
  return { panels, annotations, builtInPanels: builtIn };
}

/** The data source the dashboards query: the Grafana stand-in's provisioned one when it runs, else in-process. */
async function dashboardDataSource(replaceVariables: ReplaceVariables, details: Record<string, unknown>) {
  if (!GRAFANA_URL) {
    const { dataSource, proxy } = testbedDataSource({}, replaceVariables);
    details.via = 'in-process data source proxy (tests/e2e/plugin/proxy-stand-in.ts)';
    return { dataSource, close: () => proxy.close(), grafana: undefined };
  }
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR ?? '';
  const password = fs.readFileSync(path.join(runDir, 'grafana-admin-password'), 'utf8').trim();
  const grafana = grafanaFetch({ url: GRAFANA_URL, user: 'admin', password });
  const boot = await lastValueFrom(
    grafana.fetch<{ datasources: Record<string, DataSourceInstanceSettings<RolloutLensJsonData>> }>({
      url: '/api/frontend/settings',
    })
  );
  const settings = Object.values(boot.data.datasources).find((ds) => ds.uid === GRAFANA_DATASOURCE_UID);
  expect(settings?.type).toBe(DATASOURCE_TYPE);
  const kube = createKubeClient({
    baseUrl: kubeProxyBaseUrl(settings!.url ?? ''),
    fetch: grafana.fetch,
    cacheTtlMs: 0,
  });
  details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), through its proxy`;
  details.real = false;
  return { dataSource: new DataSource(settings!, replaceVariables, kube), close: () => undefined, grafana };
}

/** The loaded app plugin lists the dashboard and serves its file unchanged, as Grafana does for the import. */
async function expectServedByGrafana(grafana: ReturnType<typeof grafanaFetch>, file: string, dashboard: Dashboard) {
  const settings = await lastValueFrom(
    grafana.fetch<{ includes: Array<{ type: string; path?: string }> }>({ url: `/api/plugins/${APP_ID}/settings` })
  );
  expect(settings.data.includes).toContainEqual(
    expect.objectContaining({ type: 'dashboard', path: `dashboards/${file}` })
  );
  const served = await lastValueFrom(grafana.fetch<Dashboard>({ url: `/public/plugins/${APP_ID}/dashboards/${file}` }));
  expect(served.data).toEqual(dashboard);
}

function variable(dashboard: Dashboard, name: string): Variable {
  const found = dashboard.templating.list.find((v) => v.name === name);
  expect(found).toBeDefined();
  return found!;
}

async function variableOptions(dataSource: DataSource, dashboard: Dashboard, name: string): Promise<string[]> {
  const definition = variable(dashboard, name);
  expect(isOurs(definition.datasource)).toBe(true);
  return texts(await dataSource.metricFindQuery(definition.query as VariableQuery));
}

describe('bundled dashboards against the test bed', () => {
  check(
    'dashboards/overview',
    async (details) => {
      const dashboard = loadDashboard('overview.json');
      expectEveryQueryUsesTheClusterVariable(dashboard);
      const values = new Map<string, VariableValue>();
      const { dataSource, close, grafana } = await dashboardDataSource(templateReplacer(values), details);
      try {
        if (grafana) {
          await expectServedByGrafana(grafana, 'overview.json', dashboard);
        }
        const allNamespaces = await variableOptions(dataSource, dashboard, 'namespace');
        const namespaces = allNamespaces.filter((ns) => SCENARIO_NAMESPACE.test(ns));
        expect(namespaces.length).toBeGreaterThan(0);
        expect(variable(dashboard, 'namespace')).toMatchObject({ multi: true, includeAll: true });
        values.set('namespace', { value: namespaces });

        const rollouts = await variableOptions(dataSource, dashboard, 'rollout');
        expect(rollouts.length).toBeGreaterThan(0);
        expect(variable(dashboard, 'rollout')).toMatchObject({ multi: true, includeAll: true });
        values.set('rollout', { all: true, options: rollouts });
        details.variables = { namespace: namespaces, rollout: 'All', rolloutOptions: rollouts.length };

        const result = await runDashboard(dataSource, dashboard);
        Object.assign(details, result);
        Object.entries(result.panels).forEach(([title, rows]) => expect([title, rows > 0]).toEqual([title, true]));
        expect(Object.keys(result.annotations)).toHaveLength(3);
        expect(Object.values(result.annotations).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

        // "All" namespaces is the custom all value `*`: every namespace, and at least the scenarios' rollouts.
        values.set('namespace', {
          all: true,
          options: allNamespaces,
          allValue: variable(dashboard, 'namespace').allValue,
        });
        const everyRollout = await variableOptions(dataSource, dashboard, 'rollout');
        expect(everyRollout).toEqual(expect.arrayContaining(rollouts));
        details.allNamespacesRollouts = everyRollout.length;
      } finally {
        close();
      }
      return details;
    },
    { against: DASHBOARDS_AGAINST }
  );

  check(
    'dashboards/detail',
    async (details) => {
      const dashboard = loadDashboard('rollout-detail.json');
      expectEveryQueryUsesTheClusterVariable(dashboard);
      const values = new Map<string, VariableValue>();
      const { dataSource, close, grafana } = await dashboardDataSource(templateReplacer(values), details);
      try {
        if (grafana) {
          await expectServedByGrafana(grafana, 'rollout-detail.json', dashboard);
        }
        expect(variable(dashboard, 'namespace')).toMatchObject({ multi: false, includeAll: false });
        expect(variable(dashboard, 'rollout')).toMatchObject({ multi: false, includeAll: false });
        const namespaces = await variableOptions(dataSource, dashboard, 'namespace');
        expect(namespaces).toContain(DETAIL_NAMESPACE);
        values.set('namespace', { value: DETAIL_NAMESPACE });
        const rollouts = await variableOptions(dataSource, dashboard, 'rollout');
        expect(rollouts.length).toBe(1);
        values.set('rollout', { value: rollouts[0] });
        details.variables = { namespace: DETAIL_NAMESPACE, rollout: rollouts[0] };

        const result = await runDashboard(dataSource, dashboard);
        Object.assign(details, result);
        Object.entries(result.panels).forEach(([title, rows]) => expect([title, rows > 0]).toEqual([title, true]));
        // One rollout: its status table has exactly one row.
        expect(result.panels.Status).toBe(1);
        expect(Object.values(result.annotations).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      } finally {
        close();
      }
      return details;
    },
    { against: DASHBOARDS_AGAINST }
  );
});
