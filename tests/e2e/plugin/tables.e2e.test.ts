/**
 * Real-stack checks of the tables and variables: each compared, row by row and column by column, with what the
 * test-bed cluster holds (read with the admin token) or, for the revision history, with what the oracle
 * (tests/e2e/oracle/) derives from what the scenario drivers observed. Every column the cluster determines is
 * compared; left out are only those set by the data source's configuration (cluster, tags) or by the clock (age,
 * duration). The plugin reads with the least-privilege ServiceAccount from deploy/.
 */
import { dateTime, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import type { RolloutLensQuery } from '../../../src/datasource/types';
import { expectedRevisions } from '../oracle/oracle.mjs';
import { check } from './checks';
import { adminList, readObservations, SCENARIOS, testbedDataSource, VIA_PROXY_STAND_IN } from './testbed';

type Row = Record<string, unknown>;
type KubeObject = Record<string, any>;

const REVISION = 'rollout.argoproj.io/revision';
const HASH = 'rollouts-pod-template-hash';
/** Kubernetes timestamps have one-second resolution: a time shown within a second of the expected one is right. */
const RESOLUTION_MS = 1000;
const SCENARIO_NAMESPACES = SCENARIOS.map((scenario) => `e2e-${scenario}`).sort();

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

async function table(target: Partial<RolloutLensQuery>): Promise<Row[]> {
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

const ms = (timestamp: string | undefined) => (timestamp ? Date.parse(timestamp) : null);
/** Absent, null and empty text all read as null: a table cell shows nothing for each. */
const value = (v: unknown) => (v === undefined || v === '' ? null : v);
const sortedBy = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** The columns of `row` named in `expected`, normalized, for a comparison that shows every difference at once. */
function shown(row: Row | undefined, expected: Row): Row {
  return Object.fromEntries(Object.keys(expected).map((column) => [column, value(row?.[column])]));
}

/** Times within the cluster's resolution compare equal: the expected value replaces a shown one that close. */
function withinResolution(actual: Row, expected: Row, columns: string[]): Row {
  const aligned = { ...actual };
  for (const column of columns) {
    const a = actual[column];
    const e = expected[column];
    if (typeof a === 'number' && typeof e === 'number' && Math.abs(a - e) <= RESOLUTION_MS) {
      aligned[column] = e;
    }
  }
  return aligned;
}

/** The scenario namespaces that have Rollouts: all seven, or the checks compare nothing. */
async function scenarioNamespaces(): Promise<string[]> {
  const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
  const namespaces = [...new Set(rollouts.map((r) => r.metadata.namespace as string))]
    .filter((ns) => ns.startsWith('e2e-'))
    .sort();
  expect(namespaces).toEqual(SCENARIO_NAMESPACES);
  return namespaces;
}

/** Argo Rollouts' weight for the canary now (rolloututil GetCurrentSetWeight): 0 aborted, 100 done, else the last setWeight. */
function setWeight(rollout: KubeObject): number | null {
  const canary = rollout.spec.strategy.canary;
  if (!canary) {
    return null;
  }
  const steps: KubeObject[] = canary.steps ?? [];
  const index = rollout.status.currentStepIndex ?? 0;
  if (rollout.status.abort) {
    return 0;
  }
  if (index >= steps.length) {
    return 100;
  }
  const last = steps
    .slice(0, index + 1)
    .reverse()
    .find((step) => typeof step.setWeight === 'number');
  return last ? last.setWeight : 0;
}

/** The row the cluster determines for a Rollout, from the Rollout and its ReplicaSets (Argo Rollouts' fields). */
function expectedRolloutRow(rollout: KubeObject, replicaSets: KubeObject[]): Row {
  const status = rollout.status;
  const owned = replicaSets.filter((rs) =>
    (rs.metadata.ownerReferences ?? []).some((o: KubeObject) => o.uid === rollout.metadata.uid)
  );
  const revisionOfHash = (hash: string | undefined) => {
    const rs = owned.find((r) => r.metadata.labels?.[HASH] === hash);
    return rs ? Number(rs.metadata.annotations[REVISION]) : null;
  };
  const steps = rollout.spec.strategy.canary?.steps;
  const transitions = (status.conditions ?? []).map((c: KubeObject) => Date.parse(c.lastTransitionTime));
  return {
    namespace: rollout.metadata.namespace,
    name: rollout.metadata.name,
    strategy: rollout.spec.strategy.canary ? 'canary' : 'blueGreen',
    phase: status.phase,
    message: value(status.message),
    step: steps?.length ? `${status.currentStepIndex ?? 0}/${steps.length}` : null,
    canaryWeight: setWeight(rollout),
    stableRevision: revisionOfHash(status.stableRS),
    currentRevision: revisionOfHash(status.currentPodHash),
    images: rollout.spec.template.spec.containers.map((c: KubeObject) => c.image).join(', '),
    desiredReplicas: rollout.spec.replicas ?? 1,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    paused: rollout.spec.paused === true || (status.pauseConditions ?? []).length > 0,
    aborted: status.abort === true,
    lastTransition: transitions.length ? Math.max(...transitions) : null,
    revisionHistoryLimit: rollout.spec.revisionHistoryLimit ?? 10,
  };
}

describe('tables and variables against the test bed', () => {
  check(
    'tables/rollouts',
    async (details) => {
      const namespaces = await scenarioNamespaces();
      const inScenarios = (o: KubeObject) => namespaces.includes(o.metadata.namespace);
      const rollouts = (await adminList('/apis/argoproj.io/v1alpha1/rollouts')).filter(inScenarios);
      const replicaSets = (await adminList('/apis/apps/v1/replicasets')).filter(inScenarios);
      const rows = await table({ queryType: 'rollouts', namespaces });
      const expected = sortedBy(
        rollouts.map((r) => expectedRolloutRow(r, replicaSets)),
        (r) => `${r.namespace}/${r.name}`
      );
      const actual = sortedBy(
        rows.map((row) => shown(row, expected[0])),
        (r) => `${r.namespace}/${r.name}`
      );
      Object.assign(details, { namespaces, rows: actual });
      expect(actual).toEqual(expected);
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/revisions',
    async (details) => {
      const namespaces = await scenarioNamespaces();
      const expected = sortedBy(
        SCENARIOS.flatMap((scenario) => expectedRevisions(readObservations(scenario))).map((r) => ({
          namespace: r.namespace,
          rollout: r.rollout,
          revision: r.revision,
          started: r.started,
          ended: r.ended ?? null,
          outcome: r.outcome,
          images: r.images.join(', '),
          stepsReached: r.stepsReached ?? null,
        })),
        (r) => `${r.namespace}/${r.rollout}#${r.revision}`
      );
      const rows = await table({ queryType: 'revisions', namespaces });
      const actual = sortedBy(
        rows.map((row) => shown(row, expected[0])),
        (r) => `${r.namespace}/${r.rollout}#${r.revision}`
      );
      Object.assign(details, { expected, rows: actual });
      const key = (r: Row) => `${r.namespace}/${r.rollout}#${r.revision}`;
      expect(actual.map(key)).toEqual(expected.map(key));
      expect(actual.map((row, i) => withinResolution(row, expected[i], ['started', 'ended']))).toEqual(expected);
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/events',
    async (details) => {
      const namespaces = await scenarioNamespaces();
      const inScenarios = (o: KubeObject) => namespaces.includes(o.metadata.namespace);
      const runs = (await adminList('/apis/argoproj.io/v1alpha1/analysisruns')).filter(inScenarios);
      const experiments = (await adminList('/apis/argoproj.io/v1alpha1/experiments')).filter(inScenarios);
      const named = (objects: KubeObject[], namespace: string, name: string) =>
        objects.find((o) => o.metadata.namespace === namespace && o.metadata.name === name);
      // An AnalysisRun's owner is its Rollout, or the Experiment of an experiment step, whose owner is the Rollout.
      const rolloutOwning = (object: KubeObject | undefined): string | undefined => {
        const owners: KubeObject[] = object?.metadata.ownerReferences ?? [];
        const experiment = owners.find((o) => o.kind === 'Experiment');
        return (
          owners.find((o) => o.kind === 'Rollout')?.name ??
          (experiment && rolloutOwning(named(experiments, object!.metadata.namespace, experiment.name)))
        );
      };
      const rolloutOf = (e: KubeObject) =>
        e.involvedObject.kind === 'Rollout'
          ? e.involvedObject.name
          : rolloutOwning(
              named(
                e.involvedObject.kind === 'Experiment' ? experiments : runs,
                e.metadata.namespace,
                e.involvedObject.name
              )
            );
      // The step a step's Event names: the step that completed, or the plugin step that changed.
      const stepOf = (e: KubeObject): number | null => {
        const named =
          e.reason === 'RolloutStepCompleted'
            ? /^Rollout step (\d+)\//.exec(e.message)
            : e.reason === 'StepPluginTransition'
              ? /\(step (\d+)\)/.exec(e.message)
              : null;
        return named ? Number(named[1]) : null;
      };
      const events = (await adminList('/api/v1/events')).filter(
        (e) =>
          namespaces.includes(e.metadata.namespace) &&
          ['Rollout', 'AnalysisRun', 'Experiment'].includes(e.involvedObject.kind)
      );
      const describe = (e: Row) => `${e.namespace} ${e.objectKind}/${e.objectName} ${e.reason} ${e.message}`;
      const expected = sortedBy(
        events.map((e) => ({
          namespace: e.metadata.namespace,
          objectKind: e.involvedObject.kind,
          objectName: e.involvedObject.name,
          rollout: value(rolloutOf(e)),
          type: e.type,
          reason: e.reason,
          message: e.message,
          count: e.count ?? 1,
          firstTime: ms(e.firstTimestamp),
          lastTime: ms(e.lastTimestamp),
          step: stepOf(e),
        })),
        describe
      );
      expect(expected.length).toBeGreaterThan(0);
      const rows = await table({ queryType: 'events', namespaces });
      const actual = sortedBy(
        rows.map((row) => shown(row, expected[0])),
        describe
      );
      details.events = actual.length;
      expect(actual).toEqual(expected);
      // Newest first.
      const lastTimes = rows.map((r) => r.lastTime as number);
      expect(lastTimes).toEqual([...lastTimes].sort((a, b) => b - a));
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'tables/analysisruns',
    async (details) => {
      const namespaces = await scenarioNamespaces();
      const inScenarios = (o: KubeObject) => namespaces.includes(o.metadata.namespace);
      const runs = (await adminList('/apis/argoproj.io/v1alpha1/analysisruns')).filter(inScenarios);
      const experiments = (await adminList('/apis/argoproj.io/v1alpha1/experiments')).filter(inScenarios);
      // The two analysis scenarios each ran one; each Experiment of experiment-step one (two when the experiment
      // controller created it again from a stale cache).
      expect([...new Set(runs.map((r) => r.metadata.namespace))].sort()).toEqual([
        'e2e-analysis-failure',
        'e2e-analysis-success',
        'e2e-experiment-step',
      ]);
      /** The Experiment that owns an experiment step's run: its Rollout and revision are the run's. */
      const experimentOf = (run: KubeObject) => {
        const owner = run.metadata.ownerReferences.find((o: KubeObject) => o.kind === 'Experiment');
        return experiments.find(
          (e) => e.metadata.namespace === run.metadata.namespace && e.metadata.name === owner?.name
        );
      };
      const kindOf: Record<string, string> = {
        Step: 'step',
        Background: 'background',
        PrePromotion: 'pre-promotion',
        PostPromotion: 'post-promotion',
      };
      const expected = sortedBy(
        runs.map((r) => {
          const failing = (r.status.metricResults ?? []).filter((m: KubeObject) =>
            ['Failed', 'Error', 'Inconclusive'].includes(m.phase)
          );
          const experiment = experimentOf(r);
          const owner = experiment ?? r;
          const stepIndex = r.metadata.labels?.['step-index'];
          return {
            namespace: r.metadata.namespace,
            name: r.metadata.name,
            rollout: owner.metadata.ownerReferences.find((o: KubeObject) => o.kind === 'Rollout').name,
            revision: Number(owner.metadata.annotations[REVISION]),
            kind: experiment ? 'experiment' : kindOf[r.metadata.labels['rollout-type']],
            stepIndex: stepIndex === undefined ? null : Number(stepIndex),
            phase: r.status.phase,
            started: ms(r.status.startedAt),
            completed: ms(r.status.completedAt),
            failingMetric: failing.length ? failing.map((m: KubeObject) => m.name).join(', ') : null,
            message: value(r.status.message),
          };
        }),
        (r) => `${r.namespace}/${r.name}`
      );
      const rows = await table({ queryType: 'analysisRuns', namespaces });
      const actual = sortedBy(
        rows.map((row) => shown(row, expected[0])),
        (r) => `${r.namespace}/${r.name}`
      );
      details.runs = actual;
      expect(actual).toEqual(expected);
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'variables/namespaces',
    async (details) => {
      await scenarioNamespaces();
      const { dataSource, proxy } = testbedDataSource();
      const values = await dataSource.metricFindQuery({ kind: 'namespaces' });
      proxy.close();
      const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
      const expected = [...new Set(rollouts.map((r) => r.metadata.namespace as string))].sort();
      details.values = values.map((v) => v.text);
      expect(values.map((v) => [v.text, v.value])).toEqual(expected.map((ns) => [ns, ns]));
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );

  check(
    'variables/rollouts',
    async (details) => {
      const namespaces = await scenarioNamespaces();
      const { dataSource, proxy } = testbedDataSource();
      const perNamespace: Record<string, string[]> = {};
      try {
        for (const namespace of namespaces) {
          perNamespace[namespace] = (await dataSource.metricFindQuery(`rollouts(${namespace})`)).map((v) =>
            String(v.value)
          );
        }
      } finally {
        proxy.close();
      }
      const rollouts = await adminList('/apis/argoproj.io/v1alpha1/rollouts');
      const expected = Object.fromEntries(
        namespaces.map((namespace) => [
          namespace,
          rollouts
            .filter((r) => r.metadata.namespace === namespace)
            .map((r) => r.metadata.name as string)
            .sort(),
        ])
      );
      details.rollouts = perNamespace;
      expect(perNamespace).toEqual(expected);
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
