/**
 * Real-stack checks of issue 5: for every test-bed scenario, the annotations the plugin returns (through the
 * least-privilege ServiceAccount) hold the markers and regions, with outcomes, of what the real controller did.
 */
import { type Annotation, annotationsOf, find, summary } from './annotations';
import { check } from './checks';

interface Expected {
  kind: Annotation['kind'];
  tags: string[];
  /** Words the title or text must contain. */
  says?: RegExp;
}

const EXPECTED: Record<string, Expected[]> = {
  'canary-promote': [
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded'] },
    { kind: 'region', tags: ['revision:2', 'category:steps', 'reason:RolloutPaused'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutStepCompleted'], says: /step \d\/4 \(weight 75%\)/ },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutResumed'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutCompleted', 'outcome:succeeded'] },
  ],
  'canary-abort': [
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:aborted'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutAborted', 'outcome:aborted'] },
  ],
  'bluegreen-promote': [
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded', 'strategy:blueGreen'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutCompleted'] },
  ],
  'analysis-success': [
    { kind: 'region', tags: ['revision:2', 'category:analysis', 'outcome:succeeded'] },
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:succeeded'] },
  ],
  'analysis-failure': [
    { kind: 'point', tags: ['revision:2', 'category:analysis', 'outcome:failed'], says: /web-ok/ },
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:aborted'] },
    { kind: 'point', tags: ['revision:2', 'reason:RolloutAborted'] },
  ],
  rollback: [
    { kind: 'region', tags: ['revision:2', 'category:lifecycle', 'outcome:rolledBack'] },
    { kind: 'region', tags: ['revision:3', 'category:lifecycle', 'outcome:succeeded'] },
    { kind: 'point', tags: ['revision:3', 'outcome:rolledBack'], says: /revision 3 reuses the ReplicaSet of revision 1/ },
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
