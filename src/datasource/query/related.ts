import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

import type { AnalysisRun, Experiment, Rollout } from '../kube/argo-types';

export interface ClusterObjects {
  rollouts: Rollout[];
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  experiments: Experiment[];
  events: Event[];
}

export const NO_OBJECTS: ClusterObjects = {
  rollouts: [],
  replicaSets: [],
  analysisRuns: [],
  experiments: [],
  events: [],
};

const key = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

function ownerKey(meta: ObjectMeta | undefined, kind: string): string | undefined {
  const owner = meta?.ownerReferences?.find((reference) => reference.kind === kind);
  return owner ? key(meta?.namespace, owner.name) : undefined;
}

/**
 * Keeps the selected Rollouts and only the objects that belong to them: their ReplicaSets, Experiments,
 * AnalysisRuns (their own or their Experiments') and the Events about the Rollouts, Experiments and AnalysisRuns.
 */
export function selectRelated(objects: ClusterObjects, isSelected: (rollout: Rollout) => boolean): ClusterObjects {
  const rollouts = objects.rollouts.filter(isSelected);
  const rolloutKeys = new Set(rollouts.map((rollout) => key(rollout.metadata?.namespace, rollout.metadata?.name)));
  const ownedByRollout = (meta: ObjectMeta | undefined) => rolloutKeys.has(ownerKey(meta, 'Rollout') ?? '');

  const replicaSets = objects.replicaSets.filter((replicaSet) => ownedByRollout(replicaSet.metadata));
  const experiments = objects.experiments.filter((experiment) => ownedByRollout(experiment.metadata));
  const experimentKeys = new Set(experiments.map((e) => key(e.metadata?.namespace, e.metadata?.name)));
  const analysisRuns = objects.analysisRuns.filter(
    (run) => ownedByRollout(run.metadata) || experimentKeys.has(ownerKey(run.metadata, 'Experiment') ?? '')
  );

  // Events about ReplicaSets and Pods are the ReplicaSet controller's scaling chatter; the Rollout's own events say
  // the same in its words.
  const keysByKind: Record<string, Set<string>> = {
    Rollout: rolloutKeys,
    Experiment: experimentKeys,
    AnalysisRun: new Set(analysisRuns.map((run) => key(run.metadata?.namespace, run.metadata?.name))),
  };
  const events = objects.events.filter((event) => {
    const involved = event.involvedObject;
    return (
      keysByKind[involved?.kind ?? '']?.has(key(involved?.namespace ?? event.metadata?.namespace, involved?.name)) ??
      false
    );
  });

  return { rollouts, replicaSets, analysisRuns, experiments, events };
}
