import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../../datasource';
import { migrateQuery } from '../../query/migrate';
import type { QueryType, RolloutLensJsonData, RolloutLensQuery, SeriesMetric } from '../../types';
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
  {
    value: 'series',
    label: 'Series',
    description: 'A time series to draw the annotations over: canary weight per rollout, or rollouts in progress',
  },
  {
    value: 'status',
    label: 'Status',
    description: "Errors and notices of this data source's other queries in the same dashboard refresh",
  },
];

const SERIES_METRICS: Array<{ value: SeriesMetric; label: string; description: string }> = [
  {
    value: 'canaryWeight',
    label: 'Canary weight',
    description: 'Per rollout, the weight of its newest revision in %: 0 at an update, each step, 100 when done',
  },
  {
    value: 'rolloutsInProgress',
    label: 'Rollouts in progress',
    description: 'How many of the selected rollouts are updating at each moment',
  },
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
      {current.queryType === 'series' && (
        <Field label="Series">
          <RadioButtonGroup
            options={SERIES_METRICS}
            value={current.metric ?? 'canaryWeight'}
            onChange={(metric) => {
              update({ metric });
              onRunQuery();
            }}
          />
        </Field>
      )}
      {current.queryType === 'status' && (
        <Text color="secondary" variant="bodySmall">
          Shows what the other queries of this data source on the dashboard reported in the same refresh: errors, and
          notices such as a namespace the identity may not read or an annotation limit that cut entries. Annotation
          layers cannot show these themselves. The filter only makes the dashboard run it again when its variables
          change.
        </Text>
      )}
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
