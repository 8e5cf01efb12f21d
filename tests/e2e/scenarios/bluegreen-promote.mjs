// Blue-green with an active and a preview Service and autoPromotionEnabled: false: the update waits in
// BlueGreenPause behind the preview Service, is promoted like `kubectl argo rollouts promote`, the active
// Service switches and the old ReplicaSet is scaled down after scaleDownDelaySeconds.
import { INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import {
  rolloutManifest,
  serviceManifest,
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

export const name = 'bluegreen-promote';

const HASH = 'rollouts-pod-template-hash';

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    const ro = 'bluegreen';
    await client.create(paths.services(ns), serviceManifest('bluegreen-active', ro));
    await client.create(paths.services(ns), serviceManifest('bluegreen-preview', ro));
    const strategy = {
      blueGreen: {
        activeService: 'bluegreen-active',
        previewService: 'bluegreen-preview',
        autoPromotionEnabled: false,
        scaleDownDelaySeconds: 3,
      },
    };
    await client.create(
      paths.rollouts(ns),
      rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy })
    );
    const initial = await waitForRollout(
      client,
      ns,
      ro,
      'healthy after initial deploy',
      (s) => isHealthy(s) && s.activeSelector === s.currentPodHash
    );

    await setImage(client, ns, ro, 'example.test/app:2.0');
    const paused = await waitForRollout(
      client,
      ns,
      ro,
      'paused with the preview on revision 2',
      (s) =>
        isPausedBy('BlueGreenPause')(s) &&
        s.previewSelector === s.currentPodHash &&
        s.activeSelector === initial.currentPodHash
    );
    details.pausedStatus = paused;
    const selector = async (svc) => (await client.get(`${paths.services(ns)}/${svc}`)).spec.selector[HASH];
    expect(
      (await selector('bluegreen-preview')) === paused.currentPodHash,
      'preview Service selects revision 2 while paused',
      details
    );
    expect(
      (await selector('bluegreen-active')) === initial.currentPodHash,
      'active Service still selects revision 1 while paused',
      details
    );

    await promote(client, ns, ro);
    const final = await waitForRollout(
      client,
      ns,
      ro,
      'healthy after promotion',
      (s) => isHealthy(s) && s.activeSelector === s.currentPodHash && s.revision === '2'
    );
    details.finalStatus = final;
    expect((await selector('bluegreen-active')) === final.currentPodHash, 'active Service selects revision 2', details);

    await waitFor(
      'old ReplicaSet scaled down after scaleDownDelaySeconds',
      async () => {
        const rss = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
        return rss.length === 2 && rss[0].spec.replicas === 0 && rss[1].spec.replicas === 2;
      },
      { timeoutMs: 60000 }
    );

    const reasons = await events.waitForReasons(
      'Rollout',
      ro,
      [
        ...INITIAL_DEPLOY_REASONS,
        'RolloutUpdated',
        'NewReplicaSetCreated',
        'SwitchService',
        'ScalingReplicaSet',
        'RolloutPaused',
        'SwitchService',
        'RolloutCompleted',
        'ScalingReplicaSet',
      ],
      'rollout events'
    );
    details.eventReasons = reasons;
    details.events = events.describe('Rollout', ro);
    const completed = events
      .about('Rollout', ro)
      .filter((o) => o.reason === 'RolloutCompleted')
      .map((o) => o.message);
    expect(
      completed.some((m) => m.endsWith('Completed blue-green update')),
      'RolloutCompleted: Completed blue-green update',
      { completed }
    );
  });
}
