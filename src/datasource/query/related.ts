import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';

import type { AnalysisRun, Experiment, Rollout } from '../model/argo';

export interface ClusterObjects {
  rollouts: Rollout[];
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  experiments: Experiment[];
  events: Event[];
}

/** Names by namespace: membership without building a `namespace/name` string per object. */
class NamespacedNames {
  private readonly names = new Map<string, Set<string>>();

  add(namespace: string | undefined, name: string | undefined): void {
    const names = this.names.get(namespace ?? '');
    if (names) {
      names.add(name ?? '');
    } else {
      this.names.set(namespace ?? '', new Set([name ?? '']));
    }
  }

  has(namespace: string | undefined, name: string | undefined): boolean {
    return this.names.get(namespace ?? '')?.has(name ?? '') ?? false;
  }
}

function ownerName(meta: ObjectMeta | undefined, kind: string): string | undefined {
  const references = meta?.ownerReferences;
  if (references) {
    for (const reference of references) {
      if (reference.kind === kind) {
        return reference.name;
      }
    }
  }
  return undefined;
}

/** The items that pass; the list itself when all of them do (the lists are shared and never modified). */
function keep<T>(items: T[], passes: (item: T) => boolean): T[] {
  const kept = items.filter(passes);
  return kept.length === items.length ? items : kept;
}

/**
 * Keeps the selected Rollouts and only the objects that belong to them: their ReplicaSets, Experiments,
 * AnalysisRuns (their own or their Experiments') and the Events about the Rollouts, Experiments and AnalysisRuns.
 */
export function selectRelated(objects: ClusterObjects, isSelected: (rollout: Rollout) => boolean): ClusterObjects {
  const rollouts = keep(objects.rollouts, isSelected);
  const rolloutNames = new NamespacedNames();
  rollouts.forEach(({ metadata }) => rolloutNames.add(metadata?.namespace, metadata?.name));
  const ownedByRollout = (meta: ObjectMeta | undefined) =>
    rolloutNames.has(meta?.namespace, ownerName(meta, 'Rollout') ?? '');

  const replicaSets = keep(objects.replicaSets, (replicaSet) => ownedByRollout(replicaSet.metadata));
  const experiments = keep(objects.experiments, (experiment) => ownedByRollout(experiment.metadata));
  const experimentNames = new NamespacedNames();
  experiments.forEach(({ metadata }) => experimentNames.add(metadata?.namespace, metadata?.name));
  const analysisRuns = keep(
    objects.analysisRuns,
    ({ metadata }) =>
      ownedByRollout(metadata) || experimentNames.has(metadata?.namespace, ownerName(metadata, 'Experiment') ?? '')
  );
  const analysisRunNames = new NamespacedNames();
  analysisRuns.forEach(({ metadata }) => analysisRunNames.add(metadata?.namespace, metadata?.name));

  // Events about ReplicaSets and Pods are the ReplicaSet controller's scaling chatter; the Rollout's own events say
  // the same in its words.
  const namesByKind = new Map([
    ['Rollout', rolloutNames],
    ['Experiment', experimentNames],
    ['AnalysisRun', analysisRunNames],
  ]);
  const events = keep(objects.events, (event) => {
    const involved = event.involvedObject;
    const names = namesByKind.get(involved?.kind ?? '');
    return names !== undefined && names.has(involved?.namespace ?? event.metadata?.namespace, involved?.name);
  });

  return { rollouts, replicaSets, analysisRuns, experiments, events };
}
