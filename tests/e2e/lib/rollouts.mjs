// Building Rollouts and acting on them the way `kubectl argo rollouts` does (promote, abort, retry, restart,
// undo are patches of the Rollout or of its status subresource; see the plugin's pkg/kubectl-argo-rollouts/cmd).
import { paths } from './kube.mjs';
import { waitFor } from './wait.mjs';

export const E2E_LABEL = 'rollout-lens.e2e/scenario';

/** Creates a fresh namespace for a scenario (deleting a leftover one first). */
export async function freshNamespace(client, ns, scenario) {
  if (await client.getOptional(paths.namespace(ns))) {
    await client.delete(paths.namespace(ns));
    await waitFor(`namespace ${ns} deleted`, async () => !(await client.getOptional(paths.namespace(ns))), {
      timeoutMs: 120000,
    });
  }
  await client.create(paths.namespaces(), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { [E2E_LABEL]: scenario } },
  });
  // Pods need the namespace's default ServiceAccount, created by kube-controller-manager.
  await waitFor(`default ServiceAccount in ${ns}`, () =>
    client.getOptional(`/api/v1/namespaces/${ns}/serviceaccounts/default`)
  );
}

/** A Rollout whose pods run on the kwok node (images are never pulled: no kubelet). */
export function rolloutManifest({ name, replicas = 2, image, strategy, revisionHistoryLimit }) {
  const labels = { app: name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels },
    spec: {
      replicas,
      ...(revisionHistoryLimit === undefined ? {} : { revisionHistoryLimit }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }],
        },
      },
      strategy,
    },
  };
}

export function serviceManifest(name, app) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export const getRollout = (client, ns, name) => client.get(paths.rollout(ns, name));

/** The status fields a scenario asserts, in one small object (also used in check details). */
export function summarize(ro) {
  const s = ro.status ?? {};
  return {
    phase: s.phase,
    message: s.message,
    generation: ro.metadata.generation,
    observedGeneration: s.observedGeneration,
    revision: ro.metadata.annotations?.['rollout.argoproj.io/revision'],
    currentPodHash: s.currentPodHash,
    stableRS: s.stableRS,
    currentStepIndex: s.currentStepIndex,
    pauseConditions: (s.pauseConditions ?? []).map((p) => p.reason),
    abort: s.abort ?? false,
    abortedAt: s.abortedAt,
    replicas: s.replicas,
    updatedReplicas: s.updatedReplicas,
    readyReplicas: s.readyReplicas,
    availableReplicas: s.availableReplicas,
    restartedAt: s.restartedAt,
    activeSelector: s.blueGreen?.activeSelector,
    previewSelector: s.blueGreen?.previewSelector,
    conditions: Object.fromEntries((s.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`])),
  };
}

/** Waits until the controller has observed the current spec and `predicate(summary, rollout)` holds. */
export async function waitForRollout(client, ns, name, what, predicate, timeoutMs = 90000) {
  let last;
  await waitFor(
    `rollout ${ns}/${name} ${what}`,
    async () => {
      const ro = await getRollout(client, ns, name);
      last = summarize(ro);
      return String(ro.metadata.generation) === String(ro.status?.observedGeneration) && predicate(last, ro);
    },
    { timeoutMs, describe: () => last }
  );
  return last;
}

export const isHealthy = (s) => s.phase === 'Healthy' && s.stableRS === s.currentPodHash;
export const isPausedBy = (reason) => (s) => s.phase === 'Paused' && s.pauseConditions.includes(reason);

/** `kubectl argo rollouts set image`: replaces the container image in the pod template. */
export function setImage(client, ns, name, image) {
  return client.patch(
    paths.rollout(ns, name),
    [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }],
    {
      type: 'json',
    }
  );
}

const statusPatch = (client, ns, name, patch) => client.patch(`${paths.rollout(ns, name)}/status`, patch);

/** `kubectl argo rollouts promote` (no flags): the patches of its getPatches() default branch. */
export async function promote(client, ns, name) {
  const ro = await getRollout(client, ns, name);
  const spec = ro.spec;
  const status = ro.status ?? {};
  const pauseConditions = status.pauseConditions ?? [];
  const steps = spec.strategy.canary?.steps;
  const nextIndex = () => Math.min((status.currentStepIndex ?? 0) + 1, steps?.length ?? 0);
  const inconclusive = status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && pauseConditions.length > 0 && status.controllerPause) {
    await statusPatch(client, ns, name, {
      status: { pauseConditions: null, controllerPause: false, currentStepIndex: nextIndex() },
    });
  } else if (pauseConditions.length > 0) {
    await statusPatch(client, ns, name, { status: { pauseConditions: null } });
  } else if (steps) {
    await statusPatch(client, ns, name, { status: { pauseConditions: null, currentStepIndex: nextIndex() } });
  }
  if (spec.paused) {
    await client.patch(paths.rollout(ns, name), { spec: { paused: false } });
  }
}

/** `kubectl argo rollouts promote --full` on an update in progress: skips every remaining step. */
export const promoteFull = (client, ns, name) => statusPatch(client, ns, name, { status: { promoteFull: true } });

/** `kubectl argo rollouts abort` */
export const abort = (client, ns, name) => statusPatch(client, ns, name, { status: { abort: true } });

/** `kubectl argo rollouts retry rollout` */
export const retry = (client, ns, name) => statusPatch(client, ns, name, { status: { abort: false } });

/** `kubectl argo rollouts restart`: sets spec.restartAt (RFC 3339, seconds). Returns the timestamp. */
export async function restart(client, ns, name, at = new Date()) {
  const restartAt = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  await client.patch(paths.rollout(ns, name), { spec: { restartAt } });
  return restartAt;
}

/** ReplicaSets owned by a Rollout, oldest revision first. */
export async function ownedReplicaSets(client, ns, ro) {
  const list = await client.get(paths.replicasets(ns));
  const revision = (rs) => Number(rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? -1);
  return list.items
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.uid === ro.metadata.uid))
    .sort((a, b) => revision(a) - revision(b));
}

/**
 * `kubectl argo rollouts undo --to-revision N`: puts the pod template of the ReplicaSet of revision N
 * (without its pod-template-hash label) back into the Rollout with a JSON patch.
 */
export async function undo(client, ns, name, toRevision) {
  const ro = await getRollout(client, ns, name);
  const rss = await ownedReplicaSets(client, ns, ro);
  const target = rss.find((rs) => rs.metadata.annotations?.['rollout.argoproj.io/revision'] === String(toRevision));
  if (!target) {
    throw new Error(`undo: no ReplicaSet of revision ${toRevision} for rollout ${ns}/${name}`);
  }
  const template = structuredClone(target.spec.template);
  delete template.metadata.labels['rollouts-pod-template-hash'];
  await client.patch(paths.rollout(ns, name), [{ op: 'replace', path: '/spec/template', value: template }], {
    type: 'json',
  });
  return target.metadata.name;
}
