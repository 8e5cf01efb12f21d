/**
 * Objects the real API server accepts although they break what a reader expects, for faults/malformed-objects: a
 * Rollout whose status (written through the status subresource) has an unknown phase, a step index past its steps,
 * negative replicas and canary weights outside 0-100 and a 1 MiB message; a Rollout with the largest annotation the
 * API server allows and a 1 MiB pod-template annotation; 5,000 events (and some odd ones) for one Rollout; an
 * AnalysisRun with an unknown phase and times out of order; a ReplicaSet whose revision is not a number. What the
 * API server refuses (wrong types, a 1 MiB annotation) is recorded with its answer. The Rollouts and the AnalysisRun
 * belong to another controller instance, so the test bed's controller leaves them as written.
 */
import { admin, adminOk, applyObject } from './cluster';

export const MALFORMED_NS = 'faults-malformed';
export const EVENT_COUNT = 5_000;
const UNOWNED = { 'argo-rollouts.argoproj.io/controller-instance-id': 'rollout-lens-faults' };
const ARGO = `/apis/argoproj.io/v1alpha1/namespaces/${MALFORMED_NS}`;
const MiB = 1 << 20;
/** What kube-apiserver allows for all annotations of one object (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;

function rollout(
  name: string,
  annotations: Record<string, string> = {},
  templateAnnotations: Record<string, string> = {}
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, labels: { ...UNOWNED, app: name, team: 'faults' }, annotations },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: templateAnnotations },
        spec: { containers: [{ name: 'app', image: `example.test/${name}:1.0` }] },
      },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
    },
  };
}

export interface Injected {
  accepted: string[];
  refused: Array<{ what: string; status: number; message: string }>;
  eventsCreated: number;
}

async function writeStatus(name: string, status: Record<string, unknown>) {
  const current = await adminOk('GET', `${ARGO}/rollouts/${name}`);
  return admin('PUT', `${ARGO}/rollouts/${name}/status`, { ...current, status });
}

export async function injectMalformedObjects(): Promise<Injected> {
  const accepted: string[] = [];
  const refused: Injected['refused'] = [];
  const refuse = (what: string, answer: { status: number; body: any }) => {
    if (answer.status < 400) {
      throw new Error(`the API server accepted ${what}, which its schema should refuse`);
    }
    refused.push({ what, status: answer.status, message: String(answer.body?.message ?? '').slice(0, 240) });
  };

  await applyObject('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: MALFORMED_NS },
  } as any);

  const broken = await applyObject(`${ARGO}/rollouts`, rollout('broken-status') as any);
  refuse('status.currentStepIndex "two"', await writeStatus('broken-status', { currentStepIndex: 'two' }));
  refuse('status.abortedAt "yesterday"', await writeStatus('broken-status', { abortedAt: 'yesterday' }));
  refuse('status.conditions "Available"', await writeStatus('broken-status', { conditions: 'Available' }));
  refuse('status.conditions [null]', await writeStatus('broken-status', { conditions: [null] }));
  const status = {
    phase: 'Exploded',
    message: 'm'.repeat(MiB),
    observedGeneration: 'abc',
    currentStepIndex: 99,
    readyReplicas: -5,
    availableReplicas: -5,
    canary: {
      weights: { canary: { weight: 250, podTemplateHash: 'none' }, stable: { weight: -1, podTemplateHash: 'none' } },
    },
  };
  const written = await writeStatus('broken-status', status);
  if (written.status !== 200) {
    throw new Error(`status of broken-status refused: ${written.body?.message}`);
  }
  accepted.push(
    'Rollout broken-status: status.phase "Exploded", currentStepIndex 99 of 2 steps, readyReplicas and ' +
      'availableReplicas -5, canary weight 250 and stable weight -1, observedGeneration "abc", a 1 MiB status.message'
  );

  refuse(
    'a Rollout with a 1 MiB annotation',
    await admin('POST', `${ARGO}/rollouts`, rollout('too-large', { big: 'a'.repeat(MiB) }))
  );
  await applyObject(
    `${ARGO}/rollouts`,
    rollout('large-annotations', { big: 'a'.repeat(ANNOTATIONS_LIMIT - 64) }, { big: 'b'.repeat(MiB) }) as any
  );
  accepted.push(
    `Rollout large-annotations: a metadata annotation of ${ANNOTATIONS_LIMIT - 64} bytes (the most the API server ` +
      'allows) and a 1 MiB pod-template annotation'
  );

  const noisy = await applyObject(`${ARGO}/rollouts`, rollout('noisy') as any);
  const involved = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: 'noisy',
    namespace: MALFORMED_NS,
    uid: noisy.metadata.uid,
  };
  const start = Date.now() - 30 * 60_000;
  const events = Array.from({ length: EVENT_COUNT }, (_, i) => {
    const time = new Date(start + i * 300).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `noisy.${i}` },
      involvedObject: involved,
      reason: i % 2 === 0 ? 'RolloutStepCompleted' : 'RolloutUpdated',
      message:
        i % 2 === 0
          ? `Rollout step ${(i % 2) + 1}/2 completed (setWeight: 20)`
          : `Rollout updated to revision ${1 + (i % 7)}`,
      type: 'Normal',
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
      source: { component: 'rollouts-controller' },
    };
  });
  const odd = [
    { count: -4 },
    { firstTimestamp: null, lastTimestamp: null },
    { firstTimestamp: new Date(start + 60_000).toISOString(), lastTimestamp: new Date(start).toISOString() },
    { type: 'Catastrophic' },
    { reason: 'Reason with spaces and ünïcode' },
    { reason: '' },
    { message: 'x'.repeat(100_000) },
  ].map((extra, i) => ({ ...events[0], metadata: { name: `noisy.odd-${i}` }, ...extra }));
  let eventsCreated = 0;
  const queue = [...events, ...odd];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let event = queue.shift(); event; event = queue.shift()) {
        const answer = await admin('POST', `/api/v1/namespaces/${MALFORMED_NS}/events`, event);
        if (answer.status === 201 || answer.status === 409) {
          eventsCreated++;
        } else {
          throw new Error(`event ${event.metadata.name} refused: HTTP ${answer.status} ${answer.body?.message}`);
        }
      }
    })
  );
  accepted.push(
    `${EVENT_COUNT} events for Rollout noisy, and 7 odd ones: count -4, no times, first seen after last seen, ` +
      'type "Catastrophic", a reason with spaces, an empty reason, a 100,000-character message'
  );

  await applyObject(`${ARGO}/analysisruns`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: 'broken-status-run',
      labels: { ...UNOWNED, 'rollout-type': 'Step', 'step-index': 'many' },
      annotations: { 'rollout.argoproj.io/revision': 'not-a-number' },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'broken-status', uid: broken.metadata.uid },
      ],
    },
    spec: { metrics: [{ name: 'web', provider: { web: { url: 'http://127.0.0.1:1/' } } }] },
    status: {
      phase: 'Exploded',
      startedAt: new Date(start + 120_000).toISOString(),
      completedAt: new Date(start).toISOString(),
      metricResults: [{ name: 'web', phase: 'Failed', measurements: [{ phase: 'Failed', value: '{"nested":[1,2]}' }] }],
    },
  } as any);
  accepted.push(
    'AnalysisRun broken-status-run: phase "Exploded", completed before it started, step-index label "many", ' +
      'revision annotation "not-a-number"'
  );

  await applyObject(`/apis/apps/v1/namespaces/${MALFORMED_NS}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'broken-status-rs',
      labels: { app: 'broken-status', 'rollouts-pod-template-hash': 'none' },
      annotations: { 'rollout.argoproj.io/revision': 'not-a-number' },
      ownerReferences: [
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'broken-status', uid: broken.metadata.uid },
      ],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'broken-status', 'rollouts-pod-template-hash': 'none' } },
      template: {
        metadata: { labels: { app: 'broken-status', 'rollouts-pod-template-hash': 'none' } },
        spec: { containers: [{ name: 'app', image: 'example.test/broken-status:1.0' }] },
      },
    },
  } as any);
  accepted.push('ReplicaSet broken-status-rs of Rollout broken-status: revision annotation "not-a-number"');
  return { accepted, refused, eventsCreated };
}
