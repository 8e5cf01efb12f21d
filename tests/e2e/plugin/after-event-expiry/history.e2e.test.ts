/**
 * Kubernetes deletes Events after an hour. This check deletes every Event of the scenario namespaces (run last:
 * tests/e2e/run.sh runs this folder after the other plugin checks) and asserts that the lifecycle and analysis
 * entries (and the step entries of the scenarios with plugin and experiment steps) the plugin then shows are exactly
 * those the oracle (tests/e2e/oracle/) derives from the durable objects the scenario drivers observed, without their
 * Events: each revision with its outcome, marked as reconstructed, the plugin steps of each Rollout's current update,
 * and nothing that claims to come from an Event.
 */
import { compareEntries, entryKey, expectedEntries } from '../../oracle/oracle.mjs';
import { annotationsOf, asEntry, summary } from '../annotations';
import { check } from '../checks';
import {
  adminList,
  adminRequest,
  comparedCategories,
  isCompared,
  readObservations,
  SCENARIOS,
  VIA_PROXY_STAND_IN,
} from '../testbed';

describe('history after the events expired', () => {
  check(
    'annotations/history-after-event-expiry',
    async (details) => {
      const namespaces = SCENARIOS.map((scenario) => `e2e-${scenario}`);
      const observations = Object.fromEntries(SCENARIOS.map((scenario) => [scenario, readObservations(scenario)]));
      for (const namespace of namespaces) {
        await adminRequest('DELETE', `/api/v1/namespaces/${namespace}/events`);
      }
      const left = (await adminList('/api/v1/events')).filter(
        (event) => namespaces.includes(event.metadata.namespace) && event.involvedObject.kind !== 'Pod'
      );
      expect(left.map((event) => `${event.involvedObject.kind}/${event.involvedObject.name} ${event.reason}`)).toEqual(
        []
      );

      const differences: Record<string, { missing: string[]; extra: string[] }> = {};
      const returned: Record<string, string[]> = {};
      const claimsAnEvent: string[] = [];
      const notReconstructed: string[] = [];
      for (const scenario of SCENARIOS) {
        const categories = comparedCategories(scenario);
        const expected = expectedEntries({ ...(observations[scenario] as object), events: [] }, Date.now()).filter(
          isCompared(scenario)
        );
        const annotations = await annotationsOf(`e2e-${scenario}`, { categories, detail: 'all' });
        returned[scenario] = summary(annotations);
        const { missing, extra } = compareEntries(expected, annotations.map(asEntry));
        if (missing.length || extra.length) {
          differences[scenario] = {
            missing: missing.map(entryKey),
            extra: extra.map((e) => `${entryKey(e)} (${e.title})`),
          };
        }
        annotations.forEach((a) => {
          if (
            /Event/.test(a.text) &&
            a.tags.includes('precision:exact') &&
            a.tags.some((t) => t.startsWith('reason:'))
          ) {
            claimsAnEvent.push(`${scenario}: ${a.title}`);
          }
          const revisionSpan = a.tags.includes('category:lifecycle') && !a.tags.some((t) => t.startsWith('reason:'));
          if (
            revisionSpan &&
            a.tags.some((t) => t.startsWith('outcome:')) &&
            !a.tags.includes('precision:reconstructed')
          ) {
            notReconstructed.push(`${scenario}: ${a.title}`);
          }
        });
      }
      Object.assign(details, { returned, differences, claimsAnEvent, notReconstructed });
      expect({ differences, claimsAnEvent, notReconstructed }).toEqual({
        differences: {},
        claimsAnEvent: [],
        notReconstructed: [],
      });
      return details;
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
