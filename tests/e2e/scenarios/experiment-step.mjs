// Canary updates with an experiment step: the Experiment runs one template (a ReplicaSet of the canary's pod
// template) and one analysis (the `web` metric against the test's HTTP server on 127.0.0.1), required for its
// completion, its ReplicaSet scaled down 2 s after the Experiment ends. Two Rollouts:
// - experiment-step: the analysis succeeds, the Experiment succeeds, the update completes;
// - experiment-step-failure: the analysis fails, the Experiment fails, the controller aborts the update.
// Since v1.9 the Experiment's analysis Events are also recorded on the Rollout (always as Warnings).
import { INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import { getRollout, isHealthy, rolloutManifest, setImage, waitForRollout } from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';
import { analysisTemplate } from './analysis.mjs';

export const name = 'experiment-step';

/** The steps of a Rollout whose experiment's analysis reads `url`. */
function experimentSteps(url) {
  return [
    { setWeight: 50 },
    {
      experiment: {
        // Its template's ReplicaSet is scaled down 2 s after it ends (the default is 30 s).
        scaleDownDelaySeconds: 2,
        templates: [{ name: 'preview', specRef: 'canary', replicas: 1 }],
        analyses: [
          { name: 'web', templateName: 'web-check', requiredForCompletion: true, args: [{ name: 'url', value: url }] },
        ],
      },
    },
  ];
}

/** What a scenario asserts of an Experiment and its AnalysisRuns. */
function describeExperiment(experiment, runs) {
  return {
    name: experiment.metadata.name,
    revision: experiment.metadata.annotations?.['rollout.argoproj.io/revision'],
    owner: experiment.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
    phase: experiment.status?.phase,
    message: experiment.status?.message,
    analyses: (experiment.status?.analysisRuns ?? []).map((a) => `${a.name} ${a.analysisRun} ${a.phase}`),
    templates: (experiment.status?.templateStatuses ?? []).map((t) => `${t.name} ${t.status}`),
    runs: runs.map((r) => ({
      name: r.metadata.name,
      owner: r.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
      phase: r.status?.phase,
    })),
  };
}

async function experimentUpdate(client, ns, events, metrics, details, { ro, route, phase }) {
  await client.create(
    paths.rollouts(ns),
    rolloutManifest({
      name: ro,
      replicas: 2,
      image: 'example.test/app:1.0',
      strategy: { canary: { steps: experimentSteps(metrics.url(route)) } },
    })
  );
  await waitForRollout(client, ns, ro, 'healthy after initial deploy', isHealthy);
  await setImage(client, ns, ro, 'example.test/app:2.0');
  const final =
    phase === 'Successful'
      ? await waitForRollout(client, ns, ro, 'healthy after the experiment', (s) => isHealthy(s) && s.revision === '2')
      : await waitForRollout(
          client,
          ns,
          ro,
          'degraded after the experiment failed',
          (s) => s.phase === 'Degraded' && s.abort
        );
  const rollout = await getRollout(client, ns, ro);
  const experiments = (await client.get(paths.experiments(ns))).items.filter((e) =>
    (e.metadata.ownerReferences ?? []).some((o) => o.uid === rollout.metadata.uid)
  );
  expect(experiments.length === 1, `${ro}: exactly one Experiment`, {
    experiments: experiments.map((e) => e.metadata.name),
  });
  const experiment = experiments[0];
  const runs = (await client.get(paths.analysisruns(ns))).items.filter((r) =>
    (r.metadata.ownerReferences ?? []).some((o) => o.uid === experiment.metadata.uid)
  );
  const seen = describeExperiment(experiment, runs);
  details[ro] = { finalStatus: final, experiment: seen };
  // The controller names it <rollout>-<pod hash>-<revision>-<step index> and its run <experiment>-<analysis>.
  expect(
    seen.name === `${ro}-${final.currentPodHash}-2-1` && seen.revision === '2' && seen.phase === phase,
    `${ro}: the Experiment of revision 2's second step ${phase}`,
    details
  );
  // Its run is <experiment>-web. Under load the experiment controller can create it twice from a stale cache (the
  // second one is named <experiment>-web.1 and is the one its status then names): both run.
  const named = experiment.status?.analysisRuns?.find((a) => a.name === 'web');
  const namedRun = runs.find((r) => r.metadata.name === named?.analysisRun);
  expect(
    runs.length >= 1 &&
      runs.every((r) => new RegExp(`^${seen.name}-web(\\.\\d+)?$`).test(r.metadata.name)) &&
      namedRun?.status?.phase === phase,
    `${ro}: its analysis run ${phase}`,
    details
  );
  const rolloutReasons =
    phase === 'Successful'
      ? [
          ...INITIAL_DEPLOY_REASONS,
          'RolloutUpdated',
          'RolloutStepCompleted',
          'ExperimentCreated',
          'AnalysisRunSuccessful',
          'RolloutStepCompleted',
          'RolloutCompleted',
        ]
      : [
          ...INITIAL_DEPLOY_REASONS,
          'RolloutUpdated',
          'RolloutStepCompleted',
          'ExperimentCreated',
          'AnalysisRunFailed',
          'RolloutAborted',
        ];
  details[ro].eventReasons = await events.waitForReasons('Rollout', ro, rolloutReasons, `${ro} events`);
  details[ro].events = events.describe('Rollout', ro);
  details[ro].experimentEventReasons = await events.waitForReasons(
    'Experiment',
    seen.name,
    // Its template's ReplicaSet scaled up, and down once it ended.
    [
      'ExperimentPending',
      'ScalingReplicaSet',
      'ExperimentRunning',
      `AnalysisRun${phase}`,
      `Experiment${phase}`,
      'ScalingReplicaSet',
    ],
    `${ro} experiment events`
  );
  details[ro].experimentEvents = events.describe('Experiment', seen.name);
  // The analysis Events the Experiment forwards to its Rollout are Warnings, whatever the phase.
  const forwarded = events.about('Rollout', ro).filter((o) => o.reason.startsWith('AnalysisRun'));
  expect(
    forwarded.length > 0 &&
      forwarded.every((o) => o.type === 'Warning' && o.message.startsWith("AnalysisRun 'web' transitioned")),
    `${ro}: the analysis Events on the Rollout name the analysis 'web' and are Warnings`,
    { forwarded }
  );
  if (phase !== 'Successful') {
    const aborted = events.about('Rollout', ro).find((o) => o.reason === 'RolloutAborted');
    expect(
      aborted?.message.startsWith('Rollout aborted update to revision 2: Experiment analysis phase is error/failed'),
      `${ro}: the abort names the experiment's analysis`,
      { aborted }
    );
  }
}

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, metrics, details }) => {
    await client.create(paths.analysistemplates(ns), analysisTemplate());
    await Promise.all([
      experimentUpdate(client, ns, events, metrics, details, {
        ro: 'experiment-step',
        route: '/healthy',
        phase: 'Successful',
      }),
      experimentUpdate(client, ns, events, metrics, details, {
        ro: 'experiment-step-failure',
        route: '/unhealthy',
        phase: 'Failed',
      }),
    ]);
  });
}
