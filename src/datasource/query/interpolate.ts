import type { ScopedVars } from '@grafana/data';

import { isRegexPattern } from '../filters/rolloutMatcher';
import type { RolloutLensQuery } from '../types';

/** The part of Grafana's TemplateSrv the data source uses (`getTemplateSrv().replace`). */
export type ReplaceVariables = (
  target: string,
  scopedVars?: ScopedVars,
  format?: string | ((value: string | string[]) => string)
) => string;

/** Separates the values of a multi-value variable; no Kubernetes name or label can contain it. */
const VALUE_SEPARATOR = '\u001f';
/** What an "All" option without a custom value, or a usual custom all value, expands to. */
const ALL = new Set(['*', '.*', '$__all', 'All']);

const joinValues = (value: string | string[]) => (Array.isArray(value) ? value.join(VALUE_SEPARATOR) : value);
const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const regexValues = (value: string | string[]) =>
  Array.isArray(value) ? `(${value.map(escapeRegex).join('|')})` : escapeRegex(value);

function expandList(
  values: readonly string[] | undefined,
  replace: ReplaceVariables,
  scopedVars?: ScopedVars
): string[] {
  return (values ?? []).flatMap((value) =>
    isRegexPattern(value)
      ? [replace(value, scopedVars, regexValues)]
      : replace(value, scopedVars, joinValues)
          .split(VALUE_SEPARATOR)
          .flatMap((item) => item.split(','))
          .map((item) => item.trim())
          .filter((item) => item !== '')
  );
}

/**
 * Expands variables in free-text values such as tags. A multi-value variable gives one value per option
 * (`team:$team` with a and b -> `team:a`, `team:b`); a second multi-value variable in the same value is joined.
 */
export function interpolateValues(
  values: readonly string[] | undefined,
  replace: ReplaceVariables,
  scopedVars?: ScopedVars
): string[] {
  const MARK = '\u001e';
  return (values ?? []).flatMap((value) => {
    let options: string[] | undefined;
    const expanded = replace(value, scopedVars, (v) => {
      if (Array.isArray(v) && v.length !== 1 && options === undefined) {
        options = v;
        return MARK;
      }
      return Array.isArray(v) ? v.join(',') : v;
    });
    const results = options ? options.map((option) => expanded.replace(MARK, option)) : [expanded];
    return results.map((result) => result.trim()).filter((result) => result !== '');
  });
}

export interface ResolvedFilter {
  /** Empty: every namespace the data source is set to read. */
  namespaces: string[];
  rollouts: string[];
  labelSelector: string;
}

/** Expands template variables (multi-value, All and scoped variables included) in every filter field. */
export function interpolateFilter(
  query: RolloutLensQuery,
  replace: ReplaceVariables,
  scopedVars?: ScopedVars
): ResolvedFilter {
  const namespaces = expandList(query.namespaces, replace, scopedVars);
  const rollouts = expandList(query.rollouts, replace, scopedVars);
  return {
    namespaces: namespaces.some((namespace) => ALL.has(namespace)) ? [] : [...new Set(namespaces)],
    rollouts: rollouts.some((rollout) => ALL.has(rollout)) ? [] : [...new Set(rollouts)],
    labelSelector: replace(query.labelSelector ?? '', scopedVars, (value) =>
      Array.isArray(value) ? value.join(',') : value
    ).trim(),
  };
}
