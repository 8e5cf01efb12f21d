import React from 'react';
import { ConfigSection } from '@grafana/plugin-ui';
import { Field, Input } from '@grafana/ui';

import { withJsonData } from '../../config/settings';
import type { SectionProps } from './sectionProps';

export function linkBaseUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return undefined;
  }
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'Use an http:// or https:// address.';
  } catch {
    return 'This is not a URL, e.g. https://rollouts.example.com/rollouts';
  }
}

/** An optional viewer each annotation links to, e.g. the Argo Rollouts dashboard. */
export function LinksSection({ options, onOptionsChange }: SectionProps) {
  const value = options.jsonData.linkBaseUrl ?? '';
  const problem = linkBaseUrlProblem(value);
  return (
    <ConfigSection title="Links" description="Optional: annotations link to each rollout in another tool.">
      <Field
        label="Rollout link base URL"
        description="For example the Argo Rollouts dashboard. {namespace} and {rollout} are replaced; without them /rollout/<namespace>/<rollout> is appended."
        invalid={problem !== undefined}
        error={problem}
      >
        <Input
          width={60}
          value={value}
          placeholder="https://rollouts.example.com/rollouts"
          onChange={(event) => onOptionsChange(withJsonData(options, { linkBaseUrl: event.currentTarget.value }))}
        />
      </Field>
    </ConfigSection>
  );
}
