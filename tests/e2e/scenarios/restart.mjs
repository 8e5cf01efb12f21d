// Rollout restart like `kubectl argo rollouts restart`: spec.restartAt is set, the controller evicts the
// pods created before it one by one, the ReplicaSet controller replaces them; revision and ReplicaSet stay.
import { paths } from '../lib/kube.mjs';
import { expect, CheckFailure } from '../lib/report.mjs';
import { expectAbsent, INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { rolloutManifest, waitForRollout, isHealthy, restart, ownedReplicaSets, getRollout } from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';
import { sleep, waitFor } from '../lib/wait.mjs';

export const name = 'restart';

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    const ro = 'restart';
    await client.create(
      paths.rollouts(ns),
      rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy: { canary: {} } })
    );
    const before = await waitForRollout(
      client,
      ns,
      ro,
      'healthy at revision 1',
      (s) => isHealthy(s) && s.availableReplicas === 2
    );
    const podsBefore = (await client.get(paths.pods(ns))).items.map((p) => p.metadata.name);
    await sleep(1100); // restartAt has second precision: restart only pods strictly older than it

    const restartStart = Date.now();
    const restartAt = await restart(client, ns, ro);
    details.restartAt = restartAt;
    const final = await waitForRollout(
      client,
      ns,
      ro,
      'restarted and healthy',
      (s) => s.restartedAt === restartAt && isHealthy(s) && s.availableReplicas === 2
    );
    details.finalStatus = final;
    expect(
      final.revision === '1' && final.currentPodHash === before.currentPodHash,
      'same revision and pod template hash',
      details
    );

    const pods = await waitFor('pods replaced', async () => {
      const list = (await client.get(paths.pods(ns))).items.filter((p) => !p.metadata.deletionTimestamp);
      return list.length === 2 && list.every((p) => !podsBefore.includes(p.metadata.name)) ? list : undefined;
    });
    details.podsBefore = podsBefore;
    details.podsAfter = pods.map((p) => p.metadata.name);
    for (const p of pods) {
      expect(
        Date.parse(p.metadata.creationTimestamp) >= Date.parse(restartAt),
        `pod ${p.metadata.name} created after restartAt`,
        details
      );
    }
    const rss = await ownedReplicaSets(client, ns, await getRollout(client, ns, ro));
    expect(rss.length === 1, 'still one ReplicaSet', details);

    const reasons = await events.waitForReasons('Rollout', ro, INITIAL_DEPLOY_REASONS, 'rollout events');
    const afterRestart = events.reasons('Rollout', ro, restartStart);
    details.eventReasons = reasons;
    details.eventReasonsAfterRestart = afterRestart;
    details.events = events.describe('Rollout', ro);
    expectAbsent(
      afterRestart,
      ['RolloutUpdated', 'NewReplicaSetCreated', 'ScalingReplicaSet', 'RolloutCompleted'],
      'rollout events after restart'
    );
    // The ReplicaSet controller records one SuccessfulCreate per replacement pod (asynchronously).
    const rsName = rss[0].metadata.name;
    const createdAfterRestart = () =>
      events.about('ReplicaSet', rsName, restartStart).filter((o) => o.reason === 'SuccessfulCreate');
    await waitFor(
      '2 SuccessfulCreate events on the ReplicaSet after the restart',
      () => createdAfterRestart().length >= 2,
      {
        timeoutMs: 20000,
      }
    ).catch((err) => {
      throw new CheckFailure(err.message, { ...details, replicaSetEvents: events.describe('ReplicaSet', rsName) });
    });
    details.replicaSetEventsAfterRestart = createdAfterRestart().map((o) => `${o.reason}: ${o.message}`);
  });
}
