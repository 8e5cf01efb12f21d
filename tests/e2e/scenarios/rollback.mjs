// Rollback to an earlier revision like `kubectl argo rollouts undo --to-revision 1`: the ReplicaSet of
// revision 1 is reused (no new ReplicaSet), renumbered to revision 3, and remembers its earlier number in
// the rollout.argoproj.io/revision-history annotation.
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import { expectAbsent, INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import {
  rolloutManifest,
  waitForRollout,
  isHealthy,
  setImage,
  undo,
  ownedReplicaSets,
  getRollout,
} from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';

export const name = 'rollback';

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    const ro = 'rollback';
    await client.create(
      paths.rollouts(ns),
      rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy: { canary: {} } })
    );
    const rev1 = await waitForRollout(
      client,
      ns,
      ro,
      'healthy at revision 1',
      (s) => isHealthy(s) && s.revision === '1'
    );
    await setImage(client, ns, ro, 'example.test/app:2.0');
    await waitForRollout(client, ns, ro, 'healthy at revision 2', (s) => isHealthy(s) && s.revision === '2');

    const undoStart = Date.now();
    const reused = await undo(client, ns, ro, 1);
    details.reusedReplicaSet = reused;
    const final = await waitForRollout(
      client,
      ns,
      ro,
      'healthy at revision 3',
      (s) => isHealthy(s) && s.revision === '3' && s.availableReplicas === 2
    );
    details.finalStatus = final;
    expect(
      final.currentPodHash === rev1.currentPodHash,
      'revision 3 runs the pod template hash of revision 1',
      details
    );

    const rss = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
    details.replicaSets = rss.map((rs) => ({
      name: rs.metadata.name,
      revision: rs.metadata.annotations['rollout.argoproj.io/revision'],
      revisionHistory: rs.metadata.annotations['rollout.argoproj.io/revision-history'],
      replicas: rs.spec.replicas,
    }));
    expect(rss.length === 2, 'no new ReplicaSet: still two', details);
    const back = rss.find((rs) => rs.metadata.name === reused);
    expect(
      back.metadata.annotations['rollout.argoproj.io/revision'] === '3',
      'reused ReplicaSet now has revision 3',
      details
    );
    expect(
      back.metadata.annotations['rollout.argoproj.io/revision-history'] === '1',
      'revision-history annotation is "1"',
      details
    );

    const reasons = await events.waitForReasons(
      'Rollout',
      ro,
      [...INITIAL_DEPLOY_REASONS, 'RolloutUpdated', 'NewReplicaSetCreated', 'ScalingReplicaSet', 'RolloutCompleted'],
      'rollout events'
    );
    const afterUndo = await events.waitForReasons(
      'Rollout',
      ro,
      ['RolloutUpdated', 'ScalingReplicaSet', 'RolloutCompleted'],
      'rollout events after undo',
      { since: undoStart }
    );
    details.eventReasons = reasons;
    details.eventReasonsAfterUndo = afterUndo;
    details.events = events.describe('Rollout', ro);
    expectAbsent(afterUndo, ['NewReplicaSetCreated'], 'rollout events after undo');
    const updated = events.about('Rollout', ro, undoStart).find((o) => o.reason === 'RolloutUpdated');
    expect(updated.message === 'Rollout updated to revision 3', 'RolloutUpdated names revision 3', { updated });
  });
}
