/**
 * Real-stack checks of issue 6: each table and variable the plugin returns, compared with what the test-bed
 * cluster holds (read with the admin token). The plugin reads with the least-privilege ServiceAccount from deploy/.
 */
import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { RolloutLensQuery } from '../../../src/datasource/types';
import { check } from './checks';
import { adminList, testbedDataSource, VIA_PROXY_STAND_IN } from './testbed';

const SCENARIO_NAMESPACE = /^e2e-/;

function tableRequest(target: Partial<RolloutLensQuery>): DataQueryRequest<RolloutLensQuery> {
  const to = dateTime();
  const from = dateTime(Date.now() - 24 * 3_600_000);
  return {
    requestId: 'e2e',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets: [{ refId: 'A', ...target } as RolloutLensQuery],
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}

async function table(target: Partial<RolloutLensQuery>): Promise<Array<Record<string, unknown>>> {
  const { dataSource, proxy } = testbedDataSource();
  try {
    const response = await firstValueFrom(dataSource.query(tableRequest(target)));
    expect(response.errors ?? []).toEqual([]);
    const frame = response.data[0] as DataFrame;
    return Array.from({ length: frame.length }, (_, row) =>
      Object.fromEntries(frame.fields.map((field) => [field.name, field.values[row]]))
    );
  } finally {
    proxy.close();
  }
}

const key = (namespace: unknown, name: unknown) => `${namespace}/${name}`;
const sorted = (values: string[]) => [...values].sort();

async function scenarioNamespaces(): Promise<string[]> {
  const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
  return sorted(
    [...new Set(rollouts.map((r) => r.metadata.namespace as string))].filter((ns) => SCENARIO_NAMESPACE.test(ns))
  );
}

describe('tables and variables against the test bed', () => {
  check(
    'tables/rollouts',
    async () => {
      const namespaces = await scenarioNamespaces();
      const expected = (await adminList('/apis/argoproj.io/v1alpha1/rollouts')).filter((r) =>
        namespaces.includes(r.metadata.namespace)
      );
      const rows = await table({ queryType: 'rollouts', namespaces });
      expect(sorted(rows.map((r) => key(r.namespace, r.name)))).toEqual(
        sorted(expected.map((r) => key(r.metadata.namespace, r.metadata.name)))
      );
      for (const rollout of expected) {
        const row = rows.find((r) => r.namespace === rollout.metadata.namespace && r.name === rollout.metadata.name)!;
        expect(row.phase).toBe(rollout.status.phase);
        expect(row.desiredReplicas).toBe(rollout.spec.replicas);
        expect(row.availableReplicas).toBe(rollout.status.availableReplicas ?? 0);
        expect(row.aborted).toBe(Boolean(rollout.status.abort));
      }
      return {
        namespaces,
        rows: rows.map((r) => ({ rollout: key(r.namespace, r.name), phase: r.phase, step: r.step })),
      };
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/revisions',
    async () => {
      const namespaces = await scenarioNamespaces();
      const replicaSets = (await adminList('/apis/apps/v1/replicasets')).filter(
        (rs) =>
          namespaces.includes(rs.metadata.namespace) &&
          rs.metadata.ownerReferences?.some((o: { kind: string }) => o.kind === 'Rollout')
      );
      const rows = await table({ queryType: 'revisions', namespaces });
      const rowKeys = new Set(rows.map((r) => `${key(r.namespace, r.rollout)}#${r.revision}`));
      const expected = replicaSets.map(
        (rs) =>
          `${key(rs.metadata.namespace, rs.metadata.ownerReferences.find((o: { kind: string }) => o.kind === 'Rollout').name)}#${rs.metadata.annotations['rollout.argoproj.io/revision']}`
      );
      // Every revision the cluster keeps a ReplicaSet for is a row of the history.
      expected.forEach((revision) => expect(rowKeys).toContain(revision));
      rows.forEach((row) => {
        if (typeof row.ended === 'number') {
          expect(row.ended).toBeGreaterThanOrEqual(row.started as number);
        }
      });
      return { revisions: sorted([...rowKeys]), fromReplicaSets: sorted(expected) };
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/events',
    async () => {
      const namespaces = await scenarioNamespaces();
      const events = (await adminList('/api/v1/events')).filter(
        (e) =>
          namespaces.includes(e.metadata.namespace) &&
          ['Rollout', 'AnalysisRun', 'Experiment'].includes(e.involvedObject.kind)
      );
      const rows = await table({ queryType: 'events', namespaces });
      const describe = (kind: unknown, name: unknown, reason: unknown, count: unknown) =>
        `${kind}/${name} ${reason} x${count}`;
      expect(sorted(rows.map((r) => describe(r.objectKind, r.objectName, r.reason, r.count)))).toEqual(
        sorted(events.map((e) => describe(e.involvedObject.kind, e.involvedObject.name, e.reason, e.count ?? 1)))
      );
      const lastTimes = rows.map((r) => r.lastTime as number);
      expect(lastTimes).toEqual([...lastTimes].sort((a, b) => b - a));
      return { events: rows.length };
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/analysisruns',
    async () => {
      const namespaces = await scenarioNamespaces();
      const runs = (await adminList('/apis/argoproj.io/v1alpha1/analysisruns')).filter((r) =>
        namespaces.includes(r.metadata.namespace)
      );
      expect(runs.length).toBeGreaterThan(0);
      const rows = await table({ queryType: 'analysisRuns', namespaces });
      expect(sorted(rows.map((r) => `${key(r.namespace, r.name)} ${r.phase}`))).toEqual(
        sorted(runs.map((r) => `${key(r.metadata.namespace, r.metadata.name)} ${r.status?.phase}`))
      );
      const failed = rows.find((r) => r.phase === 'Failed');
      expect(failed?.failingMetric).toBeTruthy();
      return {
        runs: rows.map((r) => ({
          run: key(r.namespace, r.name),
          phase: r.phase,
          kind: r.kind,
          failingMetric: r.failingMetric,
        })),
      };
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'variables/namespaces',
    async () => {
      const { dataSource, proxy } = testbedDataSource();
      const values = await dataSource.metricFindQuery({ kind: 'namespaces' });
      proxy.close();
      const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
      expect(values.map((v) => v.value)).toEqual(
        sorted([...new Set(rollouts.map((r) => r.metadata.namespace as string))])
      );
      return { values: values.map((v) => v.text) };
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'variables/rollouts',
    async () => {
      const namespaces = await scenarioNamespaces();
      const { dataSource, proxy } = testbedDataSource();
      const perNamespace: Record<string, string[]> = {};
      for (const namespace of namespaces) {
        perNamespace[namespace] = (await dataSource.metricFindQuery(`rollouts(${namespace})`)).map((v) =>
          String(v.value)
        );
      }
      proxy.close();
      const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
      for (const namespace of namespaces) {
        expect(perNamespace[namespace]).toEqual(
          sorted(rollouts.filter((r) => r.metadata.namespace === namespace).map((r) => r.metadata.name as string))
        );
      }
      return { rollouts: perNamespace };
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
