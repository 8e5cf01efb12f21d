/**
 * Real-stack check of the significant detail level, the default of new annotation queries: on what the real
 * controller recorded for three scenarios, a new query returns the lifecycle, step and analysis results without
 * the controller's chatter, once each, and the detail level `all` returns that chatter too.
 */
import { QUERY_MODEL_VERSION } from '../../../src/datasource/types';
import { type Annotation, annotationsOf, summary } from './annotations';
import { check } from './checks';
import { VIA_PROXY_STAND_IN } from './testbed';

const CHATTER = ['RolloutAddedToInformer', 'RolloutNotCompleted', 'NewReplicaSetCreated', 'ScalingReplicaSet'];

const reasonOf = (a: Annotation) => a.tags.find((tag) => tag.startsWith('reason:'))?.slice('reason:'.length);
const withTags = (annotations: Annotation[], tags: string[]) =>
  annotations.filter((a) => tags.every((tag) => a.tags.includes(tag)));

/** What a new annotation query (the current model, no detail level chosen) returns, and the same at `all`. */
async function bothLevels(scenario: string) {
  const namespace = `e2e-${scenario}`;
  const significant = await annotationsOf(namespace, { version: QUERY_MODEL_VERSION });
  const all = await annotationsOf(namespace, { version: QUERY_MODEL_VERSION, detail: 'all' });
  return { significant, all };
}

describe('the significant detail level against the test bed', () => {
  check(
    'annotations/significant',
    async (details) => {
      const returned: Record<string, { significant: string[]; all: number }> = {};
      details.returned = returned;
      const problems: string[] = [];
      const expectOne = (scenario: string, annotations: Annotation[], tags: string[], title?: RegExp) => {
        const found = withTags(annotations, tags).filter((a) => !title || title.test(a.title));
        if (found.length !== 1) {
          problems.push(`${scenario}: ${found.length} entries with ${tags.join(' ')} ${title ?? ''}, expected 1`);
        }
      };
      for (const scenario of ['canary-promote', 'canary-abort', 'analysis-failure']) {
        const { significant, all } = await bothLevels(scenario);
        returned[scenario] = { significant: summary(significant), all: all.length };
        const chatter = significant.filter((a) => CHATTER.includes(reasonOf(a) ?? ''));
        if (chatter.length > 0) {
          problems.push(`${scenario}: chatter at the significant level: ${summary(chatter).join('; ')}`);
        }
        for (const reason of ['RolloutAddedToInformer', 'ScalingReplicaSet']) {
          if (!all.some((a) => reasonOf(a) === reason)) {
            problems.push(`${scenario}: no ${reason} at the detail level all`);
          }
        }
        // Every significant entry is also in the full set.
        const ids = new Set(all.map((a) => `${a.time} ${a.title}`));
        significant
          .filter((a) => !ids.has(`${a.time} ${a.title}`))
          .forEach((a) => problems.push(`${scenario}: ${a.title} missing at the detail level all`));
        // The initial deploy, once, and the update to revision 2.
        expectOne(scenario, significant, ['revision:1', 'outcome:succeeded'], /rev 1: rollout succeeded$/);
        expectOne(scenario, significant, ['revision:1', 'reason:RolloutCompleted']);
        expectOne(scenario, significant, ['revision:2', 'reason:RolloutUpdated']);
      }
      const promote = await annotationsOf('e2e-canary-promote', { version: QUERY_MODEL_VERSION });
      ['1/5', '2/5', '3/5', '4/5', '5/5'].forEach((step) => {
        if (!promote.some((a) => a.title.includes(`step ${step}`))) {
          problems.push(`canary-promote: step ${step} missing`);
        }
      });
      expectOne('canary-promote', promote, ['revision:2', 'outcome:succeeded'], /rev 2: rollout succeeded$/);
      expectOne('canary-promote', promote, ['reason:RolloutCompleted', 'revision:2']);
      const abort = await annotationsOf('e2e-canary-abort', { version: QUERY_MODEL_VERSION });
      expectOne('canary-abort', abort, ['revision:2', 'outcome:aborted'], /rev 2: rollout aborted$/);
      expectOne('canary-abort', abort, ['reason:RolloutAborted', 'revision:2']);
      const failure = await annotationsOf('e2e-analysis-failure', { version: QUERY_MODEL_VERSION });
      expectOne('analysis-failure', failure, ['category:analysis', 'outcome:failed', 'revision:2']);
      expectOne('analysis-failure', failure, ['reason:RolloutAborted', 'revision:2']);
      expect(problems).toEqual([]);
    },
    { against: VIA_PROXY_STAND_IN }
  );
});
