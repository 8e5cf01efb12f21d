import React, { useState } from 'react';
import { Field, Input, Stack, TagsInput } from '@grafana/ui';

import { validateLabelSelector } from '../../filters/labelSelector';
import { rolloutMatcher } from '../../filters/rolloutMatcher';
import type { RolloutLensQuery } from '../../types';

type FilterFields = Pick<RolloutLensQuery, 'namespaces' | 'rollouts' | 'labelSelector'>;

interface Props {
  query: FilterFields;
  onChange: (fields: FilterFields) => void;
  /** Called after a change that should re-run the query (lists and blurred text fields). */
  onRunQuery?: () => void;
}

const problemOf = (check: () => unknown): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/**
 * Which rollouts a query is about: namespaces, rollout names or /regex/, and a label selector. Every field
 * accepts dashboard variables. Shared by the annotation, table and variable editors.
 */
export function FilterEditor({ query, onChange, onRunQuery }: Props) {
  const [labelSelector, setLabelSelector] = useState(query.labelSelector ?? '');
  // Variables are expanded at query time; only literal text can be checked here.
  const rolloutProblem = problemOf(() => rolloutMatcher((query.rollouts ?? []).filter((r) => !r.includes('$'))));
  const selectorProblem = labelSelector.includes('$')
    ? undefined
    : problemOf(() => validateLabelSelector(labelSelector));

  const change = (fields: Partial<FilterFields>) => {
    onChange({ ...query, ...fields });
    onRunQuery?.();
  };

  return (
    <Stack direction="row" wrap="wrap" gap={2}>
      <Field
        label="Namespaces"
        description="Empty: the data source's default namespaces, or all. Variables such as $namespace work."
      >
        <TagsInput
          tags={query.namespaces ?? []}
          onChange={(namespaces) => change({ namespaces })}
          placeholder="namespace or $variable, Enter"
          width={40}
        />
      </Field>
      <Field
        label="Rollouts"
        description="Names, $variables or one /regular expression/; empty: every rollout."
        invalid={Boolean(rolloutProblem)}
        error={rolloutProblem}
      >
        <TagsInput
          tags={query.rollouts ?? []}
          onChange={(rollouts) => change({ rollouts })}
          placeholder="name, $rollout or /^web-/, Enter"
          width={40}
        />
      </Field>
      <Field
        label="Label selector"
        description="Rollout labels, e.g. team=payments,tier!=batch"
        invalid={Boolean(selectorProblem)}
        error={selectorProblem}
      >
        <Input
          value={labelSelector}
          width={40}
          placeholder="app.kubernetes.io/part-of=shop"
          onChange={(event) => setLabelSelector(event.currentTarget.value)}
          onBlur={() => labelSelector !== (query.labelSelector ?? '') && change({ labelSelector })}
        />
      </Field>
    </Stack>
  );
}
