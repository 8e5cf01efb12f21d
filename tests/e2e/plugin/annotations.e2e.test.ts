/**
 * Real-stack checks of issue 5: for every test-bed scenario, the annotations the plugin returns (through the
 * least-privilege ServiceAccount) hold the markers and regions, with outcomes, of what the real controller did.
 */
import { type Annotation, annotationsOf, find, summary } from './annotations';
import { check } from './checks';

interface Expected {
  kind: Annotation['kind'] | 'any';
  tags: string[];
  /** Words the title or text must contain. */
  says?: RegExp;
}

const EXPECTED: Record<string, Expected[]> = {
  // Revision 2 includes a timed pause of two seconds, so it always spans time: a region.
  'canary-promote': [
    {
      kind: 'region',
      tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded'],
      says: /rev 2: rollout succeeded/,
    },
    { kind: 'any', tags: ['revision:2', 'category:steps', 'reason:RolloutPaused'], says: /paused/ },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutStepCompleted'], says: /step \d\/4 \(weight 75%\)/ },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutResumed'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutCompleted', 'outcome:succeeded'] },
  ],
  'canary-abort': [
    { kind: 'any', tags: ['revision:2', 'category:lifecycle', 'outcome:aborted'], says: /rev 2: rollout aborted/ },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutAborted', 'outcome:aborted'] },
  ],
  'bluegreen-promote': [
    {
      kind: 'any',
      tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded', 'strategy:blueGreen'],
      says: /rev 2: rollout succeeded/,
    },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutCompleted'] },
  ],
  'analysis-success': [
    { kind: 'any', tags: ['revision:2', 'category:analysis', 'outcome:succeeded'], says: /analysis Successful/ },
    { kind: 'any', tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded'], says: /rev 2: rollout succeeded/ },
  ],
  // The AnalysisRun and the Events reporting its result are one entry: a point when it started and failed within
  // the same second, else a region.
  'analysis-failure': [
    { kind: 'any', tags: ['revision:2', 'category:analysis', 'outcome:failed'], says: /web-ok/ },
    { kind: 'any', tags: ['revision:2', 'category:lifecycle', 'outcome:aborted'], says: /rev 2: rollout aborted/ },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutAborted'] },
  ],
  rollback: [
    {
      kind: 'any',
      tags: ['revision:2', 'category:lifecycle', 'outcome:rolledBack'],
      says: /rev 2: rollout rolled back/,
    },
    { kind: 'any', tags: ['revision:3', 'category:lifecycle', 'outcome:succeeded'], says: /rev 3: rollout succeeded/ },
    {
      kind: 'point',
      tags: ['revision:3', 'outcome:rolledBack'],
      says: /revision 3 reuses the ReplicaSet of revision 1/,
    },
  ],
  restart: [{ kind: 'point', tags: ['revision:1', 'category:lifecycle'], says: /[Rr]estart/ }],
};

describe('annotations of every test-bed scenario', () => {
  Object.entries(EXPECTED).forEach(([scenario, expected]) => {
    check(`annotations/${scenario}`, async () => {
      const annotations = await annotationsOf(`e2e-${scenario}`);
      const missing = expected.filter(
        (e) => !find(annotations, e.kind, e.tags).some((a) => !e.says || e.says.test(`${a.title}\n${a.text}`))
      );
      expect({ missing }).toEqual({ missing: [] });
      annotations.forEach((a) => {
        expect(a.timeEnd).toBeGreaterThanOrEqual(a.time);
        expect(a.tags).toEqual(expect.arrayContaining(['cluster:testbed', `namespace:e2e-${scenario}`]));
        expect(a.text).toMatch(/exact|reconstructed|Event|status|ReplicaSet/i);
      });
      return { expected, returned: summary(annotations) };
    });
  });
});
