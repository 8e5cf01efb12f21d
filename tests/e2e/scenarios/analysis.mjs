// Canary with an analysis step using the `web` metric provider against the test's own HTTP server on
// 127.0.0.1: one scenario where the metric passes (rollout completes), one where it fails (rollout aborts).
import { INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import { rolloutManifest, waitForRollout, isHealthy, setImage } from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';

export function analysisTemplate() {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'web-check' },
    spec: {
      args: [{ name: 'url' }],
      metrics: [
        {
          name: 'web-ok',
          count: 2,
          interval: '1s',
          failureLimit: 0,
          successCondition: 'result == true',
          provider: { web: { url: '{{args.url}}', jsonPath: '{$.ok}', timeoutSeconds: 5 } },
        },
      ],
    },
  };
}

async function analysisScenario(ctx, name, route, outcome) {
  return runScenario(ctx, name, async ({ client, ns, events, metrics, details }) => {
    const ro = name;
    const url = metrics.url(route);
    await client.create(paths.analysistemplates(ns), analysisTemplate());
    const steps = [
      { setWeight: 50 },
      { analysis: { templates: [{ templateName: 'web-check' }], args: [{ name: 'url', value: url }] } },
    ];
    await client.create(
      paths.rollouts(ns),
      rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy: { canary: { steps } } })
    );
    await waitForRollout(client, ns, ro, 'healthy after initial deploy', isHealthy);
    const hitsBefore = metrics.hits(route);

    await setImage(client, ns, ro, 'example.test/app:2.0');
    const final =
      outcome === 'Successful'
        ? await waitForRollout(
            client,
            ns,
            ro,
            'healthy after a successful analysis',
            (s) => isHealthy(s) && s.revision === '2'
          )
        : await waitForRollout(
            client,
            ns,
            ro,
            'degraded after a failed analysis',
            (s) => s.phase === 'Degraded' && s.abort
          );
    details.finalStatus = final;

    const runs = (await client.get(paths.analysisruns(ns))).items;
    details.analysisRuns = runs.map((ar) => ({
      name: ar.metadata.name,
      phase: ar.status?.phase,
      message: ar.status?.message,
      measurements: (ar.status?.metricResults ?? []).map((m) => ({
        metric: m.name,
        phase: m.phase,
        count: m.count,
        values: (m.measurements ?? []).map((x) => x.value),
      })),
    }));
    details.metricRequests = metrics.hits(route) - hitsBefore;
    expect(runs.length === 1, 'exactly one AnalysisRun', details);
    const ar = runs[0];
    expect(ar.status?.phase === outcome, `AnalysisRun phase ${outcome}`, details);
    expect(details.metricRequests >= 1, 'the controller queried the web metric endpoint', details);

    const initial = INITIAL_DEPLOY_REASONS;
    const update = ['RolloutUpdated', 'NewReplicaSetCreated', 'ScalingReplicaSet', 'RolloutStepCompleted'];
    const expected =
      outcome === 'Successful'
        ? {
            rollout: [...initial, ...update, 'AnalysisRunSuccessful', 'RolloutStepCompleted', 'RolloutCompleted'],
            run: ['MetricSuccessful', 'AnalysisRunSuccessful'],
          }
        : {
            rollout: [...initial, ...update, 'AnalysisRunFailed', 'RolloutAborted'],
            run: ['MetricFailed', 'AnalysisRunFailed'],
          };
    details.eventReasons = await events.waitForReasons('Rollout', ro, expected.rollout, 'rollout events');
    details.events = events.describe('Rollout', ro);
    details.analysisRunEventReasons = await events.waitForReasons(
      'AnalysisRun',
      ar.metadata.name,
      expected.run,
      'analysis run events'
    );
    details.analysisRunEvents = events.describe('AnalysisRun', ar.metadata.name);
    if (outcome === 'Successful') {
      expect(final.currentStepIndex === steps.length, 'all steps completed', details);
    } else {
      expect(
        final.conditions.Progressing === 'False/RolloutAborted',
        'Progressing condition False/RolloutAborted',
        details
      );
      const aborted = events.about('Rollout', ro).find((o) => o.reason === 'RolloutAborted');
      expect(/analysis/i.test(aborted.message), 'RolloutAborted message names the analysis', { aborted });
    }
  });
}

export const success = {
  name: 'analysis-success',
  run: (ctx) => analysisScenario(ctx, 'analysis-success', '/healthy', 'Successful'),
};
export const failure = {
  name: 'analysis-failure',
  run: (ctx) => analysisScenario(ctx, 'analysis-failure', '/unhealthy', 'Failed'),
};
