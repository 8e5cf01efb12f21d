import React, { useState } from 'react';
import { Alert, Field, Input, RadioButtonGroup, Stack, TagsInput } from '@grafana/ui';

import {
  parseVariableQuery,
  type RolloutLensVariableQuery,
  type VariableQuery,
  type VariableQueryKind,
} from '../../query/variableQuery';

interface Props {
  /** Older dashboards may hold the query as text, e.g. `rollouts($namespace)`. */
  query: RolloutLensVariableQuery | string | undefined;
  onChange: (query: RolloutLensVariableQuery) => void;
}

const KINDS: Array<{ value: VariableQueryKind; label: string; description: string }> = [
  { value: 'namespaces', label: 'Namespaces', description: 'Namespaces that have at least one rollout' },
  { value: 'rollouts', label: 'Rollouts', description: 'Rollout names, optionally only in some namespaces' },
  { value: 'labelValues', label: 'Label values', description: 'Values of one Rollout label, e.g. team' },
];

function initialQuery(query: Props['query']): { value: VariableQuery; problem?: string } {
  try {
    return { value: parseVariableQuery(typeof query === 'object' ? { ...query } : query) };
  } catch (error) {
    return { value: { kind: 'namespaces' }, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Variable query: what to list, in which namespaces (variables allowed, e.g. $namespace), filtered by a regex. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const initial = initialQuery(query);
  const [value, setValue] = useState<VariableQuery>(initial.value);
  const [labelKey, setLabelKey] = useState(initial.value.labelKey ?? '');
  const [regex, setRegex] = useState(initial.value.regex ?? '');

  const refId = typeof query === 'object' && query.refId ? query.refId : 'variable';
  const save = (next: VariableQuery) => {
    setValue(next);
    if (next.kind !== 'labelValues' || next.labelKey) {
      onChange({ ...next, refId });
    }
  };

  return (
    <Stack direction="column" gap={1}>
      {initial.problem && (
        <Alert severity="warning" title="The saved query could not be read">
          {initial.problem}
        </Alert>
      )}
      <Field label="List">
        <RadioButtonGroup options={KINDS} value={value.kind} onChange={(kind) => save({ ...value, kind })} />
      </Field>
      {value.kind === 'labelValues' && (
        <Field label="Label" description="A label key of the Rollouts, e.g. team or app.kubernetes.io/part-of">
          <Input
            value={labelKey}
            width={40}
            onChange={(event) => setLabelKey(event.currentTarget.value)}
            onBlur={() => save({ ...value, labelKey: labelKey.trim() })}
          />
        </Field>
      )}
      {value.kind !== 'namespaces' && (
        <Field
          label="Namespaces"
          description="Empty: every namespace the data source reads. $namespace chains variables."
        >
          <TagsInput
            tags={value.namespaces ?? []}
            onChange={(namespaces) => save({ ...value, namespaces })}
            width={40}
          />
        </Field>
      )}
      <Field label="Regex" description="Keep only values that match, e.g. /^prod-/">
        <Input
          value={regex}
          width={40}
          placeholder="/^prod-/"
          onChange={(event) => setRegex(event.currentTarget.value)}
          onBlur={() => save({ ...value, regex: regex.trim() || undefined })}
        />
      </Field>
    </Stack>
  );
}
