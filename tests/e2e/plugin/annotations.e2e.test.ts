/**
 * Real-stack checks of the annotations: for every test-bed scenario, the lifecycle and analysis entries (and for the
 * scenarios with plugin and experiment steps, the step entries too) the plugin returns (through the least-privilege
 * ServiceAccount) are exactly those the oracle (tests/e2e/oracle/) derives from what the scenario driver observed: the
 * same revisions, points and regions, outcomes and reasons, nothing missing and nothing extra; every span starts and
 * ends within the one-second resolution of the cluster's timestamps.
 */
import { compareEntries, entryKey, expectedEntries, type OracleEntry } from '../oracle/oracle.mjs';
import { annotationsOf, asEntry } from './annotations';
import { check } from './checks';
import { comparedCategories, isCompared, readObservations, SCENARIOS, VIA_PROXY_STAND_IN } from './testbed';

const described = (entries: Array<OracleEntry & { title?: string }>) =>
  entries.map((e) => `${e.rollout} ${entryKey(e)} (${e.title ?? e.what})`);

describe('annotations of every test-bed scenario', () => {
  SCENARIOS.forEach((scenario) => {
    check(
      `annotations/${scenario}`,
      async (details) => {
        const namespace = `e2e-${scenario}`;
        const observations = readObservations(scenario);
        const categories = comparedCategories(scenario);
        const expected = expectedEntries(observations, Date.now()).filter(isCompared(scenario));
        // Every entry (detail level all): the oracle derives them all.
        const annotations = await annotationsOf(namespace, { categories, detail: 'all' });
        const actual = annotations.map(asEntry);
        const { missing, extra } = compareEntries(expected, actual);
        Object.assign(details, {
          expected: described(expected),
          returned: described(actual),
          missing: described(missing),
          extra: described(extra),
        });
        expect({ missing: details.missing, extra: details.extra }).toEqual({ missing: [], extra: [] });

        // Spans (one per revision, AnalysisRun, plugin step run and Experiment: their keys are unique within a
        // Rollout) start and end where the oracle says.
        const offBySeconds = expected
          .filter((e) => e.span)
          .flatMap((e) => {
            const shown = actual.find((a) => a.rollout === e.rollout && entryKey(a) === entryKey(e))!;
            const off = Math.max(Math.abs(shown.time - e.time), Math.abs(shown.timeEnd - e.timeEnd));
            return off > 1000
              ? [`${entryKey(e)}: shown ${shown.time}..${shown.timeEnd}, expected ${e.time}..${e.timeEnd}`]
              : [];
          });
        expect(offBySeconds).toEqual([]);
        // Every entry is tagged with its cluster and namespace and says how its time is known.
        const untagged = annotations.filter(
          (a) => !a.tags.includes('cluster:testbed') || !a.tags.includes(`namespace:${namespace}`)
        );
        expect(untagged.map((a) => a.title)).toEqual([]);
        // The text's lines are joined with <br> (Grafana renders it as HTML).
        const unexplained = annotations.filter((a) => !/(^|<br>)Timing \((exact|reconstructed)\): /.test(a.text));
        expect(unexplained.map((a) => a.title)).toEqual([]);
        return details;
      },
      { against: VIA_PROXY_STAND_IN }
    );
  });
});
