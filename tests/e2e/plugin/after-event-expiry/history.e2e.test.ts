/**
 * Kubernetes deletes Events after an hour. This check deletes every Event of the scenario namespaces (run last:
 * tests/e2e/run.sh runs this folder after the other plugin checks) and asserts that the history the cluster still
 * keeps (ReplicaSets, AnalysisRuns, Rollout status) still gives each revision's entry with its outcome, marked
 * as reconstructed (a region, or a point when the fast scenario started and ended it within one second).
 */
import { find, summary, annotationsOf } from '../annotations';
import { check } from '../checks';
import { adminList, adminRequest, VIA_PROXY_STAND_IN } from '../testbed';

const EXPECTED_REGIONS: Record<string, string[][]> = {
  'canary-promote': [['revision:2', 'outcome:succeeded']],
  'canary-abort': [['revision:2', 'outcome:aborted']],
  'bluegreen-promote': [['revision:2', 'outcome:succeeded']],
  'analysis-success': [['revision:2', 'outcome:succeeded']],
  'analysis-failure': [['revision:2', 'outcome:aborted']],
  rollback: [['revision:2', 'outcome:rolledBack']],
};

describe('history after the events expired', () => {
  check(
    'annotations/history-after-event-expiry',
    async (details) => {
      const namespaces = Object.keys(EXPECTED_REGIONS).map((scenario) => `e2e-${scenario}`);
      for (const namespace of namespaces) {
        await adminRequest('DELETE', `/api/v1/namespaces/${namespace}/events`);
      }
      const left = (await adminList('/api/v1/events')).filter(
        (event) => namespaces.includes(event.metadata.namespace) && event.involvedObject.kind !== 'Pod'
      );
      expect(left.map((event) => `${event.involvedObject.kind}/${event.involvedObject.name} ${event.reason}`)).toEqual(
        []
      );

      const returned: Record<string, string[]> = {};
      details.returned = returned;
      const missing: string[] = [];
      for (const [scenario, regions] of Object.entries(EXPECTED_REGIONS)) {
        const annotations = await annotationsOf(`e2e-${scenario}`);
        returned[scenario] = summary(annotations);
        regions.forEach((tags) => {
          const revision = tags.find((tag) => tag.startsWith('revision:'))!.slice('revision:'.length);
          const region = find(annotations, 'any', ['category:lifecycle', 'precision:reconstructed', ...tags]).filter(
            (a) => new RegExp(`rev ${revision}: rollout `).test(a.title)
          );
          if (region.length === 0) {
            missing.push(`${scenario}: reconstructed region ${tags.join(' ')}`);
          }
        });
        // Nothing can claim to come from an Event any more.
        expect(
          annotations.filter(
            (a) =>
              a.tags.some((tag) => tag.startsWith('reason:')) &&
              a.tags.includes('precision:exact') &&
              /Event/.test(a.text)
          )
        ).toEqual([]);
      }
      // The rollback itself: revision 3 reuses revision 1's ReplicaSet, known from its revision-history annotation.
      const rollback = await annotationsOf('e2e-rollback');
      if (
        !rollback.some(
          (a) =>
            a.tags.includes('revision:3') &&
            a.tags.includes('outcome:rolledBack') &&
            /reuses the ReplicaSet of revision 1/.test(a.title)
        )
      ) {
        missing.push('rollback: revision 3 marked as a rollback to revision 1');
      }
      expect(missing).toEqual([]);
      return { returned };
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
