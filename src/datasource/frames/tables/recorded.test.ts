/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import type { DataFrame } from '@grafana/data';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';

import type { AnalysisRun, Experiment, Rollout } from '../../model/argo';
import { CATEGORIES } from '../../timeline/types';
import { analysisRunsTable } from './analysisRuns';
import { eventsTable } from './events';
import { rolloutsTable } from './rollouts';
import { loadInfoObject, recordedScenarios, type RecordedScenario } from './testdata';

/**
 * Cross-checks the tables against objects recorded from a real controller (tests/fixtures/recorded/<scenario>):
 * what each table says must be what the recorded objects say.
 */
const scenarios = recordedScenarios();
const now = Date.parse('2030-01-01T00:00:00Z');

function values(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return field.values;
}

function expectNewestFirst(times: unknown[]) {
  const known = times.filter((time): time is number => typeof time === 'number');
  expect(known).toEqual([...known].sort((a, b) => b - a));
}

/** The kubectl plugin's info testdata as one more scenario (it has no Events), so the checks always run. */
const infoTestdata: RecordedScenario = {
  name: 'info testdata',
  items<T>(kind: string): T[] {
    const files: Record<string, string[]> = {
      rollouts: [
        'canary/canary-rollout.yaml',
        'blue-green/bluegreen-rollout.yaml',
        'rollout-aborted/rollout.yaml',
        // experiment-step/canary-demo.yaml is another snapshot of jesse-test/canary-demo: left out.
        'experiment-analysis/rollout-experiment-analysis.yaml',
      ],
      replicasets: [
        'canary/canary-rs.yaml',
        'canary/stable-rs.yaml',
        'blue-green/active-rs.yaml',
        'blue-green/preview-rs.yaml',
        'rollout-aborted/rs1.yaml',
        'rollout-aborted/rs2.yaml',
        'experiment-analysis/canary-rs.yaml',
        'experiment-analysis/stable-rs.yaml',
      ],
      analysisruns: [
        'rollout-aborted/analysisrun.yaml',
        'experiment-analysis/canary-analysis.yaml',
        'experiment-step/canary-exp-analysis.yaml',
      ],
      experiments: ['experiment-analysis/experiment.yaml', 'experiment-step/canary-exp.yaml'],
    };
    return (files[kind] ?? []).map((file) => loadInfoObject<T>(file));
  },
};

describe.each([infoTestdata, ...scenarios].map((scenario) => [scenario.name, scenario] as const))(
  'scenario %s',
  (_name, scenario) => {
    const rollouts = scenario.items<Rollout>('rollouts');
    const replicaSets = scenario.items<ReplicaSet>('replicasets');
    const events = scenario.items<Event>('events');
    const analysisRuns = scenario.items<AnalysisRun>('analysisruns');
    const experiments = scenario.items<Experiment>('experiments');

    it('lists every rollout with the revision, phase, replicas and images of its object', () => {
      const frame = rolloutsTable(rollouts, replicaSets, { cluster: 'testbed', now });
      expect(frame.length).toBe(rollouts.length);
      for (const rollout of rollouts) {
        const index = values(frame, 'name').indexOf(rollout.metadata?.name);
        expect(index).toBeGreaterThanOrEqual(0);
        const annotated = rollout.metadata?.annotations?.['rollout.argoproj.io/revision'];
        expect(values(frame, 'currentRevision')[index]).toBe(annotated === undefined ? null : Number(annotated));
        if (rollout.status?.observedGeneration === String(rollout.metadata?.generation) && rollout.status?.phase) {
          expect(values(frame, 'phase')[index]).toBe(rollout.status.phase);
        }
        expect(values(frame, 'desiredReplicas')[index]).toBe(rollout.spec?.replicas ?? 1);
        const images = (rollout.spec?.template?.spec?.containers ?? []).map((c) => c.image).join(', ');
        if (images) {
          expect(values(frame, 'images')[index]).toBe(images);
        }
      }
      expectNewestFirst(values(frame, 'lastTransition'));
    });

    it('lists every Argo event with its count and the Rollout it is about', () => {
      const frame = eventsTable(events, { cluster: 'testbed', rollouts, analysisRuns, experiments });
      const argoEvents = events.filter((e) => (e.involvedObject?.apiVersion ?? '').startsWith('argoproj.io/'));
      expect(frame.length).toBe(argoEvents.length);
      expectNewestFirst(values(frame, 'lastTime'));
      const kinds = values(frame, 'objectKind');
      values(frame, 'rollout').forEach((rollout, i) => {
        if (kinds[i] === 'Rollout') {
          expect(rollout).toBe(values(frame, 'objectName')[i]);
        }
      });
      for (const count of values(frame, 'count')) {
        expect(count).toBeGreaterThanOrEqual(1);
      }
      for (const category of values(frame, 'category')) {
        expect(CATEGORIES).toContain(category);
      }
    });

    it('lists every analysis run with the phase, owner and revision of its object', () => {
      const frame = analysisRunsTable(analysisRuns, { cluster: 'testbed', now, rollouts, experiments });
      expect(frame.length).toBe(analysisRuns.length);
      for (const run of analysisRuns) {
        const index = values(frame, 'name').indexOf(run.metadata?.name);
        expect(values(frame, 'phase')[index]).toBe(run.status?.phase ?? null);
        const owner = run.metadata?.ownerReferences?.find((o) => o.kind === 'Rollout');
        if (owner) {
          expect(values(frame, 'rollout')[index]).toBe(owner.name);
          expect(values(frame, 'revision')[index]).toBe(
            Number(run.metadata?.annotations?.['rollout.argoproj.io/revision'])
          );
        }
      }
      expectNewestFirst(values(frame, 'started'));
    });
  }
);
