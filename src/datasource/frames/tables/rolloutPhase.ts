import type { Rollout } from '../../model/argo';
import { array, isRecord, str } from '../../timeline/parse';

export interface RolloutPhaseInfo {
  phase: string;
  message: string;
}

/**
 * Phase and message the way `kubectl argo rollouts` shows them: the controller's `status.phase`/`message` when
 * the controller has observed the current spec, otherwise why it is stale. Objects written before v1.0 have
 * no `status.phase`, so the controller's own rules are applied to their status instead.
 */
export function rolloutPhase(rollout: Rollout): RolloutPhaseInfo {
  const status = rollout.status ?? {};
  const generation = rollout.metadata?.generation;
  if (generation !== undefined && status.observedGeneration !== String(generation)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (status.controllerPause === true && array(status.pauseConditions).length === 0) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  const phase = str(status.phase);
  if (phase) {
    return { phase, message: str(status.message) ?? '' };
  }
  return calculatedPhase(rollout);
}

/** The controller's rules in order, first match wins (reference notes §4). */
function calculatedPhase(rollout: Rollout): RolloutPhaseInfo {
  const spec = rollout.spec ?? {};
  const status = rollout.status ?? {};
  for (const condition of array(status.conditions) as NonNullable<typeof status.conditions>) {
    if (!isRecord(condition)) {
      continue;
    }
    if (condition.type === 'InvalidSpec') {
      return { phase: 'Degraded', message: `InvalidSpec: ${condition.message ?? ''}` };
    }
    if (condition.reason === 'RolloutAborted' || condition.reason === 'ProgressDeadlineExceeded') {
      return { phase: 'Degraded', message: `${condition.reason}: ${condition.message ?? ''}` };
    }
  }
  if (spec.paused === true) {
    return { phase: 'Paused', message: 'manually paused' };
  }
  const pauseConditions = array(status.pauseConditions);
  if (pauseConditions.length > 0) {
    const first = pauseConditions[0];
    return { phase: 'Paused', message: (isRecord(first) && str(first.reason)) || '' };
  }
  if (spec.restartAt !== undefined && (status.restartedAt === undefined || status.restartedAt < spec.restartAt)) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < (spec.replicas ?? 1)) {
    return { phase: 'Progressing', message: 'more replicas need to be updated' };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  const promoted = status.stableRS !== undefined && status.stableRS === status.currentPodHash;
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) {
      return { phase: 'Progressing', message: 'active service cutover pending' };
    }
    if (!promoted) {
      return { phase: 'Progressing', message: 'waiting for analysis to complete' };
    }
  } else if (spec.strategy?.canary) {
    if (spec.strategy.canary.trafficRouting === undefined && (status.replicas ?? 0) > updated) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!promoted) {
      return { phase: 'Progressing', message: 'waiting for all steps to complete' };
    }
  }
  return { phase: 'Healthy', message: '' };
}
