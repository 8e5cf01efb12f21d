import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Container } from 'kubernetes-types/core/v1';

import type { ArgoCondition, CanaryStep, Rollout } from '../../model/argo';
import { rolloutTagger, type TagMapping } from '../../tags/tagMapping';
import { array, isRecord } from '../../timeline/parse';
import {
  booleanColumn,
  buildTable,
  clusterColumn,
  compareText,
  durationColumn,
  newestFirst,
  numberColumn,
  PERCENT_UNIT,
  secondsBetween,
  stringColumn,
  tagsColumn,
  tagsText,
  timeColumn,
  type Column,
} from './fields';
import {
  createdAt,
  isObjectItem,
  labelOf,
  latestTime,
  NamespacedIndex,
  nameOf,
  namespaceOf,
  POD_TEMPLATE_HASH_LABEL,
  readableRows,
  revisionOf,
} from './objects';
import { rolloutPhase } from './rolloutPhase';

/** The controller keeps this many old ReplicaSets when the Rollout does not say. */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export type RolloutStrategy = 'canary' | 'blueGreen';

export interface RolloutRow {
  cluster: string;
  namespace: string;
  name: string;
  strategy?: RolloutStrategy;
  phase: string;
  message: string;
  /** `<currentStepIndex>/<number of steps>`, as `kubectl argo rollouts` prints it; canary with steps only. */
  step?: string;
  /** Percent of traffic (or replicas, without traffic routing) the canary should get now; canary only. */
  canaryWeight?: number;
  stableRevision?: number;
  currentRevision?: number;
  images: string[];
  desiredReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  paused: boolean;
  aborted: boolean;
  /** Epoch milliseconds: the age column counts from here to the time of the query. */
  created?: number;
  lastTransition?: number;
  revisionHistoryLimit: number;
  /** Joined, see `tagsText`. */
  tags: string;
}

export interface RolloutRowOptions {
  cluster: string;
  tagMapping?: TagMapping;
}

export interface RolloutsTableOptions extends RolloutRowOptions {
  /** Epoch milliseconds, for the age column. */
  now: number;
  /** Notices from the caller (e.g. namespaces that could not be read), shown with the table's own. */
  notices?: QueryResultMetaNotice[];
}

/** The columns of the rollouts table; the age counts up to `now`. */
export const rolloutColumns = (now: number): ReadonlyArray<Column<RolloutRow>> => [
  clusterColumn(),
  stringColumn('namespace', 'Namespace', (r) => r.namespace),
  stringColumn('name', 'Rollout', (r) => r.name),
  stringColumn('strategy', 'Strategy', (r) => r.strategy),
  stringColumn('phase', 'Phase', (r) => r.phase),
  stringColumn('message', 'Message', (r) => r.message),
  stringColumn('step', 'Step', (r) => r.step),
  numberColumn('canaryWeight', 'Canary weight', (r) => r.canaryWeight, PERCENT_UNIT),
  numberColumn('stableRevision', 'Stable revision', (r) => r.stableRevision),
  numberColumn('currentRevision', 'Current revision', (r) => r.currentRevision),
  stringColumn('images', 'Images', (r) => r.images.join(', ')),
  numberColumn('desiredReplicas', 'Desired', (r) => r.desiredReplicas),
  numberColumn('readyReplicas', 'Ready', (r) => r.readyReplicas),
  numberColumn('availableReplicas', 'Available', (r) => r.availableReplicas),
  numberColumn('updatedReplicas', 'Updated', (r) => r.updatedReplicas),
  booleanColumn('paused', 'Paused', (r) => r.paused),
  booleanColumn('aborted', 'Aborted', (r) => r.aborted),
  durationColumn('age', 'Age', (r) => secondsBetween(r.created, now)),
  timeColumn('lastTransition', 'Last transition', (r) => r.lastTransition),
  numberColumn('revisionHistoryLimit', 'Revision history limit', (r) => r.revisionHistoryLimit),
  tagsColumn(),
];

/** The order of the rollouts table: most recently changed first. */
export function compareRolloutRows(a: RolloutRow, b: RolloutRow): number {
  return (
    newestFirst(a.lastTransition, b.lastTransition) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name)
  );
}

export const ROLLOUT_KIND = { one: 'rollout', many: 'rollouts' };

/** Says how many Rollouts the controller has not reconciled yet (they have no status). */
export function unreconciledNotice(unreconciled: number): QueryResultMetaNotice[] {
  return unreconciled > 0
    ? [
        {
          severity: 'info',
          text: `${unreconciled} rollout(s) have no status yet: the Argo Rollouts controller has not reconciled them.`,
        },
      ]
    : [];
}

/** The rollouts table of rows in table order (see `compareRolloutRows`). */
export function rolloutsFrame(
  rows: readonly RolloutRow[],
  options: { now: number; notices?: QueryResultMetaNotice[] }
): DataFrame {
  return buildTable(rows, rolloutColumns(options.now), { name: 'rollouts', notices: options.notices });
}

/** One row per Rollout, most recently changed first; a Rollout that cannot be read is skipped with a notice. */
export function rolloutsTable(
  rollouts: readonly Rollout[],
  replicaSets: readonly ReplicaSet[],
  options: RolloutsTableOptions
): DataFrame {
  const replicaSetsByHash = indexReplicaSetsByHash(replicaSets, rollouts);
  const taggerOf = rolloutTagger(options.tagMapping);
  const { rows, notices: skipped } = readableRows(rollouts, ROLLOUT_KIND, (rollout) =>
    rolloutRow(rollout, replicaSetsByHash, options, taggerOf)
  );
  rows.sort(compareRolloutRows);
  const unreconciled = rollouts.filter((rollout) => isObjectItem(rollout) && rollout.status === undefined).length;
  return rolloutsFrame(rows, {
    now: options.now,
    notices: [...(options.notices ?? []), ...skipped, ...unreconciledNotice(unreconciled)],
  });
}

/** ReplicaSets by namespace and pod-template-hash. */
export type ReplicaSetIndex = Pick<NamespacedIndex<ReplicaSet>, 'get'>;

/**
 * With `rollouts`, only the ReplicaSets a row of theirs can show (their current and stable pod-template-hashes)
 * are indexed: a cluster keeps many old ReplicaSets per Rollout.
 */
export function indexReplicaSetsByHash(
  replicaSets: readonly ReplicaSet[],
  rollouts?: readonly Rollout[]
): ReplicaSetIndex {
  const wanted = rollouts ? hashesShownBy(rollouts) : undefined;
  const index = new NamespacedIndex<ReplicaSet>();
  for (const replicaSet of replicaSets) {
    if (!isObjectItem(replicaSet)) {
      continue;
    }
    const hash = labelOf(replicaSet, POD_TEMPLATE_HASH_LABEL);
    if (!hash) {
      continue;
    }
    const namespace = namespaceOf(replicaSet);
    if (!wanted || wanted.get(namespace, hash)) {
      index.set(namespace, hash, replicaSet);
    }
  }
  return index;
}

function hashesShownBy(rollouts: readonly Rollout[]): NamespacedIndex<true> {
  const hashes = new NamespacedIndex<true>();
  for (const rollout of rollouts) {
    if (!isObjectItem(rollout)) {
      continue;
    }
    const namespace = namespaceOf(rollout);
    const { currentPodHash, stableRS } = rollout.status ?? {};
    if (currentPodHash) {
      hashes.set(namespace, currentPodHash, true);
    }
    if (stableRS) {
      hashes.set(namespace, stableRS, true);
    }
  }
  return hashes;
}

/** `taggerOf` can be shared by the rows of one table. */
export function rolloutRow(
  rollout: Rollout,
  replicaSets: ReplicaSetIndex,
  options: RolloutRowOptions,
  taggerOf = rolloutTagger(options.tagMapping)
): RolloutRow {
  const namespace = namespaceOf(rollout);
  const name = nameOf(rollout);
  const spec = rollout.spec ?? {};
  const status = rollout.status ?? {};
  const currentReplicaSet = ownedReplicaSet(replicaSets, rollout, status.currentPodHash);
  const strategy = strategyOf(rollout);
  const { phase, message } = rolloutPhase(rollout);
  const currentRevision = (currentReplicaSet && revisionOf(currentReplicaSet)) ?? revisionOf(rollout);
  const stableReplicaSet = ownedReplicaSet(replicaSets, rollout, status.stableRS);
  return {
    cluster: options.cluster,
    namespace,
    name,
    strategy,
    phase,
    message,
    step: stepOf(rollout),
    canaryWeight: strategy === 'canary' ? canaryWeightOf(rollout) : undefined,
    stableRevision: stableReplicaSet ? revisionOf(stableReplicaSet) : undefined,
    currentRevision,
    images: imagesOf(spec.template?.spec?.containers ?? currentReplicaSet?.spec?.template?.spec?.containers),
    desiredReplicas: spec.replicas ?? 1,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    paused: spec.paused === true || array(status.pauseConditions).length > 0,
    aborted: status.abort === true,
    created: createdAt(rollout),
    lastTransition: latestTime(status.conditions, lastTransitionTime),
    revisionHistoryLimit: spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT,
    tags: tagsText(
      taggerOf({
        cluster: options.cluster,
        namespace,
        rollout: name,
        rolloutLabels: rollout.metadata?.labels,
        rolloutAnnotations: rollout.metadata?.annotations,
      })({ revision: currentRevision, strategy })
    ),
  };
}

/**
 * The ReplicaSet of the Rollout's namespace with the given pod-template-hash: it belongs to the Rollout unless
 * its owner references name another object.
 */
function ownedReplicaSet(
  replicaSets: ReplicaSetIndex,
  rollout: Rollout,
  hash: string | undefined
): ReplicaSet | undefined {
  const replicaSet = hash ? replicaSets.get(namespaceOf(rollout), hash) : undefined;
  const owners = array(replicaSet?.metadata?.ownerReferences);
  const uid = rollout.metadata?.uid;
  if (!replicaSet || owners.length === 0 || !uid) {
    return replicaSet;
  }
  return owners.some((owner) => isRecord(owner) && owner.uid === uid) ? replicaSet : undefined;
}

function lastTransitionTime(condition: ArgoCondition): string | undefined {
  return condition.lastTransitionTime;
}

export function strategyOf(rollout: Rollout): RolloutStrategy | undefined {
  if (rollout.spec?.strategy?.canary) {
    return 'canary';
  }
  if (rollout.spec?.strategy?.blueGreen) {
    return 'blueGreen';
  }
  return undefined;
}

/** The current step index as the controller writes it (a whole number), else 0. */
function currentStepIndexOf(rollout: Rollout): number {
  const index: unknown = rollout.status?.currentStepIndex;
  return typeof index === 'number' && Number.isInteger(index) ? index : 0;
}

function stepOf(rollout: Rollout): string | undefined {
  const steps = array(rollout.spec?.strategy?.canary?.steps);
  if (steps.length === 0) {
    return undefined;
  }
  return `${currentStepIndexOf(rollout)}/${steps.length}`;
}

/**
 * The weight the traffic router reports when there is one; otherwise the weight the steps ask for now: 0 when
 * aborted, 100 when every step is done, else the last `setWeight` at or before the current step.
 */
export function canaryWeightOf(rollout: Rollout): number | undefined {
  const status = rollout.status ?? {};
  const routed = status.canary?.weights?.canary?.weight;
  if (routed !== undefined) {
    return routed;
  }
  if (status.abort === true) {
    return 0;
  }
  const steps = array(rollout.spec?.strategy?.canary?.steps) as CanaryStep[];
  const current = currentStepIndexOf(rollout);
  if (current >= steps.length) {
    return 100;
  }
  for (let i = current; i >= 0; i--) {
    const weight = isRecord(steps[i]) ? steps[i].setWeight : undefined;
    if (weight !== undefined) {
      return weight;
    }
  }
  return 0;
}

function imagesOf(containers: Container[] | undefined): string[] {
  const images: string[] = [];
  for (const container of array(containers)) {
    const image: unknown = isRecord(container) ? container.image : undefined;
    if (typeof image === 'string' && image !== '') {
      images.push(image);
    }
  }
  return images;
}
