import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, RadioButtonGroup, Stack } from '@grafana/ui';

import type { DataSource } from '../../datasource';
import { migrateQuery } from '../../query/migrate';
import type { QueryType, RolloutLensJsonData, RolloutLensQuery } from '../../types';
import { FilterEditor } from './FilterEditor';
import { RequestPreview } from './RequestPreview';

type Props = QueryEditorProps<DataSource, RolloutLensQuery, RolloutLensJsonData>;

const TABLE_TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  {
    value: 'rollouts',
    label: 'Rollouts',
    description: 'Status of each rollout: phase, step, weight, revisions, replicas',
  },
  {
    value: 'revisions',
    label: 'Revisions',
    description: 'Revision history: when each revision rolled out and how it ended',
  },
  { value: 'events', label: 'Events', description: 'Events of rollouts, analysis runs and experiments' },
  { value: 'analysisRuns', label: 'Analysis runs', description: 'Analysis runs with their result and failing metric' },
  { value: 'annotations', label: 'Timeline', description: 'Rollout timeline entries (the annotations) as a table' },
];

/** Table and Explore queries: the query type, the shared filter, and the requests it will make. */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const current = migrateQuery(query);
  const update = (fields: Partial<RolloutLensQuery>) => onChange({ ...current, ...fields } as RolloutLensQuery);

  return (
    <Stack direction="column" gap={1}>
      <Field label="Query type">
        <RadioButtonGroup
          options={TABLE_TYPES}
          value={current.queryType}
          onChange={(queryType) => {
            update({ queryType });
            onRunQuery();
          }}
        />
      </Field>
      <FilterEditor query={current} onChange={update} onRunQuery={onRunQuery} />
      <RequestPreview
        queryType={current.queryType}
        namespaces={current.namespaces ?? []}
        labelSelector={current.labelSelector ?? ''}
        defaultNamespaces={datasource.defaultNamespaces}
      />
    </Stack>
  );
}
