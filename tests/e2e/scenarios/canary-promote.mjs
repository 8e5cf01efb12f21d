// Canary with setWeight and pause steps: an indefinite pause promoted like `kubectl argo rollouts promote`,
// then a timed pause the controller ends itself, to completion. The weights go 25 -> 50 -> 75 -> 100 (done)
// (series/canary-weight): `minReadySeconds` makes each weight's pods take two seconds to count as available, so each
// step completes in a second of its own (Events have one-second timestamps). The controller's event recorder
// (client-go's default) records at most 25 Events per Rollout in a burst and drops the rest: with 3 replicas and a
// surge of 1, setWeight 25 scales only the canary, and the whole scenario records 24, the completion last.
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import { expectAbsent, INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import {
  rolloutManifest,
  waitForRollout,
  isHealthy,
  isPausedBy,
  setImage,
  promote,
  ownedReplicaSets,
  getRollout,
} from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';
import { waitFor } from '../lib/wait.mjs';

export const name = 'canary-promote';

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    const ro = 'canary-promote';
    const steps = [
      { setWeight: 25 },
      { pause: {} },
      { setWeight: 50 },
      { setWeight: 75 },
      { pause: { duration: '2s' } },
    ];
    const replicas = 3;
    const manifest = rolloutManifest({
      name: ro,
      replicas,
      image: 'example.test/app:1.0',
      strategy: { canary: { steps } },
    });
    await client.create(paths.rollouts(ns), { ...manifest, spec: { ...manifest.spec, minReadySeconds: 2 } });
    await waitForRollout(client, ns, ro, 'healthy after initial deploy', isHealthy);

    await setImage(client, ns, ro, 'example.test/app:2.0');
    const paused = await waitForRollout(
      client,
      ns,
      ro,
      'paused at step 2',
      (s) => isPausedBy('CanaryPauseStep')(s) && s.currentStepIndex === 1
    );
    details.pausedStatus = paused;
    await promote(client, ns, ro);
    const final = await waitForRollout(
      client,
      ns,
      ro,
      'healthy after promotion',
      (s) => isHealthy(s) && s.currentStepIndex === steps.length && s.revision === '2'
    );
    details.finalStatus = final;

    const rss = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
    details.replicaSets = rss.map((rs) => ({
      name: rs.metadata.name,
      revision: rs.metadata.annotations['rollout.argoproj.io/revision'],
      replicas: rs.spec.replicas,
    }));
    expect(rss.length === 2, 'two ReplicaSets (revisions 1 and 2)', details);
    expect(
      rss[1].metadata.name.endsWith(final.currentPodHash) && rss[1].spec.replicas === replicas,
      `revision 2 runs all ${replicas} replicas`,
      details
    );
    expect(final.availableReplicas === replicas, `${replicas} available replicas`, details);
    await waitFor('old ReplicaSet scaled down', async () => {
      const list = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
      return list[0].spec.replicas === 0;
    });

    const reasons = await events.waitForReasons(
      'Rollout',
      ro,
      [
        ...INITIAL_DEPLOY_REASONS,
        'RolloutUpdated',
        'NewReplicaSetCreated',
        'ScalingReplicaSet',
        'RolloutStepCompleted',
        'RolloutPaused',
        'RolloutStepCompleted',
        'ScalingReplicaSet',
        'RolloutStepCompleted',
        'ScalingReplicaSet',
        'RolloutStepCompleted',
        'RolloutPaused',
        'RolloutStepCompleted',
        'RolloutResumed',
        'ScalingReplicaSet',
        'RolloutCompleted',
      ],
      'rollout events'
    );
    details.eventReasons = reasons;
    details.events = events.describe('Rollout', ro);
    expectAbsent(reasons, ['RolloutAborted'], 'rollout events');
    const completed = events
      .about('Rollout', ro)
      .filter((o) => o.reason === 'RolloutCompleted')
      .map((o) => o.message);
    expect(
      completed.some((m) => m.endsWith(`Completed all ${steps.length} canary steps`)),
      `RolloutCompleted names the ${steps.length} canary steps`,
      { completed }
    );
    const weights = events
      .about('Rollout', ro)
      .filter((o) => o.reason === 'RolloutStepCompleted')
      .map((o) => /\(setWeight: (\d+)\)/.exec(o.message)?.[1])
      .filter(Boolean)
      .map(Number);
    details.stepWeights = weights;
    expect(JSON.stringify(weights) === JSON.stringify([25, 50, 75]), 'the controller reports weights 25, 50, 75', {
      weights,
    });
  });
}
