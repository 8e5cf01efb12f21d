import type { DataQuery } from '@grafana/schema';

import { QueryInputError } from '../filters/errors';

export type VariableQueryKind = 'namespaces' | 'rollouts' | 'labelValues';

/** What a dashboard variable lists: namespaces with rollouts, rollouts (optionally in some namespaces), label values. */
export interface VariableQuery {
  kind: VariableQueryKind;
  /** For `rollouts` and `labelValues`: only these namespaces (variables such as $namespace allowed). */
  namespaces?: string[];
  /** For `labelValues`: the Rollout label key. */
  labelKey?: string;
  /** Keep only values matching this regular expression (`/re/flags` or a bare pattern). */
  regex?: string;
}

/** A variable query as Grafana stores it. */
export interface RolloutLensVariableQuery extends DataQuery, VariableQuery {}

const TEXT_FORMS: Array<[RegExp, (match: RegExpExecArray) => VariableQuery]> = [
  [/^namespaces\s*(\(\s*\))?$/, () => ({ kind: 'namespaces' })],
  [/^rollouts\s*(?:\(\s*([^)]*)\))?$/, (m) => ({ kind: 'rollouts', namespaces: splitList(m[1]) })],
  [
    /^label_values\s*\(\s*([^,)\s]+)\s*(?:,\s*([^)]*))?\)$/,
    (m) => ({ kind: 'labelValues', labelKey: m[1], namespaces: splitList(m[2]) }),
  ],
];

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const KINDS: readonly VariableQueryKind[] = ['namespaces', 'rollouts', 'labelValues'];

/** A saved variable query as it was read back from a dashboard's JSON: its fields may hold anything. */
function savedVariableQuery(saved: Record<string, unknown>): VariableQuery {
  const kind = KINDS.find((known) => known === saved.kind);
  if (!kind) {
    throw new QueryInputError(
      `The variable query ${JSON.stringify(saved.kind ?? null)} is not one of namespaces, rollouts or label values: ` +
        'choose one in the variable editor.'
    );
  }
  const labelKey = typeof saved.labelKey === 'string' ? saved.labelKey : undefined;
  if (kind === 'labelValues' && !labelKey?.trim()) {
    throw new QueryInputError('Choose the Rollout label whose values the variable lists.');
  }
  const namespaces = Array.isArray(saved.namespaces)
    ? saved.namespaces.filter((namespace): namespace is string => typeof namespace === 'string')
    : undefined;
  const regex = typeof saved.regex === 'string' ? saved.regex : undefined;
  return {
    kind,
    ...(namespaces ? { namespaces } : {}),
    ...(labelKey !== undefined ? { labelKey } : {}),
    ...(regex !== undefined ? { regex } : {}),
  };
}

/**
 * Reads a variable query saved by the variable editor (an object) or typed as text:
 * `namespaces`, `rollouts`, `rollouts($namespace)`, `label_values(team)`, `label_values(team, $namespace)`.
 * Anything else is a QueryInputError that says what to do.
 */
export function parseVariableQuery(query: VariableQuery | string | undefined): VariableQuery {
  if (query === undefined || query === null || query === '') {
    return { kind: 'namespaces' };
  }
  if (typeof query === 'object' && !Array.isArray(query)) {
    return savedVariableQuery(query as unknown as Record<string, unknown>);
  }
  if (typeof query !== 'string') {
    throw new QueryInputError(`${JSON.stringify(query)} is not a variable query: choose one in the variable editor.`);
  }
  const text = query.trim();
  for (const [pattern, build] of TEXT_FORMS) {
    const match = pattern.exec(text);
    if (match) {
      return build(match);
    }
  }
  throw new QueryInputError(
    `"${text}" is not a variable query. Use namespaces, rollouts, rollouts($namespace), label_values(<label>) or label_values(<label>, $namespace).`
  );
}

/** The text Grafana shows for the variable in the dashboard's variable list. */
export function describeVariableQuery(query: VariableQuery): string {
  const scope = query.namespaces?.length ? query.namespaces.join(', ') : '';
  const text =
    query.kind === 'namespaces'
      ? 'namespaces'
      : query.kind === 'rollouts'
        ? `rollouts(${scope})`
        : `label_values(${query.labelKey ?? ''}${scope ? `, ${scope}` : ''})`;
  return query.regex ? `${text} =~ ${query.regex}` : text;
}
