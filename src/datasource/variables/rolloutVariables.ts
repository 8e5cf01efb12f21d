import type { MetricFindValue } from '@grafana/data';

import type { Rollout } from '../model/argo';
import { compileRegexFilter } from './regexFilter';

const naturalOrder = new Intl.Collator('en', { numeric: true });

/**
 * Sorted (natural order), de-duplicated and filtered values as variable options. Only non-empty strings are values:
 * a field of another type (an object that does not follow its schema) gives no option.
 */
function toOptions(values: Iterable<unknown>, filter: RegExp | undefined): MetricFindValue[] {
  const unique = new Set<string>();
  for (const value of values) {
    if (typeof value === 'string' && value !== '' && (!filter || filter.test(value))) {
      unique.add(value);
    }
  }
  return [...unique].sort(naturalOrder.compare).map((value) => ({ text: value, value }));
}

/** The listed Rollouts that are objects at all. */
function objectsOf(rollouts: readonly Rollout[]): Rollout[] {
  return rollouts.filter((rollout) => typeof rollout === 'object' && rollout !== null && !Array.isArray(rollout));
}

/** Namespaces that hold at least one Rollout. */
export function namespacesWithRollouts(rollouts: readonly Rollout[], regexFilter?: string): MetricFindValue[] {
  const filter = compileRegexFilter(regexFilter);
  return toOptions(
    objectsOf(rollouts).map((rollout) => rollout.metadata?.namespace),
    filter
  );
}

/** Rollout names, only those in `namespaces` when it is given and not empty. */
export function rolloutNames(
  rollouts: readonly Rollout[],
  namespaces?: readonly string[],
  regexFilter?: string
): MetricFindValue[] {
  const filter = compileRegexFilter(regexFilter);
  const wanted = namespaces && namespaces.length > 0 ? new Set(namespaces) : undefined;
  return toOptions(
    objectsOf(rollouts)
      .filter((rollout) => !wanted || wanted.has(rollout.metadata?.namespace ?? ''))
      .map((rollout) => rollout.metadata?.name),
    filter
  );
}

/** Values of one Rollout label key, e.g. every `team` of the Rollouts. */
export function labelValues(rollouts: readonly Rollout[], key: string, regexFilter?: string): MetricFindValue[] {
  const filter = compileRegexFilter(regexFilter);
  return toOptions(
    objectsOf(rollouts).map((rollout) => {
      const labels: unknown = rollout.metadata?.labels;
      return typeof labels === 'object' && labels !== null && Object.hasOwn(labels, key)
        ? (labels as Record<string, unknown>)[key]
        : undefined;
    }),
    filter
  );
}
