import React from 'react';
import type { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import {
  Field,
  InlineField,
  InlineSwitch,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
  TagsInput,
  Text,
} from '@grafana/ui';

import type { DataSource } from '../../datasource';
import { withAnnotationDefaults } from '../../query/annotationQuery';
import {
  CATEGORY_OPTIONS,
  DEFAULT_ANNOTATION_LIMIT,
  DETAIL_OPTIONS,
  KIND_OPTIONS,
  OUTCOME_OPTIONS,
  OUTCOME_PRESETS,
} from '../../timeline/defaults';
import type { TagMatch } from '../../timeline/filter';
import type { DetailLevel } from '../../timeline/types';
import type { AnnotationsQuery, RolloutLensJsonData, RolloutLensQuery } from '../../types';
import { FilterEditor } from './FilterEditor';
import { RequestPreview } from './RequestPreview';

type Props = QueryEditorProps<DataSource, RolloutLensQuery, RolloutLensJsonData> & {
  annotation?: AnnotationQuery<RolloutLensQuery>;
  onAnnotationChange?: (annotation: AnnotationQuery<RolloutLensQuery>) => void;
};

/**
 * Annotation query: which rollouts, which entries (detail level, categories, outcomes, points/regions,
 * reconstructed history, tags) and how many. Grafana colours all annotations of one query alike, so colour by
 * outcome = one query per outcome, each with its colour.
 */
export function AnnotationQueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const current = withAnnotationDefaults(query);
  const update = (fields: Partial<AnnotationsQuery>) => onChange({ ...current, ...fields });

  return (
    <Stack direction="column" gap={1}>
      <FilterEditor query={current} onChange={update} />
      <Field
        label="Detail"
        description="Significant: revisions, completions, aborts, rollbacks, step, analysis and experiment results, errors. All entries: also the controller's informer, scaling and traffic Events."
      >
        <RadioButtonGroup<DetailLevel>
          options={DETAIL_OPTIONS}
          value={current.detail}
          onChange={(detail) => update({ detail })}
        />
      </Field>
      <Stack direction="row" wrap="wrap" gap={2}>
        <Field label="Categories" description="Empty: every category">
          <MultiCombobox
            options={CATEGORY_OPTIONS}
            value={current.categories}
            placeholder="Every category"
            onChange={(items) => update({ categories: items.map((item) => item.value) })}
            width={48}
          />
        </Field>
        <Field label="Outcomes" description="One query per outcome colours annotations by outcome">
          <MultiCombobox
            options={OUTCOME_OPTIONS}
            value={current.outcomes}
            placeholder="Every outcome"
            onChange={(items) => update({ outcomes: items.map((item) => item.value) })}
            width={48}
          />
        </Field>
      </Stack>
      <Stack direction="row" wrap="wrap" gap={2} alignItems="flex-end">
        <Field label="Show">
          <MultiCombobox
            options={KIND_OPTIONS}
            value={current.kinds}
            onChange={(items) => update({ kinds: items.map((item) => item.value) })}
            width={30}
          />
        </Field>
        <Field label="Tags" description="Only entries with these tags, e.g. outcome:failed or app:shop">
          <TagsInput tags={current.tags ?? []} onChange={(tags) => update({ tags })} width={40} />
        </Field>
        <Field label="Match tags">
          <RadioButtonGroup<TagMatch>
            options={[
              { value: 'any', label: 'Any' },
              { value: 'all', label: 'All' },
            ]}
            value={current.tagMatch}
            onChange={(tagMatch) => update({ tagMatch })}
          />
        </Field>
      </Stack>
      <Stack direction="row" wrap="wrap" gap={2} alignItems="center">
        <InlineField
          label="Reconstructed history"
          tooltip="Revisions and analysis runs older than the events Kubernetes keeps (one hour by default), derived from ReplicaSets, AnalysisRuns and Rollout status. Their times are less precise, and their text says how they were derived."
        >
          <InlineSwitch
            value={current.includeReconstructed}
            onChange={(event) => update({ includeReconstructed: event.currentTarget.checked })}
          />
        </InlineField>
        <InlineField
          label="Limit"
          tooltip="Most annotations per query; the newest are kept and a notice says how many were cut."
        >
          <Input
            type="number"
            min={1}
            width={12}
            value={current.limit ?? ''}
            placeholder={String(DEFAULT_ANNOTATION_LIMIT)}
            onChange={(event) => {
              const value = parseInt(event.currentTarget.value, 10);
              update({ limit: Number.isFinite(value) && value > 0 ? value : undefined });
            }}
          />
        </InlineField>
      </Stack>
      <Text color="secondary" variant="bodySmall">
        Tip: to colour by outcome, add one annotation query per colour, with the same filters but these outcomes:{' '}
        {OUTCOME_PRESETS.map(
          (preset) =>
            `${preset.iconColor}: ${(preset.filter.outcomes ?? [])
              .map((outcome) => OUTCOME_OPTIONS.find((option) => option.value === outcome)?.label ?? outcome)
              .join(', ')}`
        ).join('; ')}
        . Together they draw every entry once.
      </Text>
      <RequestPreview
        queryType="annotations"
        namespaces={current.namespaces ?? []}
        labelSelector={current.labelSelector ?? ''}
        defaultNamespaces={datasource.defaultNamespaces}
      />
    </Stack>
  );
}
