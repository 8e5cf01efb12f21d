/**
 * Real-stack checks of the bundled dashboards: every query (panel targets and annotation layers of this plugin) runs
 * against the test bed with the dashboard's variables filled in as Grafana would fill them, using the dashboard's own
 * variable queries, and returns data without errors: tables with rows, the series with points, the annotation
 * layers with annotations; the "Data source status" panel, subscribed first as in a dashboard refresh, reports that
 * the refresh's other queries had no problem. With GRAFANA_URL set (tests/e2e/run.sh), the data source is the one
 * provisioned into the STAND-IN for Grafana's server (Grafana itself cannot be built here, see docs/testing.md), the
 * dashboards are the ones it imported for the enabled app, and everything is read as its user with the org role
 * Viewer, through its data source proxy. Without it, the in-process proxy of testbed.ts is used.
 */
import fs from 'node:fs';
import path from 'node:path';

import {
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type MetricFindValue,
} from '@grafana/data';
import { lastValueFrom, type Subscription } from 'rxjs';

import type { VariableQuery } from '../../../src/datasource/query/variableQuery';
import type { RolloutLensJsonData, RolloutLensQuery } from '../../../src/datasource/types';
import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient, kubeProxyBaseUrl } from '../../../src/datasource/kube/client';
import type { ReplaceVariables } from '../../../src/datasource/query/interpolate';
import { check } from './checks';
import { TEST_BED } from '../lib/components.mjs';
import { dashboardRequest } from './dashboard-request';
import { templateReplacer, type VariableValue } from './dashboard-variables';
import { grafanaFetch } from './grafana-fetch';
import { testbedDataSource } from './testbed';

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
  revision: number;
  time: { from: string; to: string };
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Array<AnnotationQuery<RolloutLensQuery> & { datasource?: DataSourceRef }> };
}

const loadDashboard = (file: string): Dashboard =>
  JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../src/dashboards', file), 'utf8'));

const isOurs = (ref: DataSourceRef | undefined) => ref?.type === DATASOURCE_TYPE;

function request(dashboard: Dashboard, targets: RolloutLensQuery[]): DataQueryRequest<RolloutLensQuery> {
  return dashboardRequest(`e2e-${dashboard.uid}`, dashboard.time, targets);
}

async function runFrames(dataSource: DataSource, dashboard: Dashboard, targets: RolloutLensQuery[]) {
  const response = await lastValueFrom(dataSource.query(request(dashboard, targets)));
  expect(response.errors ?? []).toEqual([]);
  return response.data as DataFrame[];
}

const isStatusPanel = (panel: Panel) => panel.targets?.some((target) => target.queryType === 'status') ?? false;

/** The rows of a status table: what the "Data source status" panel shows. */
function statusRows(frames: DataFrame[]) {
  const [frame] = frames;
  const column = (name: string) => frame.fields.find((field) => field.name === name)?.values ?? [];
  return Array.from({ length: frame.length }, (_, i) => ({
    severity: String(column('severity')[i]),
    message: String(column('message')[i]),
    queries: String(column('queries')[i]),
  }));
}

/** Points of a series frame: a time field and one number field, ascending times, values in range. */
function seriesPoints(frame: DataFrame, max: number) {
  const [time, value] = frame.fields;
  expect([time.type, value.type]).toEqual(['time', 'number']);
  const times = time.values as number[];
  times.forEach((t, i) => expect(i === 0 || t > times[i - 1]).toBe(true));
  (value.values as number[]).forEach((v) => expect(v >= 0 && v <= max).toBe(true));
  return frame.length;
}

const texts = (values: MetricFindValue[]) => values.map((value) => String(value.value ?? value.text));

/** The data source variable is the cluster; every other query of the dashboard must use it. */
function expectEveryQueryUsesTheClusterVariable(dashboard: Dashboard) {
  const clusterVariable = dashboard.templating.list.find((v) => v.type === 'datasource');
  expect(clusterVariable).toMatchObject({ name: 'datasource', query: DATASOURCE_TYPE });
  const refs = [
    ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => v.datasource),
    ...dashboard.panels.flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
    ...dashboard.annotations.list.filter((a) => !a.builtIn).map((a) => a.datasource),
  ];
  refs.forEach((ref) => expect(ref).toEqual({ type: DATASOURCE_TYPE, uid: '${datasource}' }));
}

/**
 * One refresh of the dashboard as Grafana runs it, the variables already set: the status panel is subscribed first,
 * then every panel target and annotation query of this plugin runs. Returns rows per table, points per series panel,
 * annotations per layer name, and what the status panel shows once they all finished.
 */
async function runDashboard(dataSource: DataSource, dashboard: Dashboard) {
  const panels: Record<string, number> = {};
  const series: Record<string, Record<string, number>> = {};
  const statusPanels = dashboard.panels.filter(isStatusPanel);
  let status: DataFrame[] = [];
  const subscriptions: Subscription[] = statusPanels.map((panel) =>
    dataSource.query(request(dashboard, panel.targets ?? [])).subscribe((response) => {
      expect(response.errors ?? []).toEqual([]);
      status = response.data as DataFrame[];
    })
  );
  try {
    for (const panel of dashboard.panels.filter((p) => !isStatusPanel(p))) {
      expect(panel.datasource).toEqual({ type: DATASOURCE_TYPE, uid: '${datasource}' });
      const frames = await runFrames(dataSource, dashboard, panel.targets ?? []);
      if (panel.type === 'timeseries') {
        const max =
          panel.targets?.[0]?.queryType === 'series' && panel.targets[0].metric === 'rolloutsInProgress' ? 1e6 : 100;
        series[panel.title] = Object.fromEntries(
          frames.map((frame) => [frame.fields[1]?.config.displayNameFromDS ?? frame.name, seriesPoints(frame, max)])
        );
        continue;
      }
      expect(frames.length).toBe(panel.targets?.length);
      panels[panel.title] = frames.reduce((sum, frame) => sum + frame.length, 0);
    }
    const annotations: Record<string, number> = {};
    for (const annotation of dashboard.annotations.list.filter((a) => isOurs(a.datasource))) {
      const prepared = dataSource.annotations.prepareAnnotation!(annotation);
      const frames = await runFrames(dataSource, dashboard, [prepared.target as RolloutLensQuery]);
      annotations[annotation.name] = frames.reduce((sum, frame) => sum + frame.length, 0);
    }
    expect(statusPanels.map((panel) => panel.title)).toEqual(['Data source status']);
    return { panels, series, annotations, status: statusRows(status) };
  } finally {
    subscriptions.forEach((subscription) => subscription.unsubscribe());
  }
}

/** Every query of the refresh succeeded without notices: the status panel says so in its one row. */
function expectNoProblems(result: Awaited<ReturnType<typeof runDashboard>>) {
  const queries =
    Object.keys(result.panels).length + Object.keys(result.series).length + Object.keys(result.annotations).length;
  expect(result.status).toEqual([
    {
      severity: 'ok',
      message: `No errors or notices: all ${queries} queries of this data source in this refresh succeeded.`,
      queries: '',
    },
  ]);
}

/** The data source the dashboards query: the Grafana stand-in's provisioned one when it runs, else in-process. */
async function dashboardDataSource(replaceVariables: ReplaceVariables, details: Record<string, unknown>) {
  if (!GRAFANA_URL) {
    const { dataSource, proxy } = testbedDataSource({}, replaceVariables);
    details.via = 'in-process data source proxy (tests/e2e/plugin/proxy-stand-in.ts)';
    return { dataSource, close: () => proxy.close(), grafana: undefined };
  }
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR ?? '';
  // A dashboard's viewer: the stand-in's user with the org role Viewer.
  const password = fs.readFileSync(path.join(runDir, 'grafana-viewer-password'), 'utf8').trim();
  const grafana = grafanaFetch({ url: GRAFANA_URL, user: 'viewer', password });
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
  details.via = `data source ${GRAFANA_DATASOURCE_UID} provisioned into the Grafana stand-in (not Grafana), through its proxy, as a Viewer`;
  details.real = false;
  return { dataSource: new DataSource(settings!, replaceVariables, kube), close: () => undefined, grafana };
}

/** The dashboard a viewer opens is the one Grafana imported from the app's `includes`: the file, at its revision. */
async function expectImportedByGrafana(grafana: ReturnType<typeof grafanaFetch>, dashboard: Dashboard) {
  const imported = await lastValueFrom(
    grafana.fetch<{ dashboard: Dashboard & { id: number; version: number } }>({
      url: `/api/dashboards/uid/${dashboard.uid}`,
    })
  );
  const { id: _id, version: _version, ...content } = imported.data.dashboard;
  const { version: _fileVersion, ...file } = dashboard as Dashboard & { version?: number };
  expect(content).toEqual(file);
  expect(content.revision).toBeGreaterThanOrEqual(2);
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
          await expectImportedByGrafana(grafana, dashboard);
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
        // A canary weight series for every selected rollout; one count of rollouts in progress.
        expect(Object.keys(result.series['Canary weight']).sort()).toEqual(
          expect.arrayContaining(namespaces.map((ns) => expect.stringMatching(new RegExp(`^${ns}/`))))
        );
        expect(Object.keys(result.series['Rollouts in progress'])).toEqual(['Rollouts in progress']);
        expect(Object.keys(result.annotations)).toHaveLength(5);
        // The scenarios succeed, abort, fail and roll back, and all have steps or superseded revisions.
        ['Rollouts succeeded', 'Rollouts failed or aborted', 'Rollouts rolled back', 'Other rollout activity'].forEach(
          (layer) => expect([layer, result.annotations[layer] > 0]).toEqual([layer, true])
        );
        expectNoProblems(result);

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
          await expectImportedByGrafana(grafana, dashboard);
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
        // One rollout: its status table has exactly one row, its weight one series.
        expect(result.panels.Status).toBe(1);
        expect(Object.keys(result.series['Canary weight'])).toEqual([`${DETAIL_NAMESPACE}/${rollouts[0]}`]);
        expect(Object.values(result.annotations).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        expectNoProblems(result);
      } finally {
        close();
      }
      return details;
    },
    { against: DASHBOARDS_AGAINST }
  );
});
