import { isRecord } from './parse';
import type { StepInfo } from './types';

/**
 * The canary step at a 0-based index of the Rollout's spec, numbered from 1, when the spec has a step of that kind
 * (`analysis`, `experiment`, `plugin`) there: a plugin step is described with its plugin's name, as the controller's
 * Events describe it (`plugin: <name>`).
 */
export function stepOfKind(
  steps: unknown[] | undefined,
  index: number | undefined,
  kind: string
): StepInfo | undefined {
  if (steps === undefined || index === undefined || index >= steps.length) {
    return undefined;
  }
  const step = steps[index];
  const spec = isRecord(step) ? step[kind] : undefined;
  if (!isRecord(spec)) {
    return undefined;
  }
  const name = kind === 'plugin' && typeof spec.name === 'string' && spec.name !== '' ? spec.name : undefined;
  return { index: index + 1, total: steps.length, description: name !== undefined ? `${kind}: ${name}` : kind };
}
