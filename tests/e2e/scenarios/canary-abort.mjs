// Canary update aborted at its pause step like `kubectl argo rollouts abort`: the canary is scaled away and
// the Rollout is Degraded, the stable ReplicaSet keeps serving.
import { INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import {
  rolloutManifest,
  waitForRollout,
  isHealthy,
  isPausedBy,
  setImage,
  abort,
  ownedReplicaSets,
  getRollout,
} from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';
import { waitFor } from '../lib/wait.mjs';

export const name = 'canary-abort';

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    const ro = 'canary-abort';
    const steps = [{ setWeight: 50 }, { pause: {} }];
    await client.create(
      paths.rollouts(ns),
      rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy: { canary: { steps } } })
    );
    const initial = await waitForRollout(client, ns, ro, 'healthy after initial deploy', isHealthy);

    await setImage(client, ns, ro, 'example.test/app:2.0');
    await waitForRollout(client, ns, ro, 'paused at step 2', isPausedBy('CanaryPauseStep'));
    await abort(client, ns, ro);
    const final = await waitForRollout(
      client,
      ns,
      ro,
      'degraded after abort',
      (s) => s.phase === 'Degraded' && s.abort && s.availableReplicas === 2
    );
    details.finalStatus = final;
    expect(final.stableRS === initial.stableRS, 'stable ReplicaSet unchanged', details);
    expect(
      final.conditions.Progressing === 'False/RolloutAborted',
      'Progressing condition False/RolloutAborted',
      details
    );
    expect(Boolean(final.abortedAt), 'status.abortedAt set', details);
    expect(final.message?.startsWith('RolloutAborted'), 'status.message starts with RolloutAborted', details);

    const rss = await waitFor('canary scaled to 0, stable at 2', async () => {
      const list = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
      return list.length === 2 && list[1].spec.replicas === 0 && list[0].spec.replicas === 2 ? list : undefined;
    });
    details.replicaSets = rss.map((rs) => ({ name: rs.metadata.name, replicas: rs.spec.replicas }));

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
        'ScalingReplicaSet',
        'RolloutAborted',
      ],
      'rollout events'
    );
    details.eventReasons = reasons;
    details.events = events.describe('Rollout', ro);
    const aborted = events.about('Rollout', ro).find((o) => o.reason === 'RolloutAborted');
    expect(
      aborted.type === 'Warning' && aborted.message.startsWith('Rollout aborted update to revision 2'),
      'RolloutAborted is a Warning about revision 2',
      { aborted }
    );
  });
}
