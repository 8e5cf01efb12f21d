import React from 'react';
import { ConfigSection, ConfigSubSection } from '@grafana/plugin-ui';
import { Button, Checkbox, Field, IconButton, Input, RadioButtonGroup, Stack, TagsInput, Text } from '@grafana/ui';

import { withJsonData } from '../../config/settings';
import {
  BUILT_IN_TAGS,
  type BuiltInTag,
  DEFAULT_TAG_MAPPING,
  type MetadataTagRule,
  type ReasonTagRule,
  type TagMapping,
  tagsFor,
} from '../../tags/tagMapping';
import type { SectionProps } from './sectionProps';

/** What the preview shows the tags of: a completed update of a labelled rollout. */
const EXAMPLE = {
  cluster: 'prod-eu-1',
  namespace: 'shop',
  rollout: 'checkout',
  revision: 7,
  reason: 'RolloutCompleted',
  category: 'lifecycle',
  outcome: 'succeeded',
  strategy: 'canary',
  precision: 'exact',
  rolloutLabels: { 'app.kubernetes.io/part-of': 'webshop', team: 'payments' },
  rolloutAnnotations: { 'example.com/owner': 'payments-oncall' },
};

const SOURCES = [
  { value: 'label' as const, label: 'Label' },
  { value: 'annotation' as const, label: 'Annotation' },
];

const replaceAt = <T,>(list: readonly T[], index: number, item: T): T[] =>
  list.map((old, i) => (i === index ? item : old));
const removeAt = <T,>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

/** How Kubernetes metadata and event reasons become Grafana tags; the same rules apply to annotations and tables. */
export function TagMappingSection({ options, onOptionsChange }: SectionProps) {
  const mapping: TagMapping = { ...DEFAULT_TAG_MAPPING, ...options.jsonData.tagMapping };
  const disabled = new Set(mapping.disabledBuiltIns ?? []);
  const metadataRules = mapping.metadataRules ?? [];
  const reasonRules = mapping.reasonRules ?? [];
  const update = (patch: Partial<TagMapping>) =>
    onOptionsChange(withJsonData(options, { tagMapping: { ...mapping, ...patch } }));

  const toggleBuiltIn = (name: BuiltInTag, on: boolean) =>
    update({ disabledBuiltIns: BUILT_IN_TAGS.filter((tag) => (tag === name ? !on : disabled.has(tag))) });

  return (
    <ConfigSection
      title="Tags"
      description="Tags let dashboards filter annotations and table rows. Built-in tags come from the objects; rules add your own."
      isCollapsible
      isInitiallyOpen={false}
    >
      <ConfigSubSection title="Built-in tags" description="name:value tags added to every annotation and row.">
        <Stack direction="row" wrap="wrap" gap={2}>
          {BUILT_IN_TAGS.map((name) => (
            <Checkbox
              key={name}
              label={`${name}:`}
              value={!disabled.has(name)}
              onChange={(event) => toggleBuiltIn(name, event.currentTarget.checked)}
            />
          ))}
        </Stack>
      </ConfigSubSection>

      <ConfigSubSection
        title="From Rollout labels and annotations"
        description="For example the label app.kubernetes.io/part-of as the tag app:<value>."
      >
        {metadataRules.map((rule, index) => (
          <Stack key={index} direction="row" gap={1} alignItems="center">
            <RadioButtonGroup<MetadataTagRule['source']>
              options={SOURCES}
              value={rule.source}
              onChange={(source) => update({ metadataRules: replaceAt(metadataRules, index, { ...rule, source }) })}
            />
            <Input
              aria-label="Key"
              width={36}
              placeholder="app.kubernetes.io/part-of"
              value={rule.key}
              onChange={(event) =>
                update({
                  metadataRules: replaceAt(metadataRules, index, { ...rule, key: event.currentTarget.value.trim() }),
                })
              }
            />
            <Text>as</Text>
            <Input
              aria-label="Tag name"
              width={20}
              placeholder={rule.key || 'tag name'}
              value={rule.tagName ?? ''}
              onChange={(event) =>
                update({
                  metadataRules: replaceAt(metadataRules, index, {
                    ...rule,
                    tagName: event.currentTarget.value.trim() || undefined,
                  }),
                })
              }
            />
            <IconButton
              name="trash-alt"
              tooltip="Remove this rule"
              onClick={() => update({ metadataRules: removeAt(metadataRules, index) })}
            />
          </Stack>
        ))}
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => update({ metadataRules: [...metadataRules, { source: 'label', key: '' }] })}
        >
          Add label or annotation rule
        </Button>
      </ConfigSubSection>

      <ConfigSubSection
        title="Per event reason"
        description="Extra tags for events of one reason, e.g. RolloutAborted → page:oncall."
      >
        {reasonRules.map((rule, index) => (
          <Stack key={index} direction="row" gap={1} alignItems="center">
            <Input
              aria-label="Reason"
              width={28}
              placeholder="RolloutAborted"
              value={rule.reason}
              onChange={(event) =>
                update({
                  reasonRules: replaceAt<ReasonTagRule>(reasonRules, index, {
                    ...rule,
                    reason: event.currentTarget.value.trim(),
                  }),
                })
              }
            />
            <TagsInput
              width={40}
              tags={rule.tags}
              placeholder="tag, Enter"
              onChange={(tags) => update({ reasonRules: replaceAt(reasonRules, index, { ...rule, tags }) })}
            />
            <IconButton
              name="trash-alt"
              tooltip="Remove this rule"
              onClick={() => update({ reasonRules: removeAt(reasonRules, index) })}
            />
          </Stack>
        ))}
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => update({ reasonRules: [...reasonRules, { reason: '', tags: [] }] })}
        >
          Add reason rule
        </Button>
      </ConfigSubSection>

      <ConfigSubSection title="Static tags" description="Added to everything this data source returns, e.g. env:prod.">
        <TagsInput width={60} tags={mapping.staticTags ?? []} onChange={(staticTags) => update({ staticTags })} />
      </ConfigSubSection>

      <Field
        label="Example"
        description="The tags of a completed update of rollout shop/checkout (labels part-of=webshop, team=payments)."
      >
        <Text element="p" variant="code" aria-label="Example tags">
          {tagsFor(EXAMPLE, mapping).join('  ')}
        </Text>
      </Field>
    </ConfigSection>
  );
}
